//! The vocabulary of a room: who acts, what they ask for (commands) and what happened
//! (events). Events record outcomes — the cards dealt, not a seed — so replaying a log never
//! depends on an rng.

use std::fmt;
use std::sync::Arc;

use rand_core::RngCore;
use serde::{Deserialize, Serialize};

use crate::deck::{CardId, RoleDeck, StatementDeck};
use crate::forms::actions::{ActionCommand, ActionEvent, Source};
use crate::forms::mirror::{MirrorCommand, MirrorEvent};
use crate::forms::scale::{ScaleCommand, ScaleEvent};
use crate::forms::table::{TableCommand, TableEvent};
use crate::session::plan::Plan;
use crate::token::TokenDigest;

/// A seat at the table: a player's place in the room, stable for the whole session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SeatId(pub u16);

/// One of the room's trainers; the room's creator is trainer 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TrainerId(pub u16);

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
    Trainer(TrainerId),
    Player(SeatId),
    /// Someone connected to the room who has no seat: a newcomer or an observer.
    Guest,
    /// The server itself, reporting what it observed (connections, the clock).
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

/// Who puts the next statement on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReaderMode {
    /// Players take turns and play from their hand.
    #[default]
    Rotating,
    /// The trainer plays from the deck; players hold no hand.
    Trainer,
}

/// Whom players answer as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// "Vanuit je rol": from the perspective on your role card.
    #[default]
    Role,
    /// "Als jezelf".
    Own,
}

/// The answer timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum TimerMode {
    #[default]
    Off,
    /// A countdown only.
    Soft { seconds: u16 },
    /// At zero the answers are revealed.
    Hard { seconds: u16 },
}

impl TimerMode {
    pub const MIN_SECONDS: u16 = 10;
    pub const MAX_SECONDS: u16 = 900;

    pub fn seconds(self) -> Option<u16> {
        match self {
            TimerMode::Off => None,
            TimerMode::Soft { seconds } | TimerMode::Hard { seconds } => Some(seconds),
        }
    }
}

/// How the role cards are dealt at the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum RoleDealing {
    /// At random from the role deck.
    Random,
    /// At random, except that these roles (ids in the role deck) are dealt first, in this order
    /// while there are seats for them: the perspectives the session is about are always at the
    /// table, whoever gets them. Ids the role deck does not hold are passed over.
    ChosenFirst { roles: Vec<CardId> },
    /// The trainer gives roles to seats in the lobby (`Command::AssignRole`); a seat without
    /// one, and anyone who joins later, gets the next free role.
    ByHand,
}

impl RoleDealing {
    /// Most roles a trainer may put first.
    pub const MAX_CHOSEN: usize = 40;

    /// The kitchen table is about a family: with the 27 kitchen-table roles dealt at random,
    /// eight players miss both the parent and the young person about half the time.
    pub fn family_first() -> RoleDealing {
        RoleDealing::ChosenFirst { roles: vec![CardId::new("ouder"), CardId::new("jongere")] }
    }
}

/// Settings stored before roles could be chosen get the new default, the family first; a
/// room that already started keeps the roles it dealt, since `Started` holds them.
impl Default for RoleDealing {
    fn default() -> RoleDealing {
        RoleDealing::family_first()
    }
}

/// What the trainer chooses for a session, when creating the room or in the lobby.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub hand_size: u8,
    pub reader: ReaderMode,
    pub perspective: Perspective,
    /// Pass the role cards on every so many turns; 0 = never.
    pub rotate_roles_every: u8,
    pub timer: TimerMode,
    /// Reveal as soon as every present player has answered.
    pub auto_reveal: bool,
    /// Show roles but not names in the reveal.
    pub anonymous: bool,
    /// New participants one network address may seat: a group on one wifi behind one public
    /// address must fit, a script must not fill the room.
    #[serde(default = "Settings::default_joins_per_address")]
    pub joins_per_address: u8,
    #[serde(default)]
    pub role_dealing: RoleDealing,
    /// Only statements with one of these themes or one of `terms` are played; with both empty
    /// (and in settings stored before the choice existed), every statement is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

impl Settings {
    pub const MAX_HAND_SIZE: u8 = 7;
    pub const DEFAULT_JOINS_PER_ADDRESS: u8 = 25;

