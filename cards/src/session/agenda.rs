//! A draaiboek: the agenda of a learning meeting as a TOML file (`kind = "draaiboek"`), its
//! steps in order, each naming its work form, its deck or cards, its settings and its planned
//! minutes. It is read against the decks a server offers, so a step that names a deck or card
//! the server does not have is a problem in the file, reported like every other one by line
//! and field; a file with any problem is not used.
//!
//! ```toml
//! id = "dompelsessie"
//! kind = "draaiboek"
//! title.nl = "Dompelsessie"
//! roles = "keukentafel"            # optional: the role deck dealt for the whole meeting
//!
//! [[step]]
//! form = "scale"                   # statements | scale | actions | table | mirror
//! minutes = 10
//! deck = "schaalvragen"            # a question deck
//! cards = ["toegang-soepel"]
//!
//! [[step]]
//! form = "statements"
//! minutes = 60
//! title.nl = "Stellingen over toegang"   # optional
//! decks = ["ruimte-geeft-vaart"]
//! themes = ["toegang"]             # optional, as the lobby picks them
//! settings = { hand_size = 3, timer = { mode = "soft", seconds = 90 } }
//!
//! [[step]]
//! form = "actions"
//! minutes = 30
//! settings = { dots = 3 }
//! ```

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::deck::toml_format::{Checker, RawText, push_text, quoted};
use crate::deck::{CardId, DeckErrors, MAX_TITLE_CHARS, Problem, StatementCard, id_problem};
use crate::event::{Perspective, ReaderMode, Settings, TimerMode};
use crate::forms::FormKind;
use crate::forms::actions::{ActionSettings, MAX_OWNER_CHARS, MAX_PROPOSAL_CHARS, MAX_PROPOSALS};
use crate::forms::mirror::MirrorSettings;
use crate::forms::scale::ScaleSettings;
use crate::forms::statements::MAX_TAGS;
use crate::forms::table::TableSettings;
use crate::library::Library;
use crate::notes::{MAX_AGREED_CHARS, MAX_TERM_CHARS};
use crate::text::Text;

/// Steps one draaiboek may have: a long day, not an endless one.
pub const MAX_STEPS: usize = 20;
/// Minutes one step may plan: a whole day.
pub const MAX_STEP_MINUTES: u16 = 480;
/// Statement decks one step may combine, as a room may.
pub const MAX_DECKS_PER_STEP: usize = 8;

/// A learning meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    pub id: String,
    pub title: Text,
    /// The role deck dealt once for the whole meeting; `None`: the lobby's choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
    pub steps: Vec<Step>,
    /// The learning group's actions from the meeting before, to ask at the start: "wat hebben
    /// we gedaan met…?". A downloaded draaiboek carries the ranked ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carried: Vec<CarriedAction>,
    /// What the learning group agreed its terms mean, in meetings before: shown at the start
    /// beside the actions. A downloaded draaiboek carries those agreed in the review.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreed: Vec<AgreedDefinition>,
}

/// What the group agreed a term means ("Wat wij onder regie verstaan").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedDefinition {
    pub term: String,
    pub definition: String,
}

/// Agreed definitions a draaiboek may carry.
pub const MAX_AGREED: usize = 20;

/// An action the group agreed on last time: what, who picked it up, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarriedAction {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Agenda {
    /// The minutes the steps plan together.
    pub fn minutes(&self) -> u32 {
        self.steps.iter().map(|step| u32::from(step.minutes)).sum()
    }
}

/// One step of the agenda: a work form with its content and settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    pub minutes: u16,
    #[serde(flatten)]
    pub form: StepForm,
}

/// What a step plays, by work form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum StepForm {
    Statements {
        #[serde(default)]
        decks: Vec<String>,
        #[serde(default)]
        settings: Settings,
    },
    Scale {
        deck: String,
        /// The questions to ask; every one of the deck's when empty.
        #[serde(default)]
        cards: Vec<CardId>,
        #[serde(default)]
        settings: ScaleSettings,
    },
    Actions {
        #[serde(default)]
        settings: ActionSettings,
    },
    Table {
        deck: String,
        /// The cases to lay out; every one of the deck's when empty.
        #[serde(default)]
        cards: Vec<CardId>,
        #[serde(default)]
        settings: TableSettings,
    },
    Mirror {
        deck: String,
        /// The questions to put on the table; every one of the deck's when empty.
        #[serde(default)]
        cards: Vec<CardId>,
        #[serde(default)]
        settings: MirrorSettings,
    },
}

