//! The text store: every article's plain-text body, for snippets, kept out
//! of the search index.
//!
//! Bodies are most of a kb's bytes and search never reads them: it needs
//! them only to show the best passage of the hits on screen. So they live
//! in text files of their own, one per bucket of articles (see
//! [`crate::format::manifest::bucket_of`]), which the app fetches for the hits it
//! shows and caches. Until a hit's text arrives the row shows its title and
//! summary.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::article::model::SectionStart;

/// One article's text, as the second stage of a search reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ArticleText {
    /// The plain-text body (what the index's `body` field was built from).
    pub body: String,
    /// Where each section starts in `body`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionStart>,
}

/// The contents of one text file: article id -> text. Sorted, so the same
/// articles always give the same bytes.
pub type TextFile = BTreeMap<String, ArticleText>;

/// Where the second stage of a search finds the texts of hits.
pub trait ArticleTexts {
    /// The text of article `id`, if it is at hand.
    fn text_of(&self, id: &str) -> Option<&ArticleText>;
}

/// No texts at hand: snippets stay empty (the app's rows show summaries).
pub struct NoTexts;

impl ArticleTexts for NoTexts {
    fn text_of(&self, _id: &str) -> Option<&ArticleText> {
        None
    }
}

impl ArticleTexts for TextFile {
    fn text_of(&self, id: &str) -> Option<&ArticleText> {
        self.get(id)
    }
}

impl ArticleTexts for HashMap<String, ArticleText> {
    fn text_of(&self, id: &str) -> Option<&ArticleText> {
        self.get(id)
    }
}
