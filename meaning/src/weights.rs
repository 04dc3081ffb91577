//! The quantised model file: a BERT encoder's weights at int8 with one
//! scale per output row (biases and layer norms stay f32), and its
//! vocabulary. About a quarter of the f32 model; the same bytes run in the
//! indexer and in the browser.
//!
//! Layout: the magic `CUECARD-MEANING\x01`, a little-endian `u32` length,
//! a JSON header ([`Header`]: shape and vocabulary), then every tensor in a
//! fixed order that the shape determines, little-endian. Deterministic:
//! the same model gives the same bytes, so its content hash is stable.

use serde::{Deserialize, Serialize};

use crate::{MeaningError, framing};

const MAGIC: &[u8; 16] = b"CUECARD-MEANING\x01";

/// The model's shape.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    pub dims: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    /// Positions kept: the longest input, `[CLS]` and `[SEP]` included.
    pub max_tokens: usize,
    pub layer_norm_eps: f32,
}

/// The JSON header.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    /// Where the weights came from (package, version), for people.
    source: String,
    shape: Shape,
    vocab: Vec<String>,
}

/// A matrix at int8: `rows` rows of `cols`, each row with its own scale.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantMatrix {
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<i8>,
    pub scales: Vec<f32>,
    /// The f32 values it was quantised from, kept only to measure what
    /// quantisation costs (`cuecard eval --meaning-f32`): when present the
    /// matrix computes with them. Never written to a model file.
    pub original: Option<Vec<f32>>,
}

impl QuantMatrix {
    /// The same matrix keeping its f32 values to compute with.
    pub fn keeping_original(rows: usize, cols: usize, values: &[f32]) -> QuantMatrix {
        QuantMatrix { original: Some(values.to_vec()), ..QuantMatrix::quantise(rows, cols, values) }
    }

    /// Symmetric per-row quantisation of a row-major f32 matrix.
    pub fn quantise(rows: usize, cols: usize, values: &[f32]) -> QuantMatrix {
        assert_eq!(values.len(), rows * cols, "matrix size");
        let mut quantised = Vec::with_capacity(values.len());
        let mut scales = Vec::with_capacity(rows);
        for row in values.chunks_exact(cols) {
            let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
            let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
            quantised.extend(row.iter().map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8));
            scales.push(scale);
        }
        QuantMatrix { rows, cols, values: quantised, scales, original: None }
    }

    /// Row `row`, back at f32, into `out`.
    pub fn row_into(&self, row: usize, out: &mut [f32]) {
        if let Some(original) = &self.original {
            out.copy_from_slice(&original[row * self.cols..(row + 1) * self.cols]);
            return;
        }
        let scale = self.scales[row];
        let values = &self.values[row * self.cols..(row + 1) * self.cols];
        for (o, v) in out.iter_mut().zip(values) {
            *o = f32::from(*v) * scale;
        }
    }

    /// The whole matrix back at f32, row-major.
    pub fn dequantise(&self) -> Vec<f32> {
        let mut out = vec![0f32; self.rows * self.cols];
        for (row, chunk) in out.chunks_exact_mut(self.cols).enumerate() {
            self.row_into(row, chunk);
        }
        out
    }
}

/// A dense layer: `weight` is `out × in` (PyTorch's order).
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    pub weight: QuantMatrix,
    pub bias: Vec<f32>,
}

/// A layer norm's scale and shift.
#[derive(Debug, Clone, PartialEq)]
pub struct Norm {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

/// One transformer layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub attention_out: Linear,
    pub attention_norm: Norm,
    pub intermediate: Linear,
    pub output: Linear,
    pub output_norm: Norm,
}

/// The whole model.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub source: String,
    pub shape: Shape,
    pub vocab: Vec<String>,
    /// `vocab × dims`.
    pub word_embeddings: QuantMatrix,
    /// `max_tokens × dims`.
    pub position_embeddings: QuantMatrix,
    /// Token type 0's embedding (single texts never use type 1).
    pub token_type: Vec<f32>,
    pub embedding_norm: Norm,
    pub layers: Vec<Layer>,
}

