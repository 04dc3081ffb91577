//! The `postMessage` API for a host page that embeds Cuecard in an iframe
//! (a CRM or agent desktop): the host sets the query, locale or article
//! (e.g. from the call's reason code) and hears what the agent opened.
//! Messages are plain objects with a `type` starting `cuecard:`; the full
//! list is in EMBEDDING.md.
//!
//! Only the parent window is listened to. When the page URL carries
//! `embed_origin`, messages from any other origin are ignored and reports
//! go to that origin only; without it, reports go to any parent (they
//! carry article ids and titles, nothing about the customer).

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::MessageEvent;

use crate::components::article_view::focus_search;
use crate::state::{AppState, ArticlePane, ShownArticle, ShownBecause};
use crate::url_state::UrlState;

/// The host page's origin from `embed_origin` in the page URL, read once.
pub fn origin() -> Option<String> {
    static ORIGIN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(|| UrlState::current().embed_origin).clone()
}

/// Starts listening to the host page. Does nothing when not in a frame.
pub fn listen(state: AppState) {
    if parent().is_none() {
        return;
    }
    let handle = window_event_listener(leptos::ev::message, move |event: MessageEvent| {
        if !from_host(&event) {
            return;
        }
        let data = event.data();
        let text = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
        match text("type").as_deref() {
            Some("cuecard:search") => {
                let query = text("query").unwrap_or_default();
                let locale = text("locale");
                apply_locale(state, locale, move |state| {
                    state.article.set(ArticlePane::Closed);
                    state.article_locale.set(None);
                    state.selected.set(0);
                    state.query.set(query);
                    state.url_state().apply(false);
                });
            }
            Some("cuecard:open") => {
                if let Some(id) = text("id") {
                    apply_locale(state, text("locale"), move |state| state.open_in_own_locale(id, true));
                }
            }
            Some("cuecard:set-locale") => apply_locale(state, text("locale"), |_| ()),
            Some("cuecard:focus") => focus_search(),
            _ => {}
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}

/// Switches to `locale` first when it is given, known and not current, then
/// runs `then`.
fn apply_locale(state: AppState, locale: Option<String>, then: impl FnOnce(AppState) + 'static) {
    let known = state.manifest.with_untracked(|m| m.as_ref().zip(locale.as_ref()).and_then(|(m, l)| m.locale(l).map(|b| b.locale.clone())));
    match known {
        Some(tag) if state.locale.get_untracked().as_deref() != Some(tag.as_str()) => {
            leptos::task::spawn_local(async move {
                state.article.set(ArticlePane::Closed);
                state.switch_locale(tag, None).await;
                then(state);
            });
        }
        _ => then(state),
    }
}

fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    // A top-level page is its own parent.
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

fn from_host(event: &MessageEvent) -> bool {
    let Some(parent) = parent() else { return false };
    let from_parent = event.source().is_some_and(|source| js_sys::Object::is(&source, &parent));
    let origin_ok = match origin() {
        Some(origin) => event.origin() == origin,
        None => true,
    };
    from_parent && origin_ok
}

/// Sends `{type, ...fields}` to the host page, if there is one.
fn report(kind: &str, fields: &[(&str, JsValue)]) {
    let Some(parent) = parent() else { return };
    let message = Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str(kind));
    for (name, value) in fields {
        let _ = Reflect::set(&message, &JsValue::from_str(name), value);
    }
    let target = origin().unwrap_or_else(|| "*".to_string());
    let _ = parent.post_message(&message, &target);
}

/// `cuecard:ready`: the kb is loaded and searchable.
pub fn announce_ready(state: &AppState) {
    let Some(manifest) = state.manifest.get_untracked() else { return };
    let locales = js_sys::Array::new();
    for locale in &manifest.locales {
        locales.push(&JsValue::from_str(&locale.locale));
    }
    report(
        "cuecard:ready",
        &[
            ("locale", JsValue::from(state.locale.get_untracked())),
            ("locales", locales.unchecked_into()),
            ("builtAt", JsValue::from_str(&manifest.built_at)),
        ],
    );
}

/// `cuecard:locale-changed`.
pub fn announce_locale(tag: &str) {
    report("cuecard:locale-changed", &[("locale", JsValue::from_str(tag))]);
}

/// `cuecard:article-opened`: which article the agent is reading.
pub fn announce_opened(shown: &ShownArticle) {
    let because = match shown.because {
        ShownBecause::Own => "own",
        ShownBecause::Fallback => "fallback",
        ShownBecause::Chosen => "chosen",
    };
    report(
        "cuecard:article-opened",
        &[
            ("id", JsValue::from_str(&shown.article.id)),
            ("title", JsValue::from_str(&shown.article.title)),
            ("locale", JsValue::from_str(&shown.locale)),
            ("shownBecause", JsValue::from_str(because)),
        ],
    );
}
