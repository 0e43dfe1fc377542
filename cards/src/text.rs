//! Text in the two languages Standpunt speaks: Dutch first, English beside it.

use serde::{Deserialize, Serialize};

/// A piece of text a person reads. Dutch is required; English falls back to Dutch when a card
/// author has not translated it yet, so a card never shows up empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub nl: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

/// The languages of the user interface and of card content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Text {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Text {
        Text { nl: nl.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.nl,
        }
    }
}

/// `value` rounded to `decimals` digits after the point: `0.33`, `-1.5`, `40`. Halves round
/// away from zero, as people round (`2.25` → `2.3`, `12.5` % → `13` %); a value that rounds to
/// zero has no sign. Every figure the client and the HTML report show goes through here, so
/// the same room shows the same numbers everywhere, and the browser client carries none of
/// the standard library's float formatting (ten kilobytes).
pub fn fixed(value: f64, decimals: u32) -> String {
    let (sign, digits) = fixed_parts(value, decimals);
    format!("{}{digits}", if sign < 0 { "-" } else { "" })
}

/// Like [`fixed`], with a `+` before a value above zero: a change, `+0.25`.
pub fn signed(value: f64, decimals: u32) -> String {
    let (sign, digits) = fixed_parts(value, decimals);
    format!("{}{digits}", ["-", "", "+"][(sign + 1) as usize])
}

fn fixed_parts(value: f64, decimals: u32) -> (i64, String) {
    let scale = 10_u64.pow(decimals);
    let scaled = (value * scale as f64).round() as i64;
    let (whole, fraction) = (scaled.unsigned_abs() / scale, scaled.unsigned_abs() % scale);
    let digits = match decimals {
        0 => whole.to_string(),
        _ => format!("{whole}.{fraction:0width$}", width = decimals as usize),
    };
    (scaled.signum(), digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_halves_away_from_zero() {
        let cases = [
            (1.0 / 3.0, 2, "0.33"),
            (0.666, 2, "0.67"),
            (2.25, 1, "2.3"),
            (-1.25, 1, "-1.3"),
            (12.5, 0, "13"),
            (40.0, 0, "40"),
            (0.004, 2, "0.00"),
            (12.05, 3, "12.050"),
        ];
        for (value, decimals, expected) in cases {
            assert_eq!(fixed(value, decimals), expected, "{value} to {decimals} decimals");
        }
    }

    #[test]
    fn zero_has_no_sign_and_a_rise_has_a_plus() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(signed(0.25, 2), "+0.25");
        assert_eq!(signed(-0.5, 1), "-0.5");
        assert_eq!(signed(0.001, 2), "0.00");
    }
}
