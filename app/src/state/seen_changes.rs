//! Which version of each article the agent last saw: the date of its
//! newest change when they last opened it, kept in the browser
//! (localStorage). Opening an article that changed since says so, and
//! what changed. The record is a plain bounded type, tested natively; only
//! `load`/`save` touch the browser.

use cuecard_engine::changes::{Change, changed_since};
use serde::{Deserialize, Serialize};

/// How many articles are remembered (the least recently opened go first).
pub const SEEN_LIMIT: usize = 500;

const SEEN_KEY: &str = "cuecard.seen-changes";

/// One article as the agent last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    locale: String,
    id: String,
    /// The date of its newest change then (empty: it had none recorded).
    latest: String,
}

/// The articles the agent opened, most recently opened first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenChanges {
    seen: Vec<Seen>,
}

impl SeenChanges {
    /// Records that the agent opened `locale`/`id` whose changes (newest
    /// first) are `changes`, and returns those they have not seen yet
    /// (none on a first visit).
    pub fn open(&mut self, locale: &str, id: &str, changes: &[Change]) -> Vec<Change> {
        let at = self.seen.iter().position(|s| s.locale == locale && s.id == id);
        let previous = at.map(|at| self.seen.remove(at).latest);
        let unseen = changed_since(changes, previous.as_deref()).to_vec();
        let latest = changes.first().map(|c| c.date.clone()).unwrap_or_default();
        self.seen.insert(0, Seen { locale: locale.to_string(), id: id.to_string(), latest });
        self.seen.truncate(SEEN_LIMIT);
        unseen
    }
}

pub fn load() -> SeenChanges {
    crate::state::shelf::load_json(SEEN_KEY)
}

pub fn save(seen: &SeenChanges) {
    crate::state::shelf::save_json(SEEN_KEY, seen);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(date: &str, note: &str) -> Change {
        Change { date: date.into(), note: Some(note.into()) }
    }

    #[test]
    fn a_change_is_news_once_and_only_after_a_visit() {
        let mut seen = SeenChanges::default();
        let v1 = [change("2026-11-01", "First")];
        assert!(seen.open("en", "refunds", &v1).is_empty(), "a first visit is not a change");
        assert!(seen.open("en", "refunds", &v1).is_empty());
        let v2 = [change("2026-11-20", "30 days now"), change("2026-11-01", "First")];
        assert_eq!(seen.open("en", "refunds", &v2), &v2[..1]);
        assert!(seen.open("en", "refunds", &v2).is_empty(), "told once");
        assert!(seen.open("de", "refunds", &v2).is_empty(), "another locale's version is another article");
    }

    #[test]
    fn an_article_without_changes_then_with_one() {
        let mut seen = SeenChanges::default();
        assert!(seen.open("en", "a", &[]).is_empty());
        assert_eq!(seen.open("en", "a", &[change("2026-11-20", "New")]).len(), 1);
    }

    #[test]
    fn the_record_is_bounded_least_recent_first_out() {
        let mut seen = SeenChanges::default();
        for n in 0..SEEN_LIMIT + 5 {
            seen.open("en", &format!("a{n}"), &[]);
        }
        assert_eq!(seen.seen.len(), SEEN_LIMIT);
        assert_eq!(seen.seen[0].id, format!("a{}", SEEN_LIMIT + 4));
        assert!(!seen.seen.iter().any(|s| s.id == "a0"));
    }
}
