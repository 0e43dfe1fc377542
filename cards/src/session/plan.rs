//! The agenda as a running session holds it: each step with its content resolved from the
//! library (the schaalvraag's question cards themselves, not their ids), so a session's log
//! replays without the decks the server offered that day, as it does for the statement decks.
//!
//! A session has one statement game: its decks and settings are the lobby's (a draaiboek sets
//! them when it is loaded), and every statements step plays on from the same pile.

use serde::{Deserialize, Serialize};

use super::agenda::{Agenda, AgreedDefinition, CarriedAction, MAX_AGREED, MAX_STEP_MINUTES, MAX_STEPS, Step, StepForm};
use crate::deck::MAX_TITLE_CHARS;
use crate::deck::{Card, CardId, CaseCard, QuestionCard};
use crate::event::Settings;
use crate::forms::FormKind;
use crate::forms::actions::{ActionSettings, Actions, MAX_OWNER_CHARS, MAX_PROPOSAL_CHARS, MAX_PROPOSALS};
use crate::forms::mirror::{Mirror, MirrorSettings};
use crate::forms::scale::{Scale, ScaleSettings};
use crate::forms::table::{KitchenTable, TableSettings};
use crate::library::Library;
use crate::notes::{MAX_AGREED_CHARS, MAX_TERM_CHARS};
use crate::rejection::Rejection;
use crate::text::Text;

/// A session's agenda, of one step or more. A session of statements only has none, as every
/// session before work forms (and as every log written then replays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub title: Text,
    pub steps: Vec<PlannedStep>,
    /// The learning group's actions from the meeting before, asked about at the start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<CarriedAction>,
    /// What the learning group agreed its terms mean, in meetings before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<AgreedDefinition>,
}

/// One step: its work form with what it needs, and the minutes it is planned to take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    pub minutes: u16,
    #[serde(flatten)]
    pub form: PlannedForm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum PlannedForm {
    /// The session's statement game, played on from where it was.
    Statements,
    Scale {
        /// The question deck the cards came from, for writing the agenda back as a draaiboek.
        #[serde(default)]
        deck: String,
        questions: Vec<QuestionCard>,
        settings: ScaleSettings,
    },
    Actions {
        settings: ActionSettings,
    },
    Table {
        /// The case deck the cards came from, for writing the agenda back as a draaiboek.
        #[serde(default)]
        deck: String,
        cases: Vec<CaseCard>,
        settings: TableSettings,
    },
    Mirror {
        /// The question deck the cards came from, for writing the agenda back as a draaiboek.
        #[serde(default)]
        deck: String,
        questions: Vec<QuestionCard>,
        settings: MirrorSettings,
    },
}

impl PlannedForm {
    pub fn kind(&self) -> FormKind {
        match self {
            PlannedForm::Statements => FormKind::Statements,
            PlannedForm::Scale { .. } => FormKind::Scale,
            PlannedForm::Actions { .. } => FormKind::Actions,
            PlannedForm::Table { .. } => FormKind::Table,
            PlannedForm::Mirror { .. } => FormKind::Mirror,
        }
    }

    /// The form's state as the step starts.
    pub fn begin(&self) -> RunningForm {
        match self {
            PlannedForm::Statements => RunningForm::Statements,
            PlannedForm::Scale { questions, settings, .. } => {
                RunningForm::Scale(Scale::new(settings.clone(), questions.clone()))
            }
            PlannedForm::Actions { settings } => RunningForm::Actions(Actions::new(settings.clone())),
            PlannedForm::Table { cases, settings, .. } => {
                RunningForm::Table(KitchenTable::new(settings.clone(), cases.clone()))
            }
            PlannedForm::Mirror { questions, settings, .. } => {
                RunningForm::Mirror(Mirror::new(settings.clone(), questions.clone()))
            }
        }
    }
}

/// A step that has started, and what its form holds. The statement game's state is the
/// session's (`Room`'s turn and pile), so a statements step holds nothing of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunningForm {
    Statements,
    Scale(Scale),
    Actions(Actions),
    Table(KitchenTable),
    Mirror(Mirror),
}

/// When a step started, and its form's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRun {
    /// Milliseconds, the room's clock.
    pub started_at: u64,
    pub form: RunningForm,
}

impl Plan {
    /// Whether any step plays the statement game.
    pub fn has_statements(&self) -> bool {
        self.steps.iter().any(|step| step.form == PlannedForm::Statements)
    }

    /// The minutes the steps plan together.
    pub fn minutes(&self) -> u32 {
        self.steps.iter().map(|step| u32::from(step.minutes)).sum()
    }

