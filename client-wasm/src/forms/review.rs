//! The review's part for a session that followed an agenda: each step in order with the time
//! it took against the time planned, each schaalvraag asking with its figures and how the group
//! moved, the action list with its owners, and each step's file to download.

use cards::analysis::{AskingReview, MirrorReview, StepReview, TableReview};
use cards::log::Names;
use leptos::prelude::*;

use super::{form_name, moved_sentence, step_title, summary_sentence};
use crate::i18n::{count, t, tr};
use crate::{api, storage};

fn clock(ms: u64) -> String {
    let seconds = ms / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[component]
pub fn StepsReview(code: String, steps: Vec<StepReview>, names: Signal<Names>) -> impl IntoView {
    let code = StoredValue::new(code);
    let problem = RwSignal::new(None::<String>);
    let download = move |query: String, file: String, mime: &'static str| {
        let code = code.get_value();
        let token = storage::trainer_token(&code).unwrap_or_default();
        let names = names.get_untracked();
        leptos::task::spawn_local(async move {
            match api::room_export(&code, &token, &query, names).await {
                Ok(bytes) => api::download(&file, mime, &bytes),
                Err(message) => problem.set(Some(tr(&message))),
            }
        });
    };
    let rows = steps
        .iter()
        .map(|step| {
            let used = step.used_ms.map_or_else(|| t().step_not_done.to_owned(), clock);
            view! {
                <tr>
                    <td>{format!("{}. {}", step.number, step_title(step.title.as_ref(), step.form))}</td>
                    <td>{form_name(step.form)}</td>
                    <td>{format!("{used} / {} {}", step.minutes, t().minutes_short)}</td>
                </tr>
            }
        })
        .collect_view();
    let details = steps
        .into_iter()
        .map(|step| {
            let index = step.number.saturating_sub(1);
            let code = code.get_value();
            let askings = step.askings.iter().map(asking).collect_view();
            let scale_file = (!step.askings.is_empty()).then(|| {
                let file = format!("standpunt-{code}-stap{}-schaalvraag.csv", step.number);
                view! {
                    <button class="no-print" data-export=format!("scale-{index}")
                        on:click=move |_| download(format!("scale&step={index}"), file.clone(), "text/csv;charset=utf-8")>
                        {t().export_scale}
                    </button>
                }
            });
            let tables = step.tables.iter().map(table_round).collect_view();
            let mirror = step.mirror.as_ref().map(mirror_review);
            let mirror_files = step.mirror.is_some().then(|| {
                let file = format!("standpunt-{code}-stap{}-spiegelgesprek.csv", step.number);
                let typed_file = file.clone();
                view! {
                    <button class="no-print" data-export=format!("mirror-{index}")
                        on:click=move |_| download(format!("mirror&step={index}"), file.clone(), "text/csv;charset=utf-8")>
                        {t().export_mirror}
                    </button>
                    <button class="no-print" data-export=format!("mirror-typed-{index}")
                        on:click=move |_| download(format!("mirror&step={index}&answers=typed"), typed_file.clone(), "text/csv;charset=utf-8")>
                        {t().export_mirror_typed}
                    </button>
                }
            });
            let table_file = (!step.tables.is_empty()).then(|| {
                let file = format!("standpunt-{code}-stap{}-keukentafel.csv", step.number);
                view! {
                    <button class="no-print" data-export=format!("table-{index}")
                        on:click=move |_| download(format!("table&step={index}"), file.clone(), "text/csv;charset=utf-8")>
                        {t().export_table}
                    </button>
                }
            });
            let actions = (!step.actions.is_empty()).then(|| {
                let items = step
                    .actions
                    .iter()
                    .map(|item| {
                        let owner = item.owner.clone().map(|owner| {
                            let by = item.by.clone().filter(|by| !by.is_empty()).map(|by| format!(", {} {by}", t().by_when)).unwrap_or_default();
                            format!(" · {}: {owner}{by}", t().owner)
                        });
                        view! { <li>{item.text.clone()}" "<span class="muted">{count(item.dots as usize, t().dots_one, t().dots_many)}{owner}</span></li> }
                    })
                    .collect_view();
                let file = format!("standpunt-{code}-stap{}-acties.csv", step.number);
                view! {
                    <ol class="ranked">{items}</ol>
                    <button class="no-print" data-export=format!("actions-{index}")
                        on:click=move |_| download(format!("actions&step={index}"), file.clone(), "text/csv;charset=utf-8")>
                        {t().export_actions}
                    </button>
                }
            });
            (!step.askings.is_empty() || !step.tables.is_empty() || step.mirror.is_some() || !step.actions.is_empty()).then(|| view! {
                <article class="card step-review">
                    <h3>{format!("{}. {}", step.number, step_title(step.title.as_ref(), step.form))}</h3>
                    {askings}
                    {tables}
                    {mirror}
                    {actions}
                    {scale_file}
                    {table_file}
                    {mirror_files}
                </article>
            })
        })
        .collect_view();
    let draaiboek_file = format!("draaiboek-{}.toml", code.get_value());
    view! {
        <section class="steps-review" aria-label=t().agenda>
            <h2>{t().agenda}</h2>
            <table>
                <thead><tr><th>{t().step}</th><th>{t().work_form}</th><th>{t().time_used}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {details}
            <p class="hint no-print">{t().draaiboek_download_hint}</p>
            <button id="export-draaiboek" class="no-print"
                on:click=move |_| download("draaiboek".to_owned(), draaiboek_file.clone(), "application/toml")>
                {t().export_draaiboek}
            </button>
            {move || problem.get().map(|text| view! { <p class="problem">{text}</p> })}
        </section>
    }
}

