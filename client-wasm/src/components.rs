//! The pieces the screens are built from. Each reads the session's view; none decides a game
//! rule.

use std::time::Duration;

use cards::event::{LeaveReason, Perspective};
use cards::protocol::ClientMsg;
use cards::view::{Identity, PhaseView, Reveal, TimerView, TurnView};
use cards::{Answer, Position, Presence, RoleCard, SeatId, StatementCard, View};
use leptos::prelude::*;

use crate::i18n::T;
use crate::session::{Link, Session};

/// Where the room is, coarsely: the screens re-render only when this changes, so typing in a
/// field is never interrupted by someone else's update.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    NotJoined,
    Lobby,
    Choosing {
        reader: Option<SeatId>,
    },
    Answering {
        statement: StatementCard,
        vote: u8,
    },
    Revealed {
        statement: StatementCard,
        vote: u8,
    },
    Ended,
    /// This participant's place is gone: they left, were removed, or are no longer trainer.
    Gone {
        removed: bool,
    },
}

pub fn stage(view: Option<&View>) -> Stage {
    let Some(view) = view else { return Stage::NotJoined };
    match view.you {
        Identity::Player { seat } => {
            if let Some(Presence::Left { reason }) = view.seat(seat).map(|seat| seat.presence) {
                return Stage::Gone { removed: reason == LeaveReason::Kicked };
            }
        }
        Identity::Trainer { trainer } if !view.trainers.contains(&trainer) => return Stage::Gone { removed: true },
        _ => {}
    }
    match &view.phase {
        PhaseView::Lobby => Stage::Lobby,
        PhaseView::Ended { .. } => Stage::Ended,
        PhaseView::Turn(turn) => match (&turn.statement, &turn.reveal) {
            (None, _) => Stage::Choosing { reader: turn.reader },
            (Some(statement), None) => Stage::Answering { statement: statement.clone(), vote: turn.vote },
            (Some(statement), Some(_)) => Stage::Revealed { statement: statement.clone(), vote: turn.vote },
        },
    }
}

pub fn stage_memo(session: Session) -> Memo<Stage> {
    Memo::new(move |_| session.view.with(|view| stage(view.as_ref())))
}

fn turn_of(view: &Option<View>) -> Option<&TurnView> {
    match &view.as_ref()?.phase {
        PhaseView::Turn(turn) => Some(turn),
        _ => None,
    }
}

/// The room code in the current route (`/play/:code`, `/trainer/:code`), if it is a valid code.
pub fn room_code_param() -> Option<String> {
    let params = leptos_router::hooks::use_params_map();
    let code = params.with_untracked(|params| params.get("code"))?;
    cards::RoomCode::parse(&code).map(|code| code.to_string())
}

/// For a route that names no room that could exist.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <p class="notice">{T.not_found}" "<a href="/">{T.to_home}</a></p> }
}

/// The participant's name, as on the home page and the play page alike.
#[component]
pub fn NameField(name: RwSignal<String>) -> impl IntoView {
    view! {
        <label for="join-name">{T.your_name}</label>
        <input
            id="join-name"
            autocomplete="nickname"
            maxlength="40"
            prop:value=move || name.get()
            on:input=move |ev| name.set(event_target_value(&ev))
        />
    }
}

/// "Verbinding kwijt …" while the socket is down; the refusal of the last command, if any.
#[component]
pub fn StatusLine(session: Session) -> impl IntoView {
    let link = move || match session.link.get() {
        Link::Open | Link::Closed => None,
        Link::Connecting => Some(T.connecting),
        Link::Lost => Some(T.connection_lost),
    };
    view! {
        <div role="status" aria-live="polite">
            {move || link().map(|text| view! { <p class="banner">{text}</p> })}
            {move || {
                session.problem.get().map(|problem| view! { <p class="problem" data-code=problem.code>{problem.message.nl}</p> })
            }}
        </div>
    }
}

#[component]
pub fn RoleCardView(role: RoleCard, perspective: Perspective) -> impl IntoView {
    let hint = match perspective {
        Perspective::Role => T.answer_as_role,
        Perspective::Own => T.answer_as_yourself,
    };
    view! {
        <section class="card role" aria-label=T.your_role>
            <p class="card-label">{T.your_role}</p>
            <h2>{role.name.nl}</h2>
            <p class="group">{role.group}</p>
            <p>{role.perspective.nl}</p>
            <p class="hint">{hint}</p>
        </section>
    }
}

