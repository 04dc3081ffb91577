//! The `postMessage` API for a host page that embeds Cuecard in an iframe
//! (a CRM or agent desktop): the host sets the query, locale or article
//! (e.g. from the call's reason code) and hears what the agent opened.
//! Messages are plain objects with a `type` starting `cuecard:`; the full
//! list is in EMBEDDING.md.
//!
//! Who may talk to the app is the knowledge team's decision, baked into the
//! bundle (`embed_hosts`, from `cuecard.yaml`): only the parent window, and
//! only when its origin is on that list. With no list the app talks to no
//! parent at all. The page URL's `embed_origin` may narrow the list to one
//! origin, never widen it (the framing page writes that URL). Reports go to
//! the host's exact origin only, never `*`: when the list alone does not
//! say which origin that is (a wildcard, or several hosts), it is learnt
//! from `location.ancestorOrigins` or from the host's first accepted
//! message, and reports wait until then.

use std::cell::RefCell;

use cuecard_engine::manifest::Manifest;
use cuecard_engine::origins::EmbedPolicy;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::MessageEvent;

use crate::page_focus::focus_search;
use crate::state::{AppState, ArticlePane};
use crate::state::url::UrlState;

/// Reports kept while the host's exact origin is not known yet.
const MAX_WAITING_REPORTS: usize = 16;

/// The link to the host page: who may talk, and who is talking.
#[derive(Default)]
struct HostLink {
    /// None until the manifest is loaded: until then nobody is heard.
    policy: Option<EmbedPolicy>,
    /// The host's exact origin, once known.
    origin: Option<String>,
    waiting: Vec<Object>,
}

thread_local! {
    static HOST: RefCell<HostLink> = RefCell::new(HostLink::default());
}

/// `embed_origin` from the page URL, read once (kept in the URL the app writes).
pub fn origin() -> Option<String> {
    static ORIGIN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(|| UrlState::current().embed_origin).clone()
}

/// Takes the bundle's allowed hosts, narrowed by the URL. Called once the
/// manifest is loaded.
pub fn configure(manifest: &Manifest) {
    if parent().is_none() {
        return;
    }
    let policy = EmbedPolicy::from_sources(&manifest.embed_hosts).narrowed_to(origin().as_deref());
    let known = policy.only_origin().or_else(|| ancestor_origin().filter(|o| policy.allows(o)));
    HOST.with_borrow_mut(|host| {
        host.policy = Some(policy);
        host.origin = known;
    });
}

/// The parent's origin as the browser tells it (Chromium, Safari).
fn ancestor_origin() -> Option<String> {
    let location = web_sys::window()?.location();
    let list = Reflect::get(&location, &JsValue::from_str("ancestorOrigins")).ok()?;
    let first = Reflect::get(&list, &JsValue::from_f64(0.0)).ok()?;
    first.as_string()
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
                // An old help-centre article URL names the article it became.
                if let Some(id) = text("id").map(|id| cuecard_engine::links::imported_article_id(&id)) {
                    apply_locale(state, text("locale"), move |state| state.open_in_own_locale(id, true));
                }
            }
            Some("cuecard:set-locale") => apply_locale(state, text("locale"), |_| ()),
            Some("cuecard:context") => crate::host::call_context::set(state, &text("text").unwrap_or_default()),
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

/// Whether `event` comes from the parent, from an allowed origin (and the
/// same one as before). The first accepted message teaches the host's
/// origin, and the reports that waited for it are sent.
fn from_host(event: &MessageEvent) -> bool {
    let Some(parent) = parent() else { return false };
    if !event.source().is_some_and(|source| js_sys::Object::is(&source, &parent)) {
        return false;
    }
    let sender = event.origin();
    let (accepted, to_send) = HOST.with_borrow_mut(|host| {
        let allowed = host.policy.as_ref().is_some_and(|p| p.allows(&sender));
        match &host.origin {
            Some(known) => (allowed && *known == sender, Vec::new()),
            None if allowed => {
                host.origin = Some(sender.clone());
                (true, std::mem::take(&mut host.waiting))
            }
            None => (false, Vec::new()),
        }
    });
    for message in to_send {
        let _ = parent.post_message(&message, &sender);
    }
    accepted
}

/// Sends `{type, ...fields}` to the host page.
fn report(kind: &str, fields: &[(&str, JsValue)]) {
    let message = Object::new();
    let _ = Reflect::set(&message, &JsValue::from_str("type"), &JsValue::from_str(kind));
    for (name, value) in fields {
        let _ = Reflect::set(&message, &JsValue::from_str(name), value);
    }
    post(message);
}

/// Sends a usage signal (its JSON, see [`crate::host::telemetry`]) to the host page.
pub fn announce(signal_json: &str) {
    if parent().is_none() {
        return;
    }
    if let Ok(message) = js_sys::JSON::parse(signal_json) {
        post(message.unchecked_into());
    }
}

/// Posts `message` to the host page: to its exact origin, once known;
/// nothing when no host is allowed.
fn post(message: Object) {
    let Some(parent) = parent() else { return };
    let target = HOST.with_borrow_mut(|host| {
        let policy = host.policy.as_ref()?;
        if policy.is_empty() {
            return None;
        }
        if host.origin.is_none() && host.waiting.len() < MAX_WAITING_REPORTS {
            host.waiting.push(message.clone());
        }
        host.origin.clone()
    });
    if let Some(target) = target {
        let _ = parent.post_message(&message, &target);
    }
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
