//! The article as the indexer hands it to the engine, and as the app shows it.

use serde::{Deserialize, Serialize};

/// What the search index needs of one article (plain text, no markup).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexedArticle {
    /// Stable id, the same across locales (see the UI contract).
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Texts of the article's headings below the title.
    pub headings: Vec<String>,
    /// Other words for the topic: the article's `aka` and synonyms of
    /// words it uses.
    pub aka: Vec<String>,
    /// The article body as plain text, for matching and snippets.
    pub body_text: String,
    /// Where each section starts in `body_text`, in order.
    pub sections: Vec<SectionStart>,
    /// Facets: the article's category, products and tags.
    pub category: Option<String>,
    pub products: Vec<String>,
    pub tags: Vec<String>,
}

/// A section of an article: its heading and where its text starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionStart {
    /// The heading's anchor in the rendered article (`sec-eligibility`).
    pub anchor: String,
    pub title: String,
    /// Byte offset in the plain-text body where the section starts.
    pub start: usize,
}

/// A heading of a rendered article, for section links.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The `id` attribute of the heading in `html`.
    pub anchor: String,
}

/// One article ready to display, as stored in the bundle's article files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedArticle {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Safe HTML of the body (raw HTML in the Markdown is never passed through).
    pub html: String,
    pub headings: Vec<Heading>,
    /// Source file, relative to the kb root, for "edit this article" links.
    pub source_path: String,
}

/// The contents of one article file of the bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleFile {
    /// Ordinal of the first article in this file.
    pub first_ord: u64,
    pub articles: Vec<RenderedArticle>,
}
