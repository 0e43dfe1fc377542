//! Statement decks from a spreadsheet: CSV with a header row naming the columns `text`
//! (required), `terms`, `theme`, and optionally `id`, `text_en`, `define`, `for`, `prompt`,
//! `prompt_en` (Dutch names work too: `tekst`, `begrippen`, `thema`, `tekst_en`, `definieer`,
//! `voor`, `vraag`, `vraag_en`). Fields are separated by `;` (Excel with Dutch settings) or `,`;
//! several terms or role groups in one field are separated by commas.

use std::collections::HashMap;

use super::{
    CardId, Deck, DeckError, DeckErrors, MAX_CARDS, MAX_CSV_COLUMNS, MAX_PROMPT_CHARS, MAX_STATEMENT_CHARS, Problem,
    StatementCard, StatementDeck, defined_term, group_is_valid, id_problem, term_is_valid, text_problem,
};
use crate::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Text,
    TextEn,
    Terms,
    Theme,
    Prompt,
    PromptEn,
    Define,
    For,
}

impl Column {
    fn named(header: &str) -> Option<Column> {
        Some(match header.trim().to_lowercase().as_str() {
            "id" => Column::Id,
            "text" | "tekst" | "stelling" => Column::Text,
            "text_en" | "tekst_en" => Column::TextEn,
            "terms" | "begrippen" => Column::Terms,
            "theme" | "thema" => Column::Theme,
            "prompt" | "vraag" => Column::Prompt,
            "prompt_en" | "vraag_en" => Column::PromptEn,
            "define" | "definieer" => Column::Define,
            "for" | "voor" => Column::For,
            _ => return None,
        })
    }
}

/// Parses a CSV statement deck. The deck's id and title come from the file name.
pub fn parse_csv(file: &str, source: &str) -> Result<StatementDeck, DeckErrors> {
    let source = source.trim_start_matches('\u{feff}');
    let mut errors = Vec::new();
    let mut report = |line: usize, field: &str, problem: Problem| {
        errors.push(DeckError { file: file.to_owned(), line, field: field.to_owned(), problem });
    };
    let rows = match records(source) {
        Ok(rows) => rows,
        Err(line) => {
            report(line, "", Problem::UnclosedQuote);
            return Err(DeckErrors(errors));
        }
    };
    let Some((header_line, header)) = rows.first() else {
        report(1, "", Problem::NoCards);
        return Err(DeckErrors(errors));
    };
    // A file of a quarter megabyte could name a quarter million columns or rows: one problem
    // says so, instead of one for each.
    if header.len() > MAX_CSV_COLUMNS {
        report(*header_line, "", Problem::TooManyColumns { max: MAX_CSV_COLUMNS });
        return Err(DeckErrors(errors));
    }
    if let Some((line, _)) = rows.get(MAX_CARDS + 1) {
        report(*line, "", Problem::TooManyCards { max: MAX_CARDS });
        return Err(DeckErrors(errors));
    }
    let mut columns = Vec::new();
    for name in header {
        match Column::named(name) {
            Some(column) => columns.push(column),
            None => {
                report(*header_line, name.trim(), Problem::UnknownColumn(name.trim().to_owned()));
                columns.push(Column::Theme);
            }
        }
    }
    // Problems name a column as the file does (`tekst` or `text`), Dutch when it is missing.
    let written = |wanted: Column, dutch: &'static str| -> String {
        columns.iter().position(|column| *column == wanted).map_or(dutch.to_owned(), |i| header[i].trim().to_owned())
    };
    let (text_name, terms_name) = (written(Column::Text, "tekst"), written(Column::Terms, "begrippen"));
    let (define_name, for_name) = (written(Column::Define, "definieer"), written(Column::For, "voor"));
    let prompt_name = written(Column::Prompt, "vraag");
    if !columns.contains(&Column::Text) {
        report(*header_line, &text_name, Problem::Missing);
    }
    let mut cards = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (number, (line, fields)) in rows.iter().skip(1).enumerate() {
        let line = *line;
        let get = |wanted: Column| {
            columns.iter().position(|column| *column == wanted).and_then(|i| fields.get(i)).map(|field| field.trim())
        };
        let id = get(Column::Id)
            .filter(|id| !id.is_empty())
            .map_or_else(|| format!("stelling-{}", number + 1), str::to_owned);
        if let Some(problem) = id_problem(&id) {
            report(line, "id", problem);
        }
        if let Some(&first_line) = seen.get(&id) {
            report(line, "id", Problem::DuplicateId { first_line });
        }
        seen.entry(id.clone()).or_insert(line);
        let mut text = |column: Column, field: &str, max: usize, required: bool| {
            let value = get(column).unwrap_or_default();
            match text_problem(value, max, required) {
                Some(problem) => {
                    report(line, field, problem);
                    String::new()
                }
                None => value.to_owned(),
            }
        };
        let nl = text(Column::Text, &text_name, MAX_STATEMENT_CHARS, true);
        let en = text(Column::TextEn, "text_en", MAX_STATEMENT_CHARS, false);
        let prompt_nl = text(Column::Prompt, &prompt_name, MAX_PROMPT_CHARS, false);
        let prompt_en = text(Column::PromptEn, &written(Column::PromptEn, "vraag_en"), MAX_PROMPT_CHARS, false);
        let mut terms = Vec::new();
        for term in get(Column::Terms).unwrap_or_default().split(',').map(str::trim).filter(|term| !term.is_empty()) {
            if term_is_valid(term) {
                terms.push(term.to_owned());
            } else {
                report(line, &terms_name, Problem::BadTerm(term.to_owned()));
            }
        }
        let theme = get(Column::Theme).filter(|theme| !theme.is_empty()).map(str::to_owned);
        let prompt = (!prompt_nl.is_empty()).then_some(Text { nl: prompt_nl, en: prompt_en });
        let define = match get(Column::Define).filter(|term| !term.is_empty()) {
            Some(term) if !term_is_valid(term) => {
                report(line, &define_name, Problem::BadTerm(term.to_owned()));
                None
            }
            define => defined_term(define, &terms, prompt.is_some()).unwrap_or_else(|problem| {
                let field = if problem == Problem::PromptMissing { &prompt_name } else { &define_name };
                report(line, field, problem);
                None
            }),
        };
        let mut for_groups = Vec::new();
        for group in get(Column::For).unwrap_or_default().split(',').map(str::trim).filter(|group| !group.is_empty()) {
            if group_is_valid(group) {
                for_groups.push(group.to_owned());
            } else {
                report(line, &for_name, Problem::BadGroup(group.to_owned()));
            }
        }
        let card =
            StatementCard { id: CardId::new(id), text: Text { nl, en }, terms, theme, prompt, define, for_groups };
        cards.push(card);
    }
    if cards.is_empty() {
        report(*header_line, "", Problem::NoCards);
    }
    if !errors.is_empty() {
        return Err(DeckErrors(errors));
    }
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = stem.strip_suffix(".csv").or_else(|| stem.strip_suffix(".CSV")).unwrap_or(stem);
    Ok(Deck { id: slug(stem), title: Text::new(stem, ""), source: None, cards })
}

