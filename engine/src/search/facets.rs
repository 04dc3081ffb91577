//! Facets: the categories, products and tags of the matching articles, with
//! counts, and filters on them that combine with any query (including none:
//! browsing a category).

use std::collections::BTreeSet;

use tantivy::collector::FacetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::EngineError;
use crate::index::schema::{Fields, names};

/// A facet dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetKind {
    Category,
    Product,
    Tag,
}

impl FacetKind {
    pub const ALL: [FacetKind; 3] = [FacetKind::Category, FacetKind::Product, FacetKind::Tag];

    /// The name used in URLs and the schema (`category`, `product`, `tag`).
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Category => names::CATEGORY,
            FacetKind::Product => names::PRODUCT,
            FacetKind::Tag => names::TAG,
        }
    }

    pub fn from_name(name: &str) -> Option<FacetKind> {
        FacetKind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn field(self, fields: &Fields) -> Field {
        match self {
            FacetKind::Category => fields.category,
            FacetKind::Product => fields.product,
            FacetKind::Tag => fields.tag,
        }
    }
}

/// Selected facet values: an article must have one of the selected values
/// of every dimension that has any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub selected: BTreeSet<(FacetKind, String)>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.selected.is_empty()
    }

    pub fn with(mut self, kind: FacetKind, value: impl Into<String>) -> Filters {
        self.selected.insert((kind, value.into()));
        self
    }

    /// The query an article must match, `None` without filters.
    pub(crate) fn query(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        let mut dimensions: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for kind in FacetKind::ALL {
            let values: Vec<(Occur, Box<dyn Query>)> = self
                .selected
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, value)| {
                    let term = Term::from_facet(kind.field(fields), &Facet::from_path([value]));
                    (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
                })
                .collect();
            if !values.is_empty() {
                dimensions.push((Occur::Must, Box::new(BooleanQuery::new(values))));
            }
        }
        (!dimensions.is_empty()).then(|| Box::new(BooleanQuery::new(dimensions)) as Box<dyn Query>)
    }
}

/// How many matching articles have one facet value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetCount {
    pub kind: FacetKind,
    pub value: String,
    pub count: u64,
}

/// Counts of every facet value among the articles `query` matches, most
/// frequent first within each dimension.
pub(crate) fn count(searcher: &Searcher, query: &dyn Query) -> Result<Vec<FacetCount>, EngineError> {
    let mut out = Vec::new();
    for kind in FacetKind::ALL {
        let mut collector = FacetCollector::for_field(kind.name());
        collector.add_facet(Facet::root());
        let counts = searcher.search(query, &collector)?;
        let mut values: Vec<FacetCount> = counts
            .get(Facet::root())
            .filter_map(|(facet, count)| {
                let value = facet.to_path().last()?.to_string();
                Some(FacetCount { kind, value, count })
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        out.extend(values);
    }
    Ok(out)
}
