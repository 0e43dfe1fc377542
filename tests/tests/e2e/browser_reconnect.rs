//! A phone that loses its network while the session carries on, in real Chromium against the
//! real server: it comes back to the time the server has left, or, when its seat was given up
//! meanwhile, stops and offers to join again.
//!
//! Between the phone and the server sits `Network`, a TCP relay the test can cut, as a tunnel
//! or a locked phone does: the server and the other participants carry on without it.

use std::net::SocketAddr;
use std::time::Duration;

use cards::event::TimerMode;
use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Settings, View};
use fantoccini::{Client, Locator};
use tests::TestServer;
use tests::browser::{Driver, check_screen, click, client_dir, screenshot, type_into, wait_for};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// How long a wait on the network may take before the test fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(30);

/// A phone whose network is gone for longer than the seat hold: when it is back, the room no
/// longer knows its seat. The page stops trying, forgets the token, clears the old game, and
/// offers to join again under the same name.
#[tokio::test]
async fn a_phone_whose_seat_was_given_up_stops_and_offers_to_join_again() {
    let server = TestServer::start_with(|config| {
        config.client_dir = Some(client_dir());
        config.seat_hold = Duration::from_millis(300);
    })
    .await;
    let network = Network::start(server.addr).await;
    let (code, token) = server.create_room().await;
    let mut trainer = server.trainer(&code, &token).await;
    let _anna = server.player(&code, "Anna").await;
    let driver = Driver::start().await;
    let bram = driver.browser(360, 740).await;
    join(&bram, &network, &code, "Bram").await;
    trainer.request(ClientMsg::Start).await.expect("start");
    wait_for(&bram, "//p[contains(., 'kiest een stelling')]").await;
    wait_for(&bram, "//*[contains(@class,'card role')]").await;

    network.cut();
    wait_for(&bram, "//p[contains(@class,'banner')][contains(., 'Verbinding kwijt')]").await;
    trainer.until(bram_left).await;
    network.restore();

    wait_for(
        &bram,
        "//*[@id='seat-lost'][contains(., 'Je plek in deze sessie is vrijgegeven, omdat je te lang weg was.')]",
    )
    .await;
    // The page hung up itself: it does not hold the socket open for a hello it will never send.
    let stopped = network.until(|sockets| sockets.open == 0).await;
    let offer = wait_for(&bram, "//button[@id='join-again']").await;
    assert_eq!(offer, "Opnieuw meedoen als Bram");
    let page = bram.source().await.expect("page source");
    assert!(!page.contains("card role"), "the old seat's game is gone from the page");
    assert!(!page.contains("id=\"leave\""), "nothing offers to leave a seat that is gone");
    assert!(!page.contains("class=\"banner\""), "no banner says it is still reconnecting");
    let remembered = bram
        .execute("return localStorage.getItem(arguments[0]);", vec![format!("standpunt.seat.{code}").into()])
        .await
        .expect("read localStorage");
    assert_eq!(remembered, serde_json::Value::Null, "the dead seat token is forgotten");
    check_screen(&bram, "seat-given-up-360x740").await;
    assert_eq!(network.sockets(), stopped, "no new attempt while the offer waits for a tap");

    // One tap: a new seat under the same name, with one new connection.
    click(&bram, "#join-again").await;
    wait_for(&bram, "//*[contains(@class,'card role')]").await;
    let again = trainer.until(|view| view.seats.iter().any(|seat| seat.name == "Bram" && !seat.has_left())).await;
    assert_eq!(again.seats.iter().filter(|seat| seat.name == "Bram").count(), 2, "a new seat; the old one stays left");
    assert_eq!(network.sockets().opened, stopped.opened + 1, "joining again took one connection");
    let remembered = bram
        .execute("return localStorage.getItem(arguments[0]);", vec![format!("standpunt.seat.{code}").into()])
        .await
        .expect("read localStorage");
    assert!(remembered.is_string(), "the new seat's token is remembered");

    let _ = bram.close().await;
}

