//! Het spiegelgesprek: speakers (residents, clients, or participants playing one) tell their
//! experience while the others only listen. The trainer puts question cards on the table one by
//! one; speakers answer aloud or, remotely, type an answer everyone sees at once. Listeners note
//! observations — gaat goed, kan beter, raakt me — that nobody else sees. When the trainer
//! closes the conversation the after-talk begins: the observations are shown to the listeners
//! and the trainer, without names by default; the trainer groups them and picks those that lead
//! to improvements, and only if the trainer shares them do speakers (and the projector, which
//! speakers see) read them, without names.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::deck::{CardId, QuestionCard};
use crate::event::SeatId;
use crate::forms::Who;
use crate::limits::MAX_ARGUMENT_CHARS;
use crate::rejection::Rejection;
use crate::room::clean_text;

/// How a spiegelgesprek step runs. Every field has a default, so a draaiboek names only what it
/// changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MirrorSettings {
    /// Speakers may type their answer (for a conversation at a distance); in the room they talk.
    pub typed_answers: bool,
    /// Show who noted an observation; hidden by default.
    pub names_shown: bool,
}

impl Default for MirrorSettings {
    fn default() -> MirrorSettings {
        MirrorSettings { typed_answers: true, names_shown: false }
    }
}

/// Observations one listener may note in one step, and how long a group's name may be.
pub const MAX_OBSERVATIONS_PER_LISTENER: usize = 60;
pub const MAX_GROUP_CHARS: usize = 60;

/// What a listener notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Gaat goed.
    GoesWell,
    /// Kan beter.
    CouldBeBetter,
    /// Raakt me.
    TouchesMe,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::GoesWell, Kind::CouldBeBetter, Kind::TouchesMe];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObservationId(pub u16);

/// One observation, as the step keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub id: ObservationId,
    pub seat: SeatId,
    /// The question on the table when it was noted (its index in `asked`).
    pub question: usize,
    pub kind: Kind,
    pub text: String,
    /// The trainer's group in the after-talk ("bereikbaarheid").
    pub group: Option<String>,
    /// Picked by the trainer as leading to an improvement: it goes to verbeteracties.
    pub picked: bool,
}

/// Where the conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Speakers tell, listeners listen.
    Talking,
    /// The after-talk: the listeners and the trainer see the observations.
    AfterTalk,
}

/// What a spiegelgesprek step is asked to do. On the wire inside a `mirror` message, tagged by
/// `do`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum MirrorCommand {
    /// Trainer: who speaks; everyone else listens.
    Speakers { seats: Vec<SeatId> },
    /// Trainer: put one of the step's questions on the table.
    Ask { question: CardId },
    /// Speaker: a typed answer to the question on the table (replacing one typed before).
    Answer { text: String },
    /// Listener: an observation on the question on the table.
    Observe { kind: Kind, text: String },
    /// Trainer: close the conversation; the after-talk begins.
    Close,
    /// Trainer, in the after-talk: put an observation in a group (`None` takes it out).
    Group { observation: ObservationId, group: Option<String> },
    /// Trainer, in the after-talk: pick an observation for verbeteracties, or not.
    Pick { observation: ObservationId, picked: bool },
    /// Trainer, in the after-talk: let the speakers read the observations, without names.
    Share,
}

/// What happened in a spiegelgesprek step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum MirrorEvent {
    Speakers { seats: Vec<SeatId> },
    Asked { question: CardId },
    Answered { seat: SeatId, text: String },
    Observed { seat: SeatId, kind: Kind, text: String },
    Closed,
    Grouped { observation: ObservationId, group: Option<String> },
    Picked { observation: ObservationId, picked: bool },
    Shared,
}

/// A spiegelgesprek step. Pure: the session says who asks and stores the events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub settings: MirrorSettings,
    pub questions: Vec<QuestionCard>,
    pub speakers: BTreeSet<SeatId>,
    /// The questions put on the table, in order; the last is on the table.
    pub asked: Vec<CardId>,
    /// Typed answers per asked question, by speaker.
    pub answers: Vec<BTreeMap<SeatId, String>>,
    pub observations: Vec<Observation>,
    pub stage: Stage,
    pub shared: bool,
}

impl Mirror {
    pub fn new(settings: MirrorSettings, questions: Vec<QuestionCard>) -> Mirror {
        Mirror {
            settings,
            questions,
            speakers: BTreeSet::new(),
            asked: Vec::new(),
            answers: Vec::new(),
            observations: Vec::new(),
            stage: Stage::Talking,
            shared: false,
        }
    }

