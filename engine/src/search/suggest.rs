//! "Suggested for this call": articles for a call's context (a ticket's
//! subject and description, a transcript excerpt), before the agent types.
//!
//! Ranking long text is not ranking a typed query. A ticket is chatty
//! ("hi, thanks, my name is..."), long, and full of words every article
//! uses, so requiring every word (the typed-query rule) finds nothing, and
//! weighting every word equally finds the wrong thing. Here:
//! - customer data is dropped first (what [`crate::boundary::scrub`] would replace,
//!   and the placeholders it leaves), so a card number never matches, and
//!   so are speaker labels (`Agent:`, `[00:01:12] Caller:`, `Subject:`),
//!   which every line of a transcript repeats;
//! - each distinct term is weighed by how often the text says it
//!   (saturated) times how rare it is in the kb (BM25's idf); terms most
//!   articles carry, or none does, are left out; the best
//!   [`MAX_CONTEXT_TERMS`] are kept;
//! - only words some article uses to say what it is about (in a title,
//!   other name, heading or summary) are candidates, and stop words never
//!   are (for English the long Snowball list: a ticket is full of "my" and
//!   "how");
//! - they are OR-ed over the weighted fields, boosted by how often the text
//!   says them; codes the kb knows (`E-4012`) and product names the text
//!   mentions (`Device Protect`) count most;
//! - the best 50 are reordered by coverage, the squared share of the
//!   terms' weight each article carries, so one rare word (a caller's name
//!   that is also a title) does not beat an article about several of the
//!   context's words.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, DocSet, Term};

use crate::EngineError;
use crate::index::analysis;
use crate::search::facets::FacetKind;
use crate::search::index::LocaleIndex;
use crate::search::results::Hit;

/// How much of a context is read: a ticket or a few minutes of transcript,
/// the newest part ([`recent_part`]: a live call's transcript grows at its
/// end).
pub const MAX_CONTEXT_CHARS: usize = 4_000;
/// The newest terms of a context, which weigh fully; older ones weigh less
/// and less, down to half ([`discriminating_terms`]). About 1,000
/// characters of speech: a ticket is shorter, and weighs evenly.
pub const RECENT_TERMS: usize = 150;
/// How many of the context's terms make the query.
pub const MAX_CONTEXT_TERMS: usize = 16;
/// Terms in more than this share of the articles do not discriminate.
const MAX_DOC_SHARE: f64 = 0.35;
/// Boost of a code the kb knows, and of a product the text names; an
/// ordinary term gets at most 2.2 (repeated) × 2 (in a title).
const CODE_BOOST: f32 = 6.0;
const PRODUCT_BOOST: f32 = 4.0;
/// How many of the best-scored articles are reordered by coverage.
const RERANKED: usize = 50;
/// The share of coverage an article found by a code or product alone gets.
const COVERAGE_FLOOR: f32 = 0.2;

/// The share of a context's terms' weight an article must carry for the
/// word ranking to count as complete ([`LocaleIndex::suggestions`]).
pub const COMPLETE_COVERAGE: f32 = 0.5;

/// Suggestions for a context, and whether their word ranking is partial.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Suggestions {
    pub hits: Vec<Hit>,
    pub partial: bool,
}

/// A term of the context and how much it says about the topic.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextTerm {
    pub term: String,
    /// How much it says: `emphasis` times its idf in the kb.
    pub weight: f32,
    /// How often the text says it, saturated (1 for once, up to 2.2): the
    /// boost of its query (the index's own scoring adds the idf).
    pub emphasis: f32,
}

