//! What the end-to-end tests share: a real server on a free port, websocket clients that keep
//! their view with the browser's reducer, and a little HTTP.

pub mod browser;
pub mod cluster;
pub mod postgres;
pub mod process;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use cards::protocol::{ClientMsg, Join, PROTOCOL_VERSION, Request, ServerMsg};
use cards::{Identity, View};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A test fails with a message instead of hanging when an expected frame never comes.
const PATIENCE: Duration = Duration::from_secs(30);

/// The real server on 127.0.0.1, port 0, with its own data folder; shut down on drop.
pub struct TestServer {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    shutdown: Option<oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut server::Config)) -> TestServer {
        let data_dir = scratch_dir("server");
        let mut config = server::Config::new(data_dir.clone());
        adjust(&mut config);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let stop = async move {
                let _ = stopped.await;
            };
            server::run(listener, config, stop).await.expect("server runs");
        });
        TestServer { addr, data_dir, shutdown: Some(shutdown) }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Creates a room with the built-in decks, as the trainer's home page does.
    pub async fn create_room(&self) -> (String, String) {
        create_room(self.addr, cards::Settings::default()).await
    }

    pub async fn create_room_with(&self, settings: cards::Settings) -> (String, String) {
        create_room(self.addr, settings).await
    }

    pub async fn connect(&self, room: &str) -> TestClient {
        TestClient::connect(self.addr, room).await
    }

    pub async fn trainer(&self, room: &str, token: &str) -> TestClient {
        let mut client = self.connect(room).await;
        client.hello(Join::Trainer { token: token.to_owned() }).await.expect("trainer joins");
        client
    }

    /// A room with a trainer and these players, started, with the first seat's first card on
    /// the table and every client caught up: returns the code, the trainer token, the trainer
    /// and the players.
    pub async fn statement_on_the_table(&self, names: &[&str]) -> (String, String, TestClient, Vec<TestClient>) {
        let answering = |view: &View| matches!(&view.phase, cards::view::PhaseView::Turn(turn) if turn.statement.is_some() && turn.reveal.is_none());
        let (code, token) = self.create_room().await;
        let mut trainer = self.trainer(&code, &token).await;
        let mut players = Vec::new();
        for name in names {
            players.push(self.player(&code, name).await);
        }
        trainer.request(ClientMsg::Start).await.expect("start");
        let card = players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
        players[0].request(ClientMsg::Play { card }).await.expect("play");
        for client in players.iter_mut().chain([&mut trainer]) {
            client.until(answering).await;
        }
        (code, token, trainer, players)
    }

    pub async fn observer(&self, room: &str) -> TestClient {
        let mut client = self.connect(room).await;
        client.hello(Join::Observer { token: None }).await.expect("observer joins");
        client
    }

    /// Takes a seat back with its token, as a phone does when it wakes up.
    pub async fn resume(&self, room: &str, token: &str) -> TestClient {
        let mut client = self.connect(room).await;
        client.hello(Join::Seat { token: token.to_owned() }).await.expect("the seat is taken back");
        client
    }

    pub async fn player(&self, room: &str, name: &str) -> TestClient {
        let mut client = self.connect(room).await;
        client.hello(Join::Player { name: name.to_owned() }).await.expect("player joins");
        client
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Creates a room on the server at `addr` with the built-in decks; returns its code and the
/// trainer token.
pub async fn create_room(addr: SocketAddr, settings: cards::Settings) -> (String, String) {
    let body = serde_json::json!({
        "statement_decks": ["containerbegrippen"],
        "role_deck": "keukentafel",
        "settings": settings,
    })
    .to_string();
    let (status, reply) = http(addr, "POST", "/api/rooms", Some(&body)).await;
    assert_eq!(status, 201, "room created: {reply}");
    let reply: serde_json::Value = serde_json::from_str(&reply).expect("json reply");
    (reply["code"].as_str().expect("code").to_owned(), reply["trainer_token"].as_str().expect("token").to_owned())
}

/// A participant over a real websocket, keeping its view with the browser's reducer.
pub struct TestClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Every text frame received, raw, for checks on what crossed the wire.
    pub frames: Vec<String>,
    pub view: Option<View>,
    /// The room event the view is current with.
    pub seq: u64,
    pub seat_token: Option<String>,
}

