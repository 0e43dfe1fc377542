//! What every HTTP handler shares: the rooms, the per-address guard, the decks on offer and the
//! server's settings. Its own module, so the handlers' helpers (`client_files`, `client_ip`)
//! need nothing from `http`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cards::Library;
use cards::api::JoinAddresses;

use crate::config::Limits;
use crate::drain::Drain;
use crate::guard::Guard;
use crate::rooms::Rooms;

pub struct AppState {
    pub rooms: Rooms,
    pub guard: Arc<Guard>,
    /// Origins allowed to open a websocket besides the server's own.
    pub allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
    pub library: Arc<Library>,
    pub client_dir: Option<PathBuf>,
    pub seat_hold: Duration,
    pub reveal_grace: Duration,
    /// Where participants can reach this server, for the console's join link.
    pub join_addresses: JoinAddresses,
    /// The address people open when the server is behind a proxy (`--public-url`): the only
    /// origin of the server's own pages.
    pub public_url: Option<String>,
    /// Running websockets, told when the server stops.
    pub drain: Arc<Drain>,
    pub limits: Limits,
}
