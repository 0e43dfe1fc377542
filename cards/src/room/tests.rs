//! The rules of a statement round, one scenario each.

use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;

use super::*;
use crate::event::Position;
use crate::library::Library;
use crate::view::{Audience, Identity, PhaseView, View};

/// A room with a fixed shuffle, the built-in decks and a log of everything that happened.
struct Table {
    room: Room,
    log: Vec<Event>,
    rng: ChaCha8Rng,
}

impl Table {
    fn with_players(names: &[&str]) -> Table {
        let library = Library::built_in();
        let setup = Setup {
            hand_size: Setup::DEFAULT_HAND_SIZE,
            max_players: 4,
            statements: library.statement_deck("containerbegrippen").expect("built in").clone(),
            roles: library.role_deck("keukentafel").expect("built in").clone(),
        };
        let code = RoomCode::parse("ABCDEF").expect("valid code");
        let created = Event::Created { code: code.clone(), setup: Box::new(setup.clone()) };
        let mut table = Table { room: Room::new(code, setup), log: vec![created], rng: ChaCha8Rng::seed_from_u64(7) };
        for name in names {
            table.ok(Actor::Guest, Command::Join { name: (*name).to_owned() });
        }
        table
    }

    fn started(names: &[&str]) -> Table {
        let mut table = Table::with_players(names);
        table.ok(Actor::Trainer, Command::Start);
        table
    }

    fn try_cmd(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        let before = self.room.clone();
        let result = self.room.handle(actor, command, &mut Context { now: 0, rng: &mut self.rng });
        assert_eq!(self.room, before, "handle must not change the room");
        let events = result?;
        for event in &events {
            self.room.apply(event);
        }
        self.log.extend(events.iter().cloned());
        Ok(events)
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
        self.turn().reader
    }

    fn hand(&self, seat: SeatId) -> Vec<CardId> {
        self.room.seat(seat).expect("seat").hand.clone()
    }

    /// The reader plays the first card in their hand.
    fn play_first(&mut self) -> CardId {
        let reader = self.reader();
        let card = self.hand(reader)[0].clone();
        self.ok(Actor::Player(reader), Command::Play { card: card.clone() });
        card
    }
}

fn answer(n: u8) -> Command {
    Command::Answer(Answer { position: Position::Scale(n), argument: None, definition: None })
}

const A: SeatId = SeatId(0);
const B: SeatId = SeatId(1);
const C: SeatId = SeatId(2);

#[test]
fn start_deals_every_player_a_different_role_and_a_full_hand() {
    let table = Table::started(&["Anna", "Bram", "Chris"]);
    let roles: Vec<_> = table.room.seats().map(|(_, seat)| seat.role.clone().expect("a role")).collect();
    assert_eq!(roles.len(), 3);
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
    assert_eq!(table.refused(Actor::Trainer, Command::Start), "too_few_players");
    table.ok(Actor::Guest, Command::Join { name: "Bram".to_owned() });
    table.ok(Actor::Trainer, Command::Start);
    assert_eq!(table.refused(Actor::Trainer, Command::Start), "wrong_phase");
}

#[test]
fn names_must_be_present_short_and_unique() {
    let mut table = Table::with_players(&["Anna"]);
    let join = |name: &str| Command::Join { name: name.to_owned() };
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
fn the_last_answer_of_the_present_players_reveals() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    assert_eq!(table.ok(Actor::Player(A), answer(1)).len(), 1);
    table.ok(Actor::Player(A), answer(2));
    assert_eq!(table.turn().answers[&A].position, Position::Scale(2), "an answer can change until the reveal");
    table.ok(Actor::Player(B), answer(4));
    let events = table
        .ok(Actor::Player(C), Command::Answer(Answer { position: Position::Pass, argument: None, definition: None }));
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
    assert_eq!(table.refused(Actor::Player(A), answer(5)), "wrong_phase", "no changes after the reveal");
}

#[test]
fn an_absent_player_never_blocks_the_reveal() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(A), answer(1));
    table.ok(Actor::Player(B), answer(5));
    let events = table.ok(Actor::Server, Command::SetPresence { seat: C, connected: false });
    assert_eq!(events.last(), Some(&Event::Revealed { cause: RevealCause::AllAnswered }));
}

