//! Stage 5: the bundle's files from the checked kb: what the app shows of
//! each article ([`article_info`]), the meaning vectors ([`meaning`]), the
//! index tiers and buckets ([`build`]), put in place additively ([`publish`]).

pub mod article_info;
pub mod build;
pub mod meaning;
pub mod publish;
