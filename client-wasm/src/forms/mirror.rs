//! The spiegelgesprek on each screen: a speaker's phone shows the question and, at a distance,
//! takes a typed answer; a listener's phone is quiet — the question and a place to note what
//! they hear, nothing else; the console says who speaks, asks, closes the conversation and
//! leads the after-talk; the projector shows the question large.

use std::collections::BTreeMap;

use cards::deck::{CardId, QuestionCard};
use cards::forms::mirror::{Kind, MirrorCommand, MirrorView, ObservationView, Stage};
use cards::protocol::ClientMsg;
use cards::{SeatId, View};
use leptos::prelude::*;

use crate::i18n::{t, tr};
use crate::session::Session;

fn mirror_of(view: &Option<View>) -> Option<MirrorView> {
    view.as_ref()?.session.as_ref()?.mirror.clone()
}

fn send(session: Session, command: MirrorCommand) {
    session.send(ClientMsg::Mirror(command));
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::GoesWell => t().kind_goes_well,
        Kind::CouldBeBetter => t().kind_could_be_better,
        Kind::TouchesMe => t().kind_touches_me,
    }
}

fn kind_class(kind: Kind) -> &'static str {
    match kind {
        Kind::GoesWell => "goes-well",
        Kind::CouldBeBetter => "could-be-better",
        Kind::TouchesMe => "touches-me",
    }
}

/// The question on the table, large on the projector.
fn question_card(question: &QuestionCard, large: bool) -> impl IntoView + use<> {
    view! {
        <section class="scale-question mirror-question" class:projector-statement=large id="mirror-question">
            <p class="label">{t().form_mirror}</p>
            <p class="question-text">{tr(&question.text)}</p>
        </section>
    }
}

/// Observations by question (in the order asked) and kind, as the after-talk reads them.
fn observations_list(
    observations: &[ObservationView],
    questions: &[QuestionCard],
    trainer: Option<Session>,
) -> AnyView {
    let mut by_question: BTreeMap<Option<CardId>, Vec<&ObservationView>> = BTreeMap::new();
    for noted in observations {
        by_question.entry(noted.question.clone()).or_default().push(noted);
    }
    let sections = by_question
        .into_iter()
        .map(|(question, noted)| {
            let heading = question
                .as_ref()
                .and_then(|id| questions.iter().find(|card| &card.id == id))
                .map_or_else(|| question.as_ref().map(ToString::to_string).unwrap_or_default(), |card| tr(&card.text));
            let kinds = Kind::ALL
                .into_iter()
                .filter_map(|kind| {
                    let items: Vec<&&ObservationView> = noted.iter().filter(|noted| noted.kind == kind).collect();
                    (!items.is_empty()).then(|| {
                        let items = items.into_iter().map(|noted| observation_item(noted, trainer)).collect_view();
                        view! { <h4 class=format!("kind {}", kind_class(kind))>{kind_name(kind)}</h4><ul>{items}</ul> }
                    })
                })
                .collect_view();
            view! { <section class="mirror-observations"><h3>{heading}</h3>{kinds}</section> }
        })
        .collect_view();
    view! { <div id="mirror-observations">{sections}</div> }.into_any()
}

