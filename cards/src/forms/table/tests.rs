//! The rules of the keukentafeluitdaging, one scenario each.

use super::*;
use crate::library::Library;

const ANNA: SeatId = SeatId(0);
const BRAM: SeatId = SeatId(1);
const CHRIS: SeatId = SeatId(2);
const HERE: [SeatId; 3] = [ANNA, BRAM, CHRIS];
const CASE: &str = "scheiding-strijd";

fn roles() -> RoleDeck {
    Library::built_in().role_deck("keukentafel").expect("built in").as_ref().clone()
}

fn step(settings: TableSettings) -> KitchenTable {
    let library = Library::built_in();
    let cases = library.case_deck("casussen").expect("built in").cards.clone();
    KitchenTable::new(settings, cases)
}

fn lay() -> TableCommand {
    TableCommand::Lay { case: CardId::new(CASE) }
}

/// A lay-out seating `table` and calling on `on_call`.
fn layout(table: &[&str], on_call: &[&str]) -> Layout {
    let places = table
        .iter()
        .map(|role| (CardId::new(*role), Place::Table))
        .chain(on_call.iter().map(|role| (CardId::new(*role), Place::OnCall)))
        .collect();
    Layout { places, regie: None, reasons: BTreeMap::new() }
}

fn place(layout: Layout) -> TableCommand {
    TableCommand::Place(layout)
}

/// Decides and applies, as the session does.
fn ok(table: &mut KitchenTable, who: Who, command: TableCommand) -> Vec<TableEvent> {
    let events = table.handle(who, command, &HERE, &roles()).expect("accepted");
    events.iter().for_each(|event| table.apply(event));
    events
}

fn refused(table: &KitchenTable, who: Who, command: TableCommand) -> &'static str {
    let before = table.clone();
    let code = table.handle(who, command, &HERE, &roles()).expect_err("refused").code();
    assert_eq!(table, &before, "a refused command changes nothing");
    code
}

#[test]
fn only_the_trainer_lays_one_of_the_steps_cases_and_one_at_a_time() {
    let mut table = step(TableSettings::default());
    assert_eq!(refused(&table, Who::Player(ANNA), lay()), "not_trainer");
    assert_eq!(refused(&table, Who::Trainer, TableCommand::Lay { case: CardId::new("geen-casus") }), "unknown_case");
    assert_eq!(refused(&table, Who::Player(ANNA), place(layout(&["ouder"], &[]))), "wrong_phase");
    ok(&mut table, Who::Trainer, lay());
    assert_eq!(refused(&table, Who::Trainer, lay()), "wrong_phase", "the open round is laid out first");
    assert_eq!(refused(&table, Who::Trainer, place(layout(&["ouder"], &[]))), "not_a_player");
}

#[test]
fn a_layout_places_only_the_decks_roles_and_names_the_regie_only_when_asked() {
    let mut table = step(TableSettings { regie: false, ..TableSettings::default() });
    ok(&mut table, Who::Trainer, lay());
    assert_eq!(refused(&table, Who::Player(ANNA), place(layout(&["burgemeester"], &[]))), "unknown_role");
    let with_regie = Layout { regie: Some(Regie::Family), ..layout(&["ouder"], &[]) };
    assert_eq!(refused(&table, Who::Player(ANNA), place(with_regie)), "not_asked");
    let long = Layout {
        reasons: BTreeMap::from([(CardId::new("ouder"), "x".repeat(MAX_ARGUMENT_CHARS + 1))]),
        ..layout(&["ouder"], &[])
    };
    assert_eq!(refused(&table, Who::Player(ANNA), place(long)), "text_too_long");

    let mut asked = step(TableSettings::default());
    ok(&mut asked, Who::Trainer, lay());
    let unknown_regie = Layout { regie: Some(Regie::Role(CardId::new("koning"))), ..layout(&["ouder"], &[]) };
    assert_eq!(refused(&asked, Who::Player(ANNA), place(unknown_regie)), "unknown_role");
    let mut explained = layout(&["ouder", "grootouder"], &["huisarts"]);
    explained.places.insert(CardId::new("buur"), Place::NotNeeded);
    explained.reasons.insert(CardId::new("grootouder"), "  Oma haalt de kinderen \u{7} elke dag op. ".into());
    explained.reasons.insert(CardId::new("huisarts"), "   ".into());
    ok(&mut asked, Who::Player(ANNA), place(explained));
    let kept = asked.open().expect("open").layouts[&ANNA].clone();
    assert_eq!(kept.places.len(), 3, "niet nodig is what a lay-out leaves out");
    assert_eq!(kept.reasons.len(), 1, "an empty reason is no reason");
    assert_eq!(kept.reasons[&CardId::new("grootouder")], "Oma haalt de kinderen   elke dag op.");
}

