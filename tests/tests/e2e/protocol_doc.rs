//! PROTOCOL.md stays true: every example parses as the message it shows, and every message
//! type, update kind and error code appears in it.

use cards::Rejection;
use cards::protocol::{ClientMsg, Request, ServerMsg};
use cards::view::Update;
use serde_json::Value;

fn document() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../PROTOCOL.md");
    std::fs::read_to_string(path).expect("PROTOCOL.md exists")
}

fn json_examples(markdown: &str) -> Vec<String> {
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim()) {
            (None, "```json") => current = Some(String::new()),
            (Some(_), "```") => examples.extend(current.take()),
            (Some(example), _) => {
                example.push_str(line);
                example.push('\n');
            }
            (None, _) => {}
        }
    }
    examples
}

#[test]
fn every_example_in_the_protocol_document_parses() {
    let examples = json_examples(&document());
    assert!(examples.len() >= 20, "the document shows its messages");
    for example in &examples {
        let value: Value =
            serde_json::from_str(example).unwrap_or_else(|error| panic!("not JSON ({error}):\n{example}"));
        match value.get("type").and_then(Value::as_str) {
            Some(kind) if ClientMsg::TYPES.contains(&kind) => {
                Request::decode(example).unwrap_or_else(|error| panic!("not a client message ({error:?}):\n{example}"));
            }
            Some(_) => {
                serde_json::from_value::<ServerMsg>(value)
                    .unwrap_or_else(|error| panic!("not a server message ({error}):\n{example}"));
            }
            None => {} // An HTTP body.
        }
    }
}

#[test]
fn every_message_type_update_kind_and_error_code_is_documented() {
    let document = document();
    let examples = json_examples(&document).concat();
    for kind in ClientMsg::TYPES.iter().chain(ServerMsg::TYPES) {
        assert!(examples.contains(&format!("\"type\": \"{kind}\"")), "no example of the message {kind}");
    }
    for kind in Update::KINDS {
        assert!(examples.contains(&format!("\"kind\": \"{kind}\"")), "no example of the update {kind}");
    }
    let rejections = [
        Rejection::BadJson,
        Rejection::UnknownType,
        Rejection::BadMessage(String::new()),
        Rejection::UnsupportedProtocol,
        Rejection::UnknownRoom,
        Rejection::BadToken,
        Rejection::NotJoined,
        Rejection::AlreadyJoined,
        Rejection::NotTrainer,
        Rejection::NotAPlayer,
        Rejection::NotYourTurn,
        Rejection::WrongPhase,
        Rejection::NotInHand,
        Rejection::NameEmpty,
        Rejection::NameTooLong,
        Rejection::NameTaken,
        Rejection::TextTooLong { field: "argument", max: 500 },
        Rejection::RoomFull,
        Rejection::RoomEnded,
        Rejection::TooFewPlayers { min: 2 },
        Rejection::NoTermToDefine,
        Rejection::StoreUnavailable,
        Rejection::RoomLocked,
        Rejection::NoTimer,
        Rejection::UnknownSeat,
        Rejection::UnknownTrainer,
        Rejection::LastTrainer,
        Rejection::BadSettings,
        Rejection::UnknownDeck,
        Rejection::QuestionsNotPlayed,
        Rejection::TooManyAttempts,
        Rejection::ServerFull,
        Rejection::TooManyVotes { max: 20 },
        Rejection::NameInvisible,
        Rejection::NameReserved,
        Rejection::NoStatements,
        Rejection::UnknownRole,
        Rejection::BadAgenda(cards::Text::new("", "")),
        Rejection::NotThisStep,
        Rejection::LastStep,
        Rejection::RoundOpen,
        Rejection::StepStarted,
        Rejection::ScoreOutOfRange,
        Rejection::UnknownQuestion,
        Rejection::NotAsked,
        Rejection::TooManyProposals { max: 3 },
        Rejection::UnknownProposal,
        Rejection::ProposalsFull { max: 100 },
        Rejection::TooManyDots { max: 3, per_proposal: 2 },
        Rejection::UnknownCase,
        Rejection::CasesNotPlayed,
        Rejection::NotASpeaker,
        Rejection::NotAListener,
        Rejection::TooManyObservations { max: 60 },
        Rejection::UnknownObservation,
    ];
    for rejection in rejections {
        assert!(
            document.contains(&format!("| `{}` |", rejection.code())),
            "error code {} is not in the table",
            rejection.code()
        );
    }
}
