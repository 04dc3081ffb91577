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
        Format::Github => {
            append_step_summary(diagnostics);
            diagnostics.iter().map(Diagnostic::to_github).collect()
        }
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

/// GitHub shows at most 10 annotations of a kind per step: when the job
/// summary file is there (`GITHUB_STEP_SUMMARY`), every finding also goes
/// into it as a table.
fn append_step_summary(diagnostics: &[Diagnostic]) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else { return };
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let mut table = format!(
        "### cuecard check: {}, {}\n\n",
        plural(errors, "error"),
        plural(diagnostics.len() - errors, "warning")
    );
    if !diagnostics.is_empty() {
        table.push_str("| level | code | where | finding |\n|---|---|---|---|\n");
        for diagnostic in diagnostics {
            table.push_str(&diagnostic.to_markdown_row());
            table.push('\n');
        }
    }
    let appended = std::fs::OpenOptions::new().create(true).append(true).open(&path).and_then(|mut file| std::io::Write::write_all(&mut file, table.as_bytes()));
    if let Err(error) = appended {
        eprintln!("warning: the findings table was not added to the job summary ({}): {error}", std::path::Path::new(&path).display());
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

/// Says which folders became locales.
pub fn announce_layout(layout: &KbLayout) {
    for note in &layout.notes {
        eprintln!("note: {note}");
    }
}

/// Whether a run's articles were published, or would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publication<'a> {
    /// A build that wrote its bundle.
    Published,
    /// `check`, or a build that stopped: what the build for this audience
    /// (`None`: without `--audience`) would publish.
    WouldPublish(Option<&'a str>),
}

/// What a run publishes and leaves out, by reason, in the words `build`
/// and `check` share, so the two never disagree silently.
pub fn publication(counts: &Counts, layout: &KbLayout, said: Publication<'_>) -> Vec<String> {
    let mut left: Vec<String> = Vec::new();
    if counts.drafts > 0 {
        left.push(plural(counts.drafts, "draft"));
    }
    for (audiences, n) in &counts.for_audiences {
        let which = audiences.split(", ").map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" or ");
        left.push(format!("{n} only for {which}"));
    }
    if counts.unreadable > 0 {
        left.push(format!("{} with errors", plural(counts.unreadable, "article")));
    }
    let of = format!("{} of {}", counts.published, plural(counts.articles, "article"));
    let build = |audience: Option<&str>| audience.map_or("a build without --audience".to_string(), |a| format!("the build for `{a}`"));
    let mut lines = vec![match (said, left.is_empty()) {
        (Publication::Published, true) => format!("published {of}"),
        (Publication::Published, false) => format!("published {of}; left out: {}", left.join(", ")),
        (Publication::WouldPublish(audience), true) => format!("{} would publish {of}", build(audience)),
        (Publication::WouldPublish(audience), false) => format!("{} would publish {of}; it would leave out: {}", build(audience), left.join(", ")),
    }];
    let mut not_articles: Vec<String> = Vec::new();
    if counts.includes > 0 {
        not_articles.push(format!("{} used as includes", plural(counts.includes, "file")));
    }
    let outside = crate::kb::left_out(layout);
    if !outside.is_empty() {
        let total: usize = outside.iter().map(|(_, n)| n).sum();
        let places: Vec<String> = outside.iter().map(|(place, n)| format!("{n} in {place}")).collect();
        not_articles.push(format!(
            "{} outside the locales or named with `_`/`.` ({})",
            plural(total, "Markdown file"),
            places.join(", ")
        ));
    }
    if !not_articles.is_empty() {
        lines.push(format!("not articles, so not published: {}", not_articles.join("; ")));
    }
    lines
}

/// Prints [`publication`] to stderr.
pub fn announce_publication(counts: &Counts, layout: &KbLayout, said: Publication<'_>) {
    for line in publication(counts, layout, said) {
        eprintln!("{line}");
    }
}

/// The finding for a build that would publish nothing from a kb that has
/// articles: an empty site is never what a knowledge team meant.
pub fn nothing_published(counts: &Counts, layout: &KbLayout, audience: Option<&str>) -> Option<Diagnostic> {
    if counts.published > 0 || counts.articles == 0 || counts.unreadable == counts.articles {
        return None;
    }
    let build = audience.map_or("a build without --audience".to_string(), |a| format!("the build for `{a}`"));
    let help = match counts.for_audiences.is_empty() {
        false => "build for one of the audiences (`--audience ID`), or, if `audience` means something else in this tree, add `front_matter: { audience: none }` to cuecard.yaml",
        true => "publish an article (`draft: false`), or check the kb folder",
    };
    Some(
        Diagnostic::error(layout.config_path.clone().unwrap_or_else(|| layout.root.clone()), 0, format!("{build} would publish none of the kb's {}", plural(counts.articles, "article")))
            .with_code("nothing-published")
            .with_help(help),
    )
}

/// `n word`, with an `s` unless `n` is 1.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
