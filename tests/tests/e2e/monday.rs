//! What a trainer met on a Monday with sixteen people, over real websockets and the real
//! binary: a vote that must wait for a phone that blinked, close codes that say why, ids that
//! must be numbers, and the addresses phones can reach.

use cards::protocol::{ClientMsg, ServerMsg};
use cards::view::PhaseView;
use cards::{Answer, Position, Presence, SeatId, View};
use tests::TestServer;

fn answer(n: u8) -> ClientMsg {
    ClientMsg::Answer(Answer { position: Position::Scale(n), argument: None, definition: None })
}

fn revealed(view: &View) -> bool {
    matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())
}

#[tokio::test]
async fn a_participant_who_reloads_while_the_others_have_answered_keeps_their_vote() {
    let server = TestServer::start().await;
    let (code, _token, mut trainer, mut players) = server.statement_on_the_table(&["Anna", "Bram", "Chris"]).await;
    let chris = players.pop().expect("Chris");
    let chris_token = chris.seat_token.clone().expect("a seat token");
    players[0].request(answer(1)).await.expect("Anna answers");
    players[1].request(answer(5)).await.expect("Bram answers");

    // Chris reloads the page: the old connection goes, a new one takes the seat back.
    chris.drop_connection().await;
    let view = trainer.until(|view| view.seat(SeatId(2)).is_some_and(|seat| seat.presence != Presence::Here)).await;
    assert!(!revealed(view), "the round waits for Chris instead of revealing behind his back");
    let mut chris = server.resume(&code, &chris_token).await;
    chris.request(answer(3)).await.expect("Chris answers after the reload");

    let view = trainer.until(revealed).await;
    let PhaseView::Turn(turn) = &view.phase else { panic!("a turn") };
    let reveal = turn.reveal.as_ref().expect("revealed");
    assert_eq!(reveal.answers.len(), 3, "all three votes are in the reveal");
    assert!(reveal.answers.iter().any(|given| given.answer.position == Position::Scale(3)), "Chris's vote counts");
}

/// On paused time: the fifteen seconds of grace pass in an instant.
#[tokio::test(start_paused = true)]
async fn the_round_is_revealed_without_a_phone_that_does_not_come_back_once_its_grace_runs_out() {
    let server = TestServer::start().await;
    let (_code, _token, mut trainer, mut players) = server.statement_on_the_table(&["Anna", "Bram", "Chris"]).await;
    let chris = players.pop().expect("Chris");
    players[0].request(answer(1)).await.expect("Anna answers");
    players[1].request(answer(5)).await.expect("Bram answers");
    chris.drop_connection().await;
    let view = trainer.until(revealed).await;
    let PhaseView::Turn(turn) = &view.phase else { panic!("a turn") };
    assert_eq!(turn.reveal.as_ref().map(|reveal| reveal.answers.len()), Some(2));
}

#[tokio::test]
async fn a_connection_the_room_lets_go_is_told_why_with_a_close_code() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;

    // Removed by the trainer: 4001, after the update that says so.
    let mut anna = server.player(&code, "Anna").await;
    trainer.request(ClientMsg::Kick { seat: SeatId(0), refuse_name: false }).await.expect("remove Anna");
    assert_eq!(anna.closed_by_server().await, Some((4001, "removed".to_owned())));
    assert!(matches!(anna.view().seat(SeatId(0)).map(|seat| seat.presence), Some(Presence::Left { .. })));

    // The same seat opened in another tab: the older connection gets 4002.
    let bram = server.player(&code, "Bram").await;
    let mut old_tab = bram;
    let token_of_bram = old_tab.seat_token.clone().expect("a seat token");
    let _new_tab = server.resume(&code, &token_of_bram).await;
    assert_eq!(old_tab.closed_by_server().await, Some((4002, "replaced".to_owned())));

    // Leaving on purpose: a normal close.
    let mut chris = server.player(&code, "Chris").await;
    chris.request(ClientMsg::Leave).await.expect("leave");
    assert_eq!(chris.closed_by_server().await, Some((1000, "left".to_owned())));

    // A co-trainer who is removed: 4004.
    trainer.send(ClientMsg::AddTrainer).await;
    let second = loop {
        if let ServerMsg::Invite { token, .. } = trainer.recv().await {
            break token;
        }
    };
    let mut co_trainer = server.trainer(&code, &second).await;
    let cards::Identity::Trainer { trainer: co } = co_trainer.me() else { panic!("a trainer") };
    trainer.request(ClientMsg::RemoveTrainer { trainer: co }).await.expect("remove the co-trainer");
    assert_eq!(co_trainer.closed_by_server().await, Some((4004, "trainer removed".to_owned())));

    // The room is erased: everyone still connected gets 4003.
    let mut observer = server.observer(&code).await;
    let response =
        tests::http_request(server.addr, "DELETE", &format!("/api/rooms/{code}"), &[("X-Trainer-Token", &token)], "")
            .await;
    assert_eq!(response.status, 204);
    assert_eq!(observer.closed_by_server().await, Some((4003, "room erased".to_owned())));
}

