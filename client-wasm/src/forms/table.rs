//! The keukentafeluitdaging on each screen: the phone lays out the role deck for the case (one
//! tap moves a role: niet nodig → aan tafel → op afroep), names who holds the regie and may say
//! why; the console puts a case on the table and reveals; the projector shows the case large,
//! then the group's table seen from above with what the group is split about.

use std::collections::BTreeMap;

use cards::chart;
use cards::deck::{CardId, CaseCard};
use cards::forms::table::{Layout, Place, Regie, TableCommand, TableFigures, TableRoundView};
use cards::protocol::ClientMsg;
use cards::view::{RoleName, TableStepView};
use cards::{SeatId, View};
use leptos::prelude::*;

use crate::components::group_legend;
use crate::i18n::{t, tr};
use crate::session::Session;

fn table_of(view: &Option<View>) -> Option<TableStepView> {
    view.as_ref()?.session.as_ref()?.table.clone()
}

fn roles_of(view: &View) -> Vec<RoleName> {
    view.decks.role_cards.clone()
}

fn role_name(roles: &[RoleName], id: &CardId) -> String {
    roles.iter().find(|role| &role.id == id).map_or_else(|| id.to_string(), |role| tr(&role.name))
}

fn place_name(place: Place) -> &'static str {
    match place {
        Place::Table => t().place_table,
        Place::OnCall => t().place_on_call,
        Place::NotNeeded => t().place_not_needed,
    }
}

fn place_class(place: Place) -> &'static str {
    match place {
        Place::Table => "table",
        Place::OnCall => "on-call",
        Place::NotNeeded => "not-needed",
    }
}

fn regie_name(roles: &[RoleName], regie: &Regie) -> String {
    match regie {
        Regie::Family => t().regie_family.to_owned(),
        Regie::Role(role) => role_name(roles, role),
    }
}

/// The case, large on the projector: its title and its story.
fn case_card(case: &CaseCard, round: usize, large: bool) -> impl IntoView + use<> {
    let again =
        (round > 1).then(|| view! { <p class="muted">{t().table_round.replace("{n}", &round.to_string())}</p> });
    view! {
        <section class="case-card" class:projector-statement=large id="table-case">
            <p class="label">{t().form_table}</p>
            <h2 class="case-title">{tr(&case.title)}</h2>
            <p class="case-text">{tr(&case.text)}</p>
            {again}
        </section>
    }
}

/// A participant's phone during a keukentafeluitdaging.
#[component]
pub fn TablePlayer(session: Session) -> impl IntoView {
    // Built again only when a case is laid or revealed: someone else finishing must not undo
    // the taps of a phone that is laying out.
    let shape = Memo::new(move |_| {
        session.view.with(|view| {
            let step = table_of(view)?;
            Some((step.rounds, step.round.as_ref().map(|round| round.revealed.is_some())))
        })
    });
    move || {
        let _shape = shape.get();
        let Some(step) = session.view.with_untracked(table_of) else { return ().into_any() };
        let Some(round) = step.round.clone() else {
            return view! { <p class="notice" id="table-waiting">{t().table_waiting}</p> }.into_any();
        };
        if round.revealed.is_some() {
            return view! { {case_card(&round.case, round.round, false)} <TableReveal session=session /> }.into_any();
        }
        view! { {case_card(&round.case, round.round, false)} <LayoutForm session=session step=step /> }.into_any()
    }
}

