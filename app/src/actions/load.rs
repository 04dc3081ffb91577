//! Loading the kb: the manifest, then the agent's locale (its first tier,
//! titles, at once; its head, then its whole index, in the background, each
//! replacing the tier before wherever it is in use) and its fallback; switching locale (the old index
//! stays until the new one is loaded). Every bundle file is checked against
//! the manifest's hash before use; one that is missing or wrong never stops
//! search: the agent keeps what is loaded, and the app looks for the newer
//! bundle that explains it (offering "Switch now").

use std::sync::Arc;

use cuecard_engine::facets::{FacetKind, Filters};
use cuecard_engine::hash::content_hash;
use cuecard_engine::manifest::{MANIFEST_FILE, Manifest, TierFiles};
use cuecard_engine::LocaleIndex;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::host::embed;
use crate::i18n::fill;
use crate::loading::error::LoadError;
use crate::loading::fetch::{fetch_part, fetch_text};
use crate::loading::offline;
use crate::perf;
use crate::state::{AppState, ArticlePane, BUNDLE_DIR};
use crate::state::{kept_query, shelf};
use crate::state::url::UrlState;

impl AppState {
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
        // A link's `?q=` wins; else the query this tab had before a reload.
        // Either way it leaves the address now, and is kept for the tab.
        let query = Some(from_url.query.clone()).filter(|q| !q.is_empty()).or_else(kept_query::recall).unwrap_or_default();
        UrlState::drop_query_from_address();
        self.query.set(query);
        Effect::new(move |_| kept_query::keep(&self.query.get()));
        self.filters.set(filters_from(&from_url.filters));
        spawn_local(async move {
            let url = format!("{BUNDLE_DIR}/{MANIFEST_FILE}");
            let loaded = fetch_text(&url, true)
                .await
                .and_then(|text| Manifest::from_json(&text).map(|m| (m, content_hash(text.as_bytes()))).map_err(LoadError::from));
            let manifest = match loaded {
                Ok((manifest, sha256)) => {
                    self.manifest_sha256.set(Some(sha256));
                    Arc::new(manifest)
                }
                Err(message) => {
                    self.fatal.set(Some(format!("The knowledge base could not be loaded: {message}.")));
                    return;
                }
            };
            embed::configure(&manifest);
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

    /// The index of `tag`, downloaded and opened once per page: the first
    /// tier (titles, other names, codes) at once; in the background the
    /// head (summaries and headings too), then the whole index, each of
    /// which takes the tier before's place wherever it is in use.
    pub(super) async fn index_of(self, tag: &str) -> Result<Arc<LocaleIndex>, LoadError> {
        if let Some(index) = self.indexes.with_value(|i| i.get(tag).cloned()) {
            return Ok(index);
        }
        let manifest = self.manifest.get_untracked().ok_or(LoadError::StillLoading)?;
        let bundle = manifest.locale(tag).ok_or_else(|| LoadError::NoLocale(tag.to_string()))?;
        let titles = Arc::new(perf::measure_async("titles-tier", self.open_index(&bundle.titles)).await?);
        self.indexes.update_value(|i| {
            i.insert(tag.to_string(), titles.clone());
        });
        self.whole_loading.update_value(|loading| {
            loading.insert(tag.to_string());
        });
        spawn_local(self.load_later_tiers(tag.to_string(), bundle.head.clone(), bundle.index.clone(), titles.clone()));
        Ok(titles)
    }

    /// Downloads, checks and opens one index tier (its base and delta).
    pub(super) async fn open_index(self, tier: &TierFiles) -> Result<LocaleIndex, LoadError> {
        let mut parts = Vec::new();
        for file in tier.parts() {
            parts.push(fetch_part(file).await.inspect_err(|_| self.bundle_file_failed())?);
        }
        LocaleIndex::from_parts(parts).map_err(LoadError::from).inspect_err(|_| self.bundle_file_failed())
    }

    /// Loads the head, then the whole index, of `tag`, each after the one
    /// before (never sharing the line with it), and puts each where the
    /// tier before is in use. A tier that cannot be loaded is skipped: the
    /// one before stays, and the agent is told what is searched.
    pub(super) async fn load_later_tiers(self, tag: String, head: TierFiles, whole: TierFiles, titles: Arc<LocaleIndex>) {
        // The bucket lists first (small beside a tier; snippets and opened
        // articles need them): a failure is the second stage's and the
        // article pane's to show, not the tiers'.
        let _ = perf::measure_async("bucket-lists", self.buckets_of(&tag)).await;
        let mut current = titles;
        let head_loaded = match perf::measure_async("head-tier", self.open_index(&head)).await {
            Ok(head) => {
                current = self.replace_tier(&tag, &current, Arc::new(head));
                true
            }
            Err(message) => {
                leptos::logging::warn!("the head of {tag} did not load: {message}");
                false
            }
        };
        match perf::measure_async("whole-index", self.open_index(&whole)).await {
            Ok(whole) => {
                self.replace_tier(&tag, &current, Arc::new(whole));
            }
            Err(message) => {
                let texts = self.texts_untracked();
                let (text, searched) = match head_loaded {
                    true => (texts.whole_index_failed, "titles, summaries and headings"),
                    false => (texts.later_tiers_failed, "titles, other names and codes"),
                };
                leptos::logging::warn!("searching the {searched} of {tag} only: {message}");
                if self.locale.get_untracked().as_deref() == Some(tag.as_str()) {
                    self.notice.set(Some(fill(text, &[("locale", &self.locale_name(&tag))])));
                }
            }
        }
        self.whole_loading.update_value(|loading| {
            loading.remove(&tag);
        });
        self.refresh_partial();
    }

    /// Puts `next` where `previous` (a tier of `tag`) is in use: the
    /// locale's index, the agent's and the fallback's. Returns `next`.
    fn replace_tier(self, tag: &str, previous: &Arc<LocaleIndex>, next: Arc<LocaleIndex>) -> Arc<LocaleIndex> {
        let is_previous = |index: &Arc<LocaleIndex>| Arc::ptr_eq(index, previous);
        self.indexes.update_value(|i| {
            i.insert(tag.to_string(), next.clone());
        });
        if self.index.with_untracked(|i| i.as_ref().is_some_and(is_previous)) {
            self.index.set(Some(next.clone()));
        }
        if self.fallback_index.with_untracked(|f| f.as_ref().is_some_and(|(_, i)| is_previous(i))) {
            self.fallback_index.set(Some((tag.to_string(), next.clone())));
        }
        next
    }

    /// `index_partial` follows whether the agent's locale is still waiting
    /// for its whole index.
    pub(super) fn refresh_partial(self) {
        let partial = self.locale.with_untracked(|l| l.as_ref().is_some_and(|l| self.whole_loading.with_value(|w| w.contains(l))));
        if self.index_partial.get_untracked() != partial {
            self.index_partial.set(partial);
        }
    }

    /// Makes `tag` the agent's locale: loads its index (then opens
    /// `article`, if given) and, in the background, its fallback's. Until
    /// the new index is loaded the agent keeps searching the old one; if it
    /// cannot be loaded, they keep it and are told.
    pub async fn switch_locale(self, tag: String, article: Option<String>) {
        let Some(manifest) = self.manifest.get_untracked() else { return };
        if manifest.locale(&tag).is_none() {
            self.fatal.set(Some(format!("The knowledge base has no locale {tag}.")));
            return;
        }
        let first = self.index.with_untracked(Option::is_none);
        if first {
            self.locale.set(Some(tag.clone()));
            set_document_language(&tag);
        }
        self.locale_loading.set(Some(tag.clone()));
        self.notice.set(None);
        let loaded = self.index_of(&tag).await;
        if self.locale_loading.get_untracked().as_deref() != Some(tag.as_str()) {
            // The agent chose another locale meanwhile.
            return;
        }
        self.locale_loading.set(None);
        match loaded {
            Ok(index) => {
                self.fatal.set(None);
                self.locale.set(Some(tag.clone()));
                set_document_language(&tag);
                // Never show one locale's results under another's name.
                self.fallback_index.set(None);
                self.index.set(Some(index));
                self.refresh_partial();
            }
            Err(message) if first => {
                self.fatal.set(Some(format!("The search index for {tag} could not be loaded: {message}.")));
                return;
            }
            Err(message) => {
                let current = self.locale.get_untracked().unwrap_or_default();
                let text = fill(self.texts_untracked().locale_failed, &[("locale", &self.locale_name(&tag)), ("current", &self.locale_name(&current))]);
                leptos::logging::warn!("{text} ({message})");
                self.notice.set(Some(text));
                if let Some(id) = article {
                    self.open_article(id, false);
                }
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

    /// A file the manifest names could not be fetched, or was not what the
    /// manifest says: most likely a newer bundle replaced it. Look now,
    /// not at the next periodic check.
    pub(crate) fn bundle_file_failed(self) {
        spawn_local(offline::check_for_update(self));
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
