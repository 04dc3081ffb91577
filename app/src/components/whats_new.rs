//! "What's new" (key `n`, or its button in the top bar): a modal dialog
//! listing the articles changed in the last 14 days, newest first, with
//! what changed and regulated articles marked. It reads the change feeds of
//! the agent's locale and its fallbacks (fetched when opened, never on the
//! way to the first results); a fallback locale's article is listed when
//! the agent's locale lacks it, as opening it would show it. The bundle
//! holds only what its audience may see, drafts never. Esc, `n` or Close
//! returns the focus to where it was.

use std::sync::Arc;

use cuecard_engine::changes::{ChangeFeed, WHATS_NEW_DAYS, whats_new};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::trust_bar::today;
use crate::i18n::{fill, updated_ago};
use crate::state::AppState;

/// The feeds as loaded for the open dialog.
#[derive(Clone)]
enum Feeds {
    Loading,
    Loaded(Arc<Vec<(String, ChangeFeed)>>),
    Failed,
}

/// The top bar's button, for those who reach for the mouse.
#[component]
pub fn WhatsNewButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <button type="button" class="whats-new-button" aria-haspopup="dialog" on:click=move |_| state.whats_new_open.set(true)>
            {move || state.texts().whats_new}
        </button>
    }
}

#[component]
pub fn WhatsNew() -> impl IntoView {
    let state = expect_context::<AppState>();
    let close_ref = NodeRef::<html::Button>::new();
    let dialog_ref = NodeRef::<html::Div>::new();
    let returns_to: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    let feeds = RwSignal::new(Feeds::Loading);
    // Which load is the latest: an older one that ends later is dropped.
    let loads = StoredValue::new(0u32);
    // On opening: remember where the focus was and take it.
    Effect::new(move |was_open: Option<bool>| {
        let open = state.whats_new_open.get();
        if open && was_open != Some(true) {
            returns_to.set_value(document().active_element().and_then(|e| e.dyn_into().ok()));
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        }
        open
    });
    // While open: the feeds of the agent's locale and its fallbacks, again
    // when the locale or the bundle changes (or arrives).
    Effect::new(move |_| {
        let open = state.whats_new_open.get();
        // Tracks both: a new bundle or locale loads the feeds again.
        let ready = state.manifest.with(Option::is_some) & state.locale.with(Option::is_some);
        feeds.set(Feeds::Loading);
        loads.update_value(|n| *n += 1);
        let this_load = loads.get_value();
        if open && ready {
            spawn_local(async move {
                let loaded = match state.change_feeds().await {
                    Ok(loaded) => Feeds::Loaded(Arc::new(loaded)),
                    Err(message) => {
                        leptos::logging::warn!("\"What's new\" could not be loaded: {message}");
                        Feeds::Failed
                    }
                };
                if loads.get_value() == this_load {
                    feeds.set(loaded);
                }
            });
        }
    });
    let close = move |restore_focus: bool| {
        state.whats_new_open.set(false);
        if restore_focus {
            super::return_focus(returns_to.get_value());
        }
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if !state.whats_new_open.get_untracked() {
            return;
        }
        match event.key().as_str() {
            "Escape" | "n" => {
                event.prevent_default();
                event.stop_propagation();
                close(true);
            }
            "Tab" => keep_focus_inside(&event, dialog_ref.get()),
            _ => {}
        }
    };
    let body = move || {
        let texts = state.texts();
        let days = WHATS_NEW_DAYS.to_string();
        match feeds.get() {
            Feeds::Loading => view! { <p class="loading">{texts.loading}</p> }.into_any(),
            Feeds::Failed => view! { <p class="notice warning" role="status">{texts.whats_new_failed}</p> }.into_any(),
            Feeds::Loaded(feeds) => {
                let own = state.locale.get_untracked().unwrap_or_default();
                let own_index = state.index.get_untracked();
                let fallback = state.fallback_index.get_untracked();
                let today = today();
                let earlier_has = |position: usize, id: &str| match position {
                    0 => own_index.as_ref().is_some_and(|index| index.has_article(id)),
                    _ => fallback.as_ref().is_some_and(|(tag, index)| feeds.get(position).is_some_and(|(t, _)| t == tag) && index.has_article(id)),
                };
                let items = whats_new(&feeds, today, WHATS_NEW_DAYS, earlier_has);
                if items.is_empty() {
                    return view! { <p class="empty">{fill(texts.whats_new_empty, &[("n", &days)])}</p> }.into_any();
                }
                let rows = items
                    .into_iter()
                    .map(|item| {
                        let article = item.article;
                        let id = article.id.clone();
                        let title = match item.locale == own {
                            true => article.title.clone(),
                            false => format!("{}: {}", state.locale_name(item.locale), article.title),
                        };
                        let days_ago = article.change.days_ago(today).unwrap_or(0);
                        let open = {
                            let id = id.clone();
                            move |event: web_sys::MouseEvent| {
                                event.prevent_default();
                                close(false);
                                state.open_in_own_locale(id.clone(), true);
                            }
                        };
                        view! {
                            <li data-article-id=id.clone() data-locale=item.locale.to_string()>
                                <a href=format!("#/a/{id}") lang=item.locale.to_string() on:click=open>{title}</a>
                                {article.regulated.then(|| view! { <span class="regulated">{texts.regulated}</span> })}
                                <time datetime=article.change.date.clone()>{updated_ago(texts, days_ago)}</time>
                                {article.change.note.clone().map(|note| view! { <p class="note" lang=item.locale.to_string()>{note}</p> })}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="intro">{fill(texts.whats_new_intro, &[("n", &days)])}</p>
                    <ul class="changes">{rows}</ul>
                }
                .into_any()
            }
        }
    };
    view! {
        <div class="overlay" hidden=move || !state.whats_new_open.get() on:click=move |_| close(true)>
            <div
                class="dialog whats-new"
                role="dialog"
                aria-modal="true"
                aria-labelledby="whats-new-title"
                aria-busy=move || matches!(feeds.get(), Feeds::Loading).to_string()
                node_ref=dialog_ref
                on:click=|event| event.stop_propagation()
                on:keydown=on_keydown
            >
                <h2 id="whats-new-title">{move || state.texts().whats_new}</h2>
                {move || state.whats_new_open.get().then(body)}
                <button type="button" node_ref=close_ref on:click=move |_| close(true)>{move || state.texts().close}</button>
            </div>
        </div>
    }
}

/// Tab and Shift+Tab cycle through the dialog's links and buttons.
fn keep_focus_inside(event: &web_sys::KeyboardEvent, dialog: Option<web_sys::HtmlDivElement>) {
    let Some(dialog) = dialog else { return };
    let Ok(found) = dialog.query_selector_all("a[href], button") else { return };
    let focusable: Vec<web_sys::HtmlElement> = (0..found.length()).filter_map(|i| found.item(i)?.dyn_into().ok()).collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else { return };
    let active = document().active_element();
    let at = |element: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(element)));
    let wrap_to = match event.shift_key() {
        true if at(first) => Some(last),
        false if at(last) => Some(first),
        _ => None,
    };
    if let Some(target) = wrap_to {
        event.prevent_default();
        let _ = target.focus();
    }
}
