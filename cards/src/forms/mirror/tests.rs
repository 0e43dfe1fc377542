//! The rules of the spiegelgesprek, one scenario each.

use super::*;
use crate::library::Library;

const SPEAKER: SeatId = SeatId(0);
const ANNA: SeatId = SeatId(1);
const BRAM: SeatId = SeatId(2);
const SEATS: [SeatId; 3] = [SPEAKER, ANNA, BRAM];

fn step(settings: MirrorSettings) -> Mirror {
    let library = Library::built_in();
    let questions = library.question_deck("spiegelvragen").expect("built in").cards.clone();
    let mut mirror = Mirror::new(settings, questions);
    ok(&mut mirror, Who::Trainer, MirrorCommand::Speakers { seats: vec![SPEAKER] });
    mirror
}

fn ask() -> MirrorCommand {
    MirrorCommand::Ask { question: CardId::new("toegang-eerste-contact") }
}

fn observe(kind: Kind, text: &str) -> MirrorCommand {
    MirrorCommand::Observe { kind, text: text.to_owned() }
}

/// Decides and applies, as the session does.
fn ok(mirror: &mut Mirror, who: Who, command: MirrorCommand) -> Vec<MirrorEvent> {
    let events = mirror.handle(who, command, &SEATS).expect("accepted");
    events.iter().for_each(|event| mirror.apply(event));
    events
}

fn refused(mirror: &Mirror, who: Who, command: MirrorCommand) -> &'static str {
    let before = mirror.clone();
    let code = mirror.handle(who, command, &SEATS).expect_err("refused").code();
    assert_eq!(mirror, &before, "a refused command changes nothing");
    code
}

fn texts(view: &MirrorView) -> Vec<&str> {
    view.observations.iter().map(|noted| noted.text.as_str()).collect()
}

#[test]
fn the_trainer_says_who_speaks_and_puts_the_questions_on_the_table() {
    let mut mirror = step(MirrorSettings::default());
    assert_eq!(refused(&mirror, Who::Player(ANNA), ask()), "not_trainer");
    let unknown = MirrorCommand::Speakers { seats: vec![SeatId(9)] };
    assert_eq!(refused(&mirror, Who::Trainer, unknown), "unknown_seat");
    assert_eq!(
        refused(&mirror, Who::Trainer, MirrorCommand::Ask { question: CardId::new("geen") }),
        "unknown_question"
    );
    assert_eq!(refused(&mirror, Who::Player(ANNA), observe(Kind::GoesWell, "Vroeg")), "wrong_phase", "no question yet");
    ok(&mut mirror, Who::Trainer, ask());
    assert_eq!(
        mirror.view(Reader::Screen).question.map(|card| card.id.to_string()),
        Some("toegang-eerste-contact".into())
    );
}

#[test]
fn speakers_answer_and_listeners_observe_never_the_other_way_round() {
    let mut mirror = step(MirrorSettings::default());
    ok(&mut mirror, Who::Trainer, ask());
    let answer = MirrorCommand::Answer { text: "Via de huisarts, na lang zoeken.".into() };
    assert_eq!(refused(&mirror, Who::Player(ANNA), answer.clone()), "not_a_speaker");
    assert_eq!(refused(&mirror, Who::Player(SPEAKER), observe(Kind::TouchesMe, "x")), "not_a_listener");
    assert_eq!(refused(&mirror, Who::Player(ANNA), observe(Kind::GoesWell, "   ")), "bad_message");
    let long = observe(Kind::GoesWell, &"x".repeat(MAX_ARGUMENT_CHARS + 1));
    assert_eq!(refused(&mirror, Who::Player(ANNA), long), "text_too_long");
    ok(&mut mirror, Who::Player(SPEAKER), answer);
    let seen = mirror.view(Reader::Listener(BRAM));
    assert_eq!(
        seen.answers[0].1,
        [(SPEAKER, "Via de huisarts, na lang zoeken.".to_owned())],
        "a typed answer is for all"
    );

    let mut aloud = step(MirrorSettings { typed_answers: false, ..MirrorSettings::default() });
    ok(&mut aloud, Who::Trainer, ask());
    let typed = MirrorCommand::Answer { text: "Getypt".into() };
    assert_eq!(refused(&aloud, Who::Player(SPEAKER), typed), "not_asked", "in the room speakers talk");
}

