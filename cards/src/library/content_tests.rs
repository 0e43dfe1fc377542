//! What a trainer can rely on in the built-in decks without reading every card: both languages,
//! short statements, one term per definition, role play that holds, and English names for every
//! tag. The spelling check, which needs hunspell, is in `tests/tests/e2e/content.rs`.

use std::collections::BTreeSet;

use super::{Library, glossary};
use crate::chart::group_label;
use crate::deck::{QuestionCard, StatementCard};
use crate::text::Text;

/// A statement longer than this is hard to read aloud and to hold in mind while voting.
const MAX_WORDS: usize = 18;

/// Statements allowed more than `MAX_WORDS` in a language, each with the reason. Add one only
/// when every shorter wording loses the claim.
const LONG_STATEMENTS: &[(&str, &str)] = &[];

/// Words that tell the player which side to land on, and have no place in a statement.
const LEADING_WORDS: &[&str] =
    &["aanmodderen", "uiteraard", "natuurlijk", "vanzelfsprekend", "klakkeloos", "muddling", "obviously", "of course"];

/// Words translated one way throughout: where the Dutch has the first, the English has the second.
const ONE_TRANSLATION: &[(&str, &str)] = &[
    ("beschikking", "formal decision"),
    ("jeugdbeschermer", "child protection worker"),
    ("jeugdbescherming", "child protection"),
];

/// The first person, by which a statement speaks as someone holding a role. A parent cannot
/// answer "ik verwijs door" from their role.
const FIRST_PERSON_NL: &[&str] = &["ik", "mijn", "me", "mij", "wij", "we", "ons", "onze"];
const FIRST_PERSON_EN: &[&str] = &["i", "my", "me", "mine", "we", "our", "ours", "us"];

fn questions(library: &Library) -> impl Iterator<Item = (&str, &QuestionCard)> {
    library.questions.iter().flat_map(|deck| deck.cards.iter().map(move |card| (deck.id.as_str(), card)))
}

fn statements(library: &Library) -> impl Iterator<Item = (&str, &StatementCard)> {
    library.statements.iter().flat_map(|deck| deck.cards.iter().map(move |card| (deck.id.as_str(), card)))
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|word| word.trim_matches(|c| c == '\'' || c == '-').to_lowercase())
        .filter(|word| !word.is_empty())
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric)).count()
}

/// Whether `phrase` occurs in `text` as whole words, ignoring case.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let (text, phrase) = (text.to_lowercase(), phrase.to_lowercase());
    text.match_indices(&phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every text a built-in deck or the glossary shows, with where it is, for the checks that
/// read all of them.
fn every_text(library: &Library) -> Vec<(String, &Text)> {
    let mut texts = Vec::new();
    for deck in &library.statements {
        texts.push((format!("{}: title", deck.id), &deck.title));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source)));
        for card in &deck.cards {
            texts.push((format!("{}/{}: text", deck.id, card.id), &card.text));
            texts.extend(card.prompt.iter().map(|prompt| (format!("{}/{}: prompt", deck.id, card.id), prompt)));
        }
    }
    for deck in &library.roles {
        texts.push((format!("{}: title", deck.id), &deck.title));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source)));
        for card in &deck.cards {
            texts.push((format!("{}/{}: name", deck.id, card.id), &card.name));
            texts.push((format!("{}/{}: perspective", deck.id, card.id), &card.perspective));
        }
    }
    for deck in &library.questions {
        texts.push((format!("{}: title", deck.id), &deck.title));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source)));
        for card in &deck.cards {
            texts.push((format!("{}/{}: text", deck.id, card.id), &card.text));
            for (end, anchor) in [("low", &card.low), ("high", &card.high)] {
                texts.extend(anchor.iter().map(|anchor| (format!("{}/{}: {end}", deck.id, card.id), anchor)));
            }
        }
    }
    for deck in &library.cases {
        texts.push((format!("{}: title", deck.id), &deck.title));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source)));
        for card in &deck.cards {
            texts.push((format!("{}/{}: title", deck.id, card.id), &card.title));
            texts.push((format!("{}/{}: text", deck.id, card.id), &card.text));
            texts.extend(card.note.iter().map(|note| (format!("{}/{}: note", deck.id, card.id), note)));
        }
    }
    for draaiboek in &library.agendas {
        texts.push((format!("draaiboek {}: title", draaiboek.id), &draaiboek.title));
        for (i, step) in draaiboek.steps.iter().enumerate() {
            texts.extend(step.title.iter().map(|title| (format!("draaiboek {}: step {}", draaiboek.id, i + 1), title)));
        }
    }
    texts
}

