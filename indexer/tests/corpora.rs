//! The real corpora in ../shared/corpora, built by the release binary (the
//! debug one is too slow at 36,000 articles): the tldr pages in 8 locales,
//! and the Office VBA docs tree, a real docs-as-code repository whose every
//! file must be accounted for and whose docs-site syntax must never show as
//! text. `cargo xtask test` runs these with `--release`.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

mod support;
use support::{articles, build, cuecard, manifest, stderr};

/// The archive `name` from ../shared/corpora, unpacked into a temp folder.
fn unpack(name: &str) -> TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let archive = repo.join("../shared/corpora").join(name);
    assert!(archive.exists(), "the corpus is expected at {} (shared/ beside the repo)", archive.display());
    let work = TempDir::new().unwrap();
    let status = Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(work.path()).status().unwrap();
    assert!(status.success());
    work
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a release test: cargo test --release -p cuecard --test corpora (cargo xtask test runs it)")]
fn the_vba_docs_tree_builds_whole_with_no_errors_and_no_directive_text() {
    let work = unpack("vba-docs.tar.gz");
    let kb = work.path().join("vba-docs");
    let markdown = walkdir_count(&kb);
    assert_eq!(markdown, 36_067);
    let started = std::time::Instant::now();
    let result = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--format", "json"]);
    let seconds = started.elapsed().as_secs_f64();
    let findings: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    let findings = findings.as_array().unwrap();
    let errors: Vec<&serde_json::Value> = findings.iter().filter(|f| f["severity"] == "error").collect();
    assert!(errors.is_empty(), "{} errors, first: {:?}", errors.len(), errors.first());
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert!(count("link-case") > 9_000, "case-mismatched links resolve, with a warning: {}", count("link-case"));
    assert!(count("broken-link") < 100, "false link findings: {}", count("broken-link"));
    eprintln!("check on {markdown} files: {seconds:.1} s, {} findings", findings.len());

    let out = work.path().join("bundle");
    let result = build(&kb, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let text = stderr(&result);
    assert!(text.contains("not published: 2 files used as includes"), "{text}");
    // Every file accounted for: articles, includes, and the root README.
    let manifest = manifest(&out);
    assert_eq!(manifest.locales.len(), 1, "the product folders are one locale");
    assert_eq!(manifest.locales[0].articles + 2 + 1, markdown);
    let published = manifest.locales[0].articles;
    assert!(text.contains(&format!("published {published} of {published} articles")), "the summary accounts for every article: {text}");
    let all = articles(&out);
    for syntax in ["[!include", "[!INCLUDE", ":::", "[!div", "[!VIDEO", "](#tab/"] {
        let shown = all.iter().filter(|a| support::outside_code(a["html"].as_str().unwrap()).contains(syntax)).count();
        assert_eq!(shown, 0, "{syntax} shows as text in {shown} articles");
    }
    let feedback = all.iter().filter(|a| a["html"].as_str().unwrap().contains("Support and feedback")).count();
    assert!(feedback > 30_000, "the feedback include is put in: {feedback}");
}

fn walkdir_count(dir: &Path) -> usize {
    support::walk(dir).iter().filter(|p| p.extension().is_some_and(|e| e == "md")).count()
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a release test: cargo test --release -p cuecard --test corpora (cargo xtask test runs it)")]
fn the_tldr_corpus_builds_in_all_eight_locales() {
    let work = unpack("tldr-pages.tar.gz");
    // One locale folder per language, named as locale tags.
    let kb = work.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    for entry in std::fs::read_dir(work.path().join("tldr")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(rest) = name.strip_prefix("pages") {
            let tag = rest.strip_prefix('.').unwrap_or("en");
            std::fs::rename(work.path().join("tldr").join(&name), kb.join(tag)).unwrap();
        }
    }
    let out = work.path().join("bundle");
    let result = build(&kb, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let manifest = manifest(&out);
    let tags: Vec<&str> = manifest.locales.iter().map(|l| l.locale.as_str()).collect();
    assert_eq!(tags, ["de", "en", "es", "fr", "ja", "ko", "pt-BR", "zh"]);
    let english = manifest.locale("en").unwrap();
    assert!(english.articles > 6000, "{}", english.articles);
    let published: usize = manifest.locales.iter().map(|l| l.articles).sum();
    assert!(stderr(&result).contains(&format!("published {published} of {published} articles")), "every page accounted for: {}", stderr(&result));
    // And it is searchable, in English and in Japanese.
    let index = |tag: &str| {
        let tier = &manifest.locale(tag).unwrap().index;
        cuecard_engine::LocaleIndex::open_verified_parts(tier.parts().map(|f| (std::fs::read(out.join(&f.path)).unwrap(), f)).collect()).unwrap()
    };
    let hits = index("en").search("tar", 5).hits;
    assert_eq!(hits[0].id, "common/tar", "{:?}", hits.iter().map(|h| &h.id).collect::<Vec<_>>());
    let hits = index("ja").search("ファイル", 5).hits;
    assert!(!hits.is_empty());
}