    /// Decides what `command` from `who` means, with `seats` the session's seats. Never changes
    /// the step.
    pub fn handle(&self, who: Who, command: MirrorCommand, seats: &[SeatId]) -> Result<Vec<MirrorEvent>, Rejection> {
        let talking = || if self.stage == Stage::Talking { Ok(()) } else { Err(Rejection::WrongPhase) };
        let after_talk = || if self.stage == Stage::AfterTalk { Ok(()) } else { Err(Rejection::WrongPhase) };
        match (who, command) {
            (Who::Trainer, MirrorCommand::Speakers { seats: chosen }) => {
                talking()?;
                if !chosen.iter().all(|seat| seats.contains(seat)) {
                    return Err(Rejection::UnknownSeat);
                }
                let chosen: BTreeSet<SeatId> = chosen.into_iter().collect();
                Ok(if chosen == self.speakers {
                    Vec::new()
                } else {
                    vec![MirrorEvent::Speakers { seats: chosen.into_iter().collect() }]
                })
            }
            (Who::Trainer, MirrorCommand::Ask { question }) => {
                talking()?;
                if !self.questions.iter().any(|card| card.id == question) {
                    return Err(Rejection::UnknownQuestion);
                }
                Ok(vec![MirrorEvent::Asked { question }])
            }
            (Who::Trainer, MirrorCommand::Close) => {
                talking()?;
                Ok(vec![MirrorEvent::Closed])
            }
            (Who::Trainer, MirrorCommand::Group { observation, group }) => {
                after_talk()?;
                self.observation(observation)?;
                let group = group.map(|group| clean_text(&group)).filter(|group| !group.is_empty());
                if group.as_ref().is_some_and(|group| group.chars().count() > MAX_GROUP_CHARS) {
                    return Err(Rejection::TextTooLong { field: "group", max: MAX_GROUP_CHARS });
                }
                Ok(vec![MirrorEvent::Grouped { observation, group }])
            }
            (Who::Trainer, MirrorCommand::Pick { observation, picked }) => {
                after_talk()?;
                self.observation(observation)?;
                Ok(vec![MirrorEvent::Picked { observation, picked }])
            }
            (Who::Trainer, MirrorCommand::Share) => {
                after_talk()?;
                Ok(if self.shared { Vec::new() } else { vec![MirrorEvent::Shared] })
            }
            (Who::Player(seat), MirrorCommand::Answer { text }) => {
                talking()?;
                if !self.speakers.contains(&seat) {
                    return Err(Rejection::NotASpeaker);
                }
                if !self.settings.typed_answers {
                    return Err(Rejection::NotAsked);
                }
                self.asked.last().ok_or(Rejection::WrongPhase)?;
                Ok(vec![MirrorEvent::Answered { seat, text: checked(&text, "answer")? }])
            }
            (Who::Player(seat), MirrorCommand::Observe { kind, text }) => {
                talking()?;
                if self.speakers.contains(&seat) {
                    return Err(Rejection::NotAListener);
                }
                self.asked.last().ok_or(Rejection::WrongPhase)?;
                if self.observations.iter().filter(|noted| noted.seat == seat).count() >= MAX_OBSERVATIONS_PER_LISTENER
                {
                    return Err(Rejection::TooManyObservations { max: MAX_OBSERVATIONS_PER_LISTENER });
                }
                Ok(vec![MirrorEvent::Observed { seat, kind, text: checked(&text, "observation")? }])
            }
            (Who::Player(_), _) => Err(Rejection::NotTrainer),
            (Who::Trainer, MirrorCommand::Answer { .. } | MirrorCommand::Observe { .. }) => Err(Rejection::NotAPlayer),
        }
    }

    fn observation(&self, id: ObservationId) -> Result<&Observation, Rejection> {
        self.observations.iter().find(|noted| noted.id == id).ok_or(Rejection::UnknownObservation)
    }

    /// Folds one event into the step.
    pub fn apply(&mut self, event: &MirrorEvent) {
        match event {
            MirrorEvent::Speakers { seats } => self.speakers = seats.iter().copied().collect(),
            MirrorEvent::Asked { question } => {
                self.asked.push(question.clone());
                self.answers.push(BTreeMap::new());
            }
            MirrorEvent::Answered { seat, text } => {
                if let Some(answers) = self.answers.last_mut() {
                    answers.insert(*seat, text.clone());
                }
            }
            MirrorEvent::Observed { seat, kind, text } => {
                let id = ObservationId(u16::try_from(self.observations.len()).unwrap_or(u16::MAX));
                let question = self.asked.len().saturating_sub(1);
                let noted = Observation {
                    id,
                    seat: *seat,
                    question,
                    kind: *kind,
                    text: text.clone(),
                    group: None,
                    picked: false,
                };
                self.observations.push(noted);
            }
            MirrorEvent::Closed => self.stage = Stage::AfterTalk,
            MirrorEvent::Grouped { observation, group } => {
                if let Some(noted) = self.observations.iter_mut().find(|noted| noted.id == *observation) {
                    noted.group.clone_from(group);
                }
            }
            MirrorEvent::Picked { observation, picked } => {
                if let Some(noted) = self.observations.iter_mut().find(|noted| noted.id == *observation) {
                    noted.picked = *picked;
                }
            }
            MirrorEvent::Shared => self.shared = true,
        }
    }

