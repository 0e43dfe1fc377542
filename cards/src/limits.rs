//! How much a participant may type, in one place: the rules refuse more, the browser's fields
//! stop there, and the error messages name the number.

/// A participant's name, in characters.
pub const MAX_NAME_CHARS: usize = 40;
/// The argument under an answer ("waarom?").
pub const MAX_ARGUMENT_CHARS: usize = 500;
/// A participant's own definition of a term.
pub const MAX_DEFINITION_CHARS: usize = 200;
