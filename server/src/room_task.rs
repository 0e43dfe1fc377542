//! One task per room: it owns the `Room`, turns messages from connections into commands, and
//! sends every participant what they may see.
//!
//! Connections talk to it through a cloneable [`RoomHandle`]. Because one task does everything
//! for its room, a participant's welcome and the updates that follow it can never cross.
//! Accepted events are durable in the store before anyone hears of them (write-ahead).

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

use crate::store::{Record, Store};
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
    /// A handle to no room, holding a code while its room is being stored.
    pub fn closed() -> RoomHandle {
        let (tx, _) = mpsc::channel(1);
        RoomHandle { tx }
    }

    /// Sends a message, waiting while the room's queue is full. Fails only if the room is gone.
    pub async fn send(&self, msg: RoomMsg) -> Result<(), RoomGone> {
        self.tx.send(msg).await.map_err(|_| RoomGone)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the room has closed")]
pub struct RoomGone;

/// The milliseconds since the Unix epoch that the core and the store are given.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}

/// Persists a new room's `Created` event, then starts its task.
pub async fn open(
    code: RoomCode,
    setup: Setup,
    trainer_token: Token,
    store: Store,
    queue: usize,
) -> Result<RoomHandle, Rejection> {
    let created = Event::Created { code: code.clone(), setup: Box::new(setup.clone()) };
    let record = Record { room: code.clone(), seq: 1, at: now_ms(), event: created };
    store.append(vec![record]).await.map_err(|_| Rejection::StoreUnavailable)?;
    let (tx, rx) = mpsc::channel(queue);
    let actor = RoomActor {
        room: Room::new(code, setup),
        seq: 1,
        trainer_token,
        seat_tokens: HashMap::new(),
        conns: HashMap::new(),
        too_slow: Vec::new(),
        store,
        rng: StdRng::from_os_rng(),
    };
    tokio::spawn(actor.run(rx));
    Ok(RoomHandle { tx })
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
    /// Connections whose queue overflowed, to be released once the current message is done.
    too_slow: Vec<ConnId>,
    store: Store,
    rng: StdRng,
}

impl RoomActor {
    async fn run(mut self, mut rx: mpsc::Receiver<RoomMsg>) {
        while let Some(msg) = rx.recv().await {
            match msg {
                RoomMsg::Hello { conn, id, protocol, join, outbox, joined } => {
                    match self.hello(conn, id, protocol, join).await {
                        Ok((identity, welcome)) => {
                            let (hold, released) = oneshot::channel();
                            // A fresh connection's queue has room for its welcome.
                            let _ = outbox.try_send(welcome);
                            self.conns.insert(conn, Conn { identity, outbox, _hold: hold });
                            let _ = joined.send(released);
                        }
                        Err(rejection) => {
                            let _ = outbox.try_send(encode(&ServerMsg::error(id, &rejection)));
                        }
                    }
                }
                RoomMsg::Request { conn, id, msg } => self.request(conn, id, msg).await,
                RoomMsg::Gone { conn } => self.release(conn).await,
            }
            while let Some(conn) = self.too_slow.pop() {
                tracing::info!(room = %self.room.code(), conn, "dropping a connection that does not keep up");
                self.release(conn).await;
            }
        }
    }

    /// Seats a new connection. On success returns who it is and its welcome frame.
    async fn hello(
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
                let Some(&Event::Joined { seat, .. }) = events.first() else {
                    unreachable!("a join starts with Joined");
                };
                self.commit(events).await?;
                let token = Token::generate(&mut self.rng);
                seat_token = Some(token.to_hex());
                self.seat_tokens.insert(seat, token);
                Identity::Player { seat }
            }
            Join::Seat { token } => {
                let seat = self.seat_tokens.iter().find(|(_, known)| known.matches(&token)).map(|(seat, _)| *seat);
                let seat = seat.ok_or(Rejection::BadToken)?;
                // A second connection with the same token replaces the first.
                self.conns.retain(|_, known| known.identity != Identity::Player { seat });
                let events = self.decide(Actor::Server, Command::SetPresence { seat, connected: true })?;
                self.commit(events).await?;
                Identity::Player { seat }
            }
        };
        let view = Box::new(self.room.view(identity));
        let welcome = ServerMsg::Welcome { id, protocol: PROTOCOL_VERSION, seat_token, seq: self.seq, view };
        tracing::info!(room = %self.room.code(), conn, ?identity, "joined");
        Ok((identity, encode(&welcome)))
    }

    async fn request(&mut self, conn: ConnId, id: Option<u64>, msg: ClientMsg) {
        let Some(identity) = self.conns.get(&conn).map(|known| known.identity) else {
            return;
        };
        let outcome = match msg.into_command() {
            None => Err(Rejection::AlreadyJoined),
            Some(command) => {
                let actor = match identity {
                    Identity::Trainer => Actor::Trainer,
                    Identity::Player { seat } => Actor::Player(seat),
                    Identity::Observer => Actor::Guest,
                };
                match self.decide(actor, command) {
                    Ok(events) => self.commit(events).await,
                    Err(rejection) => Err(rejection),
                }
            }
        };
        let answer = match outcome {
            Ok(()) => ServerMsg::Ack { id },
            Err(rejection) => ServerMsg::error(id, &rejection),
        };
        self.send_to(conn, encode(&answer));
    }

    fn decide(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        self.room.handle(actor, command, &mut Context { now: now_ms(), rng: &mut self.rng })
    }

    /// Makes accepted events durable, applies them, and tells everyone what they may see.
    /// If the store fails nothing is applied or sent: the command is refused as a whole.
    async fn commit(&mut self, events: Vec<Event>) -> Result<(), Rejection> {
        if events.is_empty() {
            return Ok(());
        }
        let at = now_ms();
        let records = (self.seq + 1..).zip(&events).map(|(seq, event)| Record {
            room: self.room.code().clone(),
            seq,
            at,
            event: event.clone(),
        });
        if let Err(error) = self.store.append(records.collect()).await {
            tracing::error!(room = %self.room.code(), %error, "events not stored; command refused");
            return Err(Rejection::StoreUnavailable);
        }
        self.broadcast(&events);
        Ok(())
    }

    fn broadcast(&mut self, events: &[Event]) {
        let private: BTreeSet<SeatId> = events.iter().filter_map(Event::private_to).collect();
        let mut everyone: Vec<Update> = Vec::new();
        let mut personal: BTreeMap<SeatId, Vec<Update>> = BTreeMap::new();
        for event in events {
            self.room.apply(event);
            self.seq += 1;
            everyone.extend(self.room.updates(event, Audience::Everyone));
            for &seat in &private {
                personal.entry(seat).or_default().extend(self.room.updates(event, Audience::Seat(seat)));
            }
        }
        // One serialisation for everybody; only seats with something private get their own.
        let shared = encode(&ServerMsg::Update { seq: self.seq, updates: everyone });
        let personal: BTreeMap<SeatId, Utf8Bytes> = personal
            .into_iter()
            .map(|(seat, updates)| (seat, encode(&ServerMsg::Update { seq: self.seq, updates })))
            .collect();
        let recipients: Vec<(ConnId, Utf8Bytes)> = self
            .conns
            .iter()
            .map(|(conn, known)| {
                let frame = match known.identity {
                    Identity::Player { seat } => personal.get(&seat).unwrap_or(&shared),
                    _ => &shared,
                };
                (*conn, frame.clone())
            })
            .collect();
        for (conn, frame) in recipients {
            self.send_to(conn, frame);
        }
    }

    /// Queues a frame; a connection whose queue is full is released after this message.
    fn send_to(&mut self, conn: ConnId, frame: Utf8Bytes) {
        if let Some(known) = self.conns.get(&conn)
            && known.outbox.try_send(frame).is_err()
        {
            self.too_slow.push(conn);
        }
    }

    /// Forgets a connection; its seat goes on hold when it was the seat's last connection.
    async fn release(&mut self, conn: ConnId) {
        let Some(gone) = self.conns.remove(&conn) else {
            return;
        };
        let Identity::Player { seat } = gone.identity else {
            return;
        };
        if self.conns.values().any(|known| known.identity == gone.identity) {
            return;
        }
        if let Ok(events) = self.decide(Actor::Server, Command::SetPresence { seat, connected: false }) {
            let _ = self.commit(events).await;
        }
    }
}

fn encode(msg: &ServerMsg) -> Utf8Bytes {
    Utf8Bytes::from(msg.encode())
}
