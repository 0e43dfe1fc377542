//! How a server is set up: where it keeps data, where the client lives, which decks it offers
//! and the limits that protect it.

use std::path::PathBuf;

use cards::Library;

#[derive(Debug, Clone)]
pub struct Config {
    /// The folder for the event store.
    pub data_dir: PathBuf,
    /// The built browser client (`index.html`, the wasm and its glue), if there is one.
    pub client_dir: Option<PathBuf>,
    pub library: Library,
    pub limits: Limits,
}

/// Bounds on what one client or one room can make the server hold.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest websocket message accepted, in bytes.
    pub max_message_bytes: usize,
    /// Frames waiting for one connection; a client that falls this far behind is dropped and
    /// resyncs when it comes back, so it never slows the room.
    pub outbound_queue: usize,
    /// Messages waiting for one room task.
    pub room_queue: usize,
    /// Appends waiting for the event store's writer; they are committed together.
    pub store_queue: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_message_bytes: 16 * 1024, outbound_queue: 256, room_queue: 1024, store_queue: 4096 }
    }
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Config {
        Config { data_dir, client_dir: None, library: Library::built_in(), limits: Limits::default() }
    }
}
