//! A locale's packed index, opened read-only, and the two stages that
//! answer a typed query: [`LocaleIndex::first_stage`] (ranked hits with
//! highlighted titles and summaries, at once) and
//! [`LocaleIndex::second_stage`] (snippets, sections, facet counts). How one
//! clause becomes a tantivy query is in `clauses`. Searching never fails:
//! whatever the agent types, the answer is a (possibly empty) result list.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::{Directory, OwnedBytes};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::EngineError;
use crate::format::directory::PackedDirectory;
use crate::format::rows::{Rows, rows_file};
use crate::format::manifest::BundleFile;
use crate::format::text_store::{ArticleText, ArticleTexts};
use crate::index::analysis;
use crate::index::schema::Fields;
use crate::search::facets::{self, Filters};
use crate::search::ids::DocumentsQuery;
use crate::search::query::QueryPlan;
use crate::search::results::{Highlighted, Hit, HitDetails, PendingDetails, SearchDetails, SearchResults, highlighted, leading_words, section_at};

/// Below this many articles with every word, articles with some of the
/// words are listed after them.
const FEW_FULL_MATCHES: usize = 3;
/// Weight of typing an article's exact title.
const EXACT_TITLE_WEIGHT: f32 = 8.0;
/// Decompressed doc store blocks kept per index.
const DOC_STORE_CACHE_BLOCKS: usize = 8;
/// Length of a result snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// How many of the most common title words the warm-up types.
const WARM_UP_TERMS: usize = 8;

/// A locale's index, opened read-only, ready to search.
pub struct LocaleIndex {
    pub(super) searcher: Searcher,
    pub(super) fields: Fields,
    pub(super) analyzer: TextAnalyzer,
    pub(super) plain: TextAnalyzer,
    /// Drops stop words; `None` for languages without a list.
    pub(super) stop_words: Option<TextAnalyzer>,
    /// The list itself, as the pack carries it (for a call's context).
    pub(super) stop_word_list: Option<Vec<String>>,
    /// Texts for snippets held with the index (native tools); the app
    /// fetches texts itself and passes them to [`Self::second_stage`].
    own_texts: HashMap<String, ArticleText>,
    /// Where each article is, read from the rows on the first lookup by
    /// id, in a tier that does not index ids (see [`super::ids`]).
    row_ids: OnceLock<HashMap<String, DocAddress>>,
    /// The small tiers' ids, titles and summaries, by segment ordinal
    /// ([`crate::format::rows`]); `None` for a segment whose document
    /// store holds them (the whole index).
    rows: Vec<Option<Rows>>,
}

impl LocaleIndex {
    /// Opens a part as stored in the bundle after checking it is the file
    /// the manifest describes (a damaged or stale download is refused with
    /// a clear message instead of being read), inflating it when it is
    /// stored compressed. The app inflates in the browser instead and calls
    /// [`Self::from_bytes`].
    pub fn open_verified(stored: Vec<u8>, file: &BundleFile) -> Result<LocaleIndex, EngineError> {
        LocaleIndex::open_verified_parts(vec![(stored, file)])
    }

    /// Opens the stored packs of one tier (base first) after checking each
    /// against its manifest entry, inflating them natively.
    pub fn open_verified_parts(parts: Vec<(Vec<u8>, &BundleFile)>) -> Result<LocaleIndex, EngineError> {
        let mut blobs = Vec::with_capacity(parts.len());
        for (stored, file) in parts {
            blobs.push(OwnedBytes::new(file.contents(stored)?));
        }
        LocaleIndex::open_directory(PackedDirectory::open_parts(blobs)?)
    }

