//! The one websocket a page holds: it says hello with the remembered credential, keeps the
//! latest view with the core's reducer, and reconnects by itself when the connection drops.
//!
//! A session belongs to the page, not to a screen: when the screen is built again (the visitor
//! switched language) the same session, view and unsent answer carry on.

use std::cell::RefCell;

use std::time::Duration;

use cards::event::TimerMode;
use cards::protocol::{ClientMsg, Join, PROTOCOL_VERSION, Request, ServerMsg};
use cards::view::{Identity, PhaseView, Update as ViewUpdate};
use cards::{Presence, Text, View};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

use crate::storage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Connecting,
    Open,
    /// Dropped; a new attempt is scheduled.
    Lost,
    /// Over for good: this participant left, was removed, or handed over.
    Closed,
    /// This seat is now used in another window or on another device.
    Replaced,
    /// The trainer erased the session.
    Erased,
    /// This screen watched with a projector link the trainer has since replaced.
    ScreenLinkChanged,
}

/// Whether the updates missed while away bring `view` up to date. Not where an answer timer
/// may run: an update says how much time was left when its event happened, and a missed one
/// would restart the countdown from then, so there the whole view is asked for, whose timer
/// is as of now. Settings, the timer's included, change only in the lobby.
fn resumable(view: &View) -> bool {
    view.settings.timer == TimerMode::Off && !matches!(view.phase, PhaseView::Lobby)
}

/// A refusal from the server, as the person should read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: String,
    pub message: Text,
}

thread_local! {
    /// Owns the page's session, outside every screen, so re-rendering a screen keeps it.
    static PAGE_OWNER: RefCell<Option<Owner>> = const { RefCell::new(None) };
    static PAGE_SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Takes `owner` (made before any screen) as the owner of the page's session.
pub fn adopt_page_owner(owner: Owner) {
    PAGE_OWNER.with(|page| *page.borrow_mut() = Some(owner));
}

/// What a participant has chosen and typed but not sent yet, for one vote on one statement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub statement: String,
    pub vote: u8,
    pub position: Option<cards::Position>,
    pub argument: String,
    pub definition: String,
}

/// A schaalvraag answer chosen and typed but not sent yet, for one round of one step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScaleDraft {
    pub step: u16,
    pub rounds: usize,
    pub score: Option<u8>,
    pub why_not_lower: String,
    pub one_point_higher: String,
}

/// A page's connection to its room. Cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Session {
    pub code: StoredValue<String>,
    pub view: RwSignal<Option<View>>,
    pub link: RwSignal<Link>,
    /// The server said it is stopping (close 1001): until it is back, the page says so.
    pub restarting: RwSignal<bool>,
    /// For a trainer: how many screens watch without a seat (the projector, observers).
    pub screens: RwSignal<u32>,
    pub problem: RwSignal<Option<Problem>>,
    /// The last co-trainer token this trainer asked for.
    pub invite: RwSignal<Option<String>>,
    /// The projector link this console made, with its number, when the trainer made the link
    /// need a token.
    pub screen_link: RwSignal<Option<(u32, String)>>,
    /// The answer being written, kept while the screen is built again.
    pub draft: StoredValue<Option<Draft>>,
    /// The room gave up this page's seat (it was not taken back within the hold time, or the
    /// room no longer knows it): the page has stopped and offers to join again.
    pub seat_lost: RwSignal<bool>,
    /// When (`Date.now()`) the view's answer timer was last set by a message made that moment:
    /// its `remaining_ms` was the time left then, whenever the countdown is drawn.
    pub timer_set_at: RwSignal<f64>,
    /// When (`Date.now()`) the running step's `running_ms` was heard: the console's clock of
    /// time used counts on from there.
    pub step_clock_at: RwSignal<f64>,
    /// The schaalvraag answer being written, kept while the screen is built again.
    pub scale_draft: StoredValue<ScaleDraft>,
    /// The last lay-out this phone sent in a keukentafel step, with its step and case: a new
    /// round on the same case in the same step starts from it, so after the talk a participant moves roles instead of laying
    /// out the whole deck again.
    pub last_layout: StoredValue<Option<((u16, cards::CardId), cards::forms::table::Layout)>>,
    /// How to say hello again after a reconnect; `None` until the person has chosen.
    credential: StoredValue<Option<Join>>,
    socket: StoredValue<Option<SendWrapper<WebSocket>>>,
    next_id: StoredValue<u64>,
    /// The id of the last `hello`, so its refusal is told from a refused command.
    hello_id: StoredValue<Option<u64>>,
    /// The room event the view is current with; older updates are ignored.
    seq: StoredValue<u64>,
    attempts: StoredValue<u32>,
}

