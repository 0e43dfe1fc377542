//! What each participant may see of the agenda and of the step running now. The public part
//! (`SessionView`) is one shared frame for everyone and a trainer's own for trainers; what is
//! yours alone (your scale answer, your proposals, your dots) comes apart, as your hand does,
//! so a public update never overwrites it.

use serde::{Deserialize, Serialize};

use super::{Audience, Update};
use crate::analysis::ShiftSummary;
use crate::deck::{CaseCard, QuestionCard};
use crate::event::{Event, SeatId};
use crate::forms::actions::{ActionSettings, ActionsView, ProposalId, ProposalView, Source};
use crate::forms::mirror::{MirrorView, ObservationView, Reader};
use crate::forms::scale::{Round, RoundView, ScaleAnswer, ScaleSettings, ScaleShift};
use crate::forms::table::{Layout, TableRoundView, TableSettings};
use crate::forms::{FormKind, Who};
use crate::room::Room;
use crate::session::agenda::{AgreedDefinition, CarriedAction};
use crate::session::plan::{PlannedForm, RunningForm, StepSettings};
use crate::text::Text;

/// The agenda, and the step running now as everyone (or, for trainers, a trainer) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub title: Text,
    pub steps: Vec<StepView>,
    /// The running step's number, counted from 0; `None` in the lobby.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<u16>,
    /// How long the running step had run when this was made, in ms. An update made without
    /// the time leaves it out, and the client counts on from what it had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleStepView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableStepView>,
    /// A running spiegelgesprek as this audience sees it (observations: the trainer's after the
    /// conversation closed; a phone's and the projector's only once the trainer shared them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror: Option<MirrorView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<ActionsStepView>,
    /// The learning group's actions from the meeting before: "wat hebben we gedaan met…?".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<CarriedAction>,
    /// What the learning group agreed its terms mean, in meetings before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<AgreedDefinition>,
}

/// One step of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub form: FormKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    pub minutes: u16,
    /// For a step that is over, how long it took, in ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_ms: Option<u64>,
    /// The step's own settings (a schaalvraag's or verbeteracties'), which the console changes
    /// for the steps still to come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<StepSettings>,
}

/// A running schaalvraag: the questions the trainer may ask, and the latest round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleStepView {
    pub questions: Vec<QuestionCard>,
    pub settings: ScaleSettings,
    /// How many rounds have been asked; your own answer belongs to the last one.
    pub rounds: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<RoundView>,
    /// Once revealed, when this question was asked before in the session: how the group moved
    /// since (without names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<ShiftSummary>,
    /// Each participant who answered both times, before and after: both reveals showed who
    /// said what already. Empty in an anonymous step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<(SeatId, u8, u8)>,
}

/// A running keukentafel step: its cases (for trainers: to choose from, with their notes), how
/// it is played, and the latest round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableStepView {
    pub cases: Vec<CaseCard>,
    pub settings: TableSettings,
    /// How many rounds have been laid out; your own lay-out belongs to the last one.
    pub rounds: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<TableRoundView>,
}

/// A running verbeteracties step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionsStepView {
    pub settings: ActionSettings,
    #[serde(flatten)]
    pub view: ActionsView,
}

/// What is yours alone in the running step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MineView {
    pub step: u16,
    /// The schaalvraag round your answer belongs to (the count of rounds when you answered).
    #[serde(default)]
    pub rounds: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleAnswer>,
    /// Your lay-out of the roles in the open keukentafel round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Layout>,
    /// As a listener in a spiegelgesprek: your own observations while the speakers talk, and
    /// every listener's in the after-talk.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<ObservationView>,
    /// Your proposals, also while nobody else sees them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<ProposalView>,
    /// Your dots while you vote.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dots: Vec<(ProposalId, u8)>,
}

impl MineView {
    /// Whether this is still yours in `session`: the same step, and in a schaalvraag the same
    /// round (a new question starts with nothing of yours).
    pub fn belongs_to(&self, session: &SessionView) -> bool {
        session.running == Some(self.step)
            && session.scale.as_ref().is_none_or(|scale| scale.rounds == self.rounds)
            && session.table.as_ref().is_none_or(|table| table.rounds == self.rounds)
    }

    pub fn is_empty(&self) -> bool {
        self.scale.is_none()
            && self.table.is_none()
            && self.observations.is_empty()
            && self.proposals.is_empty()
            && self.dots.is_empty()
    }
}

impl Room {
    /// When the running schaalvraag's latest asking is revealed and its question was asked
    /// (and revealed) before in the session: how the group moved between the two.
    /// Whether either asking was anonymous comes with it: then nobody's before and after may
    /// be shown, not even in a later step that names people.
    fn revealed_shift(&self) -> Option<(ScaleShift, bool)> {
        let rounds = self.step_runs().iter().flat_map(|run| match &run.form {
            RunningForm::Scale(scale) => scale.rounds.iter().map(|round| (round, scale.settings.anonymous)).collect(),
            _ => Vec::new(),
        });
        let revealed: Vec<(&Round, bool)> = rounds.filter(|(round, _)| round.revealed.is_some()).collect();
        let ((latest, latest_anonymous), earlier) = revealed.split_last()?;
        let (_, _, run) = self.running_step()?;
        let RunningForm::Scale(running) = &run.form else { return None };
        // Only the running step's latest asking, once revealed.
        if running.rounds.last().is_none_or(|last| !std::ptr::eq(last, *latest)) {
            return None;
        }
        let (before, before_anonymous) = earlier.iter().rev().find(|(round, _)| round.question == latest.question)?;
        Some((ScaleShift::between(before, latest), *latest_anonymous || *before_anonymous))
    }

