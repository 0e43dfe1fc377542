//! The agenda: where the session is (on every screen), time used against time planned and the
//! way on to the next work form (on the console), and in the lobby the agenda itself, to
//! follow a draaiboek or change it step by step.

use std::time::Duration;

use cards::forms::FormKind;
use cards::forms::actions::ActionSettings;
use cards::forms::mirror::MirrorSettings;
use cards::forms::scale::ScaleSettings;
use cards::forms::table::TableSettings;
use cards::protocol::ClientMsg;
use cards::session::agenda::{Step, StepForm};
use cards::session::plan::{AgendaEdit, StepSettings};
use cards::view::SessionView;
use leptos::prelude::*;

use super::{form_name, step_title};
use crate::api;
use crate::i18n::{t, tr};
use crate::session::Session;

/// "Stap 2 van 4 · Stellingen", for the phones and the projector.
#[component]
pub fn StepLine(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let agenda = view.as_ref()?.session.as_ref()?;
            let running = agenda.running?;
            let step = agenda.steps.get(usize::from(running))?;
            let text = t()
                .step_of
                .replace("{n}", &(usize::from(running) + 1).to_string())
                .replace("{of}", &agenda.steps.len().to_string());
            Some(view! {
                <p class="step-line" id="step-line">{text}" · "<strong>{step_title(step.title.as_ref(), step.form)}</strong></p>
            })
        })
    }
}

/// Minutes and seconds, `12:05`.
fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The console's agenda: every step with its planned minutes, the ones done with the time they
/// took, the running one with its clock, and "Volgende werkvorm".
#[component]
pub fn AgendaPanel(session: Session) -> impl IntoView {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    move || {
        session.view.with(|view| {
            let agenda = view.as_ref()?.session.clone()?;
            let running = agenda.running;
            let elapsed = agenda.running_ms.map(|ms| ms + (now.get() - session.step_clock_at.get()).max(0.0) as u64);
            let rows = agenda
                .steps
                .iter()
                .enumerate()
                .map(|(index, step)| {
                    let is_running = running == Some(index as u16);
                    let planned = step.minutes;
                    let used = if is_running { elapsed } else { step.used_ms };
                    let over = used.is_some_and(|used| used > u64::from(planned) * 60_000);
                    let time = match used {
                        Some(used) => format!("{} / {planned} {}", clock(used), t().minutes_short),
                        None => format!("{planned} {}", t().minutes_short),
                    };
                    view! {
                        <li class:running=is_running class:done=step.used_ms.is_some() data-step=index>
                            <span class="step-name">{step_title(step.title.as_ref(), step.form)}</span>
                            <span class="step-form muted">{form_name(step.form)}</span>
                            <span class="step-time" class:over=over>{time}</span>
                        </li>
                    }
                })
                .collect_view();
            let next = running.and_then(|running| agenda.steps.get(usize::from(running) + 1)).map(|step| {
                let label = format!("{}: {}", t().next_step, step_title(step.title.as_ref(), step.form));
                view! {
                    <button id="next-step" on:click=move |_| session.send(ClientMsg::NextStep)>{label}</button>
                }
            });
            let total: u32 = agenda.steps.iter().map(|step| u32::from(step.minutes)).sum();
            Some(view! {
                <section class="agenda" aria-label=t().agenda>
                    <h2>{tr(&agenda.title)}<span class="muted">{format!(" · {total} {}", t().minutes_short)}</span></h2>
                    <ol>{rows}</ol>
                    {next}
                </section>
            })
        })
    }
}

