//! The HTTP side of the one port: the browser client, the websocket upgrade, room creation,
//! the deck list and the health check.

use std::path::{Component, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cards::deck::{AnyDeck, Deck, StatementDeck, parse_deck_file};
use cards::event::Setup;
use cards::log::LoggedEvent;
use cards::{Library, Rejection, Room, RoomCode, Settings, Text};
use serde::{Deserialize, Serialize};

use crate::config::Limits;
use crate::connection;
use crate::room_task::RoomMsg;
use crate::rooms::Rooms;
use crate::store::Sqlite;

pub struct AppState {
    pub rooms: Rooms,
    pub library: Arc<Library>,
    pub client_dir: Option<PathBuf>,
    pub data_dir: PathBuf,
    pub seat_hold: Duration,
    pub limits: Limits,
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/ws", get(websocket))
        .route("/api/decks", get(decks))
        .route("/api/rooms", post(create_room))
        .route("/api/rooms/{code}/log", get(room_log))
        .route("/api/rooms/{code}/decks", post(upload_deck).layer(DefaultBodyLimit::max(MAX_DECK_BYTES)))
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

/// The largest deck file a trainer can upload.
const MAX_DECK_BYTES: usize = 256 * 1024;

#[derive(Serialize)]
struct InvalidDeck {
    code: &'static str,
    message: Text,
    errors: Vec<DeckProblem>,
}

/// One problem in an uploaded deck, for the trainer to fix.
#[derive(Serialize)]
struct DeckProblem {
    line: usize,
    field: String,
    code: &'static str,
    message: Text,
}

#[derive(Serialize)]
struct DeckAccepted {
    id: String,
    title: Text,
    cards: usize,
}

/// A trainer's own deck (TOML, or CSV of statements) for their room, in the lobby. The trainer
/// token comes in a header, never in the URL. A file with any problem changes nothing and is
/// answered with every problem in it.
async fn upload_deck(
    State(state): State<Arc<AppState>>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned();
    let (token, file) = (header("x-trainer-token"), header("x-file-name"));
    let file = if file.is_empty() { "deck.toml".to_owned() } else { file };
    let Some(room) = RoomCode::parse(&code).and_then(|code| state.rooms.get(&code)) else {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    };
    let deck = match parse_deck_file(&file, &body) {
        Ok(deck) => deck,
        Err(errors) => {
            let errors = errors
                .0
                .into_iter()
                .map(|error| DeckProblem {
                    line: error.line,
                    field: error.field,
                    code: error.problem.code(),
                    message: error.problem.message(),
                })
                .collect();
            let message =
                Text::new("Het deck bevat fouten; er is niets veranderd.", "The deck has errors; nothing changed.");
            return (StatusCode::BAD_REQUEST, Json(InvalidDeck { code: "invalid_deck", message, errors }))
                .into_response();
        }
    };
    let accepted = match &deck {
        AnyDeck::Statements(deck) => {
            DeckAccepted { id: deck.id.clone(), title: deck.title.clone(), cards: deck.cards.len() }
        }
        AnyDeck::Roles(deck) => {
            DeckAccepted { id: deck.id.clone(), title: deck.title.clone(), cards: deck.cards.len() }
        }
    };
    let (done, result) = tokio::sync::oneshot::channel();
    if room.send(RoomMsg::Upload { token, deck, done }).await.is_err() {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    }
    match result.await {
        Ok(Ok(())) => Json(accepted).into_response(),
        Ok(Err(rejection @ Rejection::BadToken)) => refuse(StatusCode::FORBIDDEN, &rejection),
        Ok(Err(rejection @ Rejection::WrongPhase)) => refuse(StatusCode::CONFLICT, &rejection),
        Ok(Err(rejection)) => refuse(StatusCode::SERVICE_UNAVAILABLE, &rejection),
        Err(_) => refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
    }
}

/// A room's whole log, for its trainers' review and exports: read from the store, so it works
/// for ended rooms and after a restart. The trainer token comes in a header.
async fn room_log(State(state): State<Arc<AppState>>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let token = headers.get("x-trainer-token").and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned();
    let Some(code) = RoomCode::parse(&code) else {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    };
    let data_dir = state.data_dir.clone();
    let read = tokio::task::spawn_blocking(move || Sqlite::open_existing(&data_dir)?.records(&code)).await;
    let records = match read {
        Ok(Ok(records)) if !records.is_empty() => records,
        Ok(Ok(_)) => return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
        _ => return refuse(StatusCode::SERVICE_UNAVAILABLE, &Rejection::StoreUnavailable),
    };
    let room = Room::replay(records.iter().map(|record| &record.event));
    if room.and_then(|room| room.trainer_with_token(&token)).is_none() {
        return refuse(StatusCode::FORBIDDEN, &Rejection::BadToken);
    }
    let log: Vec<LoggedEvent> =
        records.into_iter().map(|record| LoggedEvent { seq: record.seq, at: record.at, event: record.event }).collect();
    Json(log).into_response()
}

/// Serves the built client. Paths without a file extension are the client's own routes
/// (`/play/ABC234`) and get `index.html`.
async fn client_file(State(state): State<Arc<AppState>>, uri: axum::http::Uri) -> Response {
    let Some(dir) = &state.client_dir else {
        return Html(NO_CLIENT).into_response();
    };
    let requested = uri.path().trim_start_matches('/');
    let relative = std::path::Path::new(requested);
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