/// The terms of `terms` (the context, analysed) that discriminate, best
/// first: saturated frequency in the context times idf in the kb of
/// `articles` articles, where `doc_freq(term)` says how many carry it.
/// Terms no article carries, or more than [`MAX_DOC_SHARE`] do, are left out.
pub fn discriminating_terms(terms: &[String], articles: u64, doc_freq: impl Fn(&str) -> u64, max: usize) -> Vec<ContextTerm> {
    // Sorted, a term's repeats are a run (no map: less code in the app);
    // each occurrence counts by how recent it is (a live call's topic is
    // what the caller says now).
    let mut sorted: Vec<(&str, f64)> = terms.iter().enumerate().map(|(at, term)| (term.as_str(), recency(terms.len() - 1 - at))).collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let counts = sorted.chunk_by(|a, b| a.0 == b.0).map(|run| (run[0].0, run.iter().map(|(_, w)| w).sum::<f64>()));
    let n = articles.max(1) as f64;
    let mut weighted: Vec<ContextTerm> = counts
        .filter_map(|(term, count)| {
            let df = doc_freq(term) as f64;
            if df == 0.0 || df / n > MAX_DOC_SHARE {
                return None;
            }
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            let saturated = count * 2.2 / (count + 1.2);
            Some(ContextTerm { term: term.to_string(), weight: (saturated * idf) as f32, emphasis: saturated as f32 })
        })
        .collect();
    weighted.sort_unstable_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.term.cmp(&b.term)));
    weighted.truncate(max);
    weighted
}

/// How much an occurrence counts, `age` terms before the context's last:
/// fully within [`RECENT_TERMS`], then less and less, down to half at four
/// times that (about the oldest of [`MAX_CONTEXT_CHARS`]).
fn recency(age: usize) -> f64 {
    if age < RECENT_TERMS {
        return 1.0;
    }
    (1.0 - 0.5 * (age - RECENT_TERMS) as f64 / (3 * RECENT_TERMS) as f64).max(0.5)
}

/// The part of a context that is read: all of it up to
/// [`MAX_CONTEXT_CHARS`], else the newest that many characters, from the
/// first whole word (a live transcript grows at its end: its newest speech
/// must never be what is cut).
pub fn recent_part(context: &str) -> &str {
    let chars = context.chars().count();
    if chars <= MAX_CONTEXT_CHARS {
        return context;
    }
    let start = context.char_indices().nth(chars - MAX_CONTEXT_CHARS).map_or(0, |(at, _)| at);
    let tail = &context[start..];
    // From the first whole word: skip a word cut in half, unless the cut
    // fell on a space.
    match tail.find(char::is_whitespace) {
        Some(space) if !context[..start].ends_with(char::is_whitespace) => tail[space..].trim_start(),
        _ => tail.trim_start(),
    }
}

/// Whether the context `next` continues `previous` (a live call's
/// transcript, sent again as it grows: the same text with more at its end,
/// its oldest part perhaps cut) rather than being another call's.
pub fn continues(previous: &str, next: &str) -> bool {
    if previous.is_empty() || next.starts_with(previous) {
        return !previous.is_empty();
    }
    // The newest of what was said before is still in the new text.
    let tail_start = previous.char_indices().rev().nth(199).map_or(0, |(at, _)| at);
    next.contains(&previous[tail_start..])
}

