//! The app's state: the signals every component reads, and what is derived
//! from them (results, the list under the search box). One `AppState` is
//! provided as context to every component. What changes the state (loading
//! the kb, switching locale, opening articles) is in [`crate::actions`];
//! the second stage of the results (texts fetched, snippets computed) is in
//! [`crate::actions::details`]. Beside it: the state that lives in the URL
//! ([`url`]) or in the browser ([`shelf`], [`seen_changes`], the tab's
//! [`kept_query`]), and the meaning pass's plain values ([`meaning_pass`]).

pub mod kept_query;
pub mod meaning_pass;
pub mod seen_changes;
pub mod shelf;
pub mod url;

use std::collections::HashMap;
use std::sync::Arc;

use cuecard_engine::facets::{FacetCount, Filters};
use cuecard_engine::fusion::{fuse, fuse_context};
use cuecard_engine::manifest::Manifest;
use cuecard_engine::model::{ArticleFile, RenderedArticle};
use cuecard_engine::redirects::Redirects;
use cuecard_engine::scrub::Scrubber;
use cuecard_engine::text_store::TextFile;
use cuecard_engine::{Hit, HitDetails, LocaleIndex, PendingDetails, SearchResults, Suggestions};
use leptos::prelude::*;

use crate::i18n::{self, Texts};
use crate::perf;
use crate::state::meaning_pass::{ContextAnswer, MeaningAnswer, MeaningStatus};
use crate::state::shelf::{Shelf, ShelfEntry};

/// Where the bundle lives, relative to the page.
pub const BUNDLE_DIR: &str = cuecard_engine::manifest::SITE_BUNDLE_DIR;
/// How many results a query shows: enough for the right one to be there
/// (the yardstick counts success in the top 3), few enough to scan while a
/// caller talks; the count says how many match in all. Rendering 10 rather
/// than 20 also took keystroke-to-results down by a fifth (BENCHMARKS.md).
pub const RESULT_LIMIT: usize = 10;
/// With fewer results than this in the agent's locale, matching articles
/// that exist only in the fallback locale are listed after them.
pub const FALLBACK_BELOW: usize = 5;
/// How many fallback-locale results are listed at most.
pub const FALLBACK_LIMIT: usize = 5;
/// How many articles are suggested from the call's context.
pub const SUGGESTION_LIMIT: usize = 5;
/// How many of the word ranking's suggestions the meaning-based pass
/// merges with: ten, as `cuecard eval --contexts` ranks them.
const SUGGESTION_CANDIDATES: usize = 10;

/// Why an article is shown in the locale it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownBecause {
    /// It is in the agent's locale.
    Own,
    /// The agent's locale has no version: the fallback chain found this one.
    Fallback,
    /// The agent asked for this locale's version.
    Chosen,
}

/// An article on screen and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownArticle {
    pub article: RenderedArticle,
    /// The locale the article is in.
    pub locale: String,
    pub because: ShownBecause,
    /// The old id the agent asked for, when the article moved
    /// (`redirect_from`).
    pub moved_from: Option<String>,
    /// Its changes since the agent last opened it, newest first (none on
    /// a first visit), see [`crate::state::seen_changes`].
    pub unseen_changes: Vec<cuecard_engine::changes::Change>,
}

/// The article pane: nothing open, loading, shown, or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ArticlePane {
    Closed,
    Loading(String),
    Shown(Arc<ShownArticle>),
    Failed { id: String, message: String },
}

/// One entry of the list under the search box.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// A search result in the agent's locale.
    Hit(Hit),
    /// A result from the fallback locale, for an article the agent's locale lacks.
    Fallback { locale: String, hit: Hit },
    /// With nothing typed: an article suggested from the call's context;
    /// `by_meaning` when only the meaning-based pass found it.
    Suggested { hit: Hit, by_meaning: bool },
    /// With nothing typed: a pinned or recently viewed article.
    Shelf { pinned: bool, entry: ShelfEntry },
}

impl Choice {
    pub fn id(&self) -> &str {
        match self {
            Choice::Hit(hit) | Choice::Fallback { hit, .. } | Choice::Suggested { hit, .. } => &hit.id,
            Choice::Shelf { entry, .. } => &entry.id,
        }
    }
}

