//! The debrief over the real server: a marked moment reaches trainers only and lands in the
//! review; the trainer regroups a term's definitions and writes down what the group agreed,
//! after the session ended; the pack a trainer downloads holds the report with both, every
//! step's file with its byte order mark, and the draaiboek.

use cards::analysis::Review;
use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Position};
use tests::{TestClient, TestServer, http_request};

fn answer(position: u8, argument: &str, definition: &str) -> ClientMsg {
    ClientMsg::Answer(Answer {
        position: Position::Scale(position),
        argument: Some(argument.to_owned()),
        definition: Some(definition.to_owned()),
    })
}

fn revealed(view: &cards::View) -> bool {
    matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())
}

async fn get(server: &TestServer, path: &str, token: &str) -> tests::HttpResponse {
    http_request(server.addr, "GET", path, &[("X-Trainer-Token", token)], "").await
}

async fn note(server: &TestServer, code: &str, token: &str, note: serde_json::Value) -> tests::HttpResponse {
    let headers = [("X-Trainer-Token", token), ("Content-Type", "application/json")];
    http_request(server.addr, "POST", &format!("/api/rooms/{code}/notes"), &headers, &note.to_string()).await
}

async fn review(server: &TestServer, code: &str, token: &str, names: &str) -> Review {
    let response = get(server, &format!("/api/rooms/{code}/review?names={names}"), token).await;
    assert_eq!(response.status, 200);
    serde_json::from_slice(&response.body).expect("a review")
}

/// Four players split two against two on the first statement, each with an argument and a
/// definition; the trainer marks the moment with a note before the reveal, then re-votes.
async fn split_session(server: &TestServer) -> (String, String, TestClient, Vec<TestClient>) {
    let (code, token, mut trainer, mut players) =
        server.statement_on_the_table(&["Anna", "Bram", "Chris", "Dirk"]).await;
    let given = [
        (5, "Het gezin kent zichzelf het best.", "Het gezin beslist zelf"),
        (4, "Meestal wel.", "Het gezin beslist zelf wat er gebeurt"),
        (1, "Bij onveiligheid neemt de professional het over.", "De professional houdt overzicht"),
        (2, "Niet altijd.", "De professional houdt het overzicht"),
    ];
    for (index, (player, (position, argument, definition))) in players.iter_mut().zip(given).enumerate() {
        if index == 3 {
            // Marked while people answer; the last answer reveals.
            trainer.request(ClientMsg::Mark { note: Some("hier viel het kwartje".to_owned()) }).await.expect("mark");
            trainer.until(|view| view.marks == 1).await;
        }
        player.request(answer(position, argument, definition)).await.expect("answer");
    }
    for player in &mut players {
        player.until(revealed).await;
    }
    trainer.request(ClientMsg::Revote).await.expect("revote");
    for player in &mut players {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.vote == 2)).await;
        player.request(answer(3, "Na het gesprek.", "")).await.expect("answer again");
    }
    trainer.until(revealed).await;
    (code, token, trainer, players)
}

#[tokio::test]
async fn a_marked_moment_reaches_trainers_only_and_lands_in_the_review() {
    let server = TestServer::start().await;
    let (code, token, mut trainer, mut players) = split_session(&server).await;
    let mut projector = server.observer(&code).await;
    assert_eq!(
        players[0].request(ClientMsg::Mark { note: None }).await.map_err(|refused| refused.code),
        Err("not_trainer".to_owned()),
        "a participant cannot mark"
    );
    trainer.request(ClientMsg::Mark { note: None }).await.expect("a mark without a note");
    trainer.until(|view| view.marks == 2).await;
    // Everyone sees the next reveal-free change, so every frame before it has arrived.
    trainer.request(ClientMsg::Lock { locked: true }).await.expect("lock");
    for client in players.iter_mut().chain([&mut projector]) {
        client.until(|view| view.locked).await;
        assert!(!client.wire().contains("kwartje") && !client.wire().contains("marked"), "no frame tells of a mark");
        assert_eq!(client.view().marks, 0);
    }
    let long = "x".repeat(cards::notes::MAX_NOTE_CHARS + 1);
    let refused = trainer.request(ClientMsg::Mark { note: Some(long) }).await.map_err(|refused| refused.code);
    assert_eq!(refused, Err("text_too_long".to_owned()));

    let review = review(&server, &code, &token, "pseudonyms").await;
    assert_eq!(review.marks.len(), 2);
    let first = &review.marks[0];
    assert_eq!((first.turn, first.revealed, first.note.as_deref()), (Some(1), false, Some("hier viel het kwartje")));
    assert!(first.statement.is_some() && review.marks[1].revealed, "the second mark came after the reveal");
}

