//! The trainer's own notes on a session: moments marked during it ("hier viel het kwartje")
//! and, in the review, how the definitions of a term belong together and what the group agreed
//! the term means. They are events in the log like everything else, but no participant, screen
//! or projector ever hears of them; the review and the report show them.

use serde::{Deserialize, Serialize};

use crate::deck::CardId;
use crate::event::{Event, SeatId};
use crate::rejection::Rejection;
use crate::room::clean_optional;

/// A marked moment's line of note, in characters.
pub const MAX_NOTE_CHARS: usize = 200;
/// A definition the group agreed on, in characters (room for a few sentences).
pub const MAX_AGREED_CHARS: usize = 600;
/// A term's name, in characters.
pub const MAX_TERM_CHARS: usize = 60;
/// Definitions a regrouping may name: a term gets at most one per participant and statement.
const MAX_GROUPED: usize = 2_000;

/// A moment the trainer marked, and where the session was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// The agenda's running step (counted from 0), in a session with an agenda.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u16>,
    /// The statement on the table, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<MarkedStatement>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkedStatement {
    pub turn: u32,
    pub card: CardId,
    /// Marked after the answers were shown (the reveal), not while people were answering.
    pub revealed: bool,
}

/// One person's definition of a term, given with one statement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DefinitionKey {
    pub seat: SeatId,
    pub statement: CardId,
}

/// A trainer's note in the review, on the definitions of a term.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum ReviewNote {
    /// The definitions of `term` belong together like this; any not named stand alone.
    Group { term: String, groups: Vec<Vec<DefinitionKey>> },
    /// What the group agreed `term` means; an empty text takes it back.
    Agree { term: String, definition: String },
}

/// Checks a review note and says what goes in the log.
pub fn review_note(note: ReviewNote) -> Result<Event, Rejection> {
    match note {
        ReviewNote::Group { term, groups } => {
            let term = term_name(term)?;
            let mut named: Vec<&DefinitionKey> = groups.iter().flatten().collect();
            if named.len() > MAX_GROUPED {
                return Err(Rejection::BadMessage(format!("at most {MAX_GROUPED} definitions can be grouped")));
            }
            named.sort();
            if named.windows(2).any(|pair| pair[0] == pair[1]) {
                return Err(Rejection::BadMessage("a definition can be in one group only".to_owned()));
            }
            let groups = groups.into_iter().filter(|group| !group.is_empty()).collect();
            Ok(Event::DefinitionsGrouped { term, groups })
        }
        ReviewNote::Agree { term, definition } => Ok(Event::DefinitionAgreed {
            term: term_name(term)?,
            definition: clean_optional(Some(definition), "definition", MAX_AGREED_CHARS)?,
        }),
    }
}

fn term_name(term: String) -> Result<String, Rejection> {
    clean_optional(Some(term), "term", MAX_TERM_CHARS)?
        .ok_or_else(|| Rejection::BadMessage("the term is empty".to_owned()))
}

/// A mark's note, cleaned.
pub fn mark_note(note: Option<String>) -> Result<Option<String>, Rejection> {
    clean_optional(note, "note", MAX_NOTE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seat: u16, statement: &str) -> DefinitionKey {
        DefinitionKey { seat: SeatId(seat), statement: CardId::new(statement) }
    }

    #[test]
    fn a_definition_belongs_to_one_group_only() {
        let twice = ReviewNote::Group { term: "regie".into(), groups: vec![vec![key(0, "s1")], vec![key(0, "s1")]] };
        assert!(matches!(review_note(twice), Err(Rejection::BadMessage(_))));
        let fine = ReviewNote::Group { term: " regie ".into(), groups: vec![vec![key(0, "s1"), key(1, "s1")], vec![]] };
        assert_eq!(
            review_note(fine),
            Ok(Event::DefinitionsGrouped { term: "regie".into(), groups: vec![vec![key(0, "s1"), key(1, "s1")]] })
        );
    }

    #[test]
    fn an_agreed_definition_is_cleaned_limited_and_can_be_taken_back() {
        let agree = |text: &str| review_note(ReviewNote::Agree { term: "regie".into(), definition: text.into() });
        assert_eq!(
            agree("  Het gezin beslist, wij denken mee. "),
            Ok(Event::DefinitionAgreed {
                term: "regie".into(),
                definition: Some("Het gezin beslist, wij denken mee.".into())
            })
        );
        assert_eq!(agree(""), Ok(Event::DefinitionAgreed { term: "regie".into(), definition: None }));
        assert_eq!(
            agree(&"x".repeat(MAX_AGREED_CHARS + 1)),
            Err(Rejection::TextTooLong { field: "definition", max: MAX_AGREED_CHARS })
        );
        let nameless = review_note(ReviewNote::Agree { term: "  ".into(), definition: "iets".into() });
        assert!(matches!(nameless, Err(Rejection::BadMessage(_))));
    }
}
