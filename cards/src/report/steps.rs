//! The report's part for a session that followed an agenda: each step in order with the time
//! it took, each schaalvraag asking with its figures, and the action list with its owners.

use std::fmt::Write as _;

use super::{Report, escape};
use crate::analysis::{AskingReview, StepReview};
use crate::forms::FormKind;
use crate::text::Lang;

struct StepWords {
    agenda: &'static str,
    header: [&'static str; 3],
    minutes: &'static str,
    forms: [&'static str; 3],
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
}

const NL: StepWords = StepWords {
    agenda: "Het draaiboek",
    header: ["stap", "werkvorm", "tijd (gebruikt / gepland)"],
    minutes: "min",
    forms: ["Stellingen", "Schaalvraag", "Verbeteracties"],
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
};

const EN: StepWords = StepWords {
    agenda: "The draaiboek",
    header: ["step", "work form", "time (used / planned)"],
    minutes: "min",
    forms: ["Statements", "Scale question", "Improvement actions"],
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
};

fn form(words: &StepWords, form: FormKind) -> &'static str {
    match form {
        FormKind::Statements => words.forms[0],
        FormKind::Scale => words.forms[1],
        FormKind::Actions => words.forms[2],
    }
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
