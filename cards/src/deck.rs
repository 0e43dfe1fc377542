//! Decks of cards: the TOML format trainers write, and the validation that tells them which
//! file, line and field to fix.
//!
//! A deck file holds one kind of card. Statement decks (`kind = "statements"`) carry the
//! statements players take a position on; role decks (`kind = "roles"`) carry the perspectives
//! they answer from. Validation collects every problem in a file, not only the first one.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::text::Text;

/// Longest statement a card may hold; longer text no longer fits a phone screen.
pub const MAX_STATEMENT_CHARS: usize = 280;
const MAX_ROLE_NAME_CHARS: usize = 60;
const MAX_PERSPECTIVE_CHARS: usize = 400;
const MAX_TITLE_CHARS: usize = 80;
const MAX_ID_CHARS: usize = 40;
const MAX_TERM_CHARS: usize = 30;

/// A card's id, unique within its deck; stable so that logs keep meaning across deck edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(pub String);

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
                            id: CardId(format!("{}/{}", deck.id, card.id)),
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
    Syntax(String),
    Missing,
    Empty,
    TooLong { max: usize, len: usize },
    DuplicateId { first_line: usize },
    BadId,
    UnknownKind(String),
    BadTerm(String),
    NotForKind(&'static str),
    NoCards,
}

