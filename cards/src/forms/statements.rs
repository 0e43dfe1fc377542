//! The statement game, the work form Standpunt began with: a statement is played (by the
//! player whose turn it is, from their hand, or by the trainer from the pile), everyone takes a
//! position in private, the answers are revealed at once, and a re-vote may follow.
//!
//! This module holds the game's turn, its rules and its settings. The session (`room.rs`)
//! seats people, deals roles and hands, keeps who is here and which step runs, and hands the
//! statement commands to a [`Table`]: what the game reads of the session to decide.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::deck::{CardId, StatementCard, StatementDeck};
use crate::event::{Answer, Event, Presence, ReaderMode, RevealCause, RoleDealing, SeatId, Settings, TimerMode};
use crate::forms::Who;
use crate::limits::{MAX_ARGUMENT_CHARS, MAX_DEFINITION_CHARS};
use crate::rejection::Rejection;
use crate::room::{Seat, clean_optional};

/// Votes on one statement: the first and at most this many minus one re-votes.
pub const MAX_VOTES: u8 = 20;
const MAX_ROTATE_EVERY: u8 = 50;
/// Themes and terms a trainer may pick together, and how long one may be: a deck's tags are
/// short, and a `configure` must stay small.
pub(crate) const MAX_TAGS: usize = 100;
const MAX_TAG_CHARS: usize = 40;

/// The answer timer of the statement on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    Running { deadline: u64 },
    Paused { remaining_ms: u64 },
    Expired,
}

/// One statement on the table: who reads, what is played, who answered what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub number: u32,
    /// `None` when the trainer plays from the pile.
    pub reader: Option<SeatId>,
    pub statement: Option<CardId>,
    /// 1 for the first vote on the statement, 2 for the first re-vote, …
    pub vote: u8,
    pub answers: BTreeMap<SeatId, Answer>,
    /// The last revealed vote on this statement, once a re-vote is open.
    pub previous: Option<BTreeMap<SeatId, Answer>>,
    pub revealed: Option<RevealCause>,
    pub timer: Option<Timer>,
    /// Players who dropped out while this vote was open. An automatic reveal waits a grace
    /// period for them; someone who was already away when it opened never holds it up.
    pub stepped_away: BTreeSet<SeatId>,
}

impl Turn {
    /// The turn of a session that started without dealing a statement yet (number 0).
    pub(crate) fn before_the_first() -> Turn {
        Turn::new(0, None)
    }

    /// Turn `number`, with nothing on the table yet.
    pub(crate) fn new(number: u32, reader: Option<SeatId>) -> Turn {
        Turn {
            number,
            reader,
            statement: None,
            vote: 1,
            answers: BTreeMap::new(),
            previous: None,
            revealed: None,
            timer: None,
            stepped_away: BTreeSet::new(),
        }
    }

    pub fn is_answering(&self) -> bool {
        self.statement.is_some() && self.revealed.is_none()
    }

    /// The trainer reveals the answers given so far.
    pub(crate) fn reveal(&self) -> Result<Vec<Event>, Rejection> {
        self.require_answering()?;
        Ok(vec![Event::Revealed { cause: RevealCause::Trainer }])
    }

    pub(crate) fn pause_timer(&self, now: u64) -> Result<Vec<Event>, Rejection> {
        match self.require_answering()?.timer {
            Some(Timer::Running { deadline }) => {
                Ok(vec![Event::TimerPaused { remaining_ms: deadline.saturating_sub(now) }])
            }
            _ => Err(Rejection::NoTimer),
        }
    }

    pub(crate) fn resume_timer(&self, now: u64) -> Result<Vec<Event>, Rejection> {
        match self.require_answering()?.timer {
            Some(Timer::Paused { remaining_ms }) => {
                Ok(vec![Event::TimerStarted { deadline: now + remaining_ms, remaining_ms }])
            }
            _ => Err(Rejection::NoTimer),
        }
    }

    pub(crate) fn require_answering(&self) -> Result<&Turn, Rejection> {
        if self.is_answering() { Ok(self) } else { Err(Rejection::WrongPhase) }
    }

