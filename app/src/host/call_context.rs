//! The call's context: what the call is about (a ticket's subject and
//! description, call notes, a transcript excerpt), from the host page
//! (`cuecard:context`) or the page URL's fragment (`#context=...`, which
//! never reaches a server's logs). It is capped, kept only in memory and
//! never sent anywhere: it only ranks "Suggested for this call" (the
//! list's first group while nothing is typed, see `AppState::choices`).
//! The fragment is removed from the address bar once read, so it is not in
//! history, bookmarks or shared links.

use std::sync::Arc;

use cuecard_engine::suggest::MAX_CONTEXT_CHARS;
use leptos::prelude::*;

use crate::state::AppState;

/// The fragment that carries a context: `#context=<percent-encoded text>`.
const FRAGMENT_PREFIX: &str = "#context=";

/// Takes the context from the URL fragment, if there is one, and removes
/// it from the address bar.
pub fn take_from_url(state: AppState) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let Some(encoded) = location.hash().ok().and_then(|hash| hash.strip_prefix(FRAGMENT_PREFIX).map(String::from)) else { return };
    // `+` for spaces, as forms and many link builders write them.
    let text = js_sys::decode_uri_component(&encoded.replace('+', " ")).map(String::from).unwrap_or_default();
    set(state, &text);
    let without_fragment = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&without_fragment));
    }
}

/// Sets the call's context (empty text clears it), capped at
/// [`MAX_CONTEXT_CHARS`].
pub fn set(state: AppState, text: &str) {
    let text = text.trim();
    let end = text.char_indices().nth(MAX_CONTEXT_CHARS).map_or(text.len(), |(at, _)| at);
    let context = (!text.is_empty()).then(|| Arc::<str>::from(&text[..end]));
    state.context.set(context);
    state.selected.set(0);
}
