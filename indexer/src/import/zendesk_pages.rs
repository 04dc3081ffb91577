//! The JSON pages a Zendesk Guide (Help Center) export is made of, as the
//! Help Center API returns them and a team saves them: any file names,
//! each file one response page, known by its top-level key (`articles`,
//! `translations`, `sections`, `categories`, `user_segments`, `users`,
//! `article_attachments`). Cursor pages (`meta`, `links.next`) and the
//! incremental export (`next_page`, `end_time`) alike. A file that is no
//! such page is counted with why, never fatal; the same record in two
//! pages is kept once (the one updated last).
//!
//! This is the reading half of `cuecard import zendesk` (issue 25); the
//! mapping to articles builds on it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

/// A Help Center article (`GET /api/v2/help_center/articles`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Article {
    pub id: u64,
    #[serde(default)]
    pub html_url: Option<String>,
    #[serde(default)]
    pub author_id: Option<u64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub section_id: Option<u64>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub locale: String,
    #[serde(default)]
    pub source_locale: Option<String>,
    #[serde(default)]
    pub outdated: bool,
    #[serde(default)]
    pub label_names: Vec<String>,
    /// One segment (older exports) or a list.
    #[serde(default)]
    pub user_segment_id: Option<u64>,
    #[serde(default)]
    pub user_segment_ids: Vec<u64>,
    #[serde(default)]
    pub edited_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A translation of an article (`.../articles/{id}/translations`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Translation {
    pub id: u64,
    /// The article (or section, category) it translates.
    pub source_id: u64,
    #[serde(default)]
    pub source_type: Option<String>,
    pub locale: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub outdated: bool,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A section or a category: an id, a name, where it sits.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Group {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub category_id: Option<u64>,
    #[serde(default)]
    pub parent_section_id: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A user segment: who may see the articles that name it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserSegment {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub user_type: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// A user (an article's author).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct User {
    pub id: u64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub default_group_id: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// An attachment of an article (its image files are saved beside the JSON).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Attachment {
    pub id: u64,
    #[serde(default)]
    pub article_id: Option<u64>,
    #[serde(default)]
    pub file_name: String,
    #[serde(default)]
    pub content_url: Option<String>,
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Every record of an export, by id.
#[derive(Debug, Default, PartialEq)]
pub struct Export {
    pub articles: BTreeMap<u64, Article>,
    /// By (source id, locale).
    pub translations: BTreeMap<(u64, String), Translation>,
    pub sections: BTreeMap<u64, Group>,
    pub categories: BTreeMap<u64, Group>,
    pub user_segments: BTreeMap<u64, UserSegment>,
    pub users: BTreeMap<u64, User>,
    pub attachments: BTreeMap<u64, Attachment>,
    /// Files that are no Help Center page, with why.
    pub skipped: Vec<(PathBuf, String)>,
    /// Pages read.
    pub pages: usize,
}

/// The keys a page is known by.
const KEYS: [&str; 7] = ["articles", "translations", "sections", "categories", "user_segments", "users", "article_attachments"];

/// Keeps `new` in `map` under `key` unless what is there was updated later.
fn keep_latest<K: Ord, T>(map: &mut BTreeMap<K, T>, key: K, new: T, updated: impl Fn(&T) -> Option<&String>) {
    match map.get(&key) {
        Some(old) if updated(old) > updated(&new) => {}
        _ => {
            map.insert(key, new);
        }
    }
}

impl Export {
    /// Reads every `.json` file under `dir` (sorted, so a run is
    /// reproducible).
    pub fn read_dir(dir: &Path) -> std::io::Result<Export> {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("json")))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        let mut export = Export::default();
        for file in files {
            match std::fs::read(&file) {
                Ok(bytes) => export.add_page(&file, &bytes),
                Err(error) => export.skipped.push((file, error.to_string())),
            }
        }
        Ok(export)
    }

    /// Adds one saved response page.
    pub fn add_page(&mut self, file: &Path, bytes: &[u8]) {
        let page: Value = match serde_json::from_slice(bytes) {
            Ok(page) => page,
            Err(error) => return self.skipped.push((file.to_path_buf(), format!("not JSON: {error}"))),
        };
        let Some(key) = KEYS.iter().find(|k| page.get(**k).is_some_and(Value::is_array)) else {
            return self.skipped.push((file.to_path_buf(), format!("not a Help Center page: it has none of {}", KEYS.join(", "))));
        };
        self.pages += 1;
        let records = page[*key].as_array().cloned().unwrap_or_default();
        let mut bad = 0;
        for record in records {
            let ok = match *key {
                "articles" => serde_json::from_value::<Article>(record).map(|a| keep_latest(&mut self.articles, a.id, a, |a| a.updated_at.as_ref())).is_ok(),
                "translations" => serde_json::from_value::<Translation>(record)
                    .map(|t| {
                        let id = (t.source_id, t.locale.to_ascii_lowercase());
                        keep_latest(&mut self.translations, id, t, |t| t.updated_at.as_ref())
                    })
                    .is_ok(),
                "sections" => serde_json::from_value::<Group>(record).map(|g| keep_latest(&mut self.sections, g.id, g, |g| g.updated_at.as_ref())).is_ok(),
                "categories" => serde_json::from_value::<Group>(record).map(|g| keep_latest(&mut self.categories, g.id, g, |g| g.updated_at.as_ref())).is_ok(),
                "user_segments" => {
                    serde_json::from_value::<UserSegment>(record).map(|s| keep_latest(&mut self.user_segments, s.id, s, |s| s.updated_at.as_ref())).is_ok()
                }
                "users" => serde_json::from_value::<User>(record).map(|u| keep_latest(&mut self.users, u.id, u, |u| u.updated_at.as_ref())).is_ok(),
                _ => serde_json::from_value::<Attachment>(record).map(|a| keep_latest(&mut self.attachments, a.id, a, |a| a.updated_at.as_ref())).is_ok(),
            };
            bad += usize::from(!ok);
        }
        if bad > 0 {
            self.skipped.push((file.to_path_buf(), format!("{bad} {key} records are not in the API's shape")));
        }
    }

    /// The segments an article is restricted to (none: everyone).
    pub fn segments_of(&self, article: &Article) -> Vec<&UserSegment> {
        let mut ids: Vec<u64> = article.user_segment_ids.clone();
        ids.extend(article.user_segment_id);
        ids.sort_unstable();
        ids.dedup();
        ids.iter().filter_map(|id| self.user_segments.get(id)).collect()
    }
}

/// Where the next page of a saved response is, if the API said (cursor
/// pages' `links.next` when `meta.has_more`, or the incremental export's
/// `next_page` until `end_of_stream`).
pub fn next_page(page: &Value) -> Option<String> {
    if let Some(next) = page.pointer("/links/next").and_then(Value::as_str) {
        let more = page.pointer("/meta/has_more").and_then(Value::as_bool).unwrap_or(true);
        return more.then(|| next.to_string());
    }
    if page.get("end_of_stream").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    page.get("next_page").and_then(Value::as_str).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cursor page in the shape the Help Center API documents.
    const ARTICLES_PAGE: &str = r#"{
      "articles": [
        {"id": 360001, "url": "https://acme.zendesk.com/api/v2/help_center/en-us/articles/360001.json",
         "html_url": "https://acme.zendesk.com/hc/en-us/articles/360001-Reset-your-router", "author_id": 7,
         "comments_disabled": false, "draft": false, "promoted": false, "position": 0, "vote_sum": 0, "vote_count": 0,
         "section_id": 11, "created_at": "2025-01-01T10:00:00Z", "updated_at": "2026-10-01T10:00:00Z",
         "name": "Reset your router", "title": "Reset your router", "source_locale": "en-us", "locale": "en-us",
         "outdated": false, "outdated_locales": [], "edited_at": "2026-09-30T10:00:00Z", "user_segment_id": null,
         "user_segment_ids": [], "permission_group_id": 3, "content_tag_ids": [], "label_names": ["router", "wifi"],
         "body": "<p>Hold the button.</p>"},
        {"id": 360002, "title": "Internal escalation", "locale": "en-us", "section_id": 11, "draft": true,
         "user_segment_id": 55, "updated_at": "2026-10-02T10:00:00Z", "body": "<p>Call the lead.</p>"}
      ],
      "meta": {"has_more": true, "after_cursor": "xyz", "before_cursor": "abc"},
      "links": {"first": "https://acme.zendesk.com/api/v2/help_center/articles?page[size]=100",
                "last": null, "next": "https://acme.zendesk.com/api/v2/help_center/articles?page[after]=xyz&page[size]=100", "prev": null}
    }"#;

    #[test]
    fn pages_are_known_by_their_key_and_merged_by_id() {
        let mut export = Export::default();
        export.add_page(Path::new("p1.json"), ARTICLES_PAGE.as_bytes());
        export.add_page(Path::new("segments.json"), br#"{"user_segments": [{"id": 55, "name": "Tier 2 agents", "user_type": "staff"}], "next_page": null, "count": 1}"#);
        // The same article again, older: the newer one stays.
        export.add_page(Path::new("p0.json"), br#"{"articles": [{"id": 360001, "title": "Old title", "locale": "en-us", "updated_at": "2025-01-01T00:00:00Z"}]}"#);
        export.add_page(Path::new("notes.json"), br#"{"hello": 1}"#);
        export.add_page(Path::new("broken.json"), b"{");
        assert_eq!(export.pages, 3);
        assert_eq!(export.articles.len(), 2);
        assert_eq!(export.articles[&360001].title, "Reset your router");
        assert_eq!(export.articles[&360001].label_names, ["router", "wifi"]);
        let internal = &export.articles[&360002];
        assert!(internal.draft);
        assert_eq!(export.segments_of(internal).iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Tier 2 agents"]);
        let why: Vec<&str> = export.skipped.iter().map(|(_, w)| w.as_str()).collect();
        assert!(why[0].starts_with("not a Help Center page") && why[1].starts_with("not JSON"), "{why:?}");
    }

    #[test]
    fn the_next_page_follows_cursors_and_the_incremental_export() {
        let page: Value = serde_json::from_str(ARTICLES_PAGE).unwrap();
        assert_eq!(next_page(&page).as_deref(), Some("https://acme.zendesk.com/api/v2/help_center/articles?page[after]=xyz&page[size]=100"));
        let last: Value = serde_json::from_str(r#"{"articles": [], "meta": {"has_more": false}, "links": {"next": "https://x"}}"#).unwrap();
        assert_eq!(next_page(&last), None);
        let incremental: Value = serde_json::from_str(r#"{"articles": [], "next_page": "https://x/incremental?start_time=2", "end_time": 2, "count": 1000}"#).unwrap();
        assert_eq!(next_page(&incremental).as_deref(), Some("https://x/incremental?start_time=2"));
        let done: Value = serde_json::from_str(r#"{"articles": [], "next_page": "https://x", "end_of_stream": true}"#).unwrap();
        assert_eq!(next_page(&done), None);
    }

    #[test]
    fn translations_are_kept_per_article_and_locale() {
        let mut export = Export::default();
        export.add_page(
            Path::new("t.json"),
            br#"{"translations": [
              {"id": 1, "source_id": 360001, "source_type": "Article", "locale": "de", "title": "Router zuruecksetzen", "body": "<p>Taste halten.</p>", "outdated": true, "draft": false, "updated_at": "2026-10-01T00:00:00Z"},
              {"id": 2, "source_id": 360001, "source_type": "Article", "locale": "es", "title": "Restablecer", "body": "<p>x</p>", "outdated": false, "draft": false}
            ]}"#,
        );
        assert_eq!(export.translations.len(), 2);
        assert!(export.translations[&(360001, "de".to_string())].outdated);
    }
}
