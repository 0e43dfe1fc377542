//! The trainer's console: the code to share, the settings, who is here, and the buttons that
//! move the session on.

use cards::event::{Perspective, ReaderMode, RoleDealing, TimerMode};
use cards::protocol::{ClientMsg, Join};
use cards::view::Tag;
use cards::{Settings, View};
use leptos::prelude::*;

use cards::forms::FormKind;

use crate::api;
use crate::components::{
    CardChoice, Countdown, LangSwitch, QrCode, RevealFigures, RevealView, Roster, Stage, StatementView, StatusLine,
    confirm, guide_href, is_local_url, reader_name, stage_memo,
};
use crate::forms::actions::ActionsTrainer;
use crate::forms::agenda::{AgendaEditor, AgendaPanel, CarriedActions};
use crate::forms::mirror::MirrorTrainer;
use crate::forms::scale::ScaleTrainer;
use crate::forms::table::TableTrainer;
use crate::i18n::{count, t, tr};
use crate::session::Session;
use crate::storage;

#[component]
pub fn Trainer(code: String) -> impl IntoView {
    adopt_invite(&code);
    let Some(token) = storage::trainer_token(&code) else {
        return view! { <p class="notice">{t().trainer_no_token}</p> }.into_any();
    };
    let session = Session::open(code.clone(), Some(Join::Trainer { token }));
    let stage = stage_memo(session);

    let button = move |id: &'static str, label: &'static str, msg: ClientMsg| {
        view! { <button id=id class="primary" on:click=move |_| session.send(msg.clone())>{label}</button> }
    };
    let timer_button = move || {
        session.view.with(|view| {
            let turn = match view.as_ref().map(|view| &view.phase) {
                Some(cards::view::PhaseView::Turn(turn)) => turn,
                _ => return None,
            };
            let timer = turn.timer.filter(|timer| timer.remaining_ms > 0)?;
            let (id, label, msg) = if timer.running {
                ("pause-timer", t().pause_timer, ClientMsg::PauseTimer)
            } else {
                ("resume-timer", t().resume_timer, ClientMsg::ResumeTimer)
            };
            Some(view! { <button id=id on:click=move |_| session.send(msg.clone())>{label}</button> })
        })
    };
    let controls = move || match stage.get() {
        Stage::NotJoined | Stage::Ended => ().into_any(),
        Stage::Gone { .. } => view! { <p class="notice">{t().trainer_removed}</p> }.into_any(),
        Stage::Lobby => view! {
            {button("start", t().start, ClientMsg::Start)}
            <AgendaEditor session=session />
            <SettingsForm session=session />
        }
        .into_any(),
        Stage::Form(FormKind::Scale) => view! { <ScaleTrainer session=session /> }.into_any(),
        Stage::Form(FormKind::Actions) => view! { <ActionsTrainer session=session /> }.into_any(),
        Stage::Form(FormKind::Table) => view! { <TableTrainer session=session /> }.into_any(),
        Stage::Form(FormKind::Mirror) => view! { <MirrorTrainer session=session /> }.into_any(),
        Stage::Form(FormKind::Statements) => ().into_any(),
        Stage::Choosing { reader: None } => view! { <CardChoice session=session from_pile=true /> }.into_any(),
        Stage::Choosing { reader } => view! {
            <p class="notice">{reader_name(session, reader)}" "{t().reader_is_choosing}</p>
            <button id="next" on:click=move |_| session.send(ClientMsg::Next)>{t().skip_reader}</button>
        }
        .into_any(),
        Stage::Answering { statement, vote } => view! {
            <StatementView session=session statement=statement vote=vote />
            <Countdown session=session />
            {button("reveal", t().reveal, ClientMsg::Reveal)}
            {timer_button}
            <button id="skip" on:click=move |_| session.send(ClientMsg::Skip)>{t().skip}</button>
        }
        .into_any(),
        Stage::Revealed { statement, vote } => view! {
            <StatementView session=session statement=statement vote=vote />
            {button("next", t().next, ClientMsg::Next)}
            <button id="revote" on:click=move |_| session.send(ClientMsg::Revote)>{t().revote}</button>
            <RevealFigures session=session />
            <RevealView session=session />
        }
        .into_any(),
    };
    let running = move || !matches!(stage.get(), Stage::NotJoined | Stage::Gone { .. } | Stage::Ended);
    // A memo, so the mark's half-typed note survives the next statement.
    let marking = Memo::new(move |_| running() && !matches!(stage.get(), Stage::Lobby));
    let ended = move || matches!(stage.get(), Stage::Ended);
    let review_link = format!("/review/{code}");
    // The end button sits at the bottom of the page: bring the news that the session is over,
    // and the way to the review, into view.
    Effect::new(move |was_ended: Option<bool>| {
        let now_ended = ended();
        if now_ended && was_ended == Some(false) {
            request_animation_frame(|| {
                let over = web_sys::window()
                    .and_then(|window| window.document())
                    .and_then(|document| document.get_element_by_id("session-over"));
                if let Some(over) = over {
                    over.scroll_into_view();
                }
            });
        }
        now_ended
    });

    view! {
        <header class="topbar">
            <a href="/" class="brand">{t().app_name}</a>
            <span>{t().trainer_console}" · "<a id="to-review" href=review_link.clone()>{t().to_review}</a></span>
            <LangSwitch />
        </header>
        {
            let code = code.clone();
            move || (!ended()).then(|| view! { <ShareBox code=code.clone() session=session /> })
        }
        <StatusLine session=session />
        {move || ended().then(|| view! {
            <section class="panel session-over" id="session-over">
                <h2>{t().session_over}</h2>
                <p>{t().session_over_next}</p>
                <p><a class="button primary" id="open-review" href=review_link.clone()>{t().open_review}</a></p>
                <p><a href="/">{t().new_session}</a></p>
            </section>
        })}
        // On a laptop the roster stands beside the controls: who has joined and who has
        // answered stay in sight while the settings or the reveal fill the page.
        <div class="console">
            <div class="controls">{controls}</div>
            <div class="console-side">
                {move || marking.get().then(|| view! { <MarkMoment session=session /> })}
                {move || running().then(|| view! { <CarriedActions session=session /> <AgendaPanel session=session /> })}
                // Once the session runs, the steps after the running one can still change.
                {move || (running() && !matches!(stage.get(), Stage::Lobby)).then(|| view! { <AgendaEditor session=session /> })}
                <Roster session=session />
            </div>
        </div>
        {move || running().then(|| view! { <TrainerTools session=session code=code.clone() /> })}
        <ScreenWatch session=session ended=Signal::derive(ended) />
    }
    .into_any()
}

