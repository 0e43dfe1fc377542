//! What one commit tells each connection.
//!
//! The updates are worked out event by event (a projection needs the room as it was right
//! after its event), and each is serialised once. Everyone shares one frame; a seat that learned
//! something private gets a frame of its own, and so do trainers when their pile changed. The
//! frames are put together from the same serialised updates, so a reveal that eight seats see
//! in eight different frames is still serialised once.

use std::collections::BTreeMap;
use std::sync::Arc;

use cards::protocol::{encode_update, update_message};
use cards::view::Audience;
use cards::{Event, Identity, Room, SeatId, TrainerId, Update};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// Who gets which frame of a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Frame {
    Shared,
    Trainer,
    Seat(SeatId),
}

impl Frame {
    /// The frame of `frames` meant for `identity`: its own if it has one, else the shared one.
    pub fn for_identity<T>(identity: Identity, frames: &BTreeMap<Frame, T>) -> Frame {
        match identity {
            Identity::Player { seat } if frames.contains_key(&Frame::Seat(seat)) => Frame::Seat(seat),
            Identity::Trainer { .. } if frames.contains_key(&Frame::Trainer) => Frame::Trainer,
            _ => Frame::Shared,
        }
    }
}

/// The updates of the events applied so far, per frame. A seat's or the trainers' own list
/// starts as a copy of everyone's, the moment it first differs.
#[derive(Default)]
pub struct Staged {
    everyone: Vec<Piece>,
    trainer: Option<Vec<Piece>>,
    seats: BTreeMap<SeatId, Vec<Piece>>,
    /// Some event so far is not a trainer's own note.
    not_notes: bool,
}

impl Staged {
    /// Adds what `event`, just applied to `room`, tells each frame.
    pub fn add(&mut self, room: &Room, event: &Event) {
        self.not_notes |= !event.is_trainer_note();
        let public = pieces(room.public_updates(event));
        // The seats this event tells something of their own: the one it is private to, and in a
        // work form's step every player (their own part may change by another's move).
        let own: Vec<SeatId> = room
            .seats()
            .map(|(seat, _)| seat)
            .filter(|seat| room.audience(Identity::Player { seat: *seat }, event) == Audience::Seat(*seat))
            .collect();
        for seat in &own {
            let list = self.seats.entry(*seat).or_insert_with(|| self.everyone.clone());
            list.extend(public.iter().cloned());
            list.extend(pieces(room.audience_updates(event, Audience::Seat(*seat))));
        }
        for (seat, list) in &mut self.seats {
            if !own.contains(seat) {
                list.extend(public.iter().cloned());
            }
        }
        let for_trainer = room.audience(Identity::Trainer { trainer: TrainerId(0) }, event) == Audience::Trainer;
        if for_trainer {
            let list = self.trainer.get_or_insert_with(|| self.everyone.clone());
            list.extend(public.iter().cloned());
            list.extend(pieces(room.audience_updates(event, Audience::Trainer)));
        } else if let Some(list) = &mut self.trainer {
            list.extend(public.iter().cloned());
        }
        self.everyone.extend(public);
    }

    /// Whether everything staged is a trainer's note (a marked moment): then only trainers
    /// get a frame, so no screen can tell from its traffic that a moment was marked.
    pub fn only_notes(&self) -> bool {
        !self.not_notes
    }

    /// The `update` message of each frame, bringing a view to event `seq`.
    pub fn into_frames(self, seq: u64) -> BTreeMap<Frame, Utf8Bytes> {
        let trainer = self.trainer.map(|list| (Frame::Trainer, list));
        let seats = self.seats.into_iter().map(|(seat, list)| (Frame::Seat(seat), list));
        [(Frame::Shared, self.everyone)]
            .into_iter()
            .chain(trainer)
            .chain(seats)
            .map(|(frame, list)| (frame, Utf8Bytes::from(update_message(seq, latest_lists(&list)))))
            .collect()
    }
}

/// One update, serialised.
#[derive(Clone)]
struct Piece {
    json: Arc<str>,
    /// A hand or pile update replaces the whole list it carries.
    replaces: Option<List>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Pile,
    Hand,
}

fn pieces(updates: Vec<Update>) -> Vec<Piece> {
    updates
        .iter()
        .map(|update| Piece {
            json: encode_update(update).into(),
            replaces: match update {
                Update::Pile { .. } => Some(List::Pile),
                Update::Hand { .. } => Some(List::Hand),
                _ => None,
            },
        })
        .collect()
}

/// Within one frame only the last hand and the last pile matter: dealing forty seats from the
/// pile sends the trainer one pile, not forty.
fn latest_lists(list: &[Piece]) -> impl Iterator<Item = &str> {
    let last = |kind| list.iter().rposition(|piece| piece.replaces == Some(kind));
    let (last_pile, last_hand) = (last(List::Pile), last(List::Hand));
    list.iter()
        .enumerate()
        .filter(move |(i, piece)| match piece.replaces {
            Some(List::Pile) => Some(*i) == last_pile,
            Some(List::Hand) => Some(*i) == last_hand,
            None => true,
        })
        .map(|(_, piece)| &*piece.json)
}
