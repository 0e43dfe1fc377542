//! The pieces the screens are built from. Each reads the session's view; none decides a game
//! rule.

use cards::protocol::ClientMsg;
use cards::view::{PhaseView, Reveal};
use cards::{Answer, Position, RoleCard, SeatId, StatementCard, View};
use leptos::prelude::*;

use crate::i18n::T;
use crate::session::{Link, Session};

/// Where the room is, coarsely: the screens re-render only when this changes, so typing in a
/// field is never interrupted by someone else's update.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    NotJoined,
    Lobby,
    Choosing { reader: SeatId },
    Answering { statement: StatementCard },
    Revealed { statement: StatementCard },
    Ended,
}

pub fn stage(view: Option<&View>) -> Stage {
    let Some(view) = view else {
        return Stage::NotJoined;
    };
    match &view.phase {
        PhaseView::Lobby => Stage::Lobby,
        PhaseView::Ended { .. } => Stage::Ended,
        PhaseView::Turn(turn) => match (&turn.statement, &turn.reveal) {
            (None, _) => Stage::Choosing { reader: turn.reader },
            (Some(statement), None) => Stage::Answering { statement: statement.clone() },
            (Some(statement), Some(_)) => Stage::Revealed { statement: statement.clone() },
        },
    }
}

pub fn stage_memo(session: Session) -> Memo<Stage> {
    Memo::new(move |_| session.view.with(|view| stage(view.as_ref())))
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
        Link::Open => None,
        Link::Connecting => Some(T.connecting),
        Link::Lost => Some(T.connection_lost),
    };
    view! {
        <div role="status" aria-live="polite">
            {move || link().map(|text| view! { <p class="banner">{text}</p> })}
            {move || session.problem.get().map(|problem| view! { <p class="problem" data-code=problem.code>{problem.message.nl}</p> })}
        </div>
    }
}

#[component]
pub fn RoleCardView(role: RoleCard, #[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    view! {
        <section class="card role" aria-label=label.unwrap_or(T.your_role)>
            {label.map(|label| view! { <p class="card-label">{label}</p> })}
            <h2>{role.name.nl}</h2>
            <p class="group">{role.group}</p>
            <p>{role.perspective.nl}</p>
        </section>
    }
}

