//! `cuecard serve`: the authors' preview ([`crate::serve`]): the site as
//! `cuecard site` writes it, built into a folder of its own and rebuilt on
//! every save, with the findings of the last build on the page.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use cuecard_engine::manifest::SITE_BUNDLE_DIR;

use super::build::{BundleArgs, publish_bundle};
use crate::findings::diagnostics::Severity;
use crate::serve::{Built, Options, PanelFinding};

/// How long a preview keeps files of earlier builds: its pages reload.
const PREVIEW_GRACE: Duration = Duration::from_secs(600);

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    bundle: BundleArgs,
    /// The port on 127.0.0.1.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Watch by polling, for mounts that send no file events (network
    /// drives, WSL's Windows folders).
    #[arg(long)]
    poll: bool,
    /// Open the preview in the browser.
    #[arg(long)]
    open: bool,
}

pub fn run(mut args: Args) -> Result<ExitCode> {
    crate::site::app::files()?;
    args.bundle.keep_old = PREVIEW_GRACE;
    let kb = std::fs::canonicalize(&args.bundle.kb).with_context(|| format!("cannot read the kb folder {}", args.bundle.kb.display()))?;
    // Findings then name files under the path the watcher reports.
    args.bundle.kb = kb.clone();
    let site = std::env::temp_dir().join(format!("cuecard-preview-{}", std::process::id()));
    std::fs::create_dir_all(&site).with_context(|| format!("cannot create {}", site.display()))?;
    let options = Options { kb: kb.clone(), site: site.clone(), port: args.port, poll: args.poll, open: args.open };
    crate::serve::run(&options, || build_preview(&args.bundle, &kb, &site))?;
    Ok(ExitCode::SUCCESS)
}

/// One build of the preview site; its findings for the panel.
fn build_preview(bundle: &BundleArgs, kb: &std::path::Path, site: &std::path::Path) -> Result<Built> {
    let run = publish_bundle(bundle, &site.join(SITE_BUNDLE_DIR))?;
    let published = run.refused.is_none();
    if published {
        crate::site::publish::write_app(site, PREVIEW_GRACE)?;
        crate::site::publish::write_page(site)?;
    } else if !site.join(crate::site::headers::PAGE_FILE).exists() {
        // No good build yet: the app, to show the panel.
        crate::site::publish::write_app(site, PREVIEW_GRACE)?;
        std::fs::write(site.join(crate::site::headers::PAGE_FILE), crate::site::app::with_app_meta(crate::site::app::page()?))?;
    }
    let findings = run
        .diagnostics
        .iter()
        .map(|d| {
            // Findings name an article by the path it was read from.
            let article = run.articles.get(&d.file).cloned();
            PanelFinding {
                file: d.file.strip_prefix(kb).unwrap_or(&d.file).display().to_string(),
                line: d.line,
                severity: if d.severity == Severity::Error { "error" } else { "warning" },
                message: d.message.clone(),
                locale: article.as_ref().map(|(locale, _)| locale.clone()),
                id: article.map(|(_, id)| id),
            }
        })
        .collect();
    Ok(Built { published, findings })
}
