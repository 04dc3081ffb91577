//! Bundle figures for `cargo xtask bench`: what each part of a locale
//! weighs on the wire, and what an app that holds the previous bundle
//! downloads after one article is edited, added, deleted or renamed.
//!
//! "On the wire" is what a typical static host sends: gzip for html, css,
//! js, json, svg and wasm, every other type as it is on disk (an old
//! `.pack` went out raw; a `.ccz` part is stored compressed).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::process;

/// Extensions a typical host gzips.
const GZIPPED_BY_HOSTS: [&str; 6] = ["html", "css", "js", "json", "svg", "wasm"];

/// Every file a bundle's manifest names, and the files its locales'
/// bucket lists name (a part of their own since format 12): (path, bytes
/// on disk).
pub fn manifest_files(bundle: &Path) -> Result<Vec<(String, u64)>, String> {
    let manifest = std::fs::read_to_string(bundle.join("manifest.json")).map_err(|e| format!("{}: {e}", bundle.display()))?;
    let mut files = Vec::new();
    for (path, bytes) in named_files(&manifest) {
        if part_kind(&path) == "bucket lists" {
            let stored = std::fs::read(bundle.join(&path)).map_err(|e| format!("{path}: {e}"))?;
            let mut json = String::new();
            std::io::Read::read_to_string(&mut flate2::read::ZlibDecoder::new(stored.as_slice()), &mut json).map_err(|e| format!("{path}: {e}"))?;
            files.extend(named_files(&json));
        }
        files.push((path, bytes));
    }
    Ok(files)
}

/// The `"path"` and `"bytes"` pairs of a bundle's JSON (pretty or
/// compact), in order.
fn named_files(json: &str) -> Vec<(String, u64)> {
    let value_after = |key: &str, from: usize| -> Option<(usize, &str)> {
        let at = from + json[from..].find(key)? + key.len();
        let rest = json[at..].trim_start().strip_prefix(':')?.trim_start();
        let start = json.len() - rest.len();
        let end = match rest.strip_prefix('"') {
            Some(quoted) => start + 1 + quoted.find('"')? + 1,
            None => start + rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()),
        };
        Some((end, json[start..end].trim_matches('"')))
    };
    let mut files = Vec::new();
    let mut from = 0;
    while let Some((after_path, path)) = value_after("\"path\"", from) {
        let Some((after_bytes, bytes)) = value_after("\"bytes\"", after_path) else { break };
        files.push((path.to_string(), bytes.parse().unwrap_or(0)));
        from = after_bytes;
    }
    files
}

/// What a bundle file is, by its name.
pub fn part_kind(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.contains("-revisions.") {
        "indexer's revisions"
    } else if name.starts_with("titles.") || name.starts_with("titles-delta.") {
        "first tier"
    } else if name.starts_with("head.") || name.starts_with("head-delta.") {
        "second tier"
    } else if name.starts_with("index.") || name.starts_with("index-delta.") {
        "whole index"
    } else if name.starts_with("text-") {
        "texts"
    } else if name.starts_with("articles-") {
        "articles"
    } else if name.starts_with("buckets.") {
        "bucket lists"
    } else {
        "media"
    }
}

/// Whether apps download the file (the indexer's revisions files stay on
/// the host for the next publish).
pub fn fetched_by_apps(path: &str) -> bool {
    part_kind(path) != "indexer's revisions"
}

/// Bytes of `path` as a typical static host sends it.
pub fn wire_bytes(path: &Path) -> Result<u64, String> {
    let gzipped = path.extension().and_then(|e| e.to_str()).is_some_and(|e| GZIPPED_BY_HOSTS.contains(&e));
    if !gzipped {
        return Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    }
    gzip_size(path)
}

/// Bytes of `path` gzipped at level 6.
pub fn gzip_size(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip").arg("-6").arg("-c").arg(path).output().map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len() as u64)
}

/// Rows of the per-locale size table for `bundle`: locale, then on-the-wire
/// bytes of each part kind, named `name`.
pub fn size_rows(name: &str, bundle: &Path) -> Result<String, String> {
    let mut by_locale: BTreeMap<String, BTreeMap<&str, u64>> = BTreeMap::new();
    for (path, _) in manifest_files(bundle)? {
        let Some((locale, _)) = path.split_once('/') else { continue };
        if locale == "media" || !fetched_by_apps(&path) {
            continue;
        }
        *by_locale.entry(locale.to_string()).or_default().entry(part_kind(&path)).or_default() += wire_bytes(&bundle.join(&path))?;
    }
    let mut rows = String::new();
    for (locale, kinds) in by_locale {
        let get = |kind: &str| kinds.get(kind).copied().unwrap_or(0);
        let search = get("first tier") + get("second tier") + get("whole index");
        let total: u64 = kinds.values().sum();
        let _ = writeln!(
            rows,
            "| {name} | {locale} | {} | {} | {} | {} | {} | {} | {} |",
            kb(get("first tier")),
            kb(get("second tier")),
            kb(get("whole index")),
            kb(search),
            kb(get("texts")),
            kb(get("articles")),
            kb(total)
        );
    }
    Ok(rows)
}

