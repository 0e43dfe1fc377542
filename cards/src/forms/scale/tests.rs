//! The rules of the schaalvraag, one scenario each.

use super::*;
use crate::library::Library;

const ANNA: SeatId = SeatId(0);
const BRAM: SeatId = SeatId(1);
const CHRIS: SeatId = SeatId(2);
const HERE: [SeatId; 3] = [ANNA, BRAM, CHRIS];

fn step(settings: ScaleSettings) -> Scale {
    let library = Library::built_in();
    let questions = library.question_deck("schaalvragen").expect("built in").cards.clone();
    Scale::new(settings, questions)
}

fn question() -> CardId {
    CardId::new("toegang-soepel")
}

fn score(score: u8) -> ScaleCommand {
    ScaleCommand::Answer(ScaleAnswer { score, why_not_lower: None, one_point_higher: None })
}

/// Decides and applies, as the session does.
fn ok(scale: &mut Scale, who: Who, command: ScaleCommand) -> Vec<ScaleEvent> {
    let events = scale.handle(who, command, &HERE).expect("accepted");
    events.iter().for_each(|event| scale.apply(event));
    events
}

fn refused(scale: &Scale, who: Who, command: ScaleCommand) -> &'static str {
    let before = scale.clone();
    let code = scale.handle(who, command, &HERE).expect_err("refused").code();
    assert_eq!(scale, &before, "a refused command changes nothing");
    code
}

#[test]
fn only_the_trainer_asks_one_of_the_steps_questions_and_one_at_a_time() {
    let mut scale = step(ScaleSettings::default());
    assert_eq!(refused(&scale, Who::Player(ANNA), ScaleCommand::Ask { question: question() }), "not_trainer");
    let elsewhere = ScaleCommand::Ask { question: CardId::new("geen-vraag") };
    assert_eq!(refused(&scale, Who::Trainer, elsewhere), "unknown_question");
    assert_eq!(refused(&scale, Who::Player(ANNA), score(5)), "wrong_phase", "nothing is asked yet");
    ok(&mut scale, Who::Trainer, ScaleCommand::Ask { question: question() });
    assert_eq!(refused(&scale, Who::Trainer, ScaleCommand::Ask { question: question() }), "wrong_phase");
}

#[test]
fn an_answer_is_a_number_from_one_to_ten_with_only_what_the_step_asks() {
    let settings = ScaleSettings { why_not_lower: false, ..ScaleSettings::default() };
    let mut scale = step(settings);
    ok(&mut scale, Who::Trainer, ScaleCommand::Ask { question: question() });
    assert_eq!(refused(&scale, Who::Player(ANNA), score(0)), "score_out_of_range");
    assert_eq!(refused(&scale, Who::Player(ANNA), score(11)), "score_out_of_range");
    let unasked = ScaleAnswer { score: 6, why_not_lower: Some("Het loket is open.".into()), one_point_higher: None };
    assert_eq!(refused(&scale, Who::Player(ANNA), ScaleCommand::Answer(unasked)), "not_asked");
    let long = ScaleAnswer { score: 6, why_not_lower: None, one_point_higher: Some("x".repeat(501)) };
    assert_eq!(refused(&scale, Who::Player(ANNA), ScaleCommand::Answer(long)), "text_too_long");
    assert_eq!(refused(&scale, Who::Trainer, score(5)), "not_a_player");
    let step_up = ScaleAnswer { score: 6, why_not_lower: None, one_point_higher: Some("  Eén loket.\n".into()) };
    ok(&mut scale, Who::Player(ANNA), ScaleCommand::Answer(step_up));
    let kept = &scale.open().expect("open").answers[&ANNA];
    assert_eq!(kept.one_point_higher.as_deref(), Some("Eén loket."), "trimmed, control characters gone");
}

