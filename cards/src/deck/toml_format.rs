//! The TOML deck format: parsing with every problem located by line and field, and writing a
//! deck back out.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{
    AnyDeck, CardId, CaseCard, Deck, DeckError, DeckErrors, MAX_ANCHOR_CHARS, MAX_CARDS, MAX_CASE_CHARS,
    MAX_CASE_THEMES, MAX_NOTE_CHARS, MAX_PERSPECTIVE_CHARS, MAX_PROMPT_CHARS, MAX_ROLE_NAME_CHARS, MAX_SOURCE_CHARS,
    MAX_STATEMENT_CHARS, MAX_TITLE_CHARS, Problem, QuestionCard, RoleCard, StatementCard, defined_term, group_is_valid,
    id_problem, line_at, term_is_valid, text_problem,
};
use crate::text::Text;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeck {
    id: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    source: Option<Spanned<RawText>>,
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
    prompt: Option<Spanned<RawText>>,
    define: Option<Spanned<String>>,
    #[serde(rename = "for")]
    for_groups: Option<Spanned<Vec<Spanned<String>>>>,
    name: Option<Spanned<RawText>>,
    group: Option<Spanned<String>>,
    perspective: Option<Spanned<RawText>>,
    low: Option<Spanned<RawText>>,
    high: Option<Spanned<RawText>>,
    title: Option<Spanned<RawText>>,
    themes: Option<Spanned<Vec<Spanned<String>>>>,
    note: Option<Spanned<RawText>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawText {
    nl: Option<Spanned<String>>,
    en: Option<Spanned<String>>,
}

/// Parses and validates one TOML deck file. `file` only names the file in error messages.
pub fn parse_deck(file: &str, source: &str) -> Result<AnyDeck, DeckErrors> {
    let mut check = Checker::new(file, source);
    let raw: RawDeck = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(error) => {
            check.syntax(&error);
            return check.finish(None);
        }
    };
    let deck = check.deck(raw);
    check.finish(deck)
}

/// What a deck file's `kind` says its cards are.
enum Kind {
    Statements,
    Roles,
    Questions,
    Cases,
}

