//! The trainer's review of a room: per statement, per term and per role, where the group does
//! not understand each other, and what moved after discussion.

use std::collections::{BTreeMap, BTreeSet};

use super::camps::{Camps, FirstVote, OpinionGroup, Stance, camps, common_stances, opinion_groups};
use super::terms::{Definition, TermLens, term_lens};
use super::{Distribution, Shift, Split, common_ground};
use crate::notes::{DefinitionKey, Mark};
use serde::{Deserialize, Serialize};

use crate::chart::group_order;
use crate::deck::CardId;
use crate::event::{Event, Position, SeatId};
use crate::library::term_label;
use crate::log::{AnswerRow, LoggedEvent, Names, answers};
use crate::room::Room;
use crate::text::{Lang, Text};

/// Everything the review page and the debrief report show. Card texts carry both languages;
/// pseudonyms are in the language the review was made in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub code: String,
    /// The statement deck that was played (the last one chosen in the lobby, uploaded or not).
    pub statement_deck: Text,
    /// The role deck that was played.
    pub role_deck: Text,
    /// Where the played decks' themes come from, when they say (absent in older reviews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_source: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_source: Option<Text>,
    /// Every term in the review as people read it: Dutch as written, English from the
    /// glossary (empty for a term it does not know).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub term_labels: BTreeMap<String, Text>,
    /// When the room was created (milliseconds since the epoch).
    pub created: u64,
    pub participants: usize,
    /// Least consensus first.
    pub statements: Vec<StatementReview>,
    /// Most disagreement first.
    pub terms: Vec<TermReview>,
    /// Role × statement: each role's mean position on each statement (first vote), columns in
    /// the order of `statements`.
    pub matrix: Vec<RoleRow>,
    pub shifts: Vec<ShiftReview>,
    /// The agenda's steps in order, when the session followed one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<super::StepReview>,
    /// The statements at least three quarters of everyone agreed (or disagreed) with, in the
    /// order played.
    #[serde(default)]
    pub common: Vec<Stance>,
    /// Two groups of people who tend to answer alike, largest first; empty when the answers
    /// show no such groups.
    #[serde(default)]
    pub opinion_groups: Vec<OpinionGroup>,
    /// The moments the trainer marked, in order.
    #[serde(default)]
    pub marks: Vec<MarkReview>,
}

