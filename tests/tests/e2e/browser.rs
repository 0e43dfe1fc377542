//! Participants and trainers, each in their own Chromium, play rounds by clicking the UI, and one
//! by keyboard alone.

use fantoccini::{Client, Locator};
use tests::TestServer;
use tests::browser::{
    Driver, ENTER, SPACE, check_screen, click, client_dir, press, screenshot, tab_to, type_into, wait_for,
};

/// Joins from the home page as a participant would: code, name, "Meedoen".
async fn join(browser: &Client, server: &TestServer, code: &str, name: &str) {
    browser.goto(&server.url()).await.expect("open the home page");
    type_into(browser, "#join-code", &code.to_lowercase()).await;
    type_into(browser, "#join-name", name).await;
    click(browser, "#join-submit").await;
    wait_for(browser, "//p[contains(., 'Wachten tot de trainer begint')]").await;
}

async fn answer(browser: &Client, scale: &str, argument: &str) {
    click(browser, &format!("#{scale}")).await;
    type_into(browser, "#argument", argument).await;
    click(browser, "#submit-answer").await;
}

/// The trainer opens a session with the default decks from the home page at `url`, as a
/// trainer does; returns the room code read off the screen.
async fn open_session(trainer: &Client, url: &str) -> String {
    trainer.goto(url).await.expect("open the home page");
    wait_for(trainer, "//select[@id='statement-deck']/option").await;
    click(trainer, "#create-room").await;
    wait_for(trainer, "//*[@id='room-code']").await
}

#[tokio::test]
async fn a_trainer_and_two_players_play_a_round_in_real_browsers() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(360, 740).await;

    // The trainer opens a session with the default decks and reads the code off the screen.
    let code = open_session(&trainer, &server.url()).await;
    assert_eq!(code.len(), 6, "a six-letter room code: {code:?}");

    join(&anna, &server, &code, "Anna").await;
    join(&bram, &server, &code, "Bram").await;
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Bram')]").await;
    click(&trainer, "#start").await;

    // Anna sat down first, so she reads first: she sees her hand and plays a card.
    wait_for(&anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    let statement = wait_for(&anna, "(//button[contains(@class,'hand-card')])[1]").await;
    click(&anna, ".hand-card").await;
    wait_for(&bram, &format!("//p[contains(@class,'statement-text')][contains(., \"{statement}\")]")).await;

    type_into(&anna, "#definition", "Het gezin kiest zelf wie meedenkt").await;
    answer(&anna, "scale-4", "Het gezin kent zichzelf het best.").await;
    wait_for(&anna, "//p[contains(@class, 'confirmation')]").await;
    // Until Bram answers, the trainer sees that Anna answered, not what.
    wait_for(&trainer, "//li[contains(., 'Anna')]/span[contains(@class,'answer-state answered')]").await;
    let console = trainer.source().await.expect("page source");
    assert!(!console.contains("Het gezin kent zichzelf het best."), "no answer shows before the reveal");

    answer(&bram, "scale-2", "Soms moet iemand anders sturen.").await;

    // The last answer reveals: everyone sees both positions, roles and arguments.
    for browser in [&anna, &bram, &trainer] {
        wait_for(browser, "//section[contains(@class,'reveal')]//li[contains(., 'Soms moet iemand anders sturen.')]")
            .await;
        wait_for(browser, "//section[contains(@class,'reveal')]//li[contains(., 'Het gezin kent zichzelf het best.')]")
            .await;
        wait_for(browser, "//section[contains(@class,'reveal')]//p[contains(@class,'position')][contains(., 'Eens')]")
            .await;
    }
    screenshot(&anna, "player-after-reveal-360x740").await;
    screenshot(&trainer, "trainer-after-reveal-1280x800").await;

    // At the reveal the console shows how split the group is.
    wait_for(&trainer, "//section[contains(@class,'figures')]//p[contains(., 'C ')][contains(., 'n=2')]").await;
    click(&trainer, "#next").await;
    wait_for(&bram, "//p[contains(., 'Jij bent aan de beurt')]").await;

    // The review page: the statement with its figures, the term and Anna's definition of it.
    click(&trainer, "#to-review").await;
    wait_for(&trainer, &format!("//article[contains(@class,'statement-review')]//p[contains(., \"{statement}\")]"))
        .await;
    wait_for(&trainer, "//article[contains(@class,'term-lens')]//li[contains(., 'Het gezin kiest zelf wie meedenkt')]")
        .await;
    wait_for(&trainer, "//button[@id='export-html']").await;
    screenshot(&trainer, "review-1280x800").await;

    for browser in [trainer, anna, bram] {
        let _ = browser.close().await;
    }
}

