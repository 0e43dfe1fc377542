//! What each participant may see, and how their copy of it stays current.
//!
//! Hidden information is enforced here and nowhere else. A participant gets a `View` when
//! they connect and then `Update`s, which `View::apply` folds in; the browser and the test
//! clients use the same reducer. Before a reveal no update carries another player's answer,
//! and no update ever carries another player's hand.

use serde::{Deserialize, Serialize};

use crate::deck::{CardId, RoleCard, StatementCard};
use crate::event::{
    Answer, EndReason, Event, Position, Presence, ReaderMode, RevealCause, RoomCode, SeatId, Settings, TrainerId,
};
use crate::library::{term_label, theme_label};
use crate::room::{Phase, Room, Timer, Turn};
use crate::text::Text;

mod steps;
pub use crate::forms::mirror::MirrorView;
pub use steps::{ActionsStepView, MineView, ScaleStepView, SessionView, StepView, TableStepView};

/// Who a connection is, as far as the room is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Identity {
    Trainer { trainer: TrainerId },
    Player { seat: SeatId },
    Observer,
}

/// Everything one participant may know about the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub code: RoomCode,
    pub you: Identity,
    pub settings: Settings,
    pub decks: Decks,
    pub locked: bool,
    /// Whether only a screen with its own token may watch (the trainer's projector link).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub screens_private: bool,
    /// The number of the latest projector link, so a console holding an older one (made by
    /// another trainer since) offers to make a new one instead of a link that no longer works.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub screen_link: u32,
    pub trainers: Vec<TrainerId>,
    pub seats: Vec<SeatView>,
    /// In the lobby, the roles the trainer gave seats for a deal by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assigned: Vec<(SeatId, CardId)>,
    /// Your own statement cards; empty for trainers and observers.
    pub hand: Vec<StatementCard>,
    /// The statements a trainer can play from; only trainers get it, and only when they read.
    pub pile: Vec<StatementCard>,
    pub phase: PhaseView,
    /// The agenda and its running step, when the session has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionView>,
    /// What is yours alone in the running step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<MineView>,
    /// How many moments the trainers marked; only trainers are told.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub marks: u32,
}

/// The decks a room plays with. A statement deck combined from several has their ids joined
/// by `+` (deck ids never hold a `+`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decks {
    pub statements: DeckInfo,
    pub roles: DeckInfo,
    /// The themes of the statement deck, named in both languages, with how many statements
    /// carry each: what the lobby offers to pick statements by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<Tag>,
    /// The same for its terms; also how a statement's term tags read in English.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Tag>,
    /// The role deck's roles without their perspectives, for the trainer to choose from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_cards: Vec<RoleName>,
}

