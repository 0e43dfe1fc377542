//! A trainer and three players play a full round over real websockets.

use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Position, SeatId};
use tests::{TestClient, TestServer};

fn answer(position: Position, argument: &str) -> ClientMsg {
    ClientMsg::Answer(Answer { position, argument: Some(argument.to_owned()), definition: None })
}

fn turn_number(view: &cards::View) -> Option<u32> {
    match &view.phase {
        PhaseView::Turn(turn) => Some(turn.number),
        _ => None,
    }
}

#[tokio::test]
async fn a_trainer_and_three_players_play_a_round_and_nothing_leaks_before_the_reveal() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut players: Vec<TestClient> = Vec::new();
    for name in ["Anna", "Bram", "Chris"] {
        players.push(server.player(&code, name).await);
    }
    trainer.until(|view| view.seats.len() == 3).await;

    trainer.request(ClientMsg::Start).await.expect("the trainer starts");
    for player in &mut players {
        player.until(|view| turn_number(view) == Some(1) && !view.hand.is_empty()).await;
    }
    let reader = match &players[0].view().phase {
        PhaseView::Turn(turn) => turn.reader,
        _ => unreachable!(),
    };
    assert_eq!(reader, Some(SeatId(0)), "the first seat reads first");

    // Each player's hand as they see it; nobody else may ever be sent these texts.
    let hands: Vec<Vec<String>> =
        players.iter().map(|player| player.view().hand.iter().map(|card| card.text.nl.clone()).collect()).collect();
    let card = players[0].view().hand[0].clone();
    players[0].request(ClientMsg::Play { card: card.id.clone() }).await.expect("the reader plays");

    let secrets = ["GEHEIM-ANNA", "GEHEIM-BRAM", "GEHEIM-CHRIS"];
    let positions = [Position::Scale(1), Position::Scale(5), Position::Pass];
    for i in 0..2 {
        players[i].request(answer(positions[i], secrets[i])).await.expect("an answer");
    }
    trainer.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.answered.len() == 2)).await;
    for player in &mut players {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.answered.len() == 2)).await;
    }

    // Before the reveal: on the raw frames, nobody was sent another player's answer or hand.
    for (i, player) in players.iter().enumerate() {
        let wire = player.frames.concat();
        for (j, secret) in secrets.iter().enumerate().take(2) {
            assert_eq!(wire.contains(secret), i == j, "player {i} and the answer of player {j}");
        }
        for (j, hand) in hands.iter().enumerate() {
            let still_hidden = hand.iter().filter(|text| **text != card.text.nl);
            for text in still_hidden {
                assert!(
                    i == j || !wire.contains(text.as_str()),
                    "player {i} was sent a card from the hand of player {j}"
                );
            }
        }
    }
    let trainer_wire = trainer.frames.concat();
    assert!(secrets.iter().all(|secret| !trainer_wire.contains(secret)), "the trainer sees who answered, not what");

    players[2].request(answer(positions[2], secrets[2])).await.expect("the last answer");
    for client in players.iter_mut().chain([&mut trainer]) {
        let view = client.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await;
        let PhaseView::Turn(turn) = &view.phase else { unreachable!() };
        let reveal = turn.reveal.as_ref().expect("revealed");
        assert_eq!(reveal.answers.len(), 3);
        let shown: Vec<_> = reveal.answers.iter().map(|given| (given.seat, given.answer.position)).collect();
        assert_eq!(
            shown,
            [(Some(SeatId(0)), positions[0]), (Some(SeatId(1)), positions[1]), (Some(SeatId(2)), positions[2])]
        );
        assert_eq!(reveal.answers[1].answer.argument.as_deref(), Some("GEHEIM-BRAM"));
        assert!(view.seats.iter().all(|seat| seat.role.is_some()), "every answer comes with its role");
    }

    trainer.request(ClientMsg::Next).await.expect("the trainer moves on");
    let view = players[1].until(|view| turn_number(view) == Some(2)).await;
    assert!(matches!(&view.phase, PhaseView::Turn(turn) if turn.reader == Some(SeatId(1))), "the reader rotates");
}
