//! The app's edges with the page around it: the `postMessage` API for a
//! host page ([`embed`]), the call's context it sends ([`call_context`]),
//! and the usage telemetry that leaves the device, scrubbed, to the host
//! and the kb's collector ([`telemetry`]).

pub mod call_context;
pub mod embed;
pub mod telemetry;
