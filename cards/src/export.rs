//! Exports of a room's log: CSV with one row per answer (for Excel with Dutch settings: `;`
//! between fields, a UTF-8 byte order mark) and JSON with the whole log. Both speak the
//! language asked for: the CSV's headers, labels and card texts, and the pseudonyms.

use crate::deck::{CardId, RoleDeck};
use crate::event::SeatId;
use crate::event::{Event, Position};
use crate::forms::FormKind;
use crate::forms::actions::Stage;
use crate::forms::actions::{Actions, Source};
use crate::forms::mirror::{Kind, Mirror, MirrorEvent, Stage as MirrorStage};
use crate::forms::scale::Scale;
use crate::forms::table::{KitchenTable, Place, Regie};
use crate::log::{AnswerRow, LoggedEvent, Names, pseudonym};
use crate::room::Room;
use crate::session::agenda::{AgreedDefinition, CarriedAction, MAX_AGREED, to_toml};
use crate::session::plan::{Plan, RunningForm, StepRun};
use crate::text::{Lang, Text};

/// The column names. Excel with Dutch settings wants `;` whatever language the trainer reads,
/// so only the words change with the language, never the separator.
const CSV_HEADER_NL: [&str; 14] = [
    "ronde",
    "stemming",
    "stelling_id",
    "stelling",
    "begrippen",
    "deelnemer",
    "rol",
    "positie",
    "positie_tekst",
    "argument",
    "definitie",
    "tijd_utc",
    "onthuld",
    "stoel",
];

const CSV_HEADER_EN: [&str; 14] = [
    "round",
    "vote",
    "statement_id",
    "statement",
    "terms",
    "participant",
    "role",
    "position",
    "position_text",
    "argument",
    "definition",
    "time_utc",
    "revealed",
    "seat",
];