#[component]
fn LayoutForm(session: Session, step: TableStepView) -> impl IntoView {
    let roles = session.view.with_untracked(|view| view.as_ref().map(roles_of).unwrap_or_default());
    let mine = move || session.view.with(|view| view.as_ref()?.mine.clone()?.table);
    // A new round on a case this phone laid out before in this step starts from that lay-out.
    let running = session.view.with_untracked(|view| view.as_ref().and_then(|view| view.session.as_ref()?.running));
    let case = step.round.as_ref().map(|round| (running.unwrap_or(0), round.case.id.clone()));
    let earlier =
        session.last_layout.get_value().filter(|(laid, _)| Some(laid) == case.as_ref()).map(|(_, layout)| layout);
    let mut start = mine().or(earlier).unwrap_or_default();
    if !step.settings.regie {
        start.regie = None;
    }
    let layout = RwSignal::new(start);
    let reasons_open = RwSignal::new(None::<CardId>);
    let settings = step.settings.clone();
    let advised = usize::from(settings.advised_seats);
    let seats = move || layout.with(Layout::seats);
    let mut groups: Vec<String> = roles.iter().map(|role| role.group.clone()).collect();
    groups.sort_by(|a, b| chart::group_order(a).cmp(&chart::group_order(b)));
    groups.dedup();
    let sections = groups
        .into_iter()
        .map(|group| {
            let items = roles
                .iter()
                .filter(|role| role.group == group)
                .map(|role| {
                    let id = role.id.clone();
                    let name = tr(&role.name);
                    let (cycle_id, reason_id, reason_key) = (id.clone(), id.clone(), id.clone());
                    let place = Signal::derive(move || layout.with(|layout| layout.place(&id)));
                    let cycle = move |_| {
                        layout.update(|layout| {
                            let next = layout.place(&cycle_id).next();
                            layout.places.insert(cycle_id.clone(), next);
                        })
                    };
                    let open = Signal::derive(move || reasons_open.get().as_ref() == Some(&reason_key));
                    let reason_field = {
                        let id = reason_id.clone();
                        let name = name.clone();
                        move || {
                            let id = id.clone();
                            open.get().then(|| {
                                let value = layout.with_untracked(|layout| layout.reasons.get(&id).cloned().unwrap_or_default());
                                let input_id = id.clone();
                                view! {
                                    <input type="text" class="reason" id=format!("reason-{id}")
                                        aria-label=t().table_reason_for.replace("{role}", &name)
                                        maxlength=cards::limits::MAX_ARGUMENT_CHARS.to_string() value=value
                                        on:input=move |ev| {
                                            let text = event_target_value(&ev);
                                            layout.update(|layout| {
                                                layout.reasons.insert(input_id.clone(), text);
                                            });
                                        } />
                                }
                            })
                        }
                    };
                    let toggle_id = reason_id.clone();
                    view! {
                        <li data-role=role.id.to_string()>
                            <button type="button" class=move || format!("role-place {}", place_class(place.get()))
                                data-place=move || place_class(place.get()) on:click=cycle>
                                <span class="role-name">{name.clone()}</span>" "
                                <span class="place">{move || place_name(place.get())}</span>
                            </button>
                            <button type="button" class="small reason-toggle" aria-label=t().table_reason_for.replace("{role}", &name)
                                aria-expanded=move || open.get().to_string()
                                on:click=move |_| reasons_open.update(|shown| {
                                    *shown = if shown.as_ref() == Some(&toggle_id) { None } else { Some(toggle_id.clone()) };
                                })>"✎"</button>
                            {reason_field}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="role-group">
                    <h3>{tr(&chart::group_label(&group))}</h3>
                    <ul class="role-places">{items}</ul>
                </section>
            }
        })
        .collect_view();
    let regie_field = settings.regie.then(|| {
        // Each option says whether it is the one chosen: a value set on the select before its
        // options exist would show "Kies …" while the earlier choice is still sent.
        let chosen = layout.with_untracked(|layout| match &layout.regie {
            Some(Regie::Family) => "family".to_owned(),
            Some(Regie::Role(role)) => role.to_string(),
            None => String::new(),
        });
        let options = roles
            .iter()
            .map(|role| {
                let selected = chosen == role.id.as_str();
                view! { <option value=role.id.to_string() selected=selected>{tr(&role.name)}</option> }
            })
            .collect_view();
        view! {
            <label for="regie">{t().table_regie}</label>
            <select id="regie" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                layout.update(|layout| {
                    layout.regie = match chosen.as_str() {
                        "" => None,
                        "family" => Some(Regie::Family),
                        role => Some(Regie::Role(CardId::new(role))),
                    };
                });
            }>
                <option value="" selected=chosen.is_empty()>{t().choose}</option>
                <option value="family" selected=chosen == "family">{t().regie_family}</option>
                {options}
            </select>
        }
    });
    let count = move || {
        let n = seats();
        let above = advised > 0 && n > advised;
        let advice = (advised > 0).then(|| format!(" · {}", t().table_advice.replace("{n}", &advised.to_string())));
        view! {
            <p class="table-count" class:above=above id="table-count" aria-live="polite">
                <strong>{t().table_count.replace("{n}", &n.to_string())}</strong>{advice}
            </p>
            {above.then(|| view! { <p class="gentle-warning" id="table-above-advice">{t().table_above_advice}</p> })}
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut sent = layout.get_untracked();
        // A reason counts for any role, also one left at niet nodig ("why not the school?").
        sent.reasons.retain(|_, reason| !reason.trim().is_empty());
        sent.places.retain(|_, place| *place != Place::NotNeeded);
        if let Some(case) = case.clone() {
            session.last_layout.set_value(Some((case, sent.clone())));
        }
        session.send(ClientMsg::Table(TableCommand::Place(sent)));
    };
    let sent = move || {
        mine().map(|mine| {
            view! { <p class="sent" id="table-sent" role="status">{t().table_sent.replace("{n}", &mine.seats().to_string())}</p> }
        })
    };
    view! {
        <form class="answer-form table-form" on:submit=submit>
            <p class="hint">{t().table_hint}</p>
            {count}
            {sections}
            {regie_field}
            <button type="submit" id="table-submit" class="primary">{t().table_send}</button>
            {sent}
        </form>
    }
}

/// The console during a keukentafeluitdaging: the cases to lay, how many are done, the reveal,
/// another round on the same case after the talk.
#[component]
pub fn TableTrainer(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = table_of(view)?;
            let view = view.as_ref()?;
            let open = step.round.as_ref().is_some_and(|round| round.revealed.is_none());
            let lay = move |case: CardId| session.send(ClientMsg::Table(TableCommand::Lay { case }));
            let cases = step
                .cases
                .iter()
                .map(|case| {
                    let id = case.id.clone();
                    let note = case.note.as_ref().map(|note| view! { <p class="muted case-note">{t().table_note}": "{tr(note)}</p> });
                    view! {
                        <li>
                            <span><strong>{tr(&case.title)}</strong></span>
                            <button class="small" disabled=open data-case=case.id.to_string()
                                on:click=move |_| lay(id.clone())>{t().table_lay}</button>
                            {note}
                        </li>
                    }
                })
                .collect_view();
            let round = step.round.clone().map(|round| {
                let present = view.seated().filter(|seat| seat.presence == cards::Presence::Here).count();
                let count = format!("{} {} {} {}", round.answered.len(), t().of, present.max(round.answered.len()), t().answered_count);
                let case = round.case.id.clone();
                let control = if round.revealed.is_none() {
                    view! {
                        <p class="projector-count" id="table-count-console">{count}</p>
                        <button id="table-reveal" class="primary" on:click=move |_| session.send(ClientMsg::Table(TableCommand::Reveal))>{t().reveal}</button>
                    }
                    .into_any()
                } else {
                    view! {
                        <TableReveal session=session />
                        <button id="table-again" class="primary" on:click=move |_| lay(case.clone())>{t().table_again}</button>
                    }
                    .into_any()
                };
                view! { {case_card(&round.case, round.round, false)} {control} }
            });
            Some(view! {
                {round}
                <section class="table-cases">
                    <h3>{t().table_cases}</h3>
                    <ul>{cases}</ul>
                </section>
            })
        })
    }
}