#[test]
fn a_table_above_the_advice_is_kept_the_advice_is_never_a_refusal() {
    let mut table = step(TableSettings { advised_seats: 2, ..TableSettings::default() });
    ok(&mut table, Who::Trainer, lay());
    ok(&mut table, Who::Player(ANNA), place(layout(&["ouder", "jongere", "grootouder", "huisarts"], &[])));
    assert_eq!(table.open().expect("open").layouts[&ANNA].seats(), 4);
}

#[test]
fn lay_outs_stay_private_until_everyone_present_is_done_or_the_trainer_reveals() {
    let mut table = step(TableSettings::default());
    ok(&mut table, Who::Trainer, lay());
    ok(&mut table, Who::Player(ANNA), place(layout(&["ouder"], &[])));
    ok(&mut table, Who::Player(ANNA), place(layout(&["ouder", "grootouder"], &[])));
    let bram = table.view(Some(BRAM)).expect("a round");
    assert_eq!(bram.answered, [ANNA], "Bram sees that Anna is done");
    assert_eq!((bram.mine, bram.revealed), (None, None), "but not how she laid the roles out");
    let anna = table.view(Some(ANNA)).expect("a round");
    assert_eq!(anna.mine.map(|mine| mine.seats()), Some(2), "Anna sees her last lay-out");
    ok(&mut table, Who::Player(BRAM), place(layout(&["ouder"], &["huisarts"])));
    let events = ok(&mut table, Who::Player(CHRIS), place(layout(&[], &[])));
    assert_eq!(events.last(), Some(&TableEvent::Revealed { cause: RevealCause::AllAnswered }));
    let revealed = table.view(Some(BRAM)).and_then(|view| view.revealed).expect("revealed");
    assert_eq!(revealed.len(), 3);
    assert_eq!(refused(&table, Who::Player(ANNA), place(layout(&[], &[]))), "wrong_phase", "after the reveal");

    let mut early = step(TableSettings::default());
    ok(&mut early, Who::Trainer, lay());
    assert_eq!(early.reveal_without(&[ANNA, BRAM]), None, "nobody laid out yet");
    ok(&mut early, Who::Player(ANNA), place(layout(&["ouder"], &[])));
    ok(&mut early, Who::Trainer, TableCommand::Reveal);
    assert!(early.view(None).is_some_and(|view| view.revealed.is_some()));
}

#[test]
fn someone_who_is_gone_never_holds_the_reveal() {
    let mut table = step(TableSettings::default());
    ok(&mut table, Who::Trainer, lay());
    ok(&mut table, Who::Player(ANNA), place(layout(&["ouder"], &[])));
    ok(&mut table, Who::Player(BRAM), place(layout(&["ouder"], &[])));
    assert_eq!(
        table.reveal_without(&[ANNA, BRAM]),
        Some(TableEvent::Revealed { cause: RevealCause::AllAnswered }),
        "Chris left: the two who are here are done"
    );
}

#[test]
fn an_anonymous_reveal_shows_the_lay_outs_without_seats_and_nobody_moving() {
    let mut table = step(TableSettings { anonymous: true, ..TableSettings::default() });
    for _ in 0..2 {
        ok(&mut table, Who::Trainer, lay());
        ok(&mut table, Who::Player(ANNA), place(layout(&["ouder", "huisarts"], &[])));
        ok(&mut table, Who::Player(BRAM), place(layout(&["ouder"], &[])));
        ok(&mut table, Who::Trainer, TableCommand::Reveal);
    }
    let view = table.view(None).expect("a round");
    assert_eq!(view.round, 2);
    assert!(view.revealed.expect("revealed").iter().all(|(seat, _)| seat.is_none()));
    assert!(view.moved.is_empty(), "who moved would name them");
}

