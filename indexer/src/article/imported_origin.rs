//! The `imported_from:` line `cuecard import` writes in an article's front
//! matter, and its `digest`: the sha256 (hex) of the file as the import
//! wrote it, without that line. One definition for the three that rely on
//! it: the importers write it (`import::kb_files`), importing again tells
//! an edit here from a change upstream by it (`import::again`), and the
//! history dates a version that is exactly as imported by its source
//! system's change (`history`).

use cuecard_engine::hash::content_hash;

/// What the line starts with.
const LINE_START: &str = "imported_from:";

/// The digest of `text` (a file's text without its `imported_from` line).
pub fn digest(text: &str) -> String {
    content_hash(text.as_bytes())
}

/// `text` without its `imported_from` line, and the digest that line
/// records; `None` for a file with no such line (or one without a digest).
pub fn split(text: &str) -> Option<(String, String)> {
    let line = text.lines().find(|l| l.starts_with(LINE_START))?;
    let recorded = line.split("digest:").nth(1)?.trim().trim_end_matches('}').trim().to_string();
    let without: String = text.split_inclusive('\n').filter(|l| !l.starts_with(LINE_START)).collect();
    Some((without, recorded))
}

/// Whether `text` is exactly as the import wrote it: the rest of the file
/// still hashes to the digest its `imported_from` line records.
pub fn is_as_imported(text: &str) -> bool {
    split(text).is_some_and(|(without, recorded)| digest(&without) == recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_as_imported_until_its_text_changes() {
        let without = "---\ntitle: Refunds\n---\n\nWithin 30 days.\n";
        let file = format!("---\ntitle: Refunds\nimported_from: {{ system: zendesk, id: \"7\", digest: {} }}\n---\n\nWithin 30 days.\n", digest(without));
        assert_eq!(split(&file), Some((without.to_string(), digest(without))));
        assert!(is_as_imported(&file));
        assert!(!is_as_imported(&file.replace("30 days", "14 days")), "edited here");
        assert!(!is_as_imported(without), "no origin line");
        assert_eq!(split("---\nimported_from: { system: zendesk }\n---\n"), None, "no digest");
    }
}