fn fail_unless_empty(what: &str, offenders: Vec<String>) {
    assert!(offenders.is_empty(), "{what}:\n  {}", offenders.join("\n  "));
}

#[test]
fn every_text_has_dutch_and_english_and_every_deck_names_its_source() {
    let library = Library::built_in();
    let mut offenders: Vec<String> = every_text(&library)
        .into_iter()
        .filter(|(_, text)| text.nl.trim().is_empty() || text.en.trim().is_empty())
        .map(|(place, _)| place)
        .collect();
    let ids = library.statements.iter().map(|deck| (&deck.id, &deck.source));
    let ids = ids.chain(library.roles.iter().map(|deck| (&deck.id, &deck.source)));
    let ids = ids.chain(library.questions.iter().map(|deck| (&deck.id, &deck.source)));
    let ids = ids.chain(library.cases.iter().map(|deck| (&deck.id, &deck.source)));
    offenders.extend(ids.filter(|(_, source)| source.is_none()).map(|(id, _)| format!("{id}: no source")));
    fail_unless_empty("these texts lack Dutch or English", offenders);
}

#[test]
fn a_scale_question_is_short_asks_and_says_what_both_ends_mean() {
    let library = Library::built_in();
    let offenders = questions(&library)
        .flat_map(|(deck, card)| {
            // The spiegelgesprek's questions are asked aloud, not on a scale: they need no ends.
            let scale = deck != "spiegelvragen";
            let mut problems = Vec::new();
            for (lang, text) in [("nl", &card.text.nl), ("en", &card.text.en)] {
                if word_count(text) > MAX_WORDS {
                    problems.push(format!("{deck}/{} ({lang}): {} words", card.id, word_count(text)));
                }
                if !text.trim_end().ends_with('?') {
                    problems.push(format!("{deck}/{} ({lang}): not a question", card.id));
                }
            }
            if scale && (card.low.is_none() || card.high.is_none()) {
                problems.push(format!("{deck}/{}: does not say what 1 and 10 mean", card.id));
            }
            problems
        })
        .collect();
    fail_unless_empty("these scale questions need work", offenders);
    // The schaalvraag of the Dompelsessie asks about every theme of Ruimte geeft vaart.
    let asked: BTreeSet<&str> = questions(&library).filter_map(|(_, card)| card.theme.as_deref()).collect();
    let Some(ruimte) = library.statement_deck("ruimte-geeft-vaart") else {
        panic!("the built-in deck Ruimte geeft vaart is missing");
    };
    let missing: Vec<String> = ruimte
        .cards
        .iter()
        .filter_map(|card| card.theme.as_deref())
        .filter(|theme| !asked.contains(theme))
        .map(str::to_owned)
        .collect();
    fail_unless_empty("no scale question on these themes of Ruimte geeft vaart", missing);
}

/// The kinds of family situation the practice meets (issue #16): each has a case of its own.
const CASES_THE_PRACTICE_MEETS: [&str; 14] = [
    "scheiding-strijd",
    "jonge-mantelzorger",
    "schoolverzuim",
    "schulden-huisuitzetting",
    "signalen-verwaarlozing",
    "ouder-met-lvb",
    "ouder-psychiatrie",
    "dementie-thuis",
    "statushouders-gezin",
    "huiselijk-geweld",
    "tienermoeder",
    "chronisch-ziek-kind",
    "achttien-worden",
    "ondertoezichtstelling",
];

