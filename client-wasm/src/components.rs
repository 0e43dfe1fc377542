//! The pieces the screens are built from. Each reads the session's view; none decides a game
//! rule.

use std::time::Duration;

use cards::analysis::Split;
use cards::chart::{self, Frame, group_order};
use cards::event::{LeaveReason, Perspective};
use cards::protocol::ClientMsg;
use cards::text::fixed;
use cards::view::{Identity, PhaseView, Reveal, RevealedAnswer, TimerView, TurnView};
use cards::{Answer, Position, Presence, RoleCard, SeatId, StatementCard, View};
use leptos::prelude::*;

use crate::i18n::{t, tr};
use crate::session::{Draft, Link, Session};

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
    /// A step of another work form than the statements is running.
    Form(cards::forms::FormKind),
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
    if let (PhaseView::Turn(_), Some(form)) = (&view.phase, crate::forms::running_form(view))
        && form != cards::forms::FormKind::Statements
    {
        return Stage::Form(form);
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

/// For a route that names no room that could exist.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <p class="notice">{t().not_found}" "<a href="/">{t().to_home}</a></p> }
}

/// The participant's name, as on the home page and the play page alike.
#[component]
pub fn NameField(name: RwSignal<String>) -> impl IntoView {
    view! {
        <label for="join-name">{t().your_name}</label>
        <input
            id="join-name"
            autocomplete="nickname"
            maxlength=cards::limits::MAX_NAME_CHARS.to_string()
            prop:value=move || name.get()
            on:input=move |ev| name.set(event_target_value(&ev))
        />
    }
}

/// "Verbinding kwijt …" while the socket is down; the refusal of the last command, if any.
#[component]
pub fn StatusLine(session: Session) -> impl IntoView {
    let link = move || match session.link.get() {
        Link::Open | Link::Closed | Link::Replaced => None,
        Link::Connecting | Link::Lost if session.restarting.get() => Some(t().server_restarting),
        Link::Connecting => Some(t().connecting),
        Link::Lost => Some(t().connection_lost),
        Link::Erased => Some(t().session_erased),
        Link::ScreenLinkChanged => Some(t().screen_link_changed),
    };
    view! {
        <div role="status" aria-live="polite">
            {move || link().map(|text| view! { <p class="banner">{text}</p> })}
            {move || (session.link.get() == Link::Replaced).then(|| view! {
                <div class="banner" id="replaced">
                    <p>{t().replaced_elsewhere}</p>
                    <button class="primary" id="take-back" on:click=move |_| session.take_back()>{t().continue_here}</button>
                </div>
            })}
            {move || {
                // A wrong code is said beside the code field instead (the join form).
                let beside_the_code = |code: &str| matches!(code, "unknown_room" | "room_ended");
                let joined = session.view.with(Option::is_some);
                session.problem.get().filter(|problem| joined || !beside_the_code(&problem.code)).map(|problem| {
                    view! { <p class="problem" data-code=problem.code>{tr(&problem.message)}</p> }
                })
            }}
        </div>
    }
}

/// Your role card. While a statement is on the table it folds to one line, so the statement
/// and the scale fit a phone screen; the perspective is a tap away.
#[component]
pub fn RoleCardView(role: RoleCard, perspective: Perspective, compact: bool) -> impl IntoView {
    let hint = match perspective {
        Perspective::Role => t().answer_as_role,
        Perspective::Own => t().answer_as_yourself,
    };
    if compact {
        return view! {
            <details class="card role role-chip">
                <summary><span class="card-label">{t().your_role}": "</span><strong>{tr(&role.name)}</strong>" · "{hint}</summary>
                <p>{tr(&role.perspective)}</p>
            </details>
        }
        .into_any();
    }
    view! {
        <section class="card role" aria-label=t().your_role>
            <p class="card-label">{t().your_role}</p>
            <h2>{tr(&role.name)}</h2>
            <p class="group">{tr(&cards::chart::group_label(&role.group))}</p>
            <p>{tr(&role.perspective)}</p>
            <p class="hint">{hint}</p>
        </section>
    }
    .into_any()
}

