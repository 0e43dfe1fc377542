//! Decks of cards: the TOML format trainers write, and the validation that tells them which
//! file, line and field to fix.
//!
//! A deck file holds one kind of card. Statement decks (`kind = "statements"`) carry the
//! statements players take a position on; role decks (`kind = "roles"`) carry the perspectives
//! they answer from. Validation collects every problem in a file, not only the first one.
//! Trainers write TOML (`toml_format`); a statement deck can also come from a spreadsheet as
//! CSV (`csv_format`).

mod csv_format;
pub(crate) mod toml_format;

pub use csv_format::{parse_csv, to_csv};
pub use toml_format::{parse_deck, to_toml};

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// Longest statement a card may hold; longer text no longer fits a phone screen.
pub const MAX_STATEMENT_CHARS: usize = 280;
const MAX_ROLE_NAME_CHARS: usize = 60;
const MAX_PERSPECTIVE_CHARS: usize = 400;
/// Cards one deck may hold: far more than a session plays, far fewer than a file could list.
pub const MAX_CARDS: usize = 500;
/// Columns a CSV deck may have: each known column once, and room for a few the file names
/// wrongly (each is reported).
pub const MAX_CSV_COLUMNS: usize = 20;
/// What an end of a scale question stands for ("Vastgelopen: niemand weet waar je moet aankloppen").
const MAX_ANCHOR_CHARS: usize = 80;
/// A case: a family's situation in three to six sentences, read on a phone.
const MAX_CASE_CHARS: usize = 900;
/// What a case tends to bring up, for the trainer.
const MAX_NOTE_CHARS: usize = 400;
/// Themes one case is tagged with.
const MAX_CASE_THEMES: usize = 5;
pub(crate) const MAX_TITLE_CHARS: usize = 80;
const MAX_SOURCE_CHARS: usize = 300;
const MAX_PROMPT_CHARS: usize = 80;
const MAX_ID_CHARS: usize = 40;
const MAX_TERM_CHARS: usize = 30;

/// A card's id, unique within its deck; stable so that logs keep meaning across deck edits.
/// Shared text: a room copies its pile and hands often (it keeps a copy to roll back to),
/// and copying an id is then a reference count, not an allocation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(pub Arc<str>);

impl CardId {
    pub fn new(id: impl Into<Arc<str>>) -> CardId {
        CardId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A statement to take a position on. `terms` names the container terms it is about, so the
/// lobby can pick and the review can group by term; `define` is the one term, if any, whose
/// meaning the card asks each player for.
///
/// Every field after `text` is optional in stored logs too (`serde(default)`), so a deck kept
/// whole in an older room's `created` event reads back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementCard {
    pub id: CardId,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// How the definition field asks for the player's meaning of `define` ("Regie betekent voor
    /// mij …"). A parsed deck has a prompt exactly when it has `define`: a definition is always
    /// asked for in words written for that term, never in a generated sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Text>,
    /// The one term the card asks a definition of; always one of `terms`. Definitions are
    /// counted under this term only, so an "eigen regie" card does not blur the "regie" lens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub define: Option<String>,
    /// The role groups that can answer this card from their role (`for = ["professional"]`
    /// for a statement in a professional's first person). Empty: every role can.
    #[serde(default, rename = "for", skip_serializing_if = "Vec::is_empty")]
    pub for_groups: Vec<String>,
}

impl StatementCard {
    /// Whether a player whose role is in `group` can answer this card from that role.
    pub fn is_for(&self, group: &str) -> bool {
        self.for_groups.is_empty() || self.for_groups.iter().any(|known| known == group)
    }
}

/// A perspective a player answers from: who sits at the family's kitchen table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCard {
    pub id: CardId,
    pub name: Text,
    pub group: String,
    pub perspective: Text,
}

/// A question answered with a number from 1 to 10 (the schaalvraag): `low` and `high` say what
/// the ends of the scale stand for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionCard {
    pub id: CardId,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<Text>,
}

/// A case for the keukentafeluitdaging: a family's situation, fictional and concrete (who lives
/// there, what is going on, who is already involved), with a note for the trainer on what it
/// tends to bring up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCard {
    pub id: CardId,
    pub title: Text,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A validated deck of one kind of card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck<C> {
    pub id: String,
    pub title: Text,
    /// Where the deck's themes come from ("De vijf meest gestelde vragen van wijkteams aan
    /// Movisie"), for the lobby and the report. Absent in older logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Text>,
    pub cards: Vec<C>,
}

