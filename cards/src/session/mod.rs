//! What stays for a whole learning meeting while its work forms come and go (DESIGN.md,
//! "Werkvormen"): for now the agenda a meeting follows, read from a draaiboek.

pub mod agenda;
