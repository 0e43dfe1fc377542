//! `cargo xtask bench`: Standpunt and the bare relay under the same load, side by side.
//!
//! The server runs on core 0 and the load generator on core 1 (`taskset`). For each scenario the server's CPU time and memory are read from
//! /proc; the generator reports rounds, frames and the reveal latency. Results: a table on
//! stdout and target/bench/summary.json.
//!
//! `cargo xtask bench --soak` runs the soak instead: 20,000 short sessions (2,000 with
//! `--quick`) against one fresh server, with its memory at the start and the end; results in
//! target/bench/soak.json. The abuse scenario (also `--abuse` on its own) plays 50 rooms with
//! and without `standpunt-abuse` beside them; results in target/bench/abuse.json. The review of a
//! 40-person, three-hour session (also `--review` on its own) is timed by `standpunt-review`;
//! results in target/bench/review.json. What rooms cost in memory (also `--memory` on its own):
//! 375 rooms of eight created, seated, started and played 20 rounds, the RSS after each stage;
//! results in target/bench/memory.json. `--before PATH` runs the closed-loop scenarios with
//! another build of the server and this one in turns; results in target/bench/before-after.json.
//! `--store postgres` runs the headline scenario on one node
//! with SQLite and with PostgreSQL (a throwaway cluster), results in target/bench/postgres.json;
//! then one node and three behind HAProxy, and the failover time of a killed node
//! (`standpunt-nodes`), results in target/bench/nodes.json.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::{CLIENT_APPS, Result, build_client, cargo, status, step, target_dir, which};

/// One load scenario and what it measured.
struct Outcome {
    target: &'static str,
    label: String,
    players: usize,
    rooms: usize,
    rounds_per_s: f64,
    frames_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    p999_ms: f64,
    errors: u64,
    server_cpu_s: f64,
    server_busy: f64,
    generator_busy: f64,
    cpu_ms_per_round: f64,
    rss_mib: f64,
    /// The server's peak RSS (VmHWM) since it started.
    peak_rss_mib: f64,
    /// What the abuser heard back, when one ran beside the load (its JSON report).
    abuse: Option<String>,
}

/// The game against the relay in one pair of runs.
#[derive(Clone, Copy)]
struct Ratios {
    rounds: f64,
    p99: f64,
    cpu_per_round: f64,
}

impl Ratios {
    fn of(game: &Outcome, relay: &Outcome) -> Ratios {
        Ratios {
            rounds: game.rounds_per_s / relay.rounds_per_s,
            p99: game.p99_ms / relay.p99_ms,
            cpu_per_round: game.cpu_ms_per_round / relay.cpu_ms_per_round,
        }
    }

    /// Each ratio's median over the pairs.
    fn median(pairs: &[Ratios]) -> Option<Ratios> {
        let median = |pick: fn(&Ratios) -> f64| {
            let mut values: Vec<f64> = pairs.iter().map(pick).collect();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied()
        };
        Some(Ratios {
            rounds: median(|r| r.rounds)?,
            p99: median(|r| r.p99)?,
            cpu_per_round: median(|r| r.cpu_per_round)?,
        })
    }
}