/// The statement on the table, with its term tags in the visitor's language (the view names
/// each term of the deck in both).
#[component]
pub fn StatementView(session: Session, statement: StatementCard, #[prop(optional)] vote: u8) -> impl IntoView {
    let terms = session.view.with_untracked(|view| {
        let name = |term: &String| view.as_ref().map_or_else(|| term.clone(), |view| tr(&view.decks.term_label(term)));
        statement.terms.iter().map(name).collect::<Vec<_>>().join(", ")
    });
    view! {
        <section class="card statement" id="statement" aria-label=t().statement>
            <p class="card-label">{t().statement}{(vote > 1).then(|| format!(" · {} {}", t().revote_round, vote - 1))}</p>
            <p class="statement-text">{tr(&statement.text)}</p>
            {(!terms.is_empty()).then(|| view! { <p class="terms">{terms}</p> })}
        </section>
    }
}

pub fn position_label(position: Position) -> &'static str {
    match position {
        Position::Scale(n) => t().scale.get(usize::from(n.saturating_sub(1))).copied().unwrap_or("?"),
        Position::Pass => t().pass,
    }
}

pub fn reader_name(session: Session, reader: Option<SeatId>) -> String {
    let Some(reader) = reader else { return String::new() };
    session
        .view
        .with(|view| view.as_ref().and_then(|view| view.seat(reader)).map(|seat| seat.name.clone()).unwrap_or_default())
}

