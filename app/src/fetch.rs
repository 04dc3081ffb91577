//! Fetching bundle files over HTTP, relative to the page (so the site works
//! under any base path).

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCache, RequestInit, Response};

/// Why a file could not be fetched, in words for the page.
fn describe(url: &str, error: JsValue) -> String {
    let detail = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "network error".to_string());
    format!("could not download {url} ({detail})")
}

/// Downloads `url`. `fresh` bypasses the HTTP cache (for the manifest,
/// which is the one file whose name does not change between builds).
pub async fn fetch_bytes(url: &str, fresh: bool) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let init = RequestInit::new();
    if fresh {
        init.set_cache(RequestCache::NoCache);
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|e| describe(url, e))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|e| describe(url, e))?
        .dyn_into()
        .map_err(|e| describe(url, e))?;
    if !response.ok() {
        return Err(format!("could not download {url} (HTTP {} {})", response.status(), response.status_text()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|e| describe(url, e))?)
        .await
        .map_err(|e| describe(url, e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Downloads `url` as UTF-8 text.
pub async fn fetch_text(url: &str, fresh: bool) -> Result<String, String> {
    let bytes = fetch_bytes(url, fresh).await?;
    String::from_utf8(bytes).map_err(|_| format!("{url} is not UTF-8 text"))
}
