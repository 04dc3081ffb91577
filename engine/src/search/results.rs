//! What a search answers: hits with highlighted titles and summaries (the
//! first stage), their snippets and sections (the second), and the helpers
//! that turn tantivy's snippets into them.

use std::collections::BTreeMap;

use tantivy::query::Query;

use crate::search::facets::FacetCount;

/// Text with the parts that matched the query marked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Highlighted {
    pub text: String,
    /// Byte ranges of `text` that matched, sorted, not overlapping.
    pub ranges: Vec<(usize, usize)>,
}

impl Highlighted {
    /// The text cut into `(piece, matched)` parts, for rendering.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(from, to) in &self.ranges {
            if from > at {
                out.push((&self.text[at..from], false));
            }
            out.push((&self.text[from..to], true));
            at = to;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out
    }
}

/// The section of an article a hit's best passage is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionHit {
    pub anchor: String,
    pub title: String,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub title: Highlighted,
    pub summary: String,
    /// The best-matching passage of the body.
    pub snippet: Highlighted,
    /// The section that passage is in, when it is under a heading.
    pub section: Option<SectionHit>,
    pub score: f32,
}

/// The answer to one query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// The query exactly as typed.
    pub query: String,
    /// How many articles match in all (more than `hits` may hold).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// No article had every word, so these match only some of them.
    pub partial: bool,
    /// The typed text was longer than a query is built from: only its
    /// start was searched ([`crate::search::query::MAX_QUERY_CHARS`]).
    pub cut: bool,
    /// Categories, products and tags of all matching articles, with counts
    /// (of the whole kb when nothing is typed or selected).
    pub facets: Vec<FacetCount>,
}

/// What the second stage of a search works from: the query as built, the
/// words to highlight, and the hits' ids. Opaque; made by
/// [`LocaleIndex::first_stage`].
#[derive(Default)]
pub struct PendingDetails {
    pub(super) typed: String,
    pub(super) query: Option<Box<dyn Query>>,
    pub(super) highlight_terms: BTreeMap<String, f32>,
    pub(super) ids: Vec<String>,
}

impl PendingDetails {
    /// The query text these details are for.
    pub fn query(&self) -> &str {
        &self.typed
    }

    /// The ids of the first stage's hits, in order (as the second stage's
    /// `hits` are): the texts the second stage wants.
    pub fn hit_ids(&self) -> &[String] {
        &self.ids
    }
}

/// A hit's best passage and the section it is in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HitDetails {
    pub snippet: Highlighted,
    pub section: Option<SectionHit>,
}

/// The second stage of a search: per hit (in the first stage's order) its
/// snippet and section, and the facet counts of all matching articles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchDetails {
    /// The query exactly as typed.
    pub query: String,
    pub hits: Vec<HitDetails>,
    pub facets: Vec<FacetCount>,
}

impl SearchDetails {
    /// Fills `results` (the first stage of the same query) with these details.
    pub fn apply_to(self, results: &mut SearchResults) {
        for (hit, more) in results.hits.iter_mut().zip(self.hits) {
            hit.snippet = more.snippet;
            hit.section = more.section;
        }
        results.facets = self.facets;
    }
}

/// The section (of `sections`) holding the first highlighted word of `snippet`.
pub(super) fn section_at(sections: &[crate::article::model::SectionStart], snippet: &tantivy::snippet::Snippet) -> Option<SectionHit> {
    let first = snippet.highlighted().first()?;
    let at = snippet.fragment_range().start + first.start;
    sections
        .iter()
        .take_while(|s| s.start <= at)
        .last()
        .map(|s| SectionHit { anchor: s.anchor.clone(), title: s.title.clone() })
}

pub(super) fn highlighted(snippet: &tantivy::snippet::Snippet) -> Highlighted {
    Highlighted {
        text: snippet.fragment().to_string(),
        ranges: tantivy::snippet::collapse_overlapped_ranges(snippet.highlighted())
            .into_iter()
            .map(|r| (r.start, r.end))
            .collect(),
    }
}

/// The first words of `text`, at most about `max_chars` characters.
pub(super) fn leading_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let at_word = cut.rfind(char::is_whitespace).filter(|&i| i > max_chars / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end())
}
