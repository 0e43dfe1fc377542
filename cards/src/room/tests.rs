//! The rules of the statement game, one scenario each.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::*;
use crate::event::{Answer, Perspective, Position, ReaderMode, RevealCause, TimerMode};
use crate::library::Library;
use crate::view::{Identity, PhaseView, View};

const TRAINER: Actor = Actor::Trainer(TrainerId(0));
const A: SeatId = SeatId(0);
const B: SeatId = SeatId(1);
const C: SeatId = SeatId(2);

/// A room with a fixed shuffle, the built-in decks, a clock and a log of everything.
pub(crate) struct Table {
    pub room: Room,
    pub log: Vec<Event>,
    pub now: u64,
    /// When each event of `log` happened, by the table's clock.
    stamps: Vec<u64>,
    rng: ChaCha8Rng,
}

impl Table {
    pub fn with_settings(settings: Settings, names: &[&str]) -> Table {
        Table::with_deck("containerbegrippen", settings, names)
    }

    /// A room that plays the built-in statement deck `deck`.
    pub fn with_deck(deck: &str, settings: Settings, names: &[&str]) -> Table {
        static LIBRARY: std::sync::OnceLock<Library> = std::sync::OnceLock::new();
        let library = LIBRARY.get_or_init(Library::built_in);
        let statements = library.statement_deck(deck).expect("built in").clone();
        let roles = library.role_deck("keukentafel").expect("built in").clone();
        let mut setup = Setup::new(settings, statements, roles);
        setup.max_players = 4;
        let code = RoomCode::parse("ABCDEF").expect("valid code");
        let trainer = TokenDigest::of("trainer-token");
        let created = Event::Created { code: code.clone(), setup: Box::new(setup.clone()), trainer };
        let mut table = Table {
            room: Room::new(code, setup, trainer),
            log: vec![created],
            now: 1_000_000,
            stamps: vec![1_000_000],
            rng: ChaCha8Rng::seed_from_u64(7),
        };
        for name in names {
            table.ok(Actor::Guest, join(name));
        }
        table
    }

    pub fn with_players(names: &[&str]) -> Table {
        Table::with_settings(Settings::default(), names)
    }

    fn started(names: &[&str]) -> Table {
        Table::started_with(Settings::default(), names)
    }

    fn started_with(settings: Settings, names: &[&str]) -> Table {
        let mut table = Table::with_settings(settings, names);
        table.ok(TRAINER, Command::Start);
        table
    }

    pub fn try_cmd(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        let before = self.room.clone();
        let result = self.room.handle(actor, command, &mut Context { now: self.now, rng: &mut self.rng });
        assert_eq!(self.room, before, "handle must not change the room");
        let events = result?;
        for event in &events {
            self.room.apply(event);
        }
        self.log.extend(events.iter().cloned());
        self.stamps.extend(std::iter::repeat_n(self.now, events.len()));
        Ok(events)
    }

    /// The log as the store keeps it: numbered, each event at the time it happened (an event a
    /// test put in the log by hand at the time it was read).
    pub fn logged(&self) -> Vec<crate::log::LoggedEvent> {
        let stamps = self.stamps.iter().copied().chain(std::iter::repeat(self.now));
        (self.log.iter().zip(stamps).enumerate())
            .map(|(i, (event, at))| crate::log::LoggedEvent { seq: i as u64 + 1, at, event: event.clone() })
            .collect()
    }

    fn ok(&mut self, actor: Actor, command: Command) -> Vec<Event> {
        self.try_cmd(actor, command).unwrap_or_else(|rejection| panic!("refused: {rejection:?}"))
    }

    fn refused(&mut self, actor: Actor, command: Command) -> &'static str {
        self.try_cmd(actor, command).expect_err("should be refused").code()
    }

    fn turn(&self) -> &Turn {
        match self.room.phase() {
            Phase::Turn(turn) => turn,
            other => panic!("expected a turn, found {other:?}"),
        }
    }

    fn reader(&self) -> SeatId {
        self.turn().reader.expect("a player reads")
    }

    fn hand(&self, seat: SeatId) -> Vec<CardId> {
        self.room.seat(seat).expect("seat").hand.clone()
    }

    fn presence(&self, seat: SeatId) -> Presence {
        self.room.seat(seat).expect("seat").presence
    }

    /// The reader plays the first card in their hand.
    fn play_first(&mut self) -> CardId {
        let reader = self.reader();
        let card = self.hand(reader)[0].clone();
        self.ok(Actor::Player(reader), Command::Play { card: card.clone() });
        card
    }

    fn view(&self, you: Identity) -> View {
        self.room.view(you, self.now)
    }
}

fn join(name: &str) -> Command {
    Command::Join { name: name.to_owned(), token: TokenDigest::of(name) }
}

fn answer(n: u8) -> Command {
    Command::Answer(Answer { position: Position::Scale(n), argument: None, definition: None })
}

fn reveal_of(view: &View) -> &crate::view::Reveal {
    match &view.phase {
        PhaseView::Turn(turn) => turn.reveal.as_ref().expect("revealed"),
        other => panic!("expected a turn, found {other:?}"),
    }
}

#[test]
fn start_deals_every_player_a_different_role_and_a_full_hand() {
    let table = Table::started(&["Anna", "Bram", "Chris"]);
    let roles: Vec<_> = table.room.seats().map(|(_, seat)| seat.role.clone().expect("a role")).collect();
    assert!(roles[0] != roles[1] && roles[1] != roles[2] && roles[0] != roles[2]);
    let mut held: Vec<CardId> = table.room.seats().flat_map(|(_, seat)| seat.hand.clone()).collect();
    assert_eq!(held.len(), 9);
    held.extend(table.room.pile().cloned());
    held.sort();
    held.dedup();
    assert_eq!(held.len(), table.room.setup().statements.cards.len(), "no card is lost or in two places");
    assert_eq!(table.reader(), A);
}

#[test]
fn only_the_trainer_starts_and_only_with_two_players() {
    let mut table = Table::with_players(&["Anna"]);
    assert_eq!(table.refused(Actor::Player(A), Command::Start), "not_trainer");
    assert_eq!(table.refused(TRAINER, Command::Start), "too_few_players");
    table.ok(Actor::Guest, join("Bram"));
    table.ok(TRAINER, Command::Start);
    assert_eq!(table.refused(TRAINER, Command::Start), "wrong_phase");
}

