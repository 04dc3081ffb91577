//! The query across reloads of the tab ("Switch now" reloads the page),
//! kept in `sessionStorage`, never in the address: an address travels in
//! `Referer` headers, access logs and browser history, and an agent's
//! query can hold what a caller said. The tab's storage ends with the tab.

/// The `sessionStorage` key of the query.
const KEY: &str = "cuecard.query";

fn storage() -> Option<web_sys::Storage> {
    // Private modes and embedded frames may refuse storage: then the query
    // is not kept across a reload, and nothing breaks.
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// Keeps `query` for this tab (an empty one clears it).
pub fn keep(query: &str) {
    let Some(storage) = storage() else { return };
    let _ = if query.is_empty() { storage.remove_item(KEY) } else { storage.set_item(KEY, query) };
}

/// The query kept for this tab, if any.
pub fn recall() -> Option<String> {
    storage().and_then(|s| s.get_item(KEY).ok().flatten()).filter(|q| !q.is_empty())
}
