//! `cuecard build`: a kb in, a versioned static bundle out.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use cuecard_engine::manifest::{BUNDLE_FORMAT_VERSION, BucketFiles, BundleFile, LocaleBundle, MANIFEST_FILE, Manifest, MeaningFiles, TierFiles, bucket_count, bucket_of};
use cuecard_engine::changes::{ChangeFeed, ChangedArticle};
use cuecard_engine::model::{ArticleFile, ArticleInfo, IndexedArticle, RenderedArticle};
use cuecard_meaning::ArticleVectors;
use cuecard_engine::parts::{COMPRESSED_EXTENSION, compress};
use cuecard_engine::redirects::Redirects;
use cuecard_engine::text_store::TextFile;
use cuecard_engine::writer::{PreviousBase, Tier, TierPacks, build_tier};
use indicatif::ProgressBar;

use crate::article::Article;
use crate::bundle::publish::{Published, Publisher};
use crate::check::compile::{CompiledKb, CompiledLocale};
use crate::history::History;
use crate::kb::ChangesConfig;

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

/// What a build knows besides the articles: where old ids went, what
/// changed when, and the moment it counts as built.
pub struct BuildInputs<'a> {
    pub redirects: &'a HashMap<String, Redirects>,
    pub history: &'a History,
    /// The build's "now" (`--now`, `SOURCE_DATE_EPOCH`, else the clock):
    /// the manifest's `built_at`, and the date of changes not yet committed.
    pub now: jiff::Timestamp,
    /// The sentence model, when the kb turns meaning-based matching on.
    pub meaning: Option<&'a crate::bundle::meaning::Model>,
}

/// Publishes the bundle of an error-free compiled kb into `out`: new files
/// beside the old, the manifest last (see [`crate::bundle::publish`]).
pub fn write_bundle(kb: &CompiledKb, inputs: BuildInputs<'_>, out: &std::path::Path, grace: std::time::Duration, started: Instant) -> Result<BuildReport> {
    let mut staged = Publisher::open(out)?;
    let mut locales = Vec::new();
    let mut report = Vec::new();
    let infos = crate::bundle::article_info::infos(kb);
    let today = jiff::tz::Offset::UTC.to_datetime(inputs.now).date();
    for (compiled, mut infos) in kb.locales.iter().zip(infos) {
        let spinner = ProgressBar::new_spinner().with_message(format!("indexing {}", compiled.locale.tag));
        for ((source, article), info) in compiled.articles.iter().zip(infos.iter_mut()) {
            info.changes = inputs.history.changes_of(&source.path_in_kb, article, today);
        }
        let feed = change_feed(compiled, &infos, &kb.layout.changes);
        let redirects = inputs.redirects.get(&compiled.locale.tag);
        let model = inputs.meaning.filter(|_| crate::bundle::meaning::covers(&compiled.locale.tag));
        let (bundle, buckets) = write_locale(&mut staged, compiled, infos, redirects, &feed, model).with_context(|| format!("cannot build locale {}", compiled.locale.tag))?;
        spinner.finish_and_clear();
        report.push((bundle.locale.clone(), bundle.articles, bundle.files().chain(buckets.files()).map(|f| f.bytes).sum()));
        locales.push(bundle);
    }
    let meaning_model = match inputs.meaning {
        Some(model) if locales.iter().any(|l| l.meaning.is_some()) => {
            Some(staged.add_hashed(MEANING_DIR, "model", COMPRESSED_EXTENSION, &compress(&model.bytes))?)
        }
        _ => None,
    };
    let mut media = Vec::new();
    for (path, bytes) in &kb.media {
        media.push(staged.add_named(path.clone(), cuecard_engine::hash::content_hash(bytes), bytes)?);
    }
    let manifest = Manifest {
        format_version: BUNDLE_FORMAT_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        built_at: inputs.now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        kb_commit: crate::history::git::commit_of(&kb.layout.root),
        default_locale: kb.layout.default_locale.clone(),
        locales,
        media,
        embed_hosts: kb.layout.embed_hosts.clone(),
        feedback_url: kb.layout.feedback_url.clone(),
        signals_endpoint: kb.layout.signals_endpoint.clone(),
        scrub: kb.layout.scrub.clone(),
        image_origins: kb.layout.image_origins.clone(),
        meaning_model,
    };
    let published = staged.publish(&manifest, grace)?;
    Ok(BuildReport { out: out.to_path_buf(), locales: report, seconds: started.elapsed().as_secs_f64(), published })
}

/// The locale's change feed: its articles with a recorded change, newest
/// first, each marked when regulated.
fn change_feed(compiled: &CompiledLocale, infos: &[ArticleInfo], config: &ChangesConfig) -> ChangeFeed {
    ChangeFeed::new(compiled.articles.iter().zip(infos).filter_map(|((_, article), info)| {
        Some(ChangedArticle {
            id: article.id.clone(),
            title: article.title.clone(),
            change: info.changes.first()?.clone(),
            regulated: is_regulated(config, article),
        })
    }))
}

