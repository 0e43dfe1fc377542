//! The Standpunt server: a thin tokio shell around the `cards` core.
//!
//! One port serves the browser client (`/`), the websocket (`/ws?room=CODE`), room creation
//! (`POST /api/rooms`), the deck list (`/api/decks`) and a health check (`/healthz`). Each room
//! runs in its own task; connection tasks only do I/O.

mod clock;
mod config;
mod connection;
mod http;
mod room_task;
mod rooms;
mod store;
mod token;

use std::future::Future;
use std::sync::Arc;

pub use config::{Config, Limits};
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
    let rooms = rooms::Rooms::new(shared);
    let restored = rooms.restore(to_restore);
    if restored > 0 {
        tracing::info!(restored, "rooms restored from the event store; players take their seats back");
    }
    let state = Arc::new(http::AppState {
        rooms,
        library,
        client_dir: config.client_dir,
        data_dir: config.data_dir,
        seat_hold: config.seat_hold,
        limits: config.limits,
    });
    axum::serve(listener, http::router(state)).with_graceful_shutdown(shutdown).await?;
    Ok(())
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
