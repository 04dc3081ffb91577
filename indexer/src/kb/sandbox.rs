//! Reading a kb's files without ever leaving the kb.
//!
//! A kb is content from many hands (pull requests from regional teams), so
//! nothing in it may make the build read outside its root: a committed
//! symlink to `/proc/self/environ`, a `locales.X.path` of `../..`, an include
//! of `../../etc/passwd`. Every content read goes through [`KbRoot`]: the
//! path is resolved (symlinks included), must stay inside the kb root, must
//! be a regular file, and is read only up to a size limit. Each refusal is a
//! [`ReadProblem`] that the caller reports as a finding with the path.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest article or include file read (the largest real article seen,
/// the VBA docs' table of contents, is 2 MB).
pub const MAX_ARTICLE_BYTES: u64 = 4 << 20;
/// Largest image copied into the bundle.
pub const MAX_IMAGE_BYTES: u64 = 10 << 20;
/// Largest kb config, synonyms or disclosure file read.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// The kb's root folder, resolved once.
#[derive(Debug, Clone)]
pub struct KbRoot {
    /// As the user gave it (for messages).
    pub root: PathBuf,
    /// Resolved, to compare resolved paths against.
    canonical: PathBuf,
}

/// Why a file of the kb was not read.
#[derive(Debug)]
pub enum ReadProblem {
    /// The path (or a link on the way) leads outside the kb root.
    Outside { target: PathBuf },
    /// A link that points nowhere, or to itself.
    BrokenLink,
    /// A folder, device, pipe or socket where a file was expected.
    NotAFile,
    /// Larger than the limit for its kind.
    TooLarge { bytes: u64, limit: u64 },
    /// Not UTF-8 text (for text reads).
    NotUtf8,
    /// The file does not exist.
    Missing,
    /// Any other I/O error.
    Io(std::io::Error),
}

impl ReadProblem {
    /// A stable finding code for the problem.
    pub fn code(&self) -> &'static str {
        match self {
            ReadProblem::Outside { .. } => "outside-kb",
            ReadProblem::BrokenLink => "broken-symlink",
            ReadProblem::TooLarge { .. } => "too-large",
            ReadProblem::NotUtf8 => "encoding",
            ReadProblem::NotAFile | ReadProblem::Missing | ReadProblem::Io(_) => "unreadable",
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            ReadProblem::Outside { .. } => "only files inside the kb are read: copy the content into the kb instead of linking to it",
            ReadProblem::BrokenLink => "remove the link or point it at a file inside the kb",
            ReadProblem::NotAFile => "only regular files are read: replace it with a file",
            ReadProblem::TooLarge { .. } => "split the file into smaller articles",
            ReadProblem::NotUtf8 => "save the file as UTF-8",
            ReadProblem::Missing => "check the path, or add the file",
            ReadProblem::Io(_) => "check the file's permissions",
        }
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadProblem::Outside { target } => write!(f, "it leads outside the kb (to {}), so it is not read", target.display()),
            ReadProblem::BrokenLink => write!(f, "it is a symbolic link that points nowhere (or loops), so it is not read"),
            ReadProblem::NotAFile => write!(f, "it is not a regular file, so it is not read"),
            ReadProblem::TooLarge { bytes, limit } => {
                write!(f, "it is {:.1} MB, over the limit of {:.1} MB, so it is not read", *bytes as f64 / 1e6, *limit as f64 / 1e6)
            }
            ReadProblem::NotUtf8 => write!(f, "it is not UTF-8 text"),
            ReadProblem::Missing => write!(f, "it does not exist"),
            ReadProblem::Io(error) => write!(f, "it cannot be read: {error}"),
        }
    }
}

impl KbRoot {
    /// The kb at `root`, which must be a readable folder.
    pub fn new(root: &Path) -> std::io::Result<KbRoot> {
        Ok(KbRoot { root: root.to_path_buf(), canonical: root.canonicalize()? })
    }