    /// What `who` may see of the step: the question on the table and the typed answers for
    /// everyone; observations — your own while talking; in the after-talk every one for the
    /// listeners and the trainer (names only when the step shows them); for speakers and the
    /// projector only once shared, and never with names. `listener` says whether `who` is a seat
    /// that listens (the session knows who is a trainer, a speaker, a listener or a screen).
    pub fn view(&self, reader: Reader) -> MirrorView {
        let question = self.asked.last().and_then(|id| self.questions.iter().find(|card| &card.id == id)).cloned();
        let answers = self
            .asked
            .iter()
            .zip(&self.answers)
            .map(|(question, answers)| {
                (question.clone(), answers.iter().map(|(seat, text)| (*seat, text.clone())).collect())
            })
            .collect();
        let sees_all = match reader {
            Reader::Trainer | Reader::Listener(_) => self.stage == Stage::AfterTalk,
            Reader::Speaker(_) | Reader::Screen => self.shared,
        };
        let names = self.settings.names_shown && matches!(reader, Reader::Trainer | Reader::Listener(_));
        let visible = |noted: &&Observation| sees_all || matches!(reader, Reader::Listener(seat) if seat == noted.seat);
        let mut observations: Vec<ObservationView> = self
            .observations
            .iter()
            .filter(visible)
            .map(|noted| ObservationView {
                id: noted.id,
                question: self.asked.get(noted.question).cloned(),
                kind: noted.kind,
                text: noted.text.clone(),
                seat: names.then_some(noted.seat),
                group: noted.group.clone(),
                picked: noted.picked,
            })
            .collect();
        // Without names, in an order that tells nothing of who noted what.
        if !names && sees_all {
            observations
                .sort_by(|a, b| (&a.question, a.kind, &a.text, a.id).cmp(&(&b.question, b.kind, &b.text, b.id)));
        }
        let mut asked_questions: Vec<QuestionCard> = Vec::new();
        for id in &self.asked {
            if let Some(card) = self.questions.iter().find(|card| &card.id == id)
                && !asked_questions.contains(card)
            {
                asked_questions.push(card.clone());
            }
        }
        // Only the trainer acts on an observation; anyone else gets numbers that follow the
        // list, which say nothing of who noted what first.
        if reader != Reader::Trainer {
            for (index, noted) in observations.iter_mut().enumerate() {
                noted.id = ObservationId(u16::try_from(index).unwrap_or(u16::MAX));
            }
        }
        MirrorView {
            stage: self.stage,
            speakers: self.speakers.iter().copied().collect(),
            question,
            asked: self.asked.len(),
            asked_questions,
            questions: if reader == Reader::Trainer { self.questions.clone() } else { Vec::new() },
            answers,
            observations,
            shared: self.shared,
        }
    }

    /// The observations the trainer picked for verbeteracties, in the order they were noted.
    pub fn picked(&self) -> impl Iterator<Item = &Observation> {
        self.observations.iter().filter(|noted| noted.picked)
    }
}

/// Who reads a spiegelgesprek's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Trainer,
    Speaker(SeatId),
    Listener(SeatId),
    /// The projector, or anyone else who watches.
    Screen,
}

/// What one reader may see of a spiegelgesprek step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorView {
    pub stage: Stage,
    pub speakers: Vec<SeatId>,
    /// The question on the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<QuestionCard>,
    /// How many questions have been put on the table.
    pub asked: usize,
    /// The questions put on the table so far, once each, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asked_questions: Vec<QuestionCard>,
    /// For the trainer: every question of the step, to put on the table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<QuestionCard>,
    /// Typed answers, per asking in order (a question asked twice has two entries; the last is
    /// the question on the table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<(CardId, Vec<(SeatId, String)>)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<ObservationView>,
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservationView {
    pub id: ObservationId,
    /// The question it was noted on.
    pub question: Option<CardId>,
    pub kind: Kind,
    pub text: String,
    /// Who noted it, when the step shows names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<SeatId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default)]
    pub picked: bool,
}

fn checked(text: &str, field: &'static str) -> Result<String, Rejection> {
    let text = clean_text(text);
    if text.is_empty() {
        return Err(Rejection::BadMessage(format!("`{field}` is empty")));
    }
    if text.chars().count() > MAX_ARGUMENT_CHARS {
        return Err(Rejection::TextTooLong { field, max: MAX_ARGUMENT_CHARS });
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