#[test]
fn a_mirror_question_asks_the_speaker_openly_about_their_own_experience() {
    let library = Library::built_in();
    let Some(deck) = library.question_deck("spiegelvragen") else {
        panic!("the built-in mirror questions are missing")
    };
    let mut offenders: Vec<String> = Vec::new();
    if deck.cards.len() < 24 {
        offenders.push(format!("{} questions, at least 24", deck.cards.len()));
    }
    for card in &deck.cards {
        let first = card.text.nl.split_whitespace().next().unwrap_or_default().to_lowercase();
        if ["is", "was", "heeft", "had", "kon", "bent", "werd", "wordt"].contains(&first.as_str()) {
            offenders.push(format!("{}: a yes-or-no question", card.id));
        }
        if !card
            .text
            .nl
            .split_whitespace()
            .any(|word| matches!(word.trim_matches(|c: char| !c.is_alphabetic()), "u" | "uw"))
        {
            offenders.push(format!("{}: does not address the speaker as u", card.id));
        }
    }
    fail_unless_empty("these mirror questions need work", offenders);
}

#[test]
fn a_case_tells_a_familys_situation_in_three_to_six_sentences_with_a_note_and_themes() {
    let library = Library::built_in();
    let Some(deck) = library.case_deck("casussen") else { panic!("the built-in case deck is missing") };
    let mut offenders: Vec<String> = CASES_THE_PRACTICE_MEETS
        .iter()
        .filter(|id| deck.card(&crate::deck::CardId::new(**id)).is_none())
        .map(|id| format!("no case {id}"))
        .collect();
    for card in &deck.cards {
        let sentences = card.text.nl.matches(['.', '?', '!']).count();
        if !(3..=6).contains(&sentences) {
            offenders.push(format!("{}: {sentences} sentences", card.id));
        }
        if word_count(&card.text.nl) > 90 {
            offenders.push(format!("{}: {} words", card.id, word_count(&card.text.nl)));
        }
        if word_count(&card.title.nl) > 6 || word_count(&card.title.en) > 8 {
            offenders.push(format!("{}: a long title", card.id));
        }
        if card.note.is_none() || card.themes.is_empty() {
            offenders.push(format!("{}: no note for the trainer or no themes", card.id));
        }
    }
    fail_unless_empty("these cases need work", offenders);
}

#[test]
fn a_statement_has_at_most_eighteen_words_in_either_language() {
    let library = Library::built_in();
    let exceptions: BTreeSet<&str> = LONG_STATEMENTS.iter().map(|(id, _)| *id).collect();
    let offenders = statements(&library)
        .filter(|(_, card)| !exceptions.contains(card.id.as_str()))
        .flat_map(|(deck, card)| {
            [("nl", &card.text.nl), ("en", &card.text.en)]
                .into_iter()
                .filter(|(_, text)| word_count(text) > MAX_WORDS)
                .map(move |(lang, text)| format!("{deck}/{} ({lang}, {} words): {text}", card.id, word_count(text)))
        })
        .collect();
    fail_unless_empty("these statements are too long to read aloud (shorten them, or name an exception)", offenders);
    for (id, _) in LONG_STATEMENTS {
        assert!(statements(&library).any(|(_, card)| card.id.as_str() == *id), "exception {id} names no card");
    }
}

#[test]
fn a_card_that_asks_for_a_definition_asks_about_one_of_its_terms_in_its_own_words() {
    let library = Library::built_in();
    let mut offenders = Vec::new();
    for (deck, card) in statements(&library) {
        match (&card.define, &card.prompt) {
            (Some(term), Some(_)) if card.terms.contains(term) => {}
            (None, None) => {}
            _ => offenders.push(format!("{deck}/{}: define {:?}, terms {:?}", card.id, card.define, card.terms)),
        }
    }
    fail_unless_empty("a prompt goes with exactly one `define`, which is one of `terms`", offenders);
    let Some(container) = library.statement_deck("containerbegrippen") else {
        panic!("containerbegrippen is built in")
    };
    assert!(
        container.cards.iter().all(|card| card.define.is_some()),
        "every container-terms card asks for a definition"
    );
}

