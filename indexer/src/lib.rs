//! The `cuecard` CLI as a library: reading a kb, checking it, and writing
//! its bundle. `main.rs` only parses arguments and calls [`cli::run`].

pub mod article;
pub mod article_info;
pub mod build;
pub mod checks;
pub mod bundle_writer;
pub mod cli;
pub mod compile;
pub mod contract;
pub mod diagnostics;
pub mod disclosures;
pub mod eval;
pub mod front_matter;
pub mod git;
pub mod kb;
pub mod markdown;
pub mod synonyms;
