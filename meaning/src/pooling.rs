//! Many passages, one list of nearest articles: how a long context (a
//! ticket, a transcript: many of the model's windows) is matched. Each
//! passage is encoded on its own (`cuecard_engine::passages` cuts them);
//! their vectors are pooled into one query: the weighted mean of the
//! passages' unit vectors, scaled to unit length. One scan of the articles
//! however long the context.
//!
//! Measured against the alternatives on the context yardsticks
//! (BENCHMARKS.md, "Meaning for call contexts"): scoring each article by
//! its best passage, or encoding the context as one window.

use crate::encoder::unit;
use crate::vectors::{ArticleVectors, Nearest};

/// The weighted mean of `passages` (`(unit vector, weight)`), as a unit
/// vector; empty when there is none.
pub fn pooled_vector(passages: &[(&[f32], f32)]) -> Vec<f32> {
    let Some(dims) = passages.first().map(|(v, _)| v.len()) else { return Vec::new() };
    let mut sum = vec![0f32; dims];
    for (vector, weight) in passages {
        for (s, v) in sum.iter_mut().zip(vector.iter()) {
            *s += v * weight;
        }
    }
    unit(sum)
}

impl ArticleVectors {
    /// The `k` articles nearest to the passages' pooled vector, best first.
    pub fn nearest_pooled(&self, passages: &[(&[f32], f32)], k: usize) -> Vec<Nearest> {
        self.nearest(&pooled_vector(passages), k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vectors::Quantised;

    fn vectors() -> ArticleVectors {
        let articles = [("billing", [1.0, 0.0, 0.0]), ("router", [0.0, 1.0, 0.0]), ("roaming", [0.0, 0.0, 1.0])];
        ArticleVectors::new(3, articles.iter().map(|(id, v)| (id.to_string(), Quantised::new(v))).collect())
    }

    #[test]
    fn the_pooled_query_follows_the_weightier_passages() {
        let (router, roaming) = ([0.0f32, 1.0, 0.0], [0.0f32, 0.0, 1.0]);
        let passages: Vec<(&[f32], f32)> = vec![(&roaming, 0.5), (&router, 1.0)];
        let near = vectors().nearest_pooled(&passages, 3);
        assert_eq!(near[0].id, "router");
        assert_eq!(near[1].id, "roaming");
        assert!(near[2].similarity.abs() < 1e-6, "billing is unrelated");
        assert!((pooled_vector(&passages).iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-5);
        assert!(vectors().nearest_pooled(&[], 3).is_empty());
    }
}
