//! The shape of a kb as discovery found it: its locales, its article
//! files, and the checked settings every later stage reads.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cuecard_engine::scrub::ScrubPattern;

use crate::findings::severity::Level;
use crate::kb::config::{ChangesConfig, MeaningConfig};
use crate::kb::field_map::FieldMap;
use crate::kb::sandbox::KbRoot;

/// One locale found in the kb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleSource {
    /// Normalised tag, e.g. `pt-BR`.
    pub tag: String,
    pub dir: PathBuf,
    pub name: Option<String>,
    /// Locales to fall back to, nearest first, ending with the default.
    pub fallback: Vec<String>,
}

/// One article file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleSource {
    /// The file on disk.
    pub path: PathBuf,
    /// Path relative to the locale folder, `/`-separated.
    pub path_in_locale: String,
    /// Path relative to the kb root, `/`-separated.
    pub path_in_kb: String,
}

/// The shape of a kb: its locales and which one is the default.
#[derive(Debug, Clone)]
pub struct KbLayout {
    pub root: PathBuf,
    /// Every content read goes through it: nothing outside the kb is read.
    pub sandbox: KbRoot,
    pub default_locale: String,
    pub locales: Vec<LocaleSource>,
    /// Allowed category ids (empty: any).
    pub categories: Vec<String>,
    /// The audiences articles may name (`cuecard.yaml`'s `audiences`).
    pub audiences: Vec<DeclaredAudience>,
    /// Which front-matter key holds each of Cuecard's fields.
    pub fields: FieldMap,
    /// The kb config file, if there is one.
    pub config_path: Option<PathBuf>,
    /// Finding levels the kb config sets.
    pub severity: BTreeMap<String, Level>,
    /// Origins outside images may load from.
    pub image_origins: Vec<String>,
    /// Host pages that may embed the app, checked CSP sources.
    pub embed_hosts: Vec<String>,
    /// The checked feedback link template, if the kb has one.
    pub feedback_url: Option<String>,
    /// The checked signals endpoint, if the kb has one.
    pub signals_endpoint: Option<String>,
    /// The kb's own scrub patterns, each compiled once to check it.
    pub scrub: Vec<ScrubPattern>,
    /// How changes are told (commit subjects, regulated articles).
    pub changes: ChangesConfig,
    /// Whether meaning-based matching is on.
    pub meaning: MeaningConfig,
    /// What discovery decided, for the person running the CLI (which
    /// folders became locales).
    pub notes: Vec<String>,
}

/// An audience the kb declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredAudience {
    /// What articles write in `audience:` and builds in `--audience`
    /// (compared ignoring ASCII case).
    pub id: String,
    pub name: Option<String>,
}

impl KbLayout {
    pub fn locale(&self, tag: &str) -> Option<&LocaleSource> {
        self.locales.iter().find(|l| l.tag == tag)
    }

    /// The declared audience `id` names, if any.
    pub fn audience(&self, id: &str) -> Option<&DeclaredAudience> {
        self.audiences.iter().find(|a| a.id.eq_ignore_ascii_case(id))
    }
}
