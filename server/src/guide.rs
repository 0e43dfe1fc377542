//! The trainer's guide: `/handleiding` in Dutch, `/guide` in English (either with `?lang=nl`
//! or `?lang=en`), one plain page a trainer reads on a laptop before a session.
//!
//! The text lives in `docs/handleiding.md` and `docs/guide.md`, compiled in, so it is edited as
//! text and served without any file beside the binary. It is written in a small part of
//! Markdown, which `render` turns into HTML: headings, paragraphs, lists and bold. The page
//! carries its own style and no script, and says so in its policy.

use axum::extract::Query;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cards::Lang;
use serde::Deserialize;

const HANDLEIDING: &str = include_str!("../../docs/handleiding.md");
const GUIDE: &str = include_str!("../../docs/guide.md");

/// Its own style and nothing else: no script, no other resource, no framing.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE: &str = "body{margin:0;background:#faf8f3;color:#1f2430;font:1.05rem/1.6 system-ui,-apple-system,'Segoe UI',sans-serif}\
main{max-width:44rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}\
.top{display:flex;justify-content:space-between;gap:1rem;font-size:.95rem}\
a{color:#0b5d6b}h1{font-size:1.9rem;line-height:1.2;margin:1.5rem 0 1rem}\
h2{font-size:1.4rem;margin:2.5rem 0 .75rem;padding-top:1rem;border-top:1px solid #e2ddd0}h3{font-size:1.1rem;margin:1.75rem 0 .5rem}\
li{margin:.35rem 0}.contents{background:#fff;border:1px solid #e2ddd0;border-radius:.5rem;padding:.75rem 1.25rem}\
.contents ol{margin:.25rem 0;padding-left:1.25rem}.contents strong{display:block}@media print{nav{display:none}}";

#[derive(Deserialize)]
pub struct Params {
    lang: Option<String>,
}

/// `/handleiding`: Dutch unless `?lang=en`.
pub async fn dutch(Query(params): Query<Params>) -> Response {
    page(chosen(&params, Lang::Nl))
}

/// `/guide`: English unless `?lang=nl`.
pub async fn english(Query(params): Query<Params>) -> Response {
    page(chosen(&params, Lang::En))
}

fn chosen(params: &Params, default: Lang) -> Lang {
    match params.lang.as_deref() {
        Some("en") => Lang::En,
        Some("nl") => Lang::Nl,
        _ => default,
    }
}

fn page(lang: Lang) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (headers, html(lang)).into_response()
}

/// The whole page in `lang`: the way back to the app, the other language, the contents and the
/// text.
pub fn html(lang: Lang) -> String {
    let (source, code, home, other, other_code, other_href, contents) = match lang {
        Lang::Nl => (HANDLEIDING, "nl", "Naar Standpunt", "English", "en", "/guide", "Inhoud"),
        Lang::En => (GUIDE, "en", "To Standpunt", "Nederlands", "nl", "/handleiding", "Contents"),
    };
    let (intro, body): (Vec<&str>, Vec<&str>) = {
        let lines: Vec<&str> = source.lines().collect();
        let split = lines.iter().position(|line| line.starts_with("## ")).unwrap_or(lines.len());
        (lines[..split].to_vec(), lines[split..].to_vec())
    };
    let title = source.lines().find_map(|line| line.strip_prefix("# ")).unwrap_or("Standpunt");
    let sections: String = (source.lines())
        .filter_map(|line| line.strip_prefix("## "))
        .map(|heading| format!("<li><a href=\"#{}\">{}</a></li>", anchor(heading), inline(heading)))
        .collect();
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Standpunt</title><style>{STYLE}</style></head><body><main>\
         <nav class=\"top\"><a href=\"/\">{home}</a><a href=\"{other_href}\" lang=\"{other_code}\" hreflang=\"{other_code}\">{other}</a></nav>\
         {}<nav class=\"contents\" aria-label=\"{contents}\"><strong>{contents}</strong><ol>{sections}</ol></nav>{}\
         </main></body></html>\n",
        escape(title),
        render(&intro.join("\n")),
        render(&body.join("\n")),
    )
}

/// What is being put together: the lines of a paragraph, or a list's items.
enum Block {
    None,
    Paragraph(Vec<String>),
    List { ordered: bool, items: Vec<String> },
}

/// HTML for the part of Markdown the guide is written in: `#`, `##` and `###` headings (a
/// `##` heading gets an anchor for the contents), paragraphs separated by a blank line, `- `
/// and `1. ` lists, and `**bold**`. Every text is escaped.
pub fn render(markdown: &str) -> String {
    let mut html = String::new();
    let mut block = Block::None;
    for line in markdown.lines().map(str::trim_end) {
        let item =
            line.strip_prefix("- ").map(|item| (false, item)).or_else(|| numbered(line).map(|item| (true, item)));
        if line.is_empty() {
            flush(&mut html, &mut block);
        } else if let Some((level, heading)) = heading(line) {
            flush(&mut html, &mut block);
            let id = if level == 2 { format!(" id=\"{}\"", anchor(heading)) } else { String::new() };
            html.push_str(&format!("<h{level}{id}>{}</h{level}>", inline(heading)));
        } else if let Some((ordered, text)) = item {
            match &mut block {
                Block::List { ordered: kind, items } if *kind == ordered => items.push(text.to_owned()),
                _ => {
                    flush(&mut html, &mut block);
                    block = Block::List { ordered, items: vec![text.to_owned()] };
                }
            }
        } else {
            match &mut block {
                Block::Paragraph(lines) => lines.push(line.trim().to_owned()),
                // A line right under an item goes on with that item.
                Block::List { items, .. } => {
                    if let Some(last) = items.last_mut() {
                        last.push(' ');
                        last.push_str(line.trim());
                    }
                }
                Block::None => block = Block::Paragraph(vec![line.trim().to_owned()]),
            }
        }
    }
    flush(&mut html, &mut block);
    html
}

fn flush(html: &mut String, block: &mut Block) {
    match std::mem::replace(block, Block::None) {
        Block::None => {}
        Block::Paragraph(lines) => html.push_str(&format!("<p>{}</p>", inline(&lines.join(" ")))),
        Block::List { ordered, items } => {
            let tag = if ordered { "ol" } else { "ul" };
            let items: String = items.iter().map(|item| format!("<li>{}</li>", inline(item))).collect();
            html.push_str(&format!("<{tag}>{items}</{tag}>"));
        }
    }
}

fn heading(line: &str) -> Option<(u8, &str)> {
    [("### ", 3), ("## ", 2), ("# ", 1)]
        .into_iter()
        .find_map(|(mark, level)| line.strip_prefix(mark).map(|text| (level, text)))
}

/// The text of an item of a numbered list ("2. Zet het scherm …").
fn numbered(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0).then(|| line[digits..].strip_prefix(". ")).flatten()
}

