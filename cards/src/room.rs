//! The room state machine: `handle` decides what a command means, `apply` records it.
//!
//! `handle` never changes the room; it answers with the events that should happen or a
//! rejection. `apply` folds one event into the state and never fails, so a room restored from
//! its log is exactly the room that wrote it.

use std::collections::{BTreeMap, VecDeque};

use rand_core::RngCore;

use crate::deck::CardId;
use crate::event::{Actor, Answer, Command, EndReason, Event, RevealCause, RoomCode, SeatId, Setup};
use crate::random::shuffle;
use crate::rejection::Rejection;

pub const MAX_NAME_CHARS: usize = 40;
pub const MAX_ARGUMENT_CHARS: usize = 500;
pub const MAX_DEFINITION_CHARS: usize = 200;
/// A statement round needs someone to disagree with.
pub const MIN_PLAYERS: usize = 2;

/// What the shell passes with every command: the time, and randomness for shuffles.
pub struct Context<'a> {
    /// Milliseconds since the Unix epoch, as the shell's clock says.
    pub now: u64,
    pub rng: &'a mut dyn RngCore,
}

/// One player's place at the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub name: String,
    pub role: Option<CardId>,
    pub hand: Vec<CardId>,
    pub connected: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Lobby,
    Turn(Turn),
    Ended(EndReason),
}

/// One statement on the table: who reads, what they played, who answered what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub number: u32,
    pub reader: SeatId,
    pub statement: Option<CardId>,
    pub answers: BTreeMap<SeatId, Answer>,
    pub revealed: Option<RevealCause>,
}

impl Turn {
    fn is_answering(&self) -> bool {
        self.statement.is_some() && self.revealed.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    code: RoomCode,
    setup: Setup,
    seats: Vec<Seat>,
    /// Statements nobody holds yet, in dealing order.
    pile: VecDeque<CardId>,
    /// The shuffled role deck; roles are dealt uniquely while it lasts, then reused in order.
    role_order: Vec<CardId>,
    roles_dealt: usize,
    phase: Phase,
}

impl Room {
    /// The room as its `Created` event describes it.
    pub fn new(code: RoomCode, setup: Setup) -> Room {
        Room {
            code,
            setup,
            seats: Vec::new(),
            pile: VecDeque::new(),
            role_order: Vec::new(),
            roles_dealt: 0,
            phase: Phase::Lobby,
        }
    }

    /// Rebuilds a room from its log; `None` if the log does not start with `Created`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Room> {
        let mut events = events.into_iter();
        let Some(Event::Created { code, setup }) = events.next() else {
            return None;
        };
        let mut room = Room::new(code.clone(), (**setup).clone());
        events.for_each(|event| room.apply(event));
        Some(room)
    }