/// The answer timer, counting down between the server's updates. It counts from when the
/// session heard the time left (`Session::timer_set_at`), not from when this was drawn: a
/// countdown built again (in another language, say) would otherwise start over from a time
/// left that is long past.
#[component]
pub fn Countdown(session: Session) -> impl IntoView {
    let timer = Memo::new(move |_| session.view.with(|view| turn_of(view).and_then(|turn| turn.timer)));
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(move || now.set(js_sys::Date::now()), Duration::from_millis(250)) {
        on_cleanup(move || handle.clear());
    }
    move || {
        timer.get().map(|TimerView { remaining_ms, running }| {
            let elapsed = if running { (now.get() - session.timer_set_at.get()).max(0.0) as u64 } else { 0 };
            let left = remaining_ms.saturating_sub(elapsed);
            let seconds = left.div_ceil(1000);
            let text = if left == 0 {
                t().time_up.to_owned()
            } else {
                let paused = if running { String::new() } else { format!(" ({})", t().paused) };
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
            let seated: Vec<_> = view.seated().collect();
            if seated.is_empty() {
                return view! { <p class="muted">{t().no_players_yet}</p> }.into_any();
            }
            let answered: Option<&[SeatId]> = match &view.phase {
                PhaseView::Turn(turn) if turn.statement.is_some() && turn.reveal.is_none() => Some(&turn.answered),
                _ => None,
            };
            let count = view.answer_count().map(|(answered, of)| format!(" · {answered} {} {of} {}", t().of, t().answered_count));
            // Once the session is over there is nobody left to remove.
            let trainer = view.is_trainer() && !matches!(view.phase, PhaseView::Ended { .. });
            let rows = seated
                .into_iter()
                .map(|seat| {
                    let role = seat.role.as_ref().map(|role| tr(&role.name)).unwrap_or_default();
                    let state = match answered {
                        Some(answered) if answered.contains(&seat.seat) => Some(("answered", t().answered)),
                        Some(_) => Some(("thinking", t().not_answered)),
                        None => None,
                    };
                    let away = seat.presence != Presence::Here;
                    let is_me = view.my_seat() == Some(seat.seat);
                    let id = seat.seat;
                    let kick = trainer.then(|| {
                        view! {
                            <button class="small" on:click=move |_| {
                                if confirm(t().kick_confirm) {
                                    let refuse_name = confirm(t().refuse_name_confirm);
                                    session.send(ClientMsg::Kick { seat: id, refuse_name });
                                }
                            }>{t().kick}</button>
                        }
                    });
                    view! {
                        <li class:away=away data-seat=seat.seat.0>
                            <span class="name">{seat.name.clone()}{is_me.then(|| format!(" ({})", t().you))}</span>
                            <span class="role-name">{role}</span>
                            {away.then(|| view! { <span class="away-note">{t().away}</span> })}
                            {state.map(|(class, text)| view! { <span class=format!("answer-state {class}")>{text}</span> })}
                            {kick}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="roster" aria-label=t().players>
                    <h2>{t().players}{count}</h2>
                    <ul>{rows}</ul>
                </section>
            }
            .into_any()
        })
    }
}

/// Everyone's answer at once: a dot per answer above its point on the scale, shaped and
/// coloured by the role's group, your own marked; at a re-vote the vote before beside it. Then
/// each answer with its role and argument, and who moved.
#[component]
pub fn RevealView(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let Some(turn) = turn_of(view) else { return ().into_any() };
            let Some(reveal) = &turn.reveal else { return ().into_any() };
            let Some(view) = view else { return ().into_any() };
            let mine = turn.mine.as_ref().map(|answer| answer.position);
            let now = plotted(view, reveal, |given| Some(given.answer.position));
            let mut groups: Vec<String> = now.iter().map(|dot| dot.group.clone()).collect();
            groups.sort_by(|a, b| group_order(a).cmp(&group_order(b)));
            groups.dedup();
            let plots = if reveal.vote > 1 {
                // The view carries each player's position in the vote before (`before`), so the
                // vote before shows those who answered both times.
                let before = plotted(view, reveal, |given| given.before);
                let my_before = reveal
                    .answers
                    .iter()
                    .find(|given| given.seat.is_some() && given.seat == view.my_seat())
                    .and_then(|given| given.before);
                view! {
                    <div class="reveal-compare">
                        <div class="vote">
                            <h3>{t().previous_vote}<span class="n">{format!(" ({})", t().previous_vote_note)}</span></h3>
                            {dot_plot(&before, my_before)}
                        </div>
                        <div class="vote">
                            <h3>{t().this_vote}</h3>
                            {dot_plot(&now, mine)}
                        </div>
                    </div>
                }
                .into_any()
            } else {
                dot_plot(&now, mine)
            };
            view! {
                <section class="reveal" aria-label=t().revealed>
                    <h2>{t().revealed}</h2>
                    {plots}
                    <p class="scale-ends">{format!("1 = {} · 5 = {}", t().scale[0], t().scale[4])}</p>
                    {group_legend(&groups)}
                    {answers(view, reveal)}
                </section>
            }
            .into_any()
        })
    }
}

/// One answer as a dot plot draws it.
struct Plotted {
    position: Position,
    group: String,
    /// What hovering says: the role, and who when the room shows names.
    title: String,
    own: bool,
}

/// The dots of a reveal, each at the position `at` picks (answers without one are left out),
/// one group's together.
fn plotted(view: &View, reveal: &Reveal, at: impl Fn(&RevealedAnswer) -> Option<Position>) -> Vec<Plotted> {
    let mut dots: Vec<Plotted> = reveal
        .answers
        .iter()
        .filter_map(|given| {
            let position = at(given)?;
            let role = given.role.as_ref().map(tr).unwrap_or_default();
            let seat = given.seat.and_then(|seat| view.seat(seat));
            let title = match seat {
                Some(seat) => format!("{role} — {}", seat.name),
                None => role,
            };
            Some(Plotted {
                position,
                group: group_of(view, given).unwrap_or_default(),
                title,
                own: given.seat.is_some() && given.seat == view.my_seat(),
            })
        })
        .collect();
    dots.sort_by(|a, b| (group_order(&a.group), &a.title).cmp(&(group_order(&b.group), &b.title)));
    dots
}

