//! The home page: a trainer opens a session, a participant joins one with its code.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::{LangSwitch, NameField};
use crate::i18n::{t, tr};
use crate::{route, storage};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <header class="masthead">
            <div class="masthead-top">
                <h1>{t().app_name}</h1>
                <LangSwitch />
            </div>
            <p>{t().tagline}</p>
        </header>
        <div class="columns">
            <JoinForm />
            <CreateForm />
        </div>
    }
}

/// The code and a name. The code is checked with the server before the page changes, so a
/// wrong code or an ended session is said beside the field, with the code still in it.
#[component]
pub fn JoinForm(#[prop(optional)] code: String, #[prop(optional)] problem: Option<String>) -> impl IntoView {
    let code = RwSignal::new(code);
    let name = RwSignal::new(storage::name().unwrap_or_default());
    let problem = RwSignal::new(problem);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(room) = cards::RoomCode::parse(&code.get_untracked()) else {
            problem.set(Some(t().code_incomplete.to_owned()));
            return;
        };
        let name = name.get_untracked().trim().to_owned();
        busy.set(true);
        spawn_local(async move {
            match api::room_status(room.as_str()).await {
                Ok(status) if status.ended => problem.set(Some(t().code_session_ended.to_owned())),
                Ok(status) if status.locked => problem.set(Some(t().code_session_locked.to_owned())),
                Ok(_) => {
                    storage::set_name(&name);
                    storage::set_pending_join(room.as_str(), &name);
                    route::go(&format!("/play/{room}"));
                    return;
                }
                Err(message) => problem.set(Some(tr(&message))),
            }
            busy.set(false);
        });
    };
    // While typing: say what is missing, once there is something to say it about.
    let typing_hint = move || {
        let typed = code.get();
        let incomplete = !typed.trim().is_empty() && cards::RoomCode::parse(&typed).is_none();
        (incomplete && problem.get().is_none())
            .then(|| view! { <p class="hint" id="join-code-hint">{t().code_incomplete}</p> })
    };
    let valid = move || cards::RoomCode::parse(&code.get()).is_some() && !name.get().trim().is_empty();
    view! {
        <form class="panel" on:submit=submit>
            <h2>{t().join_title}</h2>
            <p class="hint">{t().join_hint}</p>
            <label for="join-code">{t().room_code}</label>
            <input
                id="join-code"
                class="code-input"
                autocomplete="off"
                autocapitalize="characters"
                maxlength="9"
                aria-describedby="join-code-problem"
                prop:value=move || code.get()
                on:input=move |ev| {
                    code.set(event_target_value(&ev));
                    problem.set(None);
                }
            />
            {typing_hint}
            <p class="problem" id="join-code-problem" role="alert">{move || problem.get()}</p>
            <NameField name=name />
            <button type="submit" id="join-submit" class="primary" disabled=move || busy.get() || !valid()>{t().join}</button>
        </form>
    }
}

#[component]
fn CreateForm() -> impl IntoView {
    let decks = LocalResource::new(api::decks);
    let statement_deck = RwSignal::new(String::new());
    let role_deck = RwSignal::new(String::new());
    let draaiboek = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(Ok(list)) = decks.get_untracked() else { return };
        // An untouched select means its first deck.
        let chosen = |signal: RwSignal<String>, offered: &[api::DeckSummary]| {
            let picked = signal.get_untracked();
            if picked.is_empty() { offered.first().map(|deck| deck.id.clone()).unwrap_or_default() } else { picked }
        };
        let (statements, roles) = (chosen(statement_deck, &list.statements), chosen(role_deck, &list.roles));
        let draaiboek = Some(draaiboek.get_untracked()).filter(|id| !id.is_empty());
        busy.set(true);
        spawn_local(async move {
            match api::create_room(&statements, &roles, draaiboek).await {
                Ok(created) => {
                    storage::set_trainer_token(&created.code, &created.trainer_token);
                    route::go(&format!("/trainer/{}", created.code));
                }
                Err(message) => {
                    problem.set(Some(tr(&message)));
                    busy.set(false);
                }
            }
        });
    };

    let choices = move || {
        decks.get().map(|result| match result {
            Err(message) => view! { <p class="problem">{tr(&message)}</p> }.into_any(),
            Ok(list) => {
                let option = |deck: &api::DeckSummary| {
                    view! { <option value=deck.id.clone()>{format!("{} ({})", tr(&deck.title), deck.cards)}</option> }
                };
                view! {
                    <label for="statement-deck">{t().statement_deck}</label>
                    <select id="statement-deck" on:change=move |ev| statement_deck.set(event_target_value(&ev))>
                        {list.statements.iter().map(option).collect_view()}
                    </select>
                    <label for="role-deck">{t().role_deck}</label>
                    <select id="role-deck" on:change=move |ev| role_deck.set(event_target_value(&ev))>
                        {list.roles.iter().map(option).collect_view()}
                    </select>
                    <label for="draaiboek">{t().draaiboek_choice}</label>
                    <select id="draaiboek" on:change=move |ev| draaiboek.set(event_target_value(&ev))>
                        <option value="">{t().no_draaiboek}</option>
                        {list.draaiboeken.iter().map(|choice| {
                            let label = format!("{} ({} {})", tr(&choice.title), choice.minutes, t().minutes_short);
                            view! { <option value=choice.id.clone()>{label}</option> }
                        }).collect_view()}
                    </select>
                }
                .into_any()
            }
        })
    };

    view! {
        <form class="panel" on:submit=submit>
            <h2>{t().new_session}</h2>
            <p class="hint">{t().new_session_hint}</p>
            <p class="hint"><a id="guide-link" href=crate::components::guide_href()>{t().guide_link}</a></p>
            <Suspense fallback=|| view! { <p class="muted">{t().loading}</p> }>{choices}</Suspense>
            {move || problem.get().map(|text| view! { <p class="problem">{text}</p> })}
            <button type="submit" id="create-room" class="primary" disabled=move || busy.get() || !matches!(decks.get(), Some(Ok(_)))>
                {t().create_room}
            </button>
        </form>
    }
}