/// True when `article` is regulated: it carries compliance text, or its
/// category or a tag is listed under the kb's `changes.regulated`.
fn is_regulated(config: &ChangesConfig, article: &Article) -> bool {
    let meta = &article.meta;
    !article.rendered.disclosure_blocks.is_empty()
        || !meta.disclosures.is_empty()
        || meta.category.as_ref().is_some_and(|c| config.regulated.categories.contains(c))
        || meta.tags.iter().any(|t| config.regulated.tags.contains(t))
}

/// The bundle's folder for the sentence model.
const MEANING_DIR: &str = "meaning";

fn write_locale(
    staged: &mut Publisher,
    compiled: &CompiledLocale,
    infos: Vec<ArticleInfo>,
    redirects: Option<&Redirects>,
    feed: &ChangeFeed,
    model: Option<&crate::bundle::meaning::Model>,
) -> Result<(LocaleBundle, BucketFiles)> {
    let tag = &compiled.locale.tag;
    let indexed: Vec<_> = compiled.articles.iter().map(|(_, article)| article.indexed(&compiled.synonyms)).collect();
    // The tiers are independent: index them side by side (the two small
    // ones on one thread, the whole index on the other), each on top of
    // the base the folder already publishes, if it can be used.
    let previous = PreviousBases::read(staged.out(), tag);
    let (titles, head, full) = std::thread::scope(|scope| {
        let small = scope.spawn(|| {
            let titles = build_tier(tag, &indexed, Tier::Titles, PreviousBases::of(&previous.titles));
            (titles, build_tier(tag, &indexed, Tier::Head, PreviousBases::of(&previous.head)))
        });
        let full = build_tier(tag, &indexed, Tier::Full, PreviousBases::of(&previous.index));
        let (titles, head) = small.join().expect("the small tiers' thread does not panic");
        (titles, head, full)
    });
    let titles = add_tier(staged, tag, "titles", titles?, previous.titles.as_ref().map(|(_, _, files)| files))?;
    let head = add_tier(staged, tag, "head", head?, previous.head.as_ref().map(|(_, _, files)| files))?;
    let index = add_tier(staged, tag, "index", full?, previous.index.as_ref().map(|(_, _, files)| files))?;
    let (buckets, bucket_files) = write_buckets(staged, compiled, &indexed, infos)?;
    let redirects = match redirects.filter(|r| !r.is_empty()) {
        Some(redirects) => Some(add_json(staged, tag, "redirects", redirects)?),
        None => None,
    };
    let changes = match feed.is_empty() {
        true => None,
        false => Some(add_json(staged, tag, "changes", feed)?),
    };
    let meaning = match model {
        Some(model) => Some(write_vectors(staged, tag, model, &indexed)?),
        None => None,
    };
    let bundle = LocaleBundle {
        locale: tag.clone(),
        name: compiled.locale.name.clone(),
        fallback: compiled.locale.fallback.clone(),
        articles: compiled.articles.len(),
        titles,
        head,
        index,
        buckets,
        redirects,
        changes,
        meaning,
    };
    Ok((bundle, bucket_files))
}

/// Embeds the locale's articles (reusing the last publish's vectors of
/// unchanged ones) and adds the vectors and their cache.
fn write_vectors(staged: &mut Publisher, tag: &str, model: &crate::bundle::meaning::Model, indexed: &[IndexedArticle]) -> Result<MeaningFiles> {
    let started = Instant::now();
    let previous = previous_vector_cache(staged.out(), tag);
    let locale = crate::bundle::meaning::embed_locale(model, indexed, previous.as_ref());
    tracing::info!(locale = tag, embedded = locale.embedded, reused = locale.reused, seconds = started.elapsed().as_secs_f64(), "article vectors");
    if locale.embedded > 0 {
        eprintln!(
            "note: {tag}: embedded {} articles for meaning-based matching in {:.1}s ({} unchanged reused)",
            locale.embedded,
            started.elapsed().as_secs_f64(),
            locale.reused
        );
    }
    // By bucket, as the text files: an edited article changes one file.
    let buckets = bucket_count(indexed.len());
    let mut by_bucket: Vec<Vec<(String, cuecard_meaning::Quantised)>> = vec![Vec::new(); buckets];
    for (id, vector) in locale.vectors.entries() {
        by_bucket[bucket_of(id, buckets)].push((id.to_string(), vector));
    }
    let dims = locale.vectors.dims();
    let mut vectors = Vec::with_capacity(buckets);
    for (n, entries) in by_bucket.into_iter().enumerate() {
        let part = ArticleVectors::new(dims, entries);
        vectors.push(staged.add_hashed(tag, &format!("vectors-{n}"), COMPRESSED_EXTENSION, &compress(&part.to_bytes()))?);
    }
    Ok(MeaningFiles { vectors, cache: staged.add_hashed(tag, "vectors-cache", COMPRESSED_EXTENSION, &compress(&locale.cache.to_bytes()))? })
}