fn observation_item(noted: &ObservationView, trainer: Option<Session>) -> impl IntoView + use<> {
    let text = noted.text.clone();
    // A name only when the step shows names to the trainer (never to a speaker).
    let name = noted
        .seat
        .zip(trainer)
        .and_then(|(seat, session)| {
            session.view.with_untracked(|view| view.as_ref()?.seat(seat).map(|seat| seat.name.clone()))
        })
        .map(|name| view! { <span class="muted">" · "{name}</span> });
    let controls = trainer.map(|session| {
        let id = noted.id;
        let picked = noted.picked;
        let group = noted.group.clone().unwrap_or_default();
        let regroup = move |ev| {
            let group = event_target_value(&ev);
            let group = (!group.trim().is_empty()).then_some(group);
            send(session, MirrorCommand::Group { observation: id, group });
        };
        view! {
            <input type="text" class="group" aria-label=t().mirror_group value=group
                maxlength=cards::forms::mirror::MAX_GROUP_CHARS.to_string() on:change=regroup />
            <button class="small" aria-pressed=picked.to_string() data-observation=id.0.to_string()
                on:click=move |_| send(session, MirrorCommand::Pick { observation: id, picked: !picked })>
                {t().mirror_pick}
            </button>
        }
    });
    let group = noted
        .group
        .clone()
        .filter(|_| trainer.is_none())
        .map(|group| view! { <span class="muted">" · "{group}</span> });
    view! { <li class:picked=noted.picked><span class="observation-text">{text}</span>{name}{group}{controls}</li> }
}

/// A participant's phone during a spiegelgesprek: a speaker's or a listener's.
#[component]
pub fn MirrorPlayer(session: Session) -> impl IntoView {
    // Built again only when the question, the stage or who speaks changes: a listener typing an
    // observation keeps it while others note theirs.
    let shape = Memo::new(move |_| {
        session.view.with(|view| {
            let mirror = mirror_of(view)?;
            let me = view.as_ref()?.my_seat()?;
            Some((mirror.asked, mirror.stage, mirror.speakers.contains(&me), mirror.shared))
        })
    });
    move || {
        let Some((_, stage, speaking, _)) = shape.get() else { return ().into_any() };
        let Some(mirror) = session.view.with_untracked(mirror_of) else { return ().into_any() };
        match (stage, speaking) {
            (Stage::Talking, true) => view! { <SpeakerForm session=session mirror=mirror /> }.into_any(),
            (Stage::Talking, false) => view! { <ListenerForm session=session mirror=mirror /> }.into_any(),
            (Stage::AfterTalk, true) => {
                let shared = mirror.shared.then(|| observations_list(&mirror.observations, &mirror.asked_questions, None));
                view! { <p class="notice" id="mirror-thanks">{t().mirror_thanks}</p> {shared} }.into_any()
            }
            (Stage::AfterTalk, false) => view! {
                <p class="notice" id="mirror-after-talk">{t().mirror_after_talk}</p>
                {move || {
                    let mine = session.view.with(|view| view.as_ref().and_then(|view| view.mine.clone()).map(|mine| mine.observations).unwrap_or_default());
                    observations_list(&mine, &mirror.asked_questions, None)
                }}
            }
            .into_any(),
        }
    }
}

#[component]
fn SpeakerForm(session: Session, mirror: MirrorView) -> impl IntoView {
    let Some(question) = mirror.question.clone() else {
        return view! { <p class="notice" id="mirror-waiting">{t().mirror_speaker_waiting}</p> }.into_any();
    };
    let me = session.view.with_untracked(|view| view.as_ref().and_then(View::my_seat));
    let answered = move || {
        session.view.with(|view| {
            let mirror = mirror_of(view)?;
            let (_, answers) = mirror.answers.last()?;
            answers.iter().find(|(seat, _)| Some(*seat) == me).map(|(_, text)| text.clone())
        })
    };
    let typed = typed_answers(session);
    let text = RwSignal::new(String::new());
    let form = typed.then(|| {
        let submit = move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let said = text.get_untracked();
            if !said.trim().is_empty() {
                send(session, MirrorCommand::Answer { text: said });
            }
        };
        view! {
            <form class="answer-form" on:submit=submit>
                <label for="mirror-answer">{t().mirror_answer_label}</label>
                <textarea id="mirror-answer" rows="4" maxlength=cards::limits::MAX_ARGUMENT_CHARS.to_string()
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <button type="submit" id="mirror-answer-send" class="primary">{t().mirror_answer_send}</button>
                {move || answered().map(|_| view! { <p class="sent" id="mirror-answer-sent" role="status">{t().mirror_answer_sent}</p> })}
            </form>
        }
    });
    view! {
        {question_card(&question, false)}
        <p class="hint" id="mirror-speaker">{t().mirror_speaker_hint}</p>
        {form}
    }
    .into_any()
}

