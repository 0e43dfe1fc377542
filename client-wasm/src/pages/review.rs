//! The trainer's review: where the group did not understand each other, per term, statement
//! and role, what moved after discussion, and how a learning group changed over sessions. All
//! figures come from `cards::analysis`, computed here from the room's log.

use std::collections::BTreeMap;

use cards::analysis::{Review, StatementReview, TermReview, series};
use cards::chart::{self, Frame};
use cards::log::Names;
use cards::text::{fixed, signed};
use cards::{Position, Text};
use leptos::prelude::*;

use crate::api;
use crate::components::{LangSwitch, group_legend, split_line};
use crate::forms::review::StepsReview;
use crate::i18n::{t, tr};
use crate::storage;

/// One room's review, with its exports.
#[component]
pub fn ReviewPage(code: String) -> impl IntoView {
    let Some(token) = storage::trainer_token(&code) else {
        return view! { <p class="notice">{t().trainer_no_token}</p> }.into_any();
    };
    let review = {
        let (code, token) = (code.clone(), token.clone());
        LocalResource::new(move || {
            let (code, token) = (code.clone(), token.clone());
            async move { api::room_review(&code, &token).await }
        })
    };
    let pseudonyms = RwSignal::new(true);
    let series_name = RwSignal::new(storage::series(&code).unwrap_or_default());
    let names = move || if pseudonyms.get() { Names::Pseudonyms } else { Names::Real };

    let code_for_exports = code.clone();
    let body = move || {
        review.get().map(|result| match result {
            Err(message) => view! { <p class="problem">{tr(&message)}</p> }.into_any(),
            Ok(review) => {
                let steps = review.steps.clone();
                let steps = (!steps.is_empty()).then(|| {
                    view! { <StepsReview code=code_for_exports.clone() steps=steps names=Signal::derive(names) /> }
                });
                view! { {steps} <ReviewBody review=review /> <Exports code=code_for_exports.clone() names=Signal::derive(names) /> }.into_any()
            }
        })
    };
    let code_for_series = code.clone();
    view! {
        <header class="topbar no-print">
            <a href="/" class="brand">{t().app_name}</a>
            <a href="/review">{t().all_sessions}</a>
            <LangSwitch />
        </header>
        <h1 class="review-title">{t().review}" · "{code.clone()}</h1>
        <div class="panel no-print review-options">
            <label class="check">
                <input type="checkbox" prop:checked=move || pseudonyms.get() on:change=move |ev| pseudonyms.set(event_target_checked(&ev)) />
                {t().pseudonymise}
            </label>
            <label for="series-name">{t().series}</label>
            <input id="series-name" prop:value=move || series_name.get()
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    storage::set_series(&code_for_series, &name);
                    series_name.set(name);
                } />
            <p class="hint">{t().series_hint}</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted">{t().loading}</p> }>{body}</Suspense>
    }
    .into_any()
}

/// The exports, made by the server: CSV for Excel, the whole log as JSON, the HTML report.
#[component]
fn Exports(code: String, names: Signal<Names>) -> impl IntoView {
    let code = StoredValue::new(code);
    let problem = RwSignal::new(None::<String>);
    let download = move |format: &'static str, mime: &'static str| {
        let code = code.get_value();
        let token = storage::trainer_token(&code).unwrap_or_default();
        let names = names.get_untracked();
        leptos::task::spawn_local(async move {
            match api::room_export(&code, &token, format, names).await {
                Ok(bytes) => api::download(&format!("standpunt-{code}.{format}"), mime, &bytes),
                Err(message) => problem.set(Some(tr(&message))),
            }
        });
    };
    view! {
        <section class="panel no-print" aria-label=t().exports>
            <h2>{t().exports}</h2>
            <div class="controls">
                <button id="export-csv" on:click=move |_| download("csv", "text/csv;charset=utf-8")>{t().export_csv}</button>
                <button id="export-json" on:click=move |_| download("json", "application/json")>{t().export_json}</button>
                <button id="export-html" class="primary" on:click=move |_| download("html", "text/html;charset=utf-8")>{t().export_html}</button>
                <button on:click=move |_| { let _ = web_sys::window().map(|window| window.print()); }>{t().print}</button>
            </div>
            {move || problem.get().map(|text| view! { <p class="problem">{text}</p> })}
            <EraseRoom code=code.get_value() />
        </section>
    }
}

