//! One task per room: it owns the `Room`, turns messages from connections into commands, and
//! sends every participant what they may see.
//!
//! Connections talk to it through a cloneable [`RoomHandle`]. Because one task does everything
//! for its room, a participant's welcome and the updates that follow it can never cross.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use cards::event::Setup;
use cards::protocol::{ClientMsg, Join, PROTOCOL_VERSION, ServerMsg};
use cards::view::Audience;
use cards::{Actor, Command, Context, Event, Identity, Rejection, Room, RoomCode, SeatId, Update};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{mpsc, oneshot};

use crate::token::Token;

/// Identifies one websocket connection for the lifetime of the process.
pub type ConnId = u64;

/// Frames on their way to one connection.
pub type Outbox = mpsc::Sender<Utf8Bytes>;

/// Resolves when the room lets go of a connection (replaced, or too slow): the connection
/// task then closes the socket.
pub type Released = oneshot::Receiver<()>;

/// What connections ask of their room.
pub enum RoomMsg {
    Hello {
        conn: ConnId,
        id: Option<u64>,
        protocol: u32,
        join: Join,
        outbox: Outbox,
        joined: oneshot::Sender<Released>,
    },
    Request {
        conn: ConnId,
        id: Option<u64>,
        msg: ClientMsg,
    },
    Gone {
        conn: ConnId,
    },
}

/// A cheap, cloneable way to reach a room's task.
#[derive(Clone)]
pub struct RoomHandle {
    tx: mpsc::Sender<RoomMsg>,
}

