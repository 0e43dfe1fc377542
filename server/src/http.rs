//! The HTTP side of the one port: the browser client, the websocket upgrade, room creation,
//! the deck list and the health check.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cards::analysis::Review;
use cards::api::{
    AgendaSummary, ApiError, CreateRoom, DeckAccepted, DeckList, DeckProblem, DeckRefused, DeckSummary, JoinAddresses,
    RoomCreated,
};
use cards::deck::{DeckErrors, parse_deck_file};
use cards::event::Setup;
use cards::log::{LoggedEvent, Names, answers};
use cards::notes::ReviewNote;
use cards::session::agenda::{is_agenda_file, parse_agenda};
use cards::session::plan::Loaded;
use cards::{Lang, Rejection, Room, RoomCode, Text};
use cards::{export, report};
use futures_util::SinkExt;
use serde::Deserialize;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::app_state::AppState;
use crate::client_files;
use crate::client_ip::ClientIp;
use crate::connection;
use crate::deck_choice;
use crate::room_task::RoomMsg;
use crate::rooms::Found;
use crate::store::Record;

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/handleiding", get(crate::guide::dutch))
        .route("/guide", get(crate::guide::english))
        .route("/ws", get(websocket))
        .route("/api/decks", get(decks))
        .route("/api/join-addresses", get(join_addresses))
        .route("/api/rooms", post(create_room).layer(DefaultBodyLimit::max(MAX_CREATE_BYTES)))
        .route("/api/rooms/{code}", get(room_status).delete(erase_room))
        .route("/api/rooms/{code}/log", get(room_log))
        .route("/api/rooms/{code}/review", get(room_review))
        .route("/api/rooms/{code}/export", get(room_export))
        .route("/api/rooms/{code}/decks", post(upload_deck))
        .route("/api/rooms/{code}/notes", post(review_note).layer(DefaultBodyLimit::max(MAX_NOTE_BYTES)))
        .route("/api/rooms/{code}/pack", get(debrief_pack))
        .fallback(get(client_files::serve))
        .layer(axum::middleware::from_fn_with_state(state.limits.request_timeout, within_time))
        .layer(axum::middleware::from_fn(crate::security_headers::add))
        .with_state(state)
}

/// A request whose body has not arrived (and been answered) in time is cut off with 408, so a
/// client that sends headers and then a trickle cannot hold the connection and its memory.
async fn within_time(
    State(limit): State<std::time::Duration>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
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
    ws: crate::websocket::Upgrade,
) -> Response {
    if !origin_allowed(&headers, state.public_url.as_deref(), &state.allowed_origins) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let Some(slot) = state.guard.connect(ip) else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let room = match params.room.as_deref().and_then(RoomCode::parse) {
        Some(code) => match state.rooms.locate(&code).await {
            Found::Here(room) => Some(room),
            // Another node runs it (the balancer is moving rooms between nodes): close with
            // "try again later", and the client comes back with back-off as after a restart.
            Found::Elsewhere => {
                return ws.on_upgrade(WebSocketConfig::default(), |mut socket| async move {
                    let reason = Utf8Bytes::from_static("room runs on another node; try again");
                    let frame = CloseFrame { code: CloseCode::Again, reason };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                });
            }
            Found::Missing => None,
        },
        None => None,
    };
    let limits = state.limits.clone();
    let guard = state.guard.clone();
    let (live, stopping) = state.drain.enter();
    // The protocol's limit is checked on each message, so a client that sends too much gets a
    // clean 1009; the socket's own limit, four times higher, only bounds memory.
    let config = WebSocketConfig::default()
        .max_message_size(Some(limits.max_message_bytes * 4))
        .max_frame_size(Some(limits.max_message_bytes * 4))
        .read_buffer_size(limits.read_buffer_bytes)
        .write_buffer_size(limits.write_buffer_bytes)
        .max_write_buffer_size(limits.max_write_buffer_bytes);
    ws.on_upgrade(config, move |socket| async move {
        let peer = connection::Peer { ip, guard, _slot: slot, _live: live, stopping };
        connection::serve(socket, room, limits, peer).await;
    })
}

