//! The bundle's entry file, `manifest.json`: what a bundle holds and which
//! format it is in. It is small and fetched fresh; every file it names
//! carries its content hash in its name, so those can be cached forever.

use serde::{Deserialize, Serialize};

use crate::EngineError;

/// Bump when any file of the bundle changes in a way an older app cannot read.
/// 4: images in `media/`, listed in `media`; files of earlier builds may
/// stay beside the current ones (additive publishing).
/// 5: the site's trust settings: `embed_hosts` (who may embed the app) and
/// `image_origins` (where outside images load from).
/// 6: the lean bundle: two index tiers (`head`, `index`), each a base pack
/// and an optional delta pack, bodies in text files, article and text
/// files in buckets by article id, every part zlib-compressed (`.ccz`, see
/// [`crate::format::parts`]).
/// 7: `redirects` per locale: where old article ids went
/// ([`crate::format::redirects`]); `feedback_url`, the knowledge team's tracker.
/// 8: `signals_endpoint` (where usage signals are beaconed) and `scrub`
/// (the kb's own patterns of customer data, see [`crate::boundary::signals`]).
/// 9: what changed: each article's dated `changes` in its info, and each
/// locale's `changes` feed ([`crate::article::changes::ChangeFeed`]).
/// 10: meaning-based matching, when the kb opts in: the sentence model
/// (`meaning_model`) and each covered locale's article vectors by bucket,
/// with their build cache (`meaning`).
/// 11: a third, smallest index tier per locale, `titles` (titles, other
/// names, codes, facets), which a cold visit loads first; `head` then
/// adds summaries and headings.
/// 12: no term per article id in the two small tiers (it was a third of
/// the first tier's term dictionary), and no document store: each
/// segment's ids, titles (and the head's summaries) are a rows file
/// ([`crate::format::rows`]), which lookups by id and a delta's deletes
/// read ([`crate::search::ids`]). The lists of text and article files
/// leave the manifest for a part of their own, `buckets` ([`BucketFiles`]).
/// 13: each tier's base pack carries its language's stop words
/// ([`crate::analysis::STOP_WORDS_FILE`]): the app's wasm no longer holds
/// every language's list.
pub const BUNDLE_FORMAT_VERSION: u32 = 13;

/// The file name of the manifest inside a bundle directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Where the site serves the bundle, relative to the app's page.
pub const SITE_BUNDLE_DIR: &str = "bundle";

/// The bundle's folder of images, named by content hash.
pub const MEDIA_DIR: &str = "media";

/// About how many articles one bucket holds (between half of it and all
/// of it). Article and text files hold one bucket each.
pub const ARTICLES_PER_BUCKET: usize = 32;

/// How many buckets a locale of `articles` articles has: a power of two,
/// so it changes only when the locale doubles or halves; until then
/// adding or removing articles leaves every other article in its bucket.
pub fn bucket_count(articles: usize) -> usize {
    articles.div_ceil(ARTICLES_PER_BUCKET).max(1).next_power_of_two()
}

/// The bucket of article `id` among `buckets`: from a hash of the id
/// alone, so it does not move when other articles come or go.
pub fn bucket_of(id: &str, buckets: usize) -> usize {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_le_bytes(first) % buckets.max(1) as u64) as usize
}

