//! The registry of open rooms: room code to the handle of its task.

use std::collections::BTreeMap;
use std::sync::Mutex;

use cards::event::Setup;
use cards::{Rejection, RoomCode};
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::room_task::{self, RoomHandle, Shared};
use crate::store::Record;
use crate::token::Token;

pub struct Rooms {
    open: DashMap<RoomCode, RoomHandle>,
    rng: Mutex<StdRng>,
    shared: Shared,
    max_rooms: usize,
}

/// What the trainer who created a room needs to steer it.
pub struct Created {
    pub code: RoomCode,
    pub trainer_token: Token,
}

impl Rooms {
    pub fn new(shared: Shared, max_rooms: usize) -> Rooms {
        Rooms { open: DashMap::new(), rng: Mutex::new(StdRng::from_os_rng()), shared, max_rooms }
    }

    /// Opens a room under a fresh code: its `Created` event is stored, then its task starts.
    pub async fn create(&self, setup: Setup) -> Result<Created, Rejection> {
        if self.open.len() >= self.max_rooms {
            return Err(Rejection::ServerFull);
        }
        let (code, trainer_token) = self.reserve_code();
        let opened = room_task::open(code.clone(), setup, &trainer_token, self.shared.clone()).await;
        match opened {
            Ok(handle) => {
                self.open.insert(code.clone(), handle);
                tracing::info!(room = %code, "room opened");
                Ok(Created { code, trainer_token })
            }
            Err(rejection) => {
                self.open.remove(&code);
                Err(rejection)
            }
        }
    }

    /// Picks an unused code and holds it with a closed handle while the room is stored, so two
    /// rooms never race for one code.
    fn reserve_code(&self) -> (RoomCode, Token) {
        let mut rng = self.rng.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let trainer_token = Token::generate(&mut *rng);
        loop {
            let code = RoomCode::generate(&mut *rng);
            if let Entry::Vacant(slot) = self.open.entry(code.clone()) {
                slot.insert(RoomHandle::closed());
                return (code, trainer_token);
            }
        }
    }

    /// Starts a task for every room rebuilt from the store; returns how many.
    pub fn restore(&self, logs: BTreeMap<RoomCode, Vec<Record>>) -> usize {
        let mut restored = 0;
        for (code, records) in logs {
            match room_task::restore(&records, self.shared.clone()) {
                Some(handle) => {
                    self.open.insert(code, handle);
                    restored += 1;
                }
                None => tracing::error!(room = %code, "a room's log does not start with its creation; not restored"),
            }
        }
        restored
    }

    /// Stops a room's task and forgets it; its log is the caller's to erase.
    pub async fn close(&self, code: &RoomCode) {
        if let Some((_, handle)) = self.open.remove(code) {
            let (done, stopped) = tokio::sync::oneshot::channel();
            if handle.send(room_task::RoomMsg::Erase { done }).await.is_ok() {
                let _ = stopped.await;
            }
        }
    }

    pub fn store(&self) -> &crate::store::Store {
        &self.shared.store
    }

    pub fn get(&self, code: &RoomCode) -> Option<RoomHandle> {
        self.open.get(code).map(|entry| entry.value().clone())
    }
}