impl Decks {
    /// A term as the visitor reads it: its English name from the glossary, or as written.
    pub fn term_label(&self, term: &str) -> Text {
        self.terms.iter().find(|tag| tag.tag == term).map_or_else(|| Text::new(term, ""), |tag| tag.label.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckInfo {
    pub id: String,
    pub title: Text,
    /// Where the deck's themes come from; for decks played together, each deck's in turn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
}

/// A theme or term as decks write it (`botsende-waarden`), as people read it, and on how many
/// statements it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub tag: String,
    pub label: Text,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleName {
    pub id: CardId,
    pub name: Text,
    pub group: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatView {
    pub seat: SeatId,
    pub name: String,
    /// Role cards are face up: everyone knows from which perspective the others answer.
    pub role: Option<RoleCard>,
    pub presence: Presence,
}

impl SeatView {
    /// Gone for good: left, removed, or their seat's hold ran out.
    pub fn has_left(&self) -> bool {
        matches!(self.presence, Presence::Left { .. })
    }
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
    /// `None` when the trainer reads.
    pub reader: Option<SeatId>,
    pub statement: Option<StatementCard>,
    /// 1 for the first vote, 2 for the first re-vote, …
    pub vote: u8,
    /// Who has answered in this vote, without what.
    pub answered: Vec<SeatId>,
    /// Your own answer in this vote.
    pub mine: Option<Answer>,
    /// At a re-vote, your answer in the vote before it, so you can see what you said.
    pub mine_before: Option<Answer>,
    pub timer: Option<TimerView>,
    pub reveal: Option<Reveal>,
}

/// The answer timer as it stood when this view or update was made; the client counts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerView {
    pub remaining_ms: u64,
    pub running: bool,
}

/// All answers of one vote, shown together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveal {
    pub cause: RevealCause,
    pub vote: u8,
    pub answers: Vec<RevealedAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedAnswer {
    /// Who answered; `None` in an anonymous reveal.
    pub seat: Option<SeatId>,
    /// The role they answered from.
    pub role: Option<Text>,
    pub answer: Answer,
    /// Their position in the vote before a re-vote, to show who moved.
    pub before: Option<Position>,
}

/// One change to a `View`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Update {
    Configured {
        settings: Settings,
        decks: Decks,
    },
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
    /// The pile as it is now (only ever sent to trainers, and only when they read).
    Pile {
        cards: Vec<StatementCard>,
    },
    TurnStarted {
        turn: u32,
        reader: Option<SeatId>,
    },
    RolesPassed {
        roles: Vec<(SeatId, RoleCard)>,
    },
    Played {
        by: Option<SeatId>,
        card: StatementCard,
    },
    Timer {
        timer: Option<TimerView>,
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
    RevoteOpened {
        vote: u8,
    },
    Presence {
        seat: SeatId,
        presence: Presence,
    },
    Locked {
        locked: bool,
    },
    /// Only a screen with its own token may watch from now on, or any screen may again.
    ScreensPrivate {
        private: bool,
        #[serde(default)]
        link: u32,
    },
    Trainers {
        trainers: Vec<TrainerId>,
    },
    Ended {
        reason: EndReason,
    },
    /// In the lobby: `seat` is given `role` for a deal by hand (taken from any other seat), or
    /// its role is taken back.
    /// The agenda and the running step as they are now (trainers get their own).
    Session {
        session: Box<SessionView>,
    },
    /// What is yours alone in the running step (only ever sent to you).
    YourStep {
        mine: MineView,
    },
    RoleAssigned {
        seat: SeatId,
        role: Option<CardId>,
    },
    /// A trainer marked a moment; `count` marked so far (only ever sent to trainers).
    Marked {
        count: u32,
    },
}

impl Update {
    /// Every `kind` an update can have, for the protocol document's test.
    pub const KINDS: &'static [&'static str] = &[
        "configured",
        "joined",
        "role_dealt",
        "hand",
        "pile",
        "turn_started",
        "roles_passed",
        "played",
        "timer",
        "answered",
        "your_answer",
        "revealed",
        "revote_opened",
        "presence",
        "locked",
        "screens_private",
        "trainers",
        "ended",
        "role_assigned",
        "session",
        "your_step",
        "marked",
    ];
}

/// Whom a projection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Players the event is not private to, and observers.
    Everyone,
    /// Trainers: everything everyone sees, plus the pile when they read.
    Trainer,
    /// The one seat an event is private to.
    Seat(SeatId),
}

impl Room {
    /// Whom `identity` counts as for `event`: the seat it is private to, a trainer who plays
    /// from the pile it changes, or everyone.
    pub fn audience(&self, identity: Identity, event: &Event) -> Audience {
        match identity {
            Identity::Player { seat } if event.private_to() == Some(seat) => Audience::Seat(seat),
            // What is yours in a step can change by someone else's move (the trainer merges your
            // proposal, closes the vote): every step event brings each player their own part.
            Identity::Player { seat } if event.is_step_event() => Audience::Seat(seat),
            Identity::Trainer { .. } if event.changes_pile() && self.settings().reader == ReaderMode::Trainer => {
                Audience::Trainer
            }
            Identity::Trainer { .. } if event.is_step_event() || event.is_trainer_note() => Audience::Trainer,
            _ => Audience::Everyone,
        }
    }

