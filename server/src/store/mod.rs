//! The event store: every event of every room, appended before anyone is told about it.
//!
//! One writer thread owns the backend. Appends from all rooms queue up for it, and it commits
//! whatever has queued in one transaction (group commit), then answers each waiting room.

mod sqlite;

use cards::{Event, RoomCode};
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
    #[error("the event store has stopped")]
    Stopped,
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        StoreError::Backend(error.to_string())
    }
}

/// Where events are kept. Synchronous: it runs on the writer thread only. SQLite is the
/// embedded default; a PostgreSQL backend for a multi-node deployment implements the same.
pub trait Backend: Send + 'static {
    /// Appends all records atomically: all are durable when this returns `Ok`, none otherwise.
    fn append(&mut self, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError>;

    /// Deletes every room whose last event is older than `before` (milliseconds since the
    /// epoch); returns their codes.
    fn delete_older_than(&mut self, before: u64) -> Result<Vec<String>, StoreError>;

    /// Deletes one room's whole log.
    fn delete_room(&mut self, room: &RoomCode) -> Result<(), StoreError>;
}

/// One room's events, waiting to be made durable.
struct Append {
    records: Vec<Record>,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// What the writer thread is asked to do.
enum Job {
    Append(Append),
    Retain { before: u64, done: oneshot::Sender<Result<Vec<String>, StoreError>> },
    Erase { room: RoomCode, done: oneshot::Sender<Result<(), StoreError>> },
}

/// The async face of the writer thread. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
}

impl Store {
    /// Starts the writer thread; it ends when the last `Store` clone is dropped.
    pub fn start(backend: impl Backend, queue: usize) -> Store {
        let (jobs, queued) = mpsc::channel(queue);
        std::thread::Builder::new()
            .name("event-store".to_owned())
            .spawn(move || write_loop(backend, queued))
            .expect("spawn the event store thread");
        Store { jobs }
    }

    /// Returns once the records are durable.
    pub async fn append(&self, records: Vec<Record>) -> Result<(), StoreError> {
        let (done, result) = oneshot::channel();
        self.jobs.send(Job::Append(Append { records, done })).await.map_err(|_| StoreError::Stopped)?;
        result.await.map_err(|_| StoreError::Stopped)?
    }

    /// Erases one room's log at once (after its task has stopped writing).
    pub async fn erase(&self, room: RoomCode) -> Result<(), StoreError> {
        let (done, result) = oneshot::channel();
        self.jobs.send(Job::Erase { room, done }).await.map_err(|_| StoreError::Stopped)?;
        result.await.map_err(|_| StoreError::Stopped)?
    }

    /// Retention: deletes rooms with no activity since `before`; returns their codes.
    pub async fn delete_older_than(&self, before: u64) -> Result<Vec<String>, StoreError> {
        let (done, result) = oneshot::channel();
        self.jobs.send(Job::Retain { before, done }).await.map_err(|_| StoreError::Stopped)?;
        result.await.map_err(|_| StoreError::Stopped)?
    }
}

/// Group commit: whatever queued while the last transaction ran goes into the next one.
fn write_loop(mut backend: impl Backend, mut queued: mpsc::Receiver<Job>) {
    while let Some(first) = queued.blocking_recv() {
        let mut batch = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next {
            match job {
                Job::Append(append) => batch.push(append),
                Job::Retain { before, done } => {
                    let _ = done.send(backend.delete_older_than(before));
                }
                Job::Erase { room, done } => {
                    let _ = done.send(backend.delete_room(&room));
                }
            }
            next = queued.try_recv().ok();
        }
        if batch.is_empty() {
            continue;
        }
        if backend.append(&mut batch.iter().flat_map(|append| append.records.iter())).is_ok() {
            batch.into_iter().for_each(|append| {
                let _ = append.done.send(Ok(()));
            });
            continue;
        }
        // One room's bad append must not fail the others: try each on its own.
        for append in batch {
            let result = backend.append(&mut append.records.iter());
            if let (Err(error), Some(first)) = (&result, append.records.first()) {
                tracing::error!(room = %first.room, %error, "events not stored; the command is refused");
            }
            let _ = append.done.send(result);
        }
    }
}
