//! Stage 9: bringing the articles a contact centre already has into a kb.
//! Each importer reads its system's export as hostile input and maps it
//! to the files of a kb ([`kb_files`]), pure, for `cuecard import` to
//! write whole (or, importing again, file by file through [`again`]):
//! - Zendesk Guide: [`zendesk_pages`] (saved Help Center API pages) or
//!   [`zendesk_api`] (the API itself), mapped by [`zendesk`];
//! - Confluence: [`confluence_zip`] (a space's HTML export), its pages
//!   read by [`confluence_page`], mapped by [`confluence`].
//! Both convert HTML through [`html_tree`], which bounds nesting.

pub mod again;
pub mod confluence;
pub mod confluence_page;
pub mod confluence_zip;
pub mod html_tree;
pub mod kb_files;
pub mod zendesk;
pub mod zendesk_api;
pub mod zendesk_pages;
