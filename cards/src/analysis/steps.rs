//! What a session's work forms leave for the review, step by step in agenda order: the time
//! each took against the time planned, every asking of a schaalvraag with its figures by role
//! group and how the group moved when a question came back, every revealed keukentafel round
//! with the group's table and who moved which role, and the ranked action list.

use serde::{Deserialize, Serialize};

use crate::deck::CardId;
use crate::event::Event;
use crate::forms::FormKind;
use crate::forms::mirror::Kind;
use crate::forms::scale::{Round, ScaleFigures, ScaleShift};
use crate::forms::table::{Move, TableFigures};
use crate::log::LoggedEvent;
use crate::room::Room;
use crate::session::plan::{PlannedForm, RunningForm};
use crate::text::Text;

/// One step of the agenda as it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReview {
    /// Counted from 1, as people count.
    pub number: u16,
    pub form: FormKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    pub minutes: u16,
    /// How long it ran, in ms; `None` for a step that never started (or is still running).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub askings: Vec<AskingReview>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<TableReview>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror: Option<MirrorReview>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionReview>,
}

/// A spiegelgesprek as the review keeps it: the questions put on the table, how many typed
/// answers each had (their text only in the file the trainer chooses), and every observation by
/// question and kind, with its group and whether it went to verbeteracties. Never a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorReview {
    pub questions: Vec<MirrorQuestionReview>,
    pub speakers: u32,
    pub listeners: u32,
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorQuestionReview {
    pub question: CardId,
    pub text: Text,
    pub typed_answers: u32,
    /// By kind, then text.
    pub observations: Vec<ObservationReview>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservationReview {
    pub kind: Kind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub picked: bool,
}

/// One revealed round of a keukentafeluitdaging.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableReview {
    pub case: CardId,
    pub title: Text,
    /// 1 for the first round on this case, 2 for the one after the talk, …
    pub round: u32,
    pub figures: TableFigures,
    /// Every reason given, with the role it is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<(CardId, String)>,
    /// Since the round before on this case: who moved which role (none in an anonymous step).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<Move>,
    /// The name of every role of the deck, for whoever reads the figures.
    pub role_names: Vec<(CardId, Text)>,
}

/// One revealed asking of a schaalvraag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AskingReview {
    pub question: CardId,
    pub text: Text,
    /// Which time in the session this question was asked (1 for the first).
    pub asking: u32,
    pub answers: u32,
    pub figures: ScaleFigures,
    pub one_point_higher: Vec<String>,
    pub why_not_lower: Vec<String>,
    /// When the question was asked before in the session: how the group moved since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<ShiftSummary>,
}

/// How the group moved between two askings of one question, without names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftSummary {
    pub median_before: Option<u8>,
    pub median_after: Option<u8>,
    /// Of those who answered both times: how many went up, down, or stayed.
    pub up: u32,
    pub down: u32,
    pub same: u32,
}

/// One action of the ranked list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionReview {
    pub rank: u32,
    pub text: String,
    pub dots: u32,
    pub voters: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The steps of the session `log` wrote, in agenda order; empty for a session of statements
