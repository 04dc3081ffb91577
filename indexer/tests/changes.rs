//! What changed: `cuecard build` reads the kb's git history in one pass and
//! records each article's dated content changes (not whitespace, not front
//! matter alone, not merges), with the knowledge manager's `change_note`,
//! commit subjects only when the kb opts in; the locale's change feed;
//! a shallow clone or a tarball falls back to front matter, and says so;
//! `--now` / `SOURCE_DATE_EPOCH` make the output reproducible. The real
//! binary, on real git repositories.

mod support;
use std::path::Path;
use std::process::Command;

use cuecard_engine::changes::ChangeFeed;
use support::{articles, bundle_bytes, commit, cuecard, git, kb, manifest, stderr, write_files};

fn build_at(kb: &Path, out: &Path, now: &str) -> std::process::Output {
    cuecard(&["build", "--kb", kb.to_str().unwrap(), "--out", out.to_str().unwrap(), "--now", now])
}

/// `(date, note)` of each change of article `id`, newest first.
fn changes_of(out: &Path, id: &str) -> Vec<(String, Option<String>)> {
    let article = articles(out).into_iter().find(|a| a["id"] == id).unwrap_or_else(|| panic!("{id} is built"));
    let changes = article["info"]["changes"].as_array().cloned().unwrap_or_default();
    changes.iter().map(|c| (c["date"].as_str().unwrap().to_string(), c["note"].as_str().map(String::from))).collect()
}

fn feed_of(out: &Path) -> Option<ChangeFeed> {
    let manifest = manifest(out);
    let file = manifest.locales[0].changes.as_ref()?;
    Some(file.read_json(&std::fs::read(out.join(&file.path)).unwrap()).unwrap())
}

fn change(date: &str, note: Option<&str>) -> (String, Option<String>) {
    (date.to_string(), note.map(String::from))
}

const REFUNDS_V1: &str = "---\nowner: { name: Ana, team: Billing }\n---\n# Refunds\n\nRefund within 14 days.\n";

#[test]
fn content_changes_are_dated_from_history_and_noted_by_the_knowledge_manager() {
    let kb = kb(&[]);
    let root = kb.path();
    git(root, "2026-01-01", &["init", "-q"]);
    commit(root, "2026-01-05", "Add refunds and fees", &[
        ("refunds.md", REFUNDS_V1),
        ("fees.md", "---\ncategory: regulated\n---\n# Fees\n\nNo fees.\n"),
        ("calm.md", "# Calm\n\nNever changes.\n"),
    ]);
    // Front matter alone (a review) and whitespace alone are not changes.
    commit(root, "2026-06-01", "Review refunds", &[("refunds.md", "---\nowner: { name: Ana, team: Billing }\nreviewed: 2026-06-01\n---\n# Refunds\n\nRefund   within\n14 days.\n\n")]);
    commit(root, "2026-11-10", "JIRA-4411 internal: legal asked", &[(
        "refunds.md",
        "---\nowner: { name: Ana, team: Billing }\nreviewed: 2026-06-01\nchange_note: Refund window is now 30 days\n---\n# Refunds\n\nRefund within 30 days.\n",
    )]);
    // A merge commit brings a branch's change; the merge itself is skipped.
    git(root, "2026-11-20", &["checkout", "-q", "-b", "fees-update"]);
    commit(root, "2026-11-20", "Fees for paper bills", &[("fees.md", "---\ncategory: regulated\nchange_note: Paper bills cost 2 EUR\n---\n# Fees\n\nPaper bills cost 2 EUR.\n")]);
    git(root, "2026-11-21", &["checkout", "-q", "main"]);
    commit(root, "2026-11-21", "Unrelated", &[("calm.md", "# Calm\n\nNever changes.\n\n")]);
    git(root, "2026-11-22", &["merge", "-q", "--no-ff", "-m", "Merge fees-update", "fees-update"]);

    let out = root.join("out");
    let built = build_at(root, &out, "2026-11-25");
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(stderr(&built).contains("change dates from 5 commits of git history"), "merges are not counted: {}", stderr(&built));
    assert_eq!(changes_of(&out, "refunds"), [change("2026-11-10", Some("Refund window is now 30 days")), change("2026-01-05", None)]);
    assert_eq!(changes_of(&out, "fees"), [change("2026-11-20", Some("Paper bills cost 2 EUR")), change("2026-01-05", None)], "the branch's commit, not the merge");
    assert_eq!(changes_of(&out, "calm"), [change("2026-01-05", None)], "whitespace is not a change");
    let feed = feed_of(&out).expect("a locale with changes has a feed");
    let listed: Vec<(&str, &str, bool)> = feed.articles.iter().map(|a| (a.id.as_str(), a.change.date.as_str(), a.regulated)).collect();
    assert_eq!(listed, [("fees", "2026-11-20", false), ("refunds", "2026-11-10", false), ("calm", "2026-01-05", false)]);
    assert!(!String::from_utf8_lossy(&bundle_bytes(&out)).contains("JIRA-4411"), "commit subjects stay out unless the kb opts in");

    // Opting in names changes without a note by their subject; the config
    // marks regulated categories. An edit not yet committed is dated today.
    write_files(root, &[
        ("cuecard.yaml", "changes:\n  commit_subjects: true\n  regulated: { categories: [Regulated] }\n"),
        ("calm.md", "# Calm\n\nNow it changed.\n"),
    ]);
    let again = build_at(root, &out, "2026-11-25T08:00:00Z");
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(changes_of(&out, "refunds")[1], change("2026-01-05", Some("Add refunds and fees")));
    assert_eq!(changes_of(&out, "calm")[0], change("2026-11-25", None), "uncommitted text is a change of the build's day");
    let feed = feed_of(&out).unwrap();
    assert!(feed.articles.iter().find(|a| a.id == "fees").unwrap().regulated);
    assert_eq!(manifest(&out).built_at, "2026-11-25T08:00:00Z");
}

