//! The screens of the work forms a session's agenda runs besides the statements (DESIGN.md,
//! "Werkvormen"): the agenda itself, the schaalvraag and the verbeteracties, each for the
//! phone, the console and the projector. Like the rest of the client they read the session's
//! view and send what the person chose; none decides a rule. The keukentafeluitdaging has its
//! own screens too (`table.rs`).

pub mod actions;
pub mod agenda;
pub mod mirror;
pub mod review;
pub mod scale;
pub mod table;

use cards::View;
use cards::forms::FormKind;
use cards::text::Text;

use crate::i18n::{t, tr};

/// The form of the step running now, when the session follows an agenda.
pub fn running_form(view: &View) -> Option<FormKind> {
    let session = view.session.as_ref()?;
    let step = session.running?;
    Some(session.steps.get(usize::from(step))?.form)
}

/// A step's name as people read it: its own title, or its work form's.
pub fn step_title(title: Option<&Text>, form: FormKind) -> String {
    title.map(tr).unwrap_or_else(|| form_name(form).to_owned())
}

/// "De helft van de groep zit tussen 4 en 7; de middelste waarde is 5.", or nothing without
/// answers.
pub fn summary_sentence(figures: &cards::forms::scale::ScaleFigures) -> String {
    match (figures.median, figures.middle_half) {
        (Some(median), Some((low, high))) => t()
            .scale_summary
            .replace("{median}", &median.to_string())
            .replace("{low}", &low.to_string())
            .replace("{high}", &high.to_string()),
        _ => String::new(),
    }
}

/// "Sinds de vorige keer: middelste waarde 5 → 6; 2 hoger, 0 lager, 1 gelijk."
pub fn moved_sentence(shift: &cards::analysis::ShiftSummary) -> String {
    let value = |median: Option<u8>| median.map_or_else(|| "–".to_owned(), |median| median.to_string());
    t().scale_moved
        .replace("{before}", &value(shift.median_before))
        .replace("{after}", &value(shift.median_after))
        .replace("{up}", &shift.up.to_string())
        .replace("{down}", &shift.down.to_string())
        .replace("{same}", &shift.same.to_string())
}

pub fn form_name(form: FormKind) -> &'static str {
    match form {
        FormKind::Statements => t().form_statements,
        FormKind::Scale => t().form_scale,
        FormKind::Actions => t().form_actions,
        FormKind::Table => t().form_table,
        FormKind::Mirror => t().form_mirror,
    }
}