#[tokio::test]
async fn the_trainer_regroups_agrees_after_the_end_and_takes_home_the_pack() {
    let server = TestServer::start().await;
    let (code, token, mut trainer, _players) = split_session(&server).await;
    trainer.request(ClientMsg::End).await.expect("end");
    trainer.until(|view| matches!(view.phase, PhaseView::Ended { .. })).await;

    let before = review(&server, &code, &token, "pseudonyms").await;
    let term = before.terms.iter().find(|term| term.lens.definitions.len() == 4).expect("a term with four definitions");
    assert_eq!(term.lens.groups.len(), 2, "the family's meaning and the professional's");
    // The sentences name the most divided term; the camps name who stood where.
    let name = before.term_name(&term.term, cards::Lang::Nl);
    let said = cards::analysis::sentences(&before, cards::Lang::Nl);
    assert!(said[0].starts_with(&format!("Over ‘{name}’ verschilt de groep het meest")), "{said:?}");
    let camps = before.statements[0].camps.as_ref().expect("two against two is a split");
    assert_eq!(camps.agree.people, ["Deelnemer 1", "Deelnemer 2"]);
    assert_eq!(camps.disagree.people, ["Deelnemer 3", "Deelnemer 4"]);
    assert_eq!(camps.agree.quotes[0].text, "Het gezin kent zichzelf het best.", "the firmest argument first");
    let named = review(&server, &code, &token, "real").await;
    assert_eq!(
        named.statements[0].camps.as_ref().map(|camps| camps.disagree.people.clone()),
        Some(vec!["Chris".to_owned(), "Dirk".to_owned()])
    );

    // Move the first definition of the second group into the first; write what was agreed.
    let key = |i: usize| serde_json::to_value(term.lens.definitions[i].key.clone().expect("a key")).expect("json");
    let (first, second) = (&term.lens.groups[0].members, &term.lens.groups[1].members);
    let mut together: Vec<serde_json::Value> = first.iter().map(|&i| key(i)).collect();
    together.push(key(second[0]));
    let groups = serde_json::json!([together, second[1..].iter().map(|&i| key(i)).collect::<Vec<_>>()]);
    let wrong = http_request(
        server.addr,
        "POST",
        &format!("/api/rooms/{code}/notes"),
        &[("X-Trainer-Token", &"0".repeat(32))],
        &serde_json::json!({"do": "agree", "term": term.term, "definition": "x"}).to_string(),
    )
    .await;
    assert_eq!(wrong.status, 403, "only the room's trainers write notes");
    let typo = note(&server, &code, &token, serde_json::json!({"do": "agre", "term": term.term})).await;
    assert_eq!(typo.status, 400);
    assert!(String::from_utf8_lossy(&typo.body).contains("\"code\":\"bad_message\""));
    let grouped =
        note(&server, &code, &token, serde_json::json!({"do": "group", "term": term.term, "groups": groups})).await;
    assert_eq!(grouped.status, 204, "{}", String::from_utf8_lossy(&grouped.body));
    let agreed = "Het gezin beslist, de professional bewaakt de veiligheid.";
    let saved =
        note(&server, &code, &token, serde_json::json!({"do": "agree", "term": term.term, "definition": agreed})).await;
    assert_eq!(saved.status, 204);

    let after = review(&server, &code, &token, "pseudonyms").await;
    let lens = &after.terms.iter().find(|t| t.term == term.term).expect("the term").lens;
    assert!(lens.by_hand);
    assert_eq!(lens.groups.iter().map(|group| group.members.len()).collect::<Vec<_>>(), [3, 1]);
    assert_eq!(after.terms.iter().find(|t| t.term == term.term).and_then(|t| t.agreed.as_deref()), Some(agreed));

    // The pack, as the review page downloads it.
    let pack = get(&server, &format!("/api/rooms/{code}/pack?names=pseudonyms&lang=nl"), &token).await;
    assert_eq!(pack.status, 200);
    assert_eq!(pack.header("content-type"), Some("application/zip"));
    assert_eq!(
        pack.header("content-disposition"),
        Some(format!("attachment; filename=\"nagesprek-{code}.zip\"").as_str())
    );
    let files = cards::zip::read_stored(&pack.body).expect("a zip file whose every CRC holds");
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [format!("verslag-{code}.html"), format!("stellingen-{code}.csv"), format!("draaiboek-{code}.toml")]
    );
    let report = String::from_utf8(files[0].1.clone()).expect("text");
    assert!(
        report.contains(agreed) && report.contains("hier viel het kwartje"),
        "the report holds the agreement and the mark"
    );
    assert!(
        report.contains("Over ‘") && !report.contains("Anna"),
        "its sentences, and no names in a pseudonymised pack"
    );
    assert!(files[1].1.starts_with("\u{feff}".as_bytes()), "the CSV keeps its byte order mark");
    let draaiboek = String::from_utf8_lossy(&files[2].1).into_owned();
    assert!(
        draaiboek.contains("kind = \"draaiboek\"") && draaiboek.contains("[[agreed]]") && draaiboek.contains(agreed),
        "{draaiboek}"
    );
}