#[test]
fn an_observation_is_its_listeners_alone_until_the_after_talk() {
    let mut mirror = step(MirrorSettings::default());
    ok(&mut mirror, Who::Trainer, ask());
    ok(&mut mirror, Who::Player(ANNA), observe(Kind::CouldBeBetter, "ANNA-ZAG-WACHTEN"));
    ok(&mut mirror, Who::Player(BRAM), observe(Kind::TouchesMe, "BRAM-GERAAKT"));
    assert_eq!(texts(&mirror.view(Reader::Listener(ANNA))), ["ANNA-ZAG-WACHTEN"], "Anna sees her own");
    assert_eq!(texts(&mirror.view(Reader::Listener(BRAM))), ["BRAM-GERAAKT"]);
    for reader in [Reader::Trainer, Reader::Speaker(SPEAKER), Reader::Screen] {
        assert!(mirror.view(reader).observations.is_empty(), "{reader:?} sees nothing while the speakers talk");
    }
    ok(&mut mirror, Who::Trainer, MirrorCommand::Close);
    assert_eq!(refused(&mirror, Who::Player(ANNA), observe(Kind::GoesWell, "Te laat")), "wrong_phase");
    for reader in [Reader::Trainer, Reader::Listener(ANNA), Reader::Listener(BRAM)] {
        let view = mirror.view(reader);
        assert_eq!(view.observations.len(), 2, "{reader:?} reads every observation in the after-talk");
        assert!(view.observations.iter().all(|noted| noted.seat.is_none()), "without names by default");
    }
    for reader in [Reader::Speaker(SPEAKER), Reader::Screen] {
        assert!(mirror.view(reader).observations.is_empty(), "{reader:?} reads them only when shared");
    }
    ok(&mut mirror, Who::Trainer, MirrorCommand::Share);
    let speaker = mirror.view(Reader::Speaker(SPEAKER));
    assert_eq!(speaker.observations.len(), 2, "shared with the speakers");
    assert!(speaker.observations.iter().all(|noted| noted.seat.is_none()));

    let mut named = step(MirrorSettings { names_shown: true, ..MirrorSettings::default() });
    ok(&mut named, Who::Trainer, ask());
    ok(&mut named, Who::Player(ANNA), observe(Kind::GoesWell, "Goed geluisterd"));
    ok(&mut named, Who::Trainer, MirrorCommand::Close);
    ok(&mut named, Who::Trainer, MirrorCommand::Share);
    assert_eq!(named.view(Reader::Trainer).observations[0].seat, Some(ANNA), "names shown to the professionals");
    assert_eq!(named.view(Reader::Speaker(SPEAKER)).observations[0].seat, None, "never to the speakers");
}

#[test]
fn in_the_after_talk_the_trainer_groups_and_picks_observations_for_verbeteracties() {
    let mut mirror = step(MirrorSettings::default());
    ok(&mut mirror, Who::Trainer, ask());
    ok(&mut mirror, Who::Player(ANNA), observe(Kind::CouldBeBetter, "Drie keer hetzelfde verhaal"));
    let group = MirrorCommand::Group { observation: ObservationId(0), group: Some("Eén verhaal".into()) };
    assert_eq!(
        refused(&mirror, Who::Trainer, group.clone()),
        "wrong_phase",
        "during the conversation nobody reads them"
    );
    ok(&mut mirror, Who::Trainer, MirrorCommand::Close);
    assert_eq!(refused(&mirror, Who::Trainer, ask()), "wrong_phase", "the conversation is closed");
    let unknown = MirrorCommand::Pick { observation: ObservationId(7), picked: true };
    assert_eq!(refused(&mirror, Who::Trainer, unknown), "unknown_observation");
    assert_eq!(refused(&mirror, Who::Player(ANNA), group.clone()), "not_trainer");
    ok(&mut mirror, Who::Trainer, group);
    ok(&mut mirror, Who::Trainer, MirrorCommand::Pick { observation: ObservationId(0), picked: true });
    let view = mirror.view(Reader::Trainer);
    assert_eq!((view.observations[0].group.as_deref(), view.observations[0].picked), (Some("Eén verhaal"), true));
    assert_eq!(mirror.picked().map(|noted| noted.text.as_str()).collect::<Vec<_>>(), ["Drie keer hetzelfde verhaal"]);
}
