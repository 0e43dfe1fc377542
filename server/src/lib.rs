//! The Standpunt server: a thin tokio shell around the `cards` core.
//!
//! One port serves the browser client (`/`), the websocket (`/ws?room=CODE`), room creation
//! (`POST /api/rooms`), the deck list (`/api/decks`) and a health check (`/healthz`). Each room
//! runs in its own task; connection tasks only do I/O.

mod app_state;
mod client_files;
mod client_ip;
mod clock;
mod config;
mod connection;
mod deck_choice;
mod drain;
mod guard;
mod guide;
mod http;
mod join_address;
mod outbox;
mod room_task;
mod rooms;
mod security_headers;
mod staged;
mod store;
mod token;
mod websocket;

use std::future::Future;
use std::sync::Arc;

pub use config::{Config, GuardLimits, Lifetimes, Limits};
pub use join_address::{join_addresses, startup_message};
pub use store::{Backend, Owner, Postgres, Record, RoomSummary, Sqlite, StoreError};
use tokio::net::TcpListener;

/// This node's name in the room owners' table: the host, the process and a random part, so a
/// restarted node is a new owner and never mistakes an old lease for its own.
fn node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host = host.trim();
    format!("{}-{}-{:08x}", if host.is_empty() { "node" } else { host }, std::process::id(), rand::random::<u32>())
}

/// How long the server waits, once it is told to stop, for rooms to finish what they have in
/// hand and for connections to be told; then it closes the store and returns regardless.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(8);

/// Serves until `shutdown` completes, then stops gracefully: no new connections, every room
/// finishes the batch in hand and tells its connections (close 1001), the store writes what is
/// queued and closes.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = match &config.store {
        // Connecting waits for the database, on a blocking thread as the writer does.
        Some(url) => {
            let owner = store::Owner { node: node_name(), lease: config.owner_lease };
            tracing::info!(node = owner.node, "the event store is PostgreSQL; rooms are owned per node");
            let (url, runtime) = (url.clone(), tokio::runtime::Handle::current());
            let postgres =
                tokio::task::spawn_blocking(move || store::Postgres::connect(&url, runtime, owner)).await??;
            store::Store::start(postgres, config.limits.store_queue)
        }
        None => store::Store::start(store::Sqlite::open(&config.data_dir)?, config.limits.store_queue),
    };
    let library = Arc::new(config.library);
    deck_choice::shelve(&library);
    let shared = room_task::Shared { store: store.clone(), library: library.clone(), queue: config.limits.room_queue };
    // Rooms wake from their logs when someone connects, so a restart costs no memory for rooms
    // nobody comes back to.
    let rooms = rooms::Rooms::new(shared, config.limits.max_rooms, config.limits.room_lifetimes);
    let retention = config.retention.map(|retention| tokio::spawn(keep_retention(rooms.clone(), retention)));
    // On a shared database this node keeps its rooms by renewing its lease well before it runs
    // out (a third of the way); a node that stops renewing (dead, or hung) loses them.
    // Rooms another node asked for are handed over: the balancer sends their connections there.
    let renewal = store.shared_between_nodes().then(|| {
        let (store, rooms, every) = (store.clone(), rooms.clone(), config.owner_lease / 3);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                ticks.tick().await;
                match store.renew().await {
                    Ok(wanted) => {
                        for code in wanted {
                            rooms.hand_over(&code).await;
                        }
                    }
                    Err(error) => tracing::error!(%error, "cannot renew this node's rooms"),
                }
            }
        })
    });
    let guard = guard::Guard::new(config.limits.guard.clone());
    let join_addresses = join_addresses(listener.local_addr()?, config.public_url.as_deref());
    let drain = drain::Drain::new();
    let state = Arc::new(app_state::AppState {
        rooms: rooms.clone(),
        guard,
        allowed_origins: config.allowed_origins,
        trusted_proxies: config.trusted_proxies,
        library,
        client_dir: config.client_dir,
        seat_hold: config.seat_hold,
        reveal_grace: config.reveal_grace,
        join_addresses,
        public_url: config.public_url.clone(),
        drain: drain.clone(),
        limits: config.limits,
    });
    let (header_read_timeout, send_buffer) = (state.limits.header_read_timeout, state.limits.socket_send_buffer_bytes);
    let admission = Admission { guard: state.guard.clone(), trusted_proxies: state.trusted_proxies.clone() };
    serve(listener, http::router(state), header_read_timeout, send_buffer, admission, shutdown).await?;

    tracing::info!("stopping: rooms finish what they have in hand and tell their participants");
    if let Some(retention) = retention {
        retention.abort();
    }
    if let Some(renewal) = renewal {
        renewal.abort();
    }
    let stopped = tokio::time::timeout(SHUTDOWN_GRACE, async {
        rooms.shut_down().await;
        drain.stop().await;
    })
    .await;
    if stopped.is_err() {
        tracing::warn!("some connections did not close in time");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Who may open one more TCP connection: each address a bounded number (a reverse proxy in front,
/// which carries everybody's connections, is not counted).
struct Admission {
    guard: Arc<guard::Guard>,
    trusted_proxies: Vec<std::net::IpAddr>,
}

/// Accepts connections until `shutdown`. Unlike `axum::serve`, a client that does not send
/// its request headers in time is cut off, so slow connections cannot pile up.
async fn serve(
    listener: TcpListener,
    router: axum::Router,
    header_read_timeout: std::time::Duration,
    send_buffer: usize,
    admission: Admission,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;

    tokio::pin!(shutdown);
    let mut failures: u32 = 0;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file handles, say: wait a little longer each time instead of
                    // spinning, and say so once.
                    if failures == 0 {
                        tracing::warn!(%error, "accepting connections fails; backing off");
                    }
                    failures = failures.saturating_add(1);
                    let wait = std::time::Duration::from_millis((10u64 << failures.min(7)).min(1_000));
                    tokio::select! {
                        () = tokio::time::sleep(wait) => continue,
                        () = &mut shutdown => return Ok(()),
                    }
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        if failures > 0 {
            tracing::info!(failures, "accepting connections again");
            failures = 0;
        }
        let ip = peer.ip().to_canonical();
        let slot = if admission.trusted_proxies.iter().any(|proxy| proxy.to_canonical() == ip) {
            None
        } else {
            match admission.guard.open_http(ip) {
                Some(slot) => Some(slot),
                // Too many open connections from this address: close this one at once.
                None => continue,
            }
        };
        let _ = stream.set_nodelay(true);
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(send_buffer);
        let service = router.clone().map_request(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            request
        });
        tokio::spawn(async move {
            let service = hyper_util::service::TowerToHyperService::new(service);
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop(slot);
        });
    }
}

/// Deletes rooms older than `retention`, now and then once a day, through the registry: a
/// room still in memory is stopped before its log goes.
async fn keep_retention(rooms: rooms::Rooms, retention: std::time::Duration) {
    let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        daily.tick().await;
        let before = clock::now_ms().saturating_sub(u64::try_from(retention.as_millis()).unwrap_or(u64::MAX));
        match rooms.erase_older_than(before).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(rooms = deleted, "retention: old rooms deleted"),
            Err(error) => tracing::error!(%error, "retention failed"),
        }
    }
}
