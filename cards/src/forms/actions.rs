//! Verbeteracties: what the group will do. Proposals (from participants, a schaalvraag's "one
//! point higher" answers or an after-talk) are grouped by the trainer, ranked with dots, and the
//! top ones get an owner and a date.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Who;
use crate::event::SeatId;
use crate::rejection::Rejection;
use crate::room::clean_text;
use crate::text::Text;

/// How a verbeteracties step runs. Every field has a default, so a draaiboek names only what
/// it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionSettings {
    /// Proposals one participant may make.
    pub proposals_per_person: u8,
    /// Dots each participant places in the vote.
    pub dots: u8,
    /// Dots one participant may place on one proposal.
    pub dots_per_proposal: u8,
    /// Show who proposed what; hidden by default, so a proposal is weighed by its content.
    pub names_shown: bool,
    /// Start from the "one point higher" steps of the schaalvragen asked before this step, and
    /// the observations the trainer picked in a spiegelgesprek before it.
    pub from_scale: bool,
}

impl ActionSettings {
    pub const MAX_PROPOSALS_PER_PERSON: u8 = 5;
    pub const MAX_DOTS: u8 = 10;
}

impl Default for ActionSettings {
    fn default() -> ActionSettings {
        ActionSettings { proposals_per_person: 3, dots: 3, dots_per_proposal: 2, names_shown: false, from_scale: true }
    }
}

impl ActionSettings {
    /// What is out of range, if anything.
    pub fn problem(&self) -> Option<Text> {
        let out_of = |field: &str, value: u8, max: u8| {
            Text::new(format!("{field} is {value}, kies 1 tot {max}"), format!("{field} is {value}, choose 1 to {max}"))
        };
        if !(1..=ActionSettings::MAX_PROPOSALS_PER_PERSON).contains(&self.proposals_per_person) {
            return Some(out_of(
                "proposals_per_person",
                self.proposals_per_person,
                ActionSettings::MAX_PROPOSALS_PER_PERSON,
            ));
        }
        if !(1..=ActionSettings::MAX_DOTS).contains(&self.dots) {
            return Some(out_of("dots", self.dots, ActionSettings::MAX_DOTS));
        }
        if !(1..=self.dots).contains(&self.dots_per_proposal) {
            return Some(out_of("dots_per_proposal", self.dots_per_proposal, self.dots));
        }
        None
    }
}

/// Proposals one step holds at once (merged ones make room again).
pub const MAX_PROPOSALS: u16 = 100;

/// The longest proposal, and the longest owner or date the trainer records.
pub const MAX_PROPOSAL_CHARS: usize = 200;
pub const MAX_OWNER_CHARS: usize = 60;

/// A proposal's number in its step, in the order proposals came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProposalId(pub u16);

/// Where a proposal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "from")]
pub enum Source {
    /// A participant proposed it.
    Seat { seat: SeatId },
    /// A schaalvraag's "wat maakt het één punt hoger?", brought in by the trainer.
    Scale,
    /// An observation of a spiegelgesprek the trainer picked in the after-talk.
    Mirror,
}

/// How far the step has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Participants propose, each seeing only their own.
    Collecting,
    /// Everyone sees the proposals; the trainer merges duplicates and edits wording.
    Shown,
    /// Everyone places dots, each seeing only their own.
    Voting,
    /// The ranked list is shown; the trainer records who picks up what, and by when.
    Ranked,
}

