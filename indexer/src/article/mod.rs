//! Stage 2: one Markdown file -> the [`Article`] Cuecard indexes and shows,
//! a pure function of its path and text ([`parse`]). The text passes in
//! the order they run: [`contract`] reads the front matter's fields,
//! [`includes`], [`colon_fences`] and [`docfx`] rewrite docs-site syntax
//! (all skip code by [`fences`]), [`markdown`] renders; [`revision`]
//! hashes content.

pub mod colon_fences;
pub mod contract;
pub mod docfx;
pub mod files;
pub mod fences;
pub mod imported_origin;
pub mod includes;
pub mod markdown;
pub mod parse;
pub mod revision;

pub use files::{KbFiles, NoFiles};
pub use parse::{Article, ArticleError, ParseContext, default_id};
