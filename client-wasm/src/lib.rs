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
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod route;
pub mod session;
pub mod storage;

use leptos::prelude::*;

/// Mounts `app` on the page, which then speaks the visitor's language. When the visitor
/// switches language the whole screen is built again; the session (the websocket, the view,
/// what was typed) belongs to the page, not to the screen, so it carries on untouched.
pub fn start<V: IntoView + 'static>(app: fn() -> V) {
    console_error_panic_hook::set_once();
    i18n::mark_page_language();
    session::adopt_page_owner(Owner::new());
    let language = i18n::language();
    leptos::mount::mount_to_body(move || {
        move || {
            language.track();
            app()
        }
    });
}
