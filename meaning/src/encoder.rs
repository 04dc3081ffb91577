//! The sentence encoder: BERT's forward pass over [`Weights`], then the
//! mean of the last layer over the text's tokens, scaled to unit length
//! (what sentence-transformers does for all-MiniLM-L6-v2). Dot products
//! of two such vectors are cosine similarities.
//!
//! Texts are encoded in batches without padding: the dense layers run on
//! every token of the batch at once (one matrix product each), attention
//! runs per text. Each layer's int8 weights are widened to f32 just before
//! their product and dropped after it, so the f32 model never sits in
//! memory whole (the browser's worker holds the int8 bytes only).

use ndarray::{Array2, ArrayView2, Axis, Slice};

use crate::weights::{Linear, Norm, Weights};
use crate::wordpiece::WordPiece;
use crate::MeaningError;

/// Tokens of one batch at most: bounds the activations (the widest is
/// `tokens × intermediate` floats, 25 MB at 4,096 × 1,536).
const MAX_BATCH_TOKENS: usize = 4096;

/// A model ready to encode.
#[derive(Debug, Clone)]
pub struct Encoder {
    weights: Weights,
    tokenizer: WordPiece,
}

impl Encoder {
    pub fn new(weights: Weights) -> Result<Encoder, MeaningError> {
        let tokenizer = WordPiece::new(&weights.vocab).map_err(MeaningError::BadModel)?;
        Ok(Encoder { weights, tokenizer })
    }

    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Encoder, MeaningError> {
        Encoder::new(Weights::from_bytes(bytes)?)
    }

    /// Length of every vector.
    pub fn dims(&self) -> usize {
        self.weights.shape.dims
    }

    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The token ids `text` is read as (its end cut at the model's limit).
    pub fn token_ids(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(text, self.weights.shape.max_tokens)
    }

    /// `text`'s unit vector.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.embed_many(&[text]).pop().expect("one text gives one vector")
    }

    /// Every text's unit vector, in order.
    pub fn embed_many(&self, texts: &[&str]) -> Vec<Vec<f32>> {
        self.embed_many_within(texts, self.weights.shape.max_tokens)
    }

    /// The same, reading at most `tokens` of each text (never more than
    /// the model's positions): articles' openings cost less to embed.
    pub fn embed_many_within(&self, texts: &[&str], tokens: usize) -> Vec<Vec<f32>> {
        let tokens = tokens.clamp(2, self.weights.shape.max_tokens);
        let tokenized: Vec<Vec<u32>> = texts.iter().map(|t| self.tokenizer.encode(t, tokens)).collect();
        let mut vectors = Vec::with_capacity(texts.len());
        let mut start = 0;
        while start < tokenized.len() {
            let mut end = start;
            let mut tokens = 0;
            while end < tokenized.len() && (end == start || tokens + tokenized[end].len() <= MAX_BATCH_TOKENS) {
                tokens += tokenized[end].len();
                end += 1;
            }
            vectors.extend(self.encode_batch(&tokenized[start..end]));
            start = end;
        }
        vectors
    }

    fn encode_batch(&self, texts: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let w = &self.weights;
        let dims = w.shape.dims;
        let total: usize = texts.iter().map(Vec::len).sum();
        let mut x = Array2::<f32>::zeros((total, dims));
        let mut position_row = vec![0f32; dims];
        let mut row = 0;
        for ids in texts {
            for (position, id) in ids.iter().enumerate() {
                let mut out = x.row_mut(row);
                let out = out.as_slice_mut().expect("rows of a fresh array are contiguous");
                w.word_embeddings.row_into(*id as usize, out);
                w.position_embeddings.row_into(position, &mut position_row);
                for ((o, p), t) in out.iter_mut().zip(&position_row).zip(&w.token_type) {
                    *o += p + t;
                }
                row += 1;
            }
        }
        layer_norm(&mut x, &w.embedding_norm, w.shape.layer_norm_eps);
        let lengths: Vec<usize> = texts.iter().map(Vec::len).collect();
        for layer in &w.layers {
            let q = linear(&x.view(), &layer.query);
            let k = linear(&x.view(), &layer.key);
            let v = linear(&x.view(), &layer.value);
            let context = attention(&q, &k, &v, &lengths, w.shape.heads);
            let mut attended = linear(&context.view(), &layer.attention_out);
            attended += &x;
            layer_norm(&mut attended, &layer.attention_norm, w.shape.layer_norm_eps);
            let mut hidden = linear(&attended.view(), &layer.intermediate);
            hidden.mapv_inplace(gelu);
            let mut out = linear(&hidden.view(), &layer.output);
            out += &attended;
            layer_norm(&mut out, &layer.output_norm, w.shape.layer_norm_eps);
            x = out;
        }
        let mut vectors = Vec::with_capacity(texts.len());
        let mut start = 0;
        for len in lengths {
            let mean = x.slice_axis(Axis(0), Slice::from(start..start + len)).mean_axis(Axis(0)).expect("a text has tokens");
            vectors.push(unit(mean.to_vec()));
            start += len;
        }
        vectors
    }
}

