//! The registry of open rooms: room code to the handle of its task.

use std::sync::Mutex;

use cards::RoomCode;
use cards::event::Setup;
use dashmap::DashMap;
use dashmap::mapref::entry::Entry;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::room_task::{self, RoomHandle};
use crate::token::Token;

pub struct Rooms {
    open: DashMap<RoomCode, RoomHandle>,
    rng: Mutex<StdRng>,
    room_queue: usize,
}

/// What the trainer who created a room needs to steer it.
pub struct Created {
    pub code: RoomCode,
    pub trainer_token: Token,
}

impl Rooms {
    pub fn new(room_queue: usize) -> Rooms {
        Rooms {
            open: DashMap::new(),
            rng: Mutex::new(StdRng::from_os_rng()),
            room_queue,
        }
    }

    /// Opens a room under a fresh code and starts its task.
    pub fn create(&self, setup: Setup) -> Created {
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let trainer_token = Token::generate(&mut *rng);
        loop {
            let code = RoomCode::generate(&mut *rng);
            if let Entry::Vacant(slot) = self.open.entry(code.clone()) {
                slot.insert(room_task::spawn(
                    code.clone(),
                    setup,
                    trainer_token.clone(),
                    self.room_queue,
                ));
                tracing::info!(room = %code, "room opened");
                return Created {
                    code,
                    trainer_token,
                };
            }
        }
    }

    pub fn get(&self, code: &RoomCode) -> Option<RoomHandle> {
        self.open.get(code).map(|entry| entry.value().clone())
    }
}
