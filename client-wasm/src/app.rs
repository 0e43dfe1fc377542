//! The routes: home (create or join), a player's screen, the trainer's console.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::T;
use crate::pages::{home::Home, play::Play, trainer::Trainer};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=|| view! { <p class="notice">{T.not_found}" "<a href="/">{T.to_home}</a></p> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/play/:code") view=Play />
                    <Route path=path!("/trainer/:code") view=Trainer />
                </Routes>
            </main>
        </Router>
    }
}