#[test]
fn a_prompt_asks_what_a_term_means_not_where_it_lies() {
    let library = Library::built_in();
    let offenders = statements(&library)
        .filter_map(|(deck, card)| card.prompt.as_ref().map(|prompt| (deck, card, prompt)))
        .filter(|(_, _, prompt)| {
            let nl = prompt.nl.to_lowercase();
            !(nl.contains("betekent") || nl.contains(" is voor mij") || nl.contains("voor mij als"))
        })
        .map(|(deck, card, prompt)| format!("{deck}/{}: {}", card.id, prompt.nl))
        .collect();
    fail_unless_empty("these prompts do not ask for a definition", offenders);
}

#[test]
fn a_statement_every_role_answers_does_not_speak_in_the_first_person() {
    let library = Library::built_in();
    let offenders = statements(&library)
        .filter(|(_, card)| card.for_groups.is_empty())
        .filter(|(_, card)| {
            words(&card.text.nl).any(|word| FIRST_PERSON_NL.contains(&word.as_str()))
                || words(&card.text.en).any(|word| FIRST_PERSON_EN.contains(&word.as_str()))
        })
        .map(|(deck, card)| format!("{deck}/{}: {}", card.id, card.text.nl))
        .collect();
    fail_unless_empty(
        "a parent or a neighbour cannot answer these from their role: write them in the third person, or mark them `for = [\"professional\"]`",
        offenders,
    );
}

#[test]
fn a_statement_limited_to_some_roles_names_groups_the_role_deck_has() {
    let library = Library::built_in();
    let groups: BTreeSet<&str> =
        library.roles.iter().flat_map(|deck| deck.cards.iter().map(|card| card.group.as_str())).collect();
    let offenders = statements(&library)
        .flat_map(|(deck, card)| {
            card.for_groups
                .iter()
                .filter(|group| !groups.contains(group.as_str()))
                .map(move |group| format!("{deck}/{}: {group}", card.id))
        })
        .collect();
    fail_unless_empty("`for` names a group no role card has", offenders);
}

#[test]
fn no_statement_uses_leading_words() {
    let library = Library::built_in();
    let offenders = statements(&library)
        .flat_map(|(deck, card)| {
            LEADING_WORDS
                .iter()
                .filter(|word| contains_phrase(&card.text.nl, word) || contains_phrase(&card.text.en, word))
                .map(move |word| format!("{deck}/{}: {word}", card.id))
        })
        .collect();
    fail_unless_empty("these statements tell the player which side to take", offenders);
}

