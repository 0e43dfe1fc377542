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
pub use store::Sqlite;
use tokio::net::TcpListener;

/// Serves until `shutdown` completes.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let store = store::Store::start(store::Sqlite::open(&config.data_dir)?, config.limits.store_queue);
    let library = Arc::new(config.library);
    let shared = room_task::Shared { store, library: library.clone(), queue: config.limits.room_queue };
    let state = Arc::new(http::AppState {
        rooms: rooms::Rooms::new(shared),
        library,
        client_dir: config.client_dir,
        seat_hold: config.seat_hold,
        limits: config.limits,
    });
    axum::serve(listener, http::router(state)).with_graceful_shutdown(shutdown).await?;
    Ok(())
}