    /// Folds one of the game's events into the turn; other events leave it as it is.
    pub(crate) fn apply(&mut self, event: &Event) {
        match event {
            Event::Played { card, .. } => {
                self.statement = Some(card.clone());
                self.stepped_away.clear();
            }
            Event::TimerStarted { deadline, .. } => self.timer = Some(Timer::Running { deadline: *deadline }),
            Event::TimerPaused { remaining_ms } => self.timer = Some(Timer::Paused { remaining_ms: *remaining_ms }),
            Event::TimerExpired => self.timer = Some(Timer::Expired),
            Event::Answered { seat, answer } => {
                self.answers.insert(*seat, answer.clone());
            }
            Event::Revealed { cause } => {
                self.revealed = Some(*cause);
                self.timer = None;
            }
            Event::RevoteOpened => {
                self.previous = Some(std::mem::take(&mut self.answers));
                self.vote = self.vote.saturating_add(1);
                self.revealed = None;
                self.timer = None;
                self.stepped_away.clear();
            }
            Event::Presence { seat, presence: Presence::Away { .. } } if self.is_answering() => {
                self.stepped_away.insert(*seat);
            }
            _ => {}
        }
    }
}

/// What the statement game reads of the session to decide a move: the settings, the deck, the
/// seats (their presence and hands) and the pile.
pub(crate) struct Table<'a> {
    pub settings: &'a Settings,
    pub deck: &'a StatementDeck,
    pub seats: &'a [Seat],
    pub pile: &'a VecDeque<CardId>,
    /// How long an automatic reveal waits for someone who dropped out during the vote.
    pub reveal_grace_ms: u64,
}

