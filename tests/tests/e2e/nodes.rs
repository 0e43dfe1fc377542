//! Three real nodes on one PostgreSQL database behind a real HAProxy (`deploy/haproxy.cfg`):
//! a node killed mid-game, a node that hangs and comes back, a rolling restart. Every client
//! comes back through the balancer with its token, as a phone does, and the log keeps one
//! history with nothing acknowledged missing.

use std::time::Instant;

use cards::protocol::{ClientMsg, Join};
use cards::view::PhaseView;
use cards::{Answer, Position};
use tests::TestClient;
use tests::cluster::{Nodes, join_again};
use tests::postgres::Cluster;

/// A room's trainer and players, connected through the balancer.
struct Game {
    code: String,
    token: String,
    trainer: TestClient,
    players: Vec<TestClient>,
}

/// Joins through the balancer as a phone does: a room made on one node moves to the node its
/// code hashes to, and meanwhile that node says "try again" (1013).
async fn joined(nodes: &Nodes, code: &str, join: Join) -> TestClient {
    join_again(nodes.balancer, code, join).await.0
}

/// A room of `players` with the first statement on the table.
async fn game(nodes: &Nodes, players: usize) -> Game {
    let (code, token) = tests::create_room(nodes.balancer, cards::Settings::default()).await;
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

fn answer(position: u8) -> ClientMsg {
    ClientMsg::Answer(Answer { position: Position::Scale(position), argument: None, definition: None })
}

impl Game {
    /// Everyone back through the balancer with their token, as phones do after their node went.
    async fn everyone_back(&mut self, nodes: &Nodes) -> u32 {
        let (trainer, mut most) =
            join_again(nodes.balancer, &self.code, Join::Trainer { token: self.token.clone() }).await;
        self.trainer = trainer;
        for player in &mut self.players {
            let token = player.seat_token.clone().expect("a seat token");
            let (back, tries) = join_again(nodes.balancer, &self.code, Join::Seat { token }).await;
            *player = back;
            most = most.max(tries);
        }
        most
    }

    /// The room's whole log, read through the balancer with the trainer's token.
    async fn log(&self, nodes: &Nodes) -> Vec<cards::log::LoggedEvent> {
        let path = format!("/api/rooms/{}/log", self.code);
        let response = tests::http_request(nodes.balancer, "GET", &path, &[("X-Trainer-Token", &self.token)], "").await;
        assert_eq!(response.status, 200);
        serde_json::from_slice(&response.body).expect("the log")
    }
}

/// One history: every place in the log taken once, in order, from 1.
fn one_history(log: &[cards::log::LoggedEvent]) {
    let seqs: Vec<u64> = log.iter().map(|logged| logged.seq).collect();
    assert_eq!(seqs, (1..=log.len() as u64).collect::<Vec<_>>(), "the log has one history");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_mid_game_loses_no_answer_and_every_client_is_back_in_its_seat() {
    let Some(cluster) = Cluster::start("nodes-kill") else { return };
    let Some(mut nodes) = Nodes::start(&cluster, 3, 2).await else { return };
    let mut game = game(&nodes, 12).await;
    for player in &mut game.players[..6] {
        player.request(answer(2)).await.expect("answer, acknowledged");
    }
    let owner = nodes.owner(&game.code).await.expect("a node runs the room");
    let killed = Instant::now();
    nodes.kill(owner).await;
    let tries = game.everyone_back(&nodes).await;
    eprintln!(
        "failover: every client back in its seat {:.1} s after SIGKILL ({tries} tries at most)",
        killed.elapsed().as_secs_f64()
    );
    assert_ne!(nodes.owner(&game.code).await, Some(owner), "another node runs the room");
    for player in &game.players[..6] {
        let mine = match &player.view().phase {
            PhaseView::Turn(turn) => turn.mine.clone(),
            _ => None,
        };
        assert_eq!(
            mine.map(|answer| answer.position),
            Some(Position::Scale(2)),
            "an acknowledged answer survived the node"
        );
    }
    for player in &mut game.players[6..] {
        player.request(answer(4)).await.expect("answer on the new node");
    }
    game.trainer.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await;
    game.trainer.request(ClientMsg::End).await.expect("the game is finished");
    let log = game.log(&nodes).await;
    one_history(&log);
    let answered = log.iter().filter(|logged| logged.event.kind() == "answered").count();
    assert_eq!(answered, 12, "all twelve answers are in the log, six from before the kill");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_that_hangs_and_comes_back_cannot_write_to_the_room_another_node_took() {
    let Some(cluster) = Cluster::start("nodes-stop") else { return };
    let Some(nodes) = Nodes::start(&cluster, 3, 2).await else { return };
    let mut game = game(&nodes, 3).await;
    let owner = nodes.owner(&game.code).await.expect("a node runs the room");
    // The trainer's connection to the hung node stays open (the balancer keeps its tunnel).
    let mut stale = joined(&nodes, &game.code, Join::Trainer { token: game.token.clone() }).await;
    nodes.signal(owner, "STOP");
    nodes.until_balanced(owner, false).await;
    game.everyone_back(&nodes).await;
    game.trainer.request(ClientMsg::Lock { locked: true }).await.expect("the new node runs the room");
    nodes.signal(owner, "CONT");
    // The hung node wakes up with its old copy of the room and writes what it missed (the
    // phones that left it while it hung): the write is refused, and it lets the room and its
    // last connection go (1012, "come back"), without a word in the log.
    assert_eq!(stale.closed_by_server().await.map(|(code, _)| code), Some(1012), "the stale node lets go");
    let log = game.log(&nodes).await;
    one_history(&log);
    let locks: Vec<bool> = log
        .iter()
        .filter_map(|logged| match logged.event {
            cards::Event::Locked { locked } => Some(locked),
            _ => None,
        })
        .collect();
    assert_eq!(locks, [true], "only the new node's command is in the log");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rolling_restart_of_every_node_during_a_game_loses_no_answer() {
    let Some(cluster) = Cluster::start("nodes-roll") else { return };
    let Some(mut nodes) = Nodes::start(&cluster, 3, 2).await else { return };
    let mut game = game(&nodes, 6).await;
    for player in &mut game.players[..3] {
        player.request(answer(1)).await.expect("answer");
    }
    for node in 0..3 {
        let status = nodes.stop(node).await.expect("the node ran");
        assert!(status.success(), "SIGTERM: the node hands over and exits 0");
        nodes.until_balanced(node, false).await;
        game.everyone_back(&nodes).await;
        nodes.restart(node).await;
        game.everyone_back(&nodes).await;
    }
    for player in &mut game.players[3..] {
        player.request(answer(5)).await.expect("answer after the restarts");
    }
    game.trainer.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await;
    let log = game.log(&nodes).await;
    one_history(&log);
    assert_eq!(log.iter().filter(|logged| logged.event.kind() == "answered").count(), 6, "no answer lost");
}