/// `x · Wᵀ + b`, the weights widened to f32 for this product only.
fn linear(x: &ArrayView2<f32>, layer: &Linear) -> Array2<f32> {
    let weight = Array2::from_shape_vec((layer.weight.rows, layer.weight.cols), layer.weight.dequantise())
        .expect("a matrix's values fill its shape");
    let mut out = x.dot(&weight.t());
    for mut row in out.rows_mut() {
        for (o, b) in row.iter_mut().zip(&layer.bias) {
            *o += b;
        }
    }
    out
}

/// Multi-head self-attention within each text (no text sees another).
fn attention(q: &Array2<f32>, k: &Array2<f32>, v: &Array2<f32>, lengths: &[usize], heads: usize) -> Array2<f32> {
    let dims = q.ncols();
    let head_dims = dims / heads;
    let scale = 1.0 / (head_dims as f32).sqrt();
    let mut context = Array2::<f32>::zeros(q.raw_dim());
    let mut start = 0;
    for &len in lengths {
        for head in 0..heads {
            let cols = head * head_dims..(head + 1) * head_dims;
            let rows = start..start + len;
            let block = |m: &Array2<f32>| {
                m.slice_axis(Axis(0), Slice::from(rows.clone())).slice_axis(Axis(1), Slice::from(cols.clone())).to_owned()
            };
            let (qh, kh, vh) = (block(q), block(k), block(v));
            let mut scores = qh.dot(&kh.t());
            for mut row in scores.rows_mut() {
                let max = row.iter().fold(f32::NEG_INFINITY, |m, s| m.max(*s * scale));
                let mut sum = 0.0;
                row.mapv_inplace(|s| {
                    let e = (s * scale - max).exp();
                    sum += e;
                    e
                });
                row.mapv_inplace(|e| e / sum);
            }
            context
                .slice_axis_mut(Axis(0), Slice::from(rows))
                .slice_axis_mut(Axis(1), Slice::from(cols))
                .assign(&scores.dot(&vh));
        }
        start += len;
    }
    context
}

fn layer_norm(x: &mut Array2<f32>, norm: &Norm, eps: f32) {
    let n = x.ncols() as f32;
    for mut row in x.rows_mut() {
        let mean = row.sum() / n;
        let variance = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
        let inverse = 1.0 / (variance + eps).sqrt();
        for ((v, w), b) in row.iter_mut().zip(&norm.weight).zip(&norm.bias) {
            *v = (*v - mean) * inverse * w + b;
        }
    }
}

/// The exact (erf) GELU BERT was trained with.
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// `v` scaled to length 1 (a zero vector stays zero).
pub fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let length = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if length > 0.0 {
        v.iter_mut().for_each(|x| *x /= length);
    }
    v
}

/// The dot product (the cosine, for unit vectors).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::tests::tiny_model;

    #[test]
    fn gives_unit_vectors_and_batches_like_single_texts() {
        let encoder = Encoder::new(tiny_model()).unwrap();
        let texts = ["late payment fee", "phone bill", "pay"];
        let batch = encoder.embed_many(&texts);
        for (text, vector) in texts.iter().zip(&batch) {
            assert_eq!(vector.len(), 8);
            assert!((dot(vector, vector) - 1.0).abs() < 1e-5);
            let alone = encoder.embed(text);
            assert!(alone.iter().zip(vector).all(|(a, b)| (a - b).abs() < 1e-5), "{text}");
        }
        assert!(dot(&batch[0], &batch[1]) < 0.9999);
    }

    #[test]
    fn texts_longer_than_the_model_are_cut_not_refused() {
        let encoder = Encoder::new(tiny_model()).unwrap();
        assert_eq!(encoder.token_ids(&"bill ".repeat(50)).len(), 12);
        assert_eq!(encoder.embed(&"bill ".repeat(50)).len(), 8);
        assert_eq!(encoder.embed("").len(), 8);
    }
}
