//! Participants and trainers, each in their own Chromium, play rounds by clicking the UI, and one
//! by keyboard alone.

use fantoccini::{Client, Locator};
use tests::TestServer;
use tests::browser::{
    Driver, ENTER, SPACE, check_screen, click, client_dir, press, screenshot, tab_to, type_into, wait_for,
};

/// Joins from the home page as a participant would: code, name, "Meedoen".
pub(crate) async fn join(browser: &Client, server: &TestServer, code: &str, name: &str) {
    browser.goto(&server.url()).await.expect("open the home page");
    type_into(browser, "#join-code", &code.to_lowercase()).await;
    type_into(browser, "#join-name", name).await;
    click(browser, "#join-submit").await;
    wait_for(browser, "//p[contains(., 'Wachten tot de trainer begint')]").await;
}

pub(crate) async fn answer(browser: &Client, scale: &str, argument: &str) {
    click(browser, &format!("#{scale}")).await;
    type_into(browser, "#argument", argument).await;
    click(browser, "#submit-answer").await;
}

/// The trainer opens a session with the default decks from the home page at `url`, as a
/// trainer does; returns the room code read off the screen.
pub(crate) async fn open_session(trainer: &Client, url: &str) -> String {
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
    wait_for(&trainer, "//div[contains(@class,'upload-errors')]//li[contains(., 'regel 2 · tekst')]").await;
    wait_for(&trainer, "//div[contains(@class,'upload-errors')]//li[contains(., 'regel 3 · begrippen')]").await;
    trainer.execute("document.querySelector('.upload-errors').scrollIntoView()", vec![]).await.expect("scroll");
    screenshot(&trainer, "trainer-upload-errors-1280x800").await;
    let good = files.join("Onze stellingen.csv");
    let statements = "tekst;begrippen\nRegie ligt bij wie het plan schrijft.;regie\nEen netwerk vraag je pas als het misgaat.;netwerkgericht\nEén plan is genoeg.;plan\n";
    std::fs::write(&good, statements).expect("write");
    type_into(&trainer, "#deck-upload", &good.display().to_string()).await;
    wait_for(&trainer, "//p[contains(@class,'confirmation')][contains(., 'Onze stellingen')]").await;

    projector.goto(&format!("{}/projector/{code}", server.url())).await.expect("open the projector");
    wait_for(&projector, &format!("//p[contains(@class,'big-code')][contains(., '{code}')]")).await;
    // Only the projector link may watch from now on: the screen opened with the room code is
    // closed and says why, and the console's projector link carries the new token.
    wait_for(&trainer, "//p[@id='screens-watching'][contains(., '1 scherm')]").await;
    click(&trainer, "#screens-private").await;
    wait_for(&projector, "//p[contains(@class,'banner')][contains(., 'beamerlink werkt niet meer')]").await;
    wait_for(&trainer, "//a[@id='projector-link'][contains(@href, '#screen=')]").await;
    let link = trainer.find(Locator::Css("#projector-link")).await.expect("the link").attr("href").await;
    let link = link.expect("read the link").expect("a link");
    projector.goto(&format!("{}{link}", server.url())).await.expect("open the projector link");
    wait_for(&projector, &format!("//p[contains(@class,'big-code')][contains(., '{code}')]")).await;
    let address = projector.current_url().await.expect("the address").to_string();
    assert!(!address.contains("screen="), "the token left the address bar: {address}");
    wait_for(&trainer, "//p[@id='screens-watching'][contains(., '1 scherm')]").await;
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

/// A role deck whose names need more than ASCII, as Dutch ones often do; one role has no
/// English name, one group is not one of the built-in ones.
const ROLES_WITH_ACCENTS: &str = r#"id = "trema"
kind = "roles"
title.nl = "Rollen met een trema"
title.en = "Roles with a diaeresis"

[[card]]
id = "client"
group = "clientvertegenwoordiging"
name.nl = "Cliëntvertegenwoordiger"
name.en = "Client representative"
perspective.nl = "Brengt de ervaring van inwoners in."
perspective.en = "Brings in residents' experience."

[[card]]
id = "coordinator"
group = "coördinatie"
name.nl = "Coördinator"
perspective.nl = "Houdt de draden bij elkaar."
"#;

/// Waits until Chromium has finished writing `name` in `dir`, and returns its bytes. Chromium
/// tells WebDriver nothing about downloads, so this looks at the folder the way `wait_for`
/// looks at the page: often, until the file is there, for at most thirty seconds.
pub(crate) async fn downloaded(browser: &Client, dir: &std::path::Path, name: &str) -> Vec<u8> {
    let file = dir.join(name);
    let mut ticks = tokio::time::interval(std::time::Duration::from_millis(100));
    for _ in 0..300 {
        ticks.tick().await;
        let busy = std::fs::read_dir(dir)
            .map(|entries| {
                entries.flatten().any(|entry| entry.path().extension().is_some_and(|ext| ext == "crdownload"))
            })
            .unwrap_or(true);
        if !busy && let Ok(bytes) = std::fs::read(&file) {
            return bytes;
        }
    }
    let evidence = screenshot(browser, "failure").await;
    panic!("{name} never arrived in {}; see {}", dir.display(), evidence.display())
}

/// Plays one statement over websockets in a room with `ROLES_WITH_ACCENTS`: both players answer;
/// returns the room code and the trainer token.
async fn a_played_statement_with_accented_roles(server: &TestServer) -> (String, String) {
    use cards::protocol::ClientMsg;
    use cards::{Answer, Position};
    let (code, token) = server.create_room().await;
    let upload = tests::http_request(
        server.addr,
        "POST",
        &format!("/api/rooms/{code}/decks"),
        &[("X-Trainer-Token", &token), ("X-File-Name", "trema.toml")],
        ROLES_WITH_ACCENTS,
    )
    .await;
    assert_eq!(upload.status, 200, "{}", String::from_utf8_lossy(&upload.body));
    let mut trainer = server.trainer(&code, &token).await;
    let mut players = [server.player(&code, "Anna").await, server.player(&code, "Bram").await];
    trainer.request(ClientMsg::Start).await.expect("start");
    let card = players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    players[0].request(ClientMsg::Play { card }).await.expect("play");
    for (player, n) in players.iter_mut().zip([2, 4]) {
        player
            .until(|view| matches!(&view.phase, cards::view::PhaseView::Turn(turn) if turn.statement.is_some()))
            .await;
        let answer = Answer { position: Position::Scale(n), argument: Some("Één zin".to_owned()), definition: None };
        player.request(ClientMsg::Answer(answer)).await.expect("answer");
    }
    trainer.until(|view| matches!(&view.phase, cards::view::PhaseView::Turn(turn) if turn.reveal.is_some())).await;
    (code, token)
}

/// Opens the review page as the trainer who made the room (their token is in this browser).
async fn open_review(browser: &Client, server: &TestServer, code: &str, token: &str) {
    browser.goto(&server.url()).await.expect("open the home page");
    browser
        .execute(
            "localStorage.setItem(arguments[0], arguments[1]);",
            vec![format!("standpunt.trainer.{code}").into(), token.into()],
        )
        .await
        .expect("the trainer's token");
    browser.goto(&format!("{}/review/{code}", server.url())).await.expect("the review");
    wait_for(browser, "//article[contains(@class,'statement-review')]").await;
}

/// What Excel needs: the CSV the review page downloads is the server's bytes, byte order mark
/// and all, so "Cliëntvertegenwoordiger" survives; in English the file is English too. The
/// review names the uploaded deck that was played.
#[tokio::test]
async fn the_csv_from_the_review_page_keeps_its_byte_order_mark_and_accents_in_both_languages() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let (code, token) = a_played_statement_with_accented_roles(&server).await;
    let downloads = tests::scratch_dir("downloads");
    let driver = Driver::start().await;
    let trainer = driver.browser_downloading_to(1280, 800, &downloads).await;
    open_review(&trainer, &server, &code, &token).await;
    wait_for(
        &trainer,
        "//p[contains(., 'Rollen met een trema')][contains(., '2 deelnemers')][contains(., '1 stelling')]",
    )
    .await;

    click(&trainer, "#export-csv").await;
    let csv = downloaded(&trainer, &downloads, &format!("standpunt-{code}.csv")).await;
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte order mark: {:?}", &csv[..csv.len().min(8)]);
    let text = String::from_utf8(csv).expect("UTF-8");
    assert!(text.contains(";Cliëntvertegenwoordiger;") && text.contains(";Coördinator;"), "{text}");
    assert!(text.contains(";Één zin;") && text.contains("\u{feff}ronde;"), "{text}");

    // In English the page and the file speak English; the role without English keeps its name.
    click(&trainer, "#switch-language").await;
    wait_for(
        &trainer,
        "//p[contains(., 'Roles with a diaeresis')][contains(., '2 participants')][contains(., '1 statement')]",
    )
    .await;
    wait_for(&trainer, "//ul[contains(@class,'legend-groups')]/li[contains(., 'Client representation')]").await;
    wait_for(&trainer, "//*[name()='path'][contains(@class,'dot')]/*[name()='title'][contains(., 'Participant ')]")
        .await;
    screenshot(&trainer, "review-english-1280x800").await;
    std::fs::remove_file(downloads.join(format!("standpunt-{code}.csv"))).expect("make room for the next");
    click(&trainer, "#export-csv").await;
    let csv = downloaded(&trainer, &downloads, &format!("standpunt-{code}.csv")).await;
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(csv).expect("UTF-8");
    assert!(text.starts_with("\u{feff}round;vote;statement_id;statement;"), "{text}");
    assert!(text.contains(";Client representative;") && text.contains(";Coördinator;"), "{text}");
    assert!(text.contains(";Participant 1;") && text.contains(";disagree;") && !text.contains("Deelnemer"), "{text}");
    let _ = trainer.close().await;
    let _ = std::fs::remove_dir_all(&downloads);
}

