//! A participant's screen: their role card, the statement on the table, the answer form,
//! then everyone's answers.

use cards::protocol::{ClientMsg, Join};
use leptos::prelude::*;

use cards::forms::FormKind;

use crate::api;
use crate::components::{
    Announcer, AnswerForm, CardChoice, Countdown, LangSwitch, NameField, RevealView, RoleCardView, Roster, Stage,
    StatementView, StatusLine, confirm, reader_name, stage_memo,
};
use crate::forms::actions::ActionsPlayer;
use crate::forms::agenda::{CarriedActions, StepLine};
use crate::forms::mirror::MirrorPlayer;
use crate::forms::scale::ScalePlayer;
use crate::forms::table::TablePlayer;
use crate::i18n::{t, tr};
use crate::pages::home::JoinForm;
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

    // A code that leads nowhere (a mistyped link, an ended session): ask for the code again,
    // with this one in the field and why beside it. The server is asked at once, before the
    // person types a name for a room that is not there.
    let status = {
        let code = code.clone();
        LocalResource::new(move || {
            let code = code.clone();
            async move { api::room_status(&code).await }
        })
    };
    let wrong_room = move || {
        let refused = session.problem.with(|problem| {
            problem.as_ref().filter(|problem| matches!(problem.code.as_str(), "unknown_room" | "room_ended")).map(
                |problem| {
                    if problem.code == "room_ended" { t().code_session_ended.to_owned() } else { tr(&problem.message) }
                },
            )
        });
        refused.or_else(|| match status.get()? {
            Ok(status) if status.ended => Some(t().code_session_ended.to_owned()),
            Ok(_) => None,
            Err(message) => Some(tr(&message)),
        })
    };
    let body = move || {
        match stage.get() {
        Stage::NotJoined if session.seat_lost.get() => view! { <SeatLost session=session /> }.into_any(),
        Stage::NotJoined => match wrong_room() {
            Some(problem) => view! { <JoinForm code=session.code.get_value() problem=problem /> }.into_any(),
            None => view! { <NameForm session=session /> }.into_any(),
        },
        Stage::Lobby => view! {
            <p class="notice">{t().waiting_for_start}</p>
            <CarriedActions session=session />
            {move || {
                session.view.with(|view| {
                    let view = view.as_ref()?;
                    let role = view.assigned_role(view.my_seat()?)?;
                    Some(view! {
                        <p class="notice" id="assigned-role">{t().assigned_role}" "<strong>{tr(&role.name)}</strong>". "{t().assigned_role_card}</p>
                    })
                })
            }}
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
            <StatementView session=session statement=statement.clone() vote=vote />
            <Countdown session=session />
            <AnswerForm session=session statement=statement vote=vote />
            <Roster session=session />
        }
        .into_any(),
        Stage::Revealed { statement, vote } => view! {
            <StatementView session=session statement=statement vote=vote />
            <RevealView session=session />
        }
        .into_any(),
        Stage::Form(FormKind::Scale) => view! { <ScalePlayer session=session /> }.into_any(),
        Stage::Form(FormKind::Actions) => view! { <ActionsPlayer session=session /> }.into_any(),
        Stage::Form(FormKind::Table) => view! { <TablePlayer session=session /> }.into_any(),
        Stage::Form(FormKind::Mirror) => view! { <MirrorPlayer session=session /> }.into_any(),
        Stage::Form(FormKind::Statements) => ().into_any(),
        Stage::Ended => view! { <p class="notice">{t().ended}</p> }.into_any(),
        Stage::Gone { removed } => {
            storage::forget_seat_token(&session.code.get_value());
            view! { <p class="notice">{if removed { t().you_were_removed } else { t().you_left }}</p> }.into_any()
        }
    }
    };
    let playing = move || !matches!(stage.get(), Stage::NotJoined | Stage::Gone { .. } | Stage::Ended);
    // A new statement, a reveal and a re-vote bring the statement into view: the reader may
    // have scrolled down to a card lower in their hand.
    Effect::new(move |before: Option<Stage>| {
        let now = stage.get();
        if matches!(now, Stage::Answering { .. } | Stage::Revealed { .. }) && before.as_ref() != Some(&now) {
            request_animation_frame(show_statement);
        }
        now
    });

    view! {
        <header class="topbar">
            <a href="/" class="brand">{t().app_name}</a>
            <span class="room-code">{t().session}" "{code}</span>
            <LangSwitch />
        </header>
        <StatusLine session=session />
        <Announcer session=session />
        {move || playing().then(|| view! { <StepLine session=session /> })}
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

/// Scrolls the page so the statement on the table is at the top of the screen.
fn show_statement() {
    let statement = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector("#statement").ok().flatten());
    if let Some(statement) = statement {
        statement.scroll_into_view();
    }
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

/// When the room gave up this browser's seat (away longer than the hold time): why the game is
/// gone, and the way back in under the same name, as a new participant.
#[component]
fn SeatLost(session: Session) -> impl IntoView {
    let Some(name) = storage::name() else {
        return view! {
            <p class="notice" id="seat-lost">{t().seat_given_up}</p>
            <NameForm session=session />
        }
        .into_any();
    };
    let label = t().join_again_as.replace("{name}", &name);
    view! {
        <div class="panel" id="seat-lost">
            <p>{t().seat_given_up}</p>
            <button class="primary" id="join-again" on:click=move |_| session.join(Join::Player { name: name.clone() })>
                {label}
            </button>
        </div>
    }
    .into_any()
}
