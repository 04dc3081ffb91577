//! Cuecard's shared core, compiled natively (indexer) and for wasm32 (app).
//!
//! It is the only place that knows the bundle format: the article model the
//! indexer fills, the tantivy schema and analyzers, how an index is packed
//! into one file and opened again read-only, how parts are stored
//! compressed, the text store snippets come from, where old article ids
//! went, and how a typed query becomes ranked, highlighted results. It also
//! holds what a problem report says and the scrubbing that keeps customer
//! data out of it. Nothing here does I/O: callers hand in bytes.

pub mod analysis;
pub mod changes;
pub mod directory;
pub mod error;
pub mod facets;
pub mod fusion;
pub mod feedback;
pub mod hash;
pub mod links;
pub mod locale;
pub mod manifest;
pub mod model;
pub mod origins;
pub mod pack;
pub mod parts;
pub mod query;
pub mod redirects;
pub mod schema;
pub mod scrub;
pub mod search;
pub mod signals;
pub mod suggest;
pub mod text_store;
pub mod trust;
#[cfg(feature = "write")]
pub mod writer;

pub use error::EngineError;
pub use manifest::{BUNDLE_FORMAT_VERSION, Manifest};
pub use search::{Hit, HitDetails, Highlighted, LocaleIndex, PendingDetails, SearchDetails, SearchResults, SectionHit};
