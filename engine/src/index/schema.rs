//! The tantivy schema of a locale index, and typed access to its fields.

use tantivy::schema::{
    FAST, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::EngineError;

/// Field names, part of the bundle format.
pub mod names {
    pub const ID: &str = "id";
    pub const TITLE: &str = "title";
    pub const SUMMARY: &str = "summary";
    pub const HEADINGS: &str = "headings";
    pub const AKA: &str = "aka";
    pub const CODES: &str = "codes";
    pub const TITLE_KEY: &str = "title_key";
    pub const CATEGORY: &str = "category";
    pub const PRODUCT: &str = "product";
    pub const TAG: &str = "tag";
    pub const BODY: &str = "body";
    /// A small tier's document's place among the articles it was built
    /// from (a fast field): where the build finds its row.
    pub const ROW: &str = "row";
}

/// The fields of a locale index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id, stored, matched exactly: where its rendered form and
    /// text live ([`crate::format::manifest::bucket_of`]).
    pub id: Field,
    pub title: Field,
    pub summary: Field,
    pub headings: Field,
    /// Other words for the topic (`aka`, synonyms).
    pub aka: Field,
    /// Normalised error codes and identifiers (see `analysis::code_key`).
    pub codes: Field,
    /// The whole title as one term (see `analysis::title_key`).
    pub title_key: Field,
    /// Facets, one level deep (`/billing`).
    pub category: Field,
    pub product: Field,
    pub tag: Field,
    /// Plain-text body, not stored (snippets read it from the text store,
    /// [`crate::format::text_store`]); empty in the first tier.
    pub body: Field,
    /// A small tier's `row` (where the build finds a document's row);
    /// `None` in the whole index.
    pub row: Option<Field>,
}

impl Fields {
    /// The text fields searched by a query, with their weights: a match in
    /// the title counts most, one in the body least. Tuned with the
    /// yardstick (`cuecard eval`, tests/yardstick/): flatter weights beat
    /// 4/3/2/1.5/1 on both the kb and the English tldr sets.
    pub fn weighted_text_fields(&self) -> [(Field, f32); 5] {
        [
            (self.title, 2.0),
            (self.aka, 1.8),
            (self.headings, 1.6),
            (self.summary, 1.4),
            (self.body, 1.0),
        ]
    }

    /// Looks the fields up in an index's schema.
    pub fn of(schema: &Schema) -> Result<Fields, EngineError> {
        let get = |name: &str| {
            schema.get_field(name).map_err(|_| {
                EngineError::BadPack(format!("the index has no `{name}` field"))
            })
        };
        Ok(Fields {
            id: get(names::ID)?,
            title: get(names::TITLE)?,
            summary: get(names::SUMMARY)?,
            headings: get(names::HEADINGS)?,
            aka: get(names::AKA)?,
            codes: get(names::CODES)?,
            title_key: get(names::TITLE_KEY)?,
            category: get(names::CATEGORY)?,
            product: get(names::PRODUCT)?,
            tag: get(names::TAG)?,
            body: get(names::BODY)?,
            row: schema.get_field(names::ROW).ok(),
        })
    }
}

/// The name of the analyzer a text field is indexed with.
pub fn analyzer_of(schema: &Schema, field: Field) -> Option<String> {
    match schema.get_field_entry(field).field_type() {
        tantivy::schema::FieldType::Str(options) => options.get_indexing_options().map(|o| o.tokenizer().to_string()),
        _ => None,
    }
}

/// Which tier of a locale's index: what it searches, and what it keeps of
/// each article besides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Titles, other names, facets and the codes of titles, other names and
    /// headings (no summaries, headings' words, bodies or bodies' codes):
    /// the smallest index that answers a cold visit's first keystrokes,
    /// which the head then refines.
    Titles,
    /// Every field but the body.
    Head,
    /// Every field; the only tier with a term per article id (it would be
    /// a third of the first tier's term dictionary; the small tiers'
    /// lookups by id read their rows, [`crate::search::ids`]) and a
    /// document store (id, title, summary).
    Full,
}

pub fn schema_for(locale: &str, tier: Tier) -> Schema {
    let analyzer = crate::index::analysis::analyzer_name(locale);
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(&analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let stored_text = TextOptions::default()
        .set_indexing_options(indexing.clone())
        .set_stored();
    let unstored_text = TextOptions::default().set_indexing_options(indexing);
    let mut builder = Schema::builder();
    // The small tiers store nothing: each segment's ids, titles and
    // summaries are a rows file beside it ([`crate::format::rows`]), placed
    // by the `row` fast field.
    let small = tier != Tier::Full;
    builder.add_text_field(names::ID, if small { TextOptions::default() } else { STRING | STORED });
    let shown = if small { unstored_text.clone() } else { stored_text };
    builder.add_text_field(names::TITLE, shown.clone());
    builder.add_text_field(names::SUMMARY, shown);
    builder.add_text_field(names::HEADINGS, unstored_text.clone());
    builder.add_text_field(names::AKA, unstored_text.clone());
    builder.add_text_field(names::CODES, STRING);
    builder.add_text_field(names::TITLE_KEY, STRING);
    let category = if small { FacetOptions::default() } else { FacetOptions::default().set_stored() };
    builder.add_facet_field(names::CATEGORY, category);
    builder.add_facet_field(names::PRODUCT, FacetOptions::default());
    builder.add_facet_field(names::TAG, FacetOptions::default());
    builder.add_text_field(names::BODY, unstored_text);
    if small {
        builder.add_u64_field(names::ROW, FAST);
    }
    builder.build()
}