/// The code, the join link and its QR code. The trainer picks the address the link uses from
/// those the server can be reached at; a link only this computer can open is said plainly.
#[component]
fn ShareBox(code: String, session: Session) -> impl IntoView {
    // The projector link carries its token when only that screen may watch.
    let projector_link = {
        let code = code.clone();
        move || match current_screen_link(session) {
            Some(token) => format!("/projector/{code}#screen={token}"),
            None => format!("/projector/{code}"),
        }
    };
    let addresses = LocalResource::new(api::join_addresses);
    let origin = web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default();
    let chosen = RwSignal::new(storage::join_base());
    // The bases on offer: this page's own address (unless only this computer can open it),
    // then the ones the server found.
    let choices = {
        let origin = origin.clone();
        move || {
            let found = addresses.get().and_then(Result::ok).unwrap_or_default();
            let mut bases: Vec<String> = Vec::new();
            if !is_local_url(&origin) || found.urls.is_empty() {
                bases.push(origin.clone());
            }
            for url in found.urls {
                if !bases.contains(&url) {
                    bases.push(url);
                }
            }
            (bases, found.local_only)
        }
    };
    let base = {
        let choices = choices.clone();
        move || {
            let (bases, _) = choices();
            chosen.get().filter(|base| bases.contains(base)).or_else(|| bases.first().cloned()).unwrap_or_default()
        }
    };
    let link = {
        let (base, code) = (base.clone(), code.clone());
        move || format!("{}/play/{code}", base())
    };
    let picker = {
        let (choices, base) = (choices.clone(), base.clone());
        move || {
            let (bases, _) = choices();
            (bases.len() > 1).then(|| {
                let current = base();
                let options = bases
                    .into_iter()
                    .map(|option| view! { <option value=option.clone() selected=option == current>{option.clone()}</option> })
                    .collect_view();
                view! {
                    <label for="join-base">{t().join_address}</label>
                    <select id="join-base" on:change=move |ev| {
                        let picked = event_target_value(&ev);
                        storage::set_join_base(&picked);
                        chosen.set(Some(picked));
                    }>{options}</select>
                }
            })
        }
    };
    let warning = {
        let link = link.clone();
        move || {
            let (_, local_only) = choices();
            is_local_url(&link()).then(|| {
                let advice = if local_only { t().local_link_restart } else { t().local_link_pick };
                view! {
                    <div class="warning" id="local-link-warning" role="alert">
                        <p><strong>{t().local_link_warning}</strong></p>
                        <p>{advice}</p>
                    </div>
                }
            })
        }
    };
    let shown = link.clone();
    view! {
        <section class="share" aria-label=t().join_at>
            <div class="share-text">
                <p class="big-code" id="room-code">{code.clone()}</p>
                <p>{t().join_at}" "{move || {
                    let link = shown();
                    view! { <a id="join-link" href=link.clone()>{link.clone()}</a> }
                }}</p>
                {picker}
                {warning}
                <p><a id="projector-link" href=projector_link target="_blank">{t().projector}</a></p>
            </div>
            {move || view! { <QrCode link=link() /> }}
        </section>
    }
}

