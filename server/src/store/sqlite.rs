//! The embedded default store: one SQLite file in the data folder (WAL, `synchronous=FULL`,
//! `secure_delete`), plus the queries the command line and the restart need.
//!
//! A room refers to its decks; it does not copy them. A `created` or `configured` event is
//! stored with each deck it carries replaced by `{"stored_deck": DIGEST}` (the SHA-256 of the
//! deck's JSON), and the deck is stored once in `decks`, however many rooms play it;
//! `room_decks` says which rooms refer to which, so a deck goes with the last room that used
//! it. Logs written before this keep their decks inline and read the same.

use std::path::Path;
use std::time::Duration;

use cards::{Event, RoomCode};
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, params};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

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
        // A page cache of 256 KiB instead of SQLite's 2 MiB: the server appends and seldom reads
        // back, and a cache that fills as the file grows kept an idle server of some months 2 MiB
        // above the one that started (BENCHMARKS.md, "Soak: 20,000 sessions").
        db.pragma_update(None, "cache_size", -256)?;
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
        create_deck_tables(&db)?;
        Ok(Sqlite { db })
    }

    /// Opens an existing store, for the command line; fails if there is none.
    pub fn open_existing(data_dir: &Path) -> Result<Sqlite, StoreError> {
        let file = data_dir.join(Self::FILE);
        let db = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .map_err(|error| StoreError::Backend(format!("no event store at {}: {error}", file.display())))?;
        db.pragma_update(None, "secure_delete", "ON")?;
        db.busy_timeout(Duration::from_secs(5))?;
        create_deck_tables(&db)?;
        Ok(Sqlite { db })
    }

    /// A room's events in order, with their sequence numbers and times.
    pub fn records(&self, room: &RoomCode) -> Result<Vec<Record>, StoreError> {
        let mut select = self.db.prepare_cached("SELECT seq, at, body FROM events WHERE room = ?1 ORDER BY seq")?;
        let rows = select.query_map([room.as_str()], |row| {
            Ok((row.get::<_, u64>(0)?, row.get::<_, u64>(1)?, row.get::<_, String>(2)?))
        })?;
        let rows: Vec<(u64, u64, String)> = rows.collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(seq, at, body)| {
                let unreadable =
                    |error: String| StoreError::Backend(format!("room {room}, event {seq} is unreadable: {error}"));
                let event = if body.contains(STORED_DECK) {
                    let mut value: Value =
                        serde_json::from_str(&body).map_err(|error| unreadable(error.to_string()))?;
                    self.fetch_decks(&mut value).map_err(|error| unreadable(error.to_string()))?;
                    serde_json::from_value(value)
                } else {
                    serde_json::from_str(&body)
                };
                let event = event.map_err(|error| unreadable(error.to_string()))?;
                Ok(Record { room: room.clone(), seq, at, event })
            })
            .collect()
    }

    /// Puts the decks an event refers to back in it.
    fn fetch_decks(&self, event: &mut Value) -> Result<(), StoreError> {
        let mut select = self.db.prepare_cached("SELECT body FROM decks WHERE digest = ?1")?;
        for place in DECK_PLACES {
            let Some(slot) = event.pointer_mut(place) else { continue };
            let Some(digest) = slot.get(STORED_DECK).and_then(Value::as_str) else { continue };
            let body: Option<String> = select.query_row([digest], |row| row.get(0)).optional()?;
            let body = body.ok_or_else(|| StoreError::Backend(format!("deck {digest} is missing from the store")))?;
            *slot = serde_json::from_str(&body).map_err(|error| StoreError::Backend(error.to_string()))?;
        }
        Ok(())
    }

    /// An event's JSON with each deck it carries stored in `decks` and referred to by digest.
    fn store_decks(&self, room: &RoomCode, event: &Event) -> Result<String, StoreError> {
        let backend = |error: serde_json::Error| StoreError::Backend(error.to_string());
        if !matches!(event, Event::Created { .. } | Event::Configured { .. }) {
            return serde_json::to_string(event).map_err(backend);
        }
        let mut value = serde_json::to_value(event).map_err(backend)?;
        let mut deck = self.db.prepare_cached("INSERT OR IGNORE INTO decks (digest, body) VALUES (?1, ?2)")?;
        let mut refers = self.db.prepare_cached("INSERT OR IGNORE INTO room_decks (room, digest) VALUES (?1, ?2)")?;
        for place in DECK_PLACES {
            let Some(slot) = value.pointer_mut(place).filter(|slot| slot.is_object()) else { continue };
            let body = serde_json::to_string(slot).map_err(backend)?;
            let digest: String = Sha256::digest(body.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
            deck.execute(params![digest, body])?;
            refers.execute(params![room.as_str(), digest])?;
            *slot = serde_json::json!({ STORED_DECK: digest });
        }
        serde_json::to_string(&value).map_err(backend)
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
    /// Its decks go too, unless another room still refers to them; all of it or nothing, so
    /// an erased room's uploaded deck never outlives it.
    pub fn delete(&self, room: &RoomCode) -> Result<bool, StoreError> {
        self.db.execute_batch("BEGIN IMMEDIATE")?;
        let deleted = self.delete_in_transaction(room);
        let ended = if deleted.is_ok() { self.db.execute_batch("COMMIT") } else { self.db.execute_batch("ROLLBACK") };
        let deleted = deleted?;
        ended?;
        Ok(deleted)
    }

    fn delete_in_transaction(&self, room: &RoomCode) -> Result<bool, StoreError> {
        let deleted = self.db.execute("DELETE FROM events WHERE room = ?1", [room.as_str()])? > 0;
        let mut digests = self.db.prepare_cached("SELECT digest FROM room_decks WHERE room = ?1")?;
        let digests: Vec<String> = digests.query_map([room.as_str()], |row| row.get(0))?.collect::<Result<_, _>>()?;
        self.db.execute("DELETE FROM room_decks WHERE room = ?1", [room.as_str()])?;
        let mut unused = self.db.prepare_cached(
            "DELETE FROM decks WHERE digest = ?1 AND NOT EXISTS (SELECT 1 FROM room_decks WHERE digest = ?1)",
        )?;
        for digest in digests {
            unused.execute([digest])?;
        }
        Ok(deleted)
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
            let body = self.store_decks(&record.room, &record.event)?;
            insert.execute(params![record.room.as_str(), record.seq, record.at, record.event.kind(), body])?;
        }
        Ok(())
    }
}

