//! The websocket handshake, and messages written as fragments of 1 KiB.
//!
//! tungstenite writes each frame into its connection's write buffer before the socket, and that
//! buffer keeps the capacity of the largest frame the connection ever sent for as long as it
//! lives. Sent whole, a player's welcome (11 KB with four decks) or a trainer's pile (50 KB)
//! stayed in memory once per connection: two thirds of what a started room cost (heaptrack,
//! BENCHMARKS.md "Memory per room"). A longer message goes out here as fragments of at most
//! `FRAGMENT` bytes (RFC 6455 §5.4), which every client reassembles into the same message, so no
//! connection's buffer grows past one fragment. Under tungstenite, `Coalescing` holds the
//! fragments of a message until it is flushed and writes them with one call, so fragments cost
//! no more system calls than a whole frame did. axum's `WebSocket` sends whole messages only,
//! so the upgrade is done here, as axum does it, over the same tungstenite.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{Sink, SinkExt};
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error, Message, Utf8Bytes, handshake};

/// The most a frame the server writes carries; a longer message is sent in fragments.
pub const FRAGMENT: usize = 1024;

/// A connection after the handshake.
pub type Socket = WebSocketStream<Coalescing<TokioIo<Upgraded>>>;

/// How much the connection holds before it writes what it has, within one flush.
const HOLD_AT_MOST: usize = 64 * 1024;

/// The socket under tungstenite: what it writes is held until it flushes (at the end of each
/// message), then written in one go, and the buffer let go. A message's fragments cost one
/// `write` call, as the whole message did, and an idle connection holds no buffer here.
pub struct Coalescing<S> {
    inner: S,
    pending: Vec<u8>,
    written: usize,
}

impl<S: AsyncWrite + Unpin> Coalescing<S> {
    fn new(inner: S) -> Coalescing<S> {
        Coalescing { inner, pending: Vec::new(), written: 0 }
    }

