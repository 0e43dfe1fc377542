//! The session's agenda at work: which step runs, moving on to the next, and handing a step's
//! commands to its work form (DESIGN.md, "Werkvormen"). The statement game's turn is the
//! session's phase (its rules are `forms/statements.rs`); a schaalvraag or verbeteracties step
//! keeps its form's state here.

use super::{Phase, Room};
use crate::event::{Actor, EndReason, Event, Presence, SeatId};
use crate::forms::actions::{ActionCommand, ActionEvent, Actions, MAX_PROPOSAL_CHARS, MAX_PROPOSALS, Source, Stage};
use crate::forms::mirror::{MirrorCommand, MirrorEvent, Reader};
use crate::forms::scale::ScaleCommand;
use crate::forms::table::TableCommand;
use crate::forms::{FormKind, Who};
use crate::rejection::Rejection;
use crate::session::plan::{Plan, PlannedForm, PlannedStep, RunningForm, StepRun};

impl Room {
    /// The session's agenda, if it has one (a session of statements only has none).
    pub fn agenda(&self) -> Option<&Plan> {
        self.setup.agenda.as_ref()
    }

    /// The steps that have started, in agenda order; the last one is running.
    pub fn step_runs(&self) -> &[StepRun] {
        &self.steps
    }

    /// The step running now: its number, its plan and its state.
    pub fn running_step(&self) -> Option<(u16, &PlannedStep, &StepRun)> {
        let index = self.steps.len().checked_sub(1)?;
        let planned = self.agenda()?.steps.get(index)?;
        Some((step_number(index), planned, self.steps.last()?))
    }

    /// Statement commands are for a statements step (or a session without an agenda).
    pub(super) fn require_statements_step(&self) -> Result<(), Rejection> {
        match self.running_step() {
            Some((_, planned, _)) if planned.form.kind() != FormKind::Statements => Err(Rejection::NotThisStep),
            _ => Ok(()),
        }
    }

