//! Git as a process: one call's output, or why it failed ([`GitError`]),
//! and the kb's commit, recorded in the manifest so agents can tell which
//! knowledge they hold.

use std::path::Path;
use std::process::Command;

/// The commit checked out at `dir` (with `-dirty` when there are local
/// changes), or `None` when `dir` is not in a git work tree or git is absent.
pub fn commit_of(dir: &Path) -> Option<String> {
    let run = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = run(&["rev-parse", "HEAD"]).filter(|c| !c.is_empty())?;
    let dirty = run(&["status", "--porcelain", "--", "."]).is_some_and(|s| !s.is_empty());
    Some(if dirty { format!("{commit}-dirty") } else { commit })
}

/// Why git gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// git is not installed (or could not be started).
    #[error("git is not installed")]
    NotInstalled,
    /// git ran and refused: its own words.
    #[error("{0}")]
    Refused(String),
    /// Its output is not UTF-8.
    #[error("{0}")]
    NotUtf8(#[from] std::string::FromUtf8Error),
    /// Talking to it failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A pipe to it was missing, or its writer thread died.
    #[error("{0}")]
    Pipe(&'static str),
    /// `git cat-file` answered a line that is not a header.
    #[error("git cat-file said `{0}`")]
    Unexpected(String),
}

/// Runs git in `dir` and returns its output as text.
pub fn run(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().map_err(|_| GitError::NotInstalled)?;
    if !out.status.success() {
        return Err(GitError::Refused(String::from_utf8_lossy(&out.stderr).trim().to_string()));
    }
    Ok(String::from_utf8(out.stdout)?)
}