/// The projector during a keukentafeluitdaging.
#[component]
pub fn TableProjector(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = table_of(view)?;
            let round = step.round?;
            if round.revealed.is_some() {
                return Some(
                    view! { {case_card(&round.case, round.round, false)} <TableReveal session=session /> }.into_any(),
                );
            }
            let count = format!("{} {}", round.answered.len(), t().answered_count);
            Some(
                view! {
                    {case_card(&round.case, round.round, true)}
                    <p class="projector-count" aria-live="polite">{count}</p>
                }
                .into_any(),
            )
        })
    }
}

/// Everyone's tables at once: the group's table seen from above (the roles most seat), the
/// roles the group is split about, the table sizes against the advice, the regie, where family
/// and network differ from the others, the reasons, and who moved which role.
#[component]
pub fn TableReveal(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = table_of(view)?;
            let view = view.as_ref()?;
            let round = step.round.clone()?;
            let layouts = round.revealed.clone()?;
            let roles = roles_of(view);
            let deck = role_deck(&roles);
            let group_of = |seat: Option<SeatId>| {
                seat.and_then(|seat| view.seat(seat)).and_then(|seat| seat.role.as_ref()).map(|role| role.group.clone())
            };
            let groups: Vec<Option<String>> = layouts.iter().map(|(seat, _)| group_of(*seat)).collect();
            let figures = TableFigures::of(
                &deck,
                groups.iter().zip(&layouts).map(|(group, (_, layout))| (group.as_deref(), layout)),
                &step.settings,
            );
            Some(reveal_view(view, &round, &roles, &figures, &step.settings, &layouts))
        })
    }
}

