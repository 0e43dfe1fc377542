//! The built-in Spiegelgesprek as people run it, in real Chromium: the trainer opens it from the
//! home page and says who speaks; a speaker types her answer, two listeners note what they hear
//! (one in English) and nobody else reads it; the trainer closes the conversation, the
//! after-talk groups and picks an observation, shares them with the speaker, and the picked one
//! starts the verbeteracties; the review's files carry a speaker's answer only when asked.

use fantoccini::{Client, Locator};
use tests::TestServer;
use tests::browser::{Driver, TAB, check_screen, click, client_dir, press, screenshot, type_into, wait_for};

use crate::browser::{downloaded, join};

/// Ticks or unticks seat `seat` as a speaker on the console, as the trainer does.
async fn speaks(trainer: &Client, seat: u16, speaking: bool) {
    let css = format!("input[data-seat='{seat}']");
    wait_for(trainer, &format!("//input[@data-seat='{seat}']")).await;
    let checked = trainer
        .execute("return document.querySelector(arguments[0]).checked;", vec![css.clone().into()])
        .await
        .expect("read the box");
    if checked != serde_json::Value::Bool(speaking) {
        click(trainer, &css).await;
    }
    let state = if speaking { "" } else { "not(" };
    let close = if speaking { "" } else { ")" };
    wait_for(trainer, &format!("//input[@data-seat='{seat}'][{state}@checked{close}]")).await;
}

