//! A participant's screen: their role card, the statement on the table, the answer form,
//! then everyone's answers.

use cards::protocol::{ClientMsg, Join};
use leptos::prelude::*;

use crate::components::{
    Announcer, AnswerForm, CardChoice, Countdown, LangSwitch, NameField, RevealView, RoleCardView, Roster, Stage,
    StatementView, StatusLine, confirm, reader_name, stage_memo,
};
use crate::i18n::t;
use crate::session::Session;
use crate::storage;

#[component]
pub fn Play(code: String) -> impl IntoView {
    let credential = storage::seat_token(&code)
        .map(|token| Join::Seat { token })
        .or_else(|| storage::take_pending_join(&code).map(|name| Join::Player { name }));
    let session = Session::open(code.clone(), credential);
    let stage = stage_memo(session);

    let my_role = move || {
        session.view.with(|view| {
            let view = view.as_ref()?;
            Some((view.seat(view.my_seat()?)?.role.clone()?, view.settings.perspective))
        })
    };
    let my_seat = move || session.view.with(|view| view.as_ref().and_then(|view| view.my_seat()));

    let body = move || match stage.get() {
        Stage::NotJoined => view! { <NameForm session=session /> }.into_any(),
        Stage::Lobby => view! {
            <p class="notice">{t().waiting_for_start}</p>
            <Roster session=session />
        }
        .into_any(),
        Stage::Choosing { reader } if reader.is_some() && my_seat() == reader => view! {
            <p class="notice turn-notice" role="status">{t().your_turn_choose}</p>
            <CardChoice session=session from_pile=false />
        }
        .into_any(),
        Stage::Choosing { reader: None } => view! {
            <p class="notice">{t().trainer_is_choosing}</p>
            <Roster session=session />
        }
        .into_any(),
        Stage::Choosing { reader } => view! {
            <p class="notice">{reader_name(session, reader)}" "{t().reader_is_choosing}</p>
            <Roster session=session />
        }
        .into_any(),
        Stage::Answering { statement, vote } => view! {
            <StatementView statement=statement.clone() vote=vote />
            <Countdown session=session />
            <AnswerForm session=session statement=statement />
            <Roster session=session />
        }
        .into_any(),
        Stage::Revealed { statement, vote } => view! {
            <StatementView statement=statement vote=vote />
            <RevealView session=session />
        }
        .into_any(),
        Stage::Ended => view! { <p class="notice">{t().ended}</p> }.into_any(),
        Stage::Gone { removed } => {
            storage::forget_seat_token(&session.code.get_value());
            view! { <p class="notice">{if removed { t().you_were_removed } else { t().you_left }}</p> }.into_any()
        }
    };
    let playing = move || !matches!(stage.get(), Stage::NotJoined | Stage::Gone { .. } | Stage::Ended);

    view! {
        <header class="topbar">
            <a href="/" class="brand">{t().app_name}</a>
            <span class="room-code">{t().session}" "{code}</span>
            <LangSwitch />
        </header>
        <StatusLine session=session />
        <Announcer session=session />
        {move || {
            let compact = matches!(stage.get(), Stage::Answering { .. } | Stage::Revealed { .. });
            playing().then(|| {
                my_role().map(|(role, perspective)| view! { <RoleCardView role=role perspective=perspective compact=compact /> })
            })
        }}
        {body}
        {move || playing().then(|| view! {
            <footer class="player-footer">
                <button class="small" id="leave" on:click=move |_| {
                    if confirm(t().leave_confirm) {
                        session.send(ClientMsg::Leave);
                    }
                }>{t().leave}</button>
            </footer>
        })}
    }
    .into_any()
}

/// Asked when this browser has no seat in the room yet.
#[component]
fn NameForm(session: Session) -> impl IntoView {
    let name = RwSignal::new(storage::name().unwrap_or_default());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = name.get_untracked().trim().to_owned();
        storage::set_name(&chosen);
        session.join(Join::Player { name: chosen });
    };
    view! {
        <form class="panel" on:submit=submit>
            <NameField name=name />
            <button type="submit" id="join-submit" class="primary" disabled=move || name.get().trim().is_empty()>
                {t().join}
            </button>
        </form>
    }
}