/// The whole bundle, as described by `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    /// Version of the `cuecard` tool that wrote the bundle.
    pub tool_version: String,
    /// When the bundle was built, RFC 3339 in UTC.
    pub built_at: String,
    /// The kb's git commit, when the kb is a git checkout.
    #[serde(default)]
    pub kb_commit: Option<String>,
    pub default_locale: String,
    pub locales: Vec<LocaleBundle>,
    /// Images the articles show (`media/<hash>.<ext>`), shared by locales.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<BundleFile>,
    /// Host pages allowed to embed the app and drive it by `postMessage`,
    /// in CSP source syntax (`cuecard.yaml`'s `embedding.allowed_hosts`;
    /// see [`crate::boundary::origins`]). Empty: no host at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embed_hosts: Vec<String>,
    /// Origins articles show outside images from (`image_origins`), for
    /// the page's `img-src`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_origins: Vec<String>,
    /// Where "Report a problem" sends agents (`cuecard.yaml`'s
    /// `feedback.url`, a link template, see [`crate::boundary::feedback`]). None:
    /// the report is copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_url: Option<String>,
    /// Where the app beacons usage signals (`cuecard.yaml`'s
    /// `signals.endpoint`, see [`crate::boundary::signals`]). None: only the host
    /// page hears them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signals_endpoint: Option<String>,
    /// The kb's own scrub patterns (`scrub`), applied to everything that
    /// leaves the device, before the built-in rules ([`crate::boundary::scrub`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrub: Vec<crate::boundary::scrub::ScrubPattern>,
    /// The sentence model for meaning-based matching (int8, see the
    /// `cuecard-meaning` crate), when the kb turns it on; fetched after the
    /// lexical index, by the app's worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning_model: Option<BundleFile>,
}

/// One locale's files and counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocaleBundle {
    /// BCP 47 tag, e.g. `de-DE`.
    pub locale: String,
    /// Display name from the kb config (`Deutsch`), if it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Locales to show an article from when this one lacks it, nearest
    /// first (the kb's fallback chain; the default locale ends it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<String>,
    /// Number of articles in this locale.
    pub articles: usize,
    /// The first tier: titles, other names, facets and the codes of titles,
    /// other names and headings only, the least that answers the first
    /// keystrokes of a cold visit.
    pub titles: TierFiles,
    /// The second tier: every field but the body (`titles`' fields and
    /// summaries and headings); it replaces `titles` once loaded.
    pub head: TierFiles,
    /// The whole index, body included; it replaces the others once loaded.
    pub index: TierFiles,
    /// The lists of the locale's bucket files ([`BucketFiles`]), in a part
    /// of their own: at 36,000 articles they are 4,096 names and hashes
    /// (about 190 KB on the wire), which a cold visit's first results do
    /// not need.
    pub buckets: BundleFile,
    /// Where old article ids went ([`crate::format::redirects::Redirects`]),
    /// fetched when an id is not found; absent when no article moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<BundleFile>,
    /// The recently changed articles ([`crate::article::changes::ChangeFeed`]),
    /// fetched when the agent opens "What's new"; absent when no article
    /// has a recorded change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changes: Option<BundleFile>,
    /// Article vectors for meaning-based matching; absent when the kb has
    /// it off or the model does not cover the locale's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<MeaningFiles>,
}

/// A locale's files by bucket of articles ([`bucket_of`]): the part the
/// manifest's `buckets` names, fetched after the first results (snippets
/// and opened articles need it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BucketFiles {
    /// Plain-text bodies for snippets, one file per bucket
    /// ([`crate::format::text_store::TextFile`]).
    pub text_files: Vec<BundleFile>,
    /// Rendered articles, one file per bucket
    /// ([`crate::article::model::ArticleFile`]), fetched when one is opened.
    pub article_files: Vec<BundleFile>,
}

impl BucketFiles {
    /// Every file the lists name.
    pub fn files(&self) -> impl Iterator<Item = &BundleFile> {
        self.text_files.iter().chain(&self.article_files)
    }

    /// The article file that holds article `id`.
    pub fn article_file_of(&self, id: &str) -> Option<&BundleFile> {
        self.article_files.get(bucket_of(id, self.article_files.len()))
    }

    /// The text file that holds the body of article `id`.
    pub fn text_file_of(&self, id: &str) -> Option<&BundleFile> {
        self.text_files.get(bucket_of(id, self.text_files.len()))
    }
}

/// A locale's meaning-based matching files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeaningFiles {
    /// The articles' vectors that the app's worker searches, one file per
    /// bucket of articles ([`bucket_of`]), so an edit changes one file.
    pub vectors: Vec<BundleFile>,
    /// The same vectors keyed by a hash of the model and the embedded text:
    /// the next build reuses them for unchanged articles. The app never
    /// reads it.
    pub cache: BundleFile,
}

