//! Finding articles by id in a tier that does not index ids (the two small
//! tiers, see [`crate::index::schema::Tier`]): the live documents' ids read
//! from their rows, and a query that matches given documents, for lookups
//! in the app and for a delta's deletes.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{BitSet, DocAddress, DocId, Score, Searcher, SegmentReader};

use crate::format::rows::Rows;

/// Where each live article is, by id: the ids of every segment's documents
/// that no delta deleted, from the segment's `rows` (by segment ordinal;
/// a segment without rows has none to give).
pub fn ids_in_rows(searcher: &Searcher, rows: &[Option<Rows>]) -> HashMap<String, DocAddress> {
    let mut found = HashMap::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(rows) = rows.get(ordinal).and_then(Option::as_ref) else { continue };
        for doc in segment.doc_ids_alive() {
            if let Some(row) = rows.get(doc) {
                found.insert(row.id.to_string(), DocAddress::new(ordinal as u32, doc));
            }
        }
    }
    found
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
