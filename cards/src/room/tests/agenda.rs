//! The rules of a session that follows a draaiboek: its steps in order, each step's commands
//! only while it runs, and what carries from one step to the next.

use std::collections::BTreeMap;

use super::*;
use crate::forms::actions::{ActionCommand, ProposalId, Source, Stage};
use crate::forms::scale::{ScaleAnswer, ScaleCommand};
use crate::session::plan::{Plan, RunningForm};

const QUESTION: &str = "toegang-soepel";

/// Anna, Bram and Cas in a session following the built-in Dompelsessie: a schaalvraag, the
/// statements, verbeteracties, the schaalvraag again.
fn dompelsessie() -> Table {
    let library = Library::built_in();
    let draaiboek = library.agenda("dompelsessie-ruimte-geeft-vaart").expect("built in");
    let plan = Plan::resolve(draaiboek, &library).expect("the built-in draaiboek resolves");
    let mut table = Table::with_deck("ruimte-geeft-vaart", Settings::default(), &["Anna", "Bram", "Cas"]);
    table.ok(TRAINER, Command::SetAgenda { agenda: plan });
    table
}

fn ask() -> Command {
    Command::Scale(ScaleCommand::Ask { question: CardId::new(QUESTION) })
}

fn score(score: u8, higher: Option<&str>) -> Command {
    Command::Scale(ScaleCommand::Answer(ScaleAnswer {
        score,
        why_not_lower: None,
        one_point_higher: higher.map(str::to_owned),
    }))
}

fn running(table: &Table) -> (u16, FormKind) {
    let (step, planned, _) = table.room.running_step().expect("a step runs");
    (step, planned.form.kind())
}

use crate::forms::FormKind;

#[test]
fn the_first_step_of_the_agenda_starts_with_the_session() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    assert_eq!(running(&table), (0, FormKind::Scale));
    assert_eq!(table.turn().number, 0, "no statement is dealt while the schaalvraag runs");
    assert!(table.room.seats().all(|(_, seat)| seat.role.is_some()), "roles are dealt once, for the whole session");
}

#[test]
fn a_step_takes_only_its_own_work_forms_commands() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    assert_eq!(table.refused(TRAINER, Command::Reveal), "not_this_step");
    assert_eq!(table.refused(Actor::Player(A), answer(3)), "not_this_step");
    assert_eq!(
        table.refused(Actor::Player(A), Command::Actions(ActionCommand::Propose { text: "x".into() })),
        "not_this_step"
    );
    assert_eq!(table.refused(Actor::Player(A), ask()), "not_trainer");
    table.ok(TRAINER, ask());
    assert_eq!(table.refused(TRAINER, score(5, None)), "not_a_player");
}

#[test]
fn the_schaalvraag_reveals_when_everyone_present_has_answered() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(A), score(4, Some("Eén loket")));
    table.ok(Actor::Player(B), score(6, None));
    let events = table.ok(Actor::Player(C), score(5, None));
    assert!(
        events
            .iter()
            .any(|event| matches!(event, Event::Scale { scale: crate::forms::scale::ScaleEvent::Revealed { .. }, .. }))
    );
}

#[test]
fn someone_away_longer_than_the_grace_period_never_blocks_the_schaalvraag() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.ok(Actor::Player(A), score(4, None));
    table.ok(Actor::Player(B), score(6, None));
    let round = |table: &Table| match &table.room.running_step().expect("runs").2.form {
        RunningForm::Scale(scale) => scale.rounds.last().expect("asked").revealed,
        other => panic!("a schaalvraag runs, not {other:?}"),
    };
    assert_eq!(round(&table), None, "Cas may be reloading: the reveal waits");
    let deadline = table.room.next_deadline(table.now).expect("the grace period ends");
    table.now = deadline;
    table.ok(Actor::Server, Command::Tick);
    assert!(round(&table).is_some(), "after the grace period the reveal goes ahead without Cas");
}

#[test]
fn the_trainer_moves_on_between_rounds_not_during_one() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    assert_eq!(table.refused(TRAINER, Command::NextStep), "round_open");
    assert_eq!(table.refused(Actor::Player(A), Command::NextStep), "not_trainer");
    table.ok(TRAINER, Command::Scale(ScaleCommand::Reveal));
    table.ok(TRAINER, Command::NextStep);
    assert_eq!(running(&table), (1, FormKind::Statements));
    assert_eq!(table.turn().number, 1, "the statements step deals its first statement");
    table.play_first();
    assert_eq!(table.refused(TRAINER, Command::NextStep), "round_open");
}

