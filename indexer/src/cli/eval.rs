//! `cuecard eval`: the everyone build, compiled in memory without the
//! cross-article checks, asked labelled queries or call contexts.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::findings::{print_report, report};
use super::{Format, ReportFormat};
use crate::bundle::meaning::{Model, covers, embed_locale};
use crate::check::compile::Audience;
use crate::check::pipeline::{self, Checks, Plan};
use crate::measure::eval::{Asked, Meaning, evaluate, evaluate_fused, evaluate_fused_contexts, read_contexts, read_queries};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The knowledge base.
    #[arg(long, value_name = "DIR")]
    kb: PathBuf,
    /// The labelled queries.
    #[arg(long, value_name = "FILE", required_unless_present = "contexts", conflicts_with = "contexts")]
    queries: Option<PathBuf>,
    /// Labelled call contexts (tickets, call notes), for "Suggested for
    /// this call".
    #[arg(long, value_name = "FILE")]
    contexts: Option<PathBuf>,
    /// The locale the queries are in (default: the kb's default locale;
    /// also the locale of a kb without locale folders).
    #[arg(long)]
    locale: Option<String>,
    /// Measure meaning-based matching even though the kb has it off
    /// (`meaning: { enabled: true }` in cuecard.yaml turns it on): to
    /// try it before agents get it. Prints the fused figures first,
    /// then lexical only and meaning only.
    #[arg(long)]
    meaning: bool,
    /// Run the meaning model at f32, as published, instead of the int8
    /// weights agents get: what quantisation costs. Article vectors are
    /// stored at int8 either way.
    #[arg(long)]
    meaning_f32: bool,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

/// The meaning model's weights in `cuecard eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    /// The int8 weights bundles carry.
    Int8,
    /// The published f32 weights.
    F32,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let (queries, asked) = match (&args.queries, &args.contexts) {
        (Some(queries), _) => (read_queries(queries)?, Asked::Typed),
        (None, Some(contexts)) => (read_contexts(contexts)?, Asked::Context),
        (None, None) => anyhow::bail!("give --queries FILE or --contexts FILE"),
    };
    let wanted = match (args.meaning, args.meaning_f32) {
        (_, true) => Some(Precision::F32),
        (true, false) => Some(Precision::Int8),
        (false, false) => None,
    };
    let plan = Plan { kb: &args.kb, locale: args.locale.as_deref().unwrap_or("en"), audience: Audience::Build(None), checks: Checks::ArticlesOnly };
    let checked = match pipeline::run(&plan)? {
        Ok(checked) => checked,
        Err(diagnostics) => return Ok(report(&diagnostics, Format::Human, true, 0)),
    };
    if checked.has_errors() {
        return Ok(report(&checked.diagnostics, Format::Human, true, 0));
    }
    let compiled = &checked.compiled;
    let tag = args.locale.as_deref().map(cuecard_engine::locale::normalize_tag).unwrap_or_else(|| compiled.layout.default_locale.clone());
    let Some(locale) = compiled.locales.iter().find(|l| l.locale.tag == tag) else {
        anyhow::bail!("the kb has no locale {tag}");
    };
    let indexed: Vec<_> = locale.articles.iter().map(|(_, a)| a.indexed(&locale.synonyms)).collect();
    let index = cuecard_engine::writer::open_in_memory(&tag, &indexed)?;
    let precision = wanted.or(compiled.layout.meaning.enabled.then_some(Precision::Int8));
    let model = match (asked, precision) {
        (_, Some(precision)) if covers(&tag) => {
            let dir = Model::default_dir().context("no home folder to find the meaning model in; set CUECARD_MODEL_DIR")?;
            Some(match precision {
                Precision::Int8 => Model::load(&dir)?,
                Precision::F32 => Model::load_f32(&dir)?,
            })
        }
        (_, Some(_)) => {
            eprintln!("note: meaning-based matching does not apply here (the model does not cover {tag}): lexical figures only");
            None
        }
        _ => None,
    };
    if let Some(model) = &model {
        let vectors = article_vectors(model, &indexed, &args.kb, &tag, precision.unwrap_or(Precision::Int8));
        let meaning = Meaning { model, vectors: &vectors };
        let result = match asked {
            Asked::Typed => evaluate_fused(&index, &meaning, &queries),
            Asked::Context => evaluate_fused_contexts(&index, &meaning, &queries),
        };
        return print_report(args.format, &result.to_text(), &result);
    }
    let result = evaluate(&index, &queries, asked);
    print_report(args.format, &result.to_text(), &result)
}

/// The locale's article vectors, reusing those of articles whose text did
/// not change since the last eval of this kb (kept beside the model, by kb
/// folder and locale: embedding 2,800 articles takes about a minute here).
fn article_vectors(
    model: &Model,
    indexed: &[cuecard_engine::model::IndexedArticle],
    kb: &std::path::Path,
    tag: &str,
    precision: Precision,
) -> cuecard_meaning::ArticleVectors {
    let cache = eval_cache_file(kb, tag, precision);
    let previous = cache.as_ref().and_then(|path| std::fs::read(path).ok()).and_then(|bytes| cuecard_meaning::ArticleVectors::from_bytes(&bytes).ok());
    let started = std::time::Instant::now();
    let vectors = embed_locale(model, indexed, previous.as_ref());
    eprintln!(
        "note: embedded {} articles in {:.1}s ({} reused from the last eval)",
        vectors.embedded,
        started.elapsed().as_secs_f64(),
        vectors.reused
    );
    if let Some(path) = cache {
        let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, vectors.cache.to_bytes()));
        if let Err(error) = written {
            eprintln!("note: could not keep the article vectors for the next eval in {}: {error}", path.display());
        }
        if let Some(folder) = path.parent() {
            forget_all_but_newest(folder, KEPT_EVAL_VECTORS);
        }
    }
    vectors.vectors
}

/// How many kbs' eval vectors are kept (the most recently used).
const KEPT_EVAL_VECTORS: usize = 8;

/// Deletes all but the `kept` newest files of `folder` (the vectors of kbs
/// evaluated once, such as a test's temporary copy, do not pile up).
fn forget_all_but_newest(folder: &std::path::Path, kept: usize) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .filter(|(_, path)| path.extension().is_some_and(|x| x == "vectors"))
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0));
    for (_, path) in files.into_iter().skip(kept) {
        let _ = std::fs::remove_file(path);
    }
}

/// `<model dir>/../eval-vectors/<hash of the kb folder, locale and
/// precision>.vectors` (an f32 run's vectors are not the int8 model's,
/// though both carry the int8 file's hash).
fn eval_cache_file(kb: &std::path::Path, tag: &str, precision: Precision) -> Option<std::path::PathBuf> {
    let folder = std::fs::canonicalize(kb).ok()?;
    let key = cuecard_engine::hash::content_hash(format!("{}\0{tag}\0{precision:?}", folder.display()).as_bytes());
    Some(Model::default_dir()?.parent()?.join("eval-vectors").join(format!("{key}.vectors")))
}
