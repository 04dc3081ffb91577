//! How the bundle's files reach the app: downloads relative to the page,
//! each part checked against the manifest's hash ([`fetch`]) and inflated
//! by the browser ([`inflate`], shared with the meaning worker), and the
//! offline copy kept by the service worker, with the check for a newer
//! bundle ([`offline`]); why a load failed ([`error`]).

pub mod error;
pub mod fetch;
pub mod inflate;
pub mod offline;
