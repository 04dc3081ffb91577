//! The app's state (signals) and the actions that load into it: the
//! manifest, a locale's index, an article. One `AppState` is provided as
//! context to every component.

use std::collections::HashMap;
use std::sync::Arc;

use cuecard_engine::facets::{FacetKind, Filters};
use cuecard_engine::manifest::{MANIFEST_FILE, Manifest};
use cuecard_engine::model::{ArticleFile, RenderedArticle};
use cuecard_engine::{LocaleIndex, SearchResults};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::fetch::{fetch_bytes, fetch_text};
use crate::url_state::UrlState;

/// Where the bundle lives, relative to the page.
pub const BUNDLE_DIR: &str = "bundle";
/// How many results a query shows.
pub const RESULT_LIMIT: usize = 20;

/// The article pane: nothing open, loading, shown, or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ArticlePane {
    Closed,
    Loading(String),
    Shown(Arc<RenderedArticle>),
    Failed { id: String, message: String },
}

/// Every piece of state the components share.
#[derive(Clone, Copy)]
pub struct AppState {
    pub manifest: RwSignal<Option<Arc<Manifest>>>,
    /// A problem that keeps the app from searching at all.
    pub fatal: RwSignal<Option<String>>,
    /// The locale whose index is loaded (or loading).
    pub locale: RwSignal<Option<String>>,
    pub index: RwSignal<Option<Arc<LocaleIndex>>>,
    pub query: RwSignal<String>,
    /// Selected categories, products and tags.
    pub filters: RwSignal<Filters>,
    /// Position of the active result.
    pub selected: RwSignal<usize>,
    pub article: RwSignal<ArticlePane>,
    /// The section of the open article the agent jumped to.
    pub section: RwSignal<Option<String>>,
    /// Results for `query` on `index`, recomputed on every keystroke.
    pub results: Memo<Arc<SearchResults>>,
    article_files: StoredValue<HashMap<String, Arc<ArticleFile>>>,
}

impl AppState {
    pub fn new() -> AppState {
        let index: RwSignal<Option<Arc<LocaleIndex>>> = RwSignal::new(None);
        let query = RwSignal::new(String::new());
        let filters = RwSignal::new(Filters::default());
        let results = Memo::new(move |_| {
            let typed = query.get();
            let filters = filters.get();
            Arc::new(index.with(|index| match index {
                Some(index) => index.search_with(&typed, &filters, RESULT_LIMIT),
                None => SearchResults { query: typed.clone(), ..SearchResults::default() },
            }))
        });
        AppState {
            manifest: RwSignal::new(None),
            fatal: RwSignal::new(None),
            locale: RwSignal::new(None),
            index,
            query,
            filters,
            selected: RwSignal::new(0),
            article: RwSignal::new(ArticlePane::Closed),
            section: RwSignal::new(None),
            results,
            article_files: StoredValue::new(HashMap::new()),
        }
    }

    /// The state as a URL, for the address bar.
    pub fn url_state(&self) -> UrlState {
        UrlState {
            query: self.query.get_untracked(),
            locale: self.locale.get_untracked(),
            article: match self.article.get_untracked() {
                ArticlePane::Closed => None,
                ArticlePane::Loading(id) | ArticlePane::Failed { id, .. } => Some(id),
                ArticlePane::Shown(article) => Some(article.id.clone()),
            },
            section: self.section.get_untracked(),
            filters: self.filters.with_untracked(|f| f.selected.iter().map(|(k, v)| (k.name().to_string(), v.clone())).collect()),
        }
    }

    /// Loads the manifest, then the locale the URL or the browser asks for.
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
            preferred.extend(browser_languages());
            let locale = manifest.choose_locale(&preferred).to_string();
            self.manifest.set(Some(manifest));
            self.section.set(from_url.section);
            self.switch_locale(locale, from_url.article).await;
        });
    }

    /// Loads `tag`'s index (then opens `article`, if given).
    pub async fn switch_locale(self, tag: String, article: Option<String>) {
        let Some(manifest) = self.manifest.get_untracked() else { return };
        let Some(bundle) = manifest.locale(&tag).cloned() else {
            self.fatal.set(Some(format!("The knowledge base has no locale {tag}.")));
            return;
        };
        self.locale.set(Some(tag.clone()));
        // Never show one locale's results under another's name.
        self.index.set(None);
        let url = format!("{BUNDLE_DIR}/{}", bundle.index.path);
        let opened = fetch_bytes(&url, false)
            .await
            .and_then(|bytes| LocaleIndex::open_verified(bytes, &bundle.index).map_err(|e| e.to_string()));
        match opened {
            Ok(index) => {
                self.fatal.set(None);
                self.index.set(Some(Arc::new(index)));
            }
            Err(message) => {
                self.index.set(None);
                self.fatal.set(Some(format!("The search index for {tag} could not be loaded: {message}.")));
                return;
            }
        }
        match article {
            Some(id) => self.open_article(id, false),
            None => self.url_state().apply(false),
        }
    }

    /// Opens the article `id` of the current locale (at the section in
    /// `self.section`, if any). `new_entry` adds a browser history entry (so
    /// Back returns to the results).
    pub fn open_article(self, id: String, new_entry: bool) {
        self.article.set(ArticlePane::Loading(id.clone()));
        self.url_state().apply(new_entry);
        spawn_local(async move {
            let pane = match self.load_article(&id).await {
                Ok(article) => ArticlePane::Shown(article),
                Err(message) => ArticlePane::Failed { id: id.clone(), message },
            };
            // The agent may have moved on while this loaded.
            if self.url_state().article.as_deref() == Some(id.as_str()) {
                self.article.set(pane);
            }
        });
    }

    /// Opens a search hit, at the section its best passage is in.
    pub fn open_hit(self, hit: &cuecard_engine::Hit) {
        self.section.set(hit.section.as_ref().map(|s| s.anchor.clone()));
        self.open_article(hit.id.clone(), true);
    }

    /// Back to the results, query and selection as they were.
    pub fn close_article(self) {
        self.article.set(ArticlePane::Closed);
        self.section.set(None);
        self.url_state().apply(false);
    }

    async fn load_article(self, id: &str) -> Result<Arc<RenderedArticle>, String> {
        let (Some(manifest), Some(tag), Some(index)) =
            (self.manifest.get_untracked(), self.locale.get_untracked(), self.index.get_untracked())
        else {
            return Err("the knowledge base is still loading".into());
        };
        let not_found = || format!("there is no article “{id}” in {tag}");
        let ord = index.ord_of(id).ok_or_else(not_found)?;
        let bundle = manifest.locale(&tag).ok_or_else(not_found)?;
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
        let article = articles.articles.get(position).filter(|a| a.id == id).ok_or_else(not_found)?;
        Ok(Arc::new(article.clone()))
    }
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
