//! Finds a knowledge base's locales and article files on disk.
//!
//! A kb config file (`cuecard.yaml`) in the kb root, when present, lists
//! the locales and the default one. Without it, the top-level folders are
//! locales only when every one of them that holds Markdown is named like a
//! locale tag (`en`, `de-DE`, `zh-Hans`); otherwise the whole tree is one
//! locale (a docs tree with `api/` and `faq/` is not two locales). Files
//! and folders whose names start with `_` or `.` are never articles.
//! Links are never followed out of the kb (see [`crate::sandbox`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cuecard_engine::locale::{is_locale_tag, normalize_tag};
use cuecard_engine::origins::OriginPattern;
use cuecard_engine::scrub::ScrubPattern;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::sandbox::{KbRoot, MAX_SETTINGS_BYTES, ReadProblem};
use crate::severity::Level;

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
    /// Origins articles may show images from (`https://cdn.example.com`);
    /// other outside images are shown as links.
    #[serde(default)]
    pub image_origins: Vec<String>,
    /// Who may embed the app.
    #[serde(default)]
    pub embedding: EmbeddingConfig,
    /// Where agents report a problem with an article.
    #[serde(default)]
    pub feedback: FeedbackConfig,
    /// Where usage signals go, besides the host page.
    #[serde(default)]
    pub signals: SignalsConfig,
    /// The kb's own patterns of customer data, scrubbed from everything
    /// that leaves an agent's device.
    #[serde(default)]
    pub scrub: Vec<ScrubPattern>,
    /// How "what changed" is told to agents.
    #[serde(default)]
    pub changes: ChangesConfig,
    /// Meaning-based matching (off unless turned on).
    #[serde(default)]
    pub meaning: MeaningConfig,
    /// Finding code -> its level (`error`, `warning`, `off`), like lint levels.
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    /// The file's text (for the lines of findings about it).
    #[serde(skip)]
    pub text: String,
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

/// The kb config's `embedding` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingConfig {
    /// Host pages (CSP source syntax: `https://crm.example.com`,
    /// `https://*.my.salesforce.com`) that may frame the app and drive it
    /// by `postMessage`. Empty: none may.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
}

/// The kb config's `feedback` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackConfig {
    /// The knowledge team's tracker, as a link template
    /// (`https://git.example/kb/issues/new?title={title}&body={body}`;
    /// placeholders in [`cuecard_engine::feedback::PLACEHOLDERS`]). None:
    /// the app copies the report for the agent to paste.
    pub url: Option<String>,
}

/// The kb config's `meaning` section: meaning-based matching, which finds
/// articles when the agent's words are not the articles'. Costs a model
/// download for agents (about 23 MB, after the lexical index), so a kb
/// turns it on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeaningConfig {
    #[serde(default)]
    pub enabled: bool,
}

/// The kb config's `changes` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesConfig {
    /// Name a change without a `change_note` by its commit subject. Off by
    /// default: subjects can carry internal notes.
    #[serde(default)]
    pub commit_subjects: bool,
    /// Which articles "What's new" marks as regulated, besides those that
    /// carry compliance text (disclosures).
    #[serde(default)]
    pub regulated: crate::disclosures::RequiredFor,
}

impl ChangesConfig {
    /// Categories and tags compared in lower case, as articles' are.
    fn lowercased(self) -> ChangesConfig {
        ChangesConfig { regulated: self.regulated.lowercased(), ..self }
    }

    /// True when `article` is regulated: it carries compliance text, or
    /// its category or a tag is listed under `regulated`.
    pub fn is_regulated(&self, article: &crate::article::Article) -> bool {
        let meta = &article.meta;
        !article.rendered.disclosure_blocks.is_empty()
            || !meta.disclosures.is_empty()
            || meta.category.as_ref().is_some_and(|c| self.regulated.categories.contains(c))
            || meta.tags.iter().any(|t| self.regulated.tags.contains(t))
    }
}

