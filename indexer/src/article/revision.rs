//! What an article's content is, as two hashes: the revision translations
//! record (`source_revision`), and the key that tells a change from an edit
//! of front matter or whitespace (what "What changed" counts).

use std::hash::{Hash, Hasher};

/// The revision of an article's content: a short hash of title and body.
pub fn revision_of(title: &str, body: &str) -> String {
    let full = cuecard_engine::hash::content_hash(format!("{}\n{}", title.trim(), body.trim()).as_bytes());
    cuecard_engine::hash::short_hash(&full).to_string()
}

/// The text of a version, as far as a change is concerned: its title and
/// its words, without front matter and whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentKey(u64);

/// The [`ContentKey`] of an article whose front matter names `title` (if
/// it does) and whose body is `body`.
pub fn content_key(title: Option<&str>, body: &str) -> ContentKey {
    // A fixed-key hasher: the same in every run, and only compared in one.
    let mut hasher = std::hash::DefaultHasher::new();
    title.map(str::trim).hash(&mut hasher);
    for word in body.split_whitespace() {
        word.hash(&mut hasher);
    }
    ContentKey(hasher.finish())
}