/// The token of the current projector link, when screens are private and this console made
/// that link (not an older one, replaced by another trainer since).
fn current_screen_link(session: Session) -> Option<String> {
    let current =
        session.view.with(|view| view.as_ref().filter(|view| view.screens_private).map(|view| view.screen_link))?;
    session.screen_link.get().filter(|(link, _)| *link == current).map(|(_, token)| token)
}

/// Who watches without a seat, and whether any screen may or only the projector link.
#[component]
fn ScreenWatch(session: Session, ended: Signal<bool>) -> impl IntoView {
    let private = move || session.view.with(|view| view.as_ref().is_some_and(|view| view.screens_private));
    let choice = move || {
        (!ended.get()).then(|| {
            let missing = move || (private() && current_screen_link(session).is_none()).then(|| view! {
                <p>{t().screen_link_missing}" "
                    <button id="screen-link-new" on:click=move |_| session.send(ClientMsg::ScreenLink { private: true })>
                        {t().screen_link_new}
                    </button>
                </p>
            });
            view! {
                <label class="check">
                    <input type="checkbox" id="screens-private" prop:checked=private on:change=move |ev| {
                        session.send(ClientMsg::ScreenLink { private: event_target_checked(&ev) });
                    } />
                    " "{t().screens_private}
                </label>
                <p class="muted">{t().screens_private_hint}</p>
                {missing}
            }
        })
    };
    view! {
        <section class="screens" aria-label=t().projector>
            <p class="muted" id="screens-watching">{move || count(session.screens.get() as usize, t().screens_one, t().screens_many)}</p>
            {choice}
        </section>
    }
}

/// A co-trainer arrives with `#token=…` in the link: keep the token and take it out of the
/// address bar, so it is not bookmarked or shared by accident.
fn adopt_invite(code: &str) {
    let Some(window) = web_sys::window() else { return };
    let hash = window.location().hash().unwrap_or_default();
    if let Some(token) = hash.strip_prefix("#token=").filter(|token| !token.is_empty()) {
        storage::set_trainer_token(code, token);
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("/trainer/{code}")));
        }
    }
}

