//! Opening and closing articles: along the manifest's lookup chain, an old
//! id through the locale's redirects (pins and recent entries renamed),
//! from results or suggestions (with telemetry), and the change feeds
//! "What's new" lists.

use std::sync::Arc;

use cuecard_engine::changes::{Change, ChangeFeed};
use cuecard_engine::manifest::Manifest;
use cuecard_engine::model::{ArticleFile, RenderedArticle};
use cuecard_engine::redirects::Redirects;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::shelves::shelf_entry;

use crate::host::telemetry;
use crate::loading::error::LoadError;
use crate::loading::fetch::{fetch_part, parse_json};
use crate::state::{AppState, ArticlePane, Choice, HeldChoice, ShownArticle, ShownBecause};
use crate::state::seen_changes;
use crate::state::shelf;

impl AppState {
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
                    telemetry::opened(self, &shown);
                    ArticlePane::Shown(Arc::new(shown))
                }
                Err(error) => ArticlePane::Failed { id: id.clone(), message: error.to_string() },
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
                    telemetry::opening_result(self, &hit.id, position);
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
            Choice::Suggested { hit, .. } => {
                if let Some(position) = position {
                    telemetry::opening_suggestion(&hit.id, position);
                    // What the agent opened stays in its row while the
                    // call's context keeps changing the suggestions.
                    self.select(position);
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

    /// An article opened by an old id: the agent's pins and recent list
    /// name it by its new id from now on.
    pub(super) fn follow_move(self, shown: &ShownArticle) {
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

    /// The article `id` in the first locale that has it (the agent's, its
    /// fallbacks, or the locale they chose); else the article an old id
    /// `id` moved to.
    pub(super) async fn find_article(self, id: &str) -> Result<ShownArticle, LoadError> {
        let (Some(manifest), Some(own)) = (self.manifest.get_untracked(), self.locale.get_untracked()) else {
            return Err(LoadError::StillLoading);
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
            return Err(LoadError::NoArticle { id: id.to_string(), places: candidates.join(", ") });
        };
        let because = match (tag == own, chosen.is_some()) {
            (true, _) => ShownBecause::Own,
            (false, true) => ShownBecause::Chosen,
            (false, false) => ShownBecause::Fallback,
        };
        Ok(ShownArticle { article, locale: tag, because, moved_from, unseen_changes: Vec::new() })
    }

    /// The article `id` in the first of `locales` that has it.
    pub(super) async fn find_in(self, manifest: &Manifest, locales: &[String], id: &str) -> Result<Option<(String, RenderedArticle)>, LoadError> {
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
    pub(super) async fn find_moved(self, manifest: &Manifest, locales: &[String], old: &str) -> Result<Option<(String, RenderedArticle)>, LoadError> {
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
    pub async fn change_feeds(self) -> Result<Vec<(String, ChangeFeed)>, LoadError> {
        let (Some(manifest), Some(own)) = (self.manifest.get_untracked(), self.locale.get_untracked()) else {
            return Err(LoadError::StillLoading);
        };
        let mut feeds = Vec::new();
        for tag in manifest.lookup_chain(&own) {
            let Some(file) = manifest.locale(tag).and_then(|l| l.changes.as_ref()) else { continue };
            let feed = fetch_part(file)
                .await
                .and_then(|bytes| parse_json::<ChangeFeed>(&bytes, &file))
                .inspect_err(|_| self.bundle_file_failed())?;
            feeds.push((tag.to_string(), feed));
        }
        Ok(feeds)
    }

    /// The redirects of locale `tag` (fetched once; none if it has none or
    /// they cannot be fetched).
    pub(super) async fn redirects_of(self, manifest: &Manifest, tag: &str) -> Arc<Redirects> {
        if let Some(known) = self.redirects.with_value(|r| r.get(tag).cloned()) {
            return known;
        }
        let Some(file) = manifest.locale(tag).and_then(|l| l.redirects.as_ref()) else {
            return Arc::default();
        };
        let fetched = fetch_part(file)
            .await
            .and_then(|bytes| parse_json::<Redirects>(&bytes, &file));
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

    pub(super) async fn load_article(self, manifest: &Manifest, tag: &str, id: &str) -> Result<RenderedArticle, LoadError> {
        let not_found = || LoadError::NoArticle { id: id.to_string(), places: tag.to_string() };
        let bundle = manifest.locale(tag).ok_or_else(not_found)?;
        let buckets = self.buckets(&bundle.buckets).await?;
        let file = buckets.article_file_of(id).ok_or_else(not_found)?;
        let cached = self.article_files.with_value(|files| files.get(&file.path).cloned());
        let articles = match cached {
            Some(articles) => articles,
            None => {
                let fetched = fetch_part(file)
                    .await
                    .and_then(|bytes| parse_json::<ArticleFile>(&bytes, &file));
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
