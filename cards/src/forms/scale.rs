//! The schaalvraag: a question card answered privately with a number from 1 to 10, with
//! "waarom niet lager?" (what already works) and "wat maakt het één punt hoger?" (one concrete
//! step), revealed at once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Who;
use crate::deck::{CardId, QuestionCard};
use crate::event::{RevealCause, SeatId};
use crate::limits::MAX_ARGUMENT_CHARS;
use crate::rejection::Rejection;
use crate::room::clean_text;

/// How a schaalvraag step is asked. Every field has a default, so a draaiboek names only what
/// it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScaleSettings {
    /// Ask "waarom niet lager?": what already works.
    pub why_not_lower: bool,
    /// Ask "wat maakt het één punt hoger?": one concrete step, which can become an action.
    pub one_point_higher: bool,
    /// Show the answers without who gave them (and in an order that tells nothing).
    pub anonymous: bool,
}

impl Default for ScaleSettings {
    fn default() -> ScaleSettings {
        ScaleSettings { why_not_lower: true, one_point_higher: true, anonymous: false }
    }
}

/// The lowest and highest answer to a scale question.
pub const MIN_SCORE: u8 = 1;
pub const MAX_SCORE: u8 = 10;

/// One participant's answer: the number, and what they say beside it when the step asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleAnswer {
    pub score: u8,
    /// "Waarom niet lager?": what already works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_not_lower: Option<String>,
    /// "Wat maakt het één punt hoger?": one concrete step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_point_higher: Option<String>,
}

/// What a schaalvraag step is asked to do, by whom the session says is asking. On the wire
/// inside a `scale` message, tagged by `do`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum ScaleCommand {
    /// Trainer: put one of the step's questions to the group (again, if it was asked before).
    Ask { question: CardId },
    /// Player: answer the open question; the last answer before the reveal counts.
    Answer(ScaleAnswer),
    /// Trainer: show the answers now.
    Reveal,
}

/// What happened in a schaalvraag step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ScaleEvent {
    Asked { question: CardId },
    Answered { seat: SeatId, answer: ScaleAnswer },
    Revealed { cause: RevealCause },
}

/// One asking of a question, and the answers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub question: CardId,
    pub answers: BTreeMap<SeatId, ScaleAnswer>,
    pub revealed: Option<RevealCause>,
}

/// A schaalvraag step: its questions, how it asks them, and every round so far. Pure: the
/// session decides who is here and who is a trainer, stores the events and sends the views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub settings: ScaleSettings,
    pub questions: Vec<QuestionCard>,
    pub rounds: Vec<Round>,
}

impl Scale {
    pub fn new(settings: ScaleSettings, questions: Vec<QuestionCard>) -> Scale {
        Scale { settings, questions, rounds: Vec::new() }
    }

    /// The round being answered, if one is.
    pub fn open(&self) -> Option<&Round> {
        self.rounds.last().filter(|round| round.revealed.is_none())
    }

    /// Decides what `command` from `who` means, with `here` the seats present to answer.
    /// Never changes the step.
    pub fn handle(&self, who: Who, command: ScaleCommand, here: &[SeatId]) -> Result<Vec<ScaleEvent>, Rejection> {
        match (who, command) {
            (Who::Trainer, ScaleCommand::Ask { question }) => {
                if self.open().is_some() {
                    return Err(Rejection::WrongPhase);
                }
                if !self.questions.iter().any(|card| card.id == question) {
                    return Err(Rejection::UnknownQuestion);
                }
                Ok(vec![ScaleEvent::Asked { question }])
            }
            (Who::Trainer, ScaleCommand::Reveal) => {
                self.open().ok_or(Rejection::WrongPhase)?;
                Ok(vec![ScaleEvent::Revealed { cause: RevealCause::Trainer }])
            }
            (Who::Player(seat), ScaleCommand::Answer(answer)) => {
                let round = self.open().ok_or(Rejection::WrongPhase)?;
                let answer = self.checked(answer)?;
                let mut events = vec![ScaleEvent::Answered { seat, answer }];
                let everyone = here.iter().all(|present| *present == seat || round.answers.contains_key(present));
                if everyone {
                    events.push(ScaleEvent::Revealed { cause: RevealCause::AllAnswered });
                }
                Ok(events)
            }
            (Who::Player(_), ScaleCommand::Ask { .. } | ScaleCommand::Reveal) => Err(Rejection::NotTrainer),
            (Who::Trainer, ScaleCommand::Answer(_)) => Err(Rejection::NotAPlayer),
        }
    }

