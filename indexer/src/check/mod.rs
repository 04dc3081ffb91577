//! Stage 3: every article of the kb together. [`pipeline`] is the one
//! path from a kb folder to checked articles that every command takes;
//! [`compile`] reads and parses every file (and [`audiences`] words what it
//! finds undeclared); [`redirects`] and [`cross_article`] are the checks
//! that need more than one article.

pub mod audiences;
pub mod compile;
pub mod cross_article;
pub mod pipeline;
pub mod redirects;