/// Browsers always say which page opens a websocket. It must be this server's own or one the
/// operator allowed. With `--public-url` the server's own is that address, whatever the `Host`
/// header claims; without it, the host the browser addressed. Clients that are not browsers
/// send no origin, and cannot be made to act for a visitor of another site.
fn origin_allowed(headers: &HeaderMap, public_url: Option<&str>, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()) else {
        return true;
    };
    let own = match public_url {
        Some(public) => public.trim_end_matches('/') == origin,
        None => {
            let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
            origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
        }
    };
    own || allowed.iter().any(|allowed| allowed.trim_end_matches('/') == origin)
}

/// The addresses the console may put in the join link and QR code.
async fn join_addresses(State(state): State<Arc<AppState>>) -> Json<JoinAddresses> {
    Json(state.join_addresses.clone())
}

async fn decks(State(state): State<Arc<AppState>>) -> Json<DeckList> {
    let library = &state.library;
    Json(DeckList {
        statements: library.statements.iter().map(|deck| DeckSummary::of(deck)).collect(),
        roles: library.roles.iter().map(|deck| DeckSummary::of(deck)).collect(),
        questions: library.questions.iter().map(|deck| DeckSummary::of(deck)).collect(),
        cases: library.cases.iter().map(|deck| DeckSummary::of(deck)).collect(),
        draaiboeken: library
            .agendas
            .iter()
            .map(|draaiboek| AgendaSummary {
                id: draaiboek.id.clone(),
                title: draaiboek.title.clone(),
                minutes: draaiboek.minutes(),
                steps: draaiboek.steps.iter().map(|step| step.form.kind()).collect(),
            })
            .collect(),
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
    Json(mut request): Json<CreateRoom>,
) -> Response {
    let mut agenda = None;
    if let Some(id) = &request.draaiboek {
        let Some(draaiboek) = state.library.agenda(id) else {
            return refuse(StatusCode::BAD_REQUEST, &Rejection::UnknownDeck);
        };
        let loaded = match Loaded::of(draaiboek, &state.library) {
            Ok(loaded) => loaded,
            Err(rejection) => return refuse(StatusCode::BAD_REQUEST, &rejection),
        };
        if !loaded.statement_decks.is_empty() {
            request.statement_decks = loaded.statement_decks;
        }
        if let Some(settings) = loaded.settings {
            request.settings = settings;
        }
        if let Some(roles) = loaded.roles {
            request.role_deck = roles;
        }
        agenda = Some(loaded.plan);
    }
    let statements = match deck_choice::statements(&state.library, &request.statement_decks) {
        Ok(statements) => statements,
        Err(rejection) => return refuse(StatusCode::BAD_REQUEST, &rejection),
    };
    let Some(roles) = state.library.role_deck(&request.role_deck) else {
        return refuse(StatusCode::BAD_REQUEST, &Rejection::UnknownDeck);
    };
    if let Err(rejection) = request.settings.validate() {
        return refuse(StatusCode::BAD_REQUEST, &rejection);
    }
    let mut setup = Setup::new(request.settings, statements, roles.clone());
    setup.max_players = state.limits.max_players_per_room;
    setup.seat_hold_ms = u64::try_from(state.seat_hold.as_millis()).unwrap_or(u64::MAX);
    setup.reveal_grace_ms = u64::try_from(state.reveal_grace.as_millis()).unwrap_or(u64::MAX);
    setup.agenda = agenda;
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
    let room = match RoomCode::parse(&code) {
        Some(code) => state.rooms.locate(&code).await,
        None => Found::Missing,
    };
    let room = match room {
        Found::Here(room) => room,
        Found::Elsewhere => return elsewhere(),
        Found::Missing => return failure(&state, ip, StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
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

/// What a real "new session" request needs: a few deck ids and the settings.
const MAX_CREATE_BYTES: usize = 8 * 1024;

/// The largest deck file a trainer can upload.
const MAX_DECK_BYTES: usize = 256 * 1024;

/// A trainer's own deck (TOML, or CSV of statements) for their room, in the lobby. The trainer
/// token comes in a header, never in the URL, and is checked before the file is read: a
/// stranger's file costs nothing. A file with any problem changes nothing and is answered with
/// its first problems and how many more there are.
async fn upload_deck(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let (token, file) = (header(&headers, TRAINER_TOKEN), header(&headers, "x-file-name"));
    let file = if file.is_empty() { "deck.toml".to_owned() } else { file };
    let (code, _) = match authorise(&state, ip, &code, &headers).await {
        Ok(authorised) => authorised,
        Err(response) => return response,
    };
    if let Err(wait) = state.guard.upload_deck(ip) {
        let wait_seconds = wait.as_secs().max(1);
        let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, &Rejection::TooManyRooms { wait_seconds });
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(wait_seconds));
        return response;
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_DECK_BYTES).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, &Rejection::DeckTooLarge { max_kib: MAX_DECK_BYTES / 1024 });
    };
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return refuse(StatusCode::BAD_REQUEST, &Rejection::DeckNotText);
    };
    if is_agenda_file(&text) {
        return upload_agenda(&state, ip, &code, token, &file, &text).await;
    }
    let deck = match parse_deck_file(&file, &text) {
        Ok(deck) => deck,
        Err(errors) => {
            let message =
                Text::new("Het deck bevat fouten; er is niets veranderd.", "The deck has errors; nothing changed.");
            return file_refused(message, errors);
        }
    };
    let (title, cards) = deck.summary();
    let accepted = DeckAccepted { id: deck.id().to_owned(), title: title.clone(), cards, draaiboek: false };
    let room = match room_here(&state, &code).await {
        Ok(room) => room,
        Err(response) => return response,
    };
    let (done, result) = tokio::sync::oneshot::channel();
    if room.send(RoomMsg::Upload { token, deck, done }).await.is_err() {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    }
    upload_answer(&state, ip, result.await.map(|result| result.map(|()| accepted)))
}