/// The words of the CSV in one language: the scale, a pass, yes and no.
struct Words {
    header: [&'static str; 14],
    scale: [&'static str; 5],
    pass: &'static str,
    yes: &'static str,
    no: &'static str,
}

const NL: Words = Words {
    header: CSV_HEADER_NL,
    scale: ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"],
    pass: "pas",
    yes: "ja",
    no: "nee",
};

const EN: Words = Words {
    header: CSV_HEADER_EN,
    scale: ["strongly disagree", "disagree", "neutral", "agree", "strongly agree"],
    pass: "pass",
    yes: "yes",
    no: "no",
};

/// One line per answer, `;`-separated, CRLF line ends, with a byte order mark so Excel reads
/// the accents right. Headers, labels and card texts in `lang` (a card without English keeps
/// its Dutch); the rows' pseudonyms were made in a language already.
pub fn csv(rows: &[AnswerRow], lang: Lang) -> String {
    let words = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let mut out = String::from("\u{feff}");
    push_line(&mut out, words.header.iter().map(|field| (*field).to_owned()));
    for row in rows {
        let (number, label) = match row.position {
            Position::Scale(n) => (n.to_string(), words.scale[usize::from(n.saturating_sub(1)).min(4)]),
            Position::Pass => (String::new(), words.pass),
        };
        push_line(
            &mut out,
            [
                row.turn.to_string(),
                row.vote.to_string(),
                row.statement.to_string(),
                row.statement_text.get(lang).to_owned(),
                row.terms.join(", "),
                row.participant.clone(),
                row.role.get(lang).to_owned(),
                number,
                label.to_owned(),
                row.argument.clone().unwrap_or_default(),
                row.definition.clone().unwrap_or_default(),
                iso8601(row.at),
                if row.revealed { words.yes } else { words.no }.to_owned(),
                (u32::from(row.seat.0) + 1).to_string(),
            ]
            .into_iter(),
        );
    }
    out
}

/// The action list of a verbeteracties step, ranked as the group ranked it: what the group
/// will do, who picks it up and by when, for the trainer to send round after the meeting. The
/// same conventions as the answers' CSV; who proposed what is left out (proposals are weighed
/// by their content), only where it came from.
pub fn action_list_csv(actions: &Actions, lang: Lang) -> String {
    let (header, seat, scale, mirror) = match lang {
        Lang::Nl => (
            ["rang", "actie", "stippen", "stemmers", "wie", "wanneer", "herkomst"],
            "deelnemer",
            "schaalvraag",
            "spiegelgesprek",
        ),
        Lang::En => (
            ["rank", "action", "dots", "voters", "who", "by_when", "source"],
            "participant",
            "scale question",
            "mirror conversation",
        ),
    };
    let mut out = String::from("\u{feff}");
    push_line(&mut out, header.iter().map(|field| (*field).to_owned()));
    for (rank, ranked) in actions.ranked().iter().enumerate() {
        let mut sources: Vec<&str> = ranked
            .proposal
            .sources
            .iter()
            .map(|source| match source {
                Source::Seat { .. } => seat,
                Source::Scale => scale,
                Source::Mirror => mirror,
            })
            .collect();
        sources.dedup();
        push_line(
            &mut out,
            [
                (rank + 1).to_string(),
                ranked.proposal.text.clone(),
                ranked.dots.to_string(),
                ranked.voters.to_string(),
                ranked.proposal.owner.clone().unwrap_or_default(),
                ranked.proposal.by.clone().unwrap_or_default(),
                sources.join(", "),
            ]
            .into_iter(),
        );
    }
    out
}

/// The session's agenda as a draaiboek file, to start the next session of a learning group
/// from: the steps as they stand now, the session's statement decks and settings in every
/// statements step, the role deck it played.
pub fn agenda_toml(room: &Room) -> String {
    let setup = room.setup();
    let plan = room.agenda().cloned().unwrap_or_else(Plan::statements_only);
    let decks: Vec<String> = setup.statements.id.split('+').map(str::to_owned).collect();
    let id = format!("standpunt-{}", room.code().to_string().to_lowercase());
    let mut agenda = plan.to_agenda(&id, &decks, room.settings());
    agenda.roles = Some(setup.roles.id.clone());
    agenda.carried = actions_to_carry(room);
    agenda.agreed = definitions_to_carry(room, &plan);
    to_toml(&agenda)
}

/// The definitions the learning group agreed on: those carried into this session, with those
/// written down in its review taking the place of any for the same term.
fn definitions_to_carry(room: &Room, plan: &Plan) -> Vec<AgreedDefinition> {
    let mut agreed: std::collections::BTreeMap<&str, &str> =
        plan.agreed.iter().map(|agreed| (agreed.term.as_str(), agreed.definition.as_str())).collect();
    agreed.extend(room.agreed_definitions().iter().map(|(term, definition)| (term.as_str(), definition.as_str())));
    agreed
        .into_iter()
        .take(MAX_AGREED)
        .map(|(term, definition)| AgreedDefinition { term: term.to_owned(), definition: definition.to_owned() })
        .collect()
}

/// The actions the next meeting asks about: of each verbeteracties step, those the trainer
/// gave an owner, or, when nobody got one, the top three of the ranking.
fn actions_to_carry(room: &Room) -> Vec<CarriedAction> {
    let steps = room.step_runs().iter().filter_map(|run| match &run.form {
        RunningForm::Actions(actions) if actions.stage == Stage::Ranked => Some(actions),
        _ => None,
    });
    steps
        .flat_map(|actions| {
            let ranked = actions.ranked();
            let owned: Vec<_> = ranked.iter().filter(|ranked| ranked.proposal.owner.is_some()).collect();
            let chosen = if owned.is_empty() { ranked.iter().take(3).collect() } else { owned };
            chosen
                .into_iter()
                .map(|ranked| CarriedAction {
                    text: ranked.proposal.text.clone(),
                    owner: ranked.proposal.owner.clone(),
                    by: ranked.proposal.by.clone(),
                })
                .collect::<Vec<_>>()
        })
        .take(usize::from(crate::forms::actions::MAX_PROPOSALS))
        .collect()
}

/// The step of form `form` that `step` names (the last one of that form when `None`) and its
/// state, if it has started.
pub fn started_step(room: &Room, form: FormKind, step: Option<u16>) -> Option<(u16, &StepRun)> {
    let runs = room.step_runs().iter().enumerate();
    let mut of_form = runs.filter(|(_, run)| match &run.form {
        RunningForm::Statements => form == FormKind::Statements,
        RunningForm::Scale(_) => form == FormKind::Scale,
        RunningForm::Actions(_) => form == FormKind::Actions,
        RunningForm::Table(_) => form == FormKind::Table,
        RunningForm::Mirror(_) => form == FormKind::Mirror,
    });
    let (index, run) = match step {
        Some(step) => of_form.find(|(index, _)| *index == usize::from(step))?,
        None => of_form.next_back()?,
    };
    Some((u16::try_from(index).ok()?, run))
}

/// How a work form's file names a seat: its name or pseudonym, as `names` says, and its role.
fn named(room: &Room, names: Names, lang: Lang) -> impl Fn(SeatId) -> (String, Text) + '_ {
    move |seat: SeatId| {
        let known = room.seat(seat);
        let name = match (names, known) {
            (Names::Real, Some(known)) => known.name.clone(),
            _ => pseudonym(seat, lang),
        };
        let role = known.and_then(|known| known.role.as_ref()).and_then(|role| room.setup().roles.card(role));
        (name, role.map_or_else(|| Text::new("", ""), |role| role.name.clone()))
    }
}

/// A schaalvraag step's answers as CSV (`scale_csv`), with the session's names or pseudonyms.
pub fn scale_step_csv(room: &Room, step: Option<u16>, names: Names, lang: Lang) -> Option<String> {
    let (_, run) = started_step(room, FormKind::Scale, step)?;
    let RunningForm::Scale(scale) = &run.form else { return None };
    Some(scale_csv(scale, named(room, names, lang), lang))
}

/// A keukentafel step's lay-outs as CSV (`table_csv`), with the session's names or pseudonyms.
pub fn table_step_csv(room: &Room, step: Option<u16>, names: Names, lang: Lang) -> Option<String> {
    let (_, run) = started_step(room, FormKind::Table, step)?;
    let RunningForm::Table(kitchen) = &run.form else { return None };
    Some(table_csv(kitchen, &room.setup().roles, named(room, names, lang), lang))
}

/// The lay-outs of a keukentafel step, one line per participant, role of the deck and round
/// (revealed or not): where the participant placed the role, why, and whom they named for the
/// regie. The answers' CSV conventions.
pub fn table_csv(
    kitchen: &KitchenTable,
    roles: &RoleDeck,
    who: impl Fn(SeatId) -> (String, Text),
    lang: Lang,
) -> String {
    let header = match lang {
        Lang::Nl => [
            "ronde",
            "casus_id",
            "casus",
            "deelnemer",
            "rol_deelnemer",
            "rol_id",
            "rol",
            "plek",
            "waarom",
            "regie",
            "onthuld",
        ],
        Lang::En => [
            "round",
            "case_id",
            "case",
            "participant",
            "participant_role",
            "role_id",
            "role",
            "place",
            "why",
            "in_charge",
            "revealed",
        ],
    };
    let (yes, no) = match lang {
        Lang::Nl => ("ja", "nee"),
        Lang::En => ("yes", "no"),
    };
    let place = |place: Place| match (lang, place) {
        (Lang::Nl, Place::Table) => "aan tafel",
        (Lang::Nl, Place::OnCall) => "op afroep",
        (Lang::Nl, Place::NotNeeded) => "niet nodig",
        (Lang::En, Place::Table) => "at the table",
        (Lang::En, Place::OnCall) => "on call",
        (Lang::En, Place::NotNeeded) => "not needed",
    };
    let regie = |regie: &Option<Regie>| match regie {
        None => String::new(),
        Some(Regie::Family) => if lang == Lang::Nl { "het gezin" } else { "the family" }.to_owned(),
        Some(Regie::Role(role)) => {
            roles.card(role).map_or_else(|| role.to_string(), |card| card.name.get(lang).to_owned())
        }
    };
    let mut out = String::from("\u{feff}");
    push_line(&mut out, header.iter().map(|field| (*field).to_owned()));
    for (index, round) in kitchen.rounds.iter().enumerate() {
        let number = kitchen.rounds[..=index].iter().filter(|earlier| earlier.case == round.case).count();
        let case = kitchen.cases.iter().find(|card| card.id == round.case).map(|card| card.title.get(lang).to_owned());
        for (seat, layout) in &round.layouts {
            let (participant, own_role) = who(*seat);
            for role in &roles.cards {
                push_line(
                    &mut out,
                    [
                        number.to_string(),
                        round.case.to_string(),
                        case.clone().unwrap_or_default(),
                        participant.clone(),
                        own_role.get(lang).to_owned(),
                        role.id.to_string(),
                        role.name.get(lang).to_owned(),
                        place(layout.place(&role.id)).to_owned(),
                        layout.reasons.get(&role.id).cloned().unwrap_or_default(),
                        regie(&layout.regie),
                        if round.revealed.is_some() { yes } else { no }.to_owned(),
                    ]
                    .into_iter(),
                );
            }
        }
    }
    out
}

/// A spiegelgesprek step's observations as CSV (`mirror_csv`); the speakers' typed answers only
/// when `typed` (the trainer's explicit choice).
pub fn mirror_step_csv(room: &Room, step: Option<u16>, typed: bool, lang: Lang) -> Option<String> {
    let (_, run) = started_step(room, FormKind::Mirror, step)?;
    let RunningForm::Mirror(mirror) = &run.form else { return None };
    Some(mirror_csv(mirror, typed, lang))
}

/// The observations of a spiegelgesprek, one line each, by question as they were put on the
/// table: the question, its kind (gaat goed, kan beter, raakt me), the text, the trainer's group
/// and whether it went to verbeteracties. Never a name. With `typed`, each speaker's typed
/// answer too, as a line of kind `antwoord spreker`. The answers' CSV conventions.
pub fn mirror_csv(mirror: &Mirror, typed: bool, lang: Lang) -> String {
    let (header, answer, yes, no) = match lang {
        Lang::Nl => (
            ["nummer", "vraag_id", "vraag", "soort", "tekst", "groep", "naar_verbeteracties"],
            "antwoord spreker",
            "ja",
            "nee",
        ),
        Lang::En => (
            ["number", "question_id", "question", "kind", "text", "group", "to_actions"],
            "speaker's answer",
            "yes",
            "no",
        ),
    };
    let kind = |kind: Kind| match (lang, kind) {
        (Lang::Nl, Kind::GoesWell) => "gaat goed",
        (Lang::Nl, Kind::CouldBeBetter) => "kan beter",
        (Lang::Nl, Kind::TouchesMe) => "raakt me",
        (Lang::En, Kind::GoesWell) => "goes well",
        (Lang::En, Kind::CouldBeBetter) => "could be better",
        (Lang::En, Kind::TouchesMe) => "touches me",
    };
    let mut out = String::from("\u{feff}");
    push_line(&mut out, header.iter().map(|field| (*field).to_owned()));
    for (index, question) in mirror.asked.iter().enumerate() {
        let text = mirror.questions.iter().find(|card| &card.id == question).map(|card| card.text.get(lang).to_owned());
        let line = |out: &mut String, what: &str, said: &str, group: &str, picked: &str| {
            let fields = [
                (index + 1).to_string(),
                question.to_string(),
                text.clone().unwrap_or_default(),
                what.to_owned(),
                said.to_owned(),
                group.to_owned(),
                picked.to_owned(),
            ];
            push_line(out, fields.into_iter());
        };
        if typed {
            for said in mirror.answers.get(index).into_iter().flat_map(|answers| answers.values()) {
                line(&mut out, answer, said, "", "");
            }
        }
        // While the speakers talk, nobody reads an observation: not in a file either.
        let after_talk = mirror.stage == MirrorStage::AfterTalk;
        let mut noted: Vec<_> =
            mirror.observations.iter().filter(|noted| after_talk && noted.question == index).collect();
        // By kind and text: the order tells nothing of who noted what.
        noted.sort_by(|a, b| (a.kind, &a.text).cmp(&(b.kind, &b.text)));
        for noted in noted {
            line(
                &mut out,
                kind(noted.kind),
                &noted.text,
                noted.group.as_deref().unwrap_or_default(),
                if noted.picked { yes } else { no },
            );
        }
    }
    out
}

/// A verbeteracties step's action list as CSV (`action_list_csv`).
pub fn actions_step_csv(room: &Room, step: Option<u16>, lang: Lang) -> Option<String> {
    let (_, run) = started_step(room, FormKind::Actions, step)?;
    let RunningForm::Actions(actions) = &run.form else { return None };
    Some(action_list_csv(actions, lang))
}

/// The answers of a schaalvraag step, one line per answer in every asking, revealed or not:
/// the same conventions as the answers' CSV. `who` names a seat (a name or a pseudonym) and its
/// role, as the session knows them.
pub fn scale_csv(scale: &Scale, who: impl Fn(SeatId) -> (String, Text), lang: Lang) -> String {
    let header = match lang {
        Lang::Nl => [
            "keer",
            "vraag_id",
            "vraag",
            "deelnemer",
            "rol",
            "cijfer",
            "waarom_niet_lager",
            "een_punt_hoger",
            "onthuld",
        ],
        Lang::En => [
            "asking",
            "question_id",
            "question",
            "participant",
            "role",
            "score",
            "why_not_lower",
            "one_point_higher",
            "revealed",
        ],
    };
    let (yes, no) = match lang {
        Lang::Nl => ("ja", "nee"),
        Lang::En => ("yes", "no"),
    };
    let mut out = String::from("\u{feff}");
    push_line(&mut out, header.iter().map(|field| (*field).to_owned()));
    let mut asked: Vec<&CardId> = Vec::new();
    for round in &scale.rounds {
        asked.push(&round.question);
        let asking = asked.iter().filter(|question| **question == &round.question).count();
        let text =
            scale.questions.iter().find(|card| card.id == round.question).map(|card| card.text.get(lang).to_owned());
        for (seat, answer) in &round.answers {
            let (participant, role) = who(*seat);
            push_line(
                &mut out,
                [
                    asking.to_string(),
                    round.question.to_string(),
                    text.clone().unwrap_or_default(),
                    participant,
                    role.get(lang).to_owned(),
                    answer.score.to_string(),
                    answer.why_not_lower.clone().unwrap_or_default(),
                    answer.one_point_higher.clone().unwrap_or_default(),
                    if round.revealed.is_some() { yes } else { no }.to_owned(),
                ]
                .into_iter(),
            );
        }
    }
    out
}

fn push_line(out: &mut String, fields: impl Iterator<Item = String>) {
    let fields: Vec<String> = fields.map(|field| quote(&field)).collect();
    out.push_str(&fields.join(";"));
    out.push_str("\r\n");
}

/// Quotes a field when it holds a separator, a quote or a line break. A leading `=`, `+`,
/// `-` or `@` gets a `'` so Excel never runs a participant's text as a formula.
fn quote(field: &str) -> String {
    let field = if field.starts_with(['=', '+', '-', '@']) { format!("'{field}") } else { field.to_owned() };
    if field.contains([';', '"', '\n', '\r']) { format!("\"{}\"", field.replace('"', "\"\"")) } else { field }
}

/// The whole log as JSON, names pseudonymised (in `lang`) unless `names` is `Real`.
pub fn json(log: &[LoggedEvent], names: Names, lang: Lang) -> String {
    // A spiegelgesprek's typed answers and observations are not in the log's file: their own
    // file has the observations without names, and the typed answers only when the trainer asks.
    let private = |event: &Event| {
        matches!(event, Event::Mirror { mirror: MirrorEvent::Answered { .. } | MirrorEvent::Observed { .. }, .. })
    };
    let log: Vec<LoggedEvent> = log
        .iter()
        .filter(|logged| !private(&logged.event))
        .map(|logged| match (&logged.event, names) {
            (Event::Joined { seat, token, .. }, Names::Pseudonyms) => LoggedEvent {
                event: Event::Joined { seat: *seat, name: pseudonym(*seat, lang), token: *token },
                ..logged.clone()
            },
            _ => logged.clone(),
        })
        .collect();
    serde_json::to_string_pretty(&log).expect("events always serialise")
}

/// `2026-11-22T09:30:00Z` from milliseconds since the Unix epoch.
pub fn iso8601(ms: u64) -> String {
    let seconds = ms / 1000;
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Howard Hinnant's days-to-date algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Who;
    use crate::forms::actions::{ActionCommand, ActionSettings, ProposalId};
    use crate::forms::scale::{ScaleAnswer, ScaleCommand, ScaleSettings};
    use crate::text::Text;

    #[test]
    fn a_schaalvraag_asked_twice_exports_both_askings_with_names_and_roles() {
        let library = crate::Library::built_in();
        let questions = library.question_deck("schaalvragen").expect("built in").cards.clone();
        let mut scale = Scale::new(ScaleSettings::default(), questions);
        let here = [SeatId(0), SeatId(1)];
        let mut run = |who, command| {
            let events = scale.handle(who, command, &here).expect("accepted");
            events.iter().for_each(|event| scale.apply(event));
        };
        let answer = |score, higher: Option<&str>| {
            ScaleCommand::Answer(ScaleAnswer {
                score,
                why_not_lower: None,
                one_point_higher: higher.map(str::to_owned),
            })
        };
        for scores in [[4, 6], [6, 7]] {
            run(Who::Trainer, ScaleCommand::Ask { question: CardId::new("toegang-soepel") });
            run(Who::Player(SeatId(0)), answer(scores[0], Some("Eén loket")));
            run(Who::Player(SeatId(1)), answer(scores[1], None));
        }
        let who = |seat: SeatId| {
            let names = [("Anna", Text::new("Ouder", "Parent")), ("Bram", Text::new("Huisarts", "GP"))];
            let (name, role) = names[usize::from(seat.0)].clone();
            (name.to_owned(), role)
        };
        let csv = scale_csv(&scale, who, Lang::En);
        let lines: Vec<&str> =
            csv.trim_start_matches('\u{feff}').split("\r\n").filter(|line| !line.is_empty()).collect();
        assert_eq!(lines.len(), 1 + 4);
        assert!(lines[1].starts_with("1;toegang-soepel;How easily do residents"), "{}", lines[1]);
        assert!(lines[1].ends_with(";Anna;Parent;4;;Eén loket;yes"), "{}", lines[1]);
        assert!(lines[4].starts_with("2;toegang-soepel;") && lines[4].ends_with(";Bram;GP;7;;;yes"), "{}", lines[4]);
    }

    #[test]
    fn the_action_list_is_ranked_with_owners_and_keeps_excel_from_running_a_proposal() {
        let mut actions = Actions::new(ActionSettings::default());
        let mut run = |who, command| {
            let events = actions.handle(who, command).expect("accepted");
            events.iter().for_each(|event| actions.apply(event));
        };
        let propose = |text: &str| ActionCommand::Propose { text: text.to_owned() };
        run(Who::Player(SeatId(0)), propose("Eén vast aanspreekpunt; per gezin"));
        run(Who::Player(SeatId(1)), propose("=HYPERLINK(\"x\")"));
        run(Who::Trainer, ActionCommand::Import { texts: vec!["Wachtlijst zichtbaar".to_owned()] });
        run(Who::Trainer, ActionCommand::Show);
        run(Who::Trainer, ActionCommand::OpenVote);
        let dots = |pairs: &[(u16, u8)]| ActionCommand::Vote {
            dots: pairs.iter().map(|(id, count)| (ProposalId(*id), *count)).collect(),
        };
        run(Who::Player(SeatId(0)), dots(&[(2, 2), (0, 1)]));
        run(Who::Player(SeatId(1)), dots(&[(2, 1)]));
        run(Who::Trainer, ActionCommand::CloseVote);
        let assign =
            ActionCommand::Assign { proposal: ProposalId(2), owner: "Teamleider".to_owned(), by: "1 maart".to_owned() };
        run(Who::Trainer, assign);

        let csv = action_list_csv(&actions, Lang::Nl);
        assert!(csv.starts_with('\u{feff}'), "Excel reads the accents right");
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines[0], "rang;actie;stippen;stemmers;wie;wanneer;herkomst");
        assert_eq!(lines[1], "1;Wachtlijst zichtbaar;3;2;Teamleider;1 maart;schaalvraag");
        assert_eq!(lines[2], "2;\"Eén vast aanspreekpunt; per gezin\";1;1;;;deelnemer");
        assert_eq!(lines[3], "3;\"'=HYPERLINK(\"\"x\"\")\";0;0;;;deelnemer", "a formula stays text");
        assert!(action_list_csv(&actions, Lang::En).contains("rank;action;dots;voters;who;by_when;source"));
    }