/// The role deck as the figures need it, from the names every view carries.
fn role_deck(roles: &[RoleName]) -> cards::deck::RoleDeck {
    let cards = roles
        .iter()
        .map(|role| cards::deck::RoleCard {
            id: role.id.clone(),
            name: role.name.clone(),
            group: role.group.clone(),
            perspective: cards::Text::new("", ""),
        })
        .collect();
    cards::deck::Deck { id: String::new(), title: cards::Text::new("", ""), source: None, cards }
}

fn reveal_view(
    view: &View,
    round: &TableRoundView,
    roles: &[RoleName],
    figures: &TableFigures,
    settings: &cards::forms::table::TableSettings,
    layouts: &[(Option<SeatId>, Layout)],
) -> AnyView {
    let seated: Vec<&cards::forms::table::RoleFigures> = figures.roles.iter().filter(|role| role.seated()).collect();
    let drawing = table_drawing(&seated, roles, figures.n);
    let seated_list = if seated.is_empty() {
        view! { <p id="table-seated-none">{t().table_seated_none}</p> }.into_any()
    } else {
        let items = seated
            .iter()
            .map(|role| view! { <li>{format!("{} ({} {} {})", role_name(roles, &role.role), role.table, t().of, figures.n)}</li> })
            .collect_view();
        view! { <ul class="table-seated" id="table-seated">{items}</ul> }.into_any()
    };
    let split: Vec<_> = figures.roles.iter().filter(|role| role.split()).collect();
    let split_list = (!split.is_empty()).then(|| {
        let items = split
            .iter()
            .map(|role| {
                let share = t()
                    .role_share
                    .replace("{table}", &role.table.to_string())
                    .replace("{on_call}", &role.on_call.to_string())
                    .replace("{not_needed}", &role.not_needed.to_string());
                view! { <li><strong>{role_name(roles, &role.role)}</strong>": "{share}</li> }
            })
            .collect_view();
        view! { <section id="table-split"><h3>{t().table_split}</h3><ul>{items}</ul></section> }
    });
    let sizes = figures.sizes.keys().copied();
    let (min, max) = (sizes.clone().min().unwrap_or(0), sizes.max().unwrap_or(0));
    let sizes_line = if settings.advised_seats > 0 {
        t().table_sizes
            .replace("{min}", &min.to_string())
            .replace("{max}", &max.to_string())
            .replace("{above}", &figures.above_advice.to_string())
            .replace("{advice}", &settings.advised_seats.to_string())
    } else {
        t().table_sizes_plain.replace("{min}", &min.to_string()).replace("{max}", &max.to_string())
    };
    let family_line = (figures.without_family > 0)
        .then(|| view! { <p id="table-without-family">{t().table_without_family.replace("{n}", &figures.without_family.to_string())}</p> });
    let regie = (!figures.regie.is_empty()).then(|| {
        let items = figures
            .regie
            .iter()
            .map(|(regie, n)| view! { <li>{format!("{}: {n}", regie_name(roles, regie))}</li> })
            .collect_view();
        view! { <section id="table-regie"><h3>{t().table_regie_named}</h3><ul>{items}</ul></section> }
    });
    let sides = figures.professionals_seated.family.zip(figures.professionals_seated.others).map(|(family, others)| {
        let line = t().table_sides.replace("{family}", &decimal(family)).replace("{others}", &decimal(others));
        let differ: Vec<String> =
            figures.roles.iter().filter(|role| role.sides_differ()).map(|role| role_name(roles, &role.role)).collect();
        let differ = (!differ.is_empty()).then(|| view! { <p>{t().table_sides_differ}": "{differ.join(", ")}</p> });
        view! { <section id="table-sides"><p>{line}</p>{differ}</section> }
    });
    let mut reasons: BTreeMap<&CardId, Vec<&String>> = BTreeMap::new();
    for (_, layout) in layouts {
        for (role, reason) in &layout.reasons {
            reasons.entry(role).or_default().push(reason);
        }
    }
    let reasons = (!reasons.is_empty()).then(|| {
        let items = reasons
            .into_iter()
            .map(|(role, said)| {
                let said = said.into_iter().map(|reason| view! { <li>{reason.clone()}</li> }).collect_view();
                view! { <li><strong>{role_name(roles, role)}</strong><ul>{said}</ul></li> }
            })
            .collect_view();
        view! { <section id="table-reasons"><h3>{t().table_reasons}</h3><ul>{items}</ul></section> }
    });
    let moved = (!round.moved.is_empty()).then(|| {
        let items = round
            .moved
            .iter()
            .filter_map(|moved| {
                let name = view.seat(moved.seat)?.name.clone();
                let own = view.my_seat() == Some(moved.seat);
                let line = format!(
                    "{name}: {} {} → {}",
                    role_name(roles, &moved.role),
                    place_name(moved.from).to_lowercase(),
                    place_name(moved.to).to_lowercase()
                );
                Some(view! { <li class:own=own>{line}</li> })
            })
            .collect_view();
        view! { <section id="table-moved"><h3>{t().table_moved}</h3><ul class="moved">{items}</ul></section> }
    });
    let mut legend: Vec<String> = seated.iter().map(|role| role.group.clone()).collect();
    legend.sort_by(|a, b| chart::group_order(a).cmp(&chart::group_order(b)));
    legend.dedup();
    view! {
        <section class="reveal table-reveal" aria-label=t().revealed>
            <h2>{t().table_seated}</h2>
            {drawing}
            {seated_list}
            {group_legend(&legend)}
            <p id="table-sizes">{sizes_line}</p>
            {family_line}
            {split_list}
            {regie}
            {sides}
            {reasons}
            {moved}
        </section>
    }
    .into_any()
}

