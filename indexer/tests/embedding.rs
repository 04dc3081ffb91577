//! `embedding.allowed_hosts` in `cuecard.yaml` and `cuecard headers`, run as
//! the real binary on real folders: bad entries are refused with their line,
//! good ones reach the bundle and the site's headers.

mod support;

use support::{build, check, cuecard, kb, manifest, stderr, stdout, write_files};
use tempfile::TempDir;

const ARTICLE: &str = "# Refunds\n\nRefunds take five days.\n";

fn kb_with_hosts(hosts: &str) -> TempDir {
    kb(&[
        ("cuecard.yaml", &format!("default_locale: en\nembedding:\n  allowed_hosts:\n{hosts}")),
        ("en/refunds.md", ARTICLE),
    ])
}

#[test]
fn an_allowed_host_that_is_not_an_origin_is_an_error_with_its_line() {
    let kb = kb_with_hosts("    - https://crm.example.com\n    - \"*\"\n    - https://crm.example.com/app\n");
    let output = check(kb.path());
    let err = format!("{}{}", stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("cuecard.yaml:5:") && err.contains("`*`"), "{err}");
    assert!(err.contains("cuecard.yaml:6:") && err.contains("no path"), "{err}");
    assert!(err.contains("https://*.my.salesforce.com"), "the help shows how to write one: {err}");
}

#[test]
fn allowed_hosts_reach_the_bundle_and_the_site_headers() {
    let kb = kb_with_hosts("    - https://CRM.example.com/\n    - https://*.my.salesforce.com\n");
    let site = TempDir::new().unwrap();
    write_files(site.path(), &[("index.html", "<!doctype html><html><head>\n<meta charset=\"utf-8\" />\n<script type=\"module\">import init from './app.js';</script></head><body></body></html>")]);
    let out = site.path().join("bundle");
    let built = build(kb.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(manifest(&out).embed_hosts, vec!["https://crm.example.com", "https://*.my.salesforce.com"]);

    let headers = cuecard(&["headers", "--site", site.path().to_str().unwrap()]);
    assert!(headers.status.success(), "{}", stderr(&headers));
    assert!(stdout(&headers).contains("add_header Content-Security-Policy"), "nginx line: {}", stdout(&headers));
    let file = std::fs::read_to_string(site.path().join("_headers")).unwrap();
    assert!(file.contains("/*\n  Content-Security-Policy: "), "{file}");
    assert!(file.contains("frame-ancestors https://crm.example.com https://*.my.salesforce.com"), "{file}");
    let page = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    assert!(page.contains("<meta http-equiv=\"Content-Security-Policy\""), "{page}");
    assert!(page.contains("script-src 'self' 'sha256-"), "{page}");
    assert!(!page.contains("frame-ancestors"), "a <meta> cannot carry frame-ancestors: {page}");

    // Run again: one policy, not two.
    assert!(cuecard(&["headers", "--site", site.path().to_str().unwrap()]).status.success());
    let page = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    assert_eq!(page.matches("Content-Security-Policy").count(), 1, "{page}");
}

#[test]
fn without_allowed_hosts_nobody_may_frame_the_site() {
    let kb = kb(&[("en/refunds.md", ARTICLE)]);
    let site = TempDir::new().unwrap();
    write_files(site.path(), &[("index.html", "<html><head><script type=\"module\">1</script></head></html>")]);
    assert!(build(kb.path(), &site.path().join("bundle")).status.success());
    assert!(cuecard(&["headers", "--site", site.path().to_str().unwrap()]).status.success());
    let file = std::fs::read_to_string(site.path().join("_headers")).unwrap();
    assert!(file.contains("frame-ancestors 'none'"), "{file}");
}

#[test]
fn headers_on_a_folder_without_a_site_is_a_clear_error() {
    let empty = TempDir::new().unwrap();
    let output = cuecard(&["headers", "--site", empty.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("index.html"), "{}", stderr(&output));
}

#[test]
fn image_origins_cannot_rewrite_the_sites_policy_headers_or_page() {
    // Each of these passed `check` and reached the site's policy as written.
    let hostile = [
        "https://cdn.example.com; frame-ancestors *",
        "https://cdn.example.com\n  X-Injected: yes",
        "https://cdn.example.com\" http-equiv=\"refresh\" content=\"0;url=https://evil.example",
        "*",
    ];
    let yaml: String = hostile.iter().map(|o| format!("  - {}\n", serde_json::to_string(o).unwrap())).collect();
    let kb = kb(&[("cuecard.yaml", &format!("default_locale: en\nimage_origins:\n{yaml}  - https://CDN.example.com/\n")), ("en/refunds.md", ARTICLE)]);
    let output = check(kb.path());
    let err = format!("{}{}", stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("image_origins:").count(), hostile.len(), "each bad value is an error: {err}");

    // A manifest from elsewhere that holds them anyway never reaches the page or headers.
    let good = kb_with_hosts("    - https://crm.example.com\n");
    std::fs::write(good.path().join("cuecard.yaml"), "default_locale: en\nimage_origins: [\"https://CDN.example.com/\"]\n").unwrap();
    let site = TempDir::new().unwrap();
    write_files(site.path(), &[("index.html", "<!doctype html><html><head>\n<meta charset=\"utf-8\" />\n<script type=\"module\">import init from './app.js';</script></head><body></body></html>")]);
    let out = site.path().join("bundle");
    assert!(build(good.path(), &out).status.success());
    let manifest_path = out.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(manifest["image_origins"], serde_json::json!(["https://cdn.example.com"]));
    manifest["image_origins"] = serde_json::json!(hostile.iter().chain(["https://cdn.example.com"].iter()).collect::<Vec<_>>());
    std::fs::write(&manifest_path, manifest.to_string()).unwrap();
    let headers = cuecard(&["headers", "--site", site.path().to_str().unwrap()]);
    assert!(headers.status.success(), "{}", stderr(&headers));
    let file = std::fs::read_to_string(site.path().join("_headers")).unwrap();
    let page = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    for text in [&file, &page] {
        assert!(!text.contains("X-Injected") && !text.contains("refresh") && !text.contains("frame-ancestors *"), "{text}");
    }
    assert!(file.contains("img-src 'self' https://cdn.example.com;"), "{file}");
    assert_eq!(file.lines().filter(|l| l.starts_with("  ")).count(), 3, "three header lines, no more: {file}");
}
