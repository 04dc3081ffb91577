//! What agents get from a compiled kb: search relevance on labelled
//! queries and call contexts ([`eval`]), and what the floor could not find,
//! from collected usage signals ([`gaps`]).

pub mod eval;
pub mod gaps;