/// The offline copy of the version the app runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineCopy {
    /// No service worker (yet), or nothing asked of it.
    NotAsked,
    /// The worker is downloading and checking the files.
    Saving,
    /// Every file the agent needs is kept: this version works offline.
    Saved,
    /// A file could not be downloaded or was wrong: the previous complete
    /// version (if any) stays the offline one.
    Failed,
}

impl OfflineCopy {
    /// The value of the status bar's `data-saved-offline`.
    pub fn as_str(self) -> &'static str {
        match self {
            OfflineCopy::NotAsked => "false",
            OfflineCopy::Saving => "saving",
            OfflineCopy::Saved => "true",
            OfflineCopy::Failed => "failed",
        }
    }
}

/// The second stage of the results on screen: snippets and sections of the
/// listed hits (the agent's locale and the fallback's), and facet counts.
/// It follows the first stage a task later, so typing never waits for it;
/// snippets follow once the hits' text files have arrived.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultDetails {
    /// The query text and filters these details answer.
    pub query: String,
    pub filters: Filters,
    /// (locale, article id) -> the hit's best passage and its section.
    pub hits: HashMap<(String, String), HitDetails>,
    pub facets: Vec<FacetCount>,
    /// Some listed hits' text files are still being fetched: their
    /// snippets will follow.
    pub waiting_for_texts: bool,
}

/// A text file of the bundle, by the app's reckoning.
#[derive(Debug, Clone)]
pub enum TextFileState {
    Fetching,
    Ready(Arc<TextFile>),
    /// Could not be fetched or was wrong: its hits show no snippet.
    Failed,
}

/// The row the agent moved the selection to (arrow keys or pointer): a
/// later stage of the same results keeps it where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldChoice {
    pub query: String,
    pub filters: Filters,
    pub position: usize,
    pub choice: Choice,
}

impl ResultDetails {
    /// Whether these are the details of `results`: the same question, and
    /// every hit of the agent's locale has its details. (The whole index
    /// replacing the first tier gives new hits for the same question a
    /// task before their second stage.)
    pub fn answer(&self, results: &SearchResults, filters: &Filters, own_locale: &str) -> bool {
        self.query == results.query && self.filters == *filters && results.hits.iter().all(|hit| self.of(own_locale, &hit.id).is_some())
    }

    pub fn of(&self, locale: &str, id: &str) -> Option<&HitDetails> {
        self.hits.get(&(locale.to_string(), id.to_string()))
    }
}

