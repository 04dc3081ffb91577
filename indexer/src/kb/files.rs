//! The article files of a locale, walked without following links out of
//! the kb, and the Markdown no locale takes (counted, so nothing is left
//! out without a word). Files and folders whose names start with `_` or
//! `.` are never articles.

use std::collections::BTreeMap;
use std::path::Path;

use crate::findings::diagnostics::Diagnostic;
use crate::kb::layout::{ArticleSource, KbLayout, LocaleSource};
use crate::kb::names::{is_article_name, is_markdown};
use crate::kb::sandbox::{KbRoot, ReadProblem};

/// The Markdown files of a locale, sorted by path, and the findings about
/// what could not be taken (links that leave the kb or point nowhere,
/// names that are not UTF-8). Links are never followed into folders.
pub fn article_files(locale: &LocaleSource, sandbox: &KbRoot) -> (Vec<ArticleSource>, Vec<Diagnostic>) {
    let root = &sandbox.root;
    let mut files = Vec::new();
    let mut findings = Vec::new();
    let mut walker = walkdir::WalkDir::new(&locale.dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || entry.file_name().to_str().is_none_or(is_article_name));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(&locale.dir).to_path_buf();
                findings.push(Diagnostic::error(&path, 0, format!("cannot read this folder: {error}")).with_code("unreadable").with_help("check its permissions"));
                continue;
            }
        };
        let Some(name) = entry.file_name().to_str() else {
            // Nothing under a folder whose name is not UTF-8 is published
            // either: its articles' ids could not be written.
            let what = if entry.file_type().is_dir() {
                walker.skip_current_dir();
                let inside = walkdir::WalkDir::new(entry.path()).follow_links(false).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file() && is_markdown(e.path())).count();
                format!("the folder's name is not valid UTF-8, so nothing under it is published ({inside} Markdown files)")
            } else {
                "the name is not valid UTF-8, so it is not published".to_string()
            };
            findings.push(Diagnostic::warning(entry.path(), 0, what).with_code("file-name").with_help("rename it with UTF-8 characters"));
            continue;
        };
        if entry.file_type().is_symlink() {
            match sandbox.resolve(entry.path()) {
                Ok(target) if target.is_dir() => {
                    findings.push(
                        Diagnostic::warning(entry.path(), 0, "this link to a folder is not followed, so nothing under it is published")
                            .with_code("folder-link")
                            .with_help("move the folder here instead of linking to it"),
                    );
                    continue;
                }
                Ok(_) => {}
                Err(problem) => {
                    if is_markdown(entry.path()) || !matches!(problem, ReadProblem::Missing) {
                        findings.push(Diagnostic::error(entry.path(), 0, format!("this symbolic link is not read: {problem}")).with_code(problem.code()).with_help(problem.help()));
                    }
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        if !is_markdown(entry.path()) {
            continue;
        }
        // A kb without locale folders keeps its guide in the root README.
        if entry.depth() == 1 && locale.dir == *root && name.eq_ignore_ascii_case("README.md") {
            continue;
        }
        let relative = |base: &Path| entry.path().strip_prefix(base).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        files.push(ArticleSource { path: entry.path().to_path_buf(), path_in_locale: relative(&locale.dir), path_in_kb: relative(root) });
    }
    (files, findings)
}

/// Markdown files of the kb that no locale takes (outside every locale
/// folder, or under a `_`/`.` folder other than the reserved ones), counted
/// per top-level place, so nothing is left out without a word.
pub fn left_out(layout: &KbLayout) -> Vec<(String, usize)> {
    let reserved = [crate::kb::disclosures::DISCLOSURES_DIR];
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let walker = walkdir::WalkDir::new(&layout.root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !(e.file_type().is_dir() && matches!(e.file_name().to_str(), Some(".git") | Some("node_modules"))));
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() || !is_markdown(entry.path()) {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&layout.root) else { continue };
        if entry.depth() == 1 && entry.file_name().to_str().is_some_and(|n| n.eq_ignore_ascii_case("README.md")) {
            continue;
        }
        let in_locale = layout.locales.iter().find(|l| entry.path().starts_with(&l.dir));
        let hidden_part = relative
            .iter()
            .filter_map(|part| part.to_str())
            .take(relative.iter().count().saturating_sub(1))
            .find(|part| !is_article_name(part) && !reserved.contains(part));
        let hidden_file = entry.file_name().to_str().is_some_and(|n| !is_article_name(n));
        let place = match (in_locale, hidden_part) {
            (None, _) => relative.iter().next().map(|p| p.to_string_lossy().into_owned()).filter(|_| relative.iter().count() > 1).unwrap_or_else(|| "the kb root".into()),
            (Some(_), Some(part)) => format!("{part}/ folders"),
            (Some(_), None) if hidden_file => "files named with `_` or `.`".into(),
            _ => continue,
        };
        *counts.entry(place).or_default() += 1;
    }
    counts.into_iter().collect()
}
