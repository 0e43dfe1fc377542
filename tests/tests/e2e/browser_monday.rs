//! A Monday session as people play it, in real Chromium: a trainer's console, the projector,
//! four phones and twelve more participants; a reload and a language switch while answering,
//! a re-vote, the end of the session. Then the smaller things that went wrong that morning:
//! a wrong code, a join link no phone can open, the QR code on a locked session.

use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Answer, Position};
use fantoccini::{Client, Locator};
use tests::browser::{Driver, check_screen, click, client_dir, screenshot, type_into, wait_for};
use tests::{TestClient, TestServer};

use crate::browser::{answer, join, open_session};

fn answering(view: &cards::View, vote: u8) -> bool {
    matches!(&view.phase, PhaseView::Turn(turn) if turn.statement.is_some() && turn.reveal.is_none() && turn.vote == vote)
}

/// Whether the element is, or within ten seconds comes, inside the visible part of the page
/// (the phone's screen). It is measured at every frame the browser draws.
async fn on_screen(browser: &Client, css: &str) -> bool {
    let script = "const [css, done] = [arguments[0], arguments[arguments.length - 1]];
        const start = performance.now();
        const check = () => {
            const box = document.querySelector(css)?.getBoundingClientRect();
            if (box && box.top >= 0 && box.bottom <= window.innerHeight) return done(true);
            if (performance.now() - start > 10000) return done(false);
            requestAnimationFrame(check);
        };
        check();";
    let seen = browser.execute_async(script, vec![css.into()]).await.expect("measure the element");
    if seen != serde_json::Value::Bool(true) {
        screenshot(browser, "failure-off-screen").await;
    }
    seen == serde_json::Value::Bool(true)
}

async fn answered_count(trainer: &Client) -> String {
    wait_for(trainer, "//section[contains(@class,'roster')]/h2").await
}