/// Whether the running step takes typed answers, as its settings in the agenda say.
fn typed_answers(session: Session) -> bool {
    session.view.with_untracked(|view| {
        let session = view.as_ref().and_then(|view| view.session.as_ref());
        let step = session.and_then(|session| session.steps.get(usize::from(session.running?)));
        match step.and_then(|step| step.settings.clone()) {
            Some(cards::session::plan::StepSettings::Mirror(settings)) => settings.typed_answers,
            _ => true,
        }
    })
}

#[component]
fn ListenerForm(session: Session, mirror: MirrorView) -> impl IntoView {
    let Some(question) = mirror.question.clone() else {
        return view! { <p class="notice" id="mirror-waiting">{t().mirror_listener_waiting}</p> }.into_any();
    };
    let kind = RwSignal::new(None::<Kind>);
    let text = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(chosen), said) = (kind.get_untracked(), text.get_untracked()) else { return };
        if said.trim().is_empty() {
            return;
        }
        send(session, MirrorCommand::Observe { kind: chosen, text: said });
        text.set(String::new());
    };
    let kinds = Kind::ALL
        .into_iter()
        .map(|choice| {
            view! {
                <button type="button" class=format!("kind-choice {}", kind_class(choice)) id=format!("kind-{}", kind_class(choice))
                    aria-pressed=move || (kind.get() == Some(choice)).to_string()
                    on:click=move |_| kind.set(Some(choice))>{kind_name(choice)}</button>
            }
        })
        .collect_view();
    let current = question.id.clone();
    let mine = move || {
        let noted = session.view.with(|view| {
            view.as_ref().and_then(|view| view.mine.clone()).map(|mine| mine.observations).unwrap_or_default()
        });
        let items = noted
            .into_iter()
            .filter(|noted| noted.question.as_ref() == Some(&current))
            .map(|noted| view! { <li><span class=format!("kind {}", kind_class(noted.kind))>{kind_name(noted.kind)}</span>": "{noted.text}</li> })
            .collect_view();
        view! { <ul id="mirror-mine">{items}</ul> }
    };
    view! {
        {question_card(&question, false)}
        <p class="hint" id="mirror-listener">{t().mirror_listener_hint}</p>
        <form class="answer-form mirror-form" on:submit=submit>
            <fieldset>
                <legend>{t().mirror_observe_label}</legend>
                <div class="kinds">{kinds}</div>
            </fieldset>
            <label for="mirror-observation">{t().mirror_observation}</label>
            <textarea id="mirror-observation" rows="3" maxlength=cards::limits::MAX_ARGUMENT_CHARS.to_string()
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button type="submit" id="mirror-observe" class="primary"
                disabled=move || kind.get().is_none() || text.get().trim().is_empty()>{t().mirror_observe}</button>
        </form>
        <h3>{t().mirror_yours}</h3>
        {mine}
    }
    .into_any()
}

