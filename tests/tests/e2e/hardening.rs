//! Nobody gets in where they do not belong, no input can hurt another room, and a client
//! that misbehaves or falls behind costs the server nothing it cannot bound.

use std::time::Duration;

use cards::protocol::{ClientMsg, Join};
use cards::view::PhaseView;
use cards::{Answer, Position, Presence, SeatId};
use futures_util::{SinkExt, StreamExt};
use tests::TestServer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

const PATIENCE: Duration = Duration::from_secs(30);

/// Reads a raw socket until the server closes it; returns the close code, if it sent one.
async fn close_code<S>(socket: &mut tokio_tungstenite::WebSocketStream<S>) -> Option<CloseCode>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        match tokio::time::timeout(PATIENCE, socket.next()).await.expect("closed within the patience limit") {
            Some(Ok(Message::Close(frame))) => return frame.map(|frame| frame.code),
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return None,
        }
    }
}

fn hello(name: &str) -> String {
    format!(r#"{{"type":"hello","protocol":1,"join":{{"as":"player","name":"{name}"}}}}"#)
}

#[tokio::test]
async fn a_flood_closes_only_the_flooding_connection_with_1008() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/ws?room={code}", server.addr)).await.expect("connect");
    socket.send(Message::text(hello("Vloed"))).await.expect("hello");
    for _ in 0..100 {
        if socket.send(Message::text(r#"{"type":"reveal"}"#)).await.is_err() {
            break;
        }
    }
    assert_eq!(close_code(&mut socket).await, Some(CloseCode::Policy));
    trainer.request(ClientMsg::Lock { locked: true }).await.expect("the room carries on");
}

#[tokio::test]
async fn an_oversize_frame_is_closed_with_1009() {
    let server = TestServer::start().await;
    let (code, _token) = server.create_room().await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/ws?room={code}", server.addr)).await.expect("connect");
    let big = format!(r#"{{"type":"answer","position":3,"argument":"{}"}}"#, "x".repeat(17 * 1024));
    let _ = socket.send(Message::text(big)).await;
    assert_eq!(close_code(&mut socket).await, Some(CloseCode::Size));
}

#[tokio::test]
async fn a_slow_handshake_and_a_silent_websocket_are_cut_off() {
    let server = TestServer::start_with(|config| {
        config.limits.header_read_timeout = Duration::from_millis(300);
        config.limits.hello_timeout = Duration::from_millis(300);
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("half a request");
    let mut rest = Vec::new();
    let read = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut rest)).await.expect("the server hangs up");
    assert!(read.is_ok(), "the connection is closed");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"), "no answer to half a request");

    let (code, _token) = server.create_room().await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/ws?room={code}", server.addr)).await.expect("connect");
    assert_eq!(close_code(&mut socket).await, Some(CloseCode::Policy), "no hello, no connection");
}

#[tokio::test]
async fn a_page_from_another_origin_cannot_open_a_websocket() {
    let server =
        TestServer::start_with(|config| config.allowed_origins = vec!["https://standpunt.example.nl".to_owned()]).await;
    let (code, _token) = server.create_room().await;
    let with_origin = |origin: &str| {
        let mut request = format!("ws://{}/ws?room={code}", server.addr).into_client_request().expect("a request");
        request.headers_mut().insert("Origin", origin.parse().expect("a header"));
        request
    };
    let refused = tokio_tungstenite::connect_async(with_origin("https://evil.example")).await.expect_err("refused");
    match refused {
        tokio_tungstenite::tungstenite::Error::Http(response) => assert_eq!(response.status(), 403),
        other => panic!("expected 403, got {other}"),
    }
    let own = format!("http://{}", server.addr);
    assert!(tokio_tungstenite::connect_async(with_origin(&own)).await.is_ok(), "the server's own pages");
    assert!(
        tokio_tungstenite::connect_async(with_origin("https://standpunt.example.nl")).await.is_ok(),
        "an allowed origin"
    );
}

/// Wrong codes are stopped after ten; a school's students behind the same address still get
/// into the room that exists (the lockout only refuses what would fail anyway).
#[tokio::test]
async fn guessing_room_codes_is_stopped_after_ten_tries_but_a_room_that_exists_still_lets_people_in() {
    let server = TestServer::start().await;
    let (code, _token) = server.create_room().await;
    let mut guesser = server.connect("ABCDEF").await;
    for _ in 0..10 {
        let refused = guesser.hello(Join::Player { name: "Gok".to_owned() }).await.expect_err("no such room");
        assert_eq!(refused.code, "unknown_room");
    }
    let refused = guesser.hello(Join::Player { name: "Gok".to_owned() }).await.expect_err("blocked");
    assert_eq!(refused.code, "too_many_attempts");
    let mut right_code = server.connect(&code).await;
    right_code.hello(Join::Player { name: "Leerling".to_owned() }).await.expect("a room that exists lets people in");
    let mut another_wrong = server.connect("ABCDEG").await;
    let refused = another_wrong.hello(Join::Observer { token: None }).await.expect_err("still blocked");
    assert_eq!(refused.code, "too_many_attempts", "wrong codes stay stopped");
}

/// Looks up the log of a room that does not exist, from `client` as a proxy would name it.
async fn wrong_guess(server: &TestServer, client: &str) -> u16 {
    let headers = [("X-Forwarded-For", client), ("X-Trainer-Token", "00")];
    tests::http_request(server.addr, "GET", "/api/rooms/ZZZZZZ/log", &headers, "").await.status
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_participant_is_counted_on_their_own() {
    let server =
        TestServer::start_with(|config| config.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")]).await;
    for _ in 0..10 {
        assert_eq!(wrong_guess(&server, "203.0.113.7").await, 404);
    }
    assert_eq!(wrong_guess(&server, "203.0.113.7").await, 429, "the guesser is stopped");
    assert_eq!(wrong_guess(&server, "203.0.113.8").await, 404, "the rest of the class is not");
}

#[tokio::test]
async fn without_a_trusted_proxy_nobody_can_pick_their_own_address() {
    let server = TestServer::start().await;
    for guess in 0..10 {
        assert_eq!(wrong_guess(&server, &format!("203.0.113.{guess}")).await, 404);
    }
    assert_eq!(wrong_guess(&server, "198.51.100.1").await, 429, "a new X-Forwarded-For is not a new address");
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("proc status");
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()).expect("a number")
}

/// A phone that stops reading is dropped into seat hold; the room never waits for it and the
/// server's memory stays bounded while the others play on.
#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_and_memory_stays_flat() {
    let server = TestServer::start_with(|config| {
        config.limits.outbound_queue = 16;
        config.limits.messages_per_second = 10_000;
        config.limits.message_burst = 10_000;
    })
    .await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;

    // The slow reader: a small receive window, and it never reads after its welcome.
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(2048).expect("a small window");
    let stream = socket.connect(server.addr).await.expect("connect");
    let (mut slow, _) =
        tokio_tungstenite::client_async(format!("ws://{}/ws?room={code}", server.addr), stream).await.expect("upgrade");
    slow.send(Message::text(hello("Traag"))).await.expect("hello");

    let mut players = Vec::new();
    for n in 0..8 {
        players.push(server.player(&code, &format!("Snel {n}")).await);
    }
    trainer.until(|view| view.seats.len() == 9).await;
    trainer.request(ClientMsg::Start).await.expect("start");
    let reader = SeatId(0);
    assert!(
        matches!(&trainer.view().phase, PhaseView::Turn(turn) if turn.reader == Some(reader)),
        "the slow one reads first"
    );
    trainer.request(ClientMsg::Next).await.expect("skip the slow reader");
    let card = players[0]
        .until(|view| {
            !view.hand.is_empty() && matches!(&view.phase, PhaseView::Turn(turn) if turn.reader == Some(SeatId(1)))
        })
        .await
        .hand[0]
        .id
        .clone();
    players[0].request(ClientMsg::Play { card }).await.expect("play");

    let before = rss_kib();
    let argument = "Een lang argument om de onthulling zwaar te maken. ".repeat(9);
    let mut rounds = 0;
    while trainer.view().seat(reader).is_some_and(|seat| seat.presence == Presence::Here) {
        assert!(rounds < 400, "the slow reader should have been dropped by now");
        for player in &mut players {
            let answer = Answer {
                position: Position::Scale(1 + (rounds % 5) as u8),
                argument: Some(argument.clone()),
                definition: None,
            };
            player.request(ClientMsg::Answer(answer)).await.expect("the others play on");
        }
        // Once the slow reader is away, the last answer reveals by itself.
        let _ = trainer.request(ClientMsg::Reveal).await;
        if trainer.request(ClientMsg::Revote).await.is_err() {
            // Twenty votes on this statement: on to the next, skipping the slow reader.
            trainer.request(ClientMsg::Next).await.expect("next");
            let next = match &trainer.view().phase {
                PhaseView::Turn(turn) => turn.reader.expect("a reader"),
                _ => unreachable!("the session goes on"),
            };
            if next == reader {
                trainer.request(ClientMsg::Next).await.expect("skip the slow reader");
            }
            let next = match &trainer.view().phase {
                PhaseView::Turn(turn) => turn.reader.expect("a reader"),
                _ => unreachable!("the session goes on"),
            };
            let player = &mut players[usize::from(next.0) - 1];
            let card = player
                .until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reader == Some(next)))
                .await
                .hand[0]
                .id
                .clone();
            player.request(ClientMsg::Play { card }).await.expect("play");
        }
        rounds += 1;
    }
    let grown = rss_kib().saturating_sub(before);
    assert!(grown < 64 * 1024, "memory grew by {grown} KiB");
    assert!(
        matches!(trainer.view().seat(reader).map(|seat| seat.presence), Some(Presence::Away { .. })),
        "its seat is on hold"
    );
    drop(slow);
}