/// Every piece of state the components share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub manifest: RwSignal<Option<Arc<Manifest>>>,
    /// A problem that keeps the app from searching at all.
    pub fatal: RwSignal<Option<String>>,
    /// The agent's locale: whose index is loaded (or, at the start, loading).
    pub locale: RwSignal<Option<String>>,
    /// The locale being switched to, while its index loads: until then the
    /// agent keeps searching `locale`.
    pub locale_loading: RwSignal<Option<String>>,
    /// A problem that leaves search working (a locale that could not be
    /// loaded), shown until the next switch.
    pub notice: RwSignal<Option<String>>,
    /// The sha256 of the loaded `manifest.json`, as the service worker
    /// checks the copy it keeps.
    pub manifest_sha256: RwSignal<Option<String>>,
    pub index: RwSignal<Option<Arc<LocaleIndex>>>,
    /// `index` is the first tier (no bodies) while the whole index loads:
    /// results may still change.
    pub index_partial: RwSignal<bool>,
    /// The next locale of the fallback chain and its index, once loaded.
    pub fallback_index: RwSignal<Option<(String, Arc<LocaleIndex>)>>,
    pub query: RwSignal<String>,
    /// The call's context (a ticket, call notes) from the host or the URL
    /// fragment, capped; it never leaves the device ([`crate::host::call_context`]).
    pub context: RwSignal<Option<Arc<str>>>,
    /// Selected categories, products and tags.
    pub filters: RwSignal<Filters>,
    /// Position of the active choice.
    pub selected: RwSignal<usize>,
    /// The choice the agent moved the selection to, if they did.
    pub held: RwSignal<Option<HeldChoice>>,
    pub article: RwSignal<ArticlePane>,
    /// The locale the agent asked to read the open article in, if not theirs.
    pub article_locale: RwSignal<Option<String>>,
    /// The section of the open article the agent jumped to.
    pub section: RwSignal<Option<String>>,
    /// Results for `query` on `index`, recomputed on every keystroke: the
    /// first stage (ranked hits with titles and summaries, the total).
    pub results: Memo<Arc<SearchResults>>,
    /// The second stage of the results on screen (snippets, sections,
    /// facet counts), a task after the first.
    pub details: RwSignal<Arc<ResultDetails>>,
    /// What the list under the search box offers, in order.
    pub choices: Memo<Arc<Vec<Choice>>>,
    pub pinned: RwSignal<Shelf>,
    pub recent: RwSignal<Shelf>,
    pub help_open: RwSignal<bool>,
    /// The "Report a problem" dialog is open.
    pub report_open: RwSignal<bool>,
    /// The "What's new" view is open.
    pub whats_new_open: RwSignal<bool>,
    pub online: RwSignal<bool>,
    /// Build time of a newer published bundle, once one is seen.
    pub update: RwSignal<Option<String>>,
    /// Whether the service worker holds this version for offline use.
    pub saved_offline: RwSignal<OfflineCopy>,
    /// What the second stage works from, left by the first stage of the
    /// agent's locale and of the fallback locale.
    pub(crate) pending_own: StoredValue<Option<PendingDetails>>,
    pub(crate) pending_fallback: StoredValue<Option<(String, PendingDetails)>>,
    /// Indexes opened so far, by locale (the first tier until the whole
    /// index replaces it).
    pub(crate) indexes: StoredValue<HashMap<String, Arc<LocaleIndex>>>,
    /// Locales whose whole index is being loaded (their first tier is in use).
    pub(crate) whole_loading: StoredValue<std::collections::HashSet<String>>,
    /// Text files (snippets' source) fetched or being fetched, by path.
    pub(crate) text_files: StoredValue<HashMap<String, TextFileState>>,
    /// The ready text files, oldest first (the cache is bounded).
    pub(crate) text_order: StoredValue<std::collections::VecDeque<String>>,
    /// Counts text files that arrived (or failed): the second stage runs
    /// again for the results on screen.
    pub(crate) texts_arrived: RwSignal<u32>,
    /// Article files fetched (and verified) so far, by path.
    pub(crate) article_files: StoredValue<HashMap<String, Arc<ArticleFile>>>,
    /// Where old article ids went, by locale, once fetched.
    pub(crate) redirects: StoredValue<HashMap<String, Arc<Redirects>>>,
    /// Meaning-based matching for the agent's locale (driven by `meaning`).
    pub meaning_status: RwSignal<MeaningStatus>,
    /// The meaning-based pass of the last paused-on text, merged into the
    /// list while the text is unchanged.
    pub meaning_answer: RwSignal<Option<Arc<MeaningAnswer>>>,
    /// The meaning-based pass of the call's context, merged into the
    /// suggestions ([`meaning_pass::may_merge`]).
    pub context_answer: RwSignal<Option<Arc<ContextAnswer>>>,
}

