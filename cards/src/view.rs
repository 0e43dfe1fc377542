//! What each participant may see, and how their copy of it stays current.
//!
//! Hidden information is enforced here and nowhere else. A participant gets a `View` when
//! they connect and then `Update`s, which `View::apply` folds in; the browser and the test
//! clients use the same reducer. Before a reveal no update carries another player's answer,
//! and no update ever carries another player's hand.

use serde::{Deserialize, Serialize};

use crate::deck::{RoleCard, StatementCard};
use crate::event::{Answer, EndReason, Event, RevealCause, RoomCode, SeatId};
use crate::room::{Phase, Room};

/// Who a connection is, as far as the room is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Identity {
    Trainer,
    Player { seat: SeatId },
    Observer,
}

/// Everything one participant may know about the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub code: RoomCode,
    pub you: Identity,
    pub seats: Vec<SeatView>,
    /// Your own statement cards; empty for trainers and observers.
    pub hand: Vec<StatementCard>,
    pub phase: PhaseView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatView {
    pub seat: SeatId,
    pub name: String,
    /// Role cards are face up: everyone knows from which perspective the others answer.
    pub role: Option<RoleCard>,
    pub connected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum PhaseView {
    Lobby,
    Turn(Box<TurnView>),
    Ended { reason: EndReason },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnView {
    pub number: u32,
    pub reader: SeatId,
    pub statement: Option<StatementCard>,
    /// Who has answered, without what.
    pub answered: Vec<SeatId>,
    /// Your own answer, until and after the reveal.
    pub mine: Option<Answer>,
    pub reveal: Option<Reveal>,
}

/// All answers, shown together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveal {
    pub cause: RevealCause,
    pub answers: Vec<SeatAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatAnswer {
    pub seat: SeatId,
    pub answer: Answer,
}

/// One change to a `View`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Update {
    Joined {
        seat: SeatId,
        name: String,
    },
    RoleDealt {
        seat: SeatId,
        role: RoleCard,
    },
    /// Your hand as it is now (only ever sent to its holder).
    Hand {
        cards: Vec<StatementCard>,
    },
    TurnStarted {
        turn: u32,
        reader: SeatId,
    },
    Played {
        seat: SeatId,
        card: StatementCard,
    },
    Answered {
        seat: SeatId,
    },
    /// Your own answer as the room recorded it (only ever sent to its author).
    YourAnswer {
        answer: Answer,
    },
    Revealed {
        reveal: Reveal,
    },
    Presence {
        seat: SeatId,
        connected: bool,
    },
    Ended {
        reason: EndReason,
    },
}

impl Update {
    /// Every `kind` an update can have, for the protocol document's test.
    pub const KINDS: &'static [&'static str] = &[
        "joined",
        "role_dealt",
        "hand",
        "turn_started",
        "played",
        "answered",
        "your_answer",
        "revealed",
        "presence",
        "ended",
    ];
}

/// Whom a projection is for: everybody, or the one seat an event is private to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    Seat(SeatId),
}

impl Room {
    /// The full view for one participant.
    pub fn view(&self, you: Identity) -> View {
        let own_seat = match you {
            Identity::Player { seat } => Some(seat),
            _ => None,
        };
        let seats = self
            .seats()
            .map(|(seat, state)| SeatView {
                seat,
                name: state.name.clone(),
                role: state.role.as_ref().and_then(|role| self.setup().roles.card(role)).cloned(),
                connected: state.connected,
            })
            .collect();
        let hand =
            own_seat.and_then(|seat| self.seat(seat)).map(|seat| self.statements(&seat.hand)).unwrap_or_default();
        let phase = match self.phase() {
            Phase::Lobby => PhaseView::Lobby,
            Phase::Ended(reason) => PhaseView::Ended { reason: *reason },
            Phase::Turn(turn) => PhaseView::Turn(Box::new(TurnView {
                number: turn.number,
                reader: turn.reader,
                statement: turn.statement.as_ref().and_then(|id| self.setup().statements.card(id)).cloned(),
                answered: turn.answers.keys().copied().collect(),
                mine: own_seat.and_then(|seat| turn.answers.get(&seat)).cloned(),
                reveal: turn.revealed.map(|cause| self.revealed_answers(cause)),
            })),
        };
        View { code: self.code().clone(), you, seats, hand, phase }
    }

