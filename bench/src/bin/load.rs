//! The load generator: real websocket clients (TCP_NODELAY) playing real statement rounds over
//! loopback against Standpunt or the bare relay, with no think time. One task per room drives
//! the trainer and every player of that room.
//!
//! `standpunt-load --url http://127.0.0.1:8080 --rooms R --players P --seconds S [--rate N]`
//! plays closed loop (the next round as soon as the last one is revealed) or, with `--rate`,
//! open loop (each room starts a round every 1/N seconds; latency counts from the planned start).
//! `standpunt-load --url … --idle N` connects N players and holds them.
//! `standpunt-load --url … --memory K --rooms R --players P` sets R rooms up a stage at a time
//! (created; the trainer and P players seated in the lobby; started; K statement rounds played,
//! each statement voted once), prints a line after each stage and waits for a line on stdin
//! before the next, so whoever reads the server's memory reads it between stages; the
//! connections stay open (and answer pings) throughout.
//! `standpunt-load --url … --soak N [--concurrency C] [--players P]` runs N short sessions, C at
//! a time: each creates a room, seats a trainer and P players (3 by default), plays one
//! statement that everyone answers, ends the session and disconnects; it prints a progress line
//! every twentieth of the run. Results go to stdout as one JSON object.
//! `--form scale`, `--form table`, `--form mirror` or `--form actions` plays a work form's
//! rounds instead of statements (a spiegelgesprek round: a question put on the table, the
//! speaker typing an answer and every listener noting an observation, until each has seen
//! their own come back): a schaalvraag asked, answered by every player and revealed (the room follows the
//! built-in Dompelsessie, which opens with one); a case laid on the table, every player laying
//! out the roles with a reason and the regie, and revealed (the built-in Keukentafeluitdaging);
//! or, in a verbeteracties step whose vote is open, every player placing their dots, until each
//! has seen every vote arrive.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context as _, bail};
use futures_util::stream::{SplitSink, SplitStream, select_all};
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Mutex;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{WebSocketStream, client_async};

type Socket = WebSocketStream<TcpStream>;

/// Votes per statement before the trainer moves on (the game allows twenty).
const VOTES: u32 = 20;
/// Connections per source address: the server keeps at most 100 connections from one address
/// in their HTTP stage (a websocket's upgrade among them) and 200 websockets.
const PER_ADDRESS: usize = 90;

struct Options {
    addr: SocketAddr,
    rooms: usize,
    players: usize,
    seconds: u64,
    rate: Option<f64>,
    idle: Option<usize>,
    soak: Option<usize>,
    /// `--memory ROUNDS`: rooms set up a stage at a time, ROUNDS played at the end.
    memory: Option<u64>,
    concurrency: usize,
    form: Form,
}

/// What a round plays.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Statements,
    Scale,
    Table,
    Mirror,
    Actions,
}

#[derive(Default)]
struct Totals {
    rounds: AtomicU64,
    frames: AtomicU64,
    errors: AtomicU64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = parse()?;
    let totals = Arc::new(Totals::default());
    let histogram = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?));
    let sources = Arc::new(AtomicU64::new(0));
    if let Some(idle) = options.idle {
        return hold_idle(&options, idle, &sources).await;
    }
    if let Some(sessions) = options.soak {
        return soak(&options, sessions, &sources).await;
    }
    if let Some(rounds) = options.memory {
        return memory_stages(&options, rounds, &sources).await;
    }
    // Every room is set up first; the clock starts when the last one is ready.
    let ready = Arc::new(tokio::sync::Barrier::new(options.rooms + 1));
    let mut tasks = Vec::new();
    for room in 0..options.rooms {
        let (totals, histogram, sources, ready) = (totals.clone(), histogram.clone(), sources.clone(), ready.clone());
        let (addr, rooms, players, rate, seconds, form) =
            (options.addr, options.rooms, options.players, options.rate, options.seconds, options.form);
        tasks.push(tokio::spawn(async move {
            let run = Run {
                addr,
                form,
                room,
                rooms,
                players,
                rate,
                seconds,
                rounds: None,
                votes: VOTES,
                totals: &totals,
                histogram: &histogram,
                sources: &sources,
            };
            if let Err(error) = play_room(run, &ready).await {
                totals.errors.fetch_add(1, Ordering::Relaxed);
                eprintln!("room {room}: {error:#}");
            }
        }));
    }
    ready.wait().await;
    // Tell whoever measures the server that set-up is over and the measured run begins.
    println!("{}", serde_json::json!({ "ready": true }));
    let start = Instant::now();
    let cpu_before = own_cpu_seconds();
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let histogram = histogram.lock().await;
    let rounds = totals.rounds.load(Ordering::Relaxed);
    let ms = |quantile: f64| histogram.value_at_quantile(quantile) as f64 / 1000.0;
    let summary = serde_json::json!({
        "rooms": options.rooms,
        "players": options.players,
        "mode": if options.rate.is_some() { "open" } else { "closed" },
        "seconds": elapsed,
        "rounds": rounds,
        "rounds_per_s": rounds as f64 / elapsed,
        "frames_per_s": totals.frames.load(Ordering::Relaxed) as f64 / elapsed,
        "p50_ms": ms(0.50),
        "p99_ms": ms(0.99),
        "p999_ms": ms(0.999),
        "errors": totals.errors.load(Ordering::Relaxed),
        "generator_cpu_s": own_cpu_seconds() - cpu_before,
    });
    println!("{summary}");
    Ok(())
}

