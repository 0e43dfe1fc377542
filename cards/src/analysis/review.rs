//! The trainer's review of a room: per statement, per term and per role, where the group does
//! not understand each other, and what moved after discussion.

use std::collections::{BTreeMap, BTreeSet};

use super::terms::{Definition, TermLens, term_lens};
use super::{Distribution, Shift, Split, common_ground};
use serde::{Deserialize, Serialize};

use crate::chart::group_order;
use crate::deck::CardId;
use crate::event::{Event, Position};
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
        for votes in by_turn.values() {
            let (Some(first), Some(last)) = (votes.values().next(), votes.values().next_back()) else { continue };
            statements.push(statement_review(first));
            if votes.len() > 1 {
                shifts.push(shift_review(first, last));
            }
        }
        statements.sort_by(|a, b| rank(a.consensus).total_cmp(&rank(b.consensus)).then(a.turn.cmp(&b.turn)));

        let matrix = role_matrix(&statements);
        let terms = term_reviews(&statements, &rows);
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
        }
    }
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
    let pairs: Vec<(Position, Position)> =
        last.iter().filter_map(|row| before.get(&row.seat).map(|position| (*position, row.position))).collect();
    let (first_distribution, last_distribution) =
        (Distribution::of(first.iter().map(|row| row.position)), Distribution::of(last.iter().map(|row| row.position)));
    ShiftReview {
        statement: first[0].statement.clone(),
        text: first[0].statement_text.clone(),
        first: first_distribution,
        last: last_distribution,
        shift: Shift::between(&first_distribution, &last_distribution, &pairs),
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
                    text: row.definition.clone().unwrap_or_default(),
                    role: row.role.clone(),
                    participant: row.participant.clone(),
                })
                .collect();
            let lens = term_lens(term, definitions);
            let parts: Vec<f64> = [mean_consensus.map(|c| 1.0 - c), lens.spread].into_iter().flatten().collect();
            let disagreement = (!parts.is_empty()).then(|| parts.iter().sum::<f64>() / parts.len() as f64);
            TermReview { term: term.to_owned(), statements: carrying.len(), mean_consensus, lens, disagreement }
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
            });
        }
    }
    by_term
}
