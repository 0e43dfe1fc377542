//! A whole session over real websockets: twelve players, three rounds, a re-vote, a kick, a
//! phone that sleeps and wakes, a phone that never comes back, an observer and a projector.

use std::collections::BTreeMap;

use cards::protocol::{ClientMsg, Join};
use cards::view::PhaseView;
use cards::{Answer, Position, Presence, SeatId, View};
use tests::{TestClient, TestServer};

fn answer(position: u8, argument: String) -> ClientMsg {
    ClientMsg::Answer(Answer { position: Position::Scale(position), argument: Some(argument), definition: None })
}

fn turn(view: &View) -> Option<&cards::view::TurnView> {
    match &view.phase {
        PhaseView::Turn(turn) => Some(turn),
        _ => None,
    }
}

fn revealed(view: &View, vote: u8) -> bool {
    turn(view).is_some_and(|turn| turn.vote == vote && turn.reveal.as_ref().is_some_and(|reveal| reveal.vote == vote))
}

fn secret(round: u32, vote: u8, seat: usize) -> String {
    format!("GEHEIM-r{round}-v{vote}-s{seat}.")
}

/// Nobody but each author was sent the arguments of this vote before its reveal.
fn nothing_leaked(
    watchers: &[(&str, &TestClient)],
    players: &BTreeMap<usize, TestClient>,
    round: u32,
    vote: u8,
    authors: &[usize],
) {
    for seat in authors {
        let text = secret(round, vote, *seat);
        for (who, client) in watchers {
            assert!(!client.wire().contains(&text), "{who} was sent {text} before the reveal");
        }
        for (other, client) in players {
            assert_eq!(client.wire().contains(&text), other == seat, "player {other} and {text} before the reveal");
        }
    }
}

