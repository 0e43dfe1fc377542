//! Hostile input: what anyone can send (at most with a room code, which every participant
//! knows), one test per finding of the abuse review (issue 22), each against the real
//! `standpunt` binary or the in-process server. Each sends the hostile input and checks the
//! server refuses it, stays within bounds and keeps serving.

use std::path::{Path, PathBuf};

use cards::protocol::{ClientMsg, Join, ServerMsg};
use cards::{Identity, Presence, SeatId, Settings};
use tests::process::{ServerProcess, free_addr};
use tests::{HttpResponse, TestClient, http_request, scratch_dir};

/// The real binary, on a free port, with its own data folder.
async fn real_server() -> ServerProcess {
    ServerProcess::start(&scratch_dir("abuse")).await
}

/// Takes a seat back with `token` on a new connection: the client with its fresh token, or the
/// refusal's code.
async fn take_back(addr: std::net::SocketAddr, code: &str, token: &str) -> Result<TestClient, String> {
    let mut client = TestClient::connect(addr, code).await;
    match client.hello(Join::Seat { token: token.to_owned() }).await {
        Ok(()) => Ok(client),
        Err(refused) => Err(refused.code),
    }
}

fn token(client: &TestClient) -> String {
    client.seat_token.clone().expect("a seat token")
}

/// Low: a seat token that leaked (a shared computer, a photo of the screen) used to open the
/// seat for ever: its holder and the owner took it from each other again and again, and the
/// holder could `leave` for the owner. Now the token before the newest works only until the
/// newest has been used once.
#[tokio::test]
async fn a_leaked_seat_token_dies_once_its_owner_has_used_the_newer_one() {
    let server = real_server().await;
    let (code, trainer_token) = tests::create_room(server.addr, Settings::default()).await;
    let mut trainer = TestClient::connect(server.addr, &code).await;
    trainer.hello(Join::Trainer { token: trainer_token }).await.expect("the trainer joins");
    let mut anna = TestClient::connect(server.addr, &code).await;
    anna.hello(Join::Player { name: "Anna".to_owned() }).await.expect("Anna joins");
    let leaked = token(&anna);

    // Anna's phone sleeps and comes back with the token that leaked; its welcome is lost, so
    // it comes back with it once more. The token is kept for exactly that.
    anna.drop_connection().await;
    let lost = take_back(server.addr, &code, &leaked).await.expect("back with the token she has");
    let never_arrived = token(&lost);
    lost.drop_connection().await;
    let anna = take_back(server.addr, &code, &leaked).await.expect("back again: the welcome was lost");
    assert_eq!(
        take_back(server.addr, &code, &never_arrived).await.err().as_deref(),
        Some("bad_token"),
        "a token that was replaced before it was used never comes back"
    );

    // The welcome arrives this time, and the next time she comes back she uses it.
    let newest = token(&anna);
    anna.drop_connection().await;
    let mut anna = take_back(server.addr, &code, &newest).await.expect("back with her newest token");

    // The leaked token is dead now, however often it is tried, and so is every token Anna
    // had before her current one's predecessor.
    for _ in 0..3 {
        assert_eq!(take_back(server.addr, &code, &leaked).await.err().as_deref(), Some("bad_token"));
    }
    // Anna was never put out: her connection answers, as the player of seat 0, and the
    // trainer sees her here.
    assert_eq!(anna.me(), Identity::Player { seat: SeatId(0) });
    let refused = anna.request(ClientMsg::Lock { locked: true }).await.expect_err("only a trainer locks");
    assert_eq!(refused.code, "not_trainer");
    trainer.until(|view| view.seats.first().is_some_and(|seat| seat.presence == Presence::Here)).await;

    // Her current token still opens the seat; the holder of the old one never got it back, so
    // never could `leave` for her.
    let current = token(&anna);
    anna.drop_connection().await;
    take_back(server.addr, &code, &current).await.expect("the owner's token works");
}

