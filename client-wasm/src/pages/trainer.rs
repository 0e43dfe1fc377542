//! The trainer's console: the code to share, who is here, and the buttons that move the
//! session on.

use cards::protocol::{ClientMsg, Join};
use leptos::prelude::*;

use crate::components::{
    NotFound, RevealView, Roster, Stage, StatementView, StatusLine, reader_name, room_code_param, stage_memo,
};
use crate::i18n::T;
use crate::session::Session;
use crate::storage;

#[component]
pub fn Trainer() -> impl IntoView {
    let Some(code) = room_code_param() else {
        return view! { <NotFound /> }.into_any();
    };
    let Some(token) = storage::trainer_token(&code) else {
        return view! { <p class="notice">{T.trainer_no_token}</p> }.into_any();
    };
    let session = Session::open(code.clone(), Some(Join::Trainer { token }));
    let stage = stage_memo(session);
    let origin = web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default();
    let join_link = format!("{origin}/play/{code}");

    let button = move |id: &'static str, label: &'static str, msg: ClientMsg| {
        view! { <button id=id class="primary" on:click=move |_| session.send(msg.clone())>{label}</button> }
    };
    let controls = move || match stage.get() {
        Stage::NotJoined | Stage::Ended => ().into_any(),
        Stage::Lobby => button("start", T.start, ClientMsg::Start).into_any(),
        Stage::Choosing { reader } => view! {
            <p class="notice">{reader_name(session, reader)}" "{T.reader_is_choosing}</p>
            <button id="next" on:click=move |_| session.send(ClientMsg::Next)>{T.skip_reader}</button>
        }
        .into_any(),
        Stage::Answering { statement } => view! {
            <StatementView statement=statement />
            {button("reveal", T.reveal, ClientMsg::Reveal)}
        }
        .into_any(),
        Stage::Revealed { statement } => view! {
            <StatementView statement=statement />
            {button("next", T.next, ClientMsg::Next)}
            <RevealView session=session />
        }
        .into_any(),
    };

    view! {
        <header class="topbar">
            <a href="/" class="brand">{T.app_name}</a>
            <span>{T.trainer_console}</span>
        </header>
        <section class="share" aria-label=T.join_at>
            <p class="big-code" id="room-code">{code.clone()}</p>
            <p>{T.join_at}" "<a href=join_link.clone()>{join_link.clone()}</a></p>
        </section>
        <StatusLine session=session />
        {move || matches!(stage.get(), Stage::Ended).then(|| view! { <p class="notice">{T.ended}</p> })}
        <div class="controls">{controls}</div>
        <Roster session=session />
    }
    .into_any()
}
