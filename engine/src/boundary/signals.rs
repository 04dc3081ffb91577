//! Usage signals: what happened in the app, in the one shape that the host
//! page hears (`postMessage`), the kb's optional beacon receives
//! (`navigator.sendBeacon`, one JSON object per request, as `text/plain`)
//! and `cuecard gaps` reads back (one object per line of a JSONL file).
//!
//! Signals carry no customer data: the app scrubs queries and notes
//! ([`crate::boundary::scrub`]) before it builds them. They carry a per-page random
//! session id, never who the agent is; the host's own logging owns
//! retention.

use serde::{Deserialize, Serialize};

/// Quiet time after the last keystroke before a query counts as searched
/// (the agent paused to read), in milliseconds. Opening a result, or
/// leaving the page, counts at once.
pub const SEARCH_PAUSE_MS: u32 = 2_000;

/// One signal: the event, plus where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    #[serde(flatten)]
    pub event: Event,
    /// The bundle the app searched: its build time (and kb commit).
    pub bundle: String,
    /// Random per page load: ties a search to the opening that followed.
    pub session: String,
    /// When it happened, by the browser's clock (RFC 3339, UTC).
    #[serde(default)]
    pub at: String,
}

/// What happened. `type` names it on the wire (`cuecard:searched`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum Event {
    /// The agent searched, and paused or opened a result.
    #[serde(rename = "cuecard:searched")]
    Searched {
        /// Scrubbed.
        query: String,
        /// How many results the list showed.
        results: usize,
        locale: String,
    },
    /// The agent opened an article.
    #[serde(rename = "cuecard:article-opened")]
    Opened {
        id: String,
        title: String,
        /// The locale the article is shown in.
        locale: String,
        /// `own`, `fallback` (the agent's locale lacks it) or `chosen`.
        shown_because: String,
        /// The old id the agent (or host) asked for, when it moved.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        moved_from: Option<String>,
        /// Its place in the result list, from 1, when opened from results.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rank: Option<usize>,
        /// The (scrubbed) query it was found with, when opened from results.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        query: Option<String>,
        /// Opened from "Suggested for this call" (`rank` is its place there).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        suggested: bool,
    },
    /// The agent copied a block of an article (a script card).
    #[serde(rename = "cuecard:copied")]
    Copied {
        id: String,
        locale: String,
        /// Which block: `script-1` is the article's first script card.
        block: String,
        /// The heading the block is under, if any (its anchor).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        section: Option<String>,
    },
    /// The agent reported a problem with an article.
    #[serde(rename = "cuecard:feedback")]
    Feedback {
        id: String,
        locale: String,
        /// The article's file in the kb repo.
        path: String,
        /// The agent's note, scrubbed.
        note: String,
    },
}

impl Signal {
    /// The wire form: one JSON object, no newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a signal is plain data")
    }

    /// Reads the wire form.
    pub fn from_json(text: &str) -> Result<Signal, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Decides when a query counts as searched: once per query and locale in
/// a row, never for an empty query, so neither a pause and then an opening
/// nor reopening results sends it twice.
#[derive(Debug, Default, Clone)]
pub struct SearchLog {
    last: Option<(String, String)>,
}

impl SearchLog {
    /// True when `query` in `locale` should be sent now (and notes it as sent).
    pub fn should_send(&mut self, query: &str, locale: &str) -> bool {
        let query = query.trim();
        if query.is_empty() {
            return false;
        }
        let key = (query.to_string(), locale.to_string());
        if self.last.as_ref() == Some(&key) {
            return false;
        }
        self.last = Some(key);
        true
    }
}

/// Checks a beacon endpoint (`cuecard.yaml`'s `signals.endpoint`): an
/// http(s) URL, or a path on the app's own site (`/signals`).
pub fn check_endpoint(url: &str) -> Result<(), String> {
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(());
    }
    match endpoint_origin(url) {
        Some(_) => Ok(()),
        None => Err(format!("`{url}` is not an http(s) URL or a path on the app's site (/...)")),
    }
}

/// The origin (`https://host:port`) of an absolute endpoint, for the
/// page's `connect-src`; None for a path on the app's own site.
pub fn endpoint_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "https" | "http") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let valid = !authority.is_empty()
        && !authority.contains('@')
        && authority.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    valid.then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// A random session id: 16 hex digits from `random` (the caller's source,
/// e.g. the browser's `crypto.getRandomValues`).
pub fn session_id(random: [u8; 8]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(event: Event) -> Signal {
        Signal { event, bundle: "2026-11-26T10:00:00Z".into(), session: "0123456789abcdef".into(), at: "2026-11-26T10:01:00Z".into() }
    }

    #[test]
    fn the_wire_form_is_what_embedding_md_documents_and_reads_back() {
        let searched = signal(Event::Searched { query: "refund [card number]".into(), results: 0, locale: "en-US".into() });
        let json = searched.to_json();
        assert_eq!(
            json,
            r#"{"type":"cuecard:searched","query":"refund [card number]","results":0,"locale":"en-US","bundle":"2026-11-26T10:00:00Z","session":"0123456789abcdef","at":"2026-11-26T10:01:00Z"}"#
        );
        assert_eq!(Signal::from_json(&json).unwrap(), searched);

        let opened = signal(Event::Opened {
            id: "billing/refunds".into(),
            title: "Refunds".into(),
            locale: "en-US".into(),
            shown_because: "own".into(),
            moved_from: None,
            rank: Some(2),
            query: Some("refund".into()),
            suggested: false,
        });
        let json = opened.to_json();
        assert!(json.contains(r#""type":"cuecard:article-opened""#) && json.contains(r#""shownBecause":"own""#), "{json}");
        assert!(json.contains(r#""rank":2"#) && !json.contains("movedFrom") && !json.contains("suggested"), "{json}");
        assert_eq!(Signal::from_json(&json).unwrap(), opened);
    }

    #[test]
    fn unknown_types_and_broken_lines_are_errors_not_panics() {
        assert!(Signal::from_json(r#"{"type":"cuecard:other","bundle":"b","session":"s"}"#).is_err());
        assert!(Signal::from_json("{").is_err());
    }

    #[test]
    fn a_query_is_sent_once_in_a_row_and_never_empty() {
        let mut log = SearchLog::default();
        assert!(!log.should_send("  ", "en"));
        assert!(log.should_send("refund", "en"));
        assert!(!log.should_send("refund ", "en"));
        assert!(log.should_send("refund", "de"));
        assert!(log.should_send("refund policy", "de"));
        assert!(log.should_send("refund", "de"));
    }

    #[test]
    fn endpoints_are_http_urls_or_site_paths() {
        assert_eq!(check_endpoint("/signals"), Ok(()));
        assert_eq!(check_endpoint("https://kb-signals.example.com/collect?kb=1"), Ok(()));
        for bad in ["//evil.example/x", "javascript:alert(1)", "ftp://x.example", "https://", "https://user@x.example/", "signals"] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
        assert_eq!(endpoint_origin("https://Signals.Example.com:8443/c").as_deref(), Some("https://signals.example.com:8443"));
        assert_eq!(endpoint_origin("/signals"), None);
    }

    #[test]
    fn session_ids_are_sixteen_hex_digits() {
        assert_eq!(session_id([0, 1, 2, 0xab, 0xcd, 0xef, 0x10, 0xff]), "000102abcdef10ff");
    }
}