impl RoomHandle {
    /// Sends a message, waiting while the room's queue is full. Fails only if the room is gone.
    pub async fn send(&self, msg: RoomMsg) -> Result<(), RoomGone> {
        self.tx.send(msg).await.map_err(|_| RoomGone)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the room has closed")]
pub struct RoomGone;

/// Starts the task for a new room and returns its handle.
pub fn spawn(code: RoomCode, setup: Setup, trainer_token: Token, queue: usize) -> RoomHandle {
    let (tx, rx) = mpsc::channel(queue);
    let actor = RoomActor {
        room: Room::new(code, setup),
        seq: 1,
        trainer_token,
        seat_tokens: HashMap::new(),
        conns: HashMap::new(),
        rng: StdRng::from_os_rng(),
    };
    tokio::spawn(actor.run(rx));
    RoomHandle { tx }
}

struct Conn {
    identity: Identity,
    outbox: Outbox,
    /// Dropping this releases the connection.
    _hold: oneshot::Sender<()>,
}

struct RoomActor {
    room: Room,
    /// The sequence number of the last event applied; `Created` is 1.
    seq: u64,
    trainer_token: Token,
    seat_tokens: HashMap<SeatId, Token>,
    conns: HashMap<ConnId, Conn>,
    rng: StdRng,
}

impl RoomActor {
    async fn run(mut self, mut rx: mpsc::Receiver<RoomMsg>) {
        while let Some(msg) = rx.recv().await {
            match msg {
                RoomMsg::Hello {
                    conn,
                    id,
                    protocol,
                    join,
                    outbox,
                    joined,
                } => {
                    match self.hello(conn, id, protocol, join) {
                        Ok((identity, welcome)) => {
                            let (hold, released) = oneshot::channel();
                            // A fresh connection's queue has room for its welcome.
                            let _ = outbox.try_send(welcome);
                            self.conns.insert(
                                conn,
                                Conn {
                                    identity,
                                    outbox,
                                    _hold: hold,
                                },
                            );
                            let _ = joined.send(released);
                        }
                        Err(rejection) => {
                            let _ = outbox.try_send(encode(&ServerMsg::error(id, &rejection)));
                        }
                    }
                }
                RoomMsg::Request { conn, id, msg } => self.request(conn, id, msg),
                RoomMsg::Gone { conn } => self.release(conn),
            }
        }
    }

    /// Seats a new connection. On success returns who it is and its welcome frame.
    fn hello(
        &mut self,
        conn: ConnId,
        id: Option<u64>,
        protocol: u32,
        join: Join,
    ) -> Result<(Identity, Utf8Bytes), Rejection> {
        if protocol != PROTOCOL_VERSION {
            return Err(Rejection::UnsupportedProtocol);
        }
        if self.conns.contains_key(&conn) {
            return Err(Rejection::AlreadyJoined);
        }
        let mut seat_token = None;
        let identity = match join {
            Join::Trainer { token } if self.trainer_token.matches(&token) => Identity::Trainer,
            Join::Trainer { .. } => return Err(Rejection::BadToken),
            Join::Observer => Identity::Observer,
            Join::Player { name } => {
                let events = self.decide(Actor::Guest, Command::Join { name })?;
                let Some(Event::Joined { seat, .. }) = events.first() else {
                    unreachable!("a join starts with Joined");
                };
                let seat = *seat;
                let token = Token::generate(&mut self.rng);
                seat_token = Some(token.to_hex());
                self.seat_tokens.insert(seat, token);
                self.commit(events);
                Identity::Player { seat }
            }
            Join::Seat { token } => {
                let seat = self
                    .seat_tokens
                    .iter()
                    .find(|(_, known)| known.matches(&token))
                    .map(|(seat, _)| *seat);
                let seat = seat.ok_or(Rejection::BadToken)?;
                // A second connection with the same token replaces the first.
                let previous: Vec<ConnId> = self
                    .conns
                    .iter()
                    .filter(|(_, known)| known.identity == Identity::Player { seat })
                    .map(|(conn, _)| *conn)
                    .collect();
                for conn in previous {
                    self.conns.remove(&conn);
                }
                let events = self.decide(
                    Actor::Server,
                    Command::SetPresence {
                        seat,
                        connected: true,
                    },
                )?;
                self.commit(events);
                Identity::Player { seat }
            }
        };
        let welcome = ServerMsg::Welcome {
            id,
            protocol: PROTOCOL_VERSION,
            seat_token,
            seq: self.seq,
            view: self.room.view(identity),
        };
        tracing::info!(room = %self.room.code(), conn, ?identity, "joined");
        Ok((identity, encode(&welcome)))
    }

    fn request(&mut self, conn: ConnId, id: Option<u64>, msg: ClientMsg) {
        let Some(identity) = self.conns.get(&conn).map(|known| known.identity) else {
            return;
        };
        let reply = match msg {
            ClientMsg::Hello { .. } => Err(Rejection::AlreadyJoined),
            msg => {
                let command = msg.into_command().expect("only hello has no command");
                let actor = match identity {
                    Identity::Trainer => Actor::Trainer,
                    Identity::Player { seat } => Actor::Player(seat),
                    Identity::Observer => Actor::Guest,
                };
                self.decide(actor, command)
                    .map(|events| self.commit(events))
            }
        };
        let answer = match reply {
            Ok(()) => ServerMsg::Ack { id },
            Err(rejection) => ServerMsg::error(id, &rejection),
        };
        if let Some(known) = self.conns.get(&conn) {
            if known.outbox.try_send(encode(&answer)).is_err() {
                self.release(conn);
            }
        }
    }

    fn decide(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64);
        self.room.handle(
            actor,
            command,
            &mut Context {
                now,
                rng: &mut self.rng,
            },
        )
    }

    /// Applies accepted events and tells everyone what they may see of them.
    fn commit(&mut self, events: Vec<Event>) {
        if events.is_empty() {
            return;
        }
        let private: BTreeSet<SeatId> = events.iter().filter_map(Event::private_to).collect();
        let mut everyone: Vec<Update> = Vec::new();
        let mut personal: BTreeMap<SeatId, Vec<Update>> = BTreeMap::new();
        for event in &events {
            self.room.apply(event);
            self.seq += 1;
            everyone.extend(self.room.updates(event, Audience::Everyone));
            for &seat in &private {
                personal
                    .entry(seat)
                    .or_default()
                    .extend(self.room.updates(event, Audience::Seat(seat)));
            }
        }
        let shared = encode(&ServerMsg::Update {
            seq: self.seq,
            updates: everyone,
        });
        let personal: BTreeMap<SeatId, Utf8Bytes> = personal
            .into_iter()
            .map(|(seat, updates)| {
                (
                    seat,
                    encode(&ServerMsg::Update {
                        seq: self.seq,
                        updates,
                    }),
                )
            })
            .collect();
        let mut too_slow = Vec::new();
        for (conn, known) in &self.conns {
            let frame = match known.identity {
                Identity::Player { seat } => personal.get(&seat).unwrap_or(&shared),
                _ => &shared,
            };
            if known.outbox.try_send(frame.clone()).is_err() {
                too_slow.push(*conn);
            }
        }
        for conn in too_slow {
            tracing::info!(room = %self.room.code(), conn, "dropping a connection that does not keep up");
            self.release(conn);
        }
    }

    /// Forgets a connection; its seat goes on hold when it was the seat's last connection.
    fn release(&mut self, conn: ConnId) {
        let Some(gone) = self.conns.remove(&conn) else {
            return;
        };
        if let Identity::Player { seat } = gone.identity {
            let still_here = self
                .conns
                .values()
                .any(|known| known.identity == gone.identity);
            if !still_here {
                if let Ok(events) = self.decide(
                    Actor::Server,
                    Command::SetPresence {
                        seat,
                        connected: false,
                    },
                ) {
                    self.commit(events);
                }
            }
        }
    }
}

fn encode(msg: &ServerMsg) -> Utf8Bytes {
    Utf8Bytes::from(msg.encode())
}
