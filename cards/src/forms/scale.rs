//! The schaalvraag: a question card answered privately with a number from 1 to 10, with
//! "waarom niet lager?" (what already works) and "wat maakt het één punt hoger?" (one concrete
//! step), revealed at once.

use serde::{Deserialize, Serialize};

use crate::event::TimerMode;
use crate::text::Text;

/// How a schaalvraag step is asked. Every field has a default, so a draaiboek names only what
/// it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScaleSettings {
    /// Ask "waarom niet lager?": what already works.
    pub why_not_lower: bool,
    /// Ask "wat maakt het één punt hoger?": one concrete step, which can become an action.
    pub one_point_higher: bool,
    /// Show roles but not names in the reveal.
    pub anonymous: bool,
    pub timer: TimerMode,
}

impl Default for ScaleSettings {
    fn default() -> ScaleSettings {
        ScaleSettings { why_not_lower: true, one_point_higher: true, anonymous: false, timer: TimerMode::Off }
    }
}

impl ScaleSettings {
    /// What is out of range, if anything: a timer runs for `TimerMode::MIN_SECONDS` to
    /// `MAX_SECONDS`.
    pub fn problem(&self) -> Option<Text> {
        let seconds = self.timer.seconds()?;
        let (min, max) = (TimerMode::MIN_SECONDS, TimerMode::MAX_SECONDS);
        (!(min..=max).contains(&seconds)).then(|| {
            Text::new(
                format!("timer.seconds is {seconds}, kies {min} tot {max}"),
                format!("timer.seconds is {seconds}, choose {min} to {max}"),
            )
        })
    }
}
