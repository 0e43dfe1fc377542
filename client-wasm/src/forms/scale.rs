//! The schaalvraag on each screen: the phone answers 1–10 with what already works and one step
//! higher; the console asks a question and shows the answers; the projector shows the question
//! large, then the whole group's answers at once.

use cards::chart;
use cards::forms::scale::{MAX_SCORE, MIN_SCORE, RoundView, ScaleAnswer, ScaleCommand, ScaleFigures};
use cards::protocol::ClientMsg;
use cards::view::ScaleStepView;
use cards::{SeatId, View};
use leptos::prelude::*;

use crate::components::group_legend;
use crate::i18n::{t, tr};
use crate::session::{ScaleDraft, Session};

fn scale_of(view: &Option<View>) -> Option<ScaleStepView> {
    view.as_ref()?.session.as_ref()?.scale.clone()
}

/// The open or revealed question, large, with what a 1 and a 10 stand for.
fn question_card(round: &RoundView, large: bool) -> impl IntoView + use<> {
    let card = &round.question;
    let again = (round.asked > 1).then(|| view! { <p class="muted">{t().scale_asked_again}</p> });
    let ends = match (&card.low, &card.high) {
        (Some(low), Some(high)) => Some(view! {
            <p class="scale-anchors"><span>{format!("1 = {}", tr(low))}</span><span>{format!("10 = {}", tr(high))}</span></p>
        }),
        _ => None,
    };
    view! {
        <section class="scale-question" class:projector-statement=large id="scale-question">
            <p class="label">{t().form_scale}</p>
            <p class="question-text">{tr(&card.text)}</p>
            {ends}
            {again}
        </section>
    }
}

/// A participant's phone during a schaalvraag.
#[component]
pub fn ScalePlayer(session: Session) -> impl IntoView {
    // Built again only when a question is asked or revealed: someone else answering must not
    // take the keyboard away from a phone that is typing.
    let shape = Memo::new(move |_| {
        session.view.with(|view| {
            let step = scale_of(view)?;
            Some((step.rounds, step.round.as_ref().map(|round| round.revealed.is_some())))
        })
    });
    move || {
        // Read, not only tracked: a memo nobody reads is never worked out again.
        let _shape = shape.get();
        let Some(step) = session.view.with_untracked(scale_of) else { return ().into_any() };
        let Some(round) = step.round.clone() else {
            return view! { <p class="notice" id="scale-waiting">{t().scale_waiting}</p> }.into_any();
        };
        if round.revealed.is_some() {
            return view! { {question_card(&round, false)} <ScaleReveal session=session /> }.into_any();
        }
        view! { {question_card(&round, false)} <ScaleForm session=session step=step /> }.into_any()
    }
}

