//! Where the keyboard focus goes on the page: the search box's id, and
//! putting the cursor back in it (after an article closes, on `/`, or when
//! the host page asks).

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Id of the search input (focused by `/` and Ctrl+K).
pub const SEARCH_INPUT_ID: &str = "search";

/// Puts the cursor back in the search box.
pub fn focus_search() {
    if let Some(input) = document()
        .get_element_by_id(SEARCH_INPUT_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}
