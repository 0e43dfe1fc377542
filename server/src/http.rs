//! The HTTP side of the one port: the browser client, the websocket upgrade, room creation,
//! the deck list and the health check.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cards::analysis::Review;
use cards::api::{
    ApiError, CreateRoom, DeckAccepted, DeckList, DeckProblem, DeckRefused, DeckSummary, JoinAddresses, RoomCreated,
};
use cards::deck::{AnyDeck, StatementDeck, parse_deck_file};
use cards::event::Setup;
use cards::log::{LoggedEvent, Names, answers};
use cards::{Lang, Rejection, Room, RoomCode, Text};
use cards::{export, report};
use serde::Deserialize;

use crate::app_state::AppState;
use crate::client_files;
use crate::client_ip::ClientIp;
use crate::connection;
use crate::room_task::RoomMsg;
use crate::store::Record;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/ws", get(websocket))
        .route("/api/decks", get(decks))
        .route("/api/join-addresses", get(join_addresses))
        .route("/api/rooms", post(create_room))
        .route("/api/rooms/{code}", get(room_status).delete(erase_room))
        .route("/api/rooms/{code}/log", get(room_log))
        .route("/api/rooms/{code}/review", get(room_review))
        .route("/api/rooms/{code}/export", get(room_export))
        .route("/api/rooms/{code}/decks", post(upload_deck).layer(DefaultBodyLimit::max(MAX_DECK_BYTES)))
        .fallback(get(client_files::serve))
        .layer(axum::middleware::from_fn(crate::security_headers::add))
        .with_state(state)
}

#[derive(Deserialize)]
struct WsParams {
    room: Option<String>,
}

/// The room is named in the URL so a load balancer can route by it; an unknown code is
/// answered on the socket, with an `unknown_room` error for every `hello`. Before the upgrade:
/// a page from another origin gets 403, an address with too many connections 429.
async fn websocket(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Query(params): Query<WsParams>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(&headers, &state.allowed_origins) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(slot) = state.guard.connect(ip) else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let room = match params.room.as_deref().and_then(RoomCode::parse) {
        Some(code) => state.rooms.find(&code).await,
        None => None,
    };
    let limits = state.limits.clone();
    let guard = state.guard.clone();
    let (live, stopping) = state.drain.enter();
    // The protocol's limit is checked on each message, so a client that sends too much gets a
    // clean 1009; the socket's own limit, four times higher, only bounds memory.
    ws.max_message_size(limits.max_message_bytes * 4)
        .max_frame_size(limits.max_message_bytes * 4)
        .read_buffer_size(limits.read_buffer_bytes)
        .write_buffer_size(limits.write_buffer_bytes)
        .max_write_buffer_size(limits.max_write_buffer_bytes)
        .on_upgrade(move |socket| async move {
            let peer = connection::Peer { ip, guard, _slot: slot, _live: live, stopping };
            connection::serve(socket, room, limits, peer).await;
        })
}

/// Browsers always say which page opens a websocket. It must be this server's own (its host
/// as the browser addressed it) or one the operator allowed. Clients that are not browsers send
/// no origin, and cannot be made to act for a visitor of another site.
fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let own = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host);
    own || allowed.iter().any(|allowed| allowed.trim_end_matches('/') == origin)
}

/// The addresses the console may put in the join link and QR code.
async fn join_addresses(State(state): State<Arc<AppState>>) -> Json<JoinAddresses> {
    Json(state.join_addresses.clone())
}

async fn decks(State(state): State<Arc<AppState>>) -> Json<DeckList> {
    let library = &state.library;
    Json(DeckList {
        statements: library.statements.iter().map(DeckSummary::of).collect(),
        roles: library.roles.iter().map(DeckSummary::of).collect(),
    })
}

fn refuse(status: StatusCode, rejection: &Rejection) -> Response {
    (status, Json(ApiError::from(rejection))).into_response()
}

