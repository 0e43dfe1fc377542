//! The trainer's review: where the group did not understand each other, per term, statement
//! and role, what moved after discussion, and how a learning group changed over sessions. All
//! figures come from `cards::analysis`, computed here from the room's log.

use std::collections::BTreeMap;

use cards::analysis::{Measure, Review, StatementReview, TermReview, series};
use cards::chart::{self, Frame};
use cards::log::Names;
use cards::notes::DefinitionKey;
use cards::text::{fixed, signed};
use cards::{Position, Text};
use leptos::prelude::*;

use crate::api;
use crate::components::{LangSwitch, group_legend, split_line};
use crate::forms::review::StepsReview;
use crate::i18n::{t, tr};
use crate::pages::review_glance::{CampsView, Marks, OpinionGroups, Summary, measured};
use crate::storage;

/// One room's review, with its exports.
#[component]
pub fn ReviewPage(code: String) -> impl IntoView {
    let Some(token) = storage::trainer_token(&code) else {
        return view! { <p class="notice">{t().trainer_no_token}</p> }.into_any();
    };
    let pseudonyms = RwSignal::new(true);
    let names = move || if pseudonyms.get() { Names::Pseudonyms } else { Names::Real };
    // Counts the trainer's notes saved in this review, so the review is fetched again after each.
    let saved = RwSignal::new(0u32);
    let review = {
        let (code, token) = (code.clone(), token.clone());
        LocalResource::new(move || {
            let (code, token, names) = (code.clone(), token.clone(), names());
            saved.track();
            crate::i18n::language().track();
            async move { api::room_review(&code, &token, names).await }
        })
    };
    let series_name = RwSignal::new(storage::series(&code).unwrap_or_default());

    let code_for_exports = code.clone();
    let body = move || {
        review.get().map(|result| match result {
            Err(message) => view! { <p class="problem">{tr(&message)}</p> }.into_any(),
            Ok(review) => {
                let steps = review.steps.clone();
                let steps = (!steps.is_empty()).then(|| {
                    view! { <StepsReview code=code_for_exports.clone() steps=steps names=Signal::derive(names) /> }
                });
                view! {
                    <Summary review=review.clone() />
                    <Marks review=review.clone() />
                    {steps}
                    <ReviewBody review=review code=code_for_exports.clone() saved=saved />
                    <Exports code=code_for_exports.clone() names=Signal::derive(names) />
                }
                .into_any()
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
        // A transition keeps the review on screen while it is fetched again after a note.
        <Transition fallback=|| view! { <p class="muted">{t().loading}</p> }>{body}</Transition>
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
    let download_pack = move || {
        let code = code.get_value();
        let token = storage::trainer_token(&code).unwrap_or_default();
        let names = names.get_untracked();
        leptos::task::spawn_local(async move {
            match api::debrief_pack(&code, &token, names).await {
                Ok(bytes) => api::download(&format!("{}-{code}.zip", t().pack_file), "application/zip", &bytes),
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
                <button id="export-html" on:click=move |_| download("html", "text/html;charset=utf-8")>{t().export_html}</button>
                <button id="export-pack" class="primary" on:click=move |_| download_pack()>{t().export_pack}</button>
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
fn ReviewBody(review: Review, code: String, saved: RwSignal<u32>) -> impl IntoView {
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
        <OpinionGroups groups=review.opinion_groups.clone() common=review.common.clone() />
        <HeatMap review=review.clone() />
        {(!terms.is_empty()).then(|| view! { <TermLenses terms=terms labels=labels.clone() code=code saved=saved /> })}
        <Shifts review=review />
    }
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
                        " "{term.disagreement.map_or("–".to_owned(), |value| cards::analysis::decimal(value, crate::i18n::lang()))}
                    </td>
                    <td>{measured(Measure::Consensus, term.mean_consensus)}<span class="n">{format!(" (n={})", term.statements)}</span></td>
                    <td>{measured(Measure::Spread, term.lens.spread)}<span class="n">{format!(" (n={})", term.lens.definitions.len())}</span></td>
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
    let farthest = statement.farthest_roles.clone().map(|(a, b, distance)| {
        view! { <p>{format!("{}: {} ↔ {} (", t().farthest, tr(&a), tr(&b))}{measured(Measure::Distance, Some(distance))}")"</p> }
    });
    let camps = statement.camps.clone().map(|camps| view! { <CampsView camps=camps /> });
    view! {
        <article class="card statement-review">
            <p class="statement-text">{tr(&statement.text)}</p>
            <p class="terms">{statement.terms.iter().map(|term| term_name(&labels, term)).collect::<Vec<_>>().join(", ")}</p>
            <DotPlot statement=statement.clone() />
            <p>
                {t().agreement}": "{measured(Measure::Consensus, statement.consensus)}" · "
                {t().polarization}": "{measured(Measure::Polarization, statement.polarization)}" · "
                {t().common_ground}": "{measured(Measure::CommonGround, statement.common_ground)}
            </p>
            <p>
                {split}
                <span class="n">{format!(" (n={}, {} {})", statement.first.n(), t().passes_counted, statement.first.passes)}</span>
            </p>
            {farthest}
            {camps}
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
fn TermLenses(
    terms: Vec<TermReview>,
    labels: BTreeMap<String, Text>,
    code: String,
    saved: RwSignal<u32>,
) -> impl IntoView {
    let lenses = terms
        .into_iter()
        .filter(|term| !term.lens.definitions.is_empty() || term.agreed.is_some())
        .map(|term| {
            let name = term_name(&labels, &term.term);
            view! { <TermLensCard term=term name=name code=code.clone() saved=saved /> }
        })
        .collect_view();
    view! {
        <section aria-label=t().term_lens>
            <h2>{t().term_lens}</h2>
            <p class="hint no-print">{t().term_lens_hint}</p>
            {lenses}
        </section>
    }
}

/// One term's definitions in their groups. The trainer moves a definition to another group or
/// a new one, merges a group with the one above it, and writes down what the group agreed the
/// term means; each change is saved in the room's log and the review is fetched again.
#[component]
fn TermLensCard(term: TermReview, name: String, code: String, saved: RwSignal<u32>) -> impl IntoView {
    let lens = term.lens.clone();
    let problem = RwSignal::new(None::<String>);
    let groups: Vec<Vec<DefinitionKey>> = lens
        .groups
        .iter()
        .map(|group| group.members.iter().filter_map(|&i| lens.definitions[i].key.clone()).collect())
        .collect();
    let send = {
        let code = code.clone();
        move |note: serde_json::Value| {
            let code = code.clone();
            let token = storage::trainer_token(&code).unwrap_or_default();
            leptos::task::spawn_local(async move {
                match api::review_note(&code, &token, &note).await {
                    Ok(()) => saved.update(|n| *n += 1),
                    Err(message) => problem.set(Some(tr(&message))),
                }
            });
        }
    };
    let term_id = term.term.clone();
    let regroup = {
        let (send, term_id) = (send.clone(), term_id.clone());
        move |groups: Vec<Vec<DefinitionKey>>| {
            let groups: Vec<Vec<DefinitionKey>> = groups.into_iter().filter(|group| !group.is_empty()).collect();
            send(serde_json::json!({ "do": "group", "term": term_id, "groups": groups }));
        }
    };
    let group_count = groups.len();
    let cards_of_groups = lens
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
                    let mover = definition.key.clone().map(|key| {
                        let (groups, regroup) = (groups.clone(), regroup.clone());
                        let options = (0..group_count)
                            .map(|target| {
                                view! { <option value=target.to_string() selected=target == number>{format!("{} {}", t().group, target + 1)}</option> }
                            })
                            .collect_view();
                        let label = format!("{} “{}”", t().move_to_group, definition.text);
                        view! {
                            <select class="move-definition no-print" aria-label=label
                                on:change=move |ev| {
                                    let target = event_target_value(&ev);
                                    let mut moved = groups.clone();
                                    moved.iter_mut().for_each(|group| group.retain(|held| *held != key));
                                    match target.parse::<usize>() {
                                        Ok(target) if target < moved.len() => moved[target].push(key.clone()),
                                        _ => moved.push(vec![key.clone()]),
                                    }
                                    regroup(moved);
                                }>
                                {options}
                                <option value="new">{t().new_group}</option>
                            </select>
                        }
                    });
                    view! {
                        <li>
                            "“"{definition.text.clone()}"” "
                            <span class="n">"— "{tr(&definition.role)}</span>
                            {shared.then(|| view! { <em class="tag">{t().most_shared}</em> })}
                            {alone.then(|| view! { <em class="tag">{t().outlier}</em> })}
                            " "{mover}
                        </li>
                    }
                })
                .collect_view();
            let merge = (number > 0).then(|| {
                let (groups, regroup) = (groups.clone(), regroup.clone());
                view! {
                    <button class="merge-groups no-print" on:click=move |_| {
                        let mut merged = groups.clone();
                        let taken = merged.remove(number);
                        merged[number - 1].extend(taken);
                        regroup(merged);
                    }>{format!("{} {}", t().merge_with_group, number)}</button>
                }
            });
            view! {
                <div class="definition-group">
                    <p class="n">{format!("{} {} · {}", t().group, number + 1, count(group.members.len(), t().definition_one, t().definitions))}</p>
                    <ul>{items}</ul>
                    {merge}
                </div>
            }
        })
        .collect_view();
    let by_hand = lens.by_hand.then(|| view! { <p class="hint">{t().grouped_by_hand}</p> });
    // An id holds no spaces: "eigen regie" is `agreed-eigen-regie`.
    let field = format!("agreed-{}", term.term.replace(|c: char| !c.is_alphanumeric(), "-"));
    let draft = RwSignal::new(term.agreed.clone().unwrap_or_default());
    let agree =
        move |_| send(serde_json::json!({ "do": "agree", "term": term_id, "definition": draft.get_untracked() }));
    let agreed_label = format!("{} ‘{name}’ {}", t().agreed_before, t().agreed_after);
    view! {
        <article class="card term-lens">
            <h3>{format!("{} “{}”", t().what_means, name)}</h3>
            {by_hand}
            {cards_of_groups}
            <div class="agreed">
                <label for=field.clone()>{agreed_label}</label>
                <textarea id=field rows="3" maxlength=cards::notes::MAX_AGREED_CHARS.to_string()
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                <button class="save-agreed no-print" on:click=agree>{t().save_agreed}</button>
            </div>
            {move || problem.get().map(|text| view! { <p class="problem" role="alert">{text}</p> })}
        </article>
    }
}

#[component]
fn Shifts(review: Review) -> impl IntoView {
    if review.shifts.is_empty() {
        return ().into_any();
    }
    let delta = |value: Option<f64>| value.map_or("–".to_owned(), |value| signed(value, 2));
    let position = |position: Position| match position {
        Position::Scale(n) => n.to_string(),
        Position::Pass => t().pass.to_owned(),
    };
    let shifts = review
        .shifts
        .into_iter()
        .map(|shift| {
            let moves = shift
                .moves
                .iter()
                .map(|moved| {
                    let who = match &moved.participant {
                        Some(name) => format!("{name} ({})", tr(&moved.role)),
                        None => tr(&moved.role),
                    };
                    let way = match moved.toward_middle {
                        Some(true) => format!(" · {}", t().toward_middle),
                        Some(false) => format!(" · {}", t().away_from_middle),
                        None => String::new(),
                    };
                    view! { <li>{format!("{who}: {} → {}{way}", position(moved.from), position(moved.to))}</li> }
                })
                .collect_view();
            view! {
                <article class="card shift">
                    <p class="statement-text">{tr(&shift.text)}</p>
                    <div class="before-after">
                        <figure><figcaption>{t().before}</figcaption>{distribution_bars(&shift.first)}</figure>
                        <figure><figcaption>{t().after}</figcaption>{distribution_bars(&shift.last)}</figure>
                    </div>
                    <p>
                        {t().agreement}": "{measured(Measure::Consensus, shift.first.consensus())}" → "
                        {measured(Measure::Consensus, shift.last.consensus())}
                        <span class="n">{format!(" (ΔC {}, ΔP {})", delta(shift.shift.consensus_change), delta(shift.shift.polarization_change))}</span>
                    </p>
                    <p>{format!("{}: {} {} {}", t().moved_players, shift.shift.moved, t().of, shift.shift.n)}</p>
                    <ul class="moves">{moves}</ul>
                </article>
            }
        })
        .collect_view();
    view! {
        <section aria-label=t().shifts>
            <h2>{t().shifts}</h2>
            {shifts}
        </section>
    }
    .into_any()
}

/// How many answered each scale point (and passed), as a row of bars with the counts in them.
fn distribution_bars(distribution: &cards::analysis::Distribution) -> impl IntoView + use<> {
    let most = distribution.counts.iter().copied().chain([distribution.passes]).max().unwrap_or(0).max(1);
    let labels = ["1", "2", "3", "4", "5", t().pass];
    let bars = distribution
        .counts
        .iter()
        .copied()
        .chain([distribution.passes])
        .zip(labels)
        .enumerate()
        .map(|(column, (count, label))| {
            let height = 60.0 * f64::from(count) / f64::from(most);
            let x = 10.0 + column as f64 * 40.0;
            view! {
                <rect class="bar" x=fixed(x, 0) y=fixed(70.0 - height, 1) width="30" height=fixed(height, 1)></rect>
                <text x=fixed(x + 15.0, 0) y="86">{label}</text>
                <text class="count" x=fixed(x + 15.0, 0) y=fixed(66.0 - height, 1)>{count.to_string()}</text>
            }
        })
        .collect_view();
    let summary = distribution
        .counts
        .iter()
        .zip(1..)
        .map(|(count, point)| format!("{point}: {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    view! { <svg class="bars" viewBox="0 0 250 92" role="img" aria-label=summary>{bars}</svg> }
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
                if let Ok(review) = api::room_review(&code, &token, Names::Pseudonyms).await {
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
                    // Beside the line, what the group agreed the term means, meeting by meeting.
                    let agreed = points
                        .iter()
                        .filter_map(|point| point.agreed.as_ref().map(|agreed| (point.session.clone(), agreed.clone())))
                        .map(|(session, agreed)| view! { <li><span class="n">{session}": "</span>{agreed}</li> })
                        .collect_view();
                    view! {
                        <figure class="series-term">
                            <figcaption>{term_name(&labels, &term)}<ul class="series-agreed">{agreed}</ul></figcaption>
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