pub type StatementDeck = Deck<StatementCard>;
pub type RoleDeck = Deck<RoleCard>;
pub type QuestionDeck = Deck<QuestionCard>;
pub type CaseDeck = Deck<CaseCard>;

/// What a deck file turned out to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyDeck {
    Statements(StatementDeck),
    Roles(RoleDeck),
    Questions(QuestionDeck),
    Cases(CaseDeck),
}

/// Cards that can be looked up by id.
pub trait Card {
    fn id(&self) -> &CardId;
}

impl Card for StatementCard {
    fn id(&self) -> &CardId {
        &self.id
    }
}

impl Card for RoleCard {
    fn id(&self) -> &CardId {
        &self.id
    }
}

impl Card for QuestionCard {
    fn id(&self) -> &CardId {
        &self.id
    }
}

impl Card for CaseCard {
    fn id(&self) -> &CardId {
        &self.id
    }
}

impl<C: Card> Deck<C> {
    pub fn card(&self, id: &CardId) -> Option<&C> {
        self.cards.iter().find(|card| card.id() == id)
    }
}

impl StatementDeck {
    /// One deck from several, for a session that plays more than one. With more than one deck,
    /// card ids get their deck's id in front so they stay unique.
    pub fn combine(decks: &[&StatementDeck]) -> Option<StatementDeck> {
        match decks {
            [] => None,
            [only] => Some((*only).clone()),
            _ => {
                let join = |part: fn(&Text) -> &str| {
                    decks.iter().map(|deck| part(&deck.title)).collect::<Vec<_>>().join(" + ")
                };
                let cards = decks
                    .iter()
                    .flat_map(|deck| {
                        deck.cards.iter().map(|card| StatementCard {
                            id: CardId::new(format!("{}/{}", deck.id, card.id)),
                            ..card.clone()
                        })
                    })
                    .collect();
                let sources: Vec<&Text> = decks.iter().filter_map(|deck| deck.source.as_ref()).collect();
                let source = (!sources.is_empty()).then(|| {
                    let join =
                        |part: fn(&Text) -> &str| sources.iter().map(|text| part(text)).collect::<Vec<_>>().join(" · ");
                    Text { nl: join(|text| &text.nl), en: join(|text| text.get(crate::text::Lang::En)) }
                });
                Some(Deck {
                    id: decks.iter().map(|deck| deck.id.as_str()).collect::<Vec<_>>().join("+"),
                    title: Text { nl: join(|text| &text.nl), en: join(|text| &text.en) },
                    source,
                    cards,
                })
            }
        }
    }
}

impl AnyDeck {
    pub fn id(&self) -> &str {
        match self {
            AnyDeck::Statements(deck) => &deck.id,
            AnyDeck::Roles(deck) => &deck.id,
            AnyDeck::Questions(deck) => &deck.id,
            AnyDeck::Cases(deck) => &deck.id,
        }
    }

    /// The deck's title and how many cards it holds.
    pub fn summary(&self) -> (&Text, usize) {
        match self {
            AnyDeck::Statements(deck) => (&deck.title, deck.cards.len()),
            AnyDeck::Roles(deck) => (&deck.title, deck.cards.len()),
            AnyDeck::Questions(deck) => (&deck.title, deck.cards.len()),
            AnyDeck::Cases(deck) => (&deck.title, deck.cards.len()),
        }
    }

    /// The `kind` a deck file gives it.
    pub fn kind(&self) -> &'static str {
        match self {
            AnyDeck::Statements(_) => "statements",
            AnyDeck::Roles(_) => "roles",
            AnyDeck::Questions(_) => "questions",
            AnyDeck::Cases(_) => "cases",
        }
    }
}

/// One problem in a deck file, located for the person who has to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckError {
    pub file: String,
    pub line: usize,
    /// The field at fault, as written in the file (`card.text.nl`), or empty for a syntax error.
    pub field: String,
    pub problem: Problem,
}