fn parse() -> anyhow::Result<Options> {
    let mut options = Options {
        addr: "127.0.0.1:8080".parse()?,
        rooms: 1,
        players: 3,
        seconds: 10,
        rate: None,
        idle: None,
        soak: None,
        memory: None,
        concurrency: 50,
        form: Form::Statements,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => options.addr = value.trim_start_matches("http://").trim_end_matches('/').parse()?,
            "--rooms" => options.rooms = value.parse()?,
            "--players" => options.players = value.parse()?,
            "--seconds" => options.seconds = value.parse()?,
            "--rate" => options.rate = Some(value.parse()?),
            "--idle" => options.idle = Some(value.parse()?),
            "--soak" => options.soak = Some(value.parse()?),
            "--memory" => options.memory = Some(value.parse()?),
            "--concurrency" => options.concurrency = value.parse::<usize>()?.max(1),
            "--form" => {
                options.form = match value.as_str() {
                    "statements" => Form::Statements,
                    "scale" => Form::Scale,
                    "actions" => Form::Actions,
                    "table" => Form::Table,
                    "mirror" => Form::Mirror,
                    other => bail!("unknown form {other}: statements, scale, table, mirror or actions"),
                }
            }
            other => bail!("unknown option {other}"),
        }
    }
    Ok(options)
}

/// Connects from 127.0.0.x, a new x every `PER_ADDRESS` connections, as many classrooms would.
async fn connect(addr: SocketAddr, path: &str, sources: &AtomicU64) -> anyhow::Result<Socket> {
    let stream = tcp(addr, sources).await?;
    let (socket, _) = client_async(format!("ws://{addr}{path}"), stream).await?;
    Ok(socket)
}

/// A TCP connection (no Nagle) from the next source address in turn.
async fn tcp(addr: SocketAddr, sources: &AtomicU64) -> anyhow::Result<TcpStream> {
    let n = sources.fetch_add(1, Ordering::Relaxed) as usize;
    let host = 2 + (n / PER_ADDRESS) % 250;
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::from([127, 0, 0, host as u8]), 0))?;
    let stream = socket.connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

async fn request(
    mut stream: TcpStream,
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> anyhow::Result<String> {
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default())
}

async fn send(sink: &mut SplitSink<Socket, Message>, text: String) -> anyhow::Result<()> {
    sink.send(Message::text(text)).await?;
    Ok(())
}

/// Reads one socket until a text frame that contains `wanted`; returns it.
async fn until(stream: &mut SplitStream<Socket>, wanted: &str) -> anyhow::Result<String> {
    while let Some(frame) = stream.next().await {
        if let Message::Text(text) = frame? {
            if text.contains("\"type\":\"error\"") {
                bail!("refused: {text}");
            }
            if text.contains(wanted) {
                return Ok(text.to_string());
            }
        }
    }
    bail!("the connection closed while waiting for {wanted}")
}

/// What one room's task needs to know.
struct Run<'a> {
    addr: SocketAddr,
    form: Form,
    room: usize,
    rooms: usize,
    players: usize,
    rate: Option<f64>,
    seconds: u64,
    /// Statement rounds to play at most (`--memory`), beside the time.
    rounds: Option<u64>,
    /// How often each statement is voted on before the next.
    votes: u32,
    totals: &'a Totals,
    histogram: &'a Mutex<Histogram<u64>>,
    sources: &'a AtomicU64,
}