    /// Where `path` really is, if that is inside the kb.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, ReadProblem> {
        let is_link = std::fs::symlink_metadata(path).map(|m| m.file_type().is_symlink());
        match path.canonicalize() {
            Ok(resolved) if resolved.starts_with(&self.canonical) => Ok(resolved),
            Ok(resolved) => Err(ReadProblem::Outside { target: resolved }),
            Err(_) if matches!(is_link, Ok(true)) => Err(ReadProblem::BrokenLink),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(ReadProblem::Missing),
            Err(error) => Err(ReadProblem::Io(error)),
        }
    }

    /// The bytes of the regular file at `path`, inside the kb, at most `limit`.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
        let resolved = self.resolve(path)?;
        let metadata = std::fs::metadata(&resolved).map_err(ReadProblem::Io)?;
        if !metadata.is_file() {
            return Err(ReadProblem::NotAFile);
        }
        if metadata.len() > limit {
            return Err(ReadProblem::TooLarge { bytes: metadata.len(), limit });
        }
        let file = std::fs::File::open(&resolved).map_err(ReadProblem::Io)?;
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        // The file may grow between the size check and the read.
        file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadProblem::Io)?;
        if bytes.len() as u64 > limit {
            return Err(ReadProblem::TooLarge { bytes: bytes.len() as u64, limit });
        }
        Ok(bytes)
    }

    /// The UTF-8 text of the regular file at `path`, inside the kb.
    pub fn read_text(&self, path: &Path, limit: u64) -> Result<String, ReadProblem> {
        String::from_utf8(self.read(path, limit)?).map_err(|_| ReadProblem::NotUtf8)
    }

    /// Like [`KbRoot::read_text`], but a missing file is `Ok(None)`.
    pub fn read_optional_text(&self, path: &Path, limit: u64) -> Result<Option<String>, ReadProblem> {
        if std::fs::symlink_metadata(path).is_err() {
            return Ok(None);
        }
        self.read_text(path, limit).map(Some)
    }

    /// Whether `path` is a folder inside the kb.
    pub fn is_dir_inside(&self, path: &Path) -> Result<bool, ReadProblem> {
        Ok(std::fs::metadata(self.resolve(path)?).map_err(ReadProblem::Io)?.is_dir())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> (tempfile::TempDir, KbRoot) {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::create_dir(dir.path().join("kb")).unwrap();
        let root = KbRoot::new(&dir.path().join("kb")).unwrap();
        (dir, root)
    }

    #[test]
    fn reads_files_inside_and_follows_links_that_stay_inside() {
        let (dir, root) = kb();
        let kb = dir.path().join("kb");
        std::fs::write(kb.join("a.md"), "A").unwrap();
        std::os::unix::fs::symlink(kb.join("a.md"), kb.join("b.md")).unwrap();
        assert_eq!(root.read_text(&kb.join("a.md"), 10).unwrap(), "A");
        assert_eq!(root.read_text(&kb.join("b.md"), 10).unwrap(), "A");
    }

    #[test]
    fn never_reads_outside_the_kb() {
        let (dir, root) = kb();
        let kb = dir.path().join("kb");
        std::fs::write(dir.path().join("secret"), "S").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), kb.join("leak.md")).unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", kb.join("env.md")).unwrap();
        assert!(matches!(root.read(&kb.join("leak.md"), 10), Err(ReadProblem::Outside { .. })));
        assert!(matches!(root.read(&kb.join("env.md"), 10), Err(ReadProblem::Outside { .. })));
        assert!(matches!(root.read(&kb.join("../secret"), 10), Err(ReadProblem::Outside { .. })));
    }

    #[test]
    fn refuses_broken_links_devices_and_large_files() {
        let (dir, root) = kb();
        let kb = dir.path().join("kb");
        std::os::unix::fs::symlink(kb.join("nowhere"), kb.join("dangling.md")).unwrap();
        std::os::unix::fs::symlink(kb.join("loop.md"), kb.join("loop.md")).unwrap();
        std::fs::write(kb.join("big.md"), "x".repeat(100)).unwrap();
        assert!(matches!(root.read(&kb.join("dangling.md"), 10), Err(ReadProblem::BrokenLink)));
        assert!(matches!(root.read(&kb.join("loop.md"), 10), Err(ReadProblem::BrokenLink)));
        assert!(matches!(root.read(&kb.join("big.md"), 10), Err(ReadProblem::TooLarge { bytes: 100, limit: 10 })));
        assert!(matches!(root.read(&kb, 10), Err(ReadProblem::NotAFile)));
        assert!(matches!(root.read(&kb.join("absent.md"), 10), Err(ReadProblem::Missing)));
        assert_eq!(root.read_optional_text(&kb.join("absent.md"), 10).unwrap(), None);
    }
}
