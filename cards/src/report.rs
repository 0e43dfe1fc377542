//! The debrief report: one self-contained HTML page (styles and charts inline, no scripts) that
//! a trainer can mail, archive or print after a session. Every text from the room is escaped.

use std::fmt::Write as _;

use crate::analysis::{Review, StatementReview, TermReview};
use crate::event::Position;
use crate::export::iso8601;
use crate::text::fixed;

pub fn html(review: &Review) -> String {
    let mut page = String::new();
    let title = format!("Terugblik · {} · {}", review.deck, review.code);
    let _ = write!(
        page,
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    let _ = write!(
        page,
        "<header><h1>{}</h1><p>Sessie {} · {} · {} deelnemers · {} stellingen</p>\
         <p class=\"note\">Consensus (C, 0–1, Leik): 1 = iedereen hetzelfde. Twee kampen (P, 0–1): 1 = twee even grote groepen aan de uitersten. \
         Bij elk getal staat op hoeveel antwoorden (n) het rust; &lsquo;pas&rsquo; telt apart.</p></header>",
        escape(&review.deck),
        escape(&review.code),
        &iso8601(review.created)[..10],
        review.participants,
        review.statements.len()
    );
    terms_section(&mut page, &review.terms);
    statements_section(&mut page, &review.statements);
    matrix_section(&mut page, review);
    shifts_section(&mut page, review);
    page.push_str("</body></html>\n");
    page
}

fn terms_section(page: &mut String, terms: &[TermReview]) {
    if terms.is_empty() {
        return;
    }
    page.push_str("<section><h2>Begrippen: waar verstaan we elkaar niet?</h2><table><thead><tr><th>begrip</th><th>uiteenlopen</th><th>consensus stellingen</th><th>definities</th></tr></thead><tbody>");
    for term in terms {
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{} <span class=\"n\">(n={} stellingen)</span></td><td>{} <span class=\"n\">(n={})</span></td></tr>",
            escape(&term.term),
            bar(term.disagreement),
            figure(term.mean_consensus),
            term.statements,
            term.lens.spread.map_or("–".to_owned(), |spread| format!("spreiding {}", fixed(spread, 2))),
            term.lens.definitions.len()
        );
    }
    page.push_str("</tbody></table>");
    for term in terms.iter().filter(|term| !term.lens.definitions.is_empty()) {
        let lens = &term.lens;
        let _ = write!(page, "<h3>Wat betekent &lsquo;{}&rsquo;?</h3>", escape(&term.term));
        for (number, group) in lens.groups.iter().enumerate() {
            let _ = write!(
                page,
                "<div class=\"group\"><p class=\"n\">groep {} · {} definities</p><ul>",
                number + 1,
                group.members.len()
            );
            for &index in &group.members {
                let definition = &lens.definitions[index];
                let mut marks = String::new();
                if lens.most_shared == Some(index) {
                    marks.push_str(" <em>meest gedeeld</em>");
                }
                if lens.outliers.contains(&index) {
                    marks.push_str(" <em>staat alleen</em>");
                }
                let _ = write!(
                    page,
                    "<li>&ldquo;{}&rdquo; <span class=\"n\">— {}</span>{marks}</li>",
                    escape(&definition.text),
                    escape(&definition.role)
                );
            }
            page.push_str("</ul></div>");
        }
    }
    page.push_str("</section>");
}

fn statements_section(page: &mut String, statements: &[StatementReview]) {
    page.push_str("<section><h2>Stellingen, de minste overeenstemming eerst</h2>");
    for statement in statements {
        let split = statement.split.map_or("–".to_owned(), |split| {
            format!(
                "{}% oneens · {}% neutraal · {}% eens",
                fixed(split.disagree * 100.0, 0),
                fixed(split.neutral * 100.0, 0),
                fixed(split.agree * 100.0, 0)
            )
        });
        let _ = write!(
            page,
            "<article><h3>{}</h3><p class=\"terms\">{}</p>{}<p>C {} · P {} · {split} <span class=\"n\">(n={}, pas {})</span></p>",
            escape(&statement.text),
            escape(&statement.terms.join(", ")),
            dot_plot(statement),
            figure(statement.consensus),
            figure(statement.polarization),
            statement.first.n(),
            statement.first.passes
        );
        if let Some((a, b, distance)) = &statement.farthest_roles {
            let _ = write!(
                page,
                "<p>Verst uiteen: {} en {} <span class=\"n\">(afstand {})</span></p>",
                escape(a),
                escape(b),
                fixed(*distance, 2)
            );
        }
        let arguments: Vec<_> = statement.answers.iter().filter(|answer| answer.argument.is_some()).collect();
        if !arguments.is_empty() {
            page.push_str("<ul class=\"arguments\">");
            for answer in arguments {
                let _ = write!(
                    page,
                    "<li><strong>{}</strong> {} <span class=\"n\">— {}</span></li>",
                    position_label(answer.position),
                    escape(answer.argument.as_deref().unwrap_or_default()),
                    escape(&answer.role)
                );
            }
            page.push_str("</ul>");
        }
        page.push_str("</article>");
    }
    page.push_str("</section>");
}