/// The console during a spiegelgesprek.
#[component]
pub fn MirrorTrainer(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let mirror = mirror_of(view)?;
            let view = view.as_ref()?;
            let questions: Vec<QuestionCard> = mirror.questions.clone();
            if mirror.stage == Stage::AfterTalk {
                let share = (!mirror.shared).then(|| view! {
                    <button id="mirror-share" on:click=move |_| send(session, MirrorCommand::Share)>{t().mirror_share}</button>
                });
                let shared = mirror.shared.then(|| view! { <p class="notice" id="mirror-shared">{t().mirror_shared}</p> });
                return Some(
                    view! {
                        <h2>{t().mirror_after_talk_title}</h2>
                        <p class="hint">{t().mirror_after_talk_hint}</p>
                        {observations_list(&mirror.observations, &mirror.asked_questions, Some(session))}
                        {share}
                        {shared}
                    }
                    .into_any(),
                );
            }
            let speakers = mirror.speakers.clone();
            let seated: Vec<SeatId> = view.seated().map(|seat| seat.seat).collect();
            let seats = view
                .seated()
                .map(|seat| {
                    let id = seat.seat;
                    let speaking = speakers.contains(&id);
                    let seated = seated.clone();
                    let toggle = move |_| {
                        // Who speaks now, read at the click: two quick ticks never undo each other.
                        let now = session
                            .view
                            .with_untracked(|view| mirror_of(view).map(|mirror| mirror.speakers).unwrap_or_default());
                        let speaking_now = now.contains(&id);
                        let mut chosen: Vec<SeatId> =
                            now.into_iter().filter(|seat| *seat != id && seated.contains(seat)).collect();
                        if !speaking_now {
                            chosen.push(id);
                        }
                        send(session, MirrorCommand::Speakers { seats: chosen });
                    };
                    let role = seat.role.as_ref().map(|role| format!(" ({})", tr(&role.name))).unwrap_or_default();
                    view! {
                        <li>
                            <label class="check">
                                <input type="checkbox" checked=speaking data-seat=id.0.to_string() on:change=toggle />
                                " "{format!("{}{role}", seat.name)}
                            </label>
                        </li>
                    }
                })
                .collect_view();
            let asked = mirror.question.as_ref().map(|question| question.id.clone());
            let question_items = questions
                .iter()
                .map(|question| {
                    let id = question.id.clone();
                    let current = asked.as_ref() == Some(&question.id);
                    view! {
                        <li class:running=current>
                            <span>{tr(&question.text)}</span>
                            <button class="small" disabled=current data-question=question.id.to_string()
                                on:click=move |_| send(session, MirrorCommand::Ask { question: id.clone() })>{t().mirror_ask}</button>
                        </li>
                    }
                })
                .collect_view();
            let answers = typed_list(&mirror, view);
            Some(
                view! {
                    {mirror.question.as_ref().map(|question| question_card(question, false))}
                    {answers}
                    <button id="mirror-close" class="primary" on:click=move |_| send(session, MirrorCommand::Close)>{t().mirror_close}</button>
                    <section class="mirror-speakers">
                        <h3>{t().mirror_speakers}</h3>
                        <p class="hint">{t().mirror_speakers_hint}</p>
                        <ul>{seats}</ul>
                    </section>
                    <section class="scale-questions">
                        <h3>{t().mirror_questions}</h3>
                        <ul>{question_items}</ul>
                    </section>
                }
                .into_any(),
            )
        })
    }
}

/// The typed answers to the question on the table, with the speaker's name.
fn typed_list(mirror: &MirrorView, view: &View) -> Option<impl IntoView + use<>> {
    let (_, answers) = mirror.answers.last().filter(|(_, answers)| !answers.is_empty())?;
    let items = answers
        .iter()
        .map(|(seat, text)| {
            let name = view.seat(*seat).map(|seat| seat.name.clone()).unwrap_or_default();
            view! { <li><strong>{name}</strong>": "{text.clone()}</li> }
        })
        .collect_view();
    Some(view! { <section id="mirror-answers"><h3>{t().mirror_typed_answers}</h3><ul>{items}</ul></section> })
}

/// The projector during a spiegelgesprek.
#[component]
pub fn MirrorProjector(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let mirror = mirror_of(view)?;
            let view = view.as_ref()?;
            if mirror.stage == Stage::AfterTalk {
                let shared =
                    mirror.shared.then(|| observations_list(&mirror.observations, &mirror.asked_questions, None));
                return Some(
                    view! { <p class="notice projector-statement small">{t().mirror_after_talk_screen}</p> {shared} }
                        .into_any(),
                );
            }
            let question = mirror.question.as_ref()?;
            Some(view! { {question_card(question, true)} {typed_list(&mirror, view)} }.into_any())
        })
    }
}