/// The kb config's `signals` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalsConfig {
    /// Where the app beacons its signals (an http(s) URL, or `/path` on
    /// the app's own site). None: only the host page hears them.
    pub endpoint: Option<String>,
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
    /// Every content read goes through it: nothing outside the kb is read.
    pub sandbox: KbRoot,
    pub default_locale: String,
    pub locales: Vec<LocaleSource>,
    /// Allowed category ids (empty: any).
    pub categories: Vec<String>,
    /// The kb config file, if there is one.
    pub config_path: Option<PathBuf>,
    /// Finding levels the kb config sets.
    pub severity: BTreeMap<String, Level>,
    /// Origins outside images may load from.
    pub image_origins: Vec<String>,
    /// Host pages that may embed the app, checked CSP sources.
    pub embed_hosts: Vec<String>,
    /// The checked feedback link template, if the kb has one.
    pub feedback_url: Option<String>,
    /// The checked signals endpoint, if the kb has one.
    pub signals_endpoint: Option<String>,
    /// The kb's own scrub patterns, each compiled once to check it.
    pub scrub: Vec<ScrubPattern>,
    /// How changes are told (commit subjects, regulated articles).
    pub changes: ChangesConfig,
    /// Whether meaning-based matching is on.
    pub meaning: MeaningConfig,
    /// What discovery decided, for the person running the CLI (which
    /// folders became locales).
    pub notes: Vec<String>,
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
    let sandbox = KbRoot::new(root).map_err(|e| vec![Diagnostic::error(root, 0, format!("cannot read the folder: {e}"))])?;
    let config = read_config(&sandbox)?;
    let mut notes = Vec::new();
    let mut locales: Vec<LocaleSource> = Vec::new();
    if let Some((config_path, config)) = &config {
        for (tag, settings) in &config.locales {
            let line = crate::front_matter::line_of_key(&config.text, tag).or_else(|| line_of_nested_key(&config.text, tag)).unwrap_or(0);
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
    let image_origins = config.as_ref().map(|(_, c)| c.image_origins.iter().map(|o| o.trim_end_matches('/').to_ascii_lowercase()).collect()).unwrap_or_default();
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
        severity,
        image_origins,
        config_path: config.map(|(p, _)| p),
        notes,
    })
}

/// The value of a checked config section, or its default with its problems
/// moved to `problems`.
fn kept<T: Default>(checked: Result<T, Vec<Diagnostic>>, problems: &mut Vec<Diagnostic>) -> T {
    checked.unwrap_or_else(|mut found| {
        problems.append(&mut found);
        T::default()
    })
}

/// The config's allowed hosts, each checked and written the way the
/// browser compares them.
fn embed_hosts(path: &Path, config: &KbConfig) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut hosts = Vec::new();
    let mut problems = Vec::new();
    for source in &config.embedding.allowed_hosts {
        match OriginPattern::parse(source) {
            Ok(pattern) => hosts.push(pattern.to_string()),
            Err(why) => {
                problems.push(
                    Diagnostic::error(path, line_of(config, source.trim()), format!("embedding.allowed_hosts: {why}"))
                        .with_help("write each host page's origin, e.g. https://crm.example.com or https://*.my.salesforce.com (EMBEDDING.md)"),
                );
            }
        }
    }
    if problems.is_empty() { Ok(hosts) } else { Err(problems) }
}

/// The config's feedback link template, checked.
fn feedback_url(path: &Path, config: &KbConfig) -> Result<Option<String>, Vec<Diagnostic>> {
    checked_link(path, config, ("feedback.url", config.feedback.url.as_deref()), cuecard_engine::feedback::check_template,
        "write the tracker's new-issue link with placeholders, e.g. https://git.example/kb/issues/new?title={title}&body={body}, or a mailto: link (kb/README.md)")
}

/// The config's signals endpoint, checked.
fn signals_endpoint(path: &Path, config: &KbConfig) -> Result<Option<String>, Vec<Diagnostic>> {
    checked_link(path, config, ("signals.endpoint", config.signals.endpoint.as_deref()), cuecard_engine::signals::check_endpoint,
        "write the collector's URL, e.g. https://kb-signals.example.com/collect, or a path on the app's site such as /signals (kb/README.md)")
}

/// A link setting (`(name, value)`), trimmed and checked by `check`; its
/// error names the setting and its line, with `help`.
fn checked_link(
    path: &Path,
    config: &KbConfig,
    (name, value): (&str, Option<&str>),
    check: fn(&str) -> Result<(), String>,
    help: &str,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let Some(url) = value.map(str::trim) else { return Ok(None) };
    match check(url) {
        Ok(()) => Ok(Some(url.to_string())),
        Err(why) => Err(vec![Diagnostic::error(path, line_of(config, url), format!("{name}: {why}")).with_code("kb-config").with_help(help)]),
    }
}

