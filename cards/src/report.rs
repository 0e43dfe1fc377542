//! The debrief report: one self-contained HTML page (styles and charts inline, no scripts) that
//! a trainer can mail, archive or print after a session. Every text from the room is escaped.

use std::fmt::Write as _;

use crate::analysis::{
    Camps, GivenAnswer, Measure, Review, Side, Stance, StatementReview, TermReview, opening, sentences,
};
use crate::chart::{self, Frame};
use crate::event::Position;
use crate::export::iso8601;
use crate::text::{Lang, Text, fixed, signed};

/// Every sentence of the report in one language.
struct Words {
    lang: &'static str,
    review: &'static str,
    session: &'static str,
    participants: (&'static str, &'static str),
    statements: (&'static str, &'static str),
    definitions: (&'static str, &'static str),
    note: &'static str,
    terms: &'static str,
    terms_header: [&'static str; 4],
    spread: &'static str,
    what_means: (&'static str, &'static str),
    group: &'static str,
    most_shared: &'static str,
    outlier: &'static str,
    statements_ranked: &'static str,
    split: [&'static str; 3],
    pass: &'static str,
    farthest: (&'static str, &'static str, &'static str),
    scale: [&'static str; 5],
    distribution: &'static str,
    groups: &'static str,
    matrix: &'static str,
    matrix_note: &'static str,
    role: &'static str,
    shifts: &'static str,
    shifts_header: [&'static str; 5],
    of: &'static str,
    source: &'static str,
    summary: &'static str,
    agreed: &'static str,
    marks: &'static str,
    mark_revealed: &'static str,
    mark_answering: &'static str,
    step: &'static str,
    camps: (&'static str, &'static str, &'static str),
    opinion: &'static str,
    opinion_note: &'static str,
    agrees_on: (&'static str, &'static str),
    common: &'static str,
}

const NL: Words = Words {
    lang: "nl",
    review: "Terugblik",
    session: "Sessie",
    participants: ("deelnemer", "deelnemers"),
    statements: ("stelling", "stellingen"),
    definitions: ("definitie", "definities"),
    note: "Consensus (C, 0–1, Leik): 1 = iedereen hetzelfde. Twee kampen (P, 0–1): 1 = twee even grote groepen aan de uitersten. \
           Bij elk getal staat op hoeveel antwoorden (n) het rust; &lsquo;pas&rsquo; telt apart.",
    terms: "Begrippen: waar verstaan we elkaar niet?",
    terms_header: ["begrip", "uiteenlopen", "consensus stellingen", "definities"],
    spread: "spreiding",
    what_means: ("Wat betekent &lsquo;", "&rsquo;?"),
    group: "groep",
    most_shared: "meest gedeeld",
    outlier: "staat alleen",
    statements_ranked: "Stellingen, de minste overeenstemming eerst",
    split: ["oneens", "neutraal", "eens"],
    pass: "pas",
    farthest: ("Verst uiteen: ", " en ", "afstand"),
    scale: ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"],
    distribution: "verdeling van de antwoorden",
    groups: "Groepen",
    matrix: "Rollen × stellingen",
    matrix_note: "Gemiddelde positie per rol (1 helemaal oneens … 5 helemaal eens), met n.",
    role: "rol",
    shifts: "Wat het gesprek veranderde",
    shifts_header: ["stelling", "ΔC", "ΔP", "van standpunt veranderd", "naar het midden / ervan af"],
    of: "van",
    source: "Bron",
    summary: "In het kort",
    agreed: "Wat wij afspraken",
    marks: "Gemarkeerde momenten",
    mark_revealed: "na het tonen van de antwoorden",
    mark_answering: "tijdens het antwoorden",
    step: "Stap",
    camps: ("Eens", "Oneens", "neutraal"),
    opinion: "Wie antwoordt zoals wie",
    opinion_note: "Twee groepen mensen die over de hele sessie op elkaar lijkende antwoorden gaven \
                   (k-means met twee groepen, zoals Polis meningen groepeert).",
    agrees_on: ("eens met", "oneens met"),
    common: "Gedeelde grond: hier was (bijna) iedereen het over eens",
};

const EN: Words = Words {
    lang: "en",
    review: "Review",
    session: "Session",
    participants: ("participant", "participants"),
    statements: ("statement", "statements"),
    definitions: ("definition", "definitions"),
    note: "Consensus (C, 0–1, Leik): 1 = everyone the same. Two camps (P, 0–1): 1 = two equal groups at the extremes. \
           Each figure says how many answers (n) it rests on; &lsquo;pass&rsquo; is counted apart.",
    terms: "Terms: where do we not understand each other?",
    terms_header: ["term", "disagreement", "consensus of statements", "definitions"],
    spread: "spread",
    what_means: ("What does &lsquo;", "&rsquo; mean?"),
    group: "group",
    most_shared: "most shared",
    outlier: "stands alone",
    statements_ranked: "Statements, least agreement first",
    split: ["disagree", "neutral", "agree"],
    pass: "pass",
    farthest: ("Furthest apart: ", " and ", "distance"),
    scale: ["strongly disagree", "disagree", "neutral", "agree", "strongly agree"],
    distribution: "distribution of the answers",
    groups: "Groups",
    matrix: "Roles × statements",
    matrix_note: "Mean position per role (1 strongly disagree … 5 strongly agree), with n.",
    role: "role",
    shifts: "What the discussion changed",
    shifts_header: ["statement", "ΔC", "ΔP", "changed position", "toward the middle / away from it"],
    of: "of",
    source: "Source",
    summary: "In short",
    agreed: "What we agreed",
    marks: "Marked moments",
    mark_revealed: "after the answers were shown",
    mark_answering: "while people answered",
    step: "Step",
    camps: ("Agree", "Disagree", "neutral"),
    opinion: "Who answers like whom",
    opinion_note: "Two groups of people who gave alike answers across the whole session \
                   (k-means with two groups, as Polis groups opinions).",
    agrees_on: ("agree with", "disagree with"),
    common: "Common ground: (almost) everyone agreed on these",
};

/// "1 definitie", "2 definities".
fn count(n: usize, (one, many): (&str, &str)) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The report in `lang`: its sentences, and every card text that has that language (a card
/// without English keeps its Dutch).
pub fn html(review: &Review, lang: Lang) -> String {
    let words = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let report = Report { words, lang, labels: review.term_labels.clone() };
    let mut page = String::new();
    let decks = format!("{} · {}", review.statement_deck.get(lang), review.role_deck.get(lang));
    let title = format!("{} · {} · {}", words.review, review.statement_deck.get(lang), review.code);
    let _ = write!(
        page,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\"><title>{}</title><style>{STYLE}</style></head><body>",
        words.lang,
        escape(&title)
    );
    let _ = write!(
        page,
        "<header><h1>{}</h1><p>{} {} · {} · {} · {}</p>",
        escape(&decks),
        words.session,
        escape(&review.code),
        &iso8601(review.created)[..10],
        count(review.participants, words.participants),
        count(review.statements.len(), words.statements),
    );
    for source in [&review.statement_source, &review.role_source].into_iter().flatten() {
        let _ = write!(page, "<p class=\"note\">{}: {}</p>", words.source, escape(source.get(lang)));
    }
    let _ = write!(page, "<p class=\"note\">{}</p></header>", words.note);
    report.summary_section(&mut page, review);
    report.marks_section(&mut page, review);
    report.steps_section(&mut page, &review.steps);
    report.terms_section(&mut page, &review.terms);
    report.statements_section(&mut page, &review.statements);
    report.opinion_section(&mut page, review);
    report.matrix_section(&mut page, review);
    report.shifts_section(&mut page, review);
    page.push_str("</body></html>\n");
    page
}

mod steps;

struct Report {
    words: &'static Words,
    lang: Lang,
    /// Each term's name in both languages (`Review::term_labels`).
    labels: std::collections::BTreeMap<String, Text>,
}

impl Report {
    /// A term in the report's language: "regie" is "being in charge" in English.
    fn term(&self, term: &str) -> String {
        escape(self.labels.get(term).map_or(term, |label| label.get(self.lang)))
    }

    fn terms_section(&self, page: &mut String, terms: &[TermReview]) {
        if terms.is_empty() {
            return;
        }
        let words = self.words;
        let [term_header, disagreement, consensus, definitions] = words.terms_header;
        let _ = write!(
            page,
            "<section><h2>{}</h2><table><thead><tr><th>{term_header}</th><th>{disagreement}</th><th>{consensus}</th><th>{definitions}</th></tr></thead><tbody>",
            words.terms
        );
        for term in terms {
            let _ = write!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{} <span class=\"n\">(n={})</span></td><td>{} <span class=\"n\">(n={})</span></td></tr>",
                self.term(&term.term),
                bar(term.disagreement),
                figure(term.mean_consensus),
                count(term.statements, words.statements),
                term.lens.spread.map_or("–".to_owned(), |spread| format!("{} {}", words.spread, fixed(spread, 2))),
                count(term.lens.definitions.len(), words.definitions)
            );
        }
        page.push_str("</tbody></table>");
        for term in terms.iter().filter(|term| !term.lens.definitions.is_empty()) {
            let lens = &term.lens;
            let _ = write!(page, "<h3>{}{}{}</h3>", words.what_means.0, self.term(&term.term), words.what_means.1);
            for (number, group) in lens.groups.iter().enumerate() {
                let _ = write!(
                    page,
                    "<div class=\"group\"><p class=\"n\">{} {} · {}</p><ul>",
                    words.group,
                    number + 1,
                    count(group.members.len(), words.definitions)
                );
                for &index in &group.members {
                    let definition = &lens.definitions[index];
                    let mut marks = String::new();
                    if lens.most_shared == Some(index) {
                        let _ = write!(marks, " <em>{}</em>", words.most_shared);
                    }
                    if lens.outliers.contains(&index) {
                        let _ = write!(marks, " <em>{}</em>", words.outlier);
                    }
                    let _ = write!(
                        page,
                        "<li>&ldquo;{}&rdquo; <span class=\"n\">— {}</span>{marks}</li>",
                        escape(&definition.text),
                        escape(definition.role.get(self.lang))
                    );
                }
                page.push_str("</ul></div>");
            }
        }
        page.push_str("</section>");
    }

    fn statements_section(&self, page: &mut String, statements: &[StatementReview]) {
        let (words, lang) = (self.words, self.lang);
        let _ = write!(page, "<section><h2>{}</h2>", words.statements_ranked);
        for statement in statements {
            let split = statement.split.map_or("–".to_owned(), |split| {
                format!(
                    "{}% {} · {}% {} · {}% {}",
                    fixed(split.disagree * 100.0, 0),
                    words.split[0],
                    fixed(split.neutral * 100.0, 0),
                    words.split[1],
                    fixed(split.agree * 100.0, 0),
                    words.split[2]
                )
            });
            let _ = write!(
                page,
                "<article><h3>{}</h3><p class=\"terms\">{}</p>{}<p>C {} · P {} · {split} <span class=\"n\">(n={}, {} {})</span></p>",
                escape(statement.text.get(lang)),
                statement.terms.iter().map(|term| self.term(term)).collect::<Vec<_>>().join(", "),
                self.dot_plot(statement),
                words_for(Measure::Consensus, statement.consensus, lang),
                words_for(Measure::Polarization, statement.polarization, lang),
                statement.first.n(),
                words.pass,
                statement.first.passes
            );
            if let Some((a, b, distance)) = &statement.farthest_roles {
                let (before, and, label) = words.farthest;
                let _ = write!(
                    page,
                    "<p>{before}{}{and}{} <span class=\"n\">({label} {})</span></p>",
                    escape(a.get(lang)),
                    escape(b.get(lang)),
                    fixed(*distance, 2)
                );
            }
            if let Some(camps) = &statement.camps {
                page.push_str(&self.camps(camps));
            }
            let arguments: Vec<_> = statement.answers.iter().filter(|answer| answer.argument.is_some()).collect();
            if !arguments.is_empty() {
                // A split statement's camps quote the firmest arguments; on paper that is enough,
                // and every argument stays in the file.
                let class = if statement.camps.is_some() { "arguments beside-camps" } else { "arguments" };
                let _ = write!(page, "<ul class=\"{class}\">");
                for answer in arguments {
                    let _ = write!(
                        page,
                        "<li><strong>{}</strong> {} <span class=\"n\">— {}</span></li>",
                        self.position_label(answer.position),
                        escape(answer.argument.as_deref().unwrap_or_default()),
                        escape(answer.role.get(lang))
                    );
                }
                page.push_str("</ul>");
            }
            page.push_str("</article>");
        }
        page.push_str("</section>");
    }

    /// The review's sentences, and the definitions the group agreed on.
    fn summary_section(&self, page: &mut String, review: &Review) {
        let said = sentences(review, self.lang);
        if !said.is_empty() {
            let _ = write!(page, "<section class=\"summary\"><h2>{}</h2><ul>", self.words.summary);
            for sentence in said {
                let _ = write!(page, "<li>{}</li>", escape(&sentence));
            }
            page.push_str("</ul></section>");
        }
        let agreed: Vec<&TermReview> = review.terms.iter().filter(|term| term.agreed.is_some()).collect();
        if !agreed.is_empty() {
            let _ = write!(page, "<section class=\"agreed\"><h2>{}</h2><dl>", self.words.agreed);
            for term in agreed {
                let _ = write!(
                    page,
                    "<dt>{}</dt><dd>{}</dd>",
                    self.term(&term.term),
                    escape(term.agreed.as_deref().unwrap_or_default())
                );
            }
            page.push_str("</dl></section>");
        }
    }

    fn marks_section(&self, page: &mut String, review: &Review) {
        if review.marks.is_empty() {
            return;
        }
        let (words, lang) = (self.words, self.lang);
        let _ = write!(page, "<section class=\"marks\"><h2>{}</h2><ul>", words.marks);
        for mark in &review.marks {
            let mut place = vec![format!("{} UTC", iso8601(mark.at).get(11..16).unwrap_or_default())];
            if let Some(step) = mark.step.and_then(|step| review.steps.get(usize::from(step))) {
                place.push(format!("{} {} · {}", words.step, step.number, escape(&steps::step_name(step, lang))));
            }
            if let Some(statement) = &mark.statement {
                let when = if mark.revealed { words.mark_revealed } else { words.mark_answering };
                place.push(format!("&lsquo;{}&rsquo; ({when})", escape(&opening(statement.get(lang)))));
            }
            let note =
                mark.note.as_deref().map(|note| format!(" <strong>{}</strong>", escape(note))).unwrap_or_default();
            let _ = write!(page, "<li><span class=\"n\">{}</span>{note}</li>", place.join(" · "));
        }
        page.push_str("</ul></section>");
    }

    /// Who landed on each side of a split vote, by name or by role group, and their firmest
    /// arguments.
    fn camps(&self, camps: &Camps) -> String {
        let (words, lang) = (self.words, self.lang);
        let mut html = String::from("<div class=\"camps\">");
        for (label, camp) in [(words.camps.0, &camps.agree), (words.camps.1, &camps.disagree)] {
            let who = if camp.people.is_empty() {
                camp.groups
                    .iter()
                    .map(|(group, n)| format!("{n} {}", escape(chart::group_label(group).get(lang))))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                camp.people.iter().map(|name| escape(name)).collect::<Vec<_>>().join(", ")
            };
            let _ = write!(html, "<div class=\"camp\"><p><strong>{label} ({})</strong>: {who}</p>", camp.count);
            for quote in &camp.quotes {
                let _ = write!(
                    html,
                    "<blockquote>&ldquo;{}&rdquo; <span class=\"n\">— {}</span></blockquote>",
                    escape(&quote.text),
                    escape(quote.role.get(lang))
                );
            }
            html.push_str("</div>");
        }
        if camps.neutral > 0 {
            let _ = write!(html, "<p class=\"n\">{} {}</p>", camps.neutral, words.camps.2);
        }
        html.push_str("</div>");
        html
    }

    fn opinion_section(&self, page: &mut String, review: &Review) {
        if review.opinion_groups.is_empty() && review.common.is_empty() {
            return;
        }
        let (words, lang) = (self.words, self.lang);
        let stance = |stance: &Stance| {
            let side = match stance.side {
                Side::Agree => words.agrees_on.0,
                Side::Disagree => words.agrees_on.1,
            };
            format!(
                "<li>{side} &lsquo;{}&rsquo; <span class=\"n\">({}%)</span></li>",
                escape(stance.text.get(lang)),
                fixed(stance.share * 100.0, 0)
            )
        };
        let _ = write!(page, "<section class=\"opinion\"><h2>{}</h2>", words.opinion);
        if !review.opinion_groups.is_empty() {
            let _ = write!(page, "<p class=\"note\">{}</p>", words.opinion_note);
        }
        for (number, group) in review.opinion_groups.iter().enumerate() {
            let who = if group.people.is_empty() {
                group
                    .groups
                    .iter()
                    .map(|(g, n)| format!("{n} {}", escape(chart::group_label(g).get(lang))))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                group.people.iter().map(|name| escape(name)).collect::<Vec<_>>().join(", ")
            };
            let _ = write!(
                page,
                "<div class=\"group\"><h3>{} {} ({})</h3><p>{who}</p><ul>",
                words.group,
                number + 1,
                group.size
            );
            group.agrees_on.iter().for_each(|agreed| page.push_str(&stance(agreed)));
            page.push_str("</ul></div>");
        }
        if !review.common.is_empty() {
            let _ = write!(page, "<h3>{}</h3><ul>", words.common);
            review.common.iter().for_each(|agreed| page.push_str(&stance(agreed)));
            page.push_str("</ul>");
        }
        page.push_str("</section>");
    }

    /// One marker per answer above its scale point, passes beside, laid out by `chart::dots`;
    /// shaped and coloured by the role's group, with a legend of the groups.
    fn dot_plot(&self, statement: &StatementReview) -> String {
        let (words, lang) = (self.words, self.lang);
        let mut svg = format!(
            "<figure class=\"plot\"><svg class=\"dots\" viewBox=\"0 0 {} {PLOT_HEIGHT}\" role=\"img\" aria-label=\"{}\">",
            chart::WIDTH,
            words.distribution
        );
        let positions: Vec<Position> = statement.answers.iter().map(|answer| answer.position).collect();
        for (answer, dot) in statement.answers.iter().zip(chart::dots(&positions, PLOT_FRAME)) {
            let style = chart::group_style(&answer.group);
            let _ = write!(
                svg,
                "<path d=\"{}\" fill=\"{}\"><title>{}</title></path>",
                style.marker.path(dot.x, dot.y, dot.r),
                style.colour,
                escape(&dot_title(answer, lang))
            );
        }
        let labels = ["1", "2", "3", "4", "5", words.pass];
        for (column, label) in labels.iter().enumerate() {
            let _ = write!(svg, "<text x=\"{}\" y=\"{}\">{label}</text>", chart::column_x(column), PLOT_HEIGHT - 6);
        }
        svg.push_str("</svg>");
        let mut groups: Vec<&str> = statement.answers.iter().map(|answer| answer.group.as_str()).collect();
        groups.sort_by_key(|group| chart::group_order(group));
        groups.dedup();
        let _ = write!(svg, "<figcaption><ul class=\"groups\" aria-label=\"{}\">", words.groups);
        for group in groups {
            let style = chart::group_style(group);
            let _ = write!(
                svg,
                "<li><svg viewBox=\"0 0 14 14\" aria-hidden=\"true\"><path d=\"{}\" fill=\"{}\"/></svg>{}</li>",
                style.marker.path(7.0, 7.0, 5.0),
                style.colour,
                escape(chart::group_label(group).get(lang))
            );
        }
        svg.push_str("</ul></figcaption></figure>");
        svg
    }

    /// Roles × statements; with one statement it would say what its dot plot says.
    fn matrix_section(&self, page: &mut String, review: &Review) {
        if review.matrix.is_empty() || review.statements.len() < 2 {
            return;
        }
        let words = self.words;
        let _ = write!(
            page,
            "<section><h2>{}</h2><p class=\"note\">{}</p><table class=\"matrix\"><thead><tr><th>{}</th>",
            words.matrix, words.matrix_note, words.role
        );
        for (column, _) in review.statements.iter().enumerate() {
            let _ = write!(page, "<th>S{}</th>", column + 1);
        }
        page.push_str("</tr></thead><tbody>");
        for row in &review.matrix {
            let _ = write!(page, "<tr><td>{}</td>", escape(row.role.get(self.lang)));
            for cell in &row.cells {
                match cell {
                    Some((mean, n)) => {
                        let _ = write!(
                            page,
                            "<td style=\"background:{}\">{} <span class=\"n\">n={n}</span></td>",
                            chart::heat(*mean),
                            fixed(*mean, 1)
                        );
                    }
                    None => page.push_str("<td>–</td>"),
                }
            }
            page.push_str("</tr>");
        }
        page.push_str("</tbody></table><ol class=\"legend\">");
        for statement in &review.statements {
            let _ = write!(page, "<li>{}</li>", escape(statement.text.get(self.lang)));
        }
        page.push_str("</ol></section>");
    }

    fn shifts_section(&self, page: &mut String, review: &Review) {
        if review.shifts.is_empty() {
            return;
        }
        let words = self.words;
        let [statement, dc, dp, moved, toward] = words.shifts_header;
        let _ = write!(
            page,
            "<section><h2>{}</h2><table><thead><tr><th>{statement}</th><th>{dc}</th><th>{dp}</th><th>{moved}</th><th>{toward}</th></tr></thead><tbody>",
            words.shifts
        );
        for shift in &review.shifts {
            let delta = |value: Option<f64>| value.map_or("–".to_owned(), |value| signed(value, 2));
            let _ = write!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {} {}</td><td>{} / {}</td></tr>",
                escape(shift.text.get(self.lang)),
                delta(shift.shift.consensus_change),
                delta(shift.shift.polarization_change),
                shift.shift.moved,
                words.of,
                shift.shift.n,
                shift.shift.toward_median,
                shift.shift.away_from_median
            );
        }
        page.push_str("</tbody></table></section>");
    }

    fn position_label(&self, position: Position) -> &'static str {
        match position {
            Position::Scale(n) => self.words.scale[chart::column(Position::Scale(n))],
            Position::Pass => self.words.pass,
        }
    }
}

/// The report's dot plots: a view box 360 × 110, dots between 4 and 90, labels below.
/// What the report may load and run: its own inline style and nothing else, no script at all,
/// whether it is opened from the server or from the trainer's disk (where no header comes with
/// it, so the page carries it in a `<meta>`). The server sends the same, plus
/// `frame-ancestors`, which a `<meta>` cannot set.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const PLOT_HEIGHT: u32 = 110;
const PLOT_FRAME: Frame = Frame { top: 4.0, bottom: 90.0, largest: 12.0 };

/// What hovering a dot says: the role, and who when the room showed names.
fn dot_title(answer: &GivenAnswer, lang: Lang) -> String {
    match &answer.participant {
        Some(participant) => format!("{} — {participant}", answer.role.get(lang)),
        None => answer.role.get(lang).to_owned(),
    }
}

fn bar(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |value| {
        format!(
            "<svg class=\"bar\" viewBox=\"0 0 100 10\"><rect width=\"{}\" height=\"10\"/></svg> {}",
            fixed(value * 100.0, 0),
            fixed(value, 2)
        )
    })
}

fn figure(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |value| fixed(value, 2))
}

/// A figure with its meaning in words ("0,88 · grote overeenstemming"), escaped.
fn words_for(measure: Measure, value: Option<f64>, lang: Lang) -> String {
    escape(&crate::analysis::figure(measure, value, lang))
}

/// Text from the room as HTML text, never as markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#1d2430;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}\
h1{font-size:1.8rem}h2{margin-top:2rem;border-bottom:2px solid #0b5d6b}h3{margin-bottom:.2rem}\
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d9d4c7;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.n,.note,.terms{color:#5b6473;font-size:.9em}.bar{width:6rem;height:.7rem;fill:#0b5d6b;background:#ece8dd}\
.dots{width:24rem;max-width:100%}.dots path{stroke:#1d2430;stroke-width:.6}.dots text{font-size:11px;fill:#5b6473;text-anchor:middle}\
.plot{margin:.3rem 0}.groups{list-style:none;padding:0;margin:.2rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem;font-size:.9em}\
.groups svg{width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}\
article{break-inside:avoid;border-top:1px solid #d9d4c7;padding:.5rem 0}.group{break-inside:avoid}\
.matrix td{text-align:center}.matrix td .n{color:inherit}.summary li{font-size:1.1em;margin:.3rem 0}dt{font-weight:bold}dd{margin:0 0 .5rem 1rem}\
.camps{display:flex;flex-wrap:wrap;gap:0 2rem}.camp{flex:1 1 16rem}blockquote{margin:.2rem 0 .2rem 1rem;font-style:italic}\
tr,li,blockquote,figure,.camps{break-inside:avoid}\
table{break-inside:avoid}\
@media print{@page{size:A4;margin:12mm}body{margin:0;max-width:none;font-size:8.5pt;line-height:1.3}\
h1{font-size:13pt;margin:0}h2{font-size:10.5pt;margin:.5rem 0 .2rem;break-after:avoid}h3{font-size:9.5pt;margin:.3rem 0 .1rem;break-after:avoid}\
p,ul,dl,blockquote{margin-top:.15rem;margin-bottom:.15rem}li{margin:0}.summary li{font-size:inherit;margin:0}article{padding:.2rem 0}\
.plot{float:right;width:14rem;margin:0 0 .2rem .8rem}.plot .dots{width:100%}article{overflow:hidden}.arguments{columns:2;column-gap:1.5rem}.beside-camps{display:none}th,td{padding:.1rem .3rem}}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Distribution;
    use crate::deck::CardId;
    use crate::text::Text;

    fn review(answers: Vec<GivenAnswer>) -> Review {
        let first = Distribution::of(answers.iter().map(|answer| answer.position));
        let statement = StatementReview {
            turn: 1,
            statement: CardId::new("plan"),
            text: Text::new("Eén plan is genoeg.", "One plan is enough."),
            terms: vec!["plan".to_owned(), "regie".to_owned()],
            first,
            consensus: first.consensus(),
            polarization: first.polarization(),
            split: first.split(),
            common_ground: None,
            farthest_roles: None,
            answers,
            camps: None,
        };
        Review {
            code: "ABCDEF".to_owned(),
            statement_deck: Text::new("Samenwerken", "Working together"),
            role_deck: Text::new("Rollen aan de keukentafel", "Roles at the kitchen table"),
            statement_source: Some(Text::new("De Sterkste Schakels", "The study De Sterkste Schakels")),
            role_source: None,
            term_labels: ["plan", "regie"]
                .into_iter()
                .map(|term| (term.to_owned(), crate::library::term_label(term)))
                .collect(),
            created: 0,
            participants: 1,
            statements: vec![statement],
            terms: Vec::new(),
            matrix: Vec::new(),
            shifts: Vec::new(),
            steps: Vec::new(),
            common: Vec::new(),
            opinion_groups: Vec::new(),
            marks: Vec::new(),
        }
    }

    fn given(position: Position, group: &str, participant: Option<&str>) -> GivenAnswer {
        GivenAnswer {
            position,
            role: Text::new("Huisarts", "GP"),
            group: group.to_owned(),
            participant: participant.map(str::to_owned),
            argument: Some("Eerst veiligheid".to_owned()),
        }
    }

    /// Every absolute point of every marker in the page's dot plots.
    fn marker_points(page: &str) -> Vec<(f64, f64)> {
        page.split("<path d=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .flat_map(|path| {
                let numbers: Vec<f64> = path
                    .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
                    .filter_map(|number| number.parse().ok())
                    .collect();
                numbers.chunks(2).map(|pair| (pair[0], pair[1])).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn forty_equal_answers_stay_inside_the_dot_plot() {
        let answers = (0..40).map(|_| given(Position::Scale(4), "professional", None)).collect();
        let page = html(&review(answers), Lang::Nl);
        let points = marker_points(&page);
        assert!(points.len() >= 40 * 3, "a triangle per answer");
        for (x, y) in points {
            assert!((0.0..=chart::WIDTH).contains(&x) && (0.0..=f64::from(PLOT_HEIGHT)).contains(&y), "({x}, {y})");
        }
    }

    #[test]
    fn dots_show_the_group_and_say_who_and_which_role() {
        let answers =
            vec![given(Position::Scale(1), "gezin", Some("Deelnemer 1")), given(Position::Scale(5), "Onderwijs", None)];
        let page = html(&review(answers), Lang::Nl);
        let gezin = chart::group_style("gezin");
        assert!(page.contains(&format!("fill=\"{}\"><title>Huisarts — Deelnemer 1</title>", gezin.colour)));
        assert!(page.contains("><title>Huisarts</title>"), "an anonymous answer names no one");
        assert!(
            page.contains("</svg>Gezin</li>") && page.contains("</svg>Onderwijs</li>"),
            "the legend names the groups"
        );
    }

    #[test]
    fn an_english_report_has_no_dutch_but_card_text_without_english() {
        let mut answers = vec![given(Position::Pass, "clientvertegenwoordiging", Some("Participant 1"))];
        answers[0].role = Text::new("Cliëntvertegenwoordiger", "");
        let page = html(&review(answers), Lang::En);
        for english in [
            "<html lang=\"en\">",
            "Working together · Roles at the kitchen table",
            "1 participant ·",
            "1 statement</p>",
            "One plan is enough.",
            "<strong>pass</strong>",
            "Client representation",
            "<title>Cliëntvertegenwoordiger — Participant 1</title>",
            "<p class=\"terms\">plan, being in charge</p>",
            "Source: The study De Sterkste Schakels",
        ] {
            assert!(page.contains(english), "{english} is missing");
        }
        for dutch in [
            "Terugblik",
            "deelnemer",
            "stelling",
            "Stellingen",
            "pas ",
            "Eén plan",
            "Samenwerken",
            "oneens",
            "regie",
            "Bron",
        ] {
            assert!(!page.contains(dutch), "{dutch} stayed Dutch");
        }
    }

    #[test]
    fn the_report_says_it_may_run_no_script_even_opened_from_disk() {
        let answers = vec![given(Position::Scale(3), "gezin", Some("<script>alert(1)</script>"))];
        let page = html(&review(answers), Lang::Nl);
        let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">");
        assert!(page.contains(&meta), "the policy is in the page itself");
        assert!(page.find(&meta) < page.find("<style>"), "before anything it governs");
        assert!(!page.contains("<script"), "a name shows as text, never as a script");
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, NL.definitions), "1 definitie");
        assert_eq!(count(2, NL.definitions), "2 definities");
        assert_eq!(count(1, EN.participants), "1 participant");
        assert_eq!(count(0, EN.participants), "0 participants");
    }
}
