//! The built browser client, served from its folder. A path without a file extension is one of
//! the client's screens (`/play/KX7-4QD`) and gets `index.html`. A file with a gzip twin
//! (`NAME.gz`, written by `cargo xtask`) goes out compressed to every browser that accepts it.
//! Every answer carries a validator, so a browser that has the file already gets `304` instead
//! of the wasm again. Nothing outside the folder is ever served, not even through a symlink.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use crate::app_state::AppState;

pub async fn serve(State(state): State<Arc<AppState>>, uri: Uri, request: HeaderMap) -> Response {
    let Some(dir) = &state.client_dir else {
        return Html(NO_CLIENT).into_response();
    };
    let requested = Path::new(uri.path().trim_start_matches('/'));
    if !requested.components().all(|part| matches!(part, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let file = match requested.extension() {
        Some(_) => dir.join(requested),
        None => dir.join("index.html"),
    };
    let accepts_gzip = request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(accepts_gzip);
    let zipped = file.with_file_name(format!("{}.gz", file.file_name().unwrap_or_default().to_string_lossy()));
    let twin = match accepts_gzip {
        true => inside(dir, &zipped).await.map(|(path, metadata)| (path, true, metadata)),
        false => None,
    };
    let found = match twin {
        Some(found) => Some(found),
        None => inside(dir, &file).await.map(|(path, metadata)| (path, false, metadata)),
    };
    let Some((path, gzip, metadata)) = found else {
        return if file.ends_with("index.html") {
            Html(NO_CLIENT).into_response()
        } else {
            StatusCode::NOT_FOUND.into_response()
        };
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
    // Always ask before using a cached copy: the names carry no version.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    let tag = entity_tag(&metadata, gzip);
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    let cached = request.get(header::IF_NONE_MATCH).and_then(|value| value.to_str().ok());
    // A cache on the way may weaken the tag (`W/"…"`); for a page load that is the same file.
    if cached.is_some_and(|cached| cached.split(',').any(|candidate| candidate.trim().trim_start_matches("W/") == tag))
    {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    match tokio::fs::read(path).await {
        Ok(bytes) => (headers, bytes).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The file's real path and metadata, if it is a file inside the client folder. The request's
/// path can only name files below the folder, but a symlink in it could lead anywhere (`/etc`,
/// the event store): whatever a link resolves to outside the folder counts as missing.
async fn inside(dir: &Path, file: &Path) -> Option<(PathBuf, std::fs::Metadata)> {
    let real = tokio::fs::canonicalize(file).await.ok()?;
    let root = tokio::fs::canonicalize(dir).await.ok()?;
    if !real.starts_with(&root) {
        return None;
    }
    let metadata = tokio::fs::metadata(&real).await.ok()?;
    metadata.is_file().then_some((real, metadata))
}

/// One entry of `Accept-Encoding` (`gzip`, `GZIP;q=0.8`) names gzip and does not refuse it
/// with `q=0`.
fn accepts_gzip(coding: &str) -> bool {
    let mut parts = coding.split(';');
    let named = parts.next().is_some_and(|name| name.trim().eq_ignore_ascii_case("gzip"));
    let refused = parts.any(|parameter| {
        let parameter = parameter.trim();
        parameter.get(..2).is_some_and(|key| key.eq_ignore_ascii_case("q="))
            && parameter[2..].parse::<f32>().is_ok_and(|q| q == 0.0)
    });
    named && !refused
}

/// Changes whenever the file is rebuilt; the gzip twin has a tag of its own.
fn entity_tag(metadata: &std::fs::Metadata, gzip: bool) -> String {
    let modified = metadata.modified().ok().and_then(|time| time.duration_since(UNIX_EPOCH).ok()).unwrap_or_default();
    let encoding = if gzip { "-gz" } else { "" };
    format!("\"{:x}-{:x}{encoding}\"", metadata.len(), modified.as_nanos())
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

const NO_CLIENT: &str = "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Standpunt</title>\
<p>De server draait, maar de browser-app is niet gebouwd. Start Standpunt met <code>cargo xtask run</code>.</p>\
<p lang=\"en\">The server is running, but the browser app was not built. Start Standpunt with <code>cargo xtask run</code>.</p></html>";