impl Table<'_> {
    /// `who` puts `card` on the table: the reader from their hand, or the trainer from the
    /// pile, as the settings say; a reader draws the pile's next card.
    pub fn play(&self, turn: &Turn, who: Who, card: CardId, now: u64) -> Result<Vec<Event>, Rejection> {
        let by = match (self.settings.reader, who) {
            (ReaderMode::Rotating, Who::Player(seat)) if turn.reader == Some(seat) => Some(seat),
            (ReaderMode::Rotating, _) => return Err(Rejection::NotYourTurn),
            (ReaderMode::Trainer, Who::Trainer) => None,
            (ReaderMode::Trainer, _) => return Err(Rejection::NotTrainer),
        };
        if turn.statement.is_some() {
            return Err(Rejection::WrongPhase);
        }
        let held = match by {
            Some(seat) => self.seats.get(usize::from(seat.0)).is_some_and(|seat| seat.hand.contains(&card)),
            None => self.pile.contains(&card),
        };
        if !held {
            return Err(Rejection::NotInHand);
        }
        let drew = by.and_then(|_| self.pile.front().cloned());
        Ok([Event::Played { by, card, drew }].into_iter().chain(self.timer_start(now)).collect())
    }

    /// `seat` takes a position (again, until the reveal); the last answer the room waited for
    /// reveals them all.
    pub fn answer(&self, turn: &Turn, seat: SeatId, answer: Answer, now: u64) -> Result<Vec<Event>, Rejection> {
        turn.require_answering()?;
        let argument = clean_optional(answer.argument, "argument", MAX_ARGUMENT_CHARS)?;
        let definition = clean_optional(answer.definition, "definition", MAX_DEFINITION_CHARS)?;
        // A definition belongs to the one term the card asks about, never to every term it names.
        let statement = turn.statement.as_ref().and_then(|id| self.deck.card(id));
        if definition.is_some() && statement.is_none_or(|card| card.define.is_none()) {
            return Err(Rejection::NoTermToDefine);
        }
        let answer = Answer { position: answer.position, argument, definition };
        let mut events = vec![Event::Answered { seat, answer }];
        if self.reveals_when(turn, Some(seat), None, now) {
            events.push(Event::Revealed { cause: RevealCause::AllAnswered });
        }
        Ok(events)
    }

    /// The trainer opens a re-vote on a revealed statement.
    pub fn revote(&self, turn: &Turn, now: u64) -> Result<Vec<Event>, Rejection> {
        match turn.revealed {
            Some(_) if turn.vote >= MAX_VOTES => Err(Rejection::TooManyVotes { max: MAX_VOTES }),
            Some(_) => Ok([Event::RevoteOpened].into_iter().chain(self.timer_start(now)).collect()),
            None => Err(Rejection::WrongPhase),
        }
    }

    /// What time does to the open vote at `now`: the timer runs out (a hard timer reveals), or
    /// the grace period of the last player the others were waiting for ends.
    pub fn tick(&self, turn: &Turn, now: u64) -> Vec<Event> {
        let mut events = Vec::new();
        if !turn.is_answering() {
            return events;
        }
        if let Some(Timer::Running { deadline }) = turn.timer
            && now >= deadline
        {
            events.push(Event::TimerExpired);
            if matches!(self.settings.timer, TimerMode::Hard { .. }) {
                events.push(Event::Revealed { cause: RevealCause::Timer });
                return events;
            }
        }
        if self.reveals_when(turn, None, None, now) {
            events.push(Event::Revealed { cause: RevealCause::AllAnswered });
        }
        events
    }

    /// The reveal when `seat` now has `presence` and was the last one the open vote waited for.
    pub fn presence_changed(&self, turn: &Turn, seat: SeatId, presence: Presence, now: u64) -> Option<Event> {
        (turn.is_answering() && self.reveals_when(turn, None, Some((seat, presence)), now))
            .then_some(Event::Revealed { cause: RevealCause::AllAnswered })
    }

    /// When time next changes the open vote: its timer, or the grace period of someone who
    /// dropped out during it and has not answered.
    pub fn deadlines(&self, turn: &Turn, now: u64) -> Vec<u64> {
        if !turn.is_answering() {
            return Vec::new();
        }
        let timer = match turn.timer {
            Some(Timer::Running { deadline }) => Some(deadline),
            _ => None,
        };
        let graces = turn
            .stepped_away
            .iter()
            .filter(|seat| self.settings.auto_reveal && !turn.answers.contains_key(seat))
            .filter_map(|&seat| match self.seats.get(usize::from(seat.0))?.presence {
                Presence::Away { since } => Some(since.saturating_add(self.reveal_grace_ms)),
                _ => None,
            })
            .filter(|deadline| *deadline > now);
        timer.into_iter().chain(graces).collect()
    }

    /// Whether the answers should be revealed at `now` once `answering` has answered and
    /// `changed` has its new presence: at least one player has answered, and nobody the room
    /// waits for has not.
    fn reveals_when(
        &self,
        turn: &Turn,
        answering: Option<SeatId>,
        changed: Option<(SeatId, Presence)>,
        now: u64,
    ) -> bool {
        if !self.settings.auto_reveal {
            return false;
        }
        let changed_seat = changed.map(|(seat, _)| seat);
        let answered = |seat: SeatId| turn.answers.contains_key(&seat) || answering == Some(seat);
        let someone = answering.is_some() || turn.answers.keys().any(|seat| changed_seat != Some(*seat));
        let waits_for = |(id, seat): (SeatId, &Seat)| {
            let presence =
                if changed_seat == Some(id) { changed.map_or(seat.presence, |(_, p)| p) } else { seat.presence };
            let stepped_away = turn.stepped_away.contains(&id) || changed_seat == Some(id);
            !answered(id) && self.holds_reveal(presence, stepped_away, now)
        };
        someone && !self.seats().any(waits_for)
    }

    /// Whether a player who has not answered holds up the automatic reveal: they are here, or
    /// they dropped out during this vote less than the grace period ago.
    pub fn holds_reveal(&self, presence: Presence, stepped_away: bool, now: u64) -> bool {
        match presence {
            Presence::Here => true,
            Presence::Away { since } => stepped_away && now < since.saturating_add(self.reveal_grace_ms),
            Presence::Left { .. } => false,
        }
    }

    /// The timer a played statement or a re-vote starts, if the settings have one.
    fn timer_start(&self, now: u64) -> Option<Event> {
        let seconds = self.settings.timer.seconds()?;
        let remaining_ms = u64::from(seconds) * 1000;
        Some(Event::TimerStarted { deadline: now + remaining_ms, remaining_ms })
    }

    /// Who reads next, looking from seat `start` on: the next seat with cards, one that is here
    /// before one that is away. `Some(None)` means the trainer reads (and has a card to read);
    /// `None` that nobody has a statement left.
    pub fn reader_from(&self, start: usize) -> Option<Option<SeatId>> {
        if self.settings.reader == ReaderMode::Trainer {
            return (!self.pile.is_empty()).then_some(None);
        }
        let count = self.seats.len();
        let order = (0..count).map(|offset| (start + offset) % count);
        let with_cards: Vec<usize> = order.filter(|&i| !self.seats[i].hand.is_empty()).collect();
        let present = with_cards.iter().find(|&&i| self.seats[i].is_here());
        present.or(with_cards.first()).map(|&i| Some(SeatId(u16::try_from(i).unwrap_or(u16::MAX))))
    }

    /// The hand a newly dealt seat takes from the front of the pile: none when the trainer reads.
    pub fn hand(&self) -> Vec<CardId> {
        let size = match self.settings.reader {
            ReaderMode::Rotating => usize::from(self.settings.hand_size),
            ReaderMode::Trainer => 0,
        };
        self.pile.iter().take(size).cloned().collect()
    }

    fn seats(&self) -> impl Iterator<Item = (SeatId, &Seat)> {
        self.seats.iter().enumerate().map(|(i, seat)| (SeatId(u16::try_from(i).unwrap_or(u16::MAX)), seat))
    }
}

