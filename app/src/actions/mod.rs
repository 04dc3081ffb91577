//! What changes the app's state, grouped by what it changes: loading the kb
//! and switching locale ([`load`]), the lists of a locale's bucket files
//! ([`buckets`]), opening articles ([`articles`]), the
//! shelves ([`shelves`]), the results' second stage ([`details`]) and
//! "Report a problem" ([`report`]). Each is an `impl AppState` block: the
//! state's signals live in `state`, its operations here.

pub mod articles;
pub mod buckets;
pub mod details;
pub mod load;
pub mod report;
pub mod shelves;

pub use load::filters_from;