#[tokio::test]
async fn a_round_with_a_timer_and_a_revote_on_the_console_a_phone_and_the_projector() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let projector = driver.browser(1280, 800).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(360, 740).await;

    let code = open_session(&trainer, &server.url()).await;

    // A soft timer: the countdown runs on every screen, the trainer reveals.
    let timer_mode = trainer.wait().for_element(Locator::Css("#timer-mode")).await.expect("the settings");
    timer_mode.select_by_value("soft").await.expect("choose a soft timer");
    wait_for(&trainer, "//input[@id='timer-seconds']").await;

    // The trainer brings a deck: a file with mistakes shows every one and changes nothing.
    let files = tests::scratch_dir("upload");
    let bad = files.join("fouten.csv");
    std::fs::write(&bad, "tekst;begrippen;kleur\n;regie;rood\nGoed;Regie!;blauw\n").expect("write");
    type_into(&trainer, "#deck-upload", &bad.display().to_string()).await;
    wait_for(&trainer, "//div[contains(@class,'upload-errors')]//li[contains(., 'regel 1 · kleur')]").await;
    wait_for(&trainer, "//div[contains(@class,'upload-errors')]//li[contains(., 'regel 2 · text')]").await;
    wait_for(&trainer, "//div[contains(@class,'upload-errors')]//li[contains(., 'regel 3 · terms')]").await;
    trainer.execute("document.querySelector('.upload-errors').scrollIntoView()", vec![]).await.expect("scroll");
    screenshot(&trainer, "trainer-upload-errors-1280x800").await;
    let good = files.join("Onze stellingen.csv");
    let statements = "tekst;begrippen\nRegie ligt bij wie het plan schrijft.;regie\nEen netwerk vraag je pas als het misgaat.;netwerkgericht\nEén plan is genoeg.;plan\n";
    std::fs::write(&good, statements).expect("write");
    type_into(&trainer, "#deck-upload", &good.display().to_string()).await;
    wait_for(&trainer, "//p[contains(@class,'confirmation')][contains(., 'Onze stellingen')]").await;

    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    wait_for(&projector, &format!("//p[contains(@class,'big-code')][contains(., '{code}')]")).await;
    join(&anna, &server, &code, "Anna").await;
    // Markup typed into any text field is shown as the characters typed, never run.
    join(&bram, &server, &code, "Bram <img src=x onerror=window.pwned=1>").await;
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Bram')]").await;
    click(&trainer, "#start").await;

    wait_for(&anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    let statement = wait_for(&anna, "(//button[contains(@class,'hand-card')])[1]").await;
    click(&anna, ".hand-card").await;
    wait_for(&projector, &format!("//p[contains(@class,'projector-statement')][contains(., \"{statement}\")]")).await;
    wait_for(&projector, "//p[@role='timer'][contains(., ':')]").await;
    wait_for(&bram, "//p[@role='timer'][contains(., ':')]").await;

    answer(&anna, "scale-2", "Eerst moet het veilig zijn.").await;
    wait_for(&projector, "//p[contains(@class,'projector-count')][contains(., '1 van 2')]").await;
    screenshot(&projector, "projector-answering-1280x800").await;
    let source = projector.source().await.expect("page source");
    assert!(!source.contains("Eerst moet het veilig zijn."), "the projector shows no answer before the reveal");
    answer(&bram, "scale-4", "Het gezin houdt de regie.").await;
    wait_for(&projector, "//section[contains(@class,'reveal')]//li[contains(., 'Het gezin houdt de regie.')]").await;
    screenshot(&projector, "projector-reveal-1280x800").await;

    // The re-vote: Anna moves from "oneens" to "eens"; the reveal says so.
    click(&trainer, "#revote").await;
    wait_for(&anna, "//p[contains(@class,'card-label')][contains(., 'Herstemming')]").await;
    answer(&anna, "scale-4", "Na het gesprek ben ik om.").await;
    wait_for(&bram, "//p[contains(@class,'card-label')][contains(., 'Herstemming')]").await;
    answer(&bram, "scale-4", "<script>window.pwned=2</script>Nog steeds <b>eens</b>.").await;
    for browser in [&anna, &trainer, &projector] {
        wait_for(
            browser,
            "//li[contains(., 'Na het gesprek ben ik om.')]//span[contains(@class,'moved')][contains(., 'was Oneens')]",
        )
        .await;
    }
    for browser in [&anna, &trainer, &projector] {
        wait_for(browser, "//li[contains(., '<script>window.pwned=2</script>Nog steeds <b>eens</b>.')]").await;
        wait_for(browser, "//li[contains(., 'Bram <img src=x onerror=window.pwned=1>')]").await;
        let pwned = browser.execute("return typeof window.pwned", vec![]).await.expect("script");
        assert_eq!(pwned, serde_json::json!("undefined"), "no typed markup ran");
        let bold = browser.find_all(Locator::Css(".reveal b, .reveal img, .reveal script")).await.expect("query");
        assert!(bold.is_empty(), "no typed markup became an element");
    }
    screenshot(&anna, "player-revote-reveal-360x740").await;
    screenshot(&trainer, "trainer-revote-reveal-1280x800").await;

    for browser in [trainer, projector, anna, bram] {
        let _ = browser.close().await;
    }
}