/// A draaiboek file a trainer uploads: read against the server's decks, every problem named by
/// line and field as for a deck, and followed from now on when it has none.
async fn upload_agenda(
    state: &AppState,
    ip: IpAddr,
    code: &RoomCode,
    token: String,
    file: &str,
    text: &str,
) -> Response {
    let agenda = match parse_agenda(file, text, &state.library) {
        Ok(agenda) => agenda,
        Err(errors) => {
            let message = Text::new(
                "Het draaiboek bevat fouten; er is niets veranderd.",
                "The draaiboek has errors; nothing changed.",
            );
            return file_refused(message, errors);
        }
    };
    let accepted =
        DeckAccepted { id: agenda.id.clone(), title: agenda.title.clone(), cards: agenda.steps.len(), draaiboek: true };
    let room = match room_here(state, code).await {
        Ok(room) => room,
        Err(response) => return response,
    };
    let (done, result) = tokio::sync::oneshot::channel();
    if room.send(RoomMsg::UploadAgenda { token, agenda: Box::new(agenda), done }).await.is_err() {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    }
    upload_answer(state, ip, result.await.map(|result| result.map(|()| accepted)))
}

/// A deck or draaiboek file with problems: the first of them, each by line and field, and how
/// many more there are.
fn file_refused(message: Text, errors: DeckErrors) -> Response {
    let more = errors.0.len().saturating_sub(MAX_DECK_PROBLEMS);
    let errors = errors
        .0
        .into_iter()
        .take(MAX_DECK_PROBLEMS)
        .map(|error| DeckProblem {
            line: error.line,
            field: error.field,
            code: error.problem.code().to_owned(),
            message: error.problem.message(),
        })
        .collect();
    let refused = DeckRefused { code: "invalid_deck".to_owned(), message, errors, more };
    (StatusCode::BAD_REQUEST, Json(refused)).into_response()
}

