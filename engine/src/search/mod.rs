//! How does what an agent typed become results? The typed text read into a
//! plan ([`query`]), a locale's index opened and asked in two stages
//! ([`index`], one clause at a time by `clauses`), what it answers
//! ([`results`]), facet counts and filters ([`facets`]), suggestions from a
//! call's context ([`suggest`]) and the passages its meaning is read from
//! ([`passages`]), and how meaning-based matches merge in
//! ([`fusion`]); articles found by id where a tier only stores ids
//! ([`ids`]).

mod clauses;
pub mod facets;
pub mod fusion;
pub mod ids;
pub mod index;
pub mod passages;
pub mod query;
pub mod results;
pub mod suggest;

pub use index::LocaleIndex;
pub use results::{Highlighted, Hit, HitDetails, PendingDetails, SearchDetails, SearchResults, SectionHit};
