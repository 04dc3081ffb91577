//! `cuecard gaps`: what the floor could not find, from the signals the app
//! sent (a JSONL file, one [`Signal`] per line, as the kb's beacon endpoint
//! or the host's logging collected them). Per locale:
//! - zero-result queries, normalised and grouped, most frequent first;
//! - queries whose results were never opened (the list did not help);
//! - the most opened articles;
//! - articles nobody opened (with the kb at hand: the signals only name
//!   what was opened).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use cuecard_engine::signals::{Event, Signal};
use serde::Serialize;

/// How many entries of each list the human report shows (JSON has them all).
const SHOWN_PER_LIST: usize = 20;

/// The signals of a file, and the lines that were not signals.
#[derive(Debug, Default)]
pub struct SignalFile {
    pub signals: Vec<Signal>,
    pub skipped: Vec<SkippedLine>,
}

/// A line of the file that is not a signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedLine {
    pub line: usize,
    pub why: String,
}

/// Reads a JSONL file of signals. Blank lines are ignored; other lines that
/// are not signals are listed, not fatal: a collector may log more.
pub fn read_signals(path: &Path) -> Result<SignalFile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the signals file {}", path.display()))?;
    let mut file = SignalFile::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match Signal::from_json(line) {
            Ok(signal) => file.signals.push(signal),
            Err(error) => file.skipped.push(SkippedLine { line: n + 1, why: error.to_string() }),
        }
    }
    Ok(file)
}

/// An article of the kb, for the "nobody opened" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KbArticle {
    pub id: String,
    pub title: String,
}

/// The report.
#[derive(Debug, Default, Serialize)]
pub struct Gaps {
    /// Locale tag -> what its agents could not find.
    pub locales: BTreeMap<String, LocaleGaps>,
    /// Lines of the file that were not signals.
    pub skipped: Vec<SkippedLine>,
}

/// One locale's gaps.
#[derive(Debug, Default, Serialize)]
pub struct LocaleGaps {
    /// Searches counted (`cuecard:searched`).
    pub searches: usize,
    /// Articles opened (`cuecard:article-opened`).
    pub openings: usize,
    pub zero_results: Vec<QueryGroup>,
    pub results_never_opened: Vec<QueryGroup>,
    pub most_opened: Vec<ArticleCount>,
    /// None without the kb: the signals alone cannot tell.
    pub nobody_opened: Option<Vec<KbArticle>>,
}

/// Searches for one normalised query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryGroup {
    pub query: String,
    pub searches: usize,
    /// Distinct sessions (page loads) that searched it.
    pub sessions: usize,
}

/// How often an article was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleCount {
    pub id: String,
    pub title: String,
    pub opened: usize,
}

