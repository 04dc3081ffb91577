//! `cuecard headers`: writes the built site's policy and says what a host
//! that does not read `_headers` must send.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built site: the folder with `index.html` and `bundle/`.
    #[arg(long, value_name = "DIR")]
    site: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let policy = crate::site::headers::write_site_headers(&args.site)?;
    let header = policy.header_value();
    println!("Wrote the page's Content-Security-Policy and {}.", policy.headers_file.display());
    println!("Pages may be framed by: {}", policy.frame_ancestors);
    println!("Hosts that do not read _headers need this response header on every file:");
    println!("  nginx:  add_header Content-Security-Policy \"{header}\" always;");
    println!("  Apache: Header always set Content-Security-Policy \"{header}\"");
    Ok(ExitCode::SUCCESS)
}