/// What a verbeteracties step is asked to do. On the wire inside an `actions` message, tagged
/// by `do`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum ActionCommand {
    Propose {
        text: String,
    },
    /// Trainer: bring in proposals from elsewhere (a schaalvraag's steps one point higher).
    Import {
        texts: Vec<String>,
    },
    Show,
    /// Trainer: `from` is a duplicate of `into`; its proposers count for `into`.
    Merge {
        from: ProposalId,
        into: ProposalId,
    },
    Edit {
        proposal: ProposalId,
        text: String,
    },
    OpenVote,
    /// Player: all your dots at once; a new vote replaces the last one. On the wire as pairs
    /// `[[proposal, dots], …]`, as the log keeps them (JSON keys are strings).
    Vote {
        #[serde(with = "dot_pairs")]
        dots: BTreeMap<ProposalId, u8>,
    },
    CloseVote,
    /// Trainer: who picks a ranked proposal up (a name or a role), and by when.
    Assign {
        proposal: ProposalId,
        owner: String,
        by: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ActionEvent {
    Proposed {
        proposal: ProposalId,
        source: Source,
        text: String,
    },
    Shown,
    Merged {
        from: ProposalId,
        into: ProposalId,
    },
    Edited {
        proposal: ProposalId,
        text: String,
    },
    VoteOpened,
    /// Pairs, not a map: JSON keys are strings, and a log must read back as it was written.
    Voted {
        seat: SeatId,
        dots: Vec<(ProposalId, u8)>,
    },
    VoteClosed,
    Assigned {
        proposal: ProposalId,
        owner: String,
        by: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: ProposalId,
    pub text: String,
    /// Everyone it came from, duplicates merged into it included.
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A verbeteracties step. Pure, like every form: the session decides who asks and stores the
/// events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actions {
    pub settings: ActionSettings,
    pub stage: Stage,
    /// Every proposal still standing, in the order they came (merged ones are gone).
    pub proposals: Vec<Proposal>,
    next: u16,
    pub votes: BTreeMap<SeatId, BTreeMap<ProposalId, u8>>,
}

impl Actions {
    pub fn new(settings: ActionSettings) -> Actions {
        Actions { settings, stage: Stage::Collecting, proposals: Vec::new(), next: 0, votes: BTreeMap::new() }
    }

    fn proposal(&self, id: ProposalId) -> Result<&Proposal, Rejection> {
        self.proposals.iter().find(|proposal| proposal.id == id).ok_or(Rejection::UnknownProposal)
    }

    fn at(&self, stage: Stage) -> Result<(), Rejection> {
        if self.stage == stage { Ok(()) } else { Err(Rejection::WrongPhase) }
    }

    fn id(&self, offset: usize) -> ProposalId {
        ProposalId(self.next.saturating_add(u16::try_from(offset).unwrap_or(u16::MAX)))
    }

    /// Room for `more` proposals: at most `MAX_PROPOSALS` at once, and never a number used
    /// before.
    fn room_for(&self, more: usize) -> Result<(), Rejection> {
        let standing = self.proposals.len() + more;
        let numbered = usize::from(self.next) + more;
        if standing > usize::from(MAX_PROPOSALS) || numbered > usize::from(u16::MAX) {
            return Err(Rejection::ProposalsFull { max: MAX_PROPOSALS });
        }
        Ok(())
    }

    /// Decides what `command` from `who` means. Never changes the step.
    pub fn handle(&self, who: Who, command: ActionCommand) -> Result<Vec<ActionEvent>, Rejection> {
        let trainer = || if who == Who::Trainer { Ok(()) } else { Err(Rejection::NotTrainer) };
        match command {
            ActionCommand::Propose { text } => {
                let Who::Player(seat) = who else { return Err(Rejection::NotAPlayer) };
                self.at(Stage::Collecting)?;
                let max = self.settings.proposals_per_person;
                let made =
                    self.proposals.iter().filter(|proposal| proposal.sources.contains(&Source::Seat { seat })).count();
                if made >= usize::from(max) {
                    return Err(Rejection::TooManyProposals { max });
                }
                let text = proposal_text(&text, "proposal")?;
                self.room_for(1)?;
                Ok(vec![ActionEvent::Proposed { proposal: self.id(0), source: Source::Seat { seat }, text }])
            }
            ActionCommand::Import { texts } => {
                trainer()?;
                if !matches!(self.stage, Stage::Collecting | Stage::Shown) {
                    return Err(Rejection::WrongPhase);
                }
                let texts: Vec<String> =
                    texts.iter().map(|text| proposal_text(text, "proposal")).collect::<Result<_, _>>()?;
                self.room_for(texts.len())?;
                let events = texts
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| ActionEvent::Proposed { proposal: self.id(i), source: Source::Scale, text })
                    .collect();
                Ok(events)
            }
            ActionCommand::Show => {
                trainer()?;
                self.at(Stage::Collecting)?;
                Ok(vec![ActionEvent::Shown])
            }
            ActionCommand::Merge { from, into } => {
                trainer()?;
                self.at(Stage::Shown)?;
                self.proposal(from)?;
                self.proposal(into)?;
                if from == into {
                    return Err(Rejection::UnknownProposal);
                }
                Ok(vec![ActionEvent::Merged { from, into }])
            }
            ActionCommand::Edit { proposal, text } => {
                trainer()?;
                self.at(Stage::Shown)?;
                self.proposal(proposal)?;
                Ok(vec![ActionEvent::Edited { proposal, text: proposal_text(&text, "proposal")? }])
            }
            ActionCommand::OpenVote => {
                trainer()?;
                self.at(Stage::Shown)?;
                Ok(vec![ActionEvent::VoteOpened])
            }
            ActionCommand::Vote { dots } => {
                let Who::Player(seat) = who else { return Err(Rejection::NotAPlayer) };
                self.at(Stage::Voting)?;
                for proposal in dots.keys() {
                    self.proposal(*proposal)?;
                }
                let (max, per_proposal) = (self.settings.dots, self.settings.dots_per_proposal);
                let total: u32 = dots.values().map(|&count| u32::from(count)).sum();
                if total > u32::from(max) || dots.values().any(|&count| count > per_proposal) {
                    return Err(Rejection::TooManyDots { max, per_proposal });
                }
                let dots = dots.into_iter().filter(|(_, count)| *count > 0).collect();
                Ok(vec![ActionEvent::Voted { seat, dots }])
            }
            ActionCommand::CloseVote => {
                trainer()?;
                self.at(Stage::Voting)?;
                Ok(vec![ActionEvent::VoteClosed])
            }
            ActionCommand::Assign { proposal, owner, by } => {
                trainer()?;
                self.at(Stage::Ranked)?;
                self.proposal(proposal)?;
                let field = |text: &str, field: &'static str| {
                    let text = clean_text(text);
                    if text.chars().count() > MAX_OWNER_CHARS {
                        Err(Rejection::TextTooLong { field, max: MAX_OWNER_CHARS })
                    } else {
                        Ok(text)
                    }
                };
                Ok(vec![ActionEvent::Assigned { proposal, owner: field(&owner, "owner")?, by: field(&by, "by")? }])
            }
        }
    }

    /// Folds one event into the step.
    pub fn apply(&mut self, event: &ActionEvent) {
        match event {
            ActionEvent::Proposed { proposal, source, text } => {
                self.proposals.push(Proposal {
                    id: *proposal,
                    text: text.clone(),
                    sources: vec![*source],
                    owner: None,
                    by: None,
                });
                self.next = self.next.max(proposal.0.saturating_add(1));
            }
            ActionEvent::Shown => self.stage = Stage::Shown,
            ActionEvent::Merged { from, into } => {
                if let Some(at) = self.proposals.iter().position(|proposal| proposal.id == *from) {
                    let merged = self.proposals.remove(at);
                    if let Some(kept) = self.proposals.iter_mut().find(|proposal| proposal.id == *into) {
                        kept.sources.extend(merged.sources);
                    }
                }
            }
            ActionEvent::Edited { proposal, text } => {
                if let Some(kept) = self.proposals.iter_mut().find(|kept| kept.id == *proposal) {
                    kept.text.clone_from(text);
                }
            }
            ActionEvent::VoteOpened => self.stage = Stage::Voting,
            ActionEvent::Voted { seat, dots } => {
                self.votes.insert(*seat, dots.iter().copied().collect());
            }
            ActionEvent::VoteClosed => self.stage = Stage::Ranked,
            ActionEvent::Assigned { proposal, owner, by } => {
                if let Some(kept) = self.proposals.iter_mut().find(|kept| kept.id == *proposal) {
                    kept.owner = Some(owner.clone()).filter(|owner| !owner.is_empty());
                    kept.by = Some(by.clone()).filter(|by| !by.is_empty());
                }
            }
        }
    }

    /// The proposals by the dots they got, most first; ties go to the one more people chose,
    /// then to the earlier one.
    pub fn ranked(&self) -> Vec<Ranked<'_>> {
        let mut ranked: Vec<Ranked<'_>> = self
            .proposals
            .iter()
            .map(|proposal| {
                let given = self.votes.values().filter_map(|dots| dots.get(&proposal.id).copied());
                let (dots, voters) =
                    given.fold((0u32, 0u32), |(dots, voters), count| (dots + u32::from(count), voters + 1));
                Ranked { proposal, dots, voters }
            })
            .collect();
        ranked
            .sort_by(|a, b| b.dots.cmp(&a.dots).then(b.voters.cmp(&a.voters)).then(a.proposal.id.cmp(&b.proposal.id)));
        ranked
    }

    /// What `seat` (or a trainer, `Who::Trainer`, or the projector, `None`) may see: while
    /// collecting only your own proposals (a trainer sees all, to group them), while voting
    /// only your own dots, and the dot totals only once the vote is closed. Names are left
    /// out unless the step shows them.
    pub fn view(&self, who: Option<Who>) -> ActionsView {
        let visible = |proposal: &&Proposal| match (self.stage, who) {
            (Stage::Collecting, Some(Who::Trainer)) => true,
            (Stage::Collecting, Some(Who::Player(seat))) => proposal.sources.contains(&Source::Seat { seat }),
            (Stage::Collecting, None) => false,
            _ => true,
        };
        let totals = self.stage == Stage::Ranked;
        let ranked = self.ranked();
        let mut proposals: Vec<ProposalView> = self
            .proposals
            .iter()
            .filter(visible)
            .map(|proposal| {
                let ranked = ranked.iter().find(|ranked| ranked.proposal.id == proposal.id);
                ProposalView {
                    id: proposal.id,
                    text: proposal.text.clone(),
                    from: if self.settings.names_shown { proposal.sources.clone() } else { Vec::new() },
                    dots: totals.then(|| ranked.map_or(0, |ranked| ranked.dots)),
                    owner: proposal.owner.clone(),
                    by: proposal.by.clone(),
                }
            })
            .collect();
        if totals {
            proposals.sort_by_key(|proposal| ranked.iter().position(|ranked| ranked.proposal.id == proposal.id));
        }
        ActionsView {
            stage: self.stage,
            proposed: self.proposals.len(),
            proposals,
            voted: self.votes.keys().copied().collect(),
            my_dots: match who {
                Some(Who::Player(seat)) => self
                    .votes
                    .get(&seat)
                    .map(|dots| dots.iter().map(|(id, count)| (*id, *count)).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            },
        }
    }
}