/// A query as the report groups it: lower case, single spaces, no
/// punctuation around words (`Refund?` and `refund` are one query).
pub fn normalise_query(query: &str) -> String {
    query
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '[' && c != ']').to_lowercase())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Builds the report from `signals`; `kb` (locale tag -> its articles)
/// adds the articles nobody opened.
pub fn gaps(file: SignalFile, kb: Option<&BTreeMap<String, Vec<KbArticle>>>) -> Gaps {
    #[derive(Default)]
    struct Tally<'a> {
        searches: usize,
        zero: HashMap<String, (usize, HashSet<&'a str>)>,
        found: Vec<(String, &'a str)>,
        opened_after: HashSet<(String, &'a str)>,
        opened: HashMap<&'a str, (usize, &'a str)>,
        openings: usize,
    }
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for signal in &file.signals {
        let session = signal.session.as_str();
        match &signal.event {
            Event::Searched { query, results, locale } => {
                let tally = tallies.entry(locale).or_default();
                tally.searches += 1;
                let query = normalise_query(query);
                if *results == 0 {
                    let entry = tally.zero.entry(query).or_default();
                    entry.0 += 1;
                    entry.1.insert(session);
                } else {
                    tally.found.push((query, session));
                }
            }
            Event::Opened { id, title, locale, query, .. } => {
                let tally = tallies.entry(locale).or_default();
                tally.openings += 1;
                let entry = tally.opened.entry(id).or_insert((0, title));
                entry.0 += 1;
                if let Some(query) = query {
                    tally.opened_after.insert((normalise_query(query), session));
                }
            }
            Event::Copied { .. } | Event::Feedback { .. } => {}
        }
    }
    // A query opened from is usually counted under the agent's locale,
    // the opening under the article's: look across locales for the pair.
    let opened_after: HashSet<(String, &str)> = tallies.values().flat_map(|t| t.opened_after.iter().cloned()).collect();
    let mut locales: BTreeMap<String, LocaleGaps> = BTreeMap::new();
    for (locale, tally) in tallies {
        let mut unopened: HashMap<String, (usize, HashSet<&str>)> = HashMap::new();
        for (query, session) in tally.found {
            if !opened_after.contains(&(query.clone(), session)) {
                let entry = unopened.entry(query).or_default();
                entry.0 += 1;
                entry.1.insert(session);
            }
        }
        let mut most_opened: Vec<ArticleCount> = tally
            .opened
            .iter()
            .map(|(id, (opened, title))| ArticleCount { id: id.to_string(), title: title.to_string(), opened: *opened })
            .collect();
        most_opened.sort_by(|a, b| b.opened.cmp(&a.opened).then_with(|| a.id.cmp(&b.id)));
        let nobody_opened = kb.map(|kb| {
            kb.get(locale).map(|articles| articles.iter().filter(|a| !tally.opened.contains_key(a.id.as_str())).cloned().collect()).unwrap_or_default()
        });
        locales.insert(
            locale.to_string(),
            LocaleGaps {
                searches: tally.searches,
                openings: tally.openings,
                zero_results: grouped(tally.zero),
                results_never_opened: grouped(unopened),
                most_opened,
                nobody_opened,
            },
        );
    }
    // Locales of the kb that no signal mentions: every article is unopened.
    for (locale, articles) in kb.into_iter().flatten() {
        locales.entry(locale.clone()).or_insert_with(|| LocaleGaps { nobody_opened: Some(articles.clone()), ..LocaleGaps::default() });
    }
    Gaps { locales, skipped: file.skipped }
}

fn grouped(counts: HashMap<String, (usize, HashSet<&str>)>) -> Vec<QueryGroup> {
    let mut groups: Vec<QueryGroup> =
        counts.into_iter().map(|(query, (searches, sessions))| QueryGroup { query, searches, sessions: sessions.len() }).collect();
    groups.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| b.sessions.cmp(&a.sessions)).then_with(|| a.query.cmp(&b.query)));
    groups
}

impl Gaps {
    /// The report for people: every locale, each list cut at 20 entries.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        for (locale, gaps) in &self.locales {
            let _ = writeln!(out, "{locale}: {} searches, {} articles opened", gaps.searches, gaps.openings);
            section(&mut out, "Searches that found nothing", &gaps.zero_results, |g| format!("{:>5}  {}  ({} sessions)", g.searches, g.query, g.sessions));
            section(&mut out, "Searches whose results nobody opened", &gaps.results_never_opened, |g| {
                format!("{:>5}  {}  ({} sessions)", g.searches, g.query, g.sessions)
            });
            section(&mut out, "Most opened articles", &gaps.most_opened, |a| format!("{:>5}  {}  {}", a.opened, a.id, a.title));
            match &gaps.nobody_opened {
                Some(articles) => section(&mut out, "Articles nobody opened", articles, |a| format!("       {}  {}", a.id, a.title)),
                None => out.push_str("  Articles nobody opened: pass --kb DIR to list them.\n"),
            }
            out.push('\n');
        }
        if self.locales.is_empty() {
            out.push_str("No signals.\n");
        }
        if !self.skipped.is_empty() {
            let lines: Vec<String> = self.skipped.iter().take(5).map(|s| s.line.to_string()).collect();
            let _ = writeln!(out, "Skipped {} lines that are not Cuecard signals (lines {}{}).", self.skipped.len(), lines.join(", "), if self.skipped.len() > 5 { ", ..." } else { "" });
        }
        out
    }
}