/// What is wrong; `code` is stable, `message` is for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The TOML parser's own words (in English: the parser has no Dutch).
    Syntax(String),
    /// A CSV field opened with a quote that is never closed.
    UnclosedQuote,
    Missing,
    Empty,
    TooLong {
        max: usize,
        len: usize,
    },
    DuplicateId {
        first_line: usize,
    },
    BadId,
    UnknownKind(String),
    BadTerm(String),
    NotForKind(&'static str),
    NoCards,
    UnknownColumn(String),
    /// `define` names a term the card's `terms` do not list.
    DefineNotInTerms(String),
    /// A prompt, but no `define` and not exactly one term to take it from.
    DefineMissing,
    /// `define` without a prompt: a definition is asked for in words written for the term.
    PromptMissing,
    /// An entry of `for` that cannot be a role group.
    BadGroup(String),
    /// A draaiboek step names a work form there is none of.
    UnknownForm(String),
    /// A draaiboek names a deck the server does not have, or not of the kind the step plays.
    UnknownDeck {
        id: String,
        kind: &'static str,
    },
    /// A draaiboek names a card its deck does not hold.
    UnknownCard {
        id: String,
        deck: String,
    },
    /// A statements step picks a theme or term none of its decks has.
    UnknownTag(String),
    /// A field a step of this form does not take.
    NotForForm(&'static str),
    /// A number outside what a draaiboek may say.
    OutOfRange {
        min: u32,
        max: u32,
    },
    /// A step's settings that cannot be read (the TOML reader's words, in English) or are out
    /// of range.
    BadSettings(Text),
    NoSteps,
    /// A CSV header with more columns than a statement deck has.
    TooManyColumns {
        max: usize,
    },
    /// More cards than a session can play.
    /// A case tagged with more themes than a case holds.
    TooManyThemes {
        max: usize,
    },
    TooManyCards {
        max: usize,
    },
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Syntax(_) | Problem::UnclosedQuote => "syntax",
            Problem::Missing => "missing_field",
            Problem::Empty => "empty_text",
            Problem::TooLong { .. } => "text_too_long",
            Problem::DuplicateId { .. } => "duplicate_id",
            Problem::BadId => "bad_id",
            Problem::UnknownKind(_) => "unknown_kind",
            Problem::BadTerm(_) => "bad_term",
            Problem::NotForKind(_) => "field_not_for_kind",
            Problem::NoCards => "no_cards",
            Problem::UnknownColumn(_) => "unknown_column",
            Problem::DefineNotInTerms(_) => "define_not_in_terms",
            Problem::DefineMissing => "define_missing",
            Problem::PromptMissing => "prompt_missing",
            Problem::BadGroup(_) => "bad_group",
            Problem::UnknownForm(_) => "unknown_form",
            Problem::UnknownDeck { .. } => "unknown_deck",
            Problem::UnknownCard { .. } => "unknown_card",
            Problem::UnknownTag(_) => "unknown_tag",
            Problem::NotForForm(_) => "field_not_for_form",
            Problem::OutOfRange { .. } => "out_of_range",
            Problem::BadSettings(_) => "bad_settings",
            Problem::NoSteps => "no_steps",
            Problem::TooManyColumns { .. } => "too_many_columns",
            Problem::TooManyCards { .. } => "too_many_cards",
            Problem::TooManyThemes { .. } => "too_many_themes",
        }
    }

    pub fn message(&self) -> Text {
        match self {
            Problem::Syntax(detail) => {
                Text::new(format!("geen geldige TOML: {detail}"), format!("not valid TOML: {detail}"))
            }
            Problem::UnclosedQuote => Text::new(
                "een veld begint met een aanhalingsteken dat nergens wordt gesloten",
                "a field opens a quotation mark that is never closed",
            ),
            Problem::Missing => Text::new("dit veld ontbreekt", "this field is missing"),
            Problem::Empty => Text::new("dit veld is leeg", "this field is empty"),
            Problem::TooLong { max, len } => Text::new(
                format!("te lang: {len} tekens, hoogstens {max}"),
                format!("too long: {len} characters, at most {max}"),
            ),
            Problem::DuplicateId { first_line } => Text::new(
                format!("deze id staat al op regel {first_line}"),
                format!("this id is already used on line {first_line}"),
            ),
            Problem::BadId => Text::new(
                format!("een id bestaat uit kleine letters, cijfers en '-', hoogstens {MAX_ID_CHARS} tekens"),
                format!("an id is lowercase letters, digits and '-', at most {MAX_ID_CHARS} characters"),
            ),
            Problem::UnknownKind(kind) => Text::new(
                format!("onbekende soort '{kind}': kies \"statements\", \"roles\", \"questions\" of \"cases\""),
                format!("unknown kind '{kind}': choose \"statements\", \"roles\", \"questions\" or \"cases\""),
            ),
            Problem::BadTerm(term) => Text::new(
                format!(
                    "begrip '{term}' mag alleen kleine letters, spaties en '-' bevatten, hoogstens {MAX_TERM_CHARS} tekens"
                ),
                format!(
                    "term '{term}' may only hold lowercase letters, spaces and '-', at most {MAX_TERM_CHARS} characters"
                ),
            ),
            Problem::NotForKind(kind) => Text::new(
                format!("dit veld hoort niet in een deck van soort \"{kind}\""),
                format!("this field does not belong in a deck of kind \"{kind}\""),
            ),
            Problem::NoCards => Text::new("het deck heeft geen kaarten ([[card]])", "the deck has no cards ([[card]])"),
            Problem::UnknownColumn(name) => Text::new(
                format!(
                    "onbekende kolom '{name}': gebruik tekst, begrippen, thema (of id, tekst_en, definieer, voor, vraag, vraag_en)"
                ),
                format!(
                    "unknown column '{name}': use text, terms, theme (or id, text_en, define, for, prompt, prompt_en)"
                ),
            ),
            Problem::DefineNotInTerms(term) => Text::new(
                format!("begrip '{term}' staat niet bij de begrippen (terms) van deze kaart"),
                format!("term '{term}' is not among this card's terms"),
            ),
            Problem::DefineMissing => Text::new(
                "deze kaart vraagt om een definitie: zeg met define welk van haar begrippen",
                "this card asks for a definition: say with define which of its terms",
            ),
            Problem::PromptMissing => Text::new(
                "een kaart met define vraagt om een definitie en heeft daarvoor een eigen vraag nodig (prompt)",
                "a card with define asks for a definition and needs its own question for it (prompt)",
            ),
            Problem::BadGroup(group) => Text::new(
                format!("rolgroep '{group}' mag alleen kleine letters, cijfers en '-' bevatten"),
                format!("role group '{group}' may only hold lowercase letters, digits and '-'"),
            ),
            Problem::UnknownForm(form) => Text::new(
                format!("onbekende werkvorm '{form}': kies \"statements\", \"scale\" of \"actions\""),
                format!("unknown work form '{form}': choose \"statements\", \"scale\" or \"actions\""),
            ),
            Problem::UnknownDeck { id, kind } => Text::new(
                format!("er is geen deck '{id}' van soort \"{kind}\" op deze server"),
                format!("there is no deck '{id}' of kind \"{kind}\" on this server"),
            ),
            Problem::UnknownCard { id, deck } => {
                Text::new(format!("deck '{deck}' heeft geen kaart '{id}'"), format!("deck '{deck}' has no card '{id}'"))
            }
            Problem::UnknownTag(tag) => Text::new(
                format!("geen van de decks van deze stap heeft thema of begrip '{tag}'"),
                format!("none of this step's decks has the theme or term '{tag}'"),
            ),
            Problem::NotForForm(form) => Text::new(
                format!("dit veld hoort niet bij een stap met werkvorm \"{form}\""),
                format!("this field does not belong in a step of work form \"{form}\""),
            ),
            Problem::TooManyThemes { max } => Text::new(
                format!("een casus heeft hoogstens {max} thema's"),
                format!("a case has at most {max} themes"),
            ),
            Problem::OutOfRange { min, max } => {
                Text::new(format!("kies een getal van {min} tot {max}"), format!("choose a number from {min} to {max}"))
            }
            Problem::BadSettings(detail) => {
                Text::new(format!("ongeldige instelling: {}", detail.nl), format!("invalid setting: {}", detail.en))
            }
            Problem::NoSteps => {
                Text::new("het draaiboek heeft geen stappen ([[step]])", "the draaiboek has no steps ([[step]])")
            }
            Problem::TooManyColumns { max } => Text::new(
                format!("te veel kolommen: een stellingendeck heeft er hoogstens {max}"),
                format!("too many columns: a statement deck has at most {max}"),
            ),
            Problem::TooManyCards { max } => Text::new(
                format!("te veel kaarten: een deck heeft er hoogstens {max}"),
                format!("too many cards: a deck has at most {max}"),
            ),
        }
    }
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.problem.message();
        if self.field.is_empty() {
            write!(f, "{}:{}: {}", self.file, self.line, message.nl)
        } else {
            write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, message.nl)
        }
    }
}

