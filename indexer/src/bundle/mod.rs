//! Stage 5: the bundle's files from the checked kb: what the app shows of
//! each article ([`article_info`]), the meaning vectors ([`meaning`]), the
//! index tiers and buckets ([`build`]), put in place additively ([`publish`]);
//! the sentence model those vectors need, installed ([`model_install`]).

pub mod article_info;
pub mod build;
pub mod meaning;
pub mod model_install;
pub mod publish;
