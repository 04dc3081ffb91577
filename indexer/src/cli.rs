//! The command line: what `cuecard --help` shows, and dispatch.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use crate::compile::{Audience, compile};
use crate::diagnostics::{Diagnostic, Severity};

/// Compiles a Markdown knowledge base into a static search bundle for the
/// Cuecard app.
#[derive(Debug, Parser)]
#[command(name = "cuecard", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Builds the bundle. Refuses a kb with errors, leaving the previous
    /// bundle in place.
    Build {
        /// The knowledge base: one folder per locale (en-US/, de-DE/, ...),
        /// or a single-locale tree of Markdown files.
        #[arg(long, value_name = "DIR")]
        kb: PathBuf,
        /// Where to write the bundle (replaced only when the build succeeds).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The locale of a kb without locale folders.
        #[arg(long, default_value = "en")]
        locale: String,
        /// Build for this audience: articles for everyone plus those whose
        /// `audience` names it. Without it, only articles for everyone.
        /// Not access control: restrict who may fetch an audience's bundle.
        #[arg(long, value_name = "NAME")]
        audience: Option<String>,
        /// How long files of earlier builds stay beside the new ones, for
        /// apps still open on them (e.g. `7days`, `12h`, `0s`).
        #[arg(long, value_name = "DURATION", default_value = "7days", value_parser = humantime::parse_duration)]
        keep_old: std::time::Duration,
        /// How to print findings (see `check`).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// The moment the build counts as made (`2026-11-26` or
        /// `2026-11-26T09:30:00Z`), for reproducible bundles: the
        /// manifest's build time and the date of changes not yet committed.
        /// Default: `SOURCE_DATE_EPOCH` (seconds) if set, else now.
        #[arg(long, value_name = "WHEN", value_parser = parse_now)]
        now: Option<jiff::Timestamp>,
    },
    /// Checks every article and reports every problem at once, without
    /// writing: exit code 1 when there are errors (warnings alone pass).
    Check {
        /// The knowledge base to check.
        #[arg(long, value_name = "DIR")]
        kb: PathBuf,
        /// The locale of a kb without locale folders.
        #[arg(long, default_value = "en")]
        locale: String,
        /// How to print findings: for people, for bots (JSON), or as GitHub
        /// Actions annotations on the changed lines of a pull request.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Check review and expiry dates as of this day (default: today, UTC).
        #[arg(long, value_name = "YYYY-MM-DD")]
        today: Option<jiff::civil::Date>,
    },
    /// Writes the built site's security policy: a Content-Security-Policy
    /// in its page, and `_headers` (Netlify, Cloudflare Pages) with
    /// `frame-ancestors` for the kb's allowed host pages. Run it after
    /// `trunk build` and after publishing a bundle whose `embedding` or
    /// `image_origins` changed; it prints the nginx and Apache lines.
    Headers {
        /// The built site: the folder with `index.html` and `bundle/`.
        #[arg(long, value_name = "DIR")]
        site: PathBuf,
    },
    /// Gives the built site's web workers content-hashed names (trunk
    /// leaves them under fixed names) and names their files in the page,
    /// so the service worker keeps them with the version. Trunk's
    /// post-build hook runs it; a rerun changes nothing.
    Fingerprint {
        /// The built site: the folder with `index.html`.
        #[arg(long, value_name = "DIR")]
        site: PathBuf,
    },
    /// Measures search relevance with labelled queries (TSV:
    /// query, kind, best, also_ok), or suggestions with labelled call
    /// contexts (YAML): success@1, success@3, MRR@10.
    Eval {
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
    },
    /// Reports what agents could not find, from collected signals (JSONL,
    /// one `cuecard:` event per line): zero-result queries, results nobody
    /// opened, the most opened articles and, with `--kb`, articles nobody
    /// opened; per locale.
    Gaps {
        /// The collected signals (the beacon endpoint's or the host's log).
        #[arg(long, value_name = "FILE.jsonl")]
        signals: PathBuf,
        /// The knowledge base, to list the articles nobody opened.
        #[arg(long, value_name = "DIR")]
        kb: Option<PathBuf>,
        /// The locale of a kb without locale folders.
        #[arg(long, default_value = "en")]
        locale: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
}

