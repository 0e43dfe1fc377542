//! The keukentafeluitdaging in a session: the built-in draaiboek's case laid out in private,
//! revealed when everyone here is done, laid out again after the talk, and kept in the review.

use std::collections::BTreeMap;

use super::*;
use crate::forms::FormKind;
use crate::forms::table::{Layout, Place, Regie, TableCommand};
use crate::log::Names;
use crate::session::plan::{Plan, RunningForm};

const CASE: &str = "scheiding-strijd";

/// Anna, Bram and Cas in a session following the built-in Keukentafeluitdaging, started.
fn keukentafel() -> Table {
    let library = Library::built_in();
    let plan = Plan::resolve(library.agenda("keukentafeluitdaging").expect("built in"), &library).expect("resolves");
    let mut table = Table::with_deck("containerbegrippen", Settings::default(), &["Anna", "Bram", "Cas"]);
    table.ok(TRAINER, Command::SetAgenda { agenda: plan });
    table.ok(TRAINER, Command::Start);
    table
}

fn lay() -> Command {
    Command::Table(TableCommand::Lay { case: CardId::new(CASE) })
}

fn layout(table: &[&str], reason: Option<&str>) -> Command {
    let places = table.iter().map(|role| (CardId::new(*role), Place::Table)).collect();
    let reasons = reason.map(|reason| BTreeMap::from([(CardId::new(table[0]), reason.to_owned())])).unwrap_or_default();
    Command::Table(TableCommand::Place(Layout { places, regie: Some(Regie::Family), reasons }))
}

fn open_round(table: &Table) -> bool {
    match &table.room.running_step().expect("a step runs").2.form {
        RunningForm::Table(kitchen) => kitchen.open().is_some(),
        other => panic!("a keukentafel step runs, not {other:?}"),
    }
}

#[test]
fn the_keukentafel_step_takes_its_own_moves_and_nothing_of_the_statement_game() {
    let mut table = keukentafel();
    assert_eq!(
        table.room.running_step().map(|(step, planned, _)| (step, planned.form.kind())),
        Some((0, FormKind::Table))
    );
    assert_eq!(table.refused(Actor::Player(A), layout(&["ouder"], None)), "wrong_phase", "no case is on the table yet");
    assert_eq!(table.refused(Actor::Player(A), lay()), "not_trainer");
    assert_eq!(table.refused(TRAINER, Command::Scale(crate::forms::scale::ScaleCommand::Reveal)), "not_this_step");
    assert_eq!(table.refused(TRAINER, Command::Reveal), "not_this_step");
    table.ok(TRAINER, lay());
    assert_eq!(table.refused(TRAINER, Command::NextStep), "round_open", "nobody's lay-out is thrown away");
}

#[test]
fn lay_outs_are_private_until_everyone_here_is_done() {
    let mut table = keukentafel();
    let (anna, bram) = (Identity::Player { seat: A }, Identity::Player { seat: B });
    let everyone = vec![Identity::Trainer { trainer: TrainerId(0) }, Identity::Observer, anna, bram];
    let mut watchers = Watchers::new(&table, everyone.clone());
    watchers.step(&mut table, TRAINER, lay());
    watchers.step(&mut table, Actor::Player(A), layout(&["ouder", "grootouder"], Some("OMA-HAALT-OP")));
    for you in &everyone {
        assert_eq!(watchers.sent_to(*you).contains("OMA-HAALT-OP"), *you == anna, "only Anna saw her reason");
        assert!(!watchers.sent_to(*you).contains("grootouder") || *you == anna, "nor where she put whom");
    }
    let mine = watchers.views[2].mine.as_ref().and_then(|mine| mine.table.as_ref()).expect("Anna's own lay-out");
    assert_eq!(mine.seats(), 2);
    watchers.step(&mut table, Actor::Player(B), layout(&["ouder"], None));
    assert!(open_round(&table), "Cas has not laid out yet");
    watchers.step(&mut table, Actor::Player(C), layout(&["ouder", "huisarts"], None));
    assert!(!open_round(&table), "everyone here is done: revealed");
    assert!(watchers.sent_to(bram).contains("OMA-HAALT-OP"), "after the reveal everyone reads the reasons");
}