/// One article changed four ways in a copy of `kb`, published after each
/// change into the same folder: what is new (what an app holding the
/// previous bundle fetches: the service worker keeps files by their
/// content-hashed names) against the locale's bytes.
pub fn incremental(cuecard: &Path, source_kb: &Path, work: &Path) -> Result<String, String> {
    let copy = work.join("kb-incremental");
    let out = work.join("bundle-incremental");
    let _ = std::fs::remove_dir_all(&copy);
    let _ = std::fs::remove_dir_all(&out);
    process::run(Command::new("cp").arg("-r").arg(source_kb).arg(&copy))?;
    let mut articles: Vec<_> = walk_markdown(&copy.join("api"))?;
    articles.sort();
    let pick = |fraction: usize| articles[articles.len() * fraction / 4].clone();
    let (edited, deleted, renamed) = (pick(1), pick(2), pick(3));
    let build = |out: &Path| -> Result<f64, String> {
        let started = std::time::Instant::now();
        process::run(Command::new(cuecard).arg("build").arg("--kb").arg(&copy).arg("--out").arg(out).arg("--keep-old").arg("0s"))?;
        Ok(started.elapsed().as_secs_f64())
    };
    build(&out)?;
    let mut rows = String::from("| change | new files | bytes an open app fetches | locale's bytes | share | build seconds |\n|---|---|---|---|---|---|\n");
    let steps: [(&str, Box<dyn Fn() -> Result<(), String>>); 4] = [
        (
            "edit one article's body",
            Box::new(|| append(&edited, "\n\nA sentence added by the incremental benchmark.\n")),
        ),
        (
            "add one article",
            Box::new(|| {
                let text = std::fs::read_to_string(&edited).map_err(|e| e.to_string())?;
                std::fs::write(copy.join("api/Bench.NewArticle.md"), text.replacen("title:", "title: New", 1)).map_err(|e| e.to_string())
            }),
        ),
        ("delete one article", Box::new(|| std::fs::remove_file(&deleted).map_err(|e| e.to_string()))),
        (
            "rename one article (its id changes)",
            Box::new(|| std::fs::rename(&renamed, renamed.with_file_name("Bench.Renamed.md")).map_err(|e| e.to_string())),
        ),
    ];
    for (name, change) in steps {
        let before: BTreeMap<String, u64> = manifest_files(&out)?.into_iter().collect();
        change()?;
        let seconds = build(&out)?;
        let after: Vec<(String, u64)> = manifest_files(&out)?.into_iter().filter(|(p, _)| fetched_by_apps(p)).collect();
        let new: Vec<&(String, u64)> = after.iter().filter(|(p, _)| !before.contains_key(p)).collect();
        let new_bytes: u64 = new.iter().map(|(_, b)| b).sum();
        let locale = new.first().and_then(|(p, _)| p.split_once('/')).map(|(l, _)| l.to_string()).unwrap_or_default();
        let locale_bytes: u64 = after.iter().filter(|(p, _)| p.starts_with(&format!("{locale}/"))).map(|(_, b)| b).sum();
        let kinds: Vec<String> = new.iter().map(|(p, b)| format!("{} {}", part_kind(p), kb(*b))).collect();
        let _ = writeln!(
            rows,
            "| {name} | {} ({}) | {} | {} | {:.1}% | {seconds:.1} |",
            new.len(),
            kinds.join(", "),
            kb(new_bytes),
            kb(locale_bytes),
            100.0 * new_bytes as f64 / locale_bytes.max(1) as f64
        );
    }
    Ok(rows)
}

fn append(path: &Path, text: &str) -> Result<(), String> {
    let mut content = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    content.push_str(text);
    std::fs::write(path, content).map_err(|e| e.to_string())
}

fn walk_markdown(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
    Ok(found)
}

pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_files_a_manifest_names() {
        let dir = std::env::temp_dir().join(format!("cuecard-bench-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = "{\n \"locales\": [\n  {\n   \"head\": {\n    \"path\": \"en/head.0a.ccz\",\n    \"sha256\": \"0a\",\n    \"bytes\": 12\n   },\n   \"buckets\": {\n    \"path\": \"en/buckets.0e.ccz\",\n    \"sha256\": \"0e\",\n    \"bytes\": 30\n   }\n  }\n ]\n}";
        std::fs::write(dir.join("manifest.json"), manifest).unwrap();
        std::fs::create_dir_all(dir.join("en")).unwrap();
        let lists = r#"{"text_files":[{"path":"en/text-0.0b.ccz","sha256":"0b","bytes":7}],"article_files":[{"path":"en/articles-0.0f.ccz","sha256":"0f","bytes":9}]}"#;
        let mut compressed = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut compressed, lists.as_bytes()).unwrap();
        std::fs::write(dir.join("en/buckets.0e.ccz"), compressed.finish().unwrap()).unwrap();
        let files = manifest_files(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let expected = [("en/head.0a.ccz", 12), ("en/text-0.0b.ccz", 7), ("en/articles-0.0f.ccz", 9), ("en/buckets.0e.ccz", 30)];
        assert_eq!(files, expected.map(|(p, b)| (p.to_string(), b)));
        assert_eq!(part_kind("en/buckets.0e.ccz"), "bucket lists");
        assert_eq!(part_kind("en/titles.0d.ccz"), "first tier");
        assert_eq!(part_kind("en/head.0a.ccz"), "second tier");
        assert_eq!(part_kind("en/index.0c.pack"), "whole index");
        assert_eq!(part_kind("en/text-0.0b.ccz"), "texts");
    }
}
