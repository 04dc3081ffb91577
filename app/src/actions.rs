//! What changes the app's state: loading the kb (manifest, then the
//! agent's locale and its fallback), switching locale, opening and closing
//! articles, pinning. Every bundle file is checked against the manifest's
//! hash before use; one that is missing or wrong never stops search: the
//! agent keeps what is loaded, and the app looks for the newer bundle that
//! explains it (offering "Switch now").

use std::sync::Arc;

use cuecard_engine::changes::{Change, ChangeFeed};
use cuecard_engine::facets::{FacetKind, Filters};
use cuecard_engine::hash::content_hash;
use cuecard_engine::manifest::{MANIFEST_FILE, Manifest, TierFiles};
use cuecard_engine::model::{ArticleFile, RenderedArticle};
use cuecard_engine::redirects::Redirects;
use cuecard_engine::LocaleIndex;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::fetch::{fetch_part, fetch_text};
use crate::i18n::fill;
use crate::perf;
use crate::shelf::{self, PINNED_LIMIT, RECENT_LIMIT, ShelfEntry};
use crate::state::{AppState, ArticlePane, Choice, HeldChoice, ShownArticle, ShownBecause, BUNDLE_DIR};
use crate::url_state::UrlState;
use crate::{embed, offline, seen_changes, signals};

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
        self.query.set(from_url.query.clone());
        self.filters.set(filters_from(&from_url.filters));
        spawn_local(async move {
            let url = format!("{BUNDLE_DIR}/{MANIFEST_FILE}");
            let loaded = fetch_text(&url, true)
                .await
                .and_then(|text| Manifest::from_json(&text).map(|m| (m, content_hash(text.as_bytes()))).map_err(|e| e.to_string()));
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
    /// tier (no bodies) at once, the whole index in the background, which
    /// then takes the first tier's place wherever it is in use.
    async fn index_of(self, tag: &str) -> Result<Arc<LocaleIndex>, String> {
        if let Some(index) = self.indexes.with_value(|i| i.get(tag).cloned()) {
            return Ok(index);
        }
        let manifest = self.manifest.get_untracked().ok_or("the knowledge base is still loading")?;
        let bundle = manifest.locale(tag).ok_or_else(|| format!("the knowledge base has no locale {tag}"))?;
        let head = Arc::new(perf::measure_async("head-tier", self.open_index(&bundle.head)).await?);
        self.indexes.update_value(|i| {
            i.insert(tag.to_string(), head.clone());
        });
        self.whole_loading.update_value(|loading| {
            loading.insert(tag.to_string());
        });
        spawn_local(self.load_whole_index(tag.to_string(), bundle.index.clone(), head.clone()));
        Ok(head)
    }

    /// Downloads, checks and opens one index tier (its base and delta).
    async fn open_index(self, tier: &TierFiles) -> Result<LocaleIndex, String> {
        let mut parts = Vec::new();
        for file in tier.parts() {
            parts.push(fetch_part(file).await.inspect_err(|_| self.bundle_file_failed())?);
        }
        LocaleIndex::from_parts(parts).map_err(|e| e.to_string()).inspect_err(|_| self.bundle_file_failed())
    }

    /// Loads the whole index of `tag` and puts it where its first tier
    /// `head` is in use. If it cannot be loaded, the first tier stays:
    /// titles, summaries and headings still answer.
    async fn load_whole_index(self, tag: String, file: TierFiles, head: Arc<LocaleIndex>) {
        match perf::measure_async("whole-index", self.open_index(&file)).await {
            Ok(whole) => {
                let whole = Arc::new(whole);
                let is_head = |index: &Arc<LocaleIndex>| Arc::ptr_eq(index, &head);
                self.indexes.update_value(|i| {
                    i.insert(tag.clone(), whole.clone());
                });
                if self.index.with_untracked(|i| i.as_ref().is_some_and(is_head)) {
                    self.index.set(Some(whole.clone()));
                }
                if self.fallback_index.with_untracked(|f| f.as_ref().is_some_and(|(_, i)| is_head(i))) {
                    self.fallback_index.set(Some((tag.clone(), whole)));
                }
            }
            Err(message) => {
                leptos::logging::warn!("searching titles, summaries and headings of {tag} only: {message}");
                if self.locale.get_untracked().as_deref() == Some(tag.as_str()) {
                    self.notice.set(Some(fill(self.texts_untracked().whole_index_failed, &[("locale", &self.locale_name(&tag))])));
                }
            }
        }
        self.whole_loading.update_value(|loading| {
            loading.remove(&tag);
        });
        self.refresh_partial();
    }

    /// `index_partial` follows whether the agent's locale is still waiting
    /// for its whole index.
    fn refresh_partial(self) {
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

    /// Opens the article `id`: in `self.article_locale` if the agent chose
    /// one, else the first locale of the fallback chain that has it (at the
    /// section in `self.section`, if any). `new_entry` adds a browser history
    /// entry (so Back returns to the results).
    pub fn open_article(self, id: String, new_entry: bool) {
        if new_entry {
            // The address bar follows typing only after a pause: the entry
            // Back returns to must hold the query typed just now.
            self.url_state().apply(false);
        }
        self.article.set(ArticlePane::Loading(id.clone()));
        self.url_state().apply(new_entry);
        spawn_local(async move {
            let pane = match self.find_article(&id).await {
                Ok(mut shown) => {
                    self.follow_move(&shown);
                    self.remember_viewed(&shown);
                    shown.unseen_changes = note_seen(&shown);
                    signals::opened(self, &shown);
                    ArticlePane::Shown(Arc::new(shown))
                }
                Err(message) => ArticlePane::Failed { id: id.clone(), message },
            };
            // The agent may have moved on while this loaded.
            if self.url_state().article.as_deref() == Some(id.as_str()) {
                let moved = matches!(&pane, ArticlePane::Shown(shown) if shown.moved_from.is_some());
                self.article.set(pane);
                if moved {
                    // The address bar names the article where it is now.
                    self.url_state().apply(false);
                }
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
        let position = self.choices.with_untracked(|c| c.iter().position(|c| c == choice));
        match choice {
            Choice::Hit(hit) | Choice::Fallback { hit, .. } => {
                if let Some(position) = position {
                    signals::opening_result(self, &hit.id, position);
                }
                self.article_locale.set(None);
                // The section comes with the second stage, if it has arrived.
                let locale = match choice {
                    Choice::Fallback { locale, .. } => locale.clone(),
                    _ => self.locale.get_untracked().unwrap_or_default(),
                };
                let section = self.details.with_untracked(|d| d.of(&locale, &hit.id).and_then(|h| h.section.clone()));
                self.section.set(section.or_else(|| hit.section.clone()).map(|s| s.anchor));
                self.open_article(hit.id.clone(), true);
            }
            Choice::Suggested(hit) => {
                if let Some(position) = position {
                    signals::opening_suggestion(&hit.id, position);
                }
                self.open_in_own_locale(hit.id.clone(), true);
            }
            Choice::Shelf { entry, .. } => self.open_in_own_locale(entry.id.clone(), true),
        }
    }

    /// The agent moves the selection to `position` (arrow keys, pointer):
    /// a later stage of these results keeps that row where it is.
    pub fn select(self, position: usize) {
        self.selected.set(position);
        let choice = self.choices.with_untracked(|c| c.get(position).cloned());
        let held = choice.map(|choice| HeldChoice {
            query: self.results.with_untracked(|r| r.query.clone()),
            filters: self.filters.get_untracked(),
            position,
            choice,
        });
        self.held.set(held);
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

    /// An article opened by an old id: the agent's pins and recent list
    /// name it by its new id from now on.
    fn follow_move(self, shown: &ShownArticle) {
        let Some(old) = &shown.moved_from else { return };
        let entry = shelf_entry(shown);
        self.pinned.update(|p| {
            if p.moved(old, &entry) {
                shelf::save_pinned(p);
            }
        });
        self.recent.update(|r| {
            if r.moved(old, &entry) {
                shelf::save_recent(r);
            }
        });
    }

    fn remember_viewed(self, shown: &ShownArticle) {
        let entry = shelf_entry(shown);
        self.recent.update(|r| {
            r.push_front(entry, RECENT_LIMIT);
            shelf::save_recent(r);
        });
    }

    /// The article `id` in the first locale that has it (the agent's, its
    /// fallbacks, or the locale they chose); else the article an old id
    /// `id` moved to.
    async fn find_article(self, id: &str) -> Result<ShownArticle, String> {
        let (Some(manifest), Some(own)) = (self.manifest.get_untracked(), self.locale.get_untracked()) else {
            return Err("the knowledge base is still loading".into());
        };
        let chosen = self.article_locale.get_untracked();
        let candidates: Vec<String> = match &chosen {
            Some(tag) => vec![tag.clone()],
            None => manifest.lookup_chain(&own).into_iter().map(String::from).collect(),
        };
        let found = match self.find_in(&manifest, &candidates, id).await? {
            Some((tag, article)) => Some((tag, article, None)),
            None => self.find_moved(&manifest, &candidates, id).await?.map(|(tag, article)| (tag, article, Some(id.to_string()))),
        };
        let Some((tag, article, moved_from)) = found else {
            return Err(format!("there is no article “{id}” in {}", candidates.join(", ")));
        };
        let because = match (tag == own, chosen.is_some()) {
            (true, _) => ShownBecause::Own,
            (false, true) => ShownBecause::Chosen,
            (false, false) => ShownBecause::Fallback,
        };
        Ok(ShownArticle { article, locale: tag, because, moved_from, unseen_changes: Vec::new() })
    }

    /// The article `id` in the first of `locales` that has it.
    async fn find_in(self, manifest: &Manifest, locales: &[String], id: &str) -> Result<Option<(String, RenderedArticle)>, String> {
        for tag in locales {
            if self.index_of(tag).await?.has_article(id) {
                return Ok(Some((tag.clone(), self.load_article(manifest, tag, id).await?)));
            }
        }
        Ok(None)
    }

    /// The article an old id `old` moved to (as the first of `locales`
    /// whose redirects name it says), in the first of `locales` that has
    /// it: a translation that does not list the old id still opens.
    async fn find_moved(self, manifest: &Manifest, locales: &[String], old: &str) -> Result<Option<(String, RenderedArticle)>, String> {
        for tag in locales {
            let Some(new_id) = self.redirects_of(manifest, tag).await.target(old).map(str::to_string) else { continue };
            if let Some(found) = self.find_in(manifest, locales, &new_id).await? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The change feeds of the agent's locale and its fallbacks, for "What's
    /// new": each `(locale, feed)`; a locale without a feed has none to
    /// fetch. Fails when a feed cannot be fetched.
    pub async fn change_feeds(self) -> Result<Vec<(String, ChangeFeed)>, String> {
        let (Some(manifest), Some(own)) = (self.manifest.get_untracked(), self.locale.get_untracked()) else {
            return Err("the knowledge base is still loading".into());
        };
        let mut feeds = Vec::new();
        for tag in manifest.lookup_chain(&own) {
            let Some(file) = manifest.locale(tag).and_then(|l| l.changes.as_ref()) else { continue };
            let feed = fetch_part(file)
                .await
                .and_then(|bytes| serde_json::from_slice::<ChangeFeed>(&bytes).map_err(|e| format!("{} is damaged ({e})", file.path)))
                .inspect_err(|_| self.bundle_file_failed())?;
            feeds.push((tag.to_string(), feed));
        }
        Ok(feeds)
    }

    /// The redirects of locale `tag` (fetched once; none if it has none or
    /// they cannot be fetched).
    async fn redirects_of(self, manifest: &Manifest, tag: &str) -> Arc<Redirects> {
        if let Some(known) = self.redirects.with_value(|r| r.get(tag).cloned()) {
            return known;
        }
        let Some(file) = manifest.locale(tag).and_then(|l| l.redirects.as_ref()) else {
            return Arc::default();
        };
        let fetched = fetch_part(file)
            .await
            .and_then(|bytes| serde_json::from_slice::<Redirects>(&bytes).map_err(|e| format!("{} is damaged ({e})", file.path)));
        let redirects = Arc::new(fetched.unwrap_or_else(|message| {
            leptos::logging::warn!("old article ids are not followed: {message}");
            self.bundle_file_failed();
            Redirects::default()
        }));
        self.redirects.update_value(|r| {
            r.insert(tag.to_string(), redirects.clone());
        });
        redirects
    }

    async fn load_article(self, manifest: &Manifest, tag: &str, id: &str) -> Result<RenderedArticle, String> {
        let not_found = || format!("there is no article “{id}” in {tag}");
        let bundle = manifest.locale(tag).ok_or_else(not_found)?;
        let file = bundle.article_file_of(id).ok_or_else(not_found)?;
        let cached = self.article_files.with_value(|files| files.get(&file.path).cloned());
        let articles = match cached {
            Some(articles) => articles,
            None => {
                let fetched = fetch_part(file)
                    .await
                    .and_then(|bytes| serde_json::from_slice::<ArticleFile>(&bytes).map_err(|e| format!("{} is damaged ({e})", file.path)));
                let parsed = Arc::new(fetched.inspect_err(|_| self.bundle_file_failed())?);
                self.article_files.update_value(|files| {
                    files.insert(file.path.clone(), parsed.clone());
                });
                parsed
            }
        };
        articles.article(id).cloned().ok_or_else(not_found)
    }
}

/// Records the version of `shown` the agent now sees; its changes they had
/// not seen before, newest first.
fn note_seen(shown: &ShownArticle) -> Vec<Change> {
    let mut seen = seen_changes::load();
    let unseen = seen.open(&shown.locale, &shown.article.id, &shown.article.info.changes);
    seen_changes::save(&seen);
    unseen
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
