//! Stage 9 (in progress, issue 25): bringing the articles a contact centre
//! already has into a kb. [`zendesk_pages`] reads a Zendesk Guide export's
//! saved API pages; the mapping to articles and `cuecard import` build on
//! it.

pub mod again;
pub mod zendesk;
pub mod zendesk_api;
pub mod zendesk_pages;