/// A proposal with the dots it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked<'a> {
    pub proposal: &'a Proposal,
    pub dots: u32,
    pub voters: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionsView {
    pub stage: Stage,
    /// How many proposals there are, also while they are private.
    pub proposed: usize,
    pub proposals: Vec<ProposalView>,
    pub voted: Vec<SeatId>,
    /// Your own dots while you vote, as pairs of proposal and count.
    pub my_dots: Vec<(ProposalId, u8)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub id: ProposalId,
    pub text: String,
    /// Who proposed it, when the step shows names.
    pub from: Vec<Source>,
    /// Its dots, once the vote is closed.
    pub dots: Option<u32>,
    pub owner: Option<String>,
    pub by: Option<String>,
}

/// Dots as `[[proposal, dots], …]`; a proposal named twice gets the dots of both.
mod dot_pairs {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::ProposalId;

    pub fn serialize<S: Serializer>(dots: &BTreeMap<ProposalId, u8>, serializer: S) -> Result<S::Ok, S::Error> {
        dots.iter().collect::<Vec<_>>().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BTreeMap<ProposalId, u8>, D::Error> {
        let pairs = Vec::<(ProposalId, u8)>::deserialize(deserializer)?;
        Ok(pairs.into_iter().fold(BTreeMap::new(), |mut dots, (proposal, count)| {
            let total: &mut u8 = dots.entry(proposal).or_default();
            *total = total.saturating_add(count);
            dots
        }))
    }
}

fn proposal_text(text: &str, field: &'static str) -> Result<String, Rejection> {
    let text = clean_text(text);
    if text.is_empty() {
        return Err(Rejection::BadMessage(format!("`{field}` is empty")));
    }
    if text.chars().count() > MAX_PROPOSAL_CHARS {
        return Err(Rejection::TextTooLong { field, max: MAX_PROPOSAL_CHARS });
    }
    Ok(text)
}

#[cfg(test)]
mod tests;