#[test]
fn names_must_be_present_short_and_unique() {
    let mut table = Table::with_players(&["Anna"]);
    assert_eq!(table.refused(Actor::Guest, join("  \n ")), "name_empty");
    assert_eq!(table.refused(Actor::Guest, join(&"x".repeat(41))), "name_too_long");
    assert_eq!(table.refused(Actor::Guest, join(" anna ")), "name_taken");
    assert_eq!(table.refused(Actor::Player(A), join("Anna 2")), "already_joined");
    for name in ["B", "C", "D"] {
        table.ok(Actor::Guest, join(name));
    }
    assert_eq!(table.refused(Actor::Guest, join("E")), "room_full");
}

#[test]
fn a_locked_room_lets_nobody_new_in() {
    let mut table = Table::with_players(&["Anna"]);
    assert_eq!(table.refused(Actor::Player(A), Command::Lock { locked: true }), "not_trainer");
    table.ok(TRAINER, Command::Lock { locked: true });
    assert_eq!(table.refused(Actor::Guest, join("Bram")), "room_locked");
    table.ok(TRAINER, Command::Lock { locked: false });
    table.ok(Actor::Guest, join("Bram"));
}

#[test]
fn only_the_projector_link_watches_once_the_trainer_makes_it_need_its_token() {
    let mut table = Table::with_players(&["Anna"]);
    assert!(table.room.may_watch(None), "any screen with the code watches at first");
    let link = TokenDigest::of("beamer");
    assert_eq!(table.refused(Actor::Player(A), Command::LockScreens { token: Some(link) }), "not_trainer");
    table.ok(TRAINER, Command::LockScreens { token: Some(link) });
    assert!(!table.room.may_watch(None));
    assert!(!table.room.may_watch(Some("raden")));
    assert!(table.room.may_watch(Some("beamer")));
    table.ok(TRAINER, Command::LockScreens { token: None });
    assert!(table.room.may_watch(None));
}

#[test]
fn settings_change_only_in_the_lobby_and_only_within_range() {
    let mut table = Table::with_players(&["Anna", "Bram"]);
    let configure = |settings| Command::Configure { settings, statements: None, roles: None };
    let bad = Settings { hand_size: 9, ..Settings::default() };
    assert_eq!(table.refused(TRAINER, configure(bad)), "bad_settings");
    let short_timer = Settings { timer: TimerMode::Hard { seconds: 3 }, ..Settings::default() };
    assert_eq!(table.refused(TRAINER, configure(short_timer)), "bad_settings");
    let own = Settings { perspective: Perspective::Own, hand_size: 2, ..Settings::default() };
    table.ok(TRAINER, configure(own));
    assert_eq!(table.room.settings().perspective, Perspective::Own);
    table.ok(TRAINER, Command::Start);
    assert_eq!(table.hand(A).len(), 2);
    assert_eq!(table.refused(TRAINER, configure(Settings::default())), "wrong_phase");
}

#[test]
fn only_the_reader_plays_a_card_from_their_hand_and_draws_a_new_one() {
    let mut table = Table::started(&["Anna", "Bram"]);
    let bram_card = table.hand(B)[0].clone();
    assert_eq!(table.refused(Actor::Player(B), Command::Play { card: bram_card.clone() }), "not_your_turn");
    assert_eq!(table.refused(Actor::Player(A), Command::Play { card: bram_card }), "not_in_hand");
    assert_eq!(table.refused(Actor::Player(A), answer(3)), "wrong_phase");
    let next_in_pile = table.room.pile().next().cloned().expect("cards left");
    let played = table.play_first();
    assert_eq!(table.turn().statement.as_ref(), Some(&played));
    assert!(!table.hand(A).contains(&played));
    assert!(table.hand(A).contains(&next_in_pile));
    assert_eq!(table.hand(A).len(), 3);
}

#[test]
fn in_trainer_mode_the_trainer_plays_from_the_pile_and_players_hold_no_hand() {
    let settings = Settings { reader: ReaderMode::Trainer, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram"]);
    assert!(table.hand(A).is_empty() && table.hand(B).is_empty());
    assert_eq!(table.turn().reader, None);
    let card = table.room.pile().nth(4).cloned().expect("a card");
    assert_eq!(table.refused(Actor::Player(A), Command::Play { card: card.clone() }), "not_trainer");
    table.ok(TRAINER, Command::Play { card: card.clone() });
    assert!(!table.room.pile().any(|held| *held == card));
    let trainer_view = table.view(Identity::Trainer { trainer: TrainerId(0) });
    assert_eq!(trainer_view.pile.len(), table.room.pile().len(), "the trainer sees the pile to choose from");
    assert!(table.view(Identity::Player { seat: A }).pile.is_empty(), "players never do");
}

#[test]
fn the_last_answer_of_the_present_players_reveals() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    assert_eq!(table.ok(Actor::Player(A), answer(1)).len(), 1);
    table.ok(Actor::Player(A), answer(2));
    assert_eq!(table.turn().answers[&A].position, Position::Scale(2), "an answer can change until the reveal");
    table.ok(Actor::Player(B), answer(4));
    let pass = Command::Answer(Answer { position: Position::Pass, argument: None, definition: None });
    let events = table.ok(Actor::Player(C), pass);
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
    assert_eq!(table.refused(Actor::Player(A), answer(5)), "wrong_phase", "no changes after the reveal");
}

#[test]
fn without_auto_reveal_the_trainer_decides_when() {
    let settings = Settings { auto_reveal: false, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    assert_eq!(table.ok(Actor::Player(B), answer(5)).len(), 1, "no reveal yet");
    table.ok(TRAINER, Command::Reveal);
}

#[test]
fn a_player_who_was_away_when_the_statement_was_played_never_blocks_the_reveal() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    let events = table.ok(Actor::Player(B), answer(5));
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
}

#[test]
fn a_player_who_drops_out_while_answering_is_waited_for_and_keeps_their_vote() {
    // A reload, a phone that locks, a tap on "English": the others have answered, and the
    // reveal must not go ahead behind this player's back.
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(5));
    let events = table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    assert_eq!(events, [Event::Presence { seat: C, presence: Presence::Away { since: table.now } }], "no reveal");
    assert_eq!(table.room.next_deadline(table.now), Some(table.now + Setup::DEFAULT_REVEAL_GRACE_MS));

    table.now += Setup::DEFAULT_REVEAL_GRACE_MS - 1;
    assert!(table.ok(Actor::Server, Command::Tick).is_empty(), "still within the grace period");
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: true });
    let events = table.ok(Actor::Player(C), answer(3));
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
    assert_eq!(reveal_of(&table.view(Identity::Observer)).answers.len(), 3, "Chris's vote is in the reveal");
}