    #[test]
    fn times_are_utc_iso_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(1_795_340_000_000), "2026-11-22T09:33:20Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00Z");
    }

    fn row() -> AnswerRow {
        AnswerRow {
            turn: 1,
            vote: 2,
            statement: CardId::new("regie-1"),
            statement_text: Text::new("Regie; ligt \"bij\" het gezin", ""),
            terms: vec!["regie".to_owned(), "eigen regie".to_owned()],
            defines: Some("eigen regie".to_owned()),
            seat: SeatId(0),
            participant: "Deelnemer 1".to_owned(),
            role: Text::new("Ouder", "Parent"),
            group: "gezin".to_owned(),
            anonymous: false,
            position: Position::Scale(4),
            argument: Some("=SOM(A1)".to_owned()),
            definition: None,
            at: 0,
            revealed: true,
        }
    }

    #[test]
    fn a_csv_row_is_quoted_for_excel() {
        let csv = csv(&[row()], Lang::Nl);
        assert!(csv.starts_with('\u{feff}'));
        let line = csv.lines().nth(1).expect("a row");
        assert_eq!(
            line,
            "1;2;regie-1;\"Regie; ligt \"\"bij\"\" het gezin\";regie, eigen regie;Deelnemer 1;Ouder;4;eens;'=SOM(A1);;1970-01-01T00:00:00Z;ja;1\r"
                .trim_end_matches('\r')
        );
    }

    #[test]
    fn an_english_csv_has_english_headers_labels_and_card_texts() {
        let row = AnswerRow {
            statement_text: Text::new("Eén plan is genoeg.", "One plan is enough."),
            participant: crate::log::pseudonym(SeatId(0), Lang::En),
            role: Text::new("Cliëntvertegenwoordiger", ""),
            position: Position::Pass,
            argument: None,
            revealed: false,
            ..row()
        };
        let csv = csv(&[row], Lang::En);
        let mut lines = csv.trim_start_matches('\u{feff}').lines();
        assert_eq!(
            lines.next(),
            Some(
                "round;vote;statement_id;statement;terms;participant;role;position;position_text;argument;definition;time_utc;revealed;seat"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "1;2;regie-1;One plan is enough.;regie, eigen regie;Participant 1;Cliëntvertegenwoordiger;;pass;;;1970-01-01T00:00:00Z;no;1"
            ),
            "a role without English keeps its Dutch name"
        );
    }
}
