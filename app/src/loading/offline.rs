//! Working when the network does not: registers the service worker
//! (`sw.js`, which keeps one complete, verified version of the app and the
//! bundle), asks it to keep the agent's locale (index and every article,
//! plus the fallback locales) once typing pauses, and watches for a newer
//! published bundle without ever mixing versions: the running app keeps the
//! bundle it loaded until the agent chooses to switch. It looks when the
//! window regains focus (at most every 30 s), when the network returns,
//! when a bundle file is missing or wrong, and every 5 minutes.

use std::sync::Arc;
use std::time::Duration;

use cuecard_engine::manifest::{BundleFile, MANIFEST_FILE, Manifest};
use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::loading::fetch::fetch_text;
use crate::meaning::worker_files::{WORKER_LINKS, worker_files};
use crate::state::{AppState, BUNDLE_DIR, OfflineCopy};

/// How often a long-open app looks for a newer bundle.
const UPDATE_CHECK_EVERY: Duration = Duration::from_secs(5 * 60);

/// The query an update check adds to the manifest's address, which the
/// service worker lets through to the network (`public/sw.js`).
const UPDATE_CHECK_PARAMETER: &str = "check";

/// Focus comes and goes often in an agent desktop: look at most this often
/// on focus.
const FOCUS_CHECK_GAP_MS: f64 = 30_000.0;

thread_local! {
    static LAST_FOCUS_CHECK: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// How long typing must pause before the offline copy is downloaded.
/// Downloading, verifying and storing every file competes with search for
/// the CPU: on a two-core machine a keystroke during the download took
/// 15-40 ms instead of 5-10 (BENCHMARKS.md).
const QUIET_BEFORE_SAVING: Duration = Duration::from_secs(2);

/// The service worker script, next to `index.html`.
const SERVICE_WORKER: &str = "sw.js";

/// Follows the network's state and listens to the service worker.
pub fn start(state: AppState) {
    let online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        leptos::task::spawn_local(check_for_update(state));
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    // An agent coming back to the tab sees a publish at once.
    let visible = window_event_listener(leptos::ev::focus, move |_| {
        let now = js_sys::Date::now();
        if now - LAST_FOCUS_CHECK.get() > FOCUS_CHECK_GAP_MS {
            LAST_FOCUS_CHECK.set(now);
            leptos::task::spawn_local(check_for_update(state));
        }
    });
    std::mem::forget((online, offline, visible));

    let Some(container) = service_workers() else { return };
    // The worker says when it has stored what it was asked to keep.
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let kind = Reflect::get(&data, &JsValue::from_str("type")).ok().and_then(|v| v.as_string());
        if kind.as_deref() == Some("cuecard:kept") {
            let flag = |name: &str| Reflect::get(&data, &JsValue::from_str(name)).ok().and_then(|v| v.as_bool()).unwrap_or(false);
            state.saved_offline.set(if flag("complete") { OfflineCopy::Saved } else { OfflineCopy::Failed });
            if flag("newer") {
                // The server already has another version: offer it now.
                leptos::task::spawn_local(check_for_update(state));
            }
        }
    });
    container.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let window = web_sys::window()?;
    // `cuecard serve`'s preview (its script sets the flag before the app
    // starts) keeps nothing offline: a version after every save would be
    // downloaded again and again.
    if Reflect::get(&window, &JsValue::from_str("cuecardPreview")).ok().is_some_and(|flag| flag.is_truthy()) {
        return None;
    }
    let navigator = window.navigator();
    // Absent on plain http pages other than localhost.
    Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()
        .filter(|has| *has)
        .map(|_| navigator.service_worker())
}

