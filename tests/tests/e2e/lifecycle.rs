//! A server that runs for months: rooms leave memory and their places, one address cannot fill
//! the server, the store has a ceiling, and a stop is graceful.

use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Position, SeatId};
use tests::TestServer;
use tests::process::ServerProcess;

const CREATE: &str = r#"{"statement_decks":["containerbegrippen"],"role_deck":"keukentafel"}"#;

async fn create_from(server: &TestServer, from: [u8; 4]) -> tests::HttpResponse {
    let json = [("Content-Type", "application/json")];
    tests::http_request_from(from.into(), server.addr, "POST", "/api/rooms", &json, CREATE).await
}

#[tokio::test]
async fn one_address_opens_a_few_rooms_then_waits_while_another_still_can() {
    let server = TestServer::start().await;
    let mut created = 0;
    let mut refused = Vec::new();
    for _ in 0..100 {
        let response = create_from(&server, [127, 0, 0, 1]).await;
        match response.status {
            201 => created += 1,
            429 => refused.push(response),
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(created, 6, "a small burst for a trainer who opens a few sessions");
    assert_eq!(refused.len(), 94);
    let last = refused.last().expect("refused");
    let wait: u64 = last.header("retry-after").and_then(|wait| wait.parse().ok()).expect("a Retry-After");
    assert!((1..=300).contains(&wait), "{wait} seconds to wait");
    let body = String::from_utf8_lossy(&last.body);
    assert!(body.contains("too_many_attempts") && body.contains("minuten"), "{body}");
    assert_eq!(create_from(&server, [127, 0, 0, 2]).await.status, 201, "another address still opens a room");
}

#[tokio::test]
async fn more_rooms_than_the_limit_are_opened_and_ended_one_after_another() {
    let server = TestServer::start_with(|config| {
        config.limits.max_rooms = 3;
        config.limits.guard.rooms_burst = 100;
    })
    .await;
    let mut running = Vec::new();
    for _ in 0..3 {
        running.push(server.create_room().await);
    }
    let (status, body) = tests::http(server.addr, "POST", "/api/rooms", Some(CREATE)).await;
    assert_eq!(status, 503, "three sessions running: {body}");
    assert!(body.contains("server_full"), "{body}");
    for (code, token) in running {
        let mut trainer = server.trainer(&code, &token).await;
        trainer.request(ClientMsg::End).await.expect("end");
    }
    for _ in 0..10 {
        let (code, token) = server.create_room().await;
        let mut trainer = server.trainer(&code, &token).await;
        trainer.request(ClientMsg::End).await.expect("an ended session frees its place");
    }
}

#[tokio::test]
async fn a_full_store_refuses_new_rooms_while_running_sessions_go_on() {
    let server = TestServer::start_with(|config| {
        config.limits.max_store_bytes = Some(400 * 1024);
        config.limits.guard.rooms_burst = 100_000;
    })
    .await;
    let (_code, _token, _trainer, mut players) = server.statement_on_the_table(&["Anna", "Bram"]).await;
    let refusal = loop {
        let (status, body) = tests::http(server.addr, "POST", "/api/rooms", Some(CREATE)).await;
        if status != 201 {
            break (status, body);
        }
    };
    assert_eq!(refusal.0, 507, "{}", refusal.1);
    assert!(refusal.1.contains("store_full") && refusal.1.contains("lopen gaan gewoon door"), "{}", refusal.1);
    let answer = Answer { position: Position::Scale(4), argument: None, definition: None };
    players[0].request(ClientMsg::Answer(answer)).await.expect("the running session carries on");
}

#[tokio::test]
async fn sigterm_tells_every_client_closes_the_store_and_exits_zero() {
    let data = tests::scratch_dir("sigterm");
    let server = ServerProcess::start(&data).await;
    let (code, token) = tests::create_room(server.addr, cards::Settings::default()).await;
    let mut trainer = tests::TestClient::connect(server.addr, &code).await;
    trainer.hello(cards::protocol::Join::Trainer { token: token.clone() }).await.expect("trainer");
    let mut anna = tests::TestClient::connect(server.addr, &code).await;
    anna.hello(cards::protocol::Join::Player { name: "Anna".to_owned() }).await.expect("Anna");
    let mut bram = tests::TestClient::connect(server.addr, &code).await;
    bram.hello(cards::protocol::Join::Player { name: "Bram".to_owned() }).await.expect("Bram");
    trainer.request(ClientMsg::Start).await.expect("start");
    let card = anna.until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    anna.request(ClientMsg::Play { card }).await.expect("play");
    let answer =
        Answer { position: Position::Scale(2), argument: Some("Voor het stoppen.".to_owned()), definition: None };
    anna.request(ClientMsg::Answer(answer)).await.expect("acknowledged before the stop");
    let anna_token = anna.seat_token.clone().expect("a seat token");

    let addr = server.addr;
    let status = server.terminate().await;
    assert!(status.success(), "exit status {status}");
    for client in [&mut trainer, &mut anna, &mut bram] {
        assert_eq!(client.closed_by_server().await, Some((1001, "server shutting down".to_owned())));
    }

    let server = ServerProcess::start_serving(&data, addr, &std::env::temp_dir()).await;
    let anna = server_resume(&server, &code, &anna_token).await;
    let PhaseView::Turn(turn) = &anna.view().phase else { panic!("the round is still on") };
    assert_eq!(turn.mine.as_ref().and_then(|mine| mine.argument.as_deref()), Some("Voor het stoppen."));
    assert_eq!(anna.view().seat(SeatId(0)).map(|seat| seat.name.as_str()), Some("Anna"));
    server.kill().await;
    let _ = std::fs::remove_dir_all(&data);
}

async fn server_resume(server: &ServerProcess, code: &str, token: &str) -> tests::TestClient {
    let mut client = tests::TestClient::connect(server.addr, code).await;
    client.hello(cards::protocol::Join::Seat { token: token.to_owned() }).await.expect("the seat is taken back");
    client
}

/// The room's timers on the server's clock, end to end on paused time: a hard timer reveals at
/// zero, and a seat whose phone never comes back is given up when its hold runs out.
#[tokio::test(start_paused = true)]
async fn a_hard_timer_reveals_and_a_seat_hold_runs_out_on_the_servers_clock() {
    let server = TestServer::start().await;
    let settings =
        cards::Settings { timer: cards::event::TimerMode::Hard { seconds: 90 }, ..cards::Settings::default() };
    let (code, token) = server.create_room_with(settings).await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut anna = server.player(&code, "Anna").await;
    let bram = server.player(&code, "Bram").await;
    trainer.request(ClientMsg::Start).await.expect("start");
    // Bram's phone goes dark before the statement is played, and stays dark; Anna thinks on.
    bram.drop_connection().await;
    trainer.until(|view| view.seat(SeatId(1)).is_some_and(|seat| seat.presence != cards::Presence::Here)).await;
    let card = anna.until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    anna.request(ClientMsg::Play { card }).await.expect("play");

    let view = trainer.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await;
    let PhaseView::Turn(turn) = &view.phase else { panic!("a turn") };
    assert_eq!(turn.reveal.as_ref().map(|reveal| reveal.cause), Some(cards::event::RevealCause::Timer));
    let view = trainer
        .until(|view| view.seat(SeatId(1)).is_some_and(|seat| matches!(seat.presence, cards::Presence::Left { .. })))
        .await;
    assert!(matches!(
        view.seat(SeatId(1)).map(|seat| seat.presence),
        Some(cards::Presence::Left { reason: cards::event::LeaveReason::Expired })
    ));
}