#[test]
fn verbeteracties_start_from_the_steps_one_point_higher_and_end_ranked_with_owners() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(A), score(4, Some("Eén loket voor de hele wijk")));
    table.ok(Actor::Player(B), score(6, Some("eén loket voor de hele wijk")));
    table.ok(Actor::Player(C), score(5, Some("Vaste contactpersoon per gezin")));
    table.ok(TRAINER, Command::NextStep);
    table.ok(TRAINER, Command::NextStep);
    assert_eq!(running(&table), (2, FormKind::Actions));
    let actions = |table: &Table| match &table.room.running_step().expect("runs").2.form {
        RunningForm::Actions(actions) => actions.clone(),
        other => panic!("verbeteracties run, not {other:?}"),
    };
    let imported: Vec<String> = actions(&table).proposals.iter().map(|proposal| proposal.text.clone()).collect();
    assert_eq!(imported, ["Eén loket voor de hele wijk", "Vaste contactpersoon per gezin"], "the same step once");
    assert!(actions(&table).proposals.iter().all(|proposal| proposal.sources == [Source::Scale]));

    table.ok(Actor::Player(A), Command::Actions(ActionCommand::Propose { text: "Samen op huisbezoek".into() }));
    table.ok(TRAINER, Command::Actions(ActionCommand::Show));
    table.ok(TRAINER, Command::Actions(ActionCommand::OpenVote));
    assert_eq!(table.refused(TRAINER, Command::NextStep), "round_open", "a vote is open");
    for seat in [A, B, C] {
        let dots = BTreeMap::from([(ProposalId(2), 2), (ProposalId(0), 1)]);
        table.ok(Actor::Player(seat), Command::Actions(ActionCommand::Vote { dots }));
    }
    table.ok(TRAINER, Command::Actions(ActionCommand::CloseVote));
    let top = ProposalId(2);
    let assign = ActionCommand::Assign { proposal: top, owner: "Bram".into(), by: "1 maart".into() };
    table.ok(TRAINER, Command::Actions(assign));
    let done = actions(&table);
    assert_eq!(done.stage, Stage::Ranked);
    assert_eq!(done.ranked()[0].proposal.text, "Samen op huisbezoek");
    assert_eq!(done.ranked()[0].proposal.owner.as_deref(), Some("Bram"));
}

#[test]
fn running_out_of_statements_moves_on_to_the_next_step_instead_of_ending() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, Command::NextStep);
    let mut turns = 0;
    while running(&table).1 == FormKind::Statements {
        table.play_first();
        table.ok(TRAINER, Command::Skip);
        turns += 1;
        assert!(turns < 200, "the statements run out");
    }
    assert_eq!(running(&table), (2, FormKind::Actions));
    assert!(!matches!(table.room.phase(), Phase::Ended(_)), "later steps are still to come");
}

#[test]
fn the_last_step_has_no_next_and_the_trainer_ends_the_session() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    for _ in 0..3 {
        table.ok(TRAINER, Command::NextStep);
    }
    assert_eq!(running(&table), (3, FormKind::Scale));
    assert_eq!(table.refused(TRAINER, Command::NextStep), "last_step");
    table.ok(TRAINER, Command::End);
    assert!(matches!(table.room.phase(), Phase::Ended(EndReason::Trainer)));
}

#[test]
fn the_agenda_changes_freely_in_the_lobby_and_later_only_after_the_running_step() {
    let mut table = dompelsessie();
    let plan = table.room.agenda().expect("an agenda").clone();
    let mut shorter = plan.clone();
    shorter.steps.remove(0);
    table.ok(TRAINER, Command::SetAgenda { agenda: shorter });
    table.ok(TRAINER, Command::SetAgenda { agenda: plan.clone() });
    assert_eq!(table.refused(Actor::Player(A), Command::SetAgenda { agenda: plan.clone() }), "not_trainer");

    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, Command::NextStep);
    let mut reordered = plan.clone();
    reordered.steps.swap(0, 1);
    assert_eq!(table.refused(TRAINER, Command::SetAgenda { agenda: reordered }), "step_started");
    let mut added = plan.clone();
    added.steps.insert(2, plan.steps[0].clone());
    table.ok(TRAINER, Command::SetAgenda { agenda: added });
    table.ok(TRAINER, Command::NextStep);
    assert_eq!(running(&table), (2, FormKind::Scale), "the step added during the session comes next");
}

#[test]
fn a_session_of_statements_only_can_take_an_agenda_while_it_runs() {
    let mut table = Table::started(&["Anna", "Bram"]);
    let library = Library::built_in();
    let draaiboek = library.agenda("stellingen-containerbegrippen").expect("built in");
    let plan = Plan::resolve(draaiboek, &library).expect("resolves");
    table.ok(TRAINER, Command::SetAgenda { agenda: plan });
    assert_eq!(running(&table), (0, FormKind::Statements), "the statements played so far are its first step");
    table.ok(TRAINER, Command::NextStep);
    assert_eq!(running(&table), (1, FormKind::Actions));
}