/// only.
pub fn step_reviews(log: &[LoggedEvent]) -> Vec<StepReview> {
    let Some(room) = Room::replay(log.iter().map(|logged| &logged.event)) else { return Vec::new() };
    let Some(plan) = room.agenda() else { return Vec::new() };
    let ended = log.iter().find(|logged| matches!(logged.event, Event::Ended { .. })).map(|logged| logged.at);
    let runs = room.step_runs();
    let group_of =
        |seat| room.seat(seat).and_then(|seat| seat.role.as_ref()).and_then(|role| room.setup().roles.card(role));
    // Every revealed asking in the session so far, to find the one before an asking again.
    let mut asked: Vec<&Round> = Vec::new();
    plan.steps
        .iter()
        .enumerate()
        .map(|(index, planned)| {
            let run = runs.get(index);
            let next_start = runs.get(index + 1).map(|next| next.started_at).or(ended);
            let mut review = StepReview {
                number: u16::try_from(index + 1).unwrap_or(u16::MAX),
                form: planned.form.kind(),
                title: planned.title.clone(),
                minutes: planned.minutes,
                used_ms: run.zip(next_start).map(|(run, end)| end.saturating_sub(run.started_at)),
                askings: Vec::new(),
                tables: Vec::new(),
                mirror: None,
                actions: Vec::new(),
            };
            match (run.map(|run| &run.form), &planned.form) {
                (Some(RunningForm::Scale(scale)), PlannedForm::Scale { questions, .. }) => {
                    for round in scale.rounds.iter().filter(|round| round.revealed.is_some()) {
                        let before = asked.iter().rev().find(|earlier| earlier.question == round.question).copied();
                        let text =
                            questions.iter().find(|card| card.id == round.question).map(|card| card.text.clone());
                        let figures = ScaleFigures::of(
                            round
                                .answers
                                .iter()
                                .map(|(seat, answer)| (group_of(*seat).map(|role| role.group.as_str()), answer.score)),
                        );
                        let said = |pick: fn(&crate::forms::scale::ScaleAnswer) -> Option<&String>| {
                            round.answers.values().filter_map(pick).cloned().collect()
                        };
                        review.askings.push(AskingReview {
                            question: round.question.clone(),
                            text: text.unwrap_or_else(|| Text::new(round.question.as_str(), "")),
                            asking: asked.iter().filter(|earlier| earlier.question == round.question).count() as u32
                                + 1,
                            answers: round.answers.len() as u32,
                            figures,
                            one_point_higher: said(|answer| answer.one_point_higher.as_ref()),
                            why_not_lower: said(|answer| answer.why_not_lower.as_ref()),
                            shift: before.map(|before| ShiftSummary::of(&ScaleShift::between(before, round))),
                        });
                        asked.push(round);
                    }
                }
                (Some(RunningForm::Table(table)), PlannedForm::Table { cases, settings, .. }) => {
                    let revealed: Vec<_> = table.rounds.iter().filter(|round| round.revealed.is_some()).collect();
                    for (index, round) in revealed.iter().enumerate() {
                        let before = revealed[..index].iter().rev().find(|earlier| earlier.case == round.case);
                        let layouts = round
                            .layouts
                            .iter()
                            .map(|(seat, layout)| (group_of(*seat).map(|role| role.group.as_str()), layout));
                        let title = cases.iter().find(|card| card.id == round.case).map(|card| card.title.clone());
                        review.tables.push(TableReview {
                            case: round.case.clone(),
                            title: title.unwrap_or_else(|| Text::new(round.case.as_str(), "")),
                            round: revealed[..index].iter().filter(|earlier| earlier.case == round.case).count() as u32
                                + 1,
                            figures: TableFigures::of(&room.setup().roles, layouts, settings),
                            // By role and text, so the order tells nothing of who said what.
                            reasons: {
                                let mut reasons: Vec<(CardId, String)> = round
                                    .layouts
                                    .values()
                                    .flat_map(|layout| {
                                        layout.reasons.iter().map(|(role, why)| (role.clone(), why.clone()))
                                    })
                                    .collect();
                                reasons.sort();
                                reasons
                            },
                            moved: before
                                .filter(|_| !settings.anonymous)
                                .map(|before| Move::between(before, round))
                                .unwrap_or_default(),
                            role_names: room
                                .setup()
                                .roles
                                .cards
                                .iter()
                                .map(|role| (role.id.clone(), role.name.clone()))
                                .collect(),
                        });
                    }
                }
                (Some(RunningForm::Mirror(mirror)), _) => {
                    let questions = mirror
                        .asked
                        .iter()
                        .enumerate()
                        .map(|(index, question)| {
                            let text =
                                mirror.questions.iter().find(|card| &card.id == question).map(|card| card.text.clone());
                            let mut observations: Vec<ObservationReview> = mirror
                                .observations
                                .iter()
                                .filter(|noted| {
                                    mirror.stage == crate::forms::mirror::Stage::AfterTalk && noted.question == index
                                })
                                .map(|noted| ObservationReview {
                                    kind: noted.kind,
                                    text: noted.text.clone(),
                                    group: noted.group.clone(),
                                    picked: noted.picked,
                                })
                                .collect();
                            observations.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
                            MirrorQuestionReview {
                                question: question.clone(),
                                text: text.unwrap_or_else(|| Text::new(question.as_str(), "")),
                                typed_answers: mirror.answers.get(index).map_or(0, |answers| answers.len() as u32),
                                observations,
                            }
                        })
                        .collect();
                    let seated = room.seats().count() as u32;
                    review.mirror = Some(MirrorReview {
                        questions,
                        speakers: mirror.speakers.len() as u32,
                        listeners: seated.saturating_sub(mirror.speakers.len() as u32),
                        shared: mirror.shared,
                    });
                }
                (Some(RunningForm::Actions(actions)), _) => {
                    review.actions = actions
                        .ranked()
                        .iter()
                        .enumerate()
                        .map(|(rank, ranked)| ActionReview {
                            rank: rank as u32 + 1,
                            text: ranked.proposal.text.clone(),
                            dots: ranked.dots,
                            voters: ranked.voters,
                            owner: ranked.proposal.owner.clone(),
                            by: ranked.proposal.by.clone(),
                        })
                        .collect();
                }
                _ => {}
            }
            review
        })
        .collect()
}

impl ShiftSummary {
    pub fn of(shift: &ScaleShift) -> ShiftSummary {
        let same = shift.people.len() as u32 - shift.up - shift.down;
        ShiftSummary {
            median_before: shift.median_before,
            median_after: shift.median_after,
            up: shift.up,
            down: shift.down,
            same,
        }
    }
}
