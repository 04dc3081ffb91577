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

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// A closing dialog gives the focus back to `element` (the search box
/// when there was none). The dialog's own button is about to be hidden:
/// the focus leaves it now, not at the browser's next focus fix-up, so the
/// next key press never lands in the closed dialog.
pub fn return_focus(element: Option<web_sys::HtmlElement>) {
    if let Some(active) = document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = active.blur();
    }
    match element {
        Some(element) => {
            let _ = element.focus();
        }
        None => crate::page_focus::focus_search(),
    }
}
