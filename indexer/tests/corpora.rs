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

/// Counts of the elements a round trip must keep, in rendered HTML.
fn elements(html: &str) -> [usize; 4] {
    ["<h2", "<pre", "<table", "<a href"].map(|tag| html.matches(tag).count())
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a release test: cargo test --release -p cuecard --test corpora (cargo xtask test runs it)")]
fn vba_articles_survive_a_round_trip_through_a_zendesk_export() {
    // Real content nobody here wrote: the VBA PowerPoint reference, built,
    // its HTML wrapped as Help Center API pages, imported, built again.
    let work = unpack("vba-docs.tar.gz");
    let subset = work.path().join("subset");
    std::fs::create_dir_all(subset.join("api")).unwrap();
    let api = work.path().join("vba-docs/api");
    let mut names: Vec<String> = std::fs::read_dir(&api).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("PowerPoint.Shape")).collect();
    names.sort();
    for name in &names {
        std::fs::copy(api.join(name), subset.join("api").join(name)).unwrap();
    }
    std::fs::create_dir_all(subset.join("includes")).unwrap();
    for entry in std::fs::read_dir(work.path().join("vba-docs/includes")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), subset.join("includes").join(entry.file_name())).unwrap();
    }
    let built = work.path().join("built");
    let first = build(&subset, &built);
    assert!(first.status.success(), "{}", stderr(&first));
    let originals = articles(&built);
    // Links between the articles as a help centre writes them.
    let zendesk_ids: std::collections::HashMap<String, usize> = originals.iter().enumerate().map(|(n, a)| (a["id"].as_str().unwrap().to_string(), 1000 + n)).collect();
    let as_zendesk = |html: &str| {
        let mut html = html.to_string();
        for (id, zid) in &zendesk_ids {
            html = html.replace(&format!("href=\"#/a/{id}\""), &format!("href=\"https://acme.zendesk.com/hc/en-us/articles/{zid}\""));
        }
        html
    };
    let rewritten = originals.iter().map(|a| as_zendesk(a["html"].as_str().unwrap()).matches("acme.zendesk.com/hc/en-us/articles/").count()).sum::<usize>();
    let pages: Vec<serde_json::Value> = originals
        .iter()
        .enumerate()
        .map(|(n, a)| serde_json::json!({"id": 1000 + n, "title": a["title"], "body": as_zendesk(a["html"].as_str().unwrap()), "locale": "en-us", "source_locale": "en-us", "section_id": 1, "draft": false, "updated_at": "2026-11-01T00:00:00Z"}))
        .collect();
    let export = work.path().join("export");
    std::fs::create_dir_all(&export).unwrap();
    std::fs::write(export.join("articles.json"), serde_json::json!({"articles": pages}).to_string()).unwrap();
    std::fs::write(export.join("sections.json"), r#"{"sections": [{"id": 1, "name": "Shape", "category_id": 2}]}"#).unwrap();
    std::fs::write(export.join("categories.json"), r#"{"categories": [{"id": 2, "name": "PowerPoint reference"}]}"#).unwrap();
    let kb = work.path().join("kb");
    let started = std::time::Instant::now();
    let result = cuecard(&["import", "zendesk", "--from", export.to_str().unwrap(), "--out", kb.to_str().unwrap()]);
    let seconds = started.elapsed().as_secs_f64();
    assert!(result.status.success(), "{}", stderr(&result));
    // The links between them resolve (as `.md` links): no broken ones.
    let checked = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let broken = findings.as_array().unwrap().iter().filter(|f| f["code"] == "broken-link" || f["severity"] == "error").count();
    assert!(rewritten > 100 && broken == 0, "{rewritten} links between articles, {broken} broken or errors");
    let out = work.path().join("reimported");
    let rebuilt = build(&kb, &out);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let imported = articles(&out);
    assert_eq!(imported.len(), originals.len());
    // Each article is found by its title, and keeps its headings, code, tables and links.
    let manifest = manifest(&out);
    let tier = &manifest.locales[0].index;
    let index = cuecard_engine::LocaleIndex::open_verified_parts(tier.parts().map(|f| (std::fs::read(out.join(&f.path)).unwrap(), f)).collect()).unwrap();
    let by_title: std::collections::HashMap<&str, &serde_json::Value> = imported.iter().map(|a| (a["title"].as_str().unwrap(), a)).collect();
    let (mut found, mut kept, mut total) = (0, 0, 0);
    for original in &originals {
        let title = original["title"].as_str().unwrap();
        let hits = index.search(title, 3).hits;
        let copy = by_title[title];
        found += usize::from(hits.iter().any(|h| h.id == copy["id"].as_str().unwrap()));
        let (before, after) = (elements(original["html"].as_str().unwrap()), elements(copy["html"].as_str().unwrap()));
        for (b, a) in before.iter().zip(after) {
            total += b;
            kept += (*b).min(a);
        }
    }
    let share = kept as f64 / total.max(1) as f64;
    eprintln!("round trip: {rewritten} links between articles resolve; {} articles imported in {seconds:.2} s ({:.0}/s); found by title in the top 3: {found}; headings, code, tables and links kept: {kept} of {total} ({:.1}%)", originals.len(), originals.len() as f64 / seconds, share * 100.0);
    assert!(found as f64 >= 0.95 * originals.len() as f64, "found by title: {found} of {}", originals.len());
    assert!(share >= 0.95, "elements kept: {share:.3}");
}