/// Settings and decks, changeable until the game starts. Every change goes to the server at
/// once; what is shown is always the server's view.
#[component]
fn SettingsForm(session: Session) -> impl IntoView {
    let decks = LocalResource::new(api::decks);
    let current = move || session.view.with(|view| view.as_ref().map(|view| view.settings.clone())).unwrap_or_default();
    let change = move |edit: &dyn Fn(&mut Settings)| {
        let mut settings = current();
        edit(&mut settings);
        session.send(ClientMsg::Configure { settings, statement_decks: Vec::new(), role_deck: None });
    };
    let chosen_decks = move || session.view.with(|view| view.as_ref().map(|view: &View| view.decks.clone()));
    let toggle_deck = move |id: String, on: bool| {
        let Some(decks) = chosen_decks() else { return };
        let mut ids: Vec<String> = decks.statements.id.split('+').map(str::to_owned).collect();
        ids.retain(|known| *known != id);
        if on {
            ids.push(id);
        }
        if !ids.is_empty() {
            session.send(ClientMsg::Configure { settings: current(), statement_decks: ids, role_deck: None });
        }
    };
    let deck_choices = move || {
        decks.get().and_then(Result::ok).map(|list| {
            let chosen = chosen_decks();
            let statement_ids: Vec<String> =
                chosen.as_ref().map(|decks| decks.statements.id.split('+').map(str::to_owned).collect()).unwrap_or_default();
            let sources: Vec<String> = (chosen.iter())
                .flat_map(|decks| [&decks.statements.source, &decks.roles.source])
                .flatten()
                .map(|source| format!("{}: {}", t().deck_source, tr(source)))
                .collect();
            let role_id = chosen.map(|decks| decks.roles.id).unwrap_or_default();
            let statements = list
                .statements
                .into_iter()
                .map(|deck| {
                    let checked = statement_ids.contains(&deck.id);
                    let id = deck.id.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=checked on:change=move |ev| toggle_deck(id.clone(), event_target_checked(&ev)) />
                            {format!("{} ({})", tr(&deck.title), deck.cards)}
                        </label>
                    }
                })
                .collect_view();
            let roles = list
                .roles
                .into_iter()
                .map(|deck| view! { <option value=deck.id.clone() selected=deck.id == role_id>{tr(&deck.title)}</option> })
                .collect_view();
            view! {
                <fieldset>
                    <legend>{t().statement_deck}</legend>
                    {statements}
                </fieldset>
                <label for="role-deck">{t().role_deck}</label>
                <select id="role-deck" on:change=move |ev| {
                    session.send(ClientMsg::Configure { settings: current(), statement_decks: Vec::new(), role_deck: Some(event_target_value(&ev)) });
                }>{roles}</select>
                {sources.into_iter().map(|source| view! { <p class="hint deck-source">{source}</p> }).collect_view()}
            }
        })
    };
    let option =
        |value: String, label: String, selected: bool| view! { <option value=value selected=selected>{label}</option> };

    view! {
        <details class="panel settings" open>
            <summary>{t().settings}</summary>
            {deck_choices}
            <DeckUpload session=session />
            <TopicPicker session=session />
            <RoleDealingForm session=session />
            {move || {
                let settings = current();
                let seconds = settings.timer.seconds().unwrap_or(60);
                view! {
                    <label for="hand-size">{t().hand_size}</label>
                    <select id="hand-size" on:change=move |ev| {
                        let size = event_target_value(&ev).parse().unwrap_or(3);
                        change(&|s| s.hand_size = size);
                    }>
                        {(1..=Settings::MAX_HAND_SIZE).map(|n| option(n.to_string(), n.to_string(), n == settings.hand_size)).collect_view()}
                    </select>
                    <label for="reader-mode">{t().reader_mode}</label>
                    <select id="reader-mode" on:change=move |ev| {
                        let reader = if event_target_value(&ev) == "trainer" { ReaderMode::Trainer } else { ReaderMode::Rotating };
                        change(&|s| s.reader = reader);
                    }>
                        {option("rotating".into(), t().reader_rotating.into(), settings.reader == ReaderMode::Rotating)}
                        {option("trainer".into(), t().reader_trainer.into(), settings.reader == ReaderMode::Trainer)}
                    </select>
                    <label for="perspective">{t().perspective}</label>
                    <select id="perspective" on:change=move |ev| {
                        let perspective = if event_target_value(&ev) == "own" { Perspective::Own } else { Perspective::Role };
                        change(&|s| s.perspective = perspective);
                    }>
                        {option("role".into(), t().perspective_role.into(), settings.perspective == Perspective::Role)}
                        {option("own".into(), t().perspective_own.into(), settings.perspective == Perspective::Own)}
                    </select>
                    <label for="rotate-roles">{t().rotate_roles}</label>
                    <select id="rotate-roles" on:change=move |ev| {
                        let every = event_target_value(&ev).parse().unwrap_or(0);
                        change(&|s| s.rotate_roles_every = every);
                    }>
                        {[0u8, 1, 2, 3, 5].into_iter().map(|n| {
                            let label = match n {
                                0 => t().rotate_never.to_owned(),
                                1 => t().rotate_every_round.to_owned(),
                                n => t().rotate_every_n.replace("{n}", &n.to_string()),
                            };
                            option(n.to_string(), label, n == settings.rotate_roles_every)
                        }).collect_view()}
                    </select>
                    <label for="timer-mode">{t().timer}</label>
                    <select id="timer-mode" on:change=move |ev| {
                        let timer = match event_target_value(&ev).as_str() {
                            "soft" => TimerMode::Soft { seconds },
                            "hard" => TimerMode::Hard { seconds },
                            _ => TimerMode::Off,
                        };
                        change(&|s| s.timer = timer);
                    }>
                        {option("off".into(), t().timer_off.into(), settings.timer == TimerMode::Off)}
                        {option("soft".into(), t().timer_soft.into(), matches!(settings.timer, TimerMode::Soft { .. }))}
                        {option("hard".into(), t().timer_hard.into(), matches!(settings.timer, TimerMode::Hard { .. }))}
                    </select>
                    {(settings.timer != TimerMode::Off).then(|| view! {
                        <label for="timer-seconds">{t().timer_seconds}</label>
                        <input id="timer-seconds" type="number" min="10" max="900" step="5" prop:value=seconds.to_string()
                            on:change=move |ev| {
                                let seconds: u16 = event_target_value(&ev).parse().unwrap_or(60);
                                change(&|s| s.timer = match s.timer {
                                    TimerMode::Hard { .. } => TimerMode::Hard { seconds },
                                    _ => TimerMode::Soft { seconds },
                                });
                            } />
                    })}
                    <label for="joins-per-address">{t().joins_per_address}</label>
                    <input id="joins-per-address" type="number" min="1" max="200" step="1"
                        prop:value=settings.joins_per_address.to_string()
                        on:change=move |ev| {
                            let joins: u8 = event_target_value(&ev).parse().unwrap_or(Settings::DEFAULT_JOINS_PER_ADDRESS);
                            change(&|s| s.joins_per_address = joins.max(1));
                        } />
                    <p class="hint">{t().joins_per_address_hint}</p>
                    <label class="check">
                        <input id="auto-reveal" type="checkbox" prop:checked=settings.auto_reveal
                            on:change=move |ev| { let on = event_target_checked(&ev); change(&|s| s.auto_reveal = on); } />
                        {t().auto_reveal}
                    </label>
                    <label class="check">
                        <input id="anonymous" type="checkbox" prop:checked=settings.anonymous
                            on:change=move |ev| { let on = event_target_checked(&ev); change(&|s| s.anonymous = on); } />
                        {t().anonymous}
                    </label>
                }
            }}
        </details>
    }
}