#[component]
pub fn StatementView(statement: StatementCard, #[prop(optional)] vote: u8) -> impl IntoView {
    let terms = statement.terms.join(", ");
    view! {
        <section class="card statement" aria-label=T.statement>
            <p class="card-label">{T.statement}{(vote > 1).then(|| format!(" · {} {}", T.revote_round, vote - 1))}</p>
            <p class="statement-text">{statement.text.nl}</p>
            {(!terms.is_empty()).then(|| view! { <p class="terms">{terms}</p> })}
        </section>
    }
}

pub fn position_label(position: Position) -> &'static str {
    match position {
        Position::Scale(n) => T.scale.get(usize::from(n.saturating_sub(1))).copied().unwrap_or("?"),
        Position::Pass => T.pass,
    }
}

pub fn reader_name(session: Session, reader: Option<SeatId>) -> String {
    let Some(reader) = reader else { return String::new() };
    session
        .view
        .with(|view| view.as_ref().and_then(|view| view.seat(reader)).map(|seat| seat.name.clone()).unwrap_or_default())
}

/// The answer timer, counting down between the server's updates.
#[component]
pub fn Countdown(session: Session) -> impl IntoView {
    let timer = Memo::new(move |_| session.view.with(|view| turn_of(view).and_then(|turn| turn.timer)));
    let since = RwSignal::new(js_sys::Date::now());
    let now = RwSignal::new(js_sys::Date::now());
    Effect::new(move |_| {
        timer.track();
        since.set(js_sys::Date::now());
    });
    if let Ok(handle) = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_millis(250)) {
        on_cleanup(move || handle.clear());
    }
    move || {
        timer.get().map(|TimerView { remaining_ms, running }| {
            let elapsed = if running { (now.get() - since.get()).max(0.0) as u64 } else { 0 };
            let left = remaining_ms.saturating_sub(elapsed);
            let seconds = left.div_ceil(1000);
            let text = if left == 0 {
                T.time_up.to_owned()
            } else {
                let paused = if running { String::new() } else { format!(" ({})", T.paused) };
                format!("{}:{:02}{paused}", seconds / 60, seconds % 60)
            };
            view! { <p class="countdown" class:urgent=running && left < 10_000 role="timer">{text}</p> }
        })
    }
}

/// Who is here, with their role and, during a statement, whether they have answered. A
/// trainer can remove a player from here.
#[component]
pub fn Roster(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let Some(view) = view else { return ().into_any() };
            let seated: Vec<_> = view.seats.iter().filter(|seat| !matches!(seat.presence, Presence::Left { .. })).collect();
            if seated.is_empty() {
                return view! { <p class="muted">{T.no_players_yet}</p> }.into_any();
            }
            let answered: Option<&[SeatId]> = match &view.phase {
                PhaseView::Turn(turn) if turn.statement.is_some() && turn.reveal.is_none() => Some(&turn.answered),
                _ => None,
            };
            let present = seated.iter().filter(|seat| seat.presence == Presence::Here).count();
            let count = answered.map(|answered| format!(" · {} {} {present} {}", answered.len(), T.of, T.answered_count));
            let trainer = view.is_trainer();
            let rows = seated
                .into_iter()
                .map(|seat| {
                    let role = seat.role.as_ref().map(|role| role.name.nl.clone()).unwrap_or_default();
                    let state = match answered {
                        Some(answered) if answered.contains(&seat.seat) => Some(("answered", T.answered)),
                        Some(_) => Some(("thinking", T.not_answered)),
                        None => None,
                    };
                    let away = seat.presence != Presence::Here;
                    let is_me = view.my_seat() == Some(seat.seat);
                    let id = seat.seat;
                    let kick = trainer.then(|| {
                        view! {
                            <button class="small" on:click=move |_| {
                                if confirm(T.kick_confirm) {
                                    session.send(ClientMsg::Kick { seat: id });
                                }
                            }>{T.kick}</button>
                        }
                    });
                    view! {
                        <li class:away=away data-seat=seat.seat.0>
                            <span class="name">{seat.name.clone()}{is_me.then(|| format!(" ({})", T.you))}</span>
                            <span class="role-name">{role}</span>
                            {away.then(|| view! { <span class="away-note">{T.away}</span> })}
                            {state.map(|(class, text)| view! { <span class=format!("answer-state {class}")>{text}</span> })}
                            {kick}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="roster" aria-label=T.players>
                    <h2>{T.players}{count}</h2>
                    <ul>{rows}</ul>
                </section>
            }
            .into_any()
        })
    }
}