#[test]
fn the_trainer_may_reveal_early_and_then_move_on() {
    let mut table = Table::started(&["Anna", "Bram"]);
    assert_eq!(table.refused(Actor::Trainer, Command::Reveal), "wrong_phase");
    table.play_first();
    assert_eq!(table.refused(Actor::Trainer, Command::Next), "wrong_phase", "reveal before moving on");
    assert_eq!(table.refused(Actor::Player(A), Command::Reveal), "not_trainer");
    table.ok(Actor::Player(A), answer(3));
    table.ok(Actor::Trainer, Command::Reveal);
    table.ok(Actor::Trainer, Command::Next);
    assert_eq!((table.turn().number, table.reader()), (2, B), "the reader rotates");
}

#[test]
fn the_trainer_skips_an_absent_reader() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.ok(Actor::Server, Command::SetPresence { seat: B, connected: false });
    table.ok(Actor::Trainer, Command::Next);
    assert_eq!(table.reader(), C, "Bram is away, so Chris reads");
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
    let events = table.ok(Actor::Guest, Command::Join { name: "Chris".to_owned() });
    assert!(matches!(&events[1], Event::Dealt { seat, hand, .. } if *seat == C && hand.len() == 3));
}

#[test]
fn the_session_ends_when_nobody_has_a_card_left() {
    let mut table = Table::started(&["Anna", "Bram"]);
    let mut turns = 0;
    while let Phase::Turn(_) = table.room.phase() {
        table.play_first();
        table.ok(Actor::Trainer, Command::Reveal);
        table.ok(Actor::Trainer, Command::Next);
        turns += 1;
    }
    assert_eq!(turns, table.room.setup().statements.cards.len(), "every statement is played once");
    assert_eq!(table.refused(Actor::Guest, Command::Join { name: "Dirk".to_owned() }), "room_ended");
}

#[test]
fn replaying_the_log_rebuilds_the_same_room() {
    let mut table = Table::started(&["Anna", "Bram", "Chris"]);
    table.play_first();
    table.ok(Actor::Player(B), answer(2));
    assert_eq!(Room::replay(&table.log), Some(table.room.clone()));
}

/// Every participant's copy of the room, kept with the same reducer the browser uses, and
/// everything each was sent.
struct Watchers {
    identities: Vec<Identity>,
    views: Vec<View>,
    sent: Vec<String>,
}

impl Watchers {
    fn new(room: &Room, identities: Vec<Identity>) -> Watchers {
        let views = identities.iter().map(|&you| room.view(you)).collect();
        let sent = vec![String::new(); identities.len()];
        Watchers { identities, views, sent }
    }

    fn step(&mut self, table: &mut Table, actor: Actor, command: Command) {
        for event in table.ok(actor, command) {
            for (i, you) in self.identities.iter().enumerate() {
                let audience = match you {
                    Identity::Player { seat } => Audience::Seat(*seat),
                    _ => Audience::Everyone,
                };
                for update in table.room.updates(&event, audience) {
                    self.sent[i].push_str(&serde_json::to_string(&update).expect("serialises"));
                    self.views[i].apply(&update);
                }
            }
        }
        for (view, you) in self.views.iter().zip(&self.identities) {
            assert_eq!(*view, table.room.view(*you), "the reducer agrees with the snapshot for {you:?}");
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
    let everyone = vec![Identity::Trainer, Identity::Observer, anna, bram];
    let mut watchers = Watchers::new(&table.room, everyone.clone());

    watchers.step(&mut table, Actor::Trainer, Command::Start);
    let card = table.hand(A)[0].clone();
    watchers.step(&mut table, Actor::Player(A), Command::Play { card });
    let secret =
        Answer { position: Position::Scale(5), argument: Some("GEHEIM-ARGUMENT".to_owned()), definition: None };
    watchers.step(&mut table, Actor::Player(A), Command::Answer(secret));

    let bram_holds: Vec<String> =
        table.room.view(bram).hand.iter().map(|card| serde_json::to_string(&card.text).expect("serialises")).collect();
    for you in &everyone {
        let sent = watchers.sent_to(*you);
        assert_eq!(sent.contains("GEHEIM-ARGUMENT"), *you == anna, "before the reveal only Anna saw her answer");
        if *you != bram {
            assert!(bram_holds.iter().all(|card| !sent.contains(card.as_str())), "{you:?} was sent Bram's hand");
        }
    }

    watchers.step(&mut table, Actor::Player(B), answer(1));
    let projector = &watchers.views[1];
    assert!(
        matches!(&projector.phase, PhaseView::Turn(turn) if turn.reveal.as_ref().is_some_and(|r| r.answers.len() == 2))
    );
    assert!(watchers.sent_to(bram).contains("GEHEIM-ARGUMENT"), "after the reveal everyone sees it");
}
