//! The routes: home (create or join), a player's screen, the trainer's console, the
//! projector.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::NotFound;
use crate::pages::{
    home::Home,
    play::Play,
    projector::Projector,
    review::{ReviewIndex, ReviewPage},
    trainer::Trainer,
};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/play/:code") view=Play />
                    <Route path=path!("/trainer/:code") view=Trainer />
                    <Route path=path!("/projector/:code") view=Projector />
                    <Route path=path!("/review") view=ReviewIndex />
                    <Route path=path!("/review/:code") view=ReviewPage />
                </Routes>
            </main>
        </Router>
    }
}
