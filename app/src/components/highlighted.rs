//! Text with the words that matched the query in `<mark>`.

use cuecard_engine::Highlighted;
use leptos::prelude::*;

/// Renders `text` as plain text nodes and `<mark>` elements (never as HTML).
#[component]
pub fn HighlightedText(text: Highlighted) -> impl IntoView {
    text.segments()
        .into_iter()
        .map(|(piece, matched)| {
            let piece = piece.to_string();
            if matched {
                view! { <mark>{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}
