//! How meaning-based matches merge into the lexical results: the one rule
//! that `cuecard eval` measures and the app applies when the agent pauses.
//!
//! Each list's scores are scaled to 0..1 over that list (min-max), and an
//! article's fused score is their weighted mean (0 for a list it is not
//! in): half and half when some article has every typed word, and less
//! weight to the lexical list when none has ([`PARTIAL_LEXICAL_WEIGHT`]):
//! its best rows then match only some of the words, which is exactly when
//! the caller's words are not the article's. Meaning-based matches below [`MIN_SIMILARITY`] are not admitted,
//! so a query that means nothing in the kb (a code, a name) keeps its
//! lexical results. Lexical order breaks ties, then ids. What words alone
//! rank first (an error code, a product, an exact title) keeps a place in
//! the top [`LEXICAL_FIRST_KEPT`]: a pasted error message is never pushed
//! out of the list by articles that only sound like it.
//!
//! A call's context merges by the same rule ([`fuse_context`]): its word
//! ranking is partial when no article carries half of the context's
//! terms' weight, its first result keeps a place in the top
//! [`CONTEXT_LEXICAL_FIRST_KEPT`], and its meaning-based matches are its
//! passages' pooled vector's nearest articles (`cuecard_meaning::pooling`).
//!
//! In the app the merge follows the results-state contract: a row the
//! agent moved the selection to stays where it is (the app's `state`
//! keeps it in place, as for every later stage).

/// A meaning-based match: an article and its cosine similarity.
#[derive(Debug, Clone, PartialEq)]
pub struct MeaningMatch {
    pub id: String,
    pub similarity: f32,
}

/// Weight of the lexical score in the blend (the meaning score has the
/// rest) when some article has every typed word.
pub const LEXICAL_WEIGHT: f32 = 0.5;

/// The same when no article has every typed word (the lexical results are
/// partial). Measured on the yardsticks (BENCHMARKS.md): 0.3 lifts the
/// callers' sets by 0.05-0.09 success@3 over 0.5 and keeps the sample kb's
/// floor; 0.15 drops it below.
pub const PARTIAL_LEXICAL_WEIGHT: f32 = 0.3;

/// Meaning-based matches less similar than this are ignored. Unrelated
/// texts score about 0 to 0.2 with the sentence model; paraphrases 0.4 and up.
pub const MIN_SIMILARITY: f32 = 0.25;

/// A typed query's lexical first result keeps a place within this many
/// of the top: in the list an agent sees. Closer would cost the callers'
/// sets, where that first match is often a partial one (BENCHMARKS.md).
pub const LEXICAL_FIRST_KEPT: usize = 10;

/// The same for a call's context's word ranking.
pub const CONTEXT_LEXICAL_FIRST_KEPT: usize = 3;

/// How many meaning-based matches a pass considers.
pub const MEANING_DEPTH: usize = 10;

/// The fused order of `lexical` (ids with scores, best first; `partial`
/// when no article had every word) and `meaning`, at most `limit` ids.
pub fn fuse(lexical: &[(String, f32)], partial: bool, meaning: &[MeaningMatch], limit: usize) -> Vec<String> {
    fuse_keeping(lexical, partial, meaning, limit, LEXICAL_FIRST_KEPT)
}

/// [`fuse`] for a call's context: `lexical` is its word ranking
/// ([`crate::suggest`]), `partial` when no article carries half of the
/// context's terms' weight ([`crate::suggest::Suggestions`]), `meaning`
/// its passages' pooled nearest articles. The word ranking's first keeps a
/// place in the top [`CONTEXT_LEXICAL_FIRST_KEPT`]: found by many of the
/// context's words, it is more often right than a typed query's partial
/// first match.
pub fn fuse_context(lexical: &[(String, f32)], partial: bool, meaning: &[MeaningMatch], limit: usize) -> Vec<String> {
    fuse_keeping(lexical, partial, meaning, limit, CONTEXT_LEXICAL_FIRST_KEPT)
}