/// A spiegelgesprek as the review keeps it: per question, the observations by kind, their
/// group, which went to verbeteracties; how many typed answers (their text only in the file).
fn mirror_review(mirror: &MirrorReview) -> impl IntoView + use<> {
    let questions = mirror
        .questions
        .iter()
        .map(|question| {
            let items = question
                .observations
                .iter()
                .map(|noted| {
                    let kind = match noted.kind {
                        cards::forms::mirror::Kind::GoesWell => t().kind_goes_well,
                        cards::forms::mirror::Kind::CouldBeBetter => t().kind_could_be_better,
                        cards::forms::mirror::Kind::TouchesMe => t().kind_touches_me,
                    };
                    let group = noted.group.clone().map(|group| format!(" [{group}]")).unwrap_or_default();
                    let picked = if noted.picked { format!(" → {}", t().mirror_pick) } else { String::new() };
                    view! { <li>{format!("{kind}: {}{group}{picked}", noted.text)}</li> }
                })
                .collect_view();
            let typed = (question.typed_answers > 0).then(
                || view! { <p class="muted">{format!("{}: {}", t().mirror_typed_answers, question.typed_answers)}</p> },
            );
            view! { <p class="question-text"><strong>{tr(&question.text)}</strong></p>{typed}<ul>{items}</ul> }
        })
        .collect_view();
    view! { <div class="mirror-review">{questions}</div> }
}

/// One keukentafel round as the review keeps it: the group's table, where it was split, the
/// sizes and the regie, how the sides differ, the reasons, how many roles moved.
fn table_round(round: &TableReview) -> impl IntoView + use<> {
    let figures = &round.figures;
    let name = |role: &cards::deck::CardId| {
        round.role_names.iter().find(|(id, _)| id == role).map_or_else(|| role.to_string(), |(_, name)| tr(name))
    };
    let seated: Vec<String> = figures
        .roles
        .iter()
        .filter(|role| role.seated())
        .map(|role| format!("{} ({}/{})", name(&role.role), role.table, figures.n))
        .collect();
    let split: Vec<String> = figures.roles.iter().filter(|role| role.split()).map(|role| name(&role.role)).collect();
    let regie: Vec<String> = figures
        .regie
        .iter()
        .map(|(regie, n)| {
            let who = match regie {
                cards::forms::table::Regie::Family => t().regie_family.to_owned(),
                cards::forms::table::Regie::Role(role) => name(role),
            };
            format!("{who}: {n}")
        })
        .collect();
    let reasons = (!round.reasons.is_empty()).then(|| {
        let items = round
            .reasons
            .iter()
            .map(|(role, why)| view! { <li>{format!("{}: {why}", name(role))}</li> })
            .collect_view();
        view! { <h4>{t().table_reasons}</h4><ul>{items}</ul> }
    });
    view! {
        <p class="question-text"><strong>{tr(&round.title)}</strong></p>
        <p class="muted">{format!("{} · n={}", t().table_round.replace("{n}", &round.round.to_string()), figures.n)}</p>
        <p>{t().table_seated}": "{if seated.is_empty() { t().table_seated_none.to_owned() } else { seated.join(", ") }}</p>
        {(!split.is_empty()).then(|| view! { <p>{t().table_split}": "{split.join(", ")}</p> })}
        {(!regie.is_empty()).then(|| view! { <p>{t().table_regie_named}": "{regie.join(" · ")}</p> })}
        {(!round.moved.is_empty()).then(|| view! { <p><strong>{t().table_moved}": "{round.moved.len()}</strong></p> })}
        {reasons}
    }
}

fn asking(asking: &AskingReview) -> impl IntoView + use<> {
    let figures = &asking.figures;
    let middle = summary_sentence(figures);
    let groups = figures
        .groups
        .iter()
        .map(|group| {
            let median = group.median.map_or_else(|| "–".to_owned(), |median| median.to_string());
            format!("{} {median} (n={})", tr(&cards::chart::group_label(&group.group)), group.n)
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let shift = asking
        .shift
        .as_ref()
        .map(|shift| view! { <p class="scale-moved"><strong>{moved_sentence(shift)}</strong></p> });
    let list = |texts: &[String], heading: &'static str| {
        (!texts.is_empty()).then(|| {
            let items = texts.iter().map(|text| view! { <li>{text.clone()}</li> }).collect_view();
            view! { <h4>{heading}</h4><ul>{items}</ul> }
        })
    };
    let counts =
        figures.counts.iter().enumerate().map(|(i, n)| format!("{}: {n}", i + 1)).collect::<Vec<_>>().join(" · ");
    view! {
        <p class="question-text"><strong>{tr(&asking.text)}</strong></p>
        <p class="muted">{format!("{} · n={}", t().scale_asked_nth.replace("{n}", &asking.asking.to_string()), asking.answers)}</p>
        <p>{middle}</p>
        <p class="muted">{counts}</p>
        {(!groups.is_empty()).then(|| view! { <p>{groups}</p> })}
        {shift}
        {list(&asking.one_point_higher, t().one_point_higher)}
        {list(&asking.why_not_lower, t().why_not_lower)}
    }
}
