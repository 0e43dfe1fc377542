//! One task per room: it owns the `Room`, turns messages from connections into commands, and
//! sends every participant what they may see.
//!
//! Connections talk to it through a cloneable [`RoomHandle`]. Because one task does everything
//! for its room, a participant's welcome and the updates that follow it can never cross.
//! Accepted events are durable in the store before anyone hears of them (write-ahead).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

use cards::api::RoomStatus;
use cards::deck::AnyDeck;
use cards::event::{LeaveReason, Setup};
use cards::protocol::{ClientMsg, Join, PROTOCOL_VERSION, ServerMsg};
use cards::session::agenda::Agenda;
use cards::session::plan::{Loaded, Plan};
use cards::{
    Actor, Command, Context, Event, Identity, Library, Presence, Rejection, Room, RoomCode, SeatId, TokenDigest,
};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::clock::{instant_at, now_ms};
use crate::config::Lifetimes;
use crate::deck_choice;
use crate::rooms::Running;
use crate::staged::{Frame, Staged};
use crate::store::{Record, Store, StoreError};
use crate::token::Token;

/// Identifies one websocket connection for the lifetime of the process.
pub type ConnId = u64;

pub use crate::outbox::Outbox;

/// Resolves when the room lets go of a connection, with why (or an error when it just forgot
/// it): the connection task then closes the socket.
pub type Released = oneshot::Receiver<Release>;

/// Why the room let go of a connection. Each reason the client must act on has its own close
/// code (PROTOCOL.md, "Close codes"), so a phone knows whether to reconnect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// The player gave up their seat.
    Left,
    /// A trainer removed the player.
    Removed,
    /// The same seat connected again elsewhere; the newer connection has it.
    Replaced,
    /// The room was erased.
    Erased,
    /// Another trainer removed this trainer, or they handed over.
    TrainerRemoved,
    /// The connection did not keep up with its queue; it may come back and resume.
    TooSlow,
    /// The server is stopping; the client reconnects when it is back.
    ShuttingDown,
    /// The trainer gave the projector link a new token: screens watching so far are closed.
    ScreenLinkChanged,
    /// Another node runs the room now: come back (through the balancer) to it.
    Moved,
}

impl Release {
    /// The close frame's code and reason, after what was queued for the connection.
    pub fn close_frame(self) -> Option<(u16, &'static str)> {
        match self {
            Release::Left => Some((1000, "left")),
            Release::Removed => Some((4001, "removed")),
            Release::Replaced => Some((4002, "replaced")),
            Release::Erased => Some((4003, "room erased")),
            Release::TrainerRemoved => Some((4004, "trainer removed")),
            Release::TooSlow => None,
            Release::ShuttingDown => Some((1001, "server shutting down")),
            Release::ScreenLinkChanged => Some((4005, "screen link changed")),
            Release::Moved => Some((1012, "room moved to another node")),
        }
    }
}

/// What connections ask of their room.
pub enum RoomMsg {
    Hello {
        conn: ConnId,
        id: Option<u64>,
        protocol: u32,
        join: Join,
        since: Option<u64>,
        outbox: Outbox,
        /// The seated connection's release, or why it was refused (the room has sent the
        /// error frame itself).
        joined: oneshot::Sender<Result<Released, Rejection>>,
        /// Where the connection comes from, for the joins one address may make.
        from: IpAddr,
    },
    Request {
        conn: ConnId,
        id: Option<u64>,
        msg: ClientMsg,
    },
    Gone {
        conn: ConnId,
    },
    /// Stop for good, let every connection go, and write nothing more: the room is being erased.
    Erase {
        done: oneshot::Sender<()>,
    },
    /// The server is stopping: finish what is in hand, tell every connection, and stop.
    ShutDown {
        done: oneshot::Sender<()>,
    },
    /// Whether `token` is a trainer's of this room, for the review and the exports.
    IsTrainer {
        token: String,
        done: oneshot::Sender<bool>,
    },
    /// Whether the room still takes participants, for the join page.
    Status {
        done: oneshot::Sender<RoomStatus>,
    },
    /// A trainer's deck file, already parsed, to play with (over HTTP: files can be large).
    Upload {
        token: String,
        deck: AnyDeck,
        done: oneshot::Sender<Result<(), Rejection>>,
    },
    /// Another node asked for the room: let every connection go (to come back there) and stop.
    HandOver {
        done: oneshot::Sender<()>,
    },
    /// A trainer's note from the review (a regrouping of definitions, an agreed definition).
    Note {
        token: String,
        note: cards::notes::ReviewNote,
        done: oneshot::Sender<Result<(), Rejection>>,
    },
    /// A trainer's draaiboek file, already read against the server's decks, to follow.
    UploadAgenda {
        token: String,
        agenda: Box<Agenda>,
        done: oneshot::Sender<Result<(), Rejection>>,
    },
}

/// What a room's task reads its messages from. They come boxed: the queue's blocks hold 32
/// slots each, and a slot of a 200-byte message made each room's mailbox cost some 13 KB.
pub type Mailbox = mpsc::Receiver<Box<RoomMsg>>;

