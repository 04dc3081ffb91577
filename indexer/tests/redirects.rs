//! Old ids keep working: `redirect_from` becomes the bundle's redirects,
//! links to old ids are pointed at the article they moved to, and what
//! cannot be a redirect (an old id that is a live article, one two articles
//! claim, a cycle) is a finding on the `redirect_from` line. The real
//! binary on real files.

mod support;
use support::{articles, build, check_codes, kb, manifest, stdout};

use cuecard_engine::redirects::Redirects;

fn redirects_of(out: &std::path::Path) -> Option<Redirects> {
    let manifest = manifest(out);
    let file = manifest.locales[0].redirects.as_ref()?;
    Some(file.read_json(&std::fs::read(out.join(&file.path)).unwrap()).unwrap())
}

#[test]
fn old_ids_go_to_the_article_that_lists_them_and_links_to_them_are_pointed_there() {
    let kb = kb(&[
        ("billing/refunds.md", "---\nredirect_from: [billing/old-refunds, /billing/money-back/, billing/refund-policy.md]\n---\n# Refunds\n\nHow refunds work.\n"),
        ("billing/fees.md", "# Fees\n\nSee [refunds](old-refunds.md) and [the policy](refund-policy.md).\n"),
    ]);
    let findings = check_codes(kb.path());
    assert_eq!(findings, [("link-redirect".to_string(), "warning".to_string()), ("link-redirect".to_string(), "warning".to_string())]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    let redirects = redirects_of(&out).expect("the locale lists its redirects");
    assert_eq!(redirects.len(), 3);
    for old in ["billing/old-refunds", "billing/money-back", "billing/refund-policy"] {
        assert_eq!(redirects.target(old), Some("billing/refunds"), "{old}");
    }
    let fees = articles(&out).into_iter().find(|a| a["id"] == "billing/fees").unwrap();
    let html = fees["html"].as_str().unwrap();
    assert!(html.contains("href=\"#/a/billing/refunds\""), "{html}");
    assert!(!html.contains("old-refunds") && !html.contains("refund-policy"), "{html}");
}

#[test]
fn a_kb_without_redirects_lists_none() {
    let kb = kb(&[("a.md", "# A\n\nText.\n")]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    assert!(redirects_of(&out).is_none());
}

#[test]
fn old_ids_that_are_live_claimed_twice_or_a_cycle_are_errors_on_the_redirect_from_line() {
    let kb = kb(&[
        ("a.md", "---\ntags: [x]\nredirect_from: [b]\n---\n# A\n\nText.\n"),
        ("b.md", "---\nredirect_from: [a]\n---\n# B\n\nText.\n"),
        ("c.md", "---\nredirect_from: [gone]\n---\n# C\n\nText.\n"),
        ("d.md", "---\nredirect_from: [gone, d]\n---\n# D\n\nText.\n"),
        ("e.md", "---\nredirect_from: [a]\n---\n# E\n\nText.\n"),
    ]);
    let text = stdout(&support::check(kb.path()));
    // a and b name each other; a is also claimed by e: claimed twice.
    assert!(text.contains("a.md:3"), "findings on the redirect_from line: {text}");
    assert!(text.contains("redirect cycle"), "{text}");
    assert!(text.contains("`gone` is listed in `redirect_from` here and in `d`"), "{text}");
    assert!(text.contains("lists the article's own id `d`"), "{text}");
    let mut codes: Vec<(String, String)> = check_codes(kb.path());
    codes.sort();
    codes.dedup();
    assert_eq!(
        codes,
        [
            ("redirect-claimed-twice".to_string(), "error".to_string()),
            ("redirect-live-id".to_string(), "error".to_string()),
            ("redirect-self".to_string(), "warning".to_string()),
        ]
    );
    let out = kb.path().join("out");
    assert_eq!(build(kb.path(), &out).status.code(), Some(1), "a wrong redirect stops the build; nothing is published");
    assert!(!out.join("manifest.json").exists());
}
