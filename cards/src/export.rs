//! Exports of a room's log: CSV with one row per answer (for Excel with Dutch settings: `;`
//! between fields, a UTF-8 byte order mark) and JSON with the whole log. Both speak the
//! language asked for: the CSV's headers, labels and card texts, and the pseudonyms.

use crate::event::{Event, Position};
use crate::log::{AnswerRow, LoggedEvent, Names, pseudonym};
use crate::text::Lang;

/// The column names. Excel with Dutch settings wants `;` whatever language the trainer reads,
/// so only the words change with the language, never the separator.
const CSV_HEADER_NL: [&str; 14] = [
    "ronde",
    "stemming",
    "stelling_id",
    "stelling",
    "begrippen",
    "deelnemer",
    "rol",
    "positie",
    "positie_tekst",
    "argument",
    "definitie",
    "tijd_utc",
    "onthuld",
    "stoel",
];

const CSV_HEADER_EN: [&str; 14] = [
    "round",
    "vote",
    "statement_id",
    "statement",
    "terms",
    "participant",
    "role",
    "position",
    "position_text",
    "argument",
    "definition",
    "time_utc",
    "revealed",
    "seat",
];

/// The words of the CSV in one language: the scale, a pass, yes and no.
struct Words {
    header: [&'static str; 14],
    scale: [&'static str; 5],
    pass: &'static str,
    yes: &'static str,
    no: &'static str,
}

const NL: Words = Words {
    header: CSV_HEADER_NL,
    scale: ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"],
    pass: "pas",
    yes: "ja",
    no: "nee",
};

const EN: Words = Words {
    header: CSV_HEADER_EN,
    scale: ["strongly disagree", "disagree", "neutral", "agree", "strongly agree"],
    pass: "pass",
    yes: "yes",
    no: "no",
};

/// One line per answer, `;`-separated, CRLF line ends, with a byte order mark so Excel reads
/// the accents right. Headers, labels and card texts in `lang` (a card without English keeps
/// its Dutch); the rows' pseudonyms were made in a language already.
pub fn csv(rows: &[AnswerRow], lang: Lang) -> String {
    let words = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let mut out = String::from("\u{feff}");
    push_line(&mut out, words.header.iter().map(|field| (*field).to_owned()));
    for row in rows {
        let (number, label) = match row.position {
            Position::Scale(n) => (n.to_string(), words.scale[usize::from(n.saturating_sub(1)).min(4)]),
            Position::Pass => (String::new(), words.pass),
        };
        push_line(
            &mut out,
            [
                row.turn.to_string(),
                row.vote.to_string(),
                row.statement.to_string(),
                row.statement_text.get(lang).to_owned(),
                row.terms.join(", "),
                row.participant.clone(),
                row.role.get(lang).to_owned(),
                number,
                label.to_owned(),
                row.argument.clone().unwrap_or_default(),
                row.definition.clone().unwrap_or_default(),
                iso8601(row.at),
                if row.revealed { words.yes } else { words.no }.to_owned(),
                (u32::from(row.seat.0) + 1).to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|field| quote(&field)).collect();
    out.push_str(&fields.join(";"));
    out.push_str("\r\n");
}

/// Quotes a field when it holds a separator, a quote or a line break. A leading `=`, `+`,
/// `-` or `@` gets a `'` so Excel never runs a participant's text as a formula.
fn quote(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) { format!("'{field}") } else { field.to_owned() };
    if field.contains([';', '"', '\n', '\r']) { format!("\"{}\"", field.replace('"', "\"\"")) } else { field }
}

/// The whole log as JSON, names pseudonymised (in `lang`) unless `names` is `Real`.
pub fn json(log: &[LoggedEvent], names: Names, lang: Lang) -> String {
    let log: Vec<LoggedEvent> = log
        .iter()
        .map(|logged| match (&logged.event, names) {
            (Event::Joined { seat, token, .. }, Names::Pseudonyms) => LoggedEvent {
                event: Event::Joined { seat: *seat, name: pseudonym(*seat, lang), token: *token },
                ..logged.clone()
            },
            _ => logged.clone(),
        })
        .collect();
    serde_json::to_string_pretty(&log).expect("events always serialise")
}

/// `2026-11-22T09:30:00Z` from milliseconds since the Unix epoch.
pub fn iso8601(ms: u64) -> String {
    let seconds = ms / 1000;
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Howard Hinnant's days-to-date algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::CardId;
    use crate::event::SeatId;
    use crate::text::Text;

    #[test]
    fn times_are_utc_iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_795_340_000_000), "2026-11-22T09:33:20Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    fn row() -> AnswerRow {
        AnswerRow {
            turn: 1,
            vote: 2,
            statement: CardId::new("regie-1"),
            statement_text: Text::new("Regie; ligt \"bij\" het gezin", ""),
            terms: vec!["regie".to_owned(), "eigen regie".to_owned()],
            defines: Some("eigen regie".to_owned()),
            seat: SeatId(0),
            participant: "Deelnemer 1".to_owned(),
            role: Text::new("Ouder", "Parent"),
            group: "gezin".to_owned(),
            anonymous: false,
            position: Position::Scale(4),
            argument: Some("=SOM(A1)".to_owned()),
            definition: None,
            at: 0,
            revealed: true,
        }
    }

    #[test]
    fn a_csv_row_is_quoted_for_excel() {
        let csv = csv(&[row()], Lang::Nl);
        assert!(csv.starts_with('\u{feff}'));
        let line = csv.lines().nth(1).expect("a row");
        assert_eq!(
            line,
            "1;2;regie-1;\"Regie; ligt \"\"bij\"\" het gezin\";regie, eigen regie;Deelnemer 1;Ouder;4;eens;'=SOM(A1);;1970-01-01T00:00:00Z;ja;1\r"
                .trim_end_matches('\r')
        );
    }

    #[test]
    fn an_english_csv_has_english_headers_labels_and_card_texts() {
        let row = AnswerRow {
            statement_text: Text::new("Eén plan is genoeg.", "One plan is enough."),
            participant: crate::log::pseudonym(SeatId(0), Lang::En),
            role: Text::new("Cliëntvertegenwoordiger", ""),
            position: Position::Pass,
            argument: None,
            revealed: false,
            ..row()
        };
        let csv = csv(&[row], Lang::En);
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next(),
            Some(
                "round;vote;statement_id;statement;terms;participant;role;position;position_text;argument;definition;time_utc;revealed;seat"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "1;2;regie-1;One plan is enough.;regie, eigen regie;Participant 1;Cliëntvertegenwoordiger;;pass;;;1970-01-01T00:00:00Z;no;1"
            ),
            "a role without English keeps its Dutch name"
        );
    }
}