fn section<T>(out: &mut String, heading: &str, items: &[T], line: impl Fn(&T) -> String) {
    use std::fmt::Write as _;
    let _ = writeln!(out, "  {heading}: {}", items.len());
    for item in items.iter().take(SHOWN_PER_LIST) {
        let _ = writeln!(out, "  {}", line(item));
    }
    if items.len() > SHOWN_PER_LIST {
        let _ = writeln!(out, "        ... and {} more (--format json lists all)", items.len() - SHOWN_PER_LIST);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(session: &str, event: Event) -> Signal {
        Signal { event, bundle: "b".into(), session: session.into(), at: String::new() }
    }

    fn searched(session: &str, query: &str, results: usize) -> Signal {
        signal(session, Event::Searched { query: query.into(), results, locale: "en".into() })
    }

    fn opened(session: &str, id: &str, query: Option<&str>) -> Signal {
        signal(
            session,
            Event::Opened {
                id: id.into(),
                title: format!("Title of {id}"),
                locale: "en".into(),
                shown_because: "own".into(),
                moved_from: None,
                rank: query.map(|_| 1),
                query: query.map(String::from),
                suggested: false,
            },
        )
    }

    #[test]
    fn queries_are_grouped_however_they_were_typed() {
        assert_eq!(normalise_query("  Refund?  ANNUAL plan "), "refund annual plan");
        assert_eq!(normalise_query("E-4012!"), "e-4012");
        assert_eq!(normalise_query("card [card number]"), "card [card number]");
    }

    #[test]
    fn zero_results_unopened_results_and_openings_are_counted_per_locale() {
        let signals = vec![
            searched("s1", "Esim transfer", 0),
            searched("s2", "esim transfer?", 0),
            searched("s2", "esim transfer", 0),
            searched("s3", "wifi calling", 0),
            searched("s1", "refund", 4),
            opened("s1", "billing/refunds", Some("Refund")),
            searched("s2", "refund", 4),
            searched("s3", "router reset", 2),
            opened("s3", "billing/refunds", None),
            opened("s3", "network/apn", None),
        ];
        let kb = BTreeMap::from([(
            "en".to_string(),
            ["billing/refunds", "network/apn", "network/roaming"].map(|id| KbArticle { id: id.into(), title: id.into() }).to_vec(),
        )]);
        let report = gaps(SignalFile { signals, skipped: Vec::new() }, Some(&kb));
        let en = &report.locales["en"];
        assert_eq!((en.searches, en.openings), (7, 3));
        assert_eq!(
            en.zero_results,
            vec![
                QueryGroup { query: "esim transfer".into(), searches: 3, sessions: 2 },
                QueryGroup { query: "wifi calling".into(), searches: 1, sessions: 1 },
            ]
        );
        // s1 opened a result of "refund"; s2 did not; s3 opened without a query.
        assert_eq!(
            en.results_never_opened,
            vec![QueryGroup { query: "refund".into(), searches: 1, sessions: 1 }, QueryGroup { query: "router reset".into(), searches: 1, sessions: 1 }]
        );
        assert_eq!(en.most_opened[0], ArticleCount { id: "billing/refunds".into(), title: "Title of billing/refunds".into(), opened: 2 });
        assert_eq!(en.nobody_opened.as_ref().unwrap().iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["network/roaming"]);
        let text = report.to_text();
        assert!(text.contains("Searches that found nothing: 2\n      3  esim transfer  (2 sessions)"), "{text}");
    }

    #[test]
    fn without_the_kb_the_report_says_how_to_list_unopened_articles() {
        let report = gaps(SignalFile { signals: vec![searched("s", "x", 0)], skipped: vec![SkippedLine { line: 3, why: "no".into() }] }, None);
        let text = report.to_text();
        assert!(text.contains("pass --kb DIR"), "{text}");
        assert!(text.contains("Skipped 1 lines that are not Cuecard signals (lines 3)"), "{text}");
    }
}