impl Session {
    /// The page's connection to room `code`: opened now, saying hello with `credential` if
    /// there is one, or the one this page already has.
    pub fn open(code: String, credential: Option<Join>) -> Session {
        if let Some(session) = PAGE_SESSION.with(|page| *page.borrow())
            && session.code.get_value() == code
        {
            return session;
        }
        let owner = PAGE_OWNER.with(|page| page.borrow().clone()).unwrap_or_default();
        let session = owner.with(|| Session::new(code, credential));
        PAGE_SESSION.with(|page| *page.borrow_mut() = Some(session));
        session.connect();
        session
    }

    fn new(code: String, credential: Option<Join>) -> Session {
        let screen_link = storage::screen_link(&code);
        Session {
            code: StoredValue::new(code),
            view: RwSignal::new(None),
            link: RwSignal::new(Link::Connecting),
            restarting: RwSignal::new(false),
            screens: RwSignal::new(0),
            problem: RwSignal::new(None),
            invite: RwSignal::new(None),
            screen_link: RwSignal::new(screen_link),
            draft: StoredValue::new(None),
            seat_lost: RwSignal::new(false),
            timer_set_at: RwSignal::new(js_sys::Date::now()),
            step_clock_at: RwSignal::new(js_sys::Date::now()),
            scale_draft: StoredValue::new(ScaleDraft::default()),
            last_layout: StoredValue::new(None),
            credential: StoredValue::new(credential),
            socket: StoredValue::new(None),
            next_id: StoredValue::new(1),
            hello_id: StoredValue::new(None),
            seq: StoredValue::new(0),
            attempts: StoredValue::new(0),
        }
    }

    /// Takes a place in the room, now if the socket is open, or as soon as it is.
    pub fn join(&self, join: Join) {
        self.credential.set_value(Some(join));
        self.problem.set(None);
        match self.link.get_untracked() {
            Link::Open => self.hello(),
            // The page had stopped (its seat was given up, or it had nothing to say hello
            // with): this is a fresh start.
            Link::Closed => {
                self.attempts.set_value(0);
                self.connect();
            }
            // The hello goes out as soon as the socket opens.
            Link::Connecting | Link::Lost | Link::Replaced | Link::Erased | Link::ScreenLinkChanged => {}
        }
    }

    /// Connects again after this seat was taken over elsewhere: the person chose this window.
    pub fn take_back(&self) {
        self.attempts.set_value(0);
        self.connect();
    }

    /// Sends a command; the answer arrives as updates, an `ack` or an `error`.
    pub fn send(&self, msg: ClientMsg) {
        self.request(msg);
    }

    /// Sends a message and returns its id, which the answer carries.
    fn request(&self, msg: ClientMsg) -> u64 {
        self.problem.set(None);
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let frame = Request { id: Some(id), msg }.encode();
        self.socket.with_value(|socket| {
            if let Some(socket) = socket {
                let _ = socket.send_with_str(&frame);
            }
        });
        id
    }

    fn hello(&self) {
        let Some(join) = self.credential.get_value() else { return };
        // After a dropped connection, ask only for what was missed when that is enough (see
        // `resumable`), else for the whole view. Nothing typed is lost either way: the draft
        // and the form's fields are not part of the view.
        let resume = self.view.with_untracked(|view| view.as_ref().is_some_and(resumable));
        let since = resume.then(|| self.seq.get_value());
        let id = self.request(ClientMsg::Hello { protocol: PROTOCOL_VERSION, join, since });
        self.hello_id.set_value(Some(id));
    }