    /// The agenda `agenda` names, with its question cards taken from `library`. A draaiboek
    /// file was checked when it was read; an agenda a trainer edited in the lobby is checked
    /// here, and the first problem is the answer.
    pub fn resolve(agenda: &Agenda, library: &Library) -> Result<Plan, Rejection> {
        if agenda.steps.is_empty() {
            return Err(Rejection::BadAgenda(Text::new(
                "het draaiboek heeft geen stappen",
                "the draaiboek has no steps",
            )));
        }
        if agenda.steps.len() > MAX_STEPS {
            return Err(Rejection::BadAgenda(Text::new(
                format!("{} stappen, hoogstens {MAX_STEPS}", agenda.steps.len()),
                format!("{} steps, at most {MAX_STEPS}", agenda.steps.len()),
            )));
        }
        let too_long = |text: &str, max: usize| text.chars().count() > max;
        if too_long(&agenda.title.nl, MAX_TITLE_CHARS) || too_long(&agenda.title.en, MAX_TITLE_CHARS) {
            return Err(Rejection::BadAgenda(Text::new(
                format!("de titel is langer dan {MAX_TITLE_CHARS} tekens"),
                format!("the title is longer than {MAX_TITLE_CHARS} characters"),
            )));
        }
        let carried_fits = agenda.carried.len() <= usize::from(MAX_PROPOSALS)
            && agenda.carried.iter().all(|action| {
                !too_long(&action.text, MAX_PROPOSAL_CHARS)
                    && [&action.owner, &action.by]
                        .iter()
                        .all(|field| field.as_ref().is_none_or(|field| !too_long(field, MAX_OWNER_CHARS)))
            });
        if !carried_fits {
            return Err(Rejection::BadAgenda(Text::new(
                format!(
                    "hoogstens {MAX_PROPOSALS} acties van de vorige keer, van hoogstens {MAX_PROPOSAL_CHARS} tekens"
                ),
                format!("at most {MAX_PROPOSALS} actions from last time, of at most {MAX_PROPOSAL_CHARS} characters"),
            )));
        }
        let steps = agenda.steps.iter().enumerate().map(|(index, step)| resolve_step(index + 1, step, library));
        let agreed_fits = agenda.agreed.len() <= MAX_AGREED
            && agenda.agreed.iter().all(|agreed| {
                !too_long(&agreed.term, MAX_TERM_CHARS) && !too_long(&agreed.definition, MAX_AGREED_CHARS)
            });
        if !agreed_fits {
            return Err(Rejection::BadAgenda(Text::new(
                format!("hoogstens {MAX_AGREED} afgesproken begrippen, van hoogstens {MAX_AGREED_CHARS} tekens"),
                format!("at most {MAX_AGREED} agreed definitions, of at most {MAX_AGREED_CHARS} characters"),
            )));
        }
        let (carried, agreed) = (agenda.carried.clone(), agenda.agreed.clone());
        Ok(Plan { title: agenda.title.clone(), steps: steps.collect::<Result<_, _>>()?, carried, agreed })
    }
}

/// A trainer's change to the agenda, as the console makes them one at a time. The steps are
/// counted from 0; the session refuses a change to a step that has started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum AgendaEdit {
    /// A new step, at `at` (at the end when left out).
    Add {
        step: Step,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<u16>,
    },
    Remove {
        step: u16,
    },
    /// Step `step` moves to place `to`.
    Move {
        step: u16,
        to: u16,
    },
    Minutes {
        step: u16,
        minutes: u16,
    },
    /// Step `step`'s settings become `settings`, which must be for the step's form.
    Settings {
        step: u16,
        settings: StepSettings,
    },
}

/// A step's settings as the console changes them: a schaalvraag's or verbeteracties'. (A
/// statements step plays the session's statement game, whose settings are the lobby's.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum StepSettings {
    Scale(ScaleSettings),
    Actions(ActionSettings),
    Table(TableSettings),
    Mirror(MirrorSettings),
}

impl PlannedForm {
    /// The settings the console may change, for the forms that have their own.
    pub fn settings(&self) -> Option<StepSettings> {
        match self {
            PlannedForm::Statements => None,
            PlannedForm::Scale { settings, .. } => Some(StepSettings::Scale(settings.clone())),
            PlannedForm::Actions { settings } => Some(StepSettings::Actions(settings.clone())),
            PlannedForm::Table { settings, .. } => Some(StepSettings::Table(settings.clone())),
            PlannedForm::Mirror { settings, .. } => Some(StepSettings::Mirror(settings.clone())),
        }
    }
}

impl Plan {
    /// The agenda of a session that has none: its statements, for the minutes a draaiboek of
    /// statements plans.
    pub fn statements_only() -> Plan {
        Plan {
            title: Text::new("Sessie", "Session"),
            steps: vec![PlannedStep { title: None, minutes: 45, form: PlannedForm::Statements }],
            carried: Vec::new(),
            agreed: Vec::new(),
        }
    }

