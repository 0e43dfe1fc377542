//! Random games: any sequence of commands from anyone keeps the room's invariants.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;
use crate::event::{Perspective, RoleDealing};
use crate::forms::actions::{ActionCommand, ProposalId, Source, Stage};
use crate::forms::mirror::{Kind, MirrorCommand, ObservationId};
use crate::forms::scale::{ScaleAnswer, ScaleCommand};
use crate::forms::table::{Layout, Place, Regie, TableCommand};
use crate::session::plan::{Plan, PlannedForm, RunningForm};

/// One step of a random game: who acts, what they ask, and how much time passes first.
#[derive(Debug, Clone)]
struct Step {
    actor: u8,
    command: u8,
    a: u8,
    b: u8,
    wait_ms: u32,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = (0u8..10, 0u8..28, any::<u8>(), any::<u8>(), prop_oneof![Just(0u32), 0u32..700_000])
        .prop_map(|(actor, command, a, b, wait_ms)| Step { actor, command, a, b, wait_ms });
    proptest::collection::vec(step, 1..120)
}

fn actor(n: u8) -> Actor {
    match n {
        0 => Actor::Trainer(TrainerId(0)),
        1 => Actor::Trainer(TrainerId(1)),
        2 => Actor::Guest,
        3 => Actor::Server,
        seat => Actor::Player(SeatId(u16::from(seat - 4))),
    }
}