/// Waits for the next `watching` count a trainer is told.
async fn screens_watching(trainer: &mut TestClient) -> u32 {
    loop {
        if let ServerMsg::Watching { screens } = trainer.recv().await {
            return screens;
        }
    }
}

/// A screen saying hello as an observer, with `token` or without: the refusal's code if any.
async fn watch(addr: std::net::SocketAddr, code: &str, token: Option<&str>) -> Result<TestClient, String> {
    let mut screen = TestClient::connect(addr, code).await;
    match screen.hello(Join::Observer { token: token.map(str::to_owned) }).await {
        Ok(()) => Ok(screen),
        Err(refused) => Err(refused.code),
    }
}

/// Low: anyone with the room code could watch without a seat, unseen. Screens are counted
/// on the console, and the trainer can make the projector link need a token of its own: the
/// screens watching until then are closed, a screen without the token is refused, and the
/// choice holds after a restart.
#[tokio::test]
async fn the_trainer_can_make_the_projector_link_the_only_screen_that_watches() {
    let data = scratch_dir("abuse-screens");
    let server = ServerProcess::start(&data).await;
    let (code, trainer_token) = tests::create_room(server.addr, Settings::default()).await;
    let mut trainer = TestClient::connect(server.addr, &code).await;
    trainer.hello(Join::Trainer { token: trainer_token.clone() }).await.expect("the trainer joins");
    assert_eq!(screens_watching(&mut trainer).await, 0);
    let mut stranger = watch(server.addr, &code, None).await.expect("an open room lets any screen watch");
    assert_eq!(screens_watching(&mut trainer).await, 1, "the console sees the screen");
    let mut anna = TestClient::connect(server.addr, &code).await;
    anna.hello(Join::Player { name: "Anna".to_owned() }).await.expect("Anna joins");

    let id = trainer.send(ClientMsg::ScreenLink { private: true }).await;
    let link = loop {
        if let ServerMsg::ScreenToken { id: Some(answered), token, link } = trainer.recv().await
            && answered == id
        {
            assert_eq!(link, 1, "the first projector link");
            break token;
        }
    };
    assert_eq!(stranger.closed_by_server().await, Some((4005, "screen link changed".to_owned())));
    assert_eq!(screens_watching(&mut trainer).await, 0);
    assert!(anna.until(|view| view.screens_private).await.screens_private, "everyone knows screens are private");
    assert!(!anna.wire().contains(&link), "only the trainer who asked gets the token");
    assert_eq!(watch(server.addr, &code, None).await.err().as_deref(), Some("bad_token"));
    assert_eq!(
        watch(server.addr, &code, Some("0123456789abcdef0123456789abcdef")).await.err().as_deref(),
        Some("bad_token")
    );
    let projector = watch(server.addr, &code, Some(&link)).await.expect("the projector link watches");
    assert!(projector.view().screens_private);
    assert_eq!(
        trainer.until(|view| view.screen_link == 1).await.screen_link,
        1,
        "the console knows which link is current"
    );
    assert_eq!(screens_watching(&mut trainer).await, 1);

    // After a restart the link still needs its token.
    drop((trainer, anna, projector));
    server.terminate().await;
    let server = ServerProcess::start(&data).await;
    assert_eq!(watch(server.addr, &code, None).await.err().as_deref(), Some("bad_token"));
    watch(server.addr, &code, Some(&link)).await.expect("the projector link still watches");

    // Open again: any screen with the code.
    let mut trainer = TestClient::connect(server.addr, &code).await;
    trainer.hello(Join::Trainer { token: trainer_token }).await.expect("the trainer is back");
    trainer.request(ClientMsg::ScreenLink { private: false }).await.expect("open the screens again");
    watch(server.addr, &code, None).await.expect("any screen may watch again");
    let mut player = TestClient::connect(server.addr, &code).await;
    player.hello(Join::Player { name: "Bram".to_owned() }).await.expect("Bram joins");
    let refused = player.request(ClientMsg::ScreenLink { private: true }).await.expect_err("only a trainer");
    assert_eq!(refused.code, "not_trainer");
}

