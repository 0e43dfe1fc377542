//! The participant's app: home (join or open a session), the player's screen, the projector.

use client_wasm::components::NotFound;
use client_wasm::pages::{home::Home, play::Play, projector::Projector};
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
        Route::Projector(code) => view! { <Projector code /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! { <main>{page}</main> }
}