    /// The full view for one participant at time `now`.
    pub fn view(&self, you: Identity, now: u64) -> View {
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
                presence: state.presence,
            })
            .collect();
        let hand =
            own_seat.and_then(|seat| self.seat(seat)).map(|seat| self.statements(&seat.hand)).unwrap_or_default();
        let pile = if matches!(you, Identity::Trainer { .. }) { self.trainer_pile() } else { Vec::new() };
        let phase = match self.phase() {
            Phase::Lobby => PhaseView::Lobby,
            Phase::Ended(reason) => PhaseView::Ended { reason: *reason },
            Phase::Turn(turn) => PhaseView::Turn(Box::new(TurnView {
                number: turn.number,
                reader: turn.reader,
                statement: turn.statement.as_ref().and_then(|id| self.setup().statements.card(id)).cloned(),
                vote: turn.vote,
                answered: turn.answers.keys().copied().collect(),
                mine: own_seat.and_then(|seat| turn.answers.get(&seat)).cloned(),
                mine_before: own_seat
                    .and_then(|seat| turn.previous.as_ref().and_then(|previous| previous.get(&seat)))
                    .cloned(),
                timer: turn.timer.filter(|_| turn.is_answering()).map(|timer| timer_view(timer, now)),
                reveal: turn.revealed.map(|cause| self.revealed(turn, cause)),
            })),
        };
        View {
            code: self.code().clone(),
            you,
            settings: self.settings().clone(),
            decks: self.deck_titles(),
            locked: self.is_locked(),
            screens_private: self.screens_need_token(),
            screen_link: self.screen_link(),
            trainers: self.trainers().collect(),
            seats,
            assigned: match self.phase() {
                Phase::Lobby => self.assigned_roles().map(|(seat, role)| (seat, role.clone())).collect(),
                _ => Vec::new(),
            },
            hand,
            pile,
            phase,
            session: self.session_view(
                match you {
                    Identity::Trainer { .. } => Some(crate::forms::Who::Trainer),
                    _ => None,
                },
                Some(now),
            ),
            mine: own_seat.and_then(|seat| self.mine_view(seat)),
            marks: if matches!(you, Identity::Trainer { .. }) { self.marks() } else { 0 },
        }
    }

    /// What `audience` learns from `event`, which has just been applied to this room.
    pub fn updates(&self, event: &Event, audience: Audience) -> Vec<Update> {
        let mut updates = self.public_updates(event);
        updates.extend(self.audience_updates(event, audience));
        updates
    }

    /// What `audience` learns from `event` beyond what everyone learns: a seat its own answer or
    /// hand, trainers the pile.
    pub fn audience_updates(&self, event: &Event, audience: Audience) -> Vec<Update> {
        if event.is_trainer_note() {
            return match (event, audience) {
                (Event::Marked { .. }, Audience::Trainer) => vec![Update::Marked { count: self.marks() }],
                _ => Vec::new(),
            };
        }
        if event.is_step_event() {
            return self.step_updates_for(event, audience);
        }
        match audience {
            Audience::Everyone => Vec::new(),
            Audience::Trainer => vec![Update::Pile { cards: self.trainer_pile() }],
            Audience::Seat(seat) => match event {
                Event::Answered { answer, .. } => vec![Update::YourAnswer { answer: answer.clone() }],
                _ => vec![Update::Hand {
                    cards: self.seat(seat).map(|state| self.statements(&state.hand)).unwrap_or_default(),
                }],
            },
        }
    }

    /// What everyone learns from `event`.
    pub fn public_updates(&self, event: &Event) -> Vec<Update> {
        let role = |id: &CardId| self.setup().roles.card(id).cloned();
        match event {
            // A session with an agenda may start with another work form: it is under way, with no
            // statement dealt yet (a session of statements only deals one at once).
            Event::Started { .. } if self.agenda().is_some() => {
                vec![Update::TurnStarted { turn: 0, reader: None }]
            }
            Event::Created { .. } | Event::Started { .. } | Event::Skipped | Event::SeatTokenRotated { .. } => {
                Vec::new()
            }
            Event::Configured { settings, .. } => {
                vec![Update::Configured { settings: settings.clone(), decks: self.deck_titles() }]
            }
            Event::Joined { seat, name, .. } => vec![Update::Joined { seat: *seat, name: name.clone() }],
            Event::Dealt { seat, role: id, .. } => {
                role(id).map(|role| Update::RoleDealt { seat: *seat, role }).into_iter().collect()
            }
            Event::TurnStarted { turn, reader } => vec![Update::TurnStarted { turn: *turn, reader: *reader }],
            Event::RolesPassed { roles } => vec![Update::RolesPassed {
                roles: roles.iter().filter_map(|(seat, id)| Some((*seat, role(id)?))).collect(),
            }],
            Event::Played { by, card, .. } => {
                let card = self.setup().statements.card(card).cloned();
                card.map(|card| Update::Played { by: *by, card }).into_iter().collect()
            }
            Event::TimerStarted { remaining_ms, .. } => {
                vec![Update::Timer { timer: Some(TimerView { remaining_ms: *remaining_ms, running: true }) }]
            }
            Event::TimerPaused { remaining_ms } => {
                vec![Update::Timer { timer: Some(TimerView { remaining_ms: *remaining_ms, running: false }) }]
            }
            Event::TimerExpired => vec![Update::Timer { timer: Some(TimerView { remaining_ms: 0, running: false }) }],
            Event::Answered { seat, .. } => vec![Update::Answered { seat: *seat }],
            Event::Revealed { cause } => match self.phase() {
                Phase::Turn(turn) => vec![Update::Revealed { reveal: self.revealed(turn, *cause) }],
                _ => Vec::new(),
            },
            Event::RevoteOpened => match self.phase() {
                Phase::Turn(turn) => vec![Update::RevoteOpened { vote: turn.vote }],
                _ => Vec::new(),
            },
            Event::Presence { seat, presence } => vec![Update::Presence { seat: *seat, presence: *presence }],
            Event::Locked { locked } => vec![Update::Locked { locked: *locked }],
            Event::ScreensLocked { token } => {
                vec![Update::ScreensPrivate { private: token.is_some(), link: self.screen_link() }]
            }
            Event::NameRefused { .. }
            | Event::Marked { .. }
            | Event::DefinitionsGrouped { .. }
            | Event::DefinitionAgreed { .. } => Vec::new(),
            Event::TrainerAdded { .. } | Event::TrainerRemoved { .. } => {
                vec![Update::Trainers { trainers: self.trainers().collect() }]
            }
            Event::Ended { reason } => vec![Update::Ended { reason: *reason }],
            Event::RoleAssigned { seat, role } => vec![Update::RoleAssigned { seat: *seat, role: role.clone() }],
            Event::AgendaSet { .. }
            | Event::StepStarted { .. }
            | Event::Scale { .. }
            | Event::Actions { .. }
            | Event::Table { .. }
            | Event::Mirror { .. } => self.public_step_updates(event),
        }
    }

    fn revealed(&self, turn: &Turn, cause: RevealCause) -> Reveal {
        let anonymous = self.settings().anonymous;
        let mut answers: Vec<RevealedAnswer> = turn
            .answers
            .iter()
            .map(|(seat, answer)| RevealedAnswer {
                seat: (!anonymous).then_some(*seat),
                role: self
                    .seat(*seat)
                    .and_then(|state| state.role.as_ref())
                    .and_then(|role| self.setup().roles.card(role))
                    .map(|role| role.name.clone()),
                answer: answer.clone(),
                before: turn.previous.as_ref().and_then(|previous| previous.get(seat)).map(|answer| answer.position),
            })
            .collect();
        if anonymous {
            // Seat order is join order, which everyone saw: sort so it tells nothing.
            answers.sort_by(|a, b| {
                (position_rank(a.answer.position), &a.role.as_ref().map(|r| &r.nl))
                    .cmp(&(position_rank(b.answer.position), &b.role.as_ref().map(|r| &r.nl)))
            });
        }
        Reveal { cause, vote: turn.vote, answers }
    }

    fn trainer_pile(&self) -> Vec<StatementCard> {
        match self.settings().reader {
            ReaderMode::Trainer => self.statements(&self.pile().cloned().collect::<Vec<_>>()),
            ReaderMode::Rotating => Vec::new(),
        }
    }

    fn deck_titles(&self) -> Decks {
        let setup = self.setup();
        let cards = &setup.statements.cards;
        Decks {
            statements: DeckInfo {
                id: setup.statements.id.clone(),
                title: setup.statements.title.clone(),
                source: setup.statements.source.clone(),
            },
            roles: DeckInfo {
                id: setup.roles.id.clone(),
                title: setup.roles.title.clone(),
                source: setup.roles.source.clone(),
            },
            themes: tags(cards.iter().filter_map(|card| card.theme.as_deref()), theme_label),
            terms: tags(cards.iter().flat_map(|card| card.terms.iter().map(String::as_str)), term_label),
            role_cards: (setup.roles.cards.iter())
                .map(|role| RoleName { id: role.id.clone(), name: role.name.clone(), group: role.group.clone() })
                .collect(),
        }
    }

    fn statements(&self, ids: &[CardId]) -> Vec<StatementCard> {
        ids.iter().filter_map(|id| self.setup().statements.card(id)).cloned().collect()
    }
}

