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
    /// Who owns it, how fresh it is, where it came from, what is related.
    #[serde(default)]
    pub info: ArticleInfo,
}

/// What an agent needs to judge an article at a glance, and where to go
/// next. Dates are ISO `YYYY-MM-DD`; freshness is judged in the browser
/// against today's date (see [`crate::article::trust`]), never at build time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Owner>,
    /// Date of the last review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
    /// Date the next review is due (`reviewed` + `review_every`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_due: Option<String>,
    /// Date after which the article must not be used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Its latest changes, newest first (see [`crate::article::changes`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<crate::article::changes::Change>,
    /// For a translation: its source and whether it still matches it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<TranslationInfo>,
    /// The same article in the kb's other locales.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_locales: Vec<ArticleLink>,
    /// Articles of the same locale sharing tags or products, closest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<ArticleLink>,
}

/// The person and team who answer for an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub name: String,
    pub team: String,
}

/// Where a translation comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslationInfo {
    /// The source article's locale and id.
    pub source_locale: String,
    pub source_id: String,
    /// True when the source changed since the revision this was translated
    /// from (`source_revision`). False when no revision was recorded.
    pub outdated: bool,
}

/// A link to an article, with enough to show it without opening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleLink {
    /// Locale of the linked article (empty: the same locale).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub locale: String,
    pub id: String,
    pub title: String,
}

/// The contents of one article file of the bundle: the articles of one
/// bucket ([`crate::format::manifest::bucket_of`]), sorted by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleFile {
    pub articles: Vec<RenderedArticle>,
}

impl ArticleFile {
    /// The article `id`, if this file holds it.
    pub fn article(&self, id: &str) -> Option<&RenderedArticle> {
        self.articles.iter().find(|a| a.id == id)
    }
}
