//! The trainer's app: the console that runs a session, the sessions, a session's review.

use client_wasm::components::NotFound;
use client_wasm::pages::{
    review::{ReviewIndex, ReviewPage},
    trainer::Trainer,
};
use client_wasm::route::Route;
use leptos::prelude::*;

fn main() {
    client_wasm::start(App);
}

#[component]
fn App() -> impl IntoView {
    let page = match Route::current() {
        Route::Trainer(code) => view! { <Trainer code /> }.into_any(),
        Route::Sessions => view! { <ReviewIndex /> }.into_any(),
        Route::Review(code) => view! { <ReviewPage code /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    };
    view! { <main>{page}</main> }
}
