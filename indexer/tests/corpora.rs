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

/// The elements a round trip must keep, in rendered HTML: each heading,
/// code block, table, list item and link, with its text (whitespace
/// collapsed).
fn elements(html: &str) -> Vec<(String, String)> {
    let tree = htmd::HtmlToMarkdown::new().html_to_tree(html).unwrap();
    let mut found = Vec::new();
    // `tree` stays held: dropping a node's last handle empties the children
    // of everything below it (markup5ever_rcdom's iterative drop).
    let mut stack = vec![tree.clone()];
    while let Some(node) = stack.pop() {
        stack.extend(node.children.borrow().iter().rev().cloned());
        if let markup5ever_rcdom::NodeData::Element { name, .. } = &node.data {
            let tag = name.local.to_string();
            if ["h2", "h3", "pre", "table", "li", "a"].contains(&tag.as_str()) {
                let mut text = String::new();
                let mut inner = vec![node.clone()];
                while let Some(n) = inner.pop() {
                    if let markup5ever_rcdom::NodeData::Text { contents } = &n.data {
                        text.push_str(&contents.borrow());
                        text.push(' ');
                    }
                    inner.extend(n.children.borrow().iter().rev().cloned());
                }
                found.push((tag, text.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
        }
    }
    found
}

/// Of `before`'s elements, how many `after` has with the same text.
fn kept(before: &[(String, String)], after: &[(String, String)]) -> usize {
    let mut left: std::collections::HashMap<&(String, String), usize> = std::collections::HashMap::new();
    for element in after {
        *left.entry(element).or_default() += 1;
    }
    before.iter().filter(|e| left.get_mut(e).is_some_and(|n| *n > 0 && { *n -= 1; true })).count()
}

/// The VBA PowerPoint `Shape` reference (real content nobody here wrote),
/// built: its folder, and its articles as the bundle holds them.
fn vba_shape_articles(work: &Path) -> Vec<serde_json::Value> {
    let subset = work.join("subset");
    std::fs::create_dir_all(subset.join("api")).unwrap();
    let api = work.join("vba-docs/api");
    let mut names: Vec<String> = std::fs::read_dir(&api).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with("PowerPoint.Shape")).collect();
    names.sort();
    for name in &names {
        std::fs::copy(api.join(name), subset.join("api").join(name)).unwrap();
    }
    std::fs::create_dir_all(subset.join("includes")).unwrap();
    for entry in std::fs::read_dir(work.join("vba-docs/includes")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), subset.join("includes").join(entry.file_name())).unwrap();
    }
    let built = work.join("built");
    let first = build(&subset, &built);
    assert!(first.status.success(), "{}", stderr(&first));
    articles(&built)
}

