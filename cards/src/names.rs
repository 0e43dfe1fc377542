//! Participants' names: what a name may hold, the form it is kept in, and when two names are
//! one.
//!
//! A name is what everyone reads beside a vote and on the roster, so it must not be able to pass
//! for another participant's or for the trainer's. [`normalise`] refuses characters nobody can
//! see (zero-width spaces and joiners, bidi overrides that turn text around, and every other
//! control or format character) and keeps the name in one form: trimmed, runs of spaces as one
//! space, Unicode NFC. [`same`] says whether two names would pass for each other: equal after
//! case folding and Unicode's confusable skeleton (UTS #39, from the `unicode-security` crate),
//! so "anna", "ANNA" and "Аnna" with a Cyrillic А are one name.

use unicode_normalization::UnicodeNormalization;
use unicode_security::GeneralSecurityProfile;
use unicode_security::general_security_profile::IdentifierType;

use crate::limits::MAX_NAME_CHARS;
use crate::rejection::Rejection;

/// Titles a participant may not take, because on the roster and beside a vote they would read
/// as the person who runs the session. Compared with the name's first word after a leading
/// article or "co-" ("De trainer", "Co-trainer"), by skeleton and ignoring case. Kept short on
/// purpose: it stops the obvious imitation, it does not judge names.
pub const RESERVED: &[&str] = &["trainer", "docent", "begeleider", "moderator"];

/// Words that may stand before a reserved title and still make it one.
const PREFIXES: &[&str] = &["de", "het", "the", "co"];

/// The name as it is kept and shown, or why it is refused: `name_empty`, `name_invisible`,
/// `name_too_long` or `name_reserved`, in that order.
pub fn normalise(raw: &str) -> Result<String, Rejection> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Rejection::NameEmpty);
    }
    let mut previous = None;
    for c in trimmed.chars() {
        if invisible(c, previous) {
            return Err(Rejection::NameInvisible);
        }
        previous = Some(c);
    }
    let spaced = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    let name: String = spaced.nfc().collect();
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Rejection::NameTooLong);
    }
    if imitates_trainer(&name) {
        return Err(Rejection::NameReserved);
    }
    Ok(name)
}

/// Whether two names would pass for each other on the roster: the same after case folding and
/// the confusable skeleton ("anna" and "ANNA", "Anna" and "Аnna"), or the same skeleton as
/// typed ("Ian" and "lan", whose capital I and small l look alike but fold apart).
pub fn same(a: &str, b: &str) -> bool {
    folded(a) == folded(b) || skeleton(a) == skeleton(b)
}

/// Characters that show nothing, or change how the text around them shows, but are not plain
/// spaces: control characters (Cc: a tab or line break inside a name too), format characters
/// (Cf: zero-width spaces and joiners, bidi embeddings, overrides and isolates, the byte order
/// mark, …), other default-ignorable code points (Hangul fillers, variation selectors,
/// combining grapheme joiner), line and paragraph separators and the blank braille pattern.
/// A variation selector right after a symbol (the ❤️ a phone's emoji keyboard types) is kept.
fn invisible(c: char, previous: Option<char>) -> bool {
    let emoji_style = matches!(c, '\u{FE0E}' | '\u{FE0F}')
        && previous.is_some_and(|before| !before.is_alphanumeric() && !before.is_whitespace());
    if emoji_style {
        return false;
    }
    c.is_control()
        || format_character(c)
        || c.identifier_type() == Some(IdentifierType::Default_Ignorable)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{2800}')
}