/// Every problem found in one deck file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DeckErrors(pub Vec<DeckError>);

impl fmt::Display for DeckErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// Parses a deck file of either format, by its name: `.csv` is a spreadsheet of statements,
/// anything else TOML.
pub fn parse_deck_file(file: &str, source: &str) -> Result<AnyDeck, DeckErrors> {
    if file.to_lowercase().ends_with(".csv") {
        parse_csv(file, source).map(AnyDeck::Statements)
    } else {
        parse_deck(file, source)
    }
}

/// What is wrong with a card or deck id, if anything.
pub(crate) fn id_problem(id: &str) -> Option<Problem> {
    let valid = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (!valid).then_some(Problem::BadId)
}

/// What is wrong with a text field, if anything.
fn text_problem(text: &str, max: usize, required: bool) -> Option<Problem> {
    let len = text.trim().chars().count();
    if required && len == 0 {
        Some(Problem::Empty)
    } else if len > max {
        Some(Problem::TooLong { max, len })
    } else {
        None
    }
}

fn group_is_valid(group: &str) -> bool {
    !group.is_empty()
        && group.chars().count() <= MAX_ID_CHARS
        && group.chars().all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The term a card asks a definition of, and what is wrong if it cannot be told. `define` must
/// be one of `terms`; left out, it is the card's only term. A prompt needs a term to be about
/// and a term to define needs a prompt.
fn defined_term(define: Option<&str>, terms: &[String], has_prompt: bool) -> Result<Option<String>, Problem> {
    match (define, has_prompt) {
        (Some(term), _) if !terms.iter().any(|known| known == term) => Err(Problem::DefineNotInTerms(term.to_owned())),
        (Some(_), false) => Err(Problem::PromptMissing),
        (Some(term), true) => Ok(Some(term.to_owned())),
        (None, false) => Ok(None),
        (None, true) => match terms {
            [only] => Ok(Some(only.clone())),
            _ => Err(Problem::DefineMissing),
        },
    }
}

fn term_is_valid(term: &str) -> bool {
    !term.is_empty()
        && term.chars().count() <= MAX_TERM_CHARS
        && term.chars().all(|c| c.is_lowercase() || c == ' ' || c == '-')
}

/// Counts the lines before `offset`, for error messages.
pub(crate) fn line_at(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deck stored whole in the `created` event of a room from before `define`, `for` and
    /// `source` existed still reads back, so old logs replay.
    #[test]
    fn a_deck_from_an_older_log_reads_back() {
        let stored = r#"{"id": "containerbegrippen", "title": {"nl": "Containerbegrippen", "en": "Container terms"},
            "cards": [{"id": "regie-gezin-vastloopt", "text": {"nl": "Ook als een gezin vastloopt, blijft de regie bij het gezin."},
                       "terms": ["regie"], "prompt": {"nl": "Regie betekent voor mij …"}}]}"#;
        let deck: StatementDeck = serde_json::from_str(stored).expect("an old deck reads");
        assert_eq!(deck.source, None);
        assert_eq!((deck.cards[0].define.as_deref(), deck.cards[0].for_groups.len()), (None, 0));
        let written = serde_json::to_string(&deck).expect("serialises");
        assert!(
            !written.contains("define") && !written.contains("\"for\"") && !written.contains("source"),
            "{written}"
        );
    }

    #[test]
    fn decks_played_together_name_every_source() {
        let deck = |id: &str, source: Option<Text>| StatementDeck {
            id: id.to_owned(),
            title: Text::new(id, id),
            source,
            cards: Vec::new(),
        };
        let (a, b) = (deck("a", Some(Text::new("Bron A", "Source A"))), deck("b", Some(Text::new("Bron B", ""))));
        let combined = StatementDeck::combine(&[&a, &b, &deck("c", None)]).expect("three decks");
        assert_eq!(combined.source, Some(Text::new("Bron A · Bron B", "Source A · Bron B")));
        assert_eq!(StatementDeck::combine(&[&deck("c", None), &deck("d", None)]).expect("two").source, None);
    }
}