#[tokio::test]
async fn a_command_whose_id_is_not_a_whole_number_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let (_code, _token, mut trainer, mut players) = server.statement_on_the_table(&["Anna", "Bram"]).await;
    for id in [r#""7""#, "7.5", "-3", "null"] {
        players[0].send_raw(&format!(r#"{{"type":"answer","id":{id},"position":4}}"#)).await;
        loop {
            if let ServerMsg::Error { id, code, .. } = players[0].recv().await {
                assert_eq!((id, code.as_str()), (None, "bad_message"));
                break;
            }
        }
    }
    // Nothing was carried out: the trainer still sees nobody answered.
    trainer.request(ClientMsg::Lock { locked: true }).await.expect("the room carries on");
    let PhaseView::Turn(turn) = &trainer.view().phase else { panic!("a turn") };
    assert!(turn.answered.is_empty(), "no answer was stored for a refused message");
}

#[tokio::test]
async fn the_join_page_learns_whether_a_code_leads_to_an_open_session() {
    let server = TestServer::start().await;
    let (code, token) = server.create_room().await;
    assert_eq!(
        tests::http(server.addr, "GET", &format!("/api/rooms/{code}"), None).await,
        (200, r#"{"ended":false,"locked":false}"#.to_owned())
    );
    let (status, body) = tests::http(server.addr, "GET", "/api/rooms/ZZZZZZ", None).await;
    assert_eq!(status, 404);
    assert!(body.contains("unknown_room"), "{body}");
    let mut trainer = server.trainer(&code, &token).await;
    trainer.request(ClientMsg::End).await.expect("end");
    let (_, body) = tests::http(server.addr, "GET", &format!("/api/rooms/{code}"), None).await;
    assert_eq!(body, r#"{"ended":true,"locked":false}"#);
}

#[tokio::test]
async fn the_server_says_at_start_where_phones_can_join_and_warns_when_none_can() {
    let data = tests::scratch_dir("addresses");
    let local = tests::process::start_and_read(&data, &["--addr", "127.0.0.1:0"]).await;
    assert!(local.contains("alleen deze computer"), "{local}");
    assert!(local.contains("--addr 0.0.0.0:"), "{local}");

    let everywhere = tests::process::start_and_read(&data, &["--addr", "0.0.0.0:0"]).await;
    assert!(everywhere.contains("Deelnemers doen mee via"), "{everywhere}");
    assert!(!everywhere.contains("alleen deze computer"), "{everywhere}");

    let proxied = tests::process::start_and_read(
        &data,
        &["--addr", "127.0.0.1:0", "--public-url", "https://standpunt.example.nl"],
    )
    .await;
    assert!(proxied.contains("https://standpunt.example.nl/"), "{proxied}");
    assert!(!proxied.contains("alleen deze computer"), "{proxied}");
}

#[test]
fn every_image_the_readme_shows_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let images: Vec<&str> = readme
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| target.ends_with(".png") || target.ends_with(".svg") || target.ends_with(".jpg"))
        .collect();
    assert!(!images.is_empty(), "the README shows screenshots");
    for image in images {
        assert!(root.join(image).is_file(), "README.md links {image}, which does not exist");
    }
}
