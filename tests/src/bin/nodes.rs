//! `standpunt-nodes`: what `cargo xtask bench --store postgres` measures of several nodes, with
//! the test harness's own parts (a throwaway PostgreSQL cluster, real `standpunt` processes
//! behind a real HAProxy written from `deploy/haproxy.cfg`).
//!
//! ```text
//! standpunt-nodes --load PATH --seconds N --kills K --lease SECONDS
//! ```
//!
//! 1. The headline load (`standpunt-load`, 15 rooms of 8 in closed loop) through the balancer to
//!    one node and to three, on the same database: rounds/s, p99, the nodes' and the
//!    balancer's CPU time a round.
//! 2. Failover, `K` times: a room of eight with the first statement on the table and four
//!    answers given; once its lease was renewed, at another point of the renewal cycle each
//!    time, its node is killed (SIGKILL) and every client comes back through the
//!    balancer at once, trying every 100 ms, as phones do; the time from the kill to the last
//!    one back in its seat, and whether the four answers are still theirs. The killed node is
//!    started again before the next kill.
//!
//! Prints one JSON object on stdout; progress on stderr. Run the release server through
//! `STANDPUNT_BINARY`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Instant;

use cards::Position;
use cards::view::PhaseView;
use tests::cluster::{Nodes, answer, game};
use tests::postgres::Cluster;
use tokio::io::{AsyncBufReadExt, BufReader};

struct Options {
    load: PathBuf,
    seconds: u64,
    kills: usize,
    lease: u64,
}

fn options() -> Result<Options, String> {
    let mut options = Options { load: PathBuf::new(), seconds: 12, kills: 20, lease: 10 };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<u64>().map_err(|_| format!("{flag} takes a whole number, not {value:?}"));
        match flag.as_str() {
            "--load" => options.load = PathBuf::from(&value),
            "--seconds" => options.seconds = number()?,
            "--kills" => options.kills = usize::try_from(number()?).map_err(|error| error.to_string())?,
            "--lease" => options.lease = number()?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if options.kills == 0 {
        return Err("--kills is at least 1".into());
    }
    if options.load.as_os_str().is_empty() {
        return Err("--load names the load generator (standpunt-load)".into());
    }
    Ok(options)
}

/// Seconds of CPU a process has used, user and system, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |index: usize| fields.get(index).and_then(|field| field.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line; 12 and 13 after the name. 100 ticks a second.
    (ticks(11) + ticks(12)) / 100.0
}