/// Low: names that pass for another participant's or the trainer's, or hide characters.
#[tokio::test]
async fn names_that_hide_characters_or_pass_for_someone_else_are_refused() {
    let server = real_server().await;
    let (code, _) = tests::create_room(server.addr, Settings::default()).await;
    let mut anna = TestClient::connect(server.addr, &code).await;
    anna.hello(Join::Player { name: "Anna".to_owned() }).await.expect("Anna joins");
    let mut hostile = TestClient::connect(server.addr, &code).await;
    for (name, refused) in [
        ("ANNA", "name_taken"),
        ("\u{0410}nna", "name_taken"),
        ("Ａｎｎａ", "name_taken"),
        ("An\u{200B}na", "name_invisible"),
        ("\u{202E}annA", "name_invisible"),
        ("Anna\u{2066}", "name_invisible"),
        ("Trainer", "name_reserved"),
        ("De Trainer", "name_reserved"),
        ("D\u{043E}cent", "name_reserved"),
    ] {
        let answer = hostile.hello(Join::Player { name: name.to_owned() }).await;
        assert_eq!(answer.map_err(|refused| refused.code).err().as_deref(), Some(refused), "{name:?}");
    }
    hostile.hello(Join::Player { name: "  Bram\u{00A0} de  Vries ".to_owned() }).await.expect("a plain name");
    let seats = &hostile.view().seats;
    assert_eq!(seats.iter().map(|seat| seat.name.as_str()).collect::<Vec<_>>(), ["Anna", "Bram de Vries"]);
}

/// A client folder as `cargo xtask` leaves it, beside a folder that holds a secret.
fn client_folder() -> (PathBuf, PathBuf) {
    let outside = scratch_dir("abuse-outside");
    std::fs::write(outside.join("secret.txt"), "SECRET not for browsers").expect("write the secret");
    let dir = scratch_dir("abuse-client");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Standpunt</title><script type=\"module\" src=\"/boot.js\"></script>",
    )
    .expect("write the page");
    std::fs::write(dir.join("boot.js"), "import(\"/participant.js\");").expect("write the boot script");
    std::fs::write(dir.join("style.css"), "body {}").expect("write the style");
    (dir, outside)
}

fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("make a symlink");
}

/// Low: a symlink in the client folder (left by a careless deploy, or planted) used to be
/// followed wherever it led.
#[tokio::test]
async fn no_symlink_leads_out_of_the_client_folder() {
    let (dir, outside) = client_folder();
    symlink(&outside.join("secret.txt"), &dir.join("leak.txt"));
    symlink(&outside, &dir.join("linked"));
    symlink(&dir.join("style.css"), &dir.join("alias.css"));
    std::fs::write(dir.join("app.js"), "plain app").expect("write a script");
    symlink(&outside.join("secret.txt"), &dir.join("app.js.gz"));
    let server = ServerProcess::start_serving(&scratch_dir("abuse"), free_addr(), &dir).await;

    for escape in ["/leak.txt", "/linked/secret.txt"] {
        let response = http_request(server.addr, "GET", escape, &[], "").await;
        assert_eq!(response.status, 404, "{escape}");
        assert!(!String::from_utf8_lossy(&response.body).contains("SECRET"), "{escape}");
    }
    let gzip = [("Accept-Encoding", "gzip")];
    let twin_outside = http_request(server.addr, "GET", "/app.js", &gzip, "").await;
    assert_eq!((twin_outside.status, twin_outside.header("content-encoding")), (200, None));
    assert_eq!(twin_outside.body, b"plain app", "a twin that leads outside is as good as none");
    let inside = http_request(server.addr, "GET", "/alias.css", &[], "").await;
    assert_eq!((inside.status, inside.body.as_slice()), (200, b"body {}".as_slice()), "a link inside is fine");
    let page = http_request(server.addr, "GET", "/play/ABCDEF", &[], "").await;
    assert_eq!(page.status, 200, "and the server carries on");
}

