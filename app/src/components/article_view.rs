//! An open article: its title as the page's `<h1>`, its body rendered from
//! the bundle's safe HTML.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MouseEvent;

use crate::state::{AppState, ArticlePane};

#[component]
pub fn ArticleView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let article_ref = NodeRef::<html::Article>::new();
    // Once an article is shown: focus it (so the keyboard scrolls it) and
    // bring the requested section, or the top, into view.
    Effect::new(move |_| {
        if matches!(state.article.get(), ArticlePane::Shown(_)) {
            if let Some(element) = article_ref.get() {
                let _ = element.focus();
            }
            match state.section.get_untracked() {
                Some(section) => scroll_to_section(&section),
                None => window().scroll_to_with_x_and_y(0.0, 0.0),
            }
        }
    });
    // In-article anchors (`#sec-...`) scroll within the article instead of
    // replacing the app's route; links to other articles (`#/a/...`) are
    // followed as usual.
    let on_body_click = move |event: MouseEvent| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return;
        };
        if let Some(button) = target.closest("[data-copy]").ok().flatten() {
            copy_script(button);
            return;
        }
        let Some(anchor) = target.closest("a").ok().flatten() else {
            return;
        };
        let href = anchor.get_attribute("href").unwrap_or_default();
        if href.trim().is_empty() {
            // A link the indexer neutralised (an unsafe URL): go nowhere.
            event.prevent_default();
        } else if let Some(section) = href.strip_prefix('#').filter(|h| !h.is_empty() && !h.starts_with('/')) {
            event.prevent_default();
            state.section.set(Some(section.to_string()));
            state.url_state().apply(false);
            scroll_to_section(section);
        } else if href.starts_with("http://") || href.starts_with("https://") {
            // Outside links never navigate the app (or its CRM frame) away.
            event.prevent_default();
            let _ = window().open_with_url_and_target_and_features(&href, "_blank", "noopener,noreferrer");
        }
    };
    let back = move |_| {
        state.close_article();
        focus_search();
    };
    move || match state.article.get() {
        ArticlePane::Closed => ().into_any(),
        ArticlePane::Loading(id) => view! {
            <p class="article-loading" data-article-id=id>"Opening the article…"</p>
        }
        .into_any(),
        ArticlePane::Failed { id, message } => view! {
            <div class="notice error" role="alert" data-article-id=id>
                <p>{format!("This article could not be opened: {message}.")}</p>
                <button type="button" on:click=back>"Back to results"</button>
            </div>
        }
        .into_any(),
        ArticlePane::Shown(article) => view! {
            <article class="article" data-article-id=article.id.clone() tabindex="-1" node_ref=article_ref>
                <button type="button" class="back" on:click=back>"← Results"<kbd>"Esc"</kbd></button>
                <h1>{article.title.clone()}</h1>
                <div class="article-body" on:click=on_body_click inner_html=article.html.clone()></div>
            </article>
        }
        .into_any(),
    }
}

/// Copies the text of the script card holding `button` to the clipboard and
/// says so on the button for two seconds.
fn copy_script(button: web_sys::Element) {
    let text = button
        .parent_element()
        .and_then(|card| card.query_selector("pre").ok().flatten())
        .and_then(|pre| pre.text_content())
        .unwrap_or_default();
    let clipboard = window().navigator().clipboard();
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text.trim_end())).await.is_ok();
        button.set_text_content(Some(if copied { "Copied ✓" } else { "Copy failed: select the text" }));
        let _ = button.set_attribute("data-copied", if copied { "true" } else { "false" });
        set_timeout(
            move || {
                button.set_text_content(Some("Copy"));
                let _ = button.remove_attribute("data-copied");
            },
            std::time::Duration::from_secs(2),
        );
    });
}

/// Scrolls the element with id `section` to the top of the view.
fn scroll_to_section(section: &str) {
    if let Some(element) = document().get_element_by_id(section) {
        element.scroll_into_view();
    }
}

/// Puts the cursor back in the search box.
pub fn focus_search() {
    if let Some(input) = document()
        .get_element_by_id(super::search_box::SEARCH_INPUT_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}
