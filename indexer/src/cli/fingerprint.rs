//! `cuecard fingerprint`: renames the built site's web workers' files after
//! their content and says so.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built site: the folder with `index.html`.
    #[arg(long, value_name = "DIR")]
    site: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    for worker in crate::site::workers::fingerprint_workers(&args.site)? {
        println!("Named {} by content: {}, {}, {}.", worker.worker, worker.loader, worker.script, worker.wasm);
    }
    Ok(ExitCode::SUCCESS)
}
