//! `cuecard build`: a kb in, a versioned static bundle out.

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use cuecard_engine::manifest::{ARTICLES_PER_FILE, BUNDLE_FORMAT_VERSION, LocaleBundle, Manifest};
use cuecard_engine::model::{ArticleFile, ArticleInfo};
use indicatif::ProgressBar;

use crate::compile::{CompiledKb, CompiledLocale};
use crate::publish::{Published, Publisher};

/// What one build produced, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub locales: Vec<(String, usize, u64)>,
    pub seconds: f64,
    pub published: Published,
}

impl BuildReport {
    pub fn articles(&self) -> usize {
        self.locales.iter().map(|(_, n, _)| n).sum()
    }
}

/// Publishes the bundle of an error-free compiled kb into `out`: new files
/// beside the old, the manifest last (see [`crate::publish`]).
pub fn write_bundle(kb: &CompiledKb, out: &std::path::Path, grace: std::time::Duration, started: Instant) -> Result<BuildReport> {
    let mut staged = Publisher::open(out)?;
    let mut locales = Vec::new();
    let mut report = Vec::new();
    let infos = crate::article_info::infos(kb);
    for (compiled, infos) in kb.locales.iter().zip(infos) {
        let spinner = ProgressBar::new_spinner().with_message(format!("indexing {}", compiled.locale.tag));
        let bundle = write_locale(&mut staged, compiled, infos).with_context(|| format!("cannot build locale {}", compiled.locale.tag))?;
        spinner.finish_and_clear();
        report.push((bundle.locale.clone(), bundle.articles, bundle.index.bytes));
        locales.push(bundle);
    }
    let mut media = Vec::new();
    for (path, bytes) in &kb.media {
        media.push(staged.add_named(path.clone(), cuecard_engine::hash::content_hash(bytes), bytes)?);
    }
    let manifest = Manifest {
        format_version: BUNDLE_FORMAT_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
        kb_commit: crate::git::commit_of(&kb.layout.root),
        default_locale: kb.layout.default_locale.clone(),
        locales,
        media,
        embed_hosts: kb.layout.embed_hosts.clone(),
        image_origins: kb.layout.image_origins.clone(),
    };
    let published = staged.publish(&manifest, grace)?;
    Ok(BuildReport { out: out.to_path_buf(), locales: report, seconds: started.elapsed().as_secs_f64(), published })
}

fn write_locale(staged: &mut Publisher, compiled: &CompiledLocale, infos: Vec<ArticleInfo>) -> Result<LocaleBundle> {
    let tag = &compiled.locale.tag;
    let indexed: Vec<_> = compiled.articles.iter().map(|(_, article)| article.indexed(&compiled.synonyms)).collect();
    let packed = cuecard_engine::writer::build_packed_index(tag, &indexed)?;
    let index = staged.add_hashed(tag, "index", "pack", &packed)?;
    let mut article_files = Vec::new();
    let mut infos = infos.into_iter();
    for (n, chunk) in compiled.articles.chunks(ARTICLES_PER_FILE).enumerate() {
        let file = ArticleFile {
            first_ord: (n * ARTICLES_PER_FILE) as u64,
            articles: chunk
                .iter()
                .map(|(source, article)| article.rendered(&source.path_in_kb, infos.next().unwrap_or_default()))
                .collect(),
        };
        let json = serde_json::to_vec(&file).context("cannot serialise articles")?;
        article_files.push(staged.add_hashed(tag, &format!("articles-{n}"), "json", &json)?);
    }
    Ok(LocaleBundle {
        locale: tag.clone(),
        name: compiled.locale.name.clone(),
        fallback: compiled.locale.fallback.clone(),
        articles: compiled.articles.len(),
        index,
        article_files,
    })
}