/// A cheap, cloneable way to reach a room's task.
#[derive(Clone)]
pub struct RoomHandle {
    tx: mpsc::Sender<Box<RoomMsg>>,
    /// Which task of the room this is: a room woken again gets a new one.
    task: u64,
}

impl RoomHandle {
    /// A handle and the mailbox its task reads, holding `queue` messages.
    pub fn new(task: u64, queue: usize) -> (RoomHandle, Mailbox) {
        let (tx, rx) = mpsc::channel(queue);
        (RoomHandle { tx, task }, rx)
    }

    /// A handle to no room, holding a code while its room is being stored.
    pub fn closed() -> RoomHandle {
        let (tx, _) = mpsc::channel(1);
        RoomHandle { tx, task: 0 }
    }

    pub fn task(&self) -> u64 {
        self.task
    }

    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }

    /// Whether this is the only handle: nobody else is about to send the room anything.
    pub fn is_unused(&self) -> bool {
        self.tx.strong_count() == 1
    }

    /// Sends a message, waiting while the room's queue is full. Fails only if the room is gone.
    pub async fn send(&self, msg: RoomMsg) -> Result<(), RoomGone> {
        self.tx.send(Box::new(msg)).await.map_err(|_| RoomGone)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the room has closed")]
pub struct RoomGone;

/// What a room task needs from the server around it.
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    pub library: Arc<Library>,
    pub queue: usize,
}

/// Persists a new room's `Created` event; returns the room it describes.
pub async fn open(code: RoomCode, setup: Setup, trainer_token: &Token, store: &Store) -> Result<Room, Rejection> {
    let trainer = TokenDigest::of(&trainer_token.to_hex());
    let created = Event::Created { code: code.clone(), setup: Box::new(setup.clone()), trainer };
    let record = Record { room: code.clone(), seq: 1, at: now_ms(), event: created };
    // A new room is this node's before its first event is written.
    if !store.claim(code.clone()).await.map_err(|_| Rejection::StoreUnavailable)? {
        return Err(Rejection::StoreUnavailable);
    }
    store.append(vec![record]).await.map_err(|_| Rejection::StoreUnavailable)?;
    Ok(Room::new(code, setup, trainer))
}

pub fn has_ended(room: &Room) -> bool {
    matches!(room.phase(), cards::room::Phase::Ended(_))
}

/// Why a room's task stopped running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nobody has been connected for a while: the room may leave memory. `abandoned` when
    /// nobody ever joined it, so its log can go too.
    Quiet { abandoned: bool },
    /// Erased, or the server is stopping.
    Stopped,
    /// Another node runs the room now (this node's lease on it ran out and it was taken): its
    /// connections were told to come back, through the balancer, to that node.
    Lost,
}

struct Conn {
    identity: Identity,
    outbox: Outbox,
    /// Sending on it (or dropping it) releases the connection.
    hold: oneshot::Sender<Release>,
}

pub struct RoomActor {
    room: Room,
    /// The sequence number of the last event applied; `Created` is 1.
    seq: u64,
    conns: HashMap<ConnId, Conn>,
    /// Connections to let go once the current message is done: too slow, or no longer allowed.
    released: Vec<(ConnId, Release)>,
    /// The last few broadcasts, so a client that reconnects can be sent only what it missed.
    recent: Recent,
    shared: Shared,
    rng: StdRng,
    /// One of the server's `max_rooms` places, until the session ends.
    place: Option<Running>,
    lifetimes: Lifetimes,
    /// Since when nobody has been connected; `None` while someone is.
    quiet_since: Option<Instant>,
    /// Whether the seats of whoever was here when the task started are on hold yet.
    held: bool,
    /// A `Tick` that could not be stored is tried again at this time, not at once.
    tick_retry_at: Option<u64>,
    tick_failures: u32,
    /// Decks uploaded while this task ran.
    uploads: u32,
    /// New seats taken from each network address while this task ran.
    joins_from: HashMap<IpAddr, u16>,
    /// The store refused an append because another node runs the room now.
    lost: bool,
}

/// Decks a room takes over HTTP while it runs: every upload is stored in the room's log.
const MAX_UPLOADS_PER_ROOM: u32 = 30;

/// One broadcast's frames, kept for clients that reconnect.
struct Broadcast {
    /// The last event sequence number the frames bring a view to.
    seq: u64,
    frames: BTreeMap<Frame, Utf8Bytes>,
}

/// How many recent broadcasts a room keeps for reconnecting clients, and how many bytes of
/// frames. A trainer's pile of 150 statements is some 50 KB a frame; kept over and over it was
/// most of what a room cost (heaptrack, BENCHMARKS.md). The bound counts every frame of a
/// broadcast, so a change of the trainer's pile empties the buffer: whoever reconnects across
/// it, or misses more than the buffer holds, gets its whole view instead, which is always right.
/// 8 KiB holds a round's answers and its reveal in a room of eight: what a phone misses while
/// its screen is off for a moment; at 16 KiB the buffer was a third of a started room
/// (BENCHMARKS.md, "Memory per room").
const RECENT_BROADCASTS: usize = 32;
const RECENT_BYTES: usize = 8 * 1024;

