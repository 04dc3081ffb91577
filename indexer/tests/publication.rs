//! What a build publishes is never a surprise: audiences are declared, a
//! tree's own front-matter keys are mapped in one line, and `build` and
//! `check` say what is published and what is left out, by reason. Run as a
//! knowledge manager would: the binary on real folders.

use tempfile::TempDir;

mod support;
use support::{articles, build, bundle_bytes, check, contains, cuecard, kb, manifest, stderr, stdout};

/// A tree shaped like a docs-as-code repository whose `audience` is the
/// reader's role (`ITPro`, `Admin`), as Microsoft's support articles are.
fn role_tree() -> TempDir {
    let mut files: Vec<(String, String)> = Vec::new();
    for n in 0..12 {
        let role = if n % 3 == 0 { "Admin" } else { "ITPro" };
        files.push((
            format!("articles/issue-{n}.md"),
            format!("---\ntitle: Issue {n}\nms.author: writer{n}\naudience: {role}\nkeywords: [outlook, sync]\n---\n# Issue {n}\n\nFix number {n}.\n"),
        ));
    }
    files.push(("articles/for-everyone.md".into(), "---\ntitle: For everyone\n---\n# For everyone\n\nText.\n".into()));
    let dir = TempDir::new().unwrap();
    for (path, text) in &files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn undeclared_audiences_are_one_error_per_value_with_counts_and_both_fixes() {
    let tree = role_tree();
    let result = check(tree.path());
    let text = format!("{}{}", stdout(&result), stderr(&result));
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert_eq!(text.matches("is not declared").count(), 2, "one finding per value, not per article: {text}");
    assert!(text.contains("the audience `ITPro` is not declared in cuecard.yaml (8 articles name it, this is the first)"), "{text}");
    assert!(text.contains("the audience `Admin` is not declared in cuecard.yaml (4 articles name it, this is the first)"), "{text}");
    assert!(text.contains("`front_matter: { audience: none }`"), "the error names the one-line fix: {text}");
    assert!(text.contains("a build without --audience would publish 1 of 13 articles; it would leave out: 4 only for `Admin`, 8 only for `ITPro`"), "{text}");
    let out = tree.path().join("out");
    let result = build(tree.path(), &out);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(!out.join("manifest.json").exists());
}

#[test]
fn a_tree_with_reader_roles_builds_with_the_one_line_the_message_gives() {
    let tree = role_tree();
    std::fs::write(tree.path().join("cuecard.yaml"), "front_matter: { audience: none, tags: keywords, owner: ms.author }\n").unwrap();
    let out = tree.path().join("out");
    let result = build(tree.path(), &out);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains("published 13 of 13 articles"), "{text}");
    assert_eq!(manifest(&out).locales[0].articles, 13);
    let all = articles(&out);
    let issue = all.iter().find(|a| a["id"] == "articles/issue-1").unwrap();
    assert_eq!(issue["info"]["owner"]["name"], "writer1", "{issue}");
    let result = cuecard(&["check", "--kb", tree.path().to_str().unwrap(), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 0, "{findings}");
}

#[test]
fn mapped_fields_are_read_from_the_trees_keys() {
    let kb = kb(&[
        ("cuecard.yaml", "categories: [billing]\nfront_matter: { tags: keywords, category: ms.topic, summary: none }\n"),
        ("a.md", "---\ntitle: Refunds\nms.topic: billing\nkeywords: [Refund, money-back]\ntags: ignored-tag\ndescription: Not the summary\n---\n# Refunds\n\nWithin 30 days.\n"),
    ]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let all = articles(&out);
    assert_eq!(all[0]["summary"], "Within 30 days.", "summary: none reads neither summary nor description");
    assert!(!contains(&bundle_bytes(&out), "ignored-tag"), "the tree's own `tags` is not read");
    assert!(contains(&bundle_bytes(&out), "money-back"));
    // A mapped field keeps its rules, reported at the tree key's line.
    std::fs::write(kb.path().join("a.md"), "---\ntitle: Refunds\nms.topic: biling\n---\n# Refunds\n").unwrap();
    let result = check(kb.path());
    let text = stdout(&result);
    assert!(text.contains("a.md:3: error: unknown category `biling`"), "{text}");
}

#[test]
fn a_bad_front_matter_map_or_audience_list_is_a_config_error() {
    let kb = kb(&[
        ("cuecard.yaml", "audiences: [{ id: internal, name: Internal }, { id: Internal, name: Again }]\nfront_matter: { audiense: none }\n"),
        ("a.md", "# A\n"),
    ]);
    let result = check(kb.path());
    let text = stdout(&result) + &stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert!(text.contains("audiences: the audience `Internal` is declared twice"), "{text}");
    assert!(text.contains("front_matter: `audiense` is not a field Cuecard reads"), "{text}");
}

#[test]
fn a_typo_in_an_audience_never_publishes_internal_text() {
    let kb = kb(&[
        ("cuecard.yaml", "audiences: [{ id: internal, name: Internal staff }]\n"),
        ("a.md", "# Public\n"),
        ("b.md", "---\naudience: [interal]\n---\n# Override code quetzal\n"),
    ]);
    let result = check(kb.path());
    let text = stdout(&result);
    assert!(text.contains("b.md:2: error: the audience `interal` is not declared"), "{text}");
    assert!(text.contains("did you mean `internal`?"), "{text}");
    let out = kb.path().join("out");
    let result = cuecard(&["build", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--audience", "internl"]);
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert!(text.contains("`--audience internl` is not an audience of this kb (cuecard.yaml declares: internal)"), "{text}");
    assert!(!out.exists());
}

#[test]
fn a_build_that_would_publish_nothing_is_an_error() {
    let kb = kb(&[
        ("cuecard.yaml", "audiences: [{ id: internal, name: Internal staff }]\n"),
        ("a.md", "---\naudience: [internal]\n---\n# Internal\n"),
        ("b.md", "---\ndraft: true\n---\n# Draft\n"),
    ]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    let text = stderr(&result);
    assert_eq!(result.status.code(), Some(1), "{text}");
    assert!(text.contains("a build without --audience would publish none of the kb's 2 articles"), "{text}");
    assert!(text.contains("a build without --audience would publish 0 of 2 articles; it would leave out: 1 draft, 1 only for `internal`"), "{text}");
    assert!(!out.join("manifest.json").exists());
    let result = cuecard(&["build", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--audience", "internal"]);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains("published 1 of 2 articles; left out: 1 draft"), "{text}");
}

#[test]
fn build_and_check_say_the_same_about_what_is_left_out() {
    let kb = kb(&[
        ("cuecard.yaml", "audiences: [supervisors, internal]\n"),
        ("a.md", "# A\n\n[!include[x](x-inc.md)]\n"),
        ("x-inc.md", "Shared text.\n"),
        ("b.md", "---\naudience: [supervisors, internal]\n---\n# B\n"),
        ("c.md", "---\npublished: false\n---\n# C\n"),
        ("_notes/old.md", "# Old\n"),
    ]);
    let left = "1 draft, 1 only for `supervisors` or `internal`";
    let result = check(kb.path());
    assert!(stderr(&result).contains(&format!("a build without --audience would publish 1 of 3 articles; it would leave out: {left}")), "{}", stderr(&result));
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains(&format!("published 1 of 3 articles; left out: {left}")), "{text}");
    assert!(text.contains("not articles, so not published: 1 file used as includes; 1 Markdown file outside the locales or named with `_`/`.` (1 in _notes/ folders)"), "{text}");
}
