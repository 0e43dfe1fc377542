//! The vocabulary of a room: who acts, what they ask for (commands) and what happened
//! (events). Events record outcomes — the cards dealt, not a seed — so replaying a log never
//! depends on an rng.

use std::fmt;

use rand_core::RngCore;
use serde::{Deserialize, Serialize};

use crate::deck::{CardId, RoleDeck, StatementDeck};

/// A seat at the table: a player's place in the room, stable for the whole session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeatId(pub u16);

/// The short public code people type to join a room.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoomCode(String);

impl RoomCode {
    /// No 0/O, 1/I/L: a code read off a projector must not be mistyped.
    pub const ALPHABET: &'static [u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    pub const LEN: usize = 6;

    pub fn generate(rng: &mut dyn RngCore) -> RoomCode {
        let len = u32::try_from(Self::ALPHABET.len()).unwrap_or(u32::MAX);
        let code =
            (0..Self::LEN).map(|_| char::from(Self::ALPHABET[crate::random::below(rng, len) as usize])).collect();
        RoomCode(code)
    }

    /// Accepts what people type: lowercase, spaces and dashes are forgiven.
    pub fn parse(input: &str) -> Option<RoomCode> {
        let code: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let valid = code.len() == Self::LEN && code.bytes().all(|b| Self::ALPHABET.contains(&b));
        valid.then_some(RoomCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoomCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who gives a command. The shell decides this from the connection's credentials; the core
/// decides what each may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Trainer,
    Player(SeatId),
    /// Someone connected to the room who has no seat yet.
    Guest,
    /// The server itself, reporting what it observed (connections coming and going).
    Server,
}

/// A position on the statement: the 1–5 scale, or "pas".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "WirePosition", into = "WirePosition")]
pub enum Position {
    /// 1 "helemaal oneens" … 5 "helemaal eens".
    Scale(u8),
    Pass,
}

impl Position {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum WirePosition {
    Scale(u8),
    Word(String),
}

impl TryFrom<WirePosition> for Position {
    type Error = String;

    fn try_from(wire: WirePosition) -> Result<Position, String> {
        match wire {
            WirePosition::Scale(n) if (Position::MIN..=Position::MAX).contains(&n) => Ok(Position::Scale(n)),
            WirePosition::Word(word) if word == "pass" => Ok(Position::Pass),
            _ => Err("position must be 1 to 5 or \"pass\"".to_owned()),
        }
    }
}

impl From<Position> for WirePosition {
    fn from(position: Position) -> WirePosition {
        match position {
            Position::Scale(n) => WirePosition::Scale(n),
            Position::Pass => WirePosition::Word("pass".to_owned()),
        }
    }
}

/// One player's answer to the statement on the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub position: Position,
    /// Why, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    /// What the statement's term means to this player ("Regie betekent voor mij ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
}

/// What a room is made of, fixed when it is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub hand_size: u8,
    pub max_players: u16,
    pub statements: StatementDeck,
    pub roles: RoleDeck,
}

impl Setup {
    pub const DEFAULT_HAND_SIZE: u8 = 3;
    pub const DEFAULT_MAX_PLAYERS: u16 = 40;
}

/// What a participant asks the room to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Join {
        name: String,
    },
    Start,
    Play {
        card: CardId,
    },
    Answer(Answer),
    Reveal,
    Next,
    /// From the server: a player's connection came or went.
    SetPresence {
        seat: SeatId,
        connected: bool,
    },
}

/// Why the answers were shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevealCause {
    /// Every present player had answered.
    AllAnswered,
    /// The trainer said so.
    Trainer,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// No player has a statement left to play.
    DeckExhausted,
}

/// What happened in a room. A room's state is the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Created {
        code: RoomCode,
        setup: Box<Setup>,
    },
    Joined {
        seat: SeatId,
        name: String,
    },
    /// The decks in the order they were shuffled; cards are dealt from the front.
    Started {
        pile: Vec<CardId>,
        roles: Vec<CardId>,
    },
    Dealt {
        seat: SeatId,
        role: CardId,
        hand: Vec<CardId>,
    },
    TurnStarted {
        turn: u32,
        reader: SeatId,
    },
    Played {
        seat: SeatId,
        card: CardId,
        drew: Option<CardId>,
    },
    Answered {
        seat: SeatId,
        answer: Answer,
    },
    Revealed {
        cause: RevealCause,
    },
    Presence {
        seat: SeatId,
        connected: bool,
    },
    Ended {
        reason: EndReason,
    },
}

impl Event {
    /// The one seat that learns more from this event than everyone else does (its own hand,
    /// its own answer), if any. The view projection relies on this to share one serialised
    /// broadcast with everybody else.
    pub fn private_to(&self) -> Option<SeatId> {
        match self {
            Event::Dealt { seat, .. } | Event::Played { seat, .. } | Event::Answered { seat, .. } => Some(*seat),
            _ => None,
        }
    }
}
