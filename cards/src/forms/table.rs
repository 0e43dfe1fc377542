//! De keukentafeluitdaging: a case card is put on the table, and every participant lays out the
//! role deck in private — each role *aan tafel*, *op afroep* or *niet nodig* — says who holds
//! the regie, and may give a reason for any placement. The reveal shows the group's table, the
//! roles it is split about, the table sizes against the advice, the regie and where family and
//! network place differently from professionals. Laying the same case again after the talk is
//! a second round: both are kept, and the second shows who moved which role.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::deck::{CardId, CaseCard, RoleDeck};
use crate::event::{RevealCause, SeatId};
use crate::forms::Who;
use crate::limits::MAX_ARGUMENT_CHARS;
use crate::rejection::Rejection;
use crate::room::clean_text;

/// How a keukentafel step is played. Every field has a default, so a draaiboek names only what
/// it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TableSettings {
    /// "Hooguit 6 stoelen": above it a player sees a gentle warning, never a refusal. 0: no advice.
    pub advised_seats: u8,
    /// Ask who holds the regie.
    pub regie: bool,
    /// Show the lay-outs without who made them.
    pub anonymous: bool,
}

impl Default for TableSettings {
    fn default() -> TableSettings {
        TableSettings { advised_seats: 6, regie: true, anonymous: false }
    }
}

impl TableSettings {
    pub const MAX_ADVISED_SEATS: u8 = 30;

    /// What is out of range, if anything.
    pub fn problem(&self) -> Option<crate::text::Text> {
        (self.advised_seats > TableSettings::MAX_ADVISED_SEATS).then(|| {
            let max = TableSettings::MAX_ADVISED_SEATS;
            crate::text::Text::new(
                format!("advised_seats is {}, kies 0 tot {max}", self.advised_seats),
                format!("advised_seats is {}, choose 0 to {max}", self.advised_seats),
            )
        })
    }
}

/// Where a participant puts a role for the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Aan tafel: contributes to the plan.
    Table,
    /// Op afroep: involved, not at the table.
    OnCall,
    /// Niet nodig.
    NotNeeded,
}

impl Place {
    pub const ALL: [Place; 3] = [Place::Table, Place::OnCall, Place::NotNeeded];

    /// The place one tap on a phone moves a role to: niet nodig → aan tafel → op afroep → niet nodig.
    pub fn next(self) -> Place {
        match self {
            Place::NotNeeded => Place::Table,
            Place::Table => Place::OnCall,
            Place::OnCall => Place::NotNeeded,
        }
    }
}

/// Who holds the regie, in a participant's eyes: the family, or one of the roles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regie {
    Family,
    Role(CardId),
}

/// One participant's lay-out of the role deck for the case. A role it does not name is niet
/// nodig.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    pub places: BTreeMap<CardId, Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regie: Option<Regie>,
    /// Why, for any role the participant wants to explain.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reasons: BTreeMap<CardId, String>,
}

impl Layout {
    pub fn place(&self, role: &CardId) -> Place {
        self.places.get(role).copied().unwrap_or(Place::NotNeeded)
    }

    /// How many roles are at the table.
    pub fn seats(&self) -> usize {
        self.places.values().filter(|place| **place == Place::Table).count()
    }
}

/// What a keukentafel step is asked to do. On the wire inside a `table` message, tagged by `do`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum TableCommand {
    /// Trainer: put one of the step's cases on the table (again, for a second round).
    Lay { case: CardId },
    /// Player: lay out the roles for the case on the table; the last lay-out before the reveal
    /// counts.
    Place(Layout),
    /// Trainer: show the lay-outs now.
    Reveal,
}

/// What happened in a keukentafel step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum TableEvent {
    Laid { case: CardId },
    Placed { seat: SeatId, layout: Layout },
    Revealed { cause: RevealCause },
}

/// One round on a case, and the lay-outs made in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRound {
    pub case: CardId,
    pub layouts: BTreeMap<SeatId, Layout>,
    pub revealed: Option<RevealCause>,
}

/// A keukentafel step: its cases, how it is played, and every round so far. Pure: the session
/// says who is here, which roles the session's role deck has, stores the events and sends the
/// views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitchenTable {
    pub settings: TableSettings,
    pub cases: Vec<CaseCard>,
    pub rounds: Vec<TableRound>,
}

