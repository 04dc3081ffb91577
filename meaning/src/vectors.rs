//! Article vectors at int8 (one byte a dimension plus a scale: 388 bytes an
//! article at 384 dimensions), and the nearest articles to a query vector.
//!
//! Layout: the magic `CUECARD-VECTORS\x01`, a little-endian `u32` length, a
//! JSON header (dimensions and article ids, in order), then per article its
//! `dims` int8 values and its f32 scale. Deterministic, ids sorted.

use serde::{Deserialize, Serialize};

use crate::{MeaningError, framing};

const MAGIC: &[u8; 16] = b"CUECARD-VECTORS\x01";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    dims: usize,
    ids: Vec<String>,
}

/// A locale's article vectors.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ArticleVectors {
    dims: usize,
    ids: Vec<String>,
    values: Vec<i8>,
    scales: Vec<f32>,
}

/// One vector at int8: `values × scale` is the vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantised {
    pub values: Vec<i8>,
    pub scale: f32,
}

impl Quantised {
    /// Symmetric quantisation of a (unit) vector.
    pub fn new(vector: &[f32]) -> Quantised {
        let max = vector.iter().fold(0f32, |m, v| m.max(v.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        Quantised { values: vector.iter().map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8).collect(), scale }
    }
}

/// One article near a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Nearest {
    pub id: String,
    /// Cosine similarity, -1 to 1.
    pub similarity: f32,
}

impl ArticleVectors {
    /// From `(id, vector)` pairs; sorted by id, so the bytes do not depend
    /// on the order articles were read in. A repeated id keeps its first.
    pub fn new(dims: usize, mut articles: Vec<(String, Quantised)>) -> ArticleVectors {
        articles.sort_by(|a, b| a.0.cmp(&b.0));
        articles.dedup_by(|b, a| a.0 == b.0);
        let mut vectors = ArticleVectors { dims, ..ArticleVectors::default() };
        for (id, vector) in articles {
            assert_eq!(vector.values.len(), dims, "vector of {id}");
            vectors.ids.push(id);
            vectors.values.extend(vector.values);
            vectors.scales.push(vector.scale);
        }
        vectors
    }