/// Secrets stay secret: no token (trainer, seat, co-trainer, before or after a resume) and no
/// client address is in the server's log, the database file or any export.
#[tokio::test]
async fn no_token_or_address_reaches_a_log_a_database_or_an_export() {
    let data = tests::scratch_dir("secrets");
    let log = data.join("server.log");
    let server = tests::process::ServerProcess::start_logging_to(&data, &log).await;
    let (code, trainer_token) = tests::create_room(server.addr, cards::Settings::default()).await;
    let mut tokens = vec![trainer_token.clone()];
    let mut trainer = tests::TestClient::connect(server.addr, &code).await;
    trainer.hello(Join::Trainer { token: trainer_token.clone() }).await.expect("trainer");
    let id = trainer.send(ClientMsg::AddTrainer).await;
    let invite = loop {
        if let cards::protocol::ServerMsg::Invite { id: Some(answered), token } = trainer.recv().await
            && answered == id
        {
            break token;
        }
    };
    tokens.push(invite);
    let mut players = Vec::new();
    for name in ["Anna", "Bram"] {
        let mut player = tests::TestClient::connect(server.addr, &code).await;
        player.hello(Join::Player { name: name.to_owned() }).await.expect("join");
        tokens.push(player.seat_token.clone().expect("a seat token"));
        players.push(player);
    }
    let anna = players.remove(0);
    let old = anna.seat_token.clone().expect("a token");
    anna.drop_connection().await;
    let mut anna = tests::TestClient::connect(server.addr, &code).await;
    anna.hello(Join::Seat { token: old }).await.expect("back");
    tokens.push(anna.seat_token.clone().expect("a fresh token"));
    trainer.request(ClientMsg::Start).await.expect("start");
    server.kill().await;

    let mut places = vec![("the server log", std::fs::read_to_string(&log).expect("the log"))];
    let database = std::fs::read(data.join(server::Sqlite::FILE)).expect("the database");
    places.push(("the database", String::from_utf8_lossy(&database).into_owned()));
    for format in ["csv", "json", "html"] {
        places.push(("an export", tests::process::tool(&data, &["export", &code, "--format", format, "--names"])));
    }
    for (place, text) in &places {
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "a token is in {place}");
        }
    }
    assert!(places[0].1.contains("joined"), "the log does say what happened:\n{}", places[0].1);
    assert!(!places[0].1.contains("127.0.0.1"), "no client address in the server log");
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn a_trainer_erases_a_room_at_once() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut anna = server.player(&code, "Anna").await;
    let erase = |token: String| {
        let (addr, code) = (server.addr, code.clone());
        async move {
            let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
            let request = format!(
                "DELETE /api/rooms/{code} HTTP/1.1\r\nHost: x\r\nX-Trainer-Token: {token}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(request.as_bytes()).await.expect("send");
            let mut response = String::new();
            stream.read_to_string(&mut response).await.expect("read");
            response.split(' ').nth(1).and_then(|status| status.parse::<u16>().ok()).expect("a status")
        }
    };
    assert_eq!(erase("0".repeat(32)).await, 403, "only a trainer of the room");
    assert_eq!(erase(token.clone()).await, 204);
    anna.closed_by_server().await;
    assert!(tests::stored_event_kinds(&server.data_dir, &code).is_empty(), "nothing of the room is left");
    let mut late = server.connect(&code).await;
    assert_eq!(late.hello(Join::Observer { token: None }).await.expect_err("gone").code, "unknown_room");
}

