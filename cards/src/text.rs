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
