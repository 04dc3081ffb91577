//! Reads and parses every article of a kb, reporting every problem at once.
//! Shared by `build` (which then writes a bundle) and `check`.
//!
//! Every file is read through the kb sandbox. Files used as includes are
//! not articles; drafts (`draft: true`, `published: false`) are parsed and
//! checked on their own but never published; an audience build keeps only
//! the articles its audience may see.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::article::{Article, ParseContext};
use crate::check::audiences::{UndeclaredAudience, unknown_audience, unknown_build_audience};
use crate::article::files::{FileProblem, IncludeSource, KbFiles};
use crate::findings::diagnostics::Diagnostic;
use crate::kb::disclosures::{self, Disclosure};
use crate::kb::sandbox::{KbRoot, MAX_ARTICLE_BYTES, MAX_IMAGE_BYTES};
use crate::kb::{self, ArticleSource, KbLayout, LocaleSource};
use crate::kb::synonyms::Synonyms;

/// The parsed articles of one locale, sorted by path.
pub struct CompiledLocale {
    pub locale: LocaleSource,
    pub articles: Vec<(ArticleSource, Article)>,
    pub disclosures: BTreeMap<String, Disclosure>,
    pub synonyms: Synonyms,
    /// Position in `articles` by id.
    by_id: HashMap<String, usize>,
    /// Ids by their lower-case form (for links that differ only in case).
    by_lower_id: HashMap<String, Vec<usize>>,
}

impl CompiledLocale {
    pub fn new(locale: LocaleSource, articles: Vec<(ArticleSource, Article)>, disclosures: BTreeMap<String, Disclosure>, synonyms: Synonyms) -> CompiledLocale {
        let mut by_id = HashMap::with_capacity(articles.len());
        let mut by_lower_id: HashMap<String, Vec<usize>> = HashMap::with_capacity(articles.len());
        for (n, (_, article)) in articles.iter().enumerate() {
            by_id.insert(article.id.clone(), n);
            by_lower_id.entry(article.id.to_lowercase()).or_default().push(n);
        }
        CompiledLocale { locale, articles, disclosures, synonyms, by_id, by_lower_id }
    }

    /// The article with `id`, if this locale has it.
    pub fn article(&self, id: &str) -> Option<&(ArticleSource, Article)> {
        self.by_id.get(id).map(|&n| &self.articles[n])
    }

    /// The one article whose id equals `id` but for letter case, if exactly
    /// one does.
    pub fn article_ignoring_case(&self, id: &str) -> Option<&(ArticleSource, Article)> {
        match self.by_lower_id.get(&id.to_lowercase()).map(Vec::as_slice) {
            Some([only]) => Some(&self.articles[*only]),
            _ => None,
        }
    }

    /// Every id of the locale.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.articles.iter().map(|(_, a)| a.id.as_str())
    }
}

/// Who a build is for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Audience {
    /// `check`: every article, whatever its `audience`.
    #[default]
    All,
    /// A published build: articles for everyone, plus those whose
    /// `audience` names this one (`None`: everyone's build).
    Build(Option<String>),
}

impl Audience {
    fn may_see(&self, article: &Article) -> bool {
        match self {
            Audience::All => true,
            Audience::Build(name) => {
                article.meta.audience.is_empty() || name.as_ref().is_some_and(|n| article.meta.audience.iter().any(|a| a.eq_ignore_ascii_case(n)))
            }
        }
    }

    /// The build whose publication a run describes: `check` (every
    /// audience) tells what a build without `--audience` would publish.
    fn published(&self) -> Audience {
        match self {
            Audience::All => Audience::Build(None),
            build => build.clone(),
        }
    }
}

/// The whole kb, parsed, with every problem found.
pub struct CompiledKb {
    pub layout: KbLayout,
    pub locales: Vec<CompiledLocale>,
    pub diagnostics: Vec<Diagnostic>,
    /// Images articles use, by their path in the bundle (`media/<hash>.png`).
    pub media: BTreeMap<String, Vec<u8>>,
    /// Ids per locale tag that exist but are not published in this build
    /// (drafts, and articles for another audience), for link findings.
    pub unpublished: HashMap<String, BTreeMap<String, Unpublished>>,
    /// What was not published, and why, for the summary.
    pub counts: Counts,
}

