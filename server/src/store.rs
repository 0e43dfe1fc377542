//! The event store: every event of every room, appended before anyone is told about it.
//!
//! One writer thread owns the backend. Appends from all rooms queue up for it, and it commits
//! whatever has queued in one transaction (group commit), then answers each waiting room.

use std::path::Path;

use cards::{Event, RoomCode};
use rusqlite::{Connection, params};
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

/// Where events are kept. Synchronous: it runs on the writer thread only.
pub trait Backend: Send + 'static {
    /// Appends all records atomically: all are durable when this returns `Ok`, none otherwise.
    fn append(&mut self, records: &[Record]) -> Result<(), StoreError>;
}

/// The embedded default: one SQLite file in the data folder, WAL, `synchronous=FULL`.
pub struct Sqlite {
    db: Connection,
}

impl Sqlite {
    pub const FILE: &'static str = "standpunt.sqlite3";

    pub fn open(data_dir: &Path) -> Result<Sqlite, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|error| StoreError::Backend(error.to_string()))?;
        let db = Connection::open(data_dir.join(Self::FILE))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.pragma_update(None, "secure_delete", "ON")?;
        db.execute_batch(
            "CREATE TABLE IF NOT EXISTS events (
                room TEXT NOT NULL,
                seq INTEGER NOT NULL,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (room, seq)
            ) WITHOUT ROWID;",
        )?;
        Ok(Sqlite { db })
    }

    /// A room's events in order.
    pub fn events(&mut self, room: &RoomCode) -> Result<Vec<Event>, StoreError> {
        let mut select = self.db.prepare_cached("SELECT body FROM events WHERE room = ?1 ORDER BY seq")?;
        let bodies = select.query_map([room.as_str()], |row| row.get::<_, String>(0))?;
        bodies
            .map(|body| {
                let body = body?;
                serde_json::from_str(&body).map_err(|error| StoreError::Backend(format!("unreadable event: {error}")))
            })
            .collect()
    }
}

impl Backend for Sqlite {
    fn append(&mut self, records: &[Record]) -> Result<(), StoreError> {
        let tx = self.db.transaction()?;
        {
            let mut insert =
                tx.prepare_cached("INSERT INTO events (room, seq, at, kind, body) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for record in records {
                let body =
                    serde_json::to_value(&record.event).map_err(|error| StoreError::Backend(error.to_string()))?;
                let kind = body["event"].as_str().unwrap_or_default().to_owned();
                insert.execute(params![record.room.as_str(), record.seq, record.at, kind, body.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// One room's events, waiting to be made durable.
struct Append {
    records: Vec<Record>,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// The async face of the writer thread. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    appends: mpsc::Sender<Append>,
}

impl Store {
    /// Starts the writer thread; it ends when the last `Store` clone is dropped.
    pub fn start(backend: impl Backend, queue: usize) -> Store {
        let (appends, queued) = mpsc::channel(queue);
        std::thread::Builder::new()
            .name("event-store".to_owned())
            .spawn(move || write_loop(backend, queued))
            .expect("spawn the event store thread");
        Store { appends }
    }

    /// Returns once the records are durable.
    pub async fn append(&self, records: Vec<Record>) -> Result<(), StoreError> {
        let (done, result) = oneshot::channel();
        self.appends.send(Append { records, done }).await.map_err(|_| StoreError::Stopped)?;
        result.await.map_err(|_| StoreError::Stopped)?
    }
}

/// Group commit: whatever queued while the last transaction ran goes into the next one.
fn write_loop(mut backend: impl Backend, mut queued: mpsc::Receiver<Append>) {
    while let Some(first) = queued.blocking_recv() {
        let mut batch = vec![first];
        while let Ok(more) = queued.try_recv() {
            batch.push(more);
        }
        let (records, waiting): (Vec<Vec<Record>>, Vec<_>) =
            batch.into_iter().map(|append| (append.records, append.done)).unzip();
        let records: Vec<Record> = records.into_iter().flatten().collect();
        let result = backend.append(&records);
        if let Err(error) = &result {
            tracing::error!(%error, "the event store could not append; the commands were refused");
        }
        for done in waiting {
            let _ = done.send(result.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("standpunt-store-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn appended_events_are_read_back_in_order_after_reopening() {
        let dir = scratch();
        let room = RoomCode::parse("ABCDEF").expect("valid");
        let record = |seq, n: u16| Record {
            room: room.clone(),
            seq,
            at: 1_700_000_000_000 + seq,
            event: Event::Locked { locked: n.is_multiple_of(2) },
        };
        let mut sqlite = Sqlite::open(&dir).expect("open");
        sqlite.append(&[record(1, 0), record(2, 1)]).expect("append");
        sqlite.append(&[record(3, 2)]).expect("append");
        drop(sqlite);
        let events = Sqlite::open(&dir).expect("reopen").events(&room).expect("read");
        assert_eq!(events, [record(1, 0).event, record(2, 1).event, record(3, 2).event]);
        assert!(Sqlite::open(&dir).expect("reopen").append(&[record(3, 9)]).is_err(), "a sequence number is used once");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
