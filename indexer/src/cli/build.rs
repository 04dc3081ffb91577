//! `cuecard build`: the pipeline for one audience, then the history, the
//! meaning vectors and the bundle, published only when no finding is an
//! error; a summary of what was published.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use super::Format;
use super::findings::{Publication, announce_layout, announce_publication, nothing_published, print_findings, report};
use crate::bundle::meaning::{MODEL_LANGUAGES, Model, covers};
use crate::check::compile::Audience;
use crate::check::pipeline::{self, Checks, Plan};
use crate::kb::KbLayout;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub bundle: BundleArgs,
    /// Where to write the bundle (replaced only when the build succeeds).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// What a bundle is built from and for: shared by `build` and `site`.
#[derive(Debug, clap::Args)]
pub struct BundleArgs {
    /// The knowledge base: one folder per locale (en-US/, de-DE/, ...),
    /// or a single-locale tree of Markdown files.
    #[arg(long, value_name = "DIR")]
    pub kb: PathBuf,
    /// The locale of a kb without locale folders.
    #[arg(long, default_value = "en")]
    locale: String,
    /// Build for this audience (declared in cuecard.yaml): articles for
    /// everyone plus those whose `audience` names it. Without it, only
    /// articles for everyone. Not access control: restrict who may fetch
    /// an audience's bundle.
    #[arg(long, value_name = "ID")]
    pub audience: Option<String>,
    /// How long files of earlier builds stay beside the new ones, for
    /// apps still open on them (e.g. `7days`, `12h`, `0s`).
    #[arg(long, value_name = "DURATION", default_value = "7days", value_parser = humantime::parse_duration)]
    pub keep_old: std::time::Duration,
    /// How to print findings (see `check`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The moment the build counts as made (`2026-11-26` or
    /// `2026-11-26T09:30:00Z`), for reproducible bundles: the
    /// manifest's build time and the date of changes not yet committed.
    /// Default: `SOURCE_DATE_EPOCH` (seconds) if set, else now.
    #[arg(long, value_name = "WHEN", value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    Ok(publish_bundle(&args.bundle, &args.out)?.refused.unwrap_or(ExitCode::SUCCESS))
}

/// What building a bundle did.
pub struct BundleRun {
    /// Every finding, as printed.
    pub diagnostics: Vec<crate::findings::diagnostics::Diagnostic>,
    /// The exit code when nothing was published (`out` as it was).
    pub refused: Option<ExitCode>,
    /// Article files -> their locale and id, for linking findings to them.
    pub articles: std::collections::HashMap<PathBuf, (String, String)>,
}

impl BundleRun {
    fn refused(code: ExitCode, diagnostics: Vec<crate::findings::diagnostics::Diagnostic>) -> BundleRun {
        BundleRun { diagnostics, refused: Some(code), articles: Default::default() }
    }
}