/// A command built from the step's numbers, mostly one that could make sense now.
fn command(table: &Table, step: &Step, index: usize) -> Command {
    let seat = SeatId(u16::from(step.a % 6));
    let card_of = |cards: Vec<CardId>| cards.get(usize::from(step.b) % cards.len().max(1)).cloned();
    match step.command {
        0 => Command::Join { name: format!("Speler {}", step.a % 8), token: TokenDigest::of(&format!("t{}", step.a)) },
        1 => Command::Leave,
        2 => {
            let timer = match step.b % 3 {
                0 => TimerMode::Off,
                1 => TimerMode::Soft { seconds: 10 + u16::from(step.a) },
                _ => TimerMode::Hard { seconds: 10 + u16::from(step.a) },
            };
            let settings = Settings {
                hand_size: step.a % 9,
                reader: if step.b.is_multiple_of(2) { ReaderMode::Rotating } else { ReaderMode::Trainer },
                perspective: if step.a.is_multiple_of(2) { Perspective::Role } else { Perspective::Own },
                rotate_roles_every: step.b % 4,
                timer,
                auto_reveal: !step.a.is_multiple_of(5),
                anonymous: step.b.is_multiple_of(7),
                joins_per_address: step.a % 3,
                role_dealing: match step.a % 3 {
                    0 => RoleDealing::Random,
                    1 => RoleDealing::ByHand,
                    _ => RoleDealing::ChosenFirst {
                        roles: [CardId::new("jongere"), CardId::new("geen-rol"), CardId::new("ouder")]
                            [..usize::from(step.b % 4).min(3)]
                            .to_vec(),
                    },
                },
                // Now and then a pick of themes and terms, sometimes one that leaves nothing.
                themes: match step.b % 5 {
                    0 => vec!["plan".to_owned()],
                    1 => vec!["geen-thema".to_owned()],
                    _ => Vec::new(),
                },
                terms: if step.a.is_multiple_of(7) { vec!["regie".to_owned()] } else { Vec::new() },
            };
            Command::Configure { settings, statements: None, roles: None }
        }
        3 => Command::Start,
        4 | 5 => {
            let held = table.room.seat(seat).map(|seat| seat.hand.clone()).unwrap_or_default();
            let reader_hand = match table.room.phase() {
                Phase::Turn(Turn { reader: Some(reader), .. }) => table.hand(*reader),
                _ => held,
            };
            let pile: Vec<CardId> = table.room.pile().cloned().collect();
            let card = card_of(if step.command == 4 { reader_hand } else { pile });
            Command::Play { card: card.unwrap_or_else(|| CardId::new("geen-kaart")) }
        }
        6 | 7 => {
            let position = if step.b % 6 == 5 { Position::Pass } else { Position::Scale(1 + step.b % 5) };
            let argument = Some(format!("ARG-{index}-X"));
            let definition = (step.a.is_multiple_of(2)).then(|| format!("DEF-{index}-X"));
            Command::Answer(Answer { position, argument, definition })
        }
        8 => Command::Reveal,
        9 => Command::Revote,
        10 => Command::Next,
        11 => Command::Skip,
        12 => {
            if step.a.is_multiple_of(2) {
                Command::PauseTimer
            } else {
                Command::ResumeTimer
            }
        }
        13 => Command::Kick { seat, refuse_name: false },
        14 => Command::Lock { locked: step.a.is_multiple_of(2) },
        15 => {
            if step.a.is_multiple_of(2) {
                Command::AddTrainer { token: TokenDigest::of("co") }
            } else {
                Command::RemoveTrainer { trainer: TrainerId(u16::from(step.b % 3)) }
            }
        }
        16 => Command::End,
        17 => Command::SetPresence { seat, here: step.b.is_multiple_of(2) },
        18 => {
            let roles = &table.room.setup().roles.cards;
            let role = (!step.b.is_multiple_of(8)).then(|| roles[usize::from(step.b) % roles.len()].id.clone());
            Command::AssignRole { seat, role }
        }
        20 | 21 => Command::SetAgenda { agenda: agenda(step.a) },
        22 => Command::NextStep,
        23 | 24 => match step.a % 4 {
            0 => Command::Scale(ScaleCommand::Ask {
                question: CardId::new(if step.b.is_multiple_of(5) { "geen-vraag" } else { "toegang-soepel" }),
            }),
            1 => Command::Scale(ScaleCommand::Reveal),
            _ => Command::Scale(ScaleCommand::Answer(ScaleAnswer {
                score: step.b % 12,
                why_not_lower: step.b.is_multiple_of(2).then(|| format!("LAGER-{index}-X")),
                one_point_higher: step.b.is_multiple_of(3).then(|| format!("HOGER-{index}-X")),
            })),
        },
        25..=27 => {
            let proposal = ProposalId(u16::from(step.b % 6));
            Command::Actions(match step.a % 8 {
                0 | 1 => ActionCommand::Propose { text: format!("VOORSTEL-{index}-X") },
                2 => ActionCommand::Show,
                3 => ActionCommand::Merge { from: proposal, into: ProposalId(u16::from(step.a % 5)) },
                4 => ActionCommand::OpenVote,
                5 => ActionCommand::Vote {
                    dots: std::collections::BTreeMap::from([(proposal, step.a % 4), (ProposalId(0), 1)]),
                },
                6 => ActionCommand::CloseVote,
                _ => ActionCommand::Assign { proposal, owner: format!("Eigenaar {index}"), by: "maart".into() },
            })
        }
        28 | 29 => match step.a % 4 {
            0 => Command::Table(TableCommand::Lay {
                case: CardId::new(if step.b.is_multiple_of(5) { "geen-casus" } else { "scheiding-strijd" }),
            }),
            1 => Command::Table(TableCommand::Reveal),
            _ => {
                let roles = &table.room.setup().roles.cards;
                let role = |n: u8| roles[usize::from(n) % roles.len()].id.clone();
                let place = [Place::Table, Place::OnCall, Place::NotNeeded][usize::from(step.b % 3)];
                let places = BTreeMap::from([(role(step.b), place), (role(step.a), Place::Table)]);
                let reasons = BTreeMap::from([(role(step.b), format!("REDEN-{index}-X"))]);
                let regie = step.b.is_multiple_of(4).then_some(Regie::Family);
                Command::Table(TableCommand::Place(Layout { places, regie, reasons }))
            }
        },
        30 | 31 => Command::Mirror(match step.a % 8 {
            0 => MirrorCommand::Speakers { seats: vec![SeatId(u16::from(step.b % 4))] },
            1 => MirrorCommand::Ask {
                question: CardId::new(if step.b.is_multiple_of(5) { "geen" } else { "toegang-gehoord" }),
            },
            2 => MirrorCommand::Answer { text: format!("ANTWOORD-{index}") },
            3 | 4 => MirrorCommand::Observe {
                kind: Kind::ALL[usize::from(step.b % 3)],
                text: format!("WAARNEMING-{index}-X"),
            },
            5 => MirrorCommand::Close,
            6 => MirrorCommand::Pick {
                observation: ObservationId(u16::from(step.b % 4)),
                picked: step.a.is_multiple_of(2),
            },
            _ => MirrorCommand::Share,
        }),
        _ => Command::Tick,
    }
}