    /// This agenda with `edit` made; new steps' content comes from `library`.
    pub fn edited(&self, edit: AgendaEdit, library: &Library) -> Result<Plan, Rejection> {
        let mut plan = self.clone();
        let count = plan.steps.len();
        let no_step = |index: usize| {
            Rejection::BadAgenda(Text::new(format!("geen stap {}", index + 1), format!("no step {}", index + 1)))
        };
        let index =
            |step: u16| Some(usize::from(step)).filter(|index| *index < count).ok_or_else(|| no_step(step.into()));
        match edit {
            AgendaEdit::Add { step, at } => {
                if count >= MAX_STEPS {
                    return Err(Rejection::BadAgenda(Text::new(
                        format!("hoogstens {MAX_STEPS} stappen"),
                        format!("at most {MAX_STEPS} steps"),
                    )));
                }
                let at = at.map_or(count, |at| usize::from(at).min(count));
                plan.steps.insert(at, resolve_step(at + 1, &step, library)?);
            }
            AgendaEdit::Remove { step } => {
                plan.steps.remove(index(step)?);
                if plan.steps.is_empty() {
                    return Err(Rejection::BadAgenda(Text::new(
                        "het draaiboek heeft geen stappen",
                        "the draaiboek has no steps",
                    )));
                }
            }
            AgendaEdit::Move { step, to } => {
                let moved = plan.steps.remove(index(step)?);
                plan.steps.insert(usize::from(to).min(count - 1), moved);
            }
            AgendaEdit::Minutes { step, minutes } => {
                let index = index(step)?;
                if !(1..=MAX_STEP_MINUTES).contains(&minutes) {
                    return Err(Rejection::BadAgenda(Text::new(
                        format!("stap {}: {minutes} minuten, kies 1 tot {MAX_STEP_MINUTES}", index + 1),
                        format!("step {}: {minutes} minutes, choose 1 to {MAX_STEP_MINUTES}", index + 1),
                    )));
                }
                plan.steps[index].minutes = minutes;
            }
            AgendaEdit::Settings { step, settings } => {
                let index = index(step)?;
                let problem = |nl: String, en: String| {
                    Rejection::BadAgenda(Text::new(
                        format!("stap {}: {nl}", index + 1),
                        format!("step {}: {en}", index + 1),
                    ))
                };
                match (&mut plan.steps[index].form, settings) {
                    (PlannedForm::Scale { settings: held, .. }, StepSettings::Scale(settings)) => *held = settings,
                    (PlannedForm::Actions { settings: held }, StepSettings::Actions(settings)) => {
                        if let Some(text) = settings.problem() {
                            return Err(problem(text.nl, text.en));
                        }
                        *held = settings;
                    }
                    (PlannedForm::Mirror { settings: held, .. }, StepSettings::Mirror(settings)) => *held = settings,
                    (PlannedForm::Table { settings: held, .. }, StepSettings::Table(settings)) => {
                        if let Some(text) = settings.problem() {
                            return Err(problem(text.nl, text.en));
                        }
                        *held = settings;
                    }
                    (form, _) => {
                        let name = form.kind().name();
                        return Err(problem(
                            format!("deze instellingen horen niet bij een stap \"{name}\""),
                            format!("these settings are not for a \"{name}\" step"),
                        ));
                    }
                }
            }
        }
        Ok(plan)
    }

    /// This agenda with `deck`'s cases in every keukentafel step from step `from` on (the steps
    /// that have not started), or `None` when there is no such step.
    pub fn with_cases(&self, deck: &crate::deck::CaseDeck, from: usize) -> Option<Plan> {
        let mut plan = self.clone();
        let mut changed = false;
        for step in plan.steps.iter_mut().skip(from) {
            if let PlannedForm::Table { deck: id, cases, .. } = &mut step.form {
                id.clone_from(&deck.id);
                cases.clone_from(&deck.cards);
                changed = true;
            }
        }
        changed.then_some(plan)
    }

