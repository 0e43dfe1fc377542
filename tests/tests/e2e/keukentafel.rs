//! A keukentafeluitdaging over real websockets: the built-in draaiboek, lay-outs that no raw
//! frame shows another participant before the reveal, a phone that reloads and keeps its
//! lay-out, a second round that shows who moved, the CSV a trainer downloads, and a trainer's
//! own case deck (with a typo first).

use std::collections::BTreeMap;

use cards::forms::FormKind;
use cards::forms::table::{Layout, Place, Regie, TableCommand};
use cards::protocol::ClientMsg;
use cards::{CardId, View};
use tests::{TestClient, TestServer, http, http_request};

async fn keukentafel(server: &TestServer) -> (String, String) {
    let body = serde_json::json!({"statement_decks": ["containerbegrippen"], "role_deck": "keukentafel", "draaiboek": "keukentafeluitdaging"});
    let (status, reply) = http(server.addr, "POST", "/api/rooms", Some(&body.to_string())).await;
    assert_eq!(status, 201, "room created: {reply}");
    let reply: serde_json::Value = serde_json::from_str(&reply).expect("json");
    (reply["code"].as_str().expect("code").to_owned(), reply["trainer_token"].as_str().expect("token").to_owned())
}

fn place(table: &[&str], on_call: &[&str], reason: Option<(&str, &str)>) -> ClientMsg {
    let places = table
        .iter()
        .map(|role| (CardId::new(*role), Place::Table))
        .chain(on_call.iter().map(|role| (CardId::new(*role), Place::OnCall)))
        .collect();
    let reasons = reason.map(|(role, why)| BTreeMap::from([(CardId::new(role), why.to_owned())])).unwrap_or_default();
    ClientMsg::Table(TableCommand::Place(Layout { places, regie: Some(Regie::Family), reasons }))
}

fn revealed(view: &View) -> Option<usize> {
    let round = view.session.as_ref()?.table.as_ref()?.round.as_ref()?;
    round.revealed.as_ref().map(|_| round.round)
}

