//! The participant's app: home (join or open a session) and the player's screen.

use client_wasm::components::NotFound;
use client_wasm::pages::{home::Home, play::Play};
use client_wasm::route::Route;
use leptos::prelude::*;

fn main() {
    client_wasm::start(App);
}

#[component]
fn App() -> impl IntoView {
    let page = match Route::current() {
        Route::Home => view! { <Home /> }.into_any(),
        Route::Play(code) => view! { <Play code /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! { <main>{page}</main> }
}