/// `cuecard headers`: writes the policy and says what a host must send.
fn write_headers(site: &std::path::Path) -> Result<ExitCode> {
    let policy = crate::site_headers::write_site_headers(site)?;
    let header = policy.header_value();
    println!("Wrote the page's Content-Security-Policy and {}.", policy.headers_file.display());
    println!("Pages may be framed by: {}", policy.frame_ancestors);
    println!("Hosts that do not read _headers need this response header on every file:");
    println!("  nginx:  add_header Content-Security-Policy \"{header}\" always;");
    println!("  Apache: Header always set Content-Security-Policy \"{header}\"");
    Ok(ExitCode::SUCCESS)
}

/// `cuecard fingerprint`: renames the workers' files and says so.
fn fingerprint(site: &std::path::Path) -> Result<ExitCode> {
    for worker in crate::site_workers::fingerprint_workers(site)? {
        println!("Named {} by content: {}, {}, {}.", worker.worker, worker.loader, worker.script, worker.wasm);
    }
    Ok(ExitCode::SUCCESS)
}

/// Output formats of `eval` and `gaps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Runs a parsed command line; the exit code says how it went:
/// 0 success, 1 problems in the kb, 2 could not run.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode> {
    let started = Instant::now();
    let (kb_dir, locale, publish, format, today) = match &cli.command {
        Command::Build { kb, out, locale, audience, keep_old, format, now } => (kb, locale, Some((out, audience, *keep_old, *now)), *format, None),
        Command::Check { kb, locale, format, today } => (kb, locale, None, *format, *today),
        Command::Eval { kb, queries, contexts, locale, meaning, meaning_f32, format } => {
            let labelled = match (queries, contexts) {
                (Some(queries), _) => (crate::eval::read_queries(queries)?, crate::eval::Asked::Typed),
                (None, Some(contexts)) => (crate::eval::read_contexts(contexts)?, crate::eval::Asked::Context),
                (None, None) => anyhow::bail!("give --queries FILE or --contexts FILE"),
            };
            let meaning = match (meaning, meaning_f32) {
                (_, true) => Some(Precision::F32),
                (true, false) => Some(Precision::Int8),
                (false, false) => None,
            };
            return evaluate(kb, labelled, locale.as_deref(), meaning, *format);
        }
        Command::Gaps { signals, kb, locale, format } => return report_gaps(signals, kb.as_deref(), locale, *format),
        Command::Headers { site } => return write_headers(site),
        Command::Fingerprint { site } => return fingerprint(site),
    };
    let building = publish.is_some();
    let today = today.unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date());
    let layout = match crate::kb::discover(kb_dir, locale) {
        Ok(layout) => layout,
        Err(diagnostics) => return Ok(report(&diagnostics, format, building, 0)),
    };
    announce_layout(&layout);
    let audience = match publish {
        Some((_, name, _, _)) => Audience::Build(name.clone()),
        None => Audience::All,
    };
    let mut compiled = compile(layout, &audience)?;
    announce_unpublished(&compiled.counts);
    let mut diagnostics = std::mem::take(&mut compiled.diagnostics);
    let (redirects, redirect_findings) = crate::redirects::redirects_by_locale(&compiled.locales);
    diagnostics.extend(redirect_findings);
    diagnostics.extend(crate::checks::resolve_moved_links(&mut compiled, &redirects));
    diagnostics.extend(crate::checks::check(&compiled, today));
    let mut diagnostics = crate::severity::apply(diagnostics, &compiled.layout.severity, compiled.layout.config_path.as_deref());
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    let articles: usize = compiled.locales.iter().map(|l| l.articles.len()).sum();
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let Some((out, _, keep_old, now)) = publish else {
        return Ok(report(&diagnostics, format, false, articles));
    };
    if has_errors {
        return Ok(report(&diagnostics, format, true, articles));
    }
    print_findings(&diagnostics, format, true);
    let now = match now {
        Some(now) => now,
        None => build_time_from_env()?,
    };
    let history = crate::history::History::read(&compiled.layout.root, compiled.layout.changes.commit_subjects);
    eprintln!("{}", history.announcement());
    let model = meaning_model(&compiled.layout);
    let inputs = crate::build::BuildInputs { redirects: &redirects, history: &history, now, meaning: model.as_ref() };
    let report = crate::build::write_bundle(&compiled, inputs, out, keep_old, started)
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
        humantime::format_duration(keep_old),
    );
    if let Some(problem) = &published.cleanup_problem {
        eprintln!("warning: the new bundle is published, but files of earlier builds were not cleaned up: {problem}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The sentence model when the kb turns meaning-based matching on. A
/// missing or unreadable model is said, and the bundle is lexical only:
/// a policy fix must never wait for a model download.
fn meaning_model(layout: &crate::kb::KbLayout) -> Option<crate::meaning::Model> {
    if !layout.meaning.enabled {
        return None;
    }
    let uncovered: Vec<&str> = layout.locales.iter().map(|l| l.tag.as_str()).filter(|tag| !crate::meaning::covers(tag)).collect();
    if !uncovered.is_empty() {
        eprintln!(
            "note: meaning-based matching covers {} only; {} stay lexical",
            crate::meaning::MODEL_LANGUAGES.join(", "),
            uncovered.join(", ")
        );
    }
    let Some(dir) = crate::meaning::Model::default_dir() else {
        eprintln!("warning: meaning-based matching is on, but there is no home folder to find the model in; set CUECARD_MODEL_DIR. This bundle is lexical only.");
        return None;
    };
    match crate::meaning::Model::load(&dir) {
        Ok(model) => Some(model),
        Err(error) => {
            eprintln!("warning: meaning-based matching is on, but {error:#}. This bundle is lexical only.");
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

/// Says which folders became locales and which Markdown files are not
/// articles, so nothing is left out without a word.
fn announce_layout(layout: &crate::kb::KbLayout) {
    for note in &layout.notes {
        eprintln!("note: {note}");
    }
    let left_out = crate::kb::left_out(layout);
    if !left_out.is_empty() {
        let places: Vec<String> = left_out.iter().map(|(place, n)| format!("{n} in {place}")).collect();
        eprintln!("note: Markdown files that are not articles (outside the locales, or named with `_`/`.`): {}", places.join(", "));
    }
}

/// Says what the kb holds that this run does not publish.
fn announce_unpublished(counts: &crate::compile::Counts) {
    let mut left: Vec<String> = Vec::new();
    if counts.includes > 0 {
        left.push(format!("{} used as includes", plural(counts.includes, "file")));
    }
    if counts.drafts > 0 {
        left.push(plural(counts.drafts, "draft"));
    }
    if counts.other_audience > 0 {
        left.push(format!("{} for other audiences", plural(counts.other_audience, "article")));
    }
    if !left.is_empty() {
        eprintln!("note: not published: {}", left.join(", "));
    }
}

/// `cuecard eval`: builds the locale's index in memory and runs the queries.
fn evaluate(
    kb: &std::path::Path,
    (queries, asked): (Vec<crate::eval::LabelledQuery>, crate::eval::Asked),
    locale: Option<&str>,
    meaning: Option<Precision>,
    format: ReportFormat,
) -> Result<ExitCode> {
    let layout = match crate::kb::discover(kb, locale.unwrap_or("en")) {
        Ok(layout) => layout,
        Err(diagnostics) => return Ok(report(&diagnostics, Format::Human, true, 0)),
    };
    let tag = locale.map(cuecard_engine::locale::normalize_tag).unwrap_or_else(|| layout.default_locale.clone());
    let compiled = compile(layout, &Audience::Build(None))?;
    let diagnostics = crate::severity::apply(compiled.diagnostics.clone(), &compiled.layout.severity, compiled.layout.config_path.as_deref());
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Ok(report(&diagnostics, Format::Human, true, 0));
    }
    let Some(locale) = compiled.locales.iter().find(|l| l.locale.tag == tag) else {
        anyhow::bail!("the kb has no locale {tag}");
    };
    let indexed: Vec<_> = locale.articles.iter().map(|(_, a)| a.indexed(&locale.synonyms)).collect();
    let index = cuecard_engine::writer::open_in_memory(&tag, &indexed)?;
    let precision = meaning.or(compiled.layout.meaning.enabled.then_some(Precision::Int8));
    let model = match (asked, precision) {
        (crate::eval::Asked::Typed, Some(precision)) if crate::meaning::covers(&tag) => {
            let dir = crate::meaning::Model::default_dir().context("no home folder to find the meaning model in; set CUECARD_MODEL_DIR")?;
            Some(match precision {
                Precision::Int8 => crate::meaning::Model::load(&dir)?,
                Precision::F32 => crate::meaning::Model::load_f32(&dir)?,
            })
        }
        (_, Some(_)) => {
            eprintln!("note: meaning-based matching does not apply here (call contexts, or a locale the model does not cover): lexical figures only");
            None
        }
        _ => None,
    };
    if let Some(model) = &model {
        let started = std::time::Instant::now();
        let vectors = crate::meaning::embed_all(model, &indexed);
        eprintln!("note: embedded {} articles in {:.1}s", vectors.len(), started.elapsed().as_secs_f64());
        let result = crate::eval::evaluate_fused(&index, &crate::eval::Meaning { model, vectors: &vectors }, &queries);
        return print_report(format, &result.to_text(), &result);
    }
    let result = crate::eval::evaluate(&index, &queries, asked);
    print_report(format, &result.to_text(), &result)
}

/// The meaning model's weights in `cuecard eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    /// The int8 weights bundles carry.
    Int8,
    /// The published f32 weights.
    F32,
}

/// Prints a report as text for people or as JSON.
fn print_report(format: ReportFormat, text: &str, json: &impl serde::Serialize) -> Result<ExitCode> {
    match format {
        ReportFormat::Human => print!("{text}"),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(json)?),
    }
    Ok(ExitCode::SUCCESS)
}

/// `cuecard gaps`: reads the signals and, with the kb, its articles.
fn report_gaps(signals: &std::path::Path, kb: Option<&std::path::Path>, locale: &str, format: ReportFormat) -> Result<ExitCode> {
    let file = crate::gaps::read_signals(signals)?;
    let articles = match kb {
        Some(kb) => {
            let layout = match crate::kb::discover(kb, locale) {
                Ok(layout) => layout,
                Err(diagnostics) => return Ok(report(&diagnostics, Format::Human, true, 0)),
            };
            let compiled = compile(layout, &Audience::All)?;
            let by_locale = compiled
                .locales
                .iter()
                .map(|l| {
                    let articles = l.articles.iter().map(|(_, a)| crate::gaps::KbArticle { id: a.id.clone(), title: a.title.clone() }).collect();
                    (l.locale.tag.clone(), articles)
                })
                .collect();
            Some(by_locale)
        }
        None => None,
    };
    let gaps = crate::gaps::gaps(file, articles.as_ref());
    match format {
        ReportFormat::Human => print!("{}", gaps.to_text()),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&gaps)?),
    }
    Ok(ExitCode::SUCCESS)
}

