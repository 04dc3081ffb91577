//! `cargo xtask bench`: figures, not assertions (see BENCHMARKS.md).
//!
//! - Build time and articles/s on the tldr pages (English alone, and all 8
//!   locales), and bundle size per locale (raw and gzip).
//! - wasm size (raw and gzip).
//! - Keystroke latency natively (the engine's two search stages) and in
//!   headless Chromium (keystroke to first results, to final results, the
//!   first keystroke of a session, page open to first results, and where
//!   the time goes), with MiniSearch 7.2 as the API-only reference, on:
//!   the VBA PowerPoint subset (2,812 real docs articles), tldr English, and
//!   tldr Japanese (which falls back to English).
//! - Bundle parts per locale on the wire (as a typical static host sends
//!   them), and what an open app downloads after one article is edited,
//!   added, deleted or renamed (`bench_bundle`).
//! - The cold start on a throttled line (10 Mbit/s and 40 ms; 2 Mbit/s and
//!   150 ms): navigation to the first query's results, with the bytes and
//!   files fetched before them, beside Pagefind 1.6's index of the same
//!   articles, on the VBA subset, tldr and (with the scale curve) the whole
//!   VBA tree.
//! - The scale curve on the VBA tree: 2.8k, 9.7k and 36k articles (build
//!   time, bytes, bytes to the first results, wasm memory, keystrokes);
//!   `--quick` skips it.
//! - `--baseline DIR`: an app built from another commit (`trunk build
//!   --release --dist DIR`) is measured beside this one on the same kbs,
//!   alternately, `--rounds N` times (default 2; `--quick`: 1); its bundles
//!   are built by `--baseline-bin FILE` (that commit's `cuecard`) when its
//!   bundle format differs.
//! Writes the report to target/bench/report.md and prints it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{bench_bundle, setup};
use crate::process::{self, cargo, tool};

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

/// The VBA subset the keystroke benchmark uses: one product's API reference
/// (2,812 articles).
const VBA_SUBSET: &[&str] = &["api/PowerPoint."];
/// The middle of the scale curve: two products' API references (9,699).
const VBA_10K: &[&str] = &["api/Excel.", "api/Access."];