impl AppState {
    pub fn new() -> AppState {
        let index: RwSignal<Option<Arc<LocaleIndex>>> = RwSignal::new(None);
        let fallback_index: RwSignal<Option<(String, Arc<LocaleIndex>)>> = RwSignal::new(None);
        let query = RwSignal::new(String::new());
        let filters = RwSignal::new(Filters::default());
        let locale: RwSignal<Option<String>> = RwSignal::new(None);
        let pinned = RwSignal::new(shelf::load_pinned());
        let recent = RwSignal::new(shelf::load_recent());
        let manifest: RwSignal<Option<Arc<Manifest>>> = RwSignal::new(None);
        let pending_own = StoredValue::new(None);
        let pending_fallback = StoredValue::new(None);
        let held: RwSignal<Option<HeldChoice>> = RwSignal::new(None);
        let meaning_answer: RwSignal<Option<Arc<MeaningAnswer>>> = RwSignal::new(None);
        let context_answer: RwSignal<Option<Arc<ContextAnswer>>> = RwSignal::new(None);
        let results = Memo::new(move |_| {
            let typed = query.get();
            let filters = filters.get();
            Arc::new(index.with(|index| match index {
                Some(index) => {
                    let (results, pending) = perf::measure("search", || index.first_stage(&typed, &filters, RESULT_LIMIT));
                    pending_own.set_value(Some(pending));
                    results
                }
                None => SearchResults { query: typed.clone(), ..SearchResults::default() },
            }))
        });
        let context: RwSignal<Option<Arc<str>>> = RwSignal::new(None);
        // Articles for the call's context, listed while nothing is typed:
        // the word ranking at once, fused with the context's meaning-based
        // pass once the worker answers. Compared by what the agent sees
        // (which articles, their titles and summaries): a growing
        // transcript that suggests the same articles renders nothing.
        let suggestions = Memo::new_with_compare(move |_| {
            let suggested = context.with(|context| {
                let (Some(context), Some(index), Some(manifest)) = (context, index.get(), manifest.get()) else { return Vec::new() };
                // The kb's own patterns out first (the indexer checked them);
                // the engine drops the rest.
                let scrubber = Scrubber::or_withholding(&manifest.scrub);
                let text = scrubber.scrub(context, &|word| index.knows_code(word));
                let words = perf::measure("suggest", || index.suggestions(&text, SUGGESTION_CANDIDATES));
                let own_locale = locale.get().unwrap_or_default();
                let answer = context_answer.with(|a| a.clone().filter(|a| meaning_pass::may_merge(a, context, &own_locale)));
                fused_suggestions(&index, words, answer.as_deref())
            });
            Arc::new(suggested)
        }, |before: Option<&Arc<Vec<(Hit, bool)>>>, after: Option<&Arc<Vec<(Hit, bool)>>>| {
            let shown = |hits: Option<&Arc<Vec<(Hit, bool)>>>| {
                hits.map(|hits| hits.iter().map(|(h, by_meaning)| (h.id.clone(), h.title.clone(), h.summary.clone(), *by_meaning)).collect::<Vec<_>>())
            };
            shown(before) != shown(after)
        });
        let choices = Memo::new(move |_| {
            let results = results.get();
            let own_locale = locale.get().unwrap_or_default();
            let merged = meaning_answer.with(|answer| {
                let answer = answer.as_deref().filter(|a| meaning_pass::answers(Some(a), &results.query, &own_locale))?;
                index.with(|index| index.as_ref().map(|index| filters.with(|filters| merged_hits(index, &results, filters, answer))))
            });
            let mut choices: Vec<Choice> = merged.unwrap_or_else(|| results.hits.clone()).into_iter().map(Choice::Hit).collect();
            pending_fallback.set_value(None);
            let nothing_asked = results.query.trim().is_empty() && filters.with(Filters::is_empty);
            if nothing_asked {
                suggestions.with(|hits| choices.extend(hits.iter().cloned().map(|(hit, by_meaning)| Choice::Suggested { hit, by_meaning })));
                let chain: Vec<String> = manifest.with(|m| match (m, locale.get()) {
                    (Some(m), Some(tag)) => m.lookup_chain(&tag).into_iter().map(String::from).collect(),
                    _ => Vec::new(),
                });
                let chain: Vec<&str> = chain.iter().map(String::as_str).collect();
                pinned.with(|p| choices.extend(p.in_locales(&chain).map(|e| Choice::Shelf { pinned: true, entry: e.clone() })));
                recent.with(|r| {
                    let fresh: Vec<Choice> = r
                        .in_locales(&chain)
                        .filter(|e| !choices.iter().any(|c| c.id() == e.id))
                        .map(|e| Choice::Shelf { pinned: false, entry: e.clone() })
                        .collect();
                    choices.extend(fresh);
                });
            } else if results.hits.len() < FALLBACK_BELOW && !results.query.trim().is_empty() {
                let own = index.get();
                fallback_index.with(|fallback| {
                    if let (Some((tag, fallback)), Some(own)) = (fallback, own) {
                        let (more, pending) = perf::measure("fallback", || fallback.first_stage(&results.query, &filters.get(), RESULT_LIMIT));
                        pending_fallback.set_value(Some((tag.clone(), pending)));
                        choices.extend(
                            more.hits
                                .into_iter()
                                .filter(|hit| !own.has_article(&hit.id))
                                .take(FALLBACK_LIMIT)
                                .map(|hit| Choice::Fallback { locale: tag.clone(), hit }),
                        );
                    }
                });
            }
            held.with(|held| {
                if let Some(held) = held.as_ref().filter(|h| h.query == results.query && filters.with(|f| *f == h.filters)) {
                    keep_in_place(&mut choices, held);
                }
            });
            Arc::new(choices)
        });
        AppState {
            manifest,
            fatal: RwSignal::new(None),
            locale,
            locale_loading: RwSignal::new(None),
            notice: RwSignal::new(None),
            manifest_sha256: RwSignal::new(None),
            index,
            index_partial: RwSignal::new(false),
            fallback_index,
            query,
            context,
            filters,
            selected: RwSignal::new(0),
            held,
            article: RwSignal::new(ArticlePane::Closed),
            article_locale: RwSignal::new(None),
            section: RwSignal::new(None),
            results,
            details: RwSignal::new(Arc::new(ResultDetails::default())),
            pending_own,
            pending_fallback,
            choices,
            pinned,
            recent,
            help_open: RwSignal::new(false),
            report_open: RwSignal::new(false),
            whats_new_open: RwSignal::new(false),
            online: RwSignal::new(web_sys::window().is_none_or(|w| w.navigator().on_line())),
            update: RwSignal::new(None),
            saved_offline: RwSignal::new(OfflineCopy::NotAsked),
            indexes: StoredValue::new(HashMap::new()),
            article_files: StoredValue::new(HashMap::new()),
            redirects: StoredValue::new(HashMap::new()),
            whole_loading: StoredValue::new(Default::default()),
            text_files: StoredValue::new(HashMap::new()),
            text_order: StoredValue::new(Default::default()),
            texts_arrived: RwSignal::new(0),
            meaning_status: RwSignal::new(MeaningStatus::Off),
            meaning_answer,
            context_answer,
        }
    }

