//! How one clause of a query becomes a tantivy query over the weighted
//! fields: the exact word, prefix expansions of the word being typed, typo
//! corrections for words the kb does not contain, normalised codes; stop
//! words optional.

use std::collections::BTreeMap;

use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::EngineError;
use crate::index::analysis;
use crate::search::index::LocaleIndex;
use crate::search::query::Clause;

/// How many index terms one prefix may stand for.
const MAX_PREFIX_EXPANSIONS: usize = 32;
/// A word being typed shorter than this (in characters) is expanded by
/// prefix in the title, aka, headings and summary, not in the body: one or
/// two letters match thousands of body words, which costs most of a
/// keystroke's time in the browser and ranks nothing better.
const MIN_BODY_PREFIX_CHARS: usize = 3;
/// Weight of a prefix expansion relative to an exact match of the same word.
const PREFIX_WEIGHT: f32 = 0.7;
/// Weight of an exact match of an error code or identifier.
const CODE_WEIGHT: f32 = 6.0;
/// Weight of a word within a typo of the typed one, relative to an exact match.
const TYPO_WEIGHT: f32 = 0.4;
/// How many index terms one misspelled word may stand for.
const MAX_TYPO_EXPANSIONS: usize = 8;

impl LocaleIndex {
    /// The query for one clause over all weighted fields, or `None` when the
    /// clause has no searchable words (only punctuation, say). Terms it can
    /// match are added to `highlight_terms`.
    pub(super) fn clause_query(
        &self,
        clause: &Clause,
        highlight_terms: &mut BTreeMap<String, f32>,
    ) -> Result<Option<Box<dyn Query>>, EngineError> {
        let terms = analysis::terms(&mut self.analyzer.clone(), &clause.text);
        let Some(last) = terms.last() else {
            return Ok(None);
        };
        // A word the kb uses is never "corrected" into another one.
        let known = self.is_known(last)?;
        for term in &terms {
            highlight_terms.insert(term.clone(), 1.0);
        }
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, weight) in self.fields.weighted_text_fields() {
            let to_term = |text: &str| Term::from_field_text(field, text);
            let query: Box<dyn Query> = match (terms.len(), clause.prefix) {
                (1, false) => {
                    let exact: Box<dyn Query> = Box::new(TermQuery::new(to_term(last), IndexRecordOption::WithFreqs));
                    let corrections = if known { Vec::new() } else { self.expand_typos(field, last)? };
                    if corrections.is_empty() {
                        exact
                    } else {
                        let mut options: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, exact)];
                        for correction in corrections {
                            if field == self.fields.body {
                                highlight_terms.insert(correction.clone(), TYPO_WEIGHT);
                            }
                            let query = TermQuery::new(to_term(&correction), IndexRecordOption::WithFreqs);
                            options.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), TYPO_WEIGHT))));
                        }
                        Box::new(BooleanQuery::new(options))
                    }
                }
                (1, true) => {
                    let raw = analysis::terms(&mut self.plain.clone(), &clause.text);
                    let mut prefixes = vec![last.as_str()];
                    prefixes.extend(raw.last().map(String::as_str));
                    let short_in_body = field == self.fields.body && last.chars().count() < MIN_BODY_PREFIX_CHARS;
                    let expansions = if short_in_body { Vec::new() } else { self.expand_prefix(field, &prefixes)? };
                    let mut options: Vec<(Occur, Box<dyn Query>)> = vec![(
                        Occur::Should,
                        Box::new(TermQuery::new(to_term(last), IndexRecordOption::WithFreqs)),
                    )];
                    // The last word may be finished but misspelled, too:
                    // when nothing in the kb starts with it.
                    let corrections =
                        if known || short_in_body || !expansions.is_empty() { Vec::new() } else { self.expand_typos(field, last)? };
                    let alternatives = expansions
                        .into_iter()
                        .filter(|e| e != last)
                        .map(|e| (e, PREFIX_WEIGHT))
                        .chain(corrections.into_iter().map(|c| (c, TYPO_WEIGHT)));
                    for (expansion, weight) in alternatives {
                        if field == self.fields.body {
                            highlight_terms.insert(expansion.clone(), weight);
                        }
                        let query = TermQuery::new(to_term(&expansion), IndexRecordOption::WithFreqs);
                        options.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), weight))));
                    }
                    Box::new(BooleanQuery::new(options))
                }
                // A run of CJK text: most of its bigrams, in any order (the
                // agent's wording rarely matches the article's exactly).
                (n, _) if !clause.phrase && clause.text.chars().any(analysis::is_cjk) => {
                    let bigrams: Vec<(Occur, Box<dyn Query>)> = terms
                        .iter()
                        .map(|t| (Occur::Should, Box::new(TermQuery::new(to_term(t), IndexRecordOption::WithFreqs)) as Box<dyn Query>))
                        .collect();
                    Box::new(BooleanQuery::with_minimum_required_clauses(bigrams, n.div_ceil(2)))
                }
                // An excluded run of words (`-wi-fi`): articles with all of
                // them. Not a phrase: tantivy 0.27's phrase scorer cannot be
                // the excluded side of a query (it is sought backwards,
                // which its debug assertion rejects and a release build
                // answers wrongly); found by the query property test.
                (_, _) if clause.excluded => Box::new(BooleanQuery::new(
                    terms.iter().map(|t| (Occur::Must, Box::new(TermQuery::new(to_term(t), IndexRecordOption::Basic)) as Box<dyn Query>)).collect(),
                )),
                (_, false) => Box::new(PhraseQuery::new(terms.iter().map(|t| to_term(t)).collect())),
                (_, true) => Box::new(PhrasePrefixQuery::new(terms.iter().map(|t| to_term(t)).collect())),
            };
            per_field.push((Occur::Should, Box::new(BoostQuery::new(query, weight))));
        }
        if let Some(key) = analysis::code_key(&clause.text) {
            let code = TermQuery::new(Term::from_field_text(self.fields.codes, &key), IndexRecordOption::Basic);
            per_field.push((Occur::Should, Box::new(BoostQuery::new(Box::new(code), CODE_WEIGHT))));
        }
        Ok(Some(Box::new(BooleanQuery::new(per_field))))
    }

    /// True when `term` occurs in the title or body of some article.
    pub(super) fn is_known(&self, term: &str) -> Result<bool, EngineError> {
        for field in [self.fields.title, self.fields.body] {
            if self.searcher.doc_freq(&Term::from_field_text(field, term))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// True when every word of `clause` is a stop word of the language.
    pub(super) fn is_stop_word(&self, clause: &Clause) -> bool {
        match &self.stop_words {
            Some(detector) => !clause.phrase && !clause.prefix && analysis::terms(&mut detector.clone(), &clause.text).is_empty(),
            None => false,
        }
    }

    /// Index terms of `field` within a typo of `term` (one edit for words of
    /// 4-7 characters, two from 8; shorter words are not corrected), the
    /// most common first. The term itself is not included.
    pub(super) fn expand_typos(&self, field: Field, term: &str) -> Result<Vec<String>, EngineError> {
        let length = term.chars().count();
        let distance = match length {
            0..=3 => return Ok(Vec::new()),
            4..=7 => 1,
            _ => 2,
        };
        // Codes and numbers are matched exactly, never "corrected".
        if term.chars().any(|c| c.is_ascii_digit()) {
            return Ok(Vec::new());
        }
        let automaton = FuzzyTermQuery::new(Term::from_field_text(field, term), distance, true).automaton()?;
        let mut found: Vec<(u32, String)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream().map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(candidate) = std::str::from_utf8(stream.key()) {
                    if candidate != term {
                        found.push((stream.value().doc_freq, candidate.to_string()));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        found.dedup_by(|a, b| a.1 == b.1);
        Ok(found.into_iter().take(MAX_TYPO_EXPANSIONS).map(|(_, t)| t).collect())
    }

    /// Index terms of `field` that start with any of `prefixes`, the most
    /// common first, at most [`MAX_PREFIX_EXPANSIONS`].
    pub(super) fn expand_prefix(&self, field: Field, prefixes: &[&str]) -> Result<Vec<String>, EngineError> {
        let mut found: Vec<(u32, String)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            for prefix in prefixes.iter().map(|p| str::as_bytes(p)) {
                let mut stream = inverted
                    .terms()
                    .range()
                    .ge(prefix)
                    .into_stream()
                    .map_err(tantivy::TantivyError::from)?;
                let mut scanned = 0;
                while stream.advance() && scanned < 8 * MAX_PREFIX_EXPANSIONS {
                    if !stream.key().starts_with(prefix) {
                        break;
                    }
                    scanned += 1;
                    if let Ok(term) = std::str::from_utf8(stream.key()) {
                        found.push((stream.value().doc_freq, term.to_string()));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut terms: Vec<String> = Vec::new();
        for (_, term) in found {
            if !terms.contains(&term) {
                terms.push(term);
            }
            if terms.len() == MAX_PREFIX_EXPANSIONS {
                break;
            }
        }
        Ok(terms)
    }
}
