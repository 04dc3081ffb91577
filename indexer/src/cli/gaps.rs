//! `cuecard gaps`: what agents could not find, from collected signals and,
//! with `--kb`, every audience's articles (for those nobody opened).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use super::findings::{print_report, report};
use super::{Format, ReportFormat};
use crate::check::compile::Audience;
use crate::check::pipeline::{self, Checks, Plan};
use crate::measure::gaps::{KbArticle, read_signals};

#[derive(Debug, clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args) -> Result<ExitCode> {
    let tallies = read_signals(&args.signals)?;
    let articles = match &args.kb {
        Some(kb) => {
            let plan = Plan { kb, locale: &args.locale, audience: Audience::All, checks: Checks::ArticlesOnly };
            let checked = match pipeline::run(&plan)? {
                Ok(checked) => checked,
                Err(diagnostics) => return Ok(report(&diagnostics, Format::Human, true, 0)),
            };
            let by_locale = checked
                .compiled
                .locales
                .iter()
                .map(|l| {
                    let articles = l.articles.iter().map(|(_, a)| KbArticle { id: a.id.clone(), title: a.title.clone() }).collect();
                    (l.locale.tag.clone(), articles)
                })
                .collect();
            Some(by_locale)
        }
        None => None,
    };
    let gaps = tallies.report(articles.as_ref());
    print_report(args.format, &gaps.to_text(), &gaps)
}