    /// The interface texts for the agent's locale (tracked).
    pub fn texts(&self) -> &'static Texts {
        i18n::texts(self.locale.get().as_deref())
    }

    /// The interface texts for the agent's locale, outside a reactive view.
    pub fn texts_untracked(&self) -> &'static Texts {
        i18n::texts(self.locale.get_untracked().as_deref())
    }

    /// The display name of a locale (`Deutsch`), from the manifest.
    pub fn locale_name(&self, tag: &str) -> String {
        self.manifest
            .with_untracked(|m| m.as_ref().map(|m| m.display_name(tag).to_string()))
            .unwrap_or_else(|| tag.to_string())
    }
}

/// The lexical hits and the meaning-based pass merged by the fusion rule
/// ([`cuecard_engine::fusion::fuse`]); rows for articles only the pass
/// found come from the index (title and summary), unless the agent's
/// filters or excluded words rule them out.
fn merged_hits(index: &LocaleIndex, results: &SearchResults, filters: &Filters, answer: &MeaningAnswer) -> Vec<Hit> {
    let lexical: Vec<(String, f32)> = results.hits.iter().map(|h| (h.id.clone(), h.score)).collect();
    // Room for every match, so that one ruled out leaves its place to the next.
    let order = fuse(&lexical, results.partial, &answer.matches, RESULT_LIMIT + answer.matches.len());
    let missing: Vec<&str> = order.iter().filter(|id| !results.hits.iter().any(|h| &h.id == *id)).map(String::as_str).collect();
    let found = index.hits_by_id(&missing, &results.query, filters);
    order
        .iter()
        .filter_map(|id| results.hits.iter().chain(&found).find(|h| &h.id == id).cloned())
        .take(RESULT_LIMIT)
        .collect()
}

