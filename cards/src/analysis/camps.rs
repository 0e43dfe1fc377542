//! Who landed where. Per statement, the camps of a split vote with their firmest arguments;
//! across the session, the two groups of people who tend to answer alike (k-means with two
//! groups, as Polis groups opinions) and the statements each group, and everyone, agrees on.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Distribution;
use crate::chart::group_order;
use crate::event::{Position, SeatId};
use crate::log::AnswerRow;
use crate::text::Text;

/// A group "agrees on" a statement when at least this share of its answers on the scale lie on
/// one side (1–2 or 4–5).
const ONE_SIDE: f64 = 0.75;
/// Quotes shown per side of a split statement.
const QUOTES_PER_SIDE: usize = 2;
/// Two opinion groups are shown only when, on at least one statement, their mean answers lie
/// this many scale points apart: closer than that, they are one group with some spread.
const GROUPS_APART: f64 = 1.5;

/// The two sides of a split vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Camps {
    /// Answered 4 or 5.
    pub agree: Camp,
    /// Answered 1 or 2.
    pub disagree: Camp,
    /// Answered 3.
    pub neutral: u32,
    pub passed: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Camp {
    pub count: u32,
    /// Who, by name or pseudonym; empty when the vote was revealed without names.
    pub people: Vec<String>,
    /// How many of each role group (`gezin`, `professional`, …), in the legend's order.
    pub groups: Vec<(String, u32)>,
    /// The firmest arguments: from the answers furthest from the middle, the longest first.
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub role: Text,
    pub position: u8,
}

/// Which side a group took on a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Agree,
    Disagree,
}

/// A statement a group (or everyone) agrees on, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stance {
    pub turn: u32,
    pub text: Text,
    pub side: Side,
    /// The share of the group's answers on that side.
    pub share: f64,
}

/// People who tend to answer alike across the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpinionGroup {
    pub size: u32,
    /// Names or pseudonyms; empty when the session showed answers without names.
    pub people: Vec<String>,
    /// How many of each role group.
    pub groups: Vec<(String, u32)>,
    /// The statements this group agrees on, in the order they were played.
    pub agrees_on: Vec<Stance>,
}

/// The people of one vote on each side, when the vote split: both sides hold answers and the
/// smaller one at least a quarter of the answers on the scale (five against four is a split,
/// seven against one is not).
pub fn camps(vote: &[&AnswerRow]) -> Option<Camps> {
    let distribution = Distribution::of(vote.iter().map(|row| row.position));
    let (agree, disagree) = (distribution.agreeing(), distribution.counts[0] + distribution.counts[1]);
    if agree == 0 || disagree == 0 || 4 * agree.min(disagree) < distribution.n() {
        return None;
    }
    let side = |on: fn(u8) -> bool| {
        camp(vote.iter().copied().filter(|row| matches!(row.position, Position::Scale(n) if on(n))))
    };
    Some(Camps {
        agree: side(|n| n >= 4),
        disagree: side(|n| n <= 2),
        neutral: distribution.counts[2],
        passed: distribution.passes,
    })
}

fn camp<'a>(rows: impl Iterator<Item = &'a AnswerRow>) -> Camp {
    let rows: Vec<&AnswerRow> = rows.collect();
    let named = rows.iter().all(|row| !row.anonymous);
    let mut quotes: Vec<Quote> = rows
        .iter()
        .filter_map(|row| {
            let Position::Scale(position) = row.position else { return None };
            let text = row.argument.clone().filter(|text| !text.trim().is_empty())?;
            Some(Quote { text, role: row.role.clone(), position })
        })
        .collect();
    let firmness = |quote: &Quote| (i16::from(quote.position) - 3).abs();
    quotes.sort_by(|a, b| {
        (firmness(b), b.text.chars().count()).cmp(&(firmness(a), a.text.chars().count())).then(a.text.cmp(&b.text))
    });
    quotes.truncate(QUOTES_PER_SIDE);
    Camp {
        count: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        people: if named { rows.iter().map(|row| row.participant.clone()).collect() } else { Vec::new() },
        groups: group_counts(rows.iter().map(|row| row.group.as_str())),
        quotes,
    }
}

fn group_counts<'a>(groups: impl Iterator<Item = &'a str>) -> Vec<(String, u32)> {
    let mut counts: BTreeMap<(usize, &str), u32> = BTreeMap::new();
    for group in groups {
        *counts.entry(group_order(group)).or_default() += 1;
    }
    counts.into_iter().map(|((_, group), count)| (group.to_owned(), count)).collect()
}