/// The group of the role an answer was given from. A reveal names the role; role cards are face
/// up, so the seats' cards say its group (an anonymous reveal names no seat, so by name).
fn group_of(view: &View, given: &RevealedAnswer) -> Option<String> {
    let role = given.role.as_ref()?;
    let seat_role = given.seat.and_then(|seat| view.seat(seat)).and_then(|seat| seat.role.as_ref());
    seat_role
        .filter(|card| &card.name == role)
        .or_else(|| view.seats.iter().filter_map(|seat| seat.role.as_ref()).find(|card| &card.name == role))
        .map(|card| card.group.clone())
}

/// Where the dots may go in the reveal's picture (360 × 200): under "your answer", above the
/// scale's labels.
const REVEAL_FRAME: Frame = Frame { top: 24.0, bottom: 158.0, largest: 16.0 };

fn dot_plot(dots: &[Plotted], mine: Option<Position>) -> AnyView {
    let positions: Vec<Position> = dots.iter().map(|dot| dot.position).collect();
    let places = chart::dots(&positions, REVEAL_FRAME);
    let marks = dots
        .iter()
        .zip(places)
        .map(|(dot, place)| {
            let style = chart::group_style(&dot.group);
            view! {
                <path class="dot" class:own=dot.own d=style.marker.path(place.x, place.y, place.r) fill=style.colour>
                    <title>{dot.title.clone()}</title>
                </path>
            }
        })
        .collect_view();
    let points: Vec<Position> = (Position::MIN..=Position::MAX).map(Position::Scale).chain([Position::Pass]).collect();
    let counts = points
        .iter()
        .map(|point| {
            let x = fixed(chart::column_x(chart::column(*point)), 0);
            let count = positions.iter().filter(|position| *position == point).count();
            let label = match point {
                Position::Scale(n) => n.to_string(),
                Position::Pass => t().pass.to_owned(),
            };
            let marked = mine == Some(*point);
            view! {
                <text x=x.clone() y="176" class="axis-label" class:mine=marked>{label}</text>
                <text x=x y="194" class="count">{format!("n={count}")}</text>
            }
        })
        .collect_view();
    let own_marker = mine.map(|position| {
        let x = fixed(chart::column_x(chart::column(position)), 0);
        view! { <text x=x y="16" class="own-marker">{format!("{} ↓", t().your_answer)}</text> }
    });
    let label = format!("{}: {}", t().distribution, t().scale.join(", "));
    view! {
        <figure class="dot-plot">
            <svg viewBox="0 0 360 200" role="img" aria-label=label>{own_marker}{marks}{counts}</svg>
        </figure>
    }
    .into_any()
}

