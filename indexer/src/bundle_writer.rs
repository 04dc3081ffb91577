//! Writes a bundle directory atomically: everything goes into a fresh
//! sibling folder first, and only a complete bundle replaces the old one.
//! A failed or interrupted build leaves the previous bundle untouched.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use cuecard_engine::hash::{content_hash, short_hash};
use cuecard_engine::manifest::{BundleFile, MANIFEST_FILE, Manifest};

/// A bundle being written, not visible until [`StagedBundle::publish`].
pub struct StagedBundle {
    target: PathBuf,
    staging: PathBuf,
}

impl StagedBundle {
    /// Starts a bundle that will replace `target` when published.
    pub fn new(target: &Path) -> Result<StagedBundle> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target.file_name().context("the output path has no folder name")?.to_string_lossy();
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).with_context(|| format!("cannot clear {}", staging.display()))?;
        }
        std::fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        Ok(StagedBundle { target: target.to_path_buf(), staging })
    }

    /// Writes `bytes` as `<dir>/<stem>.<hash>.<ext>` and describes it.
    pub fn add_hashed(&self, dir: &str, stem: &str, ext: &str, bytes: &[u8]) -> Result<BundleFile> {
        let sha256 = content_hash(bytes);
        let path = format!("{dir}/{stem}.{}.{ext}", short_hash(&sha256));
        let full = self.staging.join(&path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&full, bytes).with_context(|| format!("cannot write {}", full.display()))?;
        Ok(BundleFile { path, sha256, bytes: bytes.len() as u64 })
    }

    /// Writes the manifest and swaps the new bundle in place of the old.
    pub fn publish(self, manifest: &Manifest) -> Result<()> {
        let json = serde_json::to_vec_pretty(manifest).context("cannot serialise the manifest")?;
        let manifest_path = self.staging.join(MANIFEST_FILE);
        std::fs::write(&manifest_path, json).with_context(|| format!("cannot write {}", manifest_path.display()))?;
        if self.target.exists() {
            if !self.target.join(MANIFEST_FILE).is_file() && std::fs::read_dir(&self.target)?.next().is_some() {
                bail!(
                    "{} exists and is not a Cuecard bundle; refusing to replace it (choose another --out or remove it)",
                    self.target.display()
                );
            }
            let old = self.staging.with_extension("old");
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("cannot move the old bundle {} aside", self.target.display()))?;
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot move the new bundle to {}", self.target.display()))?;
            std::fs::remove_dir_all(&old).with_context(|| format!("cannot remove the old bundle {}", old.display()))?;
        } else {
            std::fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot move the new bundle to {}", self.target.display()))?;
        }
        Ok(())
    }
}

impl Drop for StagedBundle {
    fn drop(&mut self) {
        // Unpublished (an error, or a panic): throw the partial bundle away.
        if self.staging.exists() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}