/// Everyone's answer at once: how the group is spread over the scale, then each answer with
/// its role and argument, and who moved after a re-vote.
#[component]
pub fn RevealView(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let Some(turn) = turn_of(view) else { return ().into_any() };
            let Some(reveal) = &turn.reveal else { return ().into_any() };
            let Some(view) = view else { return ().into_any() };
            view! {
                <section class="reveal" aria-label=T.revealed>
                    <h2>{T.revealed}</h2>
                    {distribution(reveal)}
                    {answers(view, reveal)}
                </section>
            }
            .into_any()
        })
    }
}

/// The reveal's distribution alone, for the projector.
pub fn distribution(reveal: &Reveal) -> impl IntoView + use<> {
    let points: Vec<Position> = (Position::MIN..=Position::MAX).map(Position::Scale).chain([Position::Pass]).collect();
    let count = |point: Position| reveal.answers.iter().filter(|given| given.answer.position == point).count();
    let most = points.iter().map(|point| count(*point)).max().unwrap_or(0).max(1);
    let bars = points
        .into_iter()
        .map(|point| {
            let count = count(point);
            let width = format!("width: {}%", count * 100 / most);
            view! {
                <li>
                    <span class="bar-label">{position_label(point)}</span>
                    <span class="bar"><span class="bar-fill" style=width></span></span>
                    <span class="bar-count">{count}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="distribution">{bars}</ul> }
}

fn answers(view: &View, reveal: &Reveal) -> AnyView {
    if reveal.answers.is_empty() {
        return view! { <p class="muted">{T.no_answers}</p> }.into_any();
    }
    let mut given = reveal.answers.clone();
    given.sort_by_key(|given| match given.answer.position {
        Position::Scale(n) => n,
        Position::Pass => Position::MAX + 1,
    });
    let rows = given
        .into_iter()
        .map(|given| {
            let name = given
                .seat
                .and_then(|seat| view.seat(seat))
                .map(|seat| seat.name.clone())
                .unwrap_or_else(|| T.anonymous_answer.to_owned());
            let role = given.role.map(|role| role.nl).unwrap_or_default();
            let mine = given.seat.is_some() && given.seat == view.my_seat();
            let moved = given.before.filter(|before| *before != given.answer.position);
            let Answer { position, argument, definition } = given.answer;
            view! {
                <li class:mine=mine>
                    <p class="who"><strong>{name}</strong>" · "{role}</p>
                    <p class="position">
                        {position_label(position)}
                        {moved.map(|before| view! { <span class="moved">{format!(" ({} {})", T.moved, position_label(before))}</span> })}
                    </p>
                    {argument.map(|text| view! { <p class="argument">{text}</p> })}
                    {definition.map(|text| view! { <p class="definition">"“"{text}"”"</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="answers">{rows}</ol> }.into_any()
}

/// Statements to choose from: the reader's hand, or the trainer's pile.
#[component]
pub fn CardChoice(session: Session, from_pile: bool) -> impl IntoView {
    move || {
        let cards = session.view.with(|view| {
            view.as_ref().map(|view| if from_pile { view.pile.clone() } else { view.hand.clone() }).unwrap_or_default()
        });
        let title = if from_pile { T.choose_from_pile } else { T.your_hand };
        let cards = cards
            .into_iter()
            .map(|card| {
                let id = card.id.clone();
                view! {
                    <li>
                        <button class="hand-card" on:click=move |_| session.send(ClientMsg::Play { card: id.clone() })>
                            {card.text.nl}
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-label=title>
                <h2>{title}</h2>
                <ul class="hand">{cards}</ul>
            </section>
        }
    }
}

/// The scale, the argument and, when the statement names a term, the player's definition of
/// it. Kept in local signals so nothing typed is lost while others answer.
#[component]
pub fn AnswerForm(session: Session, statement: StatementCard) -> impl IntoView {
    let mine = move || session.view.with(|view| turn_of(view).and_then(|turn| turn.mine.clone()));
    let earlier = mine();
    let position = RwSignal::new(earlier.as_ref().map(|answer| answer.position));
    let argument = RwSignal::new(earlier.as_ref().and_then(|answer| answer.argument.clone()).unwrap_or_default());
    let definition = RwSignal::new(earlier.as_ref().and_then(|answer| answer.definition.clone()).unwrap_or_default());
    // The card's own prompt, or "<Term> betekent voor mij …".
    let term = statement.terms.first().map(|term| {
        statement
            .prompt
            .as_ref()
            .map_or_else(|| format!("{} {}", capitalise(term), T.definition_of), |prompt| prompt.nl.clone())
    });
    let has_term = term.is_some();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(position) = position.get_untracked() else { return };
        let text = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|text| !text.trim().is_empty());
        let definition = if has_term { text(definition) } else { None };
        session.send(ClientMsg::Answer(Answer { position, argument: text(argument), definition }));
    };
    let choices = (Position::MIN..=Position::MAX)
        .map(Position::Scale)
        .chain([Position::Pass])
        .map(|choice| {
            let (id, number) = match choice {
                Position::Scale(n) => (format!("scale-{n}"), n.to_string()),
                Position::Pass => ("scale-pass".to_owned(), "–".to_owned()),
            };
            view! {
                <button
                    type="button"
                    id=id
                    class="scale-choice"
                    aria-pressed=move || (position.get() == Some(choice)).to_string()
                    on:click=move |_| position.set(Some(choice))
                >
                    <span class="scale-number">{number}</span>
                    <span class="scale-label">{position_label(choice)}</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <form class="answer-form" on:submit=submit>
            <fieldset>
                <legend>{T.scale_question}</legend>
                <div class="scale">{choices}</div>
            </fieldset>
            <label for="argument">{T.argument}</label>
            <textarea
                id="argument"
                maxlength="500"
                rows="2"
                prop:value=move || argument.get()
                on:input=move |ev| argument.set(event_target_value(&ev))
            ></textarea>
            <p class="hint">{T.argument_hint}</p>
            {term.map(|prompt| view! {
                <label for="definition">{prompt}</label>
                <input
                    id="definition"
                    maxlength="200"
                    prop:value=move || definition.get()
                    on:input=move |ev| definition.set(event_target_value(&ev))
                />
            })}
            <button type="submit" id="submit-answer" class="primary" disabled=move || position.get().is_none()>
                {move || if mine().is_some() { T.change_answer } else { T.send_answer }}
            </button>
            {move || mine().map(|_| view! { <p class="confirmation" role="status">{T.answer_sent}</p> })}
        </form>
    }
}

/// Asks the person to confirm a step that cannot be undone.
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|window| window.confirm_with_message(question).ok()).unwrap_or(false)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// For the trainer at each reveal: consensus, two camps, the split, and how each role answered.
#[component]
pub fn RevealFigures(session: Session) -> impl IntoView {
    use cards::analysis::Distribution;
    move || {
        session.view.with(|view| {
            let reveal = turn_of(view)?.reveal.as_ref()?;
            let all = Distribution::of(reveal.answers.iter().map(|given| given.answer.position));
            let mut roles: std::collections::BTreeMap<String, Vec<Position>> = std::collections::BTreeMap::new();
            for given in &reveal.answers {
                let role = given.role.as_ref().map(|role| role.nl.clone()).unwrap_or_default();
                roles.entry(role).or_default().push(given.answer.position);
            }
            let figure = |value: Option<f64>| value.map_or("–".to_owned(), |value| format!("{value:.2}"));
            let split = all.split().map(|split| {
                format!(" · {:.0}% {} · {:.0}% {} · {:.0}% {}", split.disagree * 100.0, T.disagree_short, split.neutral * 100.0, T.neutral_short, split.agree * 100.0, T.agree_short)
            });
            let rows = roles
                .into_iter()
                .map(|(role, positions)| {
                    let distribution = Distribution::of(positions);
                    let mean = distribution.mean().map_or("–".to_owned(), |mean| format!("{mean:.1}"));
                    view! { <li>{role}": "{mean}<span class="n">{format!(" (n={})", distribution.n())}</span></li> }
                })
                .collect_view();
            Some(view! {
                <section class="figures" aria-label=T.reveal_figures>
                    <p>
                        <strong>"C "{figure(all.consensus())}</strong>" · "<strong>"P "{figure(all.polarization())}</strong>{split}
                        <span class="n">{format!(" (n={}, {} {})", all.n(), T.pass.to_lowercase(), all.passes)}</span>
                    </p>
                    <p class="n">{T.role_split}</p>
                    <ul class="role-means">{rows}</ul>
                </section>
            })
        })
    }
}
