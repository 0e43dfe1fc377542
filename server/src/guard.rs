//! What one network address may do: how many websockets it may hold at once, how many wrong
//! room codes it may try before it has to wait, and how many rooms it may open. A classroom
//! shares one address, so the connection limit is at least a room's size.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub struct GuardLimits {
    pub connections_per_ip: usize,
    /// Wrong room codes (or log look-ups of unknown rooms) one address may try per window.
    pub failed_joins_per_ip: u32,
    pub failed_join_window: Duration,
    /// Rooms one address may open at once, and how often one more after that: a trainer opens
    /// a few sessions an hour, a script hundreds a second.
    pub rooms_burst: u32,
    pub room_every: Duration,
    /// Deck files one address may upload at once, and how often one more after that.
    pub uploads_burst: u32,
    pub upload_every: Duration,
    /// Open TCP connections one address may hold for plain HTTP (page loads, API calls); a
    /// websocket holds one of `connections_per_ip` instead once it is upgraded.
    pub http_connections_per_ip: usize,
}

impl Default for GuardLimits {
    fn default() -> GuardLimits {
        GuardLimits {
            connections_per_ip: 200,
            failed_joins_per_ip: 10,
            failed_join_window: Duration::from_secs(60),
            rooms_burst: 6,
            room_every: Duration::from_secs(5 * 60),
            http_connections_per_ip: 100,
            uploads_burst: 20,
            upload_every: Duration::from_secs(30),
        }
    }
}

/// Counts per address; shared by every connection.
pub struct Guard {
    limits: GuardLimits,
    connections: DashMap<IpAddr, usize>,
    http_connections: DashMap<IpAddr, usize>,
    failures: DashMap<IpAddr, (u32, Instant)>,
    /// Per address: when its bucket of room creations is full again.
    creations: DashMap<IpAddr, Instant>,
    /// Per address: when its bucket of deck uploads is full again.
    uploads: DashMap<IpAddr, Instant>,
}

/// Holds one of an address's connection slots; gives it back on drop.
pub struct Slot {
    guard: Arc<Guard>,
    ip: IpAddr,
    http: bool,
}

impl Guard {
    pub fn new(limits: GuardLimits) -> Arc<Guard> {
        Arc::new(Guard {
            limits,
            connections: DashMap::new(),
            http_connections: DashMap::new(),
            failures: DashMap::new(),
            creations: DashMap::new(),
            uploads: DashMap::new(),
        })
    }

    /// A slot for one more websocket from `ip`, unless it holds as many as it may.
    pub fn connect(self: &Arc<Guard>, ip: IpAddr) -> Option<Slot> {
        self.take(ip, false)
    }

    /// A slot for one more TCP connection from `ip`, unless it holds as many as it may.
    pub fn open_http(self: &Arc<Guard>, ip: IpAddr) -> Option<Slot> {
        self.take(ip, true)
    }

    fn take(self: &Arc<Guard>, ip: IpAddr, http: bool) -> Option<Slot> {
        let (counts, max) = self.counts(http);
        let mut count = counts.entry(ip).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Slot { guard: self.clone(), ip, http })
    }

    fn counts(&self, http: bool) -> (&DashMap<IpAddr, usize>, usize) {
        if http {
            (&self.http_connections, self.limits.http_connections_per_ip)
        } else {
            (&self.connections, self.limits.connections_per_ip)
        }
    }

    /// Whether `ip` has tried too many wrong codes lately.
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        self.failures.get(&ip).is_some_and(|entry| {
            let (count, since) = *entry;
            count >= self.limits.failed_joins_per_ip && since.elapsed() < self.limits.failed_join_window
        })
    }

    /// Takes one room creation from `ip`'s bucket: `rooms_burst` at once, then one every
    /// `room_every`. When the bucket is empty, says how long until there is one again.
    pub fn create_room(&self, ip: IpAddr) -> Result<(), Duration> {
        take_from_bucket(&self.creations, ip, self.limits.rooms_burst, self.limits.room_every)
    }

    /// Takes one deck upload from `ip`'s bucket, like `create_room`.
    pub fn upload_deck(&self, ip: IpAddr) -> Result<(), Duration> {
        take_from_bucket(&self.uploads, ip, self.limits.uploads_burst, self.limits.upload_every)
    }

    /// Records a wrong code from `ip`.
    pub fn failed(&self, ip: IpAddr) {
        let mut entry = self.failures.entry(ip).or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.limits.failed_join_window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }
}

/// A token bucket per address: `burst` at once, then one every `every`. `full_at` is when the
/// address's bucket is full again; when it is empty, says how long until there is one again.
fn take_from_bucket(
    buckets: &DashMap<IpAddr, Instant>,
    ip: IpAddr,
    burst: u32,
    every: Duration,
) -> Result<(), Duration> {
    let now = Instant::now();
    let mut full_at = buckets.entry(ip).or_insert(now);
    // The bucket holds at most a burst: a quiet address does not save up more.
    let after = (*full_at).max(now) + every;
    if after > now + every * burst {
        return Err(after - (now + every * burst));
    }
    *full_at = after;
    Ok(())
}

impl Drop for Slot {
    fn drop(&mut self) {
        let (counts, _) = self.guard.counts(self.http);
        if let Some(mut count) = counts.get_mut(&self.ip) {
            *count = count.saturating_sub(1);
        }
        counts.remove_if(&self.ip, |_, count| *count == 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_slots_back_and_is_blocked_after_too_many_wrong_codes() {
        let guard = Guard::new(GuardLimits { connections_per_ip: 2, failed_joins_per_ip: 3, ..GuardLimits::default() });
        let ip: IpAddr = [127, 0, 0, 1].into();
        let (a, b) = (guard.connect(ip), guard.connect(ip));
        assert!(a.is_some() && b.is_some() && guard.connect(ip).is_none());
        drop(a);
        assert!(guard.connect(ip).is_some());
        for _ in 0..3 {
            assert!(!guard.is_blocked(ip));
            guard.failed(ip);
        }
        assert!(guard.is_blocked(ip));
        assert!(!guard.is_blocked([127, 0, 0, 2].into()), "other addresses are not affected");
    }

    #[tokio::test(start_paused = true)]
    async fn an_address_opens_a_burst_of_rooms_then_one_every_so_often() {
        let every = Duration::from_secs(300);
        let guard = Guard::new(GuardLimits { rooms_burst: 3, room_every: every, ..GuardLimits::default() });
        let (ip, other): (IpAddr, IpAddr) = ([127, 0, 0, 1].into(), [127, 0, 0, 2].into());
        for _ in 0..3 {
            assert_eq!(guard.create_room(ip), Ok(()));
        }
        assert_eq!(guard.create_room(ip), Err(every), "the fourth waits for the bucket to refill");
        assert_eq!(guard.create_room(other), Ok(()), "other addresses are not affected");
        tokio::time::advance(every - Duration::from_secs(1)).await;
        assert_eq!(guard.create_room(ip), Err(Duration::from_secs(1)));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(guard.create_room(ip), Ok(()));
        assert!(guard.create_room(ip).is_err(), "one at a time after the burst");
        tokio::time::advance(every * 10).await;
        for _ in 0..3 {
            assert_eq!(guard.create_room(ip), Ok(()), "a quiet address has its burst again");
        }
        assert!(guard.create_room(ip).is_err(), "but never more than a burst");
    }
}
