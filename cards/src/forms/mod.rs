//! The work forms a draaiboek's steps are made of (DESIGN.md, "Werkvormen"). Each form is a
//! module with one job; what a step of it is set up with lives here, beside its rules as they
//! arrive. The statement game's settings are `event::Settings`, the form that came first; its
//! rules are `statements.rs`.

pub mod actions;
pub mod mirror;
pub mod scale;
pub mod statements;
pub mod table;

use serde::{Deserialize, Serialize};

use crate::event::SeatId;

/// Who sends a form's command, as the session resolved them: observers never reach a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Trainer,
    Player(SeatId),
}

/// Which work form a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// Positions on statements, revealed at once (the game Standpunt began with).
    Statements,
    /// The schaalvraag: a number from 1 to 10 on a question card.
    Scale,
    /// Verbeteracties: proposals, grouped, ranked with dots, each given an owner.
    Actions,
    /// De keukentafeluitdaging: who belongs at the table of a case.
    Table,
    /// Het spiegelgesprek: speakers tell, listeners note what they hear, then the after-talk.
    Mirror,
}

impl FormKind {
    pub const ALL: [FormKind; 5] =
        [FormKind::Statements, FormKind::Scale, FormKind::Actions, FormKind::Table, FormKind::Mirror];

    /// The name a draaiboek file uses.
    pub fn name(self) -> &'static str {
        match self {
            FormKind::Statements => "statements",
            FormKind::Scale => "scale",
            FormKind::Actions => "actions",
            FormKind::Table => "table",
            FormKind::Mirror => "mirror",
        }
    }

    pub fn from_name(name: &str) -> Option<FormKind> {
        FormKind::ALL.into_iter().find(|form| form.name() == name)
    }
}