/// A marked moment as the review shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkReview {
    /// Milliseconds since the epoch.
    pub at: u64,
    /// The agenda's step it was marked in (counted from 0).
    pub step: Option<u16>,
    /// The statement on the table: its turn and text, and whether its answers were shown.
    pub turn: Option<u32>,
    pub statement: Option<Text>,
    pub revealed: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementReview {
    pub turn: u32,
    pub statement: CardId,
    pub text: Text,
    pub terms: Vec<String>,
    /// The first vote.
    pub first: Distribution,
    pub consensus: Option<f64>,
    pub polarization: Option<f64>,
    pub split: Option<Split>,
    pub common_ground: Option<f64>,
    /// The two roles that answered furthest apart, and how far (0..1).
    pub farthest_roles: Option<(Text, Text, f64)>,
    /// Every answer of the first vote: position, role, who (per `Names`), argument; ordered by
    /// role group and role, so a dot plot shows each group together.
    pub answers: Vec<GivenAnswer>,
    /// Who landed on each side, when the first vote split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camps: Option<Camps>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GivenAnswer {
    pub position: Position,
    pub role: Text,
    /// The role's group (`gezin`, `professional`, …), for its colour and marker.
    pub group: String,
    /// The name or pseudonym (per `Names`); `None` when the room revealed without names.
    pub participant: Option<String>,
    pub argument: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermReview {
    pub term: String,
    /// Statements that carry the term, and the mean consensus of their first votes.
    pub statements: usize,
    pub mean_consensus: Option<f64>,
    pub lens: TermLens,
    /// The mean of (1 − mean consensus) and the definitions' spread, whichever are known.
    pub disagreement: Option<f64>,
    /// What the group agreed the term means, written down by the trainer in the review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleRow {
    pub role: Text,
    pub group: String,
    /// Mean position and n per statement; `None` where the role gave no answer on the scale.
    pub cells: Vec<Option<(f64, u32)>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftReview {
    pub statement: CardId,
    pub text: Text,
    pub first: Distribution,
    pub last: Distribution,
    pub shift: Shift,
    /// Who changed position, from where to where, in seat order.
    #[serde(default)]
    pub moves: Vec<Moved>,
}

/// One person's move between the first vote and the re-vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    /// The name or pseudonym; `None` when the room revealed without names.
    pub participant: Option<String>,
    pub role: Text,
    pub from: Position,
    pub to: Position,
    /// Closer to the first vote's median than before (`Some(false)`: further from it).
    pub toward_middle: Option<bool>,
}

impl Review {
    /// The review of a room's log; pseudonyms ("Deelnemer n", "Participant n") in `lang`.
    pub fn of(log: &[LoggedEvent], names: Names, lang: Lang) -> Review {
        let (code, created) = match log.first().map(|logged| (&logged.event, logged.at)) {
            Some((Event::Created { code, .. }, at)) => (code.to_string(), at),
            _ => (String::new(), 0),
        };
        // The decks can change in the lobby (chosen or uploaded), so the room as the log left
        // it says what was played, not `created`.
        let room = Room::replay(log.iter().map(|logged| &logged.event));
        let (statement_deck, role_deck) = (room.as_ref())
            .map(|room| (room.setup().statements.title.clone(), room.setup().roles.title.clone()))
            .unwrap_or_else(|| (Text::new("", ""), Text::new("", "")));
        let statement_source = room.as_ref().and_then(|room| room.setup().statements.source.clone());
        let role_source = room.as_ref().and_then(|room| room.setup().roles.source.clone());
        let rows: Vec<AnswerRow> = answers(log, names, lang).into_iter().filter(|row| row.revealed).collect();
        let participants = rows.iter().map(|row| row.seat).collect::<BTreeSet<_>>().len();

        let mut by_turn: BTreeMap<u32, BTreeMap<u8, Vec<&AnswerRow>>> = BTreeMap::new();
        for row in &rows {
            by_turn.entry(row.turn).or_default().entry(row.vote).or_default().push(row);
        }
        let mut statements = Vec::new();
        let mut shifts = Vec::new();
        let mut first_votes: Vec<FirstVote<'_>> = Vec::new();
        for votes in by_turn.values() {
            let (Some(first), Some(last)) = (votes.values().next(), votes.values().next_back()) else { continue };
            statements.push(statement_review(first));
            first_votes.push((first[0].turn, &first[0].statement_text, first.clone()));
            if votes.len() > 1 {
                shifts.push(shift_review(first, last));
            }
        }
        let (common, opinion_groups) = (common_stances(&first_votes), opinion_groups(&first_votes));
        statements.sort_by(|a, b| rank(a.consensus).total_cmp(&rank(b.consensus)).then(a.turn.cmp(&b.turn)));

        let matrix = role_matrix(&statements);
        let mut terms = term_reviews(&statements, &rows);
        apply_term_notes(&mut terms, log);
        let term_labels = (terms.iter().map(|term| term.term.as_str()))
            .chain(statements.iter().flat_map(|statement| statement.terms.iter().map(String::as_str)))
            .map(|term| (term.to_owned(), term_label(term)))
            .collect();
        Review {
            code,
            statement_deck,
            role_deck,
            statement_source,
            role_source,
            term_labels,
            created,
            participants,
            statements,
            terms,
            matrix,
            shifts,
            steps: super::step_reviews(log),
            common,
            opinion_groups,
            marks: marks(log, room.as_ref()),
        }
    }
}

/// The trainer's grouping of each term's definitions and the agreed definition, the latest of
/// each as the log has them.
fn apply_term_notes(terms: &mut [TermReview], log: &[LoggedEvent]) {
    let mut grouped: BTreeMap<&str, &Vec<Vec<DefinitionKey>>> = BTreeMap::new();
    let mut agreed: BTreeMap<&str, &Option<String>> = BTreeMap::new();
    for logged in log {
        match &logged.event {
            Event::DefinitionsGrouped { term, groups } => {
                grouped.insert(term, groups);
            }
            Event::DefinitionAgreed { term, definition } => {
                agreed.insert(term, definition);
            }
            _ => {}
        }
    }
    for term in terms {
        if let Some(groups) = grouped.get(term.term.as_str()) {
            term.lens = term.lens.clone().regrouped(groups);
        }
        term.agreed = agreed.get(term.term.as_str()).and_then(|definition| (*definition).clone());
    }
}

fn marks(log: &[LoggedEvent], room: Option<&Room>) -> Vec<MarkReview> {
    log.iter()
        .filter_map(|logged| match &logged.event {
            Event::Marked { mark: Mark { step, statement, note } } => Some(MarkReview {
                at: logged.at,
                step: *step,
                turn: statement.as_ref().map(|marked| marked.turn),
                statement: statement
                    .as_ref()
                    .and_then(|marked| Some(room?.setup().statements.card(&marked.card)?.text.clone())),
                revealed: statement.as_ref().is_some_and(|marked| marked.revealed),
                note: note.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// Sorts statements without a consensus (all passed) last.
fn rank(consensus: Option<f64>) -> f64 {
    consensus.unwrap_or(f64::INFINITY)
}

fn statement_review(vote: &[&AnswerRow]) -> StatementReview {
    let first = Distribution::of(vote.iter().map(|row| row.position));
    // Roles are told apart by their Dutch name, which every card has.
    let mut by_role: BTreeMap<&str, (&Text, Vec<Position>)> = BTreeMap::new();
    for row in vote {
        by_role.entry(row.role.nl.as_str()).or_insert((&row.role, Vec::new())).1.push(row.position);
    }
    let roles: Vec<(&Text, Distribution)> = by_role
        .into_values()
        .map(|(role, positions)| (role, Distribution::of(positions)))
        .filter(|(_, distribution)| distribution.n() > 0)
        .collect();
    let mut farthest: Option<(Text, Text, f64)> = None;
    for (i, (role_a, a)) in roles.iter().enumerate() {
        for (role_b, b) in &roles[i + 1..] {
            if let Some(distance) = a.distance(b)
                && farthest.as_ref().is_none_or(|(_, _, best)| distance > *best)
            {
                farthest = Some(((*role_a).clone(), (*role_b).clone(), distance));
            }
        }
    }
    let mut given: Vec<&AnswerRow> = vote.to_vec();
    given.sort_by(|a, b| (group_order(&a.group), &a.role.nl).cmp(&(group_order(&b.group), &b.role.nl)));
    let row = vote[0];
    StatementReview {
        turn: row.turn,
        statement: row.statement.clone(),
        text: row.statement_text.clone(),
        terms: row.terms.clone(),
        first,
        consensus: first.consensus(),
        polarization: first.polarization(),
        split: first.split(),
        common_ground: common_ground(roles.iter().map(|(_, distribution)| distribution)),
        farthest_roles: farthest,
        camps: camps(vote),
        answers: given
            .into_iter()
            .map(|row| GivenAnswer {
                position: row.position,
                role: row.role.clone(),
                group: row.group.clone(),
                participant: (!row.anonymous).then(|| row.participant.clone()),
                argument: row.argument.clone(),
            })
            .collect(),
    }
}

fn shift_review(first: &[&AnswerRow], last: &[&AnswerRow]) -> ShiftReview {
    let before: BTreeMap<_, _> = first.iter().map(|row| (row.seat, row.position)).collect();
    let anonymous_before: BTreeSet<SeatId> = first.iter().filter(|row| row.anonymous).map(|row| row.seat).collect();
    let pairs: Vec<(Position, Position)> =
        last.iter().filter_map(|row| before.get(&row.seat).map(|position| (*position, row.position))).collect();
    let (first_distribution, last_distribution) =
        (Distribution::of(first.iter().map(|row| row.position)), Distribution::of(last.iter().map(|row| row.position)));
    let median = first_distribution.median().map(i32::from);
    let moves = last
        .iter()
        .filter_map(|row| {
            let before = *before.get(&row.seat)?;
            (before != row.position).then(|| Moved {
                participant: (!row.anonymous && !anonymous_before.contains(&row.seat)).then(|| row.participant.clone()),
                role: row.role.clone(),
                from: before,
                to: row.position,
                toward_middle: match (before, row.position, median) {
                    (Position::Scale(from), Position::Scale(to), Some(median)) => {
                        let (from, to) = ((i32::from(from) - median).abs(), (i32::from(to) - median).abs());
                        (from != to).then_some(to < from)
                    }
                    _ => None,
                },
            })
        })
        .collect();
    ShiftReview {
        statement: first[0].statement.clone(),
        text: first[0].statement_text.clone(),
        first: first_distribution,
        last: last_distribution,
        shift: Shift::between(&first_distribution, &last_distribution, &pairs),
        moves,
    }
}

/// One row per role, the roles of one group together.
fn role_matrix(statements: &[StatementReview]) -> Vec<RoleRow> {
    let roles: BTreeMap<((usize, &str), &str), &GivenAnswer> = statements
        .iter()
        .flat_map(|statement| statement.answers.iter())
        .map(|answer| ((group_order(&answer.group), answer.role.nl.as_str()), answer))
        .collect();
    roles
        .into_values()
        .map(|first| RoleRow {
            role: first.role.clone(),
            group: first.group.clone(),
            cells: statements
                .iter()
                .map(|statement| {
                    let positions = statement
                        .answers
                        .iter()
                        .filter(|answer| answer.role.nl == first.role.nl)
                        .map(|answer| answer.position);
                    let distribution = Distribution::of(positions);
                    distribution.mean().map(|mean| (mean, distribution.n()))
                })
                .collect(),
        })
        .collect()
}

fn term_reviews(statements: &[StatementReview], rows: &[AnswerRow]) -> Vec<TermReview> {
    let terms: BTreeSet<&str> = (statements.iter().flat_map(|statement| statement.terms.iter().map(String::as_str)))
        .chain(rows.iter().filter(|row| row.definition.is_some()).filter_map(|row| row.defines.as_deref()))
        .collect();
    let mut reviews: Vec<TermReview> = terms
        .into_iter()
        .map(|term| {
            let carrying: Vec<&StatementReview> =
                statements.iter().filter(|statement| statement.terms.iter().any(|t| t == term)).collect();
            let consensus: Vec<f64> = carrying.iter().filter_map(|statement| statement.consensus).collect();
            let mean_consensus =
                (!consensus.is_empty()).then(|| consensus.iter().sum::<f64>() / consensus.len() as f64);
            // Each person's latest definition per statement, of the statements that ask what this
            // term means: an "eigen regie" definition says nothing about "regie".
            let mut latest: BTreeMap<(&CardId, &str), &AnswerRow> = BTreeMap::new();
            for row in rows.iter().filter(|row| row.definition.is_some() && row.defines.as_deref() == Some(term)) {
                latest.insert((&row.statement, row.participant.as_str()), row);
            }
            let definitions = latest
                .values()
                .map(|row| Definition {
                    key: Some(DefinitionKey { seat: row.seat, statement: row.statement.clone() }),
                    text: row.definition.clone().unwrap_or_default(),
                    role: row.role.clone(),
                    participant: row.participant.clone(),
                })
                .collect();
            let lens = term_lens(term, definitions);
            let parts: Vec<f64> = [mean_consensus.map(|c| 1.0 - c), lens.spread].into_iter().flatten().collect();
            let disagreement = (!parts.is_empty()).then(|| parts.iter().sum::<f64>() / parts.len() as f64);
            TermReview {
                term: term.to_owned(),
                statements: carrying.len(),
                mean_consensus,
                lens,
                disagreement,
                agreed: None,
            }
        })
        .collect();
    reviews.sort_by(|a, b| b.disagreement.unwrap_or(-1.0).total_cmp(&a.disagreement.unwrap_or(-1.0)));
    reviews
}

impl Review {
    /// A term as the reader of the review reads it, in `lang`.
    pub fn term_name(&self, term: &str, lang: Lang) -> String {
        self.term_labels.get(term).map_or(term, |label| label.get(lang)).to_owned()
    }
}

/// One session's figure for a term, in a series of sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// The session's room code.
    pub session: String,
    pub created: u64,
    pub consensus: Option<f64>,
    /// Statements with that term in that session.
    pub statements: usize,
    /// What the group agreed the term means in that session's review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<String>,
}

/// Per term, how consensus went from session to session (oldest first).
pub fn series(reviews: &[Review]) -> BTreeMap<String, Vec<SeriesPoint>> {
    let mut sessions: Vec<&Review> = reviews.iter().collect();
    sessions.sort_by_key(|review| review.created);
    let mut by_term: BTreeMap<String, Vec<SeriesPoint>> = BTreeMap::new();
    for review in sessions {
        for term in &review.terms {
            by_term.entry(term.term.clone()).or_default().push(SeriesPoint {
                session: review.code.clone(),
                created: review.created,
                consensus: term.mean_consensus,
                statements: term.statements,
                agreed: term.agreed.clone(),
            });
        }
    }
    by_term
}
