//! Standpunt's game: decks, the room state machine, the protocol and what each participant may
//! see.
//!
//! Architecture Invariant: this crate does no I/O, reads no clock and uses no global
//! randomness. The shell passes time and an rng in and does all talking to the world; the same
//! code runs in the server and, compiled to wasm32, in the browser.

pub mod analysis;
pub mod api;
pub mod chart;
pub mod deck;
pub mod event;
pub mod export;
pub mod forms;
pub mod library;
pub mod limits;
pub mod log;
pub mod names;
pub mod notes;
pub mod pack;
pub mod protocol;
mod random;
pub mod rejection;
pub mod report;
pub mod room;
pub mod session;
pub mod text;
pub mod token;
pub mod view;
pub mod zip;

pub use deck::{CardId, RoleCard, StatementCard};
pub use event::{Actor, Answer, Command, Event, Position, Presence, RoomCode, SeatId, Settings, Setup, TrainerId};
pub use library::Library;
pub use rejection::Rejection;
pub use room::{Context, Room};
pub use text::{Lang, Text};
pub use token::TokenDigest;
pub use view::{Identity, Update, View};