impl KitchenTable {
    pub fn new(settings: TableSettings, cases: Vec<CaseCard>) -> KitchenTable {
        KitchenTable { settings, cases, rounds: Vec::new() }
    }

    /// The round being laid out, if one is.
    pub fn open(&self) -> Option<&TableRound> {
        self.rounds.last().filter(|round| round.revealed.is_none())
    }

    /// Decides what `command` from `who` means, with `here` the seats present to lay out and
    /// `roles` the session's role deck. Never changes the step.
    pub fn handle(
        &self,
        who: Who,
        command: TableCommand,
        here: &[SeatId],
        roles: &RoleDeck,
    ) -> Result<Vec<TableEvent>, Rejection> {
        match (who, command) {
            (Who::Trainer, TableCommand::Lay { case }) => {
                if self.open().is_some() {
                    return Err(Rejection::WrongPhase);
                }
                if !self.cases.iter().any(|card| card.id == case) {
                    return Err(Rejection::UnknownCase);
                }
                Ok(vec![TableEvent::Laid { case }])
            }
            (Who::Trainer, TableCommand::Reveal) => {
                self.open().ok_or(Rejection::WrongPhase)?;
                Ok(vec![TableEvent::Revealed { cause: RevealCause::Trainer }])
            }
            (Who::Player(seat), TableCommand::Place(layout)) => {
                let round = self.open().ok_or(Rejection::WrongPhase)?;
                let layout = self.checked(layout, roles)?;
                let mut events = vec![TableEvent::Placed { seat, layout }];
                let everyone = here.iter().all(|present| *present == seat || round.layouts.contains_key(present));
                if everyone {
                    events.push(TableEvent::Revealed { cause: RevealCause::AllAnswered });
                }
                Ok(events)
            }
            (Who::Player(_), TableCommand::Lay { .. } | TableCommand::Reveal) => Err(Rejection::NotTrainer),
            (Who::Trainer, TableCommand::Place(_)) => Err(Rejection::NotAPlayer),
        }
    }

    /// The reveal once nobody the open round waits for is missing: the session asks after a
    /// seat goes or a grace period ends, so an absent participant never blocks.
    pub fn reveal_without(&self, here: &[SeatId]) -> Option<TableEvent> {
        let round = self.open()?;
        let everyone = !round.layouts.is_empty() && here.iter().all(|seat| round.layouts.contains_key(seat));
        everyone.then_some(TableEvent::Revealed { cause: RevealCause::AllAnswered })
    }

    /// A lay-out as it is kept: only roles of the deck, niet nodig left out, reasons cleaned and
    /// only for roles of the deck, the regie with a role of the deck or the family.
    fn checked(&self, layout: Layout, roles: &RoleDeck) -> Result<Layout, Rejection> {
        let known = |role: &CardId| roles.card(role).is_some();
        if !layout.places.keys().chain(layout.reasons.keys()).all(known) {
            return Err(Rejection::UnknownRole);
        }
        let regie = match layout.regie {
            Some(_) if !self.settings.regie => return Err(Rejection::NotAsked),
            Some(Regie::Role(role)) if !known(&role) => return Err(Rejection::UnknownRole),
            regie => regie,
        };
        let mut reasons = BTreeMap::new();
        for (role, reason) in layout.reasons {
            let reason = clean_text(&reason);
            if reason.chars().count() > MAX_ARGUMENT_CHARS {
                return Err(Rejection::TextTooLong { field: "reason", max: MAX_ARGUMENT_CHARS });
            }
            if !reason.is_empty() {
                reasons.insert(role, reason);
            }
        }
        let places = layout.places.into_iter().filter(|(_, place)| *place != Place::NotNeeded).collect();
        Ok(Layout { places, regie, reasons })
    }

    /// Folds one event into the step.
    pub fn apply(&mut self, event: &TableEvent) {
        match event {
            TableEvent::Laid { case } => {
                self.rounds.push(TableRound { case: case.clone(), layouts: BTreeMap::new(), revealed: None });
            }
            TableEvent::Placed { seat, layout } => {
                if let Some(round) = self.rounds.last_mut() {
                    round.layouts.insert(*seat, layout.clone());
                }
            }
            TableEvent::Revealed { cause } => {
                if let Some(round) = self.rounds.last_mut() {
                    round.revealed = Some(*cause);
                }
            }
        }
    }

