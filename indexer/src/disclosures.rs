//! Compliance texts, defined once per locale in `<locale>/_disclosures/ID.md`
//! and referenced from articles with a ```` ```disclosure ID ```` block.
//!
//! A disclosure file's body is the verbatim text. Its front matter may say
//! which articles must carry it:
//! `required_for: { categories: [privacy], tags: [payment] }`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::front_matter;

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
pub struct RequiredFor {
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Deserialize)]
struct DisclosureFront {
    #[serde(default)]
    required_for: RequiredFor,
}

/// The disclosures of the locale in `locale_dir`, by id, and the problems
/// of those that could not be read (the others are still usable, so one
/// broken file does not hide every disclosure of the locale).
pub fn load(locale_dir: &Path) -> (BTreeMap<String, Disclosure>, Vec<Diagnostic>) {
    let dir = locale_dir.join(DISCLOSURES_DIR);
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(&dir) else { return (out, Vec::new()) };
    let mut problems = Vec::new();
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    paths.sort();
    for path in paths {
        let id = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let source = match std::fs::read_to_string(&path) {
            Ok(source) => source,
            Err(e) => {
                problems.push(Diagnostic::error(&path, 0, format!("cannot read the disclosure: {e}")));
                continue;
            }
        };
        let split = front_matter::split(&source);
        let required_for = match split.yaml.filter(|y| !y.trim().is_empty()) {
            Some(yaml) => match serde_norway::from_str::<DisclosureFront>(yaml) {
                Ok(front) => front.required_for,
                Err(e) => {
                    let line = e.location().map_or(2, |l| l.line() + 1);
                    problems.push(
                        Diagnostic::error(&path, line, format!("the disclosure's front matter is not valid: {e}"))
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