/// The answer timer starts while a phone is offline. When the phone is back it counts down
/// from the time the server has left, not from the time the missed update gave when it was
/// made; and a countdown built again (the language switch) carries on from there too.
#[tokio::test]
async fn a_phone_that_comes_back_counts_down_from_the_servers_time() {
    let server = TestServer::start_with(|config| config.client_dir = Some(client_dir())).await;
    let network = Network::start(server.addr).await;
    let settings = Settings { timer: TimerMode::Soft { seconds: 60 }, ..Settings::default() };
    let (code, token) = server.create_room_with(settings).await;
    let mut trainer = server.trainer(&code, &token).await;
    let mut anna = server.player(&code, "Anna").await;
    let driver = Driver::start().await;
    let bram = driver.browser(360, 740).await;
    join(&bram, &network, &code, "Bram").await;
    trainer.request(ClientMsg::Start).await.expect("start");
    wait_for(&bram, "//p[contains(., 'kiest een stelling')]").await;

    // Bram's phone is offline while Anna plays her card and the timer starts.
    network.cut();
    let card = anna.until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    anna.request(ClientMsg::Play { card }).await.expect("play");
    // Seconds pass: the phone tries three times (after 0.5, 1 and 2 seconds) and is refused.
    network.until(|sockets| sockets.refused >= 3).await;
    network.restore();

    wait_for(&bram, "//body[not(.//p[contains(@class,'banner')])]").await;
    let shown = seconds(&wait_for(&bram, "//p[contains(@class,'countdown')]").await);
    let observer = server.observer(&code).await;
    let left = timer_ms(observer.view()).div_ceil(1000);
    screenshot(&bram, "countdown-after-reconnect-360x740").await;
    assert!(shown <= 56, "the countdown counts from the server's time, not from the missed update's 60 s: {shown} s");
    assert!(shown.abs_diff(left) <= 2, "the phone shows {shown} s, the server has {left} s left");

    // Once the countdown has moved on, the screen is built again in English: it carries on.
    let moved = shown - 2;
    wait_for(&bram, &format!("//p[contains(@class,'countdown')][number(translate(., ':', '')) <= {moved}]")).await;
    let before = seconds(&bram.find(Locator::Css(".countdown")).await.expect("countdown").text().await.expect("text"));
    click(&bram, "#switch-language").await;
    wait_for(&bram, "//button[@id='leave'][contains(., 'Leave session')]").await;
    let after = seconds(&wait_for(&bram, "//p[contains(@class,'countdown')]").await);
    assert!(after <= before, "the rebuilt countdown goes on from {before} s, not back up to {after} s");

    let _ = bram.close().await;
}

/// Opens the join link through `network` and joins under `name`.
async fn join(browser: &Client, network: &Network, code: &str, name: &str) {
    browser.goto(&format!("http://{}/play/{code}", network.addr)).await.expect("the join link");
    type_into(browser, "#join-name", name).await;
    click(browser, "#join-submit").await;
    wait_for(browser, "//p[contains(., 'Wachten tot de trainer begint')]").await;
}

fn bram_left(view: &View) -> bool {
    view.seats.iter().any(|seat| seat.name == "Bram" && seat.has_left())
}

/// The time the view's answer timer had left when the view was made.
fn timer_ms(view: &View) -> u64 {
    match &view.phase {
        PhaseView::Turn(turn) => turn.timer.expect("a timer runs").remaining_ms,
        other => panic!("no turn: {other:?}"),
    }
}

/// "0:52" → 52.
fn seconds(countdown: &str) -> u64 {
    let (minutes, seconds) =
        countdown.trim().split_once(':').unwrap_or_else(|| panic!("not a countdown: {countdown:?}"));
    let seconds: String = seconds.chars().take_while(char::is_ascii_digit).collect();
    minutes.parse::<u64>().expect("minutes") * 60 + seconds.parse::<u64>().expect("seconds")
}

/// The websocket connections the browser opened through the network.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Sockets {
    opened: usize,
    /// Hung up on at once, because the network was cut.
    refused: usize,
    /// Carried now.
    open: usize,
}

