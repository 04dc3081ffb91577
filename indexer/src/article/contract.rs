//! The article contract: the front-matter fields Cuecard interprets, their
//! types, and what is wrong when they do not fit. Problems are findings at
//! the field's line; a field that does not fit is ignored, never fatal to
//! the other fields (so every problem is reported at once).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::Span;
use serde_norway::Value;

use crate::findings::diagnostics::Finding;
use crate::kb::field_map::FieldMap;
use crate::kb::front_matter::FrontMatter;

/// The owner of an article: a named person and their team (empty when
/// the kb maps `owner` to a key that holds only a name, like `ms.author`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub name: String,
    pub team: String,
}

/// Where an imported article came from: `imported_from: { system, id,
/// updated_at, digest }`, written by `cuecard import`, read back by it
/// when importing again (the digest is the sha256 of the file as the
/// import wrote it, without this field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFrom {
    /// `zendesk`, `confluence`.
    pub system: String,
    /// The article's id there.
    pub id: String,
    /// The source's last change, as the source wrote it.
    pub updated_at: Option<String>,
    pub digest: String,
}

/// Interpreted front-matter fields (besides id, title and summary).
#[derive(Debug, Clone, Default)]
pub struct ArticleMeta {
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub products: Vec<String>,
    pub audience: Vec<String>,
    /// `draft: true` or `published: false`: checked, never published.
    pub draft: bool,
    pub owner: Option<Owner>,
    pub reviewed: Option<Date>,
    /// How often the article must be reviewed, as written (`90 days`).
    pub review_every: Option<(String, Span)>,
    pub expires: Option<Date>,
    /// The words agents use for this topic.
    pub aka: Vec<String>,
    /// Ids of compliance texts the article must carry.
    pub disclosures: Vec<String>,
    /// Ids this article used to have.
    pub redirect_from: Vec<String>,
    /// For a translation: the source article's id (default: the same id).
    pub source_id: Option<String>,
    /// For a translation: the source revision it was translated from.
    pub source_revision: Option<String>,
    /// What the latest change was, in the knowledge manager's words.
    pub change_note: Option<String>,
    /// When the content last changed, for a kb without git history (a
    /// tarball, a shallow clone); git's dates win when there is history.
    pub changed: Option<Date>,
    /// Where the article was imported from, if it was.
    pub imported_from: Option<ImportedFrom>,
    /// File line of each field, for findings about it.
    pub lines: BTreeMap<String, usize>,
}

impl ArticleMeta {
    /// The line of `field` in the file, or `fallback`.
    pub fn line_of(&self, field: &str, fallback: usize) -> usize {
        self.lines.get(field).copied().unwrap_or(fallback)
    }

    /// True for a translation of an article in another locale.
    pub fn is_translation(&self) -> bool {
        self.source_revision.is_some() || self.source_id.is_some()
    }

    /// The date the next review is due, if the article has a review cycle.
    pub fn review_due(&self) -> Option<Date> {
        let (_, span) = self.review_every.as_ref()?;
        self.reviewed?.checked_add(*span).ok()
    }
}

/// The longest `change_note`: it is shown in the trust bar and in lists.
pub const MAX_CHANGE_NOTE_CHARS: usize = 200;

