//! Which statement decks a room plays with: the ids a trainer chose, each once, and at most a
//! handful. A request naming one deck a thousand times costs what naming it once costs.

use cards::deck::StatementDeck;
use cards::{Library, Rejection};

/// More decks than a trainer combines in one session.
pub const MAX_DECKS_PER_ROOM: usize = 8;

/// The chosen decks combined into one pile, duplicates dropped.
pub fn statements(library: &Library, ids: &[String]) -> Result<StatementDeck, Rejection> {
    let mut unique: Vec<&str> = Vec::new();
    for id in ids {
        if !unique.contains(&id.as_str()) {
            if unique.len() == MAX_DECKS_PER_ROOM {
                return Err(Rejection::TooManyDecks { max: MAX_DECKS_PER_ROOM });
            }
            unique.push(id);
        }
    }
    let decks: Option<Vec<&StatementDeck>> = unique.iter().map(|id| library.statement_deck(id)).collect();
    decks.and_then(|decks| StatementDeck::combine(&decks)).ok_or(Rejection::UnknownDeck)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deck_named_many_times_is_played_once_and_many_decks_are_refused() {
        let library = Library::built_in();
        let once = statements(&library, &["wijkteam".to_owned()]).expect("a deck");
        let many = statements(&library, &vec!["wijkteam".to_owned(); 5_000]).expect("the same deck");
        assert_eq!(many.cards.len(), once.cards.len());
        let ids: Vec<String> = (0..9).map(|n| format!("deck-{n}")).collect();
        assert_eq!(statements(&library, &ids).map(|_| ()), Err(Rejection::TooManyDecks { max: MAX_DECKS_PER_ROOM }));
        assert_eq!(statements(&library, &["nope".to_owned()]).map(|_| ()), Err(Rejection::UnknownDeck));
        assert_eq!(statements(&library, &[]).map(|_| ()), Err(Rejection::UnknownDeck));
    }
}
