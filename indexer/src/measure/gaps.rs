//! `cuecard gaps`: what the floor could not find, from the signals the app
//! sent (a JSONL file, one [`Signal`] per line, as the kb's beacon endpoint
//! or the host's logging collected them). Per locale:
//! - zero-result queries, normalised and grouped, most frequent first;
//! - queries whose results were never opened (the list did not help);
//! - the most opened articles;
//! - articles nobody opened (with the kb at hand: the signals only name
//!   what was opened).
//!
//! Anyone can post to a collector, so the file is read line by line with
//! memory bounded (counts, a cap on the distinct queries, sessions and
//! articles kept), a bad line is counted and never fatal, and everything
//! printed from it is escaped.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result};
use cuecard_engine::signals::{Event, Signal};
use serde::Serialize;

/// How many entries of each list the human report shows (JSON has them all).
const SHOWN_PER_LIST: usize = 20;
/// The longest line read as a signal; longer ones are skipped unread (a
/// real signal is well under 2 KB).
pub const MAX_LINE_BYTES: usize = 64 << 10;
/// Distinct queries kept per locale and list; searches past it are
/// counted, their query text not kept, so memory stays bounded whatever
/// the collector received.
pub const MAX_QUERIES: usize = 20_000;
/// Distinct sessions counted per query.
const MAX_SESSIONS_PER_QUERY: usize = 5_000;
/// Distinct articles counted per locale.
const MAX_ARTICLES: usize = 50_000;
/// Distinct locales kept (a forged file can name any).
const MAX_LOCALES: usize = 200;
/// (query, session) pairs an opening followed, kept over every locale.
const MAX_OPENED_PAIRS: usize = 200_000;
/// Line numbers of skipped lines kept for the report.
const SKIPPED_SHOWN: usize = 5;

/// Lines of the file that were not signals: how many, the first few, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub lines: usize,
    pub first: Vec<SkippedLine>,
}

/// A line of the file that is not a signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedLine {
    pub line: usize,
    pub why: String,
}

impl Skipped {
    fn add(&mut self, line: usize, why: String) {
        self.lines += 1;
        if self.first.len() < SKIPPED_SHOWN {
            self.first.push(SkippedLine { line, why });
        }
    }
}

/// Reads a JSONL file of signals line by line, into the tallies. Blank
/// lines are ignored; lines that are not signals (not JSON, not UTF-8, over
/// [`MAX_LINE_BYTES`]) are counted, never fatal: anyone can post to a
/// collector.
pub fn read_signals(path: &Path) -> Result<Tallies> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot read the signals file {}", path.display()))?;
    read_lines(BufReader::with_capacity(1 << 16, file)).with_context(|| format!("cannot read the signals file {}", path.display()))
}

/// [`read_signals`] on any reader.
pub fn read_lines(mut reader: impl BufRead) -> std::io::Result<Tallies> {
    let mut tallies = Tallies::default();
    let mut line = Vec::with_capacity(4096);
    let mut number = 0;
    loop {
        line.clear();
        let (read, complete) = read_bounded_line(&mut reader, &mut line)?;
        if read == 0 {
            break;
        }
        number += 1;
        if !complete {
            tallies.skipped.add(number, format!("longer than {} KB", MAX_LINE_BYTES >> 10));
            continue;
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            tallies.skipped.add(number, "not UTF-8".into());
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match Signal::from_json(text) {
            Ok(signal) => tallies.add(&signal),
            Err(error) => tallies.skipped.add(number, error.to_string()),
        }
    }
    Ok(tallies)
}

/// Reads one line (without its `\n`) into `line`, keeping at most
/// [`MAX_LINE_BYTES`] of it: the bytes the line took, and whether it fit.
fn read_bounded_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<(usize, bool)> {
    let mut read = 0;
    let mut fits = true;
    loop {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok((read, fits));
        }
        let (chunk, ends) = match buffer.iter().position(|b| *b == b'\n') {
            Some(at) => (&buffer[..at], Some(at + 1)),
            None => (buffer, None),
        };
        if fits && line.len() + chunk.len() <= MAX_LINE_BYTES {
            line.extend_from_slice(chunk);
        } else {
            fits = false;
            line.clear();
        }
        let used = ends.unwrap_or(chunk.len());
        read += used;
        reader.consume(used);
        if ends.is_some() {
            return Ok((read, fits));
        }
    }
}