    pub fn code(&self) -> &RoomCode {
        &self.code
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    pub fn seats(&self) -> impl Iterator<Item = (SeatId, &Seat)> {
        self.seats.iter().enumerate().map(|(i, seat)| (seat_id(i), seat))
    }

    pub fn seat(&self, seat: SeatId) -> Option<&Seat> {
        self.seats.get(usize::from(seat.0))
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn pile(&self) -> impl ExactSizeIterator<Item = &CardId> {
        self.pile.iter()
    }

    /// Decides what `command` from `actor` means now. Never changes the room.
    pub fn handle(&self, actor: Actor, command: Command, ctx: &mut Context<'_>) -> Result<Vec<Event>, Rejection> {
        match command {
            Command::Join { name } => self.join(actor, &name),
            Command::Start => self.start(actor, ctx.rng),
            Command::Play { card } => self.play(actor, card),
            Command::Answer(answer) => self.answer(actor, answer),
            Command::Reveal => self.reveal(actor),
            Command::Next => self.next(actor),
            Command::SetPresence { seat, connected } => self.set_presence(actor, seat, connected),
        }
    }

    fn join(&self, actor: Actor, name: &str) -> Result<Vec<Event>, Rejection> {
        if actor != Actor::Guest {
            return Err(Rejection::AlreadyJoined);
        }
        if matches!(self.phase, Phase::Ended(_)) {
            return Err(Rejection::RoomEnded);
        }
        let name = clean_text(name);
        if name.is_empty() {
            return Err(Rejection::NameEmpty);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(Rejection::NameTooLong);
        }
        if self.seats.iter().any(|seat| seat.name.to_lowercase() == name.to_lowercase()) {
            return Err(Rejection::NameTaken);
        }
        if self.seats.len() >= usize::from(self.setup.max_players) {
            return Err(Rejection::RoomFull);
        }
        let seat = seat_id(self.seats.len());
        let mut events = vec![Event::Joined { seat, name }];
        if matches!(self.phase, Phase::Turn(_)) {
            events.push(self.deal(seat, self.pile.iter()));
        }
        Ok(events)
    }

    fn start(&self, actor: Actor, rng: &mut dyn RngCore) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        if self.phase != Phase::Lobby {
            return Err(Rejection::WrongPhase);
        }
        if self.seats.len() < MIN_PLAYERS {
            return Err(Rejection::TooFewPlayers { min: MIN_PLAYERS });
        }
        let mut pile: Vec<CardId> = self.setup.statements.cards.iter().map(|card| card.id.clone()).collect();
        let mut roles: Vec<CardId> = self.setup.roles.cards.iter().map(|card| card.id.clone()).collect();
        shuffle(&mut pile, rng);
        shuffle(&mut roles, rng);

        // Deal against a scratch copy so each seat gets the next cards and the next role.
        let mut scratch = self.clone();
        let started = Event::Started { pile, roles };
        scratch.apply(&started);
        let mut events = vec![started];
        for (i, _) in self.seats.iter().enumerate() {
            let dealt = scratch.deal(seat_id(i), scratch.pile.iter());
            scratch.apply(&dealt);
            events.push(dealt);
        }
        match scratch.first_reader_from(0) {
            Some(reader) => events.push(Event::TurnStarted { turn: 1, reader }),
            None => events.push(Event::Ended { reason: EndReason::DeckExhausted }),
        }
        Ok(events)
    }

    fn play(&self, actor: Actor, card: CardId) -> Result<Vec<Event>, Rejection> {
        let seat = require_player(actor)?;
        let Phase::Turn(turn) = &self.phase else {
            return Err(Rejection::WrongPhase);
        };
        if turn.reader != seat {
            return Err(Rejection::NotYourTurn);
        }
        if turn.statement.is_some() {
            return Err(Rejection::WrongPhase);
        }
        if !self.seats[usize::from(seat.0)].hand.contains(&card) {
            return Err(Rejection::NotInHand);
        }
        Ok(vec![Event::Played { seat, card, drew: self.pile.front().cloned() }])
    }

    fn answer(&self, actor: Actor, answer: Answer) -> Result<Vec<Event>, Rejection> {
        let seat = require_player(actor)?;
        let Phase::Turn(turn) = &self.phase else {
            return Err(Rejection::WrongPhase);
        };
        let Some(statement) = turn.statement.as_ref().filter(|_| turn.is_answering()) else {
            return Err(Rejection::WrongPhase);
        };
        let argument = clean_optional(answer.argument, "argument", MAX_ARGUMENT_CHARS)?;
        let definition = clean_optional(answer.definition, "definition", MAX_DEFINITION_CHARS)?;
        let names_a_term = self.setup.statements.card(statement).is_some_and(|card| !card.terms.is_empty());
        if definition.is_some() && !names_a_term {
            return Err(Rejection::NoTermToDefine);
        }
        let answer = Answer { position: answer.position, argument, definition };
        let mut events = vec![Event::Answered { seat, answer }];
        if self.everyone_present_answered(turn, Some(seat)) {
            events.push(Event::Revealed { cause: RevealCause::AllAnswered });
        }
        Ok(events)
    }

    fn reveal(&self, actor: Actor) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        match &self.phase {
            Phase::Turn(turn) if turn.is_answering() => Ok(vec![Event::Revealed { cause: RevealCause::Trainer }]),
            _ => Err(Rejection::WrongPhase),
        }
    }