fn assert_common_headers(response: &HttpResponse, what: &str) {
    assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{what}");
    assert_eq!(response.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(response.header("x-frame-options"), Some("DENY"), "{what}");
    let policy = response.header("content-security-policy").unwrap_or_else(|| panic!("{what} has no policy"));
    assert!(policy.contains("frame-ancestors 'none'"), "{what}: {policy}");
    assert!(!policy.contains("'unsafe-eval'"), "{what}: {policy}");
}

/// Low: no page, file, API answer or export carried a security header, so a page could be
/// framed, a file sniffed into a script, and an injected script run.
#[tokio::test]
async fn every_page_file_api_answer_and_export_carries_the_security_headers() {
    let (dir, _) = client_folder();
    let server = ServerProcess::start_serving(&scratch_dir("abuse"), free_addr(), &dir).await;
    let (code, trainer_token) = tests::create_room(server.addr, Settings::default()).await;

    let host = server.addr.to_string();
    for path in ["/", "/play/ABCDEF", "/boot.js", "/style.css"] {
        let response = http_request(server.addr, "GET", path, &[], "").await;
        assert_eq!(response.status, 200, "{path}");
        assert_common_headers(&response, path);
        let policy = response.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval'"), "{path}: {policy}");
        assert!(policy.contains(&format!("connect-src 'self' ws://{host} wss://{host}")), "{path}: {policy}");
        assert!(policy.contains("style-src 'self'") && !policy.contains("unsafe-inline"), "{path}: {policy}");
    }

    for path in ["/api/decks", "/healthz", &format!("/api/rooms/{code}"), "/api/rooms/ZZZZZZ"] {
        let response = http_request(server.addr, "GET", path, &[], "").await;
        assert_common_headers(&response, path);
        let policy = response.header("content-security-policy").unwrap_or_default();
        assert!(policy.starts_with("default-src 'none';"), "{path}: {policy}");
    }

    let trainer = [("X-Trainer-Token", trainer_token.as_str())];
    for format in ["html", "csv", "json"] {
        let path = format!("/api/rooms/{code}/export?format={format}");
        let response = http_request(server.addr, "GET", &path, &trainer, "").await;
        assert_eq!(response.status, 200, "{path}");
        assert_common_headers(&response, &path);
        let policy = response.header("content-security-policy").unwrap_or_default();
        assert_eq!(policy, format!("{}; frame-ancestors 'none'", cards::report::CONTENT_SECURITY_POLICY));
        assert!(!policy.contains("script-src") && policy.starts_with("default-src 'none';"), "{path}: {policy}");
    }
    let report = http_request(server.addr, "GET", &format!("/api/rooms/{code}/export?format=html"), &trainer, "").await;
    let report = String::from_utf8_lossy(&report.body);
    assert!(report.contains("http-equiv=\"Content-Security-Policy\""), "the report carries its policy to disk");
    assert!(!report.contains("<script"));
}

/// What the app's policy forbids must not be in the app: the page starts the app from a file,
/// and no view sets a `style` attribute (the browser test checks the running app).
#[test]
fn the_client_has_no_inline_script_and_no_style_attribute() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client-wasm");
    let page = std::fs::read_to_string(root.join("index.html")).expect("read index.html");
    for script in page.split("<script").skip(1) {
        let (tag, rest) = script.split_once('>').expect("a closed tag");
        assert!(tag.contains("src="), "an inline script in index.html: <script{tag}>");
        assert!(rest.trim_start().starts_with("</script>"), "a script with a src has no body");
    }
    assert!(!page.contains("style="), "an inline style in index.html");
    let mut sources = vec![root.join("src")];
    while let Some(dir) = sources.pop() {
        for entry in std::fs::read_dir(&dir).expect("list the client's source") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let source = std::fs::read_to_string(&path).expect("read a source file");
                for (n, line) in source.lines().enumerate() {
                    let attribute = line.contains(" style=") && !line.trim_start().starts_with("//");
                    assert!(!attribute, "{}:{}: a style attribute, which the policy blocks", path.display(), n + 1);
                }
            }
        }
    }
}
