//! The built-in Keukentafeluitdaging as people run it, in real Chromium: the trainer opens it
//! from the home page, two phones and a scripted participant lay out the roles for a case (one
//! phone gives a reason and names the regie, the other seats more than advised and switches to
//! English), the projector shows the group's table, a second round after the talk shows who
//! moved, a second case, the verbeteracties, and the review with its downloaded file.

use std::collections::BTreeMap;

use cards::CardId;
use cards::forms::actions::{ActionCommand, ProposalId};
use cards::forms::table::{Layout, Place, TableCommand};
use cards::protocol::ClientMsg;
use fantoccini::{Client, Locator};
use tests::TestServer;
use tests::browser::{Driver, check_screen, click, client_dir, screenshot, type_into, wait_for};

use crate::browser::{downloaded, join};

/// Taps role `role`'s place on a phone `times` times (niet nodig → aan tafel → op afroep).
async fn tap(phone: &Client, role: &str, times: usize) {
    for _ in 0..times {
        tap_on(phone, &format!("li[data-role='{role}'] .role-place")).await;
    }
}

/// Taps `css` as a thumb does: in the middle of the screen, below the count that stays at the
/// top while the list scrolls (WebDriver would scroll it under the count and refuse the click).
async fn tap_on(phone: &Client, css: &str) {
    let script = "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;";
    phone.execute(script, vec![css.into()]).await.unwrap_or_else(|error| panic!("no {css}: {error}"));
    click(phone, css).await;
}

fn cas_layout(table: &[&str]) -> ClientMsg {
    let places = table.iter().map(|role| (CardId::new(*role), Place::Table)).collect();
    ClientMsg::Table(TableCommand::Place(Layout { places, regie: None, reasons: BTreeMap::new() }))
}