/// Erase the room and its log at once, after asking.
#[component]
fn EraseRoom(code: String) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let erase = move |_| {
        if !crate::components::confirm(t().erase_confirm) {
            return;
        }
        let code = code.clone();
        let token = storage::trainer_token(&code).unwrap_or_default();
        leptos::task::spawn_local(async move {
            match api::erase_room(&code, &token).await {
                Ok(()) => {
                    storage::forget_room(&code);
                    crate::route::go("/review");
                }
                Err(message) => problem.set(Some(tr(&message))),
            }
        });
    };
    view! {
        <p class="hint">{t().erase_hint}</p>
        <button id="erase-room" class="danger" on:click=erase>{t().erase}</button>
        {move || problem.get().map(|text| view! { <p class="problem">{text}</p> })}
    }
}

#[component]
fn ReviewBody(review: Review) -> impl IntoView {
    let summary = format!(
        "{} · {} · {} · {}",
        tr(&review.statement_deck),
        tr(&review.role_deck),
        count(review.participants, t().participant_one, t().participants_short),
        count(review.statements.len(), t().statement_one, t().statements_short)
    );
    let terms = review.terms.clone();
    let statements = review.statements.clone();
    let labels = review.term_labels.clone();
    let sources = [&review.statement_source, &review.role_source]
        .into_iter()
        .flatten()
        .map(|source| view! { <p class="hint deck-source">{format!("{}: {}", t().deck_source, tr(source))}</p> })
        .collect_view();
    view! {
        <p class="muted">{summary}</p>
        {sources}
        <p class="hint">{t().measures_note}</p>
        {(!terms.is_empty()).then(|| view! { <TermsRanked terms=terms.clone() labels=labels.clone() /> })}
        <section aria-label=t().statements_ranked>
            <h2>{t().statements_ranked}</h2>
            {statements.into_iter().map(|statement| view! { <StatementCard statement=statement labels=labels.clone() /> }).collect_view()}
        </section>
        <HeatMap review=review.clone() />
        {(!terms.is_empty()).then(|| view! { <TermLenses terms=terms labels=labels.clone() /> })}
        <Shifts review=review />
    }
}

fn figure(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |value| fixed(value, 2))
}

/// "1 stelling", "3 stellingen".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A term in the visitor's language, as the review names it.
fn term_name(labels: &BTreeMap<String, Text>, term: &str) -> String {
    labels.get(term).map_or_else(|| term.to_owned(), tr)
}

