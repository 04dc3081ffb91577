//! The call's context: what the call is about (a ticket's subject and
//! description, call notes, a transcript excerpt), from the host page
//! (`cuecard:context`) or the page URL's fragment (`#context=...`, which
//! never reaches a server's logs). It is capped, kept only in memory and
//! never sent anywhere: it only ranks "Suggested for this call" (the
//! list's first group while nothing is typed, see `AppState::choices`).
//! The fragment is removed from the address bar once read, so it is not in
//! history, bookmarks or shared links.

use std::sync::Arc;

use cuecard_engine::suggest::{continues, recent_part};
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

/// Sets the call's context (empty text clears it): its newest
/// [`MAX_CONTEXT_CHARS`](cuecard_engine::suggest::MAX_CONTEXT_CHARS) ([`recent_part`]). A host may send it again and
/// again as a live call's transcript grows: the same text changes nothing
/// (nothing renders), and text that continues it keeps the agent's
/// selection and the row they moved to or opened where they are (the
/// suggestions around them follow the conversation). Another call's text
/// starts the list afresh.
pub fn set(state: AppState, text: &str) {
    let text = recent_part(text.trim());
    let previous = state.context.get_untracked();
    if previous.as_deref() == Some(text) || (previous.is_none() && text.is_empty()) {
        return;
    }
    let same_call = previous.as_deref().is_some_and(|previous| continues(previous, text));
    state.context.set((!text.is_empty()).then(|| Arc::<str>::from(text)));
    if !same_call {
        state.selected.set(0);
        state.held.set(None);
    }
}
