//! The debrief pack: everything a trainer takes home from a session in one zip file. The
//! report (printable, every step in order), each step's own file, the answers to the
//! statements, and the draaiboek to start the next session from, with the actions and the
//! definitions the group agreed on.

use crate::analysis::Review;
use crate::export;
use crate::forms::FormKind;
use crate::log::{LoggedEvent, Names, answers};
use crate::room::Room;
use crate::text::Lang;

/// The pack's files, in the order a reader opens them: name and bytes.
pub fn files(log: &[LoggedEvent], names: Names, lang: Lang) -> Vec<(String, Vec<u8>)> {
    let nl = matches!(lang, Lang::Nl);
    let review = Review::of(log, names, lang);
    let code = review.code.clone();
    let mut files = vec![(
        format!("{}-{code}.html", if nl { "verslag" } else { "report" }),
        crate::report::html(&review, lang).into_bytes(),
    )];
    let Some(room) = Room::replay(log.iter().map(|logged| &logged.event)) else { return files };
    let given = answers(log, names, lang);
    if !given.is_empty() {
        let name = if nl { "stellingen" } else { "statements" };
        files.push((format!("{name}-{code}.csv"), export::csv(&given, lang).into_bytes()));
    }
    for step in &review.steps {
        let index = Some(step.number.saturating_sub(1));
        let (name, body) = match step.form {
            FormKind::Scale => (("schaalvraag", "scale"), export::scale_step_csv(&room, index, names, lang)),
            FormKind::Table => (("keukentafel", "kitchen-table"), export::table_step_csv(&room, index, names, lang)),
            FormKind::Mirror => (("spiegelgesprek", "mirror"), export::mirror_step_csv(&room, index, false, lang)),
            FormKind::Actions => (("verbeteracties", "actions"), export::actions_step_csv(&room, index, lang)),
            FormKind::Statements => continue,
        };
        if let Some(body) = body {
            let (word, name) = (if nl { "stap" } else { "step" }, if nl { name.0 } else { name.1 });
            files.push((format!("{word}-{}-{name}-{code}.csv", step.number), body.into_bytes()));
        }
    }
    files.push((format!("draaiboek-{code}.toml"), export::agenda_toml(&room).into_bytes()));
    files
}