/// A refusal as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub code: String,
    pub message: String,
}

impl TestClient {
    pub async fn connect(addr: SocketAddr, room: &str) -> TestClient {
        let url = format!("ws://{addr}/ws?room={room}");
        let (socket, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
        TestClient { socket, next_id: 1, frames: Vec::new(), view: None, seq: 0, seat_token: None }
    }

    /// `connect`, or `None` when nobody answers (a balancer with no live node, say).
    pub async fn try_connect(addr: SocketAddr, room: &str) -> Option<TestClient> {
        let url = format!("ws://{addr}/ws?room={room}");
        // A node that hangs never answers: give up on it soon, as a phone's retry does.
        let connecting = tokio_tungstenite::connect_async(url);
        let (socket, _) = tokio::time::timeout(Duration::from_secs(3), connecting).await.ok()?.ok()?;
        Some(TestClient { socket, next_id: 1, frames: Vec::new(), view: None, seq: 0, seat_token: None })
    }

    /// `hello`, or `None` when the server closes the connection instead of answering (a node
    /// that says the room runs elsewhere, a node that dies).
    pub async fn try_hello(&mut self, join: Join) -> Option<Result<(), Refused>> {
        let id = self.next_id;
        self.next_id += 1;
        let hello = Request { id: Some(id), msg: ClientMsg::Hello { protocol: PROTOCOL_VERSION, join, since: None } };
        self.socket.send(Message::text(hello.encode())).await.ok()?;
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(3), self.socket.next()).await.ok()??.ok()?;
            let Message::Text(text) = frame else {
                if let Message::Close(_) = frame {
                    return None;
                }
                continue;
            };
            match self.absorb(&text) {
                ServerMsg::Welcome { id: Some(answered), .. } if answered == id => return Some(Ok(())),
                ServerMsg::Error { id: Some(failed), code, message } if failed == id => {
                    return Some(Err(Refused { code, message: message.nl }));
                }
                _ => {}
            }
        }
    }

    pub async fn hello(&mut self, join: Join) -> Result<(), Refused> {
        self.request(ClientMsg::Hello { protocol: PROTOCOL_VERSION, join, since: None }).await
    }

    /// Sends a message without waiting for its answer; returns its id.
    pub async fn send(&mut self, msg: ClientMsg) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send_raw(&Request { id: Some(id), msg }.encode()).await;
        id
    }

    /// Reads until the answer to message `id`, folding in updates.
    pub async fn answer_to(&mut self, id: u64) -> Result<(), Refused> {
        loop {
            match self.recv().await {
                ServerMsg::Ack { id: Some(acked) }
                | ServerMsg::Welcome { id: Some(acked), .. }
                | ServerMsg::Resumed { id: Some(acked), .. }
                | ServerMsg::Invite { id: Some(acked), .. }
                    if acked == id =>
                {
                    return Ok(());
                }
                ServerMsg::Error { id: Some(failed), code, message } if failed == id => {
                    return Err(Refused { code, message: message.nl });
                }
                _ => {}
            }
        }
    }

    /// Sends a message and reads until its `ack`, `welcome` or `error`, folding in updates.
    pub async fn request(&mut self, msg: ClientMsg) -> Result<(), Refused> {
        let id = self.send(msg).await;
        self.answer_to(id).await
    }

    pub async fn send_raw(&mut self, text: &str) {
        self.socket.send(Message::text(text)).await.expect("send a frame");
    }

    /// The next message from the server; updates are folded into the view.
    pub async fn recv(&mut self) -> ServerMsg {
        loop {
            let frame = tokio::time::timeout(PATIENCE, self.socket.next())
                .await
                .expect("the server sent nothing within the patience limit")
                .expect("the connection is open")
                .expect("a frame arrives");
            if let Message::Text(text) = frame {
                return self.absorb(&text);
            }
        }
    }

    /// Records a frame and folds it into the view.
    fn absorb(&mut self, text: &str) -> ServerMsg {
        self.frames.push(text.to_owned());
        let msg: ServerMsg = serde_json::from_str(text).expect("the server sends valid messages");
        match &msg {
            ServerMsg::Welcome { view, seat_token, seq, .. } => {
                self.view = Some((**view).clone());
                self.seq = *seq;
                if seat_token.is_some() {
                    self.seat_token.clone_from(seat_token);
                }
            }
            ServerMsg::Resumed { seq, seat_token, .. } => {
                assert_eq!(*seq, self.seq, "resumed where this client left off");
                if seat_token.is_some() {
                    self.seat_token.clone_from(seat_token);
                }
            }
            ServerMsg::Update { updates, seq } => {
                assert!(*seq > self.seq, "updates arrive in order, after the welcome");
                self.seq = *seq;
                let view = self.view.as_mut().expect("updates come after the welcome");
                updates.iter().for_each(|update| view.apply(update));
            }
            _ => {}
        }
        msg
    }

    /// Reads until the view satisfies `done`.
    pub async fn until(&mut self, done: impl Fn(&View) -> bool) -> &View {
        while !self.view.as_ref().is_some_and(&done) {
            self.recv().await;
        }
        self.view.as_ref().expect("a view")
    }

    /// Drops the connection as a phone does when it sleeps: no goodbye.
    pub async fn drop_connection(self) {
        drop(self.socket);
    }

    /// Waits until the server closes this connection; returns the close frame's code and
    /// reason, if it sent one.
    pub async fn closed_by_server(&mut self) -> Option<(u16, String)> {
        loop {
            match tokio::time::timeout(PATIENCE, self.socket.next()).await.expect("closed within the patience limit") {
                Some(Ok(Message::Close(Some(frame)))) => return Some((frame.code.into(), frame.reason.to_string())),
                None | Some(Err(_)) | Some(Ok(Message::Close(None))) => return None,
                Some(Ok(Message::Text(text))) => {
                    self.absorb(&text);
                }
                Some(Ok(_)) => {}
            }
        }
    }

    /// Every frame received so far, as one string, for checks on what crossed the wire.
    pub fn wire(&self) -> String {
        self.frames.concat()
    }

    pub fn view(&self) -> &View {
        self.view.as_ref().expect("joined")
    }

    pub fn me(&self) -> Identity {
        self.view().you
    }
}

