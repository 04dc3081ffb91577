//! The lists of a locale's bucket files (its text files, for snippets, and
//! article files, for opened articles), a part of their own that the
//! manifest names: fetched once after the first results, by whichever
//! needs them first (the second stage, an opened article, the later
//! tiers' loader, the offline copy), and shared by all who wait for it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use cuecard_engine::manifest::{BucketFiles, BundleFile};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::loading::error::LoadError;
use crate::loading::fetch::{fetch_part, parse_json};
use crate::state::AppState;

/// One part's lists, being fetched or fetched.
type BucketLists = Shared<LocalBoxFuture<'static, Result<Arc<BucketFiles>, LoadError>>>;

thread_local! {
    /// By the part's path: content-hashed, so a newer bundle's lists are
    /// never mistaken for these.
    static LISTS: RefCell<HashMap<String, BucketLists>> = RefCell::new(HashMap::new());
}

impl AppState {
    /// The bucket lists of locale `tag` in the manifest in use.
    pub async fn buckets_of(self, tag: &str) -> Result<Arc<BucketFiles>, LoadError> {
        let manifest = self.manifest.get_untracked().ok_or(LoadError::StillLoading)?;
        let file = manifest.locale(tag).ok_or_else(|| LoadError::NoLocale(tag.to_string()))?.buckets.clone();
        self.buckets(&file).await
    }

    /// The bucket lists in `file` (a locale's `buckets`), fetched and
    /// checked once. After a failed fetch (most likely a newer bundle
    /// replaced the file, which the update check it starts then finds),
    /// each call tries again.
    pub async fn buckets(self, file: &BundleFile) -> Result<Arc<BucketFiles>, LoadError> {
        let lists = self.bucket_lists(file);
        if matches!(lists.peek(), Some(Err(_))) {
            LISTS.with_borrow_mut(|all| all.remove(&file.path));
            return self.bucket_lists(file).await;
        }
        lists.await
    }

    /// The bucket lists in `file` if they are at hand; otherwise starts
    /// fetching them, unless that failed (the second stage then shows no
    /// snippets, as for a text file that failed). The second stage runs
    /// again when they arrive (they count among the texts that did).
    pub(crate) fn buckets_at_hand(self, file: &BundleFile) -> Option<Arc<BucketFiles>> {
        self.bucket_lists(file).peek()?.as_ref().ok().cloned()
    }

    /// Whether the lists in `file` are being fetched (the second stage is
    /// waiting for them).
    pub(crate) fn buckets_coming(self, file: &BundleFile) -> bool {
        self.bucket_lists(file).peek().is_none()
    }

    /// The shared fetch of the lists in `file`, started (and driven to its
    /// end, whoever waits) if it is not yet.
    fn bucket_lists(self, file: &BundleFile) -> BucketLists {
        if let Some(lists) = LISTS.with_borrow(|all| all.get(&file.path).cloned()) {
            return lists;
        }
        let owned = file.clone();
        let lists = async move {
            let fetched = fetch_part(&owned).await.and_then(|bytes| parse_json::<BucketFiles>(&bytes, &owned)).map(Arc::new);
            if let Err(message) = &fetched {
                leptos::logging::warn!("no snippets or articles from {}: {message}", owned.path);
                self.bundle_file_failed();
            }
            self.texts_arrived.update(|n| *n += 1);
            fetched
        }
        .boxed_local()
        .shared();
        LISTS.with_borrow_mut(|all| all.insert(file.path.clone(), lists.clone()));
        spawn_local(lists.clone().map(|_| ()));
        lists
    }
}
