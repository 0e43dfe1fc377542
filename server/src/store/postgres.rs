//! The PostgreSQL store, for a deployment of more than one node (`--store postgres://…`). The
//! same promise as SQLite's: an append is committed before it is acknowledged, and the writer
//! commits whatever queued in one transaction. The unique (room, seq) key refuses a second
//! event at a place in a room's log, so two writers can never fork one history.
//!
//! The `Backend` trait is synchronous and runs on the writer's blocking thread; this backend
//! drives `tokio-postgres` from there with the runtime's handle (`Handle::block_on` is allowed
//! on a blocking thread), and its connection runs as a task of the same runtime. A new
//! database gets its tables on first start (`migrate`); a database newer than this server is
//! refused rather than misread.

use cards::{Event, RoomCode};
use tokio::runtime::Handle;
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{Client, NoTls, Socket};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::{Backend, Record, RoomSummary, StoreError};

/// The schema this server writes; each step up is a migration in `MIGRATIONS`.
const SCHEMA_VERSION: i32 = 2;

/// The migrations, in order: `MIGRATIONS[n]` brings a database from version `n` to `n + 1`.
const MIGRATIONS: [&str; 2] = [
    "CREATE TABLE events (
        room TEXT NOT NULL,
        seq BIGINT NOT NULL,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (room, seq)
    );
    CREATE INDEX events_by_time ON events (room, at);",
    // Which node runs which room, until when (milliseconds, the database's clock).
    // `wanted`: a node the balancer now sends the room's connections to asked for it.
    "CREATE TABLE room_owners (
        room TEXT PRIMARY KEY,
        node TEXT NOT NULL,
        expires BIGINT NOT NULL,
        wanted BOOLEAN NOT NULL DEFAULT false
    );
    CREATE INDEX room_owners_by_node ON room_owners (node);",
];

/// The database's clock in milliseconds: every node's lease is measured by one clock.
const NOW_MS: &str = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

/// Who this store writes for: a node runs a room while its lease on it holds. A room is taken
/// by another node only once the lease ran out (a node that died, or hangs); the lease is
/// renewed well before, and given up when the room leaves memory.
#[derive(Debug, Clone)]
pub struct Owner {
    pub node: String,
    pub lease: std::time::Duration,
}

pub struct Postgres {
    client: Client,
    runtime: Handle,
    owner: Owner,
}

/// Connects, and runs the connection as a task of `runtime`.
fn spawn_connection<T>(runtime: &Handle, config: &tokio_postgres::Config, tls: T) -> Result<Client, StoreError>
where
    T: MakeTlsConnect<Socket> + Send + 'static,
    T::Stream: Send + 'static,
{
    let (client, connection) = runtime
        .block_on(config.connect(tls))
        .map_err(|error| StoreError::Backend(format!("cannot connect to PostgreSQL: {}", described(&error))))?;
    runtime.spawn(async move {
        if let Err(error) = connection.await {
            tracing::error!(%error, "the connection to PostgreSQL ended");
        }
    });
    Ok(client)
}

fn failed(error: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(described(&error))
}

/// The error with what caused it: `tokio-postgres` says only "db error" for what the database
/// said, and keeps a TLS refusal's reason in its source.
fn described(error: &tokio_postgres::Error) -> String {
    if let Some(database) = error.as_db_error() {
        return format!("PostgreSQL says: {}", database.message());
    }
    let mut described = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(reason) = cause {
        described.push_str(": ");
        described.push_str(&reason.to_string());
        cause = reason.source();
    }
    described
}

impl Postgres {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and brings the
    /// database's schema up to date. Call from a blocking thread (`spawn_blocking`) or outside
    /// the runtime: it waits for the database on `runtime`.
    pub fn connect(url: &str, runtime: Handle, owner: Owner) -> Result<Postgres, StoreError> {
        let connection = super::postgres_tls::connection(url).map_err(StoreError::Backend)?;
        let client = match connection.tls {
            None => spawn_connection(&runtime, &connection.config, NoTls)?,
            Some(tls) => spawn_connection(&runtime, &connection.config, MakeRustlsConnect::new(tls))?,
        };
        let mut store = Postgres { client, runtime, owner };
        store.migrate()?;
        Ok(store)
    }