#[tokio::test]
async fn a_keukentafeluitdaging_runs_two_cases_a_second_round_and_the_actions_on_phones_console_and_projector() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let downloads = tests::scratch_dir("keukentafel-downloads");
    let trainer = driver.browser_downloading_to(1280, 800, &downloads).await;
    let projector = driver.browser(1280, 800).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(360, 740).await;

    // The trainer opens the session from the home page, following the built-in draaiboek.
    trainer.goto(&server.url()).await.expect("open the home page");
    wait_for(&trainer, "//select[@id='draaiboek']/option[@value='keukentafeluitdaging']").await;
    let choice = trainer.find(Locator::Css("#draaiboek")).await.expect("the draaiboek choice");
    choice.select_by_value("keukentafeluitdaging").await.expect("choose the Keukentafeluitdaging");
    click(&trainer, "#create-room").await;
    let code = wait_for(&trainer, "//*[@id='room-code']").await;
    wait_for(&trainer, "//ol[@class='agenda-steps']/li[2]").await;
    click(&trainer, "#step-0-settings").await;
    wait_for(&trainer, "//input[@id='step-0-advised-seats'][@value='6']").await;
    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    join(&anna, &server, &code, "Anna").await;
    join(&bram, &server, &code, "Bram").await;
    let mut cas = server.player(&code, "Cas").await;
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Cas')]").await;
    click(&trainer, "#start").await;

    // The first case: Anna seats the parents and a grandmother, calls on the GP and says why.
    wait_for(&anna, "//p[@id='step-line'][contains(., 'Stap 1 van 2')]").await;
    wait_for(&anna, "//p[@id='table-waiting']").await;
    click(&trainer, "button[data-case='scheiding-strijd']").await;
    wait_for(&projector, "//section[@id='table-case']//h2").await;
    check_screen(&projector, "projector-table-case-1280x800").await;
    wait_for(&anna, "//section[@id='table-case']").await;
    tap(&anna, "ouder", 1).await;
    tap(&anna, "ouder-elders", 1).await;
    tap(&anna, "grootouder", 1).await;
    tap(&anna, "huisarts", 2).await;
    wait_for(&anna, "//p[@id='table-count'][contains(., 'Aan tafel: 3')]").await;
    let huisarts = anna.find(Locator::Css("li[data-role='huisarts'] .role-place")).await.expect("the GP");
    assert_eq!(huisarts.attr("data-place").await.expect("a place").as_deref(), Some("on-call"));
    tap_on(&anna, "li[data-role='grootouder'] .reason-toggle").await;
    type_into(&anna, "#reason-grootouder", "Oma haalt de kinderen elke dag uit school").await;
    anna.find(Locator::Css("#regie")).await.expect("the regie").select_by_value("family").await.expect("the family");
    check_screen(&anna, "player-table-layout-360x740").await;
    tap_on(&anna, "#table-submit").await;
    wait_for(&anna, "//p[@id='table-sent'][contains(., '3')]").await;
    assert!(
        bram.find(Locator::XPath("//*[contains(., 'Oma haalt')]")).await.is_err(),
        "Anna's reason is hers until the reveal"
    );

    // Bram seats seven: a gentle warning, never a refusal; then he reads on in English.
    for role in ["ouder", "ouder-elders", "kind", "grootouder", "huisarts", "wijkteam-generalist", "leerkracht"] {
        tap(&bram, role, 1).await;
    }
    wait_for(&bram, "//p[@id='table-above-advice']").await;
    tap_on(&bram, "#table-submit").await;
    wait_for(&bram, "//p[@id='table-sent'][contains(., '7')]").await;
    click(&bram, "#switch-language").await;
    wait_for(&bram, "//p[@id='table-sent'][contains(., 'Your table')]").await;
    check_screen(&bram, "player-table-sent-en-360x740").await;
    cas.request(cas_layout(&["ouder", "ouder-elders", "wijkteam-generalist"])).await.expect("Cas lays out");
    wait_for(&projector, "//ul[@id='table-seated']/li[contains(., 'Ouder')]").await;
    wait_for(&projector, "//section[@id='table-reasons']//li[contains(., 'Oma haalt')]").await;
    wait_for(&projector, "//p[@id='table-sizes'][contains(., 'boven het advies')]").await;
    check_screen(&projector, "projector-table-reveal-1280x800").await;
    wait_for(&anna, "//section[contains(@class,'table-reveal')]").await;
    screenshot(&anna, "player-table-reveal-360x740").await;

    // After the talk, a second round on the same case: Anna seats the GP after all.
    click(&trainer, "#table-again").await;
    wait_for(&anna, "//section[@id='table-case']//p[contains(., 'Ronde 2')]").await;
    wait_for(&anna, "//p[@id='table-count'][contains(., 'Aan tafel: 3')]").await;
    tap(&anna, "huisarts", 2).await;
    tap_on(&anna, "#table-submit").await;
    wait_for(&anna, "//p[@id='table-sent'][contains(., '4')]").await;
    tap_on(&bram, "#table-submit").await;
    cas.request(cas_layout(&["ouder", "ouder-elders", "wijkteam-generalist"])).await.expect("Cas again");
    wait_for(&projector, "//section[@id='table-moved']//li[contains(., 'Anna')][contains(., 'Huisarts')]").await;
    check_screen(&trainer, "trainer-table-again-1280x800").await;

    // A second case; Cas does not lay out, the trainer reveals.
    click(&trainer, "button[data-case='jonge-mantelzorger']").await;
    wait_for(&anna, "//p[@id='table-count'][contains(., 'Aan tafel: 0')]").await;
    tap(&anna, "jongere", 1).await;
    tap_on(&anna, "#table-submit").await;
    wait_for(&anna, "//p[@id='table-sent']").await;
    click(&trainer, "#table-reveal").await;
    wait_for(&projector, "//ul[@id='table-seated']/li[contains(., 'Jongere')]").await;

    // Verbeteracties, then the review and its file.
    click(&trainer, "#next-step").await;
    wait_for(&anna, "//p[@id='step-line'][contains(., 'Stap 2 van 2')]").await;
    type_into(&anna, "#proposal", "De jongere zelf uitnodigen aan tafel").await;
    click(&anna, "#propose").await;
    wait_for(&trainer, "//p[@id='proposal-count'][contains(., '1')]").await;
    click(&trainer, "#actions-show").await;
    click(&trainer, "#actions-open-vote").await;
    cas.request(ClientMsg::Actions(ActionCommand::Vote { dots: BTreeMap::from([(ProposalId(0), 2)]) }))
        .await
        .expect("Cas votes");
    wait_for(&trainer, "//p[@id='voted-count'][contains(., '1 van')]").await;
    click(&trainer, "#actions-close-vote").await;
    type_into(&trainer, "#ranked li:first-child input[aria-label='Wie']", "Wijkteam Zuid").await;
    click(&trainer, "#ranked li:first-child button").await;
    wait_for(&projector, "//ol[@id='ranked']/li[1][contains(., 'Wijkteam Zuid')]").await;

    trainer.execute("window.confirm = () => true;", vec![]).await.expect("answer the confirmation");
    click(&trainer, "#end").await;
    click(&trainer, "#open-review").await;
    wait_for(&trainer, "//section[contains(@class,'steps-review')]//p[contains(., 'Twee huizen')]").await;
    check_screen(&trainer, "review-keukentafel-1280x800").await;
    click(&trainer, "button[data-export='table-0']").await;
    let file = downloaded(&trainer, &downloads, &format!("standpunt-{code}-stap1-keukentafel.csv")).await;
    let file = String::from_utf8(file).expect("UTF-8");
    assert!(file.starts_with('\u{feff}'), "the downloaded file keeps its byte order mark");
    assert!(file.contains("Oma haalt de kinderen elke dag uit school"), "the reason survives the download");
    assert!(file.lines().any(|line| line.contains("Huisarts") && line.contains("op afroep")), "{file}");
    click(&trainer, "#export-html").await;
    let report = downloaded(&trainer, &downloads, &format!("standpunt-{code}.html")).await;
    let report = String::from_utf8(report).expect("UTF-8");
    assert!(report.contains("Keukentafeluitdaging") && report.contains("Wijkteam Zuid"), "the report tells both steps");

    for browser in [trainer, projector, anna, bram] {
        let _ = browser.close().await;
    }
}
