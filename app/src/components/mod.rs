//! The app's UI pieces. Roles and attributes follow the UI contract
//! (shared/notes/ui-contract.md): tests and assistive technology rely on them.

pub mod article_view;
pub mod facet_bar;
pub mod help_overlay;
pub mod highlighted;
pub mod report_dialog;
pub mod results;
pub mod search_box;
pub mod status_bar;
pub mod trust_bar;
pub mod whats_new;