    /// Creates the tables on a new database, runs the migrations an older one lacks, and
    /// refuses a database written by a newer server. Two nodes starting at once take turns (an
    /// advisory lock held for the transaction).
    fn migrate(&mut self) -> Result<(), StoreError> {
        let (client, runtime) = (&mut self.client, &self.runtime);
        runtime.block_on(async {
            let transaction = client.transaction().await.map_err(failed)?;
            transaction.execute("SELECT pg_advisory_xact_lock(7365637)", &[]).await.map_err(failed)?;
            transaction
                .batch_execute("CREATE TABLE IF NOT EXISTS standpunt_schema (version INTEGER NOT NULL)")
                .await
                .map_err(failed)?;
            let row = transaction.query_opt("SELECT version FROM standpunt_schema", &[]).await.map_err(failed)?;
            let version: i32 = row.map_or(0, |row| row.get(0));
            if version > SCHEMA_VERSION {
                return Err(StoreError::Backend(format!(
                    "the database has schema version {version}; this server knows up to {SCHEMA_VERSION}: update the server"
                )));
            }
            for migration in &MIGRATIONS[usize::try_from(version).unwrap_or(0)..] {
                transaction.batch_execute(migration).await.map_err(failed)?;
            }
            if version == 0 {
                transaction.execute("INSERT INTO standpunt_schema (version) VALUES ($1)", &[&SCHEMA_VERSION]).await
            } else {
                transaction.execute("UPDATE standpunt_schema SET version = $1", &[&SCHEMA_VERSION]).await
            }
            .map_err(failed)?;
            transaction.commit().await.map_err(failed)
        })
    }

    /// One summary per room, newest first (`standpunt rooms`).
    pub fn summaries(&mut self) -> Result<Vec<RoomSummary>, StoreError> {
        let rows = self
            .runtime
            .block_on(self.client.query(
                "SELECT room, MIN(at), MAX(at), COUNT(*) FILTER (WHERE kind = 'joined'),
                        COUNT(*) FILTER (WHERE kind = 'turn_started'), BOOL_OR(kind = 'ended')
                 FROM events GROUP BY room ORDER BY MIN(at) DESC",
                &[],
            ))
            .map_err(failed)?;
        Ok(rows
            .iter()
            .map(|row| RoomSummary {
                code: row.get(0),
                created: unsigned(row.get(1)),
                last_activity: unsigned(row.get(2)),
                players: unsigned(row.get(3)),
                rounds: unsigned(row.get(4)),
                ended: row.get(5),
            })
            .collect())
    }

    /// Deletes a room's whole log; `false` if there was none.
    pub fn delete(&mut self, room: &RoomCode) -> Result<bool, StoreError> {
        let deleted = self
            .runtime
            .block_on(self.client.execute("DELETE FROM events WHERE room = $1", &[&room.as_str()]))
            .map_err(failed)?;
        self.runtime
            .block_on(self.client.execute("DELETE FROM room_owners WHERE room = $1", &[&room.as_str()]))
            .map_err(failed)?;
        Ok(deleted > 0)
    }
}

fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

fn signed(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Backend(format!("{value} does not fit the store")))
}

