//! The kb's files an article uses besides its own text (included text,
//! images), as traits the parse calls: the CLI backs them with the kb
//! sandbox, tests with a map. Pure code never touches the disk.

/// Why a file an article uses cannot be used; shown in the finding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// No such file in the kb.
    #[error("it does not exist")]
    Missing,
    /// The path leads outside the kb.
    #[error("it leads outside the kb")]
    OutsideKb,
    /// An image of a type the bundle does not copy; the types it copies.
    #[error("only {0} images are copied into the bundle")]
    ImageType(String),
    /// The sandbox refused or could not read it (its words: too large,
    /// not UTF-8, a link out of the kb, ...).
    #[error("{0}")]
    Unreadable(String),
}

/// Where included files come from: their text, by path in the kb.
pub trait IncludeSource {
    /// The text of the file at `path_in_kb` (`/`-separated, normalised), or
    /// why it cannot be included.
    fn text_of(&self, path_in_kb: &str) -> Result<String, FileProblem>;
}

/// The kb's files an article may use besides its own: included text and
/// images. The CLI backs it with the kb sandbox; tests with a map.
pub trait KbFiles: IncludeSource {
    /// The `src` of the image at `path_in_kb` (copied into the bundle), or
    /// why it cannot be shown.
    fn image(&self, path_in_kb: &str) -> Result<String, FileProblem>;
}

/// A kb with no files besides its articles.
pub struct NoFiles;

impl IncludeSource for NoFiles {
    fn text_of(&self, _path_in_kb: &str) -> Result<String, FileProblem> {
        Err(FileProblem::Missing)
    }
}

impl KbFiles for NoFiles {
    fn image(&self, _path_in_kb: &str) -> Result<String, FileProblem> {
        Err(FileProblem::Missing)
    }
}