pub fn run(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let baseline = value("--baseline").map(PathBuf::from);
    let baseline_bin = value("--baseline-bin").map(PathBuf::from);
    let rounds = value("--rounds").unwrap_or_else(|| if quick { "1".into() } else { "2".into() });
    let build_runs = if quick { 1 } else { 5 };
    setup::all(setup::Needs::everything())?;
    let root = process::repo_root();
    let work = root.join("target/bench");
    let corpus = unpack_corpus(&root, &work, "tldr-pages.tar.gz", "tldr")?;
    let all_kb = corpus.clone();
    let config: String = LOCALES
        .iter()
        .map(|(folder, tag)| format!("  {tag}: {{ path: {folder} }}\n"))
        .collect();
    std::fs::write(
        all_kb.join("cuecard.yaml"),
        format!("default_locale: en\nlocales:\n{config}"),
    )
    .map_err(|e| e.to_string())?;
    let vba_tree = unpack_corpus(&root, &work, "vba-docs.tar.gz", "vba-docs")?;
    let vba_kb = vba_subset(&vba_tree, VBA_SUBSET, &work.join("kb-vba"))?;
    process::run(cargo().current_dir(&root).args([
        "build",
        "--locked",
        "--release",
        "-p",
        "cuecard",
    ]))?;
    process::run(cargo().current_dir(&root).args([
        "build",
        "--locked",
        "--release",
        "-p",
        "cuecard-engine",
        "--example",
        "keystrokes",
    ]))?;
    let cuecard = root.join("target/release/cuecard");

    let mut report = String::new();
    let _ = writeln!(
        report,
        "## Build (release `cuecard build`, median of {build_runs} runs)\n"
    );
    let _ = writeln!(
        report,
        "| kb | articles | seconds | articles/s |\n|---|---|---|---|"
    );
    for (name, kb) in [
        ("tldr English", corpus.join("pages")),
        ("tldr, all 8 locales", all_kb.clone()),
        ("VBA PowerPoint subset", vba_kb.clone()),
    ] {
        let out = work.join("bundle-timing");
        let mut seconds = Vec::new();
        for _ in 0..build_runs {
            // From an empty folder: a publish into the previous one keeps
            // the unchanged index bases and measures nothing but that.
            let _ = std::fs::remove_dir_all(&out);
            let started = Instant::now();
            process::run(
                Command::new(&cuecard)
                    .arg("build")
                    .arg("--kb")
                    .arg(&kb)
                    .arg("--out")
                    .arg(&out),
            )?;
            seconds.push(started.elapsed().as_secs_f64());
        }
        seconds.sort_by(f64::total_cmp);
        let median = seconds[seconds.len() / 2];
        let articles = count_articles(&out)?;
        let _ = writeln!(
            report,
            "| {name} | {articles} | {median:.2} | {:.0} |",
            articles as f64 / median
        );
    }

    // The app once; each kb's site is the app plus that kb's bundle.
    let app = work.join("app");
    process::run(
        tool("trunk")
            .current_dir(&root)
            .args(["build", "--release", "--dist"])
            .arg(&app)
            .env_remove("CUECARD_KB"),
    )?;
    // As `cargo xtask dist` ships it: with the precompressed siblings.
    crate::precompress::write_siblings(&app)?;
    let mut sites: Vec<(&str, PathBuf, Option<PathBuf>)> = Vec::new();
    for (name, kb) in [("tldr", &all_kb), ("vba", &vba_kb)] {
        let site = make_site(&cuecard, &app, kb, &work.join(format!("site-{name}")))?;
        let base = match &baseline {
            Some(dir) => Some(make_site(
                baseline_bin.as_deref().unwrap_or(&cuecard),
                dir,
                kb,
                &work.join(format!("site-{name}-baseline")),
            )?),
            None => None,
        };
        sites.push((name, site, base));
    }

    let _ = writeln!(
        report,
        "\n## Bundle parts per locale, on the wire (gzip for json, as it is for .pack and .ccz)\n"
    );
    let _ = writeln!(
        report,
        "| bundle | locale | first tier (titles) | second tier (head) | whole index | search parts | texts (snippets) | articles | all |\n|---|---|---|---|---|---|---|---|---|"
    );
    for (name, site, base) in &sites {
        report.push_str(&bench_bundle::size_rows(name, &site.join("bundle"))?);
        if let Some(base) = base {
            report.push_str(&bench_bundle::size_rows(&format!("{name} (baseline)"), &base.join("bundle"))?);
        }
    }
    let _ = writeln!(
        report,
        "\n## Incremental publish (VBA subset; one change after another, each published into the same folder)\n"
    );
    report.push_str(&bench_bundle::incremental(&cuecard, &vba_kb, &work)?);

    let wasm = std::fs::read_dir(&app)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        // The app's own wasm, not the meaning worker's beside it.
        .find(|p| p.extension().is_some_and(|e| e == "wasm") && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("cuecard-app")))
        .ok_or("no .wasm in the built site")?;
    let js = wasm.with_file_name(
        wasm.file_name()
            .unwrap()
            .to_string_lossy()
            .replace("_bg.wasm", ".js"),
    );
    let _ = writeln!(
        report,
        "\n## App size\n\n| file | raw | gzip |\n|---|---|---|"
    );
    let _ = writeln!(
        report,
        "| wasm | {} | {} |",
        mb(file_size(&wasm)),
        mb(bench_bundle::gzip_size(&wasm)?)
    );
    let _ = writeln!(
        report,
        "| js glue | {} | {} |",
        mb(file_size(&js)),
        mb(bench_bundle::gzip_size(&js)?)
    );

    let runs = [
        ("vba", "en", "bench/queries-vba.txt"),
        ("tldr", "en", "bench/queries-en.txt"),
        ("tldr", "ja", "bench/queries-ja.txt"),
    ];
    let _ = writeln!(
        report,
        "\n## Keystroke latency natively (release, the engine's two stages, same queries and bundles)\n"
    );
    let _ = writeln!(
        report,
        "| kb | locale | keystrokes | first stage median | p95 | both stages median | p95 | max |\n|---|---|---|---|---|---|---|---|"
    );
    for (name, locale, queries) in runs {
        let site = &sites.iter().find(|s| s.0 == name).expect("site built").1;
        let out = Command::new(root.join("target/release/examples/keystrokes"))
            .arg(site.join("bundle"))
            .arg(locale)
            .arg(root.join("tests").join(queries))
            .output()
            .map_err(|e| format!("could not run the native benchmark: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "the native benchmark failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let json = String::from_utf8_lossy(&out.stdout);
        let figure = |section: &str, key: &str| {
            json_number(&json, section, key).map_or("?".into(), |v| format!("{v:.2} ms"))
        };
        let _ = writeln!(
            report,
            "| {name} | {locale} | {} | {} | {} | {} | {} | {} |",
            json_number(&json, "", "keystrokes").unwrap_or(0.0),
            figure("first_stage_ms", "median"),
            figure("first_stage_ms", "p95"),
            figure("both_ms", "median"),
            figure("both_ms", "p95"),
            figure("both_ms", "max"),
        );
    }

    let _ = writeln!(
        report,
        "\n## Keystroke latency in headless Chromium (loopback, no throttling)"
    );
    for (name, locale, queries) in runs {
        let (_, site, base) = sites.iter().find(|s| s.0 == name).expect("site built");
        let mut command = Command::new("node");
        command
            .current_dir(root.join("tests"))
            .arg("bench/search-latency.mjs")
            .arg("--site")
            .arg(format!("this={}", site.display()));
        if let Some(base) = base {
            command
                .arg("--site")
                .arg(format!("baseline={}", base.display()));
        }
        command.args([
            "--queries",
            queries,
            "--locale",
            locale,
            "--rounds",
            &rounds,
            "--opens",
            "3",
            "--minisearch",
            "--markdown",
        ]);
        let out = command
            .output()
            .map_err(|e| format!("could not run the browser benchmark: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "the browser benchmark failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let _ = writeln!(
            report,
            "\n### {name}, {locale}\n\n{}",
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }
    let _ = writeln!(
        report,
        "\n## Cold start on a throttled line, beside Pagefind 1.6 (navigation to the first query's results; CDP network emulation; median of 3 cold runs)"
    );
    for (name, locale, queries) in [("vba", "en", "bench/queries-vba.txt"), ("tldr", "en", "bench/queries-en.txt")] {
        let (_, site, base) = sites.iter().find(|s| s.0 == name).expect("site built");
        let _ = writeln!(report, "\n### {name}, {locale}\n\n{}", cold_start(&root, site, base.as_deref(), queries, locale)?);
    }
    if !quick {
        let vba_10k = vba_subset(&vba_tree, VBA_10K, &work.join("kb-vba-10k"))?;
        report.push_str(&scale_curve(&root, &cuecard, &app, &work, &[("VBA PowerPoint subset", &vba_kb), ("VBA Excel + Access", &vba_10k), ("VBA, whole tree", &vba_tree)])?);
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let _ = writeln!(
        report,
        "\nMachine: {cpu}, {} cores. Chromium: {}.",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        process::output(Command::new("/usr/bin/chromium").arg("--version")).unwrap_or_default()
    );
    std::fs::write(work.join("report.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    eprintln!(
        "xtask: report written to {}",
        work.join("report.md").display()
    );
    Ok(())
}

/// Build time, bytes, bytes to the first results, wasm memory and
/// keystroke latency for each kb (one browser round each).
fn scale_curve(root: &Path, cuecard: &Path, app: &Path, work: &Path, kbs: &[(&str, &Path)]) -> Result<String, String> {
    let mut rows = String::from(
        "\n## Scale curve (lexical search; one build, one browser round each)\n\n\
         | kb | articles | build seconds | search parts | all parts | bytes to first results (cold) | page open → first results | keystroke → first results median / p95 | wasm memory |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for (n, (name, kb)) in kbs.iter().enumerate() {
        let site = work.join(format!("site-scale-{n}"));
        let out = work.join(format!("bundle-scale-{n}"));
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        process::run(Command::new(cuecard).arg("build").arg("--kb").arg(kb).arg("--out").arg(&out))?;
        let seconds = started.elapsed().as_secs_f64();
        make_site(cuecard, app, kb, &site)?;
        let files = bench_bundle::manifest_files(&site.join("bundle"))?;
        let (mut search, mut all) = (0, 0);
        for (path, _) in files.iter().filter(|(p, _)| bench_bundle::fetched_by_apps(p)) {
            let bytes = bench_bundle::wire_bytes(&site.join("bundle").join(path))?;
            all += bytes;
            if matches!(bench_bundle::part_kind(path), "first tier" | "second tier" | "whole index") {
                search += bytes;
            }
        }
        let out = Command::new("node")
            .current_dir(root.join("tests"))
            .arg("bench/search-latency.mjs")
            .arg("--site")
            .arg(format!("this={}", site.display()))
            .args(["--queries", "bench/queries-vba.txt", "--locale", "en", "--rounds", "1", "--opens", "2"])
            .output()
            .map_err(|e| format!("could not run the browser benchmark: {e}"))?;
        if !out.status.success() {
            return Err(format!("the browser benchmark failed on {name}:\n{}", String::from_utf8_lossy(&out.stderr)));
        }
        let json = String::from_utf8_lossy(&out.stdout);
        let ms = |section: &str, key: &str| json_number(&json, section, key).map_or("?".into(), |v| format!("{v:.1} ms"));
        let megabytes = |section: &str, key: &str| json_number(&json, section, key).map_or("?".into(), |v| mb(v as u64));
        let _ = writeln!(
            rows,
            "| {name} | {} | {seconds:.1} | {} | {} | {} | {} | {} / {} | {} |",
            count_articles(&site.join("bundle"))?,
            mb(search),
            mb(all),
            megabytes("bytes_to_first_results", "median"),
            ms("page_open_to_first_results_ms", "median"),
            ms("keystroke_first_results_ms", "median"),
            ms("keystroke_first_results_ms", "p95"),
            megabytes("wasm_memory_bytes", "max"),
        );
    }
    // The whole tree's site, last of the curve: its cold start too.
    let whole = work.join(format!("site-scale-{}", kbs.len() - 1));
    let _ = writeln!(rows, "\n### Cold start, {}\n\n{}", kbs[kbs.len() - 1].0, cold_start(root, &whole, None, "bench/queries-vba.txt", "en")?);
    Ok(rows)
}

/// The throttled cold start (`tests/bench/cold-start.mjs`) of `site` (and
/// `base`), with the page's early downloads and without, beside Pagefind's
/// index of the same articles, on a host that gzips on the fly and on one
/// that sends the app's precompressed siblings: its Markdown table.
fn cold_start(root: &Path, site: &Path, base: Option<&Path>, queries: &str, locale: &str) -> Result<String, String> {
    let mut command = Command::new("node");
    command.current_dir(root.join("tests")).arg("bench/cold-start.mjs").arg("--site").arg(format!("this={}", site.display()));
    if let Some(base) = base {
        command.arg("--site").arg(format!("baseline={}", base.display()));
    }
    command.args(["--queries", queries, "--locale", locale, "--runs", "3", "--hosts", "gzip,precompressed", "--without-early", "--markdown"]);
    let out = command.output().map_err(|e| format!("could not run the cold-start benchmark: {e}"))?;
    if !out.status.success() {
        return Err(format!("the cold-start benchmark failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A servable site in `site`: the app's files from `app` (a trunk build),
/// the bundle of `kb`, and the headers for both.
fn make_site(cuecard: &Path, app: &Path, kb: &Path, site: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(site);
    std::fs::create_dir_all(site).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(app).map_err(|e| format!("{}: {e}", app.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && path.file_name().is_some_and(|n| n != "_headers") {
            std::fs::copy(&path, site.join(path.file_name().unwrap()))
                .map_err(|e| e.to_string())?;
        }
    }
    process::run(
        Command::new(cuecard)
            .arg("build")
            .arg("--kb")
            .arg(kb)
            .arg("--out")
            .arg(site.join("bundle")),
    )?;
    process::run(Command::new(cuecard).arg("headers").arg("--site").arg(site))?;
    Ok(site.to_path_buf())
}

/// A kb of the VBA tree's articles whose paths start with one of
/// `prefixes` (`folder/file-name-prefix`), with the tree's shared include
/// files.
fn vba_subset(tree: &Path, prefixes: &[&str], kb: &Path) -> Result<PathBuf, String> {
    let marker = kb.join(".subset");
    let wanted = prefixes.join("\n");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == wanted) {
        return Ok(kb.to_path_buf());
    }
    let _ = std::fs::remove_dir_all(kb);
    for subset in prefixes {
        let (folder, prefix) = subset.split_once('/').expect("folder/prefix");
        std::fs::create_dir_all(kb.join(folder)).map_err(|e| e.to_string())?;
        for entry in std::fs::read_dir(tree.join(folder)).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".md"))
            {
                std::fs::copy(&path, kb.join(folder).join(path.file_name().unwrap()))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    process::run(
        Command::new("cp")
            .arg("-r")
            .arg(tree.join("includes"))
            .arg(kb),
    )?;
    std::fs::write(&marker, wanted).map_err(|e| e.to_string())?;
    Ok(kb.to_path_buf())
}

fn unpack_corpus(root: &Path, work: &Path, archive: &str, folder: &str) -> Result<PathBuf, String> {
    let corpus = work.join("corpora").join(folder);
    if corpus.is_dir() {
        return Ok(corpus);
    }
    let archive = root.join("../shared/corpora").join(archive);
    if !archive.exists() {
        return Err(format!(
            "a corpus is missing: expected {}",
            archive.display()
        ));
    }
    std::fs::create_dir_all(work.join("corpora")).map_err(|e| e.to_string())?;
    crate::process::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(work.join("corpora")),
    )?;
    Ok(corpus)
}

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