    /// Settings stored before the limit existed get the default.
    fn default_joins_per_address() -> u8 {
        Settings::DEFAULT_JOINS_PER_ADDRESS
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            hand_size: 3,
            reader: ReaderMode::Rotating,
            perspective: Perspective::Role,
            rotate_roles_every: 0,
            timer: TimerMode::Off,
            auto_reveal: true,
            anonymous: false,
            joins_per_address: Settings::DEFAULT_JOINS_PER_ADDRESS,
            role_dealing: RoleDealing::default(),
            themes: Vec::new(),
            terms: Vec::new(),
        }
    }
}

/// What a room is made of. The server fixes the limits; the trainer may change the settings
/// and decks until the game starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub settings: Settings,
    pub max_players: u16,
    /// How long a dropped player's seat is kept for them.
    pub seat_hold_ms: u64,
    /// How long an automatic reveal waits for a player who dropped out while answering (a
    /// reload, a phone that locked): long enough to come back, short enough not to stall.
    #[serde(default = "Setup::default_reveal_grace_ms")]
    pub reveal_grace_ms: u64,
    /// The decks are shared: every room playing a deck holds the same copy (see
    /// `Library` and the server's deck shelf); a log holds them as values.
    pub statements: Arc<StatementDeck>,
    pub roles: Arc<RoleDeck>,
    /// The session's agenda of work forms; `None` for a session of statements only, as in
    /// every log written before work forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda: Option<Plan>,
}

impl Setup {
    pub const DEFAULT_MAX_PLAYERS: u16 = 40;
    pub const DEFAULT_SEAT_HOLD_MS: u64 = 10 * 60 * 1000;
    pub const DEFAULT_REVEAL_GRACE_MS: u64 = 15 * 1000;

    /// Seats a room keeps, players and those who left together: room enough to come and go,
    /// never without end.
    pub fn max_seats(&self) -> u16 {
        self.max_players.saturating_mul(3).max(self.max_players.saturating_add(10))
    }

    /// Logs written before the grace period existed get the default.
    fn default_reveal_grace_ms() -> u64 {
        Setup::DEFAULT_REVEAL_GRACE_MS
    }

    pub fn new(
        settings: Settings,
        statements: impl Into<Arc<StatementDeck>>,
        roles: impl Into<Arc<RoleDeck>>,
    ) -> Setup {
        Setup {
            settings,
            max_players: Setup::DEFAULT_MAX_PLAYERS,
            seat_hold_ms: Setup::DEFAULT_SEAT_HOLD_MS,
            reveal_grace_ms: Setup::DEFAULT_REVEAL_GRACE_MS,
            statements: statements.into(),
            roles: roles.into(),
            agenda: None,
        }
    }
}

/// What a participant asks the room to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Join {
        name: String,
        token: TokenDigest,
    },
    Leave,
    Configure {
        settings: Settings,
        statements: Option<Arc<StatementDeck>>,
        roles: Option<Arc<RoleDeck>>,
    },
    Start,
    Play {
        card: CardId,
    },
    Answer(Answer),
    Reveal,
    Revote,
    Next,
    Skip,
    PauseTimer,
    ResumeTimer,
    Kick {
        seat: SeatId,
        /// Also refuse this name for the rest of the session.
        refuse_name: bool,
    },
    Lock {
        locked: bool,
    },
    /// Only a screen with this token may watch (the projector link the trainer opens); `None`
    /// lets any screen watch again.
    LockScreens {
        token: Option<TokenDigest>,
    },
    AddTrainer {
        token: TokenDigest,
    },
    RemoveTrainer {
        trainer: TrainerId,
    },
    End,
    /// In the lobby, the trainer gives `seat` a role to be dealt when roles are dealt by hand;
    /// `None` takes it back.
    AssignRole {
        seat: SeatId,
        role: Option<CardId>,
    },
    /// From the server: a player's last connection went, or one came back.
    SetPresence {
        seat: SeatId,
        here: bool,
    },
    /// From the server: time has passed; timers and seat holds may run out.
    Tick,
    /// From the server: a player took their seat back; their token is replaced.
    /// Trainer: the agenda from now on. In the lobby anything may change; once the session
    /// runs, the steps that started stay as they were and only those after them change.
    SetAgenda {
        agenda: Plan,
    },
    /// Trainer: the next step of the agenda starts.
    NextStep,
    /// For the schaalvraag step that is running.
    Scale(ScaleCommand),
    Table(TableCommand),
    Mirror(MirrorCommand),
    /// For the verbeteracties step that is running.
    Actions(ActionCommand),
    /// Trainer: marks this moment of the session, with an optional line of note.
    Mark {
        note: Option<String>,
    },
    /// Trainer, in the review (any phase, also after the end): a note on a term's definitions.
    Review(crate::notes::ReviewNote),
    RotateSeatToken {
        seat: SeatId,
        token: TokenDigest,
        /// Which of the seat's tokens the player showed.
        shown: SeatKey,
    },
}