impl Settings {
    /// Refuses settings outside the ranges the game supports.
    pub fn validate(&self) -> Result<(), Rejection> {
        let hand_ok = (1..=Settings::MAX_HAND_SIZE).contains(&self.hand_size);
        let timer_ok =
            self.timer.seconds().is_none_or(|s| (TimerMode::MIN_SECONDS..=TimerMode::MAX_SECONDS).contains(&s));
        let rotate_ok = self.rotate_roles_every <= MAX_ROTATE_EVERY;
        let joins_ok = self.joins_per_address >= 1;
        let short = |tag: &str| tag.chars().count() <= MAX_TAG_CHARS;
        let roles_ok = match &self.role_dealing {
            RoleDealing::ChosenFirst { roles } => {
                roles.len() <= RoleDealing::MAX_CHOSEN && roles.iter().all(|role| short(role.as_str()))
            }
            RoleDealing::Random | RoleDealing::ByHand => true,
        };
        let tags_ok = self.themes.len() + self.terms.len() <= MAX_TAGS
            && self.themes.iter().chain(&self.terms).all(|tag| short(tag));
        if hand_ok && timer_ok && rotate_ok && joins_ok && roles_ok && tags_ok {
            Ok(())
        } else {
            Err(Rejection::BadSettings)
        }
    }

    /// The statements of `deck` the trainer's choice of themes and terms lets into the pile:
    /// those with one of the chosen themes or terms, or all when nothing is chosen. A choice the
    /// deck does not hold (left from decks chosen before) counts as no choice, as the lobby
    /// shows it.
    pub fn picked<'a>(&self, deck: &'a StatementDeck) -> impl Iterator<Item = &'a StatementCard> {
        let held = |tag: &&String| {
            deck.cards.iter().any(|card| card.theme.as_ref() == Some(*tag) || card.terms.contains(*tag))
        };
        let themes: Vec<&String> = self.themes.iter().filter(held).collect();
        let terms: Vec<&String> = self.terms.iter().filter(held).collect();
        deck.cards.iter().filter(move |card| {
            (themes.is_empty() && terms.is_empty())
                || card.theme.as_ref().is_some_and(|theme| themes.contains(&theme))
                || card.terms.iter().any(|term| terms.contains(&term))
        })
    }
}