/// Once typing has paused for [`QUIET_BEFORE_SAVING`], asks the service
/// worker to keep everything the agent needs offline
/// ([`ask_to_keep`]).
pub fn keep_for_offline(state: AppState, manifest: &Arc<Manifest>, chain: &[String]) {
    let (manifest, chain) = (manifest.clone(), chain.to_vec());
    let typed = state.query.get_untracked();
    set_timeout(
        move || {
            if state.query.with_untracked(|now| *now == typed) {
                ask_to_keep(state, &manifest, &chain);
            } else {
                keep_for_offline(state, &manifest, &chain);
            }
        },
        QUIET_BEFORE_SAVING,
    );
}

/// Asks the service worker to keep everything the agent needs offline, as
/// one version: the page and its files (with their SRI hashes), the
/// manifest (with the hash of the bytes this app loaded), and for each
/// locale of `chain` the index and every article file, plus the images
/// and the sentence model with its worker's files (with the manifest's and
/// the page's hashes). The service worker adopts it only once all of it is
/// stored and verified.
fn ask_to_keep(state: AppState, manifest: &Arc<Manifest>, chain: &[String]) {
    let Some(container) = service_workers() else { return };
    let Some(manifest_sha256) = state.manifest_sha256.get_untracked() else { return };
    // Registered only now, once the first results are on screen, so that
    // installing the worker never slows the first search. Registering again
    // is a no-op. Failing (an unusual host, a private window) only costs
    // offline use: searching goes on.
    let _ = container.register(SERVICE_WORKER);
    let base = base_url();
    let file = |url: String, key: &str, hash: &str| {
        let entry = Object::new();
        let _ = Reflect::set(&entry, &JsValue::from_str("url"), &JsValue::from_str(&url));
        let _ = Reflect::set(&entry, &JsValue::from_str(key), &JsValue::from_str(hash));
        entry
    };
    let files = Array::new();
    for (url, integrity) in app_files() {
        files.push(&file(url, "integrity", &integrity));
    }
    // The sentence model and the worker that runs it, when a locale of the
    // chain has vectors for it.
    let meaning = manifest.meaning_model.as_ref().filter(|_| chain.iter().filter_map(|tag| manifest.locale(tag)).any(|b| b.meaning.is_some()));
    if meaning.is_some() {
        for worker_file in worker_files(crate::meaning::WORKER) {
            files.push(&file(worker_file.url, "integrity", &worker_file.integrity));
        }
    }
    let bundle_files = chain.iter().filter_map(|tag| manifest.locale(tag)).flat_map(|bundle| bundle.app_files()).chain(&manifest.media).chain(meaning);
    for bundle_file in bundle_files {
        files.push(&file(format!("{base}{BUNDLE_DIR}/{}", bundle_file.path), "sha256", &bundle_file.sha256));
    }
    let lists: Vec<BundleFile> = chain.iter().filter_map(|tag| manifest.locale(tag)).map(|bundle| bundle.buckets.clone()).collect();
    let message = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&message, &JsValue::from_str(name), value);
    };
    set("type", &JsValue::from_str("cuecard:keep"));
    set("page", &JsValue::from_str(&base));
    set("manifest", &file(format!("{base}{BUNDLE_DIR}/{MANIFEST_FILE}"), "sha256", &manifest_sha256));
    set("files", &files);
    state.saved_offline.set(OfflineCopy::Saving);
    leptos::task::spawn_local(async move {
        // The text and article files the locales' bucket lists name: a
        // copy without them would be no copy (it is not asked for).
        for list in &lists {
            match state.buckets(list).await {
                Ok(buckets) => {
                    for bucket_file in buckets.files() {
                        files.push(&file(format!("{base}{BUNDLE_DIR}/{}", bucket_file.path), "sha256", &bucket_file.sha256));
                    }
                }
                Err(message) => {
                    leptos::logging::warn!("not saved for offline use: {message}");
                    state.saved_offline.set(OfflineCopy::Failed);
                    return;
                }
            }
        }
        // `ready` resolves once a worker is active (after the first install).
        let Ok(ready) = container.ready() else { return };
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await else { return };
        let registration: web_sys::ServiceWorkerRegistration = registration.unchecked_into();
        if let Some(worker) = registration.active() {
            let _ = worker.post_message(&message);
        }
    });
}