    /// What `audience` learns from `event`, which has just been applied to this room.
    pub fn updates(&self, event: &Event, audience: Audience) -> Vec<Update> {
        let private = matches!(audience, Audience::Seat(seat) if event.private_to() == Some(seat));
        let own_hand = |seat: SeatId| Update::Hand {
            cards: self.seat(seat).map(|state| self.statements(&state.hand)).unwrap_or_default(),
        };
        match event {
            Event::Created { .. } | Event::Started { .. } => Vec::new(),
            Event::Joined { seat, name } => vec![Update::Joined { seat: *seat, name: name.clone() }],
            Event::Dealt { seat, role, .. } => {
                let role = self.setup().roles.card(role).cloned();
                let mut updates: Vec<Update> =
                    role.map(|role| Update::RoleDealt { seat: *seat, role }).into_iter().collect();
                if private {
                    updates.push(own_hand(*seat));
                }
                updates
            }
            Event::TurnStarted { turn, reader } => vec![Update::TurnStarted { turn: *turn, reader: *reader }],
            Event::Played { seat, card, .. } => {
                let card = self.setup().statements.card(card).cloned();
                let mut updates: Vec<Update> =
                    card.map(|card| Update::Played { seat: *seat, card }).into_iter().collect();
                if private {
                    updates.push(own_hand(*seat));
                }
                updates
            }
            Event::Answered { seat, answer } => {
                let mut updates = vec![Update::Answered { seat: *seat }];
                if private {
                    updates.push(Update::YourAnswer { answer: answer.clone() });
                }
                updates
            }
            Event::Revealed { cause } => vec![Update::Revealed { reveal: self.revealed_answers(*cause) }],
            Event::Presence { seat, connected } => vec![Update::Presence { seat: *seat, connected: *connected }],
            Event::Ended { reason } => vec![Update::Ended { reason: *reason }],
        }
    }

    fn revealed_answers(&self, cause: RevealCause) -> Reveal {
        let answers = match self.phase() {
            Phase::Turn(turn) => {
                turn.answers.iter().map(|(seat, answer)| SeatAnswer { seat: *seat, answer: answer.clone() }).collect()
            }
            _ => Vec::new(),
        };
        Reveal { cause, answers }
    }

    fn statements(&self, ids: &[crate::deck::CardId]) -> Vec<StatementCard> {
        ids.iter().filter_map(|id| self.setup().statements.card(id)).cloned().collect()
    }
}

impl View {
    /// Folds one update in. The browser and the test clients keep their copy with this.
    pub fn apply(&mut self, update: &Update) {
        match update {
            Update::Joined { seat, name } => {
                if !self.seats.iter().any(|known| known.seat == *seat) {
                    self.seats.push(SeatView { seat: *seat, name: name.clone(), role: None, connected: true });
                }
            }
            Update::RoleDealt { seat, role } => {
                if let Some(known) = self.seat_mut(*seat) {
                    known.role = Some(role.clone());
                }
            }
            Update::Hand { cards } => self.hand.clone_from(cards),
            Update::TurnStarted { turn, reader } => {
                self.phase = PhaseView::Turn(Box::new(TurnView {
                    number: *turn,
                    reader: *reader,
                    statement: None,
                    answered: Vec::new(),
                    mine: None,
                    reveal: None,
                }));
            }
            Update::Played { card, .. } => {
                if let PhaseView::Turn(turn) = &mut self.phase {
                    turn.statement = Some(card.clone());
                }
            }
            Update::Answered { seat } => {
                if let PhaseView::Turn(turn) = &mut self.phase
                    && let Err(at) = turn.answered.binary_search(seat)
                {
                    turn.answered.insert(at, *seat);
                }
            }
            Update::YourAnswer { answer } => {
                if let PhaseView::Turn(turn) = &mut self.phase {
                    turn.mine = Some(answer.clone());
                }
            }
            Update::Revealed { reveal } => {
                if let PhaseView::Turn(turn) = &mut self.phase {
                    turn.reveal = Some(reveal.clone());
                }
            }
            Update::Presence { seat, connected } => {
                if let Some(known) = self.seat_mut(*seat) {
                    known.connected = *connected;
                }
            }
            Update::Ended { reason } => self.phase = PhaseView::Ended { reason: *reason },
        }
    }

    pub fn seat(&self, seat: SeatId) -> Option<&SeatView> {
        self.seats.iter().find(|known| known.seat == seat)
    }

    fn seat_mut(&mut self, seat: SeatId) -> Option<&mut SeatView> {
        self.seats.iter_mut().find(|known| known.seat == seat)
    }

    /// Your seat, if you are a player.
    pub fn my_seat(&self) -> Option<SeatId> {
        match self.you {
            Identity::Player { seat } => Some(seat),
            _ => None,
        }
    }
}