/// Builds the bundle of `args.kb` into `out`, findings printed; refused
/// when the kb has errors (nothing published, `out` as it was).
pub fn publish_bundle(args: &BundleArgs, out: &std::path::Path) -> Result<BundleRun> {
    let started = Instant::now();
    let today = jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date();
    let plan = Plan { kb: &args.kb, locale: &args.locale, audience: Audience::Build(args.audience.clone()), checks: Checks::CrossArticle { today } };
    let mut checked = match pipeline::run(&plan)? {
        Ok(checked) => checked,
        Err(diagnostics) => return Ok(BundleRun::refused(report(&diagnostics, args.format, true, 0), diagnostics)),
    };
    let articles = checked
        .compiled
        .locales
        .iter()
        .flat_map(|l| l.articles.iter().map(|(source, article)| (source.path.clone(), (l.locale.tag.clone(), article.id.clone()))))
        .collect();
    announce_layout(&checked.compiled.layout);
    checked.diagnostics.extend(nothing_published(&checked.compiled.counts, &checked.compiled.layout, args.audience.as_deref()));
    if checked.has_errors() {
        announce_publication(&checked.compiled.counts, &checked.compiled.layout, Publication::WouldPublish(args.audience.as_deref()));
        let code = report(&checked.diagnostics, args.format, true, checked.articles());
        return Ok(BundleRun { diagnostics: checked.diagnostics, refused: Some(code), articles });
    }
    print_findings(&checked.diagnostics, args.format, true);
    let now = match args.now {
        Some(now) => now,
        None => build_time_from_env()?,
    };
    let compiled = &checked.compiled;
    let history = crate::history::History::read(&compiled.layout.root, compiled.layout.changes.commit_subjects, &compiled.layout.fields);
    eprintln!("{}", history.announcement());
    let model = meaning_model(&compiled.layout);
    let inputs = crate::bundle::build::BuildInputs { redirects: &checked.redirects, history: &history, now, meaning: model.as_ref() };
    let report = crate::bundle::build::write_bundle(compiled, inputs, out, args.keep_old, started)
        .context("the new bundle was not published; --out still serves what it served before")?;
    let sizes: Vec<String> = report
        .locales
        .iter()
        .map(|(tag, n, bytes)| format!("{tag} {n} ({:.1} MB)", *bytes as f64 / 1e6))
        .collect();
    let published = &report.published;
    eprintln!(
        "built {} articles in {:.2}s ({:.0}/s) -> {}\n  {}\n  published {} new files ({:.1} MB), {} unchanged; {} files of earlier builds retired, {} deleted after {}",
        report.articles(),
        report.seconds,
        report.articles() as f64 / report.seconds.max(1e-9),
        report.out.display(),
        sizes.join(", "),
        published.new_files,
        published.new_bytes as f64 / 1e6,
        published.reused_files,
        published.retired,
        published.deleted,
        humantime::format_duration(args.keep_old),
    );
    announce_publication(&compiled.counts, &compiled.layout, Publication::Published);
    if let Some(problem) = &published.cleanup_problem {
        eprintln!("warning: the new bundle is published, but files of earlier builds were not cleaned up: {problem}");
    }
    Ok(BundleRun { diagnostics: checked.diagnostics, refused: None, articles })
}

/// The sentence model when the kb turns meaning-based matching on. A
/// missing or unreadable model is said, and the bundle is lexical only:
/// a policy fix must never wait for a model download.
fn meaning_model(layout: &KbLayout) -> Option<Model> {
    if !layout.meaning.enabled {
        return None;
    }
    let uncovered: Vec<&str> = layout.locales.iter().map(|l| l.tag.as_str()).filter(|tag| !covers(tag)).collect();
    if !uncovered.is_empty() {
        eprintln!("note: meaning-based matching covers {} only; {} stay lexical", MODEL_LANGUAGES.join(", "), uncovered.join(", "));
    }
    let hint = crate::bundle::model_install::INSTALL_HINT;
    let Some(dir) = Model::default_dir() else {
        eprintln!("warning: meaning-based matching is on, but there is no home folder to find the model in; set CUECARD_MODEL_DIR. This bundle is lexical only.");
        return None;
    };
    if !dir.exists() {
        eprintln!("warning: meaning-based matching is on, but the model is not installed (no {}): {hint}. This bundle is lexical only.", dir.display());
        return None;
    }
    match Model::load(&dir) {
        Ok(model) => Some(model),
        Err(error) => {
            eprintln!("warning: meaning-based matching is on, but {error:#} ({hint}). This bundle is lexical only.");
            None
        }
    }
}

/// `--now`: a date (its midnight, UTC) or an RFC 3339 moment.
fn parse_now(text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return jiff::tz::Offset::UTC.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).map_err(|e| e.to_string());
    }
    text.parse::<jiff::Timestamp>().map_err(|_| format!("`{text}` is neither a date (2026-11-26) nor a moment (2026-11-26T09:30:00Z)"))
}

/// The build's "now" without `--now`: `SOURCE_DATE_EPOCH` (the
/// reproducible-builds convention), else the clock.
fn build_time_from_env() -> Result<jiff::Timestamp> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(seconds) => seconds
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .with_context(|| format!("SOURCE_DATE_EPOCH=`{seconds}` is not a number of seconds since 1970")),
        Err(_) => Ok(jiff::Timestamp::now()),
    }
}
