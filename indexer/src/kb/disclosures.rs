//! Compliance texts, defined once per locale in `<locale>/_disclosures/ID.md`
//! and referenced from articles with a ```` ```disclosure ID ```` block.
//!
//! A disclosure file's body is the verbatim text. Its front matter may say
//! which articles must carry it:
//! `required_for: { categories: [privacy], tags: [payment] }`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::findings::diagnostics::Diagnostic;
use crate::kb::front_matter;
use crate::kb::sandbox::{KbRoot, MAX_SETTINGS_BYTES, ReadProblem};

/// The folder of a locale that holds its disclosures.
pub const DISCLOSURES_DIR: &str = "_disclosures";

/// One compliance text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub id: String,
    pub text: String,
    pub required_for: RequiredFor,
    pub path: PathBuf,
}

/// Which articles must carry a disclosure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredFor {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl RequiredFor {
    /// Tags and categories are compared in lower case, as articles' are.
    pub fn lowercased(self) -> RequiredFor {
        RequiredFor {
            categories: self.categories.iter().map(|c| c.to_lowercase()).collect(),
            tags: self.tags.iter().map(|t| t.to_lowercase()).collect(),
        }
    }
}

#[derive(Deserialize)]
struct DisclosureFront {
    #[serde(default)]
    required_for: RequiredFor,
}

/// The disclosures of the locale in `locale_dir`, by id, and the problems
/// of those that could not be read (the others are still usable, so one
/// broken file does not hide every disclosure of the locale).
pub fn load(locale_dir: &Path, sandbox: &KbRoot) -> (BTreeMap<String, Disclosure>, Vec<Diagnostic>) {
    let dir = locale_dir.join(DISCLOSURES_DIR);
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    match sandbox.is_dir_inside(&dir) {
        Ok(true) => {}
        Ok(false) | Err(ReadProblem::Missing) => return (out, problems),
        Err(problem) => {
            problems.push(Diagnostic::error(&dir, 0, format!("the disclosures folder is not read: {problem}")).with_code(problem.code()).with_help(problem.help()));
            return (out, problems);
        }
    }
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) => {
            problems.push(Diagnostic::error(&dir, 0, format!("the disclosures folder cannot be read: {error}")).with_code("unreadable").with_help("check its permissions"));
            return (out, problems);
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.file_name().and_then(|n| n.to_str()).is_some_and(crate::kb::names::is_article_name))
        .collect();
    paths.sort();
    for path in paths {
        let id = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let source = match sandbox.read_text(&path, MAX_SETTINGS_BYTES) {
            Ok(source) => front_matter::normalize_line_ends(&source).into_owned(),
            Err(problem) => {
                problems.push(Diagnostic::error(&path, 0, format!("the disclosure is not read: {problem}")).with_code(problem.code()).with_help(problem.help()));
                continue;
            }
        };
        let split = front_matter::split(&source);
        let required_for = match split.yaml.filter(|y| !y.trim().is_empty()) {
            Some(yaml) => match front_matter::parse_bounded::<DisclosureFront>(yaml) {
                Ok(front) => front.required_for.lowercased(),
                Err(e) => {
                    let line = e.line + 1;
                    problems.push(
                        Diagnostic::error(&path, line, format!("the disclosure's front matter is not valid: {}", e.message))
                            .with_code("field-type")
                            .with_help("write `required_for: { categories: [privacy], tags: [payment] }`"),
                    );
                    continue;
                }
            },
            None => RequiredFor::default(),
        };
        let text = split.body.trim().to_string();
        if text.is_empty() {
            problems.push(
                Diagnostic::error(&path, 0, format!("the disclosure `{id}` has no text"))
                    .with_code("unknown-disclosure")
                    .with_help("write the verbatim text below the front matter"),
            );
            continue;
        }
        // `---` inside the text is front matter written twice (or out of
        // place): agents would read YAML out to the customer.
        if let Some(offset) = split.body.lines().position(|l| l.trim() == "---") {
            let line = source.lines().count() - split.body.lines().count() + offset + 1;
            problems.push(
                Diagnostic::error(&path, line, format!("the verbatim text of `{id}` contains a `---` line, so agents would read the rest out as text"))
                    .with_code("disclosure-text")
                    .with_help("write the front matter once, between the first two `---` lines of the file, and the text after it"),
            );
            continue;
        }
        out.insert(id.clone(), Disclosure { id, text, required_for, path });
    }
    (out, problems)
}