/// The recent broadcasts, oldest first, within both bounds.
#[derive(Default)]
struct Recent {
    broadcasts: VecDeque<Broadcast>,
    bytes: usize,
}

impl Recent {
    fn push(&mut self, broadcast: Broadcast) {
        self.bytes += Recent::size(&broadcast);
        self.broadcasts.push_back(broadcast);
        while self.broadcasts.len() > RECENT_BROADCASTS || self.bytes > RECENT_BYTES {
            let Some(oldest) = self.broadcasts.pop_front() else { break };
            self.bytes -= Recent::size(&oldest);
        }
    }

    fn size(broadcast: &Broadcast) -> usize {
        broadcast.frames.values().map(|frame| frame.as_str().len()).sum()
    }

    /// The oldest event a client may have seen last and still be sent only what it missed:
    /// `seq` itself when nothing is kept.
    fn covered_from(&self, seq: u64) -> u64 {
        self.broadcasts.front().map_or(seq, |oldest| oldest.seq.saturating_sub(1))
    }

    fn after(&self, since: u64) -> impl Iterator<Item = &Broadcast> {
        self.broadcasts.iter().filter(move |broadcast| broadcast.seq > since)
    }
}

impl RoomActor {
    pub fn new(room: Room, seq: u64, shared: Shared, place: Option<Running>, lifetimes: Lifetimes) -> RoomActor {
        RoomActor {
            room,
            seq,
            conns: HashMap::new(),
            released: Vec::new(),
            recent: Recent::default(),
            shared,
            rng: StdRng::from_os_rng(),
            place,
            lifetimes,
            quiet_since: Some(Instant::now()),
            held: false,
            tick_retry_at: None,
            tick_failures: 0,
            uploads: 0,
            joins_from: HashMap::new(),
            lost: false,
        }
    }

