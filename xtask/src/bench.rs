//! `cargo xtask bench`: figures, not assertions (see BENCHMARKS.md).
//!
//! On the tldr pages from ../shared/corpora: build time and articles/s
//! (English alone, and all 8 locales), bundle size per locale (raw and gzip),
//! wasm size (raw and gzip), and in headless Chromium the time from a
//! keystroke to results on screen and from page open to first results.
//! Writes the report to target/bench/report.md and prints it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::process::{self, cargo, tool};
use crate::setup;

/// tldr folder -> locale tag.
const LOCALES: [(&str, &str); 8] = [
    ("pages", "en"),
    ("pages.de", "de"),
    ("pages.es", "es"),
    ("pages.fr", "fr"),
    ("pages.ja", "ja"),
    ("pages.ko", "ko"),
    ("pages.pt_BR", "pt-BR"),
    ("pages.zh", "zh"),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let build_runs = if quick { 1 } else { 5 };
    setup::all(setup::Needs::everything())?;
    let root = process::repo_root();
    let work = root.join("target/bench");
    let corpus = unpack_corpus(&root, &work)?;
    // All 8 locales: the unpacked tree itself, its locale folders named in a
    // kb config (the CLI never follows links out of a kb, so no symlinks).
    let all_kb = corpus.clone();
    let config: String = LOCALES.iter().map(|(folder, tag)| format!("  {tag}: {{ path: {folder} }}\n")).collect();
    std::fs::write(all_kb.join("cuecard.yaml"), format!("default_locale: en\nlocales:\n{config}")).map_err(|e| e.to_string())?;
    process::run(cargo().current_dir(&root).args(["build", "--locked", "--release", "-p", "cuecard"]))?;
    let cuecard = root.join("target/release/cuecard");

    let mut report = String::new();
    let _ = writeln!(report, "## Build (release `cuecard build`, median of {build_runs} runs)\n");
    let _ = writeln!(report, "| kb | articles | seconds | articles/s |\n|---|---|---|---|");
    for (name, kb) in [("tldr English", corpus.join("pages")), ("tldr, all 8 locales", all_kb.clone())] {
        let out = work.join("bundle-timing");
        let mut seconds = Vec::new();
        for _ in 0..build_runs {
            let started = Instant::now();
            process::run(Command::new(&cuecard).arg("build").arg("--kb").arg(&kb).arg("--out").arg(&out))?;
            seconds.push(started.elapsed().as_secs_f64());
        }
        seconds.sort_by(f64::total_cmp);
        let median = seconds[seconds.len() / 2];
        let articles = count_articles(&out)?;
        let _ = writeln!(report, "| {name} | {articles} | {median:.2} | {:.0} |", articles as f64 / median);
    }

    // The deployable site with the 8-locale tldr bundle.
    let site = work.join("site");
    process::run(tool("trunk")
        .current_dir(&root)
        .args(["build", "--release", "--dist"])
        .arg(&site)
        .env("CUECARD_KB", &all_kb))?;

    let _ = writeln!(report, "\n## Bundle size per locale (gzip -6, as a web server sends it)\n");
    let _ = writeln!(report, "| locale | articles | index raw | index gzip | article files raw | article files gzip |\n|---|---|---|---|---|---|");
    for (tag, articles) in locales_of(&site.join("bundle"))? {
        let dir = site.join("bundle").join(&tag);
        let (mut index, mut index_gz, mut docs, mut docs_gz) = (0, 0, 0, 0);
        for entry in std::fs::read_dir(&dir).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let (raw, gz) = (file_size(&path), gzip_size(&path)?);
            if path.extension().is_some_and(|e| e == "pack") {
                (index, index_gz) = (index + raw, index_gz + gz);
            } else {
                (docs, docs_gz) = (docs + raw, docs_gz + gz);
            }
        }
        let _ = writeln!(report, "| {tag} | {articles} | {} | {} | {} | {} |", mb(index), mb(index_gz), mb(docs), mb(docs_gz));
    }

    let wasm = std::fs::read_dir(&site)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "wasm"))
        .ok_or("no .wasm in the built site")?;
    let js = wasm.with_file_name(wasm.file_name().unwrap().to_string_lossy().replace("_bg.wasm", ".js"));
    let _ = writeln!(report, "\n## App size\n\n| file | raw | gzip |\n|---|---|---|");
    let _ = writeln!(report, "| wasm | {} | {} |", mb(file_size(&wasm)), mb(gzip_size(&wasm)?));
    let _ = writeln!(report, "| js glue | {} | {} |", mb(file_size(&js)), mb(gzip_size(&js)?));

    let _ = writeln!(report, "\n## In headless Chromium (loopback, no throttling)\n");
    let _ = writeln!(report, "| locale | queries | keystrokes | keystroke→results median | p95 | max | page open→first results (median of 5) |\n|---|---|---|---|---|---|---|");
    for (tag, queries) in [("en", "bench/queries-en.txt"), ("ja", "bench/queries-ja.txt")] {
        let out = Command::new("node")
            .current_dir(root.join("tests"))
            .args(["bench/search-latency.mjs"])
            .arg(&site)
            .args([queries, tag, "5"])
            .output()
            .map_err(|e| format!("could not run the browser benchmark: {e}"))?;
        if !out.status.success() {
            return Err(format!("the browser benchmark failed:\n{}", String::from_utf8_lossy(&out.stderr)));
        }
        let json = String::from_utf8_lossy(&out.stdout);
        let figure = |section: &str, key: &str| json_number(&json, section, key).map_or("?".into(), |v| format!("{v:.1} ms"));
        let _ = writeln!(
            report,
            "| {tag} | {} | {} | {} | {} | {} | {} |",
            json_number(&json, "", "queries").unwrap_or(0.0),
            json_number(&json, "keystroke_to_results_ms", "samples").unwrap_or(0.0),
            figure("keystroke_to_results_ms", "median"),
            figure("keystroke_to_results_ms", "p95"),
            figure("keystroke_to_results_ms", "max"),
            figure("page_open_to_first_results_ms", "median"),
        );
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_default();
    let _ = writeln!(report, "\nMachine: {cpu}, {} cores. Chromium: {}.", std::thread::available_parallelism().map_or(0, |n| n.get()), process::output(Command::new("/usr/bin/chromium").arg("--version")).unwrap_or_default());
    std::fs::write(work.join("report.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    eprintln!("xtask: report written to {}", work.join("report.md").display());
    Ok(())
}

fn unpack_corpus(root: &Path, work: &Path) -> Result<PathBuf, String> {
    let corpus = work.join("corpora/tldr");
    if corpus.join("pages").is_dir() {
        return Ok(corpus);
    }
    let archive = root.join("../shared/corpora/tldr-pages.tar.gz");
    if !archive.exists() {
        return Err(format!("the tldr corpus is missing: expected {}", archive.display()));
    }
    std::fs::create_dir_all(work.join("corpora")).map_err(|e| e.to_string())?;
    crate::process::run(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(work.join("corpora")))?;
    Ok(corpus)
}

/// `(locale, articles)` from a bundle's manifest (a light scan, std only).
fn locales_of(bundle: &Path) -> Result<Vec<(String, u64)>, String> {
    let manifest = std::fs::read_to_string(bundle.join("manifest.json")).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut locale = None;
    for line in manifest.lines().map(str::trim) {
        if let Some(value) = line.strip_prefix("\"locale\": ") {
            locale = Some(value.trim_end_matches(',').trim_matches('"').to_string());
        } else if let Some(value) = line.strip_prefix("\"articles\": ") {
            // Only the count right after a locale's tag (other fields may sit between).
            if let Some(tag) = locale.take() {
                out.push((tag, value.trim_end_matches(',').parse().unwrap_or(0)));
            }
        }
    }
    Ok(out)
}

fn count_articles(bundle: &Path) -> Result<u64, String> {
    Ok(locales_of(bundle)?.iter().map(|(_, n)| n).sum())
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn gzip_size(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip").arg("-6").arg("-c").arg(path).output().map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}

fn mb(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1_000_000.0)
}

/// A number from the benchmark's JSON: `key` inside the object `section`
/// (or at the top level when `section` is empty). Enough for our own output.
fn json_number(json: &str, section: &str, key: &str) -> Option<f64> {
    let scope = if section.is_empty() { json } else { &json[json.find(&format!("\"{section}\""))?..] };
    let at = scope.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = scope[at..].trim_start();
    let end = rest.find([',', '\n', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::json_number;

    #[test]
    fn reads_every_locale_of_a_manifest() {
        let dir = std::env::temp_dir().join(format!("cuecard-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = "{\n \"locales\": [\n  {\n   \"locale\": \"de\",\n   \"fallback\": [\n    \"en\"\n   ],\n   \"articles\": 691\n  },\n  {\n   \"locale\": \"en\",\n   \"articles\": 6642\n  }\n ]\n}";
        std::fs::write(dir.join("manifest.json"), manifest).unwrap();
        let found = super::locales_of(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(found, [("de".to_string(), 691), ("en".to_string(), 6642)]);
    }

    #[test]
    fn reads_numbers_from_the_benchmark_json() {
        let json = "{\n \"queries\": 62,\n \"a\": {\n  \"median\": 5,\n  \"p95\": 8.4\n },\n \"b\": {\n  \"median\": 439\n }\n}";
        assert_eq!(json_number(json, "", "queries"), Some(62.0));
        assert_eq!(json_number(json, "a", "p95"), Some(8.4));
        assert_eq!(json_number(json, "b", "median"), Some(439.0));
        assert_eq!(json_number(json, "c", "median"), None);
    }
}
