//! Reads and parses every article of a kb, reporting every problem at once.
//! Shared by `build` (which then writes a bundle) and `check`.

use std::collections::HashMap;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use std::collections::BTreeMap;

use crate::article::{Article, ParseContext};
use crate::diagnostics::Diagnostic;
use crate::disclosures::{self, Disclosure};
use crate::kb::{self, ArticleSource, KbLayout, LocaleSource};
use crate::synonyms::Synonyms;

/// The parsed articles of one locale, in ordinal order.
pub struct CompiledLocale {
    pub locale: LocaleSource,
    pub articles: Vec<(ArticleSource, Article)>,
    pub disclosures: BTreeMap<String, Disclosure>,
    pub synonyms: Synonyms,
}

impl CompiledLocale {
    /// The article with `id`, if this locale has it.
    pub fn article(&self, id: &str) -> Option<&(ArticleSource, Article)> {
        self.articles.iter().find(|(_, a)| a.id == id)
    }
}

/// The whole kb, parsed, with every problem found.
pub struct CompiledKb {
    pub layout: KbLayout,
    pub locales: Vec<CompiledLocale>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds, reads and parses every article of the kb at `layout`.
pub fn compile(layout: KbLayout) -> Result<CompiledKb> {
    let mut sources = Vec::new();
    for locale in &layout.locales {
        sources.push((locale.clone(), kb::article_files(locale, &layout.root)?));
    }
    let total: usize = sources.iter().map(|(_, files)| files.len()).sum();
    let progress = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("{spinner} reading {pos}/{len} articles {wide_bar} {eta}")
            .expect("the progress template is valid"),
    );
    let mut diagnostics = Vec::new();
    let mut locales = Vec::new();
    for (locale, files) in sources {
        let (disclosures, problems) = disclosures::load(&locale.dir);
        diagnostics.extend(problems);
        let synonyms = Synonyms::load(&locale.dir, &locale.tag).unwrap_or_else(|problems| {
            diagnostics.extend(problems);
            Synonyms::default()
        });
        let labels = crate::markdown::BlockLabels::for_locale(&locale.tag);
        let context = ParseContext { categories: &layout.categories, disclosures: &disclosures, labels: &labels };
        let mut articles: Vec<(ArticleSource, Article)> = Vec::with_capacity(files.len());
        let mut first_use: HashMap<String, usize> = HashMap::new();
        for source in files {
            progress.inc(1);
            let text = match std::fs::read(&source.path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(_) => {
                        diagnostics.push(
                            Diagnostic::error(&source.path, 0, "the file is not UTF-8 text")
                                .with_code("encoding")
                                .with_help("save the article as UTF-8"),
                        );
                        continue;
                    }
                },
                Err(error) => {
                    diagnostics.push(Diagnostic::error(&source.path, 0, format!("cannot read the file: {error}")));
                    continue;
                }
            };
            match Article::parse(&source.path_in_locale, &text, context) {
                Ok(article) => {
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
                    first_use.insert(article.id.clone(), articles.len());
                    articles.push((source, article));
                }
                Err(error) => diagnostics.push(
                    Diagnostic::error(&source.path, error.line, error.message)
                        .with_code(error.code)
                        .at_column(error.column)
                        .with_help(error.help),
                ),
            }
        }
        locales.push(CompiledLocale { locale, articles, disclosures, synonyms });
    }
    progress.finish_and_clear();
    Ok(CompiledKb { layout, locales, diagnostics })
}
