//! `cuecard site`: the complete deployable site from this binary alone,
//! the app it carries, the kb's bundle, the page's security policy and
//! `_headers`; published into an existing site as `build` publishes a
//! bundle (additive, grace period, lock, the last good site kept when the
//! kb has errors).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use cuecard_engine::manifest::SITE_BUNDLE_DIR;

use super::build::{BundleArgs, publish_bundle};
use crate::site::app::APP_HASH;
use crate::site::headers::HEADERS_FILE;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    bundle: BundleArgs,
    /// The site folder to write (new, empty, or a site this command wrote).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    // Before any work: a binary without the app cannot make a site.
    crate::site::app::files()?;
    crate::site::publish::check_site_folder(&args.out)?;
    std::fs::create_dir_all(&args.out)?;
    if let Some(code) = publish_bundle(&args.bundle, &args.out.join(SITE_BUNDLE_DIR))?.refused {
        eprintln!("the site in {} is unchanged", args.out.display());
        return Ok(code);
    }
    let app = crate::site::publish::write_app(&args.out, args.bundle.keep_old)?;
    let policy = crate::site::publish::write_page(&args.out)?;
    eprintln!(
        "site: {} (app {APP_HASH}): {} app files new, {} unchanged, {} retired, {} deleted after {}",
        args.out.display(),
        app.new_files,
        app.unchanged,
        app.retired,
        app.deleted,
        humantime::format_duration(args.bundle.keep_old)
    );
    eprintln!(
        "note: {HEADERS_FILE} is read by Netlify and Cloudflare Pages; GitHub Pages and GitLab Pages ignore it. \
         The page carries its own Content-Security-Policy and referrer rule; who may frame it (frame-ancestors {}) \
         needs a host that sends headers: `cuecard headers --site {}` prints the nginx and Apache lines",
        policy.frame_ancestors,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
