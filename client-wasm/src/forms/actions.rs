//! Verbeteracties on each screen: the phone proposes, then places its dots; the console shows
//! every proposal, merges duplicates, opens and closes the vote and gives each action an owner
//! and a date; the projector shows the list, then the ranking.

use std::collections::BTreeMap;

use cards::View;
use cards::forms::actions::{ActionCommand, ProposalId, ProposalView, Stage};
use cards::protocol::ClientMsg;
use cards::view::ActionsStepView;
use leptos::prelude::*;

use crate::i18n::{count, t};
use crate::session::Session;

fn actions_of(view: &Option<View>) -> Option<ActionsStepView> {
    view.as_ref()?.session.as_ref()?.actions.clone()
}

fn send(session: Session, command: ActionCommand) {
    session.send(ClientMsg::Actions(command));
}

/// The ranked list with dots, owners and dates, as everyone sees it at the end.
fn ranked_list(proposals: &[ProposalView]) -> impl IntoView + use<> {
    let rows = proposals
        .iter()
        .map(|proposal| {
            let owner = proposal.owner.clone().map(|owner| {
                let by = proposal
                    .by
                    .clone()
                    .filter(|by| !by.is_empty())
                    .map(|by| format!(", {} {by}", t().by_when))
                    .unwrap_or_default();
                view! { <span class="owner">{format!("{}: {owner}{by}", t().owner)}</span> }
            });
            view! {
                <li data-proposal=proposal.id.0>
                    <span class="text">{proposal.text.clone()}</span>
                    <span class="dots-count">{count(proposal.dots.unwrap_or(0) as usize, t().dots_one, t().dots_many)}</span>
                    {owner}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="ranked" id="ranked">{rows}</ol> }
}

fn plain_list(proposals: &[ProposalView]) -> impl IntoView + use<> {
    let rows = proposals
        .iter()
        .map(|proposal| view! { <li data-proposal=proposal.id.0>{proposal.text.clone()}</li> })
        .collect_view();
    view! { <ul class="proposals" id="proposals">{rows}</ul> }
}

/// A participant's phone during verbeteracties.
#[component]
pub fn ActionsPlayer(session: Session) -> impl IntoView {
    let stage = Memo::new(move |_| session.view.with(|view| actions_of(view).map(|step| step.view.stage)));
    move || match stage.get() {
        None => ().into_any(),
        Some(Stage::Collecting) => view! { <Propose session=session /> }.into_any(),
        Some(Stage::Shown) => (move || {
            session.view.with(|view| {
                let step = actions_of(view)?;
                Some(view! { <p class="notice">{t().actions_shown}</p> {plain_list(&step.view.proposals)} })
            })
        })
        .into_any(),
        Some(Stage::Voting) => view! { <Vote session=session /> }.into_any(),
        Some(Stage::Ranked) => (move || {
            session.view.with(|view| {
                let step = actions_of(view)?;
                Some(view! { <h2>{t().actions_ranked}</h2> {ranked_list(&step.view.proposals)} })
            })
        })
        .into_any(),
    }
}

#[component]
fn Propose(session: Session) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let mine = move || {
        session.view.with(|view| {
            view.as_ref().and_then(|view| view.mine.clone()).map(|mine| mine.proposals).unwrap_or_default()
        })
    };
    let allowed = move || {
        session.view.with(|view| actions_of(view).map_or(0, |step| usize::from(step.settings.proposals_per_person)))
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let proposal = text.get_untracked();
        if proposal.trim().is_empty() {
            return;
        }
        send(session, ActionCommand::Propose { text: proposal });
        text.set(String::new());
    };
    let left = move || allowed().saturating_sub(mine().len());
    view! {
        <form class="answer-form" on:submit=submit>
            <p class="hint">{t().actions_propose_hint}</p>
            <label for="proposal">{move || t().actions_propose.replace("{n}", &left().to_string())}</label>
            <textarea id="proposal" rows="2" maxlength=cards::forms::actions::MAX_PROPOSAL_CHARS.to_string()
                prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <button type="submit" id="propose" class="primary" disabled=move || left() == 0 || text.get().trim().is_empty()>{t().add}</button>
        </form>
        {move || {
            let mine = mine();
            (!mine.is_empty()).then(|| view! { <h3>{t().actions_yours}</h3> {plain_list(&mine)} })
        }}
    }
}

#[component]
fn Vote(session: Session) -> impl IntoView {
    let given = session.view.with_untracked(|view| {
        view.as_ref()
            .and_then(|view| view.mine.clone())
            .map(|mine| mine.dots.into_iter().collect::<BTreeMap<ProposalId, u8>>())
            .unwrap_or_default()
    });
    let dots = RwSignal::new(given);
    let step = move || session.view.with(actions_of);
    let (total, per) = step().map_or((0, 0), |step| (step.settings.dots, step.settings.dots_per_proposal));
    let used = move || dots.with(|dots| dots.values().map(|n| u32::from(*n)).sum::<u32>());
    let rows = move || {
        let proposals = step().map(|step| step.view.proposals).unwrap_or_default();
        proposals
            .into_iter()
            .map(|proposal| {
                let id = proposal.id;
                let here = move || dots.with(|dots| dots.get(&id).copied().unwrap_or(0));
                view! {
                    <li data-proposal=id.0>
                        <span class="text">{proposal.text.clone()}</span>
                        <span class="dot-buttons">
                            <button type="button" class="small" aria-label=t().dot_less disabled=move || here() == 0
                                on:click=move |_| dots.update(|dots| { let n = dots.entry(id).or_default(); *n = n.saturating_sub(1); })>"−"</button>
                            <span class="dots-given">{move || "●".repeat(usize::from(here()))}</span>
                            <button type="button" class="small" aria-label=t().dot_more
                                disabled={move || here() >= per || used() >= u32::from(total)}
                                on:click=move |_| dots.update(|dots| *dots.entry(id).or_default() += 1)>"+"</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        send(session, ActionCommand::Vote { dots: dots.get_untracked() });
    };
    let voted = move || {
        session
            .view
            .with(|view| view.as_ref().and_then(|view| view.mine.as_ref()).is_some_and(|mine| !mine.dots.is_empty()))
    };
    view! {
        <form class="answer-form" on:submit=submit>
            <p class="hint">{t().actions_vote_hint.replace("{n}", &total.to_string()).replace("{per}", &per.to_string())}</p>
            <ul class="proposals vote">{rows}</ul>
            <p class="muted" id="dots-left">{move || t().dots_left.replace("{n}", &u32::from(total).saturating_sub(used()).to_string())}</p>
            <button type="submit" id="vote" class="primary" disabled=move || used() == 0>{t().place_dots}</button>
            {move || voted().then(|| view! { <p class="sent" role="status">{t().dots_placed}</p> })}
        </form>
    }
}

/// The console during verbeteracties.
#[component]
pub fn ActionsTrainer(session: Session) -> impl IntoView {
    // Built again only when the step changes, not when someone's phone locks: an owner being
    // typed stays.
    let step = Memo::new(move |_| session.view.with(actions_of));
    let present = Memo::new(move |_| session.view.with(|view| view.as_ref().map_or(0, |view| view.seated().count())));
    move || {
        step.with(|step| {
            let step = step.clone()?;
            let present = present.get();
            let proposals = step.view.proposals.clone();
            let body = match step.view.stage {
                Stage::Collecting => view! {
                    <p id="proposal-count">{t().actions_count.replace("{n}", &step.view.proposed.to_string())}</p>
                    {plain_list(&proposals)}
                    <button id="actions-show" class="primary" on:click=move |_| send(session, ActionCommand::Show)>{t().actions_show}</button>
                }
                .into_any(),
                Stage::Shown => view! {
                    <p class="hint">{t().actions_merge_hint}</p>
                    <Merge session=session proposals=proposals />
                    <button id="actions-open-vote" class="primary" on:click=move |_| send(session, ActionCommand::OpenVote)>{t().actions_open_vote}</button>
                }
                .into_any(),
                Stage::Voting => view! {
                    {plain_list(&proposals)}
                    <p id="voted-count">{format!("{} {} {} {}", step.view.voted.len(), t().of, present, t().voted_count)}</p>
                    <button id="actions-close-vote" class="primary" on:click=move |_| send(session, ActionCommand::CloseVote)>{t().actions_close_vote}</button>
                }
                .into_any(),
                Stage::Ranked => view! { <Owners session=session proposals=proposals /> }.into_any(),
            };
            Some(view! { <section class="actions-step"><h2>{t().form_actions}</h2>{body}</section> })
        })
    }
}

/// Each proposal, with the one it duplicates to merge it into.
#[component]
fn Merge(session: Session, proposals: Vec<ProposalView>) -> impl IntoView {
    let choices: Vec<(ProposalId, String)> =
        proposals.iter().map(|proposal| (proposal.id, proposal.text.clone())).collect();
    let rows = proposals
        .into_iter()
        .map(|proposal| {
            let from = proposal.id;
            let options = choices
                .iter()
                .filter(|(id, _)| *id != from)
                .map(|(id, text)| view! { <option value=id.0.to_string()>{text.clone()}</option> })
                .collect_view();
            view! {
                <li data-proposal=from.0>
                    <span class="text">{proposal.text.clone()}</span>
                    <select aria-label=t().actions_merge on:change=move |ev| {
                        if let Ok(into) = event_target_value(&ev).parse() {
                            send(session, ActionCommand::Merge { from, into: ProposalId(into) });
                        }
                    }>
                        <option value="">{t().actions_merge}</option>
                        {options}
                    </select>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="proposals merge" id="proposals">{rows}</ul> }
}

/// The ranking, with who picks each action up and by when.
#[component]
fn Owners(session: Session, proposals: Vec<ProposalView>) -> impl IntoView {
    let rows = proposals
        .into_iter()
        .map(|proposal| {
            let id = proposal.id;
            let owner = RwSignal::new(proposal.owner.clone().unwrap_or_default());
            let by = RwSignal::new(proposal.by.clone().unwrap_or_default());
            let save = move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                send(session, ActionCommand::Assign { proposal: id, owner: owner.get_untracked(), by: by.get_untracked() });
            };
            view! {
                <li data-proposal=id.0>
                    <span class="text">{proposal.text.clone()}</span>
                    <span class="dots-count">{count(proposal.dots.unwrap_or(0) as usize, t().dots_one, t().dots_many)}</span>
                    <form class="owner-form" on:submit=save>
                        <input aria-label=t().owner placeholder=t().owner maxlength="60" prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev)) />
                        <input aria-label=t().by_when placeholder=t().by_when maxlength="60" prop:value=move || by.get() on:input=move |ev| by.set(event_target_value(&ev)) />
                        <button type="submit" class="small">{t().save}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! { <h3>{t().actions_ranked}</h3> <ol class="ranked" id="ranked">{rows}</ol> }
}

/// The projector during verbeteracties.
#[component]
pub fn ActionsProjector(session: Session) -> impl IntoView {
    move || {
        session.view.with(|view| {
            let step = actions_of(view)?;
            Some(match step.view.stage {
                Stage::Collecting => view! {
                    <p class="projector-statement">{t().actions_propose_hint}</p>
                    <p class="projector-count" aria-live="polite">{t().actions_count.replace("{n}", &step.view.proposed.to_string())}</p>
                }
                .into_any(),
                Stage::Shown | Stage::Voting => view! { <h2>{t().form_actions}</h2> {plain_list(&step.view.proposals)} }.into_any(),
                Stage::Ranked => view! { <h2>{t().actions_ranked}</h2> {ranked_list(&step.view.proposals)} }.into_any(),
            })
        })
    }
}
