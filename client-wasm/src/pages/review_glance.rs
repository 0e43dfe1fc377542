//! The review at a glance: its sentences, every figure with its meaning in words, the camps of
//! a split statement, the groups of people who answer alike, common ground and the moments the
//! trainer marked. The words and sentences come from `cards::analysis`, in the visitor's
//! language.

use cards::analysis::{Camp, Camps, Measure, OpinionGroup, Review, Side, Stance, figure, sentences};
use cards::chart::group_label;
use leptos::prelude::*;

use crate::i18n::{lang, t, tr};

/// "0,88 · grote overeenstemming", with what the figure is on hover.
pub fn measured(measure: Measure, value: Option<f64>) -> impl IntoView {
    let lang = lang();
    view! { <span class="figure" title=measure.explanation(lang)>{figure(measure, value, lang)}</span> }
}

/// The sentences a trainer could read aloud, first on the page.
#[component]
pub fn Summary(review: Review) -> impl IntoView {
    let said = sentences(&review, lang());
    if said.is_empty() {
        return ().into_any();
    }
    let items = said.into_iter().map(|sentence| view! { <li>{sentence}</li> }).collect_view();
    view! {
        <section class="card summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{t().in_short}</h2>
            <ul id="review-sentences">{items}</ul>
        </section>
    }
    .into_any()
}

/// Who: names when the session showed them, else how many of each role group.
fn who(people: &[String], groups: &[(String, u32)]) -> String {
    if people.is_empty() {
        groups.iter().map(|(group, n)| format!("{n} {}", tr(&group_label(group)))).collect::<Vec<_>>().join(", ")
    } else {
        people.join(", ")
    }
}

/// The two sides of a split statement, with their firmest arguments quoted.
#[component]
pub fn CampsView(camps: Camps) -> impl IntoView {
    let side = |label: &'static str, class: &'static str, camp: Camp| {
        let quotes = camp
            .quotes
            .iter()
            .map(|quote| view! { <blockquote>"“"{quote.text.clone()}"” "<span class="n">"— "{tr(&quote.role)}</span></blockquote> })
            .collect_view();
        view! {
            <div class=format!("camp {class}")>
                <p><strong>{format!("{label} ({})", camp.count)}</strong>": "{who(&camp.people, &camp.groups)}</p>
                {quotes}
            </div>
        }
    };
    let neutral =
        (camps.neutral > 0).then(|| view! { <p class="n">{format!("{} {}", camps.neutral, t().neutral_short)}</p> });
    view! {
        <div class="camps" aria-label=t().camps>
            {side(t().camp_agree, "agree", camps.agree)}
            {side(t().camp_disagree, "disagree", camps.disagree)}
            {neutral}
        </div>
    }
}

fn stance_line(stance: &Stance) -> impl IntoView + use<> {
    let side = match stance.side {
        Side::Agree => t().stance_agree,
        Side::Disagree => t().stance_disagree,
    };
    view! {
        <li>{side}" ‘"{tr(&stance.text)}"’ "<span class="n">{format!("({:.0}%)", stance.share * 100.0)}</span></li>
    }
}

/// The groups of people who answer alike across the session, and what everyone agrees on.
#[component]
pub fn OpinionGroups(groups: Vec<OpinionGroup>, common: Vec<Stance>) -> impl IntoView {
    if groups.is_empty() && common.is_empty() {
        return ().into_any();
    }
    let explained = (!groups.is_empty()).then(|| view! { <p class="hint">{t().opinion_groups_hint}</p> });
    let groups = groups
        .into_iter()
        .enumerate()
        .map(|(number, group)| {
            let agrees = group.agrees_on.iter().map(stance_line).collect_view();
            view! {
                <article class="card opinion-group">
                    <h3>{format!("{} {} ({})", t().group, number + 1, group.size)}</h3>
                    <p>{who(&group.people, &group.groups)}</p>
                    <ul>{agrees}</ul>
                </article>
            }
        })
        .collect_view();
    let common = (!common.is_empty()).then(|| {
        let lines = common.iter().map(stance_line).collect_view();
        view! { <h3>{t().common_ground_title}</h3><ul class="common-ground">{lines}</ul> }
    });
    view! {
        <section aria-labelledby="opinion-title">
            <h2 id="opinion-title">{t().opinion_groups}</h2>
            {explained}
            <div class="opinion-groups">{groups}</div>
            {common}
        </section>
    }
    .into_any()
}

/// The moments the trainer marked, with where the session was.
#[component]
pub fn Marks(review: Review) -> impl IntoView {
    if review.marks.is_empty() {
        return ().into_any();
    }
    let items = review
        .marks
        .iter()
        .map(|mark| {
            // The trainer's own clock, not UTC.
            let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(mark.at as f64));
            let mut place = vec![format!("{:02}:{:02}", at.get_hours(), at.get_minutes())];
            if let Some(step) = mark.step.and_then(|step| review.steps.get(usize::from(step))) {
                let name = step.title.as_ref().map_or_else(String::new, tr);
                place.push(format!("{} {} {name}", t().step, step.number));
            }
            if let Some(statement) = &mark.statement {
                let when = if mark.revealed { t().mark_revealed } else { t().mark_answering };
                place.push(format!("‘{}’ ({when})", cards::analysis::opening(&tr(statement))));
            }
            let note = mark.note.clone().map(|note| view! { " "<strong>{note}</strong> });
            view! { <li><span class="n">{place.join(" · ")}</span>{note}</li> }
        })
        .collect_view();
    view! {
        <section class="card marks" aria-labelledby="marks-title">
            <h2 id="marks-title">{t().marked_moments}</h2>
            <ul id="review-marks">{items}</ul>
        </section>
    }
    .into_any()
}
