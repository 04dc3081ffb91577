//! Which file events are a save, and when a burst of them is over: editors
//! save by writing a temp file and renaming it over the article, keep swap
//! and backup files beside it, and one save can send half a dozen events.
//! A rebuild starts once the kb has been quiet for [`QUIET`], for every
//! path that changed; a path that is only editor noise starts nothing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long the kb must be quiet after an event before the rebuild.
pub const QUIET: Duration = Duration::from_millis(120);

/// Whether `path` is an editor's swap, backup or temporary file, or a
/// folder no kb content lives in: never a reason to rebuild.
pub fn is_editor_noise(path: &Path) -> bool {
    if path.components().any(|c| matches!(c.as_os_str().to_str(), Some(".git" | "node_modules" | ".cuecard-preview"))) {
        return true;
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    let lower = name.to_ascii_lowercase();
    name.ends_with('~')                                       // Emacs, gedit backups
        || (name.starts_with('#') && name.ends_with('#'))     // Emacs auto-save
        || name.starts_with(".#")                              // Emacs locks
        || [".swp", ".swo", ".swx", ".swn"].iter().any(|s| lower.ends_with(s)) // Vim swap
        || name == "4913"                                      // Vim's write test
        || name.contains("___jb_")                             // JetBrains safe write
        || [".tmp", ".temp", ".bak", ".crswap", ".part", ".kate-swp"].iter().any(|s| lower.ends_with(s))
        || lower.starts_with(".goutputstream")                 // GNOME
        || name == ".DS_Store"
        || (lower.starts_with("sed") && !lower.contains('.')) // `sed -i` temp
}

/// Collects the paths of a burst of events until it is over.
#[derive(Debug, Default)]
pub struct Burst {
    paths: BTreeSet<PathBuf>,
    last: Option<Instant>,
}

impl Burst {
    /// Takes an event's path at `now` (noise is ignored).
    pub fn note(&mut self, path: &Path, now: Instant) {
        if is_editor_noise(path) {
            return;
        }
        self.paths.insert(path.to_path_buf());
        self.last = Some(now);
    }

    /// The burst's paths once it has been quiet for [`QUIET`] at `now`,
    /// emptying it; `None` while it goes on or when nothing changed.
    pub fn take_if_over(&mut self, now: Instant) -> Option<BTreeSet<PathBuf>> {
        let last = self.last?;
        if now.duration_since(last) < QUIET {
            return None;
        }
        self.last = None;
        Some(std::mem::take(&mut self.paths))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temp_and_swap_files_are_noise_articles_are_not() {
        for noise in [
            "en/.refund.md.swp", "en/refund.md~", "en/#refund.md#", "en/.#refund.md", "en/4913", "en/refund.md___jb_tmp___",
            "en/refund.md___jb_old___", "en/.goutputstream-ABC12", ".git/index", "en/refund.md.tmp", "en/sedAb12Cd",
        ] {
            assert!(is_editor_noise(Path::new(noise)), "{noise}");
        }
        for real in ["en/refund.md", "cuecard.yaml", "en/_disclosures/recording.md", "en/_synonyms.txt", "en/media/router.png", "en/sedan-models.md"] {
            assert!(!is_editor_noise(Path::new(real)), "{real}");
        }
    }

    #[test]
    fn a_burst_of_events_from_one_save_is_one_rebuild() {
        let start = Instant::now();
        let mut burst = Burst::default();
        // Rename-on-save: a temp file, then the article, then its swap file.
        burst.note(Path::new("en/refund.md___jb_tmp___"), start);
        burst.note(Path::new("en/refund.md"), start + Duration::from_millis(5));
        burst.note(Path::new("en/refund.md"), start + Duration::from_millis(20));
        burst.note(Path::new("en/.refund.md.swp"), start + Duration::from_millis(30));
        assert_eq!(burst.take_if_over(start + Duration::from_millis(60)), None, "still going on");
        let paths = burst.take_if_over(start + Duration::from_millis(20) + QUIET).unwrap();
        assert_eq!(paths.into_iter().collect::<Vec<_>>(), [PathBuf::from("en/refund.md")]);
        assert_eq!(burst.take_if_over(start + Duration::from_secs(5)), None, "nothing more to do");
        let mut swap_only = Burst::default();
        swap_only.note(Path::new("en/.refund.md.swp"), start);
        assert_eq!(swap_only.take_if_over(start + Duration::from_secs(1)), None, "a swap file rebuilds nothing");
    }
}
