//! How a server is set up: where it keeps data, where the client lives, which decks it offers
//! and the limits that protect it.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use cards::Library;

pub use crate::guard::GuardLimits;

#[derive(Debug, Clone)]
pub struct Config {
    /// The folder for the event store.
    pub data_dir: PathBuf,
    /// A PostgreSQL database for the event store (`postgres://user@host:port/database`), for a
    /// deployment of more than one node; `None`: the SQLite file in `data_dir`.
    pub store: Option<String>,
    /// With a shared database: how long this node's hold on a room lasts unless renewed, which
    /// is how long a room waits for a node that died or hangs before another takes it.
    pub owner_lease: Duration,
    /// The built browser client (`index.html`, the wasm and its glue), if there is one.
    pub client_dir: Option<PathBuf>,
    pub library: Library,
    /// How long a dropped player's seat, role, hand and answer are kept for them.
    pub seat_hold: Duration,
    /// How long an automatic reveal waits for a player who dropped out while answering.
    pub reveal_grace: Duration,
    /// The address participants open when the server is behind a proxy
    /// (`https://standpunt.example.nl`): the join link and QR code use it.
    pub public_url: Option<String>,
    /// Rooms with no activity for this long are deleted, ended or not; `None` keeps them.
    pub retention: Option<Duration>,
    /// Origins whose pages may open a websocket, besides the server's own (for example
    /// `https://standpunt.example.nl` behind a proxy).
    pub allowed_origins: Vec<String>,
    /// Reverse proxies (nginx, say) whose `X-Forwarded-For` header names the client, for the
    /// per-address limits. From anyone else that header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
    pub limits: Limits,
}

/// Bounds on what one client or one room can make the server hold, and how long it waits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The largest websocket message accepted, in bytes; a larger one closes the connection
    /// with 1009.
    pub max_message_bytes: usize,
    /// The kernel's send buffer per connection: with it bounded, a client that stops reading
    /// fills its queue soon and is dropped, instead of parking megabytes in the kernel.
    pub socket_send_buffer_bytes: usize,
    /// The websocket read buffer per connection, to begin with (it grows for a larger message
    /// and is kept small for the thousands of connections that mostly wait).
    pub read_buffer_bytes: usize,
    /// The websocket write buffer per connection (0: each frame goes to the socket at once),
    /// and the most it may hold while the socket takes no more. The server's frames are
    /// fragments of at most 1 KiB (`websocket.rs`), so a connection's buffer stays that small
    /// unless its client falls behind.
    pub write_buffer_bytes: usize,
    pub max_write_buffer_bytes: usize,
    /// Messages a connection may send per second on average, and in one burst; more closes it
    /// with 1008.
    pub messages_per_second: u32,
    pub message_burst: u32,
    /// Time to say `hello` after connecting, and to send an HTTP request's headers.
    pub hello_timeout: Duration,
    pub header_read_timeout: Duration,
    /// Time to send a request's body and be answered: a body that trickles in is cut off.
    pub request_timeout: Duration,
    pub max_rooms: usize,
    pub max_players_per_room: u16,
    pub guard: GuardLimits,
    /// Frames waiting for one connection; a client that falls this far behind is dropped and
    /// resyncs when it comes back, so it never slows the room.
    pub outbound_queue: usize,
    /// Messages waiting for one room task.
    pub room_queue: usize,
    /// Appends waiting for the event store's writer; they are committed together.
    pub store_queue: usize,
    /// How often the server pings a connection.
    pub ping_interval: Duration,
    /// A connection that sends nothing (not even a pong) for this long is treated as dropped.
    pub idle_timeout: Duration,
    /// How long a room stays in memory with nobody connected.
    pub room_lifetimes: Lifetimes,
    /// New rooms are refused once the store holds this many bytes; running sessions go on.
    pub max_store_bytes: Option<u64>,
}

/// How long a room stays in memory after its last connection went: it wakes from its log when
/// someone connects again, as after a restart.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// A session in progress.
    pub idle: Duration,
    /// A session that has ended.
    pub ended: Duration,
    /// A room nobody has joined: after this long with nobody connected it is deleted, log and
    /// all, so rooms created and never used do not pile up.
    pub unjoined: Duration,
}

impl Default for Lifetimes {
    fn default() -> Lifetimes {
        Lifetimes {
            idle: Duration::from_secs(15 * 60),
            ended: Duration::from_secs(60),
            unjoined: Duration::from_secs(10 * 60),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_message_bytes: 16 * 1024,
            socket_send_buffer_bytes: 64 * 1024,
            read_buffer_bytes: 512,
            write_buffer_bytes: 0,
            max_write_buffer_bytes: 1024 * 1024,
            messages_per_second: 20,
            message_burst: 40,
            hello_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_rooms: 5_000,
            max_players_per_room: 40,
            guard: GuardLimits::default(),
            outbound_queue: 256,
            room_queue: 1024,
            store_queue: 4096,
            ping_interval: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(45),
            room_lifetimes: Lifetimes::default(),
            max_store_bytes: None,
        }
    }
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Config {
        Config {
            data_dir,
            store: None,
            owner_lease: Duration::from_secs(10),
            client_dir: None,
            library: Library::built_in(),
            seat_hold: Duration::from_secs(10 * 60),
            reveal_grace: Duration::from_millis(cards::event::Setup::DEFAULT_REVEAL_GRACE_MS),
            public_url: None,
            retention: Some(Duration::from_secs(90 * 24 * 60 * 60)),
            allowed_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            limits: Limits::default(),
        }
    }
}
