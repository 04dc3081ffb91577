//! How bad each kind of finding is: one documented default per finding
//! code, which a kb's `cuecard.yaml` may change the way lint levels work
//! (`severity: { broken-link: error, review-overdue: off }`), except for the
//! few that are always errors because publishing past them is never safe.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::findings::diagnostics::{Diagnostic, Severity};

/// A level a kb config may give a finding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// Every finding code, its default level, and what it is about. This table
/// is the reference kb/README.md documents.
pub const CODES: &[(&str, Level, &str)] = &[
    // The kb and its files.
    ("kb", Level::Error, "the kb folder or its layout cannot be used"),
    ("kb-config", Level::Error, "cuecard.yaml is not valid"),
    ("outside-kb", Level::Error, "a link or path leads outside the kb"),
    ("broken-symlink", Level::Warning, "a symbolic link points nowhere or loops"),
    ("folder-link", Level::Warning, "a link to a folder (not followed)"),
    ("file-name", Level::Warning, "a file name that is not UTF-8 (not published)"),
    ("too-large", Level::Error, "a file over its size limit"),
    ("unreadable", Level::Error, "a file that cannot be read"),
    ("encoding", Level::Error, "a file that is not UTF-8"),
    // One article.
    ("yaml", Level::Error, "front matter that does not parse (always an error)"),
    ("front-matter", Level::Error, "front matter Cuecard cannot read: TOML, JSON, or not closed (always an error)"),
    ("field-type", Level::Error, "a front-matter field of the wrong type"),
    ("bad-id", Level::Error, "an article id that cannot be used"),
    ("bad-date", Level::Error, "a date that is not a date"),
    ("bad-duration", Level::Error, "a review cycle that is not a length of time"),
    ("unknown-category", Level::Error, "a category cuecard.yaml does not list"),
    ("unknown-audience", Level::Error, "an audience cuecard.yaml does not declare, in an article or `--audience` (always an error)"),
    ("nesting", Level::Error, "Markdown nested deeper than the renderer allows"),
    ("include", Level::Error, "an include directive that cannot be resolved"),
    ("missing-image", Level::Warning, "an image that is not in the kb"),
    // Across articles.
    ("duplicate-id", Level::Error, "two articles with one id in a locale"),
    ("broken-link", Level::Warning, "a link to an article that does not exist"),
    ("broken-anchor", Level::Warning, "a link to a heading that does not exist"),
    ("link-case", Level::Warning, "a link that matches an article only when letter case is ignored"),
    ("link-neutralised", Level::Warning, "a link the app does not follow (not an article, web page, mail or phone address)"),
    ("audience-link", Level::Warning, "a link to an article this audience build leaves out"),
    ("link-redirect", Level::Warning, "a link to an old id of an article that moved (its `redirect_from`)"),
    ("redirect-live-id", Level::Error, "an old id in `redirect_from` that is a live article (or names it back: a cycle)"),
    ("redirect-claimed-twice", Level::Error, "an old id in the `redirect_from` of two articles"),
    ("redirect-self", Level::Warning, "an article whose `redirect_from` lists its own id"),
    // Compliance and freshness.
    ("unknown-disclosure", Level::Error, "a disclosure that the locale does not define"),
    ("disclosure-text", Level::Error, "a disclosure block with text of its own, or a disclosure file with a stray `---`"),
    ("missing-disclosure", Level::Error, "a required disclosure that the article does not carry (always an error)"),
    ("expired", Level::Error, "an article past its `expires` date (always an error)"),
    ("review-overdue", Level::Warning, "an article past its review date"),
    // Translations.
    ("orphan-translation", Level::Error, "a translation of an article the source locale does not have"),
    ("translation-outdated", Level::Warning, "a translation of an older revision of its source"),
    ("missing-translation", Level::Warning, "an article missing in a locale where most of its siblings exist"),
    ("synonyms", Level::Error, "a synonyms file line that is not a group"),
    // What a build publishes.
    ("nothing-published", Level::Error, "a build that would publish none of the kb's articles (always an error)"),
];

/// Codes no configuration can lower: publishing past them is never safe.
pub const ALWAYS_ERRORS: [&str; 6] = ["missing-disclosure", "expired", "yaml", "front-matter", "unknown-audience", "nothing-published"];

pub fn is_known_code(code: &str) -> bool {
    CODES.iter().any(|(c, _, _)| *c == code)
}

pub fn known_codes() -> Vec<&'static str> {
    CODES.iter().map(|(c, _, _)| *c).collect()
}

fn default_level(code: &str) -> Level {
    CODES.iter().find(|(c, _, _)| *c == code).map_or(Level::Error, |(_, level, _)| *level)
}

/// Gives every diagnostic the level of its code (the kb's setting, else the
/// default), drops those set to `off`, and adds a warning for each setting
/// that tries to lower an always-error code.
pub fn apply(diagnostics: Vec<Diagnostic>, settings: &BTreeMap<String, Level>, config_path: Option<&Path>) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(diagnostics.len());
    for (code, level) in settings {
        if ALWAYS_ERRORS.contains(&code.as_str()) && *level != Level::Error {
            let path = config_path.unwrap_or(Path::new("cuecard.yaml"));
            out.push(
                Diagnostic::warning(path, 0, format!("`severity: {{ {code}: ... }}` is ignored: `{code}` is always an error"))
                    .with_code("kb-config")
                    .with_help(format!("remove `{code}` from `severity`")),
            );
        }
    }
    for mut diagnostic in diagnostics {
        let level = match settings.get(diagnostic.code) {
            _ if ALWAYS_ERRORS.contains(&diagnostic.code) => Level::Error,
            Some(level) => *level,
            None => default_level(diagnostic.code),
        };
        diagnostic.severity = match level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Off => continue,
        };
        out.push(diagnostic);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &'static str) -> Diagnostic {
        Diagnostic::error("a.md", 1, "x").with_code(code)
    }

    #[test]
    fn defaults_make_links_warnings_and_compliance_errors() {
        let out = apply(vec![finding("broken-link"), finding("missing-disclosure")], &BTreeMap::new(), None);
        let levels: Vec<(&str, Severity)> = out.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(levels, [("broken-link", Severity::Warning), ("missing-disclosure", Severity::Error)]);
    }

    #[test]
    fn the_kb_config_raises_lowers_or_silences_but_never_lowers_compliance() {
        let settings: BTreeMap<String, Level> =
            [("broken-link".to_string(), Level::Error), ("review-overdue".to_string(), Level::Off), ("expired".to_string(), Level::Warning)].into();
        let out = apply(vec![finding("broken-link"), finding("review-overdue"), finding("expired")], &settings, None);
        let levels: Vec<(&str, Severity)> = out.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(levels, [("kb-config", Severity::Warning), ("broken-link", Severity::Error), ("expired", Severity::Error)]);
    }

    #[test]
    fn the_knowledge_managers_guide_documents_every_code() {
        let guide = include_str!("../../../kb/README.md");
        for (code, level, _) in CODES {
            let level = if *level == Level::Error { "error" } else { "warning" };
            assert!(guide.contains(&format!("| `{code}` | {level} |")), "kb/README.md does not list `{code}` as {level}");
        }
    }

    #[test]
    fn every_code_is_listed_once() {
        let mut codes = known_codes();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), CODES.len());
        assert!(ALWAYS_ERRORS.iter().all(|c| is_known_code(c)));
    }
}
