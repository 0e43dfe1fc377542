//! A Dompelsessie as people run it, in real Chromium: the trainer opens it from the home page,
//! two phones and a scripted participant answer the schaalvraag (one phone reloads and switches
//! language after answering), the statements come and go, and the group proposes, dots and
//! owns its verbeteracties, which the projector shows ranked.

use std::collections::BTreeMap;

use cards::forms::actions::{ActionCommand, ProposalId};
use cards::forms::scale::{ScaleAnswer, ScaleCommand};
use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Position};
use fantoccini::Locator;
use tests::TestServer;
use tests::browser::{Driver, check_screen, click, client_dir, screenshot, type_into, wait_for};

use crate::browser::{answer, downloaded, join};

#[tokio::test]
async fn a_dompelsessie_runs_from_schaalvraag_to_owned_actions_on_phones_console_and_projector() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let downloads = tests::scratch_dir("werkvormen-downloads");
    let trainer = driver.browser_downloading_to(1280, 800, &downloads).await;
    let projector = driver.browser(1280, 800).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(360, 740).await;

    // The trainer opens the session from the home page, following the built-in draaiboek.
    trainer.goto(&server.url()).await.expect("open the home page");
    wait_for(&trainer, "//select[@id='draaiboek']/option[@value='dompelsessie-ruimte-geeft-vaart']").await;
    let choice = trainer.find(Locator::Css("#draaiboek")).await.expect("the draaiboek choice");
    choice.select_by_value("dompelsessie-ruimte-geeft-vaart").await.expect("choose the Dompelsessie");
    click(&trainer, "#create-room").await;
    let code = wait_for(&trainer, "//*[@id='room-code']").await;
    wait_for(&trainer, "//ol[@class='agenda-steps']/li[4]").await;
    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    join(&anna, &server, &code, "Anna").await;
    join(&bram, &server, &code, "Bram").await;
    let mut cas = server.player(&code, "Cas").await;
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Cas')]").await;
    check_screen(&trainer, "trainer-agenda-lobby-1280x800").await;
    // The verbeteracties of this group get four dots each instead of three.
    click(&trainer, "#step-2-settings").await;
    let dots = trainer.find(Locator::Css("#step-2-dots")).await.expect("the dots of step 3");
    dots.clear().await.expect("clear the dots");
    dots.send_keys("4\u{e004}").await.expect("type four dots");
    wait_for(&trainer, "//input[@id='step-2-dots'][@value='4']").await;
    check_screen(&trainer, "trainer-agenda-step-settings-1280x800").await;
    click(&trainer, "#start").await;

    // Step 1, the schaalvraag.
    wait_for(&anna, "//p[@id='step-line'][contains(., 'Stap 1 van 4')]").await;
    wait_for(&anna, "//p[@id='scale-waiting']").await;
    click(&trainer, "button[data-question='toegang-soepel']").await;
    wait_for(&projector, "//section[@id='scale-question']").await;
    click(&anna, "#score-4").await;
    type_into(&anna, "#one-point-higher", "Eén loket voor de hele wijk").await;
    click(&anna, "#scale-submit").await;
    wait_for(&anna, "//p[@id='scale-sent'][contains(., '4')]").await;
    click(&bram, "#score-7").await;
    type_into(&bram, "#why-not-lower", "De huisarts weet ons te vinden").await;
    click(&bram, "#scale-submit").await;
    wait_for(&bram, "//p[@id='scale-sent'][contains(., '7')]").await;
    // Bram's page reloads, then he switches to English: his answer is still his.
    bram.refresh().await.expect("reload");
    wait_for(&bram, "//p[@id='scale-sent'][contains(., '7')]").await;
    let chosen = bram.find(Locator::Css("#score-7")).await.expect("the 7");
    assert_eq!(chosen.attr("aria-pressed").await.expect("pressed").as_deref(), Some("true"));
    click(&bram, "#switch-language").await;
    wait_for(&bram, "//p[@id='scale-sent'][contains(., 'Your answer (7)')]").await;
    check_screen(&bram, "player-scale-answered-360x740").await;
    assert!(projector.find(Locator::Css("#scale-summary")).await.is_err(), "no reveal before Cas answered");
    let first = ScaleAnswer { score: 5, why_not_lower: None, one_point_higher: Some("Vaste contactpersoon".into()) };
    cas.request(ClientMsg::Scale(ScaleCommand::Answer(first))).await.expect("Cas answers");
    wait_for(&projector, "//p[@id='scale-summary'][contains(., 'tussen 4 en 7')]").await;
    wait_for(&projector, "//section[@id='scale-higher']//li[contains(., 'Eén loket')]").await;
    check_screen(&projector, "projector-scale-reveal-1280x800").await;
    wait_for(&anna, "//p[@id='scale-summary']").await;
    screenshot(&anna, "player-scale-reveal-360x740").await;

    // Step 2, the statements: Anna reads one, everyone answers, it is revealed.
    click(&trainer, "#next-step").await;
    wait_for(&anna, "//p[@id='step-line'][contains(., 'Stap 2 van 4')]").await;
    wait_for(&trainer, "//section[contains(@class,'agenda')]//li[@data-step='0'][contains(@class,'done')]").await;
    wait_for(&anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    click(&anna, ".hand-card").await;
    answer(&anna, "scale-4", "Het loket is te ver weg.").await;
    answer(&bram, "scale-2", "Het gaat al best.").await;
    cas.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.statement.is_some())).await;
    let position = Answer { position: Position::Scale(3), argument: None, definition: None };
    cas.request(ClientMsg::Answer(position)).await.expect("Cas answers the statement");
    wait_for(&projector, "//section[contains(@class,'reveal')]//h2").await;
    click(&trainer, "#next-step").await;

    // Step 3, verbeteracties: the schaalvraag's steps one point higher are there already.
    wait_for(&trainer, "//ul[@id='proposals']/li[contains(., 'Vaste contactpersoon')]").await;
    type_into(&anna, "#proposal", "Samen op huisbezoek bij nieuwe gezinnen").await;
    click(&anna, "#propose").await;
    wait_for(&anna, "//ul[@id='proposals']/li[contains(., 'Samen op huisbezoek')]").await;
    assert!(
        bram.find(Locator::XPath("//*[contains(., 'Samen op huisbezoek')]")).await.is_err(),
        "Anna's proposal is hers until the trainer shows them"
    );
    wait_for(&trainer, "//p[@id='proposal-count'][contains(., '3')]").await;
    click(&trainer, "#actions-show").await;
    wait_for(&bram, "//ul[@id='proposals']/li[contains(., 'Samen op huisbezoek')]").await;
    click(&trainer, "#actions-open-vote").await;
    wait_for(&anna, "//p[@id='dots-left'][contains(., '4')]").await;
    for phone in [&anna, &bram] {
        for _ in 0..2 {
            click(phone, "li[data-proposal='2'] button[aria-label]:last-of-type").await;
        }
        click(phone, "li[data-proposal='1'] button[aria-label]:last-of-type").await;
        click(phone, "#vote").await;
    }
    let dots = BTreeMap::from([(ProposalId(2), 2), (ProposalId(0), 1)]);
    cas.request(ClientMsg::Actions(ActionCommand::Vote { dots })).await.expect("Cas votes");
    check_screen(&anna, "player-actions-vote-360x740").await;
    wait_for(&trainer, "//p[@id='voted-count'][contains(., '3 van')]").await;
    click(&trainer, "#actions-close-vote").await;
    wait_for(&trainer, "//ol[@id='ranked']/li[1][contains(., 'Samen op huisbezoek')][contains(., '6')]").await;
    type_into(&trainer, "#ranked li:first-child input[aria-label='Wie']", "Wijkteam Noord").await;
    type_into(&trainer, "#ranked li:first-child input[aria-label='Wanneer']", "1 maart").await;
    click(&trainer, "#ranked li:first-child button").await;
    wait_for(&projector, "//ol[@id='ranked']/li[1][contains(., 'Wijkteam Noord')][contains(., '1 maart')]").await;
    check_screen(&projector, "projector-actions-ranked-1280x800").await;
    check_screen(&trainer, "trainer-actions-ranked-1280x800").await;

    // Step 4, the schaalvraag again: the reveal shows how the group and each person moved.
    click(&trainer, "#next-step").await;
    wait_for(&anna, "//p[@id='step-line'][contains(., 'Stap 4 van 4')]").await;
    click(&trainer, "button[data-question='toegang-soepel']").await;
    wait_for(&anna, "//p[contains(., 'eerder gesteld')]").await;
    click(&anna, "#score-6").await;
    click(&anna, "#scale-submit").await;
    click(&bram, "#score-8").await;
    click(&bram, "#scale-submit").await;
    let again = ScaleAnswer { score: 5, why_not_lower: None, one_point_higher: None };
    cas.request(ClientMsg::Scale(ScaleCommand::Answer(again))).await.expect("Cas answers again");
    wait_for(&projector, "//section[@id='scale-moved'][contains(., '5 → 6')][contains(., 'Anna: 4 → 6')]").await;
    // The roles are dealt at random, so whether the groups' medians show depends on the deal;
    // how the group moved shows on every phone.
    wait_for(&anna, "//section[@id='scale-moved'][contains(., '5 → 6')]").await;
    check_screen(&projector, "projector-scale-again-1280x800").await;
    screenshot(&anna, "player-scale-again-360x740").await;

    // The trainer ends the session and downloads each step's file from the review.
    trainer.execute("window.confirm = () => true;", vec![]).await.expect("answer the confirmation");
    click(&trainer, "#end").await;
    click(&trainer, "#open-review").await;
    wait_for(&trainer, "//section[contains(@class,'steps-review')]//tr[1][contains(., '1. Waar staan we nu?')]").await;
    wait_for(&trainer, "//section[contains(@class,'steps-review')]//li[contains(., 'Wijkteam Noord')]").await;
    check_screen(&trainer, "review-werkvormen-1280x800").await;
    click(&trainer, "button[data-export='scale-0']").await;
    let scale = downloaded(&trainer, &downloads, &format!("standpunt-{code}-stap1-schaalvraag.csv")).await;
    let scale = String::from_utf8(scale).expect("UTF-8");
    assert!(scale.starts_with('\u{feff}'), "the downloaded file keeps its byte order mark");
    assert!(scale.contains("Eén loket voor de hele wijk"), "the accents survive the download: {scale}");
    assert_eq!(scale.lines().count(), 4, "a header and three answers");
    click(&trainer, "button[data-export='actions-2']").await;
    let actions = downloaded(&trainer, &downloads, &format!("standpunt-{code}-stap3-acties.csv")).await;
    let actions = String::from_utf8(actions).expect("UTF-8");
    assert!(actions.lines().nth(1).is_some_and(|line| line.contains("Wijkteam Noord")), "{actions}");
    click(&trainer, "#export-draaiboek").await;
    let draaiboek = downloaded(&trainer, &downloads, &format!("draaiboek-{code}.toml")).await;
    let draaiboek = String::from_utf8(draaiboek).expect("UTF-8");
    assert!(draaiboek.contains("kind = \"draaiboek\"") && draaiboek.contains("form = \"actions\""), "{draaiboek}");
    click(&trainer, "#export-html").await;
    let report = downloaded(&trainer, &downloads, &format!("standpunt-{code}.html")).await;
    let report = String::from_utf8(report).expect("UTF-8");
    for step in [
        "1. Waar staan we nu?",
        "2. Toegang, regelruimte en samenspel",
        "3. Wat gaan we doen?",
        "4. En waar staan we na vandaag?",
    ] {
        assert!(report.contains(step), "the report shows the step {step}");
    }
    assert!(
        report.contains("middelste waarde 5 → 6") && report.contains("Wijkteam Noord"),
        "the report tells the shift and the owners"
    );

    for browser in [trainer, projector, anna, bram] {
        let _ = browser.close().await;
    }
}
