//! The debrief as a trainer goes through it, in real Chromium: twenty participants split ten
//! against ten on a statement, the trainer marks the moment on the console with a note and
//! asks for a re-vote; the review opens with sentences that name the most divided term, shows
//! who stood where, the mark and the answers before and after; the trainer moves a definition
//! to the other group, writes down what the group agreed, downloads the debrief pack and prints
//! the report.

use cards::analysis::{Measure, Review};
use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Position};
use fantoccini::wd::PrintConfiguration;
use fantoccini::{Client, Locator};
use tests::browser::{Driver, check_screen, click, client_dir, type_into, wait_for};
use tests::{TestClient, TestServer, http_request};

use crate::browser::downloaded;

fn answer(position: u8, argument: &str, definition: &str) -> ClientMsg {
    ClientMsg::Answer(Answer {
        position: Position::Scale(position),
        argument: Some(argument.to_owned()),
        definition: (!definition.is_empty()).then(|| definition.to_owned()),
    })
}

fn revealed(vote: u8) -> impl Fn(&cards::View) -> bool {
    move |view| matches!(&view.phase, PhaseView::Turn(turn) if turn.vote == vote && turn.reveal.is_some())
}

async fn review(server: &TestServer, code: &str, token: &str) -> Review {
    let path = format!("/api/rooms/{code}/review?names=pseudonyms&lang=nl");
    let response = http_request(server.addr, "GET", &path, &[("X-Trainer-Token", token)], "").await;
    serde_json::from_slice(&response.body).expect("a review")
}

/// How many pages a PDF from Chromium has: one `/Type /Page` object each (`/Pages` is the tree).
fn pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

/// Scrolls to the top, so a screenshot shows the page's first screen.
async fn to_top(browser: &Client) {
    browser.execute("window.scrollTo(0, 0); return true;", vec![]).await.expect("scroll to the top");
}

