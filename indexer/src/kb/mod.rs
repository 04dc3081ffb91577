//! Stage 1: what the kb folder holds, read safely. [`config`] is
//! `cuecard.yaml`, [`discovery`] finds the locales ([`layout`]), [`files`]
//! walks their article files ([`names`] says which are articles); every content read goes through
//! [`sandbox`], and YAML through [`bounded_yaml`] ([`front_matter`] splits
//! and reads it, under the kb's [`field_map`]). [`disclosures`] and [`synonyms`] are a locale's own
//! files. Links are never followed out of the kb.

pub mod bounded_yaml;
pub mod config;
pub mod disclosures;
pub mod discovery;
pub mod field_map;
pub mod files;
pub mod front_matter;
pub mod layout;
pub mod names;
pub mod sandbox;
pub mod synonyms;

pub use config::{AudienceConfig, CONFIG_FILES, CategoryConfig, ChangesConfig, Declared, KbConfig, MeaningConfig};
pub use discovery::discover;
pub use files::{article_files, left_out};
pub use names::{is_article_name, is_markdown};
pub use layout::{ArticleSource, DeclaredAudience, KbLayout, LocaleSource};
