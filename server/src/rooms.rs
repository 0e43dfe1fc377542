//! The registry of rooms in memory, and their lifecycle: a room's task starts when the room is
//! created or someone connects to it (woken from its log, as after a restart), and leaves
//! memory when nobody has been connected for a while. A task that panics is restored from its
//! log. Waking and erasing a room hold one lock, so a room never runs twice and an erasure never
//! races a room that is running.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cards::event::Setup;
use cards::{Rejection, Room, RoomCode};
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use futures_util::FutureExt;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::config::Lifetimes;
use crate::deck_choice;
use crate::room_task::{self, Exit, RoomHandle, Shared};
use crate::store::{StoreError, panic_message};
use crate::token::Token;

/// How many codes a new room draws at most when the ones drawn belong to stored rooms (each
/// such draw has a chance below one in 40,000 on a server that stored 20,000 rooms).
const CODE_ATTEMPTS: usize = 8;

/// The rooms in memory. Cheap to clone: every clone is the same registry.
#[derive(Clone)]
pub struct Rooms(Arc<Registry>);

struct Registry {
    open: DashMap<RoomCode, RoomHandle>,
    /// Held while a room is woken from the store or erased from it.
    store_lock: tokio::sync::Mutex<()>,
    /// Rooms in memory whose session has not ended: the ones `max_rooms` limits.
    running: Arc<AtomicUsize>,
    next_task: AtomicU64,
    rng: Mutex<StdRng>,
    shared: Shared,
    max_rooms: usize,
    lifetimes: Lifetimes,
}

/// What the trainer who created a room needs to steer it.
pub struct Created {
    pub code: RoomCode,
    pub trainer_token: Token,
}

/// One of the `max_rooms` places, held by a room's task until its session ends.
pub struct Running(Arc<AtomicUsize>);