#[component]
fn TermsRanked(terms: Vec<TermReview>, labels: BTreeMap<String, Text>) -> impl IntoView {
    let rows = terms
        .into_iter()
        .map(|term| {
            let width = term.disagreement.map_or(0.0, |value| value * 100.0);
            view! {
                <tr>
                    <th scope="row">{term_name(&labels, &term.term)}</th>
                    <td>
                        <svg class="meter" viewBox="0 0 100 10" aria-hidden="true">
                            <rect class="meter-track" width="100" height="10"></rect>
                            <rect class="meter-fill" width=fixed(width, 0) height="10"></rect>
                        </svg>
                        " "{figure(term.disagreement)}
                    </td>
                    <td>{figure(term.mean_consensus)}<span class="n">{format!(" (n={})", term.statements)}</span></td>
                    <td>{figure(term.lens.spread)}<span class="n">{format!(" (n={})", term.lens.definitions.len())}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-label=t().terms_ranked>
            <h2>{t().terms_ranked}</h2>
            <table class="review-table">
                <thead><tr><th>{t().term}</th><th>{t().disagreement}</th><th>{t().consensus}</th><th>{t().definition_spread}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
fn StatementCard(statement: StatementReview, labels: BTreeMap<String, Text>) -> impl IntoView {
    let split = statement.split.map(|split| split_line(&split));
    let farthest = statement
        .farthest_roles
        .clone()
        .map(|(a, b, distance)| format!("{}: {} ↔ {} ({})", t().farthest, tr(&a), tr(&b), fixed(distance, 2)));
    view! {
        <article class="card statement-review">
            <p class="statement-text">{tr(&statement.text)}</p>
            <p class="terms">{statement.terms.iter().map(|term| term_name(&labels, term)).collect::<Vec<_>>().join(", ")}</p>
            <DotPlot statement=statement.clone() />
            <p>
                "C "{figure(statement.consensus)}" · P "{figure(statement.polarization)}" · "{split}
                <span class="n">{format!(" (n={}, {} {})", statement.first.n(), t().passes_counted, statement.first.passes)}</span>
            </p>
            {farthest.map(|text| view! { <p>{text}</p> })}
        </article>
    }
}

/// Where the review's dots may go in its picture (360 × 110), above the labels.
const REVIEW_FRAME: Frame = Frame { top: 4.0, bottom: 90.0, largest: 12.0 };

/// One marker per answer above its scale point, passes beside, shaped and coloured by the
/// role's group; hover shows the role and who (unless the room hid names).
#[component]
fn DotPlot(statement: StatementReview) -> impl IntoView {
    let positions: Vec<Position> = statement.answers.iter().map(|answer| answer.position).collect();
    let dots = statement
        .answers
        .iter()
        .zip(chart::dots(&positions, REVIEW_FRAME))
        .map(|(answer, place)| {
            let style = chart::group_style(&answer.group);
            let title = match &answer.participant {
                Some(participant) => format!("{} — {participant}", tr(&answer.role)),
                None => tr(&answer.role),
            };
            view! {
                <path class="dot" d=style.marker.path(place.x, place.y, place.r) fill=style.colour><title>{title}</title></path>
            }
        })
        .collect_view();
    let labels = ["1", "2", "3", "4", "5", t().pass]
        .into_iter()
        .enumerate()
        .map(|(column, label)| view! { <text x=fixed(chart::column_x(column), 0) y="104">{label}</text> })
        .collect_view();
    let mut groups: Vec<String> = statement.answers.iter().map(|answer| answer.group.clone()).collect();
    groups.sort_by(|a, b| chart::group_order(a).cmp(&chart::group_order(b)));
    groups.dedup();
    view! {
        <figure class="review-plot">
            <svg class="dots" viewBox="0 0 360 110" role="img" aria-label=t().distribution>{dots}{labels}</svg>
            {group_legend(&groups)}
        </figure>
    }
}

#[component]
fn HeatMap(review: Review) -> impl IntoView {
    if review.matrix.is_empty() {
        return ().into_any();
    }
    let headers =
        (1..=review.statements.len()).map(|n| view! { <th scope="col">{format!("S{n}")}</th> }).collect_view();
    let rows = review
        .matrix
        .into_iter()
        .map(|row| {
            let cells = row
                .cells
                .into_iter()
                .map(|cell| match cell {
                    // The background is the same as the HTML report's. Set through the DOM's
                    // style object, not a `style` attribute, which the page's policy forbids.
                    Some((mean, n)) => view! {
                        <td style:background=chart::heat(mean)>{fixed(mean, 1)}<span class="n">{format!(" n={n}")}</span></td>
                    }
                    .into_any(),
                    None => view! { <td>"–"</td> }.into_any(),
                })
                .collect_view();
            view! { <tr><th scope="row">{tr(&row.role)}</th>{cells}</tr> }
        })
        .collect_view();
    let legend = review.statements.into_iter().map(|statement| view! { <li>{tr(&statement.text)}</li> }).collect_view();
    view! {
        <section aria-label=t().heat_map>
            <h2>{t().heat_map}</h2>
            <p class="hint">{t().heat_map_hint}</p>
            <div class="scroll"><table class="review-table heat">
                <thead><tr><th>{t().role}</th>{headers}</tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
            <ol class="legend">{legend}</ol>
        </section>
    }
    .into_any()
}

#[component]
fn TermLenses(terms: Vec<TermReview>, labels: BTreeMap<String, Text>) -> impl IntoView {
    let lenses = terms
        .into_iter()
        .filter(|term| !term.lens.definitions.is_empty())
        .map(|term| {
            let lens = term.lens;
            let groups = lens
                .groups
                .iter()
                .enumerate()
                .map(|(number, group)| {
                    let items = group
                        .members
                        .iter()
                        .map(|&index| {
                            let definition = &lens.definitions[index];
                            let shared = lens.most_shared == Some(index);
                            let alone = lens.outliers.contains(&index);
                            view! {
                                <li>
                                    "“"{definition.text.clone()}"” "
                                    <span class="n">"— "{tr(&definition.role)}</span>
                                    {shared.then(|| view! { <em class="tag">{t().most_shared}</em> })}
                                    {alone.then(|| view! { <em class="tag">{t().outlier}</em> })}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="definition-group">
                            <p class="n">{format!("{} {} · {}", t().group, number + 1, count(group.members.len(), t().definition_one, t().definitions))}</p>
                            <ul>{items}</ul>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <article class="card term-lens">
                    <h3>{format!("{} “{}”", t().what_means, term_name(&labels, &lens.term))}</h3>
                    {groups}
                </article>
            }
        })
        .collect_view();
    view! {
        <section aria-label=t().term_lens>
            <h2>{t().term_lens}</h2>
            {lenses}
        </section>
    }
}

#[component]
fn Shifts(review: Review) -> impl IntoView {
    if review.shifts.is_empty() {
        return ().into_any();
    }
    let delta = |value: Option<f64>| value.map_or("–".to_owned(), |value| signed(value, 2));
    let rows = review
        .shifts
        .into_iter()
        .map(|shift| {
            view! {
                <tr>
                    <td>{tr(&shift.text)}</td>
                    <td>{delta(shift.shift.consensus_change)}</td>
                    <td>{delta(shift.shift.polarization_change)}</td>
                    <td>{format!("{} {} {}", shift.shift.moved, t().of, shift.shift.n)}</td>
                    <td>{format!("{} / {}", shift.shift.toward_median, shift.shift.away_from_median)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-label=t().shifts>
            <h2>{t().shifts}</h2>
            <table class="review-table">
                <thead><tr><th>{t().statement}</th><th>"ΔC"</th><th>"ΔP"</th><th>{t().moved_players}</th><th>{t().toward_away}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
    .into_any()
}

/// Every session this browser ran, grouped by learning group, and per term how consensus
/// changed from session to session.
#[component]
pub fn ReviewIndex() -> impl IntoView {
    let rooms: Vec<(String, String)> = storage::trainer_rooms()
        .into_iter()
        .map(|code| {
            let series = storage::series(&code).unwrap_or_default();
            (series, code)
        })
        .collect();
    let mut named: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for (series, code) in &rooms {
        named.entry(series.clone()).or_default().push(code.clone());
    }
    let list = rooms
        .iter()
        .map(|(series, code)| {
            view! {
                <li><a href=format!("/review/{code}")>{code.clone()}</a>{(!series.is_empty()).then(|| format!(" · {series}"))}</li>
            }
        })
        .collect_view();
    let charts = named
        .into_iter()
        .filter(|(name, codes)| !name.is_empty() && codes.len() > 1)
        .map(|(name, codes)| view! { <SeriesChart name=name codes=codes /> })
        .collect_view();
    view! {
        <header class="topbar"><a href="/" class="brand">{t().app_name}</a><LangSwitch /></header>
        <h1 class="review-title">{t().all_sessions}</h1>
        {if rooms.is_empty() { Some(view! { <p class="muted">{t().no_sessions}</p> }) } else { None }}
        <ul class="session-list">{list}</ul>
        {charts}
    }
}

/// Per term, the mean consensus of its statements in each session of one learning group.
#[component]
fn SeriesChart(name: String, codes: Vec<String>) -> impl IntoView {
    let reviews = LocalResource::new(move || {
        let codes = codes.clone();
        async move {
            let mut reviews = Vec::new();
            for code in codes {
                let Some(token) = storage::trainer_token(&code) else { continue };
                if let Ok(review) = api::room_review(&code, &token).await {
                    reviews.push(review);
                }
            }
            reviews
        }
    });
    let chart = move || {
        reviews.get().map(|reviews| {
            let sessions = reviews.len().max(2);
            let x = move |i: usize| 40.0 + i as f64 * 520.0 / (sessions - 1) as f64;
            let y = |consensus: f64| 170.0 - consensus * 150.0;
            let labels: BTreeMap<String, Text> =
                reviews.iter().flat_map(|review| review.term_labels.clone()).collect();
            series(&reviews)
                .into_iter()
                .map(|(term, points)| {
                    let path: Vec<String> = points
                        .iter()
                        .enumerate()
                        .filter_map(|(i, point)| point.consensus.map(|c| format!("{},{}", fixed(x(i), 1), fixed(y(c), 1))))
                        .collect();
                    let dots = points
                        .iter()
                        .enumerate()
                        .filter_map(|(i, point)| {
                            let c = point.consensus?;
                            Some(view! {
                                <circle cx=fixed(x(i), 1) cy=fixed(y(c), 1) r="4">
                                    <title>{format!("{}: C {} (n={})", point.session, fixed(c, 2), point.statements)}</title>
                                </circle>
                            })
                        })
                        .collect_view();
                    view! {
                        <figure class="series-term">
                            <figcaption>{term_name(&labels, &term)}</figcaption>
                            <svg viewBox="0 0 600 190" role="img" aria-label=t().series_chart>
                                <line class="axis" x1="40" y1="170" x2="580" y2="170"></line>
                                <line class="axis" x1="40" y1="20" x2="40" y2="170"></line>
                                <text x="4" y="24">"1"</text>
                                <text x="4" y="172">"0"</text>
                                <polyline class="series-line" points=path.join(" ")></polyline>
                                {dots}
                            </svg>
                        </figure>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="series" aria-label=t().series>
            <h2>{format!("{} “{name}”", t().series)}</h2>
            <p class="hint">{t().series_chart}</p>
            <Suspense fallback=|| view! { <p class="muted">{t().loading}</p> }>{chart}</Suspense>
        </section>
    }
}
