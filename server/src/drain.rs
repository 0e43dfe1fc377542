//! Stopping the server gracefully: connections say they are live while they run, and when the
//! server stops each is told (close 1001 after what is queued for it) and the server waits,
//! for a bounded time, until they have gone.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Notify, watch};

pub struct Drain {
    live: AtomicUsize,
    gone: Notify,
    stopping: watch::Sender<bool>,
}

/// Held by a running connection; dropping it says the connection has gone.
pub struct Live(Arc<Drain>);

impl Drain {
    pub fn new() -> Arc<Drain> {
        Arc::new(Drain { live: AtomicUsize::new(0), gone: Notify::new(), stopping: watch::Sender::new(false) })
    }

    /// Counts a connection in, and tells it when the server stops.
    pub fn enter(self: &Arc<Drain>) -> (Live, watch::Receiver<bool>) {
        self.live.fetch_add(1, Ordering::SeqCst);
        (Live(self.clone()), self.stopping.subscribe())
    }

    /// Tells every connection the server is stopping and waits until they have all gone.
    pub async fn stop(&self) {
        self.stopping.send_replace(true);
        loop {
            let gone = self.gone.notified();
            if self.live.load(Ordering::SeqCst) == 0 {
                return;
            }
            gone.await;
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::SeqCst);
        self.0.gone.notify_waiters();
    }
}
