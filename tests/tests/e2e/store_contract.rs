//! The event store's contract, one suite run against both backends: the SQLite file in a
//! folder and PostgreSQL in a throwaway cluster. What the rooms count on: an append is all or
//! nothing, a place in a room's log is taken once (the fence that keeps two writers from
//! forking a history), logs read back in order and equal, retention finds old rooms, a room
//! erased is gone, and the store can be reopened (and, for PostgreSQL, migrated twice).
//! Then the real server on PostgreSQL: a round played, the server restarted, the room back.

use cards::protocol::ClientMsg;
use cards::view::PhaseView;
use cards::{Event, RoomCode};
use server::{Backend, Owner, Postgres, Record, Sqlite, StoreError};
use tests::TestServer;
use tests::postgres::Cluster;

fn code(text: &str) -> RoomCode {
    RoomCode::parse(text).expect("a room code")
}

fn record(room: &str, seq: u64, at: u64, event: Event) -> Record {
    Record { room: code(room), seq, at, event }
}

fn created(room: &str) -> Event {
    let library = cards::Library::built_in();
    let statements = library.statement_deck("containerbegrippen").expect("built in").clone();
    let roles = library.role_deck("keukentafel").expect("built in").clone();
    let setup = cards::Setup::new(cards::Settings::default(), statements, roles);
    Event::Created { code: code(room), setup: Box::new(setup), trainer: cards::TokenDigest::of("trainer") }
}

/// The contract, against a store that `reopen` opens again on the same data.
fn keeps_the_contract(store: &mut dyn Backend, reopen: &mut dyn FnMut() -> Box<dyn Backend>) {
    let (first, second) = ("AAAAAA", "BBBBBB");
    assert!(store.rooms().expect("rooms").is_empty(), "a new store is empty");
    for room in [first, second] {
        assert!(store.claim(&code(room)).expect("claim"), "a room nobody runs is this node's to take");
    }
    let opening = [record(first, 1, 1_000, created(first)), record(first, 2, 1_001, Event::Locked { locked: true })];
    store.append(&mut opening.iter()).expect("an append");
    store.append(&mut [record(second, 1, 5_000, created(second))].iter()).expect("another room");
    assert_eq!(store.records(&code(first)).expect("read"), opening, "read back in order and equal, decks and all");

    // A place in a log is taken once, and a batch that tries is refused whole.
    let clash =
        [record(second, 2, 5_001, Event::Locked { locked: true }), record(first, 2, 1_002, Event::TimerExpired)];
    assert!(store.append(&mut clash.iter()).is_err(), "event 2 of {first} is taken");
    assert_eq!(store.records(&code(second)).expect("read").len(), 1, "nothing of the refused batch is kept");
    assert!(store.records(&code("CCCCCC")).expect("read").is_empty(), "a room without a log reads empty");

    assert_eq!(store.rooms_older_than(2_000).expect("retention"), [code(first)]);
    assert_eq!(store.rooms().expect("rooms"), [code(first), code(second)]);
    assert!(store.size_bytes().expect("size") > 0);
    store.delete_room(&code(first)).expect("erase");
    assert!(store.records(&code(first)).expect("read").is_empty(), "an erased room is gone");

    let mut again = reopen();
    assert_eq!(again.rooms().expect("rooms"), [code(second)], "what was stored is there after reopening");
    assert_eq!(again.records(&code(second)).expect("read")[0], record(second, 1, 5_000, created(second)));
}

#[test]
fn sqlite_keeps_the_store_contract() {
    let dir = tests::scratch_dir("contract-sqlite");
    let mut store = Sqlite::open(&dir).expect("a new store");
    keeps_the_contract(&mut store, &mut || Box::new(Sqlite::open(&dir).expect("the store again")));
}

fn node(name: &str, lease_ms: u64) -> Owner {
    Owner { node: name.to_owned(), lease: std::time::Duration::from_millis(lease_ms) }
}