/// One of three agendas: the built-in Dompelsessie, the same without its statements, or its
/// last two steps only.
fn agenda(pick: u8) -> Plan {
    static DRAAIBOEKEN: std::sync::OnceLock<(Plan, Plan, Plan)> = std::sync::OnceLock::new();
    let (dompelsessie, keukentafel, spiegelgesprek) = DRAAIBOEKEN.get_or_init(|| {
        let library = Library::built_in();
        let plan = |id| Plan::resolve(library.agenda(id).expect("built in"), &library).expect("resolves");
        (plan("dompelsessie-ruimte-geeft-vaart"), plan("keukentafeluitdaging"), plan("spiegelgesprek"))
    });
    let mut plan = dompelsessie.clone();
    match pick % 5 {
        0 => {}
        1 => plan.steps.retain(|step| step.form != PlannedForm::Statements),
        2 => plan.steps.drain(..2).for_each(drop),
        3 => plan = keukentafel.clone(),
        _ => plan = spiegelgesprek.clone(),
    }
    plan
}

/// Every statement the game started with is in exactly one place: a hand, the pile, or among
/// the played; the statements it left out are nowhere.
fn cards_are_conserved(table: &Table) {
    let Some(started) = table.log.iter().find_map(|event| match event {
        Event::Started { pile, .. } => Some(pile),
        _ => None,
    }) else {
        return;
    };
    let room = &table.room;
    let mut places: Vec<&CardId> = room.seats().flat_map(|(_, seat)| seat.hand.iter()).collect();
    places.extend(room.pile());
    places.extend(room.played());
    let distinct: BTreeSet<&CardId> = places.iter().copied().collect();
    assert_eq!(distinct.len(), places.len(), "a card is in two places");
    assert_eq!(distinct, started.iter().collect(), "a card went missing or came from outside the pile");
}

/// Answering from your role, no card reaches a hand or the table that a role in the deck
/// cannot answer; and only picked statements are played.
fn every_card_fits_the_table(table: &Table) {
    let room = &table.room;
    let groups: BTreeSet<&str> = room.setup().roles.cards.iter().map(|role| role.group.as_str()).collect();
    let in_role = room.settings().perspective == Perspective::Role;
    let picked: BTreeSet<&CardId> = room.settings().picked(&room.setup().statements).map(|card| &card.id).collect();
    let dealt = room.seats().flat_map(|(_, seat)| seat.hand.iter()).chain(room.played());
    for id in dealt {
        let card = room.setup().statements.card(id).expect("a card of the deck");
        assert!(
            !in_role || groups.iter().all(|group| card.is_for(group)),
            "{id} is dealt to a role that cannot answer it"
        );
        assert!(picked.contains(id), "{id} was not picked");
    }
}

/// Roles dealt first are at the table from the start whenever there are seats for them.
fn chosen_roles_are_dealt(events: &[Event], room: &Room) {
    let Some(Event::Started { roles: order, .. }) = events.first() else { return };
    let RoleDealing::ChosenFirst { roles: chosen } = &room.settings().role_dealing else { return };
    let dealt: BTreeSet<&CardId> = events
        .iter()
        .filter_map(|event| match event {
            Event::Dealt { role, .. } => Some(role),
            _ => None,
        })
        .collect();
    let mut wanted: Vec<&CardId> = chosen.iter().filter(|role| order.contains(role)).collect();
    wanted.dedup();
    for role in wanted.into_iter().take(dealt.len()) {
        assert!(dealt.contains(role), "the chosen role {role} is not dealt");
    }
}