#[test]
fn someone_away_longer_than_the_grace_period_never_blocks_the_table() {
    let mut table = keukentafel();
    table.ok(TRAINER, lay());
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.ok(Actor::Player(A), layout(&["ouder"], None));
    table.ok(Actor::Player(B), layout(&["ouder"], None));
    assert!(open_round(&table), "Cas may be reloading: the reveal waits");
    table.now = table.room.next_deadline(table.now).expect("the grace period ends");
    table.ok(Actor::Server, Command::Tick);
    assert!(!open_round(&table), "after the grace period the reveal goes ahead without Cas");

    let mut left = keukentafel();
    left.ok(TRAINER, lay());
    left.ok(Actor::Player(A), layout(&["ouder"], None));
    left.ok(Actor::Player(B), layout(&["ouder"], None));
    left.ok(Actor::Player(C), Command::Leave);
    assert!(!open_round(&left), "Cas left: the two who are here are done");
}

#[test]
fn a_second_round_after_the_talk_shows_who_moved_and_the_review_keeps_both() {
    let mut table = keukentafel();
    table.ok(TRAINER, lay());
    table.ok(Actor::Player(A), layout(&["ouder", "huisarts", "leerkracht"], Some("Zij zien het kind elke dag")));
    table.ok(Actor::Player(B), layout(&["ouder"], None));
    table.ok(Actor::Player(C), layout(&["ouder", "grootouder"], None));
    table.now += 15 * 60_000;
    table.ok(TRAINER, lay());
    table.ok(Actor::Player(A), layout(&["ouder", "grootouder"], None));
    table.ok(Actor::Player(B), layout(&["ouder"], None));
    table.ok(Actor::Player(C), layout(&["ouder", "grootouder"], None));

    let view = table.room.session_view(None, None).expect("a session");
    let round = view.table.and_then(|step| step.round).expect("a round");
    assert_eq!(round.round, 2, "the second round on this case");
    let moved: Vec<(SeatId, &str, Place)> = round.moved.iter().map(|m| (m.seat, m.role.as_str(), m.to)).collect();
    assert_eq!(
        moved,
        [(A, "grootouder", Place::Table), (A, "huisarts", Place::NotNeeded), (A, "leerkracht", Place::NotNeeded)],
        "Anna moved three roles; Bram and Cas laid the same table twice"
    );
    assert_eq!(Room::replay(&table.log), Some(table.room.clone()), "the log replays to the same session");

    table.now += 5 * 60_000;
    table.ok(TRAINER, Command::NextStep);
    table.ok(TRAINER, Command::End);
    let review = crate::analysis::Review::of(&table.logged(), Names::Pseudonyms, crate::text::Lang::Nl);
    let tables = &review.steps[0].tables;
    assert_eq!(tables.iter().map(|round| round.round).collect::<Vec<_>>(), [1, 2]);
    let parent = tables[0].figures.roles.iter().find(|role| role.role.as_str() == "ouder").expect("a role");
    assert_eq!(parent.table, 3, "everyone seated the parent");
    assert!(tables[0].reasons.iter().any(|(role, why)| role.as_str() == "ouder" && why.contains("elke dag")));
    assert_eq!(tables[1].moved.len(), 3);
    assert_eq!(review.steps[0].used_ms.map(|ms| ms / 60_000), Some(20));
}

#[test]
fn a_trainers_own_cases_go_into_the_keukentafel_steps_still_to_come() {
    use crate::deck::{AnyDeck, parse_deck};

    let source = "id = \"eigen\"\nkind = \"cases\"\ntitle.nl = \"Eigen casussen\"\n\n[[card]]\nid = \"familie-de-boer\"\ntitle.nl = \"Familie De Boer\"\ntext.nl = \"Een gezin met drie kinderen en een zieke vader.\"\n";
    let Ok(AnyDeck::Cases(deck)) = parse_deck("eigen.toml", source) else { panic!("a case deck") };
    let library = Library::built_in();
    let plan = Plan::resolve(library.agenda("keukentafeluitdaging").expect("built in"), &library).expect("resolves");
    let mine = plan.with_cases(&deck, 0).expect("the first step is a keukentafel step");
    assert!(matches!(&mine.steps[0].form, crate::session::plan::PlannedForm::Table { deck, cases, .. }
        if deck == "eigen" && cases.len() == 1));
    assert_eq!(plan.with_cases(&deck, 1), None, "once it has started, no keukentafel step is left to come");
}
