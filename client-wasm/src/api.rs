//! The HTTP calls the client makes; what they send and answer are `cards::api`'s types, which
//! the server writes.

use cards::Text;
use cards::api::ApiError;
pub use cards::api::{DeckAccepted, DeckList, DeckRefused, DeckSummary, JoinAddresses, RoomCreated, RoomStatus};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use crate::i18n::t;

/// Asks whether room `code` exists and is open; a wrong code is refused with the server's
/// message.
pub async fn room_status(code: &str) -> Result<RoomStatus, Text> {
    let (status, body) = fetch("GET", &format!("/api/rooms/{code}"), None).await?;
    parse(status, &body)
}

/// The addresses the server offers for the join link.
pub async fn join_addresses() -> Result<JoinAddresses, Text> {
    let (status, body) = fetch("GET", "/api/join-addresses", None).await?;
    parse(status, &body)
}

/// Sends a trainer's deck file for their room. The token goes in a header, never the URL.
pub async fn upload_deck(
    code: &str,
    token: &str,
    file_name: &str,
    content: String,
) -> Result<DeckAccepted, DeckRefused> {
    let headers = [("X-Trainer-Token", token), ("X-File-Name", file_name)];
    let path = format!("/api/rooms/{code}/decks");
    let refused = |message: Text| DeckRefused { code: "refused".to_owned(), message, errors: Vec::new(), more: 0 };
    let (status, body) = send("POST", &path, Some(content), &headers).await.map_err(refused)?;
    if status == 200 {
        return serde_json::from_str(&body).map_err(|_| refused(refused_status(status)));
    }
    Err(serde_json::from_str(&body).unwrap_or_else(|_| refused(refused_status(status))))
}

pub async fn decks() -> Result<DeckList, Text> {
    let (status, body) = fetch("GET", "/api/decks", None).await?;
    parse(status, &body)
}

/// Opens a session with these decks, or following draaiboek `draaiboek` (whose decks win).
pub async fn create_room(
    statement_deck: &str,
    role_deck: &str,
    draaiboek: Option<String>,
) -> Result<RoomCreated, Text> {
    let request = cards::api::CreateRoom {
        statement_decks: vec![statement_deck.to_owned()],
        role_deck: role_deck.to_owned(),
        settings: cards::Settings::default(),
        draaiboek,
    };
    let body = serde_json::to_string(&request).map_err(|_| unreachable_server())?;
    let (status, body) = fetch("POST", "/api/rooms", Some(body)).await?;
    parse(status, &body)
}

/// The answer on success; otherwise the server's own explanation, or the status it gave.
fn parse<T: serde::de::DeserializeOwned>(status: u16, body: &str) -> Result<T, Text> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| refused_status(status));
    }
    Err(serde_json::from_str::<ApiError>(body).map(|error| error.message).unwrap_or_else(|_| refused_status(status)))
}

/// The visitor's language only: these sentences come from the translation files.
fn local(text: String) -> Text {
    Text::new(text, "")
}

fn refused_status(status: u16) -> Text {
    local(t().server_refused.replace("{status}", &status.to_string()))
}

fn unreachable_server() -> Text {
    local(t().server_unreachable.to_owned())
}

async fn fetch(method: &str, path: &str, body: Option<String>) -> Result<(u16, String), Text> {
    send(method, path, body, &[]).await
}

async fn send(method: &str, path: &str, body: Option<String>, headers: &[(&str, &str)]) -> Result<(u16, String), Text> {
    read_text(request(method, path, body, headers).await?).await
}

async fn read_text(response: Response) -> Result<(u16, String), Text> {
    let text =
        JsFuture::from(response.text().map_err(|_| unreachable_server())?).await.map_err(|_| unreachable_server())?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

async fn request(method: &str, path: &str, body: Option<String>, headers: &[(&str, &str)]) -> Result<Response, Text> {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| unreachable_server())?;
    if body.is_some() && headers.is_empty() {
        let _ = request.headers().set("Content-Type", "application/json");
    }
    for (name, value) in headers {
        let _ = request.headers().set(name, value);
    }
    let window = web_sys::window().ok_or_else(unreachable_server)?;
    let response = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| unreachable_server())?;
    response.dyn_into().map_err(|_| unreachable_server())
}

