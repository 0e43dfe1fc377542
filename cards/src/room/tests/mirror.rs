//! The spiegelgesprek in a session: role cards suggest who speaks, observations stay with their
//! listener until the after-talk and reach speakers only when shared, and the picked ones start
//! the verbeteracties.

use super::*;
use crate::forms::FormKind;
use crate::forms::actions::Source;
use crate::forms::mirror::{Kind, MirrorCommand, ObservationId, Stage};
use crate::session::plan::{Plan, RunningForm};

/// Anna, Bram and Cas in a session following the built-in Spiegelgesprek, started, with Anna
/// speaking.
fn spiegelgesprek() -> Table {
    let library = Library::built_in();
    let plan = Plan::resolve(library.agenda("spiegelgesprek").expect("built in"), &library).expect("resolves");
    let mut table = Table::with_deck("containerbegrippen", Settings::default(), &["Anna", "Bram", "Cas"]);
    table.ok(TRAINER, Command::SetAgenda { agenda: plan });
    table.ok(TRAINER, Command::Start);
    table.ok(TRAINER, Command::Mirror(MirrorCommand::Speakers { seats: vec![A] }));
    table
}

fn ask() -> Command {
    Command::Mirror(MirrorCommand::Ask { question: CardId::new("toegang-eerste-contact") })
}

fn observe(text: &str) -> Command {
    Command::Mirror(MirrorCommand::Observe { kind: Kind::CouldBeBetter, text: text.to_owned() })
}

#[test]
fn role_cards_suggest_who_speaks_when_the_step_starts() {
    let library = Library::built_in();
    let plan = Plan::resolve(library.agenda("spiegelgesprek").expect("built in"), &library).expect("resolves");
    let settings = Settings {
        role_dealing: RoleDealing::ChosenFirst { roles: vec![CardId::new("ouder"), CardId::new("huisarts")] },
        ..Settings::default()
    };
    let mut table = Table::with_deck("containerbegrippen", settings, &["Anna", "Bram"]);
    table.ok(TRAINER, Command::SetAgenda { agenda: plan });
    table.ok(TRAINER, Command::Start);
    let parent = table.room.seats().find(|(_, seat)| seat.role.as_ref().is_some_and(|role| role.as_str() == "ouder"));
    let parent = parent.map(|(id, _)| id).expect("someone is the parent");
    let (_, planned, run) = table.room.running_step().expect("a step runs");
    assert_eq!(planned.form.kind(), FormKind::Mirror);
    let RunningForm::Mirror(mirror) = &run.form else { panic!("a spiegelgesprek runs") };
    assert_eq!(mirror.speakers.iter().copied().collect::<Vec<_>>(), [parent], "the parent speaks, the GP listens");
}

#[test]
fn observations_reach_nobody_before_the_after_talk_and_speakers_only_when_shared() {
    let mut table = spiegelgesprek();
    let (anna, bram, cas) = (Identity::Player { seat: A }, Identity::Player { seat: B }, Identity::Player { seat: C });
    let everyone = vec![Identity::Trainer { trainer: TrainerId(0) }, Identity::Observer, anna, bram, cas];
    let mut watchers = Watchers::new(&table, everyone.clone());
    watchers.step(&mut table, TRAINER, ask());
    watchers.step(&mut table, Actor::Player(B), observe("BRAM-ZAG-HET"));
    for you in &everyone {
        assert_eq!(watchers.sent_to(*you).contains("BRAM-ZAG-HET"), *you == bram, "only Bram ({you:?})");
    }
    assert_eq!(table.refused(TRAINER, Command::NextStep), "round_open", "the conversation is closed first");
    watchers.step(&mut table, TRAINER, Command::Mirror(MirrorCommand::Close));
    for you in &everyone {
        let reads = watchers.sent_to(*you).contains("BRAM-ZAG-HET");
        let professional = matches!(you, Identity::Trainer { .. }) || *you == bram || *you == cas;
        assert_eq!(reads, professional, "the listeners and the trainer read it, not Anna or the screen ({you:?})");
    }
    let mine = watchers.views[4].mine.as_ref().expect("Cas's part");
    assert_eq!(mine.observations.len(), 1, "Cas reads Bram's observation, without a name");
    assert_eq!(mine.observations[0].seat, None);
    watchers.step(&mut table, TRAINER, Command::Mirror(MirrorCommand::Share));
    assert!(watchers.sent_to(anna).contains("BRAM-ZAG-HET"), "shared: the speaker reads it");
    assert_eq!(Room::replay(&table.log), Some(table.room.clone()), "the log replays to the same session");
}

#[test]
fn the_picked_observations_start_the_verbeteracties() {
    let mut table = spiegelgesprek();
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(B), observe("Drie keer hetzelfde verhaal vertellen"));
    table.ok(Actor::Player(C), observe("Niemand belde terug"));
    table.ok(TRAINER, Command::Mirror(MirrorCommand::Close));
    table.ok(TRAINER, Command::Mirror(MirrorCommand::Pick { observation: ObservationId(1), picked: true }));
    let RunningForm::Mirror(mirror) = &table.room.running_step().expect("runs").2.form else {
        panic!("a spiegelgesprek")
    };
    assert_eq!(mirror.stage, Stage::AfterTalk);
    table.ok(TRAINER, Command::NextStep);
    let RunningForm::Actions(actions) = &table.room.running_step().expect("runs").2.form else {
        panic!("verbeteracties")
    };
    let texts: Vec<(&str, &[Source])> =
        actions.proposals.iter().map(|proposal| (proposal.text.as_str(), proposal.sources.as_slice())).collect();
    assert_eq!(texts, [("Niemand belde terug", &[Source::Mirror][..])], "only the picked one, marked as the mirror's");
}

#[test]
fn no_file_holds_an_observation_before_the_after_talk_and_the_log_file_never_links_one_to_a_seat() {
    use crate::log::Names;
    use crate::text::Lang;

    let mut table = spiegelgesprek();
    table.ok(TRAINER, ask());
    table.ok(Actor::Player(A), Command::Mirror(MirrorCommand::Answer { text: "ANNA-TYPT".into() }));
    table.ok(Actor::Player(B), observe("BRAM-NOTEERT"));
    let csv = crate::export::mirror_step_csv(&table.room, None, true, Lang::Nl).expect("a spiegelgesprek");
    assert!(!csv.contains("BRAM-NOTEERT"), "while talking, not even the trainer's file: {csv}");
    assert!(csv.contains("ANNA-TYPT"), "typed answers when the trainer asks for them");
    table.ok(TRAINER, Command::Mirror(MirrorCommand::Close));
    let csv = crate::export::mirror_step_csv(&table.room, None, false, Lang::Nl).expect("a spiegelgesprek");
    assert!(csv.contains("BRAM-NOTEERT") && !csv.contains("ANNA-TYPT"), "{csv}");
    let json = crate::export::json(&table.logged(), Names::Real, Lang::Nl);
    assert!(!json.contains("BRAM-NOTEERT") && !json.contains("ANNA-TYPT"), "the log's file links no text to a seat");
}