    /// Serves the room until it has been quiet long enough to leave memory, or is stopped.
    pub async fn run(&mut self, rx: &mut Mailbox) -> Exit {
        if !self.held {
            self.hold_every_seat().await;
            self.held = true;
        }
        let mut carried = None;
        loop {
            let deadline = self.room.next_deadline(now_ms()).map(|due| due.max(self.tick_retry_at.unwrap_or(0)));
            let leave_at = self.leave_at();
            let msg = match carried.take() {
                Some(msg) => msg,
                None => tokio::select! {
                    msg = rx.recv() => match msg {
                        Some(msg) => *msg,
                        None => return Exit::Stopped,
                    },
                    () = sleep_until(deadline) => {
                        self.tick().await;
                        continue;
                    }
                    () = sleep_until_instant(leave_at) => {
                        return Exit::Quiet { abandoned: self.room.seats().next().is_none() };
                    }
                },
            };
            match msg {
                RoomMsg::Hello { conn, id, protocol, join, since, outbox, joined, from } => {
                    match self.hello(conn, protocol, join, from).await {
                        Ok((identity, seat_token)) => {
                            let (hold, released) = oneshot::channel();
                            // A fresh connection's queue has room for its welcome and what it missed.
                            for frame in self.welcome(identity, id, seat_token, since) {
                                let _ = outbox.try_send(frame);
                            }
                            self.conns.insert(conn, Conn { identity, outbox, hold });
                            self.quiet_since = None;
                            let _ = joined.send(Ok(released));
                            match identity {
                                Identity::Observer => self.tell_watching(None),
                                Identity::Trainer { .. } => self.tell_watching(Some(conn)),
                                Identity::Player { .. } => {}
                            }
                        }
                        Err(rejection) => {
                            let _ = outbox.try_send(encode(&ServerMsg::error(id, &rejection)));
                            let _ = joined.send(Err(rejection));
                        }
                    }
                }
                RoomMsg::Request { conn, id, msg } => {
                    // Commands that are already waiting share one commit: eight answers that
                    // arrive together cost one write to the disk, not eight. Yielding once
                    // first lets connections that have a command read and ready hand it over.
                    tokio::task::yield_now().await;
                    let mut batch = vec![(conn, id, msg)];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv().map(|msg| *msg) {
                            Ok(RoomMsg::Request { conn, id, msg }) => batch.push((conn, id, msg)),
                            Ok(other) => {
                                carried = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    self.requests(batch).await;
                }
                RoomMsg::Gone { conn } => self.release(conn, None).await,
                RoomMsg::Erase { done } => {
                    tracing::info!(room = %self.room.code(), "room erased");
                    self.release_all(Release::Erased);
                    let _ = done.send(());
                    return Exit::Stopped;
                }
                RoomMsg::ShutDown { done } => {
                    self.release_all(Release::ShuttingDown);
                    let _ = done.send(());
                    return Exit::Stopped;
                }
                RoomMsg::IsTrainer { token, done } => {
                    let _ = done.send(self.room.trainer_with_token(&token).is_some());
                }
                RoomMsg::Status { done } => {
                    let _ = done.send(RoomStatus { ended: has_ended(&self.room), locked: self.room.is_locked() });
                }
                RoomMsg::Upload { token, deck, done } => {
                    let _ = done.send(self.upload(&token, deck).await);
                }
                RoomMsg::UploadAgenda { token, agenda, done } => {
                    let _ = done.send(self.upload_agenda(&token, &agenda).await);
                }
                RoomMsg::Note { token, note, done } => {
                    let _ = done.send(self.review_note(&token, note).await);
                }
                RoomMsg::HandOver { done } => {
                    self.release_all(Release::Moved);
                    let _ = done.send(());
                    return Exit::Stopped;
                }
            }
            while let Some((conn, why)) = self.released.pop() {
                self.release(conn, Some(why)).await;
            }
            if self.lost {
                tracing::warn!(room = %self.room.code(), "another node runs this room now; its connections go there");
                self.release_all(Release::Moved);
                return Exit::Lost;
            }
        }
    }

    /// When the room may leave memory: it has been quiet for as long as its state allows.
    fn leave_at(&self) -> Option<Instant> {
        let lifetime = if has_ended(&self.room) {
            self.lifetimes.ended
        } else if self.room.seats().next().is_none() {
            self.lifetimes.unjoined
        } else {
            self.lifetimes.idle
        };
        self.quiet_since.map(|since| since + lifetime)
    }

    /// Lets every connection go, telling each why.
    fn release_all(&mut self, why: Release) {
        for (_, gone) in self.conns.drain() {
            let _ = gone.hold.send(why);
        }
    }

    /// A room starts with no connections: whoever was here is away until they come back.
    async fn hold_every_seat(&mut self) {
        let here: Vec<SeatId> = self.room.seats().filter(|(_, seat)| seat.is_here()).map(|(id, _)| id).collect();
        for seat in here {
            if let Ok(events) = self.decide(Actor::Server, Command::SetPresence { seat, here: false }) {
                let _ = self.commit(events).await;
            }
        }
    }

    /// A timer or a seat hold ran out. If the store cannot take it, try again later, waiting
    /// twice as long each time (up to a minute), and tell the trainers only the first time.
    async fn tick(&mut self) {
        let Ok(events) = self.decide(Actor::Server, Command::Tick) else { return };
        let tell = self.tick_failures == 0;
        match self.commit_telling(events, tell).await {
            Ok(()) => {
                if self.tick_failures > 0 {
                    tracing::info!(room = %self.room.code(), "the store takes the room's timers again");
                }
                (self.tick_failures, self.tick_retry_at) = (0, None);
            }
            Err(_) => {
                self.tick_failures = self.tick_failures.saturating_add(1);
                let wait = (500u64 << self.tick_failures.min(7)).min(60_000);
                self.tick_retry_at = Some(now_ms() + wait);
            }
        }
    }

    /// Seats a new connection. On success returns who it is and, for a new seat, its token.
    async fn hello(
        &mut self,
        conn: ConnId,
        protocol: u32,
        join: Join,
        from: IpAddr,
    ) -> Result<(Identity, Option<String>), Rejection> {
        if protocol != PROTOCOL_VERSION {
            return Err(Rejection::UnsupportedProtocol);
        }
        if self.conns.contains_key(&conn) {
            return Err(Rejection::AlreadyJoined);
        }
        let mut seat_token = None;
        let identity = match join {
            Join::Trainer { token } => {
                let trainer = self.room.trainer_with_token(&token).ok_or(Rejection::BadToken)?;
                Identity::Trainer { trainer }
            }
            Join::Observer { token } => {
                if !self.room.may_watch(token.as_deref()) {
                    return Err(Rejection::BadToken);
                }
                Identity::Observer
            }
            Join::Player { name } => {
                let limit = self.room.settings().joins_per_address;
                if self.joins_from.get(&from).copied().unwrap_or(0) >= u16::from(limit) {
                    self.tell_trainers(&Rejection::TooManyFromAddress { max: limit });
                    return Err(Rejection::TooManyFromAddress { max: limit });
                }
                let token = Token::generate(&mut self.rng);
                let events =
                    self.decide(Actor::Guest, Command::Join { name, token: TokenDigest::of(&token.to_hex()) })?;
                let Some(&Event::Joined { seat, .. }) = events.first() else {
                    unreachable!("a join starts with Joined");
                };
                self.commit(events).await?;
                *self.joins_from.entry(from).or_default() += 1;
                seat_token = Some(token.to_hex());
                Identity::Player { seat }
            }
            Join::Seat { token } => {
                let (seat, shown) = self.room.seat_key(&token).ok_or(Rejection::BadToken)?;
                // A second connection with the same token replaces the first, which is told so.
                let replaced = self.conns.iter().filter(|(_, known)| known.identity == Identity::Player { seat });
                let replaced: Vec<ConnId> = replaced.map(|(conn, _)| *conn).collect();
                for conn in replaced {
                    if let Some(gone) = self.conns.remove(&conn) {
                        let _ = gone.hold.send(Release::Replaced);
                    }
                }
                // Each time a seat is taken back its token is replaced, so a token seen once
                // (on a shared computer, say) does not give the seat away for ever: the one
                // shown stays valid only until the new one is used (`Event::SeatTokenRotated`).
                let fresh = Token::generate(&mut self.rng);
                let digest = TokenDigest::of(&fresh.to_hex());
                let mut events = self.decide(Actor::Server, Command::SetPresence { seat, here: true })?;
                events.extend(self.decide(Actor::Server, Command::RotateSeatToken { seat, token: digest, shown })?);
                self.commit(events).await?;
                seat_token = Some(fresh.to_hex());
                Identity::Player { seat }
            }
        };
        tracing::info!(room = %self.room.code(), conn, ?identity, "joined");
        Ok((identity, seat_token))
    }

    /// What a newly seated connection is sent: only the broadcasts it missed, when it says
    /// which event it saw last and they are still at hand, or else its whole view.
    fn welcome(
        &self,
        identity: Identity,
        id: Option<u64>,
        seat_token: Option<String>,
        since: Option<u64>,
    ) -> Vec<Utf8Bytes> {
        let covered = self.recent.covered_from(self.seq);
        if let Some(since) = since.filter(|since| *since <= self.seq && *since >= covered) {
            let resumed = encode(&ServerMsg::Resumed { id, protocol: PROTOCOL_VERSION, seat_token, seq: since });
            let missed = self.recent.after(since).filter_map(|broadcast| {
                broadcast.frames.get(&Frame::for_identity(identity, &broadcast.frames)).cloned()
            });
            return [resumed].into_iter().chain(missed).collect();
        }
        let view = Box::new(self.room.view(identity, now_ms()));
        vec![encode(&ServerMsg::Welcome { id, protocol: PROTOCOL_VERSION, seat_token, seq: self.seq, view })]
    }

    /// Decides a batch of commands one after the other, each seeing the ones before, then makes
    /// all their events durable in one append and only then tells anyone. If the store fails,
    /// the room goes back to how it was and every command in the batch is refused.
    async fn requests(&mut self, batch: Vec<(ConnId, Option<u64>, ClientMsg)>) {
        let before = (self.room.clone(), self.seq);
        let mut staged = Staged::default();
        let mut events = Vec::new();
        let mut replies: Vec<(ConnId, Option<u64>, Reply)> = Vec::new();
        for (conn, id, msg) in batch {
            let Some(identity) = self.conns.get(&conn).map(|known| known.identity) else { continue };
            let outcome = self.command(identity, msg).and_then(|(actor, commands, secret)| {
                let decided = self.decide_all(actor, commands)?;
                Ok((decided, secret))
            });
            match outcome {
                Ok((decided, secret)) => {
                    for event in decided {
                        self.room.apply(&event);
                        self.seq += 1;
                        staged.add(&self.room, &event);
                        events.push(event);
                    }
                    replies.push((conn, id, Ok(secret)));
                }
                Err(rejection) => replies.push((conn, id, Err(rejection))),
            }
        }
        if let Err(rejection) = self.persist(&events, before.1, true).await {
            (self.room, self.seq) = before;
            for (_, _, reply) in &mut replies {
                if reply.is_ok() {
                    *reply = Err(rejection.clone());
                }
            }
        } else if !events.is_empty() {
            self.send_staged(staged);
            // A new projector link: the screens that watched with the old one (or none) go.
            if events.iter().any(|event| matches!(event, Event::ScreensLocked { token: Some(_) })) {
                let screens = self.conns.iter().filter(|(_, known)| known.identity == Identity::Observer);
                let screens: Vec<ConnId> = screens.map(|(conn, _)| *conn).collect();
                self.released.extend(screens.into_iter().map(|conn| (conn, Release::ScreenLinkChanged)));
            }
        }
        for (conn, id, reply) in replies {
            let answer = match reply {
                Ok(Some(Secret::Invite(token))) => ServerMsg::Invite { id, token: token.to_hex() },
                Ok(Some(Secret::ScreenLink(token))) => {
                    ServerMsg::ScreenToken { id, token: token.to_hex(), link: self.room.screen_link() }
                }
                Ok(None) => ServerMsg::Ack { id },
                Err(rejection) => ServerMsg::error(id, &rejection),
            };
            self.send_to(conn, encode(&answer));
        }
    }

    /// Who is asking for what; a co-trainer invitation and a projector link come with their new
    /// token.
    fn command(
        &mut self,
        identity: Identity,
        msg: ClientMsg,
    ) -> Result<(Actor, Vec<Command>, Option<Secret>), Rejection> {
        let actor = match identity {
            Identity::Trainer { trainer } => Actor::Trainer(trainer),
            Identity::Player { seat } => Actor::Player(seat),
            Identity::Observer => Actor::Guest,
        };
        let trainer = matches!(actor, Actor::Trainer(_));
        match msg {
            ClientMsg::Hello { .. } => Err(Rejection::AlreadyJoined),
            // Only a trainer's choice of decks or agenda is worth looking up.
            ClientMsg::Configure { .. }
            | ClientMsg::SetAgenda { .. }
            | ClientMsg::LoadAgenda { .. }
            | ClientMsg::EditAgenda(_)
                if !trainer =>
            {
                Err(Rejection::NotTrainer)
            }
            ClientMsg::Configure { settings, statement_decks, role_deck } => {
                Ok((actor, vec![self.configure(settings, &statement_decks, role_deck.as_deref())?], None))
            }
            ClientMsg::SetAgenda { agenda } => {
                let agenda = Plan::resolve(&agenda, &self.shared.library)?;
                Ok((actor, vec![Command::SetAgenda { agenda }], None))
            }
            ClientMsg::EditAgenda(edit) => {
                let current = self.room.agenda().cloned().unwrap_or_else(Plan::statements_only);
                let agenda = current.edited(edit, &self.shared.library)?;
                Ok((actor, vec![Command::SetAgenda { agenda }], None))
            }
            ClientMsg::LoadAgenda { draaiboek } => {
                let agenda = self.shared.library.agenda(&draaiboek).ok_or(Rejection::UnknownDeck)?.clone();
                Ok((actor, self.load_agenda(&agenda)?, None))
            }
            ClientMsg::AddTrainer => {
                let token = Token::generate(&mut self.rng);
                let digest = TokenDigest::of(&token.to_hex());
                Ok((actor, vec![Command::AddTrainer { token: digest }], Some(Secret::Invite(token))))
            }
            ClientMsg::ScreenLink { private: false } => Ok((actor, vec![Command::LockScreens { token: None }], None)),
            ClientMsg::ScreenLink { private: true } => {
                let token = Token::generate(&mut self.rng);
                let digest = TokenDigest::of(&token.to_hex());
                Ok((actor, vec![Command::LockScreens { token: Some(digest) }], Some(Secret::ScreenLink(token))))
            }
            msg => Ok((actor, vec![msg.into_command().ok_or(Rejection::UnknownType)?], None)),
        }
    }

    /// What following draaiboek `agenda` takes: its statement game and role deck, when it names
    /// them, then its agenda.
    fn load_agenda(&self, agenda: &Agenda) -> Result<Vec<Command>, Rejection> {
        let loaded = Loaded::of(agenda, &self.shared.library)?;
        let mut commands = Vec::new();
        if loaded.settings.is_some() || loaded.roles.is_some() {
            let settings = loaded.settings.unwrap_or_else(|| self.room.settings().clone());
            commands.push(self.configure(settings, &loaded.statement_decks, loaded.roles.as_deref())?);
        }
        commands.push(Command::SetAgenda { agenda: loaded.plan });
        Ok(commands)
    }

    /// Decides `commands` one after the other, each seeing the events of the ones before; all
    /// or nothing.
    fn decide_all(&mut self, actor: Actor, commands: Vec<Command>) -> Result<Vec<Event>, Rejection> {
        if let [_] = commands.as_slice() {
            let command = commands.into_iter().next().ok_or(Rejection::WrongPhase)?;
            return self.decide(actor, command);
        }
        let mut scratch = self.room.clone();
        let mut events = Vec::new();
        for command in commands {
            let decided = scratch.handle(actor, command, &mut Context { now: now_ms(), rng: &mut self.rng })?;
            decided.iter().for_each(|event| scratch.apply(event));
            events.extend(decided);
        }
        Ok(events)
    }

    /// Plays with an uploaded deck from now on: the statements or the roles of the room.
    async fn upload(&mut self, token: &str, deck: AnyDeck) -> Result<(), Rejection> {
        let trainer = self.room.trainer_with_token(token).ok_or(Rejection::BadToken)?;
        // The trainer's own cases go into every keukentafel step still to come.
        let with_cases = match &deck {
            AnyDeck::Cases(deck) => {
                let from = self.room.step_runs().len();
                let plan = self.room.agenda().and_then(|plan| plan.with_cases(deck, from));
                Some(plan.ok_or(Rejection::CasesNotPlayed)?)
            }
            _ => None,
        };
        // The same deck again changes nothing, and stores nothing.
        let unchanged = match &deck {
            AnyDeck::Statements(deck) => *self.room.setup().statements == *deck,
            AnyDeck::Roles(deck) => *self.room.setup().roles == *deck,
            AnyDeck::Questions(_) => return Err(Rejection::QuestionsNotPlayed),
            AnyDeck::Cases(_) => with_cases.as_ref() == self.room.agenda(),
        };
        if unchanged {
            return Ok(());
        }
        if self.uploads >= MAX_UPLOADS_PER_ROOM {
            return Err(Rejection::TooManyUploads { max: MAX_UPLOADS_PER_ROOM });
        }
        self.uploads += 1;
        let settings = self.room.settings().clone();
        let command = match deck {
            AnyDeck::Statements(deck) => Command::Configure {
                settings,
                statements: Some(deck_choice::share_statements(Arc::new(deck))),
                roles: None,
            },
            AnyDeck::Roles(deck) => {
                Command::Configure { settings, statements: None, roles: Some(deck_choice::share_roles(Arc::new(deck))) }
            }
            AnyDeck::Questions(_) => return Err(Rejection::QuestionsNotPlayed),
            AnyDeck::Cases(_) => Command::SetAgenda { agenda: with_cases.ok_or(Rejection::CasesNotPlayed)? },
        };
        let events = self.decide(Actor::Trainer(trainer), command)?;
        self.commit(events).await
    }

    /// Follows an uploaded draaiboek from now on.
    async fn review_note(&mut self, token: &str, note: cards::notes::ReviewNote) -> Result<(), Rejection> {
        let trainer = self.room.trainer_with_token(token).ok_or(Rejection::BadToken)?;
        let events = self.decide(Actor::Trainer(trainer), Command::Review(note))?;
        self.commit(events).await
    }

    async fn upload_agenda(&mut self, token: &str, agenda: &Agenda) -> Result<(), Rejection> {
        let trainer = self.room.trainer_with_token(token).ok_or(Rejection::BadToken)?;
        let commands = self.load_agenda(agenda)?;
        let events = self.decide_all(Actor::Trainer(trainer), commands)?;
        self.commit(events).await
    }

    /// Resolves deck ids against the server's library.
    fn configure(
        &self,
        settings: cards::Settings,
        statement_decks: &[String],
        role_deck: Option<&str>,
    ) -> Result<Command, Rejection> {
        let library = &self.shared.library;
        let statements = match statement_decks {
            [] => None,
            ids => Some(deck_choice::statements(library, ids)?),
        };
        let roles = match role_deck {
            None => None,
            Some(id) => Some(library.role_deck(id).ok_or(Rejection::UnknownDeck)?.clone()),
        };
        Ok(Command::Configure { settings, statements, roles })
    }

    fn decide(&mut self, actor: Actor, command: Command) -> Result<Vec<Event>, Rejection> {
        self.room.handle(actor, command, &mut Context { now: now_ms(), rng: &mut self.rng })
    }

    /// Makes accepted events durable, applies them, and tells everyone what they may see.
    /// If the store fails nothing is applied or sent: the command is refused as a whole.
    async fn commit(&mut self, events: Vec<Event>) -> Result<(), Rejection> {
        self.commit_telling(events, true).await
    }

    /// `commit`, telling trainers of a store failure only if `tell`.
    async fn commit_telling(&mut self, events: Vec<Event>, tell: bool) -> Result<(), Rejection> {
        if events.is_empty() {
            return Ok(());
        }
        self.persist(&events, self.seq, tell).await?;
        let mut staged = Staged::default();
        for event in &events {
            self.room.apply(event);
            self.seq += 1;
            staged.add(&self.room, event);
        }
        self.send_staged(staged);
        Ok(())
    }

    /// Appends events numbered from `after + 1` and waits until they are durable (write-ahead).
    /// A failure is in the server log, and told to the trainers if `tell`. If the store
    /// panicked, nobody knows whether the events are durable: this task gives up (panics), and
    /// the room is restored from its log.
    async fn persist(&mut self, events: &[Event], after: u64, tell: bool) -> Result<(), Rejection> {
        if events.is_empty() {
            return Ok(());
        }
        let at = now_ms();
        let code = self.room.code().clone();
        let records =
            (after + 1..).zip(events).map(|(seq, event)| Record { room: code.clone(), seq, at, event: event.clone() });
        let Err(error) = self.shared.store.append(records.collect()).await else {
            return Ok(());
        };
        if let StoreError::Panicked(why) = &error {
            panic!("the event store panicked while storing room {code} ({why}); its state may differ from its log");
        }
        if let StoreError::NotOwner(_) = &error {
            // Nothing was stored; the room is run elsewhere from its log, and this copy goes.
            self.lost = true;
            return Err(Rejection::StoreUnavailable);
        }
        tracing::error!(room = %code, %error, "events not stored; command refused");
        let rejection = Rejection::StoreUnavailable;
        if tell {
            self.tell_trainers(&rejection);
        }
        Err(rejection)
    }

    /// Tells the trainers (or just `only`) how many screens watch without a seat.
    fn tell_watching(&mut self, only: Option<ConnId>) {
        let screens = self.conns.values().filter(|known| known.identity == Identity::Observer).count();
        let message = encode(&ServerMsg::Watching { screens: u32::try_from(screens).unwrap_or(u32::MAX) });
        let trainers: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(conn, known)| {
                matches!(known.identity, Identity::Trainer { .. }) && only.is_none_or(|only| only == **conn)
            })
            .map(|(conn, _)| *conn)
            .collect();
        for conn in trainers {
            self.send_to(conn, message.clone());
        }
    }

    /// Sends every trainer a `notice` of something they should know.
    fn tell_trainers(&mut self, rejection: &Rejection) {
        let notice = encode(&ServerMsg::Notice { code: rejection.code().to_owned(), message: rejection.message() });
        let trainers: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, known)| matches!(known.identity, Identity::Trainer { .. }))
            .map(|(conn, _)| *conn)
            .collect();
        for conn in trainers {
            self.send_to(conn, notice.clone());
        }
    }

    /// Sends each connection its frame of what was staged: one serialisation for everybody,
    /// one more per seat that learned something private, one for trainers when their pile
    /// changed.
    fn send_staged(&mut self, staged: Staged) {
        if has_ended(&self.room) {
            // An ended session no longer takes one of the server's places: free it before
            // anyone hears that it ended.
            self.place = None;
        }
        let only_notes = staged.only_notes();
        let mut frames = staged.into_frames(self.seq);
        if only_notes {
            // Not even a reconnecting phone hears, from an empty update, that a note was made.
            frames.retain(|frame, _| *frame == Frame::Trainer);
        }
        let recipients: Vec<(ConnId, Utf8Bytes)> = self
            .conns
            .iter()
            .filter_map(|(conn, known)| {
                Some((*conn, frames.get(&Frame::for_identity(known.identity, &frames))?.clone()))
            })
            .collect();
        for (conn, frame) in recipients {
            self.send_to(conn, frame);
        }
        self.recent.push(Broadcast { seq: self.seq, frames });
        // A removed trainer or a seat that left keeps no connection to the room.
        let room = &self.room;
        let revoked = self.conns.iter().filter_map(|(conn, known)| {
            let why = match known.identity {
                Identity::Trainer { trainer } if !room.trainers().any(|kept| kept == trainer) => {
                    Release::TrainerRemoved
                }
                Identity::Player { seat } => match room.seat(seat).map(|seat| seat.presence) {
                    Some(Presence::Left { reason: LeaveReason::Kicked }) => Release::Removed,
                    Some(Presence::Left { .. }) | None => Release::Left,
                    Some(_) => return None,
                },
                _ => return None,
            };
            Some((*conn, why))
        });
        self.released.extend(revoked);
    }

    /// Queues a frame; a connection whose queue is full is released after this message.
    fn send_to(&mut self, conn: ConnId, frame: Utf8Bytes) {
        if let Some(known) = self.conns.get(&conn)
            && known.outbox.try_send(frame).is_err()
        {
            tracing::info!(room = %self.room.code(), conn, "dropping a connection that does not keep up");
            self.released.push((conn, Release::TooSlow));
        }
    }

    /// Forgets a connection, telling it why if there is a reason; its seat goes on hold when
    /// it was the seat's last connection.
    async fn release(&mut self, conn: ConnId, why: Option<Release>) {
        let Some(gone) = self.conns.remove(&conn) else {
            return;
        };
        if gone.identity == Identity::Observer {
            self.tell_watching(None);
        }
        if let Some(why) = why {
            let _ = gone.hold.send(why);
        }
        let Identity::Player { seat } = gone.identity else {
            return;
        };
        if self.conns.is_empty() {
            self.quiet_since = Some(Instant::now());
        }
        if self.conns.values().any(|known| known.identity == gone.identity) {
            return;
        }
        if let Ok(events) = self.decide(Actor::Server, Command::SetPresence { seat, here: false }) {
            let _ = self.commit(events).await;
        }
    }
}