/// Changes one setting, starting from the server's.
fn configure(session: Session, edit: impl FnOnce(&mut Settings)) {
    let Some(mut settings) = session.view.with_untracked(|view| view.as_ref().map(|view| view.settings.clone())) else {
        return;
    };
    edit(&mut settings);
    session.send(ClientMsg::Configure { settings, statement_decks: Vec::new(), role_deck: None });
}

/// The themes and terms of the chosen decks, named in the visitor's language: the room plays
/// only the statements with one of those picked, or all when none is.
#[component]
fn TopicPicker(session: Session) -> impl IntoView {
    let state = Memo::new(move |_| {
        session.view.with(|view| {
            view.as_ref().map(|view| {
                let (decks, settings) = (&view.decks, &view.settings);
                (decks.themes.clone(), decks.terms.clone(), settings.themes.clone(), settings.terms.clone())
            })
        })
    });
    let boxes = move |tags: Vec<Tag>, picked: Vec<String>, themes: bool| {
        tags.into_iter()
            .map(|tag| {
                let checked = picked.contains(&tag.tag);
                let name = tag.tag.clone();
                view! {
                    <label class="check">
                        <input type="checkbox" data-tag=tag.tag.clone() prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            configure(session, |settings| {
                                let list = if themes { &mut settings.themes } else { &mut settings.terms };
                                list.retain(|known| *known != name);
                                if on {
                                    list.push(name.clone());
                                }
                            });
                        } />
                        {format!("{} ({})", tr(&tag.label), tag.count)}
                    </label>
                }
            })
            .collect_view()
    };
    move || {
        state.get().map(|(themes, terms, picked_themes, picked_terms)| {
            // A pick the chosen decks do not hold (left from decks chosen before) picks nothing.
            let held = |tags: &[Tag], picked: &[String]| tags.iter().filter(|tag| picked.contains(&tag.tag)).count();
            let chosen = held(&themes, &picked_themes) + held(&terms, &picked_terms);
            let summary =
                if chosen == 0 { t().topics_all.to_owned() } else { t().topics_chosen.replace("{n}", &chosen.to_string()) };
            let open = chosen > 0;
            view! {
                <details class="topics" id="topics" open=open>
                    <summary>{t().topics}" "<strong>{summary}</strong></summary>
                    <p class="hint">{t().topics_hint}</p>
                    {(!themes.is_empty()).then(|| view! {
                        <fieldset id="topic-themes"><legend>{t().topic_themes}</legend><div class="choices">{boxes(themes, picked_themes, true)}</div></fieldset>
                    })}
                    {(!terms.is_empty()).then(|| view! {
                        <fieldset id="topic-terms"><legend>{t().topic_terms}</legend><div class="choices">{boxes(terms, picked_terms, false)}</div></fieldset>
                    })}
                </details>
            }
        })
    }
}