/// Reads the contract fields out of the front matter's `extra` (fields
/// other than id/title/summary, under Cuecard's names: `map` applied).
/// `first_line` places findings about fields without a line; `categories`
/// lists the allowed categories (empty: any).
pub fn read_meta(front: &FrontMatter, first_line: usize, categories: &[String], map: &FieldMap) -> (ArticleMeta, Vec<Finding>) {
    let extra = &front.extra;
    let mut meta = ArticleMeta { lines: front.lines.clone(), ..ArticleMeta::default() };
    let mut findings = Vec::new();
    let owner_as_name = map.is_moved("owner");
    let line = |key: &str| meta.lines.get(key).copied().unwrap_or(first_line);
    let type_error = |key: &str, expected: &str, example: &str, findings: &mut Vec<Finding>| {
        findings.push(Finding::error(
            "field-type",
            line(key),
            format!("`{key}` must be {expected}"),
            format!("write it like `{key}: {example}`"),
        ));
    };

    for (key, value) in extra {
        match key.as_str() {
            "draft" | "published" => match value {
                Value::Bool(flag) => meta.draft |= if key == "draft" { *flag } else { !*flag },
                _ => type_error(key, "true or false", "true", &mut findings),
            },
            "category" => match text(value).map(|c| c.to_lowercase()) {
                Some(category) => {
                    if !categories.is_empty() && !categories.contains(&category) {
                        let suggestion = closest(&category, categories)
                            .map(|c| format!("did you mean `{c}`? "))
                            .unwrap_or_default();
                        findings.push(Finding::error(
                            "unknown-category",
                            line(key),
                            format!("unknown category `{category}`"),
                            format!("{suggestion}categories are listed in cuecard.yaml: {}", categories.join(", ")),
                        ));
                    } else {
                        meta.category = Some(category);
                    }
                }
                None => type_error(key, "one category id", "billing", &mut findings),
            },
            "tags" | "products" | "audience" | "aka" | "disclosures" | "redirect_from" => match list(value) {
                Some(items) => {
                    let slot = match key.as_str() {
                        "tags" => &mut meta.tags,
                        "products" => &mut meta.products,
                        "audience" => &mut meta.audience,
                        "aka" => &mut meta.aka,
                        "disclosures" => &mut meta.disclosures,
                        _ => &mut meta.redirect_from,
                    };
                    // Tags are compared in lower case everywhere (disclosure
                    // rules, facets, related articles): lower them once, here.
                    *slot = if key == "tags" { items.iter().map(|t| t.to_lowercase()).collect() } else { items };
                }
                None => type_error(key, "a list of words", "[first, second]", &mut findings),
            },
            "owner" => match owner(value, owner_as_name) {
                Some(owner) => meta.owner = Some(owner),
                None => type_error(key, "a person and their team", "{ name: Ana Souza, team: Billing knowledge }", &mut findings),
            },
            "reviewed" | "expires" | "changed" => match text(value).map(|t| (t.parse::<Date>(), t)) {
                Some((Ok(date), _)) => {
                    match key.as_str() {
                        "reviewed" => meta.reviewed = Some(date),
                        "expires" => meta.expires = Some(date),
                        _ => meta.changed = Some(date),
                    }
                }
                Some((Err(_), written)) => findings.push(Finding::error(
                    "bad-date",
                    line(key),
                    format!("`{key}: {written}` is not a date"),
                    format!("write dates as year-month-day, e.g. `{key}: 2026-03-31`"),
                )),
                None => type_error(key, "a date", "2026-03-31", &mut findings),
            },
            "review_every" => {
                let written = match value {
                    Value::Number(days) => Some(format!("{days} days")),
                    other => text(other),
                };
                match written.as_deref().map(|w| (w, w.parse::<Span>())) {
                    Some((w, Ok(span))) if span.is_positive() => meta.review_every = Some((w.to_string(), span)),
                    Some((w, _)) => findings.push(Finding::error(
                        "bad-duration",
                        line(key),
                        format!("`review_every: {w}` is not a length of time"),
                        "write it like `review_every: 90 days`, `6 months` or `1 year`",
                    )),
                    None => type_error(key, "a length of time", "90 days", &mut findings),
                }
            }
            "source_id" | "source_revision" => match text(value) {
                Some(t) if key == "source_id" => meta.source_id = Some(t),
                Some(t) => meta.source_revision = Some(t),
                None => type_error(key, "text", "3f9a2c1d7b04", &mut findings),
            },
            "change_note" => match text(value) {
                Some(note) if note.lines().count() == 1 && note.chars().count() <= MAX_CHANGE_NOTE_CHARS => meta.change_note = Some(note),
                Some(_) => findings.push(Finding::error(
                    "field-type",
                    line(key),
                    format!("`change_note` must be one line of at most {MAX_CHANGE_NOTE_CHARS} characters"),
                    "say what changed for agents in one short line; details belong in the article",
                )),
                None => type_error(key, "one line of text", "Refunds now take 5 days, not 10", &mut findings),
            },
            "imported_from" => match imported_from(value) {
                Some(origin) => meta.imported_from = Some(origin),
                None => findings.push(Finding::error(
                    "field-type",
                    line(key),
                    "`imported_from` must name the system, the id there and the digest `cuecard import` wrote",
                    "leave it as the import wrote it, or delete the whole line: importing again then treats the article as the kb's own and never updates it",
                )),
            },
            _ => {} // kept as written; unknown fields are never fatal
        }
    }
    if meta.review_every.is_some() && meta.reviewed.is_none() && !meta.lines.contains_key("reviewed") {
        findings.push(Finding::error(
            "field-type",
            line("review_every"),
            "`review_every` needs `reviewed`, the date of the last review",
            "add `reviewed: YYYY-MM-DD`",
        ));
    }
    findings.sort_by_key(|f| f.line);
    (meta, findings)
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of words; a single word counts as a list of one.
fn list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Null => Some(Vec::new()),
        Value::Sequence(items) => items.iter().map(text).collect(),
        other => text(other).map(|t| vec![t]),
    }
}

/// `{ name, team }`; or, from a key the kb mapped (`owner: ms.author`),
/// the name alone.
fn owner(value: &Value, name_alone: bool) -> Option<Owner> {
    if name_alone && let Some(name) = text(value) {
        return Some(Owner { name, team: String::new() });
    }
    let Value::Mapping(fields) = value else { return None };
    let get = |name: &str| fields.get(Value::String(name.into())).and_then(text);
    Some(Owner { name: get("name")?, team: get("team")? })
}

