//! Builds a locale's index tiers and text store natively, each index
//! packed into one file.
//!
//! The index is written in memory with one indexing thread, merged into a
//! single segment, and only the live segment's files plus `meta.json` are
//! packed (no lock files, no `.managed.json`). The segment's random id is
//! replaced by a fixed one, so the same articles always give the same
//! bytes (and the same content-hashed file name).

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
use crate::search::LocaleIndex;
use crate::text_store::{ArticleText, TextFile};

/// The id every packed segment gets in place of its random one (a pack
/// holds one segment, so it cannot clash).
const FIXED_SEGMENT_ID: &str = "cccccccccccc4ccc8ccccccccccccccc";

/// Which tier of a locale's index to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Every field but the body: answers a cold visit's first keystrokes.
    Head,
    /// Every field.
    Full,
}

/// Memory for the indexing thread; large enough for one segment per locale.
const WRITER_MEMORY_BYTES: usize = 200_000_000;

/// The texts of `articles` for the text store, by id.
pub fn article_texts(articles: &[IndexedArticle]) -> TextFile {
    articles
        .iter()
        .map(|a| (a.id.clone(), ArticleText { body: a.body_text.clone(), sections: a.sections.clone() }))
        .collect()
}

/// The full index of `articles` opened in memory with their texts at hand,
/// for the native tools (`cuecard eval`) and tests.
pub fn open_in_memory(locale: &str, articles: &[IndexedArticle]) -> Result<LocaleIndex, EngineError> {
    Ok(LocaleIndex::from_bytes(build_packed_index(locale, articles, Tier::Full)?)?.with_texts(article_texts(articles)))
}

/// Builds the `tier` index of `articles` for `locale`, and returns it
/// packed (see [`crate::pack`]), uncompressed.
pub fn build_packed_index(locale: &str, articles: &[IndexedArticle], tier: Tier) -> Result<Vec<u8>, EngineError> {
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
    for article in articles {
        let mut document = doc!(
            fields.id => article.id.as_str(),
            fields.title => article.title.as_str(),
            fields.summary => article.summary.as_str(),
        );
        if tier == Tier::Full {
            document.add_text(fields.body, &article.body_text);
        }
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
    let meta = directory.atomic_read(&PathBuf::from("meta.json")).map_err(tantivy::TantivyError::from)?;
    let mut files = vec![("meta.json".to_string(), meta)];
    let segments = index.searchable_segment_metas()?;
    for segment in &segments {
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
    if let [segment] = segments.as_slice() {
        fix_segment_id(&mut files, &segment.id().uuid_string());
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(crate::pack::pack(&files))
}

/// Renames the one segment `random_id` (32 hex digits) to
/// [`FIXED_SEGMENT_ID`], in file names and in `meta.json`.
fn fix_segment_id(files: &mut [(String, Vec<u8>)], random_id: &str) {
    let hyphenated = |id: &str| format!("{}-{}-{}-{}-{}", &id[..8], &id[8..12], &id[12..16], &id[16..20], &id[20..]);
    for (name, bytes) in files.iter_mut() {
        if name == "meta.json" {
            let text = String::from_utf8_lossy(bytes)
                .replace(&hyphenated(random_id), &hyphenated(FIXED_SEGMENT_ID))
                .replace(random_id, FIXED_SEGMENT_ID);
            *bytes = text.into_bytes();
        } else {
            *name = name.replace(random_id, FIXED_SEGMENT_ID);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, body: &str) -> IndexedArticle {
        IndexedArticle { id: id.into(), title: format!("About {id}"), body_text: body.into(), ..IndexedArticle::default() }
    }

    #[test]
    fn the_same_articles_give_the_same_bytes() {
        let articles = [article("a", "refund within thirty days"), article("b", "reset the router")];
        for tier in [Tier::Head, Tier::Full] {
            assert_eq!(build_packed_index("en", &articles, tier).unwrap(), build_packed_index("en", &articles, tier).unwrap());
        }
    }

    #[test]
    fn the_head_tier_has_no_body_words() {
        let articles = [article("a", "refund within thirty days")];
        let head = LocaleIndex::from_bytes(build_packed_index("en", &articles, Tier::Head).unwrap()).unwrap();
        let full = LocaleIndex::from_bytes(build_packed_index("en", &articles, Tier::Full).unwrap()).unwrap();
        assert!(head.search("thirty", 5).hits.is_empty());
        assert_eq!(full.search("thirty", 5).hits.len(), 1);
        assert_eq!(head.search("about", 5).hits.len(), 1);
    }
}
