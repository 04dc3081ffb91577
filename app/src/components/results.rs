//! The result list: a listbox whose `data-query` names the query its
//! options answer, set in the same render that shows them.

use leptos::prelude::*;

use super::highlighted::HighlightedText;
use super::search_box::{RESULTS_ID, option_id};
use crate::state::{AppState, ArticlePane};

#[component]
pub fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Keep the active option in view as the arrows move it.
    Effect::new(move |_| {
        let position = state.selected.get();
        if let Some(element) = document().get_element_by_id(&option_id(position)) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    let options = move || {
        let results = state.results.get();
        let selected = state.selected.get();
        results
            .hits
            .iter()
            .enumerate()
            .map(|(position, hit)| {
                let id = hit.id.clone();
                let open = hit.clone();
                let section = hit.section.as_ref().map(|s| format!("§ {}", s.title));
                view! {
                    <li
                        role="option"
                        id=option_id(position)
                        class="result"
                        data-article-id=id
                        aria-selected=(position == selected).to_string()
                        on:mousemove=move |_| {
                            if state.selected.get_untracked() != position {
                                state.selected.set(position)
                            }
                        }
                        on:click=move |_| state.open_hit(&open)
                    >
                        <span class="result-title"><HighlightedText text=hit.title.clone() /></span>
                        {section.map(|s| view! { <span class="result-section">{s}</span> })}
                        <span class="result-summary">{hit.summary.clone()}</span>
                        <span class="result-snippet"><HighlightedText text=hit.snippet.clone() /></span>
                    </li>
                }
            })
            .collect_view()
    };
    let hidden = move || state.article.with(|a| *a != ArticlePane::Closed);
    view! {
        <ul
            id=RESULTS_ID
            role="listbox"
            aria-label="Search results"
            class="results"
            // Only results from a loaded index answer a query: until then
            // there is no `data-query`, so nobody mistakes "not loaded" for
            // "no results".
            data-query=move || state.index.with(Option::is_some).then(|| state.results.with(|r| r.query.clone()))
            hidden=hidden
        >
            {options}
        </ul>
    }
}

/// The announcement of how many results there are, for screen readers and
/// for sighted agents alike.
#[component]
pub fn ResultCount() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || {
        let results = state.results.get();
        let browsing = results.query.trim().is_empty() && !state.filters.with(|f| f.is_empty());
        if state.index.with(Option::is_none) || (results.query.trim().is_empty() && !browsing) {
            return String::new();
        }
        let shown = match (results.total, browsing) {
            (0, _) => "No results".to_string(),
            (1, false) => "1 result".to_string(),
            (n, false) => format!("{n} results"),
            (1, true) => "1 article".to_string(),
            (n, true) => format!("{n} articles"),
        };
        if results.partial {
            format!("{shown} (matching some of the words)")
        } else {
            shown
        }
    };
    view! { <div role="status" aria-live="polite" class="result-count">{text}</div> }
}