/// How roles are dealt: at random, with the roles the session is about first, or by hand, seat
/// by seat.
#[component]
fn RoleDealingForm(session: Session) -> impl IntoView {
    let state = Memo::new(move |_| {
        session.view.with(|view| {
            view.as_ref().map(|view| {
                let seated: Vec<(cards::SeatId, String)> =
                    view.seated().map(|seat| (seat.seat, seat.name.clone())).collect();
                (view.settings.role_dealing.clone(), view.decks.role_cards.clone(), view.assigned.clone(), seated)
            })
        })
    });
    move || {
        state.get().map(|(dealing, roles, assigned, seated)| {
            let option =
                |value: &str, label: &str, selected: bool| view! { <option value=value.to_owned() selected=selected>{label.to_owned()}</option> };
            let mode = view! {
                <label for="role-dealing">{t().role_dealing}</label>
                <select id="role-dealing" on:change=move |ev| {
                    let dealing = match event_target_value(&ev).as_str() {
                        "random" => RoleDealing::Random,
                        "by_hand" => RoleDealing::ByHand,
                        _ => RoleDealing::family_first(),
                    };
                    configure(session, |settings| settings.role_dealing = dealing);
                }>
                    {option("random", t().role_dealing_random, dealing == RoleDealing::Random)}
                    {option("chosen_first", t().role_dealing_chosen, matches!(dealing, RoleDealing::ChosenFirst { .. }))}
                    {option("by_hand", t().role_dealing_by_hand, dealing == RoleDealing::ByHand)}
                </select>
            };
            let detail = match dealing {
                RoleDealing::Random => ().into_any(),
                RoleDealing::ChosenFirst { roles: chosen } => {
                    let boxes = roles
                        .into_iter()
                        .map(|role| {
                            let checked = chosen.contains(&role.id);
                            let id = role.id.clone();
                            let label = format!("{} · {}", tr(&role.name), tr(&cards::chart::group_label(&role.group)));
                            view! {
                                <label class="check">
                                    <input type="checkbox" data-role=role.id.to_string() prop:checked=checked on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        configure(session, |settings| {
                                            if let RoleDealing::ChosenFirst { roles } = &mut settings.role_dealing {
                                                roles.retain(|known| *known != id);
                                                if on {
                                                    roles.push(id.clone());
                                                }
                                            }
                                        });
                                    } />
                                    {label}
                                </label>
                            }
                        })
                        .collect_view();
                    view! {
                        <fieldset id="chosen-roles">
                            <legend>{t().role_dealing_chosen}</legend>
                            <p class="hint">{t().role_dealing_chosen_hint}</p>
                            <div class="choices">{boxes}</div>
                        </fieldset>
                    }
                    .into_any()
                }
                RoleDealing::ByHand => {
                    let rows = seated
                        .into_iter()
                        .map(|(seat, name)| {
                            let given = assigned.iter().find(|(held, _)| *held == seat).map(|(_, role)| role.clone());
                            let options = roles
                                .iter()
                                .map(|role| option(role.id.as_str(), &tr(&role.name), given.as_ref() == Some(&role.id)))
                                .collect_view();
                            let id = format!("role-for-{}", seat.0);
                            view! {
                                <label for=id.clone()>{name}</label>
                                <select id=id on:change=move |ev| {
                                    let picked = event_target_value(&ev);
                                    let role = (!picked.is_empty()).then(|| cards::CardId::new(picked));
                                    session.send(ClientMsg::AssignRole { seat, role });
                                }>
                                    {option("", t().role_free, given.is_none())}
                                    {options}
                                </select>
                            }
                        })
                        .collect_view();
                    view! {
                        <fieldset id="roles-by-hand">
                            <legend>{t().role_dealing_by_hand}</legend>
                            <p class="hint">{t().role_dealing_by_hand_hint}</p>
                            {rows}
                        </fieldset>
                    }
                    .into_any()
                }
            };
            view! { {mode}{detail} }
        })
    }
}