/// Reads one frame the server wrote (servers do not mask): whether it is final, its opcode and
/// its payload.
async fn server_frame(stream: &mut tokio::net::TcpStream) -> (bool, u8, Vec<u8>) {
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).await.expect("a frame");
    let len = match head[1] & 0x7f {
        126 => u64::from(stream.read_u16().await.expect("a length")),
        127 => stream.read_u64().await.expect("a length"),
        short => u64::from(short),
    };
    let mut payload = vec![0; usize::try_from(len).expect("a frame that fits")];
    stream.read_exact(&mut payload).await.expect("the payload");
    (head[0] & 0x80 != 0, head[0] & 0x0f, payload)
}

/// A long message (a trainer's welcome with four decks, some 10 KB) reaches the client whole,
/// on the wire as fragments of at most 1 KiB: no connection keeps a write buffer the size of the
/// largest message it was ever sent.
#[tokio::test]
async fn a_long_message_goes_out_in_fragments_of_one_kib_that_make_one_message() {
    let server = TestServer::start().await;
    let decks = r#"{"statement_decks":["containerbegrippen","samenwerken-rond-het-gezin","ruimte-geeft-vaart","wijkteam"],"role_deck":"keukentafel"}"#;
    let created =
        tests::http_request(server.addr, "POST", "/api/rooms", &[("Content-Type", "application/json")], decks).await;
    let created: serde_json::Value = serde_json::from_slice(&created.body).expect("a room");
    let (code, token) =
        (created["code"].as_str().expect("a code"), created["trainer_token"].as_str().expect("a token"));

    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    let upgrade = format!(
        "GET /ws?room={code} HTTP/1.1\r\nHost: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        server.addr
    );
    stream.write_all(upgrade.as_bytes()).await.expect("ask for a websocket");
    let mut answer = Vec::new();
    while !answer.ends_with(b"\r\n\r\n") {
        answer.push(stream.read_u8().await.expect("the answer"));
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 101"), "{answer}");
    assert!(answer.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), "the accept key RFC 6455 gives for this key: {answer}");

    // The hello, masked as a client must.
    let hello = format!(r#"{{"type":"hello","protocol":1,"join":{{"as":"trainer","token":"{token}"}}}}"#);
    let mask = [7u8, 1, 8, 4];
    let mut frame = vec![0x81, 0x80 | 126];
    frame.extend(u16::try_from(hello.len()).expect("a short hello").to_be_bytes());
    frame.extend(mask);
    frame.extend(hello.bytes().enumerate().map(|(i, byte)| byte ^ mask[i % 4]));
    stream.write_all(&frame).await.expect("say hello");

    let mut message = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let (last, opcode, payload) = server_frame(&mut stream).await;
        if opcode == 0x9 || opcode == 0xA {
            continue; // a ping or pong between the fragments is allowed
        }
        assert_eq!(opcode, if sizes.is_empty() { 0x1 } else { 0x0 }, "text, then continuations");
        sizes.push(payload.len());
        message.extend(payload);
        if last {
            break;
        }
    }
    assert!(sizes.len() > 1, "a long welcome is sent in fragments: {sizes:?}");
    assert!(sizes.iter().all(|size| *size <= 1024), "no fragment over 1 KiB: {sizes:?}");
    let welcome: serde_json::Value = serde_json::from_slice(&message).expect("the fragments make one JSON message");
    assert_eq!(welcome["type"], "welcome");
    assert!(message.len() > 8 * 1024, "the welcome with four decks is long ({} bytes)", message.len());
}
