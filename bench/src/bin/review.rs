//! `standpunt-review`: what the review of a long session costs the server. A 40-person,
//! three-hour session of statements (every statement voted on twice, arguments and
//! definitions with each answer, a few marked moments; some 5,000 events) is played through
//! the pure core with a fixed seed, then `Review::of` (what `GET /api/rooms/CODE/review`
//! computes), its JSON (what the browser downloads and parses) and the HTML report are timed.
//! Prints one JSON line; `cargo xtask bench` puts it in its summary.

use std::time::Instant;

use cards::analysis::Review;
use cards::event::ReaderMode;
use cards::log::{LoggedEvent, Names};
use cards::{
    Actor, Answer, Command, Context, Event, Lang, Library, Position, Room, RoomCode, Settings, Setup, TokenDigest,
    TrainerId,
};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

const PARTICIPANTS: u16 = 40;
const EVENTS: usize = 5_000;
const THREE_HOURS_MS: u64 = 3 * 60 * 60 * 1000;
const RUNS: usize = 7;

/// The session's log, played command by command as the server would.
struct Session {
    room: Room,
    log: Vec<LoggedEvent>,
    rng: ChaCha8Rng,
    now: u64,
}

impl Session {
    fn new() -> Session {
        let library = Library::built_in();
        let statements = library.statement_deck("containerbegrippen").expect("a built-in deck").clone();
        let roles = library.role_deck("keukentafel").expect("a built-in deck").clone();
        let settings = Settings { reader: ReaderMode::Trainer, ..Settings::default() };
        let setup = Setup::new(settings, statements, roles);
        let (code, trainer) = (RoomCode::parse("K7PQ3M").expect("a room code"), TokenDigest::of("trainer"));
        let created = Event::Created { code: code.clone(), setup: Box::new(setup.clone()), trainer };
        let now = 1_764_590_400_000;
        Session {
            room: Room::new(code, setup, trainer),
            log: vec![LoggedEvent { seq: 1, at: now, event: created }],
            rng: ChaCha8Rng::seed_from_u64(18),
            now,
        }
    }

    fn run(&mut self, actor: Actor, command: Command) {
        // Three hours over the events the session will hold.
        self.now += THREE_HOURS_MS / EVENTS as u64;
        let events = {
            let mut context = Context { now: self.now, rng: &mut self.rng };
            self.room.handle(actor, command, &mut context).unwrap_or_default()
        };
        for event in events {
            self.room.apply(&event);
            let seq = self.log.len() as u64 + 1;
            self.log.push(LoggedEvent { seq, at: self.now, event });
        }
    }

    /// Each seat's answer: the first half leans to agreeing, the second to disagreeing, with
    /// noise, so the review has camps, opinion groups and definitions to group.
    fn answer(&mut self, seat: u16, vote: u8) -> Answer {
        let lean: i64 = if seat < PARTICIPANTS / 2 { 4 } else { 2 };
        let noise = i64::from(self.rng.next_u32() % 3) - 1;
        let position = (lean + noise + i64::from(vote == 2 && seat.is_multiple_of(3))).clamp(1, 5) as u8;
        let words = ["het gezin", "de professional", "samen", "het netwerk", "de gemeente", "zelf"];
        let pick = |n: u32| words[n as usize % words.len()];
        let (a, b) = (self.rng.next_u32(), self.rng.next_u32());
        Answer {
            position: Position::Scale(position),
            argument: Some(format!("Omdat {} en {} hier elk iets anders van verwachten.", pick(a), pick(b))),
            definition: (vote == 1).then(|| format!("{} beslist, {} denkt mee", pick(b), pick(a))),
        }
    }
}

fn main() {
    let trainer = Actor::Trainer(TrainerId(0));
    let mut session = Session::new();
    for seat in 0..PARTICIPANTS {
        let token = TokenDigest::of(&format!("seat {seat}"));
        session.run(Actor::Guest, Command::Join { name: format!("Deelnemer {}", seat + 1), token });
    }
    session.run(trainer, Command::Start);
    let mut statements = 0;
    while session.log.len() < EVENTS {
        let Some(card) = session.room.pile().next().cloned() else { break };
        session.run(trainer, Command::Play { card });
        for vote in 1..=2 {
            if vote == 2 {
                session.run(trainer, Command::Revote);
            }
            for seat in 0..PARTICIPANTS {
                let answer = session.answer(seat, vote);
                session.run(Actor::Player(cards::SeatId(seat)), Command::Answer(answer));
            }
            session.run(trainer, Command::Reveal);
        }
        if statements % 10 == 3 {
            session.run(trainer, Command::Mark { note: Some("hier viel het kwartje".to_owned()) });
        }
        session.run(trainer, Command::Next);
        statements += 1;
    }
    let log = session.log;

    let mut review_ms = Vec::new();
    let mut review = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        review = Some(Review::of(&log, Names::Pseudonyms, Lang::Nl));
        review_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let review = review.expect("at least one run");
    let started = Instant::now();
    let json = serde_json::to_string(&review).expect("a review serialises");
    let json_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let report = cards::report::html(&review, Lang::Nl);
    let report_ms = started.elapsed().as_secs_f64() * 1000.0;
    review_ms.sort_by(f64::total_cmp);
    println!(
        "{{\"events\": {}, \"participants\": {PARTICIPANTS}, \"statements\": {statements}, \"review_ms_median\": {:.1}, \"review_ms_max\": {:.1}, \"review_json_ms\": {json_ms:.1}, \"review_json_kb\": {:.0}, \"report_ms\": {report_ms:.1}, \"report_kb\": {:.0}, \"camps\": {}, \"opinion_groups\": {}}}",
        log.len(),
        review_ms[RUNS / 2],
        review_ms[RUNS - 1],
        json.len() as f64 / 1024.0,
        report.len() as f64 / 1024.0,
        review.statements.iter().filter(|statement| statement.camps.is_some()).count(),
        review.opinion_groups.len(),
    );
}
