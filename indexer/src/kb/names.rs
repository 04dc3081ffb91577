//! Which names are articles: Markdown files, and no file or folder whose
//! name starts with `_` or `.` (includes, disclosures, synonyms, hidden).

use std::path::Path;

/// Whether a file or folder name can be (or hold) an article.
pub fn is_article_name(name: &str) -> bool {
    !name.starts_with('_') && !name.starts_with('.')
}

/// Whether a path names a Markdown file.
pub fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}
