//! The room state machine: `handle` decides what a command means, `apply` records it.
//!
//! `handle` never changes the room; it answers with the events that should happen or a
//! rejection. `apply` folds one event into the state and never fails, so a room restored from
//! its log is exactly the room that wrote it.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use rand_core::RngCore;

use crate::deck::{CardId, RoleDeck, StatementDeck};
use crate::event::{
    Actor, Command, EndReason, Event, LeaveReason, Perspective, Presence, RoleDealing, RoomCode, SeatId, SeatKey,
    Settings, Setup, TrainerId,
};
use crate::forms::statements::Table;
pub use crate::forms::statements::{MAX_VOTES, Timer, Turn};
use crate::names;
use crate::random::shuffle;
use crate::rejection::Rejection;
use crate::session::plan::{Plan, StepRun};
use crate::token::TokenDigest;

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
    pub token: TokenDigest,
    pub previous_token: Option<TokenDigest>,
    pub role: Option<CardId>,
    pub hand: Vec<CardId>,
    pub presence: Presence,
}

impl Seat {
    pub fn is_here(&self) -> bool {
        self.presence == Presence::Here
    }

    pub fn has_left(&self) -> bool {
        matches!(self.presence, Presence::Left { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Lobby,
    Turn(Turn),
    Ended(EndReason),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    code: RoomCode,
    /// Shared, so cloning a room (the shell keeps one to roll back to) copies no deck.
    setup: Arc<Setup>,
    trainers: BTreeMap<TrainerId, TokenDigest>,
    seats: Vec<Seat>,
    /// Statements nobody holds yet, in dealing order.
    pile: VecDeque<CardId>,
    /// Statements that have been on the table.
    played: Vec<CardId>,
    /// The shuffled role deck; roles are dealt uniquely while it lasts, then reused in order.
    role_order: Vec<CardId>,
    roles_dealt: usize,
    locked: bool,
    /// When set, only a screen with this token may watch.
    screen_token: Option<TokenDigest>,
    /// How many projector links have been made: a console holding an older one knows it.
    screen_links: u32,
    /// Names the trainer removed and refused for the rest of the session (compared as
    /// `names::same` does: case and look-alike letters do not help).
    refused_names: Vec<String>,
    /// Roles the trainer gave seats in the lobby, for a deal by hand; never two seats one role.
    assigned: BTreeMap<SeatId, CardId>,
    phase: Phase,
    /// The agenda's steps that have started, the running one last (`room/steps.rs`).
    steps: Vec<StepRun>,
    /// How many moments the trainer marked.
    marks: u32,
    /// What the group agreed each term means, as the trainer wrote it down in the review.
    agreed: BTreeMap<String, String>,
}

impl Room {
    /// The room as its `Created` event describes it.
    pub fn new(code: RoomCode, setup: Setup, trainer: TokenDigest) -> Room {
        Room {
            code,
            setup: Arc::new(setup),
            trainers: BTreeMap::from([(TrainerId(0), trainer)]),
            seats: Vec::new(),
            pile: VecDeque::new(),
            played: Vec::new(),
            role_order: Vec::new(),
            roles_dealt: 0,
            locked: false,
            screen_token: None,
            screen_links: 0,
            refused_names: Vec::new(),
            assigned: BTreeMap::new(),
            phase: Phase::Lobby,
            steps: Vec::new(),
            marks: 0,
            agreed: BTreeMap::new(),
        }
    }

    /// Rebuilds a room from its log; `None` if the log does not start with `Created`.
    pub fn replay<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<Room> {
        let mut events = events.into_iter();
        let Some(Event::Created { code, setup, trainer }) = events.next() else {
            return None;
        };
        let mut room = Room::new(code.clone(), (**setup).clone(), *trainer);
        events.for_each(|event| room.apply(event));
        Some(room)
    }

    /// Swaps the decks this room plays with for the equal copies `statements` and `roles` hand
    /// back, so rooms playing the same deck hold it once (a room read back from its log has
    /// its own copy until then).
    pub fn share_decks(
        &mut self,
        statements: impl FnOnce(Arc<StatementDeck>) -> Arc<StatementDeck>,
        roles: impl FnOnce(Arc<RoleDeck>) -> Arc<RoleDeck>,
    ) {
        let setup = Arc::make_mut(&mut self.setup);
        setup.statements = statements(setup.statements.clone());
        setup.roles = roles(setup.roles.clone());
    }

    pub fn code(&self) -> &RoomCode {
        &self.code
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    pub fn settings(&self) -> &Settings {
        &self.setup.settings
    }

    pub fn seats(&self) -> impl Iterator<Item = (SeatId, &Seat)> {
        self.seats.iter().enumerate().map(|(i, seat)| (seat_id(i), seat))
    }

    pub fn seat(&self, seat: SeatId) -> Option<&Seat> {
        self.seats.get(usize::from(seat.0))
    }

    pub fn trainers(&self) -> impl Iterator<Item = TrainerId> + '_ {
        self.trainers.keys().copied()
    }

    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// Whether only a screen with its own token may watch.
    pub fn screens_need_token(&self) -> bool {
        self.screen_token.is_some()
    }

    /// The number of the latest projector link (1 for the first); 0 before any.
    pub fn screen_link(&self) -> u32 {
        self.screen_links
    }

    /// Whether a screen that says hello with `token` may watch: any screen, unless the trainer
    /// made the projector link need its token.
    pub fn may_watch(&self, token: Option<&str>) -> bool {
        match (&self.screen_token, token) {
            (None, _) => true,
            (Some(digest), Some(token)) => digest.matches(token),
            (Some(_), None) => false,
        }
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn pile(&self) -> impl ExactSizeIterator<Item = &CardId> {
        self.pile.iter()
    }

    pub fn played(&self) -> &[CardId] {
        &self.played
    }

    /// The roles the trainer gave seats in the lobby, for a deal by hand.
    pub fn assigned_roles(&self) -> impl Iterator<Item = (SeatId, &CardId)> {
        self.assigned.iter().map(|(seat, role)| (*seat, role))
    }

    /// The trainer whose token this is.
    pub fn trainer_with_token(&self, token: &str) -> Option<TrainerId> {
        self.trainers.iter().find(|(_, digest)| digest.matches(token)).map(|(trainer, _)| *trainer)
    }

    /// The seat whose token this is, unless it has been given up.
    pub fn seat_with_token(&self, token: &str) -> Option<SeatId> {
        self.seat_key(token).map(|(seat, _)| seat)
    }

    /// The seat whose token this is, and whether it is the seat's current token or the one
    /// before it (still valid until the current one is used).
    pub fn seat_key(&self, token: &str) -> Option<(SeatId, SeatKey)> {
        let key = |seat: &Seat| {
            if seat.token.matches(token) {
                Some(SeatKey::Current)
            } else if seat.previous_token.is_some_and(|previous| previous.matches(token)) {
                Some(SeatKey::Previous)
            } else {
                None
            }
        };
        self.seats().filter(|(_, seat)| !seat.has_left()).find_map(|(id, seat)| key(seat).map(|key| (id, key)))
    }

    /// When, after `now`, the room next needs a `Tick`: a running timer, a seat hold or a
    /// reveal's grace period runs out. (A timer or a hold that ran out at `now` is still due: its
    /// tick changes the room. A grace period that ran out is over once ticked.)
    pub fn next_deadline(&self, now: u64) -> Option<u64> {
        let statements = match &self.phase {
            Phase::Turn(turn) => self.statement_table().deadlines(turn, now),
            _ => Vec::new(),
        };
        let holds = self.seats.iter().filter_map(|seat| match seat.presence {
            Presence::Away { since } => Some(since.saturating_add(self.setup.seat_hold_ms)),
            _ => None,
        });
        let step_graces = self.step_grace_ends().into_iter().filter(|deadline| *deadline > now);
        statements.into_iter().chain(holds).chain(step_graces).min()
    }

    /// Decides what `command` from `actor` means now. Never changes the room.
    pub fn handle(&self, actor: Actor, command: Command, ctx: &mut Context<'_>) -> Result<Vec<Event>, Rejection> {
        let now = ctx.now;
        if command.is_statement_game() {
            self.require_statements_step()?;
        }
        match command {
            Command::Join { name, token } => self.join(actor, &name, token),
            Command::Leave => {
                let seat = self.require_player(actor)?;
                Ok(self.leave(seat, LeaveReason::Left, now))
            }
            Command::Configure { settings, statements, roles } => {
                self.require_trainer(actor)?;
                if self.phase != Phase::Lobby {
                    return Err(Rejection::WrongPhase);
                }
                settings.validate()?;
                Ok(vec![Event::Configured { settings, statements, roles }])
            }
            Command::Start => self.start(actor, ctx.rng, now),
            Command::Play { card } => self.statement_table().play(self.turn()?, self.who(actor)?, card, now),
            Command::Answer(answer) => {
                let seat = self.require_player(actor)?;
                self.statement_table().answer(self.turn()?, seat, answer, now)
            }
            Command::Reveal => {
                self.require_trainer(actor)?;
                self.turn()?.reveal()
            }
            Command::Revote => {
                self.require_trainer(actor)?;
                self.statement_table().revote(self.turn()?, now)
            }
            Command::Next => {
                self.require_trainer(actor)?;
                let turn = self.turn()?;
                if turn.is_answering() {
                    return Err(Rejection::WrongPhase);
                }
                Ok(self.next_turn(turn, now))
            }
            Command::Skip => {
                self.require_trainer(actor)?;
                let turn = self.turn()?.require_answering()?;
                Ok([Event::Skipped].into_iter().chain(self.next_turn(turn, now)).collect())
            }
            Command::PauseTimer => {
                self.require_trainer(actor)?;
                self.turn()?.pause_timer(now)
            }
            Command::ResumeTimer => {
                self.require_trainer(actor)?;
                self.turn()?.resume_timer(now)
            }
            Command::Kick { seat, refuse_name } => {
                self.require_trainer(actor)?;
                match self.seat(seat) {
                    Some(known) if !known.has_left() => {
                        let mut events = self.leave(seat, LeaveReason::Kicked, now);
                        if refuse_name {
                            events.push(Event::NameRefused { name: known.name.clone() });
                        }
                        Ok(events)
                    }
                    _ => Err(Rejection::UnknownSeat),
                }
            }
            Command::Lock { locked } => {
                self.require_trainer(actor)?;
                Ok(if locked == self.locked { Vec::new() } else { vec![Event::Locked { locked }] })
            }
            Command::LockScreens { token } => {
                self.require_trainer(actor)?;
                let unchanged = token.is_none() && self.screen_token.is_none();
                Ok(if unchanged { Vec::new() } else { vec![Event::ScreensLocked { token }] })
            }
            Command::AddTrainer { token } => {
                self.require_trainer(actor)?;
                let next = self.trainers.keys().next_back().map_or(0, |last| last.0 + 1);
                Ok(vec![Event::TrainerAdded { trainer: TrainerId(next), token }])
            }
            Command::RemoveTrainer { trainer } => {
                self.require_trainer(actor)?;
                if !self.trainers.contains_key(&trainer) {
                    return Err(Rejection::UnknownTrainer);
                }
                if self.trainers.len() == 1 {
                    return Err(Rejection::LastTrainer);
                }
                Ok(vec![Event::TrainerRemoved { trainer }])
            }
            Command::End => {
                self.require_trainer(actor)?;
                if matches!(self.phase, Phase::Ended(_)) {
                    return Err(Rejection::RoomEnded);
                }
                Ok(vec![Event::Ended { reason: EndReason::Trainer }])
            }
            Command::AssignRole { seat, role } => self.assign_role(actor, seat, role),
            Command::SetAgenda { agenda } => self.set_agenda(actor, agenda, now),
            Command::NextStep => self.next_step(actor, now),
            Command::Scale(command) => self.scale(actor, command, now),
            Command::Table(command) => self.kitchen_table(actor, command, now),
            Command::Mirror(command) => self.mirror(actor, command),
            Command::Actions(command) => self.actions(actor, command),
            Command::Mark { note } => self.mark(actor, note),
            Command::Review(note) => {
                self.require_trainer(actor)?;
                let event = crate::notes::review_note(note)?;
                match &event {
                    // At most as many agreed terms as a draaiboek carries.
                    Event::DefinitionAgreed { term, definition: Some(_) }
                        if !self.agreed.contains_key(term)
                            && self.agreed.len() >= crate::session::agenda::MAX_AGREED =>
                    {
                        Err(Rejection::BadMessage(format!(
                            "at most {} agreed definitions",
                            crate::session::agenda::MAX_AGREED
                        )))
                    }
                    // A grouping names seats the room has.
                    Event::DefinitionsGrouped { groups, .. }
                        if groups.iter().flatten().any(|key| self.seat(key.seat).is_none()) =>
                    {
                        Err(Rejection::BadMessage("a definition names a seat this room does not have".to_owned()))
                    }
                    _ => Ok(vec![event]),
                }
            }
            Command::SetPresence { seat, here } => {
                if actor != Actor::Server {
                    return Err(Rejection::NotTrainer);
                }
                Ok(self.set_presence(seat, here, now))
            }
            Command::Tick => {
                if actor != Actor::Server {
                    return Err(Rejection::NotTrainer);
                }
                Ok(self.tick(now))
            }
            Command::RotateSeatToken { seat, token, shown } => {
                if actor != Actor::Server {
                    return Err(Rejection::NotTrainer);
                }
                let by_previous = shown == SeatKey::Previous;
                match self.seat(seat) {
                    Some(known) if !known.has_left() => Ok(vec![Event::SeatTokenRotated { seat, token, by_previous }]),
                    _ => Err(Rejection::UnknownSeat),
                }
            }
        }
    }

    fn join(&self, actor: Actor, name: &str, token: TokenDigest) -> Result<Vec<Event>, Rejection> {
        if actor != Actor::Guest {
            return Err(Rejection::AlreadyJoined);
        }
        if matches!(self.phase, Phase::Ended(_)) {
            return Err(Rejection::RoomEnded);
        }
        if self.locked {
            return Err(Rejection::RoomLocked);
        }
        let name = names::normalise(name)?;
        if self.refused_names.iter().any(|refused| names::same(refused, &name)) {
            return Err(Rejection::NameRefused);
        }
        let active = || self.seats.iter().filter(|seat| !seat.has_left());
        if active().any(|seat| names::same(&seat.name, &name)) {
            return Err(Rejection::NameTaken);
        }
        if active().count() >= usize::from(self.setup.max_players) {
            return Err(Rejection::RoomFull);
        }
        // Seats are kept for the log and the review after their player left, so leaving and
        // joining again costs a seat each time: bounded, so a room's memory is too.
        if self.seats.len() >= usize::from(self.setup.max_seats()) {
            return Err(Rejection::SeatsExhausted { max: self.setup.max_seats() });
        }
        let seat = seat_id(self.seats.len());
        let mut events = vec![Event::Joined { seat, name, token }];
        if matches!(self.phase, Phase::Turn(_)) {
            events.push(self.deal(seat));
        }
        Ok(events)
    }

    fn start(&self, actor: Actor, rng: &mut dyn RngCore, now: u64) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        if self.phase != Phase::Lobby {
            return Err(Rejection::WrongPhase);
        }
        if self.seats.iter().filter(|seat| !seat.has_left()).count() < MIN_PLAYERS {
            return Err(Rejection::TooFewPlayers { min: MIN_PLAYERS });
        }
        // The pile holds the statements the trainer picked by theme and term and, when players
        // answer from their role, only those every role in the deck can answer: roles are passed
        // on and late joiners get any of them, so the whole role deck may be at the table.
        let groups: BTreeSet<&str> = self.setup.roles.cards.iter().map(|role| role.group.as_str()).collect();
        let in_role = self.settings().perspective == Perspective::Role;
        let mut pile: Vec<CardId> = (self.settings().picked(&self.setup.statements))
            .filter(|card| !in_role || groups.iter().all(|group| card.is_for(group)))
            .map(|card| card.id.clone())
            .collect();
        // An agenda without a statements step plays no statements: its pile may be empty.
        if pile.is_empty() && self.agenda().is_none_or(Plan::has_statements) {
            return Err(Rejection::NoStatements);
        }
        let mut roles: Vec<CardId> = self.setup.roles.cards.iter().map(|card| card.id.clone()).collect();
        shuffle(&mut pile, rng);
        shuffle(&mut roles, rng);
        let seats: Vec<SeatId> = self.seats().filter(|(_, seat)| !seat.has_left()).map(|(id, _)| id).collect();
        let roles = self.role_order(roles, &seats, rng);

        // Deal against a scratch copy so each seat gets the next cards and the next role.
        let mut scratch = self.clone();
        let started = Event::Started { pile, roles };
        scratch.apply(&started);
        let mut events = vec![started];
        for seat in seats {
            let dealt = scratch.deal(seat);
            scratch.apply(&dealt);
            events.push(dealt);
        }
        if self.agenda().is_some() {
            // The first step starts; if it plays statements, it deals the first one.
            events.extend(scratch.step_after(now).unwrap_or_default());
            return Ok(events);
        }
        events.push(match scratch.statement_table().reader_from(0) {
            Some(reader) => Event::TurnStarted { turn: 1, reader },
            None => Event::Ended { reason: EndReason::DeckExhausted },
        });
        Ok(events)
    }

    /// The order roles are dealt in, from the role deck `shuffled`: first to `seats` (the
    /// players at the start, in seat order), then to whoever joins later.
    fn role_order(&self, shuffled: Vec<CardId>, seats: &[SeatId], rng: &mut dyn RngCore) -> Vec<CardId> {
        match &self.settings().role_dealing {
            RoleDealing::Random => shuffled,
            RoleDealing::ChosenFirst { roles } => {
                let mut chosen: Vec<CardId> = Vec::new();
                for role in roles.iter().filter(|role| shuffled.contains(role)) {
                    if !chosen.contains(role) {
                        chosen.push(role.clone());
                    }
                }
                if chosen.is_empty() {
                    return shuffled;
                }
                // The chosen roles take the first places while there are seats for them; the
                // free places are filled at random, and the places are shuffled so who gets a
                // chosen role is random too. Chosen roles without a seat go to the next joiners.
                let at_start = seats.len().min(shuffled.len());
                let later_chosen = chosen.split_off(chosen.len().min(at_start));
                let mut others: Vec<CardId> = shuffled
                    .into_iter()
                    .filter(|role| !chosen.contains(role) && !later_chosen.contains(role))
                    .collect();
                let rest = others.split_off((at_start - chosen.len()).min(others.len()));
                let mut first = chosen;
                first.extend(others);
                shuffle(&mut first, rng);
                first.into_iter().chain(later_chosen).chain(rest).collect()
            }
            RoleDealing::ByHand => {
                let given: Vec<Option<&CardId>> =
                    seats.iter().map(|seat| self.assigned.get(seat).filter(|role| shuffled.contains(role))).collect();
                let mut free: VecDeque<CardId> =
                    shuffled.iter().filter(|role| !given.contains(&Some(*role))).cloned().collect();
                let mut order: Vec<CardId> = Vec::with_capacity(shuffled.len().max(seats.len()));
                for (i, role) in given.iter().enumerate() {
                    // More players than roles: as with any deal, roles are used again in order.
                    let next = role
                        .cloned()
                        .or_else(|| free.pop_front())
                        .or_else(|| shuffled.get(i % shuffled.len()).cloned());
                    order.extend(next);
                }
                order.extend(free);
                order
            }
        }
    }

    fn assign_role(&self, actor: Actor, seat: SeatId, role: Option<CardId>) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        if self.phase != Phase::Lobby {
            return Err(Rejection::WrongPhase);
        }
        if self.seat(seat).is_none_or(Seat::has_left) {
            return Err(Rejection::UnknownSeat);
        }
        if role.as_ref().is_some_and(|role| self.setup.roles.card(role).is_none()) {
            return Err(Rejection::UnknownRole);
        }
        if self.assigned.get(&seat) == role.as_ref() {
            return Ok(Vec::new());
        }
        Ok(vec![Event::RoleAssigned { seat, role }])
    }

    /// The seat goes for good; its cards return to the pile. If it was the last one the
    /// others were waiting for, the answers are revealed.
    fn leave(&self, seat: SeatId, reason: LeaveReason, now: u64) -> Vec<Event> {
        let presence = Presence::Left { reason };
        let mut events = vec![Event::Presence { seat, presence }];
        events.extend(self.reveals_without(seat, presence, now));
        events
    }

    fn set_presence(&self, seat: SeatId, here: bool, now: u64) -> Vec<Event> {
        let Some(current) = self.seat(seat) else { return Vec::new() };
        match (current.presence, here) {
            (Presence::Away { .. }, true) => vec![Event::Presence { seat, presence: Presence::Here }],
            (Presence::Here, false) => {
                let presence = Presence::Away { since: now };
                let mut events = vec![Event::Presence { seat, presence }];
                events.extend(self.reveals_without(seat, presence, now));
                events
            }
            _ => Vec::new(),
        }
    }

    fn tick(&self, now: u64) -> Vec<Event> {
        let mut events = match &self.phase {
            Phase::Turn(turn) => self.statement_table().tick(turn, now),
            _ => Vec::new(),
        };
        for (seat, state) in self.seats() {
            if let Presence::Away { since } = state.presence
                && now >= since.saturating_add(self.setup.seat_hold_ms)
            {
                events.push(Event::Presence { seat, presence: Presence::Left { reason: LeaveReason::Expired } });
            }
        }
        // The grace period of someone an open schaalvraag was waiting for ran out.
        events.extend(self.step_reveal_without_absent(now, None));
        events
    }

    /// The reveals that `seat` having `presence` now brings: the open statement's or the open
    /// schaalvraag's, when it was the last one they waited for.
    fn reveals_without(&self, seat: SeatId, presence: Presence, now: u64) -> Vec<Event> {
        let statement = match &self.phase {
            Phase::Turn(turn) => self.statement_table().presence_changed(turn, seat, presence, now),
            _ => None,
        };
        statement.into_iter().chain(self.step_reveal_without_absent(now, Some((seat, presence)))).collect()
    }

    /// What the statement game reads of this session (`forms/statements.rs`).
    pub(crate) fn statement_table(&self) -> Table<'_> {
        Table {
            settings: self.settings(),
            deck: &self.setup.statements,
            seats: &self.seats,
            pile: &self.pile,
            reveal_grace_ms: self.setup.reveal_grace_ms,
        }
    }

    /// The events that close `turn` and open the next one; when the statements are out, the
    /// next step of the agenda, or the end of the session.
    fn next_turn(&self, turn: &Turn, now: u64) -> Vec<Event> {
        let after = turn.reader.map_or(0, |reader| usize::from(reader.0) + 1);
        let mut events = Vec::new();
        let number = turn.number + 1;
        let every = u32::from(self.settings().rotate_roles_every);
        if every > 0 && (number - 1).is_multiple_of(every) {
            events.extend(self.pass_roles());
        }
        match self.statement_table().reader_from(after) {
            Some(reader) => events.push(Event::TurnStarted { turn: number, reader }),
            None => events.extend(self.statements_exhausted(now)),
        }
        events
    }

    /// Every remaining player passes their role card to the next one.
    fn pass_roles(&self) -> Option<Event> {
        let active: Vec<(SeatId, &CardId)> = self
            .seats()
            .filter(|(_, seat)| !seat.has_left())
            .filter_map(|(id, seat)| Some((id, seat.role.as_ref()?)))
            .collect();
        if active.len() < 2 {
            return None;
        }
        let roles = (0..active.len()).map(|i| (active[i].0, active[(i + active.len() - 1) % active.len()].1.clone()));
        Some(Event::RolesPassed { roles: roles.collect() })
    }

    /// A role and a hand for one seat, the hand from the front of the pile.
    fn deal(&self, seat: SeatId) -> Event {
        let role = self.role_order[self.roles_dealt % self.role_order.len()].clone();
        Event::Dealt { seat, role, hand: self.statement_table().hand() }
    }

    fn turn(&self) -> Result<&Turn, Rejection> {
        match &self.phase {
            Phase::Turn(turn) => Ok(turn),
            _ => Err(Rejection::WrongPhase),
        }
    }

    fn require_trainer(&self, actor: Actor) -> Result<TrainerId, Rejection> {
        match actor {
            Actor::Trainer(trainer) if self.trainers.contains_key(&trainer) => Ok(trainer),
            _ => Err(Rejection::NotTrainer),
        }
    }

    fn require_player(&self, actor: Actor) -> Result<SeatId, Rejection> {
        match actor {
            Actor::Player(seat) if self.seat(seat).is_some_and(|seat| !seat.has_left()) => Ok(seat),
            _ => Err(Rejection::NotAPlayer),
        }
    }

    /// Folds one event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Created { .. } => {}
            Event::Configured { settings, statements, roles } => {
                let setup = Arc::make_mut(&mut self.setup);
                setup.settings = settings.clone();
                if let Some(deck) = statements {
                    setup.statements = deck.clone();
                }
                if let Some(deck) = roles {
                    setup.roles = deck.clone();
                    self.assigned.retain(|_, role| deck.card(role).is_some());
                }
            }
            Event::Joined { name, token, .. } => {
                self.seats.push(Seat {
                    name: name.clone(),
                    token: *token,
                    previous_token: None,
                    role: None,
                    hand: Vec::new(),
                    presence: Presence::Here,
                });
            }
            Event::SeatTokenRotated { seat, token, by_previous } => {
                if let Some(seat) = self.seats.get_mut(usize::from(seat.0)) {
                    // Accept the previous token only until the new one has been used once: a
                    // hello with the current token makes it the fallback (and the old fallback
                    // dies); a hello with the fallback keeps it and lets the unused current die,
                    // so no token that was replaced ever becomes valid again.
                    let replaced = std::mem::replace(&mut seat.token, *token);
                    if !by_previous {
                        seat.previous_token = Some(replaced);
                    }
                }
            }
            Event::Started { pile, roles } => {
                self.pile = pile.iter().cloned().collect();
                self.role_order.clone_from(roles);
                // Started, with no statement dealt yet: a session whose agenda opens with
                // another work form deals its first statement when a statements step starts.
                self.phase = Phase::Turn(Turn::before_the_first());
            }
            Event::Dealt { seat, role, hand } => {
                self.pile.retain(|card| !hand.contains(card));
                self.roles_dealt += 1;
                if let Some(seat) = self.seats.get_mut(usize::from(seat.0)) {
                    seat.role = Some(role.clone());
                    seat.hand.clone_from(hand);
                }
            }
            Event::TurnStarted { turn, reader } => self.phase = Phase::Turn(Turn::new(*turn, *reader)),
            Event::RolesPassed { roles } => {
                for (seat, role) in roles {
                    if let Some(seat) = self.seats.get_mut(usize::from(seat.0)) {
                        seat.role = Some(role.clone());
                    }
                }
            }
            Event::Played { by, card, drew } => {
                if let Some(seat) = by.and_then(|seat| self.seats.get_mut(usize::from(seat.0))) {
                    seat.hand.retain(|held| held != card);
                    seat.hand.extend(drew.iter().cloned());
                }
                self.pile.retain(|held| held != card && Some(held) != drew.as_ref());
                self.played.push(card.clone());
                self.with_turn(event);
            }
            Event::TimerStarted { .. }
            | Event::TimerPaused { .. }
            | Event::TimerExpired
            | Event::Answered { .. }
            | Event::Revealed { .. }
            | Event::RevoteOpened => self.with_turn(event),
            Event::Skipped => {}
            Event::Presence { seat: id, presence } => {
                self.with_turn(event);
                if let Some(seat) = self.seats.get_mut(usize::from(id.0)) {
                    seat.presence = *presence;
                    if matches!(presence, Presence::Left { .. }) {
                        self.pile.extend(seat.hand.drain(..));
                        self.assigned.remove(id);
                    }
                }
            }
            Event::Locked { locked } => self.locked = *locked,
            Event::ScreensLocked { token } => {
                self.screen_token = *token;
                if token.is_some() {
                    self.screen_links += 1;
                }
            }
            Event::NameRefused { name } => self.refused_names.push(name.clone()),
            Event::TrainerAdded { trainer, token } => {
                self.trainers.insert(*trainer, *token);
            }
            Event::TrainerRemoved { trainer } => {
                self.trainers.remove(trainer);
            }
            Event::Ended { reason } => self.phase = Phase::Ended(*reason),
            Event::Marked { .. } => self.marks += 1,
            Event::DefinitionsGrouped { .. } => {}
            Event::DefinitionAgreed { term, definition } => match definition {
                Some(definition) => {
                    self.agreed.insert(term.clone(), definition.clone());
                }
                None => {
                    self.agreed.remove(term);
                }
            },
            Event::RoleAssigned { seat, role } => {
                self.assigned.retain(|_, given| Some(&*given) != role.as_ref());
                match role {
                    Some(role) => self.assigned.insert(*seat, role.clone()),
                    None => self.assigned.remove(seat),
                };
            }
            Event::AgendaSet { .. }
            | Event::StepStarted { .. }
            | Event::Scale { .. }
            | Event::Actions { .. }
            | Event::Table { .. }
            | Event::Mirror { .. } => {
                self.apply_step(event);
            }
        }
    }

    /// Marks this moment: which step runs, which statement is on the table and whether its
    /// answers are shown. Only while the session runs.
    fn mark(&self, actor: Actor, note: Option<String>) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        let statement = match &self.phase {
            Phase::Lobby | Phase::Ended(_) => return Err(Rejection::WrongPhase),
            Phase::Turn(_) if self.require_statements_step().is_err() => None,
            Phase::Turn(turn) => turn.statement.clone().map(|card| crate::notes::MarkedStatement {
                turn: turn.number,
                card,
                revealed: turn.revealed.is_some(),
            }),
        };
        let step = self.steps.len().checked_sub(1).and_then(|last| u16::try_from(last).ok());
        let mark = crate::notes::Mark { step, statement, note: crate::notes::mark_note(note)? };
        Ok(vec![Event::Marked { mark }])
    }

    /// How many moments the trainer marked.
    pub fn marks(&self) -> u32 {
        self.marks
    }

    /// What the group agreed its terms mean, by term, as written in the review.
    pub fn agreed_definitions(&self) -> &BTreeMap<String, String> {
        &self.agreed
    }

    /// Folds a statement game's event into the turn on the table.
    fn with_turn(&mut self, event: &Event) {
        if let Phase::Turn(turn) = &mut self.phase {
            turn.apply(event);
        }
    }
}

fn seat_id(index: usize) -> SeatId {
    SeatId(u16::try_from(index).expect("seats are bounded by `Setup::max_seats`, a u16"))
}

/// Trims and removes control characters, so names and texts render the same everywhere.
pub fn clean_text(text: &str) -> String {
    let cleaned: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    cleaned.trim().to_owned()
}

pub(crate) fn clean_optional(
    text: Option<String>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, Rejection> {
    let Some(text) = text.map(|text| clean_text(&text)).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(Rejection::TextTooLong { field, max });
    }
    Ok(Some(text))
}

#[cfg(test)]
pub(crate) mod tests;

mod steps;
