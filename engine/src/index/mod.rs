//! How is an article indexed? The fields and their weights ([`schema`])
//! and the per-language analyzers ([`analysis`]), which the writer and the
//! searcher both open an index with.

pub mod analysis;
pub mod schema;