/// Sets a room up, waits until every room is, then plays rounds until the time is up. A room
/// whose set-up fails still meets the others at the barrier, so none waits for ever.
async fn play_room(run: Run<'_>, ready: &tokio::sync::Barrier) -> anyhow::Result<()> {
    let setup = set_up(&run).await;
    ready.wait().await;
    let mut room = setup?;
    match run.form {
        Form::Statements => play(&run, &mut room).await,
        Form::Scale | Form::Table | Form::Mirror | Form::Actions => play_form(&run, room).await,
    }
}

/// Roles a keukentafel round's players seat beside the parent, one after the other.
const LAYOUT_ROLES: [&str; 6] = ["grootouder", "buur", "wijkteam-generalist", "leerkracht", "jongere", "ouder-elders"];

/// One room, seated and started.
struct Table {
    trainer_sink: SplitSink<Socket, Message>,
    trainer_stream: SplitStream<Socket>,
    sinks: Vec<SplitSink<Socket, Message>>,
    streams: Vec<SplitStream<Socket>>,
    cards: Vec<String>,
}

async fn set_up(run: &Run<'_>) -> anyhow::Result<Table> {
    let (code, token) = create(run).await?;
    let mut table = seat(run, &code, &token).await?;
    start(run, &mut table).await?;
    Ok(table)
}

