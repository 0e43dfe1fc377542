//! The HTTP side of the protocol: what the server's `/api/…` endpoints take and answer, shared
//! by the server (which writes them) and the browser (which reads them), so the two cannot
//! drift apart. PROTOCOL.md shows each with an example.

use serde::{Deserialize, Serialize};

use crate::Settings;
use crate::deck::Deck;
use crate::forms::FormKind;
use crate::rejection::Rejection;
use crate::text::Text;

/// A refusal: a stable code and a message for people (`{"code", "message"}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: Text,
}

impl From<&Rejection> for ApiError {
    fn from(rejection: &Rejection) -> ApiError {
        ApiError { code: rejection.code().to_owned(), message: rejection.message() }
    }
}

/// One deck on offer (`GET /api/decks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckSummary {
    pub id: String,
    pub title: Text,
    pub cards: usize,
}

impl DeckSummary {
    pub fn of<C>(deck: &Deck<C>) -> DeckSummary {
        DeckSummary { id: deck.id.clone(), title: deck.title.clone(), cards: deck.cards.len() }
    }
}

/// The decks on offer (`GET /api/decks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckList {
    pub statements: Vec<DeckSummary>,
    pub roles: Vec<DeckSummary>,
    /// The question decks schaalvragen are asked from.
    #[serde(default)]
    pub questions: Vec<DeckSummary>,
    /// The case decks keukentafel steps lay their cases from.
    #[serde(default)]
    pub cases: Vec<DeckSummary>,
    /// The draaiboeken a session can follow.
    #[serde(default)]
    pub draaiboeken: Vec<AgendaSummary>,
}

/// A draaiboek on offer: its steps' forms and planned minutes, for the trainer to choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaSummary {
    pub id: String,
    pub title: Text,
    pub minutes: u32,
    pub steps: Vec<FormKind>,
}

/// What the trainer's "new session" form sends (`POST /api/rooms`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRoom {
    pub statement_decks: Vec<String>,
    pub role_deck: String,
    #[serde(default)]
    pub settings: Settings,
    /// A draaiboek of the server's to follow: its agenda, and the decks and settings it names
    /// in place of those above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draaiboek: Option<String>,
}

/// A new room: its public code and the trainer's secret token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomCreated {
    pub code: String,
    pub trainer_token: String,
}

/// Whether a room still takes participants (`GET /api/rooms/CODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomStatus {
    pub ended: bool,
    pub locked: bool,
}

/// Where participants can reach the server (`GET /api/join-addresses`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinAddresses {
    /// Base URLs (`http://192.168.1.20:8080`) a participant's phone can open.
    pub urls: Vec<String>,
    /// The server listens on this machine only, so no phone can reach it.
    pub local_only: bool,
}

/// An uploaded deck the room now plays with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckAccepted {
    pub id: String,
    pub title: Text,
    /// Its cards; for a draaiboek, its steps.
    pub cards: usize,
    /// The file was a draaiboek, which the session now follows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draaiboek: bool,
}

/// Why an upload changed nothing: a code, a message, and every problem in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckRefused {
    pub code: String,
    pub message: Text,
    #[serde(default)]
    pub errors: Vec<DeckProblem>,
    /// Problems beyond those listed.
    #[serde(default)]
    pub more: usize,
}

/// One problem in an uploaded deck, for the trainer to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckProblem {
    pub line: usize,
    pub field: String,
    pub code: String,
    pub message: Text,
}
