//! One websocket connection: decode what the client sends, pass it to its room, and write what
//! the room sends back. Nothing here knows a game rule. This is also where a connection's own
//! limits hold: how fast it may send, how long it may stay silent, how large a message may be.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use cards::Rejection;
use cards::protocol::{ClientMsg, Request, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{oneshot, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Message, Utf8Bytes};

use crate::config::Limits;
use crate::drain::Live;
use crate::guard::{Guard, Slot};
use crate::room_task::{ConnId, Outbox, Release, Released, RoomHandle, RoomMsg};
use crate::websocket::{Socket, send_text};

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// How long a closing connection may take to send what was queued for it.
const FLUSH_WINDOW: Duration = Duration::from_secs(2);

/// Where a connection comes from, the slot it holds of its address's connections, and how it
/// learns that the server is stopping.
pub struct Peer {
    pub ip: IpAddr,
    pub guard: Arc<Guard>,
    pub _slot: Slot,
    pub _live: Live,
    pub stopping: watch::Receiver<bool>,
}

/// Serves one connection until the client leaves, goes silent, breaks a limit, the socket
/// fails, or the room lets go.
pub async fn serve(socket: Socket, room: Option<RoomHandle>, limits: Limits, peer: Peer) {
    let conn = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut frames) = crate::outbox::channel(limits.outbound_queue);
    let (close_with, mut closing) = oneshot::channel::<CloseFrame>();
    // A close the room asked for goes out after what it queued (the update that says why).
    let (close_after_queue, mut closing_after_queue) = oneshot::channel::<CloseFrame>();

    // The reader and the writer live as long as the connection, on the heap each at its own
    // size: kept inline, the task's future was the sum of every state either passes through
    // (6.7 KB a connection, heaptrack).
    let mut writer = Box::pin(async move {
        let mut ping = tokio::time::interval(limits.ping_interval);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        // Until the reader says how (or that nothing special is needed), a close may come.
        let mut may_close = true;
        loop {
            let message = tokio::select! {
                biased;
                frame = &mut closing, if may_close => match frame {
                    Ok(frame) => {
                        let _ = sink.send(Message::Close(Some(frame))).await;
                        return;
                    }
                    Err(_) => {
                        may_close = false;
                        continue;
                    }
                },
                frame = frames.recv() => match frame {
                    Some(frame) => {
                        if send_text(&mut sink, frame).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    None => break,
                },
                _ = ping.tick() => Message::Ping(Bytes::new()),
            };
            if sink.send(message).await.is_err() {
                return;
            }
        }
        match closing_after_queue.try_recv() {
            Ok(frame) => {
                let _ = sink.send(Message::Close(Some(frame))).await;
            }
            Err(_) => {
                let _ = sink.close().await;
            }
        }
    });

    let mut reader = Box::pin(async {
        let mut stopping = peer.stopping.clone();
        let mut session = Session { conn, room: room.clone(), outbox, released: None, peer };
        let mut bucket = Bucket::new(limits.messages_per_second, limits.message_burst);
        let hello_by = Instant::now() + limits.hello_timeout;
        let closing = loop {
            // Any frame, a pong included, shows the client is still there.
            let message = tokio::select! {
                message = stream.next() => message,
                _ = stopping.wait_for(|stopping| *stopping) => {
                    // A connection no room has let go of yet (it never said hello).
                    break Some((CloseCode::Away, "server shutting down", After::Queue));
                }
                release = wait_released(&mut session.released) => {
                    break release.and_then(Release::close_frame).map(|(code, reason)| (CloseCode::from(code), reason, After::Queue));
                }
                () = tokio::time::sleep(limits.idle_timeout) => {
                    tracing::debug!(conn, "closing a silent connection");
                    break None;
                }
                () = tokio::time::sleep_until(hello_by), if session.released.is_none() => {
                    break Some((CloseCode::Policy, "say hello first", After::Now));
                }
            };
            let text = match message {
                Some(Ok(Message::Text(text))) if text.len() > limits.max_message_bytes => {
                    break Some((CloseCode::Size, "message too big", After::Now));
                }
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(Message::Binary(_))) => {
                    session.reply(ServerMsg::error(None, &Rejection::BadJson));
                    continue;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => continue,
                Some(Err(error)) => {
                    break is_too_big(error).then_some((CloseCode::Size, "message too big", After::Now));
                }
                Some(Ok(Message::Close(_))) | None => break None,
            };
            if !bucket.take() {
                tracing::info!(conn, "closing a connection that sends too fast");
                break Some((CloseCode::Policy, "too many messages", After::Now));
            }
            if !session.receive(text.as_str()).await {
                break None;
            }
        };
        // The close frame is asked for before the queue can close, so it is not lost.
        if let Some((code, reason, after)) = closing {
            let frame = CloseFrame { code, reason: Utf8Bytes::from_static(reason) };
            let _ = match after {
                After::Now => close_with.send(frame),
                After::Queue => close_after_queue.send(frame),
            };
        }
        // Let the room forget this connection, so it drops its end of the queue.
        if let Some(room) = &room {
            let _ = room.send(RoomMsg::Gone { conn }).await;
        }
        drop(session);
        if closing.is_some() {
            // Read on until the client answers the close or goes: closing a socket with unread
            // bytes would turn the close into a reset the client never reads.
            let drain = async { while let Some(Ok(_)) = stream.next().await {} };
            let _ = tokio::time::timeout(FLUSH_WINDOW, drain).await;
        }
    });

    tokio::select! {
        // The writer sends what the room already queued (a removal notice, a close frame).
        () = &mut reader => {
            let _ = tokio::time::timeout(FLUSH_WINDOW, &mut writer).await;
        }
        // The socket failed, or the writer sent a close: the reader finishes, briefly.
        () = &mut writer => {
            let _ = tokio::time::timeout(FLUSH_WINDOW, &mut reader).await;
        }
    }
    if let Some(room) = &room {
        // Harmless if the room already let go.
        let _ = room.send(RoomMsg::Gone { conn }).await;
    }
}

fn is_too_big(error: tokio_tungstenite::tungstenite::Error) -> bool {
    matches!(error, tokio_tungstenite::tungstenite::Error::Capacity(_))
}

/// A token bucket: `rate` messages a second on average, `burst` at once.
struct Bucket {
    tokens: f64,
    rate: f64,
    burst: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u32, burst: u32) -> Bucket {
        Bucket { tokens: f64::from(burst), rate: f64::from(rate), burst: f64::from(burst), last: Instant::now() }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

struct Session {
    conn: ConnId,
    room: Option<RoomHandle>,
    outbox: Outbox,
    /// Present once the room has seated this connection.
    released: Option<Released>,
    peer: Peer,
}

impl Session {
    /// Handles one text frame; `false` ends the connection.
    async fn receive(&mut self, text: &str) -> bool {
        let Request { id, msg } = match Request::decode(text) {
            Ok(request) => request,
            Err(undecodable) => return self.reply(ServerMsg::error(undecodable.id, &undecodable.rejection)),
        };
        let guard = &self.peer.guard;
        // The lockout only stops what would fail anyway: a room that exists is always let
        // through to check the hello itself, so a school's students and trainer are never
        // locked out by somebody's typos behind the same address.
        let Some(room) = self.room.clone() else {
            if guard.is_blocked(self.peer.ip) {
                return self.reply(ServerMsg::error(id, &Rejection::TooManyAttempts));
            }
            guard.failed(self.peer.ip);
            return self.reply(ServerMsg::error(id, &Rejection::UnknownRoom));
        };
        let msg = match (msg, self.released.is_some()) {
            (ClientMsg::Hello { protocol, join, since }, false) => {
                let (joined, seated) = oneshot::channel();
                let outbox = self.outbox.clone();
                let from = self.peer.ip;
                let hello = RoomMsg::Hello { conn: self.conn, id, protocol, join, since, outbox, joined, from };
                if room.send(hello).await.is_err() {
                    return false;
                }
                match seated.await {
                    Ok(Ok(released)) => self.released = Some(released),
                    // A wrong trainer or seat token counts toward the address's lockout.
                    Ok(Err(Rejection::BadToken)) => guard.failed(self.peer.ip),
                    _ => {}
                }
                return true;
            }
            (_, false) => return self.reply(ServerMsg::error(id, &Rejection::NotJoined)),
            (msg, true) => msg,
        };
        room.send(RoomMsg::Request { conn: self.conn, id, msg }).await.is_ok()
    }

    /// Answers the client directly; `false` if its queue is full.
    fn reply(&self, msg: ServerMsg) -> bool {
        self.outbox.try_send(Utf8Bytes::from(msg.encode())).is_ok()
    }
}

/// When a connection's close frame goes out: at once (it broke a limit), or after the frames
/// the room queued for it.
#[derive(Clone, Copy)]
enum After {
    Now,
    Queue,
}

/// Waits until the room lets go of this connection; `None` when it gave no reason.
async fn wait_released(released: &mut Option<Released>) -> Option<Release> {
    match released {
        Some(released) => released.await.ok(),
        None => std::future::pending().await,
    }
}
