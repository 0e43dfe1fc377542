//! The rules of verbeteracties, one scenario each.

use super::*;

const ANNA: SeatId = SeatId(0);
const BRAM: SeatId = SeatId(1);
const CHRIS: SeatId = SeatId(2);

fn ok(actions: &mut Actions, who: Who, command: ActionCommand) -> Vec<ActionEvent> {
    let events = actions.handle(who, command).expect("accepted");
    events.iter().for_each(|event| actions.apply(event));
    events
}

fn refused(actions: &Actions, who: Who, command: ActionCommand) -> &'static str {
    let before = actions.clone();
    let code = actions.handle(who, command).expect_err("refused").code();
    assert_eq!(actions, &before, "a refused command changes nothing");
    code
}

fn propose(text: &str) -> ActionCommand {
    ActionCommand::Propose { text: text.to_owned() }
}

fn dots(pairs: &[(u16, u8)]) -> ActionCommand {
    ActionCommand::Vote { dots: pairs.iter().map(|(id, count)| (ProposalId(*id), *count)).collect() }
}

/// Three proposals from Anna and Bram and one from a schaalvraag, shown to the group.
fn shown() -> Actions {
    let mut actions = Actions::new(ActionSettings::default());
    ok(&mut actions, Who::Player(ANNA), propose("Eén vast aanspreekpunt per gezin"));
    ok(&mut actions, Who::Player(BRAM), propose("Een vast aanspreekpunt voor elk gezin"));
    ok(&mut actions, Who::Player(BRAM), propose("Maandelijks casusoverleg met de huisarts"));
    let steps = vec!["Wachtlijst zichtbaar maken".to_owned()];
    ok(&mut actions, Who::Trainer, ActionCommand::Import { texts: steps });
    ok(&mut actions, Who::Trainer, ActionCommand::Show);
    actions
}

#[test]
fn each_participant_proposes_up_to_the_steps_limit_and_sees_only_their_own_until_shown() {
    let settings = ActionSettings { proposals_per_person: 2, ..ActionSettings::default() };
    let mut actions = Actions::new(settings);
    ok(&mut actions, Who::Player(ANNA), propose("Eén plan per gezin"));
    ok(&mut actions, Who::Player(ANNA), propose("Samen de keukentafel voorbereiden"));
    assert_eq!(refused(&actions, Who::Player(ANNA), propose("Nog een")), "too_many_proposals");
    assert_eq!(refused(&actions, Who::Player(BRAM), propose("   ")), "bad_message");
    assert_eq!(refused(&actions, Who::Player(BRAM), propose(&"x".repeat(201))), "text_too_long");
    assert_eq!(refused(&actions, Who::Trainer, propose("Van de trainer")), "not_a_player");
    ok(&mut actions, Who::Player(BRAM), propose("Huisarts aan tafel"));

    let bram = actions.view(Some(Who::Player(BRAM)));
    assert_eq!(bram.proposals.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(), ["Huisarts aan tafel"]);
    assert_eq!(bram.proposed, 3, "how many there are is no secret");
    assert!(actions.view(None).proposals.is_empty(), "the projector shows none yet");
    assert_eq!(actions.view(Some(Who::Trainer)).proposals.len(), 3, "the trainer sees them all, to group them");
    ok(&mut actions, Who::Trainer, ActionCommand::Show);
    assert_eq!(actions.view(None).proposals.len(), 3);
    assert!(actions.view(None).proposals.iter().all(|p| p.from.is_empty()), "names hidden by default");
    assert_eq!(refused(&actions, Who::Player(CHRIS), propose("Te laat")), "wrong_phase");
}

#[test]
fn a_step_holds_a_hundred_proposals_at_once() {
    let mut actions = Actions::new(ActionSettings::default());
    let many: Vec<String> = (0..MAX_PROPOSALS).map(|n| format!("Voorstel {n}")).collect();
    ok(&mut actions, Who::Trainer, ActionCommand::Import { texts: many });
    assert_eq!(refused(&actions, Who::Player(ANNA), propose("Nog een")), "proposals_full");
    let one = ActionCommand::Import { texts: vec!["Nog een".to_owned()] };
    assert_eq!(refused(&actions, Who::Trainer, one.clone()), "proposals_full");
    ok(&mut actions, Who::Trainer, ActionCommand::Show);
    ok(&mut actions, Who::Trainer, ActionCommand::Merge { from: ProposalId(1), into: ProposalId(0) });
    ok(&mut actions, Who::Trainer, one);
    assert_eq!(
        actions.proposals.last().map(|p| p.id),
        Some(ProposalId(MAX_PROPOSALS)),
        "a new number, never a used one"
    );
}

#[test]
fn the_trainer_merges_duplicates_and_edits_the_wording() {
    let mut actions = shown();
    assert_eq!(
        refused(&actions, Who::Player(ANNA), ActionCommand::Merge { from: ProposalId(1), into: ProposalId(0) }),
        "not_trainer"
    );
    assert_eq!(
        refused(&actions, Who::Trainer, ActionCommand::Merge { from: ProposalId(9), into: ProposalId(0) }),
        "unknown_proposal"
    );
    ok(&mut actions, Who::Trainer, ActionCommand::Merge { from: ProposalId(1), into: ProposalId(0) });
    let edit = ActionCommand::Edit { proposal: ProposalId(0), text: "Elk gezin één vast aanspreekpunt".to_owned() };
    ok(&mut actions, Who::Trainer, edit);
    assert_eq!(actions.proposals.len(), 3);
    assert_eq!(actions.proposals[0].text, "Elk gezin één vast aanspreekpunt");
    assert_eq!(actions.proposals[0].sources, [Source::Seat { seat: ANNA }, Source::Seat { seat: BRAM }]);
    assert_eq!(actions.proposals[2].sources, [Source::Scale], "brought in from the schaalvraag");
}