#[test]
fn a_grace_period_that_runs_out_before_anyone_answered_asks_for_no_more_ticks() {
    let mut table = Table::started(&["Anna", "Bram"]);
    table.play_first();
    table.ok(Actor::Server, Command::SetPresence { seat: B, here: false });
    table.now += Setup::DEFAULT_REVEAL_GRACE_MS;
    assert!(table.ok(Actor::Server, Command::Tick).is_empty(), "nobody answered: nothing to reveal");
    assert_eq!(
        table.room.next_deadline(table.now),
        Some(table.now - Setup::DEFAULT_REVEAL_GRACE_MS + Setup::DEFAULT_SEAT_HOLD_MS),
        "only the seat hold is left"
    );
}

#[test]
fn the_reveal_goes_ahead_when_the_grace_period_runs_out() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(5));
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.now += Setup::DEFAULT_REVEAL_GRACE_MS;
    assert_eq!(table.ok(Actor::Server, Command::Tick), [Event::Revealed { cause: RevealCause::AllAnswered }]);
    assert_eq!(table.presence(C), Presence::Away { since: table.now - Setup::DEFAULT_REVEAL_GRACE_MS });
}

#[test]
fn the_trainer_and_a_hard_timer_do_not_wait_for_a_player_who_dropped_out() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    assert_eq!(table.ok(TRAINER, Command::Reveal), [Event::Revealed { cause: RevealCause::Trainer }]);

    let settings = Settings { timer: TimerMode::Hard { seconds: 60 }, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.now += 60_000;
    let events = table.ok(Actor::Server, Command::Tick);
    assert_eq!(events, [Event::TimerExpired, Event::Revealed { cause: RevealCause::Timer }]);
}

#[test]
fn a_player_who_drops_out_is_not_waited_for_when_there_is_no_grace_period() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    let mut setup = table.room.setup().clone();
    setup.reveal_grace_ms = 0;
    table.room.setup = Arc::new(setup);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(5));
    let events = table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
}

#[test]
fn a_dropped_player_keeps_seat_hand_and_answer_until_the_hold_runs_out() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(C), answer(2));
    let hand = table.hand(C);
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.now += Setup::DEFAULT_SEAT_HOLD_MS - 1;
    assert!(table.ok(Actor::Server, Command::Tick).is_empty());
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: true });
    assert_eq!((table.presence(C), table.hand(C)), (Presence::Here, hand.clone()));
    assert_eq!(table.turn().answers[&C].position, Position::Scale(2));

    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    assert_eq!(table.room.next_deadline(table.now), Some(table.now + Setup::DEFAULT_SEAT_HOLD_MS));
    table.now += Setup::DEFAULT_SEAT_HOLD_MS;
    table.ok(Actor::Server, Command::Tick);
    assert_eq!(table.presence(C), Presence::Left { reason: LeaveReason::Expired });
    assert!(table.hand(C).is_empty());
    assert!(hand.iter().all(|card| table.room.pile().any(|held| held == card)), "the cards went back to the pile");
    assert_eq!(table.room.seat_with_token("Chris"), None, "the seat cannot be taken back any more");
    table.ok(Actor::Guest, join("Chris"));
}

#[test]
fn seats_run_out_after_too_many_people_came_and_went() {
    let mut table = Table::with_players(&["Anna"]);
    let max = table.room.setup().max_seats();
    for n in 1..max {
        let name = format!("Gast {n}");
        table.ok(Actor::Guest, join(&name));
        table.ok(Actor::Player(SeatId(n)), Command::Leave);
    }
    assert_eq!(table.room.seats().count(), usize::from(max));
    assert_eq!(table.refused(Actor::Guest, join("Nog een")), "seats_exhausted");
    assert_eq!(table.room.seat(A).map(|seat| seat.name.as_str()), Some("Anna"), "the room carries on");
}

#[test]
fn a_kicked_player_leaves_for_good_and_does_not_block_the_round() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(4));
    assert_eq!(table.refused(Actor::Player(A), Command::Kick { seat: C, refuse_name: false }), "not_trainer");
    let events = table.ok(TRAINER, Command::Kick { seat: C, refuse_name: false });
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
    assert_eq!(table.presence(C), Presence::Left { reason: LeaveReason::Kicked });
    assert_eq!(table.refused(Actor::Player(C), answer(3)), "not_a_player");
    assert_eq!(table.refused(TRAINER, Command::Kick { seat: C, refuse_name: false }), "unknown_seat");
}

#[test]
fn the_trainer_may_reveal_early_and_then_move_on() {
    let mut table = Table::started(&["Anna", "Bram"]);
    assert_eq!(table.refused(TRAINER, Command::Reveal), "wrong_phase");
    table.play_first();
    assert_eq!(table.refused(TRAINER, Command::Next), "wrong_phase", "reveal before moving on");
    assert_eq!(table.refused(Actor::Player(A), Command::Reveal), "not_trainer");
    table.ok(Actor::Player(A), answer(3));
    table.ok(TRAINER, Command::Reveal);
    table.ok(TRAINER, Command::Next);
    assert_eq!((table.turn().number, table.reader()), (2, B), "the reader rotates");
}

#[test]
fn a_revote_keeps_the_first_vote_and_shows_who_moved() {
    let mut table = Table::started(&["Anna", "Bram"]);
    assert_eq!(table.refused(TRAINER, Command::Revote), "wrong_phase");
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(5));
    table.ok(TRAINER, Command::Revote);
    assert_eq!(table.turn().vote, 2);
    assert!(table.turn().answers.is_empty());
    let anna = table.view(Identity::Player { seat: A });
    let PhaseView::Turn(turn) = &anna.phase else { panic!("a turn") };
    assert_eq!(
        turn.mine_before.as_ref().map(|answer| answer.position),
        Some(Position::Scale(1)),
        "Anna sees what she said"
    );
    table.ok(Actor::Player(A), answer(3));
    table.ok(Actor::Player(B), answer(5));
    let view = table.view(Identity::Observer);
    let moves: Vec<_> =
        reveal_of(&view).answers.iter().map(|given| (given.seat, given.before, given.answer.position)).collect();
    assert_eq!(
        moves,
        [
            (Some(A), Some(Position::Scale(1)), Position::Scale(3)),
            (Some(B), Some(Position::Scale(5)), Position::Scale(5))
        ]
    );
    assert_eq!(
        table.log.iter().filter(|event| matches!(event, Event::Answered { .. })).count(),
        4,
        "both votes are kept"
    );
}

#[test]
fn a_statement_takes_at_most_twenty_votes() {
    let mut table = Table::started(&["Anna", "Bram"]);
    table.play_first();
    for _ in 1..MAX_VOTES {
        table.ok(TRAINER, Command::Reveal);
        table.ok(TRAINER, Command::Revote);
    }
    table.ok(TRAINER, Command::Reveal);
    assert_eq!(table.refused(TRAINER, Command::Revote), "too_many_votes");
    table.ok(TRAINER, Command::Next);
}

