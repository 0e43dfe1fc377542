//! The report's part for a session that followed an agenda: each step in order with the time
//! it took, each schaalvraag asking with its figures, each keukentafel round with the group's
//! table, and the action list with its owners.

use std::fmt::Write as _;

use super::{Report, escape};
use crate::analysis::{AskingReview, MirrorReview, StepReview, TableReview};
use crate::forms::FormKind;
use crate::text::Lang;

struct StepWords {
    agenda: &'static str,
    header: [&'static str; 3],
    minutes: &'static str,
    forms: [&'static str; 5],
    not_started: &'static str,
    asking: &'static str,
    answers: &'static str,
    median: &'static str,
    middle_half: &'static str,
    per_group: &'static str,
    higher: &'static str,
    lower: &'static str,
    moved: &'static str,
    actions_header: [&'static str; 5],
    round: &'static str,
    tables: &'static str,
    seated: &'static str,
    seated_none: &'static str,
    split: &'static str,
    share: &'static str,
    sizes: &'static str,
    sizes_plain: &'static str,
    without_family: &'static str,
    regie: &'static str,
    family: &'static str,
    sides: &'static str,
    reasons: &'static str,
    moved_roles: &'static str,
    mirror_people: &'static str,
    shared: &'static str,
    typed: &'static str,
    kinds: [&'static str; 3],
    to_actions: &'static str,
}

const NL: StepWords = StepWords {
    agenda: "Het draaiboek",
    header: ["stap", "werkvorm", "tijd (gebruikt / gepland)"],
    minutes: "min",
    forms: ["Stellingen", "Schaalvraag", "Verbeteracties", "Keukentafeluitdaging", "Spiegelgesprek"],
    not_started: "niet gedaan",
    asking: "keer gesteld",
    answers: "antwoorden",
    median: "middelste waarde",
    middle_half: "middelste helft",
    per_group: "per groep",
    higher: "Wat maakt het één punt hoger?",
    lower: "Waarom niet lager?",
    moved: "Sinds de vorige keer: middelste waarde {before} → {after}; {up} hoger, {down} lager, {same} gelijk.",
    actions_header: ["rang", "actie", "stippen", "wie", "wanneer"],
    round: "ronde",
    tables: "tafels",
    seated: "Aan tafel volgens de meerderheid",
    seated_none: "Geen enkele rol kreeg van de meerderheid een plek aan tafel.",
    split: "Verdeeld",
    share: "{table} aan tafel, {on_call} op afroep, {not_needed} niet nodig",
    sizes: "Tafels van {min} tot {max} stoelen; {above} boven het advies van {advice}.",
    sizes_plain: "Tafels van {min} tot {max} stoelen.",
    without_family: "{n} keer zat niemand van het gezin aan tafel.",
    regie: "Regie",
    family: "het gezin",
    sides: "Gezin en netwerk zetten gemiddeld {family} professionals aan tafel, de anderen {others}.",
    reasons: "Waarom",
    moved_roles: "Sinds de vorige ronde: {n} keer een rol verplaatst.",
    mirror_people: "{speakers} sprekers, {listeners} luisteraars.",
    shared: "De waarnemingen zijn gedeeld met de sprekers, zonder namen.",
    typed: "{n} getypte antwoorden (alleen in het bestand met antwoorden)",
    kinds: ["gaat goed", "kan beter", "raakt me"],
    to_actions: "naar verbeteracties",
};

const EN: StepWords = StepWords {
    agenda: "The draaiboek",
    header: ["step", "work form", "time (used / planned)"],
    minutes: "min",
    forms: ["Statements", "Scale question", "Improvement actions", "Kitchen table challenge", "Mirror conversation"],
    not_started: "not done",
    asking: "time asked",
    answers: "answers",
    median: "middle value",
    middle_half: "middle half",
    per_group: "per group",
    higher: "What would make it one point higher?",
    lower: "Why not lower?",
    moved: "Since the time before: middle value {before} → {after}; {up} higher, {down} lower, {same} the same.",
    actions_header: ["rank", "action", "dots", "who", "by when"],
    round: "round",
    tables: "tables",
    seated: "At the table according to most",
    seated_none: "No role was given a seat at the table by most of the group.",
    split: "Split",
    share: "{table} at the table, {on_call} on call, {not_needed} not needed",
    sizes: "Tables of {min} to {max} chairs; {above} above the advice of {advice}.",
    sizes_plain: "Tables of {min} to {max} chairs.",
    without_family: "{n} times nobody of the family sat at the table.",
    regie: "In charge",
    family: "the family",
    sides: "Family and network seat {family} professionals on average, the others {others}.",
    reasons: "Why",
    moved_roles: "Since the last round: a role moved {n} times.",
    mirror_people: "{speakers} speakers, {listeners} listeners.",
    shared: "The observations were shared with the speakers, without names.",
    typed: "{n} typed answers (only in the file with answers)",
    kinds: ["goes well", "could be better", "touches me"],
    to_actions: "to improvement actions",
};

fn form(words: &StepWords, form: FormKind) -> &'static str {
    match form {
        FormKind::Statements => words.forms[0],
        FormKind::Scale => words.forms[1],
        FormKind::Actions => words.forms[2],
        FormKind::Table => words.forms[3],
        FormKind::Mirror => words.forms[4],
    }
}

/// A step's title, or its work form's name when it has none.
pub(super) fn step_name(review: &StepReview, lang: Lang) -> String {
    let words = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    review.title.as_ref().map_or(form(words, review.form), |title| title.get(lang)).to_owned()
}

fn minutes(ms: u64) -> String {
    let seconds = ms / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

impl Report {
    pub(super) fn steps_section(&self, page: &mut String, steps: &[StepReview]) {
        if steps.is_empty() {
            return;
        }
        let words = match self.lang {
            Lang::Nl => &NL,
            Lang::En => &EN,
        };
        let [step, work_form, time] = words.header;
        let _ = write!(
            page,
            "<section><h2>{}</h2><table><thead><tr><th>{step}</th><th>{work_form}</th><th>{time}</th></tr></thead><tbody>",
            words.agenda
        );
        for review in steps {
            let name = review.title.as_ref().map_or(form(words, review.form), |title| title.get(self.lang));
            let used = review.used_ms.map_or_else(|| words.not_started.to_owned(), minutes);
            let _ = write!(
                page,
                "<tr><td>{}. {}</td><td>{}</td><td>{used} / {} {}</td></tr>",
                review.number,
                escape(name),
                form(words, review.form),
                review.minutes,
                words.minutes
            );
        }
        page.push_str("</tbody></table>");
        for review in steps {
            for asking in &review.askings {
                self.asking(page, words, review.number, asking);
            }
            for round in &review.tables {
                self.table_round(page, words, review.number, round);
            }
            if let Some(mirror) = &review.mirror {
                self.mirror(page, words, review.number, mirror);
            }
            if !review.actions.is_empty() {
                let [rank, action, dots, who, by] = words.actions_header;
                let _ = write!(
                    page,
                    "<h3>{}. {}</h3><table><thead><tr><th>{rank}</th><th>{action}</th><th>{dots}</th><th>{who}</th><th>{by}</th></tr></thead><tbody>",
                    review.number,
                    form(words, review.form)
                );
                for item in &review.actions {
                    let _ = write!(
                        page,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        item.rank,
                        escape(&item.text),
                        item.dots,
                        escape(item.owner.as_deref().unwrap_or_default()),
                        escape(item.by.as_deref().unwrap_or_default())
                    );
                }
                page.push_str("</tbody></table>");
            }
        }
        page.push_str("</section>");
    }

    fn mirror(&self, page: &mut String, words: &StepWords, step: u16, mirror: &MirrorReview) {
        let people = words
            .mirror_people
            .replace("{speakers}", &mirror.speakers.to_string())
            .replace("{listeners}", &mirror.listeners.to_string());
        let _ = write!(page, "<h3>{step}. {}</h3><p>{people}</p>", form(words, FormKind::Mirror));
        if mirror.shared {
            let _ = write!(page, "<p>{}</p>", words.shared);
        }
        for question in &mirror.questions {
            let _ = write!(page, "<h4>{}</h4>", escape(question.text.get(self.lang)));
            if question.typed_answers > 0 {
                let _ = write!(
                    page,
                    "<p class=\"note\">{}</p>",
                    words.typed.replace("{n}", &question.typed_answers.to_string())
                );
            }
            if question.observations.is_empty() {
                continue;
            }
            page.push_str("<ul>");
            for noted in &question.observations {
                let kind = words.kinds
                    [crate::forms::mirror::Kind::ALL.iter().position(|kind| *kind == noted.kind).unwrap_or(0)];
                let group = noted.group.as_deref().map(|group| format!(" [{}]", escape(group))).unwrap_or_default();
                let picked = if noted.picked { format!(" → {}", words.to_actions) } else { String::new() };
                let _ = write!(page, "<li>{kind}: {}{group}{picked}</li>", escape(&noted.text));
            }
            page.push_str("</ul>");
        }
    }

    fn table_round(&self, page: &mut String, words: &StepWords, step: u16, round: &TableReview) {
        let figures = &round.figures;
        let name = |role: &crate::deck::CardId| {
            round
                .role_names
                .iter()
                .find(|(id, _)| id == role)
                .map_or_else(|| role.to_string(), |(_, name)| name.get(self.lang).to_owned())
        };
        let _ = write!(
            page,
            "<h3>{step}. {}</h3><p>{} · {} {} · {} {}</p>",
            escape(round.title.get(self.lang)),
            form(words, FormKind::Table),
            words.round,
            round.round,
            figures.n,
            words.tables
        );
        let seated: Vec<String> = figures
            .roles
            .iter()
            .filter(|role| role.seated())
            .map(|role| format!("{} ({}/{})", escape(&name(&role.role)), role.table, figures.n))
            .collect();
        if seated.is_empty() {
            let _ = write!(page, "<p>{}</p>", words.seated_none);
        } else {
            let _ = write!(page, "<p>{}: {}</p>", words.seated, seated.join(" · "));
        }
        let split: Vec<String> = figures
            .roles
            .iter()
            .filter(|role| role.split())
            .map(|role| {
                let share = words
                    .share
                    .replace("{table}", &role.table.to_string())
                    .replace("{on_call}", &role.on_call.to_string())
                    .replace("{not_needed}", &role.not_needed.to_string());
                format!("{} ({share})", escape(&name(&role.role)))
            })
            .collect();
        if !split.is_empty() {
            let _ = write!(page, "<p>{}: {}</p>", words.split, split.join(" · "));
        }
        if let (Some(min), Some(max)) = (figures.sizes.keys().min(), figures.sizes.keys().max()) {
            let sizes = if figures.advised_seats > 0 { words.sizes } else { words.sizes_plain }
                .replace("{min}", &min.to_string())
                .replace("{max}", &max.to_string())
                .replace("{above}", &figures.above_advice.to_string())
                .replace("{advice}", &figures.advised_seats.to_string());
            let _ = write!(page, "<p>{sizes}</p>");
        }
        if figures.without_family > 0 {
            let _ = write!(page, "<p>{}</p>", words.without_family.replace("{n}", &figures.without_family.to_string()));
        }
        if !figures.regie.is_empty() {
            let named: Vec<String> = figures
                .regie
                .iter()
                .map(|(regie, n)| {
                    let who = match regie {
                        crate::forms::table::Regie::Family => words.family.to_owned(),
                        crate::forms::table::Regie::Role(role) => name(role),
                    };
                    format!("{} {n}", escape(&who))
                })
                .collect();
            let _ = write!(page, "<p>{}: {}</p>", words.regie, named.join(" · "));
        }
        if let (Some(family), Some(others)) = (figures.professionals_seated.family, figures.professionals_seated.others)
        {
            let number = |value: f64| {
                let text = format!("{value:.1}");
                if self.lang == Lang::Nl { text.replace('.', ",") } else { text }
            };
            let _ = write!(
                page,
                "<p>{}</p>",
                words.sides.replace("{family}", &number(family)).replace("{others}", &number(others))
            );
        }
        if !round.moved.is_empty() {
            let _ = write!(
                page,
                "<p><strong>{}</strong></p>",
                words.moved_roles.replace("{n}", &round.moved.len().to_string())
            );
        }
        if !round.reasons.is_empty() {
            let _ = write!(page, "<h4>{}</h4><ul>", words.reasons);
            for (role, reason) in &round.reasons {
                let _ = write!(page, "<li>{}: {}</li>", escape(&name(role)), escape(reason));
            }
            page.push_str("</ul>");
        }
    }

    fn asking(&self, page: &mut String, words: &StepWords, step: u16, asking: &AskingReview) {
        let figures = &asking.figures;
        let _ = write!(
            page,
            "<h3>{step}. {}</h3><p>{} · {} {} · {} {}</p>",
            escape(asking.text.get(self.lang)),
            form(words, FormKind::Scale),
            asking.asking,
            words.asking,
            asking.answers,
            words.answers
        );
        let counts: Vec<String> = figures.counts.iter().enumerate().map(|(i, n)| format!("{}: {n}", i + 1)).collect();
        let middle =
            figures.middle_half.map(|(low, high)| format!(" · {} {low}–{high}", words.middle_half)).unwrap_or_default();
        let median = figures.median.map(|median| format!("{} {median}{middle}", words.median)).unwrap_or_default();
        let _ = write!(page, "<p>{median}</p><p class=\"note\">{}</p>", counts.join(" · "));
        if !figures.groups.is_empty() {
            let groups: Vec<String> = figures
                .groups
                .iter()
                .map(|group| {
                    let label = crate::chart::group_label(&group.group);
                    let median = group.median.map_or_else(|| "–".to_owned(), |median| median.to_string());
                    format!("{} {median} (n={})", escape(label.get(self.lang)), group.n)
                })
                .collect();
            let _ = write!(page, "<p>{}: {}</p>", words.per_group, groups.join(" · "));
        }
        if let Some(shift) = &asking.shift {
            let value = |median: Option<u8>| median.map_or_else(|| "–".to_owned(), |median| median.to_string());
            let moved = words
                .moved
                .replace("{before}", &value(shift.median_before))
                .replace("{after}", &value(shift.median_after))
                .replace("{up}", &shift.up.to_string())
                .replace("{down}", &shift.down.to_string())
                .replace("{same}", &shift.same.to_string());
            let _ = write!(page, "<p><strong>{moved}</strong></p>");
        }
        for (heading, texts) in [(words.higher, &asking.one_point_higher), (words.lower, &asking.why_not_lower)] {
            if texts.is_empty() {
                continue;
            }
            let _ = write!(page, "<h4>{heading}</h4><ul>");
            for text in texts {
                let _ = write!(page, "<li>{}</li>", escape(text));
            }
            page.push_str("</ul>");
        }
    }
}
