//! The embedded default store: one SQLite file in the data folder (WAL, `synchronous=FULL`,
//! `secure_delete`), plus the queries the command line and the restart need.

use std::path::Path;
use std::time::Duration;

use cards::{Event, RoomCode};
use rusqlite::{Connection, OpenFlags, params};

use super::{Backend, Record, StoreError};

pub struct Sqlite {
    db: Connection,
}

/// One line of `standpunt rooms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomSummary {
    pub code: String,
    pub created: u64,
    pub last_activity: u64,
    pub players: u64,
    pub rounds: u64,
    pub ended: bool,
}

impl Sqlite {
    pub const FILE: &'static str = "standpunt.sqlite3";

    /// Opens (or creates) the store in `data_dir`, for the server.
    pub fn open(data_dir: &Path) -> Result<Sqlite, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|error| StoreError::Backend(error.to_string()))?;
        let db = Connection::open(data_dir.join(Self::FILE))?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.pragma_update(None, "secure_delete", "ON")?;
        // Only the command line ever shares the file; never wait long for it.
        db.busy_timeout(Duration::from_millis(250))?;
        // Rows go to the end of the table in the order they are written, so a commit touches a
        // page or two however many rooms it serves; the small index keeps a room's log in order
        // and each sequence number used once. A store made before this keeps its `WITHOUT
        // ROWID` table, whose key already does both (the queries work on either).
        let keyed: bool = db.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'events' AND sql LIKE '%WITHOUT ROWID%'",
            [],
            |row| row.get(0),
        )?;
        if !keyed {
            db.execute_batch(
                "CREATE TABLE IF NOT EXISTS events (
                    room TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE UNIQUE INDEX IF NOT EXISTS events_by_room ON events (room, seq);",
            )?;
        }
        Ok(Sqlite { db })
    }

    /// Opens an existing store, for the command line; fails if there is none.
    pub fn open_existing(data_dir: &Path) -> Result<Sqlite, StoreError> {
        let file = data_dir.join(Self::FILE);
        let db = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|error| StoreError::Backend(format!("no event store at {}: {error}", file.display())))?;
        db.pragma_update(None, "secure_delete", "ON")?;
        db.busy_timeout(Duration::from_secs(5))?;
        Ok(Sqlite { db })
    }

    /// A room's events in order, with their sequence numbers and times.
    pub fn records(&self, room: &RoomCode) -> Result<Vec<Record>, StoreError> {
        let mut select = self.db.prepare_cached("SELECT seq, at, body FROM events WHERE room = ?1 ORDER BY seq")?;
        let rows = select.query_map([room.as_str()], |row| {
            Ok((row.get::<_, u64>(0)?, row.get::<_, u64>(1)?, row.get::<_, String>(2)?))
        })?;
        rows.map(|row| {
            let (seq, at, body) = row?;
            let event = serde_json::from_str(&body)
                .map_err(|error| StoreError::Backend(format!("room {room}, event {seq} is unreadable: {error}")))?;
            Ok(Record { room: room.clone(), seq, at, event })
        })
        .collect()
    }

    /// A room's events in order.
    pub fn events(&self, room: &RoomCode) -> Result<Vec<Event>, StoreError> {
        Ok(self.records(room)?.into_iter().map(|record| record.event).collect())
    }

    /// One summary per room, newest first.
    pub fn summaries(&self) -> Result<Vec<RoomSummary>, StoreError> {
        let mut select = self.db.prepare(
            "SELECT room, MIN(at), MAX(at), SUM(kind = 'joined'), SUM(kind = 'turn_started'), SUM(kind = 'ended') > 0
             FROM events GROUP BY room ORDER BY MIN(at) DESC",
        )?;
        let rows = select.query_map([], |row| {
            Ok(RoomSummary {
                code: row.get(0)?,
                created: row.get(1)?,
                last_activity: row.get(2)?,
                players: row.get(3)?,
                rounds: row.get(4)?,
                ended: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Deletes a room's whole log; `false` if there was none.
    pub fn delete(&self, room: &RoomCode) -> Result<bool, StoreError> {
        Ok(self.db.execute("DELETE FROM events WHERE room = ?1", [room.as_str()])? > 0)
    }

    /// `PRAGMA integrity_check`: "ok", or what is wrong.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self.db.query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }
}

impl Sqlite {
    fn insert(&self, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError> {
        let mut insert =
            self.db.prepare_cached("INSERT INTO events (room, seq, at, kind, body) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for record in records {
            let body = serde_json::to_string(&record.event).map_err(|error| StoreError::Backend(error.to_string()))?;
            insert.execute(params![record.room.as_str(), record.seq, record.at, record.event.kind(), body])?;
        }
        Ok(())
    }
}

impl Backend for Sqlite {
    /// One transaction. Its `BEGIN` and `COMMIT` are prepared once, like the insert: the writer
    /// runs thousands of them a second.
    fn append(&mut self, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError> {
        self.db.prepare_cached("BEGIN")?.execute([])?;
        let written = self.insert(records).and_then(|()| Ok(self.db.prepare_cached("COMMIT")?.execute([])?));
        if written.is_err() && !self.db.is_autocommit() {
            self.db.execute_batch("ROLLBACK")?;
        }
        written.map(|_| ())
    }

    fn records(&mut self, room: &RoomCode) -> Result<Vec<Record>, StoreError> {
        Sqlite::records(self, room)
    }

    fn delete_room(&mut self, room: &RoomCode) -> Result<(), StoreError> {
        self.delete(room).map(|_| ())
    }

    /// Ended rooms, and rooms nobody has touched since, are both as old as their last event.
    fn rooms_older_than(&mut self, before: u64) -> Result<Vec<RoomCode>, StoreError> {
        let mut select = self.db.prepare_cached("SELECT room FROM events GROUP BY room HAVING MAX(at) < ?1")?;
        let codes: Vec<String> = select.query_map([before], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(codes.iter().filter_map(|code| RoomCode::parse(code)).collect())
    }

    /// The pages in use, free pages left by deletions not counted: they are used again.
    fn size_bytes(&mut self) -> Result<u64, StoreError> {
        let used: u64 = self.db.query_row(
            "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
            [],
            |row| row.get(0),
        )?;
        Ok(used)
    }

    fn recover(&mut self) {
        if !self.db.is_autocommit() {
            let _ = self.db.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("standpunt-store-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn record(room: &RoomCode, seq: u64, at: u64, event: Event) -> Record {
        Record { room: room.clone(), seq, at, event }
    }

    #[test]
    fn appended_events_are_read_back_in_order_after_reopening() {
        let dir = scratch("reopen");
        let room = RoomCode::parse("ABCDEF").expect("valid");
        let lock = |seq, locked| record(&room, seq, 1_000 + seq, Event::Locked { locked });
        let mut sqlite = Sqlite::open(&dir).expect("open");
        sqlite.append(&mut [lock(1, true), lock(2, false)].iter()).expect("append");
        sqlite.append(&mut [lock(3, true)].iter()).expect("append");
        drop(sqlite);
        let mut sqlite = Sqlite::open(&dir).expect("reopen");
        assert_eq!(sqlite.records(&room).expect("read"), [lock(1, true), lock(2, false), lock(3, true)]);
        assert!(sqlite.append(&mut [lock(4, false), lock(3, false)].iter()).is_err(), "a sequence number is used once");
        sqlite.append(&mut [lock(4, false)].iter()).expect("a refused append leaves no transaction open");
        assert_eq!(sqlite.records(&room).expect("read").len(), 4, "the refused append wrote nothing");
        assert_eq!(sqlite.integrity_check().expect("check"), "ok");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_store_with_the_earlier_keyed_table_keeps_working_without_a_second_index() {
        let dir = scratch("keyed");
        std::fs::create_dir_all(&dir).expect("create");
        let old = Connection::open(dir.join(Sqlite::FILE)).expect("create the earlier store");
        old.execute_batch(
            "CREATE TABLE events (room TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
             kind TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (room, seq)) WITHOUT ROWID;",
        )
        .expect("the earlier layout");
        drop(old);
        let room = RoomCode::parse("ABCDEF").expect("valid");
        let lock = |seq| record(&room, seq, 1_000, Event::Locked { locked: true });
        let mut sqlite = Sqlite::open(&dir).expect("open");
        sqlite.append(&mut [lock(1), lock(2)].iter()).expect("append");
        assert!(sqlite.append(&mut [lock(2)].iter()).is_err(), "its key still keeps sequence numbers unique");
        assert_eq!(sqlite.records(&room).expect("read"), [lock(1), lock(2)]);
        let indexes: i64 = sqlite
            .db
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'events_by_room'",
                [],
                |row| row.get(0),
            )
            .expect("ask for the index");
        assert_eq!(indexes, 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn rooms_are_summarised_and_old_ones_found_for_retention() {
        let dir = scratch("retention");
        let (open, ended) = (RoomCode::parse("AAAAAA").expect("valid"), RoomCode::parse("BBBBBB").expect("valid"));
        let mut sqlite = Sqlite::open(&dir).expect("open");
        let end = Event::Ended { reason: cards::event::EndReason::Trainer };
        let records = [
            record(&open, 1, 5_000, Event::Locked { locked: true }),
            record(&ended, 1, 1_000, Event::Locked { locked: true }),
            record(&ended, 2, 2_000, end),
        ];
        sqlite.append(&mut records.iter()).expect("append");
        let summaries = sqlite.summaries().expect("summaries");
        assert_eq!(
            summaries.iter().map(|room| (room.code.as_str(), room.ended)).collect::<Vec<_>>(),
            [("AAAAAA", false), ("BBBBBB", true)]
        );
        assert_eq!(sqlite.rooms_older_than(3_000).expect("retention"), std::slice::from_ref(&ended));
        assert!(sqlite.size_bytes().expect("size") > 0);
        assert!(sqlite.delete(&ended).expect("delete"));
        assert!(sqlite.delete(&open).expect("delete"));
        assert!(sqlite.summaries().expect("summaries").is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