#[test]
fn skipping_puts_the_statement_aside_unrevealed() {
    let mut table = Table::started(&["Anna", "Bram"]);
    let card = table.play_first();
    table.ok(Actor::Player(B), answer(2));
    assert_eq!(table.refused(Actor::Player(A), Command::Skip), "not_trainer");
    let events = table.ok(TRAINER, Command::Skip);
    assert!(!events.iter().any(|event| matches!(event, Event::Revealed { .. })));
    assert_eq!((table.turn().number, table.reader()), (2, B));
    assert!(table.room.played().contains(&card));
}

#[test]
fn the_trainer_skips_an_absent_reader() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.ok(Actor::Server, Command::SetPresence { seat: B, here: false });
    table.ok(TRAINER, Command::Next);
    assert_eq!(table.reader(), C, "Bram is away, so Chris reads");
}

#[test]
fn a_hard_timer_reveals_at_zero_and_can_be_paused() {
    let settings = Settings { timer: TimerMode::Hard { seconds: 60 }, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(4));
    assert_eq!(table.room.next_deadline(table.now), Some(table.now + 60_000));
    table.now += 20_000;
    table.ok(TRAINER, Command::PauseTimer);
    assert_eq!(table.room.next_deadline(table.now), None, "a paused timer never runs out");
    table.now += 500_000;
    assert!(table.ok(Actor::Server, Command::Tick).is_empty());
    table.ok(TRAINER, Command::ResumeTimer);
    assert_eq!(table.refused(TRAINER, Command::ResumeTimer), "no_timer");
    table.now += 39_999;
    assert!(table.ok(Actor::Server, Command::Tick).is_empty());
    table.now += 1;
    let events = table.ok(Actor::Server, Command::Tick);
    assert_eq!(events, [Event::TimerExpired, Event::Revealed { cause: RevealCause::Timer }]);
}

#[test]
fn a_soft_timer_only_counts_down() {
    let settings = Settings { timer: TimerMode::Soft { seconds: 30 }, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram"]);
    table.play_first();
    table.now += 30_000;
    assert_eq!(table.ok(Actor::Server, Command::Tick), [Event::TimerExpired]);
    table.ok(Actor::Player(A), answer(2));
    let timer = match &table.view(Identity::Observer).phase {
        PhaseView::Turn(turn) => turn.timer,
        _ => None,
    };
    assert_eq!(timer, Some(crate::view::TimerView { remaining_ms: 0, running: false }));
}

#[test]
fn roles_pass_on_every_so_many_turns() {
    let settings = Settings { rotate_roles_every: 1, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram", "Chris"]);
    let before: Vec<_> = table.room.seats().map(|(_, seat)| seat.role.clone()).collect();
    table.play_first();
    table.ok(TRAINER, Command::Reveal);
    table.ok(TRAINER, Command::Next);
    let after: Vec<_> = table.room.seats().map(|(_, seat)| seat.role.clone()).collect();
    assert_eq!(after, [before[2].clone(), before[0].clone(), before[1].clone()]);
}

#[test]
fn an_anonymous_reveal_shows_roles_but_not_who() {
    let settings = Settings { anonymous: true, ..Settings::default() };
    let mut table = Table::started_with(settings, &["Anna", "Bram"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(5));
    table.ok(Actor::Player(B), answer(1));
    let view = table.view(Identity::Trainer { trainer: TrainerId(0) });
    let reveal = reveal_of(&view);
    assert!(reveal.answers.iter().all(|given| given.seat.is_none() && given.role.is_some()));
    let positions: Vec<_> = reveal.answers.iter().map(|given| given.answer.position).collect();
    assert_eq!(positions, [Position::Scale(1), Position::Scale(5)], "sorted by position, not by seat");
}

#[test]
fn co_trainers_come_and_go_but_the_last_one_stays() {
    let mut table = Table::with_players(&["Anna"]);
    table.ok(TRAINER, Command::AddTrainer { token: TokenDigest::of("second") });
    let second = table.room.trainer_with_token("second").expect("added");
    assert_eq!(
        table.refused(Actor::Trainer(second), Command::RemoveTrainer { trainer: TrainerId(9) }),
        "unknown_trainer"
    );
    table.ok(Actor::Trainer(second), Command::RemoveTrainer { trainer: TrainerId(0) });
    assert_eq!(
        table.refused(TRAINER, Command::Lock { locked: true }),
        "not_trainer",
        "a removed trainer steers no more"
    );
    assert_eq!(table.refused(Actor::Trainer(second), Command::RemoveTrainer { trainer: second }), "last_trainer");
}

#[test]
fn a_definition_needs_a_statement_with_a_term_and_texts_have_limits() {
    let mut table = Table::started(&["Anna", "Bram"]);
    table.play_first();
    let long =
        Command::Answer(Answer { position: Position::Scale(3), argument: Some("x".repeat(501)), definition: None });
    assert_eq!(table.refused(Actor::Player(A), long), "text_too_long");
    let defined = Answer {
        position: Position::Scale(3),
        argument: Some("  Omdat \u{7} het kan. ".to_owned()),
        definition: Some("Zelf kiezen wie helpt".to_owned()),
    };
    table.ok(Actor::Player(A), Command::Answer(defined));
    assert_eq!(
        table.turn().answers[&A].argument.as_deref(),
        Some("Omdat   het kan."),
        "control characters are removed"
    );
}

#[test]
fn a_late_joiner_gets_a_seat_a_role_and_a_hand() {
    let mut table = Table::started(&["Anna", "Bram"]);
    let events = table.ok(Actor::Guest, join("Chris"));
    assert!(matches!(&events[1], Event::Dealt { seat, hand, .. } if *seat == C && hand.len() == 3));
}

#[test]
fn the_session_ends_when_nobody_has_a_card_left_or_the_trainer_says_so() {
    let mut table = Table::started(&["Anna", "Bram"]);
    let mut turns = 0;
    while let Phase::Turn(_) = table.room.phase() {
        table.play_first();
        table.ok(TRAINER, Command::Reveal);
        table.ok(TRAINER, Command::Next);
        turns += 1;
    }
    assert_eq!(turns, table.room.setup().statements.cards.len(), "every statement is played once");
    assert_eq!(table.refused(Actor::Guest, join("Dirk")), "room_ended");

    let mut table = Table::started(&["Anna", "Bram"]);
    table.ok(TRAINER, Command::End);
    assert_eq!(table.room.phase(), &Phase::Ended(EndReason::Trainer));
}

#[test]
fn replaying_the_log_rebuilds_the_same_room() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(B), answer(2));
    table.ok(TRAINER, Command::Kick { seat: C, refuse_name: false });
    assert_eq!(Room::replay(&table.log), Some(table.room.clone()));
}

#[test]
fn the_log_reads_back_as_one_row_per_answer_per_closed_vote() {
    use crate::log::{LoggedEvent, Names, answers};
    let mut table = Table::started(&["Anna", "Bram"]);
    let card = table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(5));
    table.ok(TRAINER, Command::Revote);
    table.ok(Actor::Player(A), answer(4));
    table.ok(TRAINER, Command::Reveal);
    table.ok(TRAINER, Command::Next);
    table.play_first();
    table.ok(Actor::Player(B), answer(2));
    table.ok(TRAINER, Command::Skip);
    let log: Vec<LoggedEvent> = table
        .log
        .iter()
        .enumerate()
        .map(|(i, event)| LoggedEvent { seq: i as u64 + 1, at: 0, event: event.clone() })
        .collect();
    let rows = answers(&log, Names::Pseudonyms, crate::Lang::Nl);
    let summary: Vec<_> =
        rows.iter().map(|row| (row.turn, row.vote, row.participant.as_str(), row.position, row.revealed)).collect();
    assert_eq!(
        summary,
        [
            (1, 1, "Deelnemer 1", Position::Scale(1), true),
            (1, 1, "Deelnemer 2", Position::Scale(5), true),
            (1, 2, "Deelnemer 1", Position::Scale(4), true),
            (2, 1, "Deelnemer 2", Position::Scale(2), false),
        ]
    );
    assert_eq!(rows[0].statement, card);
    assert!(!rows[0].role.nl.is_empty());
    assert_eq!(answers(&log, Names::Real, crate::Lang::Nl)[0].participant, "Anna");
}