/// Why an article is in the kb but not in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    Draft,
    OtherAudience,
}

/// What the published build (for `check`: the build without
/// `--audience`) takes and leaves out, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Articles read, in every locale, whatever their audience or draft
    /// state (not includes).
    pub articles: usize,
    /// Of them, what the build publishes.
    pub published: usize,
    pub drafts: usize,
    /// Articles left out for their audience, by the audiences they name
    /// (`internal`, or `internal, supervisors`).
    pub for_audiences: BTreeMap<String, usize>,
    /// Articles not read for a problem (their findings say which).
    pub unreadable: usize,
    pub includes: usize,
}

/// Finds, reads and parses every article of the kb at `layout`.
pub fn compile(layout: KbLayout, audience: &Audience) -> Result<CompiledKb> {
    let mut diagnostics = Vec::new();
    let mut sources = Vec::new();
    for locale in &layout.locales {
        let (files, problems) = kb::article_files(locale, &layout.sandbox);
        diagnostics.extend(problems);
        sources.push((locale.clone(), files));
    }
    let total: usize = sources.iter().map(|(_, files)| files.len()).sum();
    let progress = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("{spinner} reading {pos}/{len} articles {wide_bar} {eta}").expect("the progress template is valid"),
    );
    // Read every file once; the ones other files include are not articles.
    let mut texts: Vec<Vec<(ArticleSource, String)>> = Vec::new();
    for (_, files) in &sources {
        let mut read = Vec::with_capacity(files.len());
        for source in files {
            match layout.sandbox.read_text(&source.path, MAX_ARTICLE_BYTES) {
                Ok(text) => read.push((source.clone(), text)),
                Err(problem) => diagnostics.push(
                    Diagnostic::error(&source.path, 0, format!("the article is not read: {problem}")).with_code(problem.code()).with_help(problem.help()),
                ),
            }
        }
        texts.push(read);
    }
    let included: BTreeSet<String> = texts
        .iter()
        .flatten()
        .flat_map(|(source, text)| crate::article::includes::directives(text).into_iter().filter_map(|d| crate::article::includes::resolve(&d.target, &source.path_in_kb)))
        .collect();
    let files = SandboxFiles { sandbox: &layout.sandbox, texts: RefCell::new(HashMap::new()), media: RefCell::new(BTreeMap::new()) };
    let mut counts = Counts::default();
    let published_as = audience.published();
    let mut undeclared: BTreeMap<String, UndeclaredAudience> = BTreeMap::new();
    if let Audience::Build(Some(wanted)) = audience
        && layout.audience(wanted).is_none()
    {
        diagnostics.push(unknown_build_audience(&layout, wanted));
    }
    let mut unpublished: HashMap<String, BTreeMap<String, Unpublished>> = HashMap::new();
    let mut locales = Vec::new();
    for ((locale, _), texts) in sources.into_iter().zip(texts) {
        let (disclosures, problems) = disclosures::load(&locale.dir, &layout.sandbox);
        diagnostics.extend(problems);
        let synonyms = Synonyms::load(&locale.dir, &locale.tag, &layout.sandbox).unwrap_or_else(|problems| {
            diagnostics.extend(problems);
            Synonyms::default()
        });
        let labels = crate::article::markdown::BlockLabels::for_locale(&locale.tag);
        let locale_prefix = locale
            .dir
            .strip_prefix(&layout.root)
            .ok()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}/"))
            .unwrap_or_default();
        let context = ParseContext {
            categories: &layout.categories,
            disclosures: &disclosures,
            labels: &labels,
            locale_prefix: &locale_prefix,
            files: &files,
            image_origins: &layout.image_origins,
            fields: &layout.fields,
        };
        let mut articles: Vec<(ArticleSource, Article)> = Vec::with_capacity(texts.len());
        let mut first_use: HashMap<String, usize> = HashMap::new();
        let hidden = unpublished.entry(locale.tag.clone()).or_default();
        for (source, text) in texts {
            progress.inc(1);
            if included.contains(&source.path_in_kb) {
                counts.includes += 1;
                continue;
            }
            counts.articles += 1;
            match Article::parse(&source.path_in_locale, &text, context) {
                Ok(article) => {
                    for named in &article.meta.audience {
                        if layout.audience(named).is_none() {
                            let line = article.meta.line_of("audience", article.front_matter_line);
                            undeclared.entry(named.clone()).or_insert_with(|| UndeclaredAudience { first: (source.path.clone(), line), articles: 0 }).articles += 1;
                        }
                    }
                    let published = published_as.may_see(&article) && !article.meta.draft;
                    if article.meta.draft {
                        counts.drafts += 1;
                    } else if !published_as.may_see(&article) {
                        *counts.for_audiences.entry(article.meta.audience.join(", ")).or_default() += 1;
                    }
                    // A draft is checked by `check`; a build leaves it out, findings and all.
                    if article.meta.draft && *audience != Audience::All {
                        hidden.insert(article.id.clone(), Unpublished::Draft);
                        continue;
                    }
                    diagnostics.extend(article.findings.iter().cloned().map(|f| f.in_file(&source.path)));
                    if let Some(&first) = first_use.get(&article.id) {
                        let other = &articles[first].0;
                        diagnostics.push(
                            Diagnostic::error(&source.path, article.front_matter_line, format!("the id `{}` is already used by {}", article.id, other.path.display()))
                                .with_code("duplicate-id")
                                .with_help("ids must be unique within a locale: give one of the two articles another `id:`"),
                        );
                        continue;
                    }
                    if !audience.may_see(&article) {
                        hidden.insert(article.id.clone(), Unpublished::OtherAudience);
                        continue;
                    }
                    counts.published += usize::from(published);
                    first_use.insert(article.id.clone(), articles.len());
                    articles.push((source, article));
                }
                Err(error) => {
                    counts.unreadable += 1;
                    diagnostics.push(
                        Diagnostic::error(&source.path, error.line, error.message).with_code(error.code).at_column(error.column).with_help(error.help),
                    )
                }
            }
        }
        locales.push(CompiledLocale::new(locale, articles, disclosures, synonyms));
    }
    progress.finish_and_clear();
    diagnostics.extend(undeclared.iter().map(|(named, found)| unknown_audience(&layout, named, found)));
    let media = files.media.into_inner();
    Ok(CompiledKb { layout, locales, diagnostics, media, unpublished, counts })
}