/// Escaped text, with `**…**` in bold.
fn inline(text: &str) -> String {
    text.split("**")
        .enumerate()
        .map(|(i, part)| if i % 2 == 1 { format!("<strong>{}</strong>", escape(part)) } else { escape(part) })
        .collect()
}

/// A heading's anchor: its words in lowercase, joined by dashes.
fn anchor(heading: &str) -> String {
    let words: String =
        heading.chars().map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' }).collect();
    words.split_whitespace().collect::<Vec<_>>().join("-")
}

fn escape(text: &str) -> String {
    cards::report::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_of_the_guide_becomes_plain_html() {
        let html = render(
            "# Titel\n\nEen **vette** zin\nover twee regels.\n\n## Rollen & meer\n\n- een\n- twee <b>\n\n1. eerst\n2. dan\n### Klein",
        );
        assert_eq!(
            html,
            "<h1>Titel</h1><p>Een <strong>vette</strong> zin over twee regels.</p>\
             <h2 id=\"rollen-meer\">Rollen &amp; meer</h2><ul><li>een</li><li>twee &lt;b&gt;</li></ul>\
             <ol><li>eerst</li><li>dan</li></ol><h3>Klein</h3>"
        );
    }

    #[test]
    fn both_languages_have_the_same_sections_and_link_to_each_other() {
        let count = |text: &str, mark: &str| text.lines().filter(|line| line.starts_with(mark)).count();
        for mark in ["## ", "### "] {
            assert_eq!(count(HANDLEIDING, mark), count(GUIDE, mark), "{mark}");
        }
        let (nl, en) = (html(Lang::Nl), html(Lang::En));
        assert!(nl.starts_with("<!doctype html><html lang=\"nl\">") && nl.contains("href=\"/guide\""));
        assert!(en.contains("<html lang=\"en\">") && en.contains("href=\"/handleiding\""));
        assert!(nl.contains("<a href=\"#privacy\">Privacy</a>") && nl.contains("<h2 id=\"privacy\">"));
        assert!(!nl.contains("<script") && !nl.contains("**"), "no script, no Markdown left");
    }
}