    /// Opens a pack held in memory (as the indexer's tools do).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<LocaleIndex, EngineError> {
        LocaleIndex::open(OwnedBytes::new(bytes))
    }

    /// Opens the packs of one tier held in memory, base first (the app
    /// inflates them in the browser).
    pub fn from_parts(parts: Vec<Vec<u8>>) -> Result<LocaleIndex, EngineError> {
        LocaleIndex::open_directory(PackedDirectory::open_parts(parts.into_iter().map(OwnedBytes::new).collect())?)
    }

    /// Opens a pack produced by the indexer.
    pub fn open(blob: OwnedBytes) -> Result<LocaleIndex, EngineError> {
        LocaleIndex::open_directory(PackedDirectory::open(blob)?)
    }

    fn open_directory(directory: PackedDirectory) -> Result<LocaleIndex, EngineError> {
        let index = Index::open(directory.clone())?;
        analysis::register_all(&index);
        let fields = Fields::of(&index.schema())?;
        let analyzer = index.tokenizer_for_field(fields.body)?;
        let plain = analysis::analyzer("cuecard_plain").expect("the plain analyzer exists");
        let stop_word_list = stop_words_in(&directory)?;
        let stop_words = stop_word_list.as_ref().map(|words| analysis::stop_word_detector(words.iter().cloned()));
        // A few decompressed store blocks are enough for the hits of a
        // keystroke; tantivy's default of 100 blocks (6.4 MB per reader at
        // our 64 KB blocks) would only grow wasm memory, which never shrinks.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        let searcher = reader.searcher();
        let rows = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let name = rows_file(&segment.segment_id().uuid_string());
                match directory.atomic_read(std::path::Path::new(&name)) {
                    Ok(bytes) => Rows::parse(bytes, &name).map(Some),
                    Err(_) => Ok(None),
                }
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        Ok(LocaleIndex {
            searcher,
            fields,
            analyzer,
            plain,
            stop_words,
            stop_word_list,
            own_texts: HashMap::new(),
            row_ids: OnceLock::new(),
            rows,
        })
    }

    /// This index with the texts of its articles at hand, so
    /// [`Self::search_with`] gives snippets.
    pub fn with_texts(mut self, texts: impl IntoIterator<Item = (String, ArticleText)>) -> LocaleIndex {
        self.own_texts = texts.into_iter().collect();
        self
    }

    pub(crate) fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The analyzer of the searched text fields.
    pub(crate) fn analyzer(&self) -> &TextAnalyzer {
        &self.analyzer
    }

    /// The name of the analyzer of the searched text fields (`cuecard_en`).
    pub(crate) fn analyzer_name(&self) -> Option<String> {
        crate::index::schema::analyzer_of(&self.searcher.schema(), self.fields.body)
    }

    /// Number of articles in the index.
    pub fn num_articles(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// True when the locale has an article `id`.
    pub fn has_article(&self, id: &str) -> bool {
        // A search, not the term's doc_freq: that still counts an article a
        // delta deleted from the base.
        self.id_query(id).is_some_and(|query| self.searcher.search(&query, &Count).is_ok_and(|n| n > 0))
    }

    /// The query that matches article `id`: its term where the tier indexes
    /// ids, else its document as the rows place it (`None` when the tier
    /// has no such article).
    fn id_query(&self, id: &str) -> Option<Box<dyn Query>> {
        if self.searcher.schema().get_field_entry(self.fields.id).is_indexed() {
            return Some(Box::new(TermQuery::new(Term::from_field_text(self.fields.id, id), IndexRecordOption::Basic)));
        }
        let address = *self.row_ids().get(id)?;
        Some(Box::new(DocumentsQuery::of(&self.searcher, [address])))
    }

    /// The live articles by id, read once from the rows.
    pub(crate) fn row_ids(&self) -> &HashMap<String, DocAddress> {
        self.row_ids.get_or_init(|| super::ids::ids_in_rows(&self.searcher, &self.rows))
    }

    /// Rows for articles found another way (meaning-based matching), in
    /// the order of `ids`: title and summary as the first stage shows them,
    /// nothing highlighted, score 0. Ids the locale lacks are left out, and
    /// so are articles the agent ruled out: by `filters`, or by a word
    /// `typed` excludes (`-word`).
    pub fn hits_by_id(&self, ids: &[&str], typed: &str, filters: &Filters) -> Vec<Hit> {
        let mut ruled_out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(filter) = filters.query(&self.fields) {
            ruled_out.push((Occur::Must, filter));
        }
        for clause in QueryPlan::parse(typed).excluded() {
            if let Ok(Some(query)) = self.clause_query(clause, &mut BTreeMap::new()) {
                ruled_out.push((Occur::MustNot, query));
            }
        }
        let titles = SnippetGenerator::new(BTreeMap::new(), self.analyzer.clone(), self.fields.title, 10_000);
        ids.iter()
            .filter_map(|id| {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = ruled_out.iter().map(|(occur, q)| (*occur, q.box_clone())).collect();
                clauses.push((Occur::Must, self.id_query(id)?));
                let top = self.searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(1).order_by_score()).ok()?;
                let (_, address) = top.into_iter().next()?;
                let mut hit = self.hit(address, 0.0, &titles).ok()?;
                hit.score = 0.0;
                Some(hit)
            })
            .collect()
    }

    /// True when `word` is a code some article carries (`E-4012`,
    /// `0x80070005`): what scrubbing keeps ([`crate::boundary::scrub`]).
    pub fn knows_code(&self, word: &str) -> bool {
        let Some(key) = analysis::code_key(word) else { return false };
        let query = TermQuery::new(Term::from_field_text(self.fields.codes, &key), IndexRecordOption::Basic);
        self.searcher.search(&query, &Count).is_ok_and(|n| n > 0)
    }

    /// The best `limit` articles for what the agent typed.
    pub fn search(&self, typed: &str, limit: usize) -> SearchResults {
        self.search_with(typed, &Filters::default(), limit)
    }

    /// Runs the keystroke path once for each of [`Self::warm_up_queries`],
    /// both stages. Returns the hits of the last, for warming what renders
    /// them.
    pub fn warm_up(&self) -> Vec<Hit> {
        let mut hits = Vec::new();
        for query in self.warm_up_queries() {
            hits = std::hint::black_box(self.search(&query, 10)).hits;
        }
        hits
    }

    /// What to type once the index is loaded so that one-time costs are
    /// paid before the agent's first keystroke (a browser compiles wasm
    /// functions on their first call; tantivy builds its typo automata
    /// builders on first use): the first letter, two letters and whole of
    /// the kb's most common title words (the prefixes agents type first,
    /// with the longest posting lists), then a word of the first title
    /// typed letter by letter, misspelled, and twice (two clauses). All
    /// from the kb itself: nothing about its language is assumed. The app
    /// runs each in its own task, so it stays responsive meanwhile.
    pub fn warm_up_queries(&self) -> Vec<String> {
        let mut typed: Vec<String> = Vec::new();
        for term in self.common_title_terms(WARM_UP_TERMS) {
            let chars: Vec<char> = term.chars().collect();
            typed.extend([chars[..1].iter().collect(), chars[..2].iter().collect(), term.clone()]);
        }
        let title = self.shown(DocAddress::new(0, 0)).map(|shown| shown.title).unwrap_or_default();
        let word = title.split_whitespace().find(|w| w.chars().count() >= 4).unwrap_or("help").to_string();
        let chars: Vec<char> = word.chars().collect();
        let misspelled: String = chars.iter().rev().collect();
        typed.extend((1..=chars.len().min(4)).map(|n| chars[..n].iter().collect::<String>()));
        typed.extend([format!("{word} {misspelled}"), format!("{word}{word}x")]);
        let mut seen = std::collections::HashSet::new();
        typed.retain(|q| *q != word && seen.insert(q.clone()));
        // Last: its hits are the ones the app renders out of sight.
        typed.push(word);
        typed
    }

    /// The `n` title terms of at least 3 letters in the most articles.
    fn common_title_terms(&self, n: usize) -> Vec<String> {
        let mut found: Vec<(u32, String)> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.fields.title) else { continue };
            let Ok(mut stream) = inverted.terms().stream() else { continue };
            while stream.advance() {
                let doc_freq = stream.value().doc_freq;
                if found.len() == n && found.last().is_some_and(|(least, _)| *least >= doc_freq) {
                    continue;
                }
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                if term.chars().count() < 3 || found.iter().any(|(_, t)| t == term) {
                    continue;
                }
                found.push((doc_freq, term.to_string()));
                found.sort_by(|a, b| b.0.cmp(&a.0));
                found.truncate(n);
            }
        }
        found.into_iter().map(|(_, term)| term).collect()
    }

    /// The best `limit` articles for what the agent typed, among those with
    /// the selected facet values. With nothing typed, the filtered articles
    /// are listed (browsing a category). Both stages: hits with snippets and
    /// sections (from the texts held with the index, if any), and facet
    /// counts.
    pub fn search_with(&self, typed: &str, filters: &Filters, limit: usize) -> SearchResults {
        let (mut results, details) = self.first_stage(typed, filters, limit);
        let more = self.second_stage(&details, &self.own_texts);
        more.apply_to(&mut results);
        results
    }

    /// What the screen needs at once: the ranked hits with highlighted
    /// titles and summaries, and the total; no snippets, sections or facet
    /// counts (`snippet` is empty, `section` none, `facets` empty). The
    /// returned [`PendingDetails`] computes those with [`Self::second_stage`].
    /// Never fails.
    pub fn first_stage(&self, typed: &str, filters: &Filters, limit: usize) -> (SearchResults, PendingDetails) {
        self.try_first_stage(typed, filters, limit).unwrap_or_else(|_| {
            let results = SearchResults { query: typed.to_string(), cut: QueryPlan::parse(typed).cut, ..SearchResults::default() };
            (results, PendingDetails::default())
        })
    }

    /// Snippets and sections of the first stage's hits whose texts are in
    /// `texts` (the others get none), and facet counts of all matching
    /// articles. Never fails (a failure leaves them empty).
    pub fn second_stage(&self, pending: &PendingDetails, texts: &dyn ArticleTexts) -> SearchDetails {
        let snippets = SnippetGenerator::new(pending.highlight_terms.clone(), self.analyzer.clone(), self.fields.body, SNIPPET_CHARS);
        let hits = pending
            .ids
            .iter()
            .map(|id| {
                let Some(text) = texts.text_of(id) else {
                    return HitDetails::default();
                };
                let body = text.body.as_str();
                let best = snippets.snippet(body);
                let section = section_at(&text.sections, &best);
                let mut snippet = highlighted(&best);
                if snippet.ranges.is_empty() {
                    snippet = Highlighted { text: leading_words(body, SNIPPET_CHARS), ranges: Vec::new() };
                }
                HitDetails { snippet, section }
            })
            .collect();
        let facets = pending.query.as_ref().and_then(|q| facets::count(&self.searcher, q.as_ref()).ok()).unwrap_or_default();
        SearchDetails { query: pending.typed.clone(), hits, facets }
    }

    fn try_first_stage(&self, typed: &str, filters: &Filters, limit: usize) -> Result<(SearchResults, PendingDetails), EngineError> {
        let plan = QueryPlan::parse(typed);
        let mut highlight_terms = BTreeMap::new();
        // Stop words (`of`, `the`) count when present but are not required,
        // unless the query has nothing else.
        let mut required = Vec::new();
        let mut optional = Vec::new();
        for clause in plan.required() {
            if let Some(query) = self.clause_query(clause, &mut highlight_terms)? {
                if self.is_stop_word(clause) {
                    optional.push(query);
                } else {
                    required.push(query);
                }
            }
        }
        if required.is_empty() {
            required = std::mem::take(&mut optional);
        }
        let mut excluded = Vec::new();
        for clause in plan.excluded() {
            if let Some(query) = self.clause_query(clause, &mut BTreeMap::new())? {
                excluded.push(query);
            }
        }
        let mut results = SearchResults {
            query: typed.to_string(),
            cut: plan.cut,
            ..SearchResults::default()
        };
        let mut pending = PendingDetails { typed: typed.to_string(), ..PendingDetails::default() };
        let filter = filters.query(&self.fields);
        if required.is_empty() {
            // Nothing typed: browse the filtered articles, or just count.
            let browse: Box<dyn Query> = filter.unwrap_or_else(|| Box::new(AllQuery));
            if !filters.is_empty() {
                let (top, total) = self.searcher.search(browse.as_ref(), &(TopDocs::with_limit(limit.max(1)).order_by_score(), Count))?;
                results.total = total;
                let titles = SnippetGenerator::new(BTreeMap::new(), self.analyzer.clone(), self.fields.title, 10_000);
                for (score, address) in top {
                    let hit = self.hit(address, score, &titles)?;
                    pending.ids.push(hit.id.clone());
                    results.hits.push(hit);
                }
            }
            pending.query = Some(browse);
            return Ok((results, pending));
        }
        let combine = |occur: Occur| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                required.iter().map(|q| (occur, q.box_clone())).collect();
            clauses.extend(optional.iter().map(|q| (Occur::Should, q.box_clone())));
            clauses.extend(excluded.iter().map(|q| (Occur::MustNot, q.box_clone())));
            let exact_title = TermQuery::new(Term::from_field_text(self.fields.title_key, &analysis::title_key(typed)), IndexRecordOption::Basic);
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact_title), EXACT_TITLE_WEIGHT))));
            let text: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
            match &filter {
                Some(filter) => Box::new(BooleanQuery::new(vec![(Occur::Must, text), (Occur::Must, filter.box_clone())])),
                None => text,
            }
        };
        let collector = (TopDocs::with_limit(limit.max(1)).order_by_score(), Count);
        let mut query = combine(Occur::Must);
        let (mut top, mut total) = self.searcher.search(query.as_ref(), &collector)?;
        if total < FEW_FULL_MATCHES && required.len() > 1 {
            // Few or no articles have every word (agents type conversational
            // words too): list those first, then articles with some words.
            query = combine(Occur::Should);
            let (some, some_total) = self.searcher.search(query.as_ref(), &collector)?;
            results.partial = total == 0 && some_total > 0;
            let full: Vec<DocAddress> = top.iter().map(|(_, a)| *a).collect();
            top.extend(some.into_iter().filter(|(_, a)| !full.contains(a)));
            top.truncate(limit.max(1));
            total = some_total;
        }
        results.total = total;
        let titles = SnippetGenerator::new(highlight_terms.clone(), self.analyzer.clone(), self.fields.title, 10_000);
        for (score, address) in top.into_iter().take(limit) {
            let hit = self.hit(address, score, &titles)?;
            pending.ids.push(hit.id.clone());
            results.hits.push(hit);
        }
        pending.query = Some(query);
        pending.highlight_terms = highlight_terms;
        Ok((results, pending))
    }

    /// A hit as the first stage shows it.
    pub(crate) fn hit(&self, address: DocAddress, score: f32, titles: &SnippetGenerator) -> Result<Hit, EngineError> {
        let Shown { id, title, summary } = self.shown(address)?;
        let mut title_marks = highlighted(&titles.snippet(&title));
        if title_marks.text != title {
            title_marks = Highlighted { text: title, ranges: Vec::new() };
        }
        let hit = Hit {
            id,
            title: title_marks,
            summary,
            snippet: Highlighted::default(),
            section: None,
            score,
        };
        Ok(hit)
    }

    /// What a row shows of the document at `address`: from the segment's
    /// rows (the small tiers) or its document store.
    fn shown(&self, address: DocAddress) -> Result<Shown, EngineError> {
        if let Some(rows) = self.rows.get(address.segment_ord as usize).and_then(Option::as_ref) {
            let row = rows.get(address.doc_id).ok_or_else(|| EngineError::BadPack(format!("no row for document {}", address.doc_id)))?;
            return Ok(Shown { id: row.id.to_string(), title: row.title.to_string(), summary: row.summary.to_string() });
        }
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
        Ok(Shown { id: text(self.fields.id), title: text(self.fields.title), summary: text(self.fields.summary) })
    }
}

/// The stop words a pack carries ([`analysis::STOP_WORDS_FILE`], one per
/// line; a delta reads its base's), or `None` for a language without a list.
fn stop_words_in(directory: &PackedDirectory) -> Result<Option<Vec<String>>, EngineError> {
    let Ok(bytes) = directory.atomic_read(std::path::Path::new(analysis::STOP_WORDS_FILE)) else { return Ok(None) };
    let text = String::from_utf8(bytes).map_err(|_| EngineError::BadPack(format!("{} is not UTF-8", analysis::STOP_WORDS_FILE)))?;
    Ok(Some(text.lines().filter(|w| !w.is_empty()).map(str::to_string).collect()))
}

/// What a row shows of an article (the first tier has no summaries).
struct Shown {
    id: String,
    title: String,
    summary: String,
}
