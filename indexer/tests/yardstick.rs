//! The relevance yardstick as a test: each labelled query set must stay at
//! or above its floor (set just under the figures reached; raise them when
//! relevance improves, never lower them to make a change pass).

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `(success@1, success@3, mrr@10)` from `cuecard eval`'s first lines, for
/// a file of typed queries (`.tsv`) or of call contexts (`.yaml`).
fn figures(kb: &Path, queries: &str, locale: Option<&str>) -> (f64, f64, f64) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cuecard"));
    let kind = if queries.ends_with(".yaml") { "--contexts" } else { "--queries" };
    command.args(["eval", "--kb"]).arg(kb).arg(kind).arg(repo().join("tests/yardstick").join(queries));
    if let Some(locale) = locale {
        command.args(["--locale", locale]);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let value = |name: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name} in\n{text}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (value("success@1"), value("success@3"), value("mrr@10"))
}

fn assert_floor(set: &str, got: (f64, f64, f64), floor: (f64, f64, f64)) {
    assert!(
        got.0 >= floor.0 && got.1 >= floor.1 && got.2 >= floor.2,
        "{set}: success@1 {:.3} success@3 {:.3} mrr@10 {:.3} fell below the floor {floor:?}",
        got.0,
        got.1,
        got.2
    );
}

#[test]
fn the_sample_kb_set_stays_above_its_floor() {
    let got = figures(&repo().join("kb"), "kb-en-US.tsv", None);
    assert_floor("kb-en-US", got, (0.90, 0.96, 0.93));
}

#[test]
fn suggestions_for_the_sample_kbs_call_contexts_stay_above_their_floor() {
    let got = figures(&repo().join("kb"), "contexts-kb-en-US.yaml", None);
    assert_floor("contexts-kb-en-US", got, (0.76, 0.93, 0.84));
    let got = figures(&repo().join("kb"), "contexts-kb-de-DE.yaml", Some("de-DE"));
    assert_floor("contexts-kb-de-DE", got, (0.95, 0.95, 0.95));
    let got = figures(&repo().join("kb"), "contexts-kb-ja-JP.yaml", Some("ja-JP"));
    assert_floor("contexts-kb-ja-JP", got, (0.65, 0.65, 0.65));
}

#[test]
fn the_tldr_sets_stay_above_their_floors() {
    let archive = repo().join("../shared/corpora/tldr-pages.tar.gz");
    assert!(archive.exists(), "the tldr corpus is expected at {}", archive.display());
    let work = TempDir::new().unwrap();
    assert!(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(work.path()).status().unwrap().success());
    let kb = work.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    for (folder, tag) in [("pages", "en"), ("pages.de", "de"), ("pages.ja", "ja"), ("pages.zh", "zh")] {
        std::fs::rename(work.path().join("tldr").join(folder), kb.join(tag)).unwrap();
    }
    for (tag, floor) in [("en", (0.35, 0.70, 0.52)), ("de", (0.50, 0.83, 0.66)), ("ja", (0.87, 0.87, 0.89)), ("zh", (0.87, 0.87, 0.89))] {
        let got = figures(&kb, &format!("tldr-{tag}.tsv"), Some(tag));
        assert_floor(&format!("tldr-{tag}"), got, floor);
    }
    // Help-desk tickets over pages nobody wrote for calls: weak without
    // meaning-based search (the words of a ticket are rarely a page's).
    let got = figures(&kb, "contexts-tldr-en.yaml", Some("en"));
    assert_floor("contexts-tldr-en", got, (0.25, 0.35, 0.35));
}
