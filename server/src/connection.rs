//! One websocket connection: decode what the client sends, pass it to its room, and write what
//! the room sends back. Nothing here knows a game rule.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket};
use cards::Rejection;
use cards::protocol::{ClientMsg, Request, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, oneshot};
use tokio::time::MissedTickBehavior;

use crate::config::Limits;
use crate::room_task::{ConnId, Outbox, Released, RoomHandle, RoomMsg};

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

/// Serves one connection until the client leaves, goes silent, the socket fails, or the room
/// lets go.
pub async fn serve(socket: WebSocket, room: Option<RoomHandle>, limits: Limits) {
    let conn = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut frames) = mpsc::channel::<Utf8Bytes>(limits.outbound_queue);

    let writer = async move {
        let mut ping = tokio::time::interval(limits.ping_interval);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let message = tokio::select! {
                frame = frames.recv() => match frame {
                    Some(frame) => Message::Text(frame),
                    None => break,
                },
                _ = ping.tick() => Message::Ping(Bytes::new()),
            };
            if sink.send(message).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    };

    let reader = async {
        let mut session = Session { conn, room: room.clone(), outbox, released: None };
        loop {
            // Any frame, a pong included, shows the client is still there.
            let message = tokio::select! {
                message = stream.next() => message,
                _ = wait_released(&mut session.released) => break,
                () = tokio::time::sleep(limits.idle_timeout) => {
                    tracing::debug!(conn, "closing a silent connection");
                    break;
                }
            };
            let text = match message {
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(Message::Binary(_))) => {
                    session.reply(ServerMsg::error(None, &Rejection::BadJson));
                    continue;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
            };
            if !session.receive(text.as_str()).await {
                break;
            }
        }
    };

    tokio::pin!(writer);
    let reader_ended = tokio::select! {
        () = reader => true,
        () = &mut writer => false,
    };
    if let Some(room) = &room {
        // Harmless for a connection the room never seated or has already let go.
        let _ = room.send(RoomMsg::Gone { conn }).await;
    }
    if reader_ended {
        // The room no longer holds this connection's queue: let the writer send what is
        // already in it (a removal notice, say), then close.
        let _ = tokio::time::timeout(FLUSH_WINDOW, writer).await;
    }
}

/// How long a closing connection may take to send what was queued for it.
const FLUSH_WINDOW: Duration = Duration::from_secs(2);

struct Session {
    conn: ConnId,
    room: Option<RoomHandle>,
    outbox: Outbox,
    /// Present once the room has seated this connection.
    released: Option<Released>,
}

impl Session {
    /// Handles one text frame; `false` ends the connection.
    async fn receive(&mut self, text: &str) -> bool {
        let Request { id, msg } = match Request::decode(text) {
            Ok(request) => request,
            Err(undecodable) => {
                return self.reply(ServerMsg::error(undecodable.id, &undecodable.rejection));
            }
        };
        let Some(room) = self.room.clone() else {
            return self.reply(ServerMsg::error(id, &Rejection::UnknownRoom));
        };
        let msg = match (msg, self.released.is_some()) {
            (ClientMsg::Hello { protocol, join, since }, false) => {
                let (joined, seated) = oneshot::channel();
                let outbox = self.outbox.clone();
                let hello = RoomMsg::Hello { conn: self.conn, id, protocol, join, since, outbox, joined };
                if room.send(hello).await.is_err() {
                    return false;
                }
                // The room drops `joined` when it refuses; it has sent the error itself.
                self.released = seated.await.ok();
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

async fn wait_released(released: &mut Option<Released>) {
    match released {
        Some(released) => {
            let _ = released.await;
        }
        None => std::future::pending().await,
    }
}