    /// Writes what is held, then lets the buffer go.
    fn poll_write_held(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending = Vec::new();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Coalescing<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Coalescing<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.pending.len() - self.written >= HOLD_AT_MOST {
            ready!(self.poll_write_held(cx))?;
        }
        self.pending.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_write_held(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_write_held(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A request to open a websocket (HTTP/1.1 `Upgrade: websocket`), checked as RFC 6455 asks.
pub struct Upgrade {
    key: HeaderValue,
    on_upgrade: OnUpgrade,
}

/// Why a request cannot become a websocket.
#[derive(Debug)]
pub struct NotAnUpgrade(&'static str);

impl IntoResponse for NotAnUpgrade {
    fn into_response(self) -> Response {
        (StatusCode::BAD_REQUEST, self.0).into_response()
    }
}

fn header_has(parts: &Parts, name: header::HeaderName, token: &str) -> bool {
    parts
        .headers
        .get_all(name)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|part| part.trim().eq_ignore_ascii_case(token))
}

impl<S: Send + Sync> FromRequestParts<S> for Upgrade {
    type Rejection = NotAnUpgrade;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Upgrade, NotAnUpgrade> {
        if parts.method != Method::GET {
            return Err(NotAnUpgrade("a websocket opens with GET"));
        }
        if !header_has(parts, header::CONNECTION, "upgrade") || !header_has(parts, header::UPGRADE, "websocket") {
            return Err(NotAnUpgrade("this address takes websocket connections only"));
        }
        if parts.headers.get(header::SEC_WEBSOCKET_VERSION).is_none_or(|version| version != "13") {
            return Err(NotAnUpgrade("websocket version 13 only"));
        }
        let key = parts.headers.get(header::SEC_WEBSOCKET_KEY).cloned().ok_or(NotAnUpgrade("no Sec-WebSocket-Key"))?;
        let on_upgrade =
            parts.extensions.remove::<OnUpgrade>().ok_or(NotAnUpgrade("this connection cannot be upgraded"))?;
        Ok(Upgrade { key, on_upgrade })
    }
}

impl Upgrade {
    /// Answers 101 and runs `serve` with the socket once the client has it.
    pub fn on_upgrade<F, Fut>(self, config: WebSocketConfig, serve: F) -> Response
    where
        F: FnOnce(Socket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let accept = handshake::derive_accept_key(self.key.as_bytes());
        tokio::spawn(async move {
            match self.on_upgrade.await {
                Ok(upgraded) => {
                    let io = Coalescing::new(TokioIo::new(upgraded));
                    let socket = WebSocketStream::from_raw_socket(io, Role::Server, Some(config)).await;
                    // On the heap at its own size: the task then holds no room for the states
                    // of the upgrade it has left behind.
                    Box::pin(serve(socket)).await;
                }
                Err(error) => tracing::debug!(%error, "a websocket upgrade failed"),
            }
        });
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        let headers = response.headers_mut();
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        if let Ok(accept) = HeaderValue::from_str(&accept) {
            headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
        }
        response
    }
}

/// Sends `text` as one message: one frame when it fits in `FRAGMENT` bytes, fragments of
/// `FRAGMENT` bytes otherwise (cut anywhere: only the whole message must be UTF-8).
pub async fn send_text<S>(sink: &mut S, text: Utf8Bytes) -> Result<(), Error>
where
    S: Sink<Message, Error = Error> + Unpin,
{
    if text.len() <= FRAGMENT {
        return sink.send(Message::Text(text)).await;
    }
    for frame in fragments(Bytes::from(text)) {
        sink.feed(Message::Frame(frame)).await?;
    }
    sink.flush().await
}

/// The frames of one text message of `FRAGMENT` bytes at most: text, continuations, the last final.
fn fragments(bytes: Bytes) -> impl Iterator<Item = Frame> {
    let len = bytes.len();
    (0..len).step_by(FRAGMENT).map(move |start| {
        let end = (start + FRAGMENT).min(len);
        let opcode = if start == 0 { OpCode::Data(Data::Text) } else { OpCode::Data(Data::Continue) };
        Frame::message(bytes.slice(start..end), opcode, end == len)
    })
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt;

    use super::*;

    /// A socket that counts the calls that write to it.
    #[derive(Default)]
    struct Wire {
        writes: usize,
        bytes: Vec<u8>,
    }

    impl AsyncWrite for Wire {
        fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn the_fragments_of_a_message_reach_the_socket_in_one_write_and_leave_no_buffer() {
        let mut socket = Coalescing::new(Wire::default());
        for fragment in [&b"{\"type\":"[..], b"\"welcome\",", b"\"view\":{}}"] {
            socket.write_all(fragment).await.expect("held");
        }
        assert_eq!(socket.inner.writes, 0, "nothing is written before the flush");
        socket.flush().await.expect("flushed");
        assert_eq!(socket.inner.writes, 1, "one write for the whole message");
        assert_eq!(socket.inner.bytes, b"{\"type\":\"welcome\",\"view\":{}}");
        assert_eq!(socket.pending.capacity(), 0, "an idle connection holds no buffer");
    }

    #[test]
    fn a_long_message_is_cut_into_fragments_that_put_it_back_together() {
        let text: String = "Regie ligt bij het gezin — één plan. ".repeat(200);
        let frames: Vec<Frame> = fragments(Bytes::from(text.clone())).collect();
        assert_eq!(frames.len(), text.len().div_ceil(FRAGMENT));
        assert!(frames.iter().all(|frame| frame.payload().len() <= FRAGMENT), "no frame longer than a fragment");
        assert_eq!(frames[0].header().opcode, OpCode::Data(Data::Text));
        assert!(frames[1..].iter().all(|frame| frame.header().opcode == OpCode::Data(Data::Continue)));
        let finals: Vec<bool> = frames.iter().map(|frame| frame.header().is_final).collect();
        assert_eq!(finals.iter().filter(|last| **last).count(), 1, "one final fragment");
        assert_eq!(finals.last(), Some(&true), "and it is the last");
        let whole: Vec<u8> = frames.iter().flat_map(|frame| frame.payload().to_vec()).collect();
        assert_eq!(String::from_utf8(whole).ok(), Some(text), "the fragments are the message");
    }
}
