//! Builds a locale's index tiers and text store natively, each index
//! packed into one file.
//!
//! The index is written in memory with one indexing thread, merged into a
//! single segment, and only the live segment's files plus `meta.json` are
//! packed (no lock files, no `.managed.json`). The segment's random id is
//! replaced by a fixed one, so the same articles always give the same
//! bytes (and the same content-hashed file name).

use std::collections::BTreeMap;
use std::path::PathBuf;

use tantivy::directory::{Directory, RamDirectory};
use tantivy::index::SegmentComponent;
use tantivy::indexer::NoMergePolicy;
use tantivy::store::Compressor;
use tantivy::schema::Facet;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term, doc};

use crate::article::model::IndexedArticle;
use crate::EngineError;
use crate::format::text_store::{ArticleText, TextFile};
use crate::format::rows::{Row, encode as encode_rows, rows_file};
use crate::index::schema::{Fields, names, schema_for};
use crate::search::ids::DocumentsQuery;
use crate::search::index::LocaleIndex;

/// The id a base pack's segment gets in place of its random one.
const BASE_SEGMENT_ID: &str = "cccccccccccc4ccc8ccccccccccccccc";
/// The id a delta pack's segment gets.
const DELTA_SEGMENT_ID: &str = "dddddddddddd4ddd8ddddddddddddddd";
/// A base's articles: (id, revision), what its revisions file holds.
type BaseDocs = Vec<(String, String)>;
/// A delta may hold changes to at most 1/this of the base's articles.
const MAX_DELTA_SHARE_INVERSE: usize = 10;
/// Bump when indexing changes in a way the schema does not show (an
/// analyzer's rules, what goes into a field): bases built before are then
/// rebuilt, never extended.
const INDEXING_RULES: &str = "cuecard-indexing-2";

