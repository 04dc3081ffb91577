//! Meaning-based matching: finds the article when the agent's words are not
//! the article's. A small sentence encoder (all-MiniLM-L6-v2: 6 layers, 384
//! dimensions) turns a text into a unit vector; texts that mean the same lie
//! close together. The same int8 weights run natively (the indexer embeds
//! articles, `cuecard eval` encodes queries) and in the browser's worker
//! (the agent's query), so eval measures what agents get.
//!
//! - [`wordpiece`]: BERT's uncased tokenizer, text to token ids.
//! - [`weights`]: the quantised model file (`model.<hash>.ccm` in a bundle).
//! - [`encoder`]: the transformer's forward pass and mean pooling.
//! - [`vectors`]: article vectors, int8, and nearest-article search.
//! - [`pooling`]: a long context's passages as one query.
//! - `framing`: the magic, length and JSON header both files start with.
//! - `location`: where `cargo xtask setup` puts the model (native).
//! - `convert` (feature): the registry package's files to [`weights`].

#[cfg(feature = "convert")]
pub mod convert;
pub mod encoder;
mod framing;
#[cfg(not(target_arch = "wasm32"))]
pub mod location;
pub mod pooling;
pub mod vectors;
pub mod weights;
pub mod wordpiece;

pub use encoder::Encoder;
pub use vectors::{ArticleVectors, Nearest, Quantised};
pub use weights::Weights;

/// What can go wrong reading a model or vectors file.
#[derive(Debug, thiserror::Error)]
pub enum MeaningError {
    #[error("the model file is damaged or of another version: {0}")]
    BadModel(String),
    #[error("the article vectors file is damaged or of another version: {0}")]
    BadVectors(String),
    #[cfg(feature = "convert")]
    #[error("{0}")]
    Convert(String),
}