#[tokio::test]
async fn twelve_players_play_three_rounds_with_a_revote_a_kick_and_sleeping_phones() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut observer = server.observer(&code).await;
    let mut projector = server.observer(&code).await;
    let mut players: BTreeMap<usize, TestClient> = BTreeMap::new();
    for seat in 0..12 {
        players.insert(seat, server.player(&code, &format!("Speler {seat}")).await);
    }
    trainer.until(|view| view.seats.len() == 12).await;
    trainer.request(ClientMsg::Start).await.expect("start");

    // Round 1. Seat 11's phone sleeps before the statement is played and never comes back;
    // seat 0 reads; seat 5's phone sleeps after answering and wakes up.
    let sleeper = players.remove(&11).expect("seat 11");
    sleeper.drop_connection().await;
    trainer.until(|view| view.seat(SeatId(11)).is_some_and(|seat| seat.presence != Presence::Here)).await;
    let reader = players.get_mut(&0).expect("seat 0");
    let card = reader.until(|view| !view.hand.is_empty()).await.hand[0].clone();
    reader.request(ClientMsg::Play { card: card.id }).await.expect("play");
    let mut waking = players.remove(&5).expect("seat 5");
    waking.request(answer(2, secret(1, 1, 5))).await.expect("answer");
    let hand_before = waking.view().hand.clone();
    let role_before = waking.view().seat(SeatId(5)).and_then(|seat| seat.role.clone());
    let seat_token = waking.seat_token.clone().expect("a seat token");
    waking.drop_connection().await;
    trainer.until(|view| view.seat(SeatId(5)).is_some_and(|seat| seat.presence != Presence::Here)).await;
    let mut woken = server.resume(&code, &seat_token).await;
    let view = woken.view();
    assert_eq!(view.hand, hand_before, "the same hand");
    assert_eq!(view.seat(SeatId(5)).and_then(|seat| seat.role.clone()), role_before, "the same role");
    assert_eq!(turn(view).and_then(|turn| turn.mine.clone()).map(|mine| mine.position), Some(Position::Scale(2)));
    woken.until(|view| view.seat(SeatId(5)).is_some_and(|seat| seat.presence == Presence::Here)).await;
    players.insert(5, woken);

    for (seat, client) in players.iter_mut().filter(|(seat, _)| **seat != 5 && **seat != 4) {
        client.request(answer(1 + (*seat % 5) as u8, secret(1, 1, *seat))).await.expect("answer");
    }
    trainer.until(|view| turn(view).is_some_and(|turn| turn.answered.len() == 10)).await;
    let authors: Vec<usize> = players.keys().copied().filter(|seat| *seat != 4).collect();
    let watchers = [("the trainer", &trainer), ("the observer", &observer), ("the projector", &projector)];
    nothing_leaked(&watchers, &players, 1, 1, &authors);
    let last = players.get_mut(&4).expect("seat 4");
    last.request(answer(5, secret(1, 1, 4))).await.expect("the last present answer");
    for client in players.values_mut().chain([&mut trainer, &mut observer, &mut projector]) {
        client.until(|view| revealed(view, 1)).await;
    }
    let reveal = turn(projector.view()).and_then(|turn| turn.reveal.clone()).expect("revealed");
    assert_eq!(reveal.answers.len(), 11, "everyone present answered; the sleeper did not block the round");
    assert!(projector.wire().contains(&secret(1, 1, 7)), "after the reveal the projector shows the arguments");

    // The re-vote: seat 0 moves from 1 to 4, the others keep their position.
    trainer.request(ClientMsg::Revote).await.expect("revote");
    for (seat, client) in players.iter_mut() {
        client.until(|view| turn(view).is_some_and(|turn| turn.vote == 2)).await;
        let position = if *seat == 0 {
            4
        } else if *seat == 4 {
            5
        } else if *seat == 5 {
            2
        } else {
            1 + (*seat % 5) as u8
        };
        client.request(answer(position, secret(1, 2, *seat))).await.expect("re-vote answer");
    }
    for client in players.values_mut().chain([&mut trainer, &mut observer]) {
        client.until(|view| revealed(view, 2)).await;
    }
    let reveal = turn(observer.view()).and_then(|turn| turn.reveal.clone()).expect("revealed");
    let moved: Vec<Option<SeatId>> = reveal
        .answers
        .iter()
        .filter(|given| given.before != Some(given.answer.position))
        .map(|given| given.seat)
        .collect();
    assert_eq!(moved, [Some(SeatId(0))], "only seat 0 moved");

    // Round 2: seat 1 reads; the trainer removes seat 10 before it answers.
    trainer.request(ClientMsg::Next).await.expect("next");
    let reader = players.get_mut(&1).expect("seat 1");
    let card = reader.until(|view| turn(view).is_some_and(|turn| turn.number == 2)).await.hand[0].clone();
    reader.request(ClientMsg::Play { card: card.id }).await.expect("play");
    trainer.request(ClientMsg::Kick { seat: SeatId(10), refuse_name: false }).await.expect("kick");
    let mut kicked = players.remove(&10).expect("seat 10");
    kicked.closed_by_server().await;
    assert_eq!(
        kicked.view().seat(SeatId(10)).map(|seat| seat.presence),
        Some(Presence::Left { reason: cards::event::LeaveReason::Kicked }),
        "the removed player is told before the connection closes"
    );
    let refused =
        server.connect(&code).await.hello(Join::Seat { token: kicked.seat_token.clone().expect("token") }).await;
    assert_eq!(refused.expect_err("no way back").code, "bad_token");
    for (seat, client) in players.iter_mut() {
        client.until(|view| turn(view).is_some_and(|turn| turn.statement.is_some())).await;
        client.request(answer(3, secret(2, 1, *seat))).await.expect("answer");
    }
    for client in players.values_mut().chain([&mut trainer]) {
        client.until(|view| revealed(view, 1) && turn(view).is_some_and(|turn| turn.number == 2)).await;
    }

    // Round 3: seat 2 reads, everyone answers, the trainer ends the session.
    trainer.request(ClientMsg::Next).await.expect("next");
    let reader = players.get_mut(&2).expect("seat 2");
    let card = reader.until(|view| turn(view).is_some_and(|turn| turn.number == 3)).await.hand[0].clone();
    reader.request(ClientMsg::Play { card: card.id }).await.expect("play");
    for (seat, client) in players.iter_mut() {
        client.until(|view| turn(view).is_some_and(|turn| turn.number == 3 && turn.statement.is_some())).await;
        client.request(answer(4, secret(3, 1, *seat))).await.expect("answer");
    }
    projector.until(|view| turn(view).is_some_and(|turn| turn.number == 3 && turn.reveal.is_some())).await;
    trainer.request(ClientMsg::End).await.expect("end");
    observer.until(|view| matches!(view.phase, PhaseView::Ended { .. })).await;

    // Neither the observer nor the projector was ever sent a hand; no player another's hand.
    let hands: Vec<(usize, Vec<String>)> = players
        .iter()
        .map(|(seat, client)| (*seat, client.view().hand.iter().map(|card| card.text.nl.clone()).collect()))
        .collect();
    for (holder, hand) in &hands {
        for text in hand {
            assert!(!observer.wire().contains(text.as_str()) && !projector.wire().contains(text.as_str()));
            for (seat, client) in &players {
                assert!(seat == holder || !client.wire().contains(text.as_str()), "seat {seat} saw a card of {holder}");
            }
        }
    }
    let stored = tests::stored_event_kinds(&server.data_dir, &code);
    assert_eq!(stored.iter().filter(|(_, kind)| kind == "revealed").count(), 4);
}
