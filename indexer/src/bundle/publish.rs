//! Publishes a bundle into its folder additively, so apps that are open
//! during a publish keep working:
//!
//! 1. A lock (`.cuecard.lock`, an OS file lock that dies with the process)
//!    keeps two builds from publishing into one folder at once.
//! 2. New content-hashed files are written beside the current ones (each
//!    to a temporary name, then renamed); a file that is already there
//!    with the same name has the same bytes and is kept as it is.
//! 3. `manifest.json` is replaced atomically, last: until that rename the
//!    previous bundle is the published one, complete.
//! 4. Files the current bundle does not use (neither the manifest nor a
//!    part it names lists them) are retired: noted with the time in
//!    `.cuecard-publish.json`, and deleted only once a later build finds
//!    them retired for longer than the grace period (apps still holding the
//!    previous manifest can fetch them until then).
//!
//! `--out` must be empty, or hold a Cuecard manifest (or the publish state
//! of an interrupted first build): nothing else is ever written into or
//! deleted from.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use cuecard_engine::hash::{content_hash, short_hash};
use cuecard_engine::manifest::{BundleFile, MANIFEST_FILE, Manifest};
use serde::{Deserialize, Serialize};

/// The lock file in the bundle folder.
pub const LOCK_FILE: &str = ".cuecard.lock";
/// What the publisher remembers between builds: when each file was retired.
pub const STATE_FILE: &str = ".cuecard-publish.json";
/// Prefix of files being written (left over only by a killed build).
const TEMP_PREFIX: &str = ".tmp-";
/// How long a retired file stays, by default: an agent's app may stay open
/// on the previous bundle over a long weekend.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Publishing state kept in [`STATE_FILE`].
#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    /// Path in the bundle -> when it stopped being named by the manifest
    /// (seconds since the Unix epoch).
    #[serde(default)]
    retired: BTreeMap<String, u64>,
}

/// A bundle being published into `out`, under its lock.
pub struct Publisher {
    out: PathBuf,
    _lock: File,
    /// Files this build wrote (new) and found already there (reused).
    pub written: Vec<BundleFile>,
    pub reused: Vec<BundleFile>,
}

/// What publishing did, for the summary.
#[derive(Debug, Default)]
pub struct Published {
    pub new_files: usize,
    pub new_bytes: u64,
    pub reused_files: usize,
    /// Files retired by this build (still on disk).
    pub retired: usize,
    /// Files deleted because their grace period was over.
    pub deleted: usize,
    /// A problem cleaning up after the manifest was published (the new
    /// bundle is live; old files may linger).
    pub cleanup_problem: Option<String>,
}

