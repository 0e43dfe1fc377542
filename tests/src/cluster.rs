//! Several real `standpunt` nodes on one PostgreSQL database behind a real HAProxy, configured
//! as `deploy/haproxy.cfg` (written again here with the nodes' own ports): a room's connections
//! and requests go to the node its code hashes to. Nodes can be killed (SIGKILL), stopped
//! (SIGTERM), paused (SIGSTOP), resumed and started again on their address. Without HAProxy
//! installed, `start` says why and gives `None`, unless `STANDPUNT_REQUIRE_POSTGRES` is set.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use cards::protocol::{ClientMsg, Join};
use cards::view::PhaseView;
use cards::{Answer, Position};

use crate::TestClient;
use crate::postgres::Cluster;
use crate::process::{ServerProcess, free_addr};

pub struct Nodes {
    pub balancer: SocketAddr,
    pub addrs: Vec<SocketAddr>,
    nodes: Vec<Option<ServerProcess>>,
    haproxy: std::process::Child,
    dir: PathBuf,
    store: String,
    lease_seconds: u64,
    /// More options for every node.
    extra: Vec<String>,
}

/// The configuration of `deploy/haproxy.cfg` with these addresses.
fn haproxy_config(balancer: SocketAddr, nodes: &[SocketAddr]) -> String {
    let template = include_str!("../../deploy/haproxy.cfg");
    let servers: String =
        (nodes.iter().enumerate()).map(|(i, addr)| format!("    server node{} {addr}\n", i + 1)).collect();
    let mut config = String::new();
    let mut in_servers = false;
    for line in template.lines() {
        if line.trim_start().starts_with("server node") {
            if !in_servers {
                config.push_str(&servers);
                in_servers = true;
            }
            continue;
        }
        in_servers = false;
        let line = line.replace("bind :8080", &format!("bind {balancer}"));
        config.push_str(&line);
        config.push('\n');
    }
    config
}

impl Nodes {
    pub async fn start(cluster: &Cluster, count: usize, lease_seconds: u64) -> Option<Nodes> {
        Nodes::start_with(cluster, count, lease_seconds, &[]).await
    }

    /// As `start`, each node started with `extra` options too.
    pub async fn start_with(cluster: &Cluster, count: usize, lease_seconds: u64, extra: &[&str]) -> Option<Nodes> {
        if Command::new("haproxy").arg("-v").output().is_err() {
            let message = "HAProxy is not installed (`cargo xtask test` installs it)";
            assert!(std::env::var_os("STANDPUNT_REQUIRE_POSTGRES").is_none(), "{message}");
            eprintln!("SKIPPED the nodes behind a balancer: {message}");
            return None;
        }
        let dir = crate::scratch_dir("nodes");
        std::fs::create_dir_all(&dir).expect("a folder for the nodes");
        let addrs: Vec<SocketAddr> = (0..count).map(|_| free_addr()).collect();
        let balancer = free_addr();
        let config = dir.join("haproxy.cfg");
        std::fs::write(&config, haproxy_config(balancer, &addrs)).expect("write the balancer's configuration");
        let mut nodes = Nodes {
            balancer,
            addrs,
            nodes: Vec::new(),
            haproxy: Command::new("haproxy")
                .args(["-db", "-f"])
                .arg(&config)
                .stdout(std::process::Stdio::null())
                .stderr(std::fs::File::create(dir.join("haproxy.log")).expect("the balancer's log"))
                .spawn()
                .expect("start HAProxy"),
            dir,
            store: cluster.url.clone(),
            lease_seconds,
            extra: extra.iter().map(|option| (*option).to_owned()).collect(),
        };
        for index in 0..count {
            let node = nodes.launch(index).await;
            nodes.nodes.push(Some(node));
        }
        for index in 0..count {
            nodes.until_balanced(index, true).await;
        }
        let mut ticks = tokio::time::interval(Duration::from_millis(100));
        for _ in 0..100 {
            ticks.tick().await;
            if tokio::net::TcpStream::connect(nodes.balancer).await.is_ok() {
                return Some(nodes);
            }
        }
        panic!("HAProxy does not listen on {}; see {}", nodes.balancer, nodes.dir.join("haproxy.log").display())
    }