#[component]
fn ScaleForm(session: Session, step: ScaleStepView) -> impl IntoView {
    let (running, rounds) = session.view.with_untracked(|view| {
        (view.as_ref().and_then(|view| view.session.as_ref()?.running).unwrap_or(0), step.rounds)
    });
    let mine = move || session.view.with(|view| view.as_ref()?.mine.clone()?.scale);
    let kept = session.scale_draft.get_value();
    let draft = if kept.step == running && kept.rounds == rounds {
        kept
    } else {
        let earlier = mine();
        ScaleDraft {
            step: running,
            rounds,
            score: earlier.as_ref().map(|answer| answer.score),
            why_not_lower: earlier.as_ref().and_then(|answer| answer.why_not_lower.clone()).unwrap_or_default(),
            one_point_higher: earlier.as_ref().and_then(|answer| answer.one_point_higher.clone()).unwrap_or_default(),
        }
    };
    let score = RwSignal::new(draft.score);
    let lower = RwSignal::new(draft.why_not_lower.clone());
    let higher = RwSignal::new(draft.one_point_higher.clone());
    Effect::new(move |_| {
        let kept = ScaleDraft {
            step: running,
            rounds,
            score: score.get(),
            why_not_lower: lower.get(),
            one_point_higher: higher.get(),
        };
        session.scale_draft.set_value(kept);
    });
    let settings = step.settings.clone();
    let (asks_lower, asks_higher) = (settings.why_not_lower, settings.one_point_higher);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(score) = score.get_untracked() else { return };
        let text = |signal: RwSignal<String>, asked: bool| {
            Some(signal.get_untracked()).filter(|text| asked && !text.trim().is_empty())
        };
        let answer =
            ScaleAnswer { score, why_not_lower: text(lower, asks_lower), one_point_higher: text(higher, asks_higher) };
        session.send(ClientMsg::Scale(ScaleCommand::Answer(answer)));
    };
    let choices = (MIN_SCORE..=MAX_SCORE)
        .map(|n| {
            view! {
                <button type="button" id=format!("score-{n}") class="score-choice"
                    aria-pressed=move || (score.get() == Some(n)).to_string()
                    on:click=move |_| score.set(Some(n))>{n}</button>
            }
        })
        .collect_view();
    let max = cards::limits::MAX_ARGUMENT_CHARS.to_string();
    let lower_field = asks_lower.then(|| {
        let max = max.clone();
        view! {
            <label for="why-not-lower">{t().why_not_lower}</label>
            <textarea id="why-not-lower" rows="2" maxlength=max prop:value=move || lower.get()
                on:input=move |ev| lower.set(event_target_value(&ev))></textarea>
        }
    });
    let higher_field = asks_higher.then(|| {
        view! {
            <label for="one-point-higher">{t().one_point_higher}</label>
            <textarea id="one-point-higher" rows="2" maxlength=max prop:value=move || higher.get()
                on:input=move |ev| higher.set(event_target_value(&ev))></textarea>
        }
    });
    let sent = move || {
        mine().map(|answer| {
            view! { <p class="sent" id="scale-sent" role="status">{t().scale_sent.replace("{n}", &answer.score.to_string())}</p> }
        })
    };
    view! {
        <form class="answer-form scale-form" on:submit=submit>
            <fieldset>
                <legend>{t().scale_pick}</legend>
                <div class="scores">{choices}</div>
            </fieldset>
            {lower_field}
            {higher_field}
            <button type="submit" id="scale-submit" class="primary" disabled=move || score.get().is_none()>{t().send_answer}</button>
            {sent}
        </form>
    }
}

/// The console during a schaalvraag: the questions to ask, how many answered, the reveal.
#[component]
pub fn ScaleTrainer(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = scale_of(view)?;
            let view = view.as_ref()?;
            let open = step.round.as_ref().is_some_and(|round| round.revealed.is_none());
            let questions = step
                .questions
                .iter()
                .map(|question| {
                    let id = question.id.clone();
                    view! {
                        <li>
                            <span>{tr(&question.text)}</span>
                            <button class="small" disabled=open data-question=question.id.to_string()
                                on:click=move |_| session.send(ClientMsg::Scale(ScaleCommand::Ask { question: id.clone() }))>
                                {t().scale_ask}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let round = step.round.clone().map(|round| {
                let present = view.seated().filter(|seat| seat.presence == cards::Presence::Here).count();
                let count = format!("{} {} {} {}", round.answered.len(), t().of, present.max(round.answered.len()), t().answered_count);
                let control = if round.revealed.is_none() {
                    view! {
                        <p class="projector-count" id="scale-count">{count}</p>
                        <button id="scale-reveal" class="primary" on:click=move |_| session.send(ClientMsg::Scale(ScaleCommand::Reveal))>{t().reveal}</button>
                    }
                    .into_any()
                } else {
                    view! { <ScaleReveal session=session /> }.into_any()
                };
                view! { {question_card(&round, false)} {control} }
            });
            Some(view! {
                {round}
                <section class="scale-questions">
                    <h3>{t().scale_questions}</h3>
                    <ul>{questions}</ul>
                </section>
            })
        })
    }
}

/// The projector during a schaalvraag.
#[component]
pub fn ScaleProjector(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = scale_of(view)?;
            let round = step.round?;
            if round.revealed.is_some() {
                return Some(view! { {question_card(&round, false)} <ScaleReveal session=session /> }.into_any());
            }
            let count = format!("{} {}", round.answered.len(), t().answered_count);
            Some(
                view! {
                    {question_card(&round, true)}
                    <p class="projector-count" aria-live="polite">{count}</p>
                }
                .into_any(),
            )
        })
    }
}