/// The groups in a dot plot, each with its marker and name.
pub fn group_legend(groups: &[String]) -> impl IntoView + use<> {
    let items = groups
        .iter()
        .map(|group| {
            let style = chart::group_style(group);
            view! {
                <li>
                    <svg class="marker" viewBox="0 0 14 14" aria-hidden="true">
                        <path d=style.marker.path(7.0, 7.0, 5.0) fill=style.colour></path>
                    </svg>
                    {tr(&chart::group_label(group))}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="legend-groups" aria-label=t().groups_legend>{items}</ul> }
}

fn answers(view: &View, reveal: &Reveal) -> AnyView {
    if reveal.answers.is_empty() {
        return view! { <p class="muted">{t().no_answers}</p> }.into_any();
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
                .unwrap_or_else(|| t().anonymous_answer.to_owned());
            let role = given.role.as_ref().map(tr).unwrap_or_default();
            let mine = given.seat.is_some() && given.seat == view.my_seat();
            let moved = given.before.filter(|before| *before != given.answer.position);
            let Answer { position, argument, definition } = given.answer;
            view! {
                <li class:mine=mine>
                    <p class="who"><strong>{name}</strong>" · "{role}</p>
                    <p class="position">
                        {position_label(position)}
                        {moved.map(|before| view! { <span class="moved">{format!(" ({} {})", t().moved, position_label(before))}</span> })}
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
        let title = if from_pile { t().choose_from_pile } else { t().your_hand };
        let cards = cards
            .into_iter()
            .map(|card| {
                let id = card.id.clone();
                view! {
                    <li>
                        <button class="hand-card" on:click=move |_| session.send(ClientMsg::Play { card: id.clone() })>
                            {tr(&card.text)}
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

/// The scale, the argument and, when the statement asks what its term means (`define`), the
/// player's definition of it. Kept in local signals so nothing typed is lost while others answer, and in the session's
/// draft so nothing is lost when the screen is built again (a language switch).
#[component]
pub fn AnswerForm(session: Session, statement: StatementCard, vote: u8) -> impl IntoView {
    let mine = move || session.view.with(|view| turn_of(view).and_then(|turn| turn.mine.clone()));
    let before = session.view.with_untracked(|view| turn_of(view).and_then(|turn| turn.mine_before.clone()));
    let draft = session
        .draft
        .get_value()
        .filter(|draft| draft.statement == statement.id.as_str() && draft.vote == vote)
        .unwrap_or_else(|| {
            let earlier = mine();
            Draft {
                statement: statement.id.to_string(),
                vote,
                position: earlier.as_ref().map(|answer| answer.position),
                argument: earlier.as_ref().and_then(|answer| answer.argument.clone()).unwrap_or_default(),
                definition: earlier.as_ref().and_then(|answer| answer.definition.clone()).unwrap_or_default(),
            }
        });
    let position = RwSignal::new(draft.position);
    let argument = RwSignal::new(draft.argument.clone());
    let definition = RwSignal::new(draft.definition.clone());
    Effect::new(move |_| {
        let (position, argument, definition) = (position.get(), argument.get(), definition.get());
        session.draft.update_value(|kept| {
            *kept = Some(Draft { position, argument, definition, ..draft.clone() });
        });
    });
    // Only a card that names the one term it asks about asks for a definition, in its own words.
    let term = statement.prompt.as_ref().filter(|_| statement.define.is_some()).map(tr);
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
    let earlier_line = before.map(|answer| {
        let argument = answer.argument.map(|argument| format!(" · “{argument}”")).unwrap_or_default();
        let chosen = match answer.position {
            Position::Scale(n) => format!("{n} {}", position_label(answer.position)),
            Position::Pass => position_label(answer.position).to_owned(),
        };
        view! { <p class="earlier-answer" id="earlier-answer">{t().you_answered_before}" "<strong>{chosen}</strong>{argument}</p> }
    });
    view! {
        <form class="answer-form" on:submit=submit>
            {earlier_line}
            <fieldset>
                <legend>{t().scale_question}</legend>
                <div class="scale">{choices}</div>
            </fieldset>
            <label for="argument">{t().argument}</label>
            <textarea
                id="argument"
                maxlength=cards::limits::MAX_ARGUMENT_CHARS.to_string()
                rows="2"
                prop:value=move || argument.get()
                on:input=move |ev| argument.set(event_target_value(&ev))
            ></textarea>
            <p class="hint">{t().argument_hint}</p>
            {term.map(|prompt| view! {
                <label for="definition">{prompt}</label>
                <input
                    id="definition"
                    maxlength=cards::limits::MAX_DEFINITION_CHARS.to_string()
                    prop:value=move || definition.get()
                    on:input=move |ev| definition.set(event_target_value(&ev))
                />
            })}
            <button type="submit" id="submit-answer" class="primary" disabled=move || position.get().is_none()>
                {move || if mine().is_some() { t().change_answer } else { t().send_answer }}
            </button>
            {move || mine().map(|_| view! { <p class="confirmation" role="status">{t().answer_sent}</p> })}
        </form>
    }
}

/// Asks the person to confirm a step that cannot be undone.
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|window| window.confirm_with_message(question).ok()).unwrap_or(false)
}

/// How the answers fell: "30% oneens · 20% neutraal · 50% eens".
pub fn split_line(split: &Split) -> String {
    let percent = |share: f64| fixed(share * 100.0, 0);
    format!(
        "{}% {} · {}% {} · {}% {}",
        percent(split.disagree),
        t().disagree_short,
        percent(split.neutral),
        t().neutral_short,
        percent(split.agree),
        t().agree_short
    )
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
                let role = given.role.as_ref().map(tr).unwrap_or_default();
                roles.entry(role).or_default().push(given.answer.position);
            }
            let figure = |value: Option<f64>| value.map_or("–".to_owned(), |value| fixed(value, 2));
            let split = all.split().map(|split| format!(" · {}", split_line(&split)));
            let rows = roles
                .into_iter()
                .map(|(role, positions)| {
                    let distribution = Distribution::of(positions);
                    let mean = distribution.mean().map_or("–".to_owned(), |mean| fixed(mean, 1));
                    view! { <li>{role}": "{mean}<span class="n">{format!(" (n={})", distribution.n())}</span></li> }
                })
                .collect_view();
            Some(view! {
                <section class="figures" aria-label=t().reveal_figures>
                    <p>
                        <strong>"C "{figure(all.consensus())}</strong>" · "<strong>"P "{figure(all.polarization())}</strong>{split}
                        <span class="n">{format!(" (n={}, {} {})", all.n(), t().passes_counted, all.passes)}</span>
                    </p>
                    <p class="n">{t().role_split}</p>
                    <ul class="role-means">{rows}</ul>
                </section>
            })
        })
    }
}

/// Nederlands / English, for every page.
#[component]
pub fn LangSwitch() -> impl IntoView {
    view! {
        <button class="small lang-switch" id="switch-language" aria-label=t().switch_language_label on:click=|_| crate::i18n::switch_language()>
            {t().switch_language}
        </button>
    }
}

/// The trainer's guide, in the visitor's language.
pub fn guide_href() -> &'static str {
    match crate::i18n::lang() {
        cards::Lang::Nl => "/handleiding",
        cards::Lang::En => "/guide",
    }
}

/// The address participants open to join room `code`: on the base the trainer chose on the
/// console, or else on the address this page came from.
pub fn join_link(code: &str) -> String {
    let origin = || web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default();
    let base = crate::storage::join_base().unwrap_or_else(origin);
    format!("{base}/play/{code}")
}

/// Whether `url` points to the machine it is opened on, where no phone can follow it.
pub fn is_local_url(url: &str) -> bool {
    let authority = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(ipv6) => ipv6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    host == "localhost" || host.starts_with("127.") || host == "::1" || host == "0.0.0.0"
}

/// A QR code for `link`, drawn as SVG squares (no image, no script), for the projector and the
/// trainer's screen: phones join by pointing their camera.
#[component]
pub fn QrCode(link: String) -> impl IntoView {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M) else {
        return ().into_any();
    };
    let width = code.width();
    let quiet = 4;
    let size = width + 2 * quiet;
    let dark: Vec<(usize, usize)> = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == qrcode::Color::Dark)
        .map(|(i, _)| (i % width + quiet, i / width + quiet))
        .collect();
    let path: String = dark.iter().map(|(x, y)| format!("M{x} {y}h1v1h-1z")).collect();
    view! {
        <svg class="qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=t().qr_label shape-rendering="crispEdges">
            <rect width=size.to_string() height=size.to_string() fill="#fff"></rect>
            <path d=path fill="#000"></path>
        </svg>
    }
    .into_any()
}

/// Says aloud, for screen readers, when the room reveals or it becomes your turn.
#[component]
pub fn Announcer(session: Session) -> impl IntoView {
    let stage = stage_memo(session);
    let my_seat = move || session.view.with(|view| view.as_ref().and_then(|view| view.my_seat()));
    let message = move || match stage.get() {
        Stage::Revealed { .. } => t().announce_revealed,
        Stage::Choosing { reader: Some(reader) } if my_seat() == Some(reader) => t().announce_your_turn,
        Stage::Answering { .. } => t().announce_answering,
        _ => "",
    };
    view! { <p class="visually-hidden" role="status" aria-live="assertive" aria-atomic="true">{message}</p> }
}
