//! The agent's own shortcuts, kept in the browser (localStorage): pinned
//! articles, recently viewed ones, and the chosen locale. Lists are plain
//! types with their rules (no duplicates, newest first, capped) so they are
//! tested natively; only `load`/`save` touch the browser.

use serde::{Deserialize, Serialize};

/// How many recently viewed articles are kept.
pub const RECENT_LIMIT: usize = 8;
/// How many articles can be pinned.
pub const PINNED_LIMIT: usize = 12;

const RECENT_KEY: &str = "cuecard.recent";
const PINNED_KEY: &str = "cuecard.pinned";
const LOCALE_KEY: &str = "cuecard.locale";

/// An article on a shelf: enough to list it and open it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfEntry {
    /// The locale the article was read in.
    pub locale: String,
    pub id: String,
    pub title: String,
}

impl ShelfEntry {
    fn same_article(&self, other: &ShelfEntry) -> bool {
        self.locale == other.locale && self.id == other.id
    }
}

/// A newest-first list of articles without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shelf {
    pub entries: Vec<ShelfEntry>,
}

impl Shelf {
    /// Puts `entry` first (moving it if present), keeping at most `limit`.
    pub fn push_front(&mut self, entry: ShelfEntry, limit: usize) {
        self.entries.retain(|e| !e.same_article(&entry));
        self.entries.insert(0, entry);
        self.entries.truncate(limit);
    }

    /// Adds `entry` if absent, removes it if present. True when it is now on
    /// the shelf.
    pub fn toggle(&mut self, entry: ShelfEntry, limit: usize) -> bool {
        if self.contains(&entry.locale, &entry.id) {
            self.entries.retain(|e| !e.same_article(&entry));
            false
        } else {
            self.push_front(entry, limit);
            true
        }
    }

    /// Puts `to` where entries of its locale named by the old id `old` are
    /// (the article moved). True when something changed.
    pub fn moved(&mut self, old: &str, to: &ShelfEntry) -> bool {
        let Some(at) = self.entries.iter().position(|e| e.locale == to.locale && e.id == old) else {
            return false;
        };
        self.entries[at] = to.clone();
        // One entry per article: a later copy of `to` (or of the old id) goes.
        let mut seen = false;
        self.entries.retain(|e| {
            let same = e.same_article(to) || (e.locale == to.locale && e.id == old);
            let keep = !(same && seen);
            seen |= same;
            keep
        });
        true
    }

    pub fn contains(&self, locale: &str, id: &str) -> bool {
        self.entries.iter().any(|e| e.locale == locale && e.id == id)
    }

    /// The entries of `locale` (or of its fallbacks, listed in `locales`).
    pub fn in_locales<'a>(&'a self, locales: &'a [&str]) -> impl Iterator<Item = &'a ShelfEntry> + 'a {
        self.entries.iter().filter(move |e| locales.contains(&e.locale.as_str()))
    }
}

fn storage() -> Option<web_sys::Storage> {
    // Private modes and embedded frames may refuse storage: then nothing is
    // remembered, and nothing breaks.
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The value kept under `key` (the default when there is none, or it is
/// unreadable).
pub(crate) fn load_json<T: serde::de::DeserializeOwned + Default>(key: &str) -> T {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// Keeps `value` under `key`, if the browser lets the app keep anything.
pub(crate) fn save_json<T: Serialize>(key: &str, value: &T) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(value)) {
        let _ = storage.set_item(key, &json);
    }
}

pub fn load_recent() -> Shelf {
    load_json(RECENT_KEY)
}

pub fn save_recent(shelf: &Shelf) {
    save_json(RECENT_KEY, shelf);
}

pub fn load_pinned() -> Shelf {
    load_json(PINNED_KEY)
}

pub fn save_pinned(shelf: &Shelf) {
    save_json(PINNED_KEY, shelf);
}

/// The locale the agent chose last time, if any.
pub fn remembered_locale() -> Option<String> {
    storage().and_then(|s| s.get_item(LOCALE_KEY).ok().flatten()).filter(|l| !l.is_empty())
}

pub fn remember_locale(tag: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(LOCALE_KEY, tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> ShelfEntry {
        ShelfEntry { locale: "en-US".into(), id: id.into(), title: id.to_uppercase() }
    }

    fn ids(shelf: &Shelf) -> Vec<&str> {
        shelf.entries.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn recent_is_newest_first_without_duplicates_and_capped() {
        let mut recent = Shelf::default();
        for id in ["a", "b", "c", "a"] {
            recent.push_front(entry(id), 3);
        }
        assert_eq!(ids(&recent), ["a", "c", "b"]);
        recent.push_front(entry("d"), 3);
        assert_eq!(ids(&recent), ["d", "a", "c"]);
    }

    #[test]
    fn pinning_toggles() {
        let mut pinned = Shelf::default();
        assert!(pinned.toggle(entry("a"), PINNED_LIMIT));
        assert!(pinned.contains("en-US", "a"));
        assert!(!pinned.toggle(entry("a"), PINNED_LIMIT));
        assert!(pinned.entries.is_empty());
    }

    #[test]
    fn the_same_id_in_two_locales_is_two_entries() {
        let mut recent = Shelf::default();
        recent.push_front(entry("a"), 8);
        recent.push_front(ShelfEntry { locale: "de-DE".into(), ..entry("a") }, 8);
        assert_eq!(recent.entries.len(), 2);
        assert_eq!(recent.in_locales(&["de-DE"]).count(), 1);
    }

    #[test]
    fn a_moved_article_keeps_its_place_under_its_new_id_once() {
        let mut pinned = Shelf::default();
        for id in ["c", "old", "a"] {
            pinned.push_front(entry(id), 12);
        }
        assert!(pinned.moved("old", &entry("new")));
        let ids: Vec<&str> = pinned.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "new", "c"]);
        assert_eq!(pinned.entries[1].title, "NEW");
        assert!(!pinned.moved("old", &entry("new")), "nothing left to move");
        pinned.push_front(entry("old"), 12);
        assert!(pinned.moved("old", &entry("new")));
        let ids: Vec<&str> = pinned.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["new", "a", "c"], "already there: one entry");
        let mut other_locale = Shelf::default();
        other_locale.push_front(ShelfEntry { locale: "de-DE".into(), ..entry("old") }, 8);
        assert!(!other_locale.moved("old", &entry("new")), "a move is within one locale");
    }
}
