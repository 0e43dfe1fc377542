//! Which decks a room plays with, and one copy of each in memory. A room names the statement
//! decks a trainer chose, each once and at most a handful: a request naming one deck a thousand
//! times costs what naming it once costs. Every room playing the same deck (built in, combined
//! or uploaded, or read back from a log) holds the same copy.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use cards::deck::{Deck, RoleDeck, StatementDeck};
use cards::{Library, Rejection, Room};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// More decks than a trainer combines in one session.
pub const MAX_DECKS_PER_ROOM: usize = 8;

/// The chosen decks combined into one pile, duplicates dropped; the library's own copy when
/// one deck is chosen, and a shared copy of a combination.
pub fn statements(library: &Library, ids: &[String]) -> Result<Arc<StatementDeck>, Rejection> {
    let mut unique: Vec<&str> = Vec::new();
    for id in ids {
        if !unique.contains(&id.as_str()) {
            if unique.len() == MAX_DECKS_PER_ROOM {
                return Err(Rejection::TooManyDecks { max: MAX_DECKS_PER_ROOM });
            }
            unique.push(id);
        }
    }
    let decks: Option<Vec<&Arc<StatementDeck>>> = unique.iter().map(|id| library.statement_deck(id)).collect();
    match decks.as_deref() {
        None | Some([]) => Err(Rejection::UnknownDeck),
        Some([only]) => Ok(Arc::clone(only)),
        Some(several) => {
            let several: Vec<&StatementDeck> = several.iter().map(|deck| deck.as_ref()).collect();
            let combined = StatementDeck::combine(&several).ok_or(Rejection::UnknownDeck)?;
            Ok(share_statements(Arc::new(combined)))
        }
    }
}

/// The copy of `deck` every room shares.
pub fn share_statements(deck: Arc<StatementDeck>) -> Arc<StatementDeck> {
    static SHELF: LazyLock<Shelf<cards::deck::StatementCard>> = LazyLock::new(Shelf::default);
    SHELF.share(deck)
}

/// The copy of `deck` every room shares.
pub fn share_roles(deck: Arc<RoleDeck>) -> Arc<RoleDeck> {
    static SHELF: LazyLock<Shelf<cards::deck::RoleCard>> = LazyLock::new(Shelf::default);
    SHELF.share(deck)
}

/// Puts the library's decks on the shelf, so a room read back from its log shares the
/// library's copy rather than making a second one.
pub fn shelve(library: &Library) {
    for deck in &library.statements {
        share_statements(Arc::clone(deck));
    }
    for deck in &library.roles {
        share_roles(Arc::clone(deck));
    }
}

/// Makes a room read back from its log play with the shared copies of its decks.
pub fn share_decks(room: &mut Room) {
    room.share_decks(share_statements, share_roles);
}

/// Decks by the digest of their content. It holds them weakly: a deck no room plays any more
/// leaves memory, and its entry with the next clean-up. A process-wide cache of content that
/// never changes, so sharing it changes nothing but the memory it takes.
struct Shelf<C> {
    decks: Mutex<HashMap<[u8; 32], Weak<Deck<C>>>>,
}

impl<C> Default for Shelf<C> {
    fn default() -> Shelf<C> {
        Shelf { decks: Mutex::new(HashMap::new()) }
    }
}

impl<C: Serialize> Shelf<C> {
    fn share(&self, deck: Arc<Deck<C>>) -> Arc<Deck<C>> {
        // A deck always serialises; were it ever not to, the room keeps its own copy.
        let Ok(content) = serde_json::to_vec(&*deck) else { return deck };
        let digest: [u8; 32] = Sha256::digest(&content).into();
        let mut decks = self.decks.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(shared) = decks.get(&digest).and_then(Weak::upgrade) {
            return shared;
        }
        // Entries of decks that left memory go whenever the table would grow.
        if decks.len() == decks.capacity() {
            decks.retain(|_, held| held.strong_count() > 0);
        }
        decks.insert(digest, Arc::downgrade(&deck));
        deck
    }
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
        assert!(Arc::ptr_eq(&once, &many), "one deck is the library's own copy");
        let ids: Vec<String> = (0..9).map(|n| format!("deck-{n}")).collect();
        assert_eq!(statements(&library, &ids).map(|_| ()), Err(Rejection::TooManyDecks { max: MAX_DECKS_PER_ROOM }));
        assert_eq!(statements(&library, &["nope".to_owned()]).map(|_| ()), Err(Rejection::UnknownDeck));
        assert_eq!(statements(&library, &[]).map(|_| ()), Err(Rejection::UnknownDeck));
    }

    #[test]
    fn rooms_combining_the_same_decks_share_one_copy() {
        let library = Library::built_in();
        let ids = ["wijkteam".to_owned(), "containerbegrippen".to_owned()];
        let first = statements(&library, &ids).expect("combined");
        let second = statements(&library, &ids).expect("combined again");
        assert!(Arc::ptr_eq(&first, &second));
        let read_back: StatementDeck =
            serde_json::from_str(&serde_json::to_string(&*first).expect("json")).expect("deck");
        assert!(Arc::ptr_eq(&share_statements(Arc::new(read_back)), &first), "a deck read from a log is shared too");
    }

    /// A shelf of its own: the process-wide one is shared with other tests.
    #[test]
    fn the_shelf_does_not_keep_a_deck_nobody_plays() {
        let shelf: Shelf<cards::deck::StatementCard> = Shelf::default();
        let library = Library::built_in();
        let deck = Arc::new((**library.statement_deck("wijkteam").expect("built in")).clone());
        assert!(Arc::ptr_eq(&shelf.share(Arc::clone(&deck)), &deck));
        let weak = Arc::downgrade(&deck);
        drop(deck);
        assert_eq!(weak.strong_count(), 0);
        let again = Arc::new((**library.statement_deck("wijkteam").expect("built in")).clone());
        assert!(Arc::ptr_eq(&shelf.share(Arc::clone(&again)), &again), "a deck that left is not handed back");
    }
}