async fn sleep_until(deadline: Option<u64>) {
    sleep_until_instant(deadline.map(instant_at)).await;
}

async fn sleep_until_instant(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// How a command in a batch is answered: accepted (with a co-trainer's token for an
/// invitation) or refused.
type Reply = Result<Option<Secret>, Rejection>;

/// A new secret a command's answer hands to the trainer who asked, and to nobody else.
enum Secret {
    /// A co-trainer's token, for `invite`.
    Invite(Token),
    /// The projector link's token, for `screen_link`.
    ScreenLink(Token),
}

/// Commands decided together and committed in one append.
const MAX_BATCH: usize = 64;

fn encode(msg: &ServerMsg) -> Utf8Bytes {
    Utf8Bytes::from(msg.encode())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broadcast(seq: u64, bytes: usize) -> Broadcast {
        Broadcast { seq, frames: BTreeMap::from([(Frame::Shared, Utf8Bytes::from("x".repeat(bytes)))]) }
    }

    #[test]
    fn the_resume_buffer_keeps_what_fits_and_never_claims_what_it_let_go() {
        let mut recent = Recent::default();
        recent.push(broadcast(2, 100));
        recent.push(broadcast(3, 100));
        assert_eq!(recent.covered_from(3), 1, "a client that saw event 1 gets both");
        assert_eq!(recent.after(1).count(), 2);
        // A frame over the bound lets everything go, itself too: whoever missed it gets a welcome.
        recent.push(broadcast(4, RECENT_BYTES + 1));
        assert_eq!(recent.covered_from(4), 4, "only a client that saw event 4 resumes");
        recent.push(broadcast(5, 100));
        assert_eq!(recent.covered_from(5), 4);
        assert_eq!(recent.after(4).map(|kept| kept.seq).collect::<Vec<_>>(), [5]);
        for seq in 6..100 {
            recent.push(broadcast(seq, 10));
        }
        assert_eq!(recent.broadcasts.len(), RECENT_BROADCASTS);
        assert_eq!(recent.covered_from(99), 99 - RECENT_BROADCASTS as u64);
        recent.push(broadcast(100, RECENT_BYTES - 32 * 10));
        assert!(recent.bytes <= RECENT_BYTES && recent.broadcasts.front().is_some_and(|oldest| oldest.seq > 68));
    }
}