#[test]
fn a_second_round_on_the_case_keeps_both_and_shows_who_moved_which_role() {
    let mut table = step(TableSettings::default());
    ok(&mut table, Who::Trainer, lay());
    ok(&mut table, Who::Player(ANNA), place(layout(&["ouder", "huisarts"], &["grootouder"])));
    ok(&mut table, Who::Player(BRAM), place(layout(&["ouder"], &[])));
    ok(&mut table, Who::Trainer, TableCommand::Reveal);
    assert_eq!(table.view(None).map(|view| view.round), Some(1));

    ok(&mut table, Who::Trainer, lay());
    ok(&mut table, Who::Player(ANNA), place(layout(&["ouder", "grootouder"], &["huisarts"])));
    ok(&mut table, Who::Player(BRAM), place(layout(&["ouder"], &[])));
    ok(&mut table, Who::Trainer, TableCommand::Reveal);
    let view = table.view(None).expect("a round");
    assert_eq!(view.round, 2, "the second round on this case");
    assert_eq!(table.rounds.len(), 2, "both rounds are kept");
    let moved: Vec<(SeatId, &str, Place, Place)> =
        view.moved.iter().map(|m| (m.seat, m.role.as_str(), m.from, m.to)).collect();
    assert_eq!(
        moved,
        [(ANNA, "grootouder", Place::OnCall, Place::Table), (ANNA, "huisarts", Place::Table, Place::OnCall)],
        "Bram laid out the same table twice"
    );
}

#[test]
fn the_figures_tell_the_groups_table_its_splits_sizes_regie_and_how_the_sides_differ() {
    let roles = roles();
    let settings = TableSettings { advised_seats: 2, ..TableSettings::default() };
    let mother = Layout { regie: Some(Regie::Family), ..layout(&["ouder", "grootouder"], &["huisarts"]) };
    let neighbour = Layout { regie: Some(Regie::Family), ..layout(&["ouder", "grootouder", "buur"], &[]) };
    let doctor = Layout {
        regie: Some(Regie::Role(CardId::new("wijkteam-generalist"))),
        ..layout(&["ouder", "huisarts", "wijkteam-generalist"], &[])
    };
    let teacher = layout(&["huisarts", "leerkracht"], &["ouder"]);
    let layouts = [
        (Some("gezin"), &mother),
        (Some("netwerk"), &neighbour),
        (Some("professional"), &doctor),
        (Some("professional"), &teacher),
    ];
    let figures = TableFigures::of(&roles, layouts, &settings);

    assert_eq!(figures.n, 4);
    let role = |id: &str| figures.roles.iter().find(|role| role.role.as_str() == id).expect("a role of the deck");
    assert!(role("ouder").seated(), "three of four seat the parent");
    assert!(!role("ouder").split());
    assert!(role("huisarts").split(), "two at the table, one on call, one not needed");
    assert!(!role("grootouder").seated(), "two of four is no majority");
    assert_eq!(figures.roles.len(), roles.cards.len(), "every role of the deck is counted");
    assert_eq!(figures.sizes, BTreeMap::from([(2, 2), (3, 2)]));
    assert_eq!(figures.above_advice, 2, "two tables have three chairs against an advice of two");
    assert_eq!(figures.without_family, 1, "the teacher's table has nobody of the family");
    assert_eq!(figures.regie[0], (Regie::Family, 2), "most often named first");
    assert_eq!(figures.professionals_seated.family, Some(0.0), "the family side seats no professionals");
    assert_eq!(figures.professionals_seated.others, Some(2.0), "the professionals seat two each");
    assert!(role("huisarts").sides_differ(), "the doctor's seat is where the sides differ");
    assert!(!role("veilig-thuis").sides_differ(), "nobody seats Veilig Thuis");
}
