//! `cuecard eval`: the relevance yardstick. Runs labelled queries against a
//! kb's index (the same engine code the app runs) and reports success@1,
//! success@3 and MRR@10, overall and per kind, with every miss.
//!
//! Query files are TSV with the header `query<TAB>kind<TAB>best<TAB>also_ok`;
//! `also_ok` holds `;`-separated ids that are equally right. Ids may carry a
//! trailing `.md`.
//!
//! Context files (`--contexts`) label call contexts for "Suggested for this
//! call" ([`cuecard_engine::suggest`]): a YAML list of `{ context, best,
//! also_ok, kind }`, the context a ticket or call notes as written.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use cuecard_engine::LocaleIndex;
use serde::{Deserialize, Serialize};

/// How many results count for MRR.
const MRR_DEPTH: usize = 10;

/// One labelled query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledQuery {
    pub query: String,
    pub kind: String,
    /// The ids that count as right; the first is the best.
    pub accepted: Vec<String>,
    /// Line in the query file (for a contexts file, the entry's number).
    pub line: usize,
}

/// What the labelled texts are, and so which engine call answers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Typed queries: the search box.
    Typed,
    /// Call contexts: the suggestions.
    Context,
}

/// One labelled context as the file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledContext {
    context: String,
    best: String,
    #[serde(default)]
    also_ok: Vec<String>,
    #[serde(default = "context_kind")]
    kind: String,
}

fn context_kind() -> String {
    "context".to_string()
}

/// Reads a contexts file (YAML), with errors that name the entry.
pub fn read_contexts(path: &Path) -> Result<Vec<LabelledQuery>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_contexts(&text).with_context(|| format!("in {}", path.display()))
}

pub fn parse_contexts(text: &str) -> Result<Vec<LabelledQuery>> {
    let entries: Vec<LabelledContext> =
        serde_norway::from_str(text).context("expected a YAML list of `{ context, best, also_ok, kind }`")?;
    let clean = |id: &str| id.trim().trim_end_matches(".md").to_string();
    entries
        .into_iter()
        .enumerate()
        .map(|(n, entry)| {
            if entry.context.trim().is_empty() || entry.best.trim().is_empty() {
                bail!("entry {}: needs a context and the best article id", n + 1);
            }
            let mut accepted = vec![clean(&entry.best)];
            accepted.extend(entry.also_ok.iter().map(|id| clean(id)));
            Ok(LabelledQuery { query: entry.context, kind: entry.kind, accepted, line: n + 1 })
        })
        .collect()
}

/// Reads a query file, with errors that name the line.
pub fn read_queries(path: &Path) -> Result<Vec<LabelledQuery>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_queries(&text).with_context(|| format!("in {}", path.display()))
}

pub fn parse_queries(text: &str) -> Result<Vec<LabelledQuery>> {
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines.next().map(|(_, h)| h.split('\t').collect()).unwrap_or_default();
    if header.get(..4) != Some(&["query", "kind", "best", "also_ok"][..]) {
        bail!("line 1: the header must be `query<TAB>kind<TAB>best<TAB>also_ok`");
    }
    let clean = |id: &str| id.trim().trim_end_matches(".md").to_string();
    let mut out = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() < 3 || columns[0].trim().is_empty() || columns[2].trim().is_empty() {
            bail!("line {}: expected a query, a kind and the best article id, separated by tabs", n + 1);
        }
        let mut accepted = vec![clean(columns[2])];
        if let Some(also) = columns.get(3) {
            accepted.extend(also.split(';').map(clean).filter(|id| !id.is_empty()));
        }
        out.push(LabelledQuery { query: columns[0].to_string(), kind: columns[1].trim().to_string(), accepted, line: n + 1 });
    }
    Ok(out)
}

/// The figures of a set of queries.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub queries: usize,
    pub success_at_1: f64,
    pub success_at_3: f64,
    pub mrr_at_10: f64,
}

/// A query whose best answer was not first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub query: String,
    pub kind: String,
    pub expected: String,
    /// 1-based rank of the first accepted article, if in the top 10.
    pub rank: Option<usize>,
    /// What ranked above it (or the top results, when it was not found).
    pub above: Vec<String>,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub overall: Figures,
    pub by_kind: BTreeMap<String, Figures>,
    pub misses: Vec<Miss>,
}

/// Runs every query (or context) against `index`.
pub fn evaluate(index: &LocaleIndex, queries: &[LabelledQuery], asked: Asked) -> Report {
    evaluate_ranking(queries, asked, |_, labelled| {
        let hits = match asked {
            Asked::Typed => index.search(&labelled.query, MRR_DEPTH).hits,
            Asked::Context => index.suggest(&labelled.query, MRR_DEPTH),
        };
        hits.into_iter().map(|h| h.id).collect()
    })
}

/// The article vectors and the model that encodes queries, for
/// meaning-based matching.
pub struct Meaning<'a> {
    pub model: &'a crate::bundle::meaning::Model,
    pub vectors: &'a cuecard_meaning::ArticleVectors,
}

