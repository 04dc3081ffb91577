//! The kb's git commit, recorded in the manifest so agents can tell which
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
