//! One fixture kb per kind of finding, checked by the real binary, compared
//! with the exact expected report (`expected.txt`, and for one fixture the
//! JSON and GitHub formats too). Refresh after an intended change with
//! `UPDATE_SNAPSHOTS=1 cargo test -p cuecard --test check_snapshots`.

use std::path::Path;
use std::process::Command;

const TODAY: &str = "2026-11-25";

fn check(fixture: &Path, format: &str) -> (String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_cuecard"))
        .current_dir(fixture)
        .args(["check", "--kb", ".", "--today", TODAY, "--format", format])
        .output()
        .expect("cuecard runs");
    (String::from_utf8(output.stdout).expect("UTF-8 output"), output.status.code())
}

fn compare(fixture: &Path, snapshot: &str, actual: &str) -> Option<String> {
    let path = fixture.join(snapshot);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    (expected != actual).then(|| format!("{}:\n--- expected\n{expected}--- actual\n{actual}", path.display()))
}

#[test]
fn every_finding_kind_reports_exactly_as_expected() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut kinds: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    kinds.sort();
    assert!(kinds.len() >= 17, "one fixture per finding kind");
    let mut mismatches = Vec::new();
    for fixture in &kinds {
        let kind = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let (human, code) = check(fixture, "human");
        mismatches.extend(compare(fixture, "expected.txt", &human));
        // Each fixture shows its own kind of finding, by code.
        let (json, _) = check(fixture, "json");
        let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
        let codes: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        let expected_code = if kind == "yaml" { "yaml" } else { kind.as_str() };
        assert!(codes.contains(&expected_code), "{kind}: findings {codes:?}");
        let has_error = findings.as_array().unwrap().iter().any(|f| f["severity"] == "error");
        assert_eq!(code, Some(if has_error { 1 } else { 0 }), "{kind}: exit code follows errors");
    }
    let review = root.join("review-overdue");
    mismatches.extend(compare(&review, "expected.json", &check(&review, "json").0));
    mismatches.extend(compare(&review, "expected.github", &check(&review, "github").0));
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
