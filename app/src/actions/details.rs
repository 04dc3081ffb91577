//! The second stage of the results on screen: snippets and sections of the
//! listed hits, and facet counts. It runs a task after the first stage (so
//! the typed character and the hits are painted first), with the texts at
//! hand; the text files of listed hits that are not yet at hand are
//! fetched (checked against the hash their locale's bucket lists give,
//! then kept for the page's life), and the stage runs again when they, or
//! the lists, arrive. Until then a hit's row shows its title and summary.

use std::collections::HashMap;
use std::sync::Arc;

use cuecard_engine::manifest::{BucketFiles, BundleFile};
use cuecard_engine::text_store::{ArticleText, ArticleTexts, TextFile};
use cuecard_engine::{LocaleIndex, PendingDetails};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::loading::fetch::{fetch_part, parse_json};
use crate::perf;
use crate::state::{AppState, ResultDetails, TextFileState};

/// Text files kept at most: several screens of hits (a screen of 15 hits
/// needs at most 15).
const MAX_TEXT_FILES: usize = 64;

/// The texts of one locale that are at hand.
struct TextsAtHand<'a> {
    buckets: &'a BucketFiles,
    files: &'a HashMap<String, TextFileState>,
}

impl ArticleTexts for TextsAtHand<'_> {
    fn text_of(&self, id: &str) -> Option<&ArticleText> {
        match self.files.get(&self.buckets.text_file_of(id)?.path)? {
            TextFileState::Ready(file) => file.get(id),
            _ => None,
        }
    }
}

impl AppState {
    /// After every first stage, and whenever text files arrive, computes
    /// the second stage of what is listed, unless the agent typed on
    /// meanwhile.
    pub fn follow_with_details(self) {
        Effect::new(move |_| {
            // Every change that can change what is listed: the text, the
            // filters, the indexes (loaded, switched), the results, the
            // fallback rows; and texts that arrived.
            self.query.track();
            self.filters.track();
            self.index.track();
            self.fallback_index.track();
            self.results.track();
            self.choices.track();
            self.texts_arrived.track();
            set_timeout(move || self.compute_details(), std::time::Duration::ZERO);
        });
    }

    fn compute_details(self) {
        // Reading the results and choices brings the first stage (and what
        // it left for this one) up to date.
        let typed = self.results.with_untracked(|r| r.query.clone());
        let filters = self.filters.get_untracked();
        self.choices.with_untracked(|_| ());
        let Some(manifest) = self.manifest.get_untracked() else { return };
        let own_locale = self.locale.get_untracked().unwrap_or_default();
        let mut details = ResultDetails { query: typed.clone(), filters, ..ResultDetails::default() };
        let mut wanted: Vec<BundleFile> = Vec::new();
        let mut lists_coming = false;
        let mut any = false;
        perf::measure("details", || {
            let own = self.index.get_untracked();
            self.pending_own.with_value(|pending| {
                if let (Some(pending), Some(index), Some(bundle)) = (pending, own, manifest.locale(&own_locale)) {
                    if pending.query() == typed {
                        any = true;
                        let buckets = self.buckets_at_hand(&bundle.buckets).unwrap_or_default();
                        lists_coming |= self.buckets_coming(&bundle.buckets);
                        let facets = self.second_stage_of(&index, pending, &buckets, &own_locale, &mut details, &mut wanted);
                        details.facets = facets;
                    }
                }
            });
            let fallback = self.fallback_index.get_untracked();
            self.pending_fallback.with_value(|pending| {
                if let (Some((tag, pending)), Some((loaded, index))) = (pending, fallback) {
                    if let Some(bundle) = manifest.locale(tag).filter(|_| *tag == loaded && pending.query() == typed) {
                        any = true;
                        let buckets = self.buckets_at_hand(&bundle.buckets).unwrap_or_default();
                        lists_coming |= self.buckets_coming(&bundle.buckets);
                        self.second_stage_of(&index, pending, &buckets, tag, &mut details, &mut wanted);
                    }
                }
            });
        });
        if !any {
            return;
        }
        details.waiting_for_texts = !wanted.is_empty() || lists_coming;
        if *self.details.get_untracked() != details {
            self.details.set(Arc::new(details));
        }
        for file in wanted {
            self.fetch_text_file(file);
        }
    }

    /// One locale's second stage into `details`, with the texts at hand;
    /// the text files it lacks are added to `wanted`. Returns the facets.
    fn second_stage_of(
        self,
        index: &LocaleIndex,
        pending: &PendingDetails,
        buckets: &BucketFiles,
        locale: &str,
        details: &mut ResultDetails,
        wanted: &mut Vec<BundleFile>,
    ) -> Vec<cuecard_engine::facets::FacetCount> {
        self.text_files.with_value(|files| {
            for id in pending.hit_ids() {
                let Some(file) = buckets.text_file_of(id) else { continue };
                let at_hand = matches!(files.get(&file.path), Some(TextFileState::Ready(_) | TextFileState::Failed));
                if !at_hand && !wanted.iter().any(|w| w.path == file.path) {
                    wanted.push(file.clone());
                }
            }
            let more = index.second_stage(pending, &TextsAtHand { buckets, files });
            details.hits.extend(pending.hit_ids().iter().zip(more.hits).map(|(id, hit)| ((locale.to_string(), id.clone()), hit)));
            more.facets
        })
    }

    /// Keeps at most [`MAX_TEXT_FILES`] text files, dropping the ones that
    /// arrived first (wasm memory never shrinks; at 36,000 articles a
    /// session's searches would otherwise keep tens of megabytes). A
    /// dropped file that is wanted again is fetched again, from the
    /// service worker's copy.
    fn keep_text_files_bounded(self, arrived: String) {
        self.text_order.update_value(|order| {
            order.push_back(arrived);
            while order.len() > MAX_TEXT_FILES {
                if let Some(oldest) = order.pop_front() {
                    self.text_files.update_value(|files| {
                        files.remove(&oldest);
                    });
                }
            }
        });
    }

    /// Fetches one text file (once), then runs the second stage again.
    fn fetch_text_file(self, file: BundleFile) {
        let fetching = self.text_files.with_value(|files| files.contains_key(&file.path));
        if fetching {
            return;
        }
        self.text_files.update_value(|files| {
            files.insert(file.path.clone(), TextFileState::Fetching);
        });
        spawn_local(async move {
            let fetched = fetch_part(&file)
                .await
                .and_then(|bytes| parse_json::<TextFile>(&bytes, &file));
            let state = match fetched {
                Ok(texts) => TextFileState::Ready(Arc::new(texts)),
                Err(message) => {
                    leptos::logging::warn!("no snippets from {}: {message}", file.path);
                    self.bundle_file_failed();
                    TextFileState::Failed
                }
            };
            let ready = matches!(state, TextFileState::Ready(_));
            self.text_files.update_value(|files| {
                files.insert(file.path.clone(), state);
            });
            if ready {
                self.keep_text_files_bounded(file.path);
            }
            self.texts_arrived.update(|n| *n += 1);
        });
    }
}
