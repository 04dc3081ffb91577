//! Where the model lives on a machine: `cargo xtask setup` puts the
//! registry package's files there, and the indexer finds them without flags.

use std::path::PathBuf;

/// The folder name of the model this release is made for.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";

/// `$CUECARD_MODEL_DIR`, else `$XDG_CACHE_HOME/cuecard/models/all-MiniLM-L6-v2`,
/// else the same under `~/.cache`. `None` when there is no home to look in.
pub fn default_model_dir() -> Option<PathBuf> {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = env("CUECARD_MODEL_DIR") {
        return Some(dir);
    }
    let cache = env("XDG_CACHE_HOME").or_else(|| env("HOME").map(|home| home.join(".cache")))?;
    Some(cache.join("cuecard").join("models").join(MODEL_NAME))
}
