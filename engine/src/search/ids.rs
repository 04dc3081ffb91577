//! Finding articles by id in a tier that does not index ids (the two small
//! tiers, see [`crate::index::schema::Tier`]): the live documents' ids read
//! from their rows or the store, and a query that matches given documents,
//! for lookups in the app and for a delta's deletes.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, Value};
use tantivy::{BitSet, DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument};

use crate::EngineError;
use crate::format::rows::Rows;

/// Where each live article is, by id: the ids of every segment's documents
/// that no delta deleted, from the segment's `rows` where it has them
/// (by segment ordinal), else from its store.
pub fn stored_ids(searcher: &Searcher, id_field: Field, rows: &[Option<Rows>]) -> Result<HashMap<String, DocAddress>, EngineError> {
    let mut found = HashMap::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        if let Some(rows) = rows.get(ordinal).and_then(Option::as_ref) {
            for doc in segment.doc_ids_alive() {
                if let Some((id, _)) = rows.get(doc) {
                    found.insert(id.to_string(), DocAddress::new(ordinal as u32, doc));
                }
            }
            continue;
        }
        // The store's own walk, in the order of the live documents' ids
        // (one block after the other, not a lookup per document).
        let store = segment.get_store_reader(1).map_err(tantivy::TantivyError::from)?;
        for (doc, stored) in segment.doc_ids_alive().zip(store.iter::<TantivyDocument>(segment.alive_bitset())) {
            if let Some(id) = stored?.get_first(id_field).and_then(|v| v.as_str()) {
                found.insert(id.to_string(), DocAddress::new(ordinal as u32, doc));
            }
        }
    }
    Ok(found)
}

/// Matches exactly the documents it is given (by segment), each with the
/// same score.
#[derive(Clone, Debug, Default)]
pub struct DocumentsQuery {
    by_segment: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl DocumentsQuery {
    /// The documents at `addresses` of `searcher`.
    pub fn of(searcher: &Searcher, addresses: impl IntoIterator<Item = DocAddress>) -> DocumentsQuery {
        let mut by_segment: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
        for address in addresses {
            let segment = searcher.segment_reader(address.segment_ord).segment_id();
            by_segment.entry(segment).or_default().push(address.doc_id);
        }
        for docs in by_segment.values_mut() {
            docs.sort_unstable();
            docs.dedup();
        }
        DocumentsQuery { by_segment: Arc::new(by_segment) }
    }

    fn docs_of(&self, reader: &SegmentReader) -> &[DocId] {
        self.by_segment.get(&reader.segment_id()).map(Vec::as_slice).unwrap_or_default()
    }
}

impl Query for DocumentsQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for DocumentsQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for &doc in self.docs_of(reader).iter().filter(|&&doc| doc < reader.max_doc()) {
            docs.insert(doc);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.docs_of(reader).binary_search(&doc).is_ok() {
            Ok(Explanation::new("one of the given documents", 1.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} is not one of the given documents")))
        }
    }
}
