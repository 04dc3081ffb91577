//! Cuecard's shared core, compiled natively (indexer) and for wasm32 (app).
//!
//! It is the only place that knows the bundle format. Each folder answers
//! one question:
//! - [`format`]: what is a bundle, and how is it stored?
//! - [`index`]: how is an article indexed?
//! - [`search`]: how does what an agent typed become results?
//! - [`article`]: what is an article, and how far can it be trusted today?
//! - [`boundary`]: what may leave the device, and who may drive the app?
//! - [`writer`] (the `write` feature, for the indexer): how is a tier of a
//!   locale's index built? It stands above the folders: it uses them all.
//!
//! Nothing here does I/O: callers hand in bytes. The modules are also
//! re-exported by name at the crate root (`cuecard_engine::manifest`), the
//! paths the indexer and the app use.

pub mod article;
pub mod boundary;
pub mod error;
pub mod format;
pub mod index;
pub mod search;
#[cfg(feature = "write")]
pub mod writer;

pub use article::{changes, day, links, locale, model, trust};
pub use boundary::{feedback, origins, scrub, signals};
pub use format::{directory, hash, manifest, pack, parts, redirects, text_store};
pub use index::{analysis, schema};
pub use search::{facets, fusion, passages, query, suggest};

pub use error::EngineError;
pub use format::manifest::{BUNDLE_FORMAT_VERSION, Manifest};
pub use search::suggest::Suggestions;
pub use search::{Hit, HitDetails, Highlighted, LocaleIndex, PendingDetails, SearchDetails, SearchResults, SectionHit};
