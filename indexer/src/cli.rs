//! The command line: what `cuecard --help` shows, and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::compile::compile;
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
    },
    /// Checks every article and reports every problem, without writing.
    Check {
        /// The knowledge base to check.
        #[arg(long, value_name = "DIR")]
        kb: PathBuf,
        /// The locale of a kb without locale folders.
        #[arg(long, default_value = "en")]
        locale: String,
    },
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
    let (kb_dir, locale, out) = match &cli.command {
        Command::Build { kb, out, locale } => (kb, locale, Some(out)),
        Command::Check { kb, locale } => (kb, locale, None),
    };
    let layout = match crate::kb::discover(kb_dir, locale) {
        Ok(layout) => layout,
        Err(diagnostics) => return Ok(report_problems(&diagnostics, out.is_some())),
    };
    let compiled = compile(layout)?;
    if compiled.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Ok(report_problems(&compiled.diagnostics, out.is_some()));
    }
    for warning in &compiled.diagnostics {
        eprintln!("{warning}");
    }
    let Some(out) = out else {
        let articles: usize = compiled.locales.iter().map(|l| l.articles.len()).sum();
        eprintln!("checked {articles} articles in {} locales: no errors", compiled.locales.len());
        return Ok(ExitCode::SUCCESS);
    };
    let report = crate::build::write_bundle(&compiled, out, started)?;
    let sizes: Vec<String> = report
        .locales
        .iter()
        .map(|(tag, n, bytes)| format!("{tag} {n} ({:.1} MB index)", *bytes as f64 / 1e6))
        .collect();
    eprintln!(
        "built {} articles in {:.2}s ({:.0}/s) -> {}\n  {}",
        report.articles(),
        report.seconds,
        report.articles() as f64 / report.seconds.max(1e-9),
        report.out.display(),
        sizes.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

fn report_problems(diagnostics: &[Diagnostic], building: bool) -> ExitCode {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let what = if building { "; nothing was written, the previous bundle is unchanged" } else { "" };
    eprintln!("{errors} error{} in the knowledge base{what}", if errors == 1 { "" } else { "s" });
    ExitCode::from(1)
}