#[tokio::test]
async fn the_keukentafel_keeps_every_lay_out_private_until_the_reveal_and_shows_who_moved() {
    let server = TestServer::start().await;
    let (code, token) = keukentafel(&server).await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut projector = server.observer(&code).await;
    let mut players: Vec<TestClient> = Vec::new();
    for name in ["Anna", "Bram", "Cas"] {
        players.push(server.player(&code, name).await);
    }
    trainer.until(|view| view.seats.len() == 3).await;
    trainer.request(ClientMsg::Start).await.expect("start");
    for client in players.iter_mut().chain([&mut projector]) {
        client
            .until(|view| {
                view.session.as_ref().and_then(|s| s.running.map(|step| s.steps[usize::from(step)].form))
                    == Some(FormKind::Table)
            })
            .await;
    }
    let case = CardId::new("scheiding-strijd");
    trainer.request(ClientMsg::Table(TableCommand::Lay { case: case.clone() })).await.expect("lay");
    let refused =
        players[0].request(ClientMsg::Table(TableCommand::Lay { case: case.clone() })).await.expect_err("lay");
    assert_eq!(refused.code, "not_trainer");
    let unknown = place(&["burgemeester"], &[], None);
    assert_eq!(players[0].request(unknown).await.expect_err("no such role").code, "unknown_role");

    // Anna lays out, her phone reloads, her lay-out is still hers; no frame shows it to anyone else.
    players[0]
        .request(place(&["ouder", "huisarts"], &["grootouder"], Some(("huisarts", "ANNA-REDEN-GEHEIM"))))
        .await
        .expect("place");
    let seat_token = players[0].seat_token.clone().expect("a seat token");
    let anna = players.remove(0);
    anna.drop_connection().await;
    let anna = server.resume(&code, &seat_token).await;
    let mine = anna.view().mine.clone().and_then(|mine| mine.table).expect("Anna's lay-out came back with the reload");
    assert_eq!(mine.seats(), 2);
    players.insert(0, anna);
    for (client, who) in
        [(&players[1], "Bram"), (&players[2], "Cas"), (&projector, "the projector"), (&trainer, "the trainer")]
    {
        assert!(!client.wire().contains("ANNA-REDEN-GEHEIM"), "{who} sees Anna's reason before the reveal");
        assert!(!client.wire().contains("\"places\""), "{who} sees a lay-out before the reveal");
    }
    players[1].request(place(&["ouder"], &[], None)).await.expect("place");
    players[2].request(place(&["ouder", "grootouder"], &[], None)).await.expect("place");
    let view = projector.until(|view| revealed(view) == Some(1)).await;
    let round = view.session.as_ref().and_then(|s| s.table.clone()?.round).expect("a round");
    assert_eq!(
        round.revealed.map(|layouts| layouts.len()),
        Some(3),
        "every lay-out, Anna's from before her reload too"
    );
    assert!(projector.wire().contains("ANNA-REDEN-GEHEIM"), "after the reveal the reasons are read out");

    // Between rounds the trainer may move on; the keukentafel's moves are then refused.
    trainer.request(ClientMsg::NextStep).await.expect("on to the verbeteracties");
    let refused =
        trainer.request(ClientMsg::Table(TableCommand::Lay { case: case.clone() })).await.expect_err("moved on");
    assert_eq!(refused.code, "not_this_step");

    // A second session plays the second round.
    let (code, token) = keukentafel(&server).await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut players: Vec<TestClient> = Vec::new();
    for name in ["Anna", "Bram"] {
        players.push(server.player(&code, name).await);
    }
    trainer.until(|view| view.seats.len() == 2).await;
    trainer.request(ClientMsg::Start).await.expect("start");
    for round in 1..=2 {
        trainer.request(ClientMsg::Table(TableCommand::Lay { case: case.clone() })).await.expect("lay");
        let anna =
            if round == 1 { place(&["ouder", "huisarts"], &[], None) } else { place(&["ouder"], &["huisarts"], None) };
        players[0].request(anna).await.expect("Anna places");
        players[1].request(place(&["ouder"], &[], None)).await.expect("Bram places");
        trainer.until(|view| revealed(view) == Some(round)).await;
    }
    let moved = trainer.view().session.as_ref().and_then(|s| s.table.clone()?.round).expect("a round").moved;
    assert_eq!(moved.len(), 1, "Anna moved the GP from the table to on call: {moved:?}");
    assert_eq!((moved[0].from, moved[0].to), (Place::Table, Place::OnCall));

    // The trainer downloads the lay-outs: one row per participant, role and round.
    let path = format!("/api/rooms/{code}/export?format=table&step=0");
    let response = http_request(server.addr, "GET", &path, &[("X-Trainer-Token", token.as_str())], "").await;
    assert_eq!(response.status, 200);
    let csv = String::from_utf8(response.body).expect("UTF-8");
    assert!(csv.starts_with('\u{feff}'), "the file keeps its byte order mark");
    let roles = trainer.view().decks.role_cards.len();
    assert_eq!(csv.lines().count(), 1 + 2 * 2 * roles, "a header, and two rounds of two people placing every role");
    assert!(csv.lines().any(|line| line.contains("Huisarts") && line.contains("op afroep")), "{csv}");
}

const CASES: &str = r#"id = "eigen-casussen"
kind = "cases"
title.nl = "Onze casussen"

[[card]]
id = "familie-de-boer"
title.nl = "Familie De Boer"
text.nl = "Een gezin met drie kinderen. Vader is ziek. Moeder werkt nachten."
themes = ["keukentafel"]
"#;

#[tokio::test]
async fn a_trainers_own_case_deck_with_a_typo_changes_nothing_and_a_good_one_is_laid() {
    let server = TestServer::start().await;
    let (code, token) = keukentafel(&server).await;
    let mut trainer = server.trainer(&code, &token).await;
    let typo = CASES.replace("text.nl", "tekst.nl");
    let (status, body) = crate::decks::upload(&server, &code, &token, "casussen.toml", &typo).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["line"], 8, "the line of the unknown field: {body}");
    let (status, body) = crate::decks::upload(&server, &code, &token, "casussen.toml", CASES).await;
    assert_eq!(status, 200, "{body}");
    for name in ["Anna", "Bram"] {
        server.player(&code, name).await;
    }
    trainer.until(|view| view.seats.len() == 2).await;
    trainer.request(ClientMsg::Start).await.expect("start");
    let view = trainer.until(|view| view.session.as_ref().and_then(|s| s.table.as_ref()).is_some()).await;
    let offered: Vec<String> = view
        .session
        .as_ref()
        .and_then(|s| s.table.clone())
        .expect("a table")
        .cases
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(offered, ["familie-de-boer"], "the step lays the trainer's own cases");
    trainer
        .request(ClientMsg::Table(TableCommand::Lay { case: CardId::new("familie-de-boer") }))
        .await
        .expect("the trainer's case is laid");
    let (status, body) = crate::decks::upload(&server, &code, &token, "casussen.toml", CASES).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("cases_not_played")), "no keukentafel step is left to come");
}
