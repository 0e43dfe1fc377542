//! How split a group is: measures over the answers to one vote, pure and small, shared by the
//! browser's review, the trainer console and the exports.
//!
//! All measures work on the 1–5 scale (K = 5); "pas" is left out of the spread and counted on
//! its own. Every figure comes with the n it stands on: groups in a learning meeting are small,
//! so there are no p-values, only the numbers and how many answers they rest on.

mod camps;
mod review;
mod sentences;
mod steps;
mod terms;

pub use camps::{Camp, Camps, OpinionGroup, Quote, Side, Stance};
pub use sentences::{Measure, decimal, figure, number, opening, sentences};

pub use review::{
    GivenAnswer, MarkReview, Review, RoleRow, SeriesPoint, ShiftReview, StatementReview, TermReview, series,
};
pub use steps::{
    ActionReview, AskingReview, MirrorQuestionReview, MirrorReview, ObservationReview, ShiftSummary, StepReview,
    TableReview, step_reviews,
};
pub use terms::{Definition, DefinitionGroup, TermLens, term_lens};

use serde::{Deserialize, Serialize};

use crate::event::Position;

const K: usize = 5;

/// How many answers fell on each scale point, and how many passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Distribution {
    /// `counts[k]` answers on scale point `k + 1`.
    pub counts: [u32; K],
    pub passes: u32,
}

impl Distribution {
    pub fn of(positions: impl IntoIterator<Item = Position>) -> Distribution {
        let mut distribution = Distribution::default();
        for position in positions {
            match position {
                Position::Scale(n) if (1..=5).contains(&n) => distribution.counts[usize::from(n - 1)] += 1,
                _ => distribution.passes += 1,
            }
        }
        distribution
    }

    /// The answers on the scale (passes not counted).
    pub fn n(&self) -> u32 {
        self.counts.iter().sum()
    }

    fn shares(&self) -> Option<[f64; K]> {
        let n = f64::from(self.n());
        (n > 0.0).then(|| self.counts.map(|count| f64::from(count) / n))
    }

    /// F_k: the share at or below scale point k, for k = 1 … K−1.
    fn cumulative(&self) -> Option<[f64; K - 1]> {
        let shares = self.shares()?;
        let mut cumulative = [0.0; K - 1];
        let mut sum = 0.0;
        for k in 0..K - 1 {
            sum += shares[k];
            cumulative[k] = sum;
        }
        Some(cumulative)
    }

    /// Leik's ordinal consensus: 1 when everyone gives the same answer, 0 when the group is
    /// split evenly over both ends. `None` without answers on the scale.
    pub fn consensus(&self) -> Option<f64> {
        let cumulative = self.cumulative()?;
        let spread: f64 = cumulative.iter().map(|f| f.min(1.0 - f)).sum();
        Some(1.0 - spread / ((K as f64 - 1.0) / 2.0))
    }

    /// Esteban–Ray polarization (α = 1), scaled to 0..1: 1 for two equal camps at the ends.
    pub fn polarization(&self) -> Option<f64> {
        let shares = self.shares()?;
        let y = |k: usize| k as f64 / (K as f64 - 1.0);
        let mut sum = 0.0;
        for i in 0..K {
            for j in 0..K {
                sum += shares[i] * shares[i] * shares[j] * (y(i) - y(j)).abs();
            }
        }
        Some(4.0 * sum)
    }

    /// The shares that disagree (1–2), are neutral (3) and agree (4–5).
    pub fn split(&self) -> Option<Split> {
        let shares = self.shares()?;
        Some(Split { disagree: shares[0] + shares[1], neutral: shares[2], agree: shares[3] + shares[4] })
    }

    /// The mean position on the scale.
    pub fn mean(&self) -> Option<f64> {
        let n = f64::from(self.n());
        (n > 0.0).then(|| {
            self.counts.iter().enumerate().map(|(k, count)| (k as f64 + 1.0) * f64::from(*count)).sum::<f64>() / n
        })
    }

    /// The median position (the lower one of two middle answers).
    pub fn median(&self) -> Option<u8> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let middle = n.div_ceil(2);
        let mut seen = 0;
        for (k, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= middle {
                return Some(k as u8 + 1);
            }
        }
        None
    }

    /// The normalised earth mover's distance between two groups' answers: 0 when they answer
    /// alike, 1 when all of one says 1 and all of the other 5. Works for a group of one.
    pub fn distance(&self, other: &Distribution) -> Option<f64> {
        let (a, b) = (self.cumulative()?, other.cumulative()?);
        Some(a.iter().zip(b.iter()).map(|(a, b)| (a - b).abs()).sum::<f64>() / (K as f64 - 1.0))
    }

    /// The agreeing answers (4–5).
    pub fn agreeing(&self) -> u32 {
        self.counts[3] + self.counts[4]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Split {
    pub disagree: f64,
    pub neutral: f64,
    pub agree: f64,
}

/// Common ground across roles: the geometric mean over roles of (A + 1) / (S + 2), A the agreeing
/// answers and S all answers on the scale of that role. High only if every role leans to
/// agreement; one role that disagrees pulls it down.
pub fn common_ground<'a>(roles: impl IntoIterator<Item = &'a Distribution>) -> Option<f64> {
    let factors: Vec<f64> =
        roles.into_iter().map(|role| (f64::from(role.agreeing()) + 1.0) / (f64::from(role.n()) + 2.0)).collect();
    (!factors.is_empty()).then(|| geometric_mean(&factors))
}