/// Writes a statement deck as CSV (`;`, with a byte order mark) that `parse_csv` reads back to
/// the same cards.
pub fn to_csv(deck: &StatementDeck) -> String {
    let mut out = String::from("\u{feff}id;text;text_en;terms;define;for;theme;prompt;prompt_en\r\n");
    for card in &deck.cards {
        let prompt = card.prompt.clone().unwrap_or_else(|| Text::new("", ""));
        let fields = [
            card.id.as_str(),
            &card.text.nl,
            &card.text.en,
            &card.terms.join(", "),
            card.define.as_deref().unwrap_or_default(),
            &card.for_groups.join(", "),
            card.theme.as_deref().unwrap_or_default(),
            &prompt.nl,
            &prompt.en,
        ];
        let fields: Vec<String> = fields.iter().map(|field| quote(field)).collect();
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out
}

fn quote(field: &str) -> String {
    if field.contains([';', ',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn slug(name: &str) -> String {
    let slug: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let slug = slug.trim_matches('-').chars().take(40).collect::<String>();
    if slug.is_empty() { "eigen-deck".to_owned() } else { slug }
}

/// Splits CSV into rows of fields, each with the line it starts on. The separator is `;` if
/// the header has one, else `,`. Blank lines are skipped. `Err` holds the line of a quote that
/// is never closed.
fn records(source: &str) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let header = source.lines().next().unwrap_or_default();
    let separator = if header.contains(';') { ';' } else { ',' };
    let mut rows = Vec::new();
    let (mut fields, mut field) = (Vec::new(), String::new());
    let (mut line, mut row_line, mut quoted) = (1, 1, false);
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            ('\n', true) => {
                field.push('\n');
                line += 1;
            }
            ('\r', false) => {}
            ('\n', false) => {
                fields.push(std::mem::take(&mut field));
                if fields.iter().any(|field| !field.trim().is_empty()) {
                    rows.push((row_line, std::mem::take(&mut fields)));
                }
                fields.clear();
                line += 1;
                row_line = line;
            }
            (c, false) if c == separator => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if quoted {
        return Err(row_line);
    }
    fields.push(field);
    if fields.iter().any(|field| !field.trim().is_empty()) {
        rows.push((row_line, fields));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::super::{AnyDeck, parse_deck, to_toml};
    use super::*;

    #[test]
    fn a_quarter_megabyte_of_columns_or_rows_is_one_problem() {
        let columns = format!("tekst{}\n", ";".repeat(200_000));
        let errors = parse_csv("x.csv", &columns).expect_err("refused").0;
        assert_eq!(errors.iter().map(|error| error.problem.code()).collect::<Vec<_>>(), ["too_many_columns"]);
        let rows = format!("tekst\n{}", "Eén plan.\n".repeat(MAX_CARDS + 1));
        let errors = parse_csv("x.csv", &rows).expect_err("refused").0;
        assert_eq!(
            errors.iter().map(|error| (error.line, error.problem.code())).collect::<Vec<_>>(),
            [(MAX_CARDS + 2, "too_many_cards")]
        );
        let fits = format!("tekst\n{}", (0..MAX_CARDS).map(|n| format!("Stelling {n}.\n")).collect::<String>());
        assert_eq!(parse_csv("x.csv", &fits).expect("fits").cards.len(), MAX_CARDS);
    }

    #[test]
    fn a_spreadsheet_with_dutch_settings_becomes_a_deck() {
        let source = "\u{feff}tekst;begrippen;thema\r\n\"Regie; dat is kiezen\";regie, eigen regie;regie\r\n\r\nEén plan;plan;\r\n";
        let deck = parse_csv("Mijn stellingen.csv", source).expect("valid");
        assert_eq!((deck.id.as_str(), deck.title.nl.as_str()), ("mijn-stellingen", "Mijn stellingen"));
        assert_eq!(deck.cards.len(), 2);
        assert_eq!(deck.cards[0].text.nl, "Regie; dat is kiezen");
        assert_eq!(deck.cards[0].terms, ["regie", "eigen regie"]);
        assert_eq!(deck.cards[1].id.as_str(), "stelling-2");
        assert_eq!(deck.cards[1].theme, None);
    }

    #[test]
    fn every_problem_in_a_spreadsheet_is_named_by_line_and_column() {
        let source = "text,terms,kleur\n,regie\n\"Te lang: ".to_owned() + &"x".repeat(280) + "\",Regie!\n";
        let errors = parse_csv("fout.csv", &source).expect_err("invalid");
        expect_test::expect![[r#"
            fout.csv:1: kleur: onbekende kolom 'kleur': gebruik tekst, begrippen, thema (of id, tekst_en, definieer, voor, vraag, vraag_en)
            fout.csv:2: text: dit veld is leeg
            fout.csv:3: text: te lang: 289 tekens, hoogstens 280
            fout.csv:3: terms: begrip 'Regie!' mag alleen kleine letters, spaties en '-' bevatten, hoogstens 30 tekens"#]]
        .assert_eq(&errors.to_string());
        assert_eq!(parse_csv("open.csv", "text\n\"nooit dicht\n").expect_err("invalid").0[0].problem.code(), "syntax");
    }

    #[test]
    fn decks_round_trip_through_csv_and_toml() {
        let library = crate::library::Library::built_in();
        for deck in &library.statements {
            let through_csv = parse_csv(&format!("{}.csv", deck.id), &to_csv(deck)).expect("reads back");
            assert_eq!(through_csv.cards, deck.cards, "{} through CSV", deck.id);
            let through_toml =
                parse_deck("deck.toml", &to_toml(&AnyDeck::Statements((**deck).clone()))).expect("reads back");
            assert_eq!(through_toml, AnyDeck::Statements((**deck).clone()), "{} through TOML", deck.id);
        }
        for deck in &library.roles {
            let through_toml =
                parse_deck("deck.toml", &to_toml(&AnyDeck::Roles((**deck).clone()))).expect("reads back");
            assert_eq!(through_toml, AnyDeck::Roles((**deck).clone()), "{} through TOML", deck.id);
        }
    }

    #[test]
    fn a_spreadsheet_names_the_term_to_define_and_who_can_answer_in_dutch_or_english() {
        let source = "tekst;begrippen;definieer;voor;vraag;vraag_en\nIk verwijs pas na overleg.;regie, doorverwijzen;doorverwijzen;professional;Doorverwijzen betekent voor mij …;To me, referring means …\nRegie ligt bij het gezin.;regie;;;Regie betekent voor mij …;\n";
        let deck = parse_csv("stellingen.csv", source).expect("valid");
        assert_eq!(deck.cards[0].define.as_deref(), Some("doorverwijzen"));
        assert_eq!(deck.cards[0].for_groups, ["professional"]);
        assert_eq!(deck.cards[0].prompt.as_ref().map(|prompt| prompt.en.as_str()), Some("To me, referring means …"));
        assert_eq!(deck.cards[1].define.as_deref(), Some("regie"), "the only term");
        assert_eq!(parse_csv("s.csv", &to_csv(&deck)).expect("reads back").cards, deck.cards);
        let english = "text,terms,define,for,prompt\nOne,\"regie, plan\",,,Regie is …\nTwo,plan,regie,Iedereen,\n";
        expect_test::expect![[r#"
            en.csv:2: define: deze kaart vraagt om een definitie: zeg met define welk van haar begrippen
            en.csv:3: define: begrip 'regie' staat niet bij de begrippen (terms) van deze kaart
            en.csv:3: for: rolgroep 'Iedereen' mag alleen kleine letters, cijfers en '-' bevatten"#]]
        .assert_eq(&parse_csv("en.csv", english).expect_err("invalid").to_string());
    }
}
