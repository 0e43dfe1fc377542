//! The HTTP side of the one port: the browser client, the websocket upgrade, room creation,
//! the deck list and the health check.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Query, State, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cards::deck::Deck;
use cards::event::Setup;
use cards::{Library, RoomCode, Text};
use serde::{Deserialize, Serialize};

use crate::config::Limits;
use crate::connection;
use crate::rooms::Rooms;

pub struct AppState {
    pub rooms: Rooms,
    pub library: Library,
    pub client_dir: Option<PathBuf>,
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
    let limits = &state.limits;
    let queue = limits.outbound_queue;
    ws.max_message_size(limits.max_message_bytes)
        .max_frame_size(limits.max_message_bytes)
        .on_upgrade(move |socket| connection::serve(socket, room, queue))
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
    pub statement_deck: String,
    pub role_deck: String,
    pub hand_size: Option<u8>,
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

fn api_error(code: &'static str, message: Text) -> Response {
    (StatusCode::BAD_REQUEST, Json(ApiError { code, message })).into_response()
}

const MAX_HAND_SIZE: u8 = 7;

async fn create_room(State(state): State<Arc<AppState>>, Json(request): Json<CreateRoom>) -> Response {
    let Some(statements) = state.library.statement_deck(&request.statement_deck) else {
        return api_error(
            "unknown_deck",
            Text::new(
                format!("Er is geen stellingendeck '{}'.", request.statement_deck),
                format!("There is no statement deck '{}'.", request.statement_deck),
            ),
        );
    };
    let Some(roles) = state.library.role_deck(&request.role_deck) else {
        return api_error(
            "unknown_deck",
            Text::new(
                format!("Er is geen rollendeck '{}'.", request.role_deck),
                format!("There is no role deck '{}'.", request.role_deck),
            ),
        );
    };
    let hand_size = request.hand_size.unwrap_or(Setup::DEFAULT_HAND_SIZE);
    if !(1..=MAX_HAND_SIZE).contains(&hand_size) {
        return api_error(
            "bad_hand_size",
            Text::new(
                format!("Een hand heeft 1 tot {MAX_HAND_SIZE} kaarten."),
                format!("A hand holds 1 to {MAX_HAND_SIZE} cards."),
            ),
        );
    }
    let setup = Setup {
        hand_size,
        max_players: Setup::DEFAULT_MAX_PLAYERS,
        statements: statements.clone(),
        roles: roles.clone(),
    };
    match state.rooms.create(setup).await {
        Ok(created) => {
            let body = RoomCreated { code: created.code.to_string(), trainer_token: created.trainer_token.to_hex() };
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(rejection) => {
            let body = ApiError { code: rejection.code(), message: rejection.message() };
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
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
