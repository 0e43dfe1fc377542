//! Hostile input that would cost the server more than it costs the sender (issue 22's
//! Critical, High and Medium findings), one test per finding, each against the in-process
//! server or the real binary: the hostile request is refused or bounded, and the server keeps
//! serving everybody else.

use cards::protocol::{ClientMsg, Join, ServerMsg};
use cards::{Settings, log::LoggedEvent};
use tests::{TestServer, http_request, http_request_from};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn create_body(decks: &[&str]) -> String {
    serde_json::json!({ "statement_decks": decks, "role_deck": "keukentafel" }).to_string()
}

async fn post_json(server: &TestServer, path: &str, body: &str) -> tests::HttpResponse {
    http_request(server.addr, "POST", path, &[("Content-Type", "application/json")], body).await
}

async fn log_of(server: &TestServer, code: &str, token: &str) -> Vec<LoggedEvent> {
    let response =
        http_request(server.addr, "GET", &format!("/api/rooms/{code}/log"), &[("X-Trainer-Token", token)], "").await;
    assert_eq!(response.status, 200);
    serde_json::from_slice(&response.body).expect("a log")
}

/// Critical: one deck named thousands of times was copied into the room thousands of times.
#[tokio::test]
async fn a_room_holds_each_deck_once_however_often_it_is_named() {
    let server = TestServer::start().await;
    let flood = create_body(&vec!["wijkteam"; 5_000]);
    assert_eq!(post_json(&server, "/api/rooms", &flood).await.status, 413, "a 60 KB request is no real request");

    let nine: Vec<String> = (0..9).map(|n| format!("deck-{n}")).collect();
    let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
    let refused = post_json(&server, "/api/rooms", &create_body(&nine)).await;
    assert_eq!(refused.status, 400);
    assert!(String::from_utf8_lossy(&refused.body).contains("too_many_decks"));

    let once = post_json(&server, "/api/rooms", &create_body(&["wijkteam"])).await;
    let many = post_json(&server, "/api/rooms", &create_body(&["wijkteam"; 300])).await;
    let size = |response: &tests::HttpResponse| {
        let created: serde_json::Value = serde_json::from_slice(&response.body).expect("created");
        (
            created["code"].as_str().expect("code").to_owned(),
            created["trainer_token"].as_str().expect("token").to_owned(),
        )
    };
    let ((code_once, token_once), (code_many, token_many)) = (size(&once), size(&many));
    let cards = |log: &[LoggedEvent]| match &log[0].event {
        cards::Event::Created { setup, .. } => setup.statements.cards.len(),
        other => panic!("a log starts with created, not {other:?}"),
    };
    let (log_once, log_many) =
        (log_of(&server, &code_once, &token_once).await, log_of(&server, &code_many, &token_many).await);
    assert_eq!(cards(&log_many), cards(&log_once), "named 300 times, stored once");
}

/// High: a request whose body never comes held its connection and memory for ever.
#[tokio::test(start_paused = true)]
async fn a_body_that_never_comes_is_cut_off() {
    let server = TestServer::start().await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    let head =
        "POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"sta";
    stream.write_all(head.as_bytes()).await.expect("send the start");
    let mut answer = Vec::new();
    // The server's clock runs on (paused time moves while nothing else happens).
    let _ = stream.read_to_end(&mut answer).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"), "{}", String::from_utf8_lossy(&answer));
}

/// High: 21,000 connections from one address used every file handle of the server.
#[tokio::test]
async fn one_address_cannot_hold_every_connection() {
    let server = TestServer::start_with(|config| config.limits.guard.http_connections_per_ip = 20).await;
    let mut held = Vec::new();
    for _ in 0..20 {
        let mut stream = TcpStream::connect(server.addr).await.expect("connect");
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("half a request");
        held.push(stream);
    }
    let mut one_more = TcpStream::connect(server.addr).await.expect("the kernel accepts");
    let mut answer = Vec::new();
    let _ = one_more.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await;
    let _ = one_more.read_to_end(&mut answer).await;
    assert!(answer.is_empty(), "the 21st connection from one address is closed at once");
    let other = http_request_from([127, 0, 0, 2].into(), server.addr, "GET", "/healthz", &[], "").await;
    assert_eq!(other.status, 200, "another address is served");
}

