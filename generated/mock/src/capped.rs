//! What the stateful behaviours remember, bounded: a client creating resources in a loop
//! (245,791 glance tasks took the mock to 778 MB) must not grow the mock without limit.
//! Past [`CAP`] entries the oldest is forgotten, as glance forgets tasks once their time to
//! live has passed; a forgotten id then answers 404 like any unknown one.

use indexmap::IndexMap;

/// The most entries one store keeps.
pub const CAP: usize = 1000;

/// Entries by id, oldest first, at most `cap` of them.
pub struct Capped<T> {
    entries: IndexMap<String, T>,
    cap: usize,
}

impl<T> Default for Capped<T> {
    fn default() -> Self {
        Self::with_cap(CAP)
    }
}

impl<T> Capped<T> {
    pub fn with_cap(cap: usize) -> Self {
        Self { entries: IndexMap::new(), cap: cap.max(1) }
    }

    /// Stores `value` as the newest entry (an id stored again becomes the newest),
    /// forgetting the oldest ones past the cap.
    pub fn insert(&mut self, id: String, value: T) {
        self.entries.shift_remove(&id);
        self.entries.insert(id, value);
        let excess = self.entries.len().saturating_sub(self.cap);
        if excess > 0 {
            self.entries.drain(..excess);
        }
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.entries.get(id)
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.entries.get_mut(id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The position of `id`, oldest first.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.entries.get_index_of(id)
    }

    /// The id and entry at `position`, oldest first.
    pub fn at_mut(&mut self, position: usize) -> Option<(&String, &mut T)> {
        self.entries.get_index_mut(position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_are_forgotten_past_the_cap() {
        let mut store = Capped::with_cap(2);
        for id in ["a", "b", "c"] {
            store.insert(id.to_string(), id.len());
        }
        assert_eq!(store.len(), 2);
        assert!(store.get("a").is_none());
        assert_eq!(store.position("b"), Some(0));
        assert_eq!(store.position("c"), Some(1));
    }

    #[test]
    fn an_id_stored_again_becomes_the_newest() {
        let mut store = Capped::with_cap(2);
        for id in ["a", "b", "a", "c"] {
            store.insert(id.to_string(), ());
        }
        assert!(store.get("b").is_none());
        assert_eq!(store.position("a"), Some(0));
    }
}
