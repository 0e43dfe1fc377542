//! Three real nodes on one PostgreSQL database behind a real HAProxy (`deploy/haproxy.cfg`):
//! a node killed mid-game, a node that hangs and comes back, a rolling restart. Every client
//! comes back through the balancer with its token, as a phone does, and the log keeps one
//! history with nothing acknowledged missing.

use std::time::Instant;

use cards::Position;
use cards::protocol::{ClientMsg, Join};
use cards::view::PhaseView;
use tests::cluster::{Nodes, answer, game, joined};
use tests::postgres::Cluster;

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
