//! Stage 6: the built site around the bundle: its security policy
//! ([`headers`]) and its web workers named by content ([`workers`]).

pub mod headers;
pub mod workers;
