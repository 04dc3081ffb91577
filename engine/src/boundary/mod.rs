//! What may leave the device, and who may drive the app? Customer data
//! scrubbed from everything that leaves ([`scrub`], with its
//! [`recognisers`]), the usage signals'
//! wire shape ([`signals`]), "Report a problem" ([`feedback`]), and the host
//! pages allowed to embed the app ([`origins`]).

pub mod feedback;
pub mod origins;
pub mod recognisers;
pub mod scrub;
pub mod signals;
