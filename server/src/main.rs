//! The `standpunt` binary: parses the command line, then serves or runs one store command.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};
use cards::log::{LoggedEvent, Names};
use cards::{RoomCode, export};
use clap::{Parser, Subcommand, ValueEnum};
use server::{Backend, Config, Postgres, Sqlite};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// jemalloc instead of glibc's malloc: glibc keeps what a busy hour freed in its per-thread
/// arenas, so an idle server stayed at its peak (BENCHMARKS.md, "Soak: 20,000 sessions").
/// The `system-allocator` feature leaves it out, for heap profilers that watch malloc
/// (heaptrack: BENCHMARKS.md, "Memory per room").
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Standpunt: a statement-and-role card game for learning sessions in the social domain.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Tool>,
    #[command(flatten)]
    serve: Serve,
}

/// Serving, the default.
#[derive(clap::Args)]
struct Serve {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Folder for the event store.
    #[arg(long, global = true, default_value = "./standpunt-data")]
    data: PathBuf,
    /// A PostgreSQL database for the event store instead of the SQLite file in --data
    /// (postgres://user:password@host:port/database; TLS as psql reads it, e.g.
    /// ?sslmode=verify-full&sslrootcert=FILE), for running more than one node.
    #[arg(long, global = true, env = "STANDPUNT_STORE")]
    store: Option<String>,
    /// With --store: seconds a node's hold on a room lasts unless renewed (every third of it);
    /// a room waits this long for a node that died or hangs before another node takes it.
    #[arg(long, default_value_t = 10)]
    owner_lease_seconds: u64,
    /// Folder with extra deck files (*.toml) to offer besides the built-in decks.
    #[arg(long)]
    decks: Option<PathBuf>,
    /// Folder with the built browser client.
    #[arg(long, default_value = "./target/client")]
    client: PathBuf,
    /// Minutes a dropped player's seat is kept for them.
    #[arg(long, default_value_t = 10)]
    seat_hold_minutes: u64,
    /// Seconds an automatic reveal waits for a player who dropped out while answering (a
    /// reload, a phone that locked); 0 does not wait.
    #[arg(long, default_value_t = 15)]
    reveal_grace_seconds: u64,
    /// The address participants open, when Standpunt runs behind a proxy (for example
    /// https://standpunt.example.nl): the join link and QR code use it.
    #[arg(long)]
    public_url: Option<String>,
    /// Rooms with no activity for this many days are deleted (0 keeps them for ever).
    #[arg(long, default_value_t = 90)]
    retain_days: u64,
    /// Another origin whose pages may open websockets (the server's own always may), for
    /// example https://standpunt.example.nl behind a proxy. May be given more than once.
    #[arg(long = "allow-origin")]
    allowed_origins: Vec<String>,
    /// The address of a reverse proxy in front of Standpunt (nginx, say), whose
    /// X-Forwarded-For header then names each participant's own address for the per-address
    /// limits. May be given more than once.
    #[arg(long = "trusted-proxy")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Most rooms open at once.
    #[arg(long, default_value_t = 5_000)]
    max_rooms: usize,
    /// Most players in one room.
    #[arg(long, default_value_t = 40)]
    max_players: u16,
    /// Most websockets from one network address at once (a classroom shares one).
    #[arg(long, default_value_t = 200)]
    connections_per_ip: usize,
    /// Messages one connection may send per second on average (bursts of twice that).
    #[arg(long, default_value_t = 20)]
    messages_per_second: u32,
    /// Sessions one network address may open at once; after that, one every five minutes.
    #[arg(long, default_value_t = 6)]
    rooms_per_address: u32,
    /// Seconds an ended session stays in memory after its last connection closed (it wakes
    /// from its log if someone comes back, for the review or a late phone).
    #[arg(long, default_value_t = 60)]
    ended_room_seconds: u64,
    /// New sessions are refused once the event store holds this many megabytes; sessions
    /// already running carry on. 0 means no limit.
    #[arg(long, default_value_t = 0)]
    max_store_mb: u64,
}

