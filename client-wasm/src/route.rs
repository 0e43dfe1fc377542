//! Which screen a path shows. Every screen is its own page load: a link or a finished form
//! goes to a new address, and the page starts from the address, the browser's storage and the
//! server. That keeps a client-side router out of the wasm, and a reload always shows the
//! screen it showed before.

/// A screen and the room it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Play(String),
    Trainer(String),
    Projector(String),
    Sessions,
    Review(String),
    NotFound,
}

impl Route {
    /// The screen for `path` (`/play/KX7-4QD`, …). A room code that could not exist is no
    /// screen at all.
    pub fn parse(path: &str) -> Route {
        let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
        let room = |code: &str| cards::RoomCode::parse(code).map(|code| code.to_string());
        let screen = match segments.as_slice() {
            [] => Some(Route::Home),
            ["review"] => Some(Route::Sessions),
            ["play", code] => room(code).map(Route::Play),
            ["trainer", code] => room(code).map(Route::Trainer),
            ["projector", code] => room(code).map(Route::Projector),
            ["review", code] => room(code).map(Route::Review),
            _ => None,
        };
        screen.unwrap_or(Route::NotFound)
    }

    /// The screen the browser is on.
    pub fn current() -> Route {
        let path = web_sys::window().and_then(|window| window.location().pathname().ok());
        Route::parse(&path.unwrap_or_default())
    }
}

/// Goes to another screen.
pub fn go(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
}
