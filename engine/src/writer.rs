//! Builds a locale's index natively and packs it into one file.
//!
//! The index is written in memory with one indexing thread, merged into a
//! single segment, and only the live segment's files plus `meta.json` are
//! packed (no lock files, no `.managed.json`).

use std::path::PathBuf;

use tantivy::directory::Directory;
use tantivy::index::SegmentComponent;
use tantivy::indexer::NoMergePolicy;
use tantivy::store::Compressor;
use tantivy::schema::Facet;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, doc};

use crate::EngineError;
use crate::model::IndexedArticle;
use crate::schema::{Fields, schema_for};

/// Memory for the indexing thread; large enough for one segment per locale.
const WRITER_MEMORY_BYTES: usize = 200_000_000;

/// Builds the index of `articles` (their position is their ordinal) for
/// `locale`, and returns it packed (see [`crate::pack`]).
pub fn build_packed_index(locale: &str, articles: &[IndexedArticle]) -> Result<Vec<u8>, EngineError> {
    let settings = IndexSettings {
        // An uncompressed store gzips better on the wire than lz4 blocks.
        docstore_compression: Compressor::None,
        docstore_blocksize: 64 * 1024,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema_for(locale))
        .settings(settings)
        .create_in_ram()?;
    crate::analysis::register_all(&index);
    let fields = Fields::of(&index.schema())?;

    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (ord, article) in articles.iter().enumerate() {
        let mut document = doc!(
            fields.id => article.id.as_str(),
            fields.ord => ord as u64,
            fields.title => article.title.as_str(),
            fields.summary => article.summary.as_str(),
            fields.body => article.body_text.as_str(),
        );
        for heading in &article.headings {
            document.add_text(fields.headings, heading);
        }
        for word in &article.aka {
            document.add_text(fields.aka, word);
        }
        document.add_text(fields.title_key, crate::analysis::title_key(&article.title));
        if let Some(category) = &article.category {
            document.add_facet(fields.category, Facet::from_path([category]));
        }
        for product in &article.products {
            document.add_facet(fields.product, Facet::from_path([product]));
        }
        for tag in &article.tags {
            document.add_facet(fields.tag, Facet::from_path([tag]));
        }
        if !article.sections.is_empty() {
            let sections = serde_json::to_string(&article.sections).expect("sections serialise");
            document.add_text(fields.sections, sections);
        }
        let all_text = format!("{}\n{}\n{}", article.title, article.headings.join("\n"), article.body_text);
        for key in crate::analysis::code_keys(&all_text) {
            document.add_text(fields.codes, key);
        }
        writer.add_document(document)?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;

    let directory = index.directory();
    let mut files = vec![("meta.json".to_string(), directory.atomic_read(&PathBuf::from("meta.json")).map_err(tantivy::TantivyError::from)?)];
    for segment in index.searchable_segment_metas()? {
        for component in [
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::Terms,
            SegmentComponent::Store,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
            SegmentComponent::Delete,
        ] {
            let path = segment.relative_path(component);
            if directory.exists(&path).map_err(tantivy::TantivyError::from)? {
                let bytes = directory.atomic_read(&path).map_err(tantivy::TantivyError::from)?;
                files.push((path.to_string_lossy().into_owned(), bytes));
            }
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(crate::pack::pack(&files))
}