/// The packs of one index tier: a base, which stays the same file from
/// publish to publish, and a delta holding what changed since the base
/// was built (the articles added or changed, and which of the base's are
/// deleted). A publish rebuilds the base when the delta grows past a tenth
/// of it (see [`crate::writer`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierFiles {
    pub base: BundleFile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<BundleFile>,
    /// The base's articles and their revisions, which the indexer builds
    /// the next delta from; the app never reads it.
    pub base_revisions: BundleFile,
}

impl TierFiles {
    /// The tier's packs, base first (the order they are opened in).
    pub fn parts(&self) -> impl Iterator<Item = &BundleFile> {
        std::iter::once(&self.base).chain(&self.delta)
    }
}

/// A file of the bundle, relative to the manifest, with its content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

impl BundleFile {
    /// Checks that `stored` are the bytes this entry describes.
    pub fn verify(&self, stored: &[u8]) -> Result<(), EngineError> {
        self.verify_hash(&crate::format::hash::content_hash(stored))
    }

    /// Checks a hash of the stored bytes (lower-case hex SHA-256, computed
    /// elsewhere: the app has the browser hash large parts) against this
    /// entry's.
    pub fn verify_hash(&self, actual: &str) -> Result<(), EngineError> {
        if !actual.eq_ignore_ascii_case(&self.sha256) {
            return Err(EngineError::HashMismatch { file: self.path.clone(), expected: self.sha256.clone(), actual: actual.to_string() });
        }
        Ok(())
    }

    /// The contents of this part from its stored bytes: checked against
    /// the hash, inflated when stored compressed (natively; the app
    /// inflates in the browser).
    pub fn contents(&self, stored: Vec<u8>) -> Result<Vec<u8>, EngineError> {
        self.verify(&stored)?;
        if crate::format::parts::is_compressed(&self.path) { crate::format::parts::inflate(&stored, &self.path) } else { Ok(stored) }
    }

    /// Parses a JSON part as stored in the bundle (an article file or a
    /// text file), natively.
    pub fn read_json<T: serde::de::DeserializeOwned>(&self, stored: &[u8]) -> Result<T, EngineError> {
        let bytes = self.contents(stored.to_vec())?;
        serde_json::from_slice(&bytes).map_err(|source| EngineError::Json { file: self.path.clone(), source })
    }
}

impl Manifest {
    /// How signals and problem reports name this bundle: its build time,
    /// and the kb's commit when known.
    pub fn version_label(&self) -> String {
        match &self.kb_commit {
            Some(commit) => format!("{} (kb {commit})", self.built_at),
            None => self.built_at.clone(),
        }
    }

    /// Parses `manifest.json`, refusing a bundle of another format version
    /// before looking at anything else in it.
    pub fn from_json(text: &str) -> Result<Manifest, EngineError> {
        let json_error = |source| EngineError::Json {
            file: MANIFEST_FILE.to_string(),
            source,
        };
        #[derive(Deserialize)]
        struct VersionOnly {
            format_version: u32,
        }
        let version: VersionOnly = serde_json::from_str(text).map_err(json_error)?;
        if version.format_version != BUNDLE_FORMAT_VERSION {
            return Err(EngineError::FormatVersion {
                found: version.format_version,
                expected: BUNDLE_FORMAT_VERSION,
            });
        }
        serde_json::from_str(text).map_err(json_error)
    }

    /// Every file the manifest names: each locale's parts, and the images
    /// (not the files its bucket lists name: see [`BucketFiles`]).
    pub fn files(&self) -> impl Iterator<Item = &BundleFile> {
        self.locales.iter().flat_map(LocaleBundle::files).chain(&self.media).chain(&self.meaning_model)
    }

    /// The locale entry for `tag`, if the bundle has it.
    pub fn locale(&self, tag: &str) -> Option<&LocaleBundle> {
        self.locales.iter().find(|l| l.locale == tag)
    }