#[test]
fn the_same_kb_and_now_give_the_same_bytes_on_another_day() {
    let kb = kb(&[]);
    let root = kb.path();
    git(root, "2026-01-01", &["init", "-q"]);
    commit(root, "2026-03-01", "Add", &[("a.md", "---\nchange_note: First version\n---\n# A\n\nText.\n")]);
    let (first, second) = (root.join("first"), root.join("second"));
    assert!(build_at(root, &first, "2026-11-25T10:00:00Z").status.success());
    let env_build = Command::new(env!("CARGO_BIN_EXE_cuecard"))
        .args(["build", "--kb", root.to_str().unwrap(), "--out", second.to_str().unwrap()])
        .env("SOURCE_DATE_EPOCH", "1795677600") // 2026-11-26T07:20:00Z
        .output()
        .unwrap();
    assert!(env_build.status.success(), "{}", stderr(&env_build));
    assert_eq!(manifest(&second).built_at, "2026-11-26T07:20:00Z");
    let parts = |out: &Path| {
        let mut files: Vec<String> = support::list_files(out).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        files.retain(|f| f.ends_with(".ccz"));
        files.sort();
        files
    };
    assert_eq!(parts(&first), parts(&second), "dates, not \"days ago\": a day later, the same parts");
}

#[test]
fn a_shallow_clone_or_a_tarball_says_so_and_reads_front_matter() {
    let origin = kb(&[]);
    let root = origin.path();
    git(root, "2026-01-01", &["init", "-q"]);
    commit(root, "2026-02-01", "Add", &[("a.md", "---\nchanged: 2026-11-18\nchange_note: New greeting\n---\n# A\n\nText.\n"), ("b.md", "# B\n\nText.\n")]);
    commit(root, "2026-11-01", "Edit", &[("b.md", "# B\n\nOther text.\n")]);
    let clones = tempfile::tempdir().unwrap();
    let clone = clones.path().join("shallow");
    let url = format!("file://{}", root.display());
    git(clones.path(), "2026-11-02", &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()]);

    let out = clones.path().join("out");
    let built = build_at(&clone, &out, "2026-11-25");
    assert!(built.status.success(), "{}", stderr(&built));
    let said = stderr(&built);
    assert!(said.contains("shallow git clone") && said.contains("fetch-depth: 0"), "{said}");
    assert_eq!(changes_of(&out, "a"), [change("2026-11-18", Some("New greeting"))]);
    assert_eq!(changes_of(&out, "b"), [], "no history and no `changed`: nothing is claimed");

    let tarball = support::kb(&[("a.md", "---\nchanged: 2026-11-18\n---\n# A\n\nText.\n")]);
    let out = tarball.path().join("out");
    let built = build_at(tarball.path(), &out, "2026-11-25");
    assert!(stderr(&built).contains("not a git checkout"), "{}", stderr(&built));
    assert_eq!(changes_of(&out, "a"), [change("2026-11-18", None)]);

    // A kb folder in a repository that never committed it.
    let repository = support::kb(&[("README.md", "# Tools\n")]);
    git(repository.path(), "2026-01-01", &["init", "-q"]);
    commit(repository.path(), "2026-01-02", "Readme", &[]);
    write_files(repository.path(), &[("kb/a.md", "---\nchanged: 2026-11-18\n---\n# A\n\nText.\n")]);
    let out = repository.path().join("out");
    let built = build_at(&repository.path().join("kb"), &out, "2026-11-25");
    assert!(stderr(&built).contains("no commit of the git repository touches the kb yet"), "{}", stderr(&built));
    assert_eq!(changes_of(&out, "a"), [change("2026-11-18", None)]);
}

#[test]
fn a_bad_now_is_refused_before_anything_is_written() {
    let kb = kb(&[("a.md", "# A\n\nText.\n")]);
    let out = kb.path().join("out");
    let built = build_at(kb.path(), &out, "yesterday");
    assert!(!built.status.success());
    assert!(stderr(&built).contains("neither a date"), "{}", stderr(&built));
    assert!(!out.exists());
}
