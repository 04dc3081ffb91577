//! Inflating a stored (zlib) bundle part with the browser's
//! `DecompressionStream`, so the work and its buffers stay outside wasm
//! memory. The page's `fetch` and the meaning-based matching worker share it.

use js_sys::ArrayBuffer;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableWritablePair, Response};

#[wasm_bindgen]
extern "C" {
    /// The browser's `DecompressionStream` (web-sys has it only behind its
    /// unstable-API flag). It is a readable/writable pair.
    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompression;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompression, JsValue>;
}

/// Inflates a zlib stream.
pub async fn inflate(stored: &ArrayBuffer) -> Result<ArrayBuffer, JsValue> {
    let body = Response::new_with_opt_buffer_source(Some(stored))?.body().ok_or("the part has no body")?;
    let decompression = Decompression::new("deflate")?;
    let inflated = body.pipe_through(decompression.unchecked_ref::<ReadableWritablePair>());
    let response = Response::new_with_opt_readable_stream(Some(&inflated))?;
    JsFuture::from(response.array_buffer()?).await?.dyn_into()
}
