//! The end-to-end tests: one binary, the real server, real clients.

mod abuse;
mod abuse_costs;
mod browser;
mod browser_keukentafel;
mod browser_monday;
mod browser_reconnect;
mod browser_spiegelgesprek;
mod browser_werkvormen;
mod client_files;
mod content;
mod debrief;
mod decks;
mod durability;
mod errors;
mod game;
mod guide;
mod hardening;
mod keukentafel;
mod lifecycle;
mod monday;
mod protocol_doc;
mod review;
mod round;
mod spiegelgesprek;
mod tidy;
mod werkvormen;