#[test]
fn every_role_group_has_a_label_in_both_languages() {
    let library = Library::built_in();
    let offenders = library
        .roles
        .iter()
        .flat_map(|deck| deck.cards.iter().map(|card| card.group.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|group| group_label(group).en.is_empty())
        .map(str::to_owned)
        .collect();
    fail_unless_empty("these role groups have no label in `chart::group_label`", offenders);
}

#[test]
fn every_term_and_theme_has_an_english_name_and_the_glossary_lists_no_other() {
    let library = Library::built_in();
    let glossary = glossary();
    assert!(!glossary.terms.is_empty() && !glossary.themes.is_empty(), "the glossary parses");
    let terms: BTreeSet<&str> =
        statements(&library).flat_map(|(_, card)| card.terms.iter().chain(&card.define).map(String::as_str)).collect();
    let themes: BTreeSet<&str> = statements(&library)
        .filter_map(|(_, card)| card.theme.as_deref())
        .chain(questions(&library).filter_map(|(_, card)| card.theme.as_deref()))
        .chain(
            library.cases.iter().flat_map(|deck| &deck.cards).flat_map(|card| card.themes.iter().map(String::as_str)),
        )
        .collect();
    let mut offenders: Vec<String> = terms
        .iter()
        .filter(|term| glossary.terms.get(**term).is_none_or(|english| english.trim().is_empty()))
        .map(|term| format!("term '{term}' has no English name"))
        .collect();
    offenders.extend(
        themes
            .iter()
            .filter(|theme| glossary.themes.get(**theme).is_none_or(|name| name.nl.is_empty() || name.en.is_empty()))
            .map(|theme| format!("theme '{theme}' has no name in both languages")),
    );
    offenders.extend(
        glossary
            .terms
            .keys()
            .filter(|term| !terms.contains(term.as_str()))
            .map(|term| format!("term '{term}' is unused")),
    );
    offenders.extend(
        glossary
            .themes
            .keys()
            .filter(|theme| !themes.contains(theme.as_str()))
            .map(|theme| format!("theme '{theme}' is unused")),
    );
    fail_unless_empty("cards/decks/glossary.toml and the decks disagree", offenders);
}

#[test]
fn english_text_uses_the_english_name_of_every_term() {
    let library = Library::built_in();
    let glossary = glossary();
    let dutch: Vec<(&String, &String)> =
        glossary.terms.iter().filter(|(nl, en)| nl.to_lowercase() != en.to_lowercase()).collect();
    let mut texts: Vec<(String, &str)> =
        every_text(&library).into_iter().map(|(place, text)| (place, text.en.as_str())).collect();
    texts.extend(glossary.themes.iter().map(|(theme, name)| (format!("glossary theme {theme}"), name.en.as_str())));
    texts.extend(glossary.terms.iter().map(|(term, english)| (format!("glossary term {term}"), english.as_str())));
    let offenders = texts
        .iter()
        .flat_map(|(place, english)| {
            dutch
                .iter()
                .filter(|(nl, _)| contains_phrase(english, nl))
                .map(move |(nl, en)| format!("{place}: '{nl}' is '{en}' in English: {english}"))
        })
        .collect();
    fail_unless_empty("these English texts still use a Dutch term", offenders);
}

#[test]
fn a_dutch_word_is_translated_the_same_way_everywhere() {
    let library = Library::built_in();
    let offenders = every_text(&library)
        .into_iter()
        .flat_map(|(place, text)| {
            ONE_TRANSLATION
                .iter()
                .filter(|(nl, en)| text.nl.to_lowercase().contains(nl) && !text.en.to_lowercase().contains(en))
                .map(move |(nl, en)| format!("{place}: '{nl}' is '{en}': {}", text.en))
        })
        .collect();
    fail_unless_empty("these English texts translate a word differently", offenders);
}

#[test]
fn every_deck_stays_playable_and_every_statement_has_a_theme() {
    let library = Library::built_in();
    for deck in &library.statements {
        assert!(deck.cards.len() >= 20, "{} has {} statements", deck.id, deck.cards.len());
    }
    let offenders = statements(&library)
        .filter(|(_, card)| card.theme.is_none())
        .map(|(deck, card)| format!("{deck}/{}", card.id))
        .collect();
    fail_unless_empty("these statements have no theme for the lobby and the review", offenders);
}

#[test]
fn the_checks_find_what_they_look_for() {
    assert_eq!(word_count("Eén gezin, één plan: alle hulpverleners schrijven — in hetzelfde document."), 10);
    assert!(words("Ik verwijs, in mijn werk.").any(|word| word == "ik"));
    assert!(!words("Kinderen mijden het.").any(|word| FIRST_PERSON_NL.contains(&word.as_str())));
    assert!(contains_phrase("Self-direction, or eigen regie.", "eigen regie"));
    assert!(!contains_phrase("Veilig Thuis", "veiligheid"));
    assert!(!contains_phrase("toegangen", "toegang"));
}