/// In the lobby (and, for the steps still to come, during the session): follow a draaiboek,
/// or change the agenda a step at a time.
#[component]
pub fn AgendaEditor(session: Session) -> impl IntoView {
    let offered = LocalResource::new(api::decks);
    let adding = RwSignal::new(String::new());
    // Whose settings are open survives the agenda being drawn again at every update.
    let open_settings = RwSignal::new(None::<u16>);
    let agenda = move || session.view.with(|view| view.as_ref().map(|view| view.session.clone()));
    let started = move || {
        session.view.with(|view| {
            view.as_ref()
                .and_then(|view| view.session.as_ref())
                .and_then(|session| session.running)
                .map_or(0, |step| usize::from(step) + 1)
        })
    };
    let load = move |ev| {
        let draaiboek = event_target_value(&ev);
        if !draaiboek.is_empty() {
            session.send(ClientMsg::LoadAgenda { draaiboek });
        }
    };
    let draaiboeken = move || {
        offered.get().and_then(Result::ok).map(|list| {
            let options = list
                .draaiboeken
                .into_iter()
                .map(|draaiboek| {
                    let label = format!("{} ({} {})", tr(&draaiboek.title), draaiboek.minutes, t().minutes_short);
                    view! { <option value=draaiboek.id.clone()>{label}</option> }
                })
                .collect_view();
            let in_lobby =
                session.view.with(|view| view.as_ref().is_some_and(|view| view.phase == cards::view::PhaseView::Lobby));
            in_lobby.then(|| {
                view! {
                    <label for="load-draaiboek">{t().load_draaiboek}</label>
                    <select id="load-draaiboek" on:change=load>
                        <option value="">{t().choose}</option>
                        {options}
                    </select>
                }
            })
        })
    };
    let steps = move || {
        let shown = agenda().flatten();
        let steps: Vec<(Option<cards::Text>, FormKind, u16, Option<StepSettings>)> = match &shown {
            Some(SessionView { steps, .. }) => {
                steps.iter().map(|step| (step.title.clone(), step.form, step.minutes, step.settings.clone())).collect()
            }
            // A session without an agenda plays its statements as its one step.
            None => vec![(None, FormKind::Statements, 45, None)],
        };
        let count = steps.len();
        let first_free = started();
        steps
            .into_iter()
            .enumerate()
            .map(|(index, (title, form, minutes, settings))| {
                let step = index as u16;
                let fixed = index < first_free;
                let edit = move |edit: AgendaEdit| session.send(ClientMsg::EditAgenda(edit));
                let open = move || open_settings.get() == Some(step);
                let settings = settings.filter(|_| !fixed).map(|settings| {
                    view! {
                        <button class="small" id=format!("step-{index}-settings") aria-label=t().step_settings
                            aria-expanded=move || open().to_string()
                            on:click=move |_| open_settings.update(|shown| *shown = if *shown == Some(step) { None } else { Some(step) })>"⚙"</button>
                        {move || open().then(|| view! { <StepSettingsEditor session step settings=settings.clone() /> })}
                    }
                });
                view! {
                    <li data-step=index>
                        <span class="step-name">{step_title(title.as_ref(), form)}</span>
                        <label class="minutes">
                            <input type="number" min="1" max="480" value=minutes.to_string() disabled=fixed
                                aria-label=t().minutes_planned
                                on:change=move |ev| {
                                    if let Ok(minutes) = event_target_value(&ev).parse() {
                                        edit(AgendaEdit::Minutes { step, minutes });
                                    }
                                } />
                            " "{t().minutes_short}
                        </label>
                        <button class="small" aria-label=t().step_up disabled=fixed || index == first_free
                            on:click=move |_| edit(AgendaEdit::Move { step, to: step.saturating_sub(1) })>"↑"</button>
                        <button class="small" aria-label=t().step_down disabled=fixed || index + 1 == count
                            on:click=move |_| edit(AgendaEdit::Move { step, to: step + 1 })>"↓"</button>
                        <button class="small" aria-label=t().step_remove disabled=fixed || count == 1
                            on:click=move |_| edit(AgendaEdit::Remove { step })>"✕"</button>
                        {settings}
                    </li>
                }
            })
            .collect_view()
    };
    let add = move |_| {
        let list = offered.get_untracked().and_then(Result::ok);
        let question_deck = list.as_ref().and_then(|list| list.questions.first().map(|deck| deck.id.clone()));
        let case_deck = list.as_ref().and_then(|list| list.cases.first().map(|deck| deck.id.clone()));
        let form = match adding.get_untracked().as_str() {
            "scale" => match question_deck {
                Some(deck) => StepForm::Scale { deck, cards: Vec::new(), settings: Default::default() },
                None => return,
            },
            "mirror" => match list
                .as_ref()
                .and_then(|list| {
                    list.questions.iter().find(|deck| deck.id == "spiegelvragen").or(list.questions.first())
                })
                .map(|deck| deck.id.clone())
            {
                Some(deck) => StepForm::Mirror { deck, cards: Vec::new(), settings: MirrorSettings::default() },
                None => return,
            },
            "table" => match case_deck {
                Some(deck) => StepForm::Table { deck, cards: Vec::new(), settings: TableSettings::default() },
                None => return,
            },
            "actions" => StepForm::Actions { settings: ActionSettings::default() },
            "statements" => StepForm::Statements { decks: Vec::new(), settings: Default::default() },
            _ => return,
        };
        let minutes = match form {
            StepForm::Scale { .. } => 10,
            StepForm::Actions { .. } => 30,
            StepForm::Statements { .. } => 45,
            StepForm::Table { .. } => 30,
            StepForm::Mirror { .. } => 60,
        };
        session.send(ClientMsg::EditAgenda(AgendaEdit::Add { step: Step { title: None, minutes, form }, at: None }));
        adding.set(String::new());
    };
    view! {
        <section class="agenda-editor panel" aria-label=t().agenda>
            <h3>{t().agenda}</h3>
            <p class="hint">{t().agenda_hint}</p>
            {draaiboeken}
            <ol class="agenda-steps">{steps}</ol>
            <label for="add-step">{t().add_step}</label>
            <div class="add-step">
                <select id="add-step" prop:value=move || adding.get() on:change=move |ev| adding.set(event_target_value(&ev))>
                    <option value="">{t().choose}</option>
                    <option value="scale">{t().form_scale}</option>
                    <option value="statements">{t().form_statements}</option>
                    <option value="table">{t().form_table}</option>
                    <option value="mirror">{t().form_mirror}</option>
                    <option value="actions">{t().form_actions}</option>
                </select>
                <button id="add-step-submit" class="small" disabled=move || adding.get().is_empty() on:click=add>{t().add}</button>
            </div>
        </section>
    }
}