/// What the room said to an uploaded file, as the trainer's browser reads it.
fn upload_answer(
    state: &AppState,
    ip: IpAddr,
    result: Result<Result<DeckAccepted, Rejection>, tokio::sync::oneshot::error::RecvError>,
) -> Response {
    match result {
        Ok(Ok(accepted)) => Json(accepted).into_response(),
        Ok(Err(rejection @ Rejection::BadToken)) => {
            state.guard.failed(ip);
            refuse(StatusCode::FORBIDDEN, &rejection)
        }
        Ok(Err(rejection @ (Rejection::WrongPhase | Rejection::RoomEnded))) => refuse(StatusCode::CONFLICT, &rejection),
        Ok(Err(
            rejection @ (Rejection::QuestionsNotPlayed
            | Rejection::CasesNotPlayed
            | Rejection::BadAgenda(_)
            | Rejection::UnknownDeck),
        )) => refuse(StatusCode::BAD_REQUEST, &rejection),
        Ok(Err(rejection @ Rejection::StepStarted)) => refuse(StatusCode::CONFLICT, &rejection),
        Ok(Err(rejection @ Rejection::TooManyUploads { .. })) => refuse(StatusCode::TOO_MANY_REQUESTS, &rejection),
        Ok(Err(rejection)) => refuse(StatusCode::SERVICE_UNAVAILABLE, &rejection),
        Err(_) => refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
    }
}

/// The problems a refused deck is answered with; the rest are counted.
const MAX_DECK_PROBLEMS: usize = 50;

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
    let Some(code) = RoomCode::parse(code) else {
        return Err(failure(state, ip, StatusCode::NOT_FOUND, &Rejection::UnknownRoom));
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
                return Err(failure(state, ip, StatusCode::NOT_FOUND, &Rejection::UnknownRoom));
            }
            let room = Room::replay(records.iter().map(|record| &record.event));
            (room.is_some_and(|room| room.trainer_with_token(&token).is_some()), Some(records))
        }
    };
    if !is_trainer {
        return Err(failure(state, ip, StatusCode::FORBIDDEN, &Rejection::BadToken));
    }
    Ok((code, records))
}

/// A request that names an unknown room or a wrong token: it counts toward the address's
/// lockout, and an address locked out is told to wait instead. Only failures count, and only
/// failures are refused: a room that exists and a valid token always get through, so a school
/// is never locked out by somebody's typos behind the same address.
fn failure(state: &AppState, ip: IpAddr, status: StatusCode, rejection: &Rejection) -> Response {
    if state.guard.is_blocked(ip) {
        return refuse(StatusCode::TOO_MANY_REQUESTS, &Rejection::TooManyAttempts);
    }
    state.guard.failed(ip);
    refuse(status, rejection)
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
    /// For a work form's file: which step (the last of that form when left out).
    step: Option<u16>,
    /// For a spiegelgesprek's file: `typed` adds the speakers' typed answers (never by default).
    answers: Option<String>,
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
    let room = || Room::replay(log.iter().map(|logged| &logged.event));
    let csv = "text/csv; charset=utf-8";
    let (body, mime, name) = match query.format.as_deref() {
        Some("json") => (export::json(&log, names, lang), "application/json", format!("standpunt-{code}.json")),
        Some("html") => {
            let html = report::html(&Review::of(&log, names, lang), lang);
            (html, "text/html; charset=utf-8", format!("standpunt-{code}.html"))
        }
        Some("draaiboek") => {
            let Some(room) = room() else { return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom) };
            (export::agenda_toml(&room), "application/toml; charset=utf-8", format!("draaiboek-{code}.toml"))
        }
        Some("scale") => match room().and_then(|room| export::scale_step_csv(&room, query.step, names, lang)) {
            Some(body) => (body, csv, format!("standpunt-{code}-schaalvraag.csv")),
            None => return refuse(StatusCode::NOT_FOUND, &Rejection::NotThisStep),
        },
        Some("mirror") => {
            let typed = query.answers.as_deref() == Some("typed");
            match room().and_then(|room| export::mirror_step_csv(&room, query.step, typed, lang)) {
                Some(body) => (body, csv, format!("standpunt-{code}-spiegelgesprek.csv")),
                None => return refuse(StatusCode::NOT_FOUND, &Rejection::NotThisStep),
            }
        }
        Some("table") => match room().and_then(|room| export::table_step_csv(&room, query.step, names, lang)) {
            Some(body) => (body, csv, format!("standpunt-{code}-keukentafel.csv")),
            None => return refuse(StatusCode::NOT_FOUND, &Rejection::NotThisStep),
        },
        Some("actions") => match room().and_then(|room| export::actions_step_csv(&room, query.step, lang)) {
            Some(body) => (body, csv, format!("standpunt-{code}-acties.csv")),
            None => return refuse(StatusCode::NOT_FOUND, &Rejection::NotThisStep),
        },
        _ => (export::csv(&answers(&log, names, lang), lang), csv, format!("standpunt-{code}.csv")),
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, mime.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body).into_response()
}

