//! The abuser: the hostile requests of issue #22, sent for a while at a steady pace, each kind
//! from its own loopback address, while `standpunt-load` plays real rooms beside it.
//!
//! `standpunt-abuse --url http://127.0.0.1:8080 --seconds S` runs every attack until S seconds
//! have passed and prints one JSON object: per attack, how many requests it sent and what the
//! server answered (HTTP status, a websocket error code, or `cut` when the server closed the
//! connection before answering). Each attack costs the sender little; what it costs the server
//! is what `cargo xtask bench` measures.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, bail};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::{Instant, sleep_until};
use tokio_tungstenite::client_async;
use tokio_tungstenite::tungstenite::Message;

/// What each attack heard back: answer → how often.
type Answers = Arc<Mutex<BTreeMap<&'static str, BTreeMap<String, u64>>>>;

/// Connections the slow-body attack tries to hold from each of its addresses (the server lets
/// one address hold 100 plain HTTP connections).
const SLOW_PER_ADDRESS: usize = 150;
/// Addresses the slow-body attack holds connections from.
const SLOW_ADDRESSES: u8 = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (addr, seconds) = parse()?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let answers = Answers::default();
    let (code, token) = own_room(addr).await.context("the abuser's own room")?;

    let mut attacks = tokio::task::JoinSet::new();
    for host in 1..=SLOW_ADDRESSES {
        attacks.spawn(slow_bodies(addr, [127, 0, 2, host], deadline, answers.clone()));
    }
    // Critical: one deck named 170,000 times (a 2 MB request).
    let ids = vec!["\"wijkteam\""; 170_000].join(",");
    let multiplied = Arc::new(format!(r#"{{"statement_decks":[{ids}],"role_deck":"keukentafel"}}"#));
    attacks.spawn(repeat("deck_multiplier", addr, [127, 0, 3, 1], 5.0, deadline, answers.clone(), move || {
        post("/api/rooms", &[], &multiplied)
    }));
    // Room creation from one address, as fast as a script goes.
    attacks.spawn(repeat("room_flood", addr, [127, 0, 3, 2], 50.0, deadline, answers.clone(), || {
        post("/api/rooms", &[], r#"{"statement_decks":["wijkteam"],"role_deck":"keukentafel"}"#)
    }));
    // A CSV of 200,000 empty columns, without a token, whose answer is never read.
    let columns = Arc::new(format!("tekst{}\n", ";".repeat(200_000)));
    let path = format!("/api/rooms/{code}/decks");
    let upload_path = path.clone();
    attacks.spawn(unread_uploads(addr, [127, 0, 4, 1], upload_path, columns, deadline, answers.clone()));
    // The same valid deck uploaded again and again with the room's own token.
    let deck = "tekst;begrippen\nRegie ligt bij wie het plan schrijft.;regie\n";
    attacks.spawn(repeat("same_deck_again", addr, [127, 0, 4, 2], 10.0, deadline, answers.clone(), move || {
        post(&path, &[("X-Trainer-Token", &token), ("X-File-Name", "stellingen.csv")], deck)
    }));
    // Fake players from one address, to fill the room.
    let fill = format!("/ws?room={code}");
    attacks.spawn(joins("fake_players", addr, [127, 0, 5, 1], fill, None, 20.0, deadline, answers.clone()));
    // Wrong room codes from one school address, and wrong trainer tokens.
    attacks.spawn(joins(
        "wrong_codes",
        addr,
        [127, 0, 5, 2],
        "/ws?room=ZZZZZZ".into(),
        None,
        20.0,
        deadline,
        answers.clone(),
    ));
    let trainer = Some(r#"{"as":"trainer","token":"not-the-token"}"#);
    let own = format!("/ws?room={code}");
    attacks.spawn(joins("wrong_tokens", addr, [127, 0, 5, 3], own, trainer, 20.0, deadline, answers.clone()));

    while let Some(done) = attacks.join_next().await {
        done?;
    }
    let answers = answers.lock().map_err(|_| anyhow::anyhow!("an attack panicked"))?;
    println!("{}", serde_json::to_string(&*answers)?);
    Ok(())
}

fn parse() -> anyhow::Result<(SocketAddr, u64)> {
    let (mut addr, mut seconds) = ("127.0.0.1:8080".parse()?, 10);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => addr = value.trim_start_matches("http://").trim_end_matches('/').parse()?,
            "--seconds" => seconds = value.parse()?,
            other => bail!("unknown option {other}"),
        }
    }
    Ok((addr, seconds))
}

fn record(answers: &Answers, attack: &'static str, answer: String) {
    if let Ok(mut answers) = answers.lock() {
        *answers.entry(attack).or_default().entry(answer).or_default() += 1;
    }
}

/// A TCP connection from `source`.
async fn tcp(addr: SocketAddr, source: [u8; 4]) -> anyhow::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::from(source), 0))?;
    Ok(socket.connect(addr).await?)
}

