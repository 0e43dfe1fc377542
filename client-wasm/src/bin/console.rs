//! The trainer's console, which runs a session from the lobby to the last reveal, and the
//! projector's screen it opens for the room.

use client_wasm::components::NotFound;
use client_wasm::pages::{projector::Projector, trainer::Trainer};
use client_wasm::route::Route;
use leptos::prelude::*;

fn main() {
    client_wasm::start(App);
}

#[component]
fn App() -> impl IntoView {
    let page = match Route::current() {
        Route::Trainer(code) => view! { <Trainer code /> }.into_any(),
        Route::Projector(code) => view! { <Projector code /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! { <main>{page}</main> }
}
