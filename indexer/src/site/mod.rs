//! Stage 6: the built site around the bundle: the app the binary carries
//! ([`app`]) and how `cuecard site` lays it out ([`publish`]), its security
//! policy ([`headers`]) and its web workers named by content ([`workers`]).

pub mod app;
pub mod early_fetch;
pub mod headers;
pub mod publish;
pub mod workers;