/// The phases only move forward: lobby, turns numbered one by one, the end.
fn phase_moves_forward(before: &Phase, after: &Phase) {
    let legal = match (before, after) {
        // A session whose agenda opens with another work form starts at turn 0.
        (Phase::Lobby, Phase::Lobby | Phase::Turn(Turn { number: 0 | 1, .. }) | Phase::Ended(_)) => true,
        (Phase::Turn(old), Phase::Turn(new)) => new.number == old.number || new.number == old.number + 1,
        (Phase::Turn(_), Phase::Ended(_)) => true,
        (Phase::Ended(old), Phase::Ended(new)) => old == new,
        _ => false,
    };
    assert!(legal, "illegal phase change from {before:?} to {after:?}");
}

/// No participant's view holds another player's hand, or an answer before its reveal.
fn views_hide_what_is_not_theirs(table: &Table) {
    let room = &table.room;
    let mut identities = vec![Identity::Trainer { trainer: TrainerId(0) }, Identity::Observer];
    identities.extend(room.seats().map(|(seat, _)| Identity::Player { seat }));
    let hidden_answers: Vec<(SeatId, String)> = match room.phase() {
        Phase::Turn(turn) if turn.revealed.is_none() => turn
            .answers
            .iter()
            .flat_map(|(seat, answer)| {
                answer.argument.iter().chain(&answer.definition).map(|text| (*seat, text.clone()))
            })
            .collect(),
        _ => Vec::new(),
    };
    // A running schaalvraag's answers before their reveal, and proposals while they are
    // collected (trainers see those, to group them).
    let (mut hidden_scale, mut hidden_proposals) = (Vec::new(), Vec::new());
    match room.running_step().map(|(_, _, run)| &run.form) {
        Some(RunningForm::Scale(scale)) => {
            for (seat, answer) in scale.open().iter().flat_map(|round| &round.answers) {
                let texts = answer.why_not_lower.iter().chain(&answer.one_point_higher);
                hidden_scale.extend(texts.map(|text| (*seat, text.clone())));
            }
        }
        Some(RunningForm::Mirror(mirror)) => {
            // An observation is its listener's while the speakers talk; in the after-talk every
            // listener's and the trainer's, a speaker's and the screen's only once shared.
            for noted in &mirror.observations {
                let after_talk = mirror.stage == crate::forms::mirror::Stage::AfterTalk;
                for &you in &identities {
                    let reads = match you {
                        Identity::Player { seat } if seat == noted.seat => true,
                        Identity::Trainer { .. } => after_talk,
                        Identity::Player { seat } if !mirror.speakers.contains(&seat) => after_talk,
                        _ => after_talk && mirror.shared,
                    };
                    if !reads {
                        let view = serde_json::to_string(&table.view(you)).expect("serialises");
                        assert!(
                            !view.contains(noted.text.as_str()),
                            "{you:?} reads an observation of {:?}",
                            noted.seat
                        );
                    }
                }
            }
        }
        Some(RunningForm::Table(kitchen)) => {
            for (seat, layout) in kitchen.open().iter().flat_map(|round| &round.layouts) {
                hidden_scale.extend(layout.reasons.values().map(|reason| (*seat, reason.clone())));
            }
        }
        Some(RunningForm::Actions(actions)) if actions.stage == Stage::Collecting => {
            for proposal in &actions.proposals {
                for source in &proposal.sources {
                    if let Source::Seat { seat } = source {
                        hidden_proposals.push((*seat, proposal.text.clone()));
                    }
                }
            }
        }
        _ => {}
    }
    for you in identities {
        let view = serde_json::to_string(&table.view(you)).expect("serialises");
        for (author, text) in hidden_answers.iter().chain(&hidden_scale) {
            if you != (Identity::Player { seat: *author }) {
                assert!(!view.contains(text.as_str()), "{you:?} sees the hidden answer of {author:?}");
            }
        }
        for (author, text) in &hidden_proposals {
            let trainer = matches!(you, Identity::Trainer { .. });
            if !trainer && you != (Identity::Player { seat: *author }) {
                assert!(!view.contains(text.as_str()), "{you:?} sees a proposal of {author:?} before it was shown");
            }
        }
        for (holder, seat) in room.seats() {
            if you == (Identity::Player { seat: holder }) {
                continue;
            }
            for card in &seat.hand {
                let text = &room.setup().statements.card(card).expect("a card of the deck").text.nl;
                assert!(!view.contains(text.as_str()), "{you:?} sees a card in the hand of {holder:?}");
            }
        }
    }
}