/// The debrief pack: the report, each step's file and the draaiboek in one zip file.
async fn debrief_pack(
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
    let log = logged(records);
    let modified = log.last().map_or(0, |last| last.at);
    let archive = cards::zip::stored(&cards::pack::files(&log, query.names(), query.lang()), modified);
    let name = match query.lang() {
        Lang::Nl => format!("nagesprek-{code}.zip"),
        Lang::En => format!("debrief-{code}.zip"),
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "application/zip".to_owned()), (header::CONTENT_DISPOSITION, disposition)], archive)
        .into_response()
}

/// A review note's body: a grouping of a few hundred definitions fits many times over.
const MAX_NOTE_BYTES: usize = 64 * 1024;

/// A trainer's note from the review: how a term's definitions belong together, or what the
/// group agreed the term means. It goes into the room's log (waking the room if it sleeps).
async fn review_note(
    State(state): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (code, _) = match authorise(&state, ip, &code, &headers).await {
        Ok(authorised) => authorised,
        Err(response) => return response,
    };
    let note: ReviewNote = match serde_json::from_slice(&body) {
        Ok(note) => note,
        Err(error) => return refuse(StatusCode::BAD_REQUEST, &Rejection::BadMessage(error.to_string())),
    };
    let room = match room_here(&state, &code).await {
        Ok(room) => room,
        Err(response) => return response,
    };
    let (done, result) = tokio::sync::oneshot::channel();
    let token = header(&headers, TRAINER_TOKEN);
    if room.send(RoomMsg::Note { token, note, done }).await.is_err() {
        return refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom);
    }
    match result.await {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(rejection @ Rejection::BadToken)) => {
            state.guard.failed(ip);
            refuse(StatusCode::FORBIDDEN, &rejection)
        }
        Ok(Err(rejection @ (Rejection::BadMessage(_) | Rejection::TextTooLong { .. }))) => {
            refuse(StatusCode::BAD_REQUEST, &rejection)
        }
        Ok(Err(rejection)) => refuse(StatusCode::SERVICE_UNAVAILABLE, &rejection),
        Err(_) => refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom),
    }
}

/// The room's task on this node, for a request that must reach it (an upload, a note): 404
/// for no such room, 503 with `Retry-After` while another node runs it.
async fn room_here(state: &AppState, code: &RoomCode) -> Result<crate::room_task::RoomHandle, Response> {
    match state.rooms.locate(code).await {
        Found::Here(room) => Ok(room),
        Found::Elsewhere => Err(elsewhere()),
        Found::Missing => Err(refuse(StatusCode::NOT_FOUND, &Rejection::UnknownRoom)),
    }
}

/// Another node runs the room: 503 with `Retry-After`, as the balancer moves it.
fn elsewhere() -> Response {
    let mut response = refuse(StatusCode::SERVICE_UNAVAILABLE, &Rejection::StoreUnavailable);
    response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(1));
    response
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