    /// Whether someone who left makes the open round complete: the session asks after a seat
    /// goes for good, so an absent participant never blocks the reveal.
    pub fn reveal_without(&self, here: &[SeatId]) -> Option<ScaleEvent> {
        let round = self.open()?;
        let everyone = !round.answers.is_empty() && here.iter().all(|seat| round.answers.contains_key(seat));
        everyone.then_some(ScaleEvent::Revealed { cause: RevealCause::AllAnswered })
    }

    fn checked(&self, answer: ScaleAnswer) -> Result<ScaleAnswer, Rejection> {
        if !(MIN_SCORE..=MAX_SCORE).contains(&answer.score) {
            return Err(Rejection::ScoreOutOfRange);
        }
        let text = |text: Option<String>, asked: bool, field: &'static str| {
            let text = text.map(|text| clean_text(&text)).filter(|text| !text.is_empty());
            match text {
                Some(_) if !asked => Err(Rejection::NotAsked),
                Some(text) if text.chars().count() > MAX_ARGUMENT_CHARS => {
                    Err(Rejection::TextTooLong { field, max: MAX_ARGUMENT_CHARS })
                }
                text => Ok(text),
            }
        };
        Ok(ScaleAnswer {
            score: answer.score,
            why_not_lower: text(answer.why_not_lower, self.settings.why_not_lower, "why_not_lower")?,
            one_point_higher: text(answer.one_point_higher, self.settings.one_point_higher, "one_point_higher")?,
        })
    }

    /// Folds one event into the step.
    pub fn apply(&mut self, event: &ScaleEvent) {
        match event {
            ScaleEvent::Asked { question } => {
                self.rounds.push(Round { question: question.clone(), answers: BTreeMap::new(), revealed: None });
            }
            ScaleEvent::Answered { seat, answer } => {
                if let Some(round) = self.rounds.last_mut() {
                    round.answers.insert(*seat, answer.clone());
                }
            }
            ScaleEvent::Revealed { cause } => {
                if let Some(round) = self.rounds.last_mut() {
                    round.revealed = Some(*cause);
                }
            }
        }
    }

    /// What `seat` (or a trainer or the projector, `None`) may see of the latest round: who
    /// has answered, your own answer, and everyone's only once it is revealed.
    pub fn view(&self, seat: Option<SeatId>) -> Option<RoundView> {
        let round = self.rounds.last()?;
        let question = self.questions.iter().find(|card| card.id == round.question)?.clone();
        Some(RoundView {
            question,
            asked: self.rounds.iter().filter(|earlier| earlier.question == round.question).count(),
            answered: round.answers.keys().copied().collect(),
            mine: seat.and_then(|seat| round.answers.get(&seat)).cloned(),
            revealed: round.revealed.map(|_| {
                let mut answers: Vec<(Option<SeatId>, ScaleAnswer)> = round
                    .answers
                    .iter()
                    .map(|(seat, answer)| ((!self.settings.anonymous).then_some(*seat), answer.clone()))
                    .collect();
                // Seats are in join order, which everyone saw; `answered` lists them in that
                // order too. Sorted by what was said, an anonymous reveal tells nothing more.
                if self.settings.anonymous {
                    answers.sort_by(|(_, a), (_, b)| {
                        (a.score, &a.why_not_lower, &a.one_point_higher).cmp(&(
                            b.score,
                            &b.why_not_lower,
                            &b.one_point_higher,
                        ))
                    });
                }
                answers
            }),
        })
    }

    /// The last two revealed rounds of `question`, when it was asked more than once: how the
    /// group moved between them.
    pub fn shift(&self, question: &CardId) -> Option<ScaleShift> {
        let asked: Vec<&Round> =
            self.rounds.iter().filter(|round| &round.question == question && round.revealed.is_some()).collect();
        let [.., before, after] = asked.as_slice() else { return None };
        Some(ScaleShift::between(before, after))
    }
}