fn matrix_section(page: &mut String, review: &Review) {
    if review.matrix.is_empty() {
        return;
    }
    page.push_str("<section><h2>Rollen × stellingen</h2><p class=\"note\">Gemiddelde positie per rol (1 helemaal oneens … 5 helemaal eens), met n.</p><table class=\"matrix\"><thead><tr><th>rol</th>");
    for (column, _) in review.statements.iter().enumerate() {
        let _ = write!(page, "<th>S{}</th>", column + 1);
    }
    page.push_str("</tr></thead><tbody>");
    for row in &review.matrix {
        let _ = write!(page, "<tr><td>{}</td>", escape(&row.role));
        for cell in &row.cells {
            match cell {
                Some((mean, n)) => {
                    let _ = write!(
                        page,
                        "<td style=\"background:{}\">{} <span class=\"n\">n={n}</span></td>",
                        heat(*mean),
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
        let _ = write!(page, "<li>{}</li>", escape(&statement.text));
    }
    page.push_str("</ol></section>");
}

fn shifts_section(page: &mut String, review: &Review) {
    if review.shifts.is_empty() {
        return;
    }
    page.push_str("<section><h2>Wat het gesprek veranderde</h2><table><thead><tr><th>stelling</th><th>ΔC</th><th>ΔP</th><th>van standpunt veranderd</th><th>naar het midden / ervan af</th></tr></thead><tbody>");
    for shift in &review.shifts {
        let delta = |value: Option<f64>| value.map_or("–".to_owned(), |value| format!("{value:+.2}"));
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} van {}</td><td>{} / {}</td></tr>",
            escape(&shift.text),
            delta(shift.shift.consensus_change),
            delta(shift.shift.polarization_change),
            shift.shift.moved,
            shift.shift.n,
            shift.shift.toward_median,
            shift.shift.away_from_median
        );
    }
    page.push_str("</tbody></table></section>");
}

/// One dot per answer above its scale point, and the passes beside.
fn dot_plot(statement: &StatementReview) -> String {
    let mut svg = String::from("<svg class=\"dots\" viewBox=\"0 0 360 90\" role=\"img\" aria-label=\"verdeling\">");
    let mut stacked = [0u32; 6];
    for answer in &statement.answers {
        let column = match answer.position {
            Position::Scale(n) => usize::from(n.saturating_sub(1)).min(4),
            Position::Pass => 5,
        };
        let (x, y) = (30 + column * 60, 62 - stacked[column] as usize * 12);
        stacked[column] += 1;
        let _ = write!(svg, "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\"><title>{}</title></circle>", escape(&answer.role));
    }
    for (column, label) in ["1", "2", "3", "4", "5", "pas"].iter().enumerate() {
        let _ = write!(svg, "<text x=\"{}\" y=\"84\">{label}</text>", 30 + column * 60);
    }
    svg.push_str("</svg>");
    svg
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

/// Orange for disagreement (1) through white (3) to teal for agreement (5).
fn heat(mean: f64) -> String {
    let t = ((mean - 3.0) / 2.0).clamp(-1.0, 1.0);
    let (r, g, b) = if t < 0.0 { (245.0, 190.0, 140.0) } else { (150.0, 210.0, 215.0) };
    let mix = |to: f64| (255.0 + (to - 255.0) * t.abs()).round() as u8;
    format!("rgb({},{},{})", mix(r), mix(g), mix(b))
}

fn position_label(position: Position) -> &'static str {
    match position {
        Position::Scale(1) => "helemaal oneens",
        Position::Scale(2) => "oneens",
        Position::Scale(3) => "neutraal",
        Position::Scale(4) => "eens",
        Position::Scale(_) => "helemaal eens",
        Position::Pass => "pas",
    }
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
.dots{width:22rem;max-width:100%;fill:#0b5d6b}.dots text{font-size:11px;fill:#5b6473;text-anchor:middle}\
article{break-inside:avoid;border-top:1px solid #d9d4c7;padding:.5rem 0}.group{break-inside:avoid}\
.matrix td{text-align:center}@media print{body{margin:0}h2{break-after:avoid}}";