/// A session id as a number: sessions are only counted and matched, and
/// a forged file may send long ones.
fn session_key(session: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    session.hash(&mut hasher);
    hasher.finish()
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
    pub skipped: Skipped,
    /// Signals counted whose query, article or locale was past the limits
    /// of what the report keeps ([`MAX_QUERIES`] and the like).
    pub not_kept: usize,
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

/// What the signals say so far, bounded in memory whatever they hold.
#[derive(Debug, Default)]
pub struct Tallies {
    locales: BTreeMap<String, Tally>,
    /// (query, session) pairs an opening followed, over every locale: a
    /// query is usually counted under the agent's locale, the opening
    /// under the article's.
    opened_after: HashSet<(String, u64)>,
    pub skipped: Skipped,
    not_kept: usize,
}

#[derive(Debug, Default)]
struct Tally {
    searches: usize,
    openings: usize,
    /// Query -> searches and their sessions, for searches with no result.
    zero: HashMap<String, (usize, HashSet<u64>)>,
    /// Query -> sessions -> searches, for searches with results.
    found: HashMap<String, HashMap<u64, usize>>,
    /// Article id -> openings and its title.
    opened: HashMap<String, (usize, String)>,
}

impl Tallies {
    /// Counts one signal.
    pub fn add(&mut self, signal: &Signal) {
        let session = session_key(&signal.session);
        let locale = match &signal.event {
            Event::Searched { locale, .. } | Event::Opened { locale, .. } => locale,
            Event::Copied { .. } | Event::Feedback { .. } => return,
        };
        if !self.locales.contains_key(locale.as_str()) && self.locales.len() >= MAX_LOCALES {
            self.not_kept += 1;
            return;
        }
        let tally = self.locales.entry(locale.clone()).or_default();
        let mut kept = true;
        match &signal.event {
            Event::Searched { query, results, .. } => {
                tally.searches += 1;
                let query = normalise_query(query);
                if *results == 0 {
                    match bounded_entry(&mut tally.zero, query) {
                        Some(entry) => {
                            entry.0 += 1;
                            if entry.1.len() < MAX_SESSIONS_PER_QUERY {
                                entry.1.insert(session);
                            }
                        }
                        None => kept = false,
                    }
                } else {
                    match bounded_entry(&mut tally.found, query) {
                        Some(sessions) if sessions.len() < MAX_SESSIONS_PER_QUERY || sessions.contains_key(&session) => *sessions.entry(session).or_default() += 1,
                        _ => kept = false,
                    }
                }
            }
            Event::Opened { id, title, query, .. } => {
                tally.openings += 1;
                if tally.opened.len() < MAX_ARTICLES || tally.opened.contains_key(id.as_str()) {
                    tally.opened.entry(id.clone()).or_insert((0, title.clone())).0 += 1;
                } else {
                    kept = false;
                }
                if let Some(query) = query
                    && self.opened_after.len() < MAX_OPENED_PAIRS
                {
                    self.opened_after.insert((normalise_query(query), session));
                }
            }
            Event::Copied { .. } | Event::Feedback { .. } => {}
        }
        self.not_kept += usize::from(!kept);
    }

    /// The report; `kb` (locale tag -> its articles) adds the articles
    /// nobody opened.
    pub fn report(self, kb: Option<&BTreeMap<String, Vec<KbArticle>>>) -> Gaps {
        let opened_after = self.opened_after;
        let mut locales: BTreeMap<String, LocaleGaps> = BTreeMap::new();
        for (locale, tally) in self.locales {
            let mut unopened: HashMap<String, (usize, HashSet<u64>)> = HashMap::new();
            for (query, sessions) in tally.found {
                for (session, searches) in sessions {
                    if !opened_after.contains(&(query.clone(), session)) {
                        let entry = unopened.entry(query.clone()).or_default();
                        entry.0 += searches;
                        entry.1.insert(session);
                    }
                }
            }
            let mut most_opened: Vec<ArticleCount> =
                tally.opened.iter().map(|(id, (opened, title))| ArticleCount { id: id.clone(), title: title.clone(), opened: *opened }).collect();
            most_opened.sort_by(|a, b| b.opened.cmp(&a.opened).then_with(|| a.id.cmp(&b.id)));
            let nobody_opened = kb.map(|kb| {
                kb.get(&locale).map(|articles| articles.iter().filter(|a| !tally.opened.contains_key(a.id.as_str())).cloned().collect()).unwrap_or_default()
            });
            locales.insert(
                locale,
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
        Gaps { locales, skipped: self.skipped, not_kept: self.not_kept }
    }
}

/// The entry for `key`, unless the map is full and does not have it.
fn bounded_entry<V: Default>(map: &mut HashMap<String, V>, key: String) -> Option<&mut V> {
    if map.len() >= MAX_QUERIES && !map.contains_key(&key) {
        return None;
    }
    Some(map.entry(key).or_default())
}

fn grouped(counts: HashMap<String, (usize, HashSet<u64>)>) -> Vec<QueryGroup> {
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
        // Everything from the signals is anyone's text: escaped, and never
        // at the start of a line (where CI runners read workflow commands).
        let e = printable;
        for (locale, gaps) in &self.locales {
            let _ = writeln!(out, "locale {}: {} searches, {} articles opened", e(locale), gaps.searches, gaps.openings);
            section(&mut out, "Searches that found nothing", &gaps.zero_results, |g| format!("{:>5}  {}  ({} sessions)", g.searches, e(&g.query), g.sessions));
            section(&mut out, "Searches whose results nobody opened", &gaps.results_never_opened, |g| {
                format!("{:>5}  {}  ({} sessions)", g.searches, e(&g.query), g.sessions)
            });
            section(&mut out, "Most opened articles", &gaps.most_opened, |a| format!("{:>5}  {}  {}", a.opened, e(&a.id), e(&a.title)));
            match &gaps.nobody_opened {
                Some(articles) => section(&mut out, "Articles nobody opened", articles, |a| format!("       {}  {}", e(&a.id), e(&a.title))),
                None => out.push_str("  Articles nobody opened: pass --kb DIR to list them.\n"),
            }
            out.push('\n');
        }
        if self.locales.is_empty() {
            out.push_str("No signals.\n");
        }
        if self.skipped.lines > 0 {
            let lines: Vec<String> = self.skipped.first.iter().map(|s| format!("line {} ({})", s.line, e(&s.why))).collect();
            let more = if self.skipped.lines > self.skipped.first.len() { ", ..." } else { "" };
            let _ = writeln!(out, "Skipped {} lines that are not Cuecard signals: {}{more}.", self.skipped.lines, lines.join(", "));
        }
        if self.not_kept > 0 {
            let _ = writeln!(
                out,
                "Counted {} signals whose query, article or locale is past what the report keeps ({MAX_QUERIES} distinct queries per list and locale); the lists above leave them out.",
                self.not_kept
            );
        }
        out
    }
}

/// `text` with control, line-separator and bidi characters written as
/// `\u{..}` escapes: what a forged signal holds can neither move the
/// terminal's cursor nor start a line.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
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
        let mut tallies = Tallies::default();
        signals.iter().for_each(|s| tallies.add(s));
        let report = tallies.report(Some(&kb));
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
        let mut tallies = Tallies::default();
        tallies.add(&searched("s", "x", 0));
        tallies.skipped.add(3, "no".into());
        let text = tallies.report(None).to_text();
        assert!(text.contains("pass --kb DIR"), "{text}");
        assert!(text.contains("Skipped 1 lines that are not Cuecard signals: line 3 (no)."), "{text}");
    }

    #[test]
    fn lines_too_long_or_not_utf8_are_counted_and_reading_goes_on() {
        let good = serde_json::to_string(&searched("s", "refund", 0)).unwrap();
        let mut file = Vec::new();
        file.extend_from_slice(good.as_bytes());
        file.extend_from_slice(b"\n\xff\xfe not text\n");
        file.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES * 3));
        file.push(b'\n');
        file.extend_from_slice(good.as_bytes());
        let tallies = read_lines(std::io::BufReader::with_capacity(1024, file.as_slice())).unwrap();
        let report = tallies.report(None);
        assert_eq!(report.locales["en"].searches, 2);
        let whys: Vec<(usize, &str)> = report.skipped.first.iter().map(|s| (s.line, s.why.as_str())).collect();
        assert_eq!(whys, [(2, "not UTF-8"), (3, "longer than 64 KB")]);
    }

    #[test]
    fn distinct_queries_past_the_limit_are_counted_not_kept() {
        let mut tallies = Tallies::default();
        for n in 0..MAX_QUERIES + 10 {
            tallies.add(&searched("s", &format!("query {n}"), 0));
        }
        let report = tallies.report(None);
        assert_eq!(report.locales["en"].searches, MAX_QUERIES + 10);
        assert_eq!(report.locales["en"].zero_results.len(), MAX_QUERIES);
        assert_eq!(report.not_kept, 10);
    }

    #[test]
    fn printed_text_cannot_move_the_cursor_or_start_a_line() {
        assert_eq!(printable("a\n::error::x\u{1b}[2J\u{202e}"), "a\\u{a}::error::x\\u{1b}[2J\\u{202e}");
    }
}
