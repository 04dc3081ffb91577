//! What is an article, and how far can an agent trust it today? The types
//! the indexer fills and the app shows ([`model`]), their dated changes and
//! a locale's change feed ([`changes`]), trust on a given day ([`trust`],
//! counted in [`day`]s), locale tags ([`locale`]) and what a link in an
//! article is ([`links`]).

pub mod changes;
pub mod day;
pub mod links;
pub mod locale;
pub mod model;
pub mod trust;