#[test]
fn the_review_shows_how_split_the_group_was_what_moved_and_what_the_term_meant() {
    use crate::analysis::Review;
    use crate::log::{LoggedEvent, Names};
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    let define = |n: u8, definition: &str| {
        Command::Answer(Answer {
            position: Position::Scale(n),
            argument: None,
            definition: Some(definition.to_owned()),
        })
    };
    table.ok(Actor::Player(A), define(1, "Het gezin beslist zelf"));
    table.ok(Actor::Player(B), define(1, "Het gezin beslist zelf over de hulp"));
    table.ok(Actor::Player(C), define(5, "<script>De professional coördineert</script>"));
    table.ok(TRAINER, Command::Revote);
    table.ok(Actor::Player(A), answer(3));
    table.ok(Actor::Player(B), answer(1));
    table.ok(Actor::Player(C), answer(5));
    let log: Vec<LoggedEvent> = table
        .log
        .iter()
        .enumerate()
        .map(|(i, event)| LoggedEvent { seq: i as u64 + 1, at: 0, event: event.clone() })
        .collect();

    let review = Review::of(&log, Names::Pseudonyms, crate::Lang::Nl);
    assert_eq!(review.participants, 3);
    let statement = &review.statements[0];
    assert_eq!((statement.first.n(), statement.first.counts), (3, [2, 0, 0, 0, 1]));
    assert!((statement.consensus.expect("C") - 1.0 / 3.0).abs() < 1e-9);
    assert!((statement.polarization.expect("P") - 24.0 / 27.0).abs() < 1e-9);
    assert!(statement.farthest_roles.as_ref().is_some_and(|(_, _, distance)| (*distance - 1.0).abs() < 1e-9));
    let shift = review.shifts[0].shift;
    assert_eq!((shift.n, shift.moved, shift.toward_median, shift.away_from_median), (3, 1, 0, 1));
    assert!(shift.consensus_change.expect("ΔC").abs() < 1e-9);
    let term = &review.terms[0];
    assert_eq!(term.lens.definitions.len(), 3);
    assert_eq!(term.lens.groups[0].members.len(), 2, "the two family definitions go together");
    assert_eq!(review.matrix.len(), 3, "one row per role");

    let report = crate::report::html(&review, crate::Lang::Nl);
    assert!(report.contains("&lt;script&gt;") && !report.contains("<script>"), "text from the room is escaped");
    assert!(!report.contains("Anna"), "no names in the report");
}

/// Every participant's copy of the room, kept with the same reducer the browser uses, and
/// everything each was sent.
struct Watchers {
    identities: Vec<Identity>,
    views: Vec<View>,
    sent: Vec<String>,
}

impl Watchers {
    fn new(table: &Table, identities: Vec<Identity>) -> Watchers {
        let views = identities.iter().map(|&you| table.view(you)).collect();
        let sent = vec![String::new(); identities.len()];
        Watchers { identities, views, sent }
    }

    fn step(&mut self, table: &mut Table, actor: Actor, command: Command) {
        for event in table.ok(actor, command) {
            for (i, you) in self.identities.iter().enumerate() {
                for update in table.room.updates(&event, table.room.audience(*you, &event)) {
                    self.sent[i].push_str(&serde_json::to_string(&update).expect("serialises"));
                    self.views[i].apply(&update);
                }
            }
        }
        for (view, you) in self.views.iter().zip(&self.identities) {
            assert_eq!(*view, table.view(*you), "the reducer agrees with the snapshot for {you:?}");
        }
    }

    fn sent_to(&self, you: Identity) -> &str {
        let i = self.identities.iter().position(|known| *known == you).expect("a watcher");
        &self.sent[i]
    }
}

#[test]
fn views_follow_the_updates_and_hide_what_is_not_yours() {
    let mut table = Table::with_players(&["Anna", "Bram"]);
    let (anna, bram) = (Identity::Player { seat: A }, Identity::Player { seat: B });
    let everyone = vec![Identity::Trainer { trainer: TrainerId(0) }, Identity::Observer, anna, bram];
    let mut watchers = Watchers::new(&table, everyone.clone());

    watchers.step(&mut table, TRAINER, Command::Start);
    let card = table.hand(A)[0].clone();
    watchers.step(&mut table, Actor::Player(A), Command::Play { card });
    let secret =
        Answer { position: Position::Scale(5), argument: Some("GEHEIM-ARGUMENT".to_owned()), definition: None };
    watchers.step(&mut table, Actor::Player(A), Command::Answer(secret));

    let bram_holds: Vec<String> =
        table.view(bram).hand.iter().map(|card| serde_json::to_string(&card.text).expect("serialises")).collect();
    for you in &everyone {
        let sent = watchers.sent_to(*you);
        assert_eq!(sent.contains("GEHEIM-ARGUMENT"), *you == anna, "before the reveal only Anna saw her answer");
        if *you != bram {
            assert!(bram_holds.iter().all(|card| !sent.contains(card.as_str())), "{you:?} was sent Bram's hand");
        }
    }

    watchers.step(&mut table, Actor::Player(B), answer(1));
    assert_eq!(reveal_of(&watchers.views[1]).answers.len(), 2);
    assert!(watchers.sent_to(bram).contains("GEHEIM-ARGUMENT"), "after the reveal everyone sees it");
    watchers.step(&mut table, TRAINER, Command::Revote);
    watchers.step(&mut table, TRAINER, Command::Kick { seat: B, refuse_name: false });
    watchers.step(&mut table, TRAINER, Command::Lock { locked: true });
}

