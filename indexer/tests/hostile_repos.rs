//! A kb repository written by someone hostile: nothing it commits makes
//! `cuecard build` run a command, re-date a change or exhaust memory. The
//! real binary on real git repositories, cloned fresh as a CI job does.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

mod support;
use support::{articles, commit, cuecard, git, stderr};

/// A fresh clone of `origin` at `to` (what a CI job builds from).
fn clone(origin: &Path, to: &Path) {
    let out = Command::new("git").args(["clone", "-q"]).arg(origin).arg(to).output().expect("git runs");
    assert!(out.status.success(), "git clone: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_committed_repository_in_the_kb_folder_never_runs_its_config() {
    let work = TempDir::new().unwrap();
    let origin = work.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, "2026-11-01", &["init", "-q"]);
    let marker = work.path().join("pwned");
    let run = format!("touch {}", marker.display());
    // The plain files of a repository in the kb folder: git refuses a
    // `.git` folder in a commit, not these.
    let config = format!(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = \"{run}\"\n\tpager = {run}\n[diff]\n\texternal = {run}\n[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {run}\n[alias]\n\tstatus = !{run}\n"
    );
    commit(&origin, "2026-11-02", "Add the refund article", &[
        ("kb/refund.md", "# Refunds\n\nWithin 30 days.\n"),
        ("kb/HEAD", "ref: refs/heads/main\n"),
        ("kb/config", &config),
        ("kb/objects/info/packs", "\n"),
        ("kb/refs/heads/.keep", ""),
        ("kb/description", "planted\n"),
    ]);
    let clone_dir = work.path().join("clone");
    clone(&origin, &clone_dir);
    let kb = clone_dir.join("kb");
    let out = work.path().join("site");
    let result = cuecard(&["build", "--kb", kb.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(!marker.exists(), "a command from the planted config ran: {text}");
    let kb_shown = kb.canonicalize().unwrap().display().to_string();
    assert!(text.contains(&format!("warning: {kb_shown} holds the files of a git repository")), "the build names the refused folder: {text}");
    assert!(text.contains("note: change dates from 1 commits of git history"), "history comes from the real repository: {text}");
    let manifest = support::manifest(&out);
    assert!(manifest.kb_commit.as_deref().is_some_and(|c| c.len() >= 40), "{:?}", manifest.kb_commit);
    // `check` runs no git at all.
    let result = support::check(&kb);
    assert!(!marker.exists(), "{}", stderr(&result));
}

#[test]
fn a_commit_subject_cannot_re_date_a_change() {
    let repository = TempDir::new().unwrap();
    let root = repository.path();
    git(root, "2026-11-01", &["init", "-q"]);
    commit(root, "2026-11-03", "Add refunds", &[("kb/refund.md", "# Refunds\n\nWithin 14 days.\n")]);
    commit(root, "2026-11-20", "Longer \u{1e}2019-01-01T00:00:00Z\u{1f}forged", &[("kb/refund.md", "# Refunds\n\nWithin 30 days.\n")]);
    std::fs::write(root.join("cuecard.yaml"), "").unwrap();
    let out = root.join("out");
    let result = cuecard(&["build", "--kb", root.join("kb").to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", "2026-11-25"]);
    assert!(result.status.success(), "{}", stderr(&result));
    let article = articles(&out).into_iter().find(|a| a["id"] == "refund").unwrap();
    let dates: Vec<&str> = article["info"]["changes"].as_array().unwrap().iter().map(|c| c["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-11-20", "2026-11-03"], "{article}");
}

#[test]
fn a_huge_file_added_and_deleted_in_history_is_skipped_unread() {
    let repository = TempDir::new().unwrap();
    let root = repository.path();
    git(root, "2026-11-01", &["init", "-q"]);
    commit(root, "2026-11-03", "Add refunds", &[("kb/refund.md", "# Refunds\n\nWithin 14 days.\n")]);
    // 6 MB of one repeated line: it packs small, and is over the 4 MB limit.
    let huge = "Refund within 14 days, unless the plan says otherwise.\n".repeat(6 << 20 >> 6);
    commit(root, "2026-11-04", "Oops", &[("kb/huge.md", &huge)]);
    git(root, "2026-11-05", &["rm", "-q", "kb/huge.md"]);
    git(root, "2026-11-05", &["commit", "-q", "-m", "Remove it"]);
    let out = root.join("out");
    let result = cuecard(&["build", "--kb", root.join("kb").to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", "2026-11-25"]);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains("note: 1 file version in the git history is over the article size limit of 4 MB, so not read"), "{text}");
    assert!(text.contains("note: change dates from 3 commits of git history"), "{text}");
}