#[test]
fn replaying_a_session_with_an_agenda_rebuilds_every_step() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(A), score(4, Some("Eén loket")));
    table.ok(TRAINER, Command::Scale(ScaleCommand::Reveal));
    table.ok(TRAINER, Command::NextStep);
    table.play_first();
    let json: Vec<String> = table.log.iter().map(|event| serde_json::to_string(event).expect("serialises")).collect();
    let read: Vec<Event> = json.iter().map(|line| serde_json::from_str(line).expect("reads back")).collect();
    assert_eq!(Room::replay(&read), Some(table.room.clone()));
}

#[test]
fn views_of_a_step_follow_the_updates_and_keep_answers_private_until_the_reveal() {
    let mut table = dompelsessie();
    let (anna, bram) = (Identity::Player { seat: A }, Identity::Player { seat: B });
    let everyone = vec![Identity::Trainer { trainer: TrainerId(0) }, Identity::Observer, anna, bram];
    let mut watchers = Watchers::new(&table, everyone.clone());
    watchers.step(&mut table, TRAINER, Command::Start);
    watchers.step(&mut table, TRAINER, ask());
    watchers.step(&mut table, Actor::Player(A), score(3, Some("GEHEIME-STAP")));
    for you in &everyone {
        assert_eq!(watchers.sent_to(*you).contains("GEHEIME-STAP"), *you == anna, "only Anna saw her answer");
    }
    let mine = watchers.views[2].mine.as_ref().expect("Anna's own");
    assert_eq!(mine.scale.as_ref().map(|answer| answer.score), Some(3));
    watchers.step(&mut table, Actor::Player(B), score(7, None));
    watchers.step(&mut table, Actor::Player(C), score(5, None));
    assert!(watchers.sent_to(bram).contains("GEHEIME-STAP"), "after the reveal everyone sees it");

    watchers.step(&mut table, TRAINER, Command::NextStep);
    watchers.step(&mut table, TRAINER, Command::NextStep);
    watchers.step(
        &mut table,
        Actor::Player(B),
        Command::Actions(ActionCommand::Propose { text: "BRAMS-VOORSTEL".into() }),
    );
    for you in &everyone {
        let trainer = matches!(you, Identity::Trainer { .. });
        let sent = watchers.sent_to(*you).matches("BRAMS-VOORSTEL").count() > 0;
        assert_eq!(sent, *you == bram || trainer, "while collecting only Bram and the trainer see it ({you:?})");
    }
    watchers.step(&mut table, TRAINER, Command::Actions(ActionCommand::Show));
    assert!(watchers.sent_to(anna).contains("BRAMS-VOORSTEL"));
}

#[test]
fn the_trainer_edits_the_agenda_one_step_at_a_time() {
    use crate::forms::actions::ActionSettings;
    use crate::session::agenda::{Step, StepForm};
    use crate::session::plan::AgendaEdit;

    let library = Library::built_in();
    let actions = Step { title: None, minutes: 20, form: StepForm::Actions { settings: ActionSettings::default() } };
    let plan = Plan::statements_only();
    let plan = plan.edited(AgendaEdit::Add { step: actions, at: None }, &library).expect("added at the end");
    let scale = Step {
        title: None,
        minutes: 10,
        form: StepForm::Scale { deck: "schaalvragen".into(), cards: Vec::new(), settings: Default::default() },
    };
    let plan = plan.edited(AgendaEdit::Add { step: scale.clone(), at: Some(0) }, &library).expect("added first");
    let forms: Vec<FormKind> = plan.steps.iter().map(|step| step.form.kind()).collect();
    assert_eq!(forms, [FormKind::Scale, FormKind::Statements, FormKind::Actions]);
    let plan = plan.edited(AgendaEdit::Move { step: 0, to: 2 }, &library).expect("moved");
    assert_eq!(plan.steps[2].form.kind(), FormKind::Scale);
    let plan = plan.edited(AgendaEdit::Minutes { step: 1, minutes: 35 }, &library).expect("minutes");
    assert_eq!(plan.minutes(), 45 + 35 + 10);
    let wrong = Step {
        form: StepForm::Scale {
            deck: "schaalvragen".into(),
            cards: vec![CardId::new("geen-vraag")],
            settings: Default::default(),
        },
        ..scale
    };
    assert_eq!(
        plan.edited(AgendaEdit::Add { step: wrong, at: None }, &library).map(|_| ()).map_err(|r| r.code()),
        Err("bad_agenda")
    );
    assert_eq!(
        plan.edited(AgendaEdit::Remove { step: 9 }, &library).map(|_| ()).map_err(|r| r.code()),
        Err("bad_agenda")
    );
    let one = Plan::statements_only();
    assert!(one.edited(AgendaEdit::Remove { step: 0 }, &library).is_err(), "an agenda keeps one step");
}

