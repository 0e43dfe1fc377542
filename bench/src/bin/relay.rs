//! The bare relay: the same stack as Standpunt (axum websockets on tokio, one task per room,
//! a bounded outbound queue per connection, one serialisation shared by every receiver), the
//! same frames in and out, but no game rules and no store. `cargo xtask bench` runs the same
//! load against it, to show what the game itself costs.
//!
//! `standpunt-relay --addr 127.0.0.1:9090`

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use dashmap::DashMap;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

type Rooms = Arc<DashMap<String, mpsc::Sender<RoomMsg>>>;

enum RoomMsg {
    Join { conn: u64, trainer: bool, outbox: mpsc::Sender<Utf8Bytes> },
    Frame { conn: u64, text: String },
    Gone { conn: u64 },
}

static NEXT: AtomicU64 = AtomicU64::new(1);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:9090".to_owned();
    while let Some(flag) = args.next() {
        if flag == "--addr" {
            addr = args.next().unwrap_or(addr);
        }
    }
    let rooms: Rooms = Arc::new(DashMap::new());
    let app = Router::new().route("/api/rooms", post(create)).route("/ws", get(websocket)).with_state(rooms);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("relay on http://{}/", listener.local_addr()?);
    // TCP_NODELAY, as the server sets it.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await?;
    Ok(())
}

async fn create(State(rooms): State<Rooms>) -> Json<serde_json::Value> {
    let code = format!("R{:05}", NEXT.fetch_add(1, Ordering::Relaxed));
    let (tx, rx) = mpsc::channel(1024);
    rooms.insert(code.clone(), tx);
    tokio::spawn(room(rx));
    Json(serde_json::json!({ "code": code, "trainer_token": "relay" }))
}

async fn websocket(
    State(rooms): State<Rooms>,
    Query(query): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> axum::response::Response {
    let room = query.get("room").and_then(|code| rooms.get(code).map(|entry| entry.value().clone()));
    ws.read_buffer_size(8 * 1024)
        .write_buffer_size(8 * 1024)
        .max_write_buffer_size(1024 * 1024)
        .max_message_size(64 * 1024)
        .on_upgrade(move |socket| connection(socket, room))
}

/// Reader and writer raced, as in the server; every text frame goes to the room.
async fn connection(socket: WebSocket, room: Option<mpsc::Sender<RoomMsg>>) {
    let Some(room) = room else { return };
    let conn = NEXT.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut frames) = mpsc::channel::<Utf8Bytes>(256);
    let writer = async move {
        while let Some(frame) = frames.recv().await {
            if sink.send(Message::Text(frame)).await.is_err() {
                break;
            }
        }
    };
    let reader = async {
        let mut joined = false;
        while let Some(Ok(message)) = stream.next().await {
            let Message::Text(text) = message else { continue };
            let msg = if joined {
                RoomMsg::Frame { conn, text: text.to_string() }
            } else {
                joined = true;
                RoomMsg::Join { conn, trainer: text.contains("\"trainer\""), outbox: outbox.clone() }
            };
            if room.send(msg).await.is_err() {
                break;
            }
        }
    };
    tokio::select! {
        () = reader => {}
        () = writer => {}
    }
    let _ = room.send(RoomMsg::Gone { conn }).await;
}

/// The room's whole "logic": who is here, and whether every player has answered.
async fn room(mut rx: mpsc::Receiver<RoomMsg>) {
    let mut conns: Vec<(u64, bool, mpsc::Sender<Utf8Bytes>)> = Vec::new();
    let mut answered = 0usize;
    let mut seq = 1u64;
    let pile: Vec<serde_json::Value> = (0..5_000).map(|n| serde_json::json!({ "id": format!("kaart-{n}") })).collect();
    while let Some(msg) = rx.recv().await {
        match msg {
            RoomMsg::Join { conn, trainer, outbox } => {
                let view = if trainer { serde_json::json!({ "pile": pile }) } else { serde_json::json!({}) };
                let welcome =
                    serde_json::json!({ "type": "welcome", "id": 1, "protocol": 1, "seq": seq, "view": view });
                let _ = outbox.try_send(Utf8Bytes::from(welcome.to_string()));
                conns.push((conn, trainer, outbox));
            }
            RoomMsg::Gone { conn } => conns.retain(|(known, _, _)| *known != conn),
            RoomMsg::Frame { conn, text } => {
                seq += 1;
                let players = conns.iter().filter(|(_, trainer, _)| !trainer).count();
                let update = |updates: serde_json::Value| {
                    Utf8Bytes::from(serde_json::json!({ "type": "update", "seq": seq, "updates": updates }).to_string())
                };
                let frame = if text.contains("\"answer\"") {
                    answered += 1;
                    let mut updates = vec![serde_json::json!({ "kind": "answered", "seat": conn })];
                    if answered == players {
                        answered = 0;
                        let answers: Vec<serde_json::Value> = (0..players)
                            .map(|seat| serde_json::json!({ "seat": seat, "role": { "nl": "Rol" }, "answer": { "position": 4, "argument": "Omdat het gezin zelf het beste weet wat nodig is." }, "before": null }))
                            .collect();
                        updates.push(serde_json::json!({ "kind": "revealed", "reveal": { "cause": "all_answered", "vote": 1, "answers": answers } }));
                    }
                    update(serde_json::Value::from(updates))
                } else if text.contains("\"play\"") {
                    update(
                        serde_json::json!([{ "kind": "played", "by": null, "card": { "id": "kaart", "text": { "nl": "Een stelling op tafel." } } }]),
                    )
                } else if text.contains("\"revote\"") {
                    update(serde_json::json!([{ "kind": "revote_opened", "vote": 2 }]))
                } else {
                    update(serde_json::json!([{ "kind": "turn_started", "turn": seq, "reader": null }]))
                };
                // One serialisation, shared by every receiver.
                for (_, _, outbox) in &conns {
                    let _ = outbox.try_send(frame.clone());
                }
                if let Some((_, _, outbox)) = conns.iter().find(|(known, _, _)| *known == conn) {
                    let _ = outbox.try_send(Utf8Bytes::from_static(r#"{"type":"ack","id":null}"#));
                }
            }
        }
    }
}