/// The vector cache the folder already publishes for `tag`, if readable.
fn previous_vector_cache(out: &std::path::Path, tag: &str) -> Option<ArticleVectors> {
    let manifest = Manifest::from_json(&std::fs::read_to_string(out.join(MANIFEST_FILE)).ok()?).ok()?;
    let cache = &manifest.locale(tag)?.meaning.as_ref()?.cache;
    ArticleVectors::from_bytes(&cache.contents(std::fs::read(out.join(&cache.path)).ok()?).ok()?).ok()
}

/// Writes the locale's text files and article files, one per bucket of
/// articles ([`bucket_of`]), and the part that lists them
/// ([`BucketFiles`]), which the manifest names.
fn write_buckets(
    staged: &mut Publisher,
    compiled: &CompiledLocale,
    indexed: &[cuecard_engine::model::IndexedArticle],
    infos: Vec<ArticleInfo>,
) -> Result<(BundleFile, BucketFiles)> {
    let tag = &compiled.locale.tag;
    let buckets = bucket_count(indexed.len());
    let mut texts = vec![TextFile::new(); buckets];
    for (id, text) in cuecard_engine::writer::article_texts(indexed) {
        texts[bucket_of(&id, buckets)].insert(id, text);
    }
    let mut rendered: Vec<Vec<RenderedArticle>> = vec![Vec::new(); buckets];
    let infos = infos.into_iter().chain(std::iter::repeat_with(ArticleInfo::default));
    for ((source, article), info) in compiled.articles.iter().zip(infos) {
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
    let lists = BucketFiles { text_files, article_files };
    Ok((add_json(staged, tag, "buckets", &lists)?, lists))
}

/// The bases of a locale's tiers that the out folder publishes now,
/// with their revisions (checked against their hashes, inflated), which a
/// new publish extends with a delta rather than replaces.
#[derive(Default)]
struct PreviousBases {
    titles: Option<(Vec<u8>, Vec<u8>, TierFiles)>,
    head: Option<(Vec<u8>, Vec<u8>, TierFiles)>,
    index: Option<(Vec<u8>, Vec<u8>, TierFiles)>,
}

impl PreviousBases {
    fn read(out: &std::path::Path, tag: &str) -> PreviousBases {
        let Some(manifest) = std::fs::read_to_string(out.join(MANIFEST_FILE)).ok().and_then(|text| Manifest::from_json(&text).ok()) else {
            return PreviousBases::default();
        };
        let Some(locale) = manifest.locale(tag) else { return PreviousBases::default() };
        let read = |file: &BundleFile| file.contents(std::fs::read(out.join(&file.path)).ok()?).ok();
        let tier = |files: &TierFiles| Some((read(&files.base)?, read(&files.base_revisions)?, files.clone()));
        PreviousBases { titles: tier(&locale.titles), head: tier(&locale.head), index: tier(&locale.index) }
    }

    fn of(tier: &Option<(Vec<u8>, Vec<u8>, TierFiles)>) -> Option<PreviousBase<'_>> {
        tier.as_ref().map(|(base, revisions, _)| PreviousBase { base, revisions })
    }
}

/// Adds a tier's packs: a kept base (and its revisions) under its
/// published names (the same bytes: nothing to write), a new base or a
/// delta compressed.
fn add_tier(staged: &mut Publisher, tag: &str, stem: &str, packs: TierPacks, previous: Option<&TierFiles>) -> Result<TierFiles> {
    let (base, base_revisions) = match (packs.base_kept, previous) {
        (true, Some(files)) => (staged.keep(files.base.clone()), staged.keep(files.base_revisions.clone())),
        _ => (
            staged.add_hashed(tag, stem, COMPRESSED_EXTENSION, &compress(&packs.base))?,
            staged.add_hashed(tag, &format!("{stem}-revisions"), COMPRESSED_EXTENSION, &compress(&packs.revisions))?,
        ),
    };
    let delta = match packs.delta {
        Some(delta) => Some(staged.add_hashed(tag, &format!("{stem}-delta"), COMPRESSED_EXTENSION, &compress(&delta))?),
        None => None,
    };
    Ok(TierFiles { base, delta, base_revisions })
}

/// Adds `value` as a compressed JSON part named `<stem>.<hash>.ccz`.
fn add_json(staged: &mut Publisher, tag: &str, stem: &str, value: &impl serde::Serialize) -> Result<BundleFile> {
    let json = serde_json::to_vec(value).with_context(|| format!("cannot serialise {stem}"))?;
    staged.add_hashed(tag, stem, COMPRESSED_EXTENSION, &compress(&json))
}