fn geometric_mean(factors: &[f64]) -> f64 {
    (factors.iter().map(|factor| factor.ln()).sum::<f64>() / factors.len() as f64).exp()
}

/// What a re-vote changed, for the players who answered on the scale both times.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub consensus_change: Option<f64>,
    pub polarization_change: Option<f64>,
    /// Players who answered on the scale in both votes.
    pub n: u32,
    pub moved: u32,
    /// Moved closer to the first vote's median.
    pub toward_median: u32,
    /// Moved further from it.
    pub away_from_median: u32,
}

impl Shift {
    /// `pairs` holds each player's (first vote, re-vote) positions.
    pub fn between(first: &Distribution, second: &Distribution, pairs: &[(Position, Position)]) -> Shift {
        let delta = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
        let median = first.median().map(i32::from);
        let mut shift = Shift {
            consensus_change: delta(first.consensus(), second.consensus()),
            polarization_change: delta(first.polarization(), second.polarization()),
            n: 0,
            moved: 0,
            toward_median: 0,
            away_from_median: 0,
        };
        for (before, after) in pairs {
            let (Position::Scale(before), Position::Scale(after)) = (before, after) else { continue };
            shift.n += 1;
            if before == after {
                continue;
            }
            shift.moved += 1;
            if let Some(median) = median {
                let (from, to) = ((i32::from(*before) - median).abs(), (i32::from(*after) - median).abs());
                if to < from {
                    shift.toward_median += 1;
                } else if to > from {
                    shift.away_from_median += 1;
                }
            }
        }
        shift
    }

    pub fn moved_share(&self) -> Option<f64> {
        (self.n > 0).then(|| f64::from(self.moved) / f64::from(self.n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(scale: &[u8]) -> Distribution {
        Distribution::of(scale.iter().map(|n| Position::Scale(*n)))
    }

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("a value");
        assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
    }

    #[test]
    fn consensus_follows_the_worked_examples() {
        close(of(&[1, 1, 5, 5]).consensus(), 0.0);
        close(of(&[3, 3, 3, 3]).consensus(), 1.0);
        close(of(&[1, 2, 3, 4, 5]).consensus(), 0.40);
    }

    #[test]
    fn polarization_follows_the_worked_examples() {
        close(of(&[1, 1, 5, 5]).polarization(), 1.0);
        close(of(&[3, 3, 3, 3]).polarization(), 0.0);
        close(of(&[1, 2, 3, 4, 5]).polarization(), 0.32);
    }

    #[test]
    fn passes_are_counted_apart_and_leave_the_spread_alone() {
        let with_passes = Distribution::of([Position::Scale(2), Position::Pass, Position::Scale(2), Position::Pass]);
        assert_eq!((with_passes.n(), with_passes.passes), (2, 2));
        close(with_passes.consensus(), 1.0);
        let all_pass = Distribution::of([Position::Pass, Position::Pass]);
        assert_eq!((all_pass.consensus(), all_pass.polarization(), all_pass.split()), (None, None, None));
    }

    #[test]
    fn one_answer_is_full_consensus_and_no_polarization() {
        close(of(&[4]).consensus(), 1.0);
        close(of(&[4]).polarization(), 0.0);
        assert_eq!(of(&[4]).split(), Some(Split { disagree: 0.0, neutral: 0.0, agree: 1.0 }));
    }

    #[test]
    fn the_distance_between_roles_works_for_a_role_of_one() {
        close(of(&[1]).distance(&of(&[5])), 1.0);
        close(of(&[3]).distance(&of(&[3, 3])), 0.0);
        close(of(&[1, 5]).distance(&of(&[3])), 0.5);
    }

    #[test]
    fn common_ground_needs_every_role() {
        let agreeing = [of(&[4, 5]), of(&[5])];
        close(common_ground(&agreeing), (3.0_f64 / 4.0 * (2.0 / 3.0)).sqrt());
        let one_role_against = [of(&[4, 5]), of(&[1, 1])];
        assert!(common_ground(&one_role_against).expect("a value") < common_ground(&agreeing).expect("a value"));
        assert_eq!(common_ground(&[]), None);
    }

    #[test]
    fn a_shift_counts_who_moved_and_which_way() {
        let pairs = [
            (Position::Scale(1), Position::Scale(2)),
            (Position::Scale(3), Position::Scale(3)),
            (Position::Scale(3), Position::Scale(5)),
            (Position::Pass, Position::Scale(4)),
        ];
        let first = Distribution::of(pairs.iter().map(|pair| pair.0));
        let second = Distribution::of(pairs.iter().map(|pair| pair.1));
        let shift = Shift::between(&first, &second, &pairs);
        assert_eq!((shift.n, shift.moved, shift.toward_median, shift.away_from_median), (3, 2, 1, 1));
        close(shift.moved_share(), 2.0 / 3.0);
    }
}
