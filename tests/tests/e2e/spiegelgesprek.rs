//! A spiegelgesprek over real websockets: no raw frame carries a listener's observation to a
//! speaker, another listener, the projector or the trainer before the after-talk; after it the
//! listeners and the trainer read them, the speaker and the projector only once shared; a
//! listener who reloads keeps their own; the CSV carries typed answers only when asked.

use cards::CardId;
use cards::forms::FormKind;
use cards::forms::mirror::{Kind, MirrorCommand, ObservationId};
use cards::protocol::ClientMsg;
use tests::{TestClient, TestServer, http, http_request};

#[tokio::test]
async fn observations_stay_with_their_listener_until_the_after_talk_and_reach_speakers_only_when_shared() {
    let server = TestServer::start().await;
    let body = serde_json::json!({"statement_decks": ["containerbegrippen"], "role_deck": "keukentafel", "draaiboek": "spiegelgesprek"});
    let (status, reply) = http(server.addr, "POST", "/api/rooms", Some(&body.to_string())).await;
    assert_eq!(status, 201, "{reply}");
    let reply: serde_json::Value = serde_json::from_str(&reply).expect("json");
    let (code, token) =
        (reply["code"].as_str().expect("code").to_owned(), reply["trainer_token"].as_str().expect("token").to_owned());
    let mut trainer = server.trainer(&code, &token).await;
    let mut projector = server.observer(&code).await;
    let mut people: Vec<TestClient> = Vec::new();
    for name in ["Sanne", "Lotte", "Mehmet"] {
        people.push(server.player(&code, name).await);
    }
    trainer.until(|view| view.seats.len() == 3).await;
    trainer.request(ClientMsg::Start).await.expect("start");
    trainer
        .until(|view| {
            view.session.as_ref().and_then(|s| s.running.map(|step| s.steps[usize::from(step)].form))
                == Some(FormKind::Mirror)
        })
        .await;
    let speaker = people[0].view().my_seat().expect("a seat");
    trainer.request(ClientMsg::Mirror(MirrorCommand::Speakers { seats: vec![speaker] })).await.expect("Sanne speaks");
    let question = CardId::new("toegang-eerste-contact");
    trainer.request(ClientMsg::Mirror(MirrorCommand::Ask { question })).await.expect("ask");
    let answer = MirrorCommand::Answer { text: "SANNE-VERTELT".into() };
    people[0].request(ClientMsg::Mirror(answer)).await.expect("Sanne types her answer");
    let refused =
        people[0].request(ClientMsg::Mirror(MirrorCommand::Observe { kind: Kind::GoesWell, text: "x".into() })).await;
    assert_eq!(refused.expect_err("a speaker").code, "not_a_listener");
    let observe = MirrorCommand::Observe { kind: Kind::CouldBeBetter, text: "LOTTE-HOORT-WACHTEN".into() };
    people[1].request(ClientMsg::Mirror(observe)).await.expect("Lotte notes");

    // Lotte's phone reloads: her observation is still hers.
    let seat_token = people[1].seat_token.clone().expect("a seat token");
    let lotte = people.remove(1);
    lotte.drop_connection().await;
    let lotte = server.resume(&code, &seat_token).await;
    let mine = lotte.view().mine.clone().expect("Lotte's part came back").observations;
    assert_eq!(mine.len(), 1);
    people.insert(1, lotte);
    people[2]
        .request(ClientMsg::Mirror(MirrorCommand::Observe { kind: Kind::TouchesMe, text: "MEHMET-GERAAKT".into() }))
        .await
        .expect("note");
    for (who, client) in
        [("Sanne", &people[0]), ("Mehmet", &people[2]), ("the projector", &projector), ("the trainer", &trainer)]
    {
        assert!(
            !client.wire().contains("LOTTE-HOORT-WACHTEN"),
            "{who} reads Lotte's observation before the after-talk"
        );
    }
    // A typed answer is for everyone at once.
    projector
        .until(|view| {
            view.session
                .as_ref()
                .and_then(|s| s.mirror.as_ref())
                .is_some_and(|m| m.answers.last().is_some_and(|(_, said)| !said.is_empty()))
        })
        .await;
    assert!(projector.wire().contains("SANNE-VERTELT"));
    assert_eq!(trainer.request(ClientMsg::NextStep).await.expect_err("still talking").code, "round_open");

    trainer.request(ClientMsg::Mirror(MirrorCommand::Close)).await.expect("close");
    people[2].until(|view| view.mine.as_ref().is_some_and(|mine| mine.observations.len() == 2)).await;
    trainer
        .until(|view| view.session.as_ref().and_then(|s| s.mirror.as_ref()).is_some_and(|m| m.observations.len() == 2))
        .await;
    for (who, client) in [("Sanne", &people[0]), ("the projector", &projector)] {
        assert!(!client.wire().contains("LOTTE-HOORT-WACHTEN"), "{who} reads it before it is shared");
    }
    let pick = MirrorCommand::Pick { observation: ObservationId(0), picked: true };
    trainer.request(ClientMsg::Mirror(pick)).await.expect("pick");
    trainer.request(ClientMsg::Mirror(MirrorCommand::Share)).await.expect("share");
    people[0]
        .until(|view| view.session.as_ref().and_then(|s| s.mirror.as_ref()).is_some_and(|m| !m.observations.is_empty()))
        .await;
    assert!(people[0].wire().contains("LOTTE-HOORT-WACHTEN"), "shared: the speaker reads it");
    assert!(!people[0].wire().contains("\"seat\":1,\"group\""), "never with a name");

    // The file: observations always, typed answers only when the trainer asks.
    let get = |answers: &'static str| {
        let path = format!("/api/rooms/{code}/export?format=mirror&step=0{answers}");
        let token = token.clone();
        async move { http_request(server.addr, "GET", &path, &[("X-Trainer-Token", token.as_str())], "").await }
    };
    let plain = String::from_utf8(get("").await.body).expect("UTF-8");
    assert!(
        plain.starts_with('\u{feff}') && plain.contains("LOTTE-HOORT-WACHTEN") && !plain.contains("SANNE-VERTELT"),
        "{plain}"
    );
    assert!(!plain.contains("Lotte") && !plain.contains("Mehmet"), "never a name: {plain}");
    let typed = String::from_utf8(get("&answers=typed").await.body).expect("UTF-8");
    assert!(typed.contains("SANNE-VERTELT") && typed.contains("antwoord spreker"), "{typed}");

    // The picked observation starts the verbeteracties.
    trainer.request(ClientMsg::NextStep).await.expect("on to verbeteracties");
    let view = trainer.until(|view| view.session.as_ref().and_then(|s| s.actions.as_ref()).is_some()).await;
    let proposals = &view.session.as_ref().and_then(|s| s.actions.as_ref()).expect("actions").view.proposals;
    assert!(proposals.iter().any(|proposal| proposal.text.contains("WACHTEN")), "{proposals:?}");
}
