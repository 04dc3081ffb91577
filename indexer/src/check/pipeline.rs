//! The one path from a kb folder to checked articles, which `check`,
//! `build`, `eval` and `gaps` all take: discover the layout, compile every
//! file for an audience, then (when asked) the checks across articles:
//! each locale's redirects, links to old and case-mismatched ids pointed at
//! their article, links, anchors, disclosures, dates and translations.
//! Every finding then gets its kb's level, and they are put in file order.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use cuecard_engine::redirects::Redirects;
use jiff::civil::Date;

use crate::check::compile::{Audience, CompiledKb, compile};
use crate::findings::diagnostics::{Diagnostic, Severity};

/// What one run of the pipeline is asked to do.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// The kb folder.
    pub kb: &'a Path,
    /// The locale of a kb without locale folders.
    pub locale: &'a str,
    /// Who the articles are compiled for.
    pub audience: Audience,
    /// How far the checks go.
    pub checks: Checks,
}

/// How far a run checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checks {
    /// Each article on its own (what measuring needs).
    ArticlesOnly,
    /// Across articles too, with review and expiry dates as of `today`.
    CrossArticle { today: Date },
}

/// A kb that was found and compiled, with every finding at its level.
pub struct Checked {
    pub compiled: CompiledKb,
    /// Each locale's old ids and where they moved (empty for
    /// [`Checks::ArticlesOnly`]).
    pub redirects: HashMap<String, Redirects>,
    /// Every finding, its level set by the kb's `severity` (in file order
    /// when checked across articles).
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any finding is an error (a build refuses to publish).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many articles were compiled, over every locale.
    pub fn articles(&self) -> usize {
        self.compiled.locales.iter().map(|l| l.articles.len()).sum()
    }
}

/// Runs the pipeline. `Ok(Err(findings))` when the kb cannot be used at
/// all (no folder, a broken `cuecard.yaml`): there is nothing to compile.
pub fn run(plan: &Plan<'_>) -> Result<Result<Checked, Vec<Diagnostic>>> {
    let layout = match crate::kb::discover(plan.kb, plan.locale) {
        Ok(layout) => layout,
        Err(diagnostics) => return Ok(Err(diagnostics)),
    };
    let mut compiled = compile(layout, &plan.audience)?;
    let mut diagnostics = std::mem::take(&mut compiled.diagnostics);
    let mut redirects = HashMap::new();
    if let Checks::CrossArticle { today } = plan.checks {
        let (by_locale, redirect_findings) = crate::check::redirects::redirects_by_locale(&compiled.locales);
        redirects = by_locale;
        diagnostics.extend(redirect_findings);
        diagnostics.extend(crate::check::cross_article::resolve_moved_links(&mut compiled, &redirects));
        diagnostics.extend(crate::check::cross_article::check(&compiled, today));
    }
    let mut diagnostics = crate::findings::severity::apply(diagnostics, &compiled.layout.severity, compiled.layout.config_path.as_deref());
    if matches!(plan.checks, Checks::CrossArticle { .. }) {
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    }
    Ok(Ok(Checked { compiled, redirects, diagnostics }))
}
