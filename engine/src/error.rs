//! The engine's error type: every failure names what was being read.

/// What can go wrong when a bundle is opened or written.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The packed index file is not one this engine wrote.
    #[error("the index file is not a Cuecard index pack ({0})")]
    BadPack(String),
    /// The bytes do not match the content hash the manifest recorded.
    #[error("file {file} is damaged: its content hash is {actual}, the manifest expects {expected}")]
    HashMismatch {
        file: String,
        expected: String,
        actual: String,
    },
    /// The bundle was written by an incompatible version of Cuecard.
    #[error(
        "this bundle has format version {found}, but this app reads version {expected}; rebuild the bundle with a matching `cuecard` or reload the app"
    )]
    FormatVersion { found: u32, expected: u32 },
    /// A JSON part of the bundle does not parse.
    #[error("{file} is not valid: {source}")]
    Json {
        file: String,
        #[source]
        source: serde_json::Error,
    },
    /// tantivy could not open or query the index.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}