    /// Moves to the next reader. Also allowed before a statement is played, so an absent
    /// reader never blocks the session.
    fn next(&self, actor: Actor) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        let Phase::Turn(turn) = &self.phase else {
            return Err(Rejection::WrongPhase);
        };
        if turn.is_answering() {
            return Err(Rejection::WrongPhase);
        }
        let after = usize::from(turn.reader.0) + 1;
        Ok(vec![match self.first_reader_from(after) {
            Some(reader) => Event::TurnStarted { turn: turn.number + 1, reader },
            None => Event::Ended { reason: EndReason::DeckExhausted },
        }])
    }

    fn set_presence(&self, actor: Actor, seat: SeatId, connected: bool) -> Result<Vec<Event>, Rejection> {
        if actor != Actor::Server {
            return Err(Rejection::NotTrainer);
        }
        let current = self.seat(seat).ok_or(Rejection::NotAPlayer)?;
        if current.connected == connected {
            return Ok(Vec::new());
        }
        let mut events = vec![Event::Presence { seat, connected }];
        if let Phase::Turn(turn) = &self.phase {
            let someone_answered = !turn.answers.is_empty();
            if !connected
                && someone_answered
                && turn.is_answering()
                && self.everyone_present_answered_without(turn, seat)
            {
                events.push(Event::Revealed { cause: RevealCause::AllAnswered });
            }
        }
        Ok(events)
    }

    /// Folds one event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Created { .. } => {}
            Event::Joined { name, .. } => {
                self.seats.push(Seat { name: name.clone(), role: None, hand: Vec::new(), connected: true });
            }
            Event::Started { pile, roles } => {
                self.pile = pile.iter().cloned().collect();
                self.role_order.clone_from(roles);
            }
            Event::Dealt { seat, role, hand } => {
                self.pile.retain(|card| !hand.contains(card));
                self.roles_dealt += 1;
                if let Some(seat) = self.seats.get_mut(usize::from(seat.0)) {
                    seat.role = Some(role.clone());
                    seat.hand.clone_from(hand);
                }
            }
            Event::TurnStarted { turn, reader } => {
                self.phase = Phase::Turn(Turn {
                    number: *turn,
                    reader: *reader,
                    statement: None,
                    answers: BTreeMap::new(),
                    revealed: None,
                });
            }
            Event::Played { seat, card, drew } => {
                if let Some(seat) = self.seats.get_mut(usize::from(seat.0)) {
                    seat.hand.retain(|held| held != card);
                    if let Some(drawn) = drew {
                        seat.hand.push(drawn.clone());
                    }
                }
                if let Some(drawn) = drew {
                    self.pile.retain(|card| card != drawn);
                }
                if let Phase::Turn(turn) = &mut self.phase {
                    turn.statement = Some(card.clone());
                }
            }
            Event::Answered { seat, answer } => {
                if let Phase::Turn(turn) = &mut self.phase {
                    turn.answers.insert(*seat, answer.clone());
                }
            }
            Event::Revealed { cause } => {
                if let Phase::Turn(turn) = &mut self.phase {
                    turn.revealed = Some(*cause);
                }
            }
            Event::Presence { seat, connected } => {
                if let Some(seat) = self.seats.get_mut(usize::from(seat.0)) {
                    seat.connected = *connected;
                }
            }
            Event::Ended { reason } => self.phase = Phase::Ended(*reason),
        }
    }

    /// A role and a hand for one seat, taken from the front of `pile`.
    fn deal<'a>(&self, seat: SeatId, pile: impl Iterator<Item = &'a CardId>) -> Event {
        let hand = pile.take(usize::from(self.setup.hand_size)).cloned().collect();
        let role = self.role_order[self.roles_dealt % self.role_order.len()].clone();
        Event::Dealt { seat, role, hand }
    }

    /// The first seat from `start` on (wrapping) that holds a card, preferring seats that are
    /// connected so an absent player is skipped.
    fn first_reader_from(&self, start: usize) -> Option<SeatId> {
        let count = self.seats.len();
        let order = (0..count).map(|offset| (start + offset) % count);
        let with_cards: Vec<usize> = order.filter(|&i| !self.seats[i].hand.is_empty()).collect();
        let present = with_cards.iter().find(|&&i| self.seats[i].connected);
        present.or(with_cards.first()).map(|&i| seat_id(i))
    }

    fn everyone_present_answered(&self, turn: &Turn, answering_now: Option<SeatId>) -> bool {
        self.seats()
            .filter(|(_, seat)| seat.connected)
            .all(|(id, _)| turn.answers.contains_key(&id) || Some(id) == answering_now)
    }

    fn everyone_present_answered_without(&self, turn: &Turn, leaving: SeatId) -> bool {
        self.seats().filter(|(id, seat)| seat.connected && *id != leaving).all(|(id, _)| turn.answers.contains_key(&id))
    }

    fn require_trainer(&self, actor: Actor) -> Result<(), Rejection> {
        match actor {
            Actor::Trainer => Ok(()),
            _ => Err(Rejection::NotTrainer),
        }
    }
}

fn require_player(actor: Actor) -> Result<SeatId, Rejection> {
    match actor {
        Actor::Player(seat) => Ok(seat),
        _ => Err(Rejection::NotAPlayer),
    }
}

fn seat_id(index: usize) -> SeatId {
    SeatId(u16::try_from(index).expect("seat count is bounded by max_players, a u16"))
}

/// Trims and removes control characters, so names and texts render the same everywhere.
pub fn clean_text(text: &str) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    cleaned.trim().to_owned()
}

fn clean_optional(text: Option<String>, field: &'static str, max: usize) -> Result<Option<String>, Rejection> {
    let Some(text) = text.map(|text| clean_text(&text)).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(Rejection::TextTooLong { field, max });
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests;
