//! The HTTP side of the one port: the browser client, the websocket upgrade, room creation,
//! the deck list and the health check.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cards::deck::{Deck, StatementDeck};
use cards::event::Setup;
use cards::{Library, Rejection, RoomCode, Settings, Text};
use serde::{Deserialize, Serialize};

use crate::config::Limits;
use crate::connection;
use crate::rooms::Rooms;

pub struct AppState {
    pub rooms: Rooms,
    pub library: Arc<Library>,
    pub client_dir: Option<PathBuf>,
    pub seat_hold: Duration,
    pub limits: Limits,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/ws", get(websocket))
        .route("/api/decks", get(decks))
        .route("/api/rooms", post(create_room))
        .fallback(get(client_file))
        .with_state(state)
}

#[derive(Deserialize)]
struct WsParams {
    room: Option<String>,
}

/// The room is named in the URL so a load balancer can route by it; an unknown code is
/// answered on the socket, with an `unknown_room` error for every `hello`.
async fn websocket(
    State(state): State<Arc<AppState>>,
    Query(params): Query<WsParams>,
    ws: WebSocketUpgrade,
) -> Response {
    let room = params.room.as_deref().and_then(RoomCode::parse).and_then(|code| state.rooms.get(&code));
    let limits = state.limits.clone();
    ws.max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .on_upgrade(move |socket| connection::serve(socket, room, limits))
}

#[derive(Serialize)]
struct DeckSummary {
    id: String,
    title: Text,
    cards: usize,
}

#[derive(Serialize)]
struct DeckList {
    statements: Vec<DeckSummary>,
    roles: Vec<DeckSummary>,
}

async fn decks(State(state): State<Arc<AppState>>) -> Json<DeckList> {
    let library = &state.library;
    Json(DeckList {
        statements: library.statements.iter().map(DeckSummary::of).collect(),
        roles: library.roles.iter().map(DeckSummary::of).collect(),
    })
}

impl DeckSummary {
    fn of<C>(deck: &Deck<C>) -> DeckSummary {
        DeckSummary { id: deck.id.clone(), title: deck.title.clone(), cards: deck.cards.len() }
    }
}

/// What the trainer's "new session" form sends.
#[derive(Deserialize)]
pub struct CreateRoom {
    pub statement_decks: Vec<String>,
    pub role_deck: String,
    #[serde(default)]
    pub settings: Settings,
}

#[derive(Serialize)]
pub struct RoomCreated {
    pub code: String,
    pub trainer_token: String,
}

#[derive(Serialize)]
struct ApiError {
    code: &'static str,
    message: Text,
}

fn refuse(status: StatusCode, rejection: &Rejection) -> Response {
    (status, Json(ApiError { code: rejection.code(), message: rejection.message() })).into_response()
}

async fn create_room(State(state): State<Arc<AppState>>, Json(request): Json<CreateRoom>) -> Response {
    let chosen: Option<Vec<&StatementDeck>> =
        request.statement_decks.iter().map(|id| state.library.statement_deck(id)).collect();
    let statements = chosen.and_then(|decks| StatementDeck::combine(&decks));
    let (Some(statements), Some(roles)) = (statements, state.library.role_deck(&request.role_deck)) else {
        return refuse(StatusCode::BAD_REQUEST, &Rejection::UnknownDeck);
    };
    if let Err(rejection) = request.settings.validate() {
        return refuse(StatusCode::BAD_REQUEST, &rejection);
    }
    let mut setup = Setup::new(request.settings, statements, roles.clone());
    setup.seat_hold_ms = u64::try_from(state.seat_hold.as_millis()).unwrap_or(u64::MAX);
    match state.rooms.create(setup).await {
        Ok(created) => {
            let body = RoomCreated { code: created.code.to_string(), trainer_token: created.trainer_token.to_hex() };
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(rejection) => refuse(StatusCode::SERVICE_UNAVAILABLE, &rejection),
    }
}

/// Serves the built client. Paths without a file extension are the client's own routes
/// (`/play/ABC234`) and get `index.html`.
async fn client_file(State(state): State<Arc<AppState>>, uri: axum::http::Uri) -> Response {
    let Some(dir) = &state.client_dir else {
        return Html(NO_CLIENT).into_response();
    };
    let requested = uri.path().trim_start_matches('/');
    let relative = Path::new(requested);
    if !relative.components().all(|part| matches!(part, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let file = match relative.extension() {
        Some(_) => dir.join(relative),
        None => dir.join("index.html"),
    };
    let content_type = match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, content_type)], bytes).into_response(),
        Err(_) if file.ends_with("index.html") => Html(NO_CLIENT).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

const NO_CLIENT: &str = "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Standpunt</title>\
<p>De server draait, maar de browser-app is niet gebouwd. Start Standpunt met <code>cargo xtask run</code>.</p>\
<p lang=\"en\">The server is running, but the browser app was not built. Start Standpunt with <code>cargo xtask run</code>.</p></html>";
