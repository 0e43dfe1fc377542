//! The Standpunt server: a thin tokio shell around the `cards` core.
//!
//! One port serves the browser client (`/`), the websocket (`/ws?room=CODE`), room creation
//! (`POST /api/rooms`), the deck list (`/api/decks`) and a health check (`/healthz`). Each room
//! runs in its own task; connection tasks only do I/O.

mod client_files;
mod client_ip;
mod clock;
mod config;
mod connection;
mod guard;
mod http;
mod join_address;
mod room_task;
mod rooms;
mod staged;
mod store;
mod token;

use std::future::Future;
use std::sync::Arc;

pub use config::{Config, GuardLimits, Limits};
pub use join_address::JoinAddresses;
pub use store::{Record, RoomSummary, Sqlite};
use tokio::net::TcpListener;

/// Serves until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let sqlite = store::Sqlite::open(&config.data_dir)?;
    let to_restore = sqlite.open_rooms()?;
    let store = store::Store::start(sqlite, config.limits.store_queue);
    if let Some(retention) = config.retention {
        tokio::spawn(keep_retention(store.clone(), retention));
    }
    let library = Arc::new(config.library);
    let shared = room_task::Shared { store, library: library.clone(), queue: config.limits.room_queue };
    let rooms = rooms::Rooms::new(shared, config.limits.max_rooms);
    let restored = rooms.restore(to_restore);
    if restored > 0 {
        tracing::info!(restored, "rooms restored from the event store; players take their seats back");
    }
    let guard = guard::Guard::new(config.limits.guard.clone());
    let join_addresses = JoinAddresses::of(listener.local_addr()?, config.public_url.as_deref());
    let state = Arc::new(http::AppState {
        rooms,
        guard,
        allowed_origins: config.allowed_origins,
        trusted_proxies: config.trusted_proxies,
        library,
        client_dir: config.client_dir,
        data_dir: config.data_dir,
        seat_hold: config.seat_hold,
        reveal_grace: config.reveal_grace,
        join_addresses,
        limits: config.limits,
    });
    let (header_read_timeout, send_buffer) = (state.limits.header_read_timeout, state.limits.socket_send_buffer_bytes);
    serve(listener, http::router(state), header_read_timeout, send_buffer, shutdown).await
}

/// Accepts connections until `shutdown`. Unlike `axum::serve`, a client that does not send
/// its request headers in time is cut off, so slow connections cannot pile up.
async fn serve(
    listener: TcpListener,
    router: axum::Router,
    header_read_timeout: std::time::Duration,
    send_buffer: usize,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;

    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
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
        });
    }
}

/// Deletes rooms older than `retention`, now and then once a day. Rooms are few and deletes
/// are rare, so this runs on the store's writer thread between appends.
async fn keep_retention(store: store::Store, retention: std::time::Duration) {
    let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        daily.tick().await;
        let before = clock::now_ms().saturating_sub(u64::try_from(retention.as_millis()).unwrap_or(u64::MAX));
        match store.delete_older_than(before).await {
            Ok(deleted) if !deleted.is_empty() => tracing::info!(rooms = deleted.len(), "retention: old rooms deleted"),
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "retention failed"),
        }
    }
}