/// Each tag once, in the order of the deck, with how often it occurs.
fn tags<'a>(found: impl Iterator<Item = &'a str>, label: fn(&str) -> Text) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    for tag in found {
        match tags.iter_mut().find(|known| known.tag == tag) {
            Some(known) => known.count += 1,
            None => tags.push(Tag { tag: tag.to_owned(), label: label(tag), count: 1 }),
        }
    }
    tags
}

fn position_rank(position: Position) -> u8 {
    match position {
        Position::Scale(n) => n,
        Position::Pass => Position::MAX + 1,
    }
}

fn timer_view(timer: Timer, now: u64) -> TimerView {
    match timer {
        Timer::Running { deadline } => TimerView { remaining_ms: deadline.saturating_sub(now), running: true },
        Timer::Paused { remaining_ms } => TimerView { remaining_ms, running: false },
        Timer::Expired => TimerView { remaining_ms: 0, running: false },
    }
}

impl View {
    /// Folds one update in. The browser and the test clients keep their copy with this.
    pub fn apply(&mut self, update: &Update) {
        match update {
            Update::Configured { settings, decks } => {
                self.settings = settings.clone();
                self.decks = decks.clone();
                self.assigned.retain(|(_, role)| decks.role_cards.iter().any(|card| &card.id == role));
            }
            Update::Joined { seat, name } => {
                if self.seat(*seat).is_none() {
                    let presence = Presence::Here;
                    self.seats.push(SeatView { seat: *seat, name: name.clone(), role: None, presence });
                }
            }
            Update::RoleDealt { seat, role } => {
                if let Some(known) = self.seat_mut(*seat) {
                    known.role = Some(role.clone());
                }
            }
            Update::RolesPassed { roles } => {
                for (seat, role) in roles {
                    if let Some(known) = self.seat_mut(*seat) {
                        known.role = Some(role.clone());
                    }
                }
            }
            Update::Hand { cards } => self.hand.clone_from(cards),
            Update::Pile { cards } => self.pile.clone_from(cards),
            Update::TurnStarted { turn, reader } => {
                self.assigned.clear();
                self.phase = PhaseView::Turn(Box::new(TurnView {
                    number: *turn,
                    reader: *reader,
                    statement: None,
                    vote: 1,
                    answered: Vec::new(),
                    mine: None,
                    mine_before: None,
                    timer: None,
                    reveal: None,
                }));
            }
            Update::Played { card, .. } => self.with_turn(|turn| turn.statement = Some(card.clone())),
            Update::Timer { timer } => self.with_turn(|turn| turn.timer = *timer),
            Update::Answered { seat } => self.with_turn(|turn| {
                if let Err(at) = turn.answered.binary_search(seat) {
                    turn.answered.insert(at, *seat);
                }
            }),
            Update::YourAnswer { answer } => self.with_turn(|turn| turn.mine = Some(answer.clone())),
            Update::Revealed { reveal } => self.with_turn(|turn| {
                turn.reveal = Some(reveal.clone());
                turn.timer = None;
            }),
            Update::RevoteOpened { vote } => self.with_turn(|turn| {
                turn.vote = *vote;
                turn.answered.clear();
                turn.mine_before = turn.mine.take();
                turn.reveal = None;
                turn.timer = None;
            }),
            Update::Presence { seat, presence } => {
                if let Some(known) = self.seat_mut(*seat) {
                    known.presence = *presence;
                }
                if matches!(presence, Presence::Left { .. }) {
                    self.assigned.retain(|(given, _)| given != seat);
                }
            }
            Update::Locked { locked } => self.locked = *locked,
            Update::ScreensPrivate { private, link } => {
                self.screens_private = *private;
                self.screen_link = *link;
            }
            Update::Trainers { trainers } => self.trainers.clone_from(trainers),
            Update::Ended { reason } => {
                self.assigned.clear();
                self.phase = PhaseView::Ended { reason: *reason };
            }
            Update::RoleAssigned { seat, role } => {
                self.assigned.retain(|(given, held)| given != seat && Some(held) != role.as_ref());
                if let Some(role) = role {
                    self.assigned.push((*seat, role.clone()));
                    self.assigned.sort();
                }
            }
            Update::Session { session } => {
                let mut session = (**session).clone();
                if session.running_ms.is_none() {
                    session.running_ms = self.session.as_ref().and_then(|known| known.running_ms);
                }
                if self.mine.as_ref().is_some_and(|mine| !mine.belongs_to(&session)) {
                    self.mine = None;
                }
                self.session = Some(session);
            }
            Update::YourStep { mine } => self.mine = (!mine.is_empty()).then(|| mine.clone()),
            Update::Marked { count } => self.marks = *count,
        }
    }