/// Unicode's general category Cf (format), as of Unicode 16. Most of these are also
/// default-ignorable; the ones that are not (Arabic number signs, interlinear annotation
/// marks, Egyptian hieroglyph controls, …) are listed here all the same.
fn format_character(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// The UTS #39 skeleton: every character replaced by the one it is confusable with.
fn skeleton(name: &str) -> String {
    unicode_security::skeleton(name).collect()
}

/// The skeleton of the name in small letters, in small letters again: some prototypes are
/// capitals (the digit 0 stands for the letter O).
fn folded(name: &str) -> String {
    skeleton(&name.to_lowercase()).to_lowercase()
}

/// Whether the name's first word, after an article or "co-", is one of [`RESERVED`].
fn imitates_trainer(name: &str) -> bool {
    let key = folded(name);
    let mut words = key.split(|c: char| !c.is_alphabetic()).filter(|word| !word.is_empty()).peekable();
    while words.next_if(|word| PREFIXES.iter().any(|prefix| folded(prefix) == *word)).is_some() {}
    words.next().is_some_and(|first| RESERVED.iter().any(|title| folded(title) == first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(raw: &str) -> &'static str {
        match normalise(raw) {
            Ok(_) => "ok",
            Err(rejection) => rejection.code(),
        }
    }

    #[test]
    fn invisible_and_control_characters_are_refused() {
        for name in [
            "An\u{200B}na",
            "An\u{200C}na",
            "An\u{200D}na",
            "An\u{2060}na",
            "\u{FEFF}Anna",
            "Anna\u{202E}nnA",
            "\u{202A}Anna",
            "\u{2066}Anna\u{2069}",
            "An\u{00AD}na",
            "Anna\u{E0041}",
            "An\u{034F}na",
            "Anna\u{3164}",
            "An\u{7}na",
            "Anna\tBos",
            "Anna\nBos",
            "Anna\u{2028}Bos",
            "\u{200B}",
            "Anna\u{FE0F}",
        ] {
            assert_eq!(code(name), "name_invisible", "{name:?}");
        }
    }

    #[test]
    fn a_name_is_trimmed_spaced_once_and_kept_in_nfc() {
        assert_eq!(normalise("  Anna   de\u{00A0}Vries \n"), Ok("Anna de Vries".to_owned()));
        assert_eq!(normalise("Rene\u{0301}"), Ok("René".to_owned()));
        assert_eq!(normalise("Zoë ❤️"), Ok("Zoë ❤️".to_owned()), "an emoji keeps its style");
        assert_eq!(code("  \n "), "name_empty");
        assert_eq!(code(&"é".repeat(40)), "ok");
        assert_eq!(code(&"e\u{0301}".repeat(40)), "ok", "counted after NFC");
        assert_eq!(code(&"x".repeat(41)), "name_too_long");
    }

    #[test]
    fn names_that_look_alike_are_one_name() {
        let alike = [
            ("Anna", "anna"),
            ("Anna", "ANNA"),
            ("Anna", "\u{0410}nna"),
            ("anna", "\u{0430}nna"),
            ("Anna", "Ａｎｎａ"),
            ("Ian", "lan"),
            ("Olga", "0lga"),
            ("Kim", "Kirn"),
            ("René", "Rene\u{0301}"),
            ("Jan Pieter", "JAN PIETER"),
        ];
        for (a, b) in alike {
            assert!(same(a, b), "{a:?} and {b:?} should be one name");
            assert!(same(b, a), "{b:?} and {a:?} should be one name");
        }
        let apart = [("Anna", "Anne"), ("Anna", "Anna B"), ("Jan", "Jans"), ("Bram", "Brain"), ("IAN", "Lan")];
        for (a, b) in apart {
            assert!(!same(a, b), "{a:?} and {b:?} are two names");
        }
    }

    #[test]
    fn names_that_imitate_the_trainer_are_refused() {
        for name in [
            "Trainer",
            "trainer",
            "TRAINER",
            "De trainer",
            "de Trainer",
            "Co-trainer",
            "Trainer Jan",
            "Tr\u{0430}iner",
            "Docent",
            "DOCENT",
            "Begeleider",
            "Moderator",
            "Het moderator",
            "The Trainer",
        ] {
            assert_eq!(code(name), "name_reserved", "{name:?}");
        }
        for name in ["Jan de Trainer", "Trainers", "Docentje", "De Vries", "Co", "Moderne Mo"] {
            assert_eq!(code(name), "ok", "{name:?}");
        }
    }
}