impl Publisher {
    /// Takes `out` for publishing: checks it is a bundle folder (or empty),
    /// takes the lock, and clears files left by a killed build.
    pub fn open(out: &Path) -> Result<Publisher> {
        check_out_folder(out)?;
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        let lock_path = out.join(LOCK_FILE);
        let lock = File::options().create(true).truncate(false).write(true).open(&lock_path).with_context(|| format!("cannot create {}", lock_path.display()))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "another build is publishing into {} right now (it holds {}); wait for it to finish, then build again",
                out.display(),
                lock_path.display()
            ),
            Err(std::fs::TryLockError::Error(error)) => return Err(error).with_context(|| format!("cannot lock {}", lock_path.display())),
        }
        let state = out.join(STATE_FILE);
        if !state.exists() {
            write_atomically(out, &state, b"{}\n")?;
        }
        remove_temp_files(out)?;
        Ok(Publisher { out: out.to_path_buf(), _lock: lock, written: Vec::new(), reused: Vec::new() })
    }

    /// Writes `bytes` as `<dir>/<stem>.<hash>.<ext>` (unless a file of that
    /// name, and so those bytes, is already there) and describes it.
    pub fn add_hashed(&mut self, dir: &str, stem: &str, ext: &str, bytes: &[u8]) -> Result<BundleFile> {
        let sha256 = content_hash(bytes);
        let path = match dir {
            "" => format!("{stem}.{}.{ext}", short_hash(&sha256)),
            dir => format!("{dir}/{stem}.{}.{ext}", short_hash(&sha256)),
        };
        self.add_named(path, sha256, bytes)
    }

    /// The folder being published into.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Keeps a file the current manifest already names, as it is.
    pub fn keep(&mut self, file: BundleFile) -> BundleFile {
        self.reused.push(file.clone());
        file
    }

    /// Writes `bytes` at `path` (a name that carries their hash), unless a
    /// regular file of that name already holds exactly those bytes (its
    /// size and then its hash checked: a corrupt or foreign file of the
    /// right size is replaced, never served).
    pub fn add_named(&mut self, path: String, sha256: String, bytes: &[u8]) -> Result<BundleFile> {
        let file = BundleFile { path, sha256, bytes: bytes.len() as u64 };
        let full = self.out.join(&file.path);
        let same_size = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_file() && m.len() == file.bytes);
        if same_size && std::fs::read(&full).is_ok_and(|there| content_hash(&there) == file.sha256) {
            self.reused.push(file.clone());
            return Ok(file);
        }
        let parent = full.parent().unwrap_or(&self.out);
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        write_atomically(parent, &full, bytes)?;
        self.written.push(file.clone());
        Ok(file)
    }

    /// Makes `manifest` the published one (atomically), then retires the
    /// files it no longer names and deletes those retired for longer than
    /// `grace`.
    pub fn publish(self, manifest: &Manifest, grace: Duration) -> Result<Published> {
        let json = serde_json::to_vec_pretty(manifest).context("cannot serialise the manifest")?;
        write_atomically(&self.out, &self.out.join(MANIFEST_FILE), &json)?;
        let mut published = Published {
            new_files: self.written.len(),
            new_bytes: self.written.iter().map(|f| f.bytes).sum(),
            reused_files: self.reused.len(),
            ..Published::default()
        };
        if let Err(error) = self.retire(manifest, grace, &mut published) {
            published.cleanup_problem = Some(format!("{error:#}"));
        }
        Ok(published)
    }

    fn retire(&self, manifest: &Manifest, grace: Duration, published: &mut Published) -> Result<()> {
        let state_path = self.out.join(STATE_FILE);
        let mut state: State = std::fs::read(&state_path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        // What the manifest names, and what this build wrote or kept: the
        // files its parts name too (a locale's bucket files).
        let named: BTreeSet<&str> = manifest.files().chain(&self.written).chain(&self.reused).map(|f| f.path.as_str()).collect();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let on_disk = bundle_files(&self.out)?;
        state.retired.retain(|path, _| on_disk.contains(path) && !named.contains(path.as_str()));
        for path in on_disk.iter().filter(|p| !named.contains(p.as_str())) {
            let since = *state.retired.entry(path.clone()).or_insert_with(|| {
                published.retired += 1;
                now
            });
            if now.saturating_sub(since) >= grace.as_secs() {
                let full = self.out.join(path);
                std::fs::remove_file(&full).with_context(|| format!("cannot remove {}", full.display()))?;
                state.retired.remove(path);
                published.deleted += 1;
                if let Some(parent) = full.parent().filter(|p| *p != self.out) {
                    let _ = std::fs::remove_dir(parent); // only when empty
                }
            }
        }
        let json = serde_json::to_vec_pretty(&state).context("cannot serialise the publish state")?;
        write_atomically(&self.out, &state_path, &json)
    }
}

/// Refuses an `--out` that is neither empty nor a Cuecard bundle folder.
fn check_out_folder(out: &Path) -> Result<()> {
    let Ok(mut entries) = std::fs::read_dir(out) else {
        if out.exists() {
            bail!("{} is not a folder; choose another --out", out.display());
        }
        return Ok(());
    };
    // Only the publisher's own files (another build may just have made the
    // folder), or the state of an interrupted first build: a bundle folder.
    let ours = |name: &str| name == LOCK_FILE || name == STATE_FILE || name.starts_with(TEMP_PREFIX);
    if entries.all(|e| e.is_ok_and(|e| ours(&e.file_name().to_string_lossy()))) || out.join(STATE_FILE).is_file() {
        return Ok(());
    }
    let manifest = out.join(MANIFEST_FILE);
    let is_cuecard = std::fs::read(&manifest)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|json| json.get("format_version").is_some_and(|v| v.is_u64()) && json.get("locales").is_some_and(|v| v.is_array()));
    if !is_cuecard {
        bail!(
            "{} is not empty and holds no Cuecard bundle ({} is missing or not a Cuecard manifest); refusing to write into it: choose an empty or new folder for --out",
            out.display(),
            MANIFEST_FILE
        );
    }
    Ok(())
}

/// Paths (relative, `/`-separated) of the bundle's data files on disk:
/// everything but the manifest and the publisher's own dot files.
fn bundle_files(out: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1).follow_links(false) {
        let entry = entry.with_context(|| format!("cannot list {}", out.display()))?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || (entry.depth() == 1 && name == MANIFEST_FILE) {
            continue;
        }
        if let Ok(relative) = entry.path().strip_prefix(out) {
            files.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(files)
}

/// Removes temporary files a killed build left (the lock is held, so no
/// other build is writing them).
fn remove_temp_files(out: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(out).min_depth(1).follow_links(false).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() && entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            std::fs::remove_file(entry.path()).with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in `dir` and a rename,
/// so readers see the old file or the whole new one, never a part.
pub(crate) fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!("{TEMP_PREFIX}{}-{name}", std::process::id()));
    let mut file = File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).with_context(|| format!("cannot write {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("cannot move {} to {}", temp.display(), path.display()))
}