#[component]
pub fn StatementView(statement: StatementCard) -> impl IntoView {
    let terms = statement.terms.join(", ");
    view! {
        <section class="card statement" aria-label=T.statement>
            <p class="card-label">{T.statement}</p>
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

fn seat_name(view: &View, seat: SeatId) -> String {
    view.seat(seat).map(|known| known.name.clone()).unwrap_or_default()
}

pub fn reader_name(session: Session, reader: SeatId) -> String {
    session.view.with(|view| view.as_ref().map(|view| seat_name(view, reader)).unwrap_or_default())
}

/// Who is here, with their role and, during a statement, whether they have answered.
#[component]
pub fn Roster(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let Some(view) = view else { return ().into_any() };
            if view.seats.is_empty() {
                return view! { <p class="muted">{T.no_players_yet}</p> }.into_any();
            }
            let answered: Option<&[SeatId]> = match &view.phase {
                PhaseView::Turn(turn) if turn.statement.is_some() => Some(&turn.answered),
                _ => None,
            };
            let total = view.seats.len();
            let count = answered.map(|answered| answered.len());
            let rows = view
                .seats
                .iter()
                .map(|seat| {
                    let role = seat.role.as_ref().map_or(T.role_unknown.to_owned(), |role| role.name.nl.clone());
                    let state = match answered {
                        Some(answered) if answered.contains(&seat.seat) => Some(("answered", T.answered)),
                        Some(_) => Some(("thinking", T.not_answered)),
                        None => None,
                    };
                    let is_me = view.my_seat() == Some(seat.seat);
                    view! {
                        <li class:away=!seat.connected data-seat=seat.seat.0>
                            <span class="name">{seat.name.clone()}{is_me.then(|| format!(" ({})", T.you))}</span>
                            <span class="role-name">{role}</span>
                            {(!seat.connected).then(|| view! { <span class="away-note">{T.away}</span> })}
                            {state.map(|(class, text)| view! { <span class=format!("answer-state {class}")>{text}</span> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="roster" aria-label=T.players>
                    <h2>
                        {T.players}
                        {count.map(|count| format!(" · {count} {} {total} {}", T.of, T.answered_count))}
                    </h2>
                    <ul>{rows}</ul>
                </section>
            }
            .into_any()
        })
    }
}

/// Everyone's answer at once: how the group is spread over the scale, then each answer with
/// its author's role and argument.
#[component]
pub fn RevealView(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let Some(view) = view else {
                return ().into_any();
            };
            let PhaseView::Turn(turn) = &view.phase else {
                return ().into_any();
            };
            let Some(reveal) = &turn.reveal else {
                return ().into_any();
            };
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

fn distribution(reveal: &Reveal) -> impl IntoView + use<> {
    let points: Vec<Position> = (Position::MIN..=Position::MAX).map(Position::Scale).chain([Position::Pass]).collect();
    let most = points
        .iter()
        .map(|point| reveal.answers.iter().filter(|given| given.answer.position == *point).count())
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = points
        .into_iter()
        .map(|point| {
            let count = reveal.answers.iter().filter(|given| given.answer.position == point).count();
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
            let seat = view.seat(given.seat);
            let name = seat.map(|seat| seat.name.clone()).unwrap_or_default();
            let role = seat.and_then(|seat| seat.role.as_ref()).map(|role| role.name.nl.clone()).unwrap_or_default();
            let mine = view.my_seat() == Some(given.seat);
            let Answer { position, argument, definition } = given.answer;
            view! {
                <li class:mine=mine>
                    <p class="who"><strong>{name}</strong>" · "{role}</p>
                    <p class="position">{position_label(position)}</p>
                    {argument.map(|text| view! { <p class="argument">{text}</p> })}
                    {definition.map(|text| view! { <p class="definition">"“"{text}"”"</p> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="answers">{rows}</ol> }.into_any()
}

/// The reader's hand: tap a card to read it out.
#[component]
pub fn Hand(session: Session) -> impl IntoView {
    move || {
        let hand = session.view.with(|view| view.as_ref().map(|view| view.hand.clone()).unwrap_or_default());
        let cards = hand
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
            <section aria-label=T.your_hand>
                <h2>{T.your_hand}</h2>
                <ul class="hand">{cards}</ul>
            </section>
        }
    }
}

/// The scale, the argument and, when the statement names a term, the player's definition of
/// it. Kept in local signals so nothing typed is lost while others answer.
#[component]
pub fn AnswerForm(session: Session, statement: StatementCard) -> impl IntoView {
    let mine = move || {
        session.view.with(|view| match view.as_ref().map(|view| &view.phase) {
            Some(PhaseView::Turn(turn)) => turn.mine.clone(),
            _ => None,
        })
    };
    let earlier = mine();
    let position = RwSignal::new(earlier.as_ref().map(|answer| answer.position));
    let argument = RwSignal::new(earlier.as_ref().and_then(|answer| answer.argument.clone()).unwrap_or_default());
    let definition = RwSignal::new(earlier.as_ref().and_then(|answer| answer.definition.clone()).unwrap_or_default());
    let term = statement.terms.first().cloned();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(position) = position.get_untracked() else {
            return;
        };
        let text = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|text| !text.trim().is_empty());
        let definition = if term_present(&session) { text(definition) } else { None };
        session.send(ClientMsg::Answer(Answer { position, argument: text(argument), definition }));
    };
    let choices = (Position::MIN..=Position::MAX)
        .map(Position::Scale)
        .chain([Position::Pass])
        .map(|choice| {
            let id = match choice {
                Position::Scale(n) => format!("scale-{n}"),
                Position::Pass => "scale-pass".to_owned(),
            };
            let number = match choice {
                Position::Scale(n) => n.to_string(),
                Position::Pass => "–".to_owned(),
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
            {term.map(|term| view! {
                <label for="definition">{format!("{} {}", capitalise(&term), T.definition_of)}</label>
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

fn term_present(session: &Session) -> bool {
    session.view.with_untracked(|view| match view.as_ref().map(|view| &view.phase) {
        Some(PhaseView::Turn(turn)) => turn.statement.as_ref().is_some_and(|card| !card.terms.is_empty()),
        _ => false,
    })
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
