//! The registry package's model to [`Weights`]: reads a sentence-transformers
//! BERT folder (`config.json`, `model.safetensors` at f32, `tokenizer.json`)
//! and quantises it. Native only (the indexer).

use std::collections::HashMap;
use std::path::Path;

use safetensors::{Dtype, SafeTensors};
use serde::Deserialize;

use crate::MeaningError;
use crate::weights::{Layer, Linear, Norm, QuantMatrix, Shape, Weights};

/// Longest input kept, `[CLS]` and `[SEP]` included: a query, or an
/// article's title, summary, headings and opening. Costs grow with it.
pub const MAX_TOKENS: usize = 128;

#[derive(Deserialize)]
struct Config {
    hidden_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    max_position_embeddings: usize,
    layer_norm_eps: f32,
    #[serde(default)]
    hidden_act: Option<String>,
}

#[derive(Deserialize)]
struct TokenizerFile {
    model: TokenizerModel,
}

#[derive(Deserialize)]
struct TokenizerModel {
    #[serde(rename = "type")]
    kind: String,
    vocab: HashMap<String, u32>,
}

fn convert_error(what: impl std::fmt::Display) -> MeaningError {
    MeaningError::Convert(what.to_string())
}

/// Reads and quantises the model in `dir`; `source` names it for people.
pub fn from_dir(dir: &Path, source: &str) -> Result<Weights, MeaningError> {
    read_dir(dir, source, QuantMatrix::quantise)
}

/// The same, computing at f32 as published (its file is still int8): what
/// quantisation costs is measured against it.
pub fn from_dir_f32(dir: &Path, source: &str) -> Result<Weights, MeaningError> {
    read_dir(dir, source, QuantMatrix::keeping_original)
}

fn read_dir(dir: &Path, source: &str, quantise: fn(usize, usize, &[f32]) -> QuantMatrix) -> Result<Weights, MeaningError> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| convert_error(format!("{}: {e}", dir.join(name).display())));
    let config: Config = serde_json::from_slice(&read("config.json")?).map_err(|e| convert_error(format!("config.json: {e}")))?;
    if config.hidden_act.as_deref().is_some_and(|a| a != "gelu") {
        return Err(convert_error("config.json: only GELU models are supported"));
    }
    let tokenizer: TokenizerFile =
        serde_json::from_slice(&read("tokenizer.json")?).map_err(|e| convert_error(format!("tokenizer.json: {e}")))?;
    if tokenizer.model.kind != "WordPiece" {
        return Err(convert_error(format!("tokenizer.json: a {} tokenizer, not WordPiece", tokenizer.model.kind)));
    }
    let mut vocab = vec![String::new(); tokenizer.model.vocab.len()];
    for (piece, id) in tokenizer.model.vocab {
        let slot = vocab.get_mut(id as usize).ok_or_else(|| convert_error("tokenizer.json: vocabulary ids have gaps"))?;
        *slot = piece;
    }
    let bytes = read("model.safetensors")?;
    let tensors = SafeTensors::deserialize(&bytes).map_err(|e| convert_error(format!("model.safetensors: {e}")))?;
    let floats = |name: &str, rows: usize, cols: usize| -> Result<Vec<f32>, MeaningError> {
        let view = tensors.tensor(name).map_err(|e| convert_error(format!("model.safetensors: {name}: {e}")))?;
        if view.dtype() != Dtype::F32 {
            return Err(convert_error(format!("model.safetensors: {name} is {:?}, not F32", view.dtype())));
        }
        let values: Vec<f32> = view.data().chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))).collect();
        if values.len() < rows * cols {
            return Err(convert_error(format!("model.safetensors: {name} is smaller than {rows}×{cols}")));
        }
        Ok(values[..rows * cols].to_vec())
    };
    let matrix = |name: &str, rows: usize, cols: usize| Ok::<_, MeaningError>(quantise(rows, cols, &floats(name, rows, cols)?));
    let linear = |prefix: &str, rows: usize, cols: usize| {
        Ok::<_, MeaningError>(Linear { weight: matrix(&format!("{prefix}.weight"), rows, cols)?, bias: floats(&format!("{prefix}.bias"), rows, 1)? })
    };
    let norm = |prefix: &str, n: usize| {
        Ok::<_, MeaningError>(Norm { weight: floats(&format!("{prefix}.weight"), n, 1)?, bias: floats(&format!("{prefix}.bias"), n, 1)? })
    };
    let dims = config.hidden_size;
    let inner = config.intermediate_size;
    let max_tokens = MAX_TOKENS.min(config.max_position_embeddings);
    let layers = (0..config.num_hidden_layers)
        .map(|i| {
            let p = format!("encoder.layer.{i}");
            Ok(Layer {
                query: linear(&format!("{p}.attention.self.query"), dims, dims)?,
                key: linear(&format!("{p}.attention.self.key"), dims, dims)?,
                value: linear(&format!("{p}.attention.self.value"), dims, dims)?,
                attention_out: linear(&format!("{p}.attention.output.dense"), dims, dims)?,
                attention_norm: norm(&format!("{p}.attention.output.LayerNorm"), dims)?,
                intermediate: linear(&format!("{p}.intermediate.dense"), inner, dims)?,
                output: linear(&format!("{p}.output.dense"), dims, inner)?,
                output_norm: norm(&format!("{p}.output.LayerNorm"), dims)?,
            })
        })
        .collect::<Result<Vec<_>, MeaningError>>()?;
    Ok(Weights {
        source: source.to_string(),
        shape: Shape {
            dims,
            layers: config.num_hidden_layers,
            heads: config.num_attention_heads,
            intermediate: inner,
            max_tokens,
            layer_norm_eps: config.layer_norm_eps,
        },
        word_embeddings: matrix("embeddings.word_embeddings.weight", vocab.len(), dims)?,
        vocab,
        position_embeddings: matrix("embeddings.position_embeddings.weight", max_tokens, dims)?,
        token_type: floats("embeddings.token_type_embeddings.weight", 1, dims)?,
        embedding_norm: norm("embeddings.LayerNorm", dims)?,
        layers,
    })
}