    /// The locales to look in for an article, for an agent in `tag`: the
    /// locale itself, its fallback chain, then the default; each once, and
    /// only locales the bundle has.
    pub fn lookup_chain<'a>(&'a self, tag: &'a str) -> Vec<&'a str> {
        let mut chain: Vec<&str> = Vec::new();
        let fallback = self.locale(tag).map(|l| l.fallback.as_slice()).unwrap_or_default();
        let candidates = std::iter::once(tag).chain(fallback.iter().map(String::as_str)).chain(std::iter::once(self.default_locale.as_str()));
        for candidate in candidates {
            if self.locale(candidate).is_some() && !chain.contains(&candidate) {
                chain.push(candidate);
            }
        }
        chain
    }

    /// The name to show for `tag`: its configured name, else the tag.
    pub fn display_name<'a>(&'a self, tag: &'a str) -> &'a str {
        self.locale(tag).and_then(|l| l.name.as_deref()).unwrap_or(tag)
    }

    /// Picks the locale to show: the first of `preferred` the bundle has
    /// (exact tag, then same language), else the kb's default.
    pub fn choose_locale<'a>(&'a self, preferred: &[String]) -> &'a str {
        for wanted in preferred {
            if let Some(found) = self.locales.iter().find(|l| l.locale.eq_ignore_ascii_case(wanted)) {
                return &found.locale;
            }
        }
        for wanted in preferred {
            let language = crate::article::locale::language_of(wanted);
            if let Some(found) = self
                .locales
                .iter()
                .find(|l| crate::article::locale::language_of(&l.locale) == language)
            {
                return &found.locale;
            }
        }
        &self.default_locale
    }
}

impl LocaleBundle {
    /// Every file of the locale: the index tiers (with the indexer's
    /// revisions files), text and article files.
    pub fn files(&self) -> impl Iterator<Item = &BundleFile> {
        [&self.titles.base_revisions, &self.head.base_revisions, &self.index.base_revisions]
            .into_iter()
            .chain(self.meaning.as_ref().map(|m| &m.cache))
            .chain(self.app_files())
    }