#[tokio::test]
async fn sixteen_people_lose_no_vote_to_a_reload_or_a_language_switch() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let projector = driver.browser(1280, 800).await;
    let names = ["Anna", "Bram", "Chris", "Dirk"];
    let mut phones = Vec::new();
    for _ in names {
        phones.push(driver.browser(360, 740).await);
    }

    let code = open_session(&trainer, &server.url()).await;
    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    for (phone, name) in phones.iter().zip(names) {
        join(phone, &server, &code, name).await;
    }
    let mut scripted: Vec<TestClient> = Vec::new();
    for n in 1..=12 {
        scripted.push(server.player(&code, &format!("Deelnemer {n}")).await);
    }
    // The projector shows who has joined, so people see their name arrive.
    wait_for(&projector, "//section[contains(@class,'projector-joined')]/h2[contains(., '16 deelnemers doen mee')]")
        .await;
    wait_for(&projector, "//section[contains(@class,'projector-joined')]//li[contains(., 'Dirk')]").await;
    screenshot(&projector, "projector-lobby-16-1280x800").await;
    click(&trainer, "#start").await;

    // Anna reads first. She scrolls to the last card of her hand and plays it; the statement
    // then comes into view.
    let anna = &phones[0];
    wait_for(anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    anna.execute("window.scrollTo(0, document.body.scrollHeight)", vec![]).await.expect("scroll down");
    let last_card = anna.find_all(Locator::Css(".hand-card")).await.expect("the hand").pop().expect("a card");
    last_card.click().await.expect("play the last card");
    wait_for(anna, "//section[@id='statement']").await;
    wait_for(anna, "//button[@id='submit-answer']").await;
    assert!(on_screen(anna, "#statement").await, "after playing, the statement is on the reader's screen");
    // On a phone the send button stays in reach while answering.
    assert!(on_screen(anna, "#submit-answer").await, "the send button is on the screen at 360 × 740");

    for client in &mut scripted {
        client.until(|view| answering(view, 1)).await;
        let position = Position::Scale(1 + (client.view().my_seat().map_or(0, |seat| seat.0) % 5) as u8);
        client.request(ClientMsg::Answer(Answer { position, argument: None, definition: None })).await.expect("answer");
    }
    answer(anna, "scale-4", "Het gezin weet het best.").await;
    answer(&phones[1], "scale-2", "Soms moet iemand anders sturen.").await;
    // Chris is half-way through his answer and switches to English; Dirk's page reloads.
    let chris = &phones[2];
    click(chris, "#scale-5").await;
    type_into(chris, "#argument", "Half getypt").await;
    chris.execute("window.stillTheSamePage = true;", vec![]).await.expect("mark the page");
    click(chris, "#switch-language").await;
    wait_for(chris, "//label[@for='argument'][not(contains(., 'toelichting'))]").await;
    wait_for(chris, "//button[@id='switch-language'][contains(., 'Nederlands')]").await;
    let same_page = chris.execute("return window.stillTheSamePage === true;", vec![]).await.expect("ask the page");
    assert_eq!(same_page, serde_json::Value::Bool(true), "switching the language does not reload the page");
    let argument = chris.find(Locator::Css("#argument")).await.expect("the argument field");
    assert_eq!(argument.prop("value").await.expect("its value").as_deref(), Some("Half getypt"));
    let dirk = &phones[3];
    dirk.refresh().await.expect("reload the page");
    wait_for(dirk, "//button[@id='scale-3']").await;

    // Fourteen have answered; Chris and Dirk are still here, so nothing is revealed.
    wait_for(&trainer, "//section[contains(@class,'roster')]/h2[contains(., '14 van 16')]").await;
    let roster = answered_count(&trainer).await;
    assert!(roster.contains("14 van 16"), "{roster}");
    assert!(trainer.find(Locator::Css(".reveal")).await.is_err(), "no reveal behind Chris's and Dirk's backs");
    answer(dirk, "scale-3", "Na het herladen.").await;
    click(chris, "#submit-answer").await;

    // The last answer reveals, with all sixteen votes.
    wait_for(&projector, "//section[contains(@class,'reveal')]").await;
    let view = {
        let watcher = &mut scripted[0];
        watcher.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await.clone()
    };
    let PhaseView::Turn(turn) = &view.phase else { panic!("a turn") };
    assert_eq!(turn.reveal.as_ref().map(|reveal| reveal.answers.len()), Some(16), "nobody's vote was lost");
    for phone in &phones {
        wait_for(phone, "//section[contains(@class,'reveal')]").await;
        assert!(on_screen(phone, "#statement").await, "the reveal brings the statement into view");
    }

    // A re-vote: everyone sees what they answered last time.
    click(&trainer, "#revote").await;
    wait_for(anna, "//p[@id='earlier-answer'][contains(., 'Vorige keer koos je')][contains(., '4')]").await;
    wait_for(chris, "//p[@id='earlier-answer'][contains(., 'Last time you chose')][contains(., '5')]").await;
    assert!(on_screen(&phones[1], "#statement").await, "the re-vote brings the statement into view");
    screenshot(anna, "player-revote-360x740").await;
    for client in &mut scripted {
        client.until(|view| answering(view, 2)).await;
        let answer = Answer { position: Position::Scale(3), argument: None, definition: None };
        client.request(ClientMsg::Answer(answer)).await.expect("answer again");
    }
    for (phone, scale) in phones.iter().zip(["scale-3", "scale-3", "scale-4", "scale-3"]) {
        click(phone, &format!("#{scale}")).await;
        click(phone, "#submit-answer").await;
    }
    wait_for(&projector, "//section[contains(@class,'reveal')]").await;
    screenshot(&projector, "projector-revote-reveal-16-1280x800").await;

    // The trainer ends the session: the console says so and leads to the review.
    trainer.execute("window.confirm = () => true;", vec![]).await.expect("answer the confirmation");
    click(&trainer, "#end").await;
    wait_for(&trainer, "//section[@id='session-over']//a[@id='open-review']").await;
    assert!(on_screen(&trainer, "#session-over h2").await, "the console shows that the session is over");
    for gone in ["#end", "#lock", "#invite", ".roster button"] {
        assert!(trainer.find(Locator::Css(gone)).await.is_err(), "after the end the console offers no {gone}");
    }
    check_screen(&trainer, "trainer-session-over-1280x800").await;

    // Someone who arrives late is told at once, beside the code they typed.
    let late = &phones[1];
    late.goto(&server.url()).await.expect("the home page");
    type_into(late, "#join-code", &code).await;
    type_into(late, "#join-name", "Eva").await;
    click(late, "#join-submit").await;
    wait_for(late, "//p[@id='join-code-problem'][contains(., 'al afgelopen')]").await;

    for browser in phones.into_iter().chain([trainer, projector]) {
        let _ = browser.close().await;
    }
}