fn names_query(names: cards::log::Names) -> &'static str {
    match names {
        cards::log::Names::Real => "real",
        cards::log::Names::Pseudonyms => "pseudonyms",
    }
}

/// A room's review, as its trainer sees it; the server computes it, with pseudonyms in the
/// visitor's language.
pub async fn room_review(code: &str, token: &str, names: cards::log::Names) -> Result<cards::analysis::Review, Text> {
    let path = format!("/api/rooms/{code}/review?names={}&lang={}", names_query(names), lang_query());
    let (status, body) = send("GET", &path, None, &[("X-Trainer-Token", token)]).await?;
    parse(status, &body)
}

/// A trainer's note in the review: a regrouping of a term's definitions or the definition the
/// group agreed on.
pub async fn review_note(code: &str, token: &str, note: &serde_json::Value) -> Result<(), Text> {
    let headers = [("X-Trainer-Token", token), ("Content-Type", "application/json")];
    let (status, body) = send("POST", &format!("/api/rooms/{code}/notes"), Some(note.to_string()), &headers).await?;
    if status == 204 { Ok(()) } else { parse::<serde_json::Value>(status, &body).map(|_| ()) }
}

/// A room's log as an export file (`csv`, `json` or `html`), byte for byte as the server sent
/// it: decoding it as text would drop the CSV's byte order mark, which Excel needs.
pub async fn room_export(
    code: &str,
    token: &str,
    format: &str,
    names: cards::log::Names,
) -> Result<js_sys::ArrayBuffer, Text> {
    let path = format!("/api/rooms/{code}/export?format={format}&names={}&lang={}", names_query(names), lang_query());
    download_bytes(&path, token).await
}

/// The debrief pack (a zip file of the report, each step's file and the draaiboek).
pub async fn debrief_pack(code: &str, token: &str, names: cards::log::Names) -> Result<js_sys::ArrayBuffer, Text> {
    download_bytes(&format!("/api/rooms/{code}/pack?names={}&lang={}", names_query(names), lang_query()), token).await
}

/// A file the server makes for a trainer, byte for byte.
async fn download_bytes(path: &str, token: &str) -> Result<js_sys::ArrayBuffer, Text> {
    let response = request("GET", path, None, &[("X-Trainer-Token", token)]).await?;
    if response.status() == 200 {
        let bytes = JsFuture::from(response.array_buffer().map_err(|_| unreachable_server())?)
            .await
            .map_err(|_| unreachable_server())?;
        bytes.dyn_into().map_err(|_| unreachable_server())
    } else {
        let (status, body) = read_text(response).await?;
        Err(serde_json::from_str::<ApiError>(&body)
            .map(|error| error.message)
            .unwrap_or_else(|_| refused_status(status)))
    }
}

/// The visitor's language, for files the server writes in it.
fn lang_query() -> &'static str {
    match crate::i18n::lang() {
        cards::Lang::Nl => "nl",
        cards::Lang::En => "en",
    }
}

/// Offers `content` as a file download, made in the browser.
pub fn download(file_name: &str, mime: &str, content: &js_sys::ArrayBuffer) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let parts = js_sys::Array::of1(content);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_buffer_source_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(link) = document
        .create_element("a")
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().map_err(Into::into))
    {
        link.set_href(&url);
        link.set_download(file_name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Erases a room and its log for good.
pub async fn erase_room(code: &str, token: &str) -> Result<(), Text> {
    let (status, body) = send("DELETE", &format!("/api/rooms/{code}"), None, &[("X-Trainer-Token", token)]).await?;
    if status == 204 {
        Ok(())
    } else {
        Err(serde_json::from_str::<ApiError>(&body)
            .map(|error| error.message)
            .unwrap_or_else(|_| refused_status(status)))
    }
}
