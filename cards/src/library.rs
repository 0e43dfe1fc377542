//! The decks a server offers: the built-in ones compiled into the binary, plus any the
//! operator adds.

use crate::deck::{AnyDeck, DeckErrors, RoleDeck, StatementDeck, parse_deck};

/// The built-in deck files, compiled in so a fresh binary needs no files beside it.
const BUILT_IN: &[(&str, &str)] = &[
    ("containerbegrippen.toml", include_str!("../decks/containerbegrippen.toml")),
    ("samenwerken.toml", include_str!("../decks/samenwerken.toml")),
    ("ruimte-geeft-vaart.toml", include_str!("../decks/ruimte-geeft-vaart.toml")),
    ("wijkteam.toml", include_str!("../decks/wijkteam.toml")),
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

    use std::collections::BTreeSet;

    fn deck(id: &str) -> crate::deck::StatementDeck {
        Library::built_in().statement_deck(id).unwrap_or_else(|| panic!("built-in deck {id}")).clone()
    }

    fn themes(deck: &crate::deck::StatementDeck) -> BTreeSet<String> {
        deck.cards.iter().filter_map(|card| card.theme.clone()).collect()
    }

    #[test]
    fn every_built_in_deck_loads_with_english_beside_the_dutch() {
        let library = Library::built_in();
        assert_eq!(library.statements.len(), 4);
        for deck in &library.statements {
            assert!(deck.cards.iter().all(|card| !card.text.en.is_empty()), "{} is translated", deck.id);
        }
        for deck in &library.roles {
            assert!(deck.cards.iter().all(|card| !card.name.en.is_empty() && !card.perspective.en.is_empty()));
        }
    }

    #[test]
    fn the_container_terms_deck_asks_for_a_definition_on_every_card() {
        let deck = deck("containerbegrippen");
        assert!(deck.cards.len() >= 30);
        assert!(deck.cards.iter().all(|card| !card.terms.is_empty() && card.prompt.is_some()));
        let terms: BTreeSet<&str> = deck.cards.iter().flat_map(|card| card.terms.iter().map(String::as_str)).collect();
        for term in [
            "regie",
            "eigen regie",
            "plan",
            "groeiplan",
            "netwerkgericht",
            "generalist",
            "integraal",
            "toegang",
            "doorverwijzen",
            "zelfredzaamheid",
        ] {
            assert!(terms.contains(term), "a statement on {term}");
        }
    }

    #[test]
    fn the_practice_decks_cover_their_themes() {
        assert!(deck("samenwerken-rond-het-gezin").cards.len() >= 20);
        let ruimte = themes(&deck("ruimte-geeft-vaart"));
        for theme in ["botsende-waarden", "regelruimte", "samenspel", "dwingende-systemen", "vakmanschap", "toegang"] {
            assert!(ruimte.contains(theme), "ruimte geeft vaart: {theme}");
        }
        let wijkteam = themes(&deck("wijkteam"));
        for theme in
            ["teamsamenstelling", "kosten-en-effectiviteit", "dichtbij-bewoners", "regie-bij-bewoner", "twee-bazen"]
        {
            assert!(wijkteam.contains(theme), "wijkteam: {theme}");
        }
    }

    #[test]
    fn the_kitchen_table_seats_family_network_professionals_municipality_and_clients() {
        let roles = Library::built_in().role_deck("keukentafel").expect("built in").clone();
        assert!(roles.cards.len() >= 16);
        let groups: BTreeSet<&str> = roles.cards.iter().map(|card| card.group.as_str()).collect();
        assert_eq!(
            groups,
            BTreeSet::from(["clientvertegenwoordiging", "gemeente", "gezin", "netwerk", "professional"])
        );
    }
}