/// A coming step's own settings, each change sent at once: what a schaalvraag asks beside the
/// number and whether it shows names; how many proposals and dots verbeteracties give.
#[component]
fn StepSettingsEditor(session: Session, step: u16, settings: StepSettings) -> impl IntoView {
    let send =
        move |settings: StepSettings| session.send(ClientMsg::EditAgenda(AgendaEdit::Settings { step, settings }));
    let id = move |field: &str| format!("step-{step}-{field}");
    let body = match settings {
        StepSettings::Scale(scale) => {
            let check = |field: &str, label: &'static str, on: bool, set: fn(&mut ScaleSettings, bool)| {
                let scale = scale.clone();
                let change = move |ev| {
                    let mut next = scale.clone();
                    set(&mut next, event_target_checked(&ev));
                    send(StepSettings::Scale(next));
                };
                view! { <label class="check"><input type="checkbox" id=id(field) checked=on on:change=change />" "{label}</label> }
            };
            view! {
                {check("why-not-lower", t().scale_asks_why_not_lower, scale.why_not_lower, |s, on| s.why_not_lower = on)}
                {check("one-point-higher", t().scale_asks_higher, scale.one_point_higher, |s, on| s.one_point_higher = on)}
                {check("anonymous", t().scale_anonymous, scale.anonymous, |s, on| s.anonymous = on)}
            }
            .into_any()
        }
        StepSettings::Actions(actions) => {
            let number = |field: &str, label: &'static str, value: u8, max: u8, set: fn(&mut ActionSettings, u8)| {
                let actions = actions.clone();
                let change = move |ev| {
                    if let Ok(value) = event_target_value(&ev).parse() {
                        let mut next = actions.clone();
                        set(&mut next, value);
                        send(StepSettings::Actions(next));
                    }
                };
                view! {
                    <label class="number">{label}" "
                        <input type="number" min="1" max=max.to_string() id=id(field) value=value.to_string() on:change=change />
                    </label>
                }
            };
            let check = |field: &str, label: &'static str, on: bool, set: fn(&mut ActionSettings, bool)| {
                let actions = actions.clone();
                let change = move |ev| {
                    let mut next = actions.clone();
                    set(&mut next, event_target_checked(&ev));
                    send(StepSettings::Actions(next));
                };
                view! { <label class="check"><input type="checkbox" id=id(field) checked=on on:change=change />" "{label}</label> }
            };
            let max_proposals = ActionSettings::MAX_PROPOSALS_PER_PERSON;
            view! {
                {number("proposals", t().actions_proposals_each, actions.proposals_per_person, max_proposals, |s, n| s.proposals_per_person = n)}
                {number("dots", t().actions_dots_each, actions.dots, ActionSettings::MAX_DOTS, |s, n| s.dots = n)}
                {number("dots-per-proposal", t().actions_dots_per_proposal, actions.dots_per_proposal, actions.dots, |s, n| s.dots_per_proposal = n)}
                {check("names-shown", t().actions_names_shown, actions.names_shown, |s, on| s.names_shown = on)}
                {check("from-scale", t().actions_from_scale, actions.from_scale, |s, on| s.from_scale = on)}
            }
            .into_any()
        }
        StepSettings::Mirror(mirror) => {
            let check = |field: &str, label: &'static str, on: bool, set: fn(&mut MirrorSettings, bool)| {
                let mirror = mirror.clone();
                let change = move |ev| {
                    let mut next = mirror.clone();
                    set(&mut next, event_target_checked(&ev));
                    send(StepSettings::Mirror(next));
                };
                view! { <label class="check"><input type="checkbox" id=id(field) checked=on on:change=change />" "{label}</label> }
            };
            view! {
                {check("typed-answers", t().mirror_typed_setting, mirror.typed_answers, |s, on| s.typed_answers = on)}
                {check("names-shown", t().mirror_names_shown, mirror.names_shown, |s, on| s.names_shown = on)}
            }
            .into_any()
        }
        StepSettings::Table(table) => {
            let check = |field: &str, label: &'static str, on: bool, set: fn(&mut TableSettings, bool)| {
                let table = table.clone();
                let change = move |ev| {
                    let mut next = table.clone();
                    set(&mut next, event_target_checked(&ev));
                    send(StepSettings::Table(next));
                };
                view! { <label class="check"><input type="checkbox" id=id(field) checked=on on:change=change />" "{label}</label> }
            };
            let seats = {
                let table = table.clone();
                move |ev| {
                    if let Ok(value) = event_target_value(&ev).parse() {
                        send(StepSettings::Table(TableSettings { advised_seats: value, ..table.clone() }));
                    }
                }
            };
            view! {
                <label class="number">{t().table_advised_seats}" "
                    <input type="number" min="0" max=TableSettings::MAX_ADVISED_SEATS.to_string() id=id("advised-seats")
                        value=table.advised_seats.to_string() on:change=seats />
                </label>
                {check("regie", t().table_asks_regie, table.regie, |s, on| s.regie = on)}
                {check("anonymous", t().table_anonymous, table.anonymous, |s, on| s.anonymous = on)}
            }
            .into_any()
        }
    };
    view! { <fieldset class="step-settings"><legend>{t().step_settings}</legend>{body}</fieldset> }
}

