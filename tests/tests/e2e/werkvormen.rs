//! A session that follows a draaiboek, over real websockets: created from the built-in
//! Dompelsessie, a schaalvraag with a phone that reloads, the statements, verbeteracties that
//! start from the schaalvraag, and a draaiboek file with a typo that changes nothing.

use std::collections::BTreeMap;

use cards::forms::FormKind;
use cards::forms::actions::{ActionCommand, ProposalId, Stage};
use cards::forms::scale::{ScaleAnswer, ScaleCommand};
use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{CardId, View};
use tests::{TestClient, TestServer, http, http_request};

/// Opens a session that follows draaiboek `id`; its code and trainer token.
async fn session_from(server: &TestServer, id: &str) -> (String, String) {
    let body =
        serde_json::json!({"statement_decks": ["containerbegrippen"], "role_deck": "keukentafel", "draaiboek": id});
    let (status, reply) = http(server.addr, "POST", "/api/rooms", Some(&body.to_string())).await;
    assert_eq!(status, 201, "room created: {reply}");
    let reply: serde_json::Value = serde_json::from_str(&reply).expect("json");
    (reply["code"].as_str().expect("code").to_owned(), reply["trainer_token"].as_str().expect("token").to_owned())
}

fn running(view: &View) -> Option<(u16, FormKind)> {
    let session = view.session.as_ref()?;
    let step = session.running?;
    Some((step, session.steps.get(usize::from(step))?.form))
}

fn scale_answer(score: u8, higher: &str) -> ClientMsg {
    ClientMsg::Scale(ScaleCommand::Answer(ScaleAnswer {
        score,
        why_not_lower: None,
        one_point_higher: Some(higher.to_owned()),
    }))
}

#[tokio::test]
async fn a_dompelsessie_runs_its_work_forms_in_order_and_nobody_loses_an_answer_to_a_reload() {
    let server = TestServer::start().await;
    let (code, token) = session_from(&server, "dompelsessie-ruimte-geeft-vaart").await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut projector = server.observer(&code).await;
    let mut players: Vec<TestClient> = Vec::new();
    for name in ["Anna", "Bram", "Cas"] {
        players.push(server.player(&code, name).await);
    }
    let agenda = trainer.view().session.clone().expect("the session follows the draaiboek");
    assert_eq!(agenda.steps.len(), 4);
    assert_eq!(trainer.view().decks.statements.id, "ruimte-geeft-vaart", "the draaiboek's statements");
    trainer.until(|view| view.seats.len() == 3).await;
    trainer.request(ClientMsg::Start).await.expect("start");
    for client in players.iter_mut().chain([&mut projector]) {
        client.until(|view| running(view) == Some((0, FormKind::Scale))).await;
    }

    // The schaalvraag: Anna answers, her phone reloads, her answer is still hers.
    let question = CardId::new("toegang-soepel");
    trainer.request(ClientMsg::Scale(ScaleCommand::Ask { question })).await.expect("ask");
    let refused = players[0].request(ClientMsg::Reveal).await.expect_err("not a statement step");
    assert_eq!(refused.code, "not_this_step");
    players[0].request(scale_answer(4, "EEN-LOKET-GEHEIM")).await.expect("answer");
    let seat_token = players[0].seat_token.clone().expect("a seat token");
    let anna = players.remove(0);
    anna.drop_connection().await;
    let anna = server.resume(&code, &seat_token).await;
    let mine = anna.view().mine.clone().expect("Anna's answer came back with the reload");
    assert_eq!(mine.scale.map(|answer| answer.score), Some(4));
    assert!(!projector.wire().contains("EEN-LOKET-GEHEIM"), "before the reveal the projector shows no answer");
    players.insert(0, anna);
    players[1].request(scale_answer(7, "Vaste contactpersoon")).await.expect("answer");
    players[2].request(scale_answer(5, "een-loket-geheim")).await.expect("answer");
    let view = projector
        .until(|view| view.session.as_ref().and_then(|s| s.scale.as_ref()?.round.as_ref()?.revealed.as_ref()).is_some())
        .await;
    let revealed = view.session.as_ref().and_then(|s| s.scale.clone()?.round?.revealed).expect("revealed");
    assert_eq!(revealed.len(), 3, "every answer, Anna's from before her reload too");

    // The statements, then the verbeteracties with the schaalvraag's steps one point higher.
    trainer.request(ClientMsg::NextStep).await.expect("next step");
    let view = players[0].until(|view| running(view) == Some((1, FormKind::Statements))).await;
    assert!(matches!(&view.phase, PhaseView::Turn(turn) if turn.number == 1), "the first statement is dealt");
    trainer.request(ClientMsg::NextStep).await.expect("next step");
    let view = trainer.until(|view| running(view) == Some((2, FormKind::Actions))).await;
    let actions = view.session.as_ref().and_then(|s| s.actions.clone()).expect("verbeteracties");
    let texts: Vec<&str> = actions.view.proposals.iter().map(|proposal| proposal.text.as_str()).collect();
    assert_eq!(texts, ["EEN-LOKET-GEHEIM", "Vaste contactpersoon"], "each step once");

    players[1]
        .request(ClientMsg::Actions(ActionCommand::Propose { text: "Samen op huisbezoek".into() }))
        .await
        .expect("propose");
    trainer.request(ClientMsg::Actions(ActionCommand::Show)).await.expect("show");
    trainer.request(ClientMsg::Actions(ActionCommand::OpenVote)).await.expect("open the vote");
    for player in &mut players {
        let dots = BTreeMap::from([(ProposalId(2), 2), (ProposalId(1), 1)]);
        player.request(ClientMsg::Actions(ActionCommand::Vote { dots })).await.expect("vote");
    }
    trainer.request(ClientMsg::Actions(ActionCommand::CloseVote)).await.expect("close the vote");
    let assign = ActionCommand::Assign { proposal: ProposalId(2), owner: "Bram".into(), by: "1 maart".into() };
    trainer.request(ClientMsg::Actions(assign)).await.expect("assign");
    let view = projector
        .until(|view| {
            view.session
                .as_ref()
                .and_then(|s| s.actions.as_ref())
                .is_some_and(|a| a.view.proposals.iter().any(|p| p.owner.is_some()))
        })
        .await;
    let ranked = view.session.as_ref().and_then(|s| s.actions.clone()).expect("ranked");
    assert_eq!(ranked.view.stage, Stage::Ranked);
    assert_eq!(ranked.view.proposals[0].text, "Samen op huisbezoek");
    assert_eq!(ranked.view.proposals[0].dots, Some(6));

    trainer.request(ClientMsg::NextStep).await.expect("the schaalvraag again");
    let refused = trainer.request(ClientMsg::NextStep).await.expect_err("the last step");
    assert_eq!(refused.code, "last_step");
    trainer.request(ClientMsg::End).await.expect("end");

    let response =
        http_request(server.addr, "GET", &format!("/api/rooms/{code}/log"), &[("X-Trainer-Token", &token)], "").await;
    let log = String::from_utf8_lossy(&response.body);
    assert_eq!(response.status, 200, "{log}");
    for kind in ["\"step_started\"", "\"scale\"", "\"actions\"", "\"ended\""] {
        assert!(log.contains(kind), "the log keeps {kind}");
    }

    // The files a trainer downloads: the first schaalvraag's answers, the action list, and the
    // agenda as a draaiboek the next session of the learning group starts from.
    let download = |format: &str| {
        let path = format!("/api/rooms/{code}/export?format={format}");
        let token = token.clone();
        async move { http_request(server.addr, "GET", &path, &[("X-Trainer-Token", &token)], "").await }
    };
    let scale = download("scale&step=0").await;
    assert_eq!(scale.status, 200);
    let scale = String::from_utf8(scale.body).expect("UTF-8");
    assert!(scale.starts_with('\u{feff}'), "Excel reads the accents");
    assert_eq!(scale.lines().count(), 4, "a header and three answers:\n{scale}");
    assert!(scale.contains("Deelnemer 1") && !scale.contains("Anna"), "pseudonyms unless asked");
    let actions = String::from_utf8(download("actions").await.body).expect("UTF-8");
    let first = actions.lines().nth(1).expect("the top action");
    assert!(first.starts_with("1;Samen op huisbezoek;6;3;Bram;1 maart"), "{actions}");
    let response = download("draaiboek").await;
    assert_eq!(
        response.header("content-disposition"),
        Some(&*format!("attachment; filename=\"draaiboek-{code}.toml\""))
    );
    let draaiboek = String::from_utf8(response.body).expect("UTF-8");
    let (next, next_token) = server.create_room().await;
    let (status, body) = upload(&server, &next, &next_token, &draaiboek).await;
    assert_eq!(status, 200, "the downloaded draaiboek reads back: {body}\n{draaiboek}");
    let mut next_trainer = server.trainer(&next, &next_token).await;
    let view = next_trainer.until(|view| view.session.is_some()).await;
    assert_eq!(view.session.as_ref().map(|session| session.steps.len()), Some(4));
    let carried = view.session.as_ref().map(|session| session.carried.clone()).unwrap_or_default();
    assert_eq!(carried.len(), 1, "the action with an owner comes along: {carried:?}");
    assert_eq!((carried[0].text.as_str(), carried[0].owner.as_deref()), ("Samen op huisbezoek", Some("Bram")));
}

