//! The app's state (signals) and the actions that load into it: the
//! manifest, a locale's index (and its fallback's), an article found
//! through the kb's fallback chain. One `AppState` is provided as context
//! to every component.

use std::collections::HashMap;
use std::sync::Arc;

use cuecard_engine::facets::{FacetKind, Filters};
use cuecard_engine::manifest::{MANIFEST_FILE, Manifest};
use cuecard_engine::model::{ArticleFile, RenderedArticle};
use cuecard_engine::{Hit, LocaleIndex, SearchResults};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::fetch::{fetch_bytes, fetch_text};
use crate::i18n::{self, Texts};
use crate::shelf::{self, PINNED_LIMIT, RECENT_LIMIT, Shelf, ShelfEntry};
use crate::url_state::UrlState;
use crate::{embed, offline};

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
    /// With nothing typed: a pinned or recently viewed article.
    Shelf { pinned: bool, entry: ShelfEntry },
}

impl Choice {
    pub fn id(&self) -> &str {
        match self {
            Choice::Hit(hit) | Choice::Fallback { hit, .. } => &hit.id,
            Choice::Shelf { entry, .. } => &entry.id,
        }
    }
}

/// Every piece of state the components share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub manifest: RwSignal<Option<Arc<Manifest>>>,
    /// A problem that keeps the app from searching at all.
    pub fatal: RwSignal<Option<String>>,
    /// The agent's locale: whose index is loaded (or loading).
    pub locale: RwSignal<Option<String>>,
    pub index: RwSignal<Option<Arc<LocaleIndex>>>,
    /// The next locale of the fallback chain and its index, once loaded.
    pub fallback_index: RwSignal<Option<(String, Arc<LocaleIndex>)>>,
    pub query: RwSignal<String>,
    /// Selected categories, products and tags.
    pub filters: RwSignal<Filters>,
    /// Position of the active choice.
    pub selected: RwSignal<usize>,
    pub article: RwSignal<ArticlePane>,
    /// The locale the agent asked to read the open article in, if not theirs.
    pub article_locale: RwSignal<Option<String>>,
    /// The section of the open article the agent jumped to.
    pub section: RwSignal<Option<String>>,
    /// Results for `query` on `index`, recomputed on every keystroke.
    pub results: Memo<Arc<SearchResults>>,
    /// What the list under the search box offers, in order.
    pub choices: Memo<Arc<Vec<Choice>>>,
    pub pinned: RwSignal<Shelf>,
    pub recent: RwSignal<Shelf>,
    pub help_open: RwSignal<bool>,
    pub online: RwSignal<bool>,
    /// Build time of a newer published bundle, once one is seen.
    pub update: RwSignal<Option<String>>,
    /// True once the service worker holds this locale for offline use.
    pub saved_offline: RwSignal<bool>,
    indexes: StoredValue<HashMap<String, Arc<LocaleIndex>>>,
    article_files: StoredValue<HashMap<String, Arc<ArticleFile>>>,
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
        let results = Memo::new(move |_| {
            let typed = query.get();
            let filters = filters.get();
            Arc::new(index.with(|index| match index {
                Some(index) => index.search_with(&typed, &filters, RESULT_LIMIT),
                None => SearchResults { query: typed.clone(), ..SearchResults::default() },
            }))
        });
        let choices = Memo::new(move |_| {
            let results = results.get();
            let mut choices: Vec<Choice> = results.hits.iter().cloned().map(Choice::Hit).collect();
            let nothing_asked = results.query.trim().is_empty() && filters.with(Filters::is_empty);
            if nothing_asked {
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
                        let more = fallback.search_with(&results.query, &filters.get(), RESULT_LIMIT);
                        choices.extend(
                            more.hits
                                .into_iter()
                                .filter(|hit| own.ord_of(&hit.id).is_none())
                                .take(FALLBACK_LIMIT)
                                .map(|hit| Choice::Fallback { locale: tag.clone(), hit }),
                        );
                    }
                });
            }
            Arc::new(choices)
        });
        AppState {
            manifest,
            fatal: RwSignal::new(None),
            locale,
            index,
            fallback_index,
            query,
            filters,
            selected: RwSignal::new(0),
            article: RwSignal::new(ArticlePane::Closed),
            article_locale: RwSignal::new(None),
            section: RwSignal::new(None),
            results,
            choices,
            pinned,
            recent,
            help_open: RwSignal::new(false),
            online: RwSignal::new(offline::is_online()),
            update: RwSignal::new(None),
            saved_offline: RwSignal::new(false),
            indexes: StoredValue::new(HashMap::new()),
            article_files: StoredValue::new(HashMap::new()),
        }
    }

    /// The interface texts for the agent's locale (tracked).
    pub fn texts(&self) -> &'static Texts {
        i18n::texts(self.locale.get().as_deref())
    }

    /// The display name of a locale (`Deutsch`), from the manifest.
    pub fn locale_name(&self, tag: &str) -> String {
        self.manifest
            .with_untracked(|m| m.as_ref().map(|m| m.display_name(tag).to_string()))
            .unwrap_or_else(|| tag.to_string())
    }

    /// The state as a URL, for the address bar.
    pub fn url_state(&self) -> UrlState {
        let article = match self.article.get_untracked() {
            ArticlePane::Closed => None,
            ArticlePane::Loading(id) | ArticlePane::Failed { id, .. } => Some(id),
            ArticlePane::Shown(shown) => Some(shown.article.id.clone()),
        };
        UrlState {
            query: self.query.get_untracked(),
            locale: self.locale.get_untracked(),
            article_locale: article.as_ref().and(self.article_locale.get_untracked()),
            article,
            section: self.section.get_untracked(),
            filters: self.filters.with_untracked(|f| f.selected.iter().map(|(k, v)| (k.name().to_string(), v.clone())).collect()),
            embed_origin: embed::origin(),
        }
    }

    /// Loads the manifest, then the locale the URL, the agent's last choice
    /// or the browser asks for.
    pub fn start(self) {
        let from_url = UrlState::current();
        self.query.set(from_url.query.clone());
        self.filters.set(filters_from(&from_url.filters));
        spawn_local(async move {
            let url = format!("{BUNDLE_DIR}/{MANIFEST_FILE}");
            let manifest = match fetch_text(&url, true).await.and_then(|text| Manifest::from_json(&text).map_err(|e| e.to_string())) {
                Ok(manifest) => Arc::new(manifest),
                Err(message) => {
                    self.fatal.set(Some(format!("The knowledge base could not be loaded: {message}.")));
                    return;
                }
            };
            let mut preferred: Vec<String> = from_url.locale.into_iter().collect();
            preferred.extend(shelf::remembered_locale());
            preferred.extend(browser_languages());
            let locale = manifest.choose_locale(&preferred).to_string();
            self.manifest.set(Some(manifest));
            self.section.set(from_url.section);
            self.article_locale.set(from_url.article_locale);
            offline::watch_for_updates(self);
            self.switch_locale(locale, from_url.article).await;
            embed::announce_ready(&self);
        });
    }

    /// The index of `tag`, downloaded and opened once per page.
    async fn index_of(self, tag: &str) -> Result<Arc<LocaleIndex>, String> {
        if let Some(index) = self.indexes.with_value(|i| i.get(tag).cloned()) {
            return Ok(index);
        }
        let manifest = self.manifest.get_untracked().ok_or("the knowledge base is still loading")?;
        let bundle = manifest.locale(tag).ok_or_else(|| format!("the knowledge base has no locale {tag}"))?;
        let url = format!("{BUNDLE_DIR}/{}", bundle.index.path);
        let bytes = fetch_bytes(&url, false).await?;
        let index = Arc::new(LocaleIndex::open_verified(bytes, &bundle.index).map_err(|e| e.to_string())?);
        self.indexes.update_value(|i| {
            i.insert(tag.to_string(), index.clone());
        });
        Ok(index)
    }

    /// Makes `tag` the agent's locale: loads its index (then opens
    /// `article`, if given) and, in the background, its fallback's.
    pub async fn switch_locale(self, tag: String, article: Option<String>) {
        let Some(manifest) = self.manifest.get_untracked() else { return };
        if manifest.locale(&tag).is_none() {
            self.fatal.set(Some(format!("The knowledge base has no locale {tag}.")));
            return;
        }
        self.locale.set(Some(tag.clone()));
        set_document_language(&tag);
        // Never show one locale's results under another's name.
        self.index.set(None);
        self.fallback_index.set(None);
        match self.index_of(&tag).await {
            Ok(index) => {
                self.fatal.set(None);
                self.index.set(Some(index));
            }
            Err(message) => {
                self.fatal.set(Some(format!("The search index for {tag} could not be loaded: {message}.")));
                return;
            }
        }
        match article {
            Some(id) => self.open_article(id, false),
            None => self.url_state().apply(false),
        }
        embed::announce_locale(&tag);
        let chain: Vec<String> = manifest.lookup_chain(&tag).into_iter().map(String::from).collect();
        offline::keep_for_offline(self, &manifest, &chain);
        if let Some(next) = chain.get(1).cloned() {
            // Not fatal: without it, only the agent's locale is searched.
            if let Ok(index) = self.index_of(&next).await {
                if self.locale.get_untracked().as_deref() == Some(tag.as_str()) {
                    self.fallback_index.set(Some((next, index)));
                }
            }
        }
    }

    /// Opens the article `id`: in `self.article_locale` if the agent chose
    /// one, else the first locale of the fallback chain that has it (at the
    /// section in `self.section`, if any). `new_entry` adds a browser history
    /// entry (so Back returns to the results).
    pub fn open_article(self, id: String, new_entry: bool) {
        self.article.set(ArticlePane::Loading(id.clone()));
        self.url_state().apply(new_entry);
        spawn_local(async move {
            let pane = match self.find_article(&id).await {
                Ok(shown) => {
                    self.remember_viewed(&shown);
                    embed::announce_opened(&shown);
                    ArticlePane::Shown(Arc::new(shown))
                }
                Err(message) => ArticlePane::Failed { id: id.clone(), message },
            };
            // The agent may have moved on while this loaded.
            if self.url_state().article.as_deref() == Some(id.as_str()) {
                self.article.set(pane);
            }
        });
    }

    /// Opens `id` as the agent's locale (or its fallback) has it.
    pub fn open_in_own_locale(self, id: String, new_entry: bool) {
        self.article_locale.set(None);
        self.section.set(None);
        self.open_article(id, new_entry);
    }

    /// Opens `id` in `locale` (another locale's version, or a source).
    pub fn open_in_locale(self, id: String, locale: String) {
        let own = self.locale.get_untracked().as_deref() == Some(locale.as_str());
        self.article_locale.set((!own).then_some(locale));
        self.section.set(None);
        self.open_article(id, true);
    }

    /// Opens the choice the agent picked from the list.
    pub fn open_choice(self, choice: &Choice) {
        match choice {
            Choice::Hit(hit) | Choice::Fallback { hit, .. } => {
                self.article_locale.set(None);
                self.section.set(hit.section.as_ref().map(|s| s.anchor.clone()));
                self.open_article(hit.id.clone(), true);
            }
            Choice::Shelf { entry, .. } => self.open_in_own_locale(entry.id.clone(), true),
        }
    }

    /// Back to the results, query and selection as they were.
    pub fn close_article(self) {
        self.article.set(ArticlePane::Closed);
        self.section.set(None);
        self.article_locale.set(None);
        self.url_state().apply(false);
    }

    /// Pins the open article, or unpins it.
    pub fn toggle_pin(self) {
        let ArticlePane::Shown(shown) = self.article.get_untracked() else { return };
        let entry = shelf_entry(&shown);
        self.pinned.update(|p| {
            p.toggle(entry, PINNED_LIMIT);
            shelf::save_pinned(p);
        });
    }

    fn remember_viewed(self, shown: &ShownArticle) {
        let entry = shelf_entry(shown);
        self.recent.update(|r| {
            r.push_front(entry, RECENT_LIMIT);
            shelf::save_recent(r);
        });
    }

    async fn find_article(self, id: &str) -> Result<ShownArticle, String> {
        let (Some(manifest), Some(own)) = (self.manifest.get_untracked(), self.locale.get_untracked()) else {
            return Err("the knowledge base is still loading".into());
        };
        let chosen = self.article_locale.get_untracked();
        let candidates: Vec<String> = match &chosen {
            Some(tag) => vec![tag.clone()],
            None => manifest.lookup_chain(&own).into_iter().map(String::from).collect(),
        };
        for tag in &candidates {
            let index = self.index_of(tag).await?;
            let Some(ord) = index.ord_of(id) else { continue };
            let article = self.load_article(&manifest, tag, ord, id).await?;
            let because = match (tag == &own, chosen.is_some()) {
                (true, _) => ShownBecause::Own,
                (false, true) => ShownBecause::Chosen,
                (false, false) => ShownBecause::Fallback,
            };
            return Ok(ShownArticle { article, locale: tag.clone(), because });
        }
        Err(format!("there is no article “{id}” in {}", candidates.join(", ")))
    }

    async fn load_article(self, manifest: &Manifest, tag: &str, ord: u64, id: &str) -> Result<RenderedArticle, String> {
        let not_found = || format!("there is no article “{id}” in {tag}");
        let bundle = manifest.locale(tag).ok_or_else(not_found)?;
        let (file, position) = bundle.article_file_of(ord).ok_or_else(not_found)?;
        let cached = self.article_files.with_value(|files| files.get(&file.path).cloned());
        let articles = match cached {
            Some(articles) => articles,
            None => {
                let url = format!("{BUNDLE_DIR}/{}", file.path);
                let bytes = fetch_bytes(&url, false).await?;
                let parsed: ArticleFile =
                    serde_json::from_slice(&bytes).map_err(|e| format!("{url} is damaged ({e})"))?;
                let parsed = Arc::new(parsed);
                self.article_files.update_value(|files| {
                    files.insert(file.path.clone(), parsed.clone());
                });
                parsed
            }
        };
        articles.articles.get(position).filter(|a| a.id == id).cloned().ok_or_else(not_found)
    }
}

fn shelf_entry(shown: &ShownArticle) -> ShelfEntry {
    ShelfEntry { locale: shown.locale.clone(), id: shown.article.id.clone(), title: shown.article.title.clone() }
}

/// Filters from URL pairs, ignoring unknown dimensions.
pub fn filters_from(pairs: &[(String, String)]) -> Filters {
    let mut filters = Filters::default();
    for (kind, value) in pairs {
        if let Some(kind) = FacetKind::from_name(kind) {
            filters = filters.with(kind, value.clone());
        }
    }
    filters
}

/// `<html lang>` follows the agent's locale: screen readers pronounce the
/// interface right, and the browser picks fonts for the script.
fn set_document_language(tag: &str) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", tag);
    }
}

/// The browser's preferred languages, most preferred first.
fn browser_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let mut languages: Vec<String> = navigator.languages().iter().filter_map(|l| l.as_string()).collect();
    if languages.is_empty() {
        languages.extend(navigator.language());
    }
    languages
}
