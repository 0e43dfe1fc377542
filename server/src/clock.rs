//! The server's clock: wall-clock milliseconds for the core and the store, tied to tokio's
//! clock so that timers and the time the core is told never disagree — and so tests with
//! paused tokio time control both.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::time::Instant;

struct Anchor {
    epoch_ms: u64,
    instant: Instant,
}

fn anchor() -> &'static Anchor {
    static ANCHOR: OnceLock<Anchor> = OnceLock::new();
    ANCHOR.get_or_init(|| Anchor {
        epoch_ms: SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_millis() as u64),
        instant: Instant::now(),
    })
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    let anchor = anchor();
    anchor.epoch_ms + anchor.instant.elapsed().as_millis() as u64
}

/// The tokio instant at which `now_ms()` will read `ms`.
pub fn instant_at(ms: u64) -> Instant {
    let anchor = anchor();
    anchor.instant + Duration::from_millis(ms.saturating_sub(anchor.epoch_ms))
}