/// Collects every problem of one file, each located by line and field.
pub(crate) struct Checker<'a> {
    file: &'a str,
    source: &'a str,
    errors: Vec<DeckError>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(file: &'a str, source: &'a str) -> Checker<'a> {
        Checker { file, source, errors: Vec::new() }
    }

    /// The problems found, or `ok` when there were none.
    pub(crate) fn finish<T>(self, ok: Option<T>) -> Result<T, DeckErrors> {
        match ok {
            Some(ok) if self.errors.is_empty() => Ok(ok),
            _ => Err(DeckErrors(self.errors)),
        }
    }

    /// A TOML syntax error, as the parser reported it.
    pub(crate) fn syntax(&mut self, error: &toml::de::Error) {
        let line = error.span().map_or(1, |span| line_at(self.source, span.start));
        let problem = Problem::Syntax(error.message().trim().to_owned());
        self.errors.push(DeckError { file: self.file.to_owned(), line, field: String::new(), problem });
    }

    /// Reports each field that is `present` although a deck of `kind` has no such field.
    fn not_for_kind(&mut self, span: &Range<usize>, kind: &'static str, fields: &[(&str, bool)]) {
        for (field, present) in fields {
            if *present {
                self.report(span.clone(), field, Problem::NotForKind(kind));
            }
        }
    }

    pub(crate) fn report(&mut self, span: Range<usize>, field: &str, problem: Problem) {
        let line = line_at(self.source, span.start);
        self.errors.push(DeckError { file: self.file.to_owned(), line, field: field.to_owned(), problem });
    }

    fn deck(&mut self, raw: RawDeck) -> Option<AnyDeck> {
        let whole = 0..0;
        let id = self.id(raw.id, whole.clone(), "id");
        let title = self.text(raw.title, whole.clone(), "title", MAX_TITLE_CHARS, true);
        let source = match raw.source {
            None => Some(None),
            Some(source) => self.text(Some(source), whole.clone(), "source", MAX_SOURCE_CHARS, true).map(Some),
        };
        let kind = match raw.kind {
            None => {
                self.report(whole.clone(), "kind", Problem::Missing);
                None
            }
            Some(kind) => match kind.get_ref().as_str() {
                "statements" => Some(Kind::Statements),
                "roles" => Some(Kind::Roles),
                "questions" => Some(Kind::Questions),
                "cases" => Some(Kind::Cases),
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
        if let Some(beyond) = raw.card.get(MAX_CARDS) {
            self.report(beyond.span(), "card", Problem::TooManyCards { max: MAX_CARDS });
            return None;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for card in &raw.card {
            if let Some(card_id) = &card.get_ref().id {
                let line = line_at(self.source, card_id.span().start);
                let first = *seen.entry(card_id.get_ref().clone()).or_insert(line);
                if first != line {
                    self.report(card_id.span(), "card.id", Problem::DuplicateId { first_line: first });
                }
            }
        }
        let (id, title, source) = (id?.as_str().to_owned(), title?, source?);
        match kind? {
            Kind::Statements => {
                let cards: Vec<_> = raw.card.into_iter().filter_map(|card| self.statement(card)).collect();
                Some(AnyDeck::Statements(Deck { id, title, source, cards }))
            }
            Kind::Roles => {
                let cards: Vec<_> = raw.card.into_iter().filter_map(|card| self.role(card)).collect();
                Some(AnyDeck::Roles(Deck { id, title, source, cards }))
            }
            Kind::Questions => {
                let cards: Vec<_> = raw.card.into_iter().filter_map(|card| self.question(card)).collect();
                Some(AnyDeck::Questions(Deck { id, title, source, cards }))
            }
            Kind::Cases => {
                let cards: Vec<_> = raw.card.into_iter().filter_map(|card| self.case(card)).collect();
                Some(AnyDeck::Cases(Deck { id, title, source, cards }))
            }
        }
    }

    fn case(&mut self, card: Spanned<RawCard>) -> Option<CaseCard> {
        let span = card.span();
        let card = card.into_inner();
        let misplaced = [
            ("card.terms", card.terms.is_some()),
            ("card.theme", card.theme.is_some()),
            ("card.prompt", card.prompt.is_some()),
            ("card.define", card.define.is_some()),
            ("card.for", card.for_groups.is_some()),
            ("card.name", card.name.is_some()),
            ("card.group", card.group.is_some()),
            ("card.perspective", card.perspective.is_some()),
            ("card.low", card.low.is_some()),
            ("card.high", card.high.is_some()),
        ];
        self.not_for_kind(&span, "cases", &misplaced);
        let id = self.id(card.id, span.clone(), "card.id");
        let title = self.text(card.title, span.clone(), "card.title", MAX_TITLE_CHARS, true);
        let text = self.text(card.text, span.clone(), "card.text", MAX_CASE_CHARS, true);
        let note = match card.note {
            None => Some(None),
            Some(note) => self.text(Some(note), span.clone(), "card.note", MAX_NOTE_CHARS, true).map(Some),
        };
        let mut themes = Vec::new();
        if let Some(listed) = card.themes {
            if listed.get_ref().len() > MAX_CASE_THEMES {
                self.report(listed.span(), "card.themes", Problem::TooManyThemes { max: MAX_CASE_THEMES });
            }
            for theme in listed.into_inner() {
                if term_is_valid(theme.get_ref()) {
                    themes.push(theme.into_inner());
                } else {
                    let problem = Problem::BadTerm(theme.get_ref().clone());
                    self.report(theme.span(), "card.themes", problem);
                }
            }
        }
        Some(CaseCard { id: id?, title: title?, text: text?, themes, note: note? })
    }

    fn question(&mut self, card: Spanned<RawCard>) -> Option<QuestionCard> {
        let span = card.span();
        let card = card.into_inner();
        let misplaced = [
            ("card.terms", card.terms.is_some()),
            ("card.prompt", card.prompt.is_some()),
            ("card.define", card.define.is_some()),
            ("card.for", card.for_groups.is_some()),
            ("card.name", card.name.is_some()),
            ("card.group", card.group.is_some()),
            ("card.perspective", card.perspective.is_some()),
            ("card.title", card.title.is_some()),
            ("card.themes", card.themes.is_some()),
            ("card.note", card.note.is_some()),
        ];
        self.not_for_kind(&span, "questions", &misplaced);
        let id = self.id(card.id, span.clone(), "card.id");
        let text = self.text(card.text, span.clone(), "card.text", MAX_STATEMENT_CHARS, true);
        let mut anchor = |anchor: Option<Spanned<RawText>>, field: &str| match anchor {
            None => Some(None),
            Some(anchor) => self.text(Some(anchor), span.clone(), field, MAX_ANCHOR_CHARS, true).map(Some),
        };
        let low = anchor(card.low, "card.low");
        let high = anchor(card.high, "card.high");
        let theme = card.theme.map(Spanned::into_inner).filter(|theme| !theme.trim().is_empty());
        Some(QuestionCard { id: id?, text: text?, theme, low: low?, high: high? })
    }

    fn statement(&mut self, card: Spanned<RawCard>) -> Option<StatementCard> {
        let span = card.span();
        let card = card.into_inner();
        let misplaced = [
            ("card.name", card.name.is_some()),
            ("card.group", card.group.is_some()),
            ("card.perspective", card.perspective.is_some()),
            ("card.low", card.low.is_some()),
            ("card.high", card.high.is_some()),
            ("card.title", card.title.is_some()),
            ("card.themes", card.themes.is_some()),
            ("card.note", card.note.is_some()),
        ];
        self.not_for_kind(&span, "statements", &misplaced);
        let id = self.id(card.id, span.clone(), "card.id");
        let text = self.text(card.text, span.clone(), "card.text", MAX_STATEMENT_CHARS, true);
        let has_prompt = card.prompt.is_some();
        let prompt = match card.prompt {
            None => Some(None),
            Some(prompt) => self.text(Some(prompt), span.clone(), "card.prompt", MAX_PROMPT_CHARS, true).map(Some),
        };
        let mut terms = Vec::new();
        for term in card.terms.map(Spanned::into_inner).unwrap_or_default() {
            if term_is_valid(term.get_ref()) {
                terms.push(term.into_inner());
            } else {
                let problem = Problem::BadTerm(term.get_ref().clone());
                self.report(term.span(), "card.terms", problem);
            }
        }
        let define = match &card.define {
            Some(term) if !term_is_valid(term.get_ref()) => {
                self.report(term.span(), "card.define", Problem::BadTerm(term.get_ref().clone()));
                None
            }
            define => match defined_term(define.as_ref().map(|term| term.get_ref().as_str()), &terms, has_prompt) {
                Ok(define) => Some(define),
                Err(problem) => {
                    let (at, field) = match (&problem, define) {
                        (Problem::PromptMissing, Some(term)) => (term.span(), "card.prompt.nl"),
                        (_, Some(term)) => (term.span(), "card.define"),
                        (_, None) => (span.clone(), "card.define"),
                    };
                    self.report(at, field, problem);
                    None
                }
            },
        };
        let mut for_groups = Vec::new();
        for group in card.for_groups.map(Spanned::into_inner).unwrap_or_default() {
            if group_is_valid(group.get_ref()) {
                for_groups.push(group.into_inner());
            } else {
                let problem = Problem::BadGroup(group.get_ref().clone());
                self.report(group.span(), "card.for", problem);
            }
        }
        let theme = card.theme.map(Spanned::into_inner).filter(|theme| !theme.trim().is_empty());
        Some(StatementCard { id: id?, text: text?, terms, theme, prompt: prompt?, define: define?, for_groups })
    }

    fn role(&mut self, card: Spanned<RawCard>) -> Option<RoleCard> {
        let span = card.span();
        let card = card.into_inner();
        let misplaced = [
            ("card.text", card.text.is_some()),
            ("card.terms", card.terms.is_some()),
            ("card.theme", card.theme.is_some()),
            ("card.prompt", card.prompt.is_some()),
            ("card.define", card.define.is_some()),
            ("card.for", card.for_groups.is_some()),
            ("card.low", card.low.is_some()),
            ("card.high", card.high.is_some()),
            ("card.title", card.title.is_some()),
            ("card.themes", card.themes.is_some()),
            ("card.note", card.note.is_some()),
        ];
        self.not_for_kind(&span, "roles", &misplaced);
        let id = self.id(card.id, span.clone(), "card.id");
        let name = self.text(card.name, span.clone(), "card.name", MAX_ROLE_NAME_CHARS, true);
        let perspective = self.text(card.perspective, span.clone(), "card.perspective", MAX_PERSPECTIVE_CHARS, true);
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

    pub(crate) fn id(&mut self, id: Option<Spanned<String>>, parent: Range<usize>, field: &str) -> Option<CardId> {
        let Some(id) = id else {
            self.report(parent, field, Problem::Missing);
            return None;
        };
        if let Some(problem) = id_problem(id.get_ref()) {
            self.report(id.span(), field, problem);
            return None;
        }
        Some(CardId::new(id.into_inner()))
    }

    pub(crate) fn text(
        &mut self,
        text: Option<Spanned<RawText>>,
        parent: Range<usize>,
        field: &str,
        max: usize,
        required: bool,
    ) -> Option<Text> {
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
            Some(nl) => self.checked(nl, &format!("{field}.nl"), max, required),
        };
        let en = match text.en {
            None => Some(String::new()),
            Some(en) => self.checked(en, &format!("{field}.en"), max, false),
        };
        Some(Text { nl: nl?, en: en? })
    }

    pub(crate) fn checked(&mut self, text: Spanned<String>, field: &str, max: usize, required: bool) -> Option<String> {
        match text_problem(text.get_ref(), max, required) {
            Some(problem) => {
                self.report(text.span(), field, problem);
                None
            }
            None => Some(text.get_ref().trim().to_owned()),
        }
    }
}

/// Writes a deck as TOML that `parse_deck` reads back to the same deck.
pub fn to_toml(deck: &AnyDeck) -> String {
    let mut out = String::new();
    let kind = deck.kind();
    let (id, title, source) = match deck {
        AnyDeck::Statements(deck) => (&deck.id, &deck.title, &deck.source),
        AnyDeck::Roles(deck) => (&deck.id, &deck.title, &deck.source),
        AnyDeck::Questions(deck) => (&deck.id, &deck.title, &deck.source),
        AnyDeck::Cases(deck) => (&deck.id, &deck.title, &deck.source),
    };
    out.push_str(&format!("id = {}\nkind = \"{kind}\"\n", quoted(id)));
    push_text(&mut out, "title", title);
    if let Some(source) = source {
        push_text(&mut out, "source", source);
    }
    match deck {
        AnyDeck::Statements(deck) => {
            for card in &deck.cards {
                out.push_str(&format!("\n[[card]]\nid = {}\n", quoted(card.id.as_str())));
                push_text(&mut out, "text", &card.text);
                if !card.terms.is_empty() {
                    let terms: Vec<String> = card.terms.iter().map(|term| quoted(term)).collect();
                    out.push_str(&format!("terms = [{}]\n", terms.join(", ")));
                }
                if let Some(define) = &card.define {
                    out.push_str(&format!("define = {}\n", quoted(define)));
                }
                if !card.for_groups.is_empty() {
                    let groups: Vec<String> = card.for_groups.iter().map(|group| quoted(group)).collect();
                    out.push_str(&format!("for = [{}]\n", groups.join(", ")));
                }
                if let Some(theme) = &card.theme {
                    out.push_str(&format!("theme = {}\n", quoted(theme)));
                }
                if let Some(prompt) = &card.prompt {
                    push_text(&mut out, "prompt", prompt);
                }
            }
        }
        AnyDeck::Roles(deck) => {
            for card in &deck.cards {
                out.push_str(&format!(
                    "\n[[card]]\nid = {}\ngroup = {}\n",
                    quoted(card.id.as_str()),
                    quoted(&card.group)
                ));
                push_text(&mut out, "name", &card.name);
                push_text(&mut out, "perspective", &card.perspective);
            }
        }
        AnyDeck::Questions(deck) => {
            for card in &deck.cards {
                out.push_str(&format!("\n[[card]]\nid = {}\n", quoted(card.id.as_str())));
                push_text(&mut out, "text", &card.text);
                if let Some(theme) = &card.theme {
                    out.push_str(&format!("theme = {}\n", quoted(theme)));
                }
                for (field, anchor) in [("low", &card.low), ("high", &card.high)] {
                    if let Some(anchor) = anchor {
                        push_text(&mut out, field, anchor);
                    }
                }
            }
        }
        AnyDeck::Cases(deck) => {
            for card in &deck.cards {
                out.push_str(&format!("\n[[card]]\nid = {}\n", quoted(card.id.as_str())));
                push_text(&mut out, "title", &card.title);
                push_text(&mut out, "text", &card.text);
                if !card.themes.is_empty() {
                    let themes: Vec<String> = card.themes.iter().map(|theme| quoted(theme)).collect();
                    out.push_str(&format!("themes = [{}]\n", themes.join(", ")));
                }
                if let Some(note) = &card.note {
                    push_text(&mut out, "note", note);
                }
            }
        }
    }
    out
}

pub(crate) fn push_text(out: &mut String, field: &str, text: &Text) {
    out.push_str(&format!("{field}.nl = {}\n", quoted(&text.nl)));
    if !text.en.is_empty() {
        out.push_str(&format!("{field}.en = {}\n", quoted(&text.en)));
    }
}

/// A TOML basic string.
pub(crate) fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
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
    fn a_question_deck_reads_with_what_the_ends_of_its_scale_mean_and_writes_back() {
        let source = r#"id = "vragen"
kind = "questions"
title.nl = "Vragen"

[[card]]
id = "toegang"
text.nl = "Hoe makkelijk vinden inwoners de weg naar hulp?"
text.en = "How easily do residents find their way to help?"
theme = "toegang"
low.nl = "Niemand weet waar je moet zijn"
high.nl = "Iedereen komt meteen goed terecht"
"#;
        let deck = parse_deck("vragen.toml", source).expect("a valid question deck");
        let AnyDeck::Questions(questions) = &deck else { panic!("a question deck") };
        let card = &questions.cards[0];
        assert_eq!(card.theme.as_deref(), Some("toegang"));
        assert_eq!(card.low.as_ref().map(|low| low.nl.as_str()), Some("Niemand weet waar je moet zijn"));
        assert_eq!(parse_deck("again.toml", &to_toml(&deck)).expect("reads back"), deck);
    }

    #[test]
    fn a_question_card_keeps_to_its_own_fields() {
        let source = r#"id = "vragen"
kind = "questions"
title.nl = "Vragen"

[[card]]
id = "a"
text.nl = "Hoe gaat het?"
terms = ["regie"]
low.nl = "Dit uiteinde van de schaal heeft een omschrijving die veel te lang is om onder een cijfer te passen"
"#;
        expect_test::expect![[r#"
            test.toml:5: card.terms: dit veld hoort niet in een deck van soort "questions"
            test.toml:9: card.low.nl: te lang: 99 tekens, hoogstens 80"#]]
        .assert_eq(&errors(source));
        let statement = "id = \"s\"\nkind = \"statements\"\ntitle.nl = \"S\"\n[[card]]\nid = \"a\"\ntext.nl = \"x\"\nhigh.nl = \"Top\"\n";
        expect_test::expect![[r#"test.toml:4: card.high: dit veld hoort niet in een deck van soort "statements""#]]
            .assert_eq(&errors(statement));
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
        expect_test::expect![[
            r#"test.toml:2: kind: onbekende soort 'stellingen': kies "statements", "roles", "questions" of "cases""#
        ]]
        .assert_eq(&errors(source));
    }

    #[test]
    fn role_fields_do_not_belong_in_a_statement_deck() {
        let source = "id = \"demo\"\nkind = \"statements\"\ntitle.nl = \"Demo\"\n[[card]]\nid = \"a\"\ntext.nl = \"x\"\ngroup = \"gezin\"\n";
        expect_test::expect![[r#"test.toml:4: card.group: dit veld hoort niet in een deck van soort "statements""#]]
            .assert_eq(&errors(source));
    }

    #[test]
    fn a_card_names_the_term_it_asks_about_and_who_can_answer_it() {
        let source = r#"
id = "demo"
kind = "statements"
title.nl = "Demo"
source.nl = "Uit de praktijk van het wijkteam."
source.en = "From the neighbourhood team's practice."

[[card]]
id = "eigen-regie"
text.nl = "Eigen regie is iets anders dan regie."
terms = ["regie", "eigen regie"]
define = "eigen regie"
prompt.nl = "Eigen regie betekent voor mij …"
for = ["professional"]

[[card]]
id = "een-begrip"
text.nl = "Regie ligt bij het gezin."
terms = ["regie"]
prompt.nl = "Regie betekent voor mij …"

[[card]]
id = "alleen-groeperen"
text.nl = "Een plan is van het gezin."
terms = ["plan"]
"#;
        let AnyDeck::Statements(deck) = parse_deck("demo.toml", source).expect("valid deck") else {
            panic!("expected a statement deck");
        };
        assert_eq!(
            deck.source,
            Some(Text::new("Uit de praktijk van het wijkteam.", "From the neighbourhood team's practice."))
        );
        let [asks, only_term, groups] = &deck.cards[..] else { panic!("three cards") };
        assert_eq!(
            (asks.define.as_deref(), asks.for_groups.as_slice()),
            (Some("eigen regie"), &["professional".to_owned()][..])
        );
        assert!(asks.is_for("professional") && !asks.is_for("gezin"));
        assert_eq!(only_term.define.as_deref(), Some("regie"), "a prompt on a card with one term asks about that term");
        assert!(only_term.is_for("gezin"), "no `for`: every role answers it");
        assert_eq!((groups.define.as_deref(), groups.prompt.as_ref()), (None, None), "terms alone only group");
        let again = parse_deck("demo.toml", &to_toml(&AnyDeck::Statements(deck.clone()))).expect("reads back");
        assert_eq!(again, AnyDeck::Statements(deck));
    }

    #[test]
    fn a_definition_is_asked_about_one_of_the_cards_terms_in_its_own_words() {
        let source = r#"id = "demo"
kind = "statements"
title.nl = "Demo"

[[card]]
id = "niet-bij-terms"
text.nl = "Een"
terms = ["regie"]
define = "eigen regie"
prompt.nl = "Eigen regie betekent voor mij …"

[[card]]
id = "zonder-prompt"
text.nl = "Twee"
terms = ["regie"]
define = "regie"

[[card]]
id = "welk-begrip"
text.nl = "Drie"
terms = ["regie", "plan"]
prompt.nl = "Dit betekent voor mij …"

[[card]]
id = "voor-wie"
text.nl = "Vier"
for = ["Professionals!"]
"#;
        expect_test::expect![[r#"
            test.toml:9: card.define: begrip 'eigen regie' staat niet bij de begrippen (terms) van deze kaart
            test.toml:16: card.prompt.nl: een kaart met define vraagt om een definitie en heeft daarvoor een eigen vraag nodig (prompt)
            test.toml:18: card.define: deze kaart vraagt om een definitie: zeg met define welk van haar begrippen
            test.toml:27: card.for: rolgroep 'Professionals!' mag alleen kleine letters, cijfers en '-' bevatten"#]]
        .assert_eq(&errors(source));
    }

    #[test]
    fn a_role_card_asks_for_no_definition_and_is_for_everyone() {
        let source = "id = \"demo\"\nkind = \"roles\"\ntitle.nl = \"Demo\"\n[[card]]\nid = \"a\"\ngroup = \"gezin\"\nname.nl = \"Ouder\"\nperspective.nl = \"Wil gehoord worden.\"\ndefine = \"regie\"\nfor = [\"gezin\"]\n";
        expect_test::expect![[r#"
            test.toml:4: card.define: dit veld hoort niet in een deck van soort "roles"
            test.toml:4: card.for: dit veld hoort niet in een deck van soort "roles""#]]
        .assert_eq(&errors(source));
    }
}
