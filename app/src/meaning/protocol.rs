//! The messages between the app and its meaning-based matching worker
//! (`bin/meaning_worker.rs`), as JSON strings. Shared by both sides.

use serde::{Deserialize, Serialize};

/// A bundle part the worker fetches: its URL and the manifest's sha256 of
/// its stored bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub url: String,
    pub sha256: String,
}

/// App → worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ToWorker {
    /// Load the model (once) and a locale's article vectors (its buckets).
    Load { model: Part, locale: String, vectors: Vec<Part> },
    /// Find the articles nearest to `text` in `locale`.
    Query { seq: u32, locale: String, text: String },
    /// Find the articles nearest to a call's context in `locale`: its
    /// passages (`cuecard_engine::passages`) with their weights, pooled.
    Context { seq: u32, locale: String, passages: Vec<(String, f32)> },
}

/// Worker → app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker's wasm is running and listening. Messages posted before
    /// it would be lost (the loader instantiates the wasm asynchronously),
    /// so the app holds them until it hears this.
    Started,
    /// The model and the locale's vectors are loaded; the worker's wasm
    /// memory is `memory_bytes` (for the benchmark).
    Ready { locale: String, memory_bytes: f64 },
    /// Loading failed: the app stays lexical.
    Failed { error: String },
    /// The nearest articles to `text`, best first, with cosine similarities;
    /// `ms` is the time the worker spent encoding and searching.
    Nearest { seq: u32, locale: String, text: String, matches: Vec<(String, f32)>, ms: f64 },
    /// The nearest articles to context pass `seq`; `encoded` of its
    /// passages were new (the others' vectors were kept from the last pass).
    /// Not `complete`: a first step, from the newest passages only; the
    /// pass's complete answer follows.
    ContextNearest { seq: u32, locale: String, matches: Vec<(String, f32)>, ms: f64, encoded: usize, complete: bool },
}
