//! The decks a server offers: the built-in ones compiled into the binary, plus any the
//! operator adds; and the glossary that names their terms and themes in both languages.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::deck::{AnyDeck, CaseDeck, DeckErrors, QuestionDeck, RoleDeck, StatementDeck, parse_deck};
use crate::session::agenda::{self, Agenda};
use crate::text::Text;

/// The built-in deck files, compiled in so a fresh binary needs no files beside it.
const BUILT_IN: &[(&str, &str)] = &[
    ("containerbegrippen.toml", include_str!("../decks/containerbegrippen.toml")),
    ("samenwerken.toml", include_str!("../decks/samenwerken.toml")),
    ("ruimte-geeft-vaart.toml", include_str!("../decks/ruimte-geeft-vaart.toml")),
    ("wijkteam.toml", include_str!("../decks/wijkteam.toml")),
    ("keukentafel.toml", include_str!("../decks/keukentafel.toml")),
    ("schaalvragen.toml", include_str!("../decks/schaalvragen.toml")),
    ("casussen.toml", include_str!("../decks/casussen.toml")),
    ("spiegelvragen.toml", include_str!("../decks/spiegelvragen.toml")),
];

/// The glossary kept with the built-in decks: the English name of each term, and each theme's
/// name in both languages.
const GLOSSARY: &str = include_str!("../decks/glossary.toml");

/// The words a deck's tags are written in (`regie`, `botsende-waarden`), as people read them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Glossary {
    /// A term as decks write it, to its English name.
    #[serde(default)]
    pub terms: BTreeMap<String, String>,
    /// A theme as decks write it, to its name in both languages.
    #[serde(default)]
    pub themes: BTreeMap<String, Text>,
}

/// The built-in glossary, read once. It is compiled in and a test reads it, so it cannot fail
/// to parse in a build that passed its tests; if it did, every tag would show as written.
pub fn glossary() -> &'static Glossary {
    static PARSED: OnceLock<Glossary> = OnceLock::new();
    PARSED.get_or_init(|| toml::from_str(GLOSSARY).unwrap_or_default())
}

/// A term as people read it: Dutch as the deck writes it, English from the glossary. A term
/// the glossary does not know (an uploaded deck's) has no English, so English shows it as
/// written, like every untranslated text.
pub fn term_label(term: &str) -> Text {
    Text::new(term, glossary().terms.get(term).cloned().unwrap_or_default())
}

/// A theme as a heading shows it: `botsende-waarden` is "Botsende waarden" / "Clashing
/// values". A theme the glossary does not know is shown as written, its dashes as spaces.
pub fn theme_label(theme: &str) -> Text {
    glossary().themes.get(theme).cloned().unwrap_or_else(|| Text::new(theme.replace('-', " "), ""))
}

/// The statement, role, question and case decks a room can be created from.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Each deck loaded once; a room playing one holds the same copy.
    pub statements: Vec<Arc<StatementDeck>>,
    pub roles: Vec<Arc<RoleDeck>>,
    /// Scale questions, for the schaalvraag steps of a draaiboek.
    pub questions: Vec<Arc<QuestionDeck>>,
    /// Cases, for the keukentafel steps of a draaiboek.
    pub cases: Vec<Arc<CaseDeck>>,
    /// Agendas of whole learning meetings, each read against the decks above.
    pub agendas: Vec<Arc<Agenda>>,
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
        for (file, source) in agenda::BUILT_IN {
            if let Err(errors) = library.add_agenda_file(file, source) {
                panic!("built-in draaiboek is invalid:\n{errors}");
            }
        }
        library
    }

    /// Reads a draaiboek against the decks already here and adds it, replacing one with the
    /// same id.
    pub fn add_agenda_file(&mut self, file: &str, source: &str) -> Result<(), DeckErrors> {
        let draaiboek = agenda::parse_agenda(file, source, self)?;
        self.agendas.retain(|known| known.id != draaiboek.id);
        self.agendas.push(Arc::new(draaiboek));
        Ok(())
    }

    /// Reads the built-in draaiboeken again against the decks here now, after an operator's
    /// decks replaced built-in ones by id: a built-in draaiboek that no longer fits is dropped,
    /// and its problems returned.
    pub fn reread_built_in_agendas(&mut self) -> Vec<DeckErrors> {
        let mut problems = Vec::new();
        for (file, source) in agenda::BUILT_IN {
            match agenda::parse_agenda(file, source, self) {
                Ok(read) => {
                    self.agendas.retain(|known| known.id != read.id);
                    self.agendas.push(Arc::new(read));
                }
                Err(errors) => {
                    let id = toml::from_str::<toml::Table>(source)
                        .ok()
                        .and_then(|table| table.get("id").and_then(|id| id.as_str().map(str::to_owned)));
                    self.agendas.retain(|known| Some(&known.id) != id.as_ref());
                    problems.push(errors);
                }
            }
        }
        problems
    }

    pub fn agenda(&self, id: &str) -> Option<&Arc<Agenda>> {
        self.agendas.iter().find(|draaiboek| draaiboek.id == id)
    }

    /// Adds a deck, replacing one with the same id so an operator can override a built-in deck.
    pub fn add(&mut self, deck: AnyDeck) {
        match deck {
            AnyDeck::Statements(deck) => {
                self.statements.retain(|known| known.id != deck.id);
                self.statements.push(Arc::new(deck));
            }
            AnyDeck::Roles(deck) => {
                self.roles.retain(|known| known.id != deck.id);
                self.roles.push(Arc::new(deck));
            }
            AnyDeck::Questions(deck) => {
                self.questions.retain(|known| known.id != deck.id);
                self.questions.push(Arc::new(deck));
            }
            AnyDeck::Cases(deck) => {
                self.cases.retain(|known| known.id != deck.id);
                self.cases.push(Arc::new(deck));
            }
        }
    }

    /// Parses a deck file and adds it.
    pub fn add_file(&mut self, file: &str, source: &str) -> Result<(), DeckErrors> {
        self.add(parse_deck(file, source)?);
        Ok(())
    }

    pub fn statement_deck(&self, id: &str) -> Option<&Arc<StatementDeck>> {
        self.statements.iter().find(|deck| deck.id == id)
    }

    pub fn question_deck(&self, id: &str) -> Option<&Arc<QuestionDeck>> {
        self.questions.iter().find(|deck| deck.id == id)
    }

    pub fn case_deck(&self, id: &str) -> Option<&Arc<CaseDeck>> {
        self.cases.iter().find(|deck| deck.id == id)
    }

    pub fn role_deck(&self, id: &str) -> Option<&Arc<RoleDeck>> {
        self.roles.iter().find(|deck| deck.id == id)
    }
}