/// What one participant may see of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    pub question: QuestionCard,
    /// How many times this question has been asked (in the session, once the session says so),
    /// this time included.
    pub asked: usize,
    pub answered: Vec<SeatId>,
    pub mine: Option<ScaleAnswer>,
    /// After the reveal: every answer, with its seat unless the step is anonymous.
    pub revealed: Option<Vec<(Option<SeatId>, ScaleAnswer)>>,
}

/// The figures of a revealed round, for the dot plot and the comparison of role groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleFigures {
    /// How many answered 1, 2, … 10.
    pub counts: [u32; 10],
    pub median: Option<u8>,
    /// The lower and upper quartile: where the middle half of the group is.
    pub middle_half: Option<(u8, u8)>,
    /// Per role group, in name order: how many answered and their median.
    pub groups: Vec<GroupFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub group: String,
    pub n: u32,
    pub median: Option<u8>,
}

impl ScaleFigures {
    /// The figures of `answers`, each with its player's role group (`None`: no role).
    pub fn of<'a>(answers: impl IntoIterator<Item = (Option<&'a str>, u8)>) -> ScaleFigures {
        let mut counts = [0u32; 10];
        let mut by_group: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
        let mut all = Vec::new();
        for (group, score) in answers {
            if let Some(slot) = counts.get_mut(usize::from(score.saturating_sub(1))) {
                *slot += 1;
            }
            all.push(score);
            if let Some(group) = group {
                by_group.entry(group).or_default().push(score);
            }
        }
        all.sort_unstable();
        let groups = by_group
            .into_iter()
            .map(|(group, mut scores)| {
                scores.sort_unstable();
                GroupFigures { group: group.to_owned(), n: scores.len() as u32, median: rank(&scores, 1, 2) }
            })
            .collect();
        let middle_half = rank(&all, 1, 4).zip(rank(&all, 3, 4));
        ScaleFigures { counts, median: rank(&all, 1, 2), middle_half, groups }
    }
}

/// The score at quantile `num/den` of `sorted` by the nearest-rank method (the lower of two
/// middle answers for the median, as `Distribution::median` does).
fn rank(sorted: &[u8], num: usize, den: usize) -> Option<u8> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let at = (n * num).div_ceil(den).max(1);
    sorted.get(at - 1).copied()
}

/// How the group moved between two askings of one question. `people` names seats: for the
/// trainer and the review, never for a participant's view of an anonymous step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleShift {
    pub median_before: Option<u8>,
    pub median_after: Option<u8>,
    /// Each participant who answered both times: before and after.
    pub people: Vec<(SeatId, u8, u8)>,
    pub up: u32,
    pub down: u32,
}

impl ScaleShift {
    pub fn between(before: &Round, after: &Round) -> ScaleShift {
        let median = |round: &Round| ScaleFigures::of(round.answers.values().map(|answer| (None, answer.score))).median;
        let people: Vec<(SeatId, u8, u8)> = after
            .answers
            .iter()
            .filter_map(|(seat, answer)| before.answers.get(seat).map(|earlier| (*seat, earlier.score, answer.score)))
            .collect();
        let up = people.iter().filter(|(_, before, after)| after > before).count() as u32;
        let down = people.iter().filter(|(_, before, after)| after < before).count() as u32;
        ScaleShift { median_before: median(before), median_after: median(after), people, up, down }
    }
}

#[cfg(test)]
mod tests;