/// Which of a seat's two tokens a `hello` showed: the current one, or the one before it, kept
/// for a player whose welcome with the current one never arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatKey {
    Current,
    Previous,
}

/// Why the answers were shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevealCause {
    /// Every present player had answered.
    AllAnswered,
    /// The trainer said so.
    Trainer,
    /// The hard timer ran out.
    Timer,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// No statement is left to play.
    DeckExhausted,
    /// The trainer ended it.
    Trainer,
}

/// Whether a player is at the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Presence {
    Here,
    /// Their connection dropped at `since`; the seat is held for them.
    Away {
        since: u64,
    },
    /// Gone for good; their cards went back to the pile.
    Left {
        reason: LeaveReason,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// They chose to leave.
    Left,
    /// The trainer removed them.
    Kicked,
    /// They did not come back within the seat hold time.
    Expired,
}

/// What happened in a room. A room's state is the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Created {
        code: RoomCode,
        setup: Box<Setup>,
        trainer: TokenDigest,
    },
    Configured {
        settings: Settings,
        statements: Option<Arc<StatementDeck>>,
        roles: Option<Arc<RoleDeck>>,
    },
    Joined {
        seat: SeatId,
        name: String,
        token: TokenDigest,
    },
    /// The seat's token was replaced. The token shown stays valid as the fallback, in case the
    /// new one never reached the player, but only until the new one is used: a token that
    /// leaked dies as soon as its owner comes back with the newer one.
    SeatTokenRotated {
        seat: SeatId,
        token: TokenDigest,
        /// The player showed the previous token (their welcome with the current one was lost):
        /// the current token, never used, dies and the previous one stays the fallback. False
        /// (and in logs written before this field): the current token was shown and becomes
        /// the fallback.
        #[serde(default)]
        by_previous: bool,
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
        reader: Option<SeatId>,
    },
    /// Each listed seat now holds the listed role.
    RolesPassed {
        roles: Vec<(SeatId, CardId)>,
    },
    /// `by` is the reader, or `None` when the trainer played from the pile.
    Played {
        by: Option<SeatId>,
        card: CardId,
        drew: Option<CardId>,
    },
    TimerStarted {
        deadline: u64,
        remaining_ms: u64,
    },
    TimerPaused {
        remaining_ms: u64,
    },
    TimerExpired,
    Answered {
        seat: SeatId,
        answer: Answer,
    },
    Revealed {
        cause: RevealCause,
    },
    /// The same statement again; the revealed vote is kept to show who moved.
    RevoteOpened,
    /// The statement on the table is put aside unrevealed.
    Skipped,
    Presence {
        seat: SeatId,
        presence: Presence,
    },
    Locked {
        locked: bool,
    },
    /// From now on only a screen with this token may watch; `None`: any screen may.
    ScreensLocked {
        token: Option<TokenDigest>,
    },
    /// A removed participant's name, refused for the rest of the session.
    NameRefused {
        name: String,
    },
    TrainerAdded {
        trainer: TrainerId,
        token: TokenDigest,
    },
    TrainerRemoved {
        trainer: TrainerId,
    },
    Ended {
        reason: EndReason,
    },
    /// The trainer gave `seat` a role for a deal by hand (taking it from any other seat), or
    /// took its role back (`None`).
    RoleAssigned {
        seat: SeatId,
        role: Option<CardId>,
    },
    /// The agenda from now on (the steps that started are unchanged).
    AgendaSet {
        agenda: Plan,
    },
    /// Step `step` (counted from 0) of the agenda started at `at`, the room's clock.
    StepStarted {
        step: u16,
        at: u64,
    },
    /// Something happened in step `step`, a schaalvraag.
    Scale {
        step: u16,
        scale: ScaleEvent,
    },
    /// Something happened in step `step`, verbeteracties.
    Actions {
        step: u16,
        action: ActionEvent,
    },
    /// Something happened in step `step`, a keukentafeluitdaging.
    Table {
        step: u16,
        table: TableEvent,
    },
    /// Something happened in step `step`, a spiegelgesprek.
    Mirror {
        step: u16,
        mirror: MirrorEvent,
    },
    /// The trainer marked a moment (`notes`); never shown to participants.
    Marked {
        mark: crate::notes::Mark,
    },
    /// In the review: the trainer's grouping of a term's definitions, replacing the computed one.
    DefinitionsGrouped {
        term: String,
        groups: Vec<Vec<crate::notes::DefinitionKey>>,
    },
    /// In the review: what the group agreed `term` means (`None`: taken back).
    DefinitionAgreed {
        term: String,
        definition: Option<String>,
    },
}

