//! A store in memory, for the server's own tests: it keeps logs like the real ones, and can be
//! told to fail or to panic, so the room lifecycle can be tested against a store that breaks.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use cards::RoomCode;

use super::{Backend, Record, StoreError};

/// What a test can do to a `Memory` store while it runs.
#[derive(Default)]
pub struct Faults {
    /// Every append fails while this is set.
    pub failing: AtomicBool,
    /// Every append panics while this is set.
    pub panicking: AtomicBool,
    /// Appends tried so far.
    pub appends: AtomicU64,
}

#[derive(Default)]
pub struct Memory {
    logs: BTreeMap<RoomCode, Vec<Record>>,
    pub faults: Arc<Faults>,
}

impl Backend for Memory {
    fn append(&mut self, records: &mut dyn Iterator<Item = &Record>) -> Result<(), StoreError> {
        let number = self.faults.appends.fetch_add(1, Ordering::SeqCst) + 1;
        if self.faults.panicking.load(Ordering::SeqCst) {
            panic!("the test store panics on append {number}");
        }
        if self.faults.failing.load(Ordering::SeqCst) {
            return Err(StoreError::Backend("the test store is failing".to_owned()));
        }
        let records: Vec<Record> = records.cloned().collect();
        for record in &records {
            let log = self.logs.get(&record.room).map_or(&[][..], Vec::as_slice);
            if log.last().map_or(0, |last| last.seq) + 1 != record.seq {
                return Err(StoreError::Backend(format!("room {} has no place for event {}", record.room, record.seq)));
            }
        }
        for record in records {
            self.logs.entry(record.room.clone()).or_default().push(record);
        }
        Ok(())
    }

    fn records(&mut self, room: &RoomCode) -> Result<Vec<Record>, StoreError> {
        Ok(self.logs.get(room).cloned().unwrap_or_default())
    }

    fn rooms_older_than(&mut self, before: u64) -> Result<Vec<RoomCode>, StoreError> {
        let old = self.logs.iter().filter(|(_, log)| log.last().is_some_and(|last| last.at < before));
        Ok(old.map(|(code, _)| code.clone()).collect())
    }

    fn rooms(&mut self) -> Result<Vec<RoomCode>, StoreError> {
        Ok(self.logs.keys().cloned().collect())
    }

    fn delete_room(&mut self, room: &RoomCode) -> Result<(), StoreError> {
        self.logs.remove(room);
        Ok(())
    }

    fn size_bytes(&mut self) -> Result<u64, StoreError> {
        Ok(self.logs.values().map(|log| log.len() as u64 * 100).sum())
    }
}