impl StepForm {
    pub fn kind(&self) -> FormKind {
        match self {
            StepForm::Statements { .. } => FormKind::Statements,
            StepForm::Scale { .. } => FormKind::Scale,
            StepForm::Actions { .. } => FormKind::Actions,
            StepForm::Table { .. } => FormKind::Table,
            StepForm::Mirror { .. } => FormKind::Mirror,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgenda {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    roles: Option<Spanned<String>>,
    #[serde(default)]
    step: Vec<Spanned<RawStep>>,
    #[serde(default)]
    carried: Vec<Spanned<RawCarried>>,
    #[serde(default)]
    agreed: Vec<Spanned<RawAgreed>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgreed {
    term: Option<Spanned<String>>,
    definition: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCarried {
    text: Option<Spanned<String>>,
    owner: Option<Spanned<String>>,
    by: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    form: Option<Spanned<String>>,
    minutes: Option<Spanned<i64>>,
    title: Option<Spanned<RawText>>,
    decks: Option<Spanned<Vec<Spanned<String>>>>,
    deck: Option<Spanned<String>>,
    cards: Option<Spanned<Vec<Spanned<String>>>>,
    themes: Option<Spanned<Vec<Spanned<String>>>>,
    terms: Option<Spanned<Vec<Spanned<String>>>>,
    settings: Option<Spanned<toml::Table>>,
}

/// What a statements step may change of the statement game's settings; the rest are the
/// lobby's defaults. Themes and terms are the step's own fields; who may join from one address
/// and how roles are dealt belong to the whole meeting.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementChanges {
    hand_size: Option<u8>,
    reader: Option<ReaderMode>,
    perspective: Option<Perspective>,
    rotate_roles_every: Option<u8>,
    timer: Option<TimerMode>,
    auto_reveal: Option<bool>,
    anonymous: Option<bool>,
}

impl StatementChanges {
    fn onto(self, mut settings: Settings) -> Settings {
        settings.hand_size = self.hand_size.unwrap_or(settings.hand_size);
        settings.reader = self.reader.unwrap_or(settings.reader);
        settings.perspective = self.perspective.unwrap_or(settings.perspective);
        settings.rotate_roles_every = self.rotate_roles_every.unwrap_or(settings.rotate_roles_every);
        settings.timer = self.timer.unwrap_or(settings.timer);
        settings.auto_reveal = self.auto_reveal.unwrap_or(settings.auto_reveal);
        settings.anonymous = self.anonymous.unwrap_or(settings.anonymous);
        settings
    }
}

/// Whether a TOML file says it is a draaiboek (`kind = "draaiboek"`), so a folder or a command
/// line can hold decks and draaiboeken side by side.
pub fn is_agenda_file(source: &str) -> bool {
    toml::from_str::<toml::Table>(source)
        .ok()
        .and_then(|table| table.get("kind").and_then(|kind| kind.as_str().map(|kind| kind == "draaiboek")))
        .unwrap_or(false)
}

/// Reads and checks one draaiboek file against the decks in `library`. `file` only names the
/// file in error messages.
pub fn parse_agenda(file: &str, source: &str, library: &Library) -> Result<Agenda, DeckErrors> {
    let mut check = Checker::new(file, source);
    let raw: RawAgenda = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(error) => {
            check.syntax(&error);
            return check.finish(None);
        }
    };
    let draaiboek = Reader { check: &mut check, library }.agenda(raw);
    check.finish(draaiboek)
}

struct Reader<'c, 'a> {
    check: &'c mut Checker<'a>,
    library: &'c Library,
}

impl Reader<'_, '_> {
    fn agenda(&mut self, raw: RawAgenda) -> Option<Agenda> {
        let whole = 0..0;
        let id = self.check.id(raw.id, whole.clone(), "id");
        match raw.kind {
            None => self.check.report(whole.clone(), "kind", Problem::Missing),
            Some(kind) if kind.get_ref() != "draaiboek" => {
                self.check.report(kind.span(), "kind", Problem::UnknownKind(kind.get_ref().clone()));
            }
            Some(_) => {}
        }
        let title = self.check.text(raw.title, whole.clone(), "title", MAX_TITLE_CHARS, true);
        let roles = match raw.roles {
            Some(roles) if self.library.role_deck(roles.get_ref()).is_none() => {
                let problem = Problem::UnknownDeck { id: roles.get_ref().clone(), kind: "roles" };
                self.check.report(roles.span(), "roles", problem);
                None
            }
            roles => Some(roles.map(Spanned::into_inner)),
        };
        if raw.step.is_empty() {
            self.check.report(whole.clone(), "step", Problem::NoSteps);
        } else if raw.step.len() > MAX_STEPS {
            let max = u32::try_from(MAX_STEPS).unwrap_or(u32::MAX);
            self.check.report(raw.step[MAX_STEPS].span(), "step", Problem::OutOfRange { min: 1, max });
        }
        let steps: Vec<Option<Step>> = raw.step.into_iter().map(|step| self.step(step)).collect();
        let steps: Option<Vec<Step>> = steps.into_iter().collect();
        if raw.carried.len() > usize::from(MAX_PROPOSALS) {
            let problem = Problem::OutOfRange { min: 0, max: u32::from(MAX_PROPOSALS) };
            self.check.report(raw.carried[usize::from(MAX_PROPOSALS)].span(), "carried", problem);
        }
        let carried: Vec<Option<CarriedAction>> = raw.carried.into_iter().map(|action| self.carried(action)).collect();
        let carried: Option<Vec<CarriedAction>> = carried.into_iter().collect();
        if raw.agreed.len() > MAX_AGREED {
            let problem = Problem::OutOfRange { min: 0, max: MAX_AGREED as u32 };
            self.check.report(raw.agreed[MAX_AGREED].span(), "agreed", problem);
        }
        let agreed: Vec<Option<AgreedDefinition>> = raw.agreed.into_iter().map(|agreed| self.agreed(agreed)).collect();
        let agreed: Option<Vec<AgreedDefinition>> = agreed.into_iter().collect();
        Some(Agenda {
            id: id?.as_str().to_owned(),
            title: title?,
            roles: roles?,
            steps: steps?,
            carried: carried?,
            agreed: agreed?,
        })
    }

    /// A definition agreed in a meeting before: its term and its text, both needed.
    fn agreed(&mut self, agreed: Spanned<RawAgreed>) -> Option<AgreedDefinition> {
        let span = agreed.span();
        let agreed = agreed.into_inner();
        let mut needed = |value: Option<Spanned<String>>, field: &'static str, max: usize| match value {
            None => {
                self.check.report(span.clone(), field, Problem::Missing);
                None
            }
            value => self.limited(value, field, max).flatten(),
        };
        let term = needed(agreed.term, "agreed.term", MAX_TERM_CHARS);
        let definition = needed(agreed.definition, "agreed.definition", MAX_AGREED_CHARS);
        Some(AgreedDefinition { term: term?, definition: definition? })
    }

    /// An action from the meeting before: its text (up to a proposal's length), who and when
    /// (up to an owner's).
    fn carried(&mut self, action: Spanned<RawCarried>) -> Option<CarriedAction> {
        let span = action.span();
        let action = action.into_inner();
        let text = match action.text {
            None => {
                self.check.report(span, "carried.text", Problem::Missing);
                None
            }
            text => self.limited(text, "carried.text", MAX_PROPOSAL_CHARS).flatten(),
        };
        let owner = self.limited(action.owner, "carried.owner", MAX_OWNER_CHARS);
        let by = self.limited(action.by, "carried.by", MAX_OWNER_CHARS);
        Some(CarriedAction { text: text?, owner: owner?, by: by? })
    }

    /// A free text of at most `max` characters: `Some(None)` when absent, `None` (reported)
    /// when too long.
    fn limited(&mut self, value: Option<Spanned<String>>, field: &'static str, max: usize) -> Option<Option<String>> {
        let Some(value) = value else { return Some(None) };
        let len = value.get_ref().chars().count();
        if len > max {
            self.check.report(value.span(), field, Problem::TooLong { max, len });
            return None;
        }
        Some(Some(value.into_inner()))
    }

    fn step(&mut self, step: Spanned<RawStep>) -> Option<Step> {
        let span = step.span();
        let mut step = step.into_inner();
        let title = match step.title.take() {
            None => Some(None),
            Some(title) => self.check.text(Some(title), span.clone(), "step.title", MAX_TITLE_CHARS, true).map(Some),
        };
        let minutes = match step.minutes.take() {
            None => {
                self.check.report(span.clone(), "step.minutes", Problem::Missing);
                None
            }
            Some(minutes) => match u16::try_from(*minutes.get_ref()) {
                Ok(planned @ 1..=MAX_STEP_MINUTES) => Some(planned),
                _ => {
                    let problem = Problem::OutOfRange { min: 1, max: u32::from(MAX_STEP_MINUTES) };
                    self.check.report(minutes.span(), "step.minutes", problem);
                    None
                }
            },
        };
        let form = match step.form.take() {
            None => {
                self.check.report(span.clone(), "step.form", Problem::Missing);
                None
            }
            Some(form) => {
                let kind = FormKind::from_name(form.get_ref());
                if kind.is_none() {
                    self.check.report(form.span(), "step.form", Problem::UnknownForm(form.get_ref().clone()));
                }
                kind
            }
        };
        let form = match form? {
            FormKind::Statements => self.statements(step, span),
            FormKind::Scale => self.scale(step, span),
            FormKind::Actions => self.actions(step, span),
            FormKind::Table => self.table(step, span),
            FormKind::Mirror => self.mirror(step, span),
        };
        Some(Step { title: title?, minutes: minutes?, form: form? })
    }

    fn statements(&mut self, step: RawStep, span: Range<usize>) -> Option<StepForm> {
        let given = [
            ("step.deck", step.deck.as_ref().map(Spanned::span)),
            ("step.cards", step.cards.as_ref().map(Spanned::span)),
        ];
        self.not_for("statements", given);
        let decks = match step.decks {
            None => {
                self.check.report(span.clone(), "step.decks", Problem::Missing);
                None
            }
            Some(decks) if decks.get_ref().is_empty() || decks.get_ref().len() > MAX_DECKS_PER_STEP => {
                let max = u32::try_from(MAX_DECKS_PER_STEP).unwrap_or(u32::MAX);
                self.check.report(decks.span(), "step.decks", Problem::OutOfRange { min: 1, max });
                None
            }
            Some(decks) => {
                let mut known = Vec::new();
                for deck in decks.into_inner() {
                    match self.library.statement_deck(deck.get_ref()) {
                        Some(found) => known.push(found.clone()),
                        None => {
                            let problem = Problem::UnknownDeck { id: deck.get_ref().clone(), kind: "statements" };
                            self.check.report(deck.span(), "step.decks", problem);
                        }
                    }
                }
                Some(known)
            }
        };
        // A theme is a card's `theme`, a term one of its `terms`, as `Settings::picked` plays
        // them; without a deck found there is nothing to check them against.
        let found = decks.as_ref().is_some_and(|decks| !decks.is_empty());
        let mut tags = |tags: Option<Spanned<Vec<Spanned<String>>>>,
                        field: &str,
                        holds: fn(&StatementCard, &str) -> bool| {
            let mut kept = Vec::new();
            for tag in tags.map(Spanned::into_inner).unwrap_or_default() {
                let held = decks.iter().flatten().any(|deck| deck.cards.iter().any(|card| holds(card, tag.get_ref())));
                if held || !found {
                    kept.push(tag.into_inner());
                } else {
                    self.check.report(tag.span(), field, Problem::UnknownTag(tag.get_ref().clone()));
                }
            }
            kept
        };
        let themes = tags(step.themes, "step.themes", |card, tag| card.theme.as_deref() == Some(tag));
        let terms = tags(step.terms, "step.terms", |card, tag| card.terms.iter().any(|term| term == tag));
        let settings_at = step.settings.as_ref().map_or(span.clone(), Spanned::span);
        let settings = match step.settings {
            None => Some(Settings::default()),
            Some(table) => {
                let at = table.span();
                match table.into_inner().try_into::<StatementChanges>() {
                    Ok(changes) => Some(changes.onto(Settings::default())),
                    Err(error) => {
                        self.unreadable_settings(at, &error);
                        None
                    }
                }
            }
        };
        if themes.len() + terms.len() > MAX_TAGS {
            let max = u32::try_from(MAX_TAGS).unwrap_or(u32::MAX);
            self.check.report(span, "step.themes", Problem::OutOfRange { min: 0, max });
            return None;
        }
        let settings = settings.map(|settings| Settings { themes, terms, ..settings });
        if let Some(settings) = &settings
            && settings.validate().is_err()
        {
            let problem = Problem::BadSettings(crate::Rejection::BadSettings.message());
            self.check.report(settings_at, "step.settings", problem);
            return None;
        }
        let decks = decks?.iter().map(|deck| deck.id.clone()).collect();
        Some(StepForm::Statements { decks, settings: settings? })
    }

    fn scale(&mut self, step: RawStep, span: Range<usize>) -> Option<StepForm> {
        let given = [
            ("step.decks", step.decks.as_ref().map(Spanned::span)),
            ("step.themes", step.themes.as_ref().map(Spanned::span)),
            ("step.terms", step.terms.as_ref().map(Spanned::span)),
        ];
        self.not_for("scale", given);
        let library = self.library;
        let found = |id: &str| library.question_deck(id).map(|deck| (deck.id.clone(), card_ids(&deck.cards)));
        let (deck, cards) = self.deck_and_cards(step.deck, step.cards, span, "questions", found);
        let settings = self.form_settings::<ScaleSettings>(step.settings, |_| None);
        Some(StepForm::Scale { deck: deck?, cards: cards?, settings: settings? })
    }

    fn table(&mut self, step: RawStep, span: Range<usize>) -> Option<StepForm> {
        let given = [
            ("step.decks", step.decks.as_ref().map(Spanned::span)),
            ("step.themes", step.themes.as_ref().map(Spanned::span)),
            ("step.terms", step.terms.as_ref().map(Spanned::span)),
        ];
        self.not_for("table", given);
        let library = self.library;
        let found = |id: &str| library.case_deck(id).map(|deck| (deck.id.clone(), card_ids(&deck.cards)));
        let (deck, cards) = self.deck_and_cards(step.deck, step.cards, span, "cases", found);
        let settings = self.form_settings::<TableSettings>(step.settings, TableSettings::problem);
        Some(StepForm::Table { deck: deck?, cards: cards?, settings: settings? })
    }

    fn mirror(&mut self, step: RawStep, span: Range<usize>) -> Option<StepForm> {
        let given = [
            ("step.decks", step.decks.as_ref().map(Spanned::span)),
            ("step.themes", step.themes.as_ref().map(Spanned::span)),
            ("step.terms", step.terms.as_ref().map(Spanned::span)),
        ];
        self.not_for("mirror", given);
        let library = self.library;
        let found = |id: &str| library.question_deck(id).map(|deck| (deck.id.clone(), card_ids(&deck.cards)));
        let (deck, cards) = self.deck_and_cards(step.deck, step.cards, span, "questions", found);
        let settings = self.form_settings::<MirrorSettings>(step.settings, |_| None);
        Some(StepForm::Mirror { deck: deck?, cards: cards?, settings: settings? })
    }

    /// The deck a step names (of `kind`, as `find` looks it up: its id and card ids) and the
    /// cards it picks from it, each problem reported by line and field.
    fn deck_and_cards(
        &mut self,
        deck: Option<Spanned<String>>,
        cards: Option<Spanned<Vec<Spanned<String>>>>,
        span: Range<usize>,
        kind: &'static str,
        find: impl Fn(&str) -> Option<(String, Vec<CardId>)>,
    ) -> (Option<String>, Option<Vec<CardId>>) {
        let deck = match deck {
            None => {
                self.check.report(span.clone(), "step.deck", Problem::Missing);
                None
            }
            Some(deck) => match find(deck.get_ref()) {
                Some(found) => Some(found),
                None => {
                    let problem = Problem::UnknownDeck { id: deck.get_ref().clone(), kind };
                    self.check.report(deck.span(), "step.deck", problem);
                    None
                }
            },
        };
        let cards = match cards {
            None => {
                self.check.report(span, "step.cards", Problem::Missing);
                None
            }
            Some(cards) if cards.get_ref().is_empty() => {
                self.check.report(cards.span(), "step.cards", Problem::Empty);
                None
            }
            Some(cards) => {
                let mut known = Vec::new();
                for card in cards.into_inner() {
                    if let Some(problem) = id_problem(card.get_ref()) {
                        self.check.report(card.span(), "step.cards", problem);
                        continue;
                    }
                    let id = CardId::new(card.get_ref().as_str());
                    match &deck {
                        Some((deck, held)) if !held.contains(&id) => {
                            let problem = Problem::UnknownCard { id: card.get_ref().clone(), deck: deck.clone() };
                            self.check.report(card.span(), "step.cards", problem);
                        }
                        _ => known.push(id),
                    }
                }
                Some(known)
            }
        };
        (deck.map(|(id, _)| id), cards)
    }

    fn actions(&mut self, step: RawStep, _span: Range<usize>) -> Option<StepForm> {
        let given = [
            ("step.decks", step.decks.as_ref().map(Spanned::span)),
            ("step.deck", step.deck.as_ref().map(Spanned::span)),
            ("step.cards", step.cards.as_ref().map(Spanned::span)),
            ("step.themes", step.themes.as_ref().map(Spanned::span)),
            ("step.terms", step.terms.as_ref().map(Spanned::span)),
        ];
        self.not_for("actions", given);
        let settings = self.form_settings::<ActionSettings>(step.settings, ActionSettings::problem);
        Some(StepForm::Actions { settings: settings? })
    }

    /// A form's own settings: its defaults with what the step changes, checked for range.
    fn form_settings<T: Default + for<'de> Deserialize<'de>>(
        &mut self,
        table: Option<Spanned<toml::Table>>,
        problem: fn(&T) -> Option<Text>,
    ) -> Option<T> {
        let Some(table) = table else { return Some(T::default()) };
        let at = table.span();
        let settings = match table.into_inner().try_into::<T>() {
            Ok(settings) => settings,
            Err(error) => {
                self.unreadable_settings(at, &error);
                return None;
            }
        };
        match problem(&settings) {
            Some(detail) => {
                self.check.report(at, "step.settings", Problem::BadSettings(detail));
                None
            }
            None => Some(settings),
        }
    }

    /// Settings the TOML reader could not make sense of, in its words (English only, as for
    /// a syntax error).
    fn unreadable_settings(&mut self, at: Range<usize>, error: &toml::de::Error) {
        let detail = error.to_string().lines().next().unwrap_or_default().trim().to_owned();
        self.check.report(at, "step.settings", Problem::BadSettings(Text::new(detail.clone(), detail)));
    }

    fn not_for<const N: usize>(&mut self, form: &'static str, given: [(&str, Option<Range<usize>>); N]) {
        for (field, span) in given {
            if let Some(span) = span {
                self.check.report(span, field, Problem::NotForForm(form));
            }
        }
    }
}

/// Writes a draaiboek as TOML that `parse_agenda` reads back to the same draaiboek: the
/// trainer's agenda, downloaded to start the next meeting from.
pub fn to_toml(draaiboek: &Agenda) -> String {
    let mut out = format!("id = {}\nkind = \"draaiboek\"\n", quoted(&draaiboek.id));
    push_text(&mut out, "title", &draaiboek.title);
    if let Some(roles) = &draaiboek.roles {
        out.push_str(&format!("roles = {}\n", quoted(roles)));
    }
    for action in &draaiboek.carried {
        out.push_str(&format!("\n[[carried]]\ntext = {}\n", quoted(&action.text)));
        for (field, value) in [("owner", &action.owner), ("by", &action.by)] {
            if let Some(value) = value {
                out.push_str(&format!("{field} = {}\n", quoted(value)));
            }
        }
    }
    for agreed in &draaiboek.agreed {
        out.push_str(&format!(
            "\n[[agreed]]\nterm = {}\ndefinition = {}\n",
            quoted(&agreed.term),
            quoted(&agreed.definition)
        ));
    }
    for step in &draaiboek.steps {
        out.push_str(&format!("\n[[step]]\nform = \"{}\"\nminutes = {}\n", step.form.kind().name(), step.minutes));
        if let Some(title) = &step.title {
            push_text(&mut out, "title", title);
        }
        let settings = match &step.form {
            StepForm::Statements { decks, settings } => {
                out.push_str(&format!("decks = {}\n", list(decks)));
                for (field, tags) in [("themes", &settings.themes), ("terms", &settings.terms)] {
                    if !tags.is_empty() {
                        out.push_str(&format!("{field} = {}\n", list(tags)));
                    }
                }
                let keep =
                    ["hand_size", "reader", "perspective", "rotate_roles_every", "timer", "auto_reveal", "anonymous"];
                changed(settings, &Settings::default(), &keep)
            }
            StepForm::Scale { deck, cards, settings } => {
                let cards: Vec<&str> = cards.iter().map(CardId::as_str).collect();
                out.push_str(&format!("deck = {}\ncards = {}\n", quoted(deck), list(&cards)));
                changed(settings, &ScaleSettings::default(), &[])
            }
            StepForm::Actions { settings } => changed(settings, &ActionSettings::default(), &[]),
            StepForm::Table { deck, cards, settings } => {
                let cards: Vec<&str> = cards.iter().map(CardId::as_str).collect();
                out.push_str(&format!("deck = {}\ncards = {}\n", quoted(deck), list(&cards)));
                changed(settings, &TableSettings::default(), &[])
            }
            StepForm::Mirror { deck, cards, settings } => {
                let cards: Vec<&str> = cards.iter().map(CardId::as_str).collect();
                out.push_str(&format!("deck = {}\ncards = {}\n", quoted(deck), list(&cards)));
                changed(settings, &MirrorSettings::default(), &[])
            }
        };
        if !settings.is_empty() {
            out.push_str(&format!("settings = {}\n", toml::Value::Table(settings)));
        }
    }
    out
}

/// The fields of `value` that differ from `default`, among `keep` (all when empty).
fn changed<T: Serialize>(value: &T, default: &T, keep: &[&str]) -> toml::Table {
    let table = |value: &T| match toml::Value::try_from(value) {
        Ok(toml::Value::Table(table)) => table,
        _ => toml::Table::new(),
    };
    let defaults = table(default);
    table(value)
        .into_iter()
        .filter(|(key, field)| (keep.is_empty() || keep.contains(&key.as_str())) && defaults.get(key) != Some(field))
        .collect()
}

fn card_ids<C: crate::deck::Card>(cards: &[C]) -> Vec<CardId> {
    cards.iter().map(|card| card.id().clone()).collect()
}

fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|item| quoted(item.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// The built-in draaiboeken, read against the built-in decks.
pub(crate) const BUILT_IN: &[(&str, &str)] = &[
    ("stellingen-containerbegrippen.toml", include_str!("../../draaiboeken/stellingen-containerbegrippen.toml")),
    ("dompelsessie-ruimte-geeft-vaart.toml", include_str!("../../draaiboeken/dompelsessie-ruimte-geeft-vaart.toml")),
    ("keukentafeluitdaging.toml", include_str!("../../draaiboeken/keukentafeluitdaging.toml")),
    ("spiegelgesprek.toml", include_str!("../../draaiboeken/spiegelgesprek.toml")),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(source: &str) -> String {
        parse_agenda("test.toml", source, &Library::built_in()).map(|_| ()).expect_err("invalid").to_string()
    }

    #[test]
    fn the_definitions_agreed_before_come_along_write_back_and_name_their_problems() {
        let library = Library::built_in();
        let source = "id = \"vervolg\"\nkind = \"draaiboek\"\ntitle.nl = \"Vervolg\"\n\n[[agreed]]\nterm = \"regie\"\ndefinition = \"Het gezin beslist; wij \\\"denken\\\" mee.\"\n\n[[step]]\nform = \"actions\"\nminutes = 20\n";
        let draaiboek = parse_agenda("vervolg.toml", source, &library).expect("valid");
        let agreed =
            AgreedDefinition { term: "regie".into(), definition: "Het gezin beslist; wij \"denken\" mee.".into() };
        assert_eq!(draaiboek.agreed, [agreed]);
        let written = to_toml(&draaiboek);
        assert_eq!(parse_agenda("again.toml", &written, &library).expect("reads back"), draaiboek, "{written}");
        let missing = source.replace("term = \"regie\"\n", "");
        assert!(errors(&missing).contains("test.toml:5: agreed.term"), "{}", errors(&missing));
        let typo = source.replace("definition =", "definitie =");
        assert!(errors(&typo).contains("definitie"), "{}", errors(&typo));
    }

    #[test]
    fn the_actions_of_the_meeting_before_come_along_and_write_back() {
        let library = Library::built_in();
        let source = "id = \"vervolg\"\nkind = \"draaiboek\"\ntitle.nl = \"Vervolg\"\n\n[[carried]]\ntext = \"Samen op huisbezoek\"\nowner = \"Wijkteam\"\nby = \"maart\"\n\n[[step]]\nform = \"actions\"\nminutes = 20\n";
        let draaiboek = parse_agenda("vervolg.toml", source, &library).expect("valid");
        let carried = CarriedAction {
            text: "Samen op huisbezoek".into(),
            owner: Some("Wijkteam".into()),
            by: Some("maart".into()),
        };
        assert_eq!(draaiboek.carried, [carried]);
        let written = to_toml(&draaiboek);
        assert_eq!(parse_agenda("again.toml", &written, &library).expect("reads back"), draaiboek, "{written}");
        let long = source.replace("owner = \"Wijkteam\"", &format!("owner = \"{}\"", "x".repeat(61)));
        assert!(errors(&long).contains("test.toml:7: carried.owner"), "{}", errors(&long));
        let missing = source.replace("text = \"Samen op huisbezoek\"\n", "");
        assert!(errors(&missing).contains("carried.text"), "{}", errors(&missing));
    }

    #[test]
    fn the_built_in_draaiboeken_read_and_write_back_unchanged() {
        let library = Library::built_in();
        assert_eq!(library.agendas.len(), BUILT_IN.len());
        let dompel = library.agenda("dompelsessie-ruimte-geeft-vaart").expect("built in");
        assert_eq!(dompel.minutes(), 120, "two hours");
        let forms: Vec<FormKind> = dompel.steps.iter().map(|step| step.form.kind()).collect();
        assert_eq!(forms, [FormKind::Scale, FormKind::Statements, FormKind::Actions, FormKind::Scale]);
        assert_eq!(library.agenda("stellingen-containerbegrippen").expect("built in").minutes(), 45);
        for draaiboek in &library.agendas {
            let written = to_toml(draaiboek);
            let read = parse_agenda("again.toml", &written, &library).expect("reads back");
            assert_eq!(&read, &**draaiboek, "{written}");
        }
    }

    #[test]
    fn every_problem_is_named_by_line_and_field() {
        let source = r#"id = "proef"
kind = "draaiboek"
title.nl = "Proef"
roles = "onbekend"

[[step]]
form = "statements"
minutes = 0
decks = ["wijkteam", "bestaat-niet"]
themes = ["geen-thema"]

[[step]]
form = "scale"
minutes = 10
deck = "schaalvragen"
cards = ["toegang-soepel", "geen-vraag"]
decks = ["wijkteam"]

[[step]]
form = "stemmen"
minutes = 5

[[step]]
form = "actions"
minutes = 20
settings = { dots = 3, dots_per_proposal = 4 }
"#;
        expect_test::expect![[r#"
            test.toml:4: roles: er is geen deck 'onbekend' van soort "roles" op deze server
            test.toml:8: step.minutes: kies een getal van 1 tot 480
            test.toml:9: step.decks: er is geen deck 'bestaat-niet' van soort "statements" op deze server
            test.toml:10: step.themes: geen van de decks van deze stap heeft thema of begrip 'geen-thema'
            test.toml:17: step.decks: dit veld hoort niet bij een stap met werkvorm "scale"
            test.toml:16: step.cards: deck 'schaalvragen' heeft geen kaart 'geen-vraag'
            test.toml:20: step.form: onbekende werkvorm 'stemmen': kies "statements", "scale" of "actions"
            test.toml:26: step.settings: ongeldige instelling: dots_per_proposal is 4, kies 1 tot 3"#]]
        .assert_eq(&errors(source));
    }

    #[test]
    fn a_typo_in_a_setting_is_named_and_a_missing_field_too() {
        let source = r#"id = "proef"
kind = "draaiboek"
title.nl = "Proef"

[[step]]
form = "statements"
decks = ["wijkteam"]
settings = { hand_sise = 3 }
"#;
        expect_test::expect![[r#"
            test.toml:5: step.minutes: dit veld ontbreekt
            test.toml:8: step.settings: ongeldige instelling: unknown field `hand_sise`, expected one of `hand_size`, `reader`, `perspective`, `rotate_roles_every`, `timer`, `auto_reveal`, `anonymous`"#]].assert_eq(&errors(source));
        expect_test::expect!["test.toml:1: step: het draaiboek heeft geen stappen ([[step]])"]
            .assert_eq(&errors("id = \"leeg\"\nkind = \"draaiboek\"\ntitle.nl = \"Leeg\"\n"));
    }

    #[test]
    fn a_theme_is_a_cards_theme_and_a_term_one_of_its_terms() {
        let step = |tags: &str| {
            format!(
                "id = \"p\"\nkind = \"draaiboek\"\ntitle.nl = \"P\"\n[[step]]\nform = \"statements\"\nminutes = 5\ndecks = [\"containerbegrippen\"]\n{tags}\n"
            )
        };
        let library = Library::built_in();
        parse_agenda("ok.toml", &step("themes = [\"eigen-regie\"]\nterms = [\"eigen regie\"]"), &library)
            .expect("both held");
        expect_test::expect![
            "test.toml:8: step.themes: geen van de decks van deze stap heeft thema of begrip 'eigen regie'"
        ]
        .assert_eq(&errors(&step("themes = [\"eigen regie\"]")));
    }

    #[test]
    fn a_built_in_draaiboek_that_an_operators_deck_no_longer_fits_is_left_out() {
        let mut library = Library::built_in();
        let other = "id = \"schaalvragen\"\nkind = \"questions\"\ntitle.nl = \"Eigen vragen\"\n[[card]]\nid = \"eigen\"\ntext.nl = \"Hoe gaat het?\"\n";
        library.add_file("schaalvragen.toml", other).expect("an operator's question deck");
        let problems = library.reread_built_in_agendas();
        assert_eq!(problems.len(), 1, "the Dompelsessie asks a question the new deck lacks");
        assert!(library.agenda("dompelsessie-ruimte-geeft-vaart").is_none());
        assert!(library.agenda("stellingen-containerbegrippen").is_some(), "the other still fits");
    }

    #[test]
    fn a_deck_file_is_not_a_draaiboek() {
        assert!(is_agenda_file("id = \"x\"\nkind = \"draaiboek\"\n"));
        assert!(!is_agenda_file("id = \"x\"\nkind = \"statements\"\n"));
        assert!(!is_agenda_file("not toml ["));
    }
}
