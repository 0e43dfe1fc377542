//! The interface's sentences, in the language the visitor chose: Dutch unless they switched to
//! English. The sentences themselves live in `i18n/nl.toml` and `i18n/en.toml`; `build.rs`
//! turns them into the tables below.

use std::sync::OnceLock;

use cards::{Lang, Text};

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

const STORAGE_KEY: &str = "standpunt.lang";

/// The language of this page, read once from what the visitor chose before.
pub fn lang() -> Lang {
    static LANG: OnceLock<Lang> = OnceLock::new();
    *LANG.get_or_init(|| {
        let stored = web_sys::window()
            .and_then(|window| window.local_storage().ok().flatten())
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
        if stored.as_deref() == Some("en") { Lang::En } else { Lang::Nl }
    })
}

/// Every sentence in the current language.
pub fn t() -> &'static Strings {
    match lang() {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// Card text and server messages carry both languages; this picks the visitor's.
pub fn tr(text: &Text) -> String {
    text.get(lang()).to_owned()
}

/// Switches the language and reloads, so every part of the page speaks it.
pub fn switch_language() {
    let next = match lang() {
        Lang::Nl => "en",
        Lang::En => "nl",
    };
    if let Some(window) = web_sys::window() {
        if let Some(storage) = window.local_storage().ok().flatten() {
            let _ = storage.set_item(STORAGE_KEY, next);
        }
        if let Some(html) = window.document().and_then(|document| document.document_element()) {
            let _ = html.set_attribute("lang", next);
        }
        let _ = window.location().reload();
    }
}
