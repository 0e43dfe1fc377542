//! The messages on the wire between the browser and the server: JSON text frames, tagged by
//! `type`. PROTOCOL.md documents each with an example, and a test parses every example.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::deck::CardId;
use crate::event::{Answer, Command, SeatId, Settings, TrainerId};
use crate::forms::actions::ActionCommand;
use crate::forms::mirror::MirrorCommand;
use crate::forms::scale::ScaleCommand;
use crate::forms::table::TableCommand;
use crate::rejection::Rejection;
use crate::session::agenda::Agenda;
use crate::session::plan::AgendaEdit;
use crate::text::Text;
use crate::view::{Update, View};

/// Bumped when a message changes shape; sent in `hello` and echoed in `welcome`.
pub const PROTOCOL_VERSION: u32 = 1;

/// What a client sends. Each message may carry a client-chosen `id` (see [`Request`]), echoed
/// in the `ack` or `error` that answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// The first message on every connection: who you are in this room. A client that
    /// reconnects says which event it saw last (`since`), to be sent only what it missed.
    Hello {
        protocol: u32,
        join: Join,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<u64>,
    },
    /// Trainer, in the lobby: change the settings and, optionally, the decks (by id).
    Configure {
        settings: Settings,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        statement_decks: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role_deck: Option<String>,
    },
    Start,
    Play {
        card: CardId,
    },
    Answer(Answer),
    Reveal,
    Revote,
    Next,
    Skip,
    PauseTimer,
    ResumeTimer,
    Kick {
        seat: SeatId,
        /// Also refuse this participant's name for the rest of the session.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        refuse_name: bool,
    },
    Lock {
        locked: bool,
    },
    /// Trainer: let only the projector link watch (`private`), with a new token the answer
    /// (`screen_token`) carries and every screen watching so far closed; or any screen again.
    ScreenLink {
        private: bool,
    },
    /// Trainer: make a co-trainer; the answer is an `invite` with the new trainer's token.
    AddTrainer,
    RemoveTrainer {
        trainer: TrainerId,
    },
    End,
    /// Player: give up your seat for good.
    Leave,
    /// Trainer, in the lobby: give a seat its role for a deal by hand; without `role`, take
    /// it back.
    AssignRole {
        seat: SeatId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<CardId>,
    },
    /// Trainer: the session's agenda from now on, in a draaiboek's shape (decks and cards by
    /// id). In the lobby every step may change; later only the steps that have not started.
    SetAgenda {
        agenda: Agenda,
    },
    /// Trainer, in the lobby: follow one of the server's draaiboeken (by id): its agenda, and
    /// the decks and settings it names.
    LoadAgenda {
        draaiboek: String,
    },
    /// Trainer: one change to the agenda (add, remove or move a step, or change its minutes),
    /// named by `do`. A session without an agenda has one step of statements to change.
    EditAgenda(AgendaEdit),
    /// Trainer: "Volgende werkvorm", the next step of the agenda starts.
    NextStep,
    /// A move in the running schaalvraag step, named by `do`.
    Scale(ScaleCommand),
    /// A move in the running verbeteracties step, named by `do`.
    Actions(ActionCommand),
    /// A move in the running keukentafel step, named by `do`.
    Table(TableCommand),
    /// A move in the running spiegelgesprek step, named by `do`.
    Mirror(MirrorCommand),
    /// Trainer: "Markeer", this moment of the session, with an optional line of note.
    Mark {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
}