impl Problem {
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Syntax(_) => "syntax",
            Problem::Missing => "missing_field",
            Problem::Empty => "empty_text",
            Problem::TooLong { .. } => "text_too_long",
            Problem::DuplicateId { .. } => "duplicate_id",
            Problem::BadId => "bad_id",
            Problem::UnknownKind(_) => "unknown_kind",
            Problem::BadTerm(_) => "bad_term",
            Problem::NotForKind(_) => "field_not_for_kind",
            Problem::NoCards => "no_cards",
        }
    }

    pub fn message(&self) -> Text {
        match self {
            Problem::Syntax(detail) => {
                Text::new(format!("geen geldige TOML: {detail}"), format!("not valid TOML: {detail}"))
            }
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeck {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    #[serde(default)]
    card: Vec<Spanned<RawCard>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCard {
    id: Option<Spanned<String>>,
    text: Option<Spanned<RawText>>,
    terms: Option<Spanned<Vec<Spanned<String>>>>,
    theme: Option<Spanned<String>>,
    name: Option<Spanned<RawText>>,
    group: Option<Spanned<String>>,
    perspective: Option<Spanned<RawText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    nl: Option<Spanned<String>>,
    en: Option<Spanned<String>>,
}

/// Parses and validates one deck file. `file` only names the file in error messages.
pub fn parse_deck(file: &str, source: &str) -> Result<AnyDeck, DeckErrors> {
    let mut check = Checker { file, source, errors: Vec::new() };
    let raw: RawDeck = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(error) => {
            let line = error.span().map_or(1, |span| check.line(span.start));
            check.errors.push(DeckError {
                file: file.to_owned(),
                line,
                field: String::new(),
                problem: Problem::Syntax(error.message().trim().to_owned()),
            });
            return Err(DeckErrors(check.errors));
        }
    };
    let deck = check.deck(raw);
    match deck {
        Some(deck) if check.errors.is_empty() => Ok(deck),
        _ => Err(DeckErrors(check.errors)),
    }
}

struct Checker<'a> {
    file: &'a str,
    source: &'a str,
    errors: Vec<DeckError>,
}

impl Checker<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.source.len());
        self.source.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
    }

    fn report(&mut self, span: Range<usize>, field: &str, problem: Problem) {
        let line = self.line(span.start);
        self.errors.push(DeckError { file: self.file.to_owned(), line, field: field.to_owned(), problem });
    }

    fn deck(&mut self, raw: RawDeck) -> Option<AnyDeck> {
        let whole = 0..0;
        let id = self.id(raw.id, whole.clone(), "id");
        let title = self.text(raw.title, whole.clone(), "title", MAX_TITLE_CHARS);
        let kind = match raw.kind {
            None => {
                self.report(whole.clone(), "kind", Problem::Missing);
                None
            }
            Some(kind) => match kind.get_ref().as_str() {
                "statements" => Some(false),
                "roles" => Some(true),
                other => {
                    let problem = Problem::UnknownKind(other.to_owned());
                    self.report(kind.span(), "kind", problem);
                    None
                }
            },
        };
        if raw.card.is_empty() {
            self.report(whole, "card", Problem::NoCards);
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for card in &raw.card {
            if let Some(card_id) = &card.get_ref().id {
                let line = self.line(card_id.span().start);
                let first = *seen.entry(card_id.get_ref().clone()).or_insert(line);
                if first != line {
                    self.report(card_id.span(), "card.id", Problem::DuplicateId { first_line: first });
                }
            }
        }
        match kind? {
            false => {
                let cards: Vec<_> = raw.card.into_iter().filter_map(|card| self.statement(card)).collect();
                Some(AnyDeck::Statements(Deck { id: id?.0, title: title?, cards }))
            }
            true => {
                let cards: Vec<_> = raw.card.into_iter().filter_map(|card| self.role(card)).collect();
                Some(AnyDeck::Roles(Deck { id: id?.0, title: title?, cards }))
            }
        }
    }

    fn statement(&mut self, card: Spanned<RawCard>) -> Option<StatementCard> {
        let span = card.span();
        let card = card.into_inner();
        for (field, present) in [
            ("card.name", card.name.is_some()),
            ("card.group", card.group.is_some()),
            ("card.perspective", card.perspective.is_some()),
        ] {
            if present {
                self.report(span.clone(), field, Problem::NotForKind("statements"));
            }
        }
        let id = self.id(card.id, span.clone(), "card.id");
        let text = self.text(card.text, span.clone(), "card.text", MAX_STATEMENT_CHARS);
        let mut terms = Vec::new();
        for term in card.terms.map(Spanned::into_inner).unwrap_or_default() {
            let valid = !term.get_ref().is_empty()
                && term.get_ref().chars().count() <= MAX_TERM_CHARS
                && term.get_ref().chars().all(|c| c.is_lowercase() || c == ' ' || c == '-');
            if valid {
                terms.push(term.into_inner());
            } else {
                let problem = Problem::BadTerm(term.get_ref().clone());
                self.report(term.span(), "card.terms", problem);
            }
        }
        let theme = card.theme.map(Spanned::into_inner).filter(|theme| !theme.trim().is_empty());
        Some(StatementCard { id: id?, text: text?, terms, theme })
    }

    fn role(&mut self, card: Spanned<RawCard>) -> Option<RoleCard> {
        let span = card.span();
        let card = card.into_inner();
        for (field, present) in [
            ("card.text", card.text.is_some()),
            ("card.terms", card.terms.is_some()),
            ("card.theme", card.theme.is_some()),
        ] {
            if present {
                self.report(span.clone(), field, Problem::NotForKind("roles"));
            }
        }
        let id = self.id(card.id, span.clone(), "card.id");
        let name = self.text(card.name, span.clone(), "card.name", MAX_ROLE_NAME_CHARS);
        let perspective = self.text(card.perspective, span.clone(), "card.perspective", MAX_PERSPECTIVE_CHARS);
        let group = match card.group {
            Some(group) if group.get_ref().trim().is_empty() => {
                self.report(group.span(), "card.group", Problem::Empty);
                None
            }
            Some(group) => Some(group.into_inner()),
            None => {
                self.report(span, "card.group", Problem::Missing);
                None
            }
        };
        Some(RoleCard { id: id?, name: name?, group: group?, perspective: perspective? })
    }

    fn id(&mut self, id: Option<Spanned<String>>, parent: Range<usize>, field: &str) -> Option<CardId> {
        let Some(id) = id else {
            self.report(parent, field, Problem::Missing);
            return None;
        };
        let value = id.get_ref();
        let valid = !value.is_empty()
            && value.len() <= MAX_ID_CHARS
            && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            self.report(id.span(), field, Problem::BadId);
            return None;
        }
        Some(CardId(id.into_inner()))
    }

    fn text(&mut self, text: Option<Spanned<RawText>>, parent: Range<usize>, field: &str, max: usize) -> Option<Text> {
        let Some(text) = text else {
            self.report(parent, &format!("{field}.nl"), Problem::Missing);
            return None;
        };
        let span = text.span();
        let text = text.into_inner();
        let nl = match text.nl {
            None => {
                self.report(span, &format!("{field}.nl"), Problem::Missing);
                None
            }
            Some(nl) => self.line_of_text(nl, &format!("{field}.nl"), max, true),
        };
        let en = match text.en {
            None => Some(String::new()),
            Some(en) => self.line_of_text(en, &format!("{field}.en"), max, false),
        };
        Some(Text { nl: nl?, en: en? })
    }

    fn line_of_text(&mut self, text: Spanned<String>, field: &str, max: usize, required: bool) -> Option<String> {
        let value = text.get_ref().trim();
        let len = value.chars().count();
        if required && value.is_empty() {
            self.report(text.span(), field, Problem::Empty);
            None
        } else if len > max {
            self.report(text.span(), field, Problem::TooLong { max, len });
            None
        } else {
            Some(value.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(source: &str) -> String {
        match parse_deck("test.toml", source) {
            Ok(_) => "ok".to_owned(),
            Err(errors) => errors.to_string(),
        }
    }

    #[test]
    fn a_statement_deck_parses() {
        let source = r#"
id = "demo"
kind = "statements"
title.nl = "Demo"

[[card]]
id = "regie-1"
text.nl = "Regie ligt bij het gezin."
text.en = "The family is in charge."
terms = ["regie"]
"#;
        let AnyDeck::Statements(deck) = parse_deck("demo.toml", source).expect("valid deck") else {
            panic!("expected a statement deck");
        };
        assert_eq!(deck.cards.len(), 1);
        assert_eq!(deck.cards[0].terms, ["regie"]);
        assert_eq!(deck.cards[0].text.en, "The family is in charge.");
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_field() {
        let source = r#"id = "demo"
kind = "statements"
title.nl = "Demo"

[[card]]
id = "a"
text.nl = ""

[[card]]
id = "a"
text.nl = "Tweede"
terms = ["Regie!"]

[[card]]
id = "Hoofdletter"
"#;
        expect_test::expect![[r#"
            test.toml:10: card.id: deze id staat al op regel 6
            test.toml:7: card.text.nl: dit veld is leeg
            test.toml:12: card.terms: begrip 'Regie!' mag alleen kleine letters, spaties en '-' bevatten, hoogstens 30 tekens
            test.toml:15: card.id: een id bestaat uit kleine letters, cijfers en '-', hoogstens 40 tekens
            test.toml:14: card.text.nl: dit veld ontbreekt"#]]
        .assert_eq(&errors(source));
    }

    #[test]
    fn a_typo_in_a_field_name_is_a_syntax_error_on_its_line() {
        let source =
            "id = \"demo\"\nkind = \"statements\"\ntitle.nl = \"Demo\"\n[[card]]\nid = \"a\"\ntxet.nl = \"x\"\n";
        let result = errors(source);
        assert!(result.starts_with("test.toml:6: geen geldige TOML: unknown field `txet`"), "{result}");
    }

    #[test]
    fn an_unknown_kind_is_named() {
        let source =
            "id = \"demo\"\nkind = \"stellingen\"\ntitle.nl = \"Demo\"\n[[card]]\nid = \"a\"\ntext.nl = \"x\"\n";
        expect_test::expect![[r#"test.toml:2: kind: onbekende soort 'stellingen': kies "statements" of "roles""#]]
            .assert_eq(&errors(source));
    }

    #[test]
    fn role_fields_do_not_belong_in_a_statement_deck() {
        let source = "id = \"demo\"\nkind = \"statements\"\ntitle.nl = \"Demo\"\n[[card]]\nid = \"a\"\ntext.nl = \"x\"\ngroup = \"gezin\"\n";
        expect_test::expect![[r#"test.toml:4: card.group: dit veld hoort niet in een deck van soort "statements""#]]
            .assert_eq(&errors(source));
    }
}
