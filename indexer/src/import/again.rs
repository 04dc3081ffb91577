//! Importing again into a kb an import wrote: an article that changed
//! upstream and was not edited here since is updated; one edited on both
//! sides is reported and kept as it is here (`--force` takes upstream);
//! one edited here only stays. Told apart by `imported_from`: its `digest`
//! is the sha256 of the file as the import wrote it, without that line, so
//! a file whose text still hashes to it was not edited here, and a new
//! import whose digest equals the old one's brings nothing new.

use crate::article::imported_origin::{digest, split};

/// What importing again does with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Not in the kb yet: written.
    New,
    /// Changed upstream, not edited here: written.
    Update,
    /// Nothing new upstream (edited here or not): kept.
    Unchanged,
    /// Edited here and upstream: kept, and reported.
    KeptLocalEdit,
    /// Edited here and upstream, `--force`: upstream written.
    Overwritten,
}

impl Decision {
    pub fn writes(self) -> bool {
        matches!(self, Decision::New | Decision::Update | Decision::Overwritten)
    }
}

/// What to do with a file the import would write (`planned`) where the kb
/// holds `existing`.
pub fn decide(existing: Option<&[u8]>, planned: &[u8], force: bool) -> Decision {
    let Some(existing) = existing else { return Decision::New };
    if existing == planned {
        return Decision::Unchanged;
    }
    let (Ok(existing), Ok(planned)) = (std::str::from_utf8(existing), std::str::from_utf8(planned)) else {
        // An image: its name carries the attachment's id; new bytes are upstream's.
        return Decision::Update;
    };
    match (split(existing), split(planned)) {
        (Some((here, recorded)), Some((_, upstream))) => {
            let edited_here = digest(&here) != recorded;
            match (edited_here, upstream == recorded) {
                (_, true) => Decision::Unchanged,
                (false, false) => Decision::Update,
                (true, false) if force => Decision::Overwritten,
                (true, false) => Decision::KeptLocalEdit,
            }
        }
        // A file the import does not own (cuecard.yaml, or an article whose
        // `imported_from` was removed here): the kb's own now.
        _ if force => Decision::Overwritten,
        _ => Decision::KeptLocalEdit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(body: &str, recorded_for: &str) -> String {
        let without = format!("---\ntitle: A\n---\n\n{recorded_for}");
        let with_origin = format!("---\ntitle: A\nimported_from: {{ system: zendesk, id: \"1\", updated_at: \"x\", digest: {} }}\n---\n\n{body}", digest(&without));
        with_origin
    }

    #[test]
    fn upstream_changes_land_unless_edited_here_too() {
        let old = file("Old text.\n", "Old text.\n");
        let new = file("New text.\n", "New text.\n");
        assert_eq!(decide(None, new.as_bytes(), false), Decision::New);
        assert_eq!(decide(Some(old.as_bytes()), old.as_bytes(), false), Decision::Unchanged);
        assert_eq!(decide(Some(old.as_bytes()), new.as_bytes(), false), Decision::Update, "not edited here: updated");
        let edited = file("Old text, edited here.\n", "Old text.\n");
        assert_eq!(decide(Some(edited.as_bytes()), new.as_bytes(), false), Decision::KeptLocalEdit, "both sides: kept, reported");
        assert_eq!(decide(Some(edited.as_bytes()), new.as_bytes(), true), Decision::Overwritten);
        assert_eq!(decide(Some(edited.as_bytes()), old.as_bytes(), false), Decision::Unchanged, "nothing new upstream: the edit stays");
        assert_eq!(decide(Some(b"own config"), b"the import's config", false), Decision::KeptLocalEdit);
    }
}