pub fn run(args: &[String]) -> Result {
    let quick = args.iter().any(|arg| arg == "--quick");
    if args.iter().any(|arg| arg == "--soak") {
        return soak(if quick { 2_000 } else { 20_000 });
    }
    if args.windows(2).any(|pair| pair[0] == "--store" && pair[1] == "postgres") {
        step("building release binaries, and the test harness's driver of several nodes");
        status(cargo().args(["build", "--release", "--package", "server", "--package", "bench"]))?;
        status(cargo().args(["build", "--package", "tests", "--bin", "standpunt-nodes"]))?;
        let (release, out) = (target_dir().join("release"), target_dir().join("bench"));
        let seconds = if quick { 3 } else { 12 };
        postgres_beside_sqlite(&release, &out, seconds)?;
        return several_nodes(&release, &out, seconds, if quick { 3 } else { 20 });
    }
    if args.iter().any(|arg| arg == "--review") {
        step("building release binaries");
        status(cargo().args(["build", "--release", "--package", "bench"]))?;
        return review_cost(&target_dir().join("release"), &target_dir().join("bench")).map(|_| ());
    }
    if let Some(before) = args.windows(2).find(|pair| pair[0] == "--before").map(|pair| PathBuf::from(&pair[1])) {
        step("building release binaries");
        status(cargo().args(["build", "--release", "--package", "server", "--package", "bench"]))?;
        let release = target_dir().join("release");
        return before_and_after(&before, &release, &target_dir().join("bench"), if quick { 3 } else { 12 });
    }
    if args.iter().any(|arg| arg == "--memory") {
        step("building release binaries");
        status(cargo().args(["build", "--release", "--package", "server", "--package", "bench"]))?;
        return room_memory(
            &target_dir().join("release"),
            &target_dir().join("bench"),
            if quick { 50 } else { ROOMS_FOR_MEMORY },
        );
    }
    if args.iter().any(|arg| arg == "--abuse") {
        step("building release binaries");
        status(cargo().args(["build", "--release", "--package", "server", "--package", "bench"]))?;
        return abuse(&target_dir().join("release"), &target_dir().join("bench"), if quick { 5 } else { 20 });
    }
    let seconds = if quick { 3 } else { 12 };
    step("building release binaries and the client");
    status(cargo().args(["build", "--release", "--package", "server", "--package", "bench"]))?;
    let client = build_client()?;
    let release = target_dir().join("release");
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|error| format!("cannot create {}: {error}", out.display()))?;

    // Game and relay run in pairs, one right after the other, so both meet the same machine
    // (the disk under a shared VM moves by a third from minute to minute). The headline pair
    // (8 players) runs three times, and each ratio is its median over the pairs.
    let mut outcomes = Vec::new();
    let mut headline = Vec::new();
    for (players, rooms) in [(3, 40), (8, 15), (30, 4)] {
        let repeats = if players == 8 && !quick { 3 } else { 1 };
        for run in 1..=repeats {
            let label = if repeats > 1 { format!("closed P={players} #{run}") } else { format!("closed P={players}") };
            let pair = ["game", "relay"].map(|target| {
                let server = Server::start(target, &release, &out)?;
                measure(&server, target, &label, players, rooms, seconds, None, &release, false, None)
            });
            let [game, relay] = pair;
            let (game, relay) = (game?, relay?);
            if players == 8 {
                headline.push(Ratios::of(&game, &relay));
            }
            outcomes.extend([game, relay]);
        }
    }
    for target in ["game", "relay"] {
        let server = Server::start(target, &release, &out)?;
        outcomes.push(measure(
            &server,
            target,
            "open P=8 at 10/s a room",
            8,
            15,
            seconds,
            Some(10.0),
            &release,
            false,
            None,
        )?);
    }
    // A round of each work form beside the statements' (the game only: the relay plays
    // statements): a schaalvraag asked, answered and revealed; every player's dots placed.
    for (form, label) in [
        ("scale", "schaalvraag P=8"),
        ("table", "keukentafeluitdaging P=8"),
        ("mirror", "spiegelgesprek P=8"),
        ("actions", "verbeteracties P=8"),
    ] {
        let server = Server::start("game", &release, &out)?;
        outcomes.push(measure(&server, "game", label, 8, 15, seconds, None, &release, false, Some(form))?);
    }
    // 19,000 players: the server and the generator each hold one descriptor per player, and
    // this machine allows each process 20,000.
    let idle = if quick { 2_000 } else { 19_000 };
    let rss_per_idle_kib = idle_memory(&release, &out, idle)?;
    // Ten thousand players at a classroom's pace (every room a round every ten seconds, for a
    // minute), and the same rooms flat out, to show where the server saturates.
    let ten_thousand = if quick {
        None
    } else {
        let server = Server::start("game", &release, &out)?;
        Some(measure(&server, "game", "10,000 players, round/10 s", 8, 1_250, 60, Some(0.1), &release, false, None)?)
    };
    if !quick {
        let server = Server::start("game", &release, &out)?;
        outcomes.push(measure(&server, "game", "10,000 players, flat out", 8, 1_250, 15, None, &release, false, None)?);
    }
    abuse(&release, &out, if quick { 5 } else { 20 })?;
    review_cost(&release, &out)?;
    room_memory(&release, &out, if quick { 50 } else { ROOMS_FOR_MEMORY })?;
    let gzip: Vec<(&str, u64)> =
        CLIENT_APPS.iter().map(|app| Ok((*app, gzip_size(&client, app)?))).collect::<Result<_>>()?;

    print_table(&outcomes, ten_thousand.as_ref());
    let ratios = Ratios::median(&headline).ok_or("no P=8 measurement")?;
    let errors: u64 = outcomes.iter().chain(&ten_thousand).map(|o| o.errors).sum();
    let summary = summary_json(&outcomes, ten_thousand.as_ref(), &headline, rss_per_idle_kib, idle, errors, &gzip);
    let file = out.join("summary.json");
    std::fs::write(&file, summary).map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    let runs =
        |pick: fn(&Ratios) -> f64| headline.iter().map(|r| format!("{:.2}", pick(r))).collect::<Vec<_>>().join(", ");
    println!("\nP=8, median of {} pairs (each pair's ratio in brackets):", headline.len());
    println!("rounds/s game ÷ relay:        {:.2} ({})", ratios.rounds, runs(|r| r.rounds));
    println!("p99 game ÷ relay:             {:.2} ({})", ratios.p99, runs(|r| r.p99));
    println!("CPU per round game ÷ relay:   {:.2} ({})", ratios.cpu_per_round, runs(|r| r.cpu_per_round));
    println!("server RSS per idle player:  {rss_per_idle_kib:.1} KiB ({idle} players)");
    if let Some(big) = &ten_thousand {
        println!("10,000 players: p99 {:.1} ms, {} errors, {:.0} rounds/s", big.p99_ms, big.errors, big.rounds_per_s);
    }
    let apps: Vec<String> = gzip.iter().map(|(app, bytes)| format!("{app} {bytes}")).collect();
    println!("client transfer size (gzip, bytes per app): {}", apps.join(", "));
    println!("summary: {}", file.display());
    Ok(())
}

/// A server (the game or the relay) pinned to core 0; killed on drop.
struct Server {
    child: Child,
    url: String,
    _data: Option<PathBuf>,
    /// How many rooms the server said left memory, when its log is read (the soak).
    rooms_left: Arc<AtomicU64>,
}

impl Server {
    fn start(target: &str, release: &Path, out: &Path) -> Result<Server> {
        Server::launch(target, release, out, &[], false)
    }

