//! Finds a knowledge base's locales on disk.
//!
//! A kb config file (`cuecard.yaml`) in the kb root, when present, lists
//! the locales and the default one. Without it, the top-level folders are
//! locales only when every one of them that holds Markdown is named like a
//! locale tag (`en`, `de-DE`, `zh-Hans`); otherwise the whole tree is one
//! locale (a docs tree with `api/` and `faq/` is not two locales).

use std::path::{Path, PathBuf};

use cuecard_engine::locale::{is_locale_tag, normalize_tag};

use crate::findings::diagnostics::Diagnostic;
use crate::kb::config::{audiences, embed_hosts, feedback_url, field_map, image_origins, kept, line_of_nested_key, read_config, scrub_patterns, signals_endpoint};
use crate::kb::names::{is_article_name, is_markdown};
use crate::kb::layout::{KbLayout, LocaleSource};
use crate::kb::sandbox::{KbRoot, ReadProblem};

/// Reads the kb config (if any) and finds the locales.
/// `fallback_locale` names the locale of a kb without locale folders.
pub fn discover(root: &Path, fallback_locale: &str) -> Result<KbLayout, Vec<Diagnostic>> {
    if !root.is_dir() {
        return Err(vec![Diagnostic::error(root, 0, "the knowledge base folder does not exist")
            .with_help("pass the folder that holds the articles with `--kb DIR`")]);
    }
    let sandbox = KbRoot::new(root).map_err(|e| vec![Diagnostic::error(root, 0, format!("cannot read the folder: {e}"))])?;
    let config = read_config(&sandbox)?;
    let mut notes = Vec::new();
    let mut locales: Vec<LocaleSource> = Vec::new();
    if let Some((config_path, config)) = &config {
        for (tag, settings) in &config.locales {
            let line = crate::kb::front_matter::line_of_key(&config.text, tag).or_else(|| line_of_nested_key(&config.text, tag)).unwrap_or(0);
            if !is_locale_tag(tag) {
                return Err(vec![Diagnostic::error(config_path, line, format!("`{tag}` is not a locale tag"))
                    .with_code("kb-config")
                    .with_help("name locales by their BCP 47 tag, like `en-US`, `de`, `zh-Hans`; put the folder in `path:`")]);
            }
            let dir = root.join(settings.path.clone().unwrap_or_else(|| PathBuf::from(tag)));
            match sandbox.is_dir_inside(&dir) {
                Ok(true) => {}
                Ok(false) | Err(ReadProblem::Missing) => {
                    return Err(vec![Diagnostic::error(config_path, line, format!("locale `{tag}` has no folder {}", dir.display()))
                        .with_code("kb-config")
                        .with_help(format!("create the folder, set `path:` for `{tag}`, or remove `{tag}` from `locales`"))]);
                }
                Err(problem) => {
                    return Err(vec![Diagnostic::error(config_path, line, format!("the folder of locale `{tag}` ({}): {problem}", dir.display()))
                        .with_code(problem.code())
                        .with_help("a locale's `path:` names a folder inside the kb, relative to its root")]);
                }
            }
            locales.push(LocaleSource {
                tag: normalize_tag(tag),
                dir,
                name: settings.name.clone(),
                fallback: settings.fallback.iter().map(|t| normalize_tag(t)).collect(),
            });
        }
    }
    if locales.is_empty() {
        let tree = top_level(root).map_err(|e| vec![Diagnostic::error(root, 0, format!("cannot read the folder: {e}"))])?;
        let with_articles: Vec<&String> = tree.iter().filter(|(_, has)| *has).map(|(name, _)| name).collect();
        if !with_articles.is_empty() && with_articles.iter().all(|name| is_locale_tag(name)) {
            locales = with_articles
                .iter()
                .map(|name| LocaleSource { tag: normalize_tag(name), dir: root.join(name), name: None, fallback: Vec::new() })
                .collect();
            notes.push(format!(
                "locales from the top-level folders: {}",
                locales.iter().map(|l| format!("{} ({}/)", l.tag, l.dir.file_name().unwrap_or_default().to_string_lossy())).collect::<Vec<_>>().join(", ")
            ));
        } else if !with_articles.is_empty() {
            let not_tags: Vec<&str> = with_articles.iter().filter(|n| !is_locale_tag(n)).map(|n| n.as_str()).take(5).collect();
            if with_articles.iter().any(|n| is_locale_tag(n)) {
                notes.push(format!(
                    "one locale for the whole tree: not every top-level folder is a locale tag ({}); list the locales in cuecard.yaml to split it",
                    not_tags.join(", ")
                ));
            }
        }
    }
    if locales.is_empty() {
        locales.push(LocaleSource { tag: normalize_tag(fallback_locale), dir: root.to_path_buf(), name: None, fallback: Vec::new() });
    }
    for (i, locale) in locales.iter().enumerate() {
        if let Some(other) = locales[..i].iter().find(|l| l.tag == locale.tag) {
            return Err(vec![Diagnostic::error(&locale.dir, 0, format!("this folder and {} are both locale {}", other.dir.display(), locale.tag))
                .with_help("keep one folder per locale: merge the two, or rename one")]);
        }
    }
    let configured_default = config.as_ref().and_then(|(_, c)| c.default_locale.clone()).map(|t| normalize_tag(&t));
    let default_locale = match configured_default {
        Some(tag) if locales.iter().any(|l| l.tag == tag) => tag,
        Some(tag) => {
            let (path, _) = config.as_ref().expect("a default came from the config");
            return Err(vec![Diagnostic::error(path, 0, format!("default_locale `{tag}` is not one of the kb's locales"))
                .with_help(format!("use one of: {}", locales.iter().map(|l| l.tag.as_str()).collect::<Vec<_>>().join(", ")))]);
        }
        None => pick_default(&locales, fallback_locale),
    };
    // Every chain ends with the default locale; unknown tags are errors.
    let known: Vec<String> = locales.iter().map(|l| l.tag.clone()).collect();
    for locale in &mut locales {
        if let Some(unknown) = locale.fallback.iter().find(|t| !known.contains(t)) {
            let path = config.as_ref().map(|(p, _)| p.clone()).unwrap_or_else(|| root.to_path_buf());
            return Err(vec![Diagnostic::error(path, 0, format!("locale {} falls back to {unknown}, which the kb does not have", locale.tag))
                .with_help(format!("use one of: {}", known.join(", ")))]);
        }
        if locale.tag != default_locale && !locale.fallback.contains(&default_locale) {
            locale.fallback.push(default_locale.clone());
        }
    }
    let categories = config
        .as_ref()
        .map(|(_, c)| c.categories.iter().map(|c| c.id().to_lowercase()).collect())
        .unwrap_or_default();
    let severity = config.as_ref().map(|(_, c)| c.severity.clone()).unwrap_or_default();
    // Every section is checked, so one run reports every problem.
    let mut problems = Vec::new();
    let (embed_hosts, feedback_url, signals_endpoint, scrub) = match &config {
        Some((path, config)) => (
            kept(embed_hosts(path, config), &mut problems),
            kept(feedback_url(path, config), &mut problems),
            kept(signals_endpoint(path, config), &mut problems),
            kept(scrub_patterns(path, config), &mut problems),
        ),
        None => Default::default(),
    };
    let (audiences, fields, image_origins) = match &config {
        Some((path, config)) => (
            kept(audiences(path, config), &mut problems),
            kept(field_map(path, config), &mut problems),
            kept(image_origins(path, config), &mut problems),
        ),
        None => Default::default(),
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let changes = config.as_ref().map(|(_, c)| c.changes.clone().lowercased()).unwrap_or_default();
    let meaning = config.as_ref().map(|(_, c)| c.meaning).unwrap_or_default();
    Ok(KbLayout {
        embed_hosts,
        changes,
        meaning,
        feedback_url,
        signals_endpoint,
        scrub,
        root: root.to_path_buf(),
        sandbox,
        default_locale,
        locales,
        categories,
        audiences,
        fields,
        severity,
        image_origins,
        config_path: config.map(|(p, _)| p),
        notes,
    })
}

/// The kb's top-level folders (not `_`/`.` ones, not links), and whether
/// each holds any Markdown file.
fn top_level(root: &Path) -> std::io::Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
        if !entry.file_type()?.is_dir() || !is_article_name(&name) {
            continue;
        }
        let has_markdown = walkdir::WalkDir::new(entry.path())
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || e.file_name().to_str().is_some_and(is_article_name))
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_file() && is_markdown(e.path()));
        out.push((name, has_markdown));
    }
    out.sort();
    Ok(out)
}

fn pick_default(locales: &[LocaleSource], fallback_locale: &str) -> String {
    let wanted = normalize_tag(fallback_locale);
    let language = cuecard_engine::locale::language_of(&wanted);
    locales
        .iter()
        .find(|l| l.tag == wanted)
        .or_else(|| locales.iter().find(|l| cuecard_engine::locale::language_of(&l.tag) == language))
        .unwrap_or(&locales[0])
        .tag
        .clone()
}
