//! What stays for a whole learning meeting while its work forms come and go (DESIGN.md,
//! "Werkvormen"): the agenda a meeting follows, read from a draaiboek (`agenda`) and as a
//! running session holds it (`plan`).

pub mod agenda;
pub mod plan;