/// Uploads a draaiboek file for a room, as the console does.
async fn upload(server: &TestServer, code: &str, token: &str, content: &str) -> (u16, serde_json::Value) {
    crate::decks::upload(server, code, token, "leergroep.toml", content).await
}

const DRAAIBOEK: &str = r#"id = "leergroep"
kind = "draaiboek"
title.nl = "Leergroep"

[[step]]
form = "scale"
minutes = 10
deck = "schaalvragen"
cards = ["toegang-soepel"]

[[step]]
form = "actions"
minutes = 20
"#;

#[tokio::test]
async fn a_draaiboek_file_with_a_typo_changes_nothing_and_a_good_one_is_followed() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let problem = |body: &serde_json::Value| body["errors"][0].clone();
    let typo = DRAAIBOEK.replace("minutes = 20", "minuten = 20");
    let (status, body) = upload(&server, &code, &token, &typo).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(problem(&body)["line"], 13, "the line of the unknown field: {body}");
    assert!(problem(&body)["message"]["nl"].as_str().is_some_and(|text| text.contains("minuten")), "{body}");
    let typo = DRAAIBOEK.replace("toegang-soepel", "toegang-soepl");
    let (status, body) = upload(&server, &code, &token, &typo).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(problem(&body)["line"], 9, "the line of the unknown card: {body}");
    assert!(problem(&body)["field"].as_str().is_some_and(|field| field.contains("cards")), "{body}");
    assert!(trainer.view().session.is_none(), "nothing changed");

    let (status, body) = upload(&server, &code, &token, DRAAIBOEK).await;
    assert_eq!(status, 200, "{body}");
    let view = trainer.until(|view| view.session.is_some()).await;
    let forms: Vec<FormKind> = view.session.as_ref().expect("agenda").steps.iter().map(|step| step.form).collect();
    assert_eq!(forms, [FormKind::Scale, FormKind::Actions]);
}