    async fn launch(&self, index: usize) -> ServerProcess {
        let data = self.dir.join(format!("node{}", index + 1));
        let log = self.dir.join(format!("node{}.log", index + 1));
        ServerProcess::start_node(&data, self.addrs[index], &self.store, self.lease_seconds, &log, &self.extra).await
    }

    /// Waits until HAProxy's health checks see node `index` up (or down), as its stats say.
    pub async fn until_balanced(&self, index: usize, up: bool) {
        let mut ticks = tokio::time::interval(Duration::from_millis(100));
        for _ in 0..300 {
            ticks.tick().await;
            let healthy =
                tokio::time::timeout(Duration::from_millis(500), healthy(self.addrs[index])).await.unwrap_or(false);
            // Health checks run every 500 ms and need two in a row: give them three rounds.
            if healthy == up {
                for _ in 0..15 {
                    ticks.tick().await;
                }
                return;
            }
        }
        panic!("node {} never came {}", index + 1, if up { "up" } else { "down" });
    }

    /// The node that runs `code` now, as the owners' table says (asking the nodes would make
    /// the ones that do not run it ask for it). Node names end in `-PID-RANDOM`.
    pub async fn owner(&self, code: &str) -> Option<usize> {
        let (client, connection) = tokio_postgres::connect(&self.store, tokio_postgres::NoTls).await.ok()?;
        tokio::spawn(connection);
        let row = client.query_opt("SELECT node FROM room_owners WHERE room = $1", &[&code]).await.ok()??;
        let node: String = row.get(0);
        let pid: u32 = node.rsplit('-').nth(1)?.parse().ok()?;
        self.nodes.iter().position(|running| running.as_ref().is_some_and(|running| running.pid() == pid))
    }

    /// How long the lease on `code` has left, in milliseconds of the database's clock.
    pub async fn lease_left_ms(&self, code: &str) -> Option<i64> {
        let (client, connection) = tokio_postgres::connect(&self.store, tokio_postgres::NoTls).await.ok()?;
        tokio::spawn(connection);
        let sql =
            "SELECT expires - (extract(epoch from clock_timestamp()) * 1000)::bigint FROM room_owners WHERE room = $1";
        client.query_opt(sql, &[&code]).await.ok()?.map(|row| row.get(0))
    }

    /// SIGKILL: the node is gone without a word.
    pub async fn kill(&mut self, index: usize) {
        if let Some(node) = self.nodes[index].take() {
            node.kill().await;
        }
    }

    /// SIGTERM: the node hands its rooms over and exits.
    pub async fn stop(&mut self, index: usize) -> Option<std::process::ExitStatus> {
        Some(self.nodes[index].take()?.terminate().await)
    }

    /// Starts node `index` again on its address, and waits for the balancer to see it.
    pub async fn restart(&mut self, index: usize) {
        let node = self.launch(index).await;
        self.nodes[index] = Some(node);
        self.until_balanced(index, true).await;
    }

    /// The process ids of the nodes that run, and the balancer's (for their CPU time).
    pub fn pids(&self) -> (Vec<u32>, u32) {
        (self.nodes.iter().flatten().map(ServerProcess::pid).collect(), self.haproxy.id())
    }

    pub fn signal(&self, index: usize, signal: &str) {
        let pid = self.nodes[index].as_ref().expect("the node runs").pid().to_string();
        let sent = Command::new("kill").args([&format!("-{signal}"), &pid]).status().expect("run kill");
        assert!(sent.success(), "SIG{signal} sent");
    }
}