/// The phone's network: a TCP relay to the server that the test can cut. Cut, it drops what it
/// carries and hangs up on every new connection; restored, it carries them again.
struct Network {
    addr: SocketAddr,
    up: watch::Sender<bool>,
    sockets: watch::Sender<Sockets>,
}

impl Network {
    async fn start(server: SocketAddr) -> Network {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let (up, _) = watch::channel(true);
        let (sockets, _) = watch::channel(Sockets::default());
        let (carry_up, carry_sockets) = (up.clone(), sockets.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(carry(stream, server, carry_up.subscribe(), carry_sockets.clone()));
            }
        });
        Network { addr, up, sockets }
    }

    fn cut(&self) {
        self.up.send_replace(false);
    }

    fn restore(&self) {
        self.up.send_replace(true);
    }

    fn sockets(&self) -> Sockets {
        *self.sockets.borrow()
    }

    /// Waits until the websocket counts satisfy `done`.
    async fn until(&self, done: impl FnMut(&Sockets) -> bool) -> Sockets {
        let mut sockets = self.sockets.subscribe();
        let seen = tokio::time::timeout(PATIENCE, sockets.wait_for(done)).await;
        *seen.unwrap_or_else(|_| panic!("the websockets never got there: {:?}", self.sockets())).expect("counted")
    }
}

/// Carries one connection from the browser to the server until either end closes it or the
/// network is cut. The request line tells a websocket (`GET /ws`) from a page load.
async fn carry(
    mut browser: TcpStream,
    server: SocketAddr,
    mut up: watch::Receiver<bool>,
    sockets: watch::Sender<Sockets>,
) {
    let mut head = Vec::new();
    let mut chunk = [0; 2048];
    while !head.windows(2).any(|pair| pair == b"\r\n") {
        match browser.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&chunk[..read]),
        }
    }
    let websocket = head.starts_with(b"GET /ws");
    let count = |change: fn(&mut Sockets)| {
        if websocket {
            sockets.send_modify(change);
        }
    };
    count(|sockets| sockets.opened += 1);
    if !*up.borrow_and_update() {
        count(|sockets| sockets.refused += 1);
        return;
    }
    let Ok(mut upstream) = TcpStream::connect(server).await else { return };
    if upstream.write_all(&head).await.is_err() {
        return;
    }
    count(|sockets| sockets.open += 1);
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut browser, &mut upstream) => {}
        _ = up.wait_for(|up| !*up) => {}
    }
    count(|sockets| sockets.open -= 1);
}

/// The server is stopped (SIGTERM, as at an update) and started again: the phone says the
/// server is restarting instead of a bare "connection lost", and is back in its seat by itself.
#[tokio::test]
async fn a_phone_says_the_server_restarts_and_is_back_in_its_seat_by_itself() {
    use tests::process::{ServerProcess, free_addr};
    let data = tests::scratch_dir("restart");
    let addr = free_addr();
    let server = ServerProcess::start_serving(&data, addr, &client_dir()).await;
    let url = format!("http://{addr}");
    let driver = Driver::start().await;
    let anna = driver.browser(360, 740).await;
    let (code, _token) = tests::create_room(addr, Settings::default()).await;
    anna.goto(&format!("{url}/play/{code}")).await.expect("the join link");
    type_into(&anna, "#join-name", "Anna").await;
    click(&anna, "#join-submit").await;
    wait_for(&anna, "//p[contains(., 'Wachten tot de trainer begint')]").await;

    assert!(server.terminate().await.success(), "a graceful stop exits 0");
    wait_for(&anna, "//p[contains(@class,'banner')][contains(., 'De server start opnieuw')]").await;
    screenshot(&anna, "server-restarting-360x740").await;

    let server = ServerProcess::start_serving(&data, addr, &client_dir()).await;
    wait_for(&anna, "//body[not(.//p[contains(@class,'banner')])]").await;
    wait_for(&anna, "//p[contains(., 'Wachten tot de trainer begint')]").await;
    let _ = anna.close().await;
    server.kill().await;
    let _ = std::fs::remove_dir_all(&data);
}