fn imported_from(value: &Value) -> Option<ImportedFrom> {
    let Value::Mapping(fields) = value else { return None };
    let get = |name: &str| fields.get(Value::String(name.into())).and_then(text);
    let system = get("system").filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))?;
    let digest = get("digest").filter(|d| d.len() == 64 && d.chars().all(|c| c.is_ascii_hexdigit()))?;
    Some(ImportedFrom { system, id: get("id")?, updated_at: get("updated_at"), digest })
}

fn closest<'a>(wanted: &str, options: &'a [String]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (strsim::levenshtein(wanted, o), o))
        .filter(|(distance, o)| *distance <= 2.max(o.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, o)| o.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str, categories: &[&str]) -> (ArticleMeta, Vec<Finding>) {
        let front = crate::kb::front_matter::parse(yaml, 2, &FieldMap::default()).unwrap();
        let categories: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
        read_meta(&front, 2, &categories, &FieldMap::default())
    }

    #[test]
    fn reads_every_field() {
        let (meta, findings) = read(
            "category: billing\ntags: [refund, annual]\nproducts: SIM-only\naudience: [agents]\nowner: {name: Ana Souza, team: Billing}\nreviewed: 2026-09-01\nreview_every: 90 days\nexpires: 2027-01-31\naka: [money back, chargeback]\ndisclosures: [call-recording]\nredirect_from: [old/refund]\nsource_revision: abc123\n",
            &["billing"],
        );
        assert_eq!(findings, []);
        assert_eq!(meta.category.as_deref(), Some("billing"));
        assert_eq!(meta.products, ["SIM-only"]);
        assert_eq!(meta.owner, Some(Owner { name: "Ana Souza".into(), team: "Billing".into() }));
        assert_eq!(meta.review_due(), Some("2026-11-30".parse().unwrap()));
        assert_eq!(meta.aka, ["money back", "chargeback"]);
        assert!(meta.is_translation());
        assert_eq!(meta.line_of("expires", 0), 9);
    }

    #[test]
    fn unknown_category_suggests_the_closest() {
        let (meta, findings) = read("category: biling\n", &["billing", "devices"]);
        assert_eq!(meta.category, None);
        assert_eq!(findings[0].code, "unknown-category");
        assert_eq!(findings[0].line, 2);
        assert!(findings[0].help.starts_with("did you mean `billing`?"), "{:?}", findings[0]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let (_, findings) = read("tags: {a: b}\nowner: Ana\nreviewed: last week\nreview_every: often\n", &[]);
        let codes: Vec<(&str, usize)> = findings.iter().map(|f| (f.code, f.line)).collect();
        assert_eq!(codes, [("field-type", 2), ("field-type", 3), ("bad-date", 4), ("bad-duration", 5)]);
    }

    #[test]
    fn imported_from_names_system_id_and_digest() {
        let digest = "a".repeat(64);
        let (meta, findings) = read(&format!("imported_from: {{ system: confluence, id: \"98312\", updated_at: \"Nov 03, 2026\", digest: {digest} }}\n"), &[]);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(meta.imported_from, Some(ImportedFrom { system: "confluence".into(), id: "98312".into(), updated_at: Some("Nov 03, 2026".into()), digest }));
        for broken in ["imported_from: zendesk\n", "imported_from: { system: zendesk, id: 1, digest: short }\n", "imported_from: { id: 1, digest: x }\n"] {
            let (meta, findings) = read(broken, &[]);
            assert_eq!((meta.imported_from, findings[0].code), (None, "field-type"), "{broken}");
        }
    }

    #[test]
    fn change_note_is_one_short_line_and_changed_a_date() {
        let (meta, findings) = read("change_note: Refunds now take 5 days\nchanged: 2026-11-20\n", &[]);
        assert_eq!(findings, []);
        assert_eq!(meta.change_note.as_deref(), Some("Refunds now take 5 days"));
        assert_eq!(meta.changed, Some("2026-11-20".parse().unwrap()));
        let long = format!("change_note: {}\nchanged: soon\n", "x".repeat(MAX_CHANGE_NOTE_CHARS + 1));
        let codes: Vec<(&str, usize)> = read(&long, &[]).1.iter().map(|f| (f.code, f.line)).collect();
        assert_eq!(codes, [("field-type", 2), ("bad-date", 3)]);
        assert_eq!(read("change_note: |\n  two\n  lines\n", &[]).1[0].code, "field-type");
    }

    #[test]
    fn review_every_accepts_days_and_friendly_spans() {
        assert!(read("reviewed: 2026-01-01\nreview_every: 30\n", &[]).0.review_every.is_some());
        assert!(read("reviewed: 2026-01-01\nreview_every: 6 months\n", &[]).0.review_every.is_some());
        assert_eq!(read("reviewed: 2026-01-01\nreview_every: -3 days\n", &[]).1[0].code, "bad-duration");
    }
}
