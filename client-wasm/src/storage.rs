//! What the browser remembers between visits: the name last used, and the tokens that give a
//! trainer their room and a player their seat back.

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn get(store: Option<web_sys::Storage>, key: &str) -> Option<String> {
    store?.get_item(key).ok().flatten().filter(|value| !value.is_empty())
}

fn set(store: Option<web_sys::Storage>, key: &str, value: &str) {
    if let Some(store) = store {
        let _ = store.set_item(key, value);
    }
}

fn remove(store: Option<web_sys::Storage>, key: &str) {
    if let Some(store) = store {
        let _ = store.remove_item(key);
    }
}

pub fn name() -> Option<String> {
    get(local(), "standpunt.name")
}

pub fn set_name(name: &str) {
    set(local(), "standpunt.name", name);
}

pub fn trainer_token(code: &str) -> Option<String> {
    get(local(), &format!("standpunt.trainer.{code}"))
}

pub fn set_trainer_token(code: &str, token: &str) {
    set(local(), &format!("standpunt.trainer.{code}"), token);
}

/// The token the projector opened with, when the trainer made the link need one.
pub fn screen_token(code: &str) -> Option<String> {
    get(local(), &format!("standpunt.screen.{code}"))
}

pub fn set_screen_token(code: &str, token: &str) {
    set(local(), &format!("standpunt.screen.{code}"), token);
}

/// The projector link the console made, with its number (`View::screen_link`), so a console
/// knows when another trainer has made a newer one.
pub fn screen_link(code: &str) -> Option<(u32, String)> {
    let kept = get(local(), &format!("standpunt.screenlink.{code}"))?;
    let (link, token) = kept.split_once(':')?;
    Some((link.parse().ok()?, token.to_owned()))
}

pub fn set_screen_link(code: &str, link: u32, token: &str) {
    set(local(), &format!("standpunt.screenlink.{code}"), &format!("{link}:{token}"));
}

pub fn seat_token(code: &str) -> Option<String> {
    get(local(), &format!("standpunt.seat.{code}"))
}

pub fn set_seat_token(code: &str, token: &str) {
    set(local(), &format!("standpunt.seat.{code}"), token);
}

pub fn forget_seat_token(code: &str) {
    remove(local(), &format!("standpunt.seat.{code}"));
}

/// The name typed on the home page, handed to the play page once.
pub fn take_pending_join(code: &str) -> Option<String> {
    let key = format!("standpunt.join.{code}");
    let name = get(session(), &key);
    remove(session(), &key);
    name
}

pub fn set_pending_join(code: &str, name: &str) {
    set(session(), &format!("standpunt.join.{code}"), name);
}

/// The rooms this browser holds a trainer token for, by code.
pub fn trainer_rooms() -> Vec<String> {
    let Some(store) = local() else { return Vec::new() };
    let count = store.length().unwrap_or(0);
    let mut codes: Vec<String> = (0..count)
        .filter_map(|i| store.key(i).ok().flatten())
        .filter_map(|key| key.strip_prefix("standpunt.trainer.").map(str::to_owned))
        .collect();
    codes.sort();
    codes
}

/// The learning group (series of sessions) a room belongs to, as the trainer named it.
pub fn series(code: &str) -> Option<String> {
    get(local(), &format!("standpunt.series.{code}"))
}

pub fn set_series(code: &str, name: &str) {
    let key = format!("standpunt.series.{code}");
    if name.trim().is_empty() { remove(local(), &key) } else { set(local(), &key, name.trim()) }
}

/// Forgets everything this browser kept about a room.
pub fn forget_room(code: &str) {
    for key in ["trainer", "seat", "series", "screen", "screenlink"] {
        remove(local(), &format!("standpunt.{key}.{code}"));
    }
}

/// The address the trainer chose for the join link and QR code (`http://192.168.1.20:8080`),
/// shared by the console and the projector it opens.
pub fn join_base() -> Option<String> {
    get(local(), "standpunt.join_base")
}

pub fn set_join_base(base: &str) {
    set(local(), "standpunt.join_base", base);
}