/// The side at least three quarters of `positions` on the scale take, with its share; none
/// with fewer than two answers on the scale.
fn stance(positions: impl IntoIterator<Item = Position>) -> Option<(Side, f64)> {
    let distribution = Distribution::of(positions);
    let n = distribution.n();
    if n < 2 {
        return None;
    }
    let share = |count: u32| f64::from(count) / f64::from(n);
    let (agree, disagree) = (share(distribution.agreeing()), share(distribution.counts[0] + distribution.counts[1]));
    if agree >= ONE_SIDE {
        Some((Side::Agree, agree))
    } else if disagree >= ONE_SIDE {
        Some((Side::Disagree, disagree))
    } else {
        None
    }
}

/// Each statement's first vote, in the order played: its turn, its text and its answers.
pub type FirstVote<'a> = (u32, &'a Text, Vec<&'a AnswerRow>);

/// The statements at least three quarters of everyone agree (or disagree) with.
pub fn common_stances(votes: &[FirstVote<'_>]) -> Vec<Stance> {
    votes
        .iter()
        .filter_map(|(turn, text, rows)| {
            let (side, share) = stance(rows.iter().map(|row| row.position))?;
            Some(Stance { turn: *turn, text: (*text).clone(), side, share })
        })
        .collect()
}

/// Two groups of people who answer alike, by k-means with two groups over each person's first
/// votes: the two people who answered most differently start the groups, everyone joins the
/// group whose mean answers are nearest theirs, and the means are taken again until nobody
/// changes group. A statement someone did not answer on the scale counts as the mean of those
/// who did. Shown only with four people or more, two in each group, who answered at least two
/// statements, and when the groups' means lie `GROUPS_APART` points apart on some statement.
pub fn opinion_groups(votes: &[FirstVote<'_>]) -> Vec<OpinionGroup> {
    let scale = |position: Position| match position {
        Position::Scale(n) => Some(f64::from(n)),
        Position::Pass => None,
    };
    let mut people: BTreeMap<SeatId, (&AnswerRow, Vec<Option<f64>>)> = BTreeMap::new();
    for (index, (_, _, rows)) in votes.iter().enumerate() {
        for row in rows {
            people.entry(row.seat).or_insert_with(|| (row, vec![None; votes.len()])).1[index] = scale(row.position);
        }
    }
    people.retain(|_, (_, answers)| answers.iter().flatten().count() >= 2);
    let means: Vec<f64> = (0..votes.len())
        .map(|index| {
            let given: Vec<f64> = people.values().filter_map(|(_, answers)| answers[index]).collect();
            if given.is_empty() { 3.0 } else { given.iter().sum::<f64>() / given.len() as f64 }
        })
        .collect();
    let vectors: Vec<Vec<f64>> = people
        .values()
        .map(|(_, answers)| answers.iter().zip(&means).map(|(answer, mean)| answer.unwrap_or(*mean)).collect())
        .collect();
    let Some(assignment) = two_means(&vectors) else { return Vec::new() };
    let members = |group: usize| -> Vec<&AnswerRow> {
        people.values().zip(&assignment).filter(|(_, of)| **of == group).map(|((row, _), _)| *row).collect()
    };
    let (first, second) = (members(0), members(1));
    if first.len() < 2 || second.len() < 2 {
        return Vec::new();
    }
    let centroid =
        |group: usize| mean_vector(vectors.iter().zip(&assignment).filter(|(_, of)| **of == group).map(|(v, _)| v));
    let (a, b) = (centroid(0), centroid(1));
    if !a.iter().zip(&b).any(|(a, b)| (a - b).abs() >= GROUPS_APART) {
        return Vec::new();
    }
    let mut groups: Vec<OpinionGroup> =
        [first, second].into_iter().map(|members| opinion_group(&members, votes)).collect();
    groups.sort_by_key(|group| std::cmp::Reverse(group.size));
    groups
}

fn opinion_group(members: &[&AnswerRow], votes: &[FirstVote<'_>]) -> OpinionGroup {
    let seats: Vec<SeatId> = members.iter().map(|row| row.seat).collect();
    // Named only if none of its members' answers was given without names: a group's line
    // "agrees with …" would otherwise tie a name to an anonymous vote.
    let named = votes
        .iter()
        .flat_map(|(_, _, rows)| rows.iter())
        .filter(|row| seats.contains(&row.seat))
        .all(|row| !row.anonymous);
    let agrees_on = votes
        .iter()
        .filter_map(|(turn, text, rows)| {
            let (side, share) = stance(rows.iter().filter(|row| seats.contains(&row.seat)).map(|row| row.position))?;
            Some(Stance { turn: *turn, text: (*text).clone(), side, share })
        })
        .collect();
    OpinionGroup {
        size: u32::try_from(members.len()).unwrap_or(u32::MAX),
        people: if named { members.iter().map(|row| row.participant.clone()).collect() } else { Vec::new() },
        groups: group_counts(members.iter().map(|row| row.group.as_str())),
        agrees_on,
    }
}

/// Each vector's group (0 or 1) by Lloyd's k-means with k = 2, seeded with the two vectors
/// furthest apart (the first such pair), so the same answers always give the same groups.
/// `None` with fewer than four vectors or when all are alike.
fn two_means(vectors: &[Vec<f64>]) -> Option<Vec<usize>> {
    if vectors.len() < 4 {
        return None;
    }
    let mut seeds = (0, 0, 0.0);
    for i in 0..vectors.len() {
        for j in (i + 1)..vectors.len() {
            let distance = squared_distance(&vectors[i], &vectors[j]);
            if distance > seeds.2 {
                seeds = (i, j, distance);
            }
        }
    }
    if seeds.2 == 0.0 {
        return None;
    }
    let mut centres = [vectors[seeds.0].clone(), vectors[seeds.1].clone()];
    let mut assignment = vec![usize::MAX; vectors.len()];
    // Lloyd's iteration settles in a few rounds on groups this small; the bound is a backstop.
    for _ in 0..50 {
        let next: Vec<usize> = vectors
            .iter()
            .map(|vector| usize::from(squared_distance(vector, &centres[1]) < squared_distance(vector, &centres[0])))
            .collect();
        if next == assignment {
            break;
        }
        assignment = next;
        for (group, centre) in centres.iter_mut().enumerate() {
            let members = vectors.iter().zip(&assignment).filter(|(_, of)| **of == group).map(|(v, _)| v);
            let mean = mean_vector(members);
            if !mean.is_empty() {
                *centre = mean;
            }
        }
    }
    Some(assignment)
}

fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| (a - b) * (a - b)).sum()
}

fn mean_vector<'a>(vectors: impl Iterator<Item = &'a Vec<f64>>) -> Vec<f64> {
    let mut sum: Vec<f64> = Vec::new();
    let mut n = 0.0;
    for vector in vectors {
        if sum.is_empty() {
            sum = vec![0.0; vector.len()];
        }
        sum.iter_mut().zip(vector).for_each(|(total, value)| *total += value);
        n += 1.0;
    }
    sum.iter().map(|total| total / n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::CardId;

    fn row(seat: u16, turn: u32, position: u8, group: &str, argument: Option<&str>) -> AnswerRow {
        AnswerRow {
            turn,
            vote: 0,
            statement: CardId::new(format!("s{turn}")),
            statement_text: Text::new(format!("Stelling {turn}"), ""),
            terms: Vec::new(),
            defines: None,
            seat: SeatId(seat),
            participant: format!("P{seat}"),
            role: Text::new(group, ""),
            group: group.to_owned(),
            anonymous: false,
            position: if position == 0 { Position::Pass } else { Position::Scale(position) },
            argument: argument.map(str::to_owned),
            definition: None,
            at: 0,
            revealed: true,
        }
    }

    #[test]
    fn five_against_four_are_camps_with_their_firmest_arguments_and_seven_against_one_is_not() {
        let rows = [
            row(0, 1, 5, "gezin", Some("Het gezin weet zelf wat het nodig heeft, ook als het vastloopt.")),
            row(1, 1, 4, "gezin", Some("Meestal wel.")),
            row(2, 1, 5, "gezin", Some("Zeker.")),
            row(3, 1, 4, "netwerk", None),
            row(4, 1, 4, "professional", Some("Langer argument dat toch minder stellig is dan de vijven.")),
            row(5, 1, 1, "professional", Some("Bij onveiligheid neemt de professional het over.")),
            row(6, 1, 2, "professional", Some("Soms.")),
            row(7, 1, 2, "gemeente", None),
            row(8, 1, 1, "professional", Some("Nee.")),
            row(9, 1, 3, "professional", None),
        ];
        let vote: Vec<&AnswerRow> = rows.iter().collect();
        let camps = camps(&vote).expect("five against four is a split");
        assert_eq!((camps.agree.count, camps.disagree.count, camps.neutral), (5, 4, 1));
        assert_eq!(camps.agree.people, ["P0", "P1", "P2", "P3", "P4"]);
        assert_eq!(
            camps.agree.groups,
            [("gezin".to_owned(), 3), ("netwerk".to_owned(), 1), ("professional".to_owned(), 1)]
        );
        assert_eq!(camps.disagree.groups, [("professional".to_owned(), 3), ("gemeente".to_owned(), 1)]);
        // The fives before the fours, the longer of two fives first.
        let quoted: Vec<&str> = camps.agree.quotes.iter().map(|quote| quote.text.as_str()).collect();
        assert_eq!(quoted, ["Het gezin weet zelf wat het nodig heeft, ook als het vastloopt.", "Zeker."]);
        assert_eq!(camps.disagree.quotes[0].text, "Bij onveiligheid neemt de professional het over.");

        let lopsided: Vec<AnswerRow> =
            (0..8).map(|seat| row(seat, 1, if seat == 0 { 1 } else { 5 }, "gezin", None)).collect();
        assert_eq!(super::camps(&lopsided.iter().collect::<Vec<_>>()), None);
    }

    #[test]
    fn a_vote_without_names_shows_role_groups_only() {
        let mut rows = [row(0, 1, 5, "gezin", None), row(1, 1, 1, "professional", None)];
        rows.iter_mut().for_each(|row| row.anonymous = true);
        let camps = camps(&rows.iter().collect::<Vec<_>>()).expect("one against one is a split");
        assert!(camps.agree.people.is_empty() && camps.disagree.people.is_empty());
        assert_eq!(camps.agree.groups, [("gezin".to_owned(), 1)]);
    }

    /// Worked by hand: six people, four statements. P0–P2 answer 5, 5, 1, 4; P3–P5 answer 1, 2,
    /// 5, 4 (P5 passes statement 2, which counts as that statement's mean, 3.8). The two
    /// furthest apart are P0 and P3 (distance² 16 + 9 + 16 = 41); everyone is nearest their
    /// own seed, so the groups are {P0, P1, P2} and {P3, P4, P5} at once. Each group agrees on
    /// the first three statements from its own side; everyone agrees with the fourth.
    #[test]
    fn two_opinion_groups_follow_the_worked_example() {
        let mut rows = Vec::new();
        for seat in 0..6u16 {
            let answers: [u8; 4] = if seat < 3 { [5, 5, 1, 4] } else { [1, if seat == 5 { 0 } else { 2 }, 5, 4] };
            for (turn, position) in (1u32..).zip(answers) {
                rows.push(row(seat, turn, position, if seat < 3 { "gezin" } else { "professional" }, None));
            }
        }
        let texts: Vec<Text> = (1..=4).map(|turn| Text::new(format!("Stelling {turn}"), "")).collect();
        let votes: Vec<FirstVote<'_>> = (1u32..=4)
            .map(|turn| (turn, &texts[turn as usize - 1], rows.iter().filter(|row| row.turn == turn).collect()))
            .collect();
        let groups = opinion_groups(&votes);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].people, ["P0", "P1", "P2"]);
        assert_eq!(groups[1].people, ["P3", "P4", "P5"]);
        assert_eq!(groups[1].groups, [("professional".to_owned(), 3)]);
        let sides =
            |group: &OpinionGroup| group.agrees_on.iter().map(|stance| (stance.turn, stance.side)).collect::<Vec<_>>();
        assert_eq!(sides(&groups[0]), [(1, Side::Agree), (2, Side::Agree), (3, Side::Disagree), (4, Side::Agree)]);
        assert_eq!(sides(&groups[1]), [(1, Side::Disagree), (2, Side::Disagree), (3, Side::Agree), (4, Side::Agree)]);
        let common: Vec<u32> = common_stances(&votes).iter().map(|stance| stance.turn).collect();
        assert_eq!(common, [4], "only the fourth statement is common ground");
    }

    #[test]
    fn people_who_answer_alike_make_no_groups() {
        let rows: Vec<AnswerRow> = (0..6u16)
            .flat_map(|seat| (1u32..=3).map(move |turn| row(seat, turn, 4 + (seat % 2) as u8, "gezin", None)))
            .collect();
        let texts: Vec<Text> = (1..=3).map(|turn| Text::new(format!("Stelling {turn}"), "")).collect();
        let votes: Vec<FirstVote<'_>> = (1u32..=3)
            .map(|turn| (turn, &texts[turn as usize - 1], rows.iter().filter(|row| row.turn == turn).collect()))
            .collect();
        assert!(opinion_groups(&votes).is_empty(), "answers one point apart are one group");
    }
}
