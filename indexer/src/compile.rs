//! Reads and parses every article of a kb, reporting every problem at once.
//! Shared by `build` (which then writes a bundle) and `check`.

use std::collections::HashMap;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::article::Article;
use crate::diagnostics::Diagnostic;
use crate::kb::{self, ArticleSource, KbLayout, LocaleSource};

/// The parsed articles of one locale, in ordinal order.
pub struct CompiledLocale {
    pub locale: LocaleSource,
    pub articles: Vec<(ArticleSource, Article)>,
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
            match Article::parse(&source.path_in_locale, &text) {
                Ok(article) => {
                    if let Some(&first) = first_use.get(&article.id) {
                        let other = &articles[first].0;
                        diagnostics.push(
                            Diagnostic::error(&source.path, 0, format!("the id `{}` is already used by {}", article.id, other.path.display()))
                                .with_help("ids must be unique within a locale: give one of the two articles another `id:`"),
                        );
                        continue;
                    }
                    first_use.insert(article.id.clone(), articles.len());
                    articles.push((source, article));
                }
                Err(error) => diagnostics.push(
                    Diagnostic::error(&source.path, error.line, error.message)
                        .at_column(error.column)
                        .with_help(error.help),
                ),
            }
        }
        locales.push(CompiledLocale { locale, articles });
    }
    progress.finish_and_clear();
    Ok(CompiledKb { layout, locales, diagnostics })
}
