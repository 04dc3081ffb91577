//! What every importer makes, whatever it reads: the files of a kb, what
//! did not convert, and the small rules they share (the slug of a title,
//! a quoted YAML value, the `imported_from` line and its digest, a
//! relative link between two files of the kb).

use crate::article::imported_origin::digest;

/// One file of the new kb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbFile {
    /// Its path in the kb, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
}

/// Something that did not convert as it was, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The source's id of the article (a Zendesk article or translation
    /// id, a Confluence page id).
    pub source_id: String,
    /// Where it went in the kb.
    pub path: String,
    pub message: String,
}

/// The kb an export becomes.
#[derive(Debug, Default)]
pub struct Imported {
    pub files: Vec<KbFile>,
    pub notes: Vec<Note>,
    /// Articles and translations written.
    pub articles: usize,
    /// Records left out, by source id, with why.
    pub skipped: Vec<(String, String)>,
}

/// `text` as a slug: lower-case letters and digits joined by `-`, at most
/// 80 characters, never empty and never a name Windows keeps for devices.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').chars().take(80).collect::<String>();
    let out = out.trim_end_matches('-').to_string();
    // Names Windows keeps for devices cannot be files in a kb checked out there.
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5",
        "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    match out.as_str() {
        "" => "untitled".to_string(),
        name if RESERVED.contains(&name) => format!("{name}-article"),
        _ => out,
    }
}

/// The front matter value of `text`, quoted for YAML.
pub fn yaml_text(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// An article's file from its front matter lines (`front`, each ending in
/// a newline) and body, with `imported_from` recording the source: its
/// `digest` is the sha256 of the file as written without that line, so
/// importing again can tell an edit here from a change upstream.
pub fn article_with_origin(front: &str, system: &str, id: &str, updated_at: &str, body: &str) -> String {
    let without_origin = format!("---\n{front}---\n\n{body}");
    let origin = format!("imported_from: {{ system: {system}, id: {}, updated_at: {}, digest: {} }}\n", yaml_text(id), yaml_text(updated_at), digest(&without_origin));
    format!("---\n{front}{origin}---\n\n{body}")
}

/// The link from the file at `from` to the file at `to` (both kb paths,
/// `/`-separated): `../` up to their common folder, then down.
pub fn relative_link(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect::<Vec<_>>().split_last().map(|(_, dirs)| dirs.to_vec()).unwrap_or_default();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count().min(to_parts.len().saturating_sub(1));
    let mut link = "../".repeat(from_dirs.len() - common);
    link.push_str(&to_parts[common..].join("/"));
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_dashes() {
        assert_eq!(slug("Reset your Router!"), "reset-your-router");
        assert_eq!(slug("  "), "untitled");
        assert_eq!(slug("CON"), "con-article");
        assert_eq!(slug("🙂🙂"), "untitled");
        assert_eq!(slug(&"a".repeat(300)).len(), 80);
        assert_eq!(slug("a/b\\c"), "a-b-c");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("Wi-Fi & 5G: FAQ"), "wi-fi-5g-faq");
    }

    #[test]
    fn links_climb_to_the_common_folder() {
        assert_eq!(relative_link("en-US/a/b/c.md", "en-US/a/d.md"), "../d.md");
        assert_eq!(relative_link("en-US/a/b.md", "en-US/a/b/c.md"), "b/c.md");
        assert_eq!(relative_link("en-US/a.md", "en-US/media/x.png"), "media/x.png");
        assert_eq!(relative_link("en-US/a/b/c.md", "en-US/media/x.png"), "../../media/x.png");
        assert_eq!(relative_link("en-US/a/b.md", "en-US/a/b.md"), "b.md");
    }

    #[test]
    fn the_origin_digest_is_of_the_file_without_it() {
        let file = article_with_origin("title: \"A\"\n", "confluence", "42", "2026-01-02", "Body.\n");
        let without: String = file.split_inclusive('\n').filter(|l| !l.starts_with("imported_from:")).collect();
        assert!(file.contains(&format!("digest: {} }}", digest(&without))), "{file}");
        assert!(file.contains("system: confluence, id: \"42\""), "{file}");
    }
}