/// One decimal, the Dutch way when the interface is Dutch.
fn decimal(value: f64) -> String {
    let text = format!("{value:.1}");
    if crate::i18n::lang() == cards::text::Lang::Nl { text.replace('.', ",") } else { text }
}

/// The group's table seen from above: a table with a chair for every role most of the group
/// seated, each chair in its group's colour and shape, the role's name beside it.
fn table_drawing(seated: &[&cards::forms::table::RoleFigures], roles: &[RoleName], n: u32) -> impl IntoView + use<> {
    let (cx, cy, rx, ry) = (480.0_f64, 180.0_f64, 170.0_f64, 90.0_f64);
    let count = seated.len().max(1) as f64;
    let chairs = seated
        .iter()
        .enumerate()
        .map(|(i, role)| {
            let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / count;
            let (x, y) = (cx + (rx + 22.0) * angle.cos(), cy + (ry + 22.0) * angle.sin());
            let (lx, ly) = (cx + (rx + 44.0) * angle.cos(), cy + (ry + 44.0) * angle.sin());
            let anchor = if angle.cos() > 0.2 {
                "start"
            } else if angle.cos() < -0.2 {
                "end"
            } else {
                "middle"
            };
            let style = chart::group_style(&role.group);
            let label = format!("{} ({}/{n})", role_name(roles, &role.role), role.table);
            view! {
                <g>
                    <path d=style.marker.path(x, y, 11.0) fill=style.colour></path>
                    <text x=format!("{lx:.0}") y=format!("{:.0}", ly + 5.0) text-anchor=anchor class="chair-label">{label}</text>
                </g>
            }
        })
        .collect_view();
    let names: Vec<String> = seated.iter().map(|role| role_name(roles, &role.role)).collect();
    let label = format!("{}: {}", t().table_seated, names.join(", "));
    view! {
        <figure class="table-drawing">
            <svg viewBox="0 0 960 360" role="img" aria-label=label>
                <ellipse cx=cx cy=cy rx=rx ry=ry class="table-top"></ellipse>
                {chairs}
            </svg>
        </figure>
    }
}
