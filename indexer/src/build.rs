//! `cuecard build`: a kb in, a versioned static bundle out.

use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use cuecard_engine::manifest::{BUNDLE_FORMAT_VERSION, BundleFile, LocaleBundle, Manifest, bucket_count, bucket_of};
use cuecard_engine::model::{ArticleFile, ArticleInfo, RenderedArticle};
use cuecard_engine::parts::{COMPRESSED_EXTENSION, compress};
use cuecard_engine::text_store::TextFile;
use cuecard_engine::writer::{Tier, build_packed_index};
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
        report.push((bundle.locale.clone(), bundle.articles, bundle.files().map(|f| f.bytes).sum()));
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
    // The two tiers are independent: index them side by side.
    let (head, full) = std::thread::scope(|scope| {
        let head = scope.spawn(|| build_packed_index(tag, &indexed, Tier::Head).map(|packed| compress(&packed)));
        let full = build_packed_index(tag, &indexed, Tier::Full).map(|packed| compress(&packed));
        (head.join().expect("the head tier's thread does not panic"), full)
    });
    let head = staged.add_hashed(tag, "head", COMPRESSED_EXTENSION, &head?)?;
    let index = staged.add_hashed(tag, "index", COMPRESSED_EXTENSION, &full?)?;

    let buckets = bucket_count(indexed.len());
    let mut texts = vec![TextFile::new(); buckets];
    for (bucket, (id, text)) in cuecard_engine::writer::article_texts(&indexed).into_iter().map(|(id, text)| (bucket_of(&id, buckets), (id, text))) {
        texts[bucket].insert(id, text);
    }
    let mut rendered: Vec<Vec<RenderedArticle>> = vec![Vec::new(); buckets];
    for ((source, article), info) in compiled.articles.iter().zip(infos.into_iter().chain(std::iter::repeat_with(ArticleInfo::default))) {
        rendered[bucket_of(&article.id, buckets)].push(article.rendered(&source.path_in_kb, info));
    }
    let mut text_files = Vec::with_capacity(buckets);
    for (n, text) in texts.iter().enumerate() {
        text_files.push(add_json(staged, tag, &format!("text-{n}"), text)?);
    }
    let mut article_files = Vec::with_capacity(buckets);
    for (n, mut articles) in rendered.into_iter().enumerate() {
        articles.sort_by(|a, b| a.id.cmp(&b.id));
        article_files.push(add_json(staged, tag, &format!("articles-{n}"), &ArticleFile { articles })?);
    }
    Ok(LocaleBundle {
        locale: tag.clone(),
        name: compiled.locale.name.clone(),
        fallback: compiled.locale.fallback.clone(),
        articles: compiled.articles.len(),
        head,
        index,
        text_files,
        article_files,
    })
}

/// Adds `value` as a compressed JSON part named `<stem>.<hash>.ccz`.
fn add_json(staged: &mut Publisher, tag: &str, stem: &str, value: &impl serde::Serialize) -> Result<BundleFile> {
    let json = serde_json::to_vec(value).with_context(|| format!("cannot serialise {stem}"))?;
    staged.add_hashed(tag, stem, COMPRESSED_EXTENSION, &compress(&json))
}