/// One HTTP/1.1 request with `Connection: close`; returns the status and the body.
pub async fn http(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    let response = http_request(addr, method, path, &[("Content-Type", "application/json")], body.unwrap_or("")).await;
    (response.status, String::from_utf8_lossy(&response.body).into_owned())
}

/// An HTTP answer as it came: the status, the headers, the body.
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of the header `name` (any case), if it came.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// One HTTP/1.1 request with the given headers and `Connection: close`.
pub async fn http_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpResponse {
    http_request_from([127, 0, 0, 1].into(), addr, method, path, headers, body).await
}

/// `http_request` from another loopback address (`127.0.0.2`), as a second computer would.
pub async fn http_request_from(
    from: std::net::IpAddr,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> HttpResponse {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket.bind(SocketAddr::new(from, 0)).expect("bind the client's address");
    let mut stream = socket.connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read response");
    let split = response.windows(4).position(|window| window == b"\r\n\r\n").unwrap_or(response.len());
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let body = response.get(split + 4..).unwrap_or_default().to_vec();
    let mut lines = head.lines();
    let status = lines.next().and_then(|line| line.split(' ').nth(1)).and_then(|code| code.parse().ok());
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    HttpResponse { status: status.expect("a status line"), headers, body }
}

/// A fresh folder under the system's temp dir.
pub fn scratch_dir(purpose: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "standpunt-test-{purpose}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The kinds of the events a room has stored, in order, read from the server's SQLite file.
pub fn stored_event_kinds(data_dir: &std::path::Path, room: &str) -> Vec<(u64, String)> {
    let db = rusqlite::Connection::open_with_flags(
        data_dir.join(server::Sqlite::FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the event store");
    let mut select = db.prepare("SELECT seq, kind FROM events WHERE room = ?1 ORDER BY seq").expect("prepare");
    select
        .query_map([room], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}
