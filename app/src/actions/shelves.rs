//! The agent's shelves: pinning the open article, and remembering the
//! articles viewed (kept in the browser by `state::shelf`).

use leptos::prelude::*;

use crate::state::{AppState, ArticlePane, ShownArticle};
use crate::state::shelf::{self, PINNED_LIMIT, RECENT_LIMIT, ShelfEntry};

impl AppState {
    /// Pins the open article, or unpins it.
    pub fn toggle_pin(self) {
        let ArticlePane::Shown(shown) = self.article.get_untracked() else { return };
        let entry = shelf_entry(&shown);
        self.pinned.update(|p| {
            p.toggle(entry, PINNED_LIMIT);
            shelf::save_pinned(p);
        });
    }

    pub(super) fn remember_viewed(self, shown: &ShownArticle) {
        let entry = shelf_entry(shown);
        self.recent.update(|r| {
            r.push_front(entry, RECENT_LIMIT);
            shelf::save_recent(r);
        });
    }
}

pub(super) fn shelf_entry(shown: &ShownArticle) -> ShelfEntry {
    ShelfEntry { locale: shown.locale.clone(), id: shown.article.id.clone(), title: shown.article.title.clone() }
}