#[tokio::test]
async fn a_trainer_marks_a_moment_reads_the_review_regroups_agrees_and_takes_home_the_pack() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let downloads = tests::scratch_dir("debrief-downloads");
    let trainer = driver.browser_downloading_to(1280, 800, &downloads).await;

    let (code, token) = server.create_room().await;
    trainer.goto(&format!("{}/trainer/{code}#token={token}", server.url())).await.expect("open the console");
    // Twenty participants: four whose answers the test follows, and sixteen more, eight on each
    // side, as in a full learning meeting.
    let names: Vec<String> = ["Anna", "Bram", "Chris", "Dirk"]
        .into_iter()
        .map(str::to_owned)
        .chain((5..=20).map(|n| format!("Deelnemer {n}")))
        .collect();
    let mut players: Vec<TestClient> = Vec::new();
    for name in &names {
        players.push(server.player(&code, name).await);
    }
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Deelnemer 20')]").await;
    click(&trainer, "#start").await;
    let card = players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    players[0].request(ClientMsg::Play { card }).await.expect("play");
    let given = [
        (5, "Het gezin kent zichzelf het best.", "Het gezin beslist zelf"),
        (4, "Meestal wel.", "Het gezin beslist zelf wat er gebeurt"),
        (1, "Bij onveiligheid neemt de professional het over.", "De professional houdt overzicht"),
    ];
    for (player, (position, argument, definition)) in players.iter_mut().zip(given) {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.statement.is_some())).await;
        player.request(answer(position, argument, definition)).await.expect("answer");
    }
    for (index, player) in players.iter_mut().enumerate().skip(4) {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.statement.is_some())).await;
        let (position, why) =
            if index < 12 { (4, "Dat zie ik in mijn werk.") } else { (2, "Dat is te kort door de bocht.") };
        player.request(answer(position, why, "")).await.expect("answer");
    }
    // The trainer marks the moment while the last answer is still to come.
    type_into(&trainer, "#mark-note", "hier viel het kwartje").await;
    click(&trainer, "#mark").await;
    wait_for(&trainer, "//p[@id='marks-done'][contains(., 'Momenten gemarkeerd: 1')]").await;
    check_screen(&trainer, "trainer-mark-1280x800").await;
    players[3].request(answer(2, "Niet altijd.", "De professional houdt het overzicht")).await.expect("answer");
    for player in &mut players {
        player.until(revealed(1)).await;
        assert!(
            !player.wire().contains("kwartje") && !player.wire().contains("\"marked\""),
            "no phone hears of the mark"
        );
    }
    click(&trainer, "#revote").await;
    let again = [4, 4, 2, 3].into_iter().chain((4..20).map(|index| if index < 12 { 4 } else { 2 }));
    for (player, position) in players.iter_mut().zip(again) {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.vote == 2)).await;
        player.request(answer(position, "Na het gesprek.", "")).await.expect("answer again");
    }
    players[0].until(revealed(2)).await;

    // The review, opened from the console.
    click(&trainer, "#to-review").await;
    let first = wait_for(&trainer, "//ul[@id='review-sentences']/li[1]").await;
    let expected = review(&server, &code, &token).await;
    let divided = expected.terms.iter().find(|term| term.disagreement.is_some()).expect("a divided term");
    let name = expected.term_name(&divided.term, cards::Lang::Nl);
    assert_eq!(first, cards::analysis::sentences(&expected, cards::Lang::Nl)[0]);
    assert!(first.starts_with(&format!("Over ‘{name}’ verschilt de groep het meest")), "{first}");
    assert!(first.contains("staan tien mensen (eens) tegenover tien (oneens)"), "{first}");
    wait_for(
        &trainer,
        "//div[contains(@class,'camp agree')]/p[contains(., 'Eens (10)')][contains(., 'Deelnemer 1, Deelnemer 2, Deelnemer 5,')]",
    )
    .await;
    wait_for(
        &trainer,
        "//div[contains(@class,'camp disagree')]/p[contains(., 'Deelnemer 3, Deelnemer 4, Deelnemer 13,')]",
    )
    .await;
    wait_for(
        &trainer,
        "//div[contains(@class,'camp agree')]/blockquote[1][contains(., 'Het gezin kent zichzelf het best.')]",
    )
    .await;
    wait_for(
        &trainer,
        "//ul[@id='review-marks']/li[contains(., 'hier viel het kwartje')][contains(., 'tijdens het antwoorden')]",
    )
    .await;
    // Every figure has its meaning beside it in words.
    let consensus = cards::analysis::figure(Measure::Consensus, expected.statements[0].consensus, cards::Lang::Nl);
    wait_for(&trainer, &format!("//span[@class='figure'][. = '{consensus}']")).await;
    wait_for(&trainer, "//article[contains(@class,'shift')]//li[contains(., 'Deelnemer 3')][contains(., '1 → 2')]")
        .await;
    to_top(&trainer).await;
    check_screen(&trainer, "review-glance-1280x800").await;

    // Move the first definition of the second group to the first, then write what was agreed.
    let defined = expected.terms.iter().find(|term| term.lens.definitions.len() == 4).expect("the term defined");
    let defined_name = expected.term_name(&defined.term, cards::Lang::Nl);
    let field = format!("agreed-{}", defined.term.replace(|c: char| !c.is_alphanumeric(), "-"));
    let lens = format!("//article[contains(@class,'term-lens')][.//textarea[@id='{field}']]");
    wait_for(&trainer, &format!("{lens}//div[@class='definition-group'][2]")).await;
    let mover = trainer
        .find(Locator::XPath(&format!(
            "{lens}//div[@class='definition-group'][2]//select[contains(@class,'move-definition')]"
        )))
        .await
        .expect("the second group's first definition can move");
    mover.select_by_value("0").await.expect("move it to group 1");
    wait_for(&trainer, &format!("{lens}//p[contains(., 'Door de trainer ingedeeld.')]")).await;
    wait_for(&trainer, &format!("{lens}//div[@class='definition-group'][1]/p[contains(., '3 definities')]")).await;
    let agreed = "Het gezin beslist; de professional bewaakt de veiligheid.";
    type_into(&trainer, &format!("#{field}"), agreed).await;
    let save = trainer.find(Locator::XPath(&format!("{lens}//button[contains(@class,'save-agreed')]"))).await;
    save.expect("the term's save button").click().await.expect("save what was agreed");
    let said =
        format!("//ul[@id='review-sentences']/li[contains(., 'Wat wij onder ‘{defined_name}’ verstaan: {agreed}')]");
    wait_for(&trainer, &said).await;

    // The debrief pack, as the trainer downloads it.
    click(&trainer, "#export-pack").await;
    let pack = downloaded(&trainer, &downloads, &format!("nagesprek-{code}.zip")).await;
    let files = cards::zip::read_stored(&pack).expect("a zip file whose every CRC holds");
    let report = String::from_utf8(files[0].1.clone()).expect("the report is text");
    assert!(files[0].0.starts_with("verslag-") && report.contains(agreed) && report.contains("hier viel het kwartje"));
    assert!(report.contains(&cards::analysis::sentences(&review(&server, &code, &token).await, cards::Lang::Nl)[0]));
    let csv = files.iter().find(|(name, _)| name.starts_with("stellingen-")).expect("the answers");
    assert!(csv.1.starts_with("\u{feff}".as_bytes()), "the CSV keeps its byte order mark");
    assert!(
        files
            .iter()
            .any(|(name, body)| name.starts_with("draaiboek-") && String::from_utf8_lossy(body).contains(agreed))
    );

    // The report from the pack, printed by Chromium: one step, one page, nothing cut.
    let file = downloads.join("verslag-afgedrukt.html");
    std::fs::write(&file, &report).expect("save the report");
    trainer.goto(&format!("file://{}", file.display())).await.expect("open the report");
    wait_for(&trainer, "//section[contains(@class,'summary')]").await;
    let pdf = trainer.print(PrintConfiguration::default()).await.expect("print to PDF");
    std::fs::write(tests::browser::screenshot_dir().join("report-print.pdf"), &pdf).expect("keep the PDF");
    trainer.set_window_size(794, 1123).await.expect("an A4-wide window");
    check_screen(&trainer, "report-794x1123").await;
    assert_eq!(pages(&pdf), 1, "a session of twenty people and one step prints on one page");
}