#[test]
fn dots_are_private_until_the_vote_closes_and_bounded_per_person_and_proposal() {
    let mut actions = shown();
    assert_eq!(refused(&actions, Who::Player(ANNA), dots(&[(0, 1)])), "wrong_phase", "the vote is not open");
    ok(&mut actions, Who::Trainer, ActionCommand::OpenVote);
    assert_eq!(refused(&actions, Who::Player(ANNA), dots(&[(0, 3)])), "too_many_dots", "two at most on one");
    assert_eq!(refused(&actions, Who::Player(ANNA), dots(&[(0, 2), (2, 2)])), "too_many_dots", "three in all");
    assert_eq!(refused(&actions, Who::Player(ANNA), dots(&[(7, 1)])), "unknown_proposal");
    ok(&mut actions, Who::Player(ANNA), dots(&[(0, 2), (3, 1)]));
    ok(&mut actions, Who::Player(ANNA), dots(&[(2, 2), (3, 1)]));
    ok(&mut actions, Who::Player(BRAM), dots(&[(2, 1), (0, 2)]));
    ok(&mut actions, Who::Player(CHRIS), dots(&[(0, 1), (3, 2)]));
    let bram = actions.view(Some(Who::Player(BRAM)));
    assert!(bram.proposals.iter().all(|p| p.dots.is_none()), "no totals while voting");
    assert_eq!(bram.my_dots, [(ProposalId(0), 2), (ProposalId(2), 1)]);
    assert_eq!(bram.voted, [ANNA, BRAM, CHRIS]);
    let wire = serde_json::to_string(&actions.view(None)).expect("json");
    assert!(!wire.contains("\"dots\":3"), "the projector shows no dots yet: {wire}");

    ok(&mut actions, Who::Trainer, ActionCommand::CloseVote);
    let ranked: Vec<(u16, Option<u32>)> = actions.view(None).proposals.iter().map(|p| (p.id.0, p.dots)).collect();
    // Anna's second vote replaced her first: 0 has 3 (Bram 2, Chris 1), 2 has 3 (Anna 2,
    // Bram 1), 3 has 3 (Anna 1, Chris 2); all three tied on dots and voters, so the earliest
    // comes first.
    assert_eq!(ranked, [(0, Some(3)), (2, Some(3)), (3, Some(3)), (1, Some(0))]);
}

#[test]
fn the_top_actions_get_an_owner_and_a_date() {
    let mut actions = shown();
    ok(&mut actions, Who::Trainer, ActionCommand::OpenVote);
    ok(&mut actions, Who::Player(ANNA), dots(&[(3, 2), (0, 1)]));
    let assign = |owner: &str| ActionCommand::Assign {
        proposal: ProposalId(3),
        owner: owner.to_owned(),
        by: "1 maart".to_owned(),
    };
    assert_eq!(refused(&actions, Who::Trainer, assign("Wijkteam")), "wrong_phase", "only once ranked");
    ok(&mut actions, Who::Trainer, ActionCommand::CloseVote);
    assert_eq!(refused(&actions, Who::Trainer, assign(&"x".repeat(61))), "text_too_long");
    ok(&mut actions, Who::Trainer, assign("Teamleider wijkteam"));
    let top = &actions.view(None).proposals[0];
    assert_eq!(
        (top.text.as_str(), top.owner.as_deref(), top.by.as_deref()),
        ("Wachtlijst zichtbaar maken", Some("Teamleider wijkteam"), Some("1 maart"))
    );
}

#[test]
fn the_events_replay_to_the_same_step() {
    let mut actions = Actions::new(ActionSettings { names_shown: true, ..ActionSettings::default() });
    let mut log = Vec::new();
    log.extend(ok(&mut actions, Who::Player(ANNA), propose("Eén plan")));
    log.extend(ok(&mut actions, Who::Trainer, ActionCommand::Import { texts: vec!["Loket open".to_owned()] }));
    log.extend(ok(&mut actions, Who::Trainer, ActionCommand::Show));
    log.extend(ok(&mut actions, Who::Trainer, ActionCommand::OpenVote));
    log.extend(ok(&mut actions, Who::Player(BRAM), dots(&[(1, 2)])));
    log.extend(ok(&mut actions, Who::Trainer, ActionCommand::CloseVote));
    let read: Vec<ActionEvent> = serde_json::from_str(&serde_json::to_string(&log).expect("json")).expect("read back");
    let mut replayed = Actions::new(ActionSettings { names_shown: true, ..ActionSettings::default() });
    read.iter().for_each(|event| replayed.apply(event));
    assert_eq!(replayed, actions);
    assert_eq!(
        replayed.view(None).proposals[1].from,
        [Source::Seat { seat: ANNA }],
        "names shown when the step says so"
    );
}
