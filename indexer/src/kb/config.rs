//! `cuecard.yaml`: the kb config's types as the file spells them, and the
//! checks of each section (origins, links, scrub patterns, finding codes),
//! each problem with the config's line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cuecard_engine::origins::OriginPattern;
use cuecard_engine::scrub::ScrubPattern;
use serde::Deserialize;

use crate::findings::diagnostics::Diagnostic;
use crate::findings::severity::Level;
use crate::kb::field_map::FieldMap;
use crate::kb::layout::DeclaredAudience;
use crate::kb::sandbox::{KbRoot, MAX_SETTINGS_BYTES};

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
    /// The audiences an article's `audience` may name, each with an id and
    /// a name. An article naming another is an error: a typo must never
    /// decide who reads what.
    #[serde(default)]
    pub audiences: Vec<AudienceConfig>,
    /// Cuecard field -> the front-matter key of this tree that holds it,
    /// or `none` when the tree uses the field's name for something else
    /// (`{ audience: none, tags: keywords }`).
    #[serde(default)]
    pub front_matter: BTreeMap<String, String>,
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
    pub regulated: crate::kb::disclosures::RequiredFor,
}

impl ChangesConfig {
    /// Categories and tags compared in lower case, as articles' are.
    pub(super) fn lowercased(self) -> ChangesConfig {
        ChangesConfig { regulated: self.regulated.lowercased(), ..self }
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

/// One declared category or audience of the kb config.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Declared {
    /// Just the id, e.g. `billing`.
    Id(String),
    /// An id with a display name.
    Named { id: String, name: Option<String> },
}

/// One category of the kb config.
pub type CategoryConfig = Declared;
/// One audience of the kb config.
pub type AudienceConfig = Declared;

impl Declared {
    pub fn id(&self) -> &str {
        match self {
            Declared::Id(id) | Declared::Named { id, .. } => id,
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            Declared::Id(_) => None,
            Declared::Named { name, .. } => name.as_deref(),
        }
    }
}

pub(super) fn read_config(sandbox: &KbRoot) -> Result<Option<(PathBuf, KbConfig)>, Vec<Diagnostic>> {
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
    let mut config: KbConfig = crate::kb::front_matter::parse_bounded(&text).map_err(|e| {
        vec![Diagnostic::error(&path, e.line, format!("the kb config is not valid: {}", e.message))
            .with_code("kb-config")
            .at_column(e.column)
            .with_help("see kb/README.md for the fields of cuecard.yaml")]
    })?;
    for code in config.severity.keys() {
        if !crate::findings::severity::is_known_code(code) {
            let line = line_of_nested_key(&text, code).unwrap_or(0);
            return Err(vec![Diagnostic::error(&path, line, format!("`severity` names `{code}`, which is not a finding code"))
                .with_code("kb-config")
                .with_help(format!("use one of: {}", crate::findings::severity::known_codes().join(", ")))]);
        }
    }
    config.text = text;
    Ok(Some((path, config)))
}

/// The value of a checked config section, or its default with its problems
/// moved to `problems`.
pub(super) fn kept<T: Default>(checked: Result<T, Vec<Diagnostic>>, problems: &mut Vec<Diagnostic>) -> T {
    checked.unwrap_or_else(|mut found| {
        problems.append(&mut found);
        T::default()
    })
}

/// The config's allowed hosts, each checked and written the way the
/// browser compares them.
pub(super) fn embed_hosts(path: &Path, config: &KbConfig) -> Result<Vec<String>, Vec<Diagnostic>> {
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

/// The config's image origins, each parsed as strictly as the allowed
/// hosts: they go into the site's security policy, so one value must never
/// add a directive, a header line or markup.
pub(super) fn image_origins(path: &Path, config: &KbConfig) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut origins = Vec::new();
    let mut problems = Vec::new();
    for source in &config.image_origins {
        match OriginPattern::parse(source) {
            Ok(pattern) => origins.push(pattern.to_string()),
            Err(why) => problems.push(
                Diagnostic::error(path, line_of(config, source.trim()), format!("image_origins: {why}"))
                    .with_code("kb-config")
                    .with_help("write each image host's origin, e.g. https://cdn.example.com or https://*.images.example.com"),
            ),
        }
    }
    if problems.is_empty() { Ok(origins) } else { Err(problems) }
}

/// The config's feedback link template, checked.
pub(super) fn feedback_url(path: &Path, config: &KbConfig) -> Result<Option<String>, Vec<Diagnostic>> {
    checked_link(path, config, ("feedback.url", config.feedback.url.as_deref()), cuecard_engine::feedback::check_template,
        "write the tracker's new-issue link with placeholders, e.g. https://git.example/kb/issues/new?title={title}&body={body}, or a mailto: link (kb/README.md)")
}

/// The config's signals endpoint, checked.
pub(super) fn signals_endpoint(path: &Path, config: &KbConfig) -> Result<Option<String>, Vec<Diagnostic>> {
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

/// The config's audiences, each id checked (not empty, declared once).
pub(super) fn audiences(path: &Path, config: &KbConfig) -> Result<Vec<DeclaredAudience>, Vec<Diagnostic>> {
    let mut declared: Vec<DeclaredAudience> = Vec::new();
    let mut problems = Vec::new();
    for audience in &config.audiences {
        let id = audience.id().trim();
        let line = match line_of(config, id) {
            0 => line_of_nested_key(&config.text, "audiences").unwrap_or(0),
            line => line,
        };
        let why = if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some(format!("`{id}` cannot be an audience id: use a word, like `internal` or `supervisors`"))
        } else if declared.iter().any(|d| d.id.eq_ignore_ascii_case(id)) {
            Some(format!("the audience `{id}` is declared twice"))
        } else {
            None
        };
        match why {
            Some(why) => problems.push(Diagnostic::error(path, line, format!("audiences: {why}")).with_code("kb-config").with_help(
                "declare each audience once with an id and a name, e.g. `audiences: [{ id: internal, name: Internal staff }]` (kb/README.md)",
            )),
            None => declared.push(DeclaredAudience { id: id.to_string(), name: audience.name().map(str::to_string) }),
        }
    }
    if problems.is_empty() { Ok(declared) } else { Err(problems) }
}

/// The config's `front_matter` map, checked.
pub(super) fn field_map(path: &Path, config: &KbConfig) -> Result<FieldMap, Vec<Diagnostic>> {
    FieldMap::parse(&config.front_matter).map_err(|problems| {
        problems
            .into_iter()
            .map(|(field, why)| {
                Diagnostic::error(path, line_of_nested_key(&config.text, &field).unwrap_or(0), format!("front_matter: {why}"))
                    .with_code("kb-config")
                    .with_help("map a Cuecard field to the key your front matter uses, or to `none`, e.g. `front_matter: { audience: none, tags: keywords }` (kb/README.md)")
            })
            .collect()
    })
}

/// The config's scrub patterns, each compiled to check it.
pub(super) fn scrub_patterns(path: &Path, config: &KbConfig) -> Result<Vec<ScrubPattern>, Vec<Diagnostic>> {
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

/// The 1-based line of `key:` anywhere in `text` (indented or not).
pub(super) fn line_of_nested_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.trim_start().strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        .map(|i| i + 1)
}