/// Work on the event store in `--data`, without serving.
#[derive(Subcommand)]
enum Tool {
    /// List the rooms: code, created, players, rounds, state.
    Rooms,
    /// Write a room's log to standard output: every answer (CSV), the whole log (JSON), or a
    /// debrief report (HTML).
    Export {
        room: String,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
        /// Show participants' names instead of "Deelnemer 1..n".
        #[arg(long)]
        names: bool,
        /// The language of the headers, labels, pseudonyms and card texts.
        #[arg(long, value_enum, default_value_t = Language::Nl)]
        lang: Language,
    },
    /// Delete a room's log for good.
    Delete { room: String },
    /// Copy every room from one store to another (sqlite:FOLDER or postgres://…), each log
    /// read back and compared; a room already in the target must hold the same log.
    Migrate {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Work on deck files.
    #[command(subcommand)]
    Decks(DeckTool),
}

#[derive(Subcommand)]
enum DeckTool {
    /// Check deck files (TOML, or CSV of statements) and draaiboeken (TOML with
    /// kind = "draaiboek", read against the built-in decks and the decks given beside them);
    /// every problem is listed, and the exit code is non-zero if there is any.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The whole log.
    Json,
    /// One row per answer, for Excel.
    Csv,
    /// A self-contained debrief report with charts, to read, mail or print.
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum Language {
    /// Nederlands.
    Nl,
    /// English (cards without English keep their Dutch).
    En,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve),
        Some(tool) => run_tool(tool, &cli.serve.data, cli.serve.store.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("standpunt: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn serve(options: Serve) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let mut config = Config::new(options.data);
    config.store = options.store;
    config.owner_lease = Duration::from_secs(options.owner_lease_seconds.max(1));
    config.client_dir = Some(options.client);
    config.seat_hold = Duration::from_secs(options.seat_hold_minutes * 60);
    config.reveal_grace = Duration::from_secs(options.reveal_grace_seconds);
    config.public_url = options.public_url;
    config.retention = (options.retain_days > 0).then(|| Duration::from_secs(options.retain_days * 24 * 60 * 60));
    config.allowed_origins = options.allowed_origins;
    config.trusted_proxies = options.trusted_proxies;
    config.limits.max_rooms = options.max_rooms;
    config.limits.max_players_per_room = options.max_players;
    config.limits.guard.connections_per_ip = options.connections_per_ip.max(usize::from(options.max_players));
    config.limits.messages_per_second = options.messages_per_second;
    config.limits.message_burst = options.messages_per_second.saturating_mul(2);
    config.limits.guard.rooms_burst = options.rooms_per_address;
    config.limits.room_lifetimes.ended = Duration::from_secs(options.ended_room_seconds);
    config.limits.max_store_bytes =
        (options.max_store_mb > 0).then(|| options.max_store_mb.saturating_mul(1024 * 1024));
    if let Some(folder) = options.decks {
        load_decks(&mut config, &folder)?;
    }
    let listener =
        TcpListener::bind(options.addr).await.with_context(|| format!("cannot listen on {}", options.addr))?;
    let addr = listener.local_addr()?;
    let addresses = server::join_addresses(addr, config.public_url.as_deref());
    print!("{}", server::startup_message(&addresses, addr));
    server::run(listener, config, shutdown_signal()).await
}

/// The store a command works on: the SQLite file in a folder, or a PostgreSQL database with
/// the runtime its connection runs on (dropped after it).
enum ToolStore {
    Sqlite(Sqlite),
    /// The runtime is kept only to outlive the connection that runs on it.
    Postgres {
        store: Postgres,
        _runtime: tokio::runtime::Runtime,
    },
}

impl ToolStore {
    /// `postgres://…` or `postgresql://…`, `sqlite:FOLDER`, or a folder.
    fn open(place: &str) -> anyhow::Result<ToolStore> {
        if place.starts_with("postgres://") || place.starts_with("postgresql://") {
            let runtime = tokio::runtime::Runtime::new()?;
            // A command is a node of its own, holding a room only while it writes it.
            let owner = server::Owner { node: format!("standpunt-tool-{}", std::process::id()), lease: Duration::ZERO };
            let postgres = Postgres::connect(place, runtime.handle().clone(), owner)?;
            return Ok(ToolStore::Postgres { store: postgres, _runtime: runtime });
        }
        Ok(ToolStore::Sqlite(Sqlite::open_existing(Path::new(place.strip_prefix("sqlite:").unwrap_or(place)))?))
    }

    fn backend(&mut self) -> &mut dyn Backend {
        match self {
            ToolStore::Sqlite(sqlite) => sqlite,
            ToolStore::Postgres { store, .. } => store,
        }
    }

    fn summaries(&mut self) -> anyhow::Result<Vec<server::RoomSummary>> {
        Ok(match self {
            ToolStore::Sqlite(sqlite) => sqlite.summaries()?,
            ToolStore::Postgres { store, .. } => store.summaries()?,
        })
    }

    fn delete(&mut self, room: &RoomCode) -> anyhow::Result<bool> {
        Ok(match self {
            ToolStore::Sqlite(sqlite) => sqlite.delete(room)?,
            ToolStore::Postgres { store, .. } => store.delete(room)?,
        })
    }
}

/// Copies every room of `from` into `to` and reads each log back to compare. A room already in
/// `to` is left alone when its log is the same, and stops the copy when it is not.
fn migrate(from: &str, to: &str) -> anyhow::Result<()> {
    let (mut source, mut target) = (ToolStore::open(from)?, ToolStore::open(to)?);
    let (mut copied, mut kept, mut events) = (0, 0, 0);
    for room in source.backend().rooms()? {
        let records = source.backend().records(&room)?;
        let there = target.backend().records(&room)?;
        if !there.is_empty() {
            if there != records {
                bail!("room {room} is already in {to} with another log; nothing more was copied");
            }
            kept += 1;
            continue;
        }
        if !target.backend().claim(&room)? {
            bail!("room {room} is being run by a node on {to}; stop the nodes before migrating");
        }
        target.backend().append(&mut records.iter())?;
        target.backend().release(&room)?;
        if target.backend().records(&room)? != records {
            bail!("room {room} reads back differently from {to}; nothing more was copied");
        }
        copied += 1;
        events += records.len();
    }
    println!("copied {copied} rooms ({events} events), each log read back and compared; {kept} were already there");
    Ok(())
}

fn run_tool(tool: Tool, data: &Path, store: Option<&str>) -> anyhow::Result<()> {
    if let Tool::Decks(DeckTool::Check { files }) = &tool {
        return check_decks(files);
    }
    if let Tool::Migrate { from, to } = &tool {
        return migrate(from, to);
    }
    let place = store.map_or_else(|| data.display().to_string(), str::to_owned);
    let mut store = ToolStore::open(&place)?;
    match tool {
        Tool::Rooms => {
            println!("{:<8} {:<20} {:>8} {:>7}  state", "code", "created (UTC)", "players", "rounds");
            for room in store.summaries()? {
                let state = if room.ended { "ended" } else { "open" };
                let created = export::iso8601(room.created);
                println!("{:<8} {:<20} {:>8} {:>7}  {state}", room.code, created, room.players, room.rounds);
            }
        }
        Tool::Export { room, format, names, lang } => {
            let code = parse_code(&room)?;
            let log: Vec<LoggedEvent> = store
                .backend()
                .records(&code)?
                .into_iter()
                .map(|record| LoggedEvent { seq: record.seq, at: record.at, event: record.event })
                .collect();
            if log.is_empty() {
                bail!("there is no room {code} in {place}");
            }
            let names = if names { Names::Real } else { Names::Pseudonyms };
            let lang = match lang {
                Language::Nl => cards::Lang::Nl,
                Language::En => cards::Lang::En,
            };
            match format {
                Format::Json => println!("{}", export::json(&log, names, lang)),
                Format::Csv => print!("{}", export::csv(&cards::log::answers(&log, names, lang), lang)),
                Format::Html => {
                    print!("{}", cards::report::html(&cards::analysis::Review::of(&log, names, lang), lang));
                }
            }
        }
        Tool::Decks(_) | Tool::Migrate { .. } => unreachable!("handled above"),
        Tool::Delete { room } => {
            let code = parse_code(&room)?;
            if !store.delete(&code)? {
                bail!("there is no room {code} in {place}");
            }
            println!("deleted room {code}");
        }
    }
    Ok(())
}

/// Decks first, then the draaiboeken against the built-in decks and the good ones given.
fn check_decks(files: &[PathBuf]) -> anyhow::Result<()> {
    let mut failed = 0;
    let mut library = cards::Library::built_in();
    let mut draaiboeken = Vec::new();
    for path in files {
        let source = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        if cards::session::agenda::is_agenda_file(&source) {
            draaiboeken.push((path, source));
            continue;
        }
        match cards::deck::parse_deck_file(&path.display().to_string(), &source) {
            Ok(deck) => {
                let (_, cards) = deck.summary();
                println!("{}: ok, deck \"{}\" ({}, {cards} cards)", path.display(), deck.id(), deck.kind());
                library.add(deck);
            }
            Err(errors) => {
                failed += 1;
                eprintln!("{errors}");
            }
        }
    }
    for (path, source) in draaiboeken {
        match cards::session::agenda::parse_agenda(&path.display().to_string(), &source, &library) {
            Ok(draaiboek) => println!(
                "{}: ok, draaiboek \"{}\" ({} steps, {} minutes)",
                path.display(),
                draaiboek.id,
                draaiboek.steps.len(),
                draaiboek.minutes()
            ),
            Err(errors) => {
                failed += 1;
                eprintln!("{errors}");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files have errors", files.len());
    }
    Ok(())
}

fn parse_code(room: &str) -> anyhow::Result<RoomCode> {
    RoomCode::parse(room).with_context(|| format!("'{room}' is not a room code"))
}

/// Adds every `*.toml` deck in `folder`, then every draaiboek there (read against all the
/// decks); any invalid file stops the start with all its errors.
fn load_decks(config: &mut Config, folder: &Path) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read deck folder {}", folder.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut draaiboeken = Vec::new();
    for path in files {
        let source = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if cards::session::agenda::is_agenda_file(&source) {
            draaiboeken.push((path, source));
        } else {
            config.library.add_file(&path.display().to_string(), &source)?;
        }
    }
    // An operator's deck that replaced a built-in one may no longer hold what a built-in
    // draaiboek plays: that draaiboek is left out, and said so.
    for problems in config.library.reread_built_in_agendas() {
        tracing::warn!("a built-in draaiboek no longer fits the decks in {}; left out:\n{problems}", folder.display());
    }
    for (path, source) in draaiboeken {
        config.library.add_agenda_file(&path.display().to_string(), &source)?;
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager: both stop the server gracefully.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