    pub(super) fn set_agenda(&self, actor: Actor, agenda: Plan, now: u64) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        if matches!(self.phase, Phase::Ended(_)) {
            return Err(Rejection::RoomEnded);
        }
        let started = self.steps.len();
        let kept = self.agenda().map_or(&[][..], |plan| &plan.steps[..started.min(plan.steps.len())]);
        if agenda.steps.len() < started || agenda.steps[..started] != *kept {
            return Err(Rejection::StepStarted);
        }
        let mut events = Vec::new();
        // A session of statements only that gets an agenda while it runs has been running its
        // statements step all along; that step is the new agenda's first, and starts counting now.
        if self.agenda().is_none() && self.phase != Phase::Lobby {
            if agenda.steps.first().map(|step| &step.form) != Some(&PlannedForm::Statements) {
                return Err(Rejection::StepStarted);
            }
            events.push(Event::AgendaSet { agenda });
            events.push(Event::StepStarted { step: 0, at: now });
            return Ok(events);
        }
        events.push(Event::AgendaSet { agenda });
        Ok(events)
    }

    pub(super) fn next_step(&self, actor: Actor, now: u64) -> Result<Vec<Event>, Rejection> {
        self.require_trainer(actor)?;
        let Phase::Turn(turn) = &self.phase else { return Err(Rejection::WrongPhase) };
        let (_, _, run) = self.running_step().ok_or(Rejection::WrongPhase)?;
        let open = match &run.form {
            RunningForm::Statements => turn.is_answering(),
            RunningForm::Scale(scale) => scale.open().is_some(),
            RunningForm::Actions(actions) => actions.stage == Stage::Voting,
            RunningForm::Table(table) => table.open().is_some(),
            // The conversation is closed first, so no listener's observation goes unread.
            RunningForm::Mirror(mirror) => mirror.stage == crate::forms::mirror::Stage::Talking,
        };
        if open {
            return Err(Rejection::RoundOpen);
        }
        self.step_after(now).ok_or(Rejection::LastStep)
    }

    /// The events that start the step after the running one (or the first, at the start), if
    /// the agenda has one: a statements step deals its first statement if none has been on the
    /// table yet; verbeteracties begin with the steps "one point higher" of the schaalvragen
    /// before them, when the step says so.
    pub(super) fn step_after(&self, now: u64) -> Option<Vec<Event>> {
        let index = self.steps.len();
        let planned = self.agenda()?.steps.get(index)?;
        let step = step_number(index);
        let mut events = vec![Event::StepStarted { step, at: now }];
        match &planned.form {
            PlannedForm::Statements => {
                if let Phase::Turn(turn) = &self.phase
                    && turn.number == 0
                {
                    events.push(match self.statement_table().reader_from(0) {
                        Some(reader) => Event::TurnStarted { turn: 1, reader },
                        None => return Some(events),
                    });
                }
            }
            PlannedForm::Scale { .. } => {}
            PlannedForm::Actions { settings } if settings.from_scale => {
                // The schaalvragen's steps one point higher, then the spiegelgesprekken's picked
                // observations, each marked with where it came from.
                let mut scratch = Actions::new(settings.clone());
                let sources =
                    [(self.steps_one_point_higher(), Source::Scale), (self.picked_observations(), Source::Mirror)];
                for (texts, source) in sources {
                    let room = usize::from(MAX_PROPOSALS).saturating_sub(scratch.proposals.len());
                    let texts: Vec<String> = texts.into_iter().take(room).collect();
                    if texts.is_empty() {
                        continue;
                    }
                    let imported = scratch.handle(Who::Trainer, ActionCommand::Import { texts }).unwrap_or_default();
                    for action in imported {
                        let action = match action {
                            ActionEvent::Proposed { proposal, text, .. } => {
                                ActionEvent::Proposed { proposal, source, text }
                            }
                            other => other,
                        };
                        scratch.apply(&action);
                        events.push(Event::Actions { step, action });
                    }
                }
            }
            PlannedForm::Mirror { .. } => {
                // Role cards suggest who speaks: the family, its network and client representatives.
                let speakers: Vec<SeatId> = self
                    .seats()
                    .filter(|(_, seat)| !seat.has_left())
                    .filter(|(_, seat)| {
                        let group = seat
                            .role
                            .as_ref()
                            .and_then(|role| self.setup.roles.card(role))
                            .map(|role| role.group.as_str());
                        group.is_some_and(|group| SPEAKING_GROUPS.contains(&group))
                    })
                    .map(|(id, _)| id)
                    .collect();
                if !speakers.is_empty() {
                    events.push(Event::Mirror { step, mirror: MirrorEvent::Speakers { seats: speakers } });
                }
            }
            PlannedForm::Actions { .. } | PlannedForm::Table { .. } => {}
        }
        Some(events)
    }

    /// Every "one point higher" step said in the revealed schaalvragen so far, once each, as
    /// many as a verbeteracties step holds.
    fn steps_one_point_higher(&self) -> Vec<String> {
        let mut texts: Vec<String> = Vec::new();
        let said = self.steps.iter().filter_map(|run| match &run.form {
            RunningForm::Scale(scale) => Some(scale),
            _ => None,
        });
        let answers = said
            .flat_map(|scale| scale.rounds.iter().filter(|round| round.revealed.is_some()))
            .flat_map(|round| round.answers.values())
            .filter_map(|answer| answer.one_point_higher.clone());
        for text in answers {
            // A step one point higher may be longer than a proposal: it comes in shortened.
            let text = shortened(&text, MAX_PROPOSAL_CHARS);
            if texts.len() < usize::from(MAX_PROPOSALS)
                && !texts.iter().any(|known| known.to_lowercase() == text.to_lowercase())
            {
                texts.push(text);
            }
        }
        texts
    }

    /// The observations the trainer picked in the spiegelgesprekken so far, once each, shortened
    /// to what a proposal holds.
    fn picked_observations(&self) -> Vec<String> {
        let mut texts: Vec<String> = Vec::new();
        let picked = self.steps.iter().filter_map(|run| match &run.form {
            RunningForm::Mirror(mirror) => Some(mirror.picked().map(|noted| noted.text.clone())),
            _ => None,
        });
        for text in picked.flatten() {
            let text = shortened(&text, MAX_PROPOSAL_CHARS);
            if !texts.iter().any(|known| known.to_lowercase() == text.to_lowercase()) {
                texts.push(text);
            }
        }
        texts
    }

    pub(super) fn mirror(&self, actor: Actor, command: MirrorCommand) -> Result<Vec<Event>, Rejection> {
        self.require_under_way()?;
        let (step, _, run) = self.running_step().ok_or(Rejection::NotThisStep)?;
        let RunningForm::Mirror(mirror) = &run.form else { return Err(Rejection::NotThisStep) };
        let who = self.who(actor)?;
        // Every seat the session knows: a speaker whose seat expired can still be unticked.
        let seats: Vec<SeatId> = self.seats().map(|(id, _)| id).collect();
        let events = mirror.handle(who, command, &seats)?;
        Ok(events.into_iter().map(|mirror| Event::Mirror { step, mirror }).collect())
    }

    /// How `seat` reads the running spiegelgesprek: as a speaker or a listener.
    pub(crate) fn mirror_reader(&self, seat: SeatId) -> Reader {
        match self.running_step() {
            Some((_, _, StepRun { form: RunningForm::Mirror(mirror), .. })) if mirror.speakers.contains(&seat) => {
                Reader::Speaker(seat)
            }
            _ => Reader::Listener(seat),
        }
    }

    /// When the statements run out: the next step if there is one, else the end.
    pub(super) fn statements_exhausted(&self, now: u64) -> Vec<Event> {
        self.step_after(now).unwrap_or_else(|| vec![Event::Ended { reason: EndReason::DeckExhausted }])
    }

    pub(super) fn scale(&self, actor: Actor, command: ScaleCommand, now: u64) -> Result<Vec<Event>, Rejection> {
        self.require_under_way()?;
        let (step, _, run) = self.running_step().ok_or(Rejection::NotThisStep)?;
        let RunningForm::Scale(scale) = &run.form else { return Err(Rejection::NotThisStep) };
        let who = self.who(actor)?;
        let events = scale.handle(who, command, &self.answering_seats(now))?;
        Ok(events.into_iter().map(|scale| Event::Scale { step, scale }).collect())
    }

    pub(super) fn actions(&self, actor: Actor, command: ActionCommand) -> Result<Vec<Event>, Rejection> {
        self.require_under_way()?;
        let (step, _, run) = self.running_step().ok_or(Rejection::NotThisStep)?;
        let RunningForm::Actions(actions) = &run.form else { return Err(Rejection::NotThisStep) };
        let who = self.who(actor)?;
        let events = actions.handle(who, command)?;
        Ok(events.into_iter().map(|action| Event::Actions { step, action }).collect())
    }

    pub(super) fn kitchen_table(&self, actor: Actor, command: TableCommand, now: u64) -> Result<Vec<Event>, Rejection> {
        self.require_under_way()?;
        let (step, _, run) = self.running_step().ok_or(Rejection::NotThisStep)?;
        let RunningForm::Table(table) = &run.form else { return Err(Rejection::NotThisStep) };
        let who = self.who(actor)?;
        let events = table.handle(who, command, &self.answering_seats(now), &self.setup.roles)?;
        Ok(events.into_iter().map(|table| Event::Table { step, table }).collect())
    }

    /// An open schaalvraag or keukentafel round whose last missing answers belong to people
    /// who are gone (or away longer than the grace period) at `now` is revealed: an absent
    /// participant never blocks.
    pub(super) fn step_reveal_without_absent(&self, now: u64, changed: Option<(SeatId, Presence)>) -> Option<Event> {
        self.require_under_way().ok()?;
        let (step, _, run) = self.running_step()?;
        let mut here = self.answering_seats(now);
        if let Some((seat, presence)) = changed
            && !self.statement_table().holds_reveal(presence, true, now)
        {
            here.retain(|present| *present != seat);
        }
        match &run.form {
            RunningForm::Scale(scale) => scale.reveal_without(&here).map(|scale| Event::Scale { step, scale }),
            RunningForm::Table(table) => table.reveal_without(&here).map(|table| Event::Table { step, table }),
            RunningForm::Statements | RunningForm::Actions(_) | RunningForm::Mirror(_) => None,
        }
    }

    /// When someone who stepped away stops holding up an open schaalvraag or keukentafel round.
    pub(super) fn step_grace_ends(&self) -> Vec<u64> {
        let open = match self.running_step() {
            Some((_, _, StepRun { form: RunningForm::Scale(scale), .. })) => scale.open().is_some(),
            Some((_, _, StepRun { form: RunningForm::Table(table), .. })) => table.open().is_some(),
            _ => false,
        };
        if !open || self.require_under_way().is_err() {
            return Vec::new();
        }
        let grace = self.setup.reveal_grace_ms;
        self.seats
            .iter()
            .filter_map(|seat| match seat.presence {
                Presence::Away { since } => Some(since.saturating_add(grace)),
                _ => None,
            })
            .collect()
    }

    /// The seats an open question waits for at `now`: here, or away for less than the grace
    /// period (a reload, a phone that locked).
    fn answering_seats(&self, now: u64) -> Vec<SeatId> {
        self.seats()
            .filter(|(_, seat)| self.statement_table().holds_reveal(seat.presence, true, now))
            .map(|(id, _)| id)
            .collect()
    }

    /// A work form's moves are for a session under way: not before the start, not after the end.
    fn require_under_way(&self) -> Result<(), Rejection> {
        match self.phase {
            Phase::Turn(_) => Ok(()),
            Phase::Ended(_) => Err(Rejection::RoomEnded),
            Phase::Lobby => Err(Rejection::WrongPhase),
        }
    }

    pub(super) fn who(&self, actor: Actor) -> Result<Who, Rejection> {
        match actor {
            Actor::Trainer(_) => self.require_trainer(actor).map(|_| Who::Trainer),
            _ => self.require_player(actor).map(Who::Player),
        }
    }

    /// Folds a step's event into the state.
    pub(super) fn apply_step(&mut self, event: &Event) {
        match event {
            Event::AgendaSet { agenda } => std::sync::Arc::make_mut(&mut self.setup).agenda = Some(agenda.clone()),
            Event::StepStarted { step, at } => {
                let planned = self.agenda().and_then(|plan| plan.steps.get(usize::from(*step)));
                if let Some(planned) = planned {
                    let form = planned.form.begin();
                    self.steps.push(StepRun { started_at: *at, form });
                }
            }
            Event::Scale { step, scale } => {
                if let Some(StepRun { form: RunningForm::Scale(form), .. }) = self.steps.get_mut(usize::from(*step)) {
                    form.apply(scale);
                }
            }
            Event::Actions { step, action } => {
                if let Some(StepRun { form: RunningForm::Actions(form), .. }) = self.steps.get_mut(usize::from(*step)) {
                    form.apply(action);
                }
            }
            Event::Table { step, table } => {
                if let Some(StepRun { form: RunningForm::Table(form), .. }) = self.steps.get_mut(usize::from(*step)) {
                    form.apply(table);
                }
            }
            Event::Mirror { step, mirror } => {
                if let Some(StepRun { form: RunningForm::Mirror(form), .. }) = self.steps.get_mut(usize::from(*step)) {
                    form.apply(mirror);
                }
            }
            _ => {}
        }
    }
}

/// The role groups whose cards suggest a speaker in a spiegelgesprek.
const SPEAKING_GROUPS: [&str; 3] = ["gezin", "netwerk", "clientvertegenwoordiging"];

/// `text` in at most `max` characters, an ellipsis marking where it was cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

fn step_number(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}