#[tokio::test]
async fn a_wrong_code_is_said_beside_the_code_field_which_keeps_it() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let phone = driver.browser(360, 740).await;

    phone.goto(&server.url()).await.expect("the home page");
    type_into(&phone, "#join-code", "kx7").await;
    wait_for(&phone, "//p[@id='join-code-hint'][contains(., 'zes tekens')]").await;
    type_into(&phone, "#join-code", "zzz").await;
    type_into(&phone, "#join-name", "Anna").await;
    click(&phone, "#join-submit").await;
    wait_for(&phone, "//p[@id='join-code-problem'][contains(., 'code')]").await;
    let field = phone.find(Locator::Css("#join-code")).await.expect("the code field is still there");
    assert_eq!(field.prop("value").await.expect("its value").as_deref(), Some("kx7zzz"));
    check_screen(&phone, "home-wrong-code-360x740").await;

    // A link with a code that leads nowhere asks for the code again, with this one in it.
    phone.goto(&format!("{}/play/ZZZZZZ", server.url())).await.expect("a dead link");
    wait_for(&phone, "//input[@id='join-code']").await;
    let field = phone.find(Locator::Css("#join-code")).await.expect("a code field");
    assert_eq!(field.prop("value").await.expect("its value").as_deref(), Some("ZZZZZZ"));
    wait_for(&phone, "//p[@id='join-code-problem'][string-length(normalize-space(.)) > 0]").await;
    let _ = phone.close().await;
}

#[tokio::test]
async fn the_console_warns_when_no_phone_can_open_the_join_link_and_the_projector_hides_it_when_locked() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let projector = driver.browser(1280, 800).await;

    // The test server listens on 127.0.0.1: a phone cannot follow that link.
    let code = open_session(&trainer, &server.url()).await;
    wait_for(&trainer, "//div[@id='local-link-warning'][contains(., 'telefoons kunnen deze link niet openen')]").await;
    check_screen(&trainer, "trainer-local-link-warning-1280x800").await;
    // One trainer is one trainer, not "1 trainers".
    wait_for(&trainer, "//section[contains(@class,'tools')]//p[normalize-space(.)='1 trainer']").await;

    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    wait_for(&projector, "//*[local-name()='svg'][contains(@class,'qr')]").await;
    click(&trainer, "#lock").await;
    wait_for(&projector, "//p[@id='projector-locked']").await;
    assert!(
        projector.find(Locator::Css("svg.qr")).await.is_err(),
        "a locked session shows no QR code on the projector"
    );
    click(&trainer, "#lock").await;
    wait_for(&projector, "//*[local-name()='svg'][contains(@class,'qr')]").await;
    for browser in [trainer, projector] {
        let _ = browser.close().await;
    }
}

/// Roles dealt by hand: a participant sees on their phone which role the trainer gave them
/// while they wait for the start, and gets that card when it starts.
#[tokio::test]
async fn a_role_given_by_hand_shows_on_the_phone_before_the_start() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(360, 740).await;
    let code = open_session(&trainer, &server.url()).await;
    join(&anna, &server, &code, "Anna").await;
    join(&bram, &server, &code, "Bram").await;

    let dealing = trainer.wait().for_element(Locator::Css("#role-dealing")).await.expect("how roles are dealt");
    dealing.select_by_value("by_hand").await.expect("by hand");
    let anna_role = trainer.wait().for_element(Locator::Css("#role-for-0")).await.expect("Anna's role");
    anna_role.select_by_value("ouder").await.expect("Anna plays the parent");

    wait_for(&anna, "//p[@id='assigned-role'][contains(., 'De trainer geeft je de rol:')]/strong[. = 'Ouder']").await;
    check_screen(&anna, "phone-lobby-assigned-role-360x740").await;
    let bram_lobby = bram.source().await.expect("page source");
    assert!(!bram_lobby.contains("id=\"assigned-role\""), "Bram has no role yet, so his phone names none");

    click(&trainer, "#start").await;
    wait_for(
        &anna,
        "//*[contains(@class,'card') and contains(@class,'role')][contains(., 'Jouw rol')][contains(., 'Ouder')]",
    )
    .await;
}