#[test]
fn postgres_keeps_the_store_contract() {
    let Some(cluster) = Cluster::start("contract") else { return };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let connect = |owner: Owner| Postgres::connect(&cluster.url, runtime.handle().clone(), owner);
    let mut store = connect(node("a", 60_000)).expect("a new database gets its tables");
    keeps_the_contract(&mut store, &mut || Box::new(connect(node("a", 60_000)).expect("migrated twice")));
    let refused =
        Postgres::connect(&format!("{}?sslmode=require", cluster.url), runtime.handle().clone(), node("a", 1));
    assert!(
        refused.is_err_and(|error| error.to_string().contains("TLS")),
        "TLS required of a server without it: refused, never connected in the clear"
    );
}

/// TLS as the URL asks for it, read as `psql` reads it, against a cluster that takes TLS
/// connections only, its certificate made out to 127.0.0.1 by a root of its own.
#[tokio::test(flavor = "multi_thread")]
async fn postgres_over_tls_encrypts_as_the_url_asks_and_checks_the_certificate_when_told() {
    let Some(cluster) = Cluster::start_tls("tls") else { return };
    let handle = tokio::runtime::Handle::current();
    let connect = |url: String| {
        let handle = handle.clone();
        tokio::task::spawn_blocking(move || Postgres::connect(&url, handle, node("a", 60_000)).map(drop))
    };
    let with = |query: &str| format!("{}?{query}", cluster.url);
    let root = cluster.root_certificate().display().to_string();
    let stranger = cluster.stranger_root_certificate().display().to_string();
    let by_name = cluster.url.replace("127.0.0.1", "localhost");
    let outcome = |result: Result<Result<(), StoreError>, tokio::task::JoinError>| {
        result.expect("connect ran").map_err(|error| error.to_string())
    };

    let plain = outcome(connect(with("sslmode=disable")).await);
    assert!(
        plain.as_ref().is_err_and(|error| error.contains("no encryption")),
        "the cluster takes TLS only: {plain:?}"
    );
    outcome(connect(cluster.url.clone()).await).expect("the default (prefer) encrypts when the server offers it");
    outcome(connect(with("sslmode=require")).await).expect("require: encrypted, whoever's certificate it is");
    outcome(connect(with(&format!("sslmode=verify-full&sslrootcert={root}"))).await)
        .expect("verify-full: made out to 127.0.0.1 by the root named");
    let unknown = outcome(connect(with(&format!("sslmode=verify-full&sslrootcert={stranger}"))).await);
    assert!(unknown.is_err_and(|error| error.contains("certificate")), "another root: refused, and said why");
    let unknown = outcome(connect(with(&format!("sslmode=require&sslrootcert={stranger}"))).await);
    assert!(unknown.is_err(), "require with a root named checks it, as libpq does");
    let other_name = outcome(connect(format!("{by_name}?sslmode=verify-full&sslrootcert={root}")).await);
    assert!(
        other_name.is_err_and(|error| error.contains("certificate")),
        "verify-full: localhost is not the name on it"
    );
    outcome(connect(format!("{by_name}?sslmode=verify-ca&sslrootcert={root}")).await)
        .expect("verify-ca: the root signed it, whatever the name");

    // The real server and its tools on the database over verified TLS.
    let url = with(&format!("sslmode=verify-full&sslrootcert={root}"));
    let server = TestServer::start_with(|config| config.store = Some(url.clone())).await;
    let (code, _token) = server.create_room().await;
    let rooms = tests::process::tool_with_store(&url, &["rooms"]);
    assert!(rooms.contains(&code), "{rooms}");
}