    /// What `seat` (or a trainer or the projector, `None`) may see of the latest round: the
    /// case, who has laid out, your own lay-out, and everyone's only once revealed.
    pub fn view(&self, seat: Option<SeatId>) -> Option<TableRoundView> {
        let round = self.rounds.last()?;
        let case = self.cases.iter().find(|card| card.id == round.case)?.clone();
        let anonymous = self.settings.anonymous;
        Some(TableRoundView {
            case,
            round: self.rounds.iter().filter(|earlier| earlier.case == round.case).count(),
            answered: round.layouts.keys().copied().collect(),
            mine: seat.and_then(|seat| round.layouts.get(&seat)).cloned(),
            revealed: round.revealed.map(|_| {
                let mut layouts: Vec<(Option<SeatId>, Layout)> = round
                    .layouts
                    .iter()
                    .map(|(seat, layout)| ((!anonymous).then_some(*seat), layout.clone()))
                    .collect();
                // Sorted by what was laid out, an anonymous reveal tells nothing of join order.
                if anonymous {
                    layouts.sort_by(|(_, a), (_, b)| {
                        (&a.places, &a.regie, &a.reasons).cmp(&(&b.places, &b.regie, &b.reasons))
                    });
                }
                layouts
            }),
            moved: self.moves(&round.case, anonymous),
        })
    }

    /// Who moved which role between the last two revealed rounds of `case`; empty before a
    /// second round is revealed, or when the step hides names.
    pub fn moves(&self, case: &CardId, anonymous: bool) -> Vec<Move> {
        let revealed: Vec<&TableRound> =
            self.rounds.iter().filter(|round| &round.case == case && round.revealed.is_some()).collect();
        match revealed.as_slice() {
            [.., before, after] if !anonymous => Move::between(before, after),
            _ => Vec::new(),
        }
    }
}

/// One participant moving one role between two rounds on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub seat: SeatId,
    pub role: CardId,
    pub from: Place,
    pub to: Place,
}

impl Move {
    /// Every role each participant who laid out both times placed differently the second time.
    pub fn between(before: &TableRound, after: &TableRound) -> Vec<Move> {
        let mut moves = Vec::new();
        for (seat, later) in &after.layouts {
            let Some(earlier) = before.layouts.get(seat) else { continue };
            let mut roles: Vec<&CardId> = earlier.places.keys().chain(later.places.keys()).collect();
            roles.sort();
            roles.dedup();
            for role in roles {
                let (from, to) = (earlier.place(role), later.place(role));
                if from != to {
                    moves.push(Move { seat: *seat, role: role.clone(), from, to });
                }
            }
        }
        moves
    }
}

/// What one participant may see of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRoundView {
    pub case: CaseCard,
    /// 1 for the first round on this case, 2 for the one after the talk, …
    pub round: usize,
    pub answered: Vec<SeatId>,
    pub mine: Option<Layout>,
    /// After the reveal: every lay-out, with its seat unless the step is anonymous.
    pub revealed: Option<Vec<(Option<SeatId>, Layout)>>,
    /// After a second round's reveal: who moved which role (empty when anonymous).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved: Vec<Move>,
}

/// The role groups that are the family and its own network; the others are professionals,
/// the municipality and client representation.
pub const FAMILY_GROUPS: [&str; 2] = ["gezin", "netwerk"];

fn is_family_side(group: &str) -> bool {
    FAMILY_GROUPS.contains(&group)
}

/// The figures of a revealed round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableFigures {
    /// Lay-outs counted.
    pub n: u32,
    /// Per role of the deck, in deck order.
    pub roles: Vec<RoleFigures>,
    /// How many lay-outs seat 0, 1, 2, … roles.
    pub sizes: BTreeMap<usize, u32>,
    /// Lay-outs with more seats than advised (0 when there is no advice).
    pub above_advice: u32,
    /// Lay-outs without anyone of the family at the table.
    pub without_family: u32,
    /// Who holds the regie, how often, most named first.
    pub regie: Vec<(Regie, u32)>,
    /// The advised table size the sizes were held against (0: none).
    #[serde(default)]
    pub advised_seats: u8,
    /// How many professionals' roles the family side and the professionals seat on average.
    pub professionals_seated: SideFigures,
}