/// The suggestions for a context: its word ranking `words` (more than are
/// shown), fused with the meaning-based `answer` when there is one, at
/// most [`SUGGESTION_LIMIT`]; each with whether only meaning found it.
fn fused_suggestions(index: &LocaleIndex, words: Suggestions, answer: Option<&ContextAnswer>) -> Vec<(Hit, bool)> {
    let Suggestions { hits: words, partial } = words;
    let Some(answer) = answer.filter(|a| !a.matches.is_empty()) else {
        return words.into_iter().take(SUGGESTION_LIMIT).map(|hit| (hit, false)).collect();
    };
    let lexical: Vec<(String, f32)> = words.iter().map(|h| (h.id.clone(), h.score)).collect();
    let order = fuse_context(&lexical, partial, &answer.matches, SUGGESTION_LIMIT);
    let missing: Vec<&str> = order.iter().filter(|id| !words.iter().any(|h| &h.id == *id)).map(String::as_str).collect();
    let found = index.hits_by_id(&missing, "", &Filters::default());
    order
        .iter()
        .filter_map(|id| match words.iter().find(|h| &h.id == id) {
            Some(hit) => Some((hit.clone(), false)),
            None => found.iter().find(|h| &h.id == id).map(|hit| (hit.clone(), true)),
        })
        .collect()
}

/// Puts the agent's held choice back at its position, when a later stage
/// (the whole index replacing the first tier) moved or dropped it.
fn keep_in_place(choices: &mut Vec<Choice>, held: &HeldChoice) {
    if choices.get(held.position).is_some_and(|c| c.id() == held.choice.id()) {
        return;
    }
    let choice = match choices.iter().position(|c| c.id() == held.choice.id()) {
        Some(at) => choices.remove(at),
        None => {
            if choices.len() >= RESULT_LIMIT {
                choices.pop();
            }
            held.choice.clone()
        }
    };
    let at = held.position.min(choices.len());
    choices.insert(at, choice);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str) -> Choice {
        Choice::Hit(Hit {
            id: id.into(),
            title: Default::default(),
            summary: String::new(),
            snippet: Default::default(),
            section: None,
            score: 0.0,
        })
    }

    fn held(position: usize, id: &str) -> HeldChoice {
        HeldChoice { query: "q".into(), filters: Filters::default(), position, choice: hit(id) }
    }

    fn ids(choices: &[Choice]) -> Vec<&str> {
        choices.iter().map(Choice::id).collect()
    }

    #[test]
    fn details_answer_results_only_when_every_hit_has_its_details() {
        let hit_of = |id: &str| match hit(id) {
            Choice::Hit(hit) => hit,
            _ => unreachable!(),
        };
        let first_tier = SearchResults { query: "q".into(), hits: vec![hit_of("a")], ..SearchResults::default() };
        let mut details = ResultDetails { query: "q".into(), ..ResultDetails::default() };
        details.hits.insert(("en".into(), "a".into()), HitDetails::default());
        assert!(details.answer(&first_tier, &Filters::default(), "en"));
        let whole = SearchResults { query: "q".into(), hits: vec![hit_of("b"), hit_of("a")], ..SearchResults::default() };
        assert!(!details.answer(&whole, &Filters::default(), "en"), "a new hit for the same question has no details yet");
        let other_question = SearchResults { query: "r".into(), hits: vec![hit_of("a")], ..SearchResults::default() };
        assert!(!details.answer(&other_question, &Filters::default(), "en"));
        assert!(!details.answer(&first_tier, &Filters::default(), "de"), "another locale's details");
    }

    #[test]
    fn a_held_row_that_moved_goes_back_to_its_place() {
        let mut choices = vec![hit("a"), hit("c"), hit("b"), hit("d")];
        keep_in_place(&mut choices, &held(2, "c"));
        assert_eq!(ids(&choices), ["a", "b", "c", "d"]);
    }

    #[test]
    fn a_held_row_that_dropped_out_comes_back_in_its_place() {
        let mut choices: Vec<Choice> = (0..RESULT_LIMIT).map(|n| hit(&format!("n{n}"))).collect();
        keep_in_place(&mut choices, &held(1, "gone"));
        assert_eq!(choices.len(), RESULT_LIMIT);
        assert_eq!(ids(&choices)[..3], ["n0", "gone", "n1"]);
    }

    #[test]
    fn a_held_row_in_place_changes_nothing() {
        let mut choices = vec![hit("a"), hit("b")];
        keep_in_place(&mut choices, &held(1, "b"));
        assert_eq!(ids(&choices), ["a", "b"]);
        let mut short = vec![hit("a")];
        keep_in_place(&mut short, &held(3, "z"));
        assert_eq!(ids(&short), ["a", "z"], "past the end: last");
    }
}