    fn connect(&self) {
        let Some(window) = web_sys::window() else { return };
        let location = window.location();
        let scheme = if location.protocol().as_deref() == Ok("https:") { "wss" } else { "ws" };
        let host = location.host().unwrap_or_default();
        let url = format!("{scheme}://{host}/ws?room={}", self.code.get_value());
        let Ok(socket) = WebSocket::new(&url) else {
            self.schedule_reconnect();
            return;
        };
        self.link.set(Link::Connecting);

        let session = *self;
        let on_open = Closure::<dyn FnMut()>::new(move || {
            session.link.set(Link::Open);
            session.restarting.set(false);
            session.attempts.set_value(0);
            session.hello();
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                session.receive(&text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            session.socket.set_value(None);
            // The close codes of PROTOCOL.md: these say that coming back is pointless.
            match event.code() {
                4002 => session.link.set(Link::Replaced),
                4003 => session.link.set(Link::Erased),
                4005 => session.link.set(Link::ScreenLinkChanged),
                1000 | 4001 | 4004 => session.link.set(Link::Closed),
                1001 => {
                    session.restarting.set(true);
                    session.schedule_reconnect();
                }
                _ if session.is_over() => session.link.set(Link::Closed),
                // Nothing to say hello with (the person has not joined yet): the server closed
                // an idle socket, and `join` opens a new one.
                _ if session.credential.get_value().is_none() => session.link.set(Link::Closed),
                _ => session.schedule_reconnect(),
            }
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // The handlers live as long as the socket; the page holds one socket at a time.
        on_open.forget();
        on_message.forget();
        on_close.forget();
        self.socket.set_value(Some(SendWrapper::new(socket)));
    }

    fn receive(&self, text: &str) {
        let Ok(msg) = serde_json::from_str::<ServerMsg>(text) else { return };
        match msg {
            ServerMsg::Welcome { seat_token, seq, view, .. } => {
                if let Some(token) = seat_token {
                    storage::set_seat_token(&self.code.get_value(), &token);
                    self.credential.set_value(Some(Join::Seat { token }));
                }
                self.seq.set_value(seq);
                // The view was made as it was sent, so its timer is the time left now.
                self.timer_set_at.set(js_sys::Date::now());
                self.step_clock_at.set(js_sys::Date::now());
                self.view.set(Some(*view));
                self.seat_lost.set(false);
            }
            ServerMsg::Update { seq, updates } if seq > self.seq.get_value() => {
                self.seq.set_value(seq);
                // Sent as its event happened (`hello` asks for no missed updates that could
                // hold a timer), so the time left is as of now.
                if updates.iter().any(|update| matches!(update, ViewUpdate::Timer { .. })) {
                    self.timer_set_at.set(js_sys::Date::now());
                }
                let step_clock = |update: &ViewUpdate| matches!(update, ViewUpdate::Session { session } if session.running_ms.is_some());
                if updates.iter().any(step_clock) {
                    self.step_clock_at.set(js_sys::Date::now());
                }
                self.view.update(|view| {
                    if let Some(view) = view {
                        updates.iter().for_each(|update| view.apply(update));
                    }
                });
            }
            ServerMsg::Resumed { seq, seat_token, .. } => {
                if let Some(token) = seat_token {
                    storage::set_seat_token(&self.code.get_value(), &token);
                    self.credential.set_value(Some(Join::Seat { token }));
                }
                self.seq.set_value(seq);
            }
            ServerMsg::Update { .. } | ServerMsg::Ack { .. } => {}
            ServerMsg::Notice { code, message } => self.problem.set(Some(Problem { code, message })),
            ServerMsg::Watching { screens } => self.screens.set(screens),
            ServerMsg::Invite { token, .. } => self.invite.set(Some(token)),
            ServerMsg::ScreenToken { token, link, .. } => {
                storage::set_screen_link(&self.code.get_value(), link, &token);
                self.screen_link.set(Some((link, token)));
            }
            ServerMsg::Error { id: Some(id), code, message } if Some(id) == self.hello_id.get_value() => {
                self.refused(code, message);
            }
            ServerMsg::Error { code, message, .. } => self.problem.set(Some(Problem { code, message })),
        }
    }

    /// The room refused this page's `hello`: on opening the page, or on coming back after a
    /// dropped connection, when the page still shows the view it had.
    fn refused(&self, code: String, message: Text) {
        let seat = matches!(self.credential.get_value(), Some(Join::Seat { .. }));
        if code == "bad_token" {
            // A token the room does not know never becomes good by trying again.
            self.stop();
            if seat {
                // The seat was given up: it was not taken back within the hold time, or the
                // room was restored without it. What the page shows belongs to a seat that
                // is gone, and its unsent answer with it.
                storage::forget_seat_token(&self.code.get_value());
                self.credential.set_value(None);
                self.draft.set_value(None);
                self.seq.set_value(0);
                self.view.set(None);
                self.seat_lost.set(true);
                return;
            }
        }
        // Joining again was refused too (the session was locked meanwhile, say): the name
        // form says why.
        self.seat_lost.set(false);
        if self.view.with_untracked(Option::is_none) {
            // Refused on opening the page: the remembered credential is no good.
            if seat {
                storage::forget_seat_token(&self.code.get_value());
            }
            self.credential.set_value(None);
        }
        self.problem.set(Some(Problem { code, message }));
    }

    /// Hangs up for good, without the reconnect a dropped socket gets.
    fn stop(&self) {
        self.link.set(Link::Closed);
        if let Some(socket) = self.socket.try_update_value(Option::take).flatten() {
            socket.set_onclose(None);
            socket.set_onmessage(None);
            let _ = socket.close_with_code(1000);
        }
    }

    /// Whether this participant's place in the room is gone for good, so reconnecting is
    /// pointless: a seat that left, or a trainer who was removed.
    fn is_over(&self) -> bool {
        self.view.with_untracked(|view| {
            let Some(view) = view else { return false };
            match view.you {
                Identity::Player { seat } => {
                    view.seat(seat).is_some_and(|seat| matches!(seat.presence, Presence::Left { .. }))
                }
                Identity::Trainer { trainer } => !view.trainers.contains(&trainer),
                Identity::Observer => false,
            }
        })
    }

    /// Tries again after 0.5, 1, 2, 4 … seconds, at most every 10 seconds.
    fn schedule_reconnect(&self) {
        self.link.set(Link::Lost);
        let attempt = self.attempts.get_value();
        self.attempts.set_value(attempt + 1);
        let delay = Duration::from_millis((500u64 << attempt.min(5)).min(10_000));
        let session = *self;
        set_timeout(move || session.connect(), delay);
    }
}