/// A trainer's own deck file (TOML, or CSV with a `text` column): the room plays with it, or,
/// if it has any problem, nothing changes and every problem is listed.
#[component]
fn DeckUpload(session: Session) -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<api::DeckAccepted, api::DeckRefused>>);
    let busy = RwSignal::new(false);
    let chosen = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        let code = session.code.get_value();
        let token = storage::trainer_token(&code).unwrap_or_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let name = file.name();
            let content =
                wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|text| text.as_string());
            let result = match content {
                Some(content) => api::upload_deck(&code, &token, &name, content).await,
                None => Err(api::DeckRefused {
                    code: "unreadable".to_owned(),
                    message: cards::Text::new(t().upload_unreadable, ""),
                    errors: Vec::new(),
                    more: 0,
                }),
            };
            outcome.set(Some(result));
            busy.set(false);
        });
    };
    let report = move || {
        outcome.get().map(|result| match result {
            Ok(deck) => {
                let (one, many) = if deck.draaiboek { (t().steps_one, t().steps_many) } else { (t().cards_one, t().cards_many) };
                view! { <p class="confirmation" role="status">{format!("{} {} ({})", t().upload_done, tr(&deck.title), count(deck.cards, one, many))}</p> }.into_any()
            }
            Err(refused) => {
                let problems = refused
                    .errors
                    .into_iter()
                    .map(|problem| {
                        let place = if problem.field.is_empty() {
                            format!("{} {}", t().line, problem.line)
                        } else {
                            format!("{} {} · {}", t().line, problem.line, problem.field)
                        };
                        view! { <li><strong>{place}</strong>": "{tr(&problem.message)}</li> }
                    })
                    .collect_view();
                let more = (refused.more > 0).then(|| t().upload_more.replace("{n}", &refused.more.to_string()));
                view! {
                    <div class="upload-errors" role="alert">
                        <p class="problem">{tr(&refused.message)}</p>
                        <ul>{problems}</ul>
                        {more.map(|more| view! { <p>{more}</p> })}
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <label for="deck-upload">{t().upload_deck}</label>
        <input id="deck-upload" type="file" accept=".toml,.csv,text/csv" disabled=move || busy.get() on:change=chosen />
        <p class="hint">{t().upload_hint}</p>
        <p class="hint"><a id="guide-link" href=guide_href() target="_blank">{t().guide_link}</a></p>
        {report}
    }
}

/// "Markeer": one tap marks this moment of the session for the review, with an optional line
/// of note. Participants and screens never hear of it.
#[component]
fn MarkMoment(session: Session) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let marks = move || session.view.with(|view| view.as_ref().map_or(0, |view| view.marks));
    let mark = move |_| {
        let text = note.get_untracked();
        session.send(ClientMsg::Mark { note: (!text.trim().is_empty()).then_some(text) });
        note.set(String::new());
    };
    view! {
        <section class="panel mark-moment" aria-labelledby="mark-title">
            <h2 id="mark-title" class="visually-hidden">{t().mark}</h2>
            <label for="mark-note">{t().mark_note}</label>
            <div class="controls">
                <input id="mark-note" maxlength=cards::notes::MAX_NOTE_CHARS.to_string()
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                <button id="mark" on:click=mark>"★ "{t().mark}</button>
            </div>
            {move || (marks() > 0).then(|| view! {
                <p class="muted" id="marks-done" role="status">{t().marks_done.replace("{count}", &marks().to_string())}</p>
            })}
        </section>
    }
}

/// Lock, co-trainers, hand-over and the end of the session.
#[component]
fn TrainerTools(session: Session, code: String) -> impl IntoView {
    let locked = move || session.view.with(|view| view.as_ref().is_some_and(|view| view.locked));
    let trainers = move || session.view.with(|view| view.as_ref().map_or(0, |view| view.trainers.len()));
    let me = move || {
        session.view.with(|view| match view.as_ref().map(|view| view.you) {
            Some(cards::view::Identity::Trainer { trainer }) => Some(trainer),
            _ => None,
        })
    };
    let origin = web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default();
    let invite_link = move || session.invite.get().map(|token| format!("{origin}/trainer/{code}#token={token}"));
    view! {
        <section class="panel tools">
            {move || locked().then(|| view! { <p class="notice">{t().locked_note}</p> })}
            <div class="controls">
                <button id="lock" on:click=move |_| session.send(ClientMsg::Lock { locked: !locked() })>
                    {move || if locked() { t().unlock } else { t().lock }}
                </button>
                <button id="invite" on:click=move |_| session.send(ClientMsg::AddTrainer)>{t().invite_trainer}</button>
                {move || (trainers() > 1).then(|| view! {
                    <button id="hand-over" on:click=move |_| {
                        if let Some(trainer) = me() {
                            session.send(ClientMsg::RemoveTrainer { trainer });
                        }
                    }>{t().hand_over}</button>
                })}
                <button id="end" class="danger" on:click=move |_| {
                    if confirm(t().end_confirm) {
                        session.send(ClientMsg::End);
                    }
                }>{t().end_session}</button>
            </div>
            <p class="muted">{move || count(trainers(), t().trainers_one, t().trainers_many)}</p>
            {move || invite_link().map(|link| view! {
                <p>{t().invite_hint}</p>
                <p><code class="invite-link">{link}</code></p>
            })}
        </section>
    }
}
