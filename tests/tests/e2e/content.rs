//! The built-in card text is spelled right: hunspell with Debian's Dutch (`hunspell-nl`) and
//! British English (`hunspell-en-gb`) dictionaries finds no word outside the accepted list
//! kept with the decks (`cards/decks/accepted-words.txt`). The rest of the content checks need
//! no process and live with the decks, in `cards/src/library/content_tests.rs`.
//!
//! Without hunspell the test says so and passes, on a developer's machine only: in CI (`CI`
//! set) and under `cargo xtask test` (which installs hunspell and sets
//! `STANDPUNT_REQUIRE_HUNSPELL`) a missing hunspell fails it.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use cards::{Library, Text};

/// Every text a person reads from the built-in decks and their glossary, with where it is.
fn card_texts() -> Vec<(String, Text)> {
    let library = Library::built_in();
    let mut texts = Vec::new();
    for deck in &library.statements {
        texts.push((format!("{}: title", deck.id), deck.title.clone()));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source.clone())));
        for card in &deck.cards {
            texts.push((format!("{}/{}", deck.id, card.id), card.text.clone()));
            texts.extend(card.prompt.iter().map(|prompt| (format!("{}/{}: prompt", deck.id, card.id), prompt.clone())));
        }
    }
    for deck in &library.roles {
        texts.push((format!("{}: title", deck.id), deck.title.clone()));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source.clone())));
        for card in &deck.cards {
            texts.push((format!("{}/{}: name", deck.id, card.id), card.name.clone()));
            texts.push((format!("{}/{}: perspective", deck.id, card.id), card.perspective.clone()));
        }
    }
    for deck in &library.questions {
        texts.push((format!("{}: title", deck.id), deck.title.clone()));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source.clone())));
        for card in &deck.cards {
            texts.push((format!("{}/{}", deck.id, card.id), card.text.clone()));
            for (end, anchor) in [("low", &card.low), ("high", &card.high)] {
                texts.extend(anchor.iter().map(|anchor| (format!("{}/{}: {end}", deck.id, card.id), anchor.clone())));
            }
        }
    }
    for deck in &library.cases {
        texts.push((format!("{}: title", deck.id), deck.title.clone()));
        texts.extend(deck.source.iter().map(|source| (format!("{}: source", deck.id), source.clone())));
        for card in &deck.cards {
            texts.push((format!("{}/{}: title", deck.id, card.id), card.title.clone()));
            texts.push((format!("{}/{}", deck.id, card.id), card.text.clone()));
            texts.extend(card.note.iter().map(|note| (format!("{}/{}: note", deck.id, card.id), note.clone())));
        }
    }
    for draaiboek in &library.agendas {
        texts.push((format!("draaiboek {}: title", draaiboek.id), draaiboek.title.clone()));
        for (i, step) in draaiboek.steps.iter().enumerate() {
            let place = format!("draaiboek {}: step {}", draaiboek.id, i + 1);
            texts.extend(step.title.iter().map(|title| (place.clone(), title.clone())));
        }
    }
    let glossary = cards::library::glossary();
    for (term, english) in &glossary.terms {
        texts.push((format!("glossary term {term}"), Text::new(term.clone(), english.clone())));
    }
    for (theme, name) in &glossary.themes {
        texts.push((format!("glossary theme {theme}"), name.clone()));
    }
    texts
}

/// The accepted words, lowercased: one a line, `#` starts a comment.
fn accepted_words() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cards/decks/accepted-words.txt");
    let list = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    list.lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim().to_lowercase())
        .filter(|word| !word.is_empty())
        .collect()
}

/// The words hunspell does not know in `texts`, or `None` when hunspell or the dictionary is
/// not installed.
fn unknown_words(dictionary: &str, texts: &[&str]) -> Option<BTreeSet<String>> {
    let mut child = Command::new("hunspell")
        .args(["-d", dictionary, "-l", "-i", "utf-8"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = texts.join("\n");
    // Written from another thread: hunspell answers while it reads, and a pipe holds only so much.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    // hunspell -l exits 0 even for a missing dictionary; it says so on stderr.
    if !output.status.success() || String::from_utf8_lossy(&output.stderr).contains("Can't open") {
        return None;
    }
    let words = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|word| word.trim().trim_end_matches(['.', ',', ':', ';', '?', '!']).to_owned())
        .filter(|word| !word.is_empty())
        .collect();
    Some(words)
}

#[test]
fn the_card_text_is_spelled_right_in_dutch_and_in_english() {
    let texts = card_texts();
    let accepted = accepted_words();
    let mut offenders = Vec::new();
    let mut missing = Vec::new();
    for (dictionary, pick) in
        [("nl_NL", (|text: &Text| text.nl.clone()) as fn(&Text) -> String), ("en_GB", |text| text.en.clone())]
    {
        let strings: Vec<String> = texts.iter().map(|(_, text)| pick(text)).collect();
        let strings: Vec<&str> = strings.iter().map(String::as_str).filter(|text| !text.is_empty()).collect();
        let Some(unknown) = unknown_words(dictionary, &strings) else {
            missing.push(dictionary);
            continue;
        };
        for word in unknown.iter().filter(|word| !accepted.contains(&word.to_lowercase())) {
            let places: Vec<&str> = texts
                .iter()
                .filter(|(_, text)| pick(text).contains(word.as_str()))
                .map(|(place, _)| place.as_str())
                .take(3)
                .collect();
            offenders.push(format!("{dictionary}: '{word}' in {}", places.join(", ")));
        }
    }
    if !missing.is_empty() {
        let required = std::env::var_os("CI").is_some() || std::env::var_os("STANDPUNT_REQUIRE_HUNSPELL").is_some();
        let message = format!(
            "hunspell or its dictionaries ({}) are not installed: apt-get install hunspell hunspell-nl hunspell-en-gb",
            missing.join(", ")
        );
        assert!(!required, "{message}");
        eprintln!("SKIPPED the spelling check: {message} (it runs in CI and under `cargo xtask test`)");
        return;
    }
    assert!(
        offenders.is_empty(),
        "hunspell does not know these words in the card text: fix the spelling, or, if a word is right, \
         add it to cards/decks/accepted-words.txt:\n  {}",
        offenders.join("\n  ")
    );
}

#[test]
fn every_accepted_word_is_still_used() {
    let texts = card_texts();
    let everything: String = texts
        .iter()
        .flat_map(|(_, text)| [text.nl.as_str(), text.en.as_str()])
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let unused: Vec<String> = accepted_words().into_iter().filter(|word| !everything.contains(word.as_str())).collect();
    assert!(unused.is_empty(), "cards/decks/accepted-words.txt lists words no card uses any more: {unused:?}");
}
