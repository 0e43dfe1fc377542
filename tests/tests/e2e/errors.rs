//! Bad input gets a clear error with a stable code; the connection and the room carry on.

use cards::protocol::{ClientMsg, Join, ServerMsg};
use cards::{Presence, SeatId};
use tests::TestServer;

async fn error_code(client: &mut tests::TestClient) -> (Option<u64>, String) {
    loop {
        if let ServerMsg::Error { id, code, message } = client.recv().await {
            assert!(!message.nl.is_empty() && !message.en.is_empty(), "a message for people in both languages");
            return (id, code);
        }
    }
}

#[tokio::test]
async fn bad_frames_are_answered_and_the_connection_carries_on() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut player = server.player(&code, "Anna").await;

    player.send_raw("dit is geen json").await;
    assert_eq!(error_code(&mut player).await, (None, "bad_json".to_owned()));
    player.send_raw(r#"{"type":"shout","id":41}"#).await;
    assert_eq!(error_code(&mut player).await, (Some(41), "unknown_type".to_owned()));
    player.send_raw(r#"{"type":"answer","id":42,"position":8}"#).await;
    assert_eq!(error_code(&mut player).await, (Some(42), "bad_message".to_owned()));

    let refused = player.request(ClientMsg::Start).await.expect_err("players do not start");
    assert_eq!(refused.code, "not_trainer");
    let refused = player.request(ClientMsg::Reveal).await.expect_err("out of turn");
    assert_eq!(refused.code, "not_trainer");
    let refused = player.request(ClientMsg::Next).await.expect_err("out of turn");
    assert_eq!(refused.code, "not_trainer");

    // The same connection still works, and so does the room.
    let mut trainer = server.trainer(&code, &token).await;
    let mut bram = server.player(&code, "Bram").await;
    trainer.request(ClientMsg::Start).await.expect("the room carries on");
    let card = bram.until(|view| !view.hand.is_empty()).await.hand[0].clone();
    let refused = bram.request(ClientMsg::Play { card: card.id }).await.expect_err("Anna reads first");
    assert_eq!(refused.code, "not_your_turn");
    player.until(|view| !view.hand.is_empty()).await;
}

#[tokio::test]
async fn a_wrong_room_code_or_token_is_refused_without_harm() {
    let server = TestServer::start().await;
    let (code, _token) = server.create_room().await;

    let mut lost = server.connect("ZZZZZZ").await;
    let refused = lost.hello(Join::Player { name: "Anna".to_owned() }).await.expect_err("no such room");
    assert_eq!(refused.code, "unknown_room");
    let refused = lost.hello(Join::Observer { token: None }).await.expect_err("still no such room");
    assert_eq!(refused.code, "unknown_room");

    let mut impostor = server.connect(&code).await;
    let refused = impostor.hello(Join::Trainer { token: "0".repeat(32) }).await.expect_err("wrong token");
    assert_eq!(refused.code, "bad_token");
    let refused = impostor.request(ClientMsg::Start).await.expect_err("not joined");
    assert_eq!(refused.code, "not_joined");
    impostor.hello(Join::Player { name: "Anna".to_owned() }).await.expect("joining after a refusal works");
    let mut namesake = server.connect(&code).await;
    let refused = namesake.hello(Join::Player { name: "anna".to_owned() }).await.expect_err("name taken");
    assert_eq!(refused.code, "name_taken");
}

#[tokio::test]
async fn the_health_check_and_the_deck_list_answer() {
    let server = TestServer::start().await;
    assert_eq!(tests::http(server.addr, "GET", "/healthz", None).await, (200, "ok".to_owned()));
    let (status, body) = tests::http(server.addr, "GET", "/api/decks", None).await;
    assert_eq!(status, 200);
    assert!(body.contains("containerbegrippen") && body.contains("keukentafel"), "{body}");
    let (status, body) = tests::http(
        server.addr,
        "POST",
        "/api/rooms",
        Some(r#"{"statement_decks":["nope"],"role_deck":"keukentafel"}"#),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("unknown_deck"), "{body}");
}

#[tokio::test]
async fn a_locked_room_refuses_newcomers_but_gives_seats_back() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let anna = server.player(&code, "Anna").await;
    let anna_token = anna.seat_token.clone().expect("a seat token");
    trainer.request(ClientMsg::Lock { locked: true }).await.expect("lock");
    let mut late = server.connect(&code).await;
    let refused = late.hello(Join::Player { name: "Bram".to_owned() }).await.expect_err("locked");
    assert_eq!(refused.code, "room_locked");
    anna.drop_connection().await;
    server.resume(&code, &anna_token).await;
    trainer.request(ClientMsg::Lock { locked: false }).await.expect("unlock");
    late.hello(Join::Player { name: "Bram".to_owned() }).await.expect("open again");
}

#[tokio::test]
async fn the_forty_first_player_finds_the_room_full() {
    let server = TestServer::start().await;
    // Everyone here comes from 127.0.0.1: let the whole group in from one address.
    let settings = cards::Settings { joins_per_address: 100, ..cards::Settings::default() };
    let (code, _token) = server.create_room_with(settings).await;
    let mut players = Vec::new();
    for n in 0..40 {
        players.push(server.player(&code, &format!("Deelnemer {n}")).await);
    }
    let mut one_too_many = server.connect(&code).await;
    let refused = one_too_many.hello(Join::Player { name: "Nog iemand".to_owned() }).await.expect_err("full");
    assert_eq!(refused.code, "room_full");
    let observer = one_too_many.hello(Join::Observer { token: None }).await;
    assert!(observer.is_ok(), "watching is still possible");
}

/// On paused time: the server's own ping interval and idle timeout (15 and 45 seconds) pass in
/// an instant, and the test does not depend on how fast the machine is.
#[tokio::test(start_paused = true)]
async fn a_silent_client_is_dropped_and_shown_as_away() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    // Anna's client stops reading, so it never answers the server's pings.
    let anna = server.player(&code, "Anna").await;
    let view = trainer.until(|view| view.seat(SeatId(0)).is_some_and(|seat| seat.presence != Presence::Here)).await;
    assert!(matches!(view.seat(SeatId(0)).map(|seat| seat.presence), Some(Presence::Away { .. })));
    drop(anna);
}