/// Opens the room with all four statement decks; its code and trainer token.
async fn create(run: &Run<'_>) -> anyhow::Result<(String, String)> {
    let Run { addr, sources, form, .. } = *run;
    let decks = r#"["containerbegrippen","samenwerken-rond-het-gezin","ruimte-geeft-vaart","wijkteam"]"#;
    let settings = r#"{"hand_size":3,"reader":"trainer","perspective":"role","rotate_roles_every":0,"timer":{"mode":"off"},"auto_reveal":true,"anonymous":false}"#;
    let draaiboek = match form {
        Form::Scale => r#","draaiboek":"dompelsessie-ruimte-geeft-vaart""#,
        Form::Table => r#","draaiboek":"keukentafeluitdaging""#,
        Form::Mirror => r#","draaiboek":"spiegelgesprek""#,
        Form::Statements | Form::Actions => "",
    };
    let body = format!(r#"{{"statement_decks":{decks},"role_deck":"keukentafel","settings":{settings}{draaiboek}}}"#);
    let created = request(tcp(addr, sources).await?, addr, "POST", "/api/rooms", &body).await?;
    let answer: serde_json::Value = serde_json::from_str(&created)?;
    let (Some(code), Some(token)) = (answer["code"].as_str(), answer["trainer_token"].as_str()) else {
        bail!("no room was created: {created}");
    };
    Ok((code.to_owned(), token.to_owned()))
}

/// The trainer and every player connected and welcomed, in the lobby.
async fn seat(run: &Run<'_>, code: &str, token: &str) -> anyhow::Result<Table> {
    let Run { addr, room, players, sources, .. } = *run;
    let (mut trainer_sink, mut trainer_stream) = connect(addr, &format!("/ws?room={code}"), sources).await?.split();
    let hello = format!(r#"{{"type":"hello","id":1,"protocol":1,"join":{{"as":"trainer","token":"{token}"}}}}"#);
    send(&mut trainer_sink, hello).await?;
    let welcome: serde_json::Value = serde_json::from_str(&until(&mut trainer_stream, "\"welcome\"").await?)?;
    let mut cards: Vec<String> = welcome["view"]["pile"]
        .as_array()
        .map(|pile| pile.iter().filter_map(|card| card["id"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    cards.reverse();

    let mut sinks = Vec::new();
    let mut streams = Vec::new();
    for seat in 0..players {
        let (mut sink, mut stream) = connect(addr, &format!("/ws?room={code}"), sources).await?.split();
        let hello =
            format!(r#"{{"type":"hello","id":1,"protocol":1,"join":{{"as":"player","name":"Speler {room}-{seat}"}}}}"#);
        send(&mut sink, hello).await?;
        until(&mut stream, "\"welcome\"").await?;
        sinks.push(sink);
        streams.push(stream);
    }
    Ok(Table { trainer_sink, trainer_stream, sinks, streams, cards })
}

/// The trainer starts the session (after an agenda of verbeteracties, for that form); the
/// pile is read from what the trainer is shown.
async fn start(run: &Run<'_>, table: &mut Table) -> anyhow::Result<()> {
    let Run { room, form, .. } = *run;
    let Table { trainer_sink, trainer_stream, sinks, streams, cards } = table;
    if form == Form::Actions {
        let agenda = r#"{"type":"set_agenda","id":3,"agenda":{"id":"bench","title":{"nl":"Bench"},"steps":[{"minutes":30,"form":"actions","settings":{"dots":3,"dots_per_proposal":2}}]}}"#;
        send(trainer_sink, agenda.to_owned()).await?;
        until(trainer_stream, "\"ack\"").await?;
    }
    send(trainer_sink, r#"{"type":"start","id":2}"#.to_owned()).await?;
    // The game shows its trainer the pile once the cards are dealt; the relay in its welcome.
    let started: serde_json::Value = serde_json::from_str(&until(trainer_stream, "\"turn_started\"").await?)?;
    if let Some(pile) =
        started["updates"].as_array().and_then(|updates| updates.iter().find(|update| update["kind"] == "pile"))
    {
        *cards = pile["cards"]
            .as_array()
            .map(|cards| cards.iter().filter_map(|card| card["id"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        cards.reverse();
    }
    if form == Form::Mirror {
        // The first player speaks; everyone else listens.
        send(trainer_sink, r#"{"type":"mirror","id":4,"do":"speakers","seats":[0]}"#.to_owned()).await?;
        until(trainer_stream, "\"ack\"").await?;
    }
    if form == Form::Actions {
        // Every player proposes once; the trainer shows the proposals and opens the vote.
        for (seat, sink) in sinks.iter_mut().enumerate() {
            let propose = format!(r#"{{"type":"actions","id":4,"do":"propose","text":"Voorstel {room}-{seat}"}}"#);
            send(sink, propose).await?;
        }
        for stream in streams.iter_mut() {
            until(stream, "\"ack\"").await?;
        }
        send(trainer_sink, r#"{"type":"actions","id":5,"do":"show"}"#.to_owned()).await?;
        send(trainer_sink, r#"{"type":"actions","id":6,"do":"open_vote"}"#.to_owned()).await?;
        until(trainer_stream, "\"voting\"").await?;
    }
    Ok(())
}

/// Records a round's latency (from its planned start in an open loop, else from `last_sent`)
/// and plans the next one.
async fn finish_round(
    planned: &mut Instant,
    interval: Option<Duration>,
    last_sent: Instant,
    histogram: &Mutex<Histogram<u64>>,
    totals: &Totals,
) -> anyhow::Result<()> {
    let from = if interval.is_some() { *planned } else { last_sent };
    let micros = from.elapsed().as_micros().max(1) as u64;
    histogram.lock().await.record(micros.min(60_000_000))?;
    totals.rounds.fetch_add(1, Ordering::Relaxed);
    if let Some(interval) = interval {
        *planned += interval;
    }
    Ok(())
}

/// Reads what the trainer was sent so far, so its queue never fills, counting frames and errors.
async fn drain(trainer_stream: &mut SplitStream<Socket>, totals: &Totals) {
    while let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::ZERO, trainer_stream.next()).await {
        if let Message::Text(text) = frame {
            totals.frames.fetch_add(1, Ordering::Relaxed);
            if text.contains("\"type\":\"error\"") {
                totals.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Rounds of a work form until the time is up: a schaalvraag asked and revealed, or every
/// player's dots placed and seen by all.
async fn play_form(run: &Run<'_>, table: Table) -> anyhow::Result<()> {
    let Run { room, rooms, players, rate, seconds, totals, histogram, form, .. } = *run;
    let Table { mut trainer_sink, mut trainer_stream, mut sinks, streams, .. } = table;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut events =
        select_all(streams.into_iter().enumerate().map(|(seat, stream)| stream.map(move |frame| (seat, frame))));
    let interval = rate.map(|rate| Duration::from_secs_f64(1.0 / rate));
    let phase = interval.map_or(Duration::ZERO, |interval| interval.mul_f64(room as f64 / rooms.max(1) as f64));
    let mut planned = Instant::now() + phase;
    let mut round = 0u64;
    while Instant::now() < deadline {
        if interval.is_some() {
            tokio::time::sleep_until(planned).await;
        }
        round += 1;
        let started = Instant::now();
        let mut last_sent = started;
        let mut done = vec![false; players];
        let mut seen = vec![0usize; players];
        let mut answered = vec![false; players];
        match form {
            Form::Scale => {
                let ask = r#"{"type":"scale","do":"ask","question":"toegang-soepel"}"#;
                send(&mut trainer_sink, ask.to_owned()).await?;
            }
            Form::Table => {
                let lay = r#"{"type":"table","do":"lay","case":"scheiding-strijd"}"#;
                send(&mut trainer_sink, lay.to_owned()).await?;
            }
            Form::Mirror => {
                let ask = r#"{"type":"mirror","do":"ask","question":"toegang-gehoord"}"#;
                send(&mut trainer_sink, ask.to_owned()).await?;
            }
            _ => {
                // Every player places its dots at once, on one proposal or another.
                for (seat, sink) in sinks.iter_mut().enumerate() {
                    let (a, b) = ((seat as u64 + round) % players as u64, (seat as u64 + round + 1) % players as u64);
                    let vote = format!(r#"{{"type":"actions","do":"vote","dots":[[{a},2],[{b},1]]}}"#);
                    send(sink, vote).await?;
                }
                last_sent = Instant::now();
            }
        }
        while done.iter().any(|done| !done) {
            let Some((seat, frame)) = events.next().await else { bail!("the players' connections closed") };
            let Message::Text(text) = frame? else { continue };
            totals.frames.fetch_add(1, Ordering::Relaxed);
            if text.contains("\"type\":\"error\"") {
                totals.errors.fetch_add(1, Ordering::Relaxed);
            }
            match form {
                Form::Scale => {
                    if !answered[seat] && text.contains("\"revealed\":null") {
                        answered[seat] = true;
                        let answer = format!(
                            r#"{{"type":"scale","do":"answer","score":{},"one_point_higher":"Eén loket"}}"#,
                            1 + (seat + round as usize) % 10
                        );
                        send(&mut sinks[seat], answer).await?;
                        if answered.iter().all(|answered| *answered) {
                            last_sent = Instant::now();
                        }
                    }
                    if text.contains("\"revealed\":[") {
                        done[seat] = true;
                    }
                }
                Form::Mirror => {
                    // Seat 0 speaks and types; one listener a round (in turn, as a listener notes
                    // at most 60 in a step) notes an observation, which only they see come back;
                    // the other listeners have only the question to see.
                    let noting = 1 + (round as usize) % players.saturating_sub(1).max(1);
                    let said = match seat {
                        0 => Some(format!("Antwoord {round}")),
                        seat if seat == noting => Some(format!("Waarneming {round}-{seat}")),
                        _ => None,
                    };
                    if !answered[seat] && text.contains(&format!("\"asked\":{round}")) {
                        answered[seat] = true;
                        match &said {
                            Some(said) if seat == 0 => {
                                send(&mut sinks[seat], format!(r#"{{"type":"mirror","do":"answer","text":"{said}"}}"#))
                                    .await?;
                            }
                            Some(said) => {
                                let observe = format!(
                                    r#"{{"type":"mirror","do":"observe","kind":"could_be_better","text":"{said}"}}"#
                                );
                                send(&mut sinks[seat], observe).await?;
                            }
                            None => done[seat] = true,
                        }
                        if answered.iter().all(|answered| *answered) {
                            last_sent = Instant::now();
                        }
                    }
                    // A refused move (a listener past their 60) ends the seat's round, counted.
                    if answered[seat]
                        && (said.as_ref().is_some_and(|said| text.contains(said.as_str()))
                            || text.contains("\"type\":\"error\""))
                    {
                        done[seat] = true;
                    }
                }
                Form::Table => {
                    if !answered[seat] && text.contains("\"revealed\":null") {
                        answered[seat] = true;
                        let (seated, called) = (LAYOUT_ROLES[(seat + round as usize) % LAYOUT_ROLES.len()], "huisarts");
                        let place = format!(
                            r#"{{"type":"table","do":"place","places":{{"ouder":"table","{seated}":"table","{called}":"on_call"}},"regie":"family","reasons":{{"{seated}":"Kent het gezin al jaren."}}}}"#
                        );
                        send(&mut sinks[seat], place).await?;
                        if answered.iter().all(|answered| *answered) {
                            last_sent = Instant::now();
                        }
                    }
                    if text.contains("\"revealed\":[") {
                        done[seat] = true;
                    }
                }
                _ => {
                    // Votes that arrive together come in one update: count each vote's view.
                    seen[seat] += text.matches("\"kind\":\"session\"").count();
                    done[seat] = seen[seat] >= players;
                }
            }
        }
        finish_round(&mut planned, interval, last_sent, histogram, totals).await?;
        drain(&mut trainer_stream, totals).await;
    }
    Ok(())
}

/// Statement rounds until the time is up (or `run.rounds` are played), each statement voted
/// `run.votes` times; the room's connections stay open.
async fn play(run: &Run<'_>, table: &mut Table) -> anyhow::Result<()> {
    let Run { room, rooms, players, rate, seconds, rounds, votes, totals, histogram, .. } = *run;
    let Table { trainer_sink, trainer_stream, sinks, streams, cards } = table;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut events =
        select_all(streams.iter_mut().enumerate().map(|(seat, stream)| stream.map(move |frame| (seat, frame))));
    let answer = r#"{"type":"answer","position":4,"argument":"Omdat het gezin zelf het beste weet wat nodig is."}"#;

    let mut vote = 0u32;
    let interval = rate.map(|rate| Duration::from_secs_f64(1.0 / rate));
    // Rooms start their rounds spread over one interval, as real classes are not in step.
    let phase = interval.map_or(Duration::ZERO, |interval| interval.mul_f64(room as f64 / rooms.max(1) as f64));
    let mut planned = Instant::now() + phase;
    let mut played = 0u64;
    while Instant::now() < deadline && rounds.is_none_or(|rounds| played < rounds) {
        played += 1;
        if interval.is_some() {
            tokio::time::sleep_until(planned).await;
        }
        // The trainer puts a statement on the table, or opens a re-vote.
        let command = if vote == 0 || vote == votes {
            if vote == votes {
                send(trainer_sink, r#"{"type":"next"}"#.to_owned()).await?;
            }
            vote = 0;
            let Some(card) = cards.pop() else { break };
            format!(r#"{{"type":"play","card":"{card}"}}"#)
        } else {
            r#"{"type":"revote"}"#.to_owned()
        };
        vote += 1;
        let started = Instant::now();
        send(trainer_sink, command).await?;
        // Every player answers the moment the statement reaches them.
        let mut answered = vec![false; players];
        let mut revealed = vec![false; players];
        let (mut answers, mut reveals) = (0, 0);
        let mut last_answer = started;
        while reveals < players {
            let Some((seat, frame)) = events.next().await else { bail!("the players' connections closed") };
            let Message::Text(text) = frame? else { continue };
            totals.frames.fetch_add(1, Ordering::Relaxed);
            if text.contains("\"type\":\"error\"") {
                totals.errors.fetch_add(1, Ordering::Relaxed);
            }
            if !answered[seat] && (text.contains("\"played\"") || text.contains("\"revote_opened\"")) {
                answered[seat] = true;
                answers += 1;
                send(&mut sinks[seat], answer.to_owned()).await?;
                if answers == players {
                    last_answer = Instant::now();
                }
            }
            if !revealed[seat] && text.contains("\"revealed\"") {
                revealed[seat] = true;
                reveals += 1;
            }
        }
        finish_round(&mut planned, interval, last_answer, histogram, totals).await?;
        drain(trainer_stream, totals).await;
    }
    Ok(())
}

/// Players one idle room holds: a session takes 25 newcomers from one network address unless
/// the trainer raises it, and an idle room's players come from one address.
const IDLE_PER_ROOM: usize = 25;

/// Connects `count` players (`IDLE_PER_ROOM` a room, rooms in parallel) and holds them until
/// killed; prints when all are in.
async fn hold_idle(options: &Options, count: usize, sources: &Arc<AtomicU64>) -> anyhow::Result<()> {
    let rooms = count.div_ceil(IDLE_PER_ROOM);
    let mut tasks = Vec::new();
    for room in 0..rooms {
        let (addr, sources) = (options.addr, sources.clone());
        let seats = IDLE_PER_ROOM.min(count - room * IDLE_PER_ROOM);
        tasks.push(tokio::spawn(async move {
            let body = r#"{"statement_decks":["containerbegrippen"],"role_deck":"keukentafel"}"#;
            // From the next source address, like the players: hundreds of rooms opened at once
            // from one address meet the server's limit on an address's open connections.
            let created = request(tcp(addr, &sources).await?, addr, "POST", "/api/rooms", body).await?;
            let created: serde_json::Value = serde_json::from_str(&created)?;
            let code = created["code"].as_str().context("a room code")?.to_owned();
            let mut held = Vec::new();
            for seat in 0..seats {
                let (mut sink, mut stream) = connect(addr, &format!("/ws?room={code}"), &sources).await?.split();
                let hello =
                    format!(r#"{{"type":"hello","protocol":1,"join":{{"as":"player","name":"Stil {room}-{seat}"}}}}"#);
                send(&mut sink, hello).await?;
                until(&mut stream, "\"welcome\"").await?;
                held.push((sink, stream));
            }
            anyhow::Ok(held)
        }));
    }
    let mut held = Vec::new();
    for task in tasks {
        held.extend(task.await??);
    }
    println!("{}", serde_json::json!({ "idle_connections": held.len() }));
    // Keep reading, so pings are answered and the server does not drop the idle players.
    let mut all = select_all(held.into_iter().map(|(_, stream)| stream));
    while all.next().await.is_some() {}
    Ok(())
}

/// The stages of `--memory`, as printed.
const STAGES: [&str; 4] = ["created", "seated", "started", "played"];

/// `--memory`: every room goes through `STAGES` together; after each, a line on stdout, and
/// the next stage when a line arrives on stdin.
async fn memory_stages(options: &Options, rounds: u64, sources: &Arc<AtomicU64>) -> anyhow::Result<()> {
    let (stage, _) = tokio::sync::watch::channel(0usize);
    let (finished, mut finishing) = tokio::sync::mpsc::channel::<anyhow::Result<usize>>(options.rooms.max(1));
    let totals = Arc::new(Totals::default());
    let histogram = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?));
    for room in 0..options.rooms {
        let (mut stage, finished) = (stage.subscribe(), finished.clone());
        let (totals, histogram, sources) = (totals.clone(), histogram.clone(), sources.clone());
        let (addr, rooms, players) = (options.addr, options.rooms, options.players);
        tokio::spawn(async move {
            let run = Run {
                addr,
                form: Form::Statements,
                room,
                rooms,
                players,
                rate: None,
                seconds: u64::MAX / 4,
                rounds: Some(rounds),
                votes: 1,
                totals: &totals,
                histogram: &histogram,
                sources: &sources,
            };
            if let Err(error) = room_in_stages(&run, &mut stage, &finished).await {
                let _ = finished.send(Err(error.context(format!("room {room}")))).await;
            }
        });
    }
    let mut stdin = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    for (index, name) in STAGES.iter().enumerate() {
        stage.send_replace(index + 1);
        for _ in 0..options.rooms {
            match finishing.recv().await {
                Some(Ok(done)) if done == index + 1 => {}
                Some(Ok(other)) => bail!("a room finished stage {other} during stage {}", index + 1),
                Some(Err(error)) => return Err(error),
                None => bail!("the rooms stopped"),
            }
        }
        let connections = if index == 0 { 0 } else { options.rooms * (options.players + 1) };
        println!(
            "{}",
            serde_json::json!({ "stage": name, "rooms": options.rooms, "players": options.rooms * options.players, "connections": connections, "errors": totals.errors.load(Ordering::Relaxed) })
        );
        if stdin.next_line().await?.is_none() {
            return Ok(());
        }
    }
    Ok(())
}

/// One room through the stages of `--memory`, reading what it is sent while it waits.
async fn room_in_stages(
    run: &Run<'_>,
    stage: &mut tokio::sync::watch::Receiver<usize>,
    finished: &tokio::sync::mpsc::Sender<anyhow::Result<usize>>,
) -> anyhow::Result<()> {
    stage.wait_for(|stage| *stage >= 1).await?;
    let (code, token) = create(run).await?;
    finished.send(Ok(1)).await?;
    stage.wait_for(|stage| *stage >= 2).await?;
    let mut table = seat(run, &code, &token).await?;
    finished.send(Ok(2)).await?;
    listen_until(&mut table, stage, 3).await?;
    start(run, &mut table).await?;
    finished.send(Ok(3)).await?;
    listen_until(&mut table, stage, 4).await?;
    play(run, &mut table).await?;
    finished.send(Ok(4)).await?;
    listen_until(&mut table, stage, usize::MAX).await
}

/// Reads every connection of the room (answering pings) until `stage` is reached.
async fn listen_until(
    table: &mut Table,
    stage: &mut tokio::sync::watch::Receiver<usize>,
    until_stage: usize,
) -> anyhow::Result<()> {
    let Table { trainer_stream, streams, .. } = table;
    let mut frames = select_all(std::iter::once(trainer_stream).chain(streams.iter_mut()));
    loop {
        tokio::select! {
            reached = stage.wait_for(|stage| *stage >= until_stage) => {
                reached?;
                return Ok(());
            }
            frame = frames.next() => {
                if frame.is_none() {
                    bail!("the room's connections closed");
                }
            }
        }
    }
}

/// Runs `sessions` short sessions, `options.concurrency` at a time, from set-up to goodbye.
async fn soak(options: &Options, sessions: usize, sources: &Arc<AtomicU64>) -> anyhow::Result<()> {
    let totals = Arc::new(Totals::default());
    let histogram = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?));
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let every = (sessions / 20).max(1) as u64;
    let start = Instant::now();
    let cpu_before = own_cpu_seconds();
    let mut workers = Vec::new();
    for _ in 0..options.concurrency.min(sessions) {
        let (totals, histogram, sources, next, done) =
            (totals.clone(), histogram.clone(), sources.clone(), next.clone(), done.clone());
        let (addr, players) = (options.addr, options.players);
        workers.push(tokio::spawn(async move {
            loop {
                let room = next.fetch_add(1, Ordering::Relaxed) as usize;
                if room >= sessions {
                    return;
                }
                let run = Run {
                    addr,
                    form: Form::Statements,
                    room,
                    rooms: sessions,
                    players,
                    rate: None,
                    seconds: 0,
                    rounds: None,
                    votes: VOTES,
                    totals: &totals,
                    histogram: &histogram,
                    sources: &sources,
                };
                let began = Instant::now();
                match tokio::time::timeout(Duration::from_secs(60), session(&run)).await {
                    Ok(Ok(())) => {
                        let micros = began.elapsed().as_micros().max(1) as u64;
                        let _ = histogram.lock().await.record(micros.min(60_000_000));
                        totals.rounds.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Err(error)) => {
                        totals.errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("session {room}: {error:#}");
                    }
                    Err(_) => {
                        totals.errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("session {room}: not over after a minute");
                    }
                }
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if finished % every == 0 {
                    println!("{}", serde_json::json!({ "progress": finished }));
                }
            }
        }));
    }
    for worker in workers {
        worker.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let histogram = histogram.lock().await;
    let completed = totals.rounds.load(Ordering::Relaxed);
    let ms = |quantile: f64| histogram.value_at_quantile(quantile) as f64 / 1000.0;
    let summary = serde_json::json!({
        "soak": sessions,
        "players": options.players,
        "concurrency": options.concurrency,
        "sessions": completed,
        "errors": totals.errors.load(Ordering::Relaxed),
        "seconds": elapsed,
        "sessions_per_s": completed as f64 / elapsed,
        "session_p50_ms": ms(0.50),
        "session_p99_ms": ms(0.99),
        "generator_cpu_s": own_cpu_seconds() - cpu_before,
    });
    println!("{summary}");
    Ok(())
}

/// One short session: a room with its trainer and players, one statement that everyone
/// answers, the reveal, the trainer ends the session, and everyone says goodbye.
async fn session(run: &Run<'_>) -> anyhow::Result<()> {
    let Table { mut trainer_sink, mut trainer_stream, mut sinks, mut streams, mut cards } = set_up(run).await?;
    let card = cards.pop().context("a card to play")?;
    send(&mut trainer_sink, format!(r#"{{"type":"play","id":3,"card":"{card}"}}"#)).await?;
    let answer =
        r#"{"type":"answer","id":1,"position":4,"argument":"Omdat het gezin zelf het beste weet wat nodig is."}"#;
    for (sink, stream) in sinks.iter_mut().zip(&mut streams) {
        until(stream, "\"played\"").await?;
        send(sink, answer.to_owned()).await?;
    }
    for stream in &mut streams {
        until(stream, "\"revealed\"").await?;
    }
    send(&mut trainer_sink, r#"{"type":"end","id":4}"#.to_owned()).await?;
    until(&mut trainer_stream, "\"ended\"").await?;
    for stream in &mut streams {
        until(stream, "\"ended\"").await?;
    }
    // Goodbye: a close frame from each, then wait for the server's close (or the end).
    let sockets = std::iter::once((trainer_sink, trainer_stream)).chain(sinks.into_iter().zip(streams));
    for (mut sink, mut stream) in sockets {
        sink.send(Message::Close(None)).await?;
        while let Some(frame) = stream.next().await {
            if matches!(frame, Ok(Message::Close(_)) | Err(_)) {
                break;
            }
        }
    }
    Ok(())
}

/// This process's CPU time (user + system), in seconds.
fn own_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: f64 = fields.get(11..13).map(|t| t.iter().filter_map(|v| v.parse::<f64>().ok()).sum()).unwrap_or(0.0);
    ticks / 100.0
}