impl Command {
    /// Whether this is a move of the statement game, which a session with an agenda takes only
    /// while a statements step runs.
    pub fn is_statement_game(&self) -> bool {
        matches!(
            self,
            Command::Play { .. }
                | Command::Answer(_)
                | Command::Reveal
                | Command::Revote
                | Command::Next
                | Command::Skip
                | Command::PauseTimer
                | Command::ResumeTimer
        )
    }
}

impl Event {
    /// The `event` tag it is stored under, without serialising it.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::Configured { .. } => "configured",
            Event::Joined { .. } => "joined",
            Event::SeatTokenRotated { .. } => "seat_token_rotated",
            Event::Started { .. } => "started",
            Event::Dealt { .. } => "dealt",
            Event::TurnStarted { .. } => "turn_started",
            Event::RolesPassed { .. } => "roles_passed",
            Event::Played { .. } => "played",
            Event::TimerStarted { .. } => "timer_started",
            Event::TimerPaused { .. } => "timer_paused",
            Event::TimerExpired => "timer_expired",
            Event::Answered { .. } => "answered",
            Event::Revealed { .. } => "revealed",
            Event::RevoteOpened => "revote_opened",
            Event::Skipped => "skipped",
            Event::Presence { .. } => "presence",
            Event::Locked { .. } => "locked",
            Event::ScreensLocked { .. } => "screens_locked",
            Event::NameRefused { .. } => "name_refused",
            Event::TrainerAdded { .. } => "trainer_added",
            Event::TrainerRemoved { .. } => "trainer_removed",
            Event::Ended { .. } => "ended",
            Event::RoleAssigned { .. } => "role_assigned",
            Event::AgendaSet { .. } => "agenda_set",
            Event::StepStarted { .. } => "step_started",
            Event::Scale { .. } => "scale",
            Event::Actions { .. } => "actions",
            Event::Table { .. } => "table",
            Event::Mirror { .. } => "mirror",
            Event::Marked { .. } => "marked",
            Event::DefinitionsGrouped { .. } => "definitions_grouped",
            Event::DefinitionAgreed { .. } => "definition_agreed",
        }
    }

    /// The one seat that learns more from this event than everyone else does (its own hand,
    /// its own answer), if any. The server shares one serialised broadcast with everybody
    /// else.
    pub fn private_to(&self) -> Option<SeatId> {
        match self {
            Event::Dealt { seat, .. } | Event::Played { by: Some(seat), .. } | Event::Answered { seat, .. } => {
                Some(*seat)
            }
            Event::Presence { seat, presence: Presence::Left { .. } } => Some(*seat),
            Event::Scale { scale: ScaleEvent::Answered { seat, .. }, .. } => Some(*seat),
            Event::Table { table: TableEvent::Placed { seat, .. }, .. } => Some(*seat),
            Event::Mirror { mirror: MirrorEvent::Observed { seat, .. }, .. } => Some(*seat),
            Event::Actions { action: ActionEvent::Proposed { source: Source::Seat { seat }, .. }, .. }
            | Event::Actions { action: ActionEvent::Voted { seat, .. }, .. } => Some(*seat),
            _ => None,
        }
    }

    /// Whether this event belongs to a work form's step, whose view each audience gets whole.
    pub fn is_step_event(&self) -> bool {
        matches!(
            self,
            Event::AgendaSet { .. }
                | Event::StepStarted { .. }
                | Event::Scale { .. }
                | Event::Actions { .. }
                | Event::Table { .. }
                | Event::Mirror { .. }
        )
    }

    /// Whether only trainers may hear of this event: their own notes on the session.
    pub fn is_trainer_note(&self) -> bool {
        matches!(self, Event::Marked { .. } | Event::DefinitionsGrouped { .. } | Event::DefinitionAgreed { .. })
    }

    /// Whether trainers learn more from this event than players do: the pile they play from
    /// changed.
    pub fn changes_pile(&self) -> bool {
        matches!(
            self,
            Event::Started { .. }
                | Event::Dealt { .. }
                | Event::Played { .. }
                | Event::Presence { presence: Presence::Left { .. }, .. }
        )
    }
}
