//! `cuecard check`: every article of every audience, checked across
//! articles, every finding printed; nothing is written.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::Format;
use super::findings::{Publication, announce_layout, announce_publication, report};
use crate::check::compile::Audience;
use crate::check::pipeline::{self, Checks, Plan};

#[derive(Debug, clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args) -> Result<ExitCode> {
    let today = args.today.unwrap_or_else(|| jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date());
    let plan = Plan { kb: &args.kb, locale: &args.locale, audience: Audience::All, checks: Checks::CrossArticle { today } };
    let checked = match pipeline::run(&plan)? {
        Ok(checked) => checked,
        Err(diagnostics) => return Ok(report(&diagnostics, args.format, false, 0)),
    };
    announce_layout(&checked.compiled.layout);
    announce_publication(&checked.compiled.counts, &checked.compiled.layout, Publication::WouldPublish(None));
    Ok(report(&checked.diagnostics, args.format, false, checked.articles()))
}