impl Weights {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header { source: self.source.clone(), shape: self.shape, vocab: self.vocab.clone() };
        let mut out = framing::start(MAGIC, &header, self.word_embeddings.values.len() * 2);
        let mut writer = Writer(&mut out);
        writer.matrix(&self.word_embeddings);
        writer.matrix(&self.position_embeddings);
        writer.floats(&self.token_type);
        writer.norm(&self.embedding_norm);
        for layer in &self.layers {
            for linear in [&layer.query, &layer.key, &layer.value, &layer.attention_out] {
                writer.linear(linear);
            }
            writer.norm(&layer.attention_norm);
            writer.linear(&layer.intermediate);
            writer.linear(&layer.output);
            writer.norm(&layer.output_norm);
        }
        out
    }

    /// Reads a model file, checking every size against the header's shape.
    pub fn from_bytes(bytes: &[u8]) -> Result<Weights, MeaningError> {
        let bad = |why: &str| MeaningError::BadModel(why.to_string());
        let (header, rest): (Header, &[u8]) = framing::split(bytes, MAGIC).map_err(|why| bad(&why))?;
        let Shape { dims, layers, intermediate, max_tokens, heads, .. } = header.shape;
        if dims == 0 || heads == 0 || dims % heads != 0 || header.vocab.is_empty() {
            return Err(bad("its shape is impossible"));
        }
        let mut reader = Reader { rest };
        let word_embeddings = reader.matrix(header.vocab.len(), dims)?;
        let position_embeddings = reader.matrix(max_tokens, dims)?;
        let token_type = reader.floats(dims)?;
        let embedding_norm = reader.norm(dims)?;
        let mut all_layers = Vec::with_capacity(layers);
        for _ in 0..layers {
            all_layers.push(Layer {
                query: reader.linear(dims, dims)?,
                key: reader.linear(dims, dims)?,
                value: reader.linear(dims, dims)?,
                attention_out: reader.linear(dims, dims)?,
                attention_norm: reader.norm(dims)?,
                intermediate: reader.linear(intermediate, dims)?,
                output: reader.linear(dims, intermediate)?,
                output_norm: reader.norm(dims)?,
            });
        }
        if !reader.rest.is_empty() {
            return Err(bad("it has bytes after the last tensor"));
        }
        Ok(Weights {
            source: header.source,
            shape: header.shape,
            vocab: header.vocab,
            word_embeddings,
            position_embeddings,
            token_type,
            embedding_norm,
            layers: all_layers,
        })
    }
}

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn floats(&mut self, values: &[f32]) {
        for v in values {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
    }
    fn matrix(&mut self, m: &QuantMatrix) {
        self.0.extend(m.values.iter().map(|v| *v as u8));
        self.floats(&m.scales);
    }
    fn linear(&mut self, l: &Linear) {
        self.matrix(&l.weight);
        self.floats(&l.bias);
    }
    fn norm(&mut self, n: &Norm) {
        self.floats(&n.weight);
        self.floats(&n.bias);
    }
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], MeaningError> {
        let (taken, rest) = self.rest.split_at_checked(n).ok_or_else(|| MeaningError::BadModel("it is cut short".into()))?;
        self.rest = rest;
        Ok(taken)
    }
    fn floats(&mut self, n: usize) -> Result<Vec<f32>, MeaningError> {
        let bytes = self.take(n * 4)?;
        Ok(bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))).collect())
    }
    fn matrix(&mut self, rows: usize, cols: usize) -> Result<QuantMatrix, MeaningError> {
        let values = self.take(rows * cols)?.iter().map(|b| *b as i8).collect();
        let scales = self.floats(rows)?;
        Ok(QuantMatrix { rows, cols, values, scales, original: None })
    }
    fn linear(&mut self, rows: usize, cols: usize) -> Result<Linear, MeaningError> {
        Ok(Linear { weight: self.matrix(rows, cols)?, bias: self.floats(rows)? })
    }
    fn norm(&mut self, n: usize) -> Result<Norm, MeaningError> {
        Ok(Norm { weight: self.floats(n)?, bias: self.floats(n)? })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A random-looking but fixed tiny model (for the encoder's tests too).
    pub(crate) fn tiny_model() -> Weights {
        let mut seed = 7u32;
        let mut next = move || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.4
        };
        let shape = Shape { dims: 8, layers: 2, heads: 2, intermediate: 16, max_tokens: 12, layer_norm_eps: 1e-12 };
        let mut matrix = |rows: usize, cols: usize| {
            let values: Vec<f32> = (0..rows * cols).map(|_| next()).collect();
            QuantMatrix::quantise(rows, cols, &values)
        };
        let vocab: Vec<String> =
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "bill", "pay", "##ment", "late", "fee", "phone"].iter().map(|s| s.to_string()).collect();
        let norm = || Norm { weight: vec![1.0; 8], bias: vec![0.0; 8] };
        let word_embeddings = matrix(vocab.len(), 8);
        let position_embeddings = matrix(12, 8);
        let layers = (0..2)
            .map(|_| Layer {
                query: Linear { weight: matrix(8, 8), bias: vec![0.01; 8] },
                key: Linear { weight: matrix(8, 8), bias: vec![0.0; 8] },
                value: Linear { weight: matrix(8, 8), bias: vec![0.0; 8] },
                attention_out: Linear { weight: matrix(8, 8), bias: vec![0.0; 8] },
                attention_norm: norm(),
                intermediate: Linear { weight: matrix(16, 8), bias: vec![0.0; 16] },
                output: Linear { weight: matrix(8, 16), bias: vec![0.0; 8] },
                output_norm: norm(),
            })
            .collect();
        Weights {
            source: "test".into(),
            shape,
            vocab,
            word_embeddings,
            position_embeddings,
            token_type: vec![0.0; 8],
            embedding_norm: norm(),
            layers,
        }
    }

    #[test]
    fn quantises_each_row_within_half_a_step() {
        let values = [0.5, -1.0, 0.25, 0.0, 0.001, -0.002];
        let m = QuantMatrix::quantise(2, 3, &values);
        for (row, chunk) in values.chunks(3).enumerate() {
            let step = m.scales[row];
            let mut back = [0f32; 3];
            m.row_into(row, &mut back);
            for (a, b) in chunk.iter().zip(back) {
                assert!((a - b).abs() <= step / 2.0 + 1e-9, "{a} vs {b}");
            }
        }
        assert_eq!(m.values[1], -127);
    }

    #[test]
    fn round_trips_and_refuses_damage() {
        let model = tiny_model();
        let bytes = model.to_bytes();
        assert_eq!(Weights::from_bytes(&bytes).unwrap(), model);
        assert_eq!(bytes, Weights::from_bytes(&bytes).unwrap().to_bytes());
        assert!(Weights::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Weights::from_bytes(&longer).is_err());
        assert!(Weights::from_bytes(b"<!doctype html>").is_err());
    }
}
