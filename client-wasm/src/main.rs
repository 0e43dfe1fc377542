//! The browser client's entry point: it only mounts the app.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod session;
mod storage;

fn main() {
    console_error_panic_hook::set_once();
    // The page says which language it speaks, for screen readers and hyphenation.
    if let Some(html) =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element())
    {
        let _ = html.set_attribute("lang", if i18n::lang() == cards::Lang::En { "en" } else { "nl" });
    }
    leptos::mount::mount_to_body(app::App);
}