/// Which tier of a locale's index to build (defined with the schema each
/// has).
pub use crate::index::schema::Tier;

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
/// packed (see [`crate::format::pack`]), uncompressed: one segment.
pub fn build_packed_index(locale: &str, articles: &[IndexedArticle], tier: Tier) -> Result<Vec<u8>, EngineError> {
    let settings = IndexSettings {
        // An uncompressed store gzips better on the wire than lz4 blocks.
        docstore_compression: Compressor::None,
        docstore_blocksize: 64 * 1024,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema_for(locale, tier))
        .settings(settings)
        .create_in_ram()?;
    crate::index::analysis::register_all(&index);
    let fields = Fields::of(&index.schema())?;

    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    for (row, article) in articles.iter().enumerate() {
        writer.add_document(document_of(article, &fields, tier, row))?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;

    let segments = index.searchable_segment_metas()?;
    let mut files = vec![meta_json(&index)?];
    // The language's stop words travel with the index (a delta's are its
    // base's), so the app's wasm holds no language's list.
    let analyzer_name = crate::index::analysis::analyzer_name(locale);
    if let Some(words) = crate::index::analysis::stop_words(&analyzer_name) {
        files.push((crate::index::analysis::STOP_WORDS_FILE.to_string(), words.join("\n").into_bytes()));
    }
    for segment in &segments {
        files.extend(segment_files(&index, segment, false)?);
    }
    if tier != Tier::Full {
        let all: Vec<&IndexedArticle> = articles.iter().collect();
        files.extend(rows_files(&index, &all, tier, |_| true)?);
        empty_stores(&index, &mut files)?;
    }
    if let [segment] = segments.as_slice() {
        rename_segment(&mut files, &segment.id().uuid_string(), BASE_SEGMENT_ID);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(crate::format::pack::pack(&files))
}

/// The revisions file of a base built from `articles`: each article's id
/// and a hash of what `tier` indexes of it. The indexer keeps it beside
/// the base (the app never reads it) to build the next delta from.
pub fn revisions_of(locale: &str, articles: &[IndexedArticle], tier: Tier) -> Vec<u8> {
    let docs: BaseDocs = articles.iter().map(|a| (a.id.clone(), revision(locale, a, tier))).collect();
    serde_json::to_vec(&docs).expect("ids and revisions serialise")
}

/// The previous publish's base of a tier and its revisions file.
#[derive(Debug, Clone, Copy)]
pub struct PreviousBase<'a> {
    pub base: &'a [u8],
    pub revisions: &'a [u8],
}

/// One tier's packs, uncompressed: the base and its revisions, and the
/// delta when the articles differ from the base's.
#[derive(Debug)]
pub struct TierPacks {
    pub base: Vec<u8>,
    pub revisions: Vec<u8>,
    pub delta: Option<Vec<u8>>,
    /// The base (and its revisions) is the previous publish's, unchanged.
    pub base_kept: bool,
}

/// Builds one tier of `articles`, on top of the previous publish's base
/// pack when there is one it can use: the base is kept as it is (the same
/// bytes, so apps that have it download nothing), and a delta pack holds
/// the articles added or changed since, and deletes the base's copies of
/// the changed and removed ones. When that is more than a tenth of the
/// base, or the base was built by other indexing rules, a new base is
/// built and there is no delta.
pub fn build_tier(locale: &str, articles: &[IndexedArticle], tier: Tier, previous: Option<PreviousBase<'_>>) -> Result<TierPacks, EngineError> {
    let fresh = || -> Result<TierPacks, EngineError> {
        let base = build_packed_index(locale, articles, tier)?;
        Ok(TierPacks { base, revisions: revisions_of(locale, articles, tier), delta: None, base_kept: false })
    };
    let Some(previous) = previous else { return fresh() };
    let Ok(base_docs) = serde_json::from_slice::<BaseDocs>(previous.revisions) else { return fresh() };
    let kept = |delta| TierPacks { base: previous.base.to_vec(), revisions: previous.revisions.to_vec(), delta, base_kept: true };
    let current: BTreeMap<&str, String> = articles.iter().map(|a| (a.id.as_str(), revision(locale, a, tier))).collect();
    let deleted: Vec<&str> =
        base_docs.iter().filter(|(id, rev)| current.get(id.as_str()) != Some(rev)).map(|(id, _)| id.as_str()).collect();
    let in_base: BTreeMap<&str, &str> = base_docs.iter().map(|(id, rev)| (id.as_str(), rev.as_str())).collect();
    let added: Vec<&IndexedArticle> =
        articles.iter().filter(|a| in_base.get(a.id.as_str()) != Some(&current[a.id.as_str()].as_str())).collect();
    if deleted.is_empty() && added.is_empty() {
        return Ok(kept(None));
    }
    if (deleted.len() + added.len()) * MAX_DELTA_SHARE_INVERSE > base_docs.len() {
        return fresh();
    }
    match build_delta(locale, previous.base, &deleted, &added, tier)? {
        Some(delta) => Ok(kept(Some(delta))),
        None => fresh(),
    }
}

/// The delta pack over `base`: `meta.json` naming both segments, the
/// base's deletions, and a segment of the `added` articles. `None` when the
/// base was built by other indexing rules (another schema).
fn build_delta(locale: &str, base: &[u8], deleted: &[&str], added: &[&IndexedArticle], tier: Tier) -> Result<Option<Vec<u8>>, EngineError> {
    let directory = RamDirectory::create();
    for (path, bytes) in crate::format::pack::unpack(tantivy::directory::OwnedBytes::new(base.to_vec()))? {
        directory.atomic_write(&path, bytes.as_slice()).map_err(tantivy::TantivyError::from)?;
    }
    let index = Index::open(directory)?;
    if index.schema() != schema_for(locale, tier) {
        return Ok(None);
    }
    crate::index::analysis::register_all(&index);
    let fields = Fields::of(&index.schema())?;
    // Where the base's copies of the deleted articles are, for a tier
    // that does not index ids: read from its rows before writing.
    let deleted_documents = if tier == Tier::Full {
        None
    } else {
        let base_index = LocaleIndex::from_bytes(base.to_vec())?;
        let in_base = base_index.row_ids();
        Some(DocumentsQuery::of(base_index.searcher(), deleted.iter().filter_map(|id| in_base.get(*id).copied())))
    };
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    // Deletes first: they apply to what was there before them, never to
    // the new copies added after.
    match deleted_documents {
        Some(documents) => {
            writer.delete_query(Box::new(documents))?;
        }
        None => {
            for id in deleted {
                writer.delete_term(Term::from_field_text(fields.id, id));
            }
        }
    }
    for (row, article) in added.iter().enumerate() {
        writer.add_document(document_of(article, &fields, tier, row))?;
    }
    writer.commit()?;
    let segments = index.searchable_segment_ids()?;
    let new: Vec<_> = segments.iter().filter(|id| id.uuid_string() != BASE_SEGMENT_ID).cloned().collect();
    if new.len() > 1 {
        writer.merge(&new).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;

    let mut files = vec![meta_json(&index)?];
    let mut delta_id = None;
    for segment in index.searchable_segment_metas()? {
        let is_base = segment.id().uuid_string() == BASE_SEGMENT_ID;
        files.extend(segment_files(&index, &segment, is_base)?);
        if !is_base {
            delta_id = Some(segment.id().uuid_string());
        }
    }
    if tier != Tier::Full {
        // The base keeps its own rows; only the new segment's are added.
        files.extend(rows_files(&index, added, tier, |segment| segment.uuid_string() != BASE_SEGMENT_ID)?);
        empty_stores(&index, &mut files)?;
    }
    if let Some(id) = delta_id {
        rename_segment(&mut files, &id, DELTA_SEGMENT_ID);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Some(crate::format::pack::pack(&files)))
}

/// What an article looks like to `tier` of `locale`'s index: a change in
/// anything the tier indexes changes it. Includes [`INDEXING_RULES`], so a
/// base built by other rules is never extended.
fn revision(locale: &str, article: &IndexedArticle, tier: Tier) -> String {
    let body = if tier == Tier::Full { article.body_text.as_str() } else { "" };
    let (summary, headings) = match tier {
        Tier::Titles => (String::new(), String::new()),
        Tier::Head | Tier::Full => (article.summary.clone(), article.headings.join("\u{1e}")),
    };
    let parts = [
        INDEXING_RULES,
        locale,
        &article.id,
        &article.title,
        &summary,
        &headings,
        &article.aka.join("\u{1e}"),
        body,
        article.category.as_deref().unwrap_or(""),
        &article.products.join("\u{1e}"),
        &article.tags.join("\u{1e}"),
        // Codes come from headings and the body too.
        &code_keys_of(article, tier).join("\u{1e}"),
    ];
    let hash = crate::format::hash::content_hash(parts.join("\u{1f}").as_bytes());
    crate::format::hash::short_hash(&hash).to_string()
}

/// The rows file ([`crate::format::rows`]) of each segment of `index` (a
/// small `tier`'s) that `wanted` picks, whose documents were added from
/// `articles` (each placed by its `row` fast field).
fn rows_files(
    index: &Index,
    articles: &[&IndexedArticle],
    tier: Tier,
    wanted: impl Fn(&tantivy::index::SegmentId) -> bool,
) -> Result<Vec<(String, Vec<u8>)>, EngineError> {
    let searcher = index.reader()?.searcher();
    let mut files = Vec::new();
    for segment in searcher.segment_readers().iter().filter(|s| wanted(&s.segment_id())) {
        let row_of = segment.fast_fields().u64(names::ROW)?;
        let mut rows = Vec::with_capacity(segment.max_doc() as usize);
        for doc in 0..segment.max_doc() {
            let article = row_of.first(doc).and_then(|row| articles.get(row as usize)).ok_or_else(|| EngineError::BadPack(format!("document {doc} has no article to show")))?;
            let summary = if tier == Tier::Head { article.summary.as_str() } else { "" };
            rows.push(Row { id: &article.id, title: &article.title, summary });
        }
        files.push((rows_file(&segment.segment_id().uuid_string()), encode_rows(rows)));
    }
    Ok(files)
}

/// Replaces each document store among `files` (of `index`) by an empty
/// one: the small tiers store no field, yet tantivy's store still frames
/// every document (50 KB on the wire at 36,000 articles). Nothing reads
/// it: their rows come from their rows files.
fn empty_stores(index: &Index, files: &mut [(String, Vec<u8>)]) -> Result<(), EngineError> {
    // Written through the index's directory, which adds the footer every
    // segment file carries.
    let path = std::path::Path::new("empty.store");
    let io = |error: std::io::Error| EngineError::from(tantivy::TantivyError::from(error));
    let writer = index.directory().open_write(path).map_err(tantivy::TantivyError::from)?;
    tantivy::store::StoreWriter::new(writer, Compressor::None, 64 * 1024, false).map_err(io)?.close().map_err(io)?;
    let empty = index.directory().atomic_read(path).map_err(tantivy::TantivyError::from)?;
    for (_, bytes) in files.iter_mut().filter(|(name, _)| name.ends_with(".store")) {
        bytes.clone_from(&empty);
    }
    Ok(())
}

/// The document `tier` indexes for `article`, the `row`th it adds.
fn document_of(article: &IndexedArticle, fields: &Fields, tier: Tier, row: usize) -> TantivyDocument {
    let mut document = doc!(fields.title => article.title.as_str());
    // The small tiers keep ids in their rows.
    if tier == Tier::Full {
        document.add_text(fields.id, &article.id);
    }
    // The titles tier leaves out summaries (stored and indexed, about half
    // of the head's bytes) and headings: a row shows its title until the
    // head brings the summary.
    if tier != Tier::Titles {
        document.add_text(fields.summary, &article.summary);
        for heading in &article.headings {
            document.add_text(fields.headings, heading);
        }
    }
    if tier == Tier::Full {
        document.add_text(fields.body, &article.body_text);
    }
    for word in &article.aka {
        document.add_text(fields.aka, word);
    }
    // The whole title as one term, for the exact-title boost: only in the
    // whole index. In the first tier its term dictionary of whole titles
    // would cost a cold visit about a tenth of the tier's bytes, for a
    // boost the whole index brings seconds later (titles still match word
    // by word at the title's weight).
    if tier == Tier::Full {
        document.add_text(fields.title_key, crate::index::analysis::title_key(&article.title));
    }
    if let Some(category) = &article.category {
        document.add_facet(fields.category, Facet::from_path([category]));
    }
    for product in &article.products {
        document.add_facet(fields.product, Facet::from_path([product]));
    }
    for tag in &article.tags {
        document.add_facet(fields.tag, Facet::from_path([tag]));
    }
    for key in code_keys_of(article, tier) {
        document.add_text(fields.codes, key);
    }
    if let Some(field) = fields.row {
        document.add_u64(field, row as u64);
    }
    document
}

/// The error codes and identifiers `tier` indexes for an article: those
/// of its title, other names and headings, and in the head and the whole
/// index those of its body too. A body's numbers and identifiers (dates,
/// versions, code samples' names: a quarter of the first tier's bytes on
/// the VBA docs) come with the head, a moment after the first results; a
/// code an article is about is in its title, other names or a heading.
fn code_keys_of(article: &IndexedArticle, tier: Tier) -> Vec<String> {
    let mut text = [article.title.as_str(), &article.aka.join("\n"), &article.headings.join("\n")].join("\n");
    if tier != Tier::Titles {
        text.push('\n');
        text.push_str(&article.body_text);
    }
    crate::index::analysis::code_keys(&text)
}

fn meta_json(index: &Index) -> Result<(String, Vec<u8>), EngineError> {
    let meta = index.directory().atomic_read(&PathBuf::from("meta.json")).map_err(tantivy::TantivyError::from)?;
    Ok(("meta.json".to_string(), meta))
}

/// The files of `segment` (only its deletions when `deletes_only`).
fn segment_files(index: &Index, segment: &tantivy::index::SegmentMeta, deletes_only: bool) -> Result<Vec<(String, Vec<u8>)>, EngineError> {
    let directory = index.directory();
    let components: &[SegmentComponent] = if deletes_only {
        &[SegmentComponent::Delete]
    } else {
        &[
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::Terms,
            SegmentComponent::Store,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
            SegmentComponent::Delete,
        ]
    };
    let mut files = Vec::new();
    for component in components {
        let path = segment.relative_path(component.clone());
        if directory.exists(&path).map_err(tantivy::TantivyError::from)? {
            let bytes = directory.atomic_read(&path).map_err(tantivy::TantivyError::from)?;
            files.push((path.to_string_lossy().into_owned(), bytes));
        }
    }
    Ok(files)
}

/// Renames the segment `random_id` (32 hex digits) to `fixed_id`, in file
/// names and in `meta.json`.
fn rename_segment(files: &mut [(String, Vec<u8>)], random_id: &str, fixed_id: &str) {
    let hyphenated = |id: &str| format!("{}-{}-{}-{}-{}", &id[..8], &id[8..12], &id[12..16], &id[16..20], &id[20..]);
    for (name, bytes) in files.iter_mut() {
        if name == "meta.json" {
            let text = String::from_utf8_lossy(bytes)
                .replace(&hyphenated(random_id), &hyphenated(fixed_id))
                .replace(random_id, fixed_id);
            *bytes = text.into_bytes();
        } else {
            *name = name.replace(random_id, fixed_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::facets::Filters;

    fn article(id: &str, body: &str) -> IndexedArticle {
        IndexedArticle { id: id.into(), title: format!("About {id}"), body_text: body.into(), ..IndexedArticle::default() }
    }

    #[test]
    fn the_same_articles_give_the_same_bytes() {
        let articles = [article("a", "refund within thirty days"), article("b", "reset the router")];
        for tier in [Tier::Titles, Tier::Head, Tier::Full] {
            assert_eq!(build_packed_index("en", &articles, tier).unwrap(), build_packed_index("en", &articles, tier).unwrap());
        }
    }

    fn many(n: usize) -> Vec<IndexedArticle> {
        (0..n).map(|i| article(&format!("a/{i}"), &format!("body number {i} about routers"))).collect()
    }

    #[test]
    fn a_small_change_keeps_the_base_and_adds_a_delta() {
        // Every tier: the small tiers find the base's copies to delete by
        // their stored ids, the whole index by the id's term.
        for tier in [Tier::Titles, Tier::Head, Tier::Full] {
            let before = many(40);
            let base = build_packed_index("en", &before, tier).unwrap();
            let revisions = revisions_of("en", &before, tier);
            let previous = Some(PreviousBase { base: &base, revisions: &revisions });
            let mut after = before.clone();
            after[3].title = "Quasarword replaces the old title".into();
            after.remove(7);
            after.push(IndexedArticle { title: "A brand new zephyrword article".into(), ..article("z/new", "") });
            let packs = build_tier("en", &after, tier, previous).unwrap();
            assert!(packs.base_kept, "{tier:?}");
            assert_eq!(packs.base, base, "the base is the same bytes ({tier:?})");
            let delta = packs.delta.expect("a delta");
            let index = LocaleIndex::from_parts(vec![packs.base, delta]).unwrap();
            assert_eq!(index.num_articles(), 40, "{tier:?}");
            let ids = |q: &str| index.search(q, 50).hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
            assert_eq!(ids("quasarword"), ["a/3"], "{tier:?}");
            assert_eq!(ids("zephyrword"), ["z/new"], "{tier:?}");
            // The edited and the deleted article's old copies are gone
            // (the whole index still finds the edited one by its body).
            let about = ids("about");
            assert_eq!(about.len(), if tier == Tier::Full { 39 } else { 38 }, "{tier:?}: {about:?}");
            assert!(!about.iter().any(|id| id == "a/7"), "{tier:?}: {about:?}");
            assert!(!index.has_article("a/7"), "{tier:?}");
            assert!(index.has_article("a/3") && index.has_article("z/new"), "{tier:?}");
            let found: Vec<String> = index.hits_by_id(&["z/new", "a/7", "a/3"], "", &Filters::default()).into_iter().map(|h| h.id).collect();
            assert_eq!(found, ["z/new", "a/3"], "{tier:?}");
            let ruled_out: Vec<String> = index.hits_by_id(&["z/new", "a/3"], "-zephyrword", &Filters::default()).into_iter().map(|h| h.id).collect();
            assert_eq!(ruled_out, ["a/3"], "{tier:?}");
            // The same again gives the same delta (deterministic bytes).
            let again = build_tier("en", &after, tier, previous).unwrap();
            assert_eq!(again.delta, build_tier("en", &after, tier, previous).unwrap().delta, "{tier:?}");
        }
    }

    #[test]
    fn only_the_whole_index_has_a_term_per_article_id_and_the_small_tiers_keep_rows() {
        let articles = many(3);
        for (tier, indexed) in [(Tier::Titles, false), (Tier::Head, false), (Tier::Full, true)] {
            let pack = build_packed_index("en", &articles, tier).unwrap();
            let names: Vec<String> = crate::format::pack::unpack(tantivy::directory::OwnedBytes::new(pack.clone())).unwrap().into_keys().map(|p| p.to_string_lossy().into_owned()).collect();
            let index = LocaleIndex::from_bytes(pack).unwrap();
            let schema = index.searcher().schema().clone();
            assert_eq!(schema.get_field_entry(index.fields().id).is_indexed(), indexed, "{tier:?}");
            // The small tiers store nothing: their ids, titles and
            // summaries are rows.
            assert_eq!(schema.get_field_entry(index.fields().title).is_stored(), tier == Tier::Full, "{tier:?}");
            assert_eq!(names.contains(&format!("{BASE_SEGMENT_ID}.rows")), tier != Tier::Full, "{tier:?}: {names:?}");
            assert!(index.has_article("a/1") && !index.has_article("a/9"), "{tier:?}");
            let hit = &index.search("about", 5).hits[0];
            assert!(hit.id.starts_with("a/") && hit.title.text == format!("About {}", hit.id), "{tier:?}: {hit:?}");
        }
    }

    #[test]
    fn no_change_keeps_the_base_alone_and_a_large_one_rebuilds_it() {
        let articles = many(20);
        let base = build_packed_index("en", &articles, Tier::Head).unwrap();
        let revisions = revisions_of("en", &articles, Tier::Head);
        let previous = Some(PreviousBase { base: &base, revisions: &revisions });
        let same = build_tier("en", &articles, Tier::Head, previous).unwrap();
        assert!(same.base_kept && same.delta.is_none());
        let mut changed = articles.clone();
        for a in changed.iter_mut().take(5) {
            a.title.push_str(" (new)");
        }
        let rebuilt = build_tier("en", &changed, Tier::Head, previous).unwrap();
        assert!(!rebuilt.base_kept && rebuilt.delta.is_none());
        assert_eq!(rebuilt.base, build_packed_index("en", &changed, Tier::Head).unwrap());
        // A body edit leaves the first tier as it was, unless it changes
        // the codes the article mentions.
        let mut body_only = articles.clone();
        body_only[0].body_text.push_str(" and more");
        let head = build_tier("en", &body_only, Tier::Head, previous).unwrap();
        assert!(head.base_kept && head.delta.is_none());
        body_only[0].body_text.push_str(" Error E-4012.");
        let head = build_tier("en", &body_only, Tier::Head, previous).unwrap();
        assert!(head.base_kept && head.delta.is_some());
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

    #[test]
    fn the_titles_tier_answers_titles_and_their_codes_but_not_summaries_headings_or_the_body() {
        let mut refund = article("refund-policy", "refunds are paid within thirty days, see ticket 77-1290");
        refund.headings = vec!["Chargebacks".into(), "Error E-4012 at the till".into()];
        refund.aka = vec!["money back".into(), "RF-88".into()];
        refund.summary = "Paid back to the card".into();
        let titles = LocaleIndex::from_bytes(build_packed_index("en", &[refund.clone()], Tier::Titles).unwrap()).unwrap();
        let head = LocaleIndex::from_bytes(build_packed_index("en", &[refund.clone()], Tier::Head).unwrap()).unwrap();
        // Codes of the headings and other names answer from the first tier.
        for words in ["refund", "money back", "E-4012", "e4012", "RF88"] {
            assert_eq!(titles.search(words, 5).hits.len(), 1, "{words}");
        }
        // The body's codes, the summary and the headings' words come with the head.
        for words in ["card", "chargebacks", "77-1290"] {
            assert!(titles.search(words, 5).hits.is_empty(), "{words}");
            assert_eq!(head.search(words, 5).hits.len(), 1, "{words}");
        }
        assert_eq!(titles.search("refund", 5).hits[0].summary, "");
        // A summary or heading edit is no change to the titles tier.
        let revisions = revisions_of("en", &[refund.clone()], Tier::Titles);
        let base = build_packed_index("en", &[refund.clone()], Tier::Titles).unwrap();
        refund.summary = "Another summary".into();
        refund.headings.push("Disputes".into());
        refund.body_text.push_str(" Quote ticket 88-4410 too.");
        let previous = Some(PreviousBase { base: &base, revisions: &revisions });
        let packs = build_tier("en", &[refund.clone()], Tier::Titles, previous).unwrap();
        assert!(packs.base_kept && packs.delta.is_none());
        // A code in a new heading is.
        refund.headings.push("Error E-5001".into());
        let packs = build_tier("en", &[refund], Tier::Titles, previous).unwrap();
        assert!(!(packs.base_kept && packs.delta.is_none()));
    }
}
