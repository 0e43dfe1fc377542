//! The trainer's review: the sessions on this browser, and where a session's group did not
//! understand each other.

use client_wasm::components::NotFound;
use client_wasm::pages::review::{ReviewIndex, ReviewPage};
use client_wasm::route::Route;
use leptos::prelude::*;

fn main() {
    client_wasm::start(App);
}

#[component]
fn App() -> impl IntoView {
    let page = match Route::current() {
        Route::Sessions => view! { <ReviewIndex /> }.into_any(),
        Route::Review(code) => view! { <ReviewPage code /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! { <main>{page}</main> }
}