mod agenda;
mod kitchen_table;
mod mirror;
mod properties;

#[test]
fn an_event_is_stored_under_the_kind_it_serialises_with() {
    let mut table = Table::started(&["Anna", "Bram"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(2));
    table.ok(TRAINER, Command::Reveal);
    for event in &table.log {
        let json = serde_json::to_value(event).expect("serialises");
        assert_eq!(json["event"], event.kind());
    }
}

/// What the server does with a `hello` that shows a seat token: finds the seat and gives it
/// `new` (the welcome carries it). `None` is `bad_token`.
fn take_back(table: &mut Table, shown: &str, new: &str) -> Option<SeatId> {
    let (seat, key) = table.room.seat_key(shown)?;
    table.ok(Actor::Server, Command::RotateSeatToken { seat, token: TokenDigest::of(new), shown: key });
    Some(seat)
}

#[test]
fn a_leaked_seat_token_dies_once_the_owner_uses_the_newer_one() {
    // Anna's token "Anna" leaks (a shared computer); she comes back with it and gets "A1".
    let mut table = Table::with_players(&["Anna", "Bram"]);
    assert_eq!(take_back(&mut table, "Anna", "A1"), Some(A));
    assert_eq!(table.room.seat_key("Anna"), Some((A, SeatKey::Previous)), "kept in case A1 never arrived");
    // She uses A1 once: the leaked token is dead for good.
    assert_eq!(take_back(&mut table, "A1", "A2"), Some(A));
    assert_eq!(take_back(&mut table, "Anna", "stolen"), None);
    assert_eq!(table.room.seat_key("A1"), Some((A, SeatKey::Previous)));
    assert_eq!(table.room.seat_key("A2"), Some((A, SeatKey::Current)));
}

#[test]
fn a_lost_welcome_keeps_the_previous_token_but_never_revives_the_unused_one() {
    let mut table = Table::with_players(&["Anna", "Bram"]);
    // The welcome with A1 is lost twice; each time the phone comes back with "Anna".
    assert_eq!(take_back(&mut table, "Anna", "A1"), Some(A));
    assert_eq!(take_back(&mut table, "Anna", "A2"), Some(A));
    assert_eq!(table.room.seat_key("A1"), None, "A1 was never used and is replaced");
    assert_eq!(take_back(&mut table, "Anna", "A3"), Some(A));
    assert_eq!(table.room.seat_key("A2"), None);
    // A3 arrives and is used: only now does "Anna" die.
    assert_eq!(take_back(&mut table, "A3", "A4"), Some(A));
    assert_eq!(table.room.seat_key("Anna"), None);
    assert_eq!(take_back(&mut table, "A3", "A5"), Some(A), "A3 is the fallback now, A4 never arrived");
    assert_eq!(table.room.seat_key("A4"), None);
}

#[test]
fn the_owner_and_a_token_thief_cannot_take_the_seat_from_each_other_for_ever() {
    // Both hold "Anna" and each keeps the latest token the server gave them, as the browser
    // does. Before, every hello made the other's token the fallback, so they could take the
    // seat from each other for ever; now the one who comes second without the newest token
    // is out, whoever it is.
    let mut table = Table::with_players(&["Anna", "Bram"]);
    let (mut owner, mut thief) = ("Anna".to_owned(), "Anna".to_owned());
    let mut refused = Vec::new();
    for round in 0..4 {
        for (who, token) in [("thief", &mut thief), ("owner", &mut owner)] {
            let new = format!("{who}-{round}");
            match take_back(&mut table, token, &new) {
                Some(_) => *token = new,
                None => refused.push(format!("{who} {round}")),
            }
        }
    }
    assert_eq!(refused, ["thief 1", "thief 2", "thief 3"], "the thief is out once the owner used her new token");
    // And the thief may keep every token he ever saw: none of them opens the seat.
    for old in ["Anna", "thief-0", "owner-0", "owner-1"] {
        assert_eq!(table.room.seat_key(old), None, "{old}");
    }
    assert_eq!(table.room.seat_key("owner-3"), Some((A, SeatKey::Current)));
}

#[test]
fn a_seat_token_rotation_from_an_older_log_replays_as_it_did() {
    // Logs written before `by_previous` existed have no such field: the token shown was the
    // current one, which became the fallback.
    let digest = serde_json::to_value(TokenDigest::of("A1")).expect("serialises");
    let old = serde_json::json!({"event": "seat_token_rotated", "seat": 0, "token": digest});
    let event: Event = serde_json::from_value(old).expect("an older log still reads");
    assert_eq!(event, Event::SeatTokenRotated { seat: A, token: TokenDigest::of("A1"), by_previous: false });
    let mut table = Table::with_players(&["Anna", "Bram"]);
    table.room.apply(&event);
    table.log.push(event);
    assert_eq!(table.room.seat_key("Anna"), Some((A, SeatKey::Previous)));
    assert_eq!(table.room.seat_key("A1"), Some((A, SeatKey::Current)));
    // And a log with the new field replays to the same room that wrote it.
    take_back(&mut table, "Anna", "A2");
    let replayed = Room::replay(&table.log).expect("replays");
    assert_eq!(replayed.seat_key("A2"), Some((A, SeatKey::Current)));
    assert_eq!(replayed.seat_key("A1"), None);
}

/// The trainer reads, so a test can put any card of the pile on the table.
fn trainer_reads(deck: &str, names: &[&str]) -> Table {
    let settings = Settings { reader: ReaderMode::Trainer, ..Settings::default() };
    let mut table = Table::with_deck(deck, settings, names);
    table.ok(TRAINER, Command::Start);
    table
}

fn define(n: u8, definition: &str) -> Command {
    Command::Answer(Answer { position: Position::Scale(n), argument: None, definition: Some(definition.to_owned()) })
}

fn logged(log: &[Event]) -> Vec<crate::log::LoggedEvent> {
    (log.iter().enumerate())
        .map(|(i, event)| crate::log::LoggedEvent { seq: i as u64 + 1, at: 0, event: event.clone() })
        .collect()
}

#[test]
fn a_definition_is_asked_only_by_a_card_that_names_the_term_to_define() {
    let mut table = trainer_reads("samenwerken-rond-het-gezin", &["Anna", "Bram"]);
    let deck = table.room.setup().statements.clone();
    let pile: Vec<CardId> = table.room.pile().cloned().collect();
    let grouping_only = pile
        .iter()
        .find(|id| deck.card(id).is_some_and(|card| !card.terms.is_empty() && card.define.is_none()))
        .expect("a card with terms to group by and nothing to define")
        .clone();
    table.ok(TRAINER, Command::Play { card: grouping_only });
    assert_eq!(table.refused(Actor::Player(A), define(3, "Samen één plan")), "no_term_to_define");
    table.ok(Actor::Player(A), answer(3));
    table.ok(Actor::Player(B), answer(2));
    table.ok(TRAINER, Command::Next);
    let asking =
        pile.iter().find(|id| deck.card(id).is_some_and(|card| card.define.is_some())).expect("a card that asks");
    table.ok(TRAINER, Command::Play { card: asking.clone() });
    table.ok(Actor::Player(A), define(3, "Samen één plan"));
}

#[test]
fn an_eigen_regie_definition_no_longer_lands_in_regie() {
    use crate::analysis::Review;
    use crate::log::Names;
    let mut table = trainer_reads("containerbegrippen", &["Anna", "Bram", "Chris"]);
    let card = CardId::new("eigen-regie-onder-maatregel");
    let asked = table.room.setup().statements.card(&card).expect("in the deck").clone();
    assert_eq!(
        (asked.terms.as_slice(), asked.define.as_deref()),
        (&["eigen regie".to_owned(), "regie".to_owned()][..], Some("eigen regie"))
    );
    table.ok(TRAINER, Command::Play { card });
    table.ok(Actor::Player(A), define(2, "Het gezin houdt de touwtjes in handen, ook onder toezicht"));
    table.ok(Actor::Player(B), define(4, "Het gezin beslist mee binnen de grenzen van de maatregel"));
    table.ok(Actor::Player(C), define(4, "Meepraten over de hulp"));
    let review = Review::of(&logged(&table.log), Names::Pseudonyms, crate::Lang::Nl);
    let lens =
        |term: &str| review.terms.iter().find(|known| known.term == term).map(|known| known.lens.definitions.len());
    assert_eq!(lens("eigen regie"), Some(3), "counted under the term the card asks about");
    assert_eq!(lens("regie"), Some(0), "the statement still counts for regie, its definitions do not");
    assert_eq!(review.term_name("regie", crate::Lang::En), "being in charge");

    // A log written before `define` existed: the card asked about its first term, and its
    // definitions are counted there, once.
    let mut old = table.log.clone();
    if let Event::Created { setup, .. } = &mut old[0] {
        Arc::make_mut(&mut setup.statements).cards.iter_mut().for_each(|card| card.define = None);
    }
    let review = Review::of(&logged(&old), Names::Pseudonyms, crate::Lang::Nl);
    let lens =
        |term: &str| review.terms.iter().find(|known| known.term == term).map(|known| known.lens.definitions.len());
    assert_eq!((lens("eigen regie"), lens("regie")), (Some(3), Some(0)));
    assert_eq!(Room::replay(&old).map(|room| room.phase().clone()), Some(table.room.phase().clone()), "it replays");
}

/// Every statement a room dealt or could still deal: the hands and the pile.
fn dealable(table: &Table) -> Vec<CardId> {
    table.room.seats().flat_map(|(_, seat)| seat.hand.clone()).chain(table.room.pile().cloned()).collect()
}

#[test]
fn answering_from_your_role_never_deals_a_card_a_role_at_the_table_cannot_answer() {
    let professional_only = CardId::new("plan-eigen-plan-aanpassen");
    let deck = "samenwerken-rond-het-gezin";
    let table = Table::with_deck(deck, Settings::default(), &["Anna", "Bram", "Chris"]);
    let card = table.room.setup().statements.card(&professional_only).expect("in the deck").clone();
    assert!(!card.is_for("gezin") && card.is_for("professional"));

    let mut in_role = Table::with_deck(deck, Settings::default(), &["Anna", "Bram", "Chris"]);
    in_role.ok(TRAINER, Command::Start);
    assert!(!dealable(&in_role).contains(&professional_only), "a parent cannot answer it in role");
    assert_eq!(dealable(&in_role).len(), in_role.room.setup().statements.cards.len() - 1);

    let own = Settings { perspective: Perspective::Own, ..Settings::default() };
    let mut as_yourself = Table::with_deck(deck, own, &["Anna", "Bram"]);
    as_yourself.ok(TRAINER, Command::Start);
    assert!(dealable(&as_yourself).contains(&professional_only), "everyone answers as themselves");

    // A table of professionals only may play it from their roles.
    let mut professionals = Table::with_deck(deck, Settings::default(), &["Anna", "Bram"]);
    let mut roles = (*professionals.room.setup().roles).clone();
    roles.cards.retain(|role| role.group == "professional");
    let settings = Settings::default();
    professionals.ok(TRAINER, Command::Configure { settings, statements: None, roles: Some(roles.into()) });
    professionals.ok(TRAINER, Command::Start);
    assert!(dealable(&professionals).contains(&professional_only));
}

#[test]
fn the_trainer_picks_statements_by_theme_and_term() {
    let settings =
        Settings { themes: vec!["plan".to_owned()], terms: vec!["toegang".to_owned()], ..Settings::default() };
    let table = Table::started_with(settings, &["Anna", "Bram"]);
    let deck = table.room.setup().statements.clone();
    let dealt = dealable(&table);
    let expected = (deck.cards.iter())
        .filter(|card| card.theme.as_deref() == Some("plan") || card.terms.iter().any(|term| term == "toegang"))
        .count();
    assert_eq!(dealt.len(), expected, "every statement about plan or toegang, and nothing else");
    assert!(dealt.len() < deck.cards.len());

    // A pick the deck does not hold (left from decks chosen before) is no pick.
    let stale = Settings { themes: vec!["bestaat-niet".to_owned()], ..Settings::default() };
    assert_eq!(dealable(&Table::started_with(stale, &["Anna", "Bram"])).len(), deck.cards.len());

    // Nothing left to play: the only statement is one a parent cannot answer in role.
    let mut table = Table::with_deck("samenwerken-rond-het-gezin", Settings::default(), &["Anna", "Bram"]);
    let mut only_professional = (*table.room.setup().statements).clone();
    only_professional.cards.retain(|card| !card.for_groups.is_empty());
    assert_eq!(only_professional.cards.len(), 1);
    let configure = |settings: Settings| Command::Configure {
        settings,
        statements: Some(only_professional.clone().into()),
        roles: None,
    };
    table.ok(TRAINER, configure(Settings::default()));
    assert_eq!(table.refused(TRAINER, Command::Start), "no_statements");
    table.ok(TRAINER, configure(Settings { perspective: Perspective::Own, ..Settings::default() }));
    table.ok(TRAINER, Command::Start);

    let mut lobby = Table::with_players(&["Anna", "Bram"]);
    let too_many = Settings { terms: vec!["x".to_owned(); 101], ..Settings::default() };
    let refused = lobby.refused(TRAINER, Command::Configure { settings: too_many, statements: None, roles: None });
    assert_eq!(refused, "bad_settings");
}

/// A lobby of `players` with roles dealt `dealing`, started with the rng `seed`: each seat's
/// role.
fn roles_dealt(dealing: RoleDealing, players: usize, seed: u64) -> Vec<String> {
    let library = Library::built_in();
    let statements = library.statement_deck("containerbegrippen").expect("built in").clone();
    let roles = library.role_deck("keukentafel").expect("built in").clone();
    let settings = Settings { role_dealing: dealing, ..Settings::default() };
    let mut room = Room::new(
        RoomCode::parse("ABCDEF").expect("valid"),
        Setup::new(settings, statements, roles),
        TokenDigest::of("t"),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut run = |room: &mut Room, actor: Actor, command: Command| {
        let events = room.handle(actor, command, &mut Context { now: 0, rng: &mut rng }).expect("accepted");
        events.iter().for_each(|event| room.apply(event));
    };
    for n in 0..players {
        run(&mut room, Actor::Guest, join(&format!("Speler {n}")));
    }
    run(&mut room, TRAINER, Command::Start);
    room.seats().map(|(_, seat)| seat.role.as_ref().expect("dealt").to_string()).collect()
}

#[test]
fn a_room_with_roles_dealt_ouder_en_jongere_eerst_gets_both_at_eight_players_every_time() {
    assert_eq!(Settings::default().role_dealing, RoleDealing::family_first(), "the default");
    let has_family =
        |roles: &[String]| roles.iter().any(|role| role == "ouder") && roles.iter().any(|role| role == "jongere");
    for seed in 0..300 {
        let roles = roles_dealt(RoleDealing::family_first(), 8, seed);
        assert!(has_family(&roles), "seed {seed}: {roles:?}");
        let distinct: BTreeSet<&String> = roles.iter().collect();
        assert_eq!(distinct.len(), 8, "still one role each");
    }
    let missed = (0..300).filter(|seed| !has_family(&roles_dealt(RoleDealing::Random, 8, *seed))).count();
    assert!(missed > 30, "at random the family is often missing ({missed} of 300)");
    // Who gets them is still random.
    let first_seats: BTreeSet<String> =
        (0..40).map(|seed| roles_dealt(RoleDealing::family_first(), 8, seed)[0].clone()).collect();
    assert!(first_seats.len() > 2, "{first_seats:?}");
}

#[test]
fn chosen_roles_without_a_seat_go_to_the_next_to_join() {
    let chosen = ["mentor", "huisarts", "ouder"].map(CardId::new);
    assert!(chosen.iter().all(|id| Library::built_in().role_deck("keukentafel").expect("built in").card(id).is_some()));
    let dealing = RoleDealing::ChosenFirst { roles: chosen.to_vec() };
    let mut table = Table::started_with(Settings { role_dealing: dealing, ..Settings::default() }, &["Anna", "Bram"]);
    let mut dealt: Vec<String> =
        table.room.seats().map(|(_, seat)| seat.role.clone().expect("dealt").to_string()).collect();
    dealt.sort();
    assert_eq!(dealt, ["huisarts", "mentor"], "the first two chosen, in the trainer's order");
    table.ok(Actor::Guest, join("Chris"));
    assert_eq!(table.room.seat(C).and_then(|seat| seat.role.clone()), Some(CardId::new("ouder")));
}

#[test]
fn the_trainer_deals_roles_by_hand_in_the_lobby() {
    let by_hand = Settings { role_dealing: RoleDealing::ByHand, ..Settings::default() };
    let mut table = Table::with_settings(by_hand, &["Anna", "Bram", "Chris"]);
    let assign = |seat: SeatId, role: &str| Command::AssignRole { seat, role: Some(CardId::new(role)) };
    assert_eq!(table.refused(Actor::Player(A), assign(A, "ouder")), "not_trainer");
    assert_eq!(table.refused(TRAINER, assign(A, "astronaut")), "unknown_role");
    assert_eq!(table.refused(TRAINER, assign(SeatId(9), "ouder")), "unknown_seat");
    table.ok(TRAINER, assign(A, "ouder"));
    table.ok(TRAINER, assign(B, "ouder"));
    assert_eq!(
        table.room.assigned_roles().collect::<Vec<_>>(),
        [(B, &CardId::new("ouder"))],
        "a role moves, it is not doubled"
    );
    table.ok(TRAINER, assign(A, "wijkteam-generalist"));
    assert!(table.ok(TRAINER, assign(A, "wijkteam-generalist")).is_empty(), "nothing new");
    let watching = table.view(Identity::Observer);
    assert_eq!(watching.assigned.len(), 2, "everyone sees the roles to come");
    let anna = table.view(Identity::Player { seat: A });
    let named = |seat| anna.assigned_role(seat).map(|role| role.name.nl.clone());
    assert_eq!((named(A), named(C)), (Some("Generalist wijkteam".to_owned()), None), "Anna's phone names hers");

    table.ok(TRAINER, Command::Start);
    let role = |table: &Table, seat: SeatId| table.room.seat(seat).and_then(|seat| seat.role.clone()).expect("dealt");
    assert_eq!((role(&table, A), role(&table, B)), (CardId::new("wijkteam-generalist"), CardId::new("ouder")));
    assert!(
        ![CardId::new("wijkteam-generalist"), CardId::new("ouder")].contains(&role(&table, C)),
        "Chris gets a free one"
    );
    assert_eq!(table.refused(TRAINER, assign(C, "jongere")), "wrong_phase");
    table.ok(Actor::Guest, join("Dirk"));
    let taken: BTreeSet<CardId> = [A, B, C].iter().map(|seat| role(&table, *seat)).collect();
    assert!(!taken.contains(&role(&table, SeatId(3))), "a late joiner gets the next free role");
    assert!(table.view(Identity::Observer).assigned.is_empty(), "after the start the roles are dealt");
    assert_eq!(Room::replay(&table.log), Some(table.room.clone()));
}