/// A code with more findings than this is summarised in human output: the
/// first few, then a count (`--format json` lists them all).
const SUMMARISE_OVER: usize = 10;
/// How many findings of a summarised code are shown.
const SHOWN_WHEN_SUMMARISED: usize = 3;

/// Prints the findings (to stdout for `check`, stderr for `build`).
fn print_findings(diagnostics: &[Diagnostic], format: Format, building: bool) {
    let lines: Vec<String> = match format {
        Format::Human => {
            let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
            for d in diagnostics {
                *per_code.entry(d.code).or_default() += 1;
            }
            let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
            let mut lines: Vec<String> = diagnostics
                .iter()
                .filter(|d| {
                    let seen = shown.entry(d.code).or_default();
                    *seen += 1;
                    per_code[d.code] <= SUMMARISE_OVER || *seen <= SHOWN_WHEN_SUMMARISED
                })
                .map(ToString::to_string)
                .collect();
            for (code, n) in per_code.iter().filter(|(_, n)| **n > SUMMARISE_OVER) {
                lines.push(format!("... {n} `{code}` findings in all, {SHOWN_WHEN_SUMMARISED} shown (`--format json` lists every one)"));
            }
            lines
        }
        Format::Github => diagnostics.iter().map(Diagnostic::to_github).collect(),
        Format::Json => {
            let all: Vec<serde_json::Value> = diagnostics.iter().map(Diagnostic::to_json).collect();
            vec![serde_json::to_string_pretty(&all).unwrap_or_default()]
        }
    };
    for line in lines {
        if building {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

/// Prints the findings and a summary line; exit code 1 when any is an error.
fn report(diagnostics: &[Diagnostic], format: Format, building: bool, articles: usize) -> ExitCode {
    print_findings(diagnostics, format, building);
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    if building {
        eprintln!("{} in the knowledge base; nothing was published, the previous bundle is unchanged", plural(errors, "error"));
    } else {
        eprintln!("checked {}: {}, {}", plural(articles, "article"), plural(errors, "error"), plural(warnings, "warning"));
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `n word`, with an `s` unless `n` is 1.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