#[test]
fn the_review_tells_each_step_in_order_with_its_time_its_figures_how_the_group_moved_and_the_actions() {
    use crate::analysis::Review;
    use crate::log::Names;

    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(A), score(3, Some("Eén loket")));
    table.ok(Actor::Player(B), score(4, None));
    table.ok(Actor::Player(C), score(6, None));
    table.now += 12 * 60_000;
    table.ok(TRAINER, Command::NextStep);
    table.now += 50 * 60_000;
    table.ok(TRAINER, Command::NextStep);
    table.ok(TRAINER, Command::Actions(ActionCommand::Show));
    table.ok(TRAINER, Command::Actions(ActionCommand::OpenVote));
    table.ok(Actor::Player(A), Command::Actions(ActionCommand::Vote { dots: BTreeMap::from([(ProposalId(0), 2)]) }));
    table.ok(TRAINER, Command::Actions(ActionCommand::CloseVote));
    let assign = ActionCommand::Assign { proposal: ProposalId(0), owner: "Wijkteam".into(), by: "april".into() };
    table.ok(TRAINER, Command::Actions(assign));
    table.now += 30 * 60_000;
    table.ok(TRAINER, Command::NextStep);
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(A), score(5, None));
    table.ok(Actor::Player(B), score(6, None));
    table.ok(Actor::Player(C), score(6, None));
    table.now += 10 * 60_000;
    table.ok(TRAINER, Command::End);

    let review = Review::of(&table.logged(), Names::Pseudonyms, crate::text::Lang::Nl);
    let steps = &review.steps;
    assert_eq!(
        steps.iter().map(|step| step.form).collect::<Vec<_>>(),
        [FormKind::Scale, FormKind::Statements, FormKind::Actions, FormKind::Scale]
    );
    assert_eq!(
        steps.iter().map(|step| step.used_ms.map(|ms| ms / 60_000)).collect::<Vec<_>>(),
        [Some(12), Some(50), Some(30), Some(10)]
    );
    let first = &steps[0].askings[0];
    assert_eq!((first.answers, first.figures.median, first.asking), (3, Some(4), 1));
    assert_eq!(first.one_point_higher, ["Eén loket"]);
    let again = &steps[3].askings[0];
    assert_eq!(again.asking, 2, "the same question, asked again later in the session");
    let shift = again.shift.as_ref().expect("how the group moved");
    assert_eq!(
        (shift.median_before, shift.median_after, shift.up, shift.down, shift.same),
        (Some(4), Some(6), 2, 0, 1),
        "Anna and Bram went up, Cas stayed"
    );
    assert_eq!(steps[2].actions[0].text, "Eén loket");
    assert_eq!(steps[2].actions[0].owner.as_deref(), Some("Wijkteam"));

    let html = crate::report::html(&review, crate::text::Lang::Nl);
    for expected in ["Het draaiboek", "12:00 / 10 min", "Eén loket", "Wijkteam", "middelste waarde 4 → 6"] {
        assert!(html.contains(expected), "the report says {expected:?}");
    }
}

#[test]
fn after_the_end_nobody_answers_proposes_or_votes_and_no_tick_reveals() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    table.ok(Actor::Server, Command::SetPresence { seat: C, here: false });
    table.ok(TRAINER, Command::End);
    assert_eq!(table.refused(Actor::Player(A), score(5, None)), "room_ended");
    assert_eq!(table.refused(TRAINER, Command::Scale(ScaleCommand::Reveal)), "room_ended");
    table.now += 60_000;
    assert!(table.ok(Actor::Server, Command::Tick).iter().all(|event| !matches!(event, Event::Scale { .. })));
}

#[test]
fn a_long_step_one_point_higher_comes_into_the_verbeteracties_shortened() {
    let mut table = dompelsessie();
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, ask());
    let long = "Iedereen in de wijk weet waar hij terecht kan. ".repeat(10);
    table.ok(Actor::Player(A), score(4, Some(&long)));
    table.ok(TRAINER, Command::Scale(ScaleCommand::Reveal));
    table.ok(TRAINER, Command::NextStep);
    table.ok(TRAINER, Command::NextStep);
    let RunningForm::Actions(actions) = &table.room.running_step().expect("runs").2.form else { panic!("actions") };
    let text = &actions.proposals[0].text;
    assert!(text.ends_with('…') && text.chars().count() <= crate::forms::actions::MAX_PROPOSAL_CHARS, "{text}");
}

