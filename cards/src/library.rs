//! The decks a server offers: the built-in ones compiled into the binary, plus any the
//! operator adds.

use crate::deck::{AnyDeck, DeckErrors, RoleDeck, StatementDeck, parse_deck};

/// The built-in deck files, compiled in so a fresh binary needs no files beside it.
const BUILT_IN: &[(&str, &str)] = &[
    ("containerbegrippen.toml", include_str!("../decks/containerbegrippen.toml")),
    ("keukentafel.toml", include_str!("../decks/keukentafel.toml")),
];

/// The statement decks and role decks a room can be created from.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub statements: Vec<StatementDeck>,
    pub roles: Vec<RoleDeck>,
}

impl Library {
    /// The decks that ship with Standpunt. They are checked by a test, so failing to parse
    /// one here is a broken build, not bad input.
    pub fn built_in() -> Library {
        let mut library = Library::default();
        for (file, source) in BUILT_IN {
            let deck = parse_deck(file, source).unwrap_or_else(|errors| panic!("built-in deck is invalid:\n{errors}"));
            library.add(deck);
        }
        library
    }

    /// Adds a deck, replacing one with the same id so an operator can override a built-in deck.
    pub fn add(&mut self, deck: AnyDeck) {
        match deck {
            AnyDeck::Statements(deck) => {
                self.statements.retain(|known| known.id != deck.id);
                self.statements.push(deck);
            }
            AnyDeck::Roles(deck) => {
                self.roles.retain(|known| known.id != deck.id);
                self.roles.push(deck);
            }
        }
    }

    /// Parses a deck file and adds it.
    pub fn add_file(&mut self, file: &str, source: &str) -> Result<(), DeckErrors> {
        self.add(parse_deck(file, source)?);
        Ok(())
    }

    pub fn statement_deck(&self, id: &str) -> Option<&StatementDeck> {
        self.statements.iter().find(|deck| deck.id == id)
    }

    pub fn role_deck(&self, id: &str) -> Option<&RoleDeck> {
        self.roles.iter().find(|deck| deck.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_deck_loads() {
        let library = Library::built_in();
        assert!(library.statement_deck("containerbegrippen").is_some_and(|deck| deck.cards.len() >= 10));
        assert!(library.role_deck("keukentafel").is_some_and(|deck| deck.cards.len() >= 8));
    }
}
