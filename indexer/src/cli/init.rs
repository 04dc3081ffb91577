//! `cuecard init DIR`: a kb repository a knowledge team can push as it is:
//! a commented `cuecard.yaml`, two locales with a fallback (the translation
//! naming its source's revision), a policy, a call script, a
//! troubleshooting article and a procedure that carries a disclosure,
//! synonyms, a README for authors, and CI for GitHub and GitLab that checks
//! pull requests and publishes the site. The files are in
//! `indexer/scaffold/`; `{{today}}` and `{{source_revision}}` are filled
//! in here. A folder that is not empty is refused unless `--force`, and
//! even then no file that is there is overwritten.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::article::{Article, ParseContext};

/// Every file of the scaffold, by its path in the new kb.
const FILES: &[(&str, &str)] = &[
    ("cuecard.yaml", include_str!("../../scaffold/cuecard.yaml")),
    ("README.md", include_str!("../../scaffold/README.md")),
    (".gitignore", include_str!("../../scaffold/.gitignore")),
    (".github/workflows/cuecard.yml", include_str!("../../scaffold/.github/workflows/cuecard.yml")),
    (".gitlab-ci.yml", include_str!("../../scaffold/.gitlab-ci.yml")),
    ("en-US/_synonyms.txt", include_str!("../../scaffold/en-US/_synonyms.txt")),
    ("en-US/_disclosures/call-recording.md", include_str!("../../scaffold/en-US/_disclosures/call-recording.md")),
    ("en-US/billing/refund-policy.md", include_str!("../../scaffold/en-US/billing/refund-policy.md")),
    ("en-US/scripts/call-opening.md", include_str!("../../scaffold/en-US/scripts/call-opening.md")),
    ("en-US/troubleshooting/no-signal.md", include_str!("../../scaffold/en-US/troubleshooting/no-signal.md")),
    ("en-US/procedures/take-a-card-payment.md", include_str!("../../scaffold/en-US/procedures/take-a-card-payment.md")),
    ("es-MX/billing/refund-policy.md", include_str!("../../scaffold/es-MX/billing/refund-policy.md")),
];

/// The article the scaffold's translation translates.
const TRANSLATED: (&str, &str) = ("en-US/billing/refund-policy.md", "billing/refund-policy.md");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of the new kb (created if it does not exist).
    dir: PathBuf,
    /// Write into a folder that is not empty; files already there are
    /// kept as they are, and listed.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let occupied = std::fs::read_dir(&args.dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !args.force {
        bail!("{} is not empty: nothing was written. Pass a new or empty folder, or `--force` to add the files that are missing", args.dir.display());
    }
    let today = jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now()).date().to_string();
    let (kept, written) = write_scaffold(&args.dir, &today)?;
    for path in &kept {
        eprintln!("kept {} (it was already there)", path.display());
    }
    eprintln!(
        "wrote a knowledge base of {written} files in {}{}\n\nnext:\n  cuecard serve --kb {0}     preview while you write\n  cuecard check --kb {0}     every problem, with file and line\n  cuecard site --kb {0} --out site    the site to publish\n\nPush the folder to GitHub or GitLab: its CI checks pull requests and publishes the main branch.",
        args.dir.display(),
        if kept.is_empty() { String::new() } else { format!(" ({} kept as they were)", kept.len()) },
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes every scaffold file into `dir` that is not there yet, dated
/// `today`: the files kept, and how many were written.
pub fn write_scaffold(dir: &Path, today: &str) -> Result<(Vec<PathBuf>, usize)> {
    let source = FILES.iter().find(|(path, _)| *path == TRANSLATED.0).map(|(_, text)| text.replace("{{today}}", today)).context("the scaffold has its source article")?;
    let revision = Article::parse(TRANSLATED.1, &source, ParseContext::alone())
        .map_err(|e| anyhow::anyhow!("the scaffold's source article does not parse: {}", e.message))?
        .revision;
    let mut kept = Vec::new();
    let mut written = 0;
    for (path, text) in FILES {
        let target = dir.join(path);
        if std::fs::symlink_metadata(&target).is_ok() {
            kept.push(target);
            continue;
        }
        let text = text.replace("{{today}}", today).replace("{{source_revision}}", &revision);
        let parent = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
        written += 1;
    }
    Ok((kept, written))
}