impl Running {
    /// A place if fewer than `max` are taken.
    fn take(count: &Arc<AtomicUsize>, max: usize) -> Option<Running> {
        count.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < max).then_some(n + 1)).ok()?;
        Some(Running(count.clone()))
    }

    /// A place whatever the limit: a room someone is already playing in is never refused.
    fn force(count: &Arc<AtomicUsize>) -> Running {
        count.fetch_add(1, Ordering::SeqCst);
        Running(count.clone())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Where a room runs, as this node sees it.
pub enum Found {
    Here(RoomHandle),
    /// Another live node runs it: come back (through the balancer) in a moment.
    Elsewhere,
    Missing,
}

impl Rooms {
    pub fn new(shared: Shared, max_rooms: usize, lifetimes: Lifetimes) -> Rooms {
        Rooms(Arc::new(Registry {
            open: DashMap::new(),
            store_lock: tokio::sync::Mutex::new(()),
            running: Arc::new(AtomicUsize::new(0)),
            next_task: AtomicU64::new(1),
            rng: Mutex::new(StdRng::from_os_rng()),
            shared,
            max_rooms,
            lifetimes,
        }))
    }

    /// Opens a room under a fresh code: its `Created` event is stored, then its task starts.
    pub async fn create(&self, setup: Setup) -> Result<Created, Rejection> {
        let Some(place) = Running::take(&self.0.running, self.0.max_rooms) else {
            return Err(Rejection::ServerFull);
        };
        let mut place = Some(place);
        for _ in 0..CODE_ATTEMPTS {
            let (code, trainer_token) = self.reserve_code();
            match room_task::open(code.clone(), setup.clone(), &trainer_token, &self.0.shared.store).await {
                Ok(_) if self.0.shared.store.shared_between_nodes() => {
                    // The balancer sends the room's connections to the node its code hashes
                    // to, which need not be this one: let that node take the room from its
                    // log when the first of them arrives, instead of sending them away.
                    self.0.open.remove(&code);
                    if let Err(error) = self.0.shared.store.release(code.clone()).await {
                        tracing::warn!(room = %code, %error, "cannot let the new room go; it moves at its lease's end");
                    }
                    tracing::info!(room = %code, "room opened, for the node the balancer picks");
                    return Ok(Created { code, trainer_token });
                }
                Ok(room) => {
                    let handle = self.start(code.clone(), room, 1, place.take());
                    self.0.open.insert(code.clone(), handle);
                    tracing::info!(room = %code, "room opened");
                    return Ok(Created { code, trainer_token });
                }
                Err(rejection) => {
                    self.0.open.remove(&code);
                    // The code of a room that left memory is free in the registry but taken in
                    // the store, whose log refuses a second beginning: another code does it.
                    // (Some 20,000 sessions make such a draw likely; a busy server meets it.)
                    if !self.0.shared.store.records(code.clone()).await.is_ok_and(|log| !log.is_empty()) {
                        return Err(rejection);
                    }
                    tracing::info!(room = %code, "a new room drew a stored room's code; drawing again");
                }
            }
        }
        Err(Rejection::StoreUnavailable)
    }

    /// Picks an unused code and holds it with a closed handle while the room is stored, so two
    /// rooms never race for one code.
    fn reserve_code(&self) -> (RoomCode, Token) {
        let mut rng = self.0.rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let trainer_token = Token::generate(&mut *rng);
        loop {
            let code = RoomCode::generate(&mut *rng);
            if let Entry::Vacant(slot) = self.0.open.entry(code.clone()) {
                slot.insert(RoomHandle::closed());
                return (code, trainer_token);
            }
        }
    }

    /// The room's task: the one in memory, or one woken from the room's log. `None` if there
    /// is no such room, another node runs it, or the store cannot be read.
    #[cfg(test)]
    pub async fn find(&self, code: &RoomCode) -> Option<RoomHandle> {
        match self.locate(code).await {
            Found::Here(handle) => Some(handle),
            Found::Elsewhere | Found::Missing => None,
        }
    }

    /// Where the room runs: here (in memory, or woken from its log now), on another node, or
    /// nowhere.
    pub async fn locate(&self, code: &RoomCode) -> Found {
        if let Some(handle) = self.get(code) {
            return Found::Here(handle);
        }
        let _waking = self.0.store_lock.lock().await;
        if let Some(handle) = self.get(code) {
            return Found::Here(handle);
        }
        self.wake(code).await
    }

    /// Starts the task of a room from its log; the store lock is held by the caller. The room
    /// is taken for this node first, so the log read is the whole of it.
    async fn wake(&self, code: &RoomCode) -> Found {
        match self.0.shared.store.claim(code.clone()).await {
            Ok(true) => {}
            Ok(false) => return Found::Elsewhere,
            Err(error) => {
                tracing::error!(room = %code, %error, "cannot take the room for this node");
                return Found::Missing;
            }
        }
        let records = match self.0.shared.store.records(code.clone()).await {
            Ok(records) => records,
            Err(error) => {
                tracing::error!(room = %code, %error, "cannot read the room's log");
                return Found::Missing;
            }
        };
        let Some(mut room) = Room::replay(records.iter().map(|record| &record.event)) else {
            let _ = self.0.shared.store.release(code.clone()).await;
            return Found::Missing;
        };
        deck_choice::share_decks(&mut room);
        let seq = records.last().map_or(1, |record| record.seq);
        let place = (!room_task::has_ended(&room)).then(|| Running::force(&self.0.running));
        let handle = self.start(code.clone(), room, seq, place);
        self.0.open.insert(code.clone(), handle.clone());
        tracing::info!(room = %code, "room woken from its log");
        Found::Here(handle)
    }

    /// The room's task if it is in memory.
    pub fn get(&self, code: &RoomCode) -> Option<RoomHandle> {
        self.0.open.get(code).map(|entry| entry.value().clone()).filter(|handle| !handle.is_closed())
    }

    /// A room's log, read through the store (it works for rooms that are not in memory).
    pub async fn log(&self, code: &RoomCode) -> Result<Vec<crate::store::Record>, StoreError> {
        self.0.shared.store.records(code.clone()).await
    }

    /// Stops a room's task if it runs and erases its log; `false` if there was no such room.
    pub async fn erase(&self, code: &RoomCode) -> Result<bool, StoreError> {
        let _erasing = self.0.store_lock.lock().await;
        let was_open = self.stop(code).await;
        let stored = !self.0.shared.store.records(code.clone()).await?.is_empty();
        self.0.shared.store.erase(code.clone()).await?;
        Ok(was_open || stored)
    }

    /// Stops a room's task, letting every connection go; `false` if it was not in memory.
    async fn stop(&self, code: &RoomCode) -> bool {
        let Some((_, handle)) = self.0.open.remove(code) else { return false };
        let (done, stopped) = tokio::sync::oneshot::channel();
        if handle.send(room_task::RoomMsg::Erase { done }).await.is_ok() {
            let _ = stopped.await;
        }
        true
    }

    /// Retention: erases every room whose last event is older than `before`, running or not.
    pub async fn erase_older_than(&self, before: u64) -> Result<usize, StoreError> {
        let old = self.0.shared.store.rooms_older_than(before).await?;
        for code in &old {
            self.erase(code).await?;
        }
        Ok(old.len())
    }

    /// Gives `code` to the node that asked for it: its task tells its connections to come back
    /// (they reach that node through the balancer) and stops, and the room is released.
    pub async fn hand_over(&self, code: &RoomCode) {
        let Some(handle) = self.get(code) else {
            let _ = self.0.shared.store.release(code.clone()).await;
            return;
        };
        let (done, stopped) = tokio::sync::oneshot::channel();
        if handle.send(room_task::RoomMsg::HandOver { done }).await.is_ok() {
            let _ = stopped.await;
        }
        self.0.open.remove_if(code, |_, open| open.task() == handle.task());
        tracing::info!(room = %code, "room handed over to the node that asked for it");
        let _ = self.0.shared.store.release(code.clone()).await;
    }

    /// Tells every room the server is stopping: each finishes what it has in hand, tells its
    /// connections (close 1001) and stops. Returns once they all have.
    pub async fn shut_down(&self) {
        let handles: Vec<RoomHandle> = self.0.open.iter().map(|entry| entry.value().clone()).collect();
        let mut waiting = Vec::new();
        for handle in handles {
            let (done, stopped) = tokio::sync::oneshot::channel();
            if handle.send(room_task::RoomMsg::ShutDown { done }).await.is_ok() {
                waiting.push(stopped);
            }
        }
        for stopped in waiting {
            let _ = stopped.await;
        }
        // Handed over: another node may take each room at once, without waiting for the lease.
        let codes: Vec<RoomCode> = self.0.open.iter().map(|entry| entry.key().clone()).collect();
        self.0.open.clear();
        for code in codes {
            let _ = self.0.shared.store.release(code).await;
        }
    }

    pub fn store(&self) -> &crate::store::Store {
        &self.0.shared.store
    }

    /// Starts the supervised task of `room`, whose last event is `seq`.
    fn start(&self, code: RoomCode, room: Room, seq: u64, place: Option<Running>) -> RoomHandle {
        let task = self.0.next_task.fetch_add(1, Ordering::Relaxed);
        let (handle, mut mailbox) = RoomHandle::new(task, self.0.shared.queue);
        let mut actor = room_task::RoomActor::new(room, seq, self.0.shared.clone(), place, self.0.lifetimes);
        let rooms = self.clone();
        tokio::spawn(async move {
            loop {
                match AssertUnwindSafe(actor.run(&mut mailbox)).catch_unwind().await {
                    Ok(Exit::Quiet { abandoned }) => {
                        if rooms.forget_unused(&code, task) {
                            if abandoned {
                                rooms.erase_abandoned(&code).await;
                            }
                            // Another node may run it from now on.
                            let _ = rooms.0.shared.store.release(code.clone()).await;
                            return;
                        }
                        // Someone is about to connect: carry on.
                    }
                    Ok(Exit::Stopped) => return,
                    Ok(Exit::Lost) => {
                        rooms.0.open.remove_if(&code, |_, handle| handle.task() == task);
                        return;
                    }
                    Err(panic) => {
                        drop(actor);
                        drop(mailbox);
                        rooms.restore_after_panic(&code, task, &panic_message(panic.as_ref())).await;
                        return;
                    }
                }
            }
        });
        handle
    }

    /// Takes task `task` of room `code` out of memory, unless a connection holds its handle
    /// (it is about to say hello). Checked and removed under the registry's lock for the code,
    /// so nobody can take the handle in between.
    fn forget_unused(&self, code: &RoomCode, task: u64) -> bool {
        let removed = self.0.open.remove_if(code, |_, handle| handle.task() == task && handle.is_unused());
        if removed.is_some() {
            tracing::info!(room = %code, "room left memory; it wakes from its log when someone connects");
        }
        removed.is_some()
    }

    /// A room nobody ever joined and nobody had open for a while: its log goes too.
    async fn erase_abandoned(&self, code: &RoomCode) {
        let _erasing = self.0.store_lock.lock().await;
        if self.get(code).is_none() {
            match self.0.shared.store.erase(code.clone()).await {
                Ok(()) => tracing::info!(room = %code, "a room nobody joined was released"),
                Err(error) => tracing::error!(room = %code, %error, "cannot erase a room nobody joined"),
            }
        }
    }

    /// A room task panicked: its state is gone, its log is not. Its participants' connections
    /// closed with it; they reconnect as after a restart, and the first of them wakes the room
    /// from its log (so a room that panics again does not spin).
    async fn restore_after_panic(&self, code: &RoomCode, task: u64, panic: &str) {
        tracing::error!(room = %code, panic, "the room's task panicked; it is restored from its log when its participants reconnect");
        let _waking = self.0.store_lock.lock().await;
        self.0.open.remove_if(code, |_, handle| handle.task() == task);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::Ordering;
    use std::time::Duration;

    use cards::protocol::{ClientMsg, Join, PROTOCOL_VERSION, ServerMsg};
    use cards::token::TokenDigest;
    use cards::{Library, Presence, SeatId, Settings, View};
    use tokio::sync::oneshot;

    use super::*;
    use crate::room_task::{Release, Released, RoomMsg};
    use crate::store::Store;
    use crate::store::memory::{Faults, Memory};

    fn registry(max_rooms: usize) -> (Rooms, Arc<Faults>) {
        registry_with(max_rooms, Lifetimes::default())
    }

    fn registry_with(max_rooms: usize, lifetimes: Lifetimes) -> (Rooms, Arc<Faults>) {
        let memory = Memory::default();
        let faults = memory.faults.clone();
        let shared = Shared { store: Store::start(memory, 64), library: Arc::new(Library::built_in()), queue: 64 };
        (Rooms::new(shared, max_rooms, lifetimes), faults)
    }

    fn setup() -> Setup {
        let library = Library::built_in();
        let statements = library.statement_deck("containerbegrippen").expect("built in").clone();
        let roles = library.role_deck("keukentafel").expect("built in").clone();
        Setup::new(Settings::default(), statements, roles)
    }

    /// A connection as its room sees it: the frames queued for it, and its release.
    struct Conn {
        id: u64,
        frames: crate::outbox::Frames,
        released: Released,
        room: RoomHandle,
    }

    impl Conn {
        async fn hello(room: &RoomHandle, id: u64, join: Join) -> Conn {
            let (outbox, frames) = crate::outbox::channel(256);
            let (joined, seated) = oneshot::channel();
            let hello = RoomMsg::Hello {
                conn: id,
                id: None,
                protocol: PROTOCOL_VERSION,
                join,
                since: None,
                outbox,
                joined,
                from: [127, 0, 0, 1].into(),
            };
            room.send(hello).await.expect("the room is there");
            let released = seated.await.expect("an answer").expect("seated");
            Conn { id, frames, released, room: room.clone() }
        }

        async fn send(&self, msg: ClientMsg) {
            self.room.send(RoomMsg::Request { conn: self.id, id: Some(1), msg }).await.expect("the room is there");
        }

        async fn gone(self) {
            let _ = self.room.send(RoomMsg::Gone { conn: self.id }).await;
        }

        /// The next message queued for this connection.
        async fn next(&mut self) -> ServerMsg {
            let frame = self.frames.recv().await.expect("a frame");
            serde_json::from_str(frame.as_str()).expect("a message")
        }

        /// Reads until an update gives a seat a presence that `wanted` accepts; returns how many
        /// `store_unavailable` notices came on the way.
        async fn until_presence(&mut self, wanted: impl Fn(&Presence) -> bool) -> usize {
            let mut notices = 0;
            loop {
                match self.next().await {
                    ServerMsg::Notice { code, .. } if code == "store_unavailable" => notices += 1,
                    ServerMsg::Update { updates, .. }
                        if updates.iter().any(
                            |update| matches!(update, cards::Update::Presence { presence, .. } if wanted(presence)),
                        ) =>
                    {
                        return notices;
                    }
                    _ => {}
                }
            }
        }

        async fn welcome(&mut self) -> View {
            match self.next().await {
                ServerMsg::Welcome { view, .. } => *view,
                other => panic!("expected a welcome, got {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn a_room_task_that_panics_is_restored_from_its_log() {
        let (rooms, faults) = registry(10);
        let created = rooms.create(setup()).await.expect("created");
        let room = rooms.get(&created.code).expect("in memory");
        let trainer = Join::Trainer { token: created.trainer_token.to_hex() };
        let mut console = Conn::hello(&room, 1, trainer.clone()).await;
        console.welcome().await;
        Conn::hello(&room, 2, Join::Player { name: "Anna".to_owned() }).await;
        // The store panics while it stores the lock: nobody knows whether the lock is durable.
        faults.panicking.store(true, Ordering::SeqCst);
        console.send(ClientMsg::Lock { locked: true }).await;
        assert!(console.released.await.is_err(), "the panicked task let its connections go without a word");
        faults.panicking.store(false, Ordering::SeqCst);

        let restored = rooms.find(&created.code).await.expect("restored from the log");
        assert_ne!(restored.task(), room.task(), "a new task runs the room");
        let mut console = Conn::hello(&restored, 3, trainer).await;
        let view = console.welcome().await;
        assert!(!view.locked, "the lock was never stored, so it never happened");
        let anna = view.seat(SeatId(0)).expect("Anna's seat is in the log");
        assert!(matches!(anna.presence, Presence::Away { .. }), "her seat is held for her, as after a restart");
    }

    #[tokio::test]
    async fn a_new_room_never_takes_the_code_of_a_stored_room_that_left_memory() {
        let (rooms, _) = registry(10);
        let draw_from = |seed| *rooms.0.rng.lock().expect("the registry's randomness") = StdRng::seed_from_u64(seed);
        draw_from(7);
        let first = rooms.create(setup()).await.expect("created");
        // The room leaves memory (as a quiet room does); its log stays in the store.
        rooms.0.open.remove(&first.code);
        draw_from(7);
        let second = rooms.create(setup()).await.expect("another code is drawn");
        assert_ne!(second.code, first.code);
        let log = rooms.log(&first.code).await.expect("the store answers");
        assert_eq!(log.len(), 1, "the stored room's log is untouched");
        let trainer = TokenDigest::of(&first.trainer_token.to_hex());
        assert!(matches!(&log[0].event, cards::Event::Created { trainer: stored, .. } if *stored == trainer));
    }

    #[tokio::test]
    async fn an_ended_session_frees_its_place_at_once() {
        let (rooms, _) = registry(1);
        for _ in 0..5 {
            let created = rooms.create(setup()).await.expect("a place is free");
            assert!(matches!(rooms.create(setup()).await, Err(Rejection::ServerFull)), "one place only");
            let room = rooms.get(&created.code).expect("in memory");
            let mut console = Conn::hello(&room, 1, Join::Trainer { token: created.trainer_token.to_hex() }).await;
            console.welcome().await;
            console.send(ClientMsg::End).await;
            while !matches!(console.next().await, ServerMsg::Ack { .. }) {}
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_room_leaves_memory_and_its_place_and_wakes_from_its_log() {
        // Shorter than the seat hold, so nothing but the room's leaving happens meanwhile.
        let lifetimes = Lifetimes { idle: Duration::from_secs(5 * 60), ..Lifetimes::default() };
        let (rooms, _) = registry_with(1, lifetimes);
        let created = rooms.create(setup()).await.expect("created");
        let room = rooms.get(&created.code).expect("in memory");
        let anna = Conn::hello(&room, 1, Join::Player { name: "Anna".to_owned() }).await;
        anna.gone().await;
        drop(room);
        // Once her seat is on hold in the log, the room has nothing left to do but wait.
        while !rooms
            .log(&created.code)
            .await
            .expect("read")
            .iter()
            .any(|record| matches!(record.event, cards::Event::Presence { presence: Presence::Away { .. }, .. }))
        {
        }
        tokio::time::sleep(lifetimes.idle + Duration::from_secs(1)).await;
        assert!(rooms.get(&created.code).is_none(), "nobody connected for a while: out of memory");
        let other = rooms.create(setup()).await.expect("its place is free for another room");
        // Its trainer has it open (and tokio's paused clock jumps to the next timer while the
        // store thread works: a room with nobody in it would have one).
        let other_room = rooms.get(&other.code).expect("in memory");
        let mut other_console =
            Conn::hello(&other_room, 3, Join::Trainer { token: other.trainer_token.to_hex() }).await;
        other_console.welcome().await;

        let woken = rooms.find(&created.code).await.expect("woken from its log");
        let mut console = Conn::hello(&woken, 2, Join::Trainer { token: created.trainer_token.to_hex() }).await;
        let view = console.welcome().await;
        assert_eq!(view.seat(SeatId(0)).map(|seat| seat.name.as_str()), Some("Anna"));
        assert!(rooms.get(&other.code).is_some(), "the other room runs too: a woken room is never refused");
    }

    #[tokio::test(start_paused = true)]
    async fn a_room_nobody_joined_is_released_with_its_log() {
        let (rooms, _) = registry(10);
        let created = rooms.create(setup()).await.expect("created");
        tokio::time::sleep(Lifetimes::default().unjoined + Duration::from_secs(1)).await;
        // The release takes the store lock; reading through the registry waits for it.
        assert!(rooms.find(&created.code).await.is_none());
        assert!(rooms.log(&created.code).await.expect("the store answers").is_empty(), "its log is gone");
    }

    #[tokio::test]
    async fn retention_stops_a_running_room_before_its_log_goes() {
        let (rooms, _) = registry(10);
        let created = rooms.create(setup()).await.expect("created");
        let room = rooms.get(&created.code).expect("in memory");
        let anna = Conn::hello(&room, 1, Join::Player { name: "Anna".to_owned() }).await;
        let erased = rooms.erase_older_than(crate::clock::now_ms() + 1).await.expect("retention");
        assert_eq!(erased, 1);
        assert_eq!(anna.released.await.ok(), Some(Release::Erased), "Anna is told the room was erased");
        assert!(rooms.get(&created.code).is_none());
        assert!(rooms.log(&created.code).await.expect("the store answers").is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_timer_the_store_cannot_take_is_tried_again_later_and_told_once() {
        let (rooms, faults) = registry(10);
        let created = rooms.create(setup()).await.expect("created");
        let room = rooms.get(&created.code).expect("in memory");
        let mut console = Conn::hello(&room, 1, Join::Trainer { token: created.trainer_token.to_hex() }).await;
        console.welcome().await;
        let anna = Conn::hello(&room, 2, Join::Player { name: "Anna".to_owned() }).await;
        anna.gone().await;
        console.until_presence(|presence| matches!(presence, Presence::Away { .. })).await;
        faults.failing.store(true, Ordering::SeqCst);
        // Anna's seat hold runs out while the store fails: the trainer is told.
        assert!(matches!(console.next().await, ServerMsg::Notice { code, .. } if code == "store_unavailable"));
        let before = faults.appends.load(Ordering::SeqCst);
        // The store stays failing for two minutes. (Paused time may move on while the store
        // thread works, so fewer tries can fit; without the back-off there would be thousands.)
        tokio::time::sleep(Duration::from_secs(120)).await;
        let tries = faults.appends.load(Ordering::SeqCst) - before;
        // Each try is two appends: the writer tries a failed batch again room by room.
        assert!(tries <= 20, "{tries} appends in two minutes: it backs off");
        faults.failing.store(false, Ordering::SeqCst);

        let notices = console.until_presence(|presence| matches!(presence, Presence::Left { .. })).await;
        assert_eq!(notices, 0, "the trainers are told once, not at every try");
    }
}
