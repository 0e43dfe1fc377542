//! The review of a session with known answers: the figures, the log endpoint and the exports.

use cards::analysis::Review;
use cards::log::{LoggedEvent, Names};
use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Lang, Position, Settings};
use tests::process::tool;
use tests::{TestServer, http};

fn answer(position: u8, definition: &str) -> ClientMsg {
    ClientMsg::Answer(Answer {
        position: Position::Scale(position),
        argument: None,
        definition: Some(definition.to_owned()),
    })
}

fn stage_is(view: &cards::View, answering: bool) -> bool {
    matches!(&view.phase, PhaseView::Turn(turn) if turn.statement.is_some() && turn.reveal.is_none() == answering)
}

async fn log_with(server: &TestServer, code: &str, token: &str) -> (u16, String) {
    get_with(server, &format!("/api/rooms/{code}/log"), token).await
}

async fn get_with(server: &TestServer, path: &str, token: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nX-Trainer-Token: {token}\r\nConnection: close\r\n\r\n");
    tokio::io::AsyncWriteExt::write_all(&mut stream, request.as_bytes()).await.expect("send");
    let mut response = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stream, &mut response).await.expect("read");
    let status = response.split(' ').nth(1).and_then(|code| code.parse().ok()).expect("a status");
    (status, response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default())
}

#[tokio::test]
async fn a_session_with_known_answers_gives_the_known_figures() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut players = Vec::new();
    for name in ["Anna", "Bram", "Chris", "Dirk"] {
        players.push(server.player(&code, name).await);
    }
    trainer.request(ClientMsg::Start).await.expect("start");
    let card = players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    players[0].request(ClientMsg::Play { card }).await.expect("play");
    // [1, 1, 5, 5]: two camps, no consensus.
    let votes = [
        (1, "Het gezin beslist zelf"),
        (1, "Het gezin beslist zelf wat er gebeurt"),
        (5, "De professional houdt overzicht"),
        (5, "De professional houdt het overzicht"),
    ];
    for (player, (position, definition)) in players.iter_mut().zip(votes) {
        player.until(|view| stage_is(view, true)).await;
        player.request(answer(position, definition)).await.expect("answer");
    }
    trainer.until(|view| stage_is(view, false)).await;
    // After the talk, a re-vote: [3, 3, 3, 3], full consensus.
    trainer.request(ClientMsg::Revote).await.expect("revote");
    for player in &mut players {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.vote == 2)).await;
        player
            .request(ClientMsg::Answer(Answer { position: Position::Scale(3), argument: None, definition: None }))
            .await
            .expect("answer");
    }
    trainer.until(|view| stage_is(view, false)).await;

    assert_eq!(log_with(&server, &code, &"0".repeat(32)).await.0, 403, "only the room's trainers read its log");
    let (status, body) = log_with(&server, &code, &token).await;
    assert_eq!(status, 200);
    let log: Vec<LoggedEvent> = serde_json::from_str(&body).expect("the log");
    let review = Review::of(&log, Names::Pseudonyms, Lang::Nl);
    let statement = &review.statements[0];
    assert_eq!(statement.first.counts, [2, 0, 0, 0, 2]);
    assert!(statement.consensus.expect("C").abs() < 1e-9, "C = 0 for [1,1,5,5]");
    assert!((statement.polarization.expect("P") - 1.0).abs() < 1e-9, "P = 1 for [1,1,5,5]");
    let shift = &review.shifts[0].shift;
    assert!((shift.consensus_change.expect("ΔC") - 1.0).abs() < 1e-9, "from C 0 to C 1");
    assert_eq!((shift.n, shift.moved), (4, 4));
    // The definitions count under the one term the card asks about, whatever else it names.
    let defined: Vec<_> = review.terms.iter().filter(|term| !term.lens.definitions.is_empty()).collect();
    assert_eq!(defined.len(), 1, "{:?}", review.terms.iter().map(|term| &term.term).collect::<Vec<_>>());
    let term = defined[0];
    assert_eq!(term.lens.definitions.len(), 4);
    assert_eq!(term.lens.groups.len(), 2, "the family's and the professional's meaning");

    // The review page and the exports get the same figures from the server.
    let (status, served) = get_with(&server, &format!("/api/rooms/{code}/review"), &token).await;
    assert_eq!(status, 200);
    let served: Review = serde_json::from_str(&served).expect("a review");
    assert_eq!(served, review);
    let csv = tool(&server.data_dir, &["export", &code, "--format", "csv"]);
    let (status, downloaded) = get_with(&server, &format!("/api/rooms/{code}/export?format=csv"), &token).await;
    assert_eq!(
        (status, downloaded.as_str()),
        (200, csv.as_str()),
        "the console's download is the command line's export"
    );
    assert_eq!(csv.lines().count(), 1 + 8, "a header and eight answers (two votes of four)");
    assert!(csv.lines().nth(1).is_some_and(|row| row.starts_with("1;1;") && row.contains(";Het gezin beslist zelf;")));
    let html = tool(&server.data_dir, &["export", &code, "--format", "html"]);
    assert!(html.starts_with("<!doctype html>") && html.contains("<svg") && !html.contains("Anna"));
    assert_eq!(http(server.addr, "GET", &format!("/api/rooms/{code}/log"), None).await.0, 403, "no token, no log");
}