/// `text` without customer data: what scrubbing would replace is dropped,
/// as are placeholders already in it (`[card number]`, a kb's `[policy
/// number]`), so none of it becomes a search term.
pub fn without_customer_data(text: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
    let scrubbed = crate::boundary::scrub::scrub(text, is_known_code);
    let mut out = String::with_capacity(scrubbed.len());
    let mut rest = scrubbed.as_str();
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let inner = &rest[open + 1..];
        match inner.find(']') {
            Some(close) if close <= 40 && inner[..close].chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-') => {
                out.push(' ');
                rest = &inner[close + 1..];
            }
            _ => {
                out.push('[');
                rest = inner;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` without the labels that start its lines: a transcript's speaker
/// (`Agent:`, `Customer 2:`, `[00:01:12] Caller:`, `お客様：`) or a
/// ticket's field (`Subject:`). A label is at most three words before a
/// colon.
pub fn without_line_labels(text: &str) -> String {
    text.lines()
        .map(|line| {
            let rest = line.trim_start();
            let rest = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
                Some((stamp, after)) if stamp.chars().all(|c| c.is_ascii_digit() || c == ':' || c == '.') => after.trim_start(),
                _ => rest,
            };
            // An ASCII colon ends a label when a space follows (not `10:30`);
            // a full-width one (`お客様：`) always does.
            let colon = rest.find([':', '：']);
            let (label, after) = match colon {
                Some(at) => (&rest[..at], &rest[at..]),
                None => return rest,
            };
            let after = match after.strip_prefix(':') {
                Some(after) if after.is_empty() || after.starts_with(char::is_whitespace) => after,
                Some(_) => return rest,
                None => after.trim_start_matches('：'),
            };
            let is_label = !label.is_empty()
                && label.split_whitespace().count() <= 3
                && label.chars().all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_');
            if is_label { after } else { rest }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A context's words as an index's terms: lower-cased, stemmed, without
/// stop words (as is, for languages without a list).
pub(crate) struct ContextTermReader {
    stop_words: Option<tantivy::tokenizer::TextAnalyzer>,
    analyzer: tantivy::tokenizer::TextAnalyzer,
}

impl ContextTermReader {
    pub(crate) fn read(&mut self, text: &str) -> Vec<String> {
        match &mut self.stop_words {
            Some(detector) => {
                let words = analysis::terms(detector, text).join(" ");
                analysis::terms(&mut self.analyzer, &words)
            }
            None => analysis::terms(&mut self.analyzer, text),
        }
    }
}

impl LocaleIndex {
    /// Up to `limit` articles for a call's context (the best first). Never
    /// fails: a context with nothing the kb knows suggests nothing.
    pub fn suggest(&self, context: &str, limit: usize) -> Vec<Hit> {
        self.suggestions(context, limit).hits
    }

    /// The same, with whether the word ranking is partial: no article
    /// carries at least [`COMPLETE_COVERAGE`] of the context's terms'
    /// weight (then meaning-based matches weigh more when they merge,
    /// [`crate::fusion::fuse`], as for a typed query no article has every
    /// word of).
    pub fn suggestions(&self, context: &str, limit: usize) -> Suggestions {
        self.try_suggest(context, limit).unwrap_or(Suggestions { hits: Vec::new(), partial: true })
    }

    fn try_suggest(&self, context: &str, limit: usize) -> Result<Suggestions, EngineError> {
        let text = without_customer_data(&without_line_labels(recent_part(context)), &|word| self.knows_code(word));
        let searcher = self.searcher();
        let fields = self.fields();
        let articles = searcher.num_docs();
        let weighted_fields = fields.weighted_text_fields();
        let terms = self.context_term_reader().read(&text);
        let terms = discriminating_terms(&terms, articles, |term| self.topical_doc_freq(term), MAX_CONTEXT_TERMS);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut highlight = std::collections::BTreeMap::new();
        for ContextTerm { term, emphasis, .. } in &terms {
            highlight.insert(term.clone(), 1.0);
            for (field, field_weight) in weighted_fields {
                let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), emphasis * field_weight))));
            }
        }
        for key in analysis::code_keys(&text) {
            if self.knows_code(&key) {
                let query = TermQuery::new(Term::from_field_text(fields.codes, &key), IndexRecordOption::Basic);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), CODE_BOOST))));
            }
        }
        for product in self.products_named_in(&text)? {
            let query = TermQuery::new(Term::from_facet(fields.product, &Facet::from_path([product])), IndexRecordOption::Basic);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), PRODUCT_BOOST))));
        }
        if clauses.is_empty() {
            return Ok(Suggestions { hits: Vec::new(), partial: true });
        }
        let query = BooleanQuery::new(clauses);
        // With `Count`, as the search box collects: TopDocs alone would add
        // tantivy's pruning search loop to the app (60 KB of wasm).
        let (top, _) = searcher.search(&query, &(TopDocs::with_limit(RERANKED.max(limit)).order_by_score(), Count))?;
        let (ranked, best_coverage) = self.by_coverage(top, &terms)?;
        let titles = SnippetGenerator::new(highlight, self.analyzer().clone(), fields.title, 10_000);
        let hits = ranked.into_iter().take(limit).map(|(score, address)| self.hit(address, score, &titles)).collect::<Result<_, _>>()?;
        Ok(Suggestions { hits, partial: best_coverage < COMPLETE_COVERAGE })
    }

    /// How many articles carry `term` in a weighted field, if it is a word
    /// some article uses to say what it is about (its title, other names,
    /// headings, summary): a chatty "thing" or "week" may be rare in the
    /// kb, but only in running text. 0 otherwise (and for digits alone).
    fn topical_doc_freq(&self, term: &str) -> u64 {
        let fields = self.fields();
        let in_field = |field: tantivy::schema::Field| self.searcher().doc_freq(&Term::from_field_text(field, term)).unwrap_or(0);
        let is_word = term.chars().count() > 1 && !term.chars().all(|c| c.is_ascii_digit());
        if !is_word || ![fields.title, fields.aka, fields.headings, fields.summary].iter().any(|field| in_field(*field) > 0) {
            return 0;
        }
        fields.weighted_text_fields().iter().map(|(field, _)| in_field(*field)).max().unwrap_or(0)
    }

    /// Whether `term` (analysed) is a topic of the kb that discriminates:
    /// some article is about it, and not more than [`MAX_DOC_SHARE`] of them.
    pub(crate) fn is_topical_term(&self, term: &str) -> bool {
        let df = self.topical_doc_freq(term) as f64;
        df > 0.0 && df / self.searcher().num_docs().max(1) as f64 <= MAX_DOC_SHARE
    }

    /// Reads a context's words as this index's terms, without stop words.
    pub(crate) fn context_term_reader(&self) -> ContextTermReader {
        let stop_words = self.analyzer_name().and_then(|name| analysis::context_stop_word_detector(&name, self.stop_word_list.as_deref()));
        ContextTermReader { stop_words, analyzer: self.analyzer().clone() }
    }

    /// `top` reordered by how much of the context each article covers: its
    /// score times the squared share of the terms' weight it carries (plus
    /// a floor, for articles found by a code or product alone). One rare
    /// word in a title must not beat an article about several of the
    /// context's words.
    /// With the share of the terms' weight the first article carries.
    fn by_coverage(&self, top: Vec<(f32, DocAddress)>, terms: &[ContextTerm]) -> Result<(Vec<(f32, DocAddress)>, f32), EngineError> {
        let total: f32 = terms.iter().map(|t| t.weight).sum();
        if total <= 0.0 {
            return Ok((top, 0.0));
        }
        // The candidates by segment, in doc order: each term's postings are
        // walked once per segment, skipping to them (no collector or map:
        // each would add code to the app).
        let mut order: Vec<(u32, DocId, usize)> = top.iter().enumerate().map(|(at, (_, address))| (address.segment_ord, address.doc_id, at)).collect();
        order.sort_unstable();
        let mut covered = vec![0.0f32; top.len()];
        for term in terms {
            let in_any_field: Vec<(Occur, Box<dyn Query>)> = self
                .fields()
                .weighted_text_fields()
                .iter()
                .map(|(field, _)| (Occur::Should, Box::new(TermQuery::new(Term::from_field_text(*field, &term.term), IndexRecordOption::Basic)) as Box<dyn Query>))
                .collect();
            // Scoring on, as the search box runs: a scorer without it is
            // another copy of tantivy's union code in the app.
            let weight = BooleanQuery::new(in_any_field).weight(EnableScoring::enabled_from_searcher(self.searcher()))?;
            for segment in order.chunk_by(|a, b| a.0 == b.0) {
                let mut postings = weight.scorer(self.searcher().segment_reader(segment[0].0), 1.0)?;
                for &(_, doc, at) in segment {
                    if postings.doc() < doc {
                        postings.seek(doc);
                    }
                    if postings.doc() == doc {
                        covered[at] += term.weight;
                    }
                }
            }
        }
        let mut ranked: Vec<(f32, DocAddress, f32)> = top
            .into_iter()
            .zip(covered)
            .map(|((score, address), covered)| (score * (COVERAGE_FLOOR + covered / total).powi(2), address, covered / total))
            .collect();
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let best_coverage = ranked.first().map_or(0.0, |(_, _, share)| *share);
        Ok((ranked.into_iter().map(|(score, address, _)| (score, address)).collect(), best_coverage))
    }

    /// The kb's product names that `text` mentions (whole words, any case).
    fn products_named_in(&self, text: &str) -> Result<Vec<String>, EngineError> {
        let lower = format!(" {} ", text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "));
        let products = crate::search::facets::count(self.searcher(), &AllQuery)?
            .into_iter()
            .filter(|f| f.kind == FacetKind::Product)
            .map(|f| f.value)
            .filter(|name| {
                let words: Vec<String> = name.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect();
                !words.is_empty() && lower.contains(&format!(" {} ", words.join(" ")))
            })
            .collect();
        Ok(products)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_transcript_keeps_its_newest_speech_from_a_whole_word() {
        let old = "roaming charges abroad ".repeat(200);
        let text = format!("{old}Caller: now my router keeps restarting");
        let kept = recent_part(&text);
        assert!(kept.ends_with("router keeps restarting"));
        assert!(kept.chars().count() <= MAX_CONTEXT_CHARS);
        assert!(["roaming", "charges", "abroad"].iter().any(|w| kept.starts_with(w)), "starts at a whole word: {:?}", &kept[..20]);
        assert_eq!(recent_part("short ticket"), "short ticket");
    }

    #[test]
    fn older_speech_weighs_less_than_the_newest() {
        let df = |_: &str| 5;
        let mut terms: Vec<String> = vec!["roam".to_string(); 3];
        terms.extend(std::iter::repeat_n("filler".to_string(), 600));
        terms.extend(vec!["router".to_string(); 3]);
        let weighted = discriminating_terms(&terms, 100, |t| if t == "filler" { 90 } else { df(t) }, 16);
        let weight = |term: &str| weighted.iter().find(|t| t.term == term).unwrap().weight;
        assert!(weight("router") > weight("roam"), "{weighted:?}");
        // A ticket (fewer terms than the recent window) weighs evenly.
        let ticket = discriminating_terms(&owned(&["roam", "refund"]), 100, df, 16);
        assert_eq!(ticket[0].weight, ticket[1].weight);
    }

    #[test]
    fn a_growing_transcript_continues_the_call_and_another_ticket_does_not() {
        let first = "Caller: hi, my router keeps restarting";
        assert!(continues(first, &format!("{first}\nAgent: let us check the lights")));
        let long = "roaming abroad ".repeat(400);
        let grown = format!("{long}and now the router");
        assert!(continues(&long, recent_part(&grown)), "the oldest part cut, the newest still there");
        assert!(!continues(first, "Subject: refund for a double charge"));
        assert!(!continues("", first));
    }

    fn owned(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn rare_repeated_terms_win_and_common_or_unknown_ones_are_left_out() {
        let df = |term: &str| match term {
            "roam" => 3,
            "refund" => 5,
            "call" => 60,
            "hello" => 0,
            _ => 10,
        };
        let terms = discriminating_terms(&owned(&["hello", "call", "roam", "roam", "refund", "bill", "call"]), 100, df, 16);
        let names: Vec<&str> = terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(names, ["roam", "refund", "bill"]);
        assert!(terms[0].weight > terms[1].weight && terms[1].weight > terms[2].weight);
        assert_eq!(discriminating_terms(&owned(&["roam", "refund", "bill"]), 100, df, 2).len(), 2);
    }

    #[test]
    fn speaker_and_field_labels_are_dropped_but_not_times_or_codes() {
        let text = "Subject: refund\nAgent: Hello\n[00:01:12] Caller: my bill\nCustomer 2: hi\nAt 10:30 it failed: E-4012\nお客様：遅い";
        assert_eq!(without_line_labels(text), " refund\n Hello\n my bill\n hi\nAt 10:30 it failed: E-4012\n遅い");
    }

    #[test]
    fn customer_data_and_placeholders_never_become_terms() {
        let text = "Card 4111 1111 1111 1111 declined, mail jo@example.com, policy [policy number], acct 12345678, code E-4012 [sic]";
        let clean = without_customer_data(text, &|w| w == "E-4012");
        assert!(!clean.contains("4111") && !clean.contains("example") && !clean.contains("12345678"), "{clean}");
        assert!(!clean.contains("card number") && !clean.contains("policy number") && !clean.contains("e-mail"), "{clean}");
        assert!(clean.contains("E-4012") && clean.contains("declined"), "{clean}");
    }
}