/// Whether `GET /healthz` answers 200, as HAProxy's check asks; `false` for a node that is
/// gone (refused) or hangs (the caller's timeout).
async fn healthy(addr: SocketAddr) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else { return false };
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    answer.starts_with(b"HTTP/1.1 200")
}

impl Drop for Nodes {
    fn drop(&mut self) {
        let _ = self.haproxy.kill();
        let _ = self.haproxy.wait();
    }
}

/// Connects through `addr` and says hello as `join`, again and again (every 100 ms) until a
/// node takes it, as a phone does after its node died: the balancer may have no node for the
/// room yet, or the node may say the room is still another's (1013). Returns the client and
/// how many tries it took; panics after a minute.
pub async fn join_again(addr: SocketAddr, code: &str, join: Join) -> (TestClient, u32) {
    let mut ticks = tokio::time::interval(Duration::from_millis(100));
    for tries in 1..=600 {
        ticks.tick().await;
        let Some(mut client) = TestClient::try_connect(addr, code).await else { continue };
        match client.try_hello(join.clone()).await {
            Some(Ok(())) => return (client, tries),
            Some(Err(refused)) => panic!("{join:?} refused: {refused:?}"),
            None => continue,
        }
    }
    panic!("no node took {join:?} back within a minute")
}

/// Joins through the balancer as a phone does, trying again while no node takes the room.
pub async fn joined(nodes: &Nodes, code: &str, join: Join) -> TestClient {
    join_again(nodes.balancer, code, join).await.0
}

/// A room's trainer and players, connected through the balancer.
pub struct Game {
    pub code: String,
    pub token: String,
    pub trainer: TestClient,
    pub players: Vec<TestClient>,
}

/// A room of `players` with the first statement on the table.
pub async fn game(nodes: &Nodes, players: usize) -> Game {
    let (code, token) = crate::create_room(nodes.balancer, cards::Settings::default()).await;
    let trainer = joined(nodes, &code, Join::Trainer { token: token.clone() }).await;
    let mut clients = Vec::new();
    for n in 1..=players {
        clients.push(joined(nodes, &code, Join::Player { name: format!("Speler {n}") }).await);
    }
    let mut game = Game { code, token, trainer, players: clients };
    game.trainer.request(ClientMsg::Start).await.expect("start");
    let card = game.players[0].until(|view| !view.hand.is_empty()).await.hand[0].id.clone();
    game.players[0].request(ClientMsg::Play { card }).await.expect("play");
    for player in &mut game.players {
        player.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.statement.is_some())).await;
    }
    game
}

/// A position on the statement on the table.
pub fn answer(position: u8) -> ClientMsg {
    ClientMsg::Answer(Answer { position: Position::Scale(position), argument: None, definition: None })
}

impl Game {
    /// Everyone back through the balancer with their token, all at once, as phones do after
    /// their node went; returns the most tries any of them took.
    pub async fn everyone_back(&mut self, nodes: &Nodes) -> u32 {
        let code = self.code.as_str();
        let mut joins = vec![Join::Trainer { token: self.token.clone() }];
        joins.extend(
            self.players.iter().map(|player| Join::Seat { token: player.seat_token.clone().expect("a seat token") }),
        );
        let back =
            futures_util::future::join_all(joins.into_iter().map(|join| join_again(nodes.balancer, code, join))).await;
        let most = back.iter().map(|(_, tries)| *tries).max().unwrap_or(0);
        let mut clients = back.into_iter().map(|(client, _)| client);
        self.trainer = clients.next().expect("the trainer");
        self.players = clients.collect();
        most
    }

    /// The room's whole log, read through the balancer with the trainer's token.
    pub async fn log(&self, nodes: &Nodes) -> Vec<cards::log::LoggedEvent> {
        let path = format!("/api/rooms/{}/log", self.code);
        let response = crate::http_request(nodes.balancer, "GET", &path, &[("X-Trainer-Token", &self.token)], "").await;
        assert_eq!(response.status, 200);
        serde_json::from_slice(&response.body).expect("the log")
    }
}
