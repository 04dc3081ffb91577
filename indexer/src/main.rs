//! `cuecard`: compiles a Markdown knowledge base into a search bundle.

use clap::Parser;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("CUECARD_LOG"))
        .with_writer(std::io::stderr)
        .init();
    cuecard::cli::run(cuecard::cli::Cli::parse())
}