/// The headline load through the balancer to `count` nodes.
async fn throughput(cluster: &Cluster, options: &Options, count: usize) -> serde_json::Value {
    // As the single-node bench runs its server: the limits per connection and address out of
    // the way of 120 connections from one machine, each address read from the balancer's
    // X-Forwarded-For.
    let limits = ["--messages-per-second", "1000000", "--rooms-per-address", "1000000", "--trusted-proxy", "127.0.0.1"];
    let nodes =
        Nodes::start_with(cluster, count, options.lease, &limits).await.expect("HAProxy and PostgreSQL are installed");
    eprintln!("load through the balancer to {count} node(s)");
    let mut load = tokio::process::Command::new(&options.load)
        .args(["--url", &format!("http://{}", nodes.balancer)])
        .args(["--rooms", "15", "--players", "8", "--seconds", &options.seconds.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("run the load generator");
    let mut lines = BufReader::new(load.stdout.take().expect("piped")).lines();
    let _ready = lines.next_line().await;
    let (pids, balancer) = nodes.pids();
    let cpu = |pids: &[u32]| pids.iter().map(|pid| cpu_seconds(*pid)).sum::<f64>();
    let (nodes_before, balancer_before) = (cpu(&pids), cpu_seconds(balancer));
    let report = lines.next_line().await.ok().flatten().unwrap_or_default();
    let (nodes_cpu, balancer_cpu) = (cpu(&pids) - nodes_before, cpu_seconds(balancer) - balancer_before);
    let _ = load.wait().await;
    let report: serde_json::Value = serde_json::from_str(&report).unwrap_or_default();
    let number = |key: &str| report.get(key).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
    let rounds = number("rounds").max(1.0);
    serde_json::json!({
        "nodes": count,
        "rounds_per_s": number("rounds_per_s"),
        "p50_ms": number("p50_ms"),
        "p99_ms": number("p99_ms"),
        "errors": number("errors"),
        "nodes_cpu_ms_per_round": nodes_cpu * 1000.0 / rounds,
        "balancer_cpu_ms_per_round": balancer_cpu * 1000.0 / rounds,
    })
}

/// Seconds from SIGKILL of a room's node to its last client back in its seat, `kills` times,
/// and the seconds its lease had left at each kill.
async fn failover(cluster: &Cluster, options: &Options) -> (Vec<f64>, Vec<f64>) {
    let mut nodes = Nodes::start(cluster, 3, options.lease).await.expect("HAProxy and PostgreSQL are installed");
    let (mut times, mut leases_left) = (Vec::new(), Vec::new());
    for kill in 1..=options.kills {
        let mut game = game(&nodes, 8).await;
        for player in &mut game.players[..4] {
            player.request(answer(3)).await.expect("answer, acknowledged");
        }
        // A room is taken when its first connection arrives and its lease renewed every
        // third of a lease, so the lease left runs between two thirds and all of it: kill at
        // another point of that cycle each time, not right after the room was taken, when it
        // has all of it left.
        let lease_ms = i64::try_from(options.lease * 1000).unwrap_or(i64::MAX);
        let point = lease_ms - lease_ms * (2 * (kill as i64 % 10) + 1) / 60;
        let lease_left = until_lease_left(&nodes, &game.code, point).await;
        let owner = nodes.owner(&game.code).await.expect("a node runs the room");
        let killed = Instant::now();
        nodes.kill(owner).await;
        let tries = game.everyone_back(&nodes).await;
        let seconds = killed.elapsed().as_secs_f64();
        for player in &game.players[..4] {
            let mine = match &player.view().phase {
                PhaseView::Turn(turn) => turn.mine.as_ref().map(|answer| answer.position),
                _ => None,
            };
            assert_eq!(mine, Some(Position::Scale(3)), "an acknowledged answer survived the kill");
        }
        eprintln!(
            "kill {kill}: everyone back in {seconds:.2} s ({tries} tries at most; the lease had {lease_left} ms left)"
        );
        times.push(seconds);
        leases_left.push(lease_left as f64 / 1000.0);
        drop(game);
        nodes.restart(owner).await;
    }
    (times, leases_left)
}

/// Waits until the room's node has renewed its lease once and the lease has `left_ms` or less
/// to run; returns what it had left then.
async fn until_lease_left(nodes: &Nodes, code: &str, left_ms: i64) -> i64 {
    let mut ticks = tokio::time::interval(std::time::Duration::from_millis(20));
    let (mut renewed, mut before) = (false, i64::MAX);
    loop {
        ticks.tick().await;
        let Some(left) = nodes.lease_left_ms(code).await else { continue };
        renewed |= left > before;
        if renewed && left <= left_ms {
            return left;
        }
        before = left;
    }
}

/// The value below which `share` of the sorted `values` lie (nearest rank).
fn percentile(sorted: &[f64], share: f64) -> f64 {
    let rank = ((share * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[tokio::main]
async fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("standpunt-nodes: {problem}");
            std::process::exit(2);
        }
    };
    let cluster = Cluster::start("bench-nodes").expect("PostgreSQL is installed");
    let mut loads = Vec::new();
    // `--seconds 0` measures failover alone.
    for count in [1, 3].into_iter().filter(|_| options.seconds > 0) {
        loads.push(throughput(&cluster, &options, count).await);
    }
    let (mut times, leases_left) = failover(&cluster, &options).await;
    times.sort_by(f64::total_cmp);
    let summary = serde_json::json!({
        "lease_s": options.lease,
        "load": loads,
        "failover": {
            "kills": times.len(),
            "p50_s": percentile(&times, 0.5),
            "p99_s": percentile(&times, 0.99),
            "min_s": times.first(),
            "max_s": times.last(),
            "each_s": times,
            "lease_left_at_kill_s": leases_left,
        },
    });
    println!("{summary}");
}
