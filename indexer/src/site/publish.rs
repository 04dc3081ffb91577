//! How `cuecard site` lays the app out in a site folder, beside the bundle
//! `build` publishes into `bundle/`: additively, as the bundle is.
//!
//! 1. The app's files (content-hashed names, and `sw.js`, which must keep
//!    its name) are written beside what is there; a file already holding
//!    the same bytes is kept.
//! 2. `index.html` is written last, after the manifest, with the page's
//!    security policy and the app's hash: a tab that loads it finds every
//!    file it names.
//! 3. App files the new page no longer names are retired, noted in
//!    `.cuecard-site.json`, and deleted only once a later run finds them
//!    retired for longer than the grace period (a tab, or the offline copy,
//!    that fetches late still finds them).
//!
//! A folder that is neither empty nor a Cuecard site is refused untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use cuecard_engine::hash::content_hash;
use cuecard_engine::manifest::{MANIFEST_FILE, SITE_BUNDLE_DIR};
use serde::{Deserialize, Serialize};

use crate::bundle::publish::write_atomically;
use crate::site::app;
use crate::site::headers::{PAGE_FILE, SitePolicy};

/// What a site remembers between runs: its app files, and when each old
/// one was retired.
pub const SITE_STATE_FILE: &str = ".cuecard-site.json";

#[derive(Debug, Default, Serialize, Deserialize)]
struct SiteState {
    /// The app build the page names.
    #[serde(default)]
    app: String,
    /// The app's files the page names.
    #[serde(default)]
    files: BTreeSet<String>,
    /// Path -> when it was retired (seconds since the Unix epoch).
    #[serde(default)]
    retired: BTreeMap<String, u64>,
}

/// What writing the app did, for the summary.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AppWritten {
    pub new_files: usize,
    pub unchanged: usize,
    pub retired: usize,
    pub deleted: usize,
}

/// Refuses `site` unless it is new, empty, or a Cuecard site.
pub fn check_site_folder(site: &Path) -> Result<()> {
    let Ok(mut entries) = std::fs::read_dir(site) else { return Ok(()) };
    let empty = entries.next().is_none();
    let ours = site.join(SITE_STATE_FILE).is_file() || site.join(SITE_BUNDLE_DIR).join(MANIFEST_FILE).is_file();
    if !empty && !ours {
        bail!(
            "{} is neither empty nor a Cuecard site: nothing was written. Pass a new or empty folder, or one `cuecard site` wrote before",
            site.display()
        );
    }
    Ok(())
}

/// Writes the app's files (all but the page) into `site`, and retires or
/// deletes those of earlier runs the new page no longer names.
pub fn write_app(site: &Path, grace: Duration) -> Result<AppWritten> {
    let files = app::files()?;
    let mut written = AppWritten::default();
    let mut current = BTreeSet::new();
    for (name, bytes) in files.iter().filter(|(name, _)| *name != PAGE_FILE) {
        let path = site.join(safe_path(name)?);
        current.insert(name.to_string());
        let same = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&path).is_ok_and(|there| content_hash(&there) == content_hash(bytes));
        if same {
            written.unchanged += 1;
            continue;
        }
        let parent = path.parent().unwrap_or(site);
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        write_atomically(parent, &path, bytes)?;
        written.new_files += 1;
    }
    let state_path = site.join(SITE_STATE_FILE);
    let mut state: SiteState = std::fs::read_to_string(&state_path).ok().and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    for old in state.files.difference(&current) {
        state.retired.entry(old.clone()).or_insert(now);
        written.retired += 1;
    }
    state.retired.retain(|path, since| {
        if current.contains(path) {
            return false;
        }
        if now.saturating_sub(*since) < grace.as_secs() {
            return true;
        }
        if let Ok(relative) = safe_path(path) {
            let _ = std::fs::remove_file(site.join(relative));
            written.deleted += 1;
        }
        false
    });
    state.files = current;
    state.app = app::APP_HASH.to_string();
    write_atomically(site, &state_path, serde_json::to_string_pretty(&state)?.as_bytes())?;
    Ok(written)
}

/// Writes the app's page last, naming the app build, with the security
/// policy of the bundle now published (and `_headers`).
pub fn write_page(site: &Path) -> Result<SitePolicy> {
    let page = app::with_app_meta(app::page()?);
    crate::site::headers::write_page_with_policy(site, &page)
}

/// `name` as a relative path with no `..`, root or drive: the app's own
/// files never land outside the site.
fn safe_path(name: &str) -> Result<&Path> {
    let path = Path::new(name);
    if name.is_empty() || !path.components().all(|c| matches!(c, Component::Normal(_))) {
        bail!("the app names a file outside the site: {name}");
    }
    Ok(path)
}