    fn with_turn(&mut self, change: impl FnOnce(&mut TurnView)) {
        if let PhaseView::Turn(turn) = &mut self.phase {
            change(turn);
        }
    }

    pub fn seat(&self, seat: SeatId) -> Option<&SeatView> {
        self.seats.iter().find(|known| known.seat == seat)
    }

    fn seat_mut(&mut self, seat: SeatId) -> Option<&mut SeatView> {
        self.seats.iter_mut().find(|known| known.seat == seat)
    }

    /// How far the current vote is: how many answered, of the players who are here or have
    /// answered. `None` when no statement is open for answers.
    pub fn answer_count(&self) -> Option<(usize, usize)> {
        let PhaseView::Turn(turn) = &self.phase else { return None };
        if turn.statement.is_none() || turn.reveal.is_some() {
            return None;
        }
        let expected = self
            .seats
            .iter()
            .filter(|seat| seat.presence == Presence::Here || turn.answered.contains(&seat.seat))
            .filter(|seat| !seat.has_left())
            .count();
        Some((turn.answered.len(), expected))
    }

    /// The players still in the session, here or away for a moment, in seat order.
    pub fn seated(&self) -> impl Iterator<Item = &SeatView> {
        self.seats.iter().filter(|seat| !seat.has_left())
    }

    /// Your seat, if you are a player.
    pub fn my_seat(&self) -> Option<SeatId> {
        match self.you {
            Identity::Player { seat } => Some(seat),
            _ => None,
        }
    }

    pub fn is_trainer(&self) -> bool {
        matches!(self.you, Identity::Trainer { .. })
    }

    /// In the lobby, the role the trainer gave `seat` for a deal by hand, if any: what a
    /// participant's phone shows before the start, so nobody is surprised by their card.
    pub fn assigned_role(&self, seat: SeatId) -> Option<&RoleName> {
        let (_, role) = self.assigned.iter().find(|(given, _)| *given == seat)?;
        self.decks.role_cards.iter().find(|card| &card.id == role)
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