/// One role's places across the lay-outs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleFigures {
    pub role: CardId,
    pub group: String,
    pub table: u32,
    pub on_call: u32,
    pub not_needed: u32,
    /// The share of participants of the family side and of the others who seat this role, when
    /// both sides laid out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sides: Option<(f64, f64)>,
}

impl RoleFigures {
    /// Most of the group seats this role.
    pub fn seated(&self) -> bool {
        let n = self.table + self.on_call + self.not_needed;
        n > 0 && self.table * 2 > n
    }

    /// No place holds as much as 60 % of the group: the group is split about this role.
    pub fn split(&self) -> bool {
        let n = self.table + self.on_call + self.not_needed;
        let most = self.table.max(self.on_call).max(self.not_needed);
        n > 1 && most * 5 < n * 3
    }

    /// The family side and the others seat this role differently by half the group or more.
    pub fn sides_differ(&self) -> bool {
        self.sides.is_some_and(|(family, others)| (family - others).abs() >= 0.5)
    }
}

/// An average per side of the group: participants with a family or network role, and the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideFigures {
    pub family: Option<f64>,
    pub others: Option<f64>,
}

impl TableFigures {
    /// The figures of `layouts`, each with its participant's role group (`None`: no role).
    pub fn of<'a>(
        roles: &RoleDeck,
        layouts: impl IntoIterator<Item = (Option<&'a str>, &'a Layout)>,
        settings: &TableSettings,
    ) -> TableFigures {
        let layouts: Vec<(Option<&str>, &Layout)> = layouts.into_iter().collect();
        let family_side: Vec<&Layout> =
            layouts.iter().filter(|(group, _)| group.is_some_and(is_family_side)).map(|(_, layout)| *layout).collect();
        let others: Vec<&Layout> =
            layouts.iter().filter(|(group, _)| group.is_some_and(|g| !is_family_side(g))).map(|(_, l)| *l).collect();
        let share = |side: &[&Layout], role: &CardId| {
            side.iter().filter(|layout| layout.place(role) == Place::Table).count() as f64 / side.len() as f64
        };
        let figures = roles
            .cards
            .iter()
            .map(|role| {
                let count = |place| layouts.iter().filter(|(_, layout)| layout.place(&role.id) == place).count() as u32;
                let sides = (!family_side.is_empty() && !others.is_empty())
                    .then(|| (share(&family_side, &role.id), share(&others, &role.id)));
                RoleFigures {
                    role: role.id.clone(),
                    group: role.group.clone(),
                    table: count(Place::Table),
                    on_call: count(Place::OnCall),
                    not_needed: count(Place::NotNeeded),
                    sides,
                }
            })
            .collect();
        let mut sizes = BTreeMap::new();
        for (_, layout) in &layouts {
            *sizes.entry(layout.seats()).or_insert(0) += 1;
        }
        let advised = usize::from(settings.advised_seats);
        let above_advice = layouts.iter().filter(|(_, layout)| advised > 0 && layout.seats() > advised).count() as u32;
        let group_of = |role: &CardId| roles.card(role).map(|card| card.group.as_str());
        let seats_family = |layout: &Layout| {
            layout.places.iter().any(|(role, place)| *place == Place::Table && group_of(role) == Some("gezin"))
        };
        let without_family = layouts.iter().filter(|(_, layout)| !seats_family(layout)).count() as u32;
        let mut regie: BTreeMap<Regie, u32> = BTreeMap::new();
        for answer in layouts.iter().filter_map(|(_, layout)| layout.regie.clone()) {
            *regie.entry(answer).or_insert(0) += 1;
        }
        let mut regie: Vec<(Regie, u32)> = regie.into_iter().collect();
        regie.sort_by(|(a, m), (b, n)| n.cmp(m).then(a.cmp(b)));
        let professionals = |layout: &&Layout| {
            layout
                .places
                .iter()
                .filter(|(role, place)| **place == Place::Table && group_of(role) == Some("professional"))
                .count() as f64
        };
        let mean = |side: &[&Layout]| {
            (!side.is_empty()).then(|| side.iter().map(professionals).sum::<f64>() / side.len() as f64)
        };
        TableFigures {
            n: layouts.len() as u32,
            roles: figures,
            sizes,
            above_advice,
            without_family,
            regie,
            advised_seats: settings.advised_seats,
            professionals_seated: SideFigures { family: mean(&family_side), others: mean(&others) },
        }
    }
}

#[cfg(test)]
mod tests;
