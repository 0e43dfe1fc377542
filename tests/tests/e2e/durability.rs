//! Round logs survive anything: SIGKILL at any moment, a locked database, a restart.

use std::collections::BTreeMap;
use std::path::Path;

use cards::protocol::{ClientMsg, Join, ServerMsg};
use cards::view::PhaseView;
use cards::{Answer, Position, SeatId};
use tests::process::{ServerProcess, tool, tool_fails};
use tests::{TestClient, TestServer, scratch_dir};

/// Every stored argument, and the sequence numbers of one room, read straight from the file.
fn stored(data_dir: &Path, room: &str) -> (Vec<u64>, Vec<String>) {
    let db = rusqlite::Connection::open(data_dir.join(server::Sqlite::FILE)).expect("open the store");
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |row| row.get(0)).expect("integrity check");
    assert_eq!(integrity, "ok");
    let mut select = db.prepare("SELECT seq, body FROM events WHERE room = ?1 ORDER BY seq").expect("prepare");
    let rows: Vec<(u64, String)> = select
        .query_map([room], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let arguments = rows
        .iter()
        .filter_map(|(_, body)| serde_json::from_str::<serde_json::Value>(body).ok())
        .filter(|event| event["event"] == "answered")
        .filter_map(|event| event["answer"]["argument"].as_str().map(str::to_owned))
        .collect();
    (rows.into_iter().map(|(seq, _)| seq).collect(), arguments)
}

fn stage(view: &cards::View) -> &'static str {
    match &view.phase {
        PhaseView::Turn(turn) if turn.statement.is_none() => "choosing",
        PhaseView::Turn(turn) if turn.reveal.is_some() => "revealed",
        PhaseView::Turn(_) => "answering",
        PhaseView::Lobby => "lobby",
        PhaseView::Ended { .. } => "ended",
    }
}

#[tokio::test]
async fn acknowledged_answers_survive_twenty_four_kills_and_players_take_their_seats_back() {
    let data = scratch_dir("crash");
    let mut server = ServerProcess::start(&data).await;
    let (code, trainer_token) = tests::create_room(server.addr, cards::Settings::default()).await;
    let mut seat_tokens: BTreeMap<usize, String> = BTreeMap::new();
    for seat in 0..4 {
        let mut player = TestClient::connect(server.addr, &code).await;
        player.hello(Join::Player { name: format!("Speler {seat}") }).await.expect("join");
        seat_tokens.insert(seat, player.seat_token.clone().expect("a seat token"));
    }
    let mut trainer = TestClient::connect(server.addr, &code).await;
    trainer.hello(Join::Trainer { token: trainer_token.clone() }).await.expect("trainer");
    trainer.request(ClientMsg::Start).await.expect("start");

    let mut acknowledged: Vec<String> = Vec::new();
    for kill in 0..24usize {
        // Everyone comes back after the restart, with the tokens they kept.
        let mut trainer = TestClient::connect(server.addr, &code).await;
        trainer.hello(Join::Trainer { token: trainer_token.clone() }).await.expect("the trainer comes back");
        let mut players = Vec::new();
        for (seat, token) in seat_tokens.iter_mut() {
            let mut player = TestClient::connect(server.addr, &code).await;
            player.hello(Join::Seat { token: token.clone() }).await.expect("the seat is taken back");
            assert_eq!(player.view().my_seat(), Some(SeatId(*seat as u16)), "the same seat");
            let fresh = player.seat_token.clone().expect("a fresh seat token");
            assert_ne!(*token, fresh, "the token is replaced on every resume");
            *token = fresh;
            players.push(player);
        }
        // Move the room to a statement that takes answers.
        loop {
            match stage(trainer.view()) {
                "choosing" => {
                    let reader = match &trainer.view().phase {
                        PhaseView::Turn(turn) => turn.reader.expect("a reader"),
                        _ => unreachable!(),
                    };
                    let player = &mut players[usize::from(reader.0)];
                    let card = player.until(|view| stage(view) == "choosing").await.hand[0].id.clone();
                    player.request(ClientMsg::Play { card }).await.expect("play");
                    trainer.until(|view| stage(view) == "answering").await;
                }
                "revealed" => {
                    if trainer.request(ClientMsg::Revote).await.is_ok() {
                        trainer.until(|view| stage(view) == "answering").await;
                    } else {
                        trainer.request(ClientMsg::Next).await.expect("twenty votes: the next statement");
                        trainer.until(|view| stage(view) == "choosing").await;
                    }
                }
                "answering" => break,
                other => panic!("the room should go on, but it is in {other}"),
            }
        }
        // Everyone answers at once; the server is killed after `kill % 5` acknowledgements.
        let mut sent = Vec::new();
        for (seat, player) in players.iter_mut().enumerate() {
            player.until(|view| stage(view) == "answering").await;
            let argument = format!("kill-{kill}-seat-{seat}.");
            let answer = Answer {
                position: Position::Scale(1 + (seat % 5) as u8),
                argument: Some(argument.clone()),
                definition: None,
            };
            sent.push((player.send(ClientMsg::Answer(answer)).await, argument));
        }
        for (player, (id, argument)) in players.iter_mut().zip(&sent).take(kill % 5) {
            if player.answer_to(*id).await.is_ok() {
                acknowledged.push(argument.clone());
            }
        }
        server.kill().await;

        let (seqs, arguments) = stored(&data, &code);
        assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "sequence numbers have no holes");
        for argument in &acknowledged {
            assert!(arguments.contains(argument), "acknowledged answer {argument} is in the log");
        }
        server = ServerProcess::start(&data).await;
    }
    assert!(acknowledged.len() >= 30, "the test saw answers acknowledged before the kills");

    let mut trainer = TestClient::connect(server.addr, &code).await;
    trainer.hello(Join::Trainer { token: trainer_token }).await.expect("the trainer comes back");
    let view = trainer.view();
    assert!(view.seats.iter().all(|seat| seat.presence != cards::Presence::Here), "every seat waits on hold");
    match stage(view) {
        "answering" => trainer.request(ClientMsg::Reveal).await.expect("the room goes on"),
        "revealed" => trainer.request(ClientMsg::Next).await.expect("the room goes on"),
        other => panic!("unexpected {other}"),
    }
    server.kill().await;
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn a_locked_database_refuses_the_command_whole_and_tells_the_trainer() {
    let server = TestServer::start().await;
    let (_code, _token, mut trainer, players) = server.statement_on_the_table(&["Anna", "Bram"]).await;
    let [mut anna, mut bram] = <[TestClient; 2]>::try_from(players).ok().expect("two players");

    // Another process holds the write lock: the store cannot append.
    let blocker = rusqlite::Connection::open(server.data_dir.join(server::Sqlite::FILE)).expect("open the store");
    blocker.execute_batch("BEGIN EXCLUSIVE").expect("lock the store");
    let before = bram.seq;
    let answer = ClientMsg::Answer(Answer { position: Position::Scale(2), argument: None, definition: None });
    let refused = anna.request(answer.clone()).await.expect_err("the store is locked");
    assert_eq!(refused.code, "store_unavailable");
    loop {
        if let ServerMsg::Notice { code, .. } = trainer.recv().await {
            assert_eq!(code, "store_unavailable", "the trainer is told");
            break;
        }
    }
    blocker.execute_batch("ROLLBACK").expect("unlock the store");

    // Nothing was applied or sent: Anna's answer goes in fresh, and Bram's next update follows
    // straight on from the last one he had.
    anna.request(answer).await.expect("the store is back");
    let msg = bram.recv().await;
    assert!(
        matches!(msg, ServerMsg::Update { seq, .. } if seq == before + 1),
        "no update was sent for the refused answer: {msg:?}"
    );
    let view = bram.view();
    assert!(matches!(&view.phase, PhaseView::Turn(turn) if turn.answered == [SeatId(0)]));
}

