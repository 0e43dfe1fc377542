//! The security headers every answer carries, pages, files, API answers and exports alike: a
//! Content-Security-Policy, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`
//! and, for browsers that predate `frame-ancestors`, `X-Frame-Options: DENY`.
//!
//! The app's pages may run only the app's own scripts and wasm, connect only to this server
//! (its API and its websocket), and style themselves only from `style.css`: no inline script and
//! no inline style (`index.html` starts the app from `boot.js`; the client sets the few colours
//! it computes through the DOM's style object, which a policy does not govern). Everything under
//! `/api/` is data, never a page: it may load nothing, and an export (the HTML report) only its
//! own inline style, so a report served here runs no script (the report carries the same policy
//! in a `<meta>` for when it is opened from disk). No page may be framed, by anyone.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The app's policy, without `connect-src` (which names the host: see [`app_policy`]).
/// `'wasm-unsafe-eval'` lets the page compile the app's own wasm, and nothing else: it does not
/// allow `eval`.
const APP_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// API answers (JSON): nothing to load, nothing to run.
const DATA_POLICY: &str = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Adds the headers to every answer, leaving any a handler set itself.
pub async fn add(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let policy = if path.starts_with("/api/") && path.ends_with("/export") {
        HeaderValue::from_str(&format!("{}; frame-ancestors 'none'", cards::report::CONTENT_SECURITY_POLICY))
            .unwrap_or_else(|_| HeaderValue::from_static(DATA_POLICY))
    } else if path.starts_with("/api/") || path == "/healthz" {
        HeaderValue::from_static(DATA_POLICY)
    } else {
        app_policy(request.headers())
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    set(headers, header::CONTENT_SECURITY_POLICY, policy);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    set(headers, header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    set(headers, header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The app's policy with `connect-src`: this server over HTTP(S) (`'self'`) and its websocket.
/// Browsers that follow CSP level 3 count `ws:`/`wss:` to the page's own host as `'self'`; older
/// ones (Safari before 15.4) need the host spelled out, so it is, when the `Host` header is a
/// plain host name or address with a port (anything else could smuggle in a directive).
fn app_policy(request: &HeaderMap) -> HeaderValue {
    let host = request.get(header::HOST).and_then(|host| host.to_str().ok()).filter(|host| plain_host(host));
    let connect = match host {
        Some(host) => format!("connect-src 'self' ws://{host} wss://{host}"),
        None => "connect-src 'self'".to_owned(),
    };
    HeaderValue::from_str(&format!("{APP_POLICY}; {connect}"))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}

/// A host name, an IPv4 address or a bracketed IPv6 address, with an optional port.
fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    headers.entry(name).or_insert(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy_for(host: &str) -> String {
        let mut request = HeaderMap::new();
        request.insert(header::HOST, HeaderValue::from_str(host).expect("a header value"));
        app_policy(&request).to_str().expect("ASCII").to_owned()
    }

    #[test]
    fn the_app_may_connect_to_its_own_websocket_and_nothing_else() {
        let policy = policy_for("192.168.1.20:8080");
        assert!(policy.ends_with("; connect-src 'self' ws://192.168.1.20:8080 wss://192.168.1.20:8080"), "{policy}");
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        assert!(policy_for("[::1]:8080").contains("ws://[::1]:8080"));
    }

    #[test]
    fn a_host_header_cannot_add_a_directive() {
        for host in ["evil; script-src *", "a b", "x'y", ""] {
            assert!(policy_for(host).ends_with("; connect-src 'self'"), "{host:?}");
        }
    }
}
