//! Fetching bundle files over HTTP, relative to the page (so the site works
//! under any base path), and reading parts as stored: checked against the
//! manifest's hash, inflated by the browser when compressed. A download the
//! page already started (`site::early_fetch`: the manifest and the first
//! tier, while the app itself downloads) is taken instead of a new one,
//! and what the page already made of it (the manifest's text, a part's
//! hash and inflated contents) instead of doing it again.

use cuecard_engine::manifest::{BundleFile, MANIFEST_FILE};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCache, RequestInit, Response};

use crate::loading::error::LoadError;
use crate::loading::inflate::inflate;
use crate::state::BUNDLE_DIR;

/// Why a file could not be fetched.
fn describe(url: &str, error: JsValue) -> LoadError {
    LoadError::Download { url: url.to_string(), why: message_of(error) }
}

/// The message of a JS error.
fn message_of(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "network error".to_string())
}

/// What the page's early script started or prepared for `url` (in
/// `window.__cuecardEarly`, or its `prepared`), taken once: the first
/// tier's entries appear once the manifest has arrived, so for them it
/// waits for the script to have started them (`ready`, which never
/// rejects). `None` if nothing was started.
async fn take_early(url: &str, prepared: bool) -> Option<JsValue> {
    let window = web_sys::window()?;
    let early = js_sys::Reflect::get(&window, &JsValue::from_str("__cuecardEarly")).ok().filter(JsValue::is_object)?;
    let holder = if prepared { js_sys::Reflect::get(&early, &JsValue::from_str("prepared")).ok().filter(JsValue::is_object)? } else { early.clone() };
    let key = JsValue::from_str(url);
    let mut entry = js_sys::Reflect::get(&holder, &key).ok().filter(|e| !e.is_undefined());
    if entry.is_none() && !url.ends_with(MANIFEST_FILE) {
        let ready = js_sys::Reflect::get(&early, &JsValue::from_str("ready")).ok()?.dyn_into::<js_sys::Promise>().ok()?;
        let _ = JsFuture::from(ready).await;
        entry = js_sys::Reflect::get(&holder, &key).ok().filter(|e| !e.is_undefined());
    }
    let started: js_sys::Promise = entry?.dyn_into().ok()?;
    let _ = js_sys::Reflect::delete_property(holder.unchecked_ref::<js_sys::Object>(), &key);
    JsFuture::from(started).await.ok().filter(|v| !v.is_null() && !v.is_undefined())
}

/// The response the page's early script started for `url` while the app
/// was downloading, if it succeeded.
async fn early_response(url: &str) -> Option<Response> {
    let response: Response = take_early(url, false).await?.dyn_into().ok()?;
    response.ok().then_some(response)
}

/// What the page's early script made of `url` while the app was
/// downloading (`site::early_fetch`): the manifest's text, or a part's
/// SHA-256 (Web Crypto, of the bytes as stored) and its inflated contents,
/// so none of that waits for the app. The early response itself is
/// dropped once this is taken.
async fn early_prepared(url: &str) -> Option<JsValue> {
    let prepared = take_early(url, true).await?;
    drop(take_early(url, false).await);
    Some(prepared)
}

/// `object[name]`, if it is set.
fn field(object: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Downloads `url` into a JS buffer. `fresh` bypasses the HTTP cache (for
/// the manifest, the one file whose name does not change between builds).
async fn fetch_buffer(url: &str, fresh: bool) -> Result<ArrayBuffer, LoadError> {
    let window = web_sys::window().ok_or(LoadError::NoWindow)?;
    let response = match early_response(url).await {
        Some(response) => response,
        None => {
            let init = RequestInit::new();
            if fresh {
                init.set_cache(RequestCache::NoCache);
            }
            let request = Request::new_with_str_and_init(url, &init).map_err(|e| describe(url, e))?;
            JsFuture::from(window.fetch_with_request(&request))
                .await
                .map_err(|e| describe(url, e))?
                .dyn_into()
                .map_err(|e| describe(url, e))?
        }
    };
    if !response.ok() {
        return Err(LoadError::Http { url: url.to_string(), status: response.status(), status_text: response.status_text() });
    }
    JsFuture::from(response.array_buffer().map_err(|e| describe(url, e))?)
        .await
        .map_err(|e| describe(url, e))?
        .dyn_into()
        .map_err(|e| describe(url, e))
}

/// Downloads `url` as UTF-8 text.
pub async fn fetch_text(url: &str, fresh: bool) -> Result<String, LoadError> {
    if let Some(text) = early_prepared(url).await.and_then(|p| field(&p, "text")).and_then(|t| t.as_string()) {
        return Ok(text);
    }
    let buffer = fetch_buffer(url, fresh).await?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    String::from_utf8(bytes).map_err(|_| LoadError::NotText { url: url.to_string() })
}

/// Downloads the bundle part `file`, checks its bytes against the
/// manifest's hash, and returns its contents (inflated by the browser's
/// `DecompressionStream` when the part is stored compressed, so the work
/// and its buffers stay outside wasm memory).
pub async fn fetch_part(file: &BundleFile) -> Result<Vec<u8>, LoadError> {
    let url = format!("{BUNDLE_DIR}/{}", file.path);
    let damaged = |e: cuecard_engine::EngineError| LoadError::Damaged(e.to_string());
    if let Some(prepared) = early_prepared(&url).await {
        let sha256 = field(&prepared, "sha256").and_then(|h| h.as_string());
        let bytes = field(&prepared, "bytes").and_then(|b| b.dyn_into::<ArrayBuffer>().ok());
        if let (Some(sha256), Some(bytes)) = (sha256, bytes) {
            file.verify_hash(&sha256).map_err(damaged)?;
            return Ok(Uint8Array::new(&bytes).to_vec());
        }
    }
    let stored = fetch_buffer(&url, false).await?;
    if !cuecard_engine::parts::is_compressed(&file.path) {
        let bytes = Uint8Array::new(&stored).to_vec();
        file.verify(&bytes).map_err(damaged)?;
        return Ok(bytes);
    }
    match sha256_outside_wasm(&stored).await {
        Some(actual) => file.verify_hash(&actual).map_err(damaged)?,
        // No Web Crypto (a page served over plain http from another host):
        // hash in wasm.
        None => file.verify(&Uint8Array::new(&stored).to_vec()).map_err(damaged)?,
    }
    let inflated = inflate(&stored).await.map_err(|e| LoadError::Unreadable { path: url.clone(), why: message_of(e) })?;
    Ok(Uint8Array::new(&inflated).to_vec())
}

/// The lower-case hex SHA-256 of `bytes` by the browser's Web Crypto, so a
/// large part is not copied into wasm memory (which never shrinks) just to
/// be hashed. `None` where Web Crypto is unavailable (insecure contexts).
async fn sha256_outside_wasm(bytes: &ArrayBuffer) -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    if js_sys::Reflect::get(&crypto, &JsValue::from_str("subtle")).ok()?.is_undefined() {
        return None;
    }
    let promise = crypto.subtle().digest_with_str_and_buffer_source("SHA-256", bytes).ok()?;
    let digest = JsFuture::from(promise).await.ok()?;
    Some(Uint8Array::new(&digest).to_vec().iter().map(|b| format!("{b:02x}")).collect())
}

/// Reads a JSON part's contents; a part that does not parse is damaged.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8], file: &BundleFile) -> Result<T, LoadError> {
    serde_json::from_slice(bytes).map_err(|e| LoadError::Unreadable { path: file.path.clone(), why: e.to_string() })
}
