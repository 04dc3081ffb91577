//! Why a bundle file or an article could not be had, in words for the page
//! (the notices and the article pane show them).

/// A download, check or lookup that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The page has no window (it is not in a browser tab).
    #[error("no browser window")]
    NoWindow,
    /// The request failed: the network, or the browser refused it.
    #[error("could not download {url} ({why})")]
    Download { url: String, why: String },
    /// The server answered with an error status.
    #[error("could not download {url} (HTTP {status} {status_text})")]
    Http { url: String, status: u16, status_text: String },
    /// A text file that is not UTF-8.
    #[error("{url} is not UTF-8 text")]
    NotText { url: String },
    /// The bytes are not the ones the manifest names (the engine's words).
    #[error("{0} (a newer bundle may have replaced it)")]
    Damaged(String),
    /// A part that does not inflate or parse.
    #[error("{path} is damaged ({why})")]
    Unreadable { path: String, why: String },
    /// The manifest or the locale is not loaded yet.
    #[error("the knowledge base is still loading")]
    StillLoading,
    /// The manifest lists no such locale.
    #[error("the knowledge base has no locale {0}")]
    NoLocale(String),
    /// No locale asked has the article.
    #[error("there is no article “{id}” in {places}")]
    NoArticle { id: String, places: String },
    /// The manifest or an index the engine could not read (its words).
    #[error("{0}")]
    Engine(String),
}

impl From<cuecard_engine::EngineError> for LoadError {
    fn from(error: cuecard_engine::EngineError) -> LoadError {
        LoadError::Engine(error.to_string())
    }
}