/// The key that stands for a deck stored once in `decks`.
const STORED_DECK: &str = "stored_deck";

/// Where the decks are in a `created` and a `configured` event's JSON.
const DECK_PLACES: [&str; 4] = ["/setup/statements", "/setup/roles", "/statements", "/roles"];

fn create_deck_tables(db: &Connection) -> Result<(), StoreError> {
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS decks (digest TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
         CREATE TABLE IF NOT EXISTS room_decks (
             room TEXT NOT NULL,
             digest TEXT NOT NULL,
             PRIMARY KEY (room, digest)
         ) WITHOUT ROWID;
         CREATE INDEX IF NOT EXISTS room_decks_by_digest ON room_decks (digest);",
    )?;
    Ok(())
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

    fn rooms(&mut self) -> Result<Vec<RoomCode>, StoreError> {
        let mut select = self.db.prepare_cached("SELECT DISTINCT room FROM events ORDER BY room")?;
        let codes: Vec<String> = select.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
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

    fn count(sqlite: &Sqlite, table: &str) -> i64 {
        sqlite.db.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| row.get(0)).expect("count")
    }

    #[test]
    fn a_deck_is_stored_once_however_many_rooms_play_it_and_goes_with_the_last() {
        let dir = scratch("decks");
        let library = cards::Library::built_in();
        let statements = library.statement_deck("wijkteam").expect("built in").clone();
        let roles = library.role_deck("keukentafel").expect("built in").clone();
        let setup = cards::event::Setup::new(cards::Settings::default(), statements.clone(), roles);
        let trainer = cards::TokenDigest::of("trainer");
        let rooms: Vec<RoomCode> =
            ["AAAAAA", "BBBBBB", "CCCCCC"].iter().filter_map(|code| RoomCode::parse(code)).collect();
        let created = |room: &RoomCode| Event::Created { code: room.clone(), setup: Box::new(setup.clone()), trainer };
        let mut sqlite = Sqlite::open(&dir).expect("open");
        for room in &rooms {
            let configured = Event::Configured {
                settings: cards::Settings::default(),
                statements: Some(statements.clone()),
                roles: None,
            };
            sqlite
                .append(&mut [record(room, 1, 1_000, created(room)), record(room, 2, 1_000, configured)].iter())
                .expect("append");
        }
        assert_eq!(count(&sqlite, "decks"), 2, "one statement deck and one role deck, for three rooms");
        let stored: String = sqlite
            .db
            .query_row("SELECT body FROM events WHERE kind = 'created' LIMIT 1", [], |row| row.get(0))
            .expect("a created event");
        assert!(stored.len() < 2_000, "the event refers to its decks: {} bytes", stored.len());
        let read = sqlite.records(&rooms[0]).expect("read");
        assert_eq!(read[0].event, created(&rooms[0]), "the decks come back in the event");

        // A log written before decks were stored apart still reads.
        let inline = serde_json::to_string(&created(&rooms[0])).expect("json");
        sqlite
            .db
            .execute(
                "INSERT INTO events (room, seq, at, kind, body) VALUES ('DDDDDD', 1, 1000, 'created', ?1)",
                [&inline],
            )
            .expect("an old row");
        let old = RoomCode::parse("DDDDDD").expect("valid");
        assert_eq!(sqlite.records(&old).expect("read")[0].event, created(&rooms[0]));

        sqlite.delete(&rooms[0]).expect("delete");
        sqlite.delete(&rooms[1]).expect("delete");
        assert_eq!(count(&sqlite, "decks"), 2, "the third room still plays them");
        sqlite.delete(&rooms[2]).expect("delete");
        assert_eq!(count(&sqlite, "decks"), 0, "no room refers to them any more");
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
