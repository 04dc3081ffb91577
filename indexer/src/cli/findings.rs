//! What the commands print about a kb: its findings (for people, as JSON,
//! or as GitHub annotations; long runs of one code summarised), the summary
//! line and exit code, and what the kb holds that a run does not publish.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;

use super::{Format, ReportFormat};
use crate::check::compile::Counts;
use crate::findings::diagnostics::{Diagnostic, Severity};
use crate::kb::KbLayout;

/// A code with more findings than this is summarised in human output: the
/// first few, then a count (`--format json` lists them all).
const SUMMARISE_OVER: usize = 10;
/// How many findings of a summarised code are shown.
const SHOWN_WHEN_SUMMARISED: usize = 3;

/// Prints the findings (to stdout for `check`, stderr for `build`).
pub fn print_findings(diagnostics: &[Diagnostic], format: Format, building: bool) {
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
pub fn report(diagnostics: &[Diagnostic], format: Format, building: bool, articles: usize) -> ExitCode {
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

/// Prints a report of `eval` or `gaps` as text for people or as JSON.
pub fn print_report(format: ReportFormat, text: &str, json: &impl serde::Serialize) -> Result<ExitCode> {
    match format {
        ReportFormat::Human => print!("{text}"),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(json)?),
    }
    Ok(ExitCode::SUCCESS)
}

/// Says which folders became locales and which Markdown files are not
/// articles, so nothing is left out without a word.
pub fn announce_layout(layout: &KbLayout) {
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
pub fn announce_unpublished(counts: &Counts) {
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

/// `n word`, with an `s` unless `n` is 1.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