    /// How often `question` has been asked in the session, in any schaalvraag step.
    fn times_asked(&self, question: &crate::deck::CardId) -> usize {
        let scales = self.step_runs().iter().filter_map(|run| match &run.form {
            RunningForm::Scale(scale) => Some(scale),
            _ => None,
        });
        scales.flat_map(|scale| &scale.rounds).filter(|round| &round.question == question).count()
    }

    /// The agenda and the running step as `who` sees it (`None`: a player or a screen), at
    /// `now` when the time is known.
    pub fn session_view(&self, who: Option<Who>, now: Option<u64>) -> Option<SessionView> {
        let plan = self.agenda()?;
        let runs = self.step_runs();
        let steps = plan.steps.iter().enumerate().map(|(index, step)| StepView {
            form: step.form.kind(),
            title: step.title.clone(),
            minutes: step.minutes,
            used_ms: runs
                .get(index + 1)
                .zip(runs.get(index))
                .map(|(next, run)| next.started_at.saturating_sub(run.started_at)),
            settings: step.form.settings(),
        });
        let running = self.running_step();
        let (mut scale, mut actions, mut table, mut mirror) = (None, None, None, None);
        if let Some((_, planned, run)) = running {
            match (&planned.form, &run.form) {
                (PlannedForm::Scale { questions, settings, .. }, RunningForm::Scale(form)) => {
                    let (shift, anonymous) = self.revealed_shift().unzip();
                    let named = anonymous == Some(false);
                    scale = Some(ScaleStepView {
                        questions: questions.clone(),
                        settings: settings.clone(),
                        rounds: form.rounds.len(),
                        round: form.view(None).map(|mut round| {
                            round.asked = self.times_asked(&round.question.id);
                            round
                        }),
                        shift: shift.as_ref().map(ShiftSummary::of),
                        moved: shift.filter(|_| named).map(|shift| shift.people).unwrap_or_default(),
                    });
                }
                (PlannedForm::Table { cases, settings, .. }, RunningForm::Table(form)) => {
                    // The case list and the notes on what a case tends to bring up are the
                    // trainer's: a phone or the projector gets the case on the table, unannotated.
                    let trainer = who == Some(Who::Trainer);
                    let mut round = form.view(None);
                    if let Some(round) = round.as_mut().filter(|_| !trainer) {
                        round.case.note = None;
                    }
                    table = Some(TableStepView {
                        cases: if trainer { cases.clone() } else { Vec::new() },
                        settings: settings.clone(),
                        rounds: form.rounds.len(),
                        round,
                    });
                }
                (PlannedForm::Mirror { .. }, RunningForm::Mirror(form)) => {
                    mirror = Some(form.view(if who == Some(Who::Trainer) { Reader::Trainer } else { Reader::Screen }));
                }
                (PlannedForm::Actions { settings }, RunningForm::Actions(form)) => {
                    let who = who.filter(|who| *who == Who::Trainer);
                    actions = Some(ActionsStepView { settings: settings.clone(), view: form.view(who) });
                }
                _ => {}
            }
        }
        Some(SessionView {
            title: plan.title.clone(),
            steps: steps.collect(),
            running: running.map(|(step, _, _)| step),
            running_ms: running.zip(now).map(|((_, _, run), now)| now.saturating_sub(run.started_at)),
            scale,
            table,
            mirror,
            actions,
            carried: plan.carried.clone(),
            agreed: plan.agreed.clone(),
        })
    }

    /// What `seat` alone sees of the running step, if anything.
    pub fn mine_view(&self, seat: SeatId) -> Option<MineView> {
        let (step, _, run) = self.running_step()?;
        let mut mine = MineView { step, ..MineView::default() };
        match &run.form {
            RunningForm::Statements => {}
            RunningForm::Scale(form) => {
                mine.rounds = form.rounds.len();
                mine.scale = form.rounds.last().and_then(|round| round.answers.get(&seat)).cloned();
            }
            RunningForm::Mirror(form) => {
                if let Reader::Listener(_) = self.mirror_reader(seat) {
                    mine.observations = form.view(Reader::Listener(seat)).observations;
                }
            }
            RunningForm::Table(form) => {
                mine.rounds = form.rounds.len();
                mine.table = form.rounds.last().and_then(|round| round.layouts.get(&seat)).cloned();
            }
            RunningForm::Actions(form) => {
                let yours = form.view(Some(Who::Player(seat)));
                let own = |proposal: &ProposalView| {
                    form.proposals
                        .iter()
                        .any(|known| known.id == proposal.id && known.sources.contains(&Source::Seat { seat }))
                };
                mine.proposals = yours.proposals.into_iter().filter(own).collect();
                mine.dots = yours.my_dots;
            }
        }
        (!mine.is_empty()).then_some(mine)
    }

    /// What a step's event tells everyone.
    pub(super) fn public_step_updates(&self, event: &Event) -> Vec<Update> {
        let at = match event {
            Event::StepStarted { at, .. } => Some(*at),
            _ => None,
        };
        self.session_view(None, at).map(|session| Update::Session { session: Box::new(session) }).into_iter().collect()
    }

    /// What a step's event tells `audience` beyond that.
    pub(super) fn step_updates_for(&self, event: &Event, audience: Audience) -> Vec<Update> {
        let at = match event {
            Event::StepStarted { at, .. } => Some(*at),
            _ => None,
        };
        match audience {
            Audience::Everyone => Vec::new(),
            Audience::Trainer => self
                .session_view(Some(Who::Trainer), at)
                .map(|session| Update::Session { session: Box::new(session) })
                .into_iter()
                .collect(),
            Audience::Seat(seat) => {
                let Some((step, _, _)) = self.running_step() else { return Vec::new() };
                let mine = self.mine_view(seat).unwrap_or(MineView { step, ..MineView::default() });
                vec![Update::YourStep { mine }]
            }
        }
    }
}
