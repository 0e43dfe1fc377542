//! The projector: the statement large, how many have answered, the timer, then the reveal
//! chart. It joins as an observer, so it never receives a hand or a hidden answer.

use cards::Presence;
use cards::protocol::Join;
use cards::view::PhaseView;
use leptos::prelude::*;

use crate::components::{Announcer, Countdown, QrCode, RevealView, Stage, StatusLine, stage_memo};
use crate::i18n::{t, tr};
use crate::session::Session;

#[component]
pub fn Projector(code: String) -> impl IntoView {
    let session = Session::open(code.clone(), Some(Join::Observer));
    let stage = stage_memo(session);
    let origin = web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default();
    let join_link = format!("{origin}/play/{code}");

    let answered = move || {
        session.view.with(|view| {
            let view = view.as_ref()?;
            let PhaseView::Turn(turn) = &view.phase else { return None };
            let present = view.seats.iter().filter(|seat| seat.presence == Presence::Here).count();
            Some(format!("{} {} {present} {}", turn.answered.len(), t().of, t().answered_count))
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
        Stage::Ended => view! { <p class="notice">{t().ended}</p> }.into_any(),
        _ => view! {
            <p class="projector-join">{t().projector_waiting}</p>
            <div class="projector-share">
                <p class="big-code">{code.clone()}</p>
                <QrCode link=join_link.clone() />
            </div>
            <p class="projector-link">{join_link.clone()}</p>
        }
        .into_any(),
    };
    view! {
        <div class="projector">
            <StatusLine session=session />
            <Announcer session=session />
            {body}
        </div>
    }
    .into_any()
}