/// Plays `steps` on `table`, checking every invariant after each, then that the log replays.
/// `commands` and `actors` pick from the step's numbers what this kind of game plays.
fn play(
    mut table: Table,
    steps: &[Step],
    commands: impl Fn(u8) -> u8,
    actors: impl Fn(u8) -> u8,
) -> Result<(), TestCaseError> {
    let identities = |room: &Room| {
        let mut all = vec![Identity::Trainer { trainer: TrainerId(0) }, Identity::Observer];
        all.extend(room.seats().map(|(seat, _)| Identity::Player { seat }));
        all
    };
    for (index, step) in steps.iter().enumerate() {
        table.now += u64::from(step.wait_ms);
        let before = table.room.clone();
        let mut views: Vec<(Identity, View)> =
            identities(&before).into_iter().map(|you| (you, before.view(you, table.now))).collect();
        let step = Step { command: commands(step.command), actor: actors(step.actor), ..step.clone() };
        let command = command(&table, &step, index);
        // `try_cmd` checks that a refused command leaves the room as it was.
        if let Ok(events) = table.try_cmd(actor(step.actor), command) {
            chosen_roles_are_dealt(&events, &table.room);
            let mut replayed = before.clone();
            for event in &events {
                replayed.apply(event);
                for (you, view) in &mut views {
                    for update in replayed.updates(event, replayed.audience(*you, event)) {
                        view.apply(&update);
                    }
                }
            }
            for (you, view) in &views {
                let fresh = table.view(*you);
                prop_assert_eq!(strip_timer(view), strip_timer(&fresh), "the reducer drifted for {:?}", you);
            }
        }
        cards_are_conserved(&table);
        every_card_fits_the_table(&table);
        phase_moves_forward(before.phase(), table.room.phase());
        views_hide_what_is_not_theirs(&table);
    }
    prop_assert_eq!(Room::replay(&table.log), Some(table.room.clone()));
    // The log as the store keeps it, JSON, folds to the same room.
    let stored: Vec<Event> = table
        .log
        .iter()
        .map(|event| serde_json::from_str(&serde_json::to_string(event).expect("serialises")).expect("parses"))
        .collect();
    prop_assert_eq!(Room::replay(&stored), Some(table.room.clone()));
    Ok(())
}

/// The commands of a session under way with an agenda: the work forms' and the agenda's
/// mostly, the statement game's, people coming and going, the clock; never `end`.
const IN_A_SESSION: [u8; 32] = [
    0, 1, 4, 6, 7, 8, 10, 11, 13, 17, 19, 20, 22, 22, 23, 23, 24, 24, 25, 25, 26, 26, 27, 27, 28, 28, 29, 29, 30, 30,
    31, 31,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_games_keep_every_invariant(steps in steps(), deck in prop_oneof![Just("containerbegrippen"), Just("samenwerken-rond-het-gezin")]) {
        play(Table::with_deck(deck, Settings::default(), &["Anna", "Bram"]), &steps, |command| command, |actor| actor)?;
    }

    #[test]
    fn random_sessions_with_an_agenda_keep_every_invariant(steps in steps(), pick in 0u8..5) {
        let mut table = Table::with_deck("containerbegrippen", Settings::default(), &["Anna", "Bram", "Cas"]);
        table.ok(TRAINER, Command::SetAgenda { agenda: agenda(pick) });
        table.ok(TRAINER, Command::Start);
        // Mostly the trainer and the three players, now and then someone else.
        let actors = |actor: u8| [0, 0, 4, 5, 6, 4, 5, 6, 2, 3][usize::from(actor) % 10];
        play(table, &steps, |command| IN_A_SESSION[usize::from(command) % IN_A_SESSION.len()], actors)?;
    }
}

/// A timer's remaining time and a step's running time in a snapshot depend on when it is
/// taken; the rest must agree.
fn strip_timer(view: &View) -> View {
    let mut view = view.clone();
    if let Some(session) = &mut view.session {
        session.running_ms = None;
    }
    if let PhaseView::Turn(turn) = &mut view.phase
        && let Some(timer) = &mut turn.timer
        && timer.running
    {
        timer.remaining_ms = 0;
    }
    view
}
