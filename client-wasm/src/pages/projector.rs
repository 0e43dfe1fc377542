//! The projector: who has joined and how to join, the statement large, how many have
//! answered, the timer, then the reveal chart. It joins as an observer, so it never receives a
//! hand or a hidden answer.

use cards::protocol::Join;
use leptos::prelude::*;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::closure::Closure;

use cards::forms::FormKind;

use crate::components::{Announcer, Countdown, QrCode, RevealView, Stage, StatusLine, join_link, stage_memo};
use crate::forms::actions::ActionsProjector;
use crate::forms::agenda::{CarriedActions, StepLine};
use crate::forms::mirror::MirrorProjector;
use crate::forms::scale::ScaleProjector;
use crate::forms::table::TableProjector;
use crate::i18n::{t, tr};
use crate::session::Session;
use crate::storage;

#[component]
pub fn Projector(code: String) -> impl IntoView {
    adopt_screen_token(&code);
    let session = Session::open(code.clone(), Some(Join::Observer { token: storage::screen_token(&code) }));
    let stage = stage_memo(session);
    let join_link = join_link(&code);

    let answered = move || {
        session.view.with(|view| {
            let (answered, of) = view.as_ref()?.answer_count()?;
            Some(format!("{answered} {} {of} {}", t().of, t().answered_count))
        })
    };
    let locked = move || session.view.with(|view| view.as_ref().is_some_and(|view| view.locked));
    // Who has joined, so people see their name arrive.
    let joined = move || {
        session.view.with(|view| {
            let names: Vec<String> = view.iter().flat_map(|view| view.seated()).map(|seat| seat.name.clone()).collect();
            let heading = crate::i18n::count(names.len(), t().joined_one, t().joined_many);
            let names = names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view();
            view! {
                <section class="projector-joined" aria-live="polite">
                    <h2>{heading}</h2>
                    <ul>{names}</ul>
                </section>
            }
        })
    };
    let body = move || match stage.get() {
        Stage::Answering { statement, .. } => view! {
            <p class="projector-statement">{tr(&statement.text)}</p>
            <Countdown session=session />
            <p class="projector-count" aria-live="polite">{answered}</p>
        }
        .into_any(),
        Stage::Revealed { statement, .. } => view! {
            <p class="projector-statement small">{tr(&statement.text)}</p>
            <RevealView session=session />
        }
        .into_any(),
        Stage::Form(FormKind::Scale) => view! { <ScaleProjector session=session /> }.into_any(),
        Stage::Form(FormKind::Actions) => view! { <ActionsProjector session=session /> }.into_any(),
        Stage::Form(FormKind::Table) => view! { <TableProjector session=session /> }.into_any(),
        Stage::Form(FormKind::Mirror) => view! { <MirrorProjector session=session /> }.into_any(),
        Stage::Ended => view! { <p class="notice">{t().ended}</p> }.into_any(),
        _ if locked() => view! {
            <p class="projector-join" id="projector-locked">{t().projector_locked}</p>
            {joined}
        }
        .into_any(),
        _ => view! {
            <p class="projector-join">{t().projector_waiting}</p>
            <div class="projector-share">
                <p class="big-code">{code.clone()}</p>
                <QrCode link=join_link.clone() />
            </div>
            <p class="projector-link">{join_link.clone()}</p>
            <CarriedActions session=session />
            {joined}
        }
        .into_any(),
    };
    view! {
        <div class="projector">
            <StatusLine session=session />
            <Announcer session=session />
            <StepLine session=session />
            {body}
        </div>
    }
    .into_any()
}

/// A projector link that needs its token carries it as `#screen=…`: keep it, so a reload
/// still watches, and take it out of the address bar. A link pasted into this page's address
/// bar changes only the part after `#`, which loads nothing: the page then starts again.
fn adopt_screen_token(code: &str) {
    let Some(window) = web_sys::window() else { return };
    let reload = Closure::<dyn FnMut()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    window.set_onhashchange(Some(reload.as_ref().unchecked_ref()));
    // The handler lives as long as the page.
    reload.forget();
    let hash = window.location().hash().unwrap_or_default();
    if let Some(token) = hash.strip_prefix("#screen=").filter(|token| !token.is_empty()) {
        storage::set_screen_token(code, token);
        if let Ok(history) = window.history() {
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("/projector/{code}")));
        }
    }
}