/// Two nodes on one database: a room is one node's while its lease holds; once the lease ran
/// out another node takes it, and the first node's next append is refused (`NotOwner`) even
/// at a place in the log nobody took, so the log keeps one history. A released room is taken
/// at once.
#[test]
fn a_node_whose_room_was_taken_cannot_append_to_it() {
    let Some(cluster) = Cluster::start("fence") else { return };
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let connect = |owner: Owner| Postgres::connect(&cluster.url, runtime.handle().clone(), owner).expect("a node");
    let (mut steady, mut other) = (connect(node("steady", 60_000)), connect(node("other", 60_000)));
    let room = "DDDDDD";
    assert!(steady.claim(&code(room)).expect("claim"));
    steady.append(&mut [record(room, 1, 1, created(room))].iter()).expect("the owner appends");
    assert!(!other.claim(&code(room)).expect("claim"), "a live lease keeps the room its node's");
    assert!(
        matches!(other.append(&mut [record(room, 2, 2, Event::TimerExpired)].iter()), Err(StoreError::NotOwner(_))),
        "a node that does not own a room cannot write to it"
    );

    // A node whose lease runs out at once (as one that hangs past its lease): the room is taken.
    let mut hung = connect(node("hung", 0));
    let moved = "EEEEEE";
    assert!(hung.claim(&code(moved)).expect("claim"));
    hung.append(&mut [record(moved, 1, 1, created(moved))].iter()).expect("the owner appends");
    assert!(other.claim(&code(moved)).expect("claim"), "an expired lease lets another node take the room");
    let stale = hung.append(&mut [record(moved, 2, 2, Event::Locked { locked: true })].iter());
    assert!(matches!(stale, Err(StoreError::NotOwner(_))), "the old owner's next append fails: {stale:?}");
    other.append(&mut [record(moved, 2, 3, Event::TimerExpired)].iter()).expect("the new owner appends");
    let log = other.records(&code(moved)).expect("read");
    assert_eq!(log.iter().map(|r| (r.seq, r.event.kind())).collect::<Vec<_>>(), [(1, "created"), (2, "timer_expired")]);

    // Released (left memory, or the node stopped): taken at once, lease or not.
    steady.release(&code(room)).expect("release");
    assert!(other.claim(&code(room)).expect("claim"), "a released room is free");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_keeps_its_rooms_in_postgres_across_a_restart_and_the_tools_and_migrate_read_them() {
    let Some(cluster) = Cluster::start("server") else { return };
    let url = cluster.url.clone();
    let server = TestServer::start_with(|config| config.store = Some(url.clone())).await;
    let (code, token, mut trainer, mut players) = server.statement_on_the_table(&["Anna", "Bram"]).await;
    for (player, position) in players.iter_mut().zip([2, 4]) {
        let answer = cards::Answer { position: cards::Position::Scale(position), argument: None, definition: None };
        player.request(ClientMsg::Answer(answer)).await.expect("answer");
    }
    trainer.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await;
    // Everything acknowledged is committed: a second server on the same database sees it.
    drop((trainer, players, server));

    let url = cluster.url.clone();
    let again = TestServer::start_with(|config| config.store = Some(url.clone())).await;
    let mut trainer = again.trainer(&code, &token).await;
    let view = trainer.until(|view| matches!(&view.phase, PhaseView::Turn(turn) if turn.reveal.is_some())).await;
    assert_eq!(view.seats.len(), 2, "the room came back from PostgreSQL with its seats and its reveal");

    // The command line reads the same database, and copies it to SQLite and back unchanged.
    let rooms = tests::process::tool_with_store(&cluster.url, &["rooms"]);
    assert!(rooms.contains(&code), "{rooms}");
    let dir = tests::scratch_dir("migrate-target");
    std::fs::create_dir_all(&dir).expect("a folder");
    drop(server::Sqlite::open(&dir).expect("an empty SQLite store"));
    let copied = tests::process::tool_with_store(
        &cluster.url,
        &["migrate", "--from", &cluster.url, "--to", &format!("sqlite:{}", dir.display())],
    );
    assert!(copied.starts_with("copied 1 rooms"), "{copied}");
    let csv = tests::process::tool(&dir, &["export", &code, "--format", "csv"]);
    assert_eq!(csv, tests::process::tool_with_store(&cluster.url, &["export", &code, "--format", "csv"]));
    let twice = tests::process::tool_with_store(
        &cluster.url,
        &["migrate", "--from", &cluster.url, "--to", &format!("sqlite:{}", dir.display())],
    );
    assert!(twice.contains("1 were already there"), "{twice}");
}