    /// The agenda as a draaiboek, to download: the session's statement game (`decks` and
    /// `settings`) stands in every statements step.
    pub fn to_agenda(&self, id: &str, decks: &[String], settings: &Settings) -> Agenda {
        let steps = self.steps.iter().map(|step| Step {
            title: step.title.clone(),
            minutes: step.minutes,
            form: match &step.form {
                PlannedForm::Statements => StepForm::Statements { decks: decks.to_vec(), settings: settings.clone() },
                PlannedForm::Scale { deck, questions, settings } => StepForm::Scale {
                    deck: deck.clone(),
                    cards: questions.iter().map(|card| card.id.clone()).collect(),
                    settings: settings.clone(),
                },
                PlannedForm::Actions { settings } => StepForm::Actions { settings: settings.clone() },
                PlannedForm::Table { deck, cases, settings } => StepForm::Table {
                    deck: deck.clone(),
                    cards: cases.iter().map(|card| card.id.clone()).collect(),
                    settings: settings.clone(),
                },
                PlannedForm::Mirror { deck, questions, settings } => StepForm::Mirror {
                    deck: deck.clone(),
                    cards: questions.iter().map(|card| card.id.clone()).collect(),
                    settings: settings.clone(),
                },
            },
        });
        Agenda {
            id: id.to_owned(),
            title: self.title.clone(),
            roles: None,
            steps: steps.collect(),
            carried: Vec::new(),
            agreed: Vec::new(),
        }
    }
}

/// What loading a draaiboek sets in a session: its plan, and the statement game (decks and
/// settings of its first statements step) and role deck it names, if it names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub plan: Plan,
    pub statement_decks: Vec<String>,
    pub settings: Option<Settings>,
    pub roles: Option<String>,
}

impl Loaded {
    pub fn of(agenda: &Agenda, library: &Library) -> Result<Loaded, Rejection> {
        let plan = Plan::resolve(agenda, library)?;
        let statements = agenda.steps.iter().find_map(|step| match &step.form {
            StepForm::Statements { decks, settings } => Some((decks.clone(), settings.clone())),
            _ => None,
        });
        if let Some(roles) = &agenda.roles
            && library.role_deck(roles).is_none()
        {
            return Err(Rejection::UnknownDeck);
        }
        let (statement_decks, settings) =
            statements.map_or((Vec::new(), None), |(decks, settings)| (decks, Some(settings)));
        Ok(Loaded { plan, statement_decks, settings, roles: agenda.roles.clone() })
    }
}

fn resolve_step(number: usize, step: &Step, library: &Library) -> Result<PlannedStep, Rejection> {
    let problem = |nl: String, en: String| {
        Rejection::BadAgenda(Text::new(format!("stap {number}: {nl}"), format!("step {number}: {en}")))
    };
    if !(1..=MAX_STEP_MINUTES).contains(&step.minutes) {
        return Err(problem(
            format!("{} minuten, kies 1 tot {MAX_STEP_MINUTES}", step.minutes),
            format!("{} minutes, choose 1 to {MAX_STEP_MINUTES}", step.minutes),
        ));
    }
    let form = match &step.form {
        StepForm::Statements { .. } => PlannedForm::Statements,
        StepForm::Scale { deck, cards, settings } => {
            let Some(found) = library.question_deck(deck) else {
                return Err(problem(format!("geen vragenset \"{deck}\""), format!("no question deck \"{deck}\"")));
            };
            let questions = picked(&found.cards, cards, &problem, "vraag", "question")?;
            PlannedForm::Scale { deck: deck.clone(), questions, settings: settings.clone() }
        }
        StepForm::Mirror { deck, cards, settings } => {
            let Some(found) = library.question_deck(deck) else {
                return Err(problem(format!("geen vragenset \"{deck}\""), format!("no question deck \"{deck}\"")));
            };
            let questions = picked(&found.cards, cards, &problem, "vraag", "question")?;
            PlannedForm::Mirror { deck: deck.clone(), questions, settings: settings.clone() }
        }
        StepForm::Table { deck, cards, settings } => {
            let Some(found) = library.case_deck(deck) else {
                return Err(problem(format!("geen casussen \"{deck}\""), format!("no case deck \"{deck}\"")));
            };
            if let Some(text) = settings.problem() {
                return Err(problem(text.nl, text.en));
            }
            let cases = picked(&found.cards, cards, &problem, "casus", "case")?;
            PlannedForm::Table { deck: deck.clone(), cases, settings: settings.clone() }
        }
        StepForm::Actions { settings } => {
            if let Some(text) = settings.problem() {
                return Err(problem(text.nl, text.en));
            }
            PlannedForm::Actions { settings: settings.clone() }
        }
    };
    Ok(PlannedStep { title: step.title.clone(), minutes: step.minutes, form })
}

/// The cards `ids` names from `cards`, or all of them when it names none.
fn picked<C: Card + Clone>(
    cards: &[C],
    ids: &[CardId],
    problem: &impl Fn(String, String) -> Rejection,
    nl: &str,
    en: &str,
) -> Result<Vec<C>, Rejection> {
    if ids.is_empty() {
        return Ok(cards.to_vec());
    }
    ids.iter()
        .map(|id| {
            cards
                .iter()
                .find(|card| card.id() == id)
                .cloned()
                .ok_or_else(|| problem(format!("geen {nl} \"{id}\""), format!("no {en} \"{id}\"")))
        })
        .collect()
}