/// The bytes of one HTTP POST.
fn post(path: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("Connection: close\r\n\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

/// Sends `request` and reads the status of the answer; `cut` when the server closed first.
async fn status_of(mut stream: TcpStream, request: &[u8]) -> String {
    // The server may answer and close before the whole body is written: read the answer
    // whether or not the write finished.
    let _ = stream.write_all(request).await;
    let mut head = vec![0; 64];
    match stream.read(&mut head).await {
        Ok(read) if read > 12 => String::from_utf8_lossy(&head[9..12]).into_owned(),
        _ => "cut".to_owned(),
    }
}

/// The abuser's own room, like any trainer's: its code and trainer token.
async fn own_room(addr: SocketAddr) -> anyhow::Result<(String, String)> {
    let body = r#"{"statement_decks":["wijkteam"],"role_deck":"keukentafel"}"#;
    let mut stream = tcp(addr, [127, 0, 6, 1]).await?;
    stream.write_all(&post("/api/rooms", &[], body)).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body).context("an answer")?;
    let created: serde_json::Value = serde_json::from_str(body)?;
    let field = |key: &str| created[key].as_str().map(str::to_owned).with_context(|| format!("no {key} in {body}"));
    Ok((field("code")?, field("trainer_token")?))
}

/// Sends what `request` makes `per_second` times a second from `source`, each over its own
/// connection, until the deadline.
async fn repeat(
    attack: &'static str,
    addr: SocketAddr,
    source: [u8; 4],
    per_second: f64,
    deadline: Instant,
    answers: Answers,
    request: impl Fn() -> Vec<u8>,
) {
    let every = Duration::from_secs_f64(1.0 / per_second);
    let mut next = Instant::now();
    while next < deadline {
        let answer = match tcp(addr, source).await {
            Ok(stream) => status_of(stream, &request()).await,
            Err(_) => "no_connection".to_owned(),
        };
        record(&answers, attack, answer);
        next += every;
        sleep_until(next).await;
    }
}

/// Holds as many connections from `source` as it can, each having sent its headers and the
/// first bytes of a body that never comes; opens another when one is closed.
async fn slow_bodies(addr: SocketAddr, source: [u8; 4], deadline: Instant, answers: Answers) {
    let head = "POST /api/rooms HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sta";
    let mut held = tokio::task::JoinSet::new();
    for _ in 0..SLOW_PER_ADDRESS {
        let answers = answers.clone();
        held.spawn(async move {
            let mut next = Instant::now();
            while next < deadline {
                let answer = match tcp(addr, source).await {
                    Ok(mut stream) => {
                        let _ = stream.write_all(head.as_bytes()).await;
                        let mut buffer = vec![0; 64];
                        tokio::select! {
                            read = stream.read(&mut buffer) => match read {
                                Ok(read) if read > 12 => String::from_utf8_lossy(&buffer[9..12]).into_owned(),
                                _ => "cut".to_owned(),
                            },
                            () = sleep_until(deadline) => "held".to_owned(),
                        }
                    }
                    Err(_) => "no_connection".to_owned(),
                };
                record(&answers, "slow_bodies", answer);
                // A refused connection comes back a second later, as a patient script's would.
                next = Instant::now() + Duration::from_secs(1);
                sleep_until(next.min(deadline)).await;
            }
        });
    }
    while held.join_next().await.is_some() {}
}

/// Uploads `body` without a token `4` times a second and never reads an answer: the
/// connections stay open until the server gives up on them or the deadline.
async fn unread_uploads(
    addr: SocketAddr,
    source: [u8; 4],
    path: String,
    body: Arc<String>,
    deadline: Instant,
    answers: Answers,
) {
    let mut held = Vec::new();
    let mut next = Instant::now();
    while next < deadline {
        let answer = match tcp(addr, source).await {
            Ok(mut stream) => match stream.write_all(&post(&path, &[("X-File-Name", "x.csv")], &body)).await {
                Ok(()) => {
                    held.push(stream);
                    "sent_unread".to_owned()
                }
                Err(_) => "cut".to_owned(),
            },
            Err(_) => "no_connection".to_owned(),
        };
        record(&answers, "unread_uploads", answer);
        next += Duration::from_millis(250);
        sleep_until(next).await;
    }
    drop(held);
}

/// Opens a websocket from `source` and says hello (as a player with a new name, or with
/// `join`) `per_second` times a second; records the welcome or the error code. Welcomed
/// sockets are kept open, as fake players would be.
#[allow(clippy::too_many_arguments)]
async fn joins(
    attack: &'static str,
    addr: SocketAddr,
    source: [u8; 4],
    path: String,
    join: Option<&'static str>,
    per_second: f64,
    deadline: Instant,
    answers: Answers,
) {
    let every = Duration::from_secs_f64(1.0 / per_second);
    let mut seated = Vec::new();
    let mut next = Instant::now();
    let mut n = 0;
    while next < deadline {
        n += 1;
        let join = join.map_or_else(|| format!(r#"{{"as":"player","name":"Nep {n}"}}"#), str::to_owned);
        let answer = match hello(addr, source, &path, &join).await {
            Ok((answer, socket)) => {
                seated.extend(socket);
                answer
            }
            Err(_) => "cut".to_owned(),
        };
        record(&answers, attack, answer);
        next += every;
        sleep_until(next).await;
    }
    drop(seated);
}

type Socket = tokio_tungstenite::WebSocketStream<TcpStream>;

/// One hello: `welcome` (and the open socket) or the error's code.
async fn hello(addr: SocketAddr, source: [u8; 4], path: &str, join: &str) -> anyhow::Result<(String, Option<Socket>)> {
    let stream = tcp(addr, source).await?;
    let (mut socket, _) = match client_async(format!("ws://{addr}{path}"), stream).await {
        Ok(open) => open,
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            return Ok((response.status().as_u16().to_string(), None));
        }
        Err(error) => return Err(error.into()),
    };
    socket.send(Message::text(format!(r#"{{"type":"hello","id":1,"protocol":1,"join":{join}}}"#))).await?;
    while let Some(frame) = socket.next().await {
        if let Message::Text(text) = frame? {
            let value: serde_json::Value = serde_json::from_str(&text)?;
            match value["type"].as_str() {
                Some("welcome") => return Ok(("welcome".to_owned(), Some(socket))),
                Some("error") => return Ok((value["code"].as_str().unwrap_or("error").to_owned(), None)),
                _ => {}
            }
        }
    }
    Ok(("cut".to_owned(), None))
}