/// Every screen, on a phone (360 × 740) and a laptop (1280 × 800): a screenshot of each, and
/// no serious or critical accessibility violation on any.
#[tokio::test]
async fn every_screen_at_phone_and_laptop_size_passes_axe() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let co_trainer = driver.browser(360, 740).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(1280, 800).await;
    let projector = driver.browser(1280, 800).await;
    let pocket_projector = driver.browser(360, 740).await;

    for (browser, size) in [(&trainer, "1280x800"), (&anna, "360x740")] {
        browser.goto(&server.url()).await.expect("home");
        wait_for(browser, "//select[@id='statement-deck']/option").await;
        check_screen(browser, &format!("home-{size}")).await;
    }
    click(&trainer, "#create-room").await;
    let code = wait_for(&trainer, "//*[@id='room-code']").await;
    wait_for(&trainer, "//*[name()='svg' and contains(@class,'qr')]").await;
    check_screen(&trainer, "trainer-lobby-1280x800").await;

    click(&trainer, "#invite").await;
    let invite = wait_for(&trainer, "//code[contains(@class,'invite-link')]").await;
    co_trainer.goto(&invite).await.expect("the invite link");
    wait_for(&co_trainer, "//*[@id='room-code']").await;
    check_screen(&co_trainer, "trainer-lobby-360x740").await;

    for (browser, size) in [(&projector, "1280x800"), (&pocket_projector, "360x740")] {
        browser.goto(&format!("{}/projector/{code}", server.url())).await.expect("projector");
        wait_for(browser, &format!("//p[contains(@class,'big-code')][contains(., '{code}')]")).await;
        check_screen(browser, &format!("projector-lobby-{size}")).await;
    }
    for (browser, size, name) in [(&anna, "360x740", "Anna"), (&bram, "1280x800", "Bram")] {
        browser.goto(&format!("{}/play/{code}", server.url())).await.expect("the join link");
        wait_for(browser, "//input[@id='join-name']").await;
        check_screen(browser, &format!("join-name-{size}")).await;
        type_into(browser, "#join-name", name).await;
        click(browser, "#join-submit").await;
        wait_for(browser, "//p[contains(., 'Wachten tot de trainer begint')]").await;
        check_screen(browser, &format!("player-lobby-{size}")).await;
    }
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Bram')]").await;
    click(&trainer, "#start").await;

    wait_for(&anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    check_screen(&anna, "player-choosing-360x740").await;
    wait_for(&bram, "//p[contains(., 'kiest een stelling')]").await;
    check_screen(&bram, "player-waiting-1280x800").await;
    click(&anna, ".hand-card").await;
    for (browser, name) in [(&anna, "player-answering-360x740"), (&bram, "player-answering-1280x800")] {
        wait_for(browser, "//button[@id='scale-3']").await;
        check_screen(browser, name).await;
    }
    for (browser, name) in [(&trainer, "trainer-answering-1280x800"), (&co_trainer, "trainer-answering-360x740")] {
        wait_for(browser, "//button[@id='reveal']").await;
        check_screen(browser, name).await;
    }
    for (browser, name) in
        [(&projector, "projector-answering-1280x800"), (&pocket_projector, "projector-answering-360x740")]
    {
        wait_for(browser, "//p[contains(@class,'projector-count')]").await;
        check_screen(browser, name).await;
    }
    answer(&anna, "scale-2", "Eerst veiligheid.").await;
    answer(&bram, "scale-5", "Het gezin beslist.").await;
    for (browser, name) in [
        (&anna, "player-reveal-360x740"),
        (&bram, "player-reveal-1280x800"),
        (&trainer, "trainer-reveal-1280x800"),
        (&co_trainer, "trainer-reveal-360x740"),
        (&projector, "projector-reveal-1280x800"),
        (&pocket_projector, "projector-reveal-360x740"),
    ] {
        wait_for(browser, "//section[contains(@class,'reveal')]//*[name()='svg']").await;
        check_screen(browser, name).await;
    }
    wait_for(&anna, "//*[name()='text'][contains(@class,'own-marker')]").await;

    click(&trainer, "#next").await;
    wait_for(&bram, "//p[contains(., 'Jij bent aan de beurt')]").await;
    check_screen(&bram, "player-choosing-1280x800").await;

    for (browser, size) in [(&trainer, "1280x800"), (&co_trainer, "360x740")] {
        browser.goto(&format!("{}/review/{code}", server.url())).await.expect("review");
        wait_for(browser, "//article[contains(@class,'statement-review')]").await;
        check_screen(browser, &format!("review-{size}")).await;
        browser.goto(&format!("{}/review", server.url())).await.expect("all sessions");
        wait_for(browser, &format!("//a[contains(., '{code}')]")).await;
        check_screen(browser, &format!("review-index-{size}")).await;
    }

    // English, for whoever prefers it: the switch is on every page and sticks.
    click(&anna, "#switch-language").await;
    wait_for(&anna, "//p[contains(., 'is choosing a statement')]").await;
    wait_for(&anna, "//button[@id='switch-language'][contains(., 'Nederlands')]").await;
    check_screen(&anna, "player-waiting-english-360x740").await;

    for browser in [trainer, co_trainer, anna, bram, projector, pocket_projector] {
        let _ = browser.close().await;
    }
}

