//! Decks of cards: the TOML format trainers write, and the validation that tells them which
//! file, line and field to fix.
//!
//! A deck file holds one kind of card. Statement decks (`kind = "statements"`) carry the
//! statements players take a position on; role decks (`kind = "roles"`) carry the perspectives
//! they answer from. Validation collects every problem in a file, not only the first one.
//! Trainers write TOML (`toml_format`); a statement deck can also come from a spreadsheet as
//! CSV (`csv_format`).

mod csv_format;
mod toml_format;

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
const MAX_TITLE_CHARS: usize = 80;
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

/// A statement to take a position on. `terms` names the container terms it is about, so a
/// player can say what the term means to them and the review can group by term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementCard {
    pub id: CardId,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// How the definition field asks for the player's meaning of the term, when the default
    /// ("Regie betekent voor mij …") does not fit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<Text>,
}

/// A perspective a player answers from: who sits at the family's kitchen table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCard {
    pub id: CardId,
    pub name: Text,
    pub group: String,
    pub perspective: Text,
}

/// A validated deck of one kind of card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deck<C> {
    pub id: String,
    pub title: Text,
    pub cards: Vec<C>,
}

pub type StatementDeck = Deck<StatementCard>;
pub type RoleDeck = Deck<RoleCard>;

/// What a deck file turned out to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyDeck {
    Statements(StatementDeck),
    Roles(RoleDeck),
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
                Some(Deck {
                    id: decks.iter().map(|deck| deck.id.as_str()).collect::<Vec<_>>().join("+"),
                    title: Text { nl: join(|text| &text.nl), en: join(|text| &text.en) },
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
                format!("onbekende soort '{kind}': kies \"statements\" of \"roles\""),
                format!("unknown kind '{kind}': choose \"statements\" or \"roles\""),
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
                    "onbekende kolom '{name}': gebruik tekst, begrippen, thema (of id, tekst_en, prompt, prompt_en)"
                ),
                format!("unknown column '{name}': use text, terms, theme (or id, text_en, prompt, prompt_en)"),
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
fn id_problem(id: &str) -> Option<Problem> {
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

fn term_is_valid(term: &str) -> bool {
    !term.is_empty()
        && term.chars().count() <= MAX_TERM_CHARS
        && term.chars().all(|c| c.is_lowercase() || c == ' ' || c == '-')
}

/// Counts the lines before `offset`, for error messages.
fn line_at(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}