    /// The game with `extra` arguments (a `--rooms-per-address` among them replaces the
    /// bench's own); when `counting`, its log is read for the rooms that leave memory.
    fn launch(target: &str, release: &Path, out: &Path, extra: &[&str], counting: bool) -> Result<Server> {
        // The generator opens its rooms from a few addresses; the server's default would
        // refuse most of them.
        let rooms_per_address = if extra.contains(&"--rooms-per-address") { None } else { Some("1000000") };
        let data = out.join("data");
        let _ = std::fs::remove_dir_all(&data);
        let mut command = pinned(0);
        if target == "game" {
            command
                .arg(release.join("standpunt"))
                .args(["--addr", "127.0.0.1:0", "--messages-per-second", "1000000", "--data"])
                .arg(&data)
                .args(rooms_per_address.iter().flat_map(|rooms| ["--rooms-per-address", rooms]))
                .args(extra);
            // The soak reads when each room leaves memory from the registry's log line.
            command.env("RUST_LOG", if counting { "warn,server::rooms=info" } else { "warn" });
        } else {
            command.arg(release.join("standpunt-relay")).args(["--addr", "127.0.0.1:0"]);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(if counting { Stdio::piped() } else { Stdio::null() })
            .spawn()
            .map_err(|error| format!("cannot start {target}: {error}"))?;
        let rooms_left = Arc::new(AtomicU64::new(0));
        if let Some(stderr) = child.stderr.take() {
            let rooms_left = rooms_left.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(std::result::Result::ok) {
                    if line.contains("room left memory") {
                        rooms_left.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|error| format!("cannot read {target}'s address: {error}"))?;
        let url =
            line.split("http://").nth(1).and_then(|rest| rest.split('/').next()).map(|addr| format!("http://{addr}"));
        let url = url.ok_or_else(|| format!("{target} printed no address: {line:?}"))?;
        Ok(Server { child, url, _data: (target == "game").then_some(data), rooms_left })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A command pinned to `core` (when `taskset` is here); the program to run comes as its first
/// argument.
fn pinned(core: usize) -> Command {
    let mut prefix: Vec<String> = Vec::new();
    if which("taskset") {
        prefix.extend(["taskset".into(), "-c".into(), core.to_string()]);
    }
    let mut command = Command::new(if prefix.is_empty() { "env".to_owned() } else { prefix.remove(0) });
    command.args(prefix);
    command
}

#[allow(clippy::too_many_arguments)]
fn measure(
    server: &Server,
    target: &'static str,
    label: &str,
    players: usize,
    rooms: usize,
    seconds: u64,
    rate: Option<f64>,
    release: &Path,
    abuse: bool,
    form: Option<&str>,
) -> Result<Outcome> {
    step(&format!("{target}: {label}, {rooms} rooms"));
    let mut command = pinned(1);
    command.arg(release.join("standpunt-load")).args([
        "--url",
        &server.url,
        "--rooms",
        &rooms.to_string(),
        "--players",
        &players.to_string(),
        "--seconds",
        &seconds.to_string(),
    ]);
    if let Some(rate) = rate {
        command.args(["--rate", &rate.to_string()]);
    }
    if let Some(form) = form {
        command.args(["--form", form]);
    }
    // The generator sets up every room first and says when the measured run begins: the
    // server's CPU time is read from then until it is done.
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot run the load generator: {error}"))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let _ready = lines.next();
    let cpu_before = cpu_seconds(server.pid());
    // The abuser shares the generator's core, so what it costs shows in the server alone.
    let abuser = if abuse {
        let abuser = pinned(1)
            .arg(release.join("standpunt-abuse"))
            .args(["--url", &server.url, "--seconds", &seconds.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot run the abuser: {error}"))?;
        Some(abuser)
    } else {
        None
    };
    let report = lines.next().and_then(|line| line.ok()).unwrap_or_default();
    let cpu_after = cpu_seconds(server.pid());
    let _ = child.wait();
    let abuse = abuser
        .map(|abuser| {
            let output = abuser.wait_with_output().map_err(|error| format!("the abuser gave no report: {error}"))?;
            Ok::<_, String>(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        })
        .transpose()?;
    let number = |key: &str| json_number(&report, key).unwrap_or(0.0);
    let duration = number("seconds").max(0.001);
    let rounds = number("rounds");
    let server_cpu_s = cpu_after - cpu_before;
    Ok(Outcome {
        target,
        label: label.to_owned(),
        players,
        rooms,
        rounds_per_s: number("rounds_per_s"),
        frames_per_s: number("frames_per_s"),
        p50_ms: number("p50_ms"),
        p99_ms: number("p99_ms"),
        p999_ms: number("p999_ms"),
        errors: number("errors") as u64,
        server_cpu_s,
        server_busy: (server_cpu_s / duration).min(9.0),
        generator_busy: number("generator_cpu_s") / duration,
        cpu_ms_per_round: if rounds > 0.0 { server_cpu_s * 1000.0 / rounds } else { 0.0 },
        rss_mib: rss_kib(server.pid()) / 1024.0,
        peak_rss_mib: status_kib(server.pid(), "VmHWM") / 1024.0,
        abuse,
    })
}

/// Server memory per idle connected player: the RSS with `count` players connected and
/// seated, less the RSS before they came.
fn idle_memory(release: &Path, out: &Path, count: usize) -> Result<f64> {
    step(&format!("idle capacity: {count} connected players"));
    let server = Server::start("game", release, out)?;
    let before = rss_kib(server.pid());
    let mut generator = pinned(1)
        .arg(release.join("standpunt-load"))
        .args(["--url", &server.url, "--idle", &count.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot run the load generator: {error}"))?;
    let stdout = generator.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).map_err(|error| format!("no report from the idle run: {error}"))?;
    let connected = json_number(&line, "idle_connections").unwrap_or(0.0);
    let after = rss_kib(server.pid());
    let _ = generator.kill();
    let _ = generator.wait();
    if connected < count as f64 {
        return Err(format!("only {connected} of {count} idle players connected"));
    }
    Ok((after - before) / connected)
}

/// Rooms that play while the abuser sends its hostile requests.
const ABUSE_ROOMS: usize = 50;
/// What each of the abuser's attacks must have heard at least once, or the scenario did not
/// reach the defence it is about.
const ABUSE_REFUSALS: [(&str, &str); 8] = [
    ("deck_multiplier", "413"),
    ("room_flood", "429"),
    ("slow_bodies", "held"),
    ("unread_uploads", "sent_unread"),
    ("same_deck_again", "429"),
    ("fake_players", "too_many_from_address"),
    ("wrong_codes", "too_many_attempts"),
    ("wrong_tokens", "bad_token"),
];

/// The abuse scenario (issue #22): 50 rooms of 8 players each play a round a second, once on
/// their own and once while `standpunt-abuse` sends the hostile requests of issue #22 beside
/// them, each on a fresh server. The legitimate rooms' p99 and the server's peak RSS must stay
/// within 1.5× and +100 MiB of the calm run. Results in target/bench/abuse.json.
fn abuse(release: &Path, out: &Path, seconds: u64) -> Result {
    std::fs::create_dir_all(out).map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    let [calm, abused] = [false, true].map(|abuse| {
        // The generator opens its 50 rooms at once from one source address; the abuser's
        // flood of room creations meets the same limit.
        let server = Server::launch("game", release, out, &["--rooms-per-address", "60"], false)?;
        let label = if abuse { "abuse: 50 rooms, attacked" } else { "abuse: 50 rooms, calm" };
        measure(&server, "game", label, 8, ABUSE_ROOMS, seconds, Some(1.0), release, abuse, None)
    });
    let (calm, abused) = (calm?, abused?);
    let answers = abused.abuse.clone().unwrap_or_default();
    let p99_ratio = abused.p99_ms / calm.p99_ms.max(0.001);
    let peak_added = abused.peak_rss_mib - calm.peak_rss_mib;
    let within = p99_ratio <= 1.5 && peak_added <= 100.0;
    let both = [calm, abused];
    print_table(&both, None);
    let [calm, abused] = &both;
    println!("abuser's answers: {answers}");
    println!(
        "abuse: p99 {:.2} × the calm run's, peak RSS {peak_added:+.1} MiB (within 1.5× and +100 MiB: {within})",
        p99_ratio
    );
    let file = out.join("abuse.json");
    let json = format!(
        "{{\n  \"rooms\": {ABUSE_ROOMS},\n  \"players\": 8,\n  \"rounds_per_s_per_room\": 1,\n  \"seconds\": {seconds},\n  \"p99_ratio\": {p99_ratio:.3},\n  \"peak_rss_added_mib\": {peak_added:.1},\n  \"within\": {within},\n  \"calm_p99_ms\": {:.3},\n  \"calm_peak_rss_mib\": {:.1},\n  \"attacked_p99_ms\": {:.3},\n  \"attacked_peak_rss_mib\": {:.1},\n  \"attacked_errors\": {},\n  \"abuser\": {}\n}}\n",
        calm.p99_ms,
        calm.peak_rss_mib,
        abused.p99_ms,
        abused.peak_rss_mib,
        abused.errors,
        if answers.is_empty() { "null" } else { &answers },
    );
    std::fs::write(&file, json).map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    let missed: Vec<String> = ABUSE_REFUSALS
        .iter()
        .filter(|(attack, answer)| !attack_heard(&answers, attack, answer))
        .map(|(attack, answer)| format!("{attack} never heard {answer}"))
        .collect();
    if !missed.is_empty() {
        return Err(format!("the abuse did not reach its defences: {}", missed.join("; ")));
    }
    if !within {
        return Err(format!(
            "under attack the rooms' p99 was {p99_ratio:.2} × the calm run's and the peak RSS {peak_added:+.1} MiB (targets 1.5 × and +100 MiB)"
        ));
    }
    Ok(())
}

/// Whether the abuser's report says `attack` heard `answer`.
fn attack_heard(report: &str, attack: &str, answer: &str) -> bool {
    report
        .split_once(&format!("\"{attack}\":{{"))
        .and_then(|(_, rest)| rest.split_once('}'))
        .is_some_and(|(answers, _)| answers.contains(&format!("\"{answer}\":")))
}

/// Sessions the soak runs at once.
const SOAK_CONCURRENCY: usize = 50;
/// Sessions the server plays before its first idle memory is read: every worker thread and the
/// store have done their work once.
const SOAK_FIRST_WARM_UP: usize = 100;
/// Sessions the server has played, all told, before the idle memory the end is held against is
/// read: some five seconds of the soak's own load, long enough for rooms to end and linger as
/// they do all through the run, so the allocator has met the run's peak once. What a server
/// keeps after its first busy stretch is a one-time cost; the soak asks whether more sessions
/// add to it.
const SOAK_WARM_UP: usize = 1_000;
/// How long an ended session stays in memory after its last connection closed (60 s in
/// production; shorter here, so the bench need not wait a minute).
const SOAK_ENDED_ROOM_SECONDS: u64 = 2;

/// The server's memory at one moment, in MiB.
#[derive(Clone, Copy)]
struct Memory {
    rss: f64,
    anon: f64,
    file: f64,
}

impl Memory {
    fn of(pid: u32) -> Memory {
        Memory {
            rss: status_kib(pid, "VmRSS") / 1024.0,
            anon: status_kib(pid, "RssAnon") / 1024.0,
            file: status_kib(pid, "RssFile") / 1024.0,
        }
    }

    /// Once the RSS has stayed within 0.1 MiB for 15 s (an allocator may give freed memory
    /// back in steps over ten seconds or so), or after two minutes.
    fn settled(pid: u32) -> Memory {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut still_since = (Instant::now(), Memory::of(pid));
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let now = Memory::of(pid);
            if (now.rss - still_since.1.rss).abs() >= 0.1 {
                still_since = (Instant::now(), now);
            }
            if still_since.0.elapsed() >= Duration::from_secs(15) || Instant::now() >= deadline {
                return now;
            }
        }
    }

    fn json(&self) -> String {
        format!("{{\"rss_mib\": {:.2}, \"anon_mib\": {:.2}, \"file_mib\": {:.2}}}", self.rss, self.anon, self.file)
    }
}

/// The soak: one fresh server, `sessions` short sessions (create, seat a trainer and three
/// players, one statement answered by all, end, disconnect), `SOAK_CONCURRENCY` at a time. The
/// server's memory is read when it is idle after a warm-up, along the way, and once every room
/// has left memory again; the end should be within 10 % of the idle server's.
fn soak(sessions: usize) -> Result {
    step("building release binaries");
    status(cargo().args(["build", "--release", "--package", "server", "--package", "bench"]))?;
    let release = target_dir().join("release");
    let out = target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    let ended = SOAK_ENDED_ROOM_SECONDS.to_string();
    let server = Server::launch("game", &release, &out, &["--ended-room-seconds", &ended], true)?;
    let pid = server.pid();
    let fresh = Memory::settled(pid);

    let mut warm_up_errors = 0.0;
    let mut warm_up = |played: usize, more: usize| -> Result<Memory> {
        step(&format!("soak: warming up with {more} sessions"));
        let report = soak_sessions(&server, &release, &out, more, &mut |_| {})?;
        warm_up_errors += json_number(&report, "errors").unwrap_or(0.0);
        let left = wait_for_rooms(&server, (played + more) as u64);
        if left < (played + more) as u64 {
            return Err(format!("only {left} of the {} warm-up rooms left memory", played + more));
        }
        Ok(Memory::settled(pid))
    };
    let first_idle = warm_up(0, SOAK_FIRST_WARM_UP)?;
    let idle = warm_up(SOAK_FIRST_WARM_UP, SOAK_WARM_UP - SOAK_FIRST_WARM_UP)?;

    step(&format!("soak: {sessions} sessions, {SOAK_CONCURRENCY} at a time"));
    let mut samples = vec![(0.0, idle.rss)];
    let cpu_before = cpu_seconds(pid);
    let report =
        soak_sessions(&server, &release, &out, sessions, &mut |done| samples.push((done, rss_kib(pid) / 1024.0)))?;
    let cpu = cpu_seconds(pid) - cpu_before;
    let peak = status_kib(pid, "VmHWM") / 1024.0;
    let number = |key: &str| json_number(&report, key).unwrap_or(0.0);
    let (completed, errors, seconds) = (number("sessions"), number("errors"), number("seconds"));

    step("soak: waiting for every room to leave memory");
    let waited = Instant::now();
    let left = wait_for_rooms(&server, (SOAK_WARM_UP + sessions) as u64) - SOAK_WARM_UP as u64;
    let waited = waited.elapsed().as_secs_f64();
    let end = Memory::settled(pid);
    let ratio = end.rss / idle.rss;
    let first_ratio = end.rss / first_idle.rss;
    let within = ratio <= 1.10;
    let store_mib = ["standpunt.sqlite3", "standpunt.sqlite3-wal"]
        .iter()
        .filter_map(|file| std::fs::metadata(out.join("data").join(file)).ok())
        .map(|meta| meta.len() as f64 / (1024.0 * 1024.0))
        .sum::<f64>();

    println!(
        "\nsoak: {completed} of {sessions} sessions ({SOAK_CONCURRENCY} at a time, 3 players each), {errors} errors"
    );
    println!(
        "wall time {seconds:.1} s, {:.1} sessions/s, session p50 {:.1} ms, p99 {:.1} ms, server CPU {cpu:.1} s",
        number("sessions_per_s"),
        number("session_p50_ms"),
        number("session_p99_ms")
    );
    println!(
        "RSS MiB: fresh {:.1}, idle after {SOAK_FIRST_WARM_UP} sessions {:.1}, after {SOAK_WARM_UP} {:.1}, peak (VmHWM) {peak:.1}, end {:.1}",
        fresh.rss, first_idle.rss, idle.rss, end.rss
    );
    println!(
        "  anonymous / file-backed: idle {:.1} / {:.1}, end {:.1} / {:.1}",
        idle.anon, idle.file, end.anon, end.file
    );
    let along: Vec<String> = samples.iter().map(|(done, rss)| format!("{done:.0}: {rss:.1}")).collect();
    println!("  along the run (sessions: RSS MiB): {}", along.join(", "));
    println!(
        "rooms that left memory: {left} of {sessions}, the last {waited:.1} s after the run; RSS read once still for 15 s"
    );
    println!(
        "end ÷ idle after {SOAK_WARM_UP} sessions: {ratio:.3} ({}); end ÷ idle after {SOAK_FIRST_WARM_UP}: {first_ratio:.3}",
        if within { "within 10 %" } else { "NOT within 10 %" }
    );
    println!("event store: {store_mib:.0} MiB");

    let samples_json: Vec<String> = samples.iter().map(|(done, rss)| format!("[{done:.0}, {rss:.2}]")).collect();
    let summary = format!(
        "{{\n  \"sessions\": {sessions},\n  \"completed\": {completed},\n  \"errors\": {errors},\n  \"concurrency\": {SOAK_CONCURRENCY},\n  \"players\": 3,\n  \"first_warm_up_sessions\": {SOAK_FIRST_WARM_UP},\n  \"warm_up_sessions\": {SOAK_WARM_UP},\n  \"warm_up_errors\": {warm_up_errors},\n  \"ended_room_seconds\": {SOAK_ENDED_ROOM_SECONDS},\n  \"seconds\": {seconds:.2},\n  \"sessions_per_s\": {:.2},\n  \"session_p50_ms\": {:.2},\n  \"session_p99_ms\": {:.2},\n  \"server_cpu_s\": {cpu:.2},\n  \"generator_cpu_s\": {:.2},\n  \"rooms_left_memory\": {left},\n  \"wait_after_run_s\": {waited:.1},\n  \"fresh\": {},\n  \"first_idle\": {},\n  \"idle\": {},\n  \"peak_rss_mib\": {peak:.2},\n  \"end\": {},\n  \"end_idle_ratio\": {ratio:.4},\n  \"end_first_idle_ratio\": {first_ratio:.4},\n  \"within_10_percent\": {within},\n  \"store_mib\": {store_mib:.1},\n  \"rss_along_the_run\": [{}]\n}}\n",
        number("sessions_per_s"),
        number("session_p50_ms"),
        number("session_p99_ms"),
        number("generator_cpu_s"),
        fresh.json(),
        first_idle.json(),
        idle.json(),
        end.json(),
        samples_json.join(", "),
    );
    let file = out.join("soak.json");
    std::fs::write(&file, summary).map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    println!("summary: {}", file.display());
    if errors > 0.0 || completed < sessions as f64 {
        return Err(format!("{errors} of the soak's sessions failed (target/bench/soak-generator.log)"));
    }
    Ok(())
}

/// The headline scenario (15 rooms of 8 in closed loop) on one node with its store in SQLite and
/// in PostgreSQL (a throwaway cluster on this machine, not pinned: it shares both cores with the
/// server and the generator), each run twice, alternating. Written to target/bench/postgres.json.
fn postgres_beside_sqlite(release: &Path, out: &Path, seconds: u64) -> Result {
    std::fs::create_dir_all(out).map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    let cluster = ThrowawayPostgres::start(&out.join("postgres"))?;
    let mut outcomes = Vec::new();
    for run in 1..=2 {
        for (store, extra) in [("SQLite", Vec::new()), ("PostgreSQL", vec!["--store", cluster.url.as_str()])] {
            let server = Server::launch("game", release, out, &extra, false)?;
            let label = format!("closed P=8, {store} #{run}");
            outcomes.push(measure(&server, "game", &label, 8, 15, seconds, None, release, false, None)?);
        }
    }
    println!(
        "\n{:<32} {:>10} {:>9} {:>9} {:>12} {:>7}",
        "store", "rounds/s", "p50 ms", "p99 ms", "CPU ms/round", "errors"
    );
    let mut json = Vec::new();
    for outcome in &outcomes {
        println!(
            "{:<32} {:>10.0} {:>9.2} {:>9.2} {:>12.2} {:>7}",
            outcome.label,
            outcome.rounds_per_s,
            outcome.p50_ms,
            outcome.p99_ms,
            outcome.cpu_ms_per_round,
            outcome.errors
        );
        json.push(format!(
            "{{\"label\": \"{}\", \"rounds_per_s\": {:.1}, \"p50_ms\": {:.2}, \"p99_ms\": {:.2}, \"cpu_ms_per_round\": {:.3}, \"errors\": {}}}",
            outcome.label, outcome.rounds_per_s, outcome.p50_ms, outcome.p99_ms, outcome.cpu_ms_per_round, outcome.errors
        ));
    }
    let file = out.join("postgres.json");
    std::fs::write(&file, format!("[{}]\n", json.join(",\n ")))
        .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    println!("summary: {}", file.display());
    Ok(())
}

/// One node and three behind HAProxy on one PostgreSQL database under the headline load, and
/// the failover time over `kills` kills with a 2 s lease and over a few with the default 10 s
/// (`standpunt-nodes`, which runs the release server). Written to target/bench/nodes.json.
fn several_nodes(release: &Path, out: &Path, seconds: u64, kills: usize) -> Result {
    let driver = target_dir().join("debug").join("standpunt-nodes");
    let run = |seconds: u64, kills: usize, lease: u64| -> Result<String> {
        step(&format!("several nodes: load for {seconds} s, {kills} kills with a {lease} s lease"));
        let output = Command::new(&driver)
            .env("STANDPUNT_BINARY", release.join("standpunt"))
            .args(["--load".as_ref(), release.join("standpunt-load").as_os_str()])
            .args(["--seconds", &seconds.to_string(), "--kills", &kills.to_string(), "--lease", &lease.to_string()])
            .stderr(Stdio::inherit())
            .output()
            .map_err(|error| format!("cannot run {}: {error}", driver.display()))?;
        if !output.status.success() {
            return Err(format!("{} failed ({})", driver.display(), output.status));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let short_lease = run(seconds, kills, 2)?;
    let default_lease = run(0, kills.min(5), 10)?;
    let file = out.join("nodes.json");
    std::fs::write(&file, format!("[{short_lease},\n {default_lease}]\n"))
        .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    println!("\n{short_lease}\n{default_lease}\nsummary: {}", file.display());
    Ok(())
}

/// The closed-loop scenarios with an earlier build of the server (`--before PATH`, the
/// `standpunt` binary of another commit) and this one, run in turns so both meet the machine
/// as it is at that moment; P=8 three times. Written to target/bench/before-after.json.
fn before_and_after(before: &Path, release: &Path, out: &Path, seconds: u64) -> Result {
    let earlier = out.join("before");
    std::fs::create_dir_all(&earlier).map_err(|error| format!("cannot create {}: {error}", earlier.display()))?;
    std::fs::copy(before, earlier.join("standpunt"))
        .map_err(|error| format!("cannot copy {}: {error}", before.display()))?;
    let mut outcomes = Vec::new();
    for (players, rooms, repeats) in [(3, 40, 1), (8, 15, 3), (30, 4, 1)] {
        for run in 1..=repeats {
            for (build, binaries) in [("before", earlier.as_path()), ("after", release)] {
                let server = Server::start("game", binaries, out)?;
                let label = format!("closed P={players} #{run} {build}");
                outcomes.push(measure(&server, "game", &label, players, rooms, seconds, None, release, false, None)?);
            }
        }
    }
    println!(
        "\n{:<26} {:>10} {:>9} {:>9} {:>12} {:>9} {:>7}",
        "run", "rounds/s", "p50 ms", "p99 ms", "CPU ms/round", "RSS MiB", "errors"
    );
    let mut json = Vec::new();
    for outcome in &outcomes {
        println!(
            "{:<26} {:>10.0} {:>9.2} {:>9.2} {:>12.3} {:>9.1} {:>7}",
            outcome.label,
            outcome.rounds_per_s,
            outcome.p50_ms,
            outcome.p99_ms,
            outcome.cpu_ms_per_round,
            outcome.rss_mib,
            outcome.errors
        );
        json.push(format!(
            "{{\"label\": \"{}\", \"rounds_per_s\": {:.1}, \"p50_ms\": {:.2}, \"p99_ms\": {:.2}, \"cpu_ms_per_round\": {:.3}, \"rss_mib\": {:.1}, \"errors\": {}}}",
            outcome.label, outcome.rounds_per_s, outcome.p50_ms, outcome.p99_ms, outcome.cpu_ms_per_round, outcome.rss_mib, outcome.errors
        ));
    }
    let file = out.join("before-after.json");
    std::fs::write(&file, format!("[{}]\n", json.join(",\n ")))
        .map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    println!("summary: {}", file.display());
    Ok(())
}

/// Rooms of eight the memory stages set up: 3,000 players, as the issue that set the target
/// measured them beside boardgame.io.
const ROOMS_FOR_MEMORY: usize = 375;
/// Statement rounds each room plays before the last reading.
const ROUNDS_FOR_MEMORY: u64 = 20;

/// What rooms cost, a stage at a time (`standpunt-load --memory`): `rooms` rooms of eight with
/// all four statement decks created, then the trainer and eight players seated in each lobby,
/// then started, then 20 statement rounds played; the server's RSS once it settled after each.
/// Written to target/bench/memory.json.
fn room_memory(release: &Path, out: &Path, rooms: usize) -> Result {
    use std::io::Write as _;
    const PLAYERS: usize = 8;
    step(&format!("memory per room: {rooms} rooms of {PLAYERS}, a stage at a time"));
    let server = Server::start("game", release, out)?;
    let before = Memory::settled(server.pid());
    let mut generator = pinned(1)
        .arg(release.join("standpunt-load"))
        .args(["--url", &server.url, "--memory", &ROUNDS_FOR_MEMORY.to_string()])
        .args(["--rooms", &rooms.to_string(), "--players", &PLAYERS.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("cannot run the load generator: {error}"))?;
    let mut next_stage = generator.stdin.take().ok_or("no stdin")?;
    let mut lines = BufReader::new(generator.stdout.take().ok_or("no stdout")?).lines();
    let mut stages = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        let memory = Memory::settled(server.pid());
        let name = line.split("\"stage\":\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("?").to_owned();
        println!("{name:>8}: {:.1} MiB  {line}", memory.rss);
        stages.push((name, memory.rss, line));
        if writeln!(next_stage, "next").is_err() {
            break;
        }
    }
    let _ = generator.wait();
    let rss = |name: &str| stages.iter().find(|(stage, ..)| stage == name).map(|(_, rss, _)| *rss);
    let (Some(created), Some(seated), Some(started), Some(played)) =
        (rss("created"), rss("seated"), rss("started"), rss("played"))
    else {
        return Err(format!("the memory stages did not all finish: {stages:?}"));
    };
    let kib = |from: f64, to: f64, count: usize| (to - from) * 1024.0 / count as f64;
    let players = rooms * PLAYERS;
    let figures = [
        ("room_at_creation_kib", kib(before.rss, created, rooms)),
        ("room_at_start_kib", kib(seated, started, rooms)),
        ("room_over_rounds_kib", kib(started, played, rooms)),
        ("per_player_seated_kib", kib(before.rss, seated, players)),
        ("per_player_started_kib", kib(before.rss, started, players)),
        ("per_player_played_kib", kib(before.rss, played, players)),
    ];
    for (name, value) in &figures {
        println!("{name:<24} {value:8.1}");
    }
    let json = format!(
        "{{\n  \"rooms\": {rooms},\n  \"players_per_room\": {PLAYERS},\n  \"rounds\": {ROUNDS_FOR_MEMORY},\n  \"before_mib\": {:.2},\n  \"created_mib\": {created:.2},\n  \"seated_mib\": {seated:.2},\n  \"started_mib\": {started:.2},\n  \"played_mib\": {played:.2},\n{}\n}}\n",
        before.rss,
        figures.iter().map(|(name, value)| format!("  \"{name}\": {value:.1}")).collect::<Vec<_>>().join(",\n")
    );
    let file = out.join("memory.json");
    std::fs::write(&file, json).map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    println!("summary: {}", file.display());
    Ok(())
}

/// A PostgreSQL cluster of its own in `dir`, run as the `postgres` user (PostgreSQL refuses
/// root), on a free port of 127.0.0.1 only; stopped on drop.
struct ThrowawayPostgres {
    data: PathBuf,
    pg_ctl: PathBuf,
    url: String,
}

impl ThrowawayPostgres {
    fn start(dir: &Path) -> Result<ThrowawayPostgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|_| "PostgreSQL is not installed (cargo xtask test installs it)".to_owned())?
            .flatten()
            .map(|version| version.path().join("bin"))
            .filter(|bin| bin.join("initdb").is_file())
            .max()
            .ok_or("PostgreSQL is not installed (cargo xtask test installs it)")?;
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
        status(Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir))?;
        let data = dir.join("data");
        let as_postgres = |program: &Path| {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        };
        status(as_postgres(&bin.join("initdb")).arg("-D").arg(&data).args([
            "-U",
            "standpunt",
            "-A",
            "trust",
            "--no-sync",
        ]))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|free| free.local_addr())
            .map_err(|error| format!("no free port: {error}"))?
            .port();
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", dir.display());
        let pg_ctl = bin.join("pg_ctl");
        status(
            as_postgres(&pg_ctl)
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(dir.join("server.log"))
                .args(["-w", "start"]),
        )?;
        Ok(ThrowawayPostgres { data, pg_ctl, url: format!("postgres://standpunt@127.0.0.1:{port}/postgres") })
    }
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(&self.pg_ctl)
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "stop"])
            .output();
    }
}

/// The review of a 40-person, three-hour session (some 5,000 events), computed as the server
/// computes it (`standpunt-review`, on core 0): its time, its JSON's size and the report's.
/// Written to target/bench/review.json.
fn review_cost(release: &Path, out: &Path) -> Result<String> {
    step("the review of a 40-person, 3-hour session");
    std::fs::create_dir_all(out).map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    let output = pinned(0)
        .arg(release.join("standpunt-review"))
        .output()
        .map_err(|error| format!("cannot run standpunt-review: {error}"))?;
    let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if !output.status.success() || line.is_empty() {
        return Err(format!("standpunt-review failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    println!(
        "review of {} events: {:.0} ms (median of 7), JSON {:.0} KB, report {:.1} ms",
        json_number(&line, "events").unwrap_or(0.0),
        json_number(&line, "review_ms_median").unwrap_or(0.0),
        json_number(&line, "review_json_kb").unwrap_or(0.0),
        json_number(&line, "report_ms").unwrap_or(0.0)
    );
    let file = out.join("review.json");
    std::fs::write(&file, format!("{line}\n")).map_err(|error| format!("cannot write {}: {error}", file.display()))?;
    Ok(line)
}

/// Runs `sessions` soak sessions against `server`; `progress` hears how many are done every
/// twentieth of the run. Returns the generator's report. Its errors go to soak-generator.log.
fn soak_sessions(
    server: &Server,
    release: &Path,
    out: &Path,
    sessions: usize,
    progress: &mut dyn FnMut(f64),
) -> Result<String> {
    let log = out.join("soak-generator.log");
    let log = std::fs::File::create(&log).map_err(|error| format!("cannot create {}: {error}", log.display()))?;
    let mut child = pinned(1)
        .arg(release.join("standpunt-load"))
        .args(["--url", &server.url, "--soak", &sessions.to_string()])
        .args(["--concurrency", &SOAK_CONCURRENCY.to_string()])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|error| format!("cannot run the load generator: {error}"))?;
    let mut report = String::new();
    for line in BufReader::new(child.stdout.take().ok_or("no stdout")?).lines().map_while(std::result::Result::ok) {
        if let Some(done) = json_number(&line, "progress") {
            progress(done);
        } else {
            report = line;
        }
    }
    let _ = child.wait();
    if report.is_empty() {
        return Err("the load generator gave no report (target/bench/soak-generator.log)".to_owned());
    }
    Ok(report)
}

/// Waits until the server has said `count` rooms left memory, for at most a minute past the
/// ended rooms' lifetime; returns how many did.
fn wait_for_rooms(server: &Server, count: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(SOAK_ENDED_ROOM_SECONDS + 60);
    loop {
        let left = server.rooms_left.load(Ordering::Relaxed);
        if left >= count || Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    // utime and stime, in clock ticks; prlimit and taskset exec the server, so the pid is its.
    let ticks: f64 = fields.get(11..13).map(|t| t.iter().filter_map(|v| v.parse::<f64>().ok()).sum()).unwrap_or(0.0);
    ticks / 100.0
}

fn rss_kib(pid: u32) -> f64 {
    status_kib(pid, "VmRSS")
}

/// One of the sizes in /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile, …), in KiB.
fn status_kib(pid: u32, key: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|line| line.split(':').next() == Some(key))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0.0)
}

/// What a browser downloads for one of the client's apps, as the server sends it (gzip): the
/// page, the stylesheet, the app's JavaScript glue and its wasm.
fn gzip_size(client: &Path, app: &str) -> Result<u64> {
    let files = ["index.html".to_owned(), "style.css".to_owned(), format!("{app}.js"), format!("{app}_bg.wasm")];
    files.iter().try_fold(0, |total, file| {
        let zipped = client.join(format!("{file}.gz"));
        let size = std::fs::metadata(&zipped).map_err(|error| format!("{}: {error}", zipped.display()))?.len();
        Ok(total + size)
    })
}

/// Reads one number out of the generator's flat JSON report.
fn json_number(text: &str, key: &str) -> Option<f64> {
    let start = text.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &text[start..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

fn print_table(outcomes: &[Outcome], ten_thousand: Option<&Outcome>) {
    println!(
        "\n{:<6} {:<26} {:>6} {:>10} {:>10} {:>8} {:>8} {:>8} {:>7} {:>9} {:>9} {:>8}",
        "target",
        "scenario",
        "rooms",
        "rounds/s",
        "frames/s",
        "p50 ms",
        "p99 ms",
        "p99.9",
        "errors",
        "cpu/round",
        "srv busy",
        "RSS MiB"
    );
    for o in outcomes.iter().chain(ten_thousand) {
        println!(
            "{:<6} {:<26} {:>6} {:>10.0} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>7} {:>7.3}ms {:>8.0}% {:>8.1}",
            o.target,
            o.label,
            o.rooms,
            o.rounds_per_s,
            o.frames_per_s,
            o.p50_ms,
            o.p99_ms,
            o.p999_ms,
            o.errors,
            o.cpu_ms_per_round,
            o.server_busy * 100.0,
            o.rss_mib
        );
    }
    println!(
        "(server on core 0, generator on core 1; srv busy = server CPU time ÷ run time; generator busy is in summary.json)"
    );
}

#[allow(clippy::too_many_arguments)]
fn summary_json(
    outcomes: &[Outcome],
    ten_thousand: Option<&Outcome>,
    headline: &[Ratios],
    rss: f64,
    idle: usize,
    errors: u64,
    gzip: &[(&str, u64)],
) -> String {
    let mut scenarios = String::new();
    for (i, o) in outcomes.iter().chain(ten_thousand).enumerate() {
        if i > 0 {
            scenarios.push_str(",\n");
        }
        let _ = write!(
            scenarios,
            "    {{\"target\": \"{}\", \"scenario\": \"{}\", \"players\": {}, \"rooms\": {}, \"rounds_per_s\": {:.1}, \"frames_per_s\": {:.0}, \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"p999_ms\": {:.3}, \"errors\": {}, \"server_cpu_s\": {:.2}, \"server_busy\": {:.2}, \"generator_busy\": {:.2}, \"cpu_ms_per_round\": {:.4}, \"server_rss_mib\": {:.1}}}",
            o.target,
            o.label,
            o.players,
            o.rooms,
            o.rounds_per_s,
            o.frames_per_s,
            o.p50_ms,
            o.p99_ms,
            o.p999_ms,
            o.errors,
            o.server_cpu_s,
            o.server_busy,
            o.generator_busy,
            o.cpu_ms_per_round,
            o.rss_mib
        );
    }
    let ten = ten_thousand.map_or("null".to_owned(), |o| format!("{:.3}", o.p99_ms));
    let ratios = Ratios::median(headline).unwrap_or(Ratios { rounds: 0.0, p99: 0.0, cpu_per_round: 0.0 });
    let runs =
        |pick: fn(&Ratios) -> f64| headline.iter().map(|r| format!("{:.3}", pick(r))).collect::<Vec<_>>().join(", ");
    format!(
        "{{\n  \"game_relay_rounds_ratio\": {:.3},\n  \"game_relay_p99_ratio\": {:.3},\n  \"game_relay_cpu_per_round_ratio\": {:.3},\n  \"game_relay_rounds_ratio_runs\": [{}],\n  \"game_relay_p99_ratio_runs\": [{}],\n  \"rss_per_idle_conn_kib\": {rss:.2},\n  \"idle_connections\": {idle},\n  \"players_10k_p99_ms\": {ten},\n  \"errors\": {errors},\n  \"client_gzip_bytes\": {},\n  \"client_gzip_bytes_per_app\": {{{}}},\n  \"scenarios\": [\n{scenarios}\n  ]\n}}\n",
        ratios.rounds,
        ratios.p99,
        ratios.cpu_per_round,
        runs(|r| r.rounds),
        runs(|r| r.p99),
        gzip.iter().map(|(_, bytes)| *bytes).max().unwrap_or(0),
        gzip.iter().map(|(app, bytes)| format!("\"{app}\": {bytes}")).collect::<Vec<_>>().join(", "),
    )
}