    /// The files the app reads that the manifest names: the index tiers,
    /// the bucket lists, the redirects, the change feed and the vectors
    /// (the bucket files themselves are in the lists).
    pub fn app_files(&self) -> impl Iterator<Item = &BundleFile> {
        self.titles.parts().chain(self.head.parts()).chain(self.index.parts()).chain([&self.buckets]).chain(&self.redirects).chain(&self.changes)
            .chain(self.meaning.iter().flat_map(|m| &m.vectors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Manifest {
        let file = |p: &str| BundleFile {
            path: p.into(),
            sha256: "00".into(),
            bytes: 1,
        };
        Manifest {
            format_version: BUNDLE_FORMAT_VERSION,
            tool_version: "0.1.0".into(),
            built_at: "2026-11-25T00:00:00Z".into(),
            kb_commit: None,
            media: Vec::new(),
            embed_hosts: Vec::new(),
            feedback_url: None,
            signals_endpoint: None,
            scrub: Vec::new(),
            image_origins: Vec::new(),
            meaning_model: None,
            default_locale: "en-US".into(),
            locales: ["en-US", "de-DE", "es-MX"]
                .iter()
                .map(|l| LocaleBundle {
                    locale: l.to_string(),
                    name: (*l == "de-DE").then(|| "Deutsch".to_string()),
                    fallback: if *l == "es-MX" { vec!["es".into(), "de-DE".into()] } else { vec![] },
                    articles: 300,
                    titles: TierFiles { base: file("l"), delta: None, base_revisions: file("lr") },
                    head: TierFiles { base: file("h"), delta: None, base_revisions: file("hr") },
                    index: TierFiles { base: file("i"), delta: Some(file("d")), base_revisions: file("ir") },
                    buckets: file("b"),
                    redirects: None,
                    changes: None,
                    meaning: None,
                })
                .collect(),
        }
    }

    #[test]
    fn round_trips_through_json() {
        let manifest = sample();
        let json = serde_json::to_string(&manifest).unwrap();
        assert_eq!(Manifest::from_json(&json).unwrap(), manifest);
    }

    #[test]
    fn refuses_other_format_versions_with_a_clear_message() {
        let json = r#"{"format_version": 999, "something": "new"}"#;
        let error = Manifest::from_json(json).unwrap_err().to_string();
        assert!(error.contains("format version 999"), "{error}");
        assert!(error.contains(&format!("reads version {BUNDLE_FORMAT_VERSION}")), "{error}");
    }

    #[test]
    fn refuses_garbage() {
        assert!(matches!(Manifest::from_json("<html>"), Err(EngineError::Json { .. })));
    }

    #[test]
    fn chooses_exact_then_language_then_default() {
        let m = sample();
        assert_eq!(m.choose_locale(&["de-DE".into()]), "de-DE");
        assert_eq!(m.choose_locale(&["de-AT".into()]), "de-DE");
        assert_eq!(m.choose_locale(&["fr-FR".into(), "es-ES".into()]), "es-MX");
        assert_eq!(m.choose_locale(&["fr-FR".into()]), "en-US");
    }

    #[test]
    fn lookup_chain_follows_the_fallbacks_then_the_default_once() {
        let m = sample();
        assert_eq!(m.lookup_chain("es-MX"), ["es-MX", "de-DE", "en-US"], "es is not in the bundle");
        assert_eq!(m.lookup_chain("en-US"), ["en-US"]);
        assert_eq!(m.lookup_chain("de-DE"), ["de-DE", "en-US"]);
        assert_eq!(m.lookup_chain("xx"), ["en-US"]);
        assert_eq!(m.display_name("de-DE"), "Deutsch");
        assert_eq!(m.display_name("es-MX"), "es-MX");
    }

    #[test]
    fn finds_the_files_of_an_article_by_its_bucket() {
        let m = sample();
        let file = |p: &str| BundleFile { path: p.into(), sha256: "00".into(), bytes: 1 };
        let buckets = BucketFiles { text_files: vec![file("t0"), file("t1")], article_files: vec![file("a0"), file("a1")] };
        let bucket = bucket_of("billing/refund", 2);
        assert_eq!(buckets.article_file_of("billing/refund").unwrap().path, format!("a{bucket}"));
        assert_eq!(buckets.text_file_of("billing/refund").unwrap().path, format!("t{bucket}"));
        assert_eq!(buckets.files().count(), 4);
        assert!(BucketFiles::default().article_file_of("billing/refund").is_none());
        assert_eq!(m.files().count(), 3 * 8);
        assert_eq!(m.locales[0].app_files().count(), 5);
    }

    #[test]
    fn bucket_counts_are_powers_of_two_near_the_target_size() {
        assert_eq!(bucket_count(0), 1);
        assert_eq!(bucket_count(32), 1);
        assert_eq!(bucket_count(33), 2);
        assert_eq!(bucket_count(2_812), 128);
        for n in [1, 100, 2_812, 36_000] {
            let per_bucket = n as f64 / bucket_count(n) as f64;
            assert!(per_bucket <= ARTICLES_PER_BUCKET as f64, "{n}");
            assert!(n < ARTICLES_PER_BUCKET || per_bucket > ARTICLES_PER_BUCKET as f64 / 2.0, "{n}");
        }
    }

    #[test]
    fn an_article_keeps_its_bucket_whoever_else_comes_or_goes() {
        let buckets = bucket_count(1_000);
        assert_eq!(bucket_of("devices/reset", buckets), bucket_of("devices/reset", buckets));
        let used: std::collections::BTreeSet<usize> = (0..1_000).map(|n| bucket_of(&format!("a/{n}"), buckets)).collect();
        assert_eq!(used.len(), buckets, "ids spread over every bucket");
    }
}
