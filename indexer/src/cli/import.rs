//! `cuecard import zendesk --from DIR --out KB`: a Zendesk Guide export
//! (the Help Center API's pages, saved as JSON) as a new kb
//! ([`crate::import::zendesk`]), written whole or not at all, from saved
//! pages or `--url`; importing again updates what changed upstream and
//! was not edited here ([`crate::import::again`]). Confluence comes next
//! (issue 25).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::import::zendesk::{Options, import};
use crate::import::zendesk_pages::Export;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// From a Zendesk Guide export: the Help Center API's JSON pages
    /// (articles, translations, sections, categories, user segments,
    /// users) saved in one folder, any file names.
    Zendesk(ZendeskArgs),
}

#[derive(Debug, clap::Args)]
pub struct ZendeskArgs {
    /// The folder of saved API pages.
    #[arg(long, value_name = "DIR", required_unless_present = "url", conflicts_with = "url")]
    from: Option<PathBuf>,
    /// The help centre itself (`https://SUBDOMAIN.zendesk.com`), read
    /// through its API; credentials from the environment: ZENDESK_EMAIL
    /// and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The kb folder: new or empty, or one an import wrote before (then
    /// articles changed upstream and not edited here are updated).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Importing again: take upstream's version of articles edited on both sides.
    #[arg(long)]
    force: bool,
    /// The report: for people, or JSON (imported, skipped and why, and
    /// what did not convert in each article, by its Zendesk id).
    #[arg(long, value_enum, default_value_t = super::ReportFormat::Human)]
    format: super::ReportFormat,
    /// The team that owns the imported articles (Zendesk names only the author).
    #[arg(long, value_name = "NAME", default_value = "Knowledge team")]
    owner_team: String,
}

