//! The command line: what `cuecard --help` shows, and dispatch, one line
//! per subcommand to its file. Each command runs the one pipeline
//! ([`crate::check::pipeline`]) with its own audience and checks, and
//! prints through [`findings`].

mod build;
mod check;
mod eval;
mod findings;
mod fingerprint;
mod gaps;
mod headers;
mod import;
mod init;
mod model;
mod serve;
mod site;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};

/// Compiles a Markdown knowledge base into a static search site: the
/// Cuecard app, which agents search in their browser, and its bundle.
#[derive(Debug, Parser)]
#[command(name = "cuecard", version = crate::site::app::version(), about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Creates a new kb repository: settings, sample articles in two
    /// locales, a README for authors, and CI that checks pull requests and
    /// publishes the site.
    Init(init::Args),
    /// Previews the kb as agents will see it, on 127.0.0.1: rebuilds on
    /// every save and reloads the open page (query and article kept),
    /// with the last build's findings on the page.
    Serve(serve::Args),
    /// Writes the complete site to deploy: the app inside this binary, the
    /// kb's bundle, the page's security policy and `_headers`. Publishes
    /// into an existing site additively, like `build`.
    Site(site::Args),
    /// Builds the bundle. Refuses a kb with errors, leaving the previous
    /// bundle in place.
    Build(build::Args),
    /// Checks every article and reports every problem at once, without
    /// writing: exit code 1 when there are errors (warnings alone pass).
    Check(check::Args),
    /// Writes the built site's security policy: a Content-Security-Policy
    /// in its page, and `_headers` (Netlify, Cloudflare Pages) with
    /// `frame-ancestors` for the kb's allowed host pages. Run it after
    /// `trunk build` and after publishing a bundle whose `embedding` or
    /// `image_origins` changed; it prints the nginx and Apache lines.
    Headers(headers::Args),
    /// Gives the built site's web workers content-hashed names (trunk
    /// leaves them under fixed names) and names their files in the page,
    /// so the service worker keeps them with the version. Trunk's
    /// post-build hook runs it; a rerun changes nothing.
    Fingerprint(fingerprint::Args),
    /// Brings articles from another knowledge system into a new kb
    /// (`import zendesk`).
    #[command(subcommand)]
    Import(import::Command),
    /// The sentence model of meaning-based matching (`model install`).
    #[command(subcommand)]
    Model(model::Command),
    /// Measures search relevance with labelled queries (TSV:
    /// query, kind, best, also_ok), or suggestions with labelled call
    /// contexts (YAML): success@1, success@3, MRR@10.
    Eval(eval::Args),
    /// Reports what agents could not find, from collected signals (JSONL,
    /// one `cuecard:` event per line): zero-result queries, results nobody
    /// opened, the most opened articles and, with `--kb`, articles nobody
    /// opened; per locale.
    Gaps(gaps::Args),
}

/// Output formats of `eval` and `gaps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Runs a parsed command line; the exit code says how it went:
/// 0 success, 1 problems in the kb, 2 could not run.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn execute(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Init(args) => init::run(args),
        Command::Site(args) => site::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Headers(args) => headers::run(args),
        Command::Fingerprint(args) => fingerprint::run(args),
        Command::Import(command) => import::run(command),
        Command::Model(command) => model::run(command),
        Command::Eval(args) => eval::run(args),
        Command::Gaps(args) => gaps::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// clap's own consistency checks of every argument and subcommand.
    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
