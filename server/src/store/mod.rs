//! The event store: every event of every room, appended before anyone is told about it.
//!
//! One writer owns the backend. Appends from all rooms queue up for it, and it commits whatever
//! has queued in one transaction (group commit), then answers each waiting room.

#[cfg(test)]
pub mod memory;
mod postgres;
mod postgres_tls;
mod sqlite;

use cards::{Event, RoomCode};
pub use postgres::{Owner, Postgres};
pub use sqlite::{RoomSummary, Sqlite};
use tokio::sync::{mpsc, oneshot};

/// One event as stored: its room, its place in the room's log and when it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub room: RoomCode,
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at: u64,
    pub event: Event,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("the event store failed: {0}")]
    Backend(String),
    /// The backend panicked while it stored these events: whether they are durable is unknown,
    /// so the room that sent them must be rebuilt from its log.
    #[error("the event store panicked while storing: {0}")]
    Panicked(String),
    #[error("the event store has stopped")]
    Stopped,
    /// Another node took the room (its lease on this node had run out): this node's copy of the
    /// room is stale and must go. Nothing of the refused append was stored.
    #[error("room {0} is run by another node now")]
    NotOwner(RoomCode),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Backend(error.to_string())
    }
}

/// Where events are kept. Synchronous: it runs on the writer thread only. SQLite is the
/// embedded default; PostgreSQL (`postgres.rs`) serves a deployment of more than one node.
pub trait Backend: Send + 'static {
    /// Appends all records atomically: all are durable when this returns `Ok`, none otherwise.
    fn append(&mut self, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError>;

    /// One room's whole log in order; empty when there is no such room.
    fn records(&mut self, room: &RoomCode) -> Result<Vec<Record>, StoreError>;

    /// The rooms whose last event is older than `before` (milliseconds since the epoch).
    fn rooms_older_than(&mut self, before: u64) -> Result<Vec<RoomCode>, StoreError>;

    /// Deletes one room's whole log.
    fn delete_room(&mut self, room: &RoomCode) -> Result<(), StoreError>;

    /// How many bytes the store holds, for `--max-store-mb`.
    fn size_bytes(&mut self) -> Result<u64, StoreError>;

    /// Every room with a log, in code order (`standpunt migrate`).
    fn rooms(&mut self) -> Result<Vec<RoomCode>, StoreError>;

    /// Puts the backend back in a usable state after a panic in the middle of an append (an
    /// open transaction is rolled back).
    fn recover(&mut self) {}

    /// Takes `room` for this node before it runs it: `false` when another live node runs it.
    /// A store that serves one node owns every room.
    fn claim(&mut self, _room: &RoomCode) -> Result<bool, StoreError> {
        Ok(true)
    }

    /// Keeps this node's rooms its own for another lease; returns those another node asked
    /// for (the balancer sends their connections there now), to be handed over.
    fn renew(&mut self) -> Result<Vec<RoomCode>, StoreError> {
        Ok(Vec::new())
    }

    /// Lets another node take `room` at once (it left this node's memory, or the node stops).
    fn release(&mut self, _room: &RoomCode) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether other nodes run rooms from this store too (their balancer decides which node
    /// runs a room, not the node that created it).
    fn shared_between_nodes(&self) -> bool {
        false
    }
}

/// One room's events, waiting to be made durable.
struct Append {
    records: Vec<Record>,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// What the writer thread is asked to do besides appending.
enum Job {
    Append(Append),
    Read {
        room: RoomCode,
        done: oneshot::Sender<Result<Vec<Record>, StoreError>>,
    },
    Older {
        before: u64,
        done: oneshot::Sender<Result<Vec<RoomCode>, StoreError>>,
    },
    Erase {
        room: RoomCode,
        done: oneshot::Sender<Result<(), StoreError>>,
    },
    Size {
        done: oneshot::Sender<Result<u64, StoreError>>,
    },
    Claim {
        room: RoomCode,
        done: oneshot::Sender<Result<bool, StoreError>>,
    },
    Renew {
        done: oneshot::Sender<Result<Vec<RoomCode>, StoreError>>,
    },
    Release {
        room: RoomCode,
        done: oneshot::Sender<Result<(), StoreError>>,
    },
    /// Finish what queued before, close the backend, and stop.
    Close {
        done: oneshot::Sender<()>,
    },
}

/// The async face of the writer thread. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    shared_between_nodes: bool,
}

impl Store {
    /// Starts the writer thread; it ends when the store is closed or the last `Store` clone is
    /// dropped.
    pub fn start(backend: impl Backend, queue: usize) -> Store {
        let (jobs, queued) = mpsc::channel(queue);
        let shared_between_nodes = backend.shared_between_nodes();
        tokio::spawn(write_loop(backend, queued));
        Store { jobs, shared_between_nodes }
    }

    /// Whether other nodes run rooms from this store too.
    pub fn shared_between_nodes(&self) -> bool {
        self.shared_between_nodes
    }

    /// Returns once the records are durable.
    pub async fn append(&self, records: Vec<Record>) -> Result<(), StoreError> {
        self.ask(|done| Job::Append(Append { records, done })).await?
    }

    /// One room's log, in order; empty if there is no such room.
    pub async fn records(&self, room: RoomCode) -> Result<Vec<Record>, StoreError> {
        self.ask(|done| Job::Read { room, done }).await?
    }

    /// The rooms with no activity since `before`, for retention.
    pub async fn rooms_older_than(&self, before: u64) -> Result<Vec<RoomCode>, StoreError> {
        self.ask(|done| Job::Older { before, done }).await?
    }

    /// Erases one room's log at once (after its task has stopped writing).
    pub async fn erase(&self, room: RoomCode) -> Result<(), StoreError> {
        self.ask(|done| Job::Erase { room, done }).await?
    }

    /// How many bytes the store holds.
    pub async fn size_bytes(&self) -> Result<u64, StoreError> {
        self.ask(|done| Job::Size { done }).await?
    }

    /// Takes `room` for this node; `false` when another live node runs it.
    pub async fn claim(&self, room: RoomCode) -> Result<bool, StoreError> {
        self.ask(|done| Job::Claim { room, done }).await?
    }

    /// Keeps this node's rooms its own for another lease; returns those another node wants.
    pub async fn renew(&self) -> Result<Vec<RoomCode>, StoreError> {
        self.ask(|done| Job::Renew { done }).await?
    }

    /// Lets another node take `room` at once.
    pub async fn release(&self, room: RoomCode) -> Result<(), StoreError> {
        self.ask(|done| Job::Release { room, done }).await?
    }

    /// Writes what is queued, closes the backend and stops the writer; later calls fail with
    /// `Stopped`.
    pub async fn close(&self) {
        let _ = self.ask(|done| Job::Close { done }).await;
    }

    async fn ask<T>(&self, job: impl FnOnce(oneshot::Sender<T>) -> Job) -> Result<T, StoreError> {
        let (done, answer) = oneshot::channel();
        self.jobs.send(job(done)).await.map_err(|_| StoreError::Stopped)?;
        answer.await.map_err(|_| StoreError::Stopped)
    }
}

/// The writer: whatever jobs queued while the last ones ran are done together, on a blocking
/// thread (group commit: the appends among them go into one transaction). Running the backend
/// with `spawn_blocking` rather than on a thread of its own also tells a test's paused clock
/// that the store is busy, so paused time never jumps ahead while an append is on its way.
async fn write_loop<B: Backend>(mut backend: B, mut queued: mpsc::Receiver<Job>) {
    while let Some(first) = queued.recv().await {
        let mut jobs = vec![first];
        while let Ok(job) = queued.try_recv() {
            jobs.push(job);
        }
        let work = tokio::task::spawn_blocking(move || match run_jobs(&mut backend, jobs) {
            None => Some(backend),
            Some(closed) => {
                drop(backend);
                let _ = closed.send(());
                None
            }
        });
        match work.await {
            Ok(Some(returned)) => backend = returned,
            Ok(None) => return,
            Err(error) => {
                tracing::error!(%error, "the event store's writer failed; nothing more is stored");
                return;
            }
        }
    }
}

/// Does `jobs` in order; every job but an append waits for the appends queued before it, so a
/// read sees every write that was asked for before it. Returns whom to tell once the backend is
/// closed, when a job asked to close it.
fn run_jobs(backend: &mut impl Backend, jobs: Vec<Job>) -> Option<oneshot::Sender<()>> {
    let mut batch = Vec::new();
    for job in jobs {
        if !matches!(job, Job::Append(_)) {
            commit(backend, std::mem::take(&mut batch));
        }
        match job {
            Job::Append(append) => batch.push(append),
            Job::Read { room, done } => {
                let _ = done.send(backend.records(&room));
            }
            Job::Older { before, done } => {
                let _ = done.send(backend.rooms_older_than(before));
            }
            Job::Erase { room, done } => {
                let _ = done.send(backend.delete_room(&room));
            }
            Job::Size { done } => {
                let _ = done.send(backend.size_bytes());
            }
            Job::Claim { room, done } => {
                let _ = done.send(backend.claim(&room));
            }
            Job::Renew { done } => {
                let _ = done.send(backend.renew());
            }
            Job::Release { room, done } => {
                let _ = done.send(backend.release(&room));
            }
            Job::Close { done } => return Some(done),
        }
    }
    commit(backend, batch);
    None
}

/// Appends a batch in one transaction; if that fails, each room's append on its own, so one
/// room's bad append never fails another's. A panicking backend fails only the appends it
/// panicked on, and the writer carries on.
fn commit(backend: &mut impl Backend, batch: Vec<Append>) {
    if batch.is_empty() {
        return;
    }
    if guarded(backend, &mut batch.iter().flat_map(|append| append.records.iter())).is_ok() {
        batch.into_iter().for_each(|append| {
            let _ = append.done.send(Ok(()));
        });
        return;
    }
    for append in batch {
        let result = guarded(backend, &mut append.records.iter());
        if let (Err(error), Some(first)) = (&result, append.records.first()) {
            tracing::error!(room = %first.room, %error, "events not stored; the command is refused");
        }
        let _ = append.done.send(result);
    }
}

fn guarded(backend: &mut impl Backend, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| backend.append(records))) {
        Ok(result) => result,
        Err(panic) => {
            backend.recover();
            Err(StoreError::Panicked(panic_message(panic.as_ref())))
        }
    }
}

/// What a panic said, as far as it can be read.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