/// Forty players give the same answer, then re-vote: the projector (full width) and a phone
/// show every dot inside its picture, one look per role group for the whole session (its
/// colour and shape, its name in the legend, the role and player on hover), and at the
/// re-vote the vote before beside the new one (above it on the phone).
#[tokio::test]
async fn forty_equal_answers_and_a_revote_on_the_projector_and_a_phone() {
    use cards::protocol::ClientMsg;
    use cards::view::PhaseView;
    use cards::{Answer, Position};
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    // Forty players from one address (this machine): let the whole group in.
    let settings = cards::Settings { joins_per_address: 100, ..cards::Settings::default() };
    let (code, token) = server.create_room_with(settings).await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut players = Vec::new();
    for n in 1..=40 {
        players.push(server.player(&code, &format!("Speler {n}")).await);
    }
    let driver = Driver::start().await;
    let projector = driver.browser(1280, 800).await;
    let phone = driver.browser(360, 740).await;
    for browser in [&projector, &phone] {
        browser.goto(&format!("{}/projector/{code}", server.url())).await.expect("projector");
        wait_for(browser, &format!("//p[contains(@class,'big-code')][contains(., '{code}')]")).await;
    }
    trainer.request(ClientMsg::Start).await.expect("start");
    let card = players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    players[0].request(ClientMsg::Play { card }).await.expect("play");
    let answering = |vote: u8| move |view: &cards::View| matches!(&view.phase, PhaseView::Turn(turn) if turn.vote == vote && turn.statement.is_some() && turn.reveal.is_none());
    for (vote, position) in [(1, 4), (2, 5)] {
        for player in &mut players {
            player.until(answering(vote)).await;
            let answer = Answer { position: Position::Scale(position), argument: None, definition: None };
            player.request(ClientMsg::Answer(answer)).await.expect("answer");
        }
        trainer
            .until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.vote == vote && turn.reveal.is_some()))
            .await;
        let plots = if vote == 1 { 1 } else { 2 };
        for browser in [&projector, &phone] {
            wait_for(browser, &format!("//section[contains(@class,'reveal')][count(.//*[name()='svg'][@role='img'])={plots}][count(.//*[name()='path'][contains(@class,'dot')])={}]", 40 * plots)).await;
        }
        // Every dot has its group's look and says whose it is; none leaves its picture.
        let group_of: std::collections::HashMap<String, String> = trainer
            .view()
            .seats
            .iter()
            .map(|seat| (seat.name.clone(), seat.role.as_ref().expect("a role").group.clone()))
            .collect();
        for (browser, size) in [(&projector, "1280x800"), (&phone, "360x740")] {
            let dots = browser
                .execute(
                    r#"return [...document.querySelectorAll('.reveal svg[role=img]')].flatMap((svg) => {
                        const box = svg.viewBox.baseVal;
                        return [...svg.querySelectorAll('path.dot')].map((dot) => {
                            const b = dot.getBBox();
                            const inside = b.x >= 0 && b.y >= 0 && b.x + b.width <= box.width && b.y + b.height <= box.height;
                            return [dot.querySelector('title').textContent, dot.getAttribute('fill'), inside];
                        });
                    });"#,
                    vec![],
                )
                .await
                .expect("the dots");
            let dots: Vec<(String, String, bool)> = serde_json::from_value(dots).expect("title, fill, inside");
            for (title, fill, inside) in &dots {
                let (role, name) = title.split_once(" — ").expect("role — player");
                let group = &group_of[name];
                assert_eq!(fill, cards::chart::group_style(group).colour, "{title} has its group's colour");
                assert!(!role.is_empty() && *inside, "{title} is drawn inside its picture on {size}");
            }
            let mut groups: Vec<&String> = group_of.values().collect();
            groups.sort();
            groups.dedup();
            for group in groups {
                let label = cards::chart::group_label(group).nl;
                wait_for(browser, &format!("//ul[contains(@class,'legend-groups')]/li[contains(., '{label}')]")).await;
            }
            screenshot(browser, &format!("projector-forty-vote-{vote}-{size}")).await;
        }
        if vote == 1 {
            trainer.request(ClientMsg::Revote).await.expect("revote");
        }
    }
    // The vote before beside the new one on the projector, above it on the phone; the
    // projector's reveal uses the whole width of the screen.
    let layout = |browser: &Client| {
        let browser = browser.clone();
        async move {
            let found = browser
                .execute(
                    r#"const votes = [...document.querySelectorAll('.reveal-compare .vote')].map((v) => v.getBoundingClientRect());
                       const reveal = document.querySelector('.reveal').getBoundingClientRect();
                       return [votes.length, votes[0].top, votes[1].top, votes[0].left, votes[1].left, reveal.width, window.innerWidth];"#,
                    vec![],
                )
                .await
                .expect("the layout");
            serde_json::from_value::<(usize, f64, f64, f64, f64, f64, f64)>(found).expect("numbers")
        }
    };
    let (votes, top_a, top_b, left_a, left_b, width, window) = layout(&projector).await;
    assert_eq!(votes, 2);
    assert!((top_a - top_b).abs() < 1.0 && left_b > left_a, "side by side on the projector");
    assert!(width > window * 0.9, "the reveal fills the projector: {width} of {window}");
    wait_for(&projector, "//div[contains(@class,'vote')][1]//h3[contains(., 'Vorige stemming')]").await;
    let (_, top_a, top_b, left_a, left_b, _, _) = layout(&phone).await;
    assert!(top_b > top_a && (left_a - left_b).abs() < 1.0, "one above the other on a phone");
    check_screen(&projector, "projector-revote-compare-1280x800").await;
    check_screen(&phone, "projector-revote-compare-360x740").await;
    for browser in [projector, phone] {
        let _ = browser.close().await;
    }
}

/// The check every screen gets (`check_screen`) sees what the security policy blocks, also
/// while the page starts: a page with an inline script and a `style` attribute, served with
/// the app's policy, breaks it twice.
#[tokio::test]
async fn the_browser_check_sees_what_the_security_policy_blocks() {
    let dir = tests::scratch_dir("csp-client");
    let page = "<!doctype html><html lang=\"en\"><title>x</title><script>document.title = 'ran';</script>\
                <p style=\"color: red\">styled</p></html>";
    std::fs::write(dir.join("index.html"), page).expect("write the page");
    let server = TestServer::start_with(|config| config.client_dir = Some(dir)).await;
    let driver = Driver::start().await;
    let browser = driver.browser(1280, 800).await;
    browser.goto(&server.url()).await.expect("open the page");
    let violations = tests::browser::policy_violations(&browser).await;
    assert!(violations.iter().any(|violation| violation.starts_with("script-src-elem")), "{violations:?}");
    assert!(violations.iter().any(|violation| violation.starts_with("style-src-attr")), "{violations:?}");
    assert_ne!(browser.title().await.expect("the title"), "ran", "the inline script did not run");
    let _ = browser.close().await;
}