#[tokio::test]
async fn a_spiegelgesprek_runs_from_the_first_question_through_the_after_talk_to_the_actions() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let downloads = tests::scratch_dir("spiegelgesprek-downloads");
    let trainer = driver.browser_downloading_to(1280, 800, &downloads).await;
    let projector = driver.browser(1280, 800).await;
    let sanne = driver.browser(360, 740).await;
    let lotte = driver.browser(360, 740).await;
    let mehmet = driver.browser(360, 740).await;

    trainer.goto(&server.url()).await.expect("open the home page");
    wait_for(&trainer, "//select[@id='draaiboek']/option[@value='spiegelgesprek']").await;
    let choice = trainer.find(Locator::Css("#draaiboek")).await.expect("the draaiboek choice");
    choice.select_by_value("spiegelgesprek").await.expect("choose the Spiegelgesprek");
    click(&trainer, "#create-room").await;
    let code = wait_for(&trainer, "//*[@id='room-code']").await;
    wait_for(&trainer, "//ol[@class='agenda-steps']/li[2]").await;
    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    for (phone, name) in [(&sanne, "Sanne"), (&lotte, "Lotte"), (&mehmet, "Mehmet")] {
        join(phone, &server, &code, name).await;
    }
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Mehmet')]").await;
    click(&trainer, "#start").await;

    // Sanne speaks, Lotte and Mehmet listen, whatever their role cards suggested.
    speaks(&trainer, 0, true).await;
    speaks(&trainer, 1, false).await;
    speaks(&trainer, 2, false).await;
    click(&trainer, "button[data-question='toegang-eerste-contact']").await;
    wait_for(&projector, "//section[@id='mirror-question']").await;
    check_screen(&projector, "projector-mirror-question-1280x800").await;
    wait_for(&sanne, "//p[@id='mirror-speaker']").await;
    type_into(&sanne, "#mirror-answer", "Via de huisarts, na drie keer bellen").await;
    click(&sanne, "#mirror-answer-send").await;
    wait_for(&sanne, "//p[@id='mirror-answer-sent']").await;
    check_screen(&sanne, "player-mirror-speaker-360x740").await;
    wait_for(&projector, "//section[@id='mirror-answers']//li[contains(., 'drie keer bellen')]").await;

    wait_for(&lotte, "//p[@id='mirror-listener']").await;
    click(&lotte, "#kind-could-be-better").await;
    type_into(&lotte, "#mirror-observation", "Drie keer bellen voor je iemand spreekt").await;
    click(&lotte, "#mirror-observe").await;
    wait_for(&lotte, "//ul[@id='mirror-mine']/li[contains(., 'Drie keer bellen voor je')]").await;
    check_screen(&lotte, "player-mirror-listener-360x740").await;
    click(&mehmet, "#switch-language").await;
    wait_for(&mehmet, "//p[@id='mirror-listener'][contains(., 'You listen')]").await;
    click(&mehmet, "#kind-touches-me").await;
    type_into(&mehmet, "#mirror-observation", "Ze bleef het zelf proberen").await;
    click(&mehmet, "#mirror-observe").await;
    wait_for(&mehmet, "//ul[@id='mirror-mine']/li[contains(., 'zelf proberen')]").await;
    check_screen(&mehmet, "player-mirror-listener-en-360x740").await;
    for (who, screen) in
        [("Sanne", &sanne), ("Mehmet", &mehmet), ("the projector", &projector), ("the trainer", &trainer)]
    {
        let seen = screen.find(Locator::XPath("//*[contains(., 'Drie keer bellen voor je')]")).await.is_ok();
        assert!(!seen, "{who} reads Lotte's observation before the after-talk");
    }

    // The after-talk.
    click(&trainer, "#mirror-close").await;
    wait_for(&sanne, "//p[@id='mirror-thanks']").await;
    wait_for(&lotte, "//div[@id='mirror-observations']//li[contains(., 'zelf proberen')]").await;
    assert!(
        sanne.find(Locator::XPath("//*[contains(., 'Drie keer bellen voor je')]")).await.is_err(),
        "the speaker reads nothing before the trainer shares"
    );
    let group = "//div[@id='mirror-observations']//li[contains(., 'Drie keer bellen')]//input[@aria-label='Groep']";
    wait_for(&trainer, group).await;
    trainer
        .find(Locator::XPath(group))
        .await
        .expect("the group field")
        .send_keys("Bereikbaarheid")
        .await
        .expect("type");
    press(&trainer, [TAB]).await;
    wait_for(
        &trainer,
        "//div[@id='mirror-observations']//li[contains(., 'Drie keer bellen')]//input[@value='Bereikbaarheid']",
    )
    .await;
    let pick = "//div[@id='mirror-observations']//li[contains(., 'Drie keer bellen')]//button";
    trainer.find(Locator::XPath(pick)).await.expect("the pick").click().await.expect("pick it");
    wait_for(&trainer, &format!("{pick}[@aria-pressed='true']")).await;
    check_screen(&trainer, "trainer-mirror-after-talk-1280x800").await;
    click(&trainer, "#mirror-share").await;
    wait_for(&sanne, "//div[@id='mirror-observations']//li[contains(., 'Drie keer bellen')]").await;
    wait_for(&projector, "//div[@id='mirror-observations']//li[contains(., 'zelf proberen')]").await;
    screenshot(&sanne, "player-mirror-shared-360x740").await;

    // The picked observation starts the verbeteracties.
    click(&trainer, "#next-step").await;
    wait_for(&trainer, "//ul[@id='proposals']/li[contains(., 'Drie keer bellen')]").await;

    trainer.execute("window.confirm = () => true;", vec![]).await.expect("answer the confirmation");
    click(&trainer, "#end").await;
    click(&trainer, "#open-review").await;
    wait_for(&trainer, "//section[contains(@class,'steps-review')]//li[contains(., 'Drie keer bellen')]").await;
    check_screen(&trainer, "review-spiegelgesprek-1280x800").await;
    click(&trainer, "button[data-export='mirror-0']").await;
    let file = downloaded(&trainer, &downloads, &format!("standpunt-{code}-stap1-spiegelgesprek.csv")).await;
    let file = String::from_utf8(file).expect("UTF-8");
    assert!(file.starts_with('\u{feff}') && file.contains("Drie keer bellen voor je iemand spreekt"), "{file}");
    assert!(
        !file.contains("drie keer bellen\n") && !file.contains("Via de huisarts"),
        "no typed answer unless asked: {file}"
    );
    assert!(!file.contains("Lotte") && !file.contains("Mehmet"), "never a name: {file}");
    std::fs::remove_file(downloads.join(format!("standpunt-{code}-stap1-spiegelgesprek.csv")))
        .expect("clear the download");
    click(&trainer, "button[data-export='mirror-typed-0']").await;
    let typed = downloaded(&trainer, &downloads, &format!("standpunt-{code}-stap1-spiegelgesprek.csv")).await;
    let typed = String::from_utf8(typed).expect("UTF-8");
    assert!(typed.contains("Via de huisarts, na drie keer bellen"), "the trainer asked for the typed answers: {typed}");

    for browser in [trainer, projector, sanne, lotte, mehmet] {
        let _ = browser.close().await;
    }
}