/// Someone without a mouse joins, answers a statement and plays a card with Tab, Space, Enter
/// and typing alone. (The trainer and the other player play over websockets.)
#[tokio::test]
async fn a_participant_plays_a_round_by_keyboard_alone() {
    use cards::protocol::ClientMsg;
    use cards::{Answer, Position};
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let driver = Driver::start().await;
    let anna = driver.browser(360, 740).await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut bram = server.player(&code, "Bram").await;

    anna.goto(&server.url()).await.expect("open the home page");
    tab_to(&anna, "#join-code").await;
    press(&anna, code.chars()).await;
    tab_to(&anna, "#join-name").await;
    press(&anna, "Anna".chars()).await;
    tab_to(&anna, "#join-submit").await;
    press(&anna, [ENTER]).await;
    wait_for(&anna, "//p[contains(., 'Wachten tot de trainer begint')]").await;

    // Bram sat down first, so he reads first.
    trainer.request(ClientMsg::Start).await.expect("start");
    let card = bram.until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    bram.request(ClientMsg::Play { card }).await.expect("play");
    tab_to(&anna, "#scale-4").await;
    press(&anna, [SPACE]).await;
    tab_to(&anna, "#argument").await;
    press(&anna, "Met toetsen alleen.".chars()).await;
    tab_to(&anna, "#submit-answer").await;
    press(&anna, [ENTER]).await;
    wait_for(&anna, "//p[contains(@class, 'confirmation')]").await;
    let answer = Answer { position: Position::Scale(2), argument: None, definition: None };
    bram.request(ClientMsg::Answer(answer)).await.expect("answer");
    wait_for(&anna, "//section[contains(@class,'reveal')]//li[contains(., 'Met toetsen alleen.')]").await;

    // Anna's turn to read: she picks a card from her hand the same way.
    trainer.request(ClientMsg::Next).await.expect("next");
    wait_for(&anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    tab_to(&anna, ".hand-card").await;
    press(&anna, [ENTER]).await;
    bram.until(|view| matches!(&view.phase, cards::view::PhaseView::Turn(turn) if turn.statement.is_some() && turn.reveal.is_none()))
        .await;
    let _ = anna.close().await;
}

/// The server goes away and comes back (a restart, a network hiccup): the phone says so, finds
/// its seat again by itself, and the half-typed argument is still there.
#[tokio::test]
async fn a_half_typed_answer_survives_a_lost_connection() {
    use tests::process::{ServerProcess, free_addr};
    let data = tests::scratch_dir("reconnect");
    let addr = free_addr();
    let mut server = ServerProcess::start_serving(&data, addr, &client_dir()).await;
    let url = format!("http://{addr}");
    let driver = Driver::start().await;
    let trainer = driver.browser(1280, 800).await;
    let anna = driver.browser(360, 740).await;
    let bram = driver.browser(360, 740).await;

    let code = open_session(&trainer, &url).await;
    for (browser, name) in [(&anna, "Anna"), (&bram, "Bram")] {
        browser.goto(&format!("{url}/play/{code}")).await.expect("join link");
        type_into(browser, "#join-name", name).await;
        click(browser, "#join-submit").await;
        wait_for(browser, "//p[contains(., 'Wachten tot de trainer begint')]").await;
    }
    wait_for(&trainer, "//section[contains(@class,'roster')]//li[contains(., 'Bram')]").await;
    click(&trainer, "#start").await;
    wait_for(&anna, "//p[contains(., 'Jij bent aan de beurt')]").await;
    click(&anna, ".hand-card").await;

    click(&bram, "#scale-3").await;
    type_into(&bram, "#argument", "Half getypt, nog niet").await;
    server.kill().await;
    wait_for(&bram, "//p[contains(@class,'banner')][contains(., 'Verbinding kwijt')]").await;
    screenshot(&bram, "connection-lost-360x740").await;

    server = ServerProcess::start_serving(&data, addr, &client_dir()).await;
    wait_for(&bram, "//body[not(.//p[contains(@class,'banner')])]").await;
    let argument = bram.find(Locator::Css("#argument")).await.expect("the argument field");
    assert_eq!(argument.prop("value").await.expect("its value").as_deref(), Some("Half getypt, nog niet"));
    let chosen = bram.find(Locator::Css("#scale-3")).await.expect("the scale");
    assert_eq!(chosen.attr("aria-pressed").await.expect("pressed?").as_deref(), Some("true"));
    type_into(&bram, "#argument", " verstuurd.").await;
    click(&bram, "#submit-answer").await;
    wait_for(&bram, "//p[contains(@class, 'confirmation')]").await;
    wait_for(&trainer, "//li[contains(., 'Bram')]/span[contains(@class,'answer-state answered')]").await;

    for browser in [trainer, anna, bram] {
        let _ = browser.close().await;
    }
    server.kill().await;
    let _ = std::fs::remove_dir_all(&data);
}