/// The trainer changes the deck in the lobby and reads the review in English: the review names
/// the deck that was played, and the review, the CSV, the JSON and the report speak English.
#[tokio::test]
async fn an_english_review_names_the_decks_played_and_every_export_speaks_english() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut players = [server.player(&code, "Anna").await, server.player(&code, "Bram").await];
    let configure = ClientMsg::Configure {
        settings: Settings::default(),
        statement_decks: vec!["wijkteam".to_owned()],
        role_deck: None,
    };
    trainer.request(configure).await.expect("another deck in the lobby");
    trainer.request(ClientMsg::Start).await.expect("start");
    let card = players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    players[0].request(ClientMsg::Play { card }).await.expect("play");
    for (player, position) in players.iter_mut().zip([Position::Scale(2), Position::Pass]) {
        player.until(|view| stage_is(view, true)).await;
        let answer = Answer { position, argument: Some("Omdat het kan".to_owned()), definition: None };
        player.request(ClientMsg::Answer(answer)).await.expect("answer");
    }
    trainer.until(|view| stage_is(view, false)).await;

    let (status, body) = get_with(&server, &format!("/api/rooms/{code}/review?lang=en"), &token).await;
    assert_eq!(status, 200);
    let review: Review = serde_json::from_str(&body).expect("a review");
    assert_eq!(review.statement_deck.en, "Questions from the neighbourhood team", "the deck played, not the first");
    assert_eq!(review.role_deck.nl, "Rollen aan de keukentafel");
    let answers = &review.statements[0].answers;
    assert!(
        answers.iter().all(|answer| answer.participant.as_deref().is_some_and(|who| who.starts_with("Participant ")))
    );
    assert!(answers.iter().all(|answer| !answer.group.is_empty()), "every answer knows its role's group");

    let export = |format: &str| format!("/api/rooms/{code}/export?format={format}&lang=en");
    let (status, csv) = get_with(&server, &export("csv"), &token).await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with("\u{feff}round;vote;statement_id;statement;terms;participant;role;position;position_text;")
    );
    assert!(csv.contains(";Participant 1;") && csv.contains(";disagree;") && csv.contains(";pass;"), "{csv}");
    assert!(csv.trim_end().lines().skip(1).all(|row| row.ends_with(";yes;1") || row.ends_with(";yes;2")), "{csv}");
    for dutch in ["Deelnemer", "oneens", ";pas;", ";ja;", "ronde"] {
        assert!(!csv.contains(dutch), "{dutch} in the English CSV:\n{csv}");
    }
    assert_eq!(
        csv,
        tool(&server.data_dir, &["export", &code, "--format", "csv", "--lang", "en"]),
        "the CLI says the same"
    );
    let (_, json) = get_with(&server, &export("json"), &token).await;
    assert!(json.contains("\"Participant 2\"") && !json.contains("Deelnemer") && !json.contains("Anna"));
    let (_, html) = get_with(&server, &export("html"), &token).await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Questions from the neighbourhood team"));
    for dutch in ["Terugblik", "deelnemers", "Stellingen", "Rollen aan de keukentafel", "Deelnemer"] {
        assert!(!html.contains(dutch), "{dutch} in the English report");
    }
    let (_, dutch) = get_with(&server, &format!("/api/rooms/{code}/export?format=csv"), &token).await;
    assert!(dutch.starts_with("\u{feff}ronde;") && dutch.contains(";Deelnemer 1;"), "Dutch stays the default");
}