impl ClientMsg {
    /// Every `type` a client may send, for decoding errors and the protocol document's test.
    pub const TYPES: &'static [&'static str] = &[
        "hello",
        "configure",
        "start",
        "play",
        "answer",
        "reveal",
        "revote",
        "next",
        "skip",
        "pause_timer",
        "resume_timer",
        "kick",
        "lock",
        "screen_link",
        "add_trainer",
        "remove_trainer",
        "end",
        "leave",
        "assign_role",
        "set_agenda",
        "load_agenda",
        "edit_agenda",
        "next_step",
        "scale",
        "table",
        "mirror",
        "actions",
        "mark",
    ];

    /// The room command this message asks for, when it needs nothing from the shell: `hello`,
    /// `configure` and the agenda's messages (decks by id), `add_trainer` and `screen_link` (a new secret) are the shell's to translate.
    pub fn into_command(self) -> Option<Command> {
        Some(match self {
            ClientMsg::Hello { .. }
            | ClientMsg::Configure { .. }
            | ClientMsg::SetAgenda { .. }
            | ClientMsg::LoadAgenda { .. }
            | ClientMsg::EditAgenda(_)
            | ClientMsg::AddTrainer
            | ClientMsg::ScreenLink { .. } => {
                return None;
            }
            ClientMsg::Start => Command::Start,
            ClientMsg::Play { card } => Command::Play { card },
            ClientMsg::Answer(answer) => Command::Answer(answer),
            ClientMsg::Reveal => Command::Reveal,
            ClientMsg::Revote => Command::Revote,
            ClientMsg::Next => Command::Next,
            ClientMsg::Skip => Command::Skip,
            ClientMsg::PauseTimer => Command::PauseTimer,
            ClientMsg::ResumeTimer => Command::ResumeTimer,
            ClientMsg::Kick { seat, refuse_name } => Command::Kick { seat, refuse_name },
            ClientMsg::Lock { locked } => Command::Lock { locked },
            ClientMsg::RemoveTrainer { trainer } => Command::RemoveTrainer { trainer },
            ClientMsg::End => Command::End,
            ClientMsg::Leave => Command::Leave,
            ClientMsg::AssignRole { seat, role } => Command::AssignRole { seat, role },
            ClientMsg::NextStep => Command::NextStep,
            ClientMsg::Scale(command) => Command::Scale(command),
            ClientMsg::Actions(command) => Command::Actions(command),
            ClientMsg::Table(command) => Command::Table(command),
            ClientMsg::Mirror(command) => Command::Mirror(command),
            ClientMsg::Mark { note } => Command::Mark { note },
        })
    }
}

/// How a connection takes its place in a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum Join {
    /// Steer the room with the token `POST /api/rooms` returned.
    Trainer { token: String },
    /// Take a new seat under this name.
    Player { name: String },
    /// Take back your seat with the token `welcome` gave you.
    Seat { token: String },
    /// Watch without a seat (the projector), with the projector link's token when the trainer
    /// made the link need one.
    Observer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
}

/// The largest command `id`: every whole number up to it is exact in JavaScript.
pub const MAX_ID: u64 = (1 << 53) - 1;

/// A client message with its optional `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: Option<u64>,
    pub msg: ClientMsg,
}

/// A message that could not be understood, with the `id` it carried if that much was readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecodable {
    pub id: Option<u64>,
    pub rejection: Rejection,
}

impl Request {
    /// Decodes one text frame. Never panics, whatever the input.
    pub fn decode(frame: &str) -> Result<Request, Undecodable> {
        let value: Value =
            serde_json::from_str(frame).map_err(|_| Undecodable { id: None, rejection: Rejection::BadJson })?;
        let id = match value.get("id") {
            None => None,
            Some(id) => match id.as_u64().filter(|id| *id <= MAX_ID) {
                Some(id) => Some(id),
                // An id the client could not match to its command: refuse before anything happens.
                None => {
                    let problem = format!("`id` must be a whole number from 0 to {MAX_ID}, not {id}");
                    return Err(Undecodable { id: None, rejection: Rejection::BadMessage(problem) });
                }
            },
        };
        let fail = |rejection| Undecodable { id, rejection };
        match value.get("type").and_then(Value::as_str) {
            Some(kind) if ClientMsg::TYPES.contains(&kind) => {}
            _ => return Err(fail(Rejection::UnknownType)),
        }
        let msg = ClientMsg::deserialize(value).map_err(|error| fail(Rejection::BadMessage(error.to_string())))?;
        Ok(Request { id, msg })
    }

