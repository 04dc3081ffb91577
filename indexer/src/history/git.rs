//! Git as a process, run so that nothing in a kb repository can make it
//! run anything: Cuecard finds the repository around the kb itself (git's
//! own discovery would take a kb folder that holds the plain files of a
//! repository, `HEAD`, `config`, `objects/`, `refs/`, as one and read its
//! `config`), names it to git explicitly, and turns off every command a
//! config can name (fsmonitor, pager, external diff, textconv, signature
//! checks). Also the kb's commit, recorded in the manifest so agents can
//! tell which knowledge they hold.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Settings given to every git run, over whatever a config file says.
const SAFE_SETTINGS: [&str; 10] = [
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.pager=cat",
    "core.quotePath=false",
    "core.hooksPath=/dev/null",
    "safe.bareRepository=explicit",
    "log.showSignature=false",
    "gpg.program=false",
    "diff.external=",
    "status.showUntrackedFiles=normal",
];

/// The git repository around a kb, found by Cuecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// Its `.git` (a folder, or the file of a linked work tree).
    git_dir: PathBuf,
    /// The work tree it belongs to (the kb or a folder above it).
    work_tree: PathBuf,
    /// The kb folder, where git runs (paths are relative to it).
    kb: PathBuf,
}

/// What looking for the kb's repository found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// The repository whose work tree holds the kb, if any.
    pub repo: Option<Repo>,
    /// Folders at or above the kb that hold the files of a repository
    /// without being one's work tree (committed as plain files): never
    /// given to git.
    pub refused: Vec<PathBuf>,
}

impl Located {
    /// The warning for the person running the build, when a folder was refused.
    pub fn warning(&self) -> Option<String> {
        let names: Vec<String> = self.refused.iter().map(|p| p.display().to_string()).collect();
        (!names.is_empty()).then(|| {
            format!(
                "warning: {} holds the files of a git repository (HEAD, config, objects/, refs/) as plain files; git is never run on it, \
                 since its config could run commands. Remove them from the kb unless they are meant to be there.",
                names.join(", ")
            )
        })
    }
}

/// Whether `dir` holds the files of a git repository itself (a bare
/// repository's layout), as git's discovery would see it.
fn looks_like_git_dir(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

/// Finds the repository whose work tree holds `kb`: the nearest `.git` at
/// or above it. A folder that looks like a repository itself is refused,
/// never taken: a commit can hold such files, it cannot hold `.git`.
pub fn locate(kb: &Path) -> Located {
    let kb = std::fs::canonicalize(kb).unwrap_or_else(|_| kb.to_path_buf());
    let mut located = Located::default();
    for dir in kb.ancestors() {
        let dot_git = dir.join(".git");
        if std::fs::symlink_metadata(&dot_git).is_ok() {
            located.repo = Some(Repo { git_dir: dot_git, work_tree: dir.to_path_buf(), kb: kb.clone() });
            break;
        }
        if looks_like_git_dir(dir) {
            located.refused.push(dir.to_path_buf());
        }
    }
    located
}

impl Repo {
    /// A git command in the kb folder, on this repository only, with every
    /// config-driven command off.
    pub fn command(&self) -> Command {
        let mut command = Command::new("git");
        command
            .current_dir(&self.kb)
            .env("GIT_DIR", &self.git_dir)
            .env("GIT_WORK_TREE", &self.work_tree)
            .env("GIT_PAGER", "cat")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_EXTERNAL_DIFF")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_CONFIG_PARAMETERS")
            .env_remove("GIT_CONFIG_COUNT")
            .arg("--no-pager");
        for setting in SAFE_SETTINGS {
            command.arg("-c").arg(setting);
        }
        command
    }

    /// Runs git with `args` and returns its output as text.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        let out = self.command().args(args).output().map_err(|_| GitError::NotInstalled)?;
        if !out.status.success() {
            return Err(GitError::Refused(String::from_utf8_lossy(&out.stderr).trim().to_string()));
        }
        Ok(String::from_utf8(out.stdout)?)
    }

    /// The commit checked out (with `-dirty` when the kb has local
    /// changes), or `None` when git has none or is absent.
    pub fn commit(&self) -> Option<String> {
        let commit = self.run(&["rev-parse", "--verify", "--quiet", "HEAD"]).ok().map(|c| c.trim().to_string()).filter(|c| !c.is_empty())?;
        let dirty = self.run(&["status", "--porcelain", "--ignore-submodules=all", "--no-renames", "--", "."]).is_ok_and(|s| !s.trim().is_empty());
        Some(if dirty { format!("{commit}-dirty") } else { commit })
    }
}

/// The commit checked out at `kb` (with `-dirty` when there are local
/// changes), or `None` when it is in no git work tree or git is absent.
pub fn commit_of(kb: &Path) -> Option<String> {
    locate(kb).repo?.commit()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_repository_files_is_refused_and_the_real_repository_above_it_taken() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        let kb = root.join("kb");
        for folder in ["objects", "refs"] {
            std::fs::create_dir_all(kb.join(folder)).unwrap();
        }
        std::fs::write(kb.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        let located = locate(&kb);
        assert_eq!(located.refused, [kb.clone()]);
        assert_eq!(located.repo.as_ref().map(|r| r.work_tree.clone()), Some(root));
        assert!(located.warning().unwrap().contains(&kb.display().to_string()));
    }
}