/// The config's scrub patterns, each compiled to check it.
fn scrub_patterns(path: &Path, config: &KbConfig) -> Result<Vec<ScrubPattern>, Vec<Diagnostic>> {
    let problems: Vec<Diagnostic> = config
        .scrub
        .iter()
        .filter_map(|pattern| {
            let why = if pattern.name.trim().is_empty() {
                format!("the pattern `{}` has no name (its placeholder)", pattern.pattern)
            } else {
                cuecard_engine::scrub::Scrubber::new(std::slice::from_ref(pattern)).err()?
            };
            Some(Diagnostic::error(path, line_of(config, &pattern.pattern), format!("scrub: {why}"))
                .with_code("kb-config")
                .with_help("give each pattern a name and a regular expression, e.g. `- { name: policy number, pattern: 'POL-[0-9]{8}' }` (kb/README.md)"))
        })
        .collect();
    if problems.is_empty() { Ok(config.scrub.clone()) } else { Err(problems) }
}

/// The 1-based line of the config that mentions `text` (0: none does).
fn line_of(config: &KbConfig, text: &str) -> usize {
    config.text.lines().position(|l| l.contains(text)).map_or(0, |n| n + 1)
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

/// The 1-based line of `key:` anywhere in `text` (indented or not).
fn line_of_nested_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        .map(|i| i + 1)
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

fn read_config(sandbox: &KbRoot) -> Result<Option<(PathBuf, KbConfig)>, Vec<Diagnostic>> {
    let root = &sandbox.root;
    let Some(path) = CONFIG_FILES.iter().map(|name| root.join(name)).find(|p| std::fs::symlink_metadata(p).is_ok()) else {
        return Ok(None);
    };
    let text = sandbox.read_text(&path, MAX_SETTINGS_BYTES).map_err(|problem| {
        vec![Diagnostic::error(&path, 0, format!("the kb config cannot be used: {problem}")).with_code(problem.code()).with_help(problem.help())]
    })?;
    if text.trim().is_empty() {
        return Ok(Some((path, KbConfig::default())));
    }
    let mut config: KbConfig = crate::front_matter::parse_bounded(&text).map_err(|e| {
        vec![Diagnostic::error(&path, e.line, format!("the kb config is not valid: {}", e.message))
            .with_code("kb-config")
            .at_column(e.column)
            .with_help("see kb/README.md for the fields of cuecard.yaml")]
    })?;
    for code in config.severity.keys() {
        if !crate::severity::is_known_code(code) {
            let line = line_of_nested_key(&text, code).unwrap_or(0);
            return Err(vec![Diagnostic::error(&path, line, format!("`severity` names `{code}`, which is not a finding code"))
                .with_code("kb-config")
                .with_help(format!("use one of: {}", crate::severity::known_codes().join(", ")))]);
        }
    }
    config.text = text;
    Ok(Some((path, config)))
}

/// Whether a file or folder name can be (or hold) an article.
pub fn is_article_name(name: &str) -> bool {
    !name.starts_with('_') && !name.starts_with('.')
}

/// Whether a path names a Markdown file.
pub fn is_markdown(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The Markdown files of a locale, sorted by path, and the findings about
/// what could not be taken (links that leave the kb or point nowhere,
/// names that are not UTF-8). Links are never followed into folders.
pub fn article_files(locale: &LocaleSource, sandbox: &KbRoot) -> (Vec<ArticleSource>, Vec<Diagnostic>) {
    let root = &sandbox.root;
    let mut files = Vec::new();
    let mut findings = Vec::new();
    let walker = walkdir::WalkDir::new(&locale.dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || entry.file_name().to_str().is_none_or(is_article_name));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(&locale.dir).to_path_buf();
                findings.push(Diagnostic::error(&path, 0, format!("cannot read this folder: {error}")).with_code("unreadable").with_help("check its permissions"));
                continue;
            }
        };
        let Some(name) = entry.file_name().to_str() else {
            findings.push(
                Diagnostic::warning(entry.path(), 0, "the name is not valid UTF-8, so it is not published")
                    .with_code("file-name")
                    .with_help("rename it with UTF-8 characters"),
            );
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
    let reserved = [crate::disclosures::DISCLOSURES_DIR];
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