    pub fn encode(&self) -> String {
        let mut value = serde_json::to_value(&self.msg).expect("client messages always serialise");
        if let (Some(id), Value::Object(fields)) = (self.id, &mut value) {
            fields.insert("id".to_owned(), Value::from(id));
        }
        value.to_string()
    }
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The answer to `hello`: who you are and everything you may see, as of event `seq`.
    Welcome {
        id: Option<u64>,
        protocol: u32,
        /// For a player: keep it to take the seat back after a dropped connection. It is
        /// replaced each time the seat is taken back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat_token: Option<String>,
        seq: u64,
        view: Box<View>,
    },
    /// The answer to a `hello` with `since`: your view is still good as of event `seq`; the
    /// `update`s you missed follow.
    Resumed {
        id: Option<u64>,
        protocol: u32,
        /// The seat's new token, when a seat was taken back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat_token: Option<String>,
        seq: u64,
    },
    /// Changes to your view, up to and including event `seq`.
    Update { seq: u64, updates: Vec<Update> },
    /// Your command was accepted and its effects have been sent.
    Ack { id: Option<u64> },
    /// The answer to `add_trainer`: the new co-trainer's token, to pass on (once) in a link.
    Invite { id: Option<u64>, token: String },
    /// The answer to `screen_link` with `private`: the token the projector link carries.
    ScreenToken {
        id: Option<u64>,
        token: String,
        /// The link's number, as `View::screen_link` will say once the update arrives.
        link: u32,
    },
    /// Your message was refused; nothing changed.
    Error { id: Option<u64>, code: String, message: Text },
    /// Something a trainer should know that is nobody's command: the server cannot store
    /// changes right now, say.
    Notice { code: String, message: Text },
    /// To trainers: how many screens watch without a seat (the projector, observers), so
    /// nobody watches unseen. Sent when it changes and after a trainer's welcome.
    Watching { screens: u32 },
}

impl ServerMsg {
    pub const TYPES: &'static [&'static str] =
        &["welcome", "resumed", "update", "ack", "invite", "screen_token", "error", "notice", "watching"];

    pub fn error(id: Option<u64>, rejection: &Rejection) -> ServerMsg {
        ServerMsg::Error { id, code: rejection.code().to_owned(), message: rejection.message() }
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("server messages always serialise")
    }
}

/// One update as it goes on the wire, for [`update_message`]. A room that tells several
/// frames the same thing serialises it once.
pub fn encode_update(update: &Update) -> String {
    serde_json::to_string(update).expect("updates always serialise")
}

