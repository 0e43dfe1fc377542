//! The Standpunt browser client, in three apps that share this library:
//!
//! - `participant` is what a participant's phone loads: the home page (join or open a session)
//!   and the player's screen;
//! - `console` is the trainer's console that runs a session, and the projector's screen;
//! - `review` is the sessions on this browser and a session's review.
//!
//! `index.html` loads the one its address needs, so a phone never downloads the trainer's
//! screens.

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod route;
pub mod session;
pub mod storage;

use leptos::prelude::*;

/// Mounts `app` on the page, which then speaks the visitor's language.
pub fn start<V: IntoView + 'static>(app: fn() -> V) {
    console_error_panic_hook::set_once();
    // The page says which language it speaks, for screen readers and hyphenation.
    if let Some(html) =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element())
    {
        let _ = html.set_attribute("lang", if i18n::lang() == cards::Lang::En { "en" } else { "nl" });
    }
    leptos::mount::mount_to_body(app);
}
