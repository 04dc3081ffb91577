//! Finds a knowledge base's locales and article files on disk.
//!
//! A kb config file (`cuecard.yaml`) in the kb root, when present, lists
//! the locales and the default one. Without it, a top-level folder is a
//! locale only if its name is a locale tag (`en`, `de-DE`, `zh-Hans`); if
//! none is, the whole tree is one locale. Files and folders whose names
//! start with `_` or `.` are never articles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cuecard_engine::locale::{is_locale_tag, normalize_tag};
use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// Names the kb config file may have, in the kb root.
pub const CONFIG_FILES: [&str; 2] = ["cuecard.yaml", "cuecard.yml"];

/// The kb config file.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KbConfig {
    /// The locale agents see when theirs is not published.
    pub default_locale: Option<String>,
    /// Locale tag -> its settings.
    #[serde(default)]
    pub locales: BTreeMap<String, LocaleConfig>,
    /// The categories an article's `category` may name. Empty: any.
    #[serde(default)]
    pub categories: Vec<CategoryConfig>,
}

/// Settings of one locale in the kb config.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LocaleConfig {
    /// Folder of the locale, relative to the kb root (default: the tag).
    pub path: Option<PathBuf>,
    /// Display name, e.g. `Deutsch`.
    pub name: Option<String>,
    /// Where agents are sent when an article is missing here, in order
    /// (e.g. es-MX -> es -> en-US). The default locale ends every chain.
    #[serde(default)]
    pub fallback: Vec<String>,
}

/// One category of the kb config.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum CategoryConfig {
    /// Just the id, e.g. `billing`.
    Id(String),
    /// An id with a display name.
    Named { id: String, name: Option<String> },
}

impl CategoryConfig {
    pub fn id(&self) -> &str {
        match self {
            CategoryConfig::Id(id) | CategoryConfig::Named { id, .. } => id,
        }
    }
}

/// One locale found in the kb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleSource {
    /// Normalised tag, e.g. `pt-BR`.
    pub tag: String,
    pub dir: PathBuf,
    pub name: Option<String>,
    /// Locales to fall back to, nearest first, ending with the default.
    pub fallback: Vec<String>,
}

/// One article file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSource {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to the locale folder, `/`-separated.
    pub path_in_locale: String,
    /// Path relative to the kb root, `/`-separated.
    pub path_in_kb: String,
}

/// The shape of a kb: its locales and which one is the default.
#[derive(Debug, Clone)]
pub struct KbLayout {
    pub root: PathBuf,
    pub default_locale: String,
    pub locales: Vec<LocaleSource>,
    /// Allowed category ids (empty: any).
    pub categories: Vec<String>,
    /// The kb config file, if there is one.
    pub config_path: Option<PathBuf>,
}

impl KbLayout {
    pub fn locale(&self, tag: &str) -> Option<&LocaleSource> {
        self.locales.iter().find(|l| l.tag == tag)
    }
}

/// Reads the kb config (if any) and finds the locales.
/// `fallback_locale` names the locale of a kb without locale folders.
pub fn discover(root: &Path, fallback_locale: &str) -> Result<KbLayout, Vec<Diagnostic>> {
    if !root.is_dir() {
        return Err(vec![Diagnostic::error(root, 0, "the knowledge base folder does not exist")
            .with_help("pass the folder that holds the articles with `--kb DIR`")]);
    }
    let config = read_config(root)?;
    let mut locales: Vec<LocaleSource> = Vec::new();
    if let Some((config_path, config)) = &config {
        for (tag, settings) in &config.locales {
            let dir = root.join(settings.path.clone().unwrap_or_else(|| PathBuf::from(tag)));
            if !dir.is_dir() {
                return Err(vec![Diagnostic::error(config_path, 0, format!("locale `{tag}` has no folder {}", dir.display()))
                    .with_help(format!("create the folder, set `path:` for `{tag}`, or remove `{tag}` from `locales`"))]);
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
        let mut names: Vec<String> = std::fs::read_dir(root)
            .map_err(|e| vec![Diagnostic::error(root, 0, format!("cannot read the folder: {e}"))])?
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().is_dir())
            .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
            .filter(|name| is_article_name(name) && is_locale_tag(name))
            .collect();
        names.sort();
        locales = names
            .into_iter()
            .map(|name| LocaleSource { tag: normalize_tag(&name), dir: root.join(&name), name: None, fallback: Vec::new() })
            .collect();
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
        .map(|(_, c)| c.categories.iter().map(|c| c.id().to_string()).collect())
        .unwrap_or_default();
    Ok(KbLayout {
        root: root.to_path_buf(),
        default_locale,
        locales,
        categories,
        config_path: config.map(|(p, _)| p),
    })
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

fn read_config(root: &Path) -> Result<Option<(PathBuf, KbConfig)>, Vec<Diagnostic>> {
    let Some(path) = CONFIG_FILES.iter().map(|name| root.join(name)).find(|p| p.is_file()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| vec![Diagnostic::error(&path, 0, format!("cannot read the kb config: {e}"))])?;
    if text.trim().is_empty() {
        return Ok(Some((path, KbConfig::default())));
    }
    let config: KbConfig = serde_norway::from_str(&text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        vec![Diagnostic::error(&path, line, format!("the kb config is not valid: {e}"))
            .at_column(column)
            .with_help("see kb/README.md for the fields of cuecard.yaml")]
    })?;
    Ok(Some((path, config)))
}

/// Whether a file or folder name can be (or hold) an article.
pub fn is_article_name(name: &str) -> bool {
    !name.starts_with('_') && !name.starts_with('.')
}

/// The article files of a locale, sorted by path.
pub fn article_files(locale: &LocaleSource, root: &Path) -> Result<Vec<ArticleSource>> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&locale.dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || entry.file_name().to_str().is_some_and(is_article_name));
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot read the locale folder {}", locale.dir.display()))?;
        let is_markdown = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
        if !entry.file_type().is_file() || !is_markdown {
            continue;
        }
        // A kb without locale folders keeps its guide in the root README.
        if entry.depth() == 1 && locale.dir == root && entry.file_name().eq_ignore_ascii_case("README.md") {
            continue;
        }
        let relative = |base: &Path| {
            entry.path().strip_prefix(base).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/")
        };
        files.push(ArticleSource {
            path: entry.path().to_path_buf(),
            path_in_locale: relative(&locale.dir),
            path_in_kb: relative(root),
        });
    }
    Ok(files)
}