pub fn run(command: Command) -> Result<ExitCode> {
    let Command::Zendesk(args) = command;
    let again = std::fs::read_dir(&args.out).is_ok_and(|mut entries| entries.next().is_some());
    if again && !args.out.join("cuecard.yaml").is_file() {
        bail!("{} is neither empty nor a kb (no cuecard.yaml): nothing was written", args.out.display());
    }
    let (export, attachment_files, source) = match (&args.from, &args.url) {
        (Some(from), _) => {
            let export = Export::read_dir(from).with_context(|| format!("cannot read the export in {}", from.display()))?;
            let files = attachment_files(from, &export);
            (export, files, from.display().to_string())
        }
        (None, Some(url)) => {
            let mut client = crate::import::zendesk_api::Client::new(url, crate::import::zendesk_api::authorization_from_env()?)?;
            let progress = indicatif::ProgressBar::new(0).with_style(
                indicatif::ProgressStyle::with_template("{spinner} reading {msg} {pos}/{len} {wide_bar}").expect("the progress template is valid"),
            );
            let (export, files) = crate::import::zendesk_api::fetch(&mut client, &progress)?;
            progress.finish_and_clear();
            eprintln!("read {} pages from {url} in {} requests", export.pages, client.requests);
            (export, files, url.clone())
        }
        (None, None) => bail!("pass --from DIR (saved API pages) or --url https://SUBDOMAIN.zendesk.com"),
    };
    for (file, why) in &export.skipped {
        eprintln!("note: {}: {why}", file.display());
    }
    if export.articles.is_empty() {
        bail!("{source} holds no articles (the pages of `GET /api/v2/help_center/articles`): nothing to import");
    }
    let imported = import(&export, &Options { owner_team: args.owner_team.clone(), attachment_files });
    if again {
        return import_again(&args.out, &imported.files, args.force);
    }
    write_whole(&args.out, &imported.files)?;
    if args.format == super::ReportFormat::Json {
        let report = serde_json::json!({
            "out": args.out.display().to_string(),
            "source": source,
            "imported": imported.articles,
            "pages": export.pages,
            "skipped": imported.skipped.iter().map(|(id, why)| serde_json::json!({"id": id, "why": why})).collect::<Vec<_>>(),
            "not_converted": imported.notes.iter().map(|n| serde_json::json!({"source_id": n.source_id, "path": n.path, "message": n.message})).collect::<Vec<_>>(),
            "files_not_pages": export.skipped.iter().map(|(file, why)| serde_json::json!({"file": file.display().to_string(), "why": why})).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (id, why) in &imported.skipped {
        eprintln!("skipped {id}: {why}");
    }
    for note in &imported.notes {
        eprintln!("{}: zendesk {}: {}", args.out.join(&note.path).display(), note.source_id, note.message);
    }
    eprintln!(
        "imported {} articles and translations from {} pages into {} ({} skipped, {} notes); next: cuecard check --kb {}",
        imported.articles,
        export.pages,
        args.out.display(),
        imported.skipped.len(),
        imported.notes.len(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The attachment files saved under `from`, by attachment id: a file named
/// as the attachment is (`router.png`), preferring one under a folder
/// named by its id (`attachments/555/router.png`). At most 16 MB each.
fn attachment_files(from: &Path, export: &Export) -> std::collections::BTreeMap<u64, Vec<u8>> {
    let saved: Vec<PathBuf> = walkdir::WalkDir::new(from)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.metadata().is_ok_and(|m| m.len() <= 16 << 20))
        .map(|e| e.into_path())
        .collect();
    let mut found = std::collections::BTreeMap::new();
    for (id, attachment) in &export.attachments {
        let named: Vec<&PathBuf> = saved.iter().filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == attachment.file_name)).collect();
        let best = named.iter().find(|p| p.components().any(|c| c.as_os_str().to_string_lossy() == id.to_string())).or(named.first());
        if let Some(bytes) = best.and_then(|path| std::fs::read(path).ok()) {
            found.insert(*id, bytes);
        }
    }
    found
}

/// Importing again into the kb at `out`: each file decided by
/// [`crate::import::again::decide`], the ones to write written one by one
/// (each to a temporary name, then renamed), the rest reported.
fn import_again(out: &Path, files: &[crate::import::zendesk::KbFile], force: bool) -> Result<ExitCode> {
    use crate::import::again::{Decision, decide};
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for file in files {
        let relative = Path::new(&file.path);
        if !relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
            bail!("refused to write {} outside the kb", file.path);
        }
        let path = out.join(relative);
        let existing = std::fs::read(&path).ok();
        if file.path == "cuecard.yaml" && existing.is_some() {
            // The kb's own once written: never changed by an import.
            if existing.as_deref() != Some(&file.contents[..]) {
                eprintln!("note: {} is kept as it is; the import would write another (new categories or audiences?): `cuecard check` names any it lacks", path.display());
            }
            continue;
        }
        let decision = decide(existing.as_deref(), &file.contents, force);
        if decision.writes() {
            let parent = path.parent().unwrap_or(out);
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            crate::bundle::publish::write_atomically(parent, &path, &file.contents)?;
        }
        if decision == Decision::KeptLocalEdit {
            eprintln!("{}: edited here and upstream: kept as it is here (`--force` takes upstream's)", path.display());
        }
        let name = match decision {
            Decision::New => "new",
            Decision::Update => "updated",
            Decision::Unchanged => "unchanged",
            Decision::KeptLocalEdit => "kept with local edits",
            Decision::Overwritten => "overwritten with upstream's",
        };
        *counts.entry(name).or_default() += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(name, n)| format!("{n} {name}")).collect();
    eprintln!("imported again into {}: {}", out.display(), summary.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Writes every file into a folder beside `out`, then moves it in: a
/// failure leaves nothing half-written.
fn write_whole(out: &Path, files: &[crate::import::zendesk::KbFile]) -> Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = parent.join(format!(".cuecard-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let written = (|| -> Result<()> {
        for file in files {
            let relative = Path::new(&file.path);
            if !relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
                bail!("refused to write {} outside the kb", file.path);
            }
            let path = staging.join(relative);
            std::fs::create_dir_all(path.parent().unwrap_or(&staging))?;
            std::fs::write(&path, &file.contents).with_context(|| format!("cannot write {}", path.display()))?;
        }
        if out.exists() {
            std::fs::remove_dir(out).with_context(|| format!("cannot replace the empty folder {}", out.display()))?;
        }
        std::fs::rename(&staging, out).with_context(|| format!("cannot move the import into {}", out.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}
