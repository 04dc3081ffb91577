//! The `cuecard` CLI as a library: reading a kb, checking it, and writing
//! its bundle. `main.rs` only parses arguments and calls [`cli::run`].

pub mod article;
pub mod article_info;
pub mod bounded_yaml;
pub mod build;
pub mod checks;
pub mod cli;
pub mod colon_fences;
pub mod compile;
pub mod contract;
pub mod diagnostics;
pub mod disclosures;
pub mod eval;
pub mod gaps;
pub mod front_matter;
pub mod git;
pub mod history;
pub mod includes;
pub mod kb;
pub mod markdown;
pub mod meaning;
pub mod publish;
pub mod redirects;
pub mod sandbox;
pub mod severity;
pub mod site_headers;
pub mod site_workers;
pub mod synonyms;