/// High: a 254 KiB CSV with 260,000 empty columns was parsed without a token and answered with
/// 60 MB of errors.
#[tokio::test]
async fn a_deck_upload_is_read_only_for_a_trainer_and_answered_with_a_bounded_list() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let columns = format!("tekst{}\n", ";".repeat(200_000));
    let path = format!("/api/rooms/{code}/decks");
    let stranger = http_request(server.addr, "POST", &path, &[("X-File-Name", "x.csv")], &columns).await;
    assert_eq!(stranger.status, 403, "no token, no reading");
    let trainer = [("X-Trainer-Token", token.as_str()), ("X-File-Name", "x.csv")];
    let refused = http_request(server.addr, "POST", &path, &trainer, &columns).await;
    assert_eq!(refused.status, 400);
    let refused: cards::api::DeckRefused = serde_json::from_slice(&refused.body).expect("a refusal");
    let codes: Vec<&str> = refused.errors.iter().map(|error| error.code.as_str()).collect();
    assert_eq!((codes.as_slice(), refused.more), (["too_many_columns"].as_slice(), 0), "one problem says it all");
    // Four hundred statements too long to read aloud: the first fifty problems, and how many more.
    let long = format!("tekst\n{}", format!("{}\n", "x".repeat(300)).repeat(400));
    let refused = http_request(server.addr, "POST", &path, &trainer, &long).await;
    assert!(refused.body.len() < 32 * 1024, "{} bytes of errors", refused.body.len());
    let refused: cards::api::DeckRefused = serde_json::from_slice(&refused.body).expect("a refusal");
    assert_eq!((refused.errors.len(), refused.more), (50, 350));
}

/// Medium: every upload was kept, however often the same deck came.
#[tokio::test]
async fn the_same_deck_uploaded_again_is_stored_once_and_uploads_are_bounded() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let deck = "tekst;begrippen\nRegie ligt bij wie het plan schrijft.;regie\nEén plan is genoeg.;plan\n";
    let path = format!("/api/rooms/{code}/decks");
    let trainer = [("X-Trainer-Token", token.as_str()), ("X-File-Name", "Onze stellingen.csv")];
    let mut statuses = Vec::new();
    for _ in 0..25 {
        statuses.push(http_request(server.addr, "POST", &path, &trainer, deck).await);
    }
    assert!(statuses[..20].iter().all(|response| response.status == 200));
    assert_eq!(statuses[20].status, 429, "one address uploads a burst, then waits");
    assert!(statuses[20].header("retry-after").is_some());
    let configured =
        log_of(&server, &code, &token).await.iter().filter(|logged| logged.event.kind() == "configured").count();
    assert_eq!(configured, 1, "twenty uploads of one deck are stored once");
}

/// Medium: one address seated forty fake players in a tenth of a second, and a removed name
/// came straight back.
#[tokio::test]
async fn one_address_cannot_fill_a_room_and_a_refused_name_stays_out() {
    let server = TestServer::start().await;
    let settings = Settings { joins_per_address: 3, ..Settings::default() };
    let (code, token) = server.create_room_with(settings).await;
    let mut trainer = server.trainer(&code, &token).await;
    for name in ["Een", "Twee", "Drie"] {
        server.player(&code, name).await;
    }
    let mut fourth = server.connect(&code).await;
    let refused = fourth.hello(Join::Player { name: "Vier".to_owned() }).await.expect_err("three per address");
    assert_eq!(refused.code, "too_many_from_address");
    let notice = loop {
        if let ServerMsg::Notice { code, .. } = trainer.recv().await {
            break code;
        }
    };
    assert_eq!(notice, "too_many_from_address", "the trainer hears why");
    // A group on one wifi: the trainer lets more in.
    let more = Settings { joins_per_address: 10, ..Settings::default() };
    trainer
        .request(ClientMsg::Configure { settings: more, statement_decks: Vec::new(), role_deck: None })
        .await
        .expect("raise");
    fourth.hello(Join::Player { name: "Vier".to_owned() }).await.expect("let in now");

    trainer.request(ClientMsg::Kick { seat: cards::SeatId(3), refuse_name: true }).await.expect("remove and refuse");
    let mut again = server.connect(&code).await;
    let refused = again.hello(Join::Player { name: "vier".to_owned() }).await.expect_err("refused for the session");
    assert_eq!(refused.code, "name_refused");
    again.hello(Join::Player { name: "Vijf".to_owned() }).await.expect("another name is welcome");
}

/// Low: with `--public-url` the websocket's origin is checked against it, not against a `Host`
/// header anyone can write.
#[tokio::test]
async fn behind_a_public_url_only_its_pages_open_websockets() {
    let server =
        TestServer::start_with(|config| config.public_url = Some("https://standpunt.example.nl".to_owned())).await;
    let (code, _token) = server.create_room().await;
    let with_origin = |origin: &str| {
        let mut request = format!("ws://{}/ws?room={code}", server.addr).into_client_request().expect("a request");
        request.headers_mut().insert("Origin", origin.parse().expect("a header"));
        request
    };
    let own_host = format!("http://{}", server.addr);
    assert!(tokio_tungstenite::connect_async(with_origin(&own_host)).await.is_err(), "the Host header proves nothing");
    assert!(tokio_tungstenite::connect_async(with_origin("https://standpunt.example.nl")).await.is_ok());
}
