//! A room's log read back: the answers people gave, each with its statement, vote, author,
//! role and time. Exports and the review are built on this.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::deck::CardId;
use crate::event::{Event, Position, SeatId};
use crate::room::{Phase, Room};
use crate::text::{Lang, Text};

/// One event as it stands in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedEvent {
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at: u64,
    pub event: Event,
}

/// One answer as given in one vote on one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub turn: u32,
    pub vote: u8,
    pub statement: CardId,
    pub statement_text: Text,
    pub terms: Vec<String>,
    /// The term a definition given to this statement is about: the card's `define`, or, for a
    /// card from a log written before `define` existed, its first term (the one the answer form
    /// asked about then). Definitions count under this term only.
    pub defines: Option<String>,
    pub seat: SeatId,
    /// The name, or "Deelnemer n" ("Participant n") when pseudonymised.
    pub participant: String,
    /// The role the player held when the vote closed; empty without one.
    pub role: Text,
    /// That role's group (`gezin`, `professional`, …), empty without a role.
    pub group: String,
    /// Whether the room showed this vote's answers without names.
    pub anonymous: bool,
    pub position: Position,
    pub argument: Option<String>,
    pub definition: Option<String>,
    pub at: u64,
    /// `false` when the trainer skipped the statement before the reveal.
    pub revealed: bool,
}

/// Whether exports show names or "Deelnemer 1..n" (by seat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Real,
    Pseudonyms,
}

/// "Deelnemer 3" or "Participant 3": seat 2, counted from 1 as people count.
pub fn pseudonym(seat: SeatId, lang: Lang) -> String {
    let word = match lang {
        Lang::Nl => "Deelnemer",
        Lang::En => "Participant",
    };
    format!("{word} {}", u32::from(seat.0) + 1)
}

/// Every answer of every closed vote (revealed or skipped), in the order the votes closed;
/// pseudonyms in `lang`.
pub fn answers(log: &[LoggedEvent], names: Names, lang: Lang) -> Vec<AnswerRow> {
    let Some(mut room) = log.first().and_then(|first| Room::replay([&first.event])) else {
        return Vec::new();
    };
    let mut answered_at: BTreeMap<SeatId, u64> = BTreeMap::new();
    let mut rows = Vec::new();
    for logged in &log[1..] {
        match &logged.event {
            Event::Answered { seat, .. } => {
                answered_at.insert(*seat, logged.at);
            }
            Event::Skipped => rows.extend(closed_vote(&room, &answered_at, (names, lang), false)),
            _ => {}
        }
        room.apply(&logged.event);
        match &logged.event {
            Event::Revealed { .. } => rows.extend(closed_vote(&room, &answered_at, (names, lang), true)),
            Event::TurnStarted { .. } | Event::RevoteOpened => answered_at.clear(),
            _ => {}
        }
    }
    rows
}

fn closed_vote(
    room: &Room,
    answered_at: &BTreeMap<SeatId, u64>,
    (names, lang): (Names, Lang),
    revealed: bool,
) -> Vec<AnswerRow> {
    let Phase::Turn(turn) = room.phase() else { return Vec::new() };
    let Some(card) = turn.statement.as_ref().and_then(|id| room.setup().statements.card(id)) else {
        return Vec::new();
    };
    turn.answers
        .iter()
        .map(|(seat, answer)| {
            let state = room.seat(*seat);
            let role = state.and_then(|state| state.role.as_ref()).and_then(|role| room.setup().roles.card(role));
            let participant = match names {
                Names::Real => state.map(|state| state.name.clone()).unwrap_or_default(),
                Names::Pseudonyms => pseudonym(*seat, lang),
            };
            AnswerRow {
                turn: turn.number,
                vote: turn.vote,
                statement: card.id.clone(),
                statement_text: card.text.clone(),
                terms: card.terms.clone(),
                defines: card.define.clone().or_else(|| card.terms.first().cloned()),
                seat: *seat,
                participant,
                role: role.map_or_else(|| Text::new("", ""), |role| role.name.clone()),
                group: role.map(|role| role.group.clone()).unwrap_or_default(),
                anonymous: room.settings().anonymous,
                position: answer.position,
                argument: answer.argument.clone(),
                definition: answer.definition.clone(),
                at: answered_at.get(seat).copied().unwrap_or_default(),
                revealed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Review;
    use crate::event::{EndReason, LeaveReason, Position};
    use crate::room::{Phase, Room};
    use crate::{Lang, Presence};

    /// A session played on 2026-12-01 by the code of that day, before work forms existed, as
    /// `GET /api/rooms/CODE/log` gave it: a co-trainer, four players, a lock, a phone that
    /// slept and came back, a statement answered and re-voted, one where a player passed and
    /// the trainer revealed before everyone answered, a participant removed with their name
    /// refused, and the trainer ending the session. Whatever the room becomes, this log must
    /// keep replaying to the same session.
    const BEFORE_WERKVORMEN: &str = include_str!("../fixtures/statements-session-2026-12-01.json");

    #[test]
    fn a_log_written_before_work_forms_replays_to_the_same_session() {
        let log: Vec<LoggedEvent> = serde_json::from_str(BEFORE_WERKVORMEN).expect("the log reads");
        let room = Room::replay(log.iter().map(|logged| &logged.event)).expect("it starts with created");
        assert_eq!(room.phase(), &Phase::Ended(EndReason::Trainer));
        assert_eq!(room.trainers().count(), 2);
        assert!(room.is_locked());
        let seats: Vec<(&str, Presence)> = room.seats().map(|(_, seat)| (seat.name.as_str(), seat.presence)).collect();
        assert_eq!(seats.len(), 4);
        assert_eq!(seats[..3].iter().map(|(name, _)| *name).collect::<Vec<_>>(), ["Anna", "Bram", "Chris"]);
        assert_eq!(seats[3], ("Dirk", Presence::Left { reason: LeaveReason::Kicked }));
        assert!(room.seats().all(|(_, seat)| seat.role.is_some()), "everyone was dealt a role");

        let review = Review::of(&log, Names::Real, Lang::Nl);
        assert_eq!(review.statements.len(), 2, "two statements were revealed");
        assert_eq!(review.statements[0].first.counts, [1, 1, 0, 1, 1]);
        assert_eq!(review.shifts.len(), 1, "the first statement was voted on twice");
        assert_eq!(review.shifts[0].shift.n, 4);
        let second = &review.statements[1].first;
        assert_eq!((second.counts.iter().sum::<u32>(), second.passes), (2, 1), "two positions and a pass");
        let rows = answers(&log, Names::Real, Lang::Nl);
        assert_eq!(rows.len(), 4 + 4 + 3);
        assert!(rows.iter().any(|row| row.participant == "Bram" && row.position == Position::Pass));
    }
}