#[cfg(test)]
mod content_tests;

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeSet;

    fn deck(id: &str) -> crate::deck::StatementDeck {
        Library::built_in().statement_deck(id).unwrap_or_else(|| panic!("built-in deck {id}")).as_ref().clone()
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
        assert!(deck.cards.iter().all(|card| card.define.is_some() && card.prompt.is_some()));
        let defined: BTreeSet<&str> = deck.cards.iter().filter_map(|card| card.define.as_deref()).collect();
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
            "maatwerk",
            "eigen kracht",
            "preventie",
            "sociale basis",
            "veiligheid",
            "algemene voorziening",
        ] {
            assert!(defined.contains(term), "a statement that asks what {term} means");
        }
    }

    #[test]
    fn the_practice_decks_cover_their_themes() {
        let samenwerken = themes(&deck("samenwerken-rond-het-gezin"));
        for theme in [
            "keukentafel",
            "stem-van-het-kind",
            "scheiding",
            "veiligheid",
            "rollen",
            "vertrouwen",
            "informatie",
            "menselijke-maat",
            "randvoorwaarden",
            "visie",
            "lokaal",
            "spiegelgesprek",
        ] {
            assert!(samenwerken.contains(theme), "samenwerken: {theme}");
        }
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
    fn the_blind_spots_are_covered() {
        let library = Library::built_in();
        let text: String = library
            .statements
            .iter()
            .flat_map(|deck| deck.cards.iter().map(|card| card.text.nl.to_lowercase()))
            .collect::<Vec<_>>()
            .join("\n");
        for subject in ["veilig thuis", "huiselijk geweld", "scheiding", "jeugdgezondheidszorg", "kind van acht"] {
            assert!(text.contains(subject), "a statement about {subject}");
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
        let group_of = |id: &str| {
            roles.card(&crate::deck::CardId::new(id)).map(|card| card.group.as_str()).unwrap_or_else(|| panic!("{id}"))
        };
        for (id, group) in [
            ("ouder", "gezin"),
            ("ouder-elders", "gezin"),
            ("jongere", "gezin"),
            ("kind", "gezin"),
            ("vrijwilliger", "netwerk"),
            ("veilig-thuis", "professional"),
            ("poh-jeugd", "professional"),
            ("ggz-volwassenen", "professional"),
            ("mentor", "professional"),
        ] {
            assert_eq!(group_of(id), group, "{id}");
        }
    }

    #[test]
    fn terms_and_themes_have_names_in_both_languages() {
        assert_eq!(term_label("eigen regie"), Text::new("eigen regie", "self-direction"));
        assert_eq!(theme_label("botsende-waarden"), Text::new("Botsende waarden", "Clashing values"));
        assert_eq!(term_label("mijn begrip"), Text::new("mijn begrip", ""));
        assert_eq!(theme_label("mijn-thema"), Text::new("mijn thema", ""));
    }
}
