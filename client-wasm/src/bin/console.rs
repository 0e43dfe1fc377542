//! The trainer's console: runs a session, from the lobby to the last reveal.

use client_wasm::components::NotFound;
use client_wasm::pages::trainer::Trainer;
use client_wasm::route::Route;
use leptos::prelude::*;

fn main() {
    client_wasm::start(App);
}

#[component]
fn App() -> impl IntoView {
    let page = match Route::current() {
        Route::Trainer(code) => view! { <Trainer code /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! { <main>{page}</main> }
}