fn fuse_keeping(lexical: &[(String, f32)], partial: bool, meaning: &[MeaningMatch], limit: usize, kept: usize) -> Vec<String> {
    let lexical_weight = if partial { PARTIAL_LEXICAL_WEIGHT } else { LEXICAL_WEIGHT };
    let meaning: Vec<&MeaningMatch> = meaning.iter().filter(|m| m.similarity >= MIN_SIMILARITY).take(MEANING_DEPTH).collect();
    let lexical_scaled = scaled(lexical.iter().map(|(_, s)| *s));
    let meaning_scaled = scaled(meaning.iter().map(|m| m.similarity));
    let mut fused: Vec<(f32, usize, &str)> = Vec::new();
    for (rank, ((id, _), scaled)) in lexical.iter().zip(&lexical_scaled).enumerate() {
        let semantic = meaning.iter().position(|m| &m.id == id).map_or(0.0, |i| meaning_scaled[i]);
        fused.push((lexical_weight * scaled + (1.0 - lexical_weight) * semantic, rank, id));
    }
    for (m, scaled) in meaning.iter().zip(&meaning_scaled) {
        if !lexical.iter().any(|(id, _)| id == &m.id) {
            fused.push(((1.0 - lexical_weight) * scaled, usize::MAX, &m.id));
        }
    }
    fused.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then_with(|| a.2.cmp(b.2)));
    let mut ids: Vec<String> = fused.into_iter().map(|(_, _, id)| id.to_string()).collect();
    // What words alone rank first is never pushed below `kept` (nor out
    // of a shorter list).
    let kept = kept.min(limit).max(1);
    if let Some((first, _)) = lexical.first()
        && let Some(at) = ids.iter().position(|id| id == first)
        && at >= kept
    {
        let id = ids.remove(at);
        ids.insert(kept - 1, id);
    }
    ids.truncate(limit);
    ids
}

/// Scores scaled to 0..1 over their list; a list of equal scores is all 1.
fn scaled(scores: impl Iterator<Item = f32>) -> Vec<f32> {
    let scores: Vec<f32> = scores.collect();
    let (min, max) = scores.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), s| (lo.min(*s), hi.max(*s)));
    scores.iter().map(|s| if max > min { (s - min) / (max - min) } else { 1.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexical(ids: &[(&str, f32)]) -> Vec<(String, f32)> {
        ids.iter().map(|(id, s)| (id.to_string(), *s)).collect()
    }

    fn meaning(ids: &[(&str, f32)]) -> Vec<MeaningMatch> {
        ids.iter().map(|(id, s)| MeaningMatch { id: id.to_string(), similarity: *s }).collect()
    }

    #[test]
    fn lifts_an_article_both_lists_agree_on() {
        let fused = fuse(&lexical(&[("a", 9.0), ("b", 8.0), ("c", 2.0)]), false, &meaning(&[("b", 0.7), ("d", 0.5), ("a", 0.3)]), 10);
        assert_eq!(fused, ["b", "a", "d", "c"]);
    }

    #[test]
    fn partial_lexical_results_weigh_less_than_a_strong_meaning_match() {
        let lex = lexical(&[("some-words", 5.0), ("fewer", 1.0)]);
        let near = meaning(&[("the-article", 0.6), ("some-words", 0.3)]);
        assert_eq!(fuse(&lex, false, &near, 10)[0], "some-words");
        assert_eq!(fuse(&lex, true, &near, 10)[0], "the-article");
    }

    #[test]
    fn a_meaning_match_alone_can_reach_the_top_when_lexical_finds_little() {
        let fused = fuse(&lexical(&[("x", 1.0)]), false, &meaning(&[("autopay", 0.62), ("y", 0.3)]), 10);
        assert_eq!(fused[0], "x", "a lone lexical hit is scaled to 1, ties go to lexical");
        let fused = fuse(&[], true, &meaning(&[("autopay", 0.62), ("y", 0.3)]), 10);
        assert_eq!(fused, ["autopay", "y"]);
    }

    #[test]
    fn what_words_alone_rank_first_keeps_a_place_in_the_list() {
        let lex = lexical(&[("error-91", 3.0), ("b", 2.9), ("c", 2.8)]);
        let near = meaning(&[("m1", 0.9), ("m2", 0.85), ("m3", 0.8), ("b", 0.7), ("c", 0.6)]);
        assert_eq!(fuse(&lex, true, &near, 10)[4], "error-91", "ranked by the blend");
        assert_eq!(fuse(&lex, true, &near, 3)[2], "error-91", "kept in a short list");
        assert_eq!(fuse_context(&lex, true, &near, 10)[..3], ["m1", "m2", "error-91"], "a context's is kept in the top three");
    }

    #[test]
    fn weak_meaning_matches_leave_lexical_results_alone() {
        let lex = lexical(&[("code-e4012", 12.0), ("other", 3.0)]);
        assert_eq!(fuse(&lex, true, &meaning(&[("unrelated", 0.2), ("other", 0.1)]), 10), ["code-e4012", "other"]);
        assert_eq!(fuse(&lex, false, &[], 1), ["code-e4012"]);
    }
}