#[test]
fn who_moved_stays_hidden_when_the_earlier_asking_was_anonymous() {
    let library = Library::built_in();
    let mut plan = Plan::resolve(library.agenda("dompelsessie-ruimte-geeft-vaart").expect("built in"), &library)
        .expect("resolves");
    if let crate::session::plan::PlannedForm::Scale { settings, .. } = &mut plan.steps[0].form {
        settings.anonymous = true;
    }
    let mut table = Table::with_deck("ruimte-geeft-vaart", Settings::default(), &["Anna", "Bram", "Cas"]);
    table.ok(TRAINER, Command::SetAgenda { agenda: plan });
    table.ok(TRAINER, Command::Start);
    let everyone_answers = |table: &mut Table, scores: [u8; 3]| {
        table.ok(TRAINER, ask());
        for (seat, n) in [A, B, C].into_iter().zip(scores) {
            table.ok(Actor::Player(seat), score(n, None));
        }
    };
    everyone_answers(&mut table, [3, 4, 5]);
    for _ in 0..3 {
        table.ok(TRAINER, Command::NextStep);
    }
    everyone_answers(&mut table, [6, 7, 8]);
    let view = table.view(Identity::Trainer { trainer: TrainerId(0) });
    let scale = view.session.and_then(|session| session.scale).expect("the schaalvraag");
    assert!(scale.shift.is_some(), "how the group moved is shown");
    assert!(scale.moved.is_empty(), "but nobody's own before and after: the first asking was anonymous");
}

#[test]
fn the_trainer_sets_a_coming_steps_own_settings_and_they_hold_when_it_runs() {
    use crate::forms::actions::ActionSettings;
    use crate::forms::scale::ScaleSettings;
    use crate::session::plan::{AgendaEdit, StepSettings};

    let library = Library::built_in();
    let mut table = dompelsessie();
    let plan = table.room.agenda().expect("an agenda").clone();
    let four_dots = ActionSettings { dots: 4, names_shown: true, ..ActionSettings::default() };
    let edit = AgendaEdit::Settings { step: 2, settings: StepSettings::Actions(four_dots.clone()) };
    let plan = plan.edited(edit, &library).expect("the verbeteracties take four dots");
    let anonymous = ScaleSettings { anonymous: true, ..ScaleSettings::default() };
    let edit = AgendaEdit::Settings { step: 0, settings: StepSettings::Scale(anonymous.clone()) };
    let plan = plan.edited(edit, &library).expect("the first schaalvraag is anonymous");

    let refused = |edit| plan.edited(edit, &library).map(|_| ()).map_err(|rejection: Rejection| rejection.code());
    let too_many = ActionSettings { dots: 11, ..ActionSettings::default() };
    assert_eq!(refused(AgendaEdit::Settings { step: 2, settings: StepSettings::Actions(too_many) }), Err("bad_agenda"));
    let for_a_scale = StepSettings::Scale(ScaleSettings::default());
    assert_eq!(
        refused(AgendaEdit::Settings { step: 2, settings: for_a_scale.clone() }),
        Err("bad_agenda"),
        "a schaalvraag's settings do not fit verbeteracties"
    );
    assert_eq!(refused(AgendaEdit::Settings { step: 1, settings: for_a_scale }), Err("bad_agenda"));

    table.ok(TRAINER, Command::SetAgenda { agenda: plan.clone() });
    let view = table.room.session_view(None, None).expect("a session");
    assert_eq!(view.steps[0].settings, Some(StepSettings::Scale(anonymous)), "every screen sees the settings");
    assert_eq!(view.steps[1].settings, None, "the statements are set in the lobby's settings");
    table.ok(TRAINER, Command::Start);
    let json = r#"{"do":"settings","step":0,"settings":{"form":"scale","anonymous":false}}"#;
    let edit: AgendaEdit = serde_json::from_str(json).expect("the console's message reads");
    let started = plan.edited(edit, &library).expect("the plan itself takes it");
    assert_eq!(table.refused(TRAINER, Command::SetAgenda { agenda: started }), "step_started");
    table.ok(TRAINER, Command::NextStep);
    table.ok(TRAINER, Command::NextStep);
    let view = table.room.session_view(None, None).expect("a session");
    assert_eq!(view.actions.map(|step| step.settings), Some(four_dots), "the step runs with its settings");
}