/// The learning group's actions from the meeting before, asked about at the start: "wat
/// hebben we gedaan met…?".
#[component]
pub fn CarriedActions(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let session = view.as_ref()?.session.as_ref()?;
            let (carried, agreed) = (session.carried.clone(), session.agreed.clone());
            let actions = (!carried.is_empty()).then(|| {
                let items = carried
                    .into_iter()
                    .map(|action| {
                        let who = match (action.owner, action.by) {
                            (Some(owner), Some(by)) => format!(" · {owner}, {by}"),
                            (Some(owner), None) => format!(" · {owner}"),
                            (None, Some(by)) => format!(" · {by}"),
                            (None, None) => String::new(),
                        };
                        view! { <li>{action.text}<span class="muted">{who}</span></li> }
                    })
                    .collect_view();
                view! {
                    <section class="carried" id="carried" aria-label=t().carried_title>
                        <h2>{t().carried_title}</h2>
                        <ul>{items}</ul>
                    </section>
                }
            });
            let definitions = (!agreed.is_empty()).then(|| {
                let items = agreed
                    .into_iter()
                    .map(|agreed| view! { <dt>{agreed.term}</dt><dd>{agreed.definition}</dd> })
                    .collect_view();
                view! {
                    <section class="carried" id="agreed-before" aria-labelledby="agreed-before-title">
                        <h2 id="agreed-before-title">{t().agreed_before_title}</h2>
                        <dl>{items}</dl>
                    </section>
                }
            });
            (actions.is_some() || definitions.is_some()).then(|| view! { {actions}{definitions} })
        })
    }
}