impl Backend for Postgres {
    /// One transaction with one multi-row insert per hundred events: a group commit of many
    /// rooms costs a few round trips, not one per event. It first checks, holding the rows,
    /// that this node still owns every room it writes for: a node whose lease ran out and whose
    /// room another node took fails here (`NotOwner`), before it can write a stale event, and
    /// a node taking a room waits for an append in flight to end before it reads the log.
    fn append(&mut self, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError> {
        let mut rows = Vec::new();
        let mut rooms: Vec<String> = Vec::new();
        for record in records {
            if !rooms.iter().any(|room| room == record.room.as_str()) {
                rooms.push(record.room.as_str().to_owned());
            }
            let body = serde_json::to_string(&record.event).map_err(|error| StoreError::Backend(error.to_string()))?;
            rows.push((
                record.room.as_str().to_owned(),
                signed(record.seq)?,
                signed(record.at)?,
                record.event.kind(),
                body,
            ));
        }
        let (client, runtime, node) = (&mut self.client, &self.runtime, &self.owner.node);
        runtime.block_on(async {
            let transaction = client.transaction().await.map_err(failed)?;
            let owned = transaction
                .query("SELECT room FROM room_owners WHERE node = $1 AND room = ANY($2) FOR SHARE", &[node, &rooms])
                .await
                .map_err(failed)?;
            let owned: Vec<String> = owned.iter().map(|row| row.get(0)).collect();
            if let Some(lost) = rooms.iter().find(|room| !owned.contains(room)) {
                return Err(RoomCode::parse(lost)
                    .map_or_else(|| StoreError::Backend(format!("room {lost} has no owner")), StoreError::NotOwner));
            }
            for chunk in rows.chunks(100) {
                let mut sql = String::from("INSERT INTO events (room, seq, at, kind, body) VALUES ");
                let mut values: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = Vec::new();
                for (index, (room, seq, at, kind, body)) in chunk.iter().enumerate() {
                    let at_param = index * 5;
                    if index > 0 {
                        sql.push(',');
                    }
                    sql.push_str(&format!(
                        "(${}, ${}, ${}, ${}, ${})",
                        at_param + 1,
                        at_param + 2,
                        at_param + 3,
                        at_param + 4,
                        at_param + 5
                    ));
                    let row: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [room, seq, at, kind, body];
                    values.extend(row);
                }
                transaction.execute(&sql, &values).await.map_err(failed)?;
            }
            transaction.commit().await.map_err(failed)
        })
    }

    fn records(&mut self, room: &RoomCode) -> Result<Vec<Record>, StoreError> {
        let rows = self
            .runtime
            .block_on(
                self.client.query("SELECT seq, at, body FROM events WHERE room = $1 ORDER BY seq", &[&room.as_str()]),
            )
            .map_err(failed)?;
        rows.iter()
            .map(|row| {
                let (seq, at, body): (i64, i64, &str) = (row.get(0), row.get(1), row.get(2));
                let event: Event = serde_json::from_str(body)
                    .map_err(|error| StoreError::Backend(format!("room {room}, event {seq} is unreadable: {error}")))?;
                Ok(Record { room: room.clone(), seq: unsigned(seq), at: unsigned(at), event })
            })
            .collect()
    }

    fn rooms_older_than(&mut self, before: u64) -> Result<Vec<RoomCode>, StoreError> {
        let before = signed(before)?;
        let rows = self
            .runtime
            .block_on(self.client.query("SELECT room FROM events GROUP BY room HAVING MAX(at) < $1", &[&before]))
            .map_err(failed)?;
        Ok(rows.iter().filter_map(|row| RoomCode::parse(row.get(0))).collect())
    }

    fn delete_room(&mut self, room: &RoomCode) -> Result<(), StoreError> {
        self.delete(room).map(|_| ())
    }

    fn size_bytes(&mut self) -> Result<u64, StoreError> {
        let row = self
            .runtime
            .block_on(self.client.query_one("SELECT pg_total_relation_size('events')", &[]))
            .map_err(failed)?;
        Ok(unsigned(row.get(0)))
    }

    /// Takes the room when nobody holds it, this node already does, or the holder's lease ran
    /// out; one statement, so two nodes never both take it.
    fn claim(&mut self, room: &RoomCode) -> Result<bool, StoreError> {
        let lease = i64::try_from(self.owner.lease.as_millis()).unwrap_or(i64::MAX);
        let sql = format!(
            "INSERT INTO room_owners (room, node, expires) VALUES ($1, $2, {NOW_MS} + $3)
             ON CONFLICT (room) DO UPDATE SET node = EXCLUDED.node, expires = EXCLUDED.expires, wanted = false
             WHERE room_owners.node = EXCLUDED.node OR room_owners.expires < {NOW_MS}
             RETURNING node"
        );
        let (client, runtime, node) = (&mut self.client, &self.runtime, &self.owner.node);
        let rows = runtime.block_on(client.query(&sql, &[&room.as_str(), node, &lease])).map_err(failed)?;
        if rows.is_empty() {
            // Another node runs it; the balancer sends its connections here now (a node came
            // back, or joined): ask that node to hand it over.
            runtime
                .block_on(client.execute("UPDATE room_owners SET wanted = true WHERE room = $1", &[&room.as_str()]))
                .map_err(failed)?;
        }
        Ok(!rows.is_empty())
    }

    fn renew(&mut self) -> Result<Vec<RoomCode>, StoreError> {
        let lease = i64::try_from(self.owner.lease.as_millis()).unwrap_or(i64::MAX);
        let sql = format!("UPDATE room_owners SET expires = {NOW_MS} + $2 WHERE node = $1 RETURNING room, wanted");
        let rows = self.runtime.block_on(self.client.query(&sql, &[&self.owner.node, &lease])).map_err(failed)?;
        Ok(rows.iter().filter(|row| row.get::<_, bool>(1)).filter_map(|row| RoomCode::parse(row.get(0))).collect())
    }

    fn release(&mut self, room: &RoomCode) -> Result<(), StoreError> {
        self.runtime
            .block_on(
                self.client.execute(
                    "DELETE FROM room_owners WHERE room = $1 AND node = $2",
                    &[&room.as_str(), &self.owner.node],
                ),
            )
            .map_err(failed)?;
        Ok(())
    }

    fn rooms(&mut self) -> Result<Vec<RoomCode>, StoreError> {
        let rows = self
            .runtime
            .block_on(self.client.query("SELECT DISTINCT room FROM events ORDER BY room", &[]))
            .map_err(failed)?;
        Ok(rows.iter().filter_map(|row| RoomCode::parse(row.get(0))).collect())
    }

    fn shared_between_nodes(&self) -> bool {
        true
    }
}