/// Opens a room. One address may open a few at once, then one every few minutes; a store that
/// holds `--max-store-mb` takes no new rooms (running ones go on).
async fn create_room(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Json(request): Json<CreateRoom>,
) -> Response {
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
    setup.max_players = state.limits.max_players_per_room;
    setup.seat_hold_ms = u64::try_from(state.seat_hold.as_millis()).unwrap_or(u64::MAX);
    setup.reveal_grace_ms = u64::try_from(state.reveal_grace.as_millis()).unwrap_or(u64::MAX);
    if let Err(wait) = state.guard.create_room(ip) {
        let wait_seconds = wait.as_secs().max(1);
        let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, &Rejection::TooManyRooms { wait_seconds });
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(wait_seconds));
        return response;
    }
    if let Some(max) = state.limits.max_store_bytes {
        match state.rooms.store().size_bytes().await {
            Ok(size) if size < max => {}
            Ok(_) => return refuse(StatusCode::INSUFFICIENT_STORAGE, &Rejection::StoreFull),
            Err(_) => return refuse(StatusCode::SERVICE_UNAVAILABLE, &Rejection::StoreUnavailable),
        }
    }
    match state.rooms.create(setup).await {
        Ok(created) => {
            let body = RoomCreated { code: created.code.to_string(), trainer_token: created.trainer_token.to_hex() };
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(rejection) => refuse(StatusCode::SERVICE_UNAVAILABLE, &rejection),
    }
}

/// Whether a room exists and still takes participants, so the join page can say so beside the
/// code field instead of opening a room that is not there. Wrong codes count toward the
/// address's lockout, as on the websocket.
async fn room_status(State(state): State<Arc<AppState>>, ClientIp(ip): ClientIp, Path(code): Path<String>) -> Response {
    if state.guard.is_blocked(ip) {
        return refuse(StatusCode::TOO_MANY_REQUESTS, &Rejection::TooManyAttempts);
    }
    let room = match RoomCode::parse(&code) {
        Some(code) => state.rooms.find(&code).await,
        None => None,
    };
    let Some(room) = room else {
        state.guard.failed(ip);
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    };
    let (done, status) = tokio::sync::oneshot::channel();
    if room.send(RoomMsg::Status { done }).await.is_err() {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    }
    match status.await {
        Ok(status) => Json(status).into_response(),
        Err(_) => refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
    }
}

/// The largest deck file a trainer can upload.
const MAX_DECK_BYTES: usize = 256 * 1024;

/// A trainer's own deck (TOML, or CSV of statements) for their room, in the lobby. The trainer
/// token comes in a header, never in the URL. A file with any problem changes nothing and is
/// answered with every problem in it.
async fn upload_deck(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if state.guard.is_blocked(ip) {
        return refuse(StatusCode::TOO_MANY_REQUESTS, &Rejection::TooManyAttempts);
    }
    let (token, file) = (header(&headers, TRAINER_TOKEN), header(&headers, "x-file-name"));
    let file = if file.is_empty() { "deck.toml".to_owned() } else { file };
    let room = match RoomCode::parse(&code) {
        Some(code) => state.rooms.find(&code).await,
        None => None,
    };
    let Some(room) = room else {
        state.guard.failed(ip);
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
                    code: error.problem.code().to_owned(),
                    message: error.problem.message(),
                })
                .collect();
            let message =
                Text::new("Het deck bevat fouten; er is niets veranderd.", "The deck has errors; nothing changed.");
            return (StatusCode::BAD_REQUEST, Json(DeckRefused { code: "invalid_deck".to_owned(), message, errors }))
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
        Ok(Err(rejection @ Rejection::BadToken)) => {
            state.guard.failed(ip);
            refuse(StatusCode::FORBIDDEN, &rejection)
        }
        Ok(Err(rejection @ Rejection::WrongPhase)) => refuse(StatusCode::CONFLICT, &rejection),
        Ok(Err(rejection)) => refuse(StatusCode::SERVICE_UNAVAILABLE, &rejection),
        Err(_) => refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
    }
}

/// Erases a room at once: its task stops, every connection closes, and its log is deleted
/// (SQLite's `secure_delete` overwrites it). Only a trainer of the room may.
async fn erase_room(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let code = match authorise(&state, ip, &code, &headers).await {
        Ok((code, _)) => code,
        Err(response) => return response,
    };
    match state.rooms.erase(&code).await {
        Ok(_) => {
            tracing::info!(room = %code, "room erased");
            StatusCode::NO_CONTENT.into_response()
        }
        Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, &Rejection::StoreUnavailable),
    }
}