/// The three figures of typed queries with meaning-based matching: fused
/// (what agents get once they pause), lexical only (what they get while
/// typing) and meaning only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FusedReport {
    pub fused: Report,
    pub lexical_only: Report,
    pub meaning_only: Report,
}

/// Runs typed queries three ways. The fused order is the app's merge rule
/// ([`cuecard_engine::fusion::fuse`]) over the same lexical results and
/// the same int8 model and vectors the app's worker uses.
pub fn evaluate_fused(index: &LocaleIndex, meaning: &Meaning<'_>, queries: &[LabelledQuery]) -> FusedReport {
    use cuecard_engine::fusion::{MEANING_DEPTH, MeaningMatch, fuse};
    // Per query: the lexical hits, whether they are partial, the nearest.
    let passes: Vec<(Vec<(String, f32)>, bool, Vec<MeaningMatch>)> = queries
        .iter()
        .map(|labelled| {
            let results = index.search(&labelled.query, MRR_DEPTH);
            let partial = results.partial;
            let lexical = results.hits.into_iter().map(|h| (h.id, h.score)).collect();
            let query = meaning.model.embed_query(&labelled.query);
            let near = meaning.vectors.nearest(&query, MEANING_DEPTH.max(MRR_DEPTH));
            (lexical, partial, near.into_iter().map(|n| MeaningMatch { id: n.id, similarity: n.similarity }).collect())
        })
        .collect();
    FusedReport {
        fused: evaluate_ranking(queries, Asked::Typed, |i, _| fuse(&passes[i].0, passes[i].1, &passes[i].2, MRR_DEPTH)),
        lexical_only: evaluate_ranking(queries, Asked::Typed, |i, _| passes[i].0.iter().map(|(id, _)| id.clone()).collect()),
        meaning_only: evaluate_ranking(queries, Asked::Typed, |i, _| passes[i].2.iter().take(MRR_DEPTH).map(|m| m.id.clone()).collect()),
    }
}

/// Runs call contexts three ways, as the app's suggestions: the word
/// ranking ([`LocaleIndex::suggest`]), the context's passages
/// ([`LocaleIndex::context_passages`]) encoded and pooled
/// ([`cuecard_meaning::pooling`]), and both fused by the one rule
/// ([`cuecard_engine::fusion::fuse_context`]).
pub fn evaluate_fused_contexts(index: &LocaleIndex, meaning: &Meaning<'_>, contexts: &[LabelledQuery]) -> FusedReport {
    use cuecard_engine::fusion::{MEANING_DEPTH, MeaningMatch, fuse_context};
    let passes: Vec<(Vec<(String, f32)>, bool, Vec<MeaningMatch>)> = contexts
        .iter()
        .map(|labelled| {
            let suggestions = index.suggestions(&labelled.query, MRR_DEPTH);
            let lexical: Vec<(String, f32)> = suggestions.hits.into_iter().map(|h| (h.id, h.score)).collect();
            let passages = index.context_passages(&labelled.query);
            let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
            let vectors = meaning.model.encoder.embed_many(&texts);
            let pooled: Vec<(&[f32], f32)> = vectors.iter().zip(&passages).map(|(v, p)| (v.as_slice(), p.weight)).collect();
            let near = meaning.vectors.nearest_pooled(&pooled, MEANING_DEPTH.max(MRR_DEPTH));
            let near = near.into_iter().map(|n| MeaningMatch { id: n.id, similarity: n.similarity }).collect();
            (lexical, suggestions.partial, near)
        })
        .collect();
    FusedReport {
        fused: evaluate_ranking(contexts, Asked::Context, |i, _| fuse_context(&passes[i].0, passes[i].1, &passes[i].2, MRR_DEPTH)),
        lexical_only: evaluate_ranking(contexts, Asked::Context, |i, _| passes[i].0.iter().map(|(id, _)| id.clone()).collect()),
        meaning_only: evaluate_ranking(contexts, Asked::Context, |i, _| passes[i].2.iter().take(MRR_DEPTH).map(|m| m.id.clone()).collect()),
    }
}

impl FusedReport {
    /// Fused figures first, in [`Report::to_text`]'s format (with its
    /// misses), then lexical only and meaning only.
    pub fn to_text(&self) -> String {
        let mut out = self.fused.to_text();
        for (name, report) in [("lexical only", &self.lexical_only), ("meaning only", &self.meaning_only)] {
            out.push_str(&format!("\n== {name} ==\n"));
            out.push_str(&report.figures_text());
        }
        out
    }
}