/// Everyone's numbers at once: a column of dots per score, each dot coloured and shaped by the
/// role's group; the median and the middle half; then what already works and the steps one
/// point higher.
#[component]
pub fn ScaleReveal(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = scale_of(view)?;
            let view = view.as_ref()?;
            let (shift, moved) = (step.shift.clone(), step.moved.clone());
            let round = step.round?;
            let answers = round.revealed?;
            let group_of = |seat: Option<SeatId>| {
                seat.and_then(|seat| view.seat(seat)).and_then(|seat| seat.role.as_ref()).map(|role| role.group.clone())
            };
            let groups: Vec<Option<String>> = answers.iter().map(|(seat, _)| group_of(*seat)).collect();
            let figures = ScaleFigures::of(
                groups.iter().zip(&answers).map(|(group, (_, answer))| (group.as_deref(), answer.score)),
            );
            let mine = view.mine.as_ref().and_then(|mine| mine.scale.as_ref()).map(|answer| answer.score);
            let columns = (MIN_SCORE..=MAX_SCORE)
                .map(|score| {
                    let dots = answers
                        .iter()
                        .zip(&groups)
                        .filter(|((_, answer), _)| answer.score == score)
                        .map(|(_, group)| {
                            let style = chart::group_style(group.as_deref().unwrap_or(""));
                            view! {
                                <svg class="marker" viewBox="0 0 14 14" aria-hidden="true">
                                    <path d=style.marker.path(7.0, 7.0, 6.0) fill=style.colour></path>
                                </svg>
                            }
                        })
                        .collect_view();
                    let n = figures.counts[usize::from(score - 1)];
                    view! {
                        <div class="scale-column" class:mine=mine == Some(score) data-score=score>
                            <div class="dots">{dots}</div>
                            <span class="axis-label">{score}</span>
                            <span class="count">{format!("n={n}")}</span>
                        </div>
                    }
                })
                .collect_view();
            let mut legend: Vec<String> = groups.iter().flatten().cloned().collect();
            legend.sort_by(|a, b| chart::group_order(a).cmp(&chart::group_order(b)));
            legend.dedup();
            let summary = super::summary_sentence(&figures);
            let texts = |pick: fn(&cards::forms::scale::ScaleAnswer) -> Option<&String>,
                         heading: &'static str,
                         id: &'static str| {
                let items: Vec<String> = answers.iter().filter_map(|(_, answer)| pick(answer).cloned()).collect();
                (!items.is_empty()).then(|| {
                    let items = items.into_iter().map(|text| view! { <li>{text}</li> }).collect_view();
                    view! { <section class="scale-texts" id=id><h3>{heading}</h3><ul>{items}</ul></section> }
                })
            };
            // The medians of the role groups side by side: does one group score higher?
            let by_group = (figures.groups.len() > 1).then(|| {
                let items = figures
                    .groups
                    .iter()
                    .map(|group| {
                        let median = group.median.map_or_else(|| "–".to_owned(), |median| median.to_string());
                        let label = tr(&chart::group_label(&group.group));
                        view! { <li>{format!("{label}: {median} (n={})", group.n)}</li> }
                    })
                    .collect_view();
                view! { <p class="muted">{t().scale_group_medians}</p><ul class="group-medians" id="group-medians">{items}</ul> }
            });
            let moved_line = shift.map(|shift| {
                let text = super::moved_sentence(&shift);
                let people = moved
                    .iter()
                    .filter_map(|(seat, before, after)| {
                        let name = view.seat(*seat)?.name.clone();
                        let own = view.my_seat() == Some(*seat);
                        Some(view! { <li class:own=own>{format!("{name}: {before} → {after}")}</li> })
                    })
                    .collect_view();
                view! {
                    <section class="scale-moved" id="scale-moved">
                        <p><strong>{text}</strong></p>
                        <ul class="moved">{people}</ul>
                    </section>
                }
            });
            Some(view! {
                <section class="reveal scale-reveal" aria-label=t().revealed>
                    <h2>{t().revealed}</h2>
                    <figure class="scale-plot" role="img" aria-label=summary.clone()>{columns}</figure>
                    <p class="scale-summary" id="scale-summary">{summary}</p>
                    {group_legend(&legend)}
                    {by_group}
                    {moved_line}
                    {texts(|answer| answer.one_point_higher.as_ref(), t().one_point_higher, "scale-higher")}
                    {texts(|answer| answer.why_not_lower.as_ref(), t().why_not_lower, "scale-lower")}
                </section>
            })
        })
    }
}
