//! The keyboard shortcuts overlay (`?`): a modal dialog listing every
//! shortcut in the agent's language. Esc or Close returns the focus to
//! where it was.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::SHORTCUT_KEYS;
use crate::state::AppState;

/// The `?` button in the top bar, for those who reach for the mouse.
#[component]
pub fn HelpButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <button
            type="button"
            class="help-button"
            aria-label=move || state.texts().help_open
            aria-haspopup="dialog"
            on:click=move |_| state.help_open.set(true)
        >
            "?"
        </button>
    }
}

#[component]
pub fn HelpOverlay() -> impl IntoView {
    let state = expect_context::<AppState>();
    let close_ref = NodeRef::<html::Button>::new();
    let returns_to: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        if state.help_open.get() {
            returns_to.set_value(document().active_element().and_then(|e| e.dyn_into().ok()));
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        }
    });
    let close = move || {
        state.help_open.set(false);
        super::return_focus(returns_to.get_value());
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if !state.help_open.get_untracked() {
            return;
        }
        if event.key() == "Escape" || event.key() == "?" {
            event.prevent_default();
            event.stop_propagation();
            close();
        } else if event.key() == "Tab" {
            // The dialog has one control: the focus stays on it.
            event.prevent_default();
        }
    };
    view! {
        <div class="overlay" hidden=move || !state.help_open.get() on:click=move |_| close()>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="help-title"
                on:click=|event| event.stop_propagation()
                on:keydown=on_keydown
            >
                <h2 id="help-title">{move || state.texts().help_title}</h2>
                <table class="shortcuts">
                    <tbody>
                        {move || {
                            let texts = state.texts();
                            SHORTCUT_KEYS
                                .iter()
                                .zip(texts.shortcuts.iter())
                                .map(|(keys, what)| view! {
                                    <tr><th scope="row"><kbd>{*keys}</kbd></th><td>{*what}</td></tr>
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
                <button type="button" node_ref=close_ref on:click=move |_| close()>{move || state.texts().close}</button>
            </div>
        </div>
    }
}