#[tokio::test]
async fn a_reconnecting_client_is_sent_only_what_it_missed() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let anna = server.player(&code, "Anna").await;
    let anna_view = anna.view().clone();
    let (anna_seq, anna_token) = (anna.seq, anna.seat_token.clone().expect("token"));
    anna.drop_connection().await;
    let _bram = server.player(&code, "Bram").await;
    trainer.until(|view| view.seats.len() == 2).await;

    let mut back = server.connect(&code).await;
    back.view = Some(anna_view);
    back.seq = anna_seq;
    back.seat_token = Some(anna_token.clone());
    let hello = ClientMsg::Hello {
        protocol: cards::protocol::PROTOCOL_VERSION,
        join: Join::Seat { token: anna_token },
        since: Some(anna_seq),
    };
    let id = back.send(hello).await;
    back.answer_to(id).await.expect("resumed");
    assert!(back.frames[0].contains("\"resumed\""), "no full view: {}", back.frames[0]);
    let view = back
        .until(|view| {
            view.seats.len() == 2 && view.seat(SeatId(0)).is_some_and(|seat| seat.presence == cards::Presence::Here)
        })
        .await;
    assert_eq!(
        view.seat(SeatId(1)).map(|seat| seat.name.as_str()),
        Some("Bram"),
        "the missed join arrived as an update"
    );
}

#[tokio::test]
async fn the_command_line_lists_exports_and_deletes_rooms() {
    let server = TestServer::start().await;
    let (code, token, mut trainer, players) = server.statement_on_the_table(&["Anna", "Bram"]).await;
    let [mut anna, mut bram] = <[TestClient; 2]>::try_from(players).ok().expect("two players");
    for (player, position) in [(&mut anna, 2), (&mut bram, 5)] {
        let answer = Answer {
            position: Position::Scale(position),
            argument: Some("Omdat; \"zo\"".to_owned()),
            definition: None,
        };
        player.request(ClientMsg::Answer(answer)).await.expect("answer");
    }
    trainer.until(|view| stage(view) == "revealed").await;

    let rooms = tool(&server.data_dir, &["rooms"]);
    let line = rooms.lines().find(|line| line.starts_with(&code)).expect("the room is listed");
    assert!(line.ends_with("open") && line.contains(" 2 ") && line.contains(" 1 "), "{line}");

    let csv = tool(&server.data_dir, &["export", &code, "--format", "csv"]);
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows.len(), 3, "a header and one row per answer:\n{csv}");
    assert!(rows[1].contains(";Deelnemer 1;") && rows[1].contains(";2;oneens;\"Omdat; \"\"zo\"\"\";"), "{}", rows[1]);
    assert!(!csv.contains("Anna"), "names are pseudonymised by default");
    assert!(tool(&server.data_dir, &["export", &code, "--format", "csv", "--names"]).contains("Anna"));
    let json = tool(&server.data_dir, &["export", &code, "--format", "json"]);
    let log: serde_json::Value = serde_json::from_str(&json).expect("the log is JSON");
    assert_eq!(log[0]["event"]["event"], "created");
    assert!(!json.contains("Anna") && !json.contains(&token), "no names, no tokens");

    assert!(tool_fails(&server.data_dir, &["export", "ZZZZZZ"]).contains("no room ZZZZZZ"));
    assert!(tool(&server.data_dir, &["delete", &code]).contains("deleted"));
    assert!(!tool(&server.data_dir, &["rooms"]).contains(&code));
}
