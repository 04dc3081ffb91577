//! What is a bundle, and how is it stored? The manifest that names every
//! part ([`manifest`]), how a part is compressed ([`parts`]) and an index
//! packed into one file ([`pack`]) and opened again ([`directory`]), content
//! hashes ([`hash`]), the text files snippets come from ([`text_store`]),
//! the first tier's ids and titles ([`rows`]) and where old article ids
//! went ([`redirects`]).

pub mod directory;
pub mod hash;
pub mod manifest;
pub mod pack;
pub mod parts;
pub mod redirects;
pub mod rows;
pub mod text_store;