    /// Every `(id, vector)`, in id order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Quantised)> + '_ {
        self.ids.iter().enumerate().map(|(i, id)| {
            (id.as_str(), Quantised { values: self.values[i * self.dims..(i + 1) * self.dims].to_vec(), scale: self.scales[i] })
        })
    }

    /// One set of several (a locale's buckets, as the bundle stores them).
    /// Parts of another dimension than the first are left out; a repeated
    /// id keeps one vector. Copies each vector once, straight into place:
    /// in the browser's worker memory never shrinks, so the peak is what
    /// stays (36k articles: 14 MB of vectors).
    pub fn merge(parts: Vec<ArticleVectors>) -> ArticleVectors {
        let dims = parts.iter().map(|p| p.dims).find(|d| *d > 0).unwrap_or(0);
        let mut order: Vec<(&str, &ArticleVectors, usize)> =
            parts.iter().filter(|p| p.dims == dims).flat_map(|p| p.ids.iter().enumerate().map(move |(i, id)| (id.as_str(), p, i))).collect();
        order.sort_by(|a, b| a.0.cmp(b.0));
        order.dedup_by(|b, a| a.0 == b.0);
        let mut merged = ArticleVectors {
            dims,
            ids: Vec::with_capacity(order.len()),
            values: Vec::with_capacity(order.len() * dims),
            scales: Vec::with_capacity(order.len()),
        };
        for (id, part, i) in order {
            merged.ids.push(id.to_string());
            merged.values.extend_from_slice(&part.values[i * dims..(i + 1) * dims]);
            merged.scales.push(part.scales[i]);
        }
        merged
    }

    /// The vector stored for `id`.
    pub fn get(&self, id: &str) -> Option<Quantised> {
        let i = self.ids.binary_search_by(|probe| probe.as_str().cmp(id)).ok()?;
        Some(Quantised { values: self.values[i * self.dims..(i + 1) * self.dims].to_vec(), scale: self.scales[i] })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The `k` articles most similar to `query` (a unit vector), best
    /// first; ties by id.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<Nearest> {
        if query.len() != self.dims || self.dims == 0 {
            return Vec::new();
        }
        let mut scored: Vec<(f32, usize)> = self
            .values
            .chunks_exact(self.dims)
            .zip(&self.scales)
            .enumerate()
            .map(|(i, (values, scale))| (dot_int8(values, query) * scale, i))
            .collect();
        let order = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then_with(|| self.ids[a.1].cmp(&self.ids[b.1]));
        // The best `k` first, then only those sorted (a 36k-article locale
        // would otherwise sort every article per query).
        if k < scored.len() {
            scored.select_nth_unstable_by(k, order);
            scored.truncate(k);
        }
        scored.sort_by(order);
        scored.into_iter().map(|(similarity, i)| Nearest { id: self.ids[i].clone(), similarity }).collect()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let header = Header { dims: self.dims, ids: self.ids.clone() };
        let mut out = framing::start(MAGIC, &header, self.values.len() + self.scales.len() * 4);
        for (values, scale) in self.values.chunks_exact(self.dims.max(1)).zip(&self.scales) {
            out.extend(values.iter().map(|v| *v as u8));
            out.extend_from_slice(&scale.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<ArticleVectors, MeaningError> {
        let bad = |why: &str| MeaningError::BadVectors(why.to_string());
        let (header, rest): (Header, &[u8]) = framing::split(bytes, MAGIC).map_err(|why| bad(&why))?;
        let stride = header.dims + 4;
        if header.dims == 0 || rest.len() != stride * header.ids.len() {
            return Err(bad("its size does not match its header"));
        }
        let mut vectors = ArticleVectors { dims: header.dims, ids: header.ids, ..ArticleVectors::default() };
        for record in rest.chunks_exact(stride) {
            let (values, scale) = record.split_at(header.dims);
            vectors.values.extend(values.iter().map(|b| *b as i8));
            vectors.scales.push(f32::from_le_bytes(scale.try_into().expect("4 bytes")));
        }
        Ok(vectors)
    }
}

/// `values · query`, summed in eight lanes so that the compiler can use
/// SIMD (a single running float sum must stay in order).
fn dot_int8(values: &[i8], query: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (value_chunks, query_chunks) = (values.chunks_exact(8), query.chunks_exact(8));
    let tail: f32 = value_chunks.remainder().iter().zip(query_chunks.remainder()).map(|(v, q)| f32::from(*v) * q).sum();
    for (v, q) in value_chunks.zip(query_chunks) {
        for ((lane, v), q) in lanes.iter_mut().zip(v).zip(q) {
            *lane += f32::from(*v) * q;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoder::unit;

    fn vectors() -> ArticleVectors {
        ArticleVectors::new(
            3,
            vec![
                ("b/phone".into(), Quantised::new(&unit(vec![0.0, 1.0, 0.2]))),
                ("a/bill".into(), Quantised::new(&unit(vec![1.0, 0.1, 0.0]))),
                ("c/fee".into(), Quantised::new(&unit(vec![0.7, 0.7, 0.0]))),
                ("a/bill".into(), Quantised::new(&unit(vec![0.0, 0.0, 1.0]))),
            ],
        )
    }

    #[test]
    fn finds_the_nearest_first_with_near_exact_similarities() {
        let found = vectors().nearest(&unit(vec![1.0, 0.0, 0.0]), 2);
        assert_eq!(found.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["a/bill", "c/fee"]);
        assert!((found[0].similarity - 1.0 / (1.01f32).sqrt()).abs() < 0.01);
        assert!(vectors().nearest(&[1.0, 0.0], 3).is_empty(), "a vector of another size finds nothing");
    }

    #[test]
    fn the_lane_sum_is_the_plain_dot_product_at_any_length() {
        for len in [1, 7, 8, 9, 384] {
            let values: Vec<i8> = (0..len).map(|i| ((i * 37) % 255) as i8).collect();
            let query: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
            let plain: f32 = values.iter().zip(&query).map(|(v, q)| f32::from(*v) * q).sum();
            assert!((dot_int8(&values, &query) - plain).abs() < 1e-3 * plain.abs().max(1.0), "{len}");
        }
    }

    #[test]
    fn the_best_few_of_many_come_in_order_with_ties_by_id() {
        let many: Vec<(String, Quantised)> = (0..500).map(|i| (format!("a/{i:03}"), Quantised::new(&unit(vec![1.0, (i % 50) as f32 * 0.1, 0.0])))).collect();
        let vectors = ArticleVectors::new(3, many);
        let found = vectors.nearest(&unit(vec![1.0, 0.0, 0.0]), 4);
        // i % 50 == 0 lies on the query: a/000, a/050, a/100, a/150 by id.
        assert_eq!(found.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["a/000", "a/050", "a/100", "a/150"]);
        let all = vectors.nearest(&unit(vec![1.0, 0.0, 0.0]), 1000);
        assert_eq!(all.len(), 500);
        assert!(all.windows(2).all(|w| w[0].similarity >= w[1].similarity));
    }

    #[test]
    fn round_trips_sorted_and_refuses_damage() {
        let bytes = vectors().to_bytes();
        assert_eq!(ArticleVectors::from_bytes(&bytes).unwrap(), vectors());
        assert_eq!(bytes.len(), framing::start(MAGIC, &Header { dims: 3, ids: vec!["a/bill".into(), "b/phone".into(), "c/fee".into()] }, 0).len() + 3 * 7);
        assert!(ArticleVectors::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(ArticleVectors::from_bytes(b"nope").is_err());
        assert_eq!(vectors().get("c/fee"), Some(Quantised::new(&unit(vec![0.7, 0.7, 0.0]))));
        assert_eq!(vectors().get("d/none"), None);
    }

    #[test]
    fn buckets_merge_back_into_the_whole() {
        let whole = vectors();
        let (a, b): (Vec<_>, Vec<_>) = whole.entries().map(|(id, v)| (id.to_string(), v)).partition(|(id, _)| id.starts_with('b'));
        assert_eq!(ArticleVectors::merge(vec![ArticleVectors::new(3, a), ArticleVectors::new(3, b)]), whole);
        assert_eq!(ArticleVectors::merge(Vec::new()), ArticleVectors::default());
    }
}
