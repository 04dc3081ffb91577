//! The search box: an ARIA combobox that searches on every keystroke and
//! drives the result list from the keyboard.

use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::page_focus::SEARCH_INPUT_ID;
use crate::state::{AppState, ArticlePane};

/// Id of the result listbox the combobox controls.
pub const RESULTS_ID: &str = "results";

/// The id of the result option at `position`.
pub fn option_id(position: usize) -> String {
    format!("result-{position}")
}

/// How long typing must pause before the address bar follows the query.
const URL_UPDATE_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

thread_local! {
    static URL_UPDATE: std::cell::RefCell<Option<TimeoutHandle>> = const { std::cell::RefCell::new(None) };
}

#[component]
pub fn SearchBox() -> impl IntoView {
    let state = expect_context::<AppState>();
    let hit_count = move || state.choices.with(|c| c.len());
    let on_keydown = move |event: KeyboardEvent| {
        let count = hit_count();
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                state.select((state.selected.get_untracked() + 1).min(count - 1));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                state.select(state.selected.get_untracked().saturating_sub(1));
            }
            "Enter" => {
                let chosen = state.choices.with(|c| c.get(state.selected.get_untracked()).cloned());
                if let Some(choice) = chosen {
                    event.prevent_default();
                    state.open_choice(&choice);
                }
            }
            "Escape" => {
                event.prevent_default();
                if state.article.get_untracked() != ArticlePane::Closed {
                    state.close_article();
                } else {
                    state.query.set(String::new());
                    state.selected.set(0);
                    state.url_state().apply(false);
                }
            }
            _ => {}
        }
    };
    let expanded = move || (hit_count() > 0 && state.article.with(|a| *a == ArticlePane::Closed)).to_string();
    let active = move || (hit_count() > 0).then(|| option_id(state.selected.get()));
    view! {
        <div class="search">
            <label for=SEARCH_INPUT_ID class="visually-hidden">{move || state.texts().search_label}</label>
            <input
                id=SEARCH_INPUT_ID
                type="search"
                role="combobox"
                aria-controls=RESULTS_ID
                aria-autocomplete="list"
                aria-expanded=expanded
                aria-activedescendant=active
                autocomplete="off"
                spellcheck="false"
                placeholder=move || state.texts().search_placeholder
                prop:value=move || state.query.get()
                on:input=move |event| {
                    state.query.set(event_target_value(&event));
                    // Unchanged, it must not wake what follows the selection
                    // (scrolling it into view forces a layout).
                    if state.selected.get_untracked() != 0 {
                        state.selected.set(0);
                    }
                    if state.article.get_untracked() != ArticlePane::Closed {
                        state.article.set(ArticlePane::Closed);
                        state.article_locale.set(None);
                    }
                    // The address bar follows once typing pauses: writing it
                    // costs about a millisecond, results come first.
                    URL_UPDATE.with_borrow_mut(|pending| {
                        if let Some(previous) = pending.take() {
                            previous.clear();
                        }
                        *pending = set_timeout_with_handle(move || state.url_state().apply(false), URL_UPDATE_AFTER).ok();
                    });
                }
                on:keydown=on_keydown
            />
        </div>
    }
}