/// The page's folder URL (`http://host/kb/`), where the bundle lives.
fn base_url() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let without_hash = href.split('#').next().unwrap_or_default();
    let without_query = without_hash.split('?').next().unwrap_or_default();
    match without_query.rfind('/') {
        Some(slash) => without_query[..=slash].to_string(),
        None => without_query.to_string(),
    }
}

/// The app's own files (scripts, wasm, styles, icon) as the page names
/// them, with the SRI hash trunk gave each. A file without one cannot be
/// verified, so it is not kept. Workers' files are kept only when their
/// kb uses them ([`worker_files`]).
fn app_files() -> Vec<(String, String)> {
    let Ok(nodes) = document().query_selector_all("link[href][integrity], script[src][integrity]") else { return Vec::new() };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::Element>().ok())
        .filter(|element| !element.matches(WORKER_LINKS).unwrap_or(false))
        .filter_map(|element| {
            let attribute = if element.tag_name().eq_ignore_ascii_case("script") { "src" } else { "href" };
            let value = element.get_attribute(attribute)?;
            let integrity = element.get_attribute("integrity")?;
            web_sys::Url::new_with_base(&value, &base_url()).ok().map(|u| (u.href(), integrity))
        })
        .collect()
}

/// Checks for a newer bundle now and then (and when the network returns).
pub fn watch_for_updates(state: AppState) {
    let handle = set_interval_with_handle(
        move || leptos::task::spawn_local(check_for_update(state)),
        UPDATE_CHECK_EVERY,
    );
    std::mem::forget(handle);
}

/// Fetches the published manifest (the `check` parameter tells the service
/// worker not to answer or keep it) and offers a switch when it describes
/// another build than the one loaded. The address is the same each time,
/// and the browser revalidates its copy (`If-None-Match`): while nothing
/// was published a check costs the host's 304, not the manifest (761 KB,
/// about 200 KB gzipped, at 36,000 articles: every agent, every 5 minutes).
pub async fn check_for_update(state: AppState) {
    let Some(loaded) = state.manifest.get_untracked() else { return };
    let url = format!("{BUNDLE_DIR}/{MANIFEST_FILE}?{UPDATE_CHECK_PARAMETER}");
    let Ok(text) = fetch_text(&url, true).await else { return };
    // A newer bundle of another format is still newer: the switch reloads
    // the page, and with it the app that reads that format.
    let Ok(published) = serde_json::from_str::<serde_json::Value>(&text) else { return };
    let loaded_files = serde_json::to_value(&*loaded).map(|v| fingerprint(&v)).unwrap_or_default();
    if fingerprint(&published) != loaded_files {
        let built_at = published.get("built_at").and_then(|b| b.as_str()).unwrap_or_default();
        state.update.set(Some(built_at.to_string()));
    }
}

/// What a manifest's content is: the hashes of every file it names, and
/// its format. Rebuilding the same kb gives the same fingerprint.
fn fingerprint(manifest: &serde_json::Value) -> Vec<String> {
    let mut hashes = vec![manifest.get("format_version").map(|v| v.to_string()).unwrap_or_default()];
    for locale in manifest.get("locales").and_then(|l| l.as_array()).into_iter().flatten() {
        // Every part the locale names, however nested (tiers, lists).
        collect_hashes(locale, &mut hashes);
    }
    hashes
}

/// Every `sha256` in `value`, in order.
fn collect_hashes(value: &serde_json::Value, hashes: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            if let Some(hash) = fields.get("sha256").and_then(|h| h.as_str()) {
                hashes.push(hash.to_string());
            }
            fields.values().for_each(|v| collect_hashes(v, hashes));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_hashes(v, hashes)),
        _ => {}
    }
}

/// Switches to the newest bundle: reloads the page, which loads app and
/// bundle together.
pub fn switch_to_update() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
