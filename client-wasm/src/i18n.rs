//! The interface's sentences, in the language the visitor chose: Dutch unless they switched to
//! English. The sentences themselves live in `i18n/nl.toml` and `i18n/en.toml`; `build.rs`
//! turns them into the tables below.
//!
//! Switching the language re-renders the page from the same session (see `crate::start`): the
//! connection stays open and nothing typed is lost, so a tap on "English" never looks like a
//! participant leaving.

use cards::{Lang, Text};
use leptos::prelude::*;

include!(concat!(env!("OUT_DIR"), "/strings.rs"));

const STORAGE_KEY: &str = "standpunt.lang";

thread_local! {
    /// The page's language. Owned by no component, so it outlives every re-render.
    static LANGUAGE: ArcRwSignal<Lang> = ArcRwSignal::new(stored_language());
}

fn stored_language() -> Lang {
    let stored = web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
    if stored.as_deref() == Some("en") { Lang::En } else { Lang::Nl }
}

/// The language of this page now.
pub fn lang() -> Lang {
    LANGUAGE.with(ArcRwSignal::get_untracked)
}

/// The language as a signal: whatever tracks it is built again when it changes.
pub fn language() -> ArcRwSignal<Lang> {
    LANGUAGE.with(Clone::clone)
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

/// "1 definitie", "3 definities": `one` and `many` are sentences with `{n}` in them.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { one } else { many }.replace("{n}", &n.to_string())
}

/// Says in the page which language it speaks, for screen readers and hyphenation.
pub fn mark_page_language() {
    if let Some(html) =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element())
    {
        let _ = html.set_attribute("lang", code(lang()));
    }
}

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

/// Switches the language, remembers the choice and re-renders the page in it.
pub fn switch_language() {
    let next = match lang() {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    if let Some(storage) = web_sys::window().and_then(|window| window.local_storage().ok().flatten()) {
        let _ = storage.set_item(STORAGE_KEY, code(next));
    }
    LANGUAGE.with(|language| language.set(next));
    mark_page_language();
}
