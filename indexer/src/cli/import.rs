//! `cuecard import zendesk|confluence --out KB`: another system's export
//! as a kb, written whole or not at all: a Zendesk Guide help centre (the
//! Help Center API's JSON pages, saved or read with `--url`;
//! [`crate::import::zendesk`]) or a Confluence space's HTML export
//! ([`crate::import::confluence`]). Importing again updates what changed
//! upstream and was not edited here ([`crate::import::again`]). Both end in
//! the same report ([`finish`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::import::kb_files::{Imported, KbFile};
use crate::import::zendesk_pages::Export;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// From a Zendesk Guide export: the Help Center API's JSON pages
    /// (articles, translations, sections, categories, user segments,
    /// users) saved in one folder, any file names; or `--url`.
    Zendesk(ZendeskArgs),
    /// From a Confluence space's HTML export (Space settings > Export
    /// space > HTML: a .zip).
    Confluence(ConfluenceArgs),
}

/// What every import takes.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// The kb folder: new or empty, or one an import wrote before (then
    /// articles changed upstream and not edited here are updated).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Importing again: take upstream's version of articles edited on both sides.
    #[arg(long)]
    force: bool,
    /// The report: for people, or JSON (imported, skipped and why, and
    /// what did not convert in each article, by its source id).
    #[arg(long, value_enum, default_value_t = super::ReportFormat::Human)]
    format: super::ReportFormat,
    /// The team that owns the imported articles (the exports name only people).
    #[arg(long, value_name = "NAME", default_value = "Knowledge team")]
    owner_team: String,
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
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, clap::Args)]
pub struct ConfluenceArgs {
    /// The space's HTML export, a .zip as Confluence writes it.
    #[arg(long, value_name = "ZIP")]
    from: PathBuf,
    /// The locale of the space's pages (an export holds one language).
    #[arg(long, value_name = "TAG", default_value = "en-US")]
    locale: String,
    /// The audience every article is for, when the space is restricted
    /// (the export holds no page restrictions): declared in cuecard.yaml.
    #[arg(long, value_name = "ID")]
    audience: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
}

/// What an import read, for the report.
struct Read {
    imported: Imported,
    /// The export's name (its folder, file or URL).
    source: String,
    /// The system it came from, as `imported_from` names it.
    system: &'static str,
    /// Pages of the export read (Zendesk's API pages, Confluence's pages).
    pages: usize,
    /// Files or entries of the export not read, with why.
    unread: Vec<(String, String)>,
}

pub fn run(command: Command) -> Result<ExitCode> {
    let (read, common) = match command {
        Command::Zendesk(args) => (read_zendesk(&args)?, args.common),
        Command::Confluence(args) => (read_confluence(&args)?, args.common),
    };
    finish(&common, read)
}

/// Whether `out` holds a kb already (importing again), refusing a folder
/// that holds something else.
fn importing_again(out: &Path) -> Result<bool> {
    let again = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if again && !out.join("cuecard.yaml").is_file() {
        bail!("{} is neither empty nor a kb (no cuecard.yaml): nothing was written", out.display());
    }
    Ok(again)
}

fn read_zendesk(args: &ZendeskArgs) -> Result<Read> {
    importing_again(&args.common.out)?;
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
    if export.articles.is_empty() {
        bail!("{source} holds no articles (the pages of `GET /api/v2/help_center/articles`): nothing to import");
    }
    let imported = crate::import::zendesk::import(&export, &crate::import::zendesk::Options { owner_team: args.common.owner_team.clone(), attachment_files });
    let unread = export.skipped.iter().map(|(file, why)| (file.display().to_string(), why.clone())).collect();
    Ok(Read { imported, source, system: "zendesk", pages: export.pages, unread })
}

fn read_confluence(args: &ConfluenceArgs) -> Result<Read> {
    importing_again(&args.common.out)?;
    let locale = cuecard_engine::locale::normalize_tag(&args.locale);
    if let Some(audience) = &args.audience {
        if audience.is_empty() || !audience.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            bail!("--audience {audience:?} is not an audience id: one word of letters, digits, `-` or `_` (e.g. `supervisors`)");
        }
    }
    let export = crate::import::confluence_zip::read(&args.from)?;
    if export.pages.is_empty() {
        bail!("{} holds no pages: nothing to import", args.from.display());
    }
    let pages = export.pages.len();
    let imported = crate::import::confluence::import(
        &export,
        &crate::import::confluence::Options { locale, owner_team: args.common.owner_team.clone(), audience: args.audience.clone() },
    );
    let mut unread = Vec::new();
    if export.chrome > 0 {
        unread.push((format!("{} entries", export.chrome), "the export's own images and styles (its look, not the pages')".to_string()));
    }
    Ok(Read { imported, source: args.from.display().to_string(), system: "confluence", pages, unread })
}