#[test]
fn nobody_sees_another_number_before_the_reveal_and_everyone_after() {
    let mut scale = step(ScaleSettings::default());
    ok(&mut scale, Who::Trainer, ScaleCommand::Ask { question: question() });
    ok(&mut scale, Who::Player(ANNA), score(3));
    ok(&mut scale, Who::Player(ANNA), score(4));
    ok(&mut scale, Who::Player(BRAM), score(8));
    for seat in [Some(BRAM), Some(CHRIS), None] {
        let view = scale.view(seat).expect("a round");
        assert_eq!(view.revealed, None);
        assert_eq!(view.answered, [ANNA, BRAM]);
        let wire = serde_json::to_string(&view).expect("json");
        assert!(!wire.contains("\"score\":4"), "Anna's number is hers until the reveal: {wire}");
    }
    assert_eq!(scale.view(Some(ANNA)).expect("a round").mine.map(|mine| mine.score), Some(4), "the last one counts");
    let events = ok(&mut scale, Who::Player(CHRIS), score(6));
    assert_eq!(events.last(), Some(&ScaleEvent::Revealed { cause: RevealCause::AllAnswered }));
    let revealed = scale.view(None).expect("a round").revealed.expect("revealed");
    assert_eq!(
        revealed.iter().map(|(seat, answer)| (*seat, answer.score)).collect::<Vec<_>>(),
        [(Some(ANNA), 4), (Some(BRAM), 8), (Some(CHRIS), 6)]
    );
    assert_eq!(refused(&scale, Who::Player(ANNA), score(9)), "wrong_phase", "revealed is final");
}

#[test]
fn someone_who_left_never_blocks_and_the_trainer_can_reveal_at_any_time() {
    let mut scale = step(ScaleSettings { anonymous: true, ..ScaleSettings::default() });
    ok(&mut scale, Who::Trainer, ScaleCommand::Ask { question: question() });
    ok(&mut scale, Who::Player(ANNA), score(9));
    ok(&mut scale, Who::Player(BRAM), score(2));
    assert_eq!(scale.reveal_without(&HERE), None, "Chris is here and has not answered");
    assert_eq!(scale.reveal_without(&[ANNA, BRAM]), Some(ScaleEvent::Revealed { cause: RevealCause::AllAnswered }));
    ok(&mut scale, Who::Trainer, ScaleCommand::Reveal);
    let view = scale.view(None).expect("a round");
    let revealed = view.revealed.expect("revealed");
    assert!(revealed.iter().all(|(seat, _)| seat.is_none()), "an anonymous step shows no seats");
    assert_eq!(view.answered, [ANNA, BRAM]);
    let scores: Vec<u8> = revealed.iter().map(|(_, answer)| answer.score).collect();
    assert_eq!(scores, [2, 9], "not in the seats' order, which would say Anna gave 9");
}

#[test]
fn the_figures_show_the_middle_and_each_role_group() {
    let answers =
        [(Some("gezin"), 3), (Some("gezin"), 4), (Some("professional"), 8), (Some("professional"), 9), (None, 6)];
    let figures = ScaleFigures::of(answers);
    assert_eq!(figures.counts, [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]);
    assert_eq!(figures.median, Some(6));
    assert_eq!(figures.middle_half, Some((4, 8)));
    let groups: Vec<(&str, u32, Option<u8>)> =
        figures.groups.iter().map(|group| (group.group.as_str(), group.n, group.median)).collect();
    assert_eq!(groups, [("gezin", 2, Some(3)), ("professional", 2, Some(8))]);
    assert_eq!(ScaleFigures::of([]).median, None);
}

#[test]
fn the_same_question_asked_again_shows_who_moved() {
    let mut scale = step(ScaleSettings::default());
    for scores in [[4, 5, 6], [6, 5, 7]] {
        ok(&mut scale, Who::Trainer, ScaleCommand::Ask { question: question() });
        for (seat, value) in HERE.into_iter().zip(scores) {
            ok(&mut scale, Who::Player(seat), score(value));
        }
    }
    assert_eq!(scale.view(None).expect("a round").asked, 2);
    let shift = scale.shift(&question()).expect("asked twice");
    assert_eq!((shift.median_before, shift.median_after), (Some(5), Some(6)));
    assert_eq!(shift.people, [(ANNA, 4, 6), (BRAM, 5, 5), (CHRIS, 6, 7)]);
    assert_eq!((shift.up, shift.down), (2, 0));
    assert_eq!(scale.shift(&CardId::new("leergroep-veilig-oneens")), None);
}

#[test]
fn the_events_replay_to_the_same_step() {
    let mut scale = step(ScaleSettings::default());
    let mut log = Vec::new();
    log.extend(ok(&mut scale, Who::Trainer, ScaleCommand::Ask { question: question() }));
    for (seat, value) in HERE.into_iter().zip([2, 9, 5]) {
        log.extend(ok(&mut scale, Who::Player(seat), score(value)));
    }
    let stored = serde_json::to_string(&log).expect("events serialise");
    let read: Vec<ScaleEvent> = serde_json::from_str(&stored).expect("and read back");
    let mut replayed = step(ScaleSettings::default());
    read.iter().for_each(|event| replayed.apply(event));
    assert_eq!(replayed, scale);
}