/// The kb's include texts and images, read through the sandbox once each.
struct SandboxFiles<'a> {
    sandbox: &'a KbRoot,
    texts: RefCell<HashMap<String, Result<String, FileProblem>>>,
    media: RefCell<BTreeMap<String, Vec<u8>>>,
}

/// Image types copied into the bundle. SVG is not among them: an SVG file
/// can carry script, which would run on the app's origin if opened.
const IMAGE_TYPES: [&str; 6] = ["png", "jpg", "jpeg", "gif", "webp", "avif"];

impl IncludeSource for SandboxFiles<'_> {
    fn text_of(&self, path_in_kb: &str) -> Result<String, FileProblem> {
        self.texts
            .borrow_mut()
            .entry(path_in_kb.to_string())
            .or_insert_with(|| self.sandbox.read_text(&self.sandbox.root.join(path_in_kb), MAX_ARTICLE_BYTES).map_err(|p| FileProblem::Unreadable(p.to_string())))
            .clone()
    }
}

impl KbFiles for SandboxFiles<'_> {
    fn image(&self, path_in_kb: &str) -> Result<String, FileProblem> {
        let extension = path_in_kb.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !IMAGE_TYPES.contains(&extension.as_str()) {
            return Err(FileProblem::ImageType(IMAGE_TYPES.join(", ")));
        }
        let bytes = self.sandbox.read(&self.sandbox.root.join(path_in_kb), MAX_IMAGE_BYTES).map_err(|p| FileProblem::Unreadable(p.to_string()))?;
        let hash = cuecard_engine::hash::content_hash(&bytes);
        let path = format!("{}/{}.{extension}", cuecard_engine::manifest::MEDIA_DIR, cuecard_engine::hash::short_hash(&hash));
        let src = format!("{}/{path}", cuecard_engine::manifest::SITE_BUNDLE_DIR);
        self.media.borrow_mut().entry(path).or_insert(bytes);
        Ok(src)
    }
}
