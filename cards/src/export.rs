//! Exports of a room's log: CSV with one row per answer (for Excel with Dutch settings: `;`
//! between fields, a UTF-8 byte order mark) and JSON with the whole log.

use crate::event::{Event, Position};
use crate::log::{AnswerRow, LoggedEvent, Names, pseudonym};

const CSV_HEADER: [&str; 14] = [
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

/// One line per answer, `;`-separated, CRLF line ends, with a byte order mark so Excel reads
/// the accents right.
pub fn csv(rows: &[AnswerRow]) -> String {
    let mut out = String::from("\u{feff}");
    push_line(&mut out, CSV_HEADER.iter().map(|field| (*field).to_owned()));
    for row in rows {
        let (number, label) = match row.position {
            Position::Scale(n) => (n.to_string(), SCALE[usize::from(n.saturating_sub(1)).min(4)]),
            Position::Pass => (String::new(), "pas"),
        };
        push_line(
            &mut out,
            [
                row.turn.to_string(),
                row.vote.to_string(),
                row.statement.to_string(),
                row.statement_text.clone(),
                row.terms.join(", "),
                row.participant.clone(),
                row.role.clone(),
                number,
                label.to_owned(),
                row.argument.clone().unwrap_or_default(),
                row.definition.clone().unwrap_or_default(),
                iso8601(row.at),
                if row.revealed { "ja" } else { "nee" }.to_owned(),
                (u32::from(row.seat.0) + 1).to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

const SCALE: [&str; 5] = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"];

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

/// The whole log as JSON, names pseudonymised unless `names` is `Real`.
pub fn json(log: &[LoggedEvent], names: Names) -> String {
    let log: Vec<LoggedEvent> = log
        .iter()
        .map(|logged| match (&logged.event, names) {
            (Event::Joined { seat, token, .. }, Names::Pseudonyms) => LoggedEvent {
                event: Event::Joined { seat: *seat, name: pseudonym(*seat), token: *token },
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

    #[test]
    fn times_are_utc_iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_795_340_000_000), "2026-11-22T09:33:20Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn a_csv_row_is_quoted_for_excel() {
        let row = AnswerRow {
            turn: 1,
            vote: 2,
            statement: CardId::new("regie-1"),
            statement_text: "Regie; ligt \"bij\" het gezin".to_owned(),
            terms: vec!["regie".to_owned(), "eigen regie".to_owned()],
            seat: SeatId(0),
            participant: "Deelnemer 1".to_owned(),
            role: "Ouder".to_owned(),
            position: Position::Scale(4),
            argument: Some("=SOM(A1)".to_owned()),
            definition: None,
            at: 0,
            revealed: true,
        };
        let csv = csv(&[row]);
        assert!(csv.starts_with('\u{feff}'));
        let line = csv.lines().nth(1).expect("a row");
        assert_eq!(
            line,
            "1;2;regie-1;\"Regie; ligt \"\"bij\"\" het gezin\";regie, eigen regie;Deelnemer 1;Ouder;4;eens;'=SOM(A1);;1970-01-01T00:00:00Z;ja;1\r"
                .trim_end_matches('\r')
        );
    }
}