/// Writes what was read (whole, or file by file when importing again) and
/// reports it: imported, skipped and why, what did not convert.
fn finish(common: &CommonArgs, read: Read) -> Result<ExitCode> {
    let out = &common.out;
    let Read { imported, source, system, pages, unread } = read;
    let again = if importing_again(out)? { Some(import_again(out, &imported.files, common.force)?) } else { None };
    if again.is_none() {
        write_whole(out, &imported.files)?;
    }
    if common.format == super::ReportFormat::Json {
        let mut report = serde_json::json!({
            "out": out.display().to_string(),
            "source": source,
            "imported": imported.articles,
            "pages": pages,
            "skipped": imported.skipped.iter().map(|(id, why)| serde_json::json!({"id": id, "why": why})).collect::<Vec<_>>(),
            "not_converted": imported.notes.iter().map(|n| serde_json::json!({"source_id": n.source_id, "path": n.path, "message": n.message})).collect::<Vec<_>>(),
            "files_not_pages": unread.iter().map(|(file, why)| serde_json::json!({"file": file, "why": why})).collect::<Vec<_>>(),
        });
        if let Some(again) = &again {
            report["again"] = serde_json::json!({
                "counts": again.counts,
                "kept_local_edits": again.kept,
                "config_kept": again.config_kept,
            });
        }
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    for (file, why) in &unread {
        eprintln!("note: {file}: {why}");
    }
    for (id, why) in &imported.skipped {
        eprintln!("skipped {id}: {why}");
    }
    for note in &imported.notes {
        eprintln!("{}: {system} {}: {}", out.join(&note.path).display(), note.source_id, note.message);
    }
    match again {
        Some(again) => {
            if again.config_kept {
                eprintln!("note: {} is kept as it is; the import would write another (new categories or audiences?): `cuecard check` names any it lacks", out.join("cuecard.yaml").display());
            }
            for path in &again.kept {
                eprintln!("{}: edited here and upstream: kept as it is here (`--force` takes upstream's)", out.join(path).display());
            }
            let summary: Vec<String> = again.counts.iter().map(|(name, n)| format!("{n} {name}")).collect();
            eprintln!("imported again into {}: {}; next: cuecard check --kb {}", out.display(), summary.join(", "), out.display());
        }
        None => eprintln!(
            "imported {} articles and translations from {pages} pages into {} ({} skipped, {} notes); next: cuecard check --kb {}",
            imported.articles,
            out.display(),
            imported.skipped.len(),
            imported.notes.len(),
            out.display()
        ),
    }
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
struct Again {
    /// Files by what was done with them (`updated`, `kept with local edits`, ...).
    counts: BTreeMap<&'static str, usize>,
    /// Articles edited here and upstream, kept as they are here.
    kept: Vec<String>,
    /// Whether the kb's cuecard.yaml differs from the one the import would write.
    config_kept: bool,
}

fn import_again(out: &Path, files: &[KbFile], force: bool) -> Result<Again> {
    use crate::import::again::{Decision, decide};
    let mut again = Again { counts: BTreeMap::new(), kept: Vec::new(), config_kept: false };
    for file in files {
        let relative = Path::new(&file.path);
        if !relative.components().all(|c| matches!(c, std::path::Component::Normal(_))) {
            bail!("refused to write {} outside the kb", file.path);
        }
        let path = out.join(relative);
        let existing = std::fs::read(&path).ok();
        if file.path == "cuecard.yaml" && existing.is_some() {
            // The kb's own once written: never changed by an import.
            again.config_kept = existing.as_deref() != Some(&file.contents[..]);
            continue;
        }
        let decision = decide(existing.as_deref(), &file.contents, force);
        if decision.writes() {
            let parent = path.parent().unwrap_or(out);
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            crate::bundle::publish::write_atomically(parent, &path, &file.contents)?;
        }
        if decision == Decision::KeptLocalEdit {
            again.kept.push(file.path.clone());
        }
        let name = match decision {
            Decision::New => "new",
            Decision::Update => "updated",
            Decision::Unchanged => "unchanged",
            Decision::KeptLocalEdit => "kept with local edits",
            Decision::Overwritten => "overwritten with upstream's",
        };
        *again.counts.entry(name).or_default() += 1;
    }
    Ok(again)
}

/// Writes every file into a folder beside `out`, then moves it in: a
/// failure leaves nothing half-written.
fn write_whole(out: &Path, files: &[KbFile]) -> Result<()> {
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