/// Checks the kb an import wrote from `originals` and reports: 0 errors and
/// no broken links, each article found by its title, and the share of
/// elements kept with their text.
fn check_round_trip(system: &str, work: &Path, kb: &Path, originals: &[serde_json::Value], seconds: f64, links: usize) {
    let checked = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let broken = findings.as_array().unwrap().iter().filter(|f| f["code"] == "broken-link" || f["severity"] == "error").count();
    assert!(links > 100 && broken == 0, "{system}: {links} links between articles, {broken} broken or errors");
    let out = work.join(format!("reimported-{system}"));
    let rebuilt = build(kb, &out);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let imported = articles(&out);
    assert_eq!(imported.len(), originals.len());
    let manifest = manifest(&out);
    let tier = &manifest.locales[0].index;
    let index = cuecard_engine::LocaleIndex::open_verified_parts(tier.parts().map(|f| (std::fs::read(out.join(&f.path)).unwrap(), f)).collect()).unwrap();
    let by_title: std::collections::HashMap<&str, &serde_json::Value> = imported.iter().map(|a| (a["title"].as_str().unwrap(), a)).collect();
    let (mut found, mut clean, mut total) = (0, 0, 0);
    let mut by_tag: std::collections::BTreeMap<String, (usize, usize)> = std::collections::BTreeMap::new();
    for original in originals {
        let title = original["title"].as_str().unwrap();
        let hits = index.search(title, 3).hits;
        let copy = by_title[title];
        found += usize::from(hits.iter().any(|h| h.id == copy["id"].as_str().unwrap()));
        let (before, after) = (elements(original["html"].as_str().unwrap()), elements(copy["html"].as_str().unwrap()));
        for tag in ["h2", "h3", "pre", "table", "li", "a"] {
            let (b, a): (Vec<_>, Vec<_>) = (before.iter().filter(|e| e.0 == tag).cloned().collect(), after.iter().filter(|e| e.0 == tag).cloned().collect());
            let entry = by_tag.entry(tag.to_string()).or_default();
            entry.0 += kept(&b, &a);
            entry.1 += b.len();
        }
        total += before.len();
        clean += kept(&before, &after);
    }
    let share = clean as f64 / total.max(1) as f64;
    let tags: Vec<String> = by_tag.iter().map(|(tag, (k, n))| format!("{tag} {k}/{n}")).collect();
    eprintln!(
        "round trip through {system}: {links} links between articles resolve; {} articles imported in {seconds:.2} s ({:.0}/s); found by title in the top 3: {found}; elements converted cleanly (same element, same text): {clean} of {total} ({:.1}%: {})",
        originals.len(),
        originals.len() as f64 / seconds,
        share * 100.0,
        tags.join(", ")
    );
    assert!(found as f64 >= 0.95 * originals.len() as f64, "found by title: {found} of {}", originals.len());
    assert!(share >= 0.95, "elements converted cleanly: {share:.3}");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a release test: cargo test --release -p cuecard --test corpora (cargo xtask test runs it)")]
fn vba_articles_survive_a_round_trip_through_a_zendesk_export() {
    // Real content nobody here wrote: the VBA PowerPoint reference, built,
    // its HTML wrapped as Help Center API pages, imported, built again.
    let work = unpack("vba-docs.tar.gz");
    let originals = vba_shape_articles(work.path());
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
    check_round_trip("zendesk", work.path(), &kb, &originals, seconds, rewritten);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a release test: cargo test --release -p cuecard --test corpora (cargo xtask test runs it)")]
fn vba_articles_survive_a_round_trip_through_a_confluence_export() {
    // The same reference, each article a page of a Confluence space's HTML
    // export (the export's chrome around it, links as the export writes
    // them), zipped, imported, built again.
    use std::io::Write;
    let work = unpack("vba-docs.tar.gz");
    let originals = vba_shape_articles(work.path());
    let file_of = |n: usize| format!("{}_{}.html", originals[n]["title"].as_str().unwrap().replace(|c: char| !c.is_ascii_alphanumeric(), "-"), 70000 + n);
    let files: std::collections::HashMap<String, String> = originals.iter().enumerate().map(|(n, a)| (a["id"].as_str().unwrap().to_string(), file_of(n))).collect();
    let as_page = |html: &str| {
        let mut html = html.to_string();
        for (id, file) in &files {
            html = html.replace(&format!("href=\"#/a/{id}\""), &format!("href=\"{file}\""));
        }
        // Pages outside the space: the export links them on their own site.
        html.replace("href=\"#/a/", "href=\"https://learn.example.com/vba/")
    };
    let mut links = 0;
    let archive = work.path().join("PPT-export.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&archive).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut tree = String::from("<ul><li><a href=\"Home_69999.html\">PowerPoint reference</a><ul>");
    for (n, original) in originals.iter().enumerate() {
        let title = original["title"].as_str().unwrap();
        let body = as_page(original["html"].as_str().unwrap());
        links += files.values().map(|f| body.matches(&format!("href=\"{f}\"")).count()).sum::<usize>();
        let page = format!(
            "<!DOCTYPE html><html><head><title>PPT : {title}</title></head><body><div id=\"page\"><div id=\"main\"><div id=\"main-header\"><div id=\"breadcrumb-section\"><ol id=\"breadcrumbs\"><li class=\"first\"><span><a href=\"index.html\">PPT</a></span></li><li><span><a href=\"Home_69999.html\">PowerPoint reference</a></span></li></ol></div><h1 id=\"title-heading\"><span id=\"title-text\">PPT : {title}</span></h1></div><div id=\"content\" class=\"view\"><div class=\"page-metadata\">Created by <span class='author'> Office writer</span>, last modified on Nov 01, 2026</div><div id=\"main-content\" class=\"wiki-content group\">{body}</div></div></div><div id=\"footer\"><p>Document generated by Confluence</p></div></div></body></html>"
        );
        zip.start_file(format!("PPT/{}", file_of(n)), options).unwrap();
        zip.write_all(page.as_bytes()).unwrap();
        tree.push_str(&format!("<li><a href=\"{}\">{title}</a></li>", file_of(n)));
    }
    tree.push_str("</ul></li></ul>");
    zip.start_file("PPT/Home_69999.html", options).unwrap();
    zip.write_all(b"<html><head><title>PPT : PowerPoint reference</title></head><body><div id=\"main-content\"><p>The Shape object.</p></div></body></html>").unwrap();
    zip.start_file("PPT/index.html", options).unwrap();
    zip.write_all(format!("<html><head><title>PPT</title></head><body><div class=\"pageSection\"><h2>Available Pages:</h2>{tree}</div></body></html>").as_bytes()).unwrap();
    zip.finish().unwrap();
    let kb = work.path().join("kb-confluence");
    let started = std::time::Instant::now();
    let result = cuecard(&["import", "confluence", "--from", archive.to_str().unwrap(), "--out", kb.to_str().unwrap()]);
    let seconds = started.elapsed().as_secs_f64();
    assert!(result.status.success(), "{}", stderr(&result));
    // The home page is one article more than the reference.
    std::fs::remove_file(kb.join("en-US/powerpoint-reference.md")).unwrap();
    check_round_trip("confluence", work.path(), &kb, &originals, seconds, links);
}
