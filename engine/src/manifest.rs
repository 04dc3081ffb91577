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
pub const BUNDLE_FORMAT_VERSION: u32 = 5;

/// The file name of the manifest inside a bundle directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Where the site serves the bundle, relative to the app's page.
pub const SITE_BUNDLE_DIR: &str = "bundle";

/// The bundle's folder of images, named by content hash.
pub const MEDIA_DIR: &str = "media";

/// How many rendered articles one article file holds. The app fetches the
/// file of an article only when the agent opens it.
pub const ARTICLES_PER_FILE: usize = 128;

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
    /// see [`crate::origins`]). Empty: no host at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub embed_hosts: Vec<String>,
    /// Origins articles show outside images from (`image_origins`), for
    /// the page's `img-src`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_origins: Vec<String>,
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
    /// The packed tantivy index.
    pub index: BundleFile,
    /// Rendered articles, [`ARTICLES_PER_FILE`] per file, in ordinal order.
    pub article_files: Vec<BundleFile>,
}

/// A file of the bundle, relative to the manifest, with its content hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

impl Manifest {
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

    /// Every file the manifest names: each locale's index and article
    /// files, and the images.
    pub fn files(&self) -> impl Iterator<Item = &BundleFile> {
        self.locales.iter().flat_map(|l| std::iter::once(&l.index).chain(&l.article_files)).chain(&self.media)
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
            let language = crate::locale::language_of(wanted);
            if let Some(found) = self
                .locales
                .iter()
                .find(|l| crate::locale::language_of(&l.locale) == language)
            {
                return &found.locale;
            }
        }
        &self.default_locale
    }
}

impl LocaleBundle {
    /// The article file holding the article with ordinal `ord`, and its
    /// position inside that file.
    pub fn article_file_of(&self, ord: u64) -> Option<(&BundleFile, usize)> {
        let ord = usize::try_from(ord).ok()?;
        let file = self.article_files.get(ord / ARTICLES_PER_FILE)?;
        Some((file, ord % ARTICLES_PER_FILE))
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
            image_origins: Vec::new(),
            default_locale: "en-US".into(),
            locales: ["en-US", "de-DE", "es-MX"]
                .iter()
                .map(|l| LocaleBundle {
                    locale: l.to_string(),
                    name: (*l == "de-DE").then(|| "Deutsch".to_string()),
                    fallback: if *l == "es-MX" { vec!["es".into(), "de-DE".into()] } else { vec![] },
                    articles: 300,
                    index: file("i"),
                    article_files: vec![file("a0"), file("a1"), file("a2")],
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
    fn finds_the_file_of_an_article() {
        let m = sample();
        let (file, at) = m.locales[0].article_file_of(130).unwrap();
        assert_eq!((file.path.as_str(), at), ("a1", 2));
        assert!(m.locales[0].article_file_of(10_000).is_none());
    }
}