/// The `update` message for `seq` put together from updates [`encode_update`] made: the same
/// text as `ServerMsg::Update { seq, updates }.encode()`.
pub fn update_message<'a>(seq: u64, updates: impl IntoIterator<Item = &'a str>) -> String {
    let mut message = format!(r#"{{"type":"update","seq":{seq},"updates":["#);
    for (i, update) in updates.into_iter().enumerate() {
        if i > 0 {
            message.push(',');
        }
        message.push_str(update);
    }
    message.push_str("]}");
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Position;

    fn rejected(frame: &str) -> (Option<u64>, &'static str) {
        let error = Request::decode(frame).expect_err("should be refused");
        (error.id, error.rejection.code())
    }

    #[test]
    fn an_answer_decodes_with_its_id() {
        let request = Request::decode(r#"{"type":"answer","id":7,"position":4,"argument":"Omdat."}"#).expect("valid");
        assert_eq!(request.id, Some(7));
        let ClientMsg::Answer(answer) = request.msg else { panic!("expected an answer") };
        assert_eq!(answer.position, Position::Scale(4));
        assert_eq!(answer.argument.as_deref(), Some("Omdat."));
    }

    #[test]
    fn pass_is_an_answer() {
        let request = Request::decode(r#"{"type":"answer","position":"pass"}"#).expect("valid");
        assert_eq!(
            request.msg,
            ClientMsg::Answer(Answer { position: Position::Pass, argument: None, definition: None })
        );
    }

    #[test]
    fn bad_frames_are_refused_with_a_stable_code() {
        assert_eq!(rejected("not json"), (None, "bad_json"));
        assert_eq!(rejected(r#"{"id":3,"type":"shout"}"#), (Some(3), "unknown_type"));
        assert_eq!(rejected(r#"{"id":4}"#), (Some(4), "unknown_type"));
        assert_eq!(rejected(r#"{"id":5,"type":"answer","position":9}"#), (Some(5), "bad_message"));
        assert_eq!(rejected(r#"{"id":6,"type":"play"}"#), (Some(6), "bad_message"));
        assert_eq!(rejected("[1,2]"), (None, "unknown_type"));
    }

    #[test]
    fn a_command_whose_id_is_not_a_whole_number_is_refused_before_anything_happens() {
        for id in [r#""7""#, "7.5", "-1", "null", "9007199254740992", "{}"] {
            let frame = format!(r#"{{"type":"reveal","id":{id}}}"#);
            assert_eq!(rejected(&frame), (None, "bad_message"), "{frame}");
        }
        assert_eq!(Request::decode(r#"{"type":"reveal","id":9007199254740991}"#).expect("valid").id, Some(MAX_ID));
        assert_eq!(Request::decode(r#"{"type":"reveal","id":0}"#).expect("valid").id, Some(0));
    }

    #[test]
    fn an_update_message_put_together_from_encoded_updates_is_the_update_message() {
        let updates = vec![
            Update::Answered { seat: SeatId(2) },
            Update::Locked { locked: true },
            Update::YourAnswer {
                answer: Answer {
                    position: Position::Scale(4),
                    argument: Some("\"Regie\", zegt ze.".to_owned()),
                    definition: None,
                },
            },
        ];
        let encoded: Vec<String> = updates.iter().map(encode_update).collect();
        let expected = ServerMsg::Update { seq: 41, updates: updates.clone() }.encode();
        assert_eq!(update_message(41, encoded.iter().map(String::as_str)), expected);
        assert_eq!(update_message(7, []), ServerMsg::Update { seq: 7, updates: Vec::new() }.encode());
    }

    #[test]
    fn a_request_round_trips() {
        let request = Request { id: Some(9), msg: ClientMsg::Play { card: CardId::new("regie-1") } };
        assert_eq!(Request::decode(&request.encode()), Ok(request));
    }

    mod fuzz {
        use proptest::prelude::*;
        use serde_json::{Value, json};

        use super::*;
        use crate::room::tests::Table;
        use crate::{Actor, SeatId, TrainerId};

        fn any_json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(|n| json!(n)),
                ".{0,40}".prop_map(Value::from),
                Just(Value::from("pass")),
                (0u8..8).prop_map(Value::from),
            ];
            leaf.prop_recursive(3, 24, 4, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                    proptest::collection::btree_map("[a-z_]{1,10}", inner, 0..4)
                        .prop_map(|map| Value::Object(map.into_iter().collect())),
                ]
            })
        }

        /// Messages of a real type with fields that may or may not fit.
        fn nearly_right() -> impl Strategy<Value = String> {
            let fields = proptest::collection::btree_map(
                prop_oneof![
                    Just("id".to_owned()),
                    Just("card".to_owned()),
                    Just("position".to_owned()),
                    Just("argument".to_owned()),
                    Just("definition".to_owned()),
                    Just("seat".to_owned()),
                    Just("locked".to_owned()),
                    Just("trainer".to_owned()),
                    Just("join".to_owned()),
                    Just("protocol".to_owned()),
                    Just("settings".to_owned()),
                    "[a-z]{1,6}",
                ],
                any_json(),
                0..5,
            );
            (proptest::sample::select(ClientMsg::TYPES), fields).prop_map(|(kind, fields)| {
                let mut object: serde_json::Map<String, Value> = fields.into_iter().collect();
                object.insert("type".to_owned(), Value::from(kind));
                Value::Object(object).to_string()
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

            #[test]
            fn random_bytes_never_panic_the_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
                let _ = Request::decode(&String::from_utf8_lossy(&bytes));
            }

            #[test]
            fn nearly_right_messages_are_refused_or_handled_never_panicking(frames in proptest::collection::vec(nearly_right(), 1..30), actors in proptest::collection::vec(0u8..5, 30)) {
                let mut table = Table::with_players(&["Anna", "Bram", "Chris"]);
                let _ = table.try_cmd(Actor::Trainer(TrainerId(0)), crate::Command::Start);
                for (frame, actor) in frames.iter().zip(actors) {
                    match Request::decode(frame) {
                        Err(undecodable) => prop_assert!(!undecodable.rejection.code().is_empty()),
                        Ok(request) => {
                            if let Some(command) = request.msg.into_command() {
                                let actor = match actor {
                                    0 => Actor::Trainer(TrainerId(0)),
                                    1 => Actor::Guest,
                                    seat => Actor::Player(SeatId(u16::from(seat - 2))),
                                };
                                let _ = table.try_cmd(actor, command);
                            }
                        }
                    }
                }
            }
        }
    }
}