/// Scores the ranking `rank_of` gives each labelled query (by its
/// position in `queries`).
fn evaluate_ranking(queries: &[LabelledQuery], asked: Asked, rank_of: impl Fn(usize, &LabelledQuery) -> Vec<String>) -> Report {
    let mut ranks: Vec<(&LabelledQuery, Option<usize>)> = Vec::new();
    let mut report = Report::default();
    for (i, labelled) in queries.iter().enumerate() {
        let ids = rank_of(i, labelled);
        let rank = ids.iter().position(|id| labelled.accepted.contains(id)).map(|p| p + 1);
        if rank != Some(1) {
            let above = ids.iter().take(rank.map_or(3, |r| r - 1)).cloned().collect();
            report.misses.push(Miss {
                query: match asked {
                    Asked::Typed => labelled.query.clone(),
                    Asked::Context => {
                        let start: String = labelled.query.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(60).collect();
                        format!("entry {}: {start}", labelled.line)
                    }
                },
                kind: labelled.kind.clone(),
                expected: labelled.accepted[0].clone(),
                rank,
                above,
            });
        }
        ranks.push((labelled, rank));
    }
    report.overall = figures(ranks.iter().map(|(_, r)| *r));
    let kinds: Vec<&str> = ranks.iter().map(|(q, _)| q.kind.as_str()).collect();
    for kind in kinds {
        report.by_kind.entry(kind.to_string()).or_insert_with(|| {
            figures(ranks.iter().filter(|(q, _)| q.kind == kind).map(|(_, r)| *r))
        });
    }
    report
}

fn figures(ranks: impl Iterator<Item = Option<usize>>) -> Figures {
    let ranks: Vec<Option<usize>> = ranks.collect();
    let n = ranks.len().max(1) as f64;
    let within = |k: usize| ranks.iter().filter(|r| r.is_some_and(|r| r <= k)).count() as f64 / n;
    Figures {
        queries: ranks.len(),
        success_at_1: within(1),
        success_at_3: within(3),
        mrr_at_10: ranks.iter().map(|r| r.map_or(0.0, |r| 1.0 / r as f64)).sum::<f64>() / n,
    }
}

impl Report {
    /// The report for people: the whole set's figures first, one per line.
    pub fn to_text(&self) -> String {
        let mut out = self.figures_text();
        if !self.misses.is_empty() {
            out.push_str(&format!("\nmisses ({})\n", self.misses.len()));
        }
        for miss in &self.misses {
            let rank = miss.rank.map_or("not in the top 10".to_string(), |r| format!("ranked {r}"));
            out.push_str(&format!(
                "  {:?} ({}): {} {rank}; above it: {}\n",
                miss.query,
                miss.kind,
                miss.expected,
                if miss.above.is_empty() { "-".to_string() } else { miss.above.join(", ") }
            ));
        }
        out
    }

    /// The figures alone: overall, then per kind.
    pub fn figures_text(&self) -> String {
        let mut out = String::new();
        let lines = |prefix: &str, f: &Figures| {
            format!(
                "{prefix}success@1 {:.3}\n{prefix}success@3 {:.3}\n{prefix}mrr@10 {:.3}\n",
                f.success_at_1, f.success_at_3, f.mrr_at_10
            )
        };
        out.push_str(&lines("", &self.overall));
        out.push_str(&format!("queries {}\n", self.overall.queries));
        for (kind, f) in &self.by_kind {
            out.push_str(&format!("\n{kind} ({} queries)\n", f.queries));
            out.push_str(&lines("  ", f));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_tsv_format() {
        let q = parse_queries("query\tkind\tbest\talso_ok\nrefu\tprefix\tbilling/refund.md\ta;b.md\n\n# note\nfee\ttask\tx\t\n").unwrap();
        assert_eq!(q[0].accepted, ["billing/refund", "a", "b"]);
        assert_eq!((q[1].accepted.len(), q[1].line), (1, 5));
        assert!(parse_queries("q\tk\n").is_err());
        assert!(parse_queries("query\tkind\tbest\talso_ok\nonly a query\n").unwrap_err().to_string().contains("line 2"));
    }

    #[test]
    fn parses_the_contexts_format() {
        let c = parse_contexts("- best: billing/refund.md\n  also_ok: [a]\n  context: |\n    Hi, I want my money back.\n- best: b\n  kind: transcript\n  context: Caller says no signal.\n").unwrap();
        assert_eq!(c[0].accepted, ["billing/refund", "a"]);
        assert_eq!((c[0].kind.as_str(), c[0].query.as_str()), ("context", "Hi, I want my money back.\n"));
        assert_eq!((c[1].kind.as_str(), c[1].line), ("transcript", 2));
        assert!(parse_contexts("- best: b\n  context: \"\"\n").unwrap_err().to_string().contains("entry 1"));
        assert!(parse_contexts("- best: b\n  context: x\n  typo: y\n").is_err());
    }

    #[test]
    fn figures_follow_ranks() {
        let f = figures([Some(1), Some(2), None, Some(4)].into_iter());
        assert_eq!(f.success_at_1, 0.25);
        assert_eq!(f.success_at_3, 0.5);
        assert!((f.mrr_at_10 - (1.0 + 0.5 + 0.25) / 4.0).abs() < 1e-9);
    }
}
