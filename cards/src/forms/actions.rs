//! Verbeteracties: what the group will do. Proposals (from participants, a schaalvraag's "one
//! point higher" answers or an after-talk) are grouped by the trainer, ranked with dots, and the
//! top ones get an owner and a date.

use serde::{Deserialize, Serialize};

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
    /// Start from the "one point higher" steps of the schaalvragen asked before this step.
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