/// Checks the trainer token in the request's header: the room answers if it is in memory,
/// else its log is read through the store. An address that keeps naming unknown rooms or wrong
/// tokens is told to wait. Returns the log when it had to read it.
async fn authorise(
    state: &AppState,
    ip: IpAddr,
    code: &str,
    headers: &HeaderMap,
) -> Result<(RoomCode, Option<Vec<Record>>), Response> {
    let token = header(headers, TRAINER_TOKEN);
    if state.guard.is_blocked(ip) {
        return Err(refuse(StatusCode::TOO_MANY_REQUESTS, &Rejection::TooManyAttempts));
    }
    let Some(code) = RoomCode::parse(code) else {
        state.guard.failed(ip);
        return Err(refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom));
    };
    let asked = match state.rooms.get(&code) {
        Some(room) => {
            let (done, answer) = tokio::sync::oneshot::channel();
            match room.send(RoomMsg::IsTrainer { token: token.clone(), done }).await {
                Ok(()) => answer.await.ok(),
                Err(_) => None,
            }
        }
        None => None,
    };
    let (is_trainer, records) = match asked {
        Some(is_trainer) => (is_trainer, None),
        None => {
            let records = read_log(state, &code).await?;
            if records.is_empty() {
                state.guard.failed(ip);
                return Err(refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom));
            }
            let room = Room::replay(records.iter().map(|record| &record.event));
            (room.is_some_and(|room| room.trainer_with_token(&token).is_some()), Some(records))
        }
    };
    if !is_trainer {
        state.guard.failed(ip);
        return Err(refuse(StatusCode::FORBIDDEN, &Rejection::BadToken));
    }
    Ok((code, records))
}

/// A room's log through the store; empty if there is no such room.
async fn read_log(state: &AppState, code: &RoomCode) -> Result<Vec<Record>, Response> {
    state.rooms.log(code).await.map_err(|_| refuse(StatusCode::SERVICE_UNAVAILABLE, &Rejection::StoreUnavailable))
}

/// The log of a room whose trainer asks for it.
async fn trainer_log(
    state: &AppState,
    ip: IpAddr,
    code: &str,
    headers: &HeaderMap,
) -> Result<(RoomCode, Vec<Record>), Response> {
    let (code, records) = authorise(state, ip, code, headers).await?;
    let records = match records {
        Some(records) => records,
        None => read_log(state, &code).await?,
    };
    Ok((code, records))
}

/// A room's whole log, for its trainers' review and exports: read from the store, so it works
/// for ended rooms and after a restart. The trainer token comes in a header.
async fn room_log(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    match trainer_log(&state, ip, &code, &headers).await {
        Ok((_, records)) => Json(logged(records)).into_response(),
        Err(response) => response,
    }
}

/// What a review or an export should show of people: their names, or "Deelnemer n" (the
/// default); its language (`nl`, the default, or `en`); and for an export its format.
#[derive(Deserialize)]
struct ReviewQuery {
    names: Option<String>,
    format: Option<String>,
    lang: Option<String>,
}

impl ReviewQuery {
    fn names(&self) -> Names {
        if self.names.as_deref() == Some("real") { Names::Real } else { Names::Pseudonyms }
    }

    fn lang(&self) -> Lang {
        if self.lang.as_deref() == Some("en") { Lang::En } else { Lang::Nl }
    }
}

/// The trainer's review of a room, computed here with `cards::analysis` so the browser needs
/// no text analysis of its own.
async fn room_review(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Query(query): Query<ReviewQuery>,
    headers: HeaderMap,
) -> Response {
    match trainer_log(&state, ip, &code, &headers).await {
        Ok((_, records)) => Json(Review::of(&logged(records), query.names(), query.lang())).into_response(),
        Err(response) => response,
    }
}

/// A room's log as a file: CSV (one row per answer, for Excel with Dutch settings), JSON (the
/// whole log) or HTML (the debrief report).
async fn room_export(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Query(query): Query<ReviewQuery>,
    headers: HeaderMap,
) -> Response {
    let (code, records) = match trainer_log(&state, ip, &code, &headers).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (log, names, lang) = (logged(records), query.names(), query.lang());
    let (body, mime, extension) = match query.format.as_deref() {
        Some("json") => (export::json(&log, names, lang), "application/json", "json"),
        Some("html") => (report::html(&Review::of(&log, names, lang), lang), "text/html; charset=utf-8", "html"),
        _ => (export::csv(&answers(&log, names, lang), lang), "text/csv; charset=utf-8", "csv"),
    };
    let disposition = format!("attachment; filename=\"standpunt-{code}.{extension}\"");
    ([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body).into_response()
}

fn logged(records: Vec<crate::store::Record>) -> Vec<LoggedEvent> {
    records.into_iter().map(|record| LoggedEvent { seq: record.seq, at: record.at, event: record.event }).collect()
}

/// The header a trainer's token travels in (never the URL).
const TRAINER_TOKEN: &str = "x-trainer-token";

/// A request header as text; empty when it is missing or not text.
fn header(headers: &HeaderMap, name: &str) -> String {
    headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
}
