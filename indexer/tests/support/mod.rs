//! Helpers the CLI process tests share: run the real binary on real folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cuecard_engine::Manifest;
use tempfile::TempDir;

pub fn cuecard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cuecard")).args(args).output().expect("cuecard runs")
}

/// The binary with extra environment variables.
pub fn cuecard_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cuecard")).args(args).envs(env.iter().copied()).output().expect("cuecard runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A kb folder holding `files` (path, contents).
pub fn kb(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    write_files(dir.path(), files);
    dir
}

pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

pub fn build(kb: &Path, out: &Path) -> Output {
    cuecard(&["build", "--kb", kb.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

pub fn check(kb: &Path) -> Output {
    cuecard(&["check", "--kb", kb.to_str().unwrap(), "--today", "2026-11-25"])
}

/// `check --format json`: the findings as (code, severity) pairs.
pub fn check_codes(kb: &Path) -> Vec<(String, String)> {
    let output = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--today", "2026-11-25", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("JSON findings: {}", stdout(&output)));
    findings.as_array().unwrap().iter().map(|f| (f["code"].as_str().unwrap().to_string(), f["severity"].as_str().unwrap().to_string())).collect()
}

pub fn manifest(out: &Path) -> Manifest {
    Manifest::from_json(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

pub fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(dir).into_iter().map(|p| p.strip_prefix(dir).unwrap().to_path_buf()).collect();
    files.sort();
    files
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Every byte of every file of a bundle folder, compressed parts inflated:
/// for "is this text anywhere in the bundle".
pub fn bundle_bytes(dir: &Path) -> Vec<u8> {
    walk(dir)
        .into_iter()
        .flat_map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.to_string_lossy().into_owned();
            if cuecard_engine::parts::is_compressed(&name) { cuecard_engine::parts::inflate(&bytes, &name).unwrap() } else { bytes }
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The bucket lists of each locale of a built bundle (the part the
/// manifest's `buckets` names).
pub fn buckets(out: &Path) -> Vec<cuecard_engine::manifest::BucketFiles> {
    manifest(out).locales.iter().map(|l| l.buckets.read_json(&std::fs::read(out.join(&l.buckets.path)).unwrap()).unwrap()).collect()
}

/// Every file `manifest` names in the bundle at `out`, and every file its
/// locales' bucket lists name.
pub fn named_files(out: &Path, manifest: &cuecard_engine::Manifest) -> Vec<String> {
    let lists = manifest.locales.iter().flat_map(|l| {
        let lists: cuecard_engine::manifest::BucketFiles = l.buckets.read_json(&std::fs::read(out.join(&l.buckets.path)).unwrap()).unwrap();
        lists.files().map(|f| f.path.clone()).collect::<Vec<_>>()
    });
    manifest.files().map(|f| f.path.clone()).chain(lists).collect()
}

/// The rendered articles of a built bundle, all locales, as JSON.
pub fn articles(out: &Path) -> Vec<serde_json::Value> {
    buckets(out)
        .iter()
        .flat_map(|l| l.article_files.iter())
        .flat_map(|f| {
            let file: serde_json::Value = f.read_json(&std::fs::read(out.join(&f.path)).unwrap()).unwrap();
            file["articles"].as_array().unwrap().clone()
        })
        .collect()
}

/// Runs git in `dir` as a fixed person, committing at `date` (noon UTC).
pub fn git(dir: &Path, date: &str, args: &[&str]) {
    let moment = format!("{date}T12:00:00Z");
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Knowledge Manager", "-c", "user.email=km@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_AUTHOR_DATE", &moment)
        .env("GIT_COMMITTER_DATE", &moment)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Writes `files` and commits them all at `date` with `subject`.
pub fn commit(dir: &Path, date: &str, subject: &str, files: &[(&str, &str)]) {
    write_files(dir, files);
    git(dir, date, &["add", "-A"]);
    git(dir, date, &["commit", "-q", "-m", subject]);
}

/// `html` without its `<code>` and `<pre>` elements: the text a reader sees
/// as prose, where no docs-site marker may be left.
pub fn outside_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ["<code", "<pre"].iter().filter_map(|tag| rest.find(tag).map(|at| (at, *tag))).min();
        let Some((at, tag)) = next else { break };
        out.push_str(&rest[..at]);
        let close = if tag == "<code" { "</code>" } else { "</pre>" };
        rest = rest[at..].find(close).map_or("", |end| &rest[at + end + close.len()..]);
    }
    out.push_str(rest);
    out
}
