//! Timings of the keystroke path for the benchmark (`cargo xtask bench`):
//! when the page sets `window.__cuecardBench = []` before the app starts,
//! each measured step pushes `[name, milliseconds]` onto it, and the app's
//! wasm memory is offered as `window.__cuecardWasmMemory` (its size is the
//! tab's wasm footprint). Otherwise nothing is measured and nothing is kept.

use std::sync::OnceLock;

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

const SINK: &str = "__cuecardBench";

fn sink() -> Option<Array> {
    // Looked up once: the benchmark sets it before the app loads.
    static ENABLED: OnceLock<bool> = OnceLock::new();
    let window = web_sys::window()?;
    let enabled = *ENABLED.get_or_init(|| Reflect::get(&window, &JsValue::from_str(SINK)).is_ok_and(|v| Array::is_array(&v)));
    if !enabled {
        return None;
    }
    Reflect::get(&window, &JsValue::from_str(SINK)).ok().map(JsCast::unchecked_into)
}

/// When benchmarking, offers the wasm memory to the page.
pub fn expose_memory() {
    if let (Some(_), Some(window)) = (sink(), web_sys::window()) {
        let _ = Reflect::set(&window, &JsValue::from_str("__cuecardWasmMemory"), &wasm_bindgen::memory());
    }
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Runs `step`, recording how long it took under `name` when benchmarking.
pub fn measure<T>(name: &str, step: impl FnOnce() -> T) -> T {
    let Some(sink) = sink() else { return step() };
    let started = now();
    let result = step();
    let entry = Array::of2(&JsValue::from_str(name), &JsValue::from_f64(now() - started));
    sink.push(&entry);
    result
}

/// Times an async step (from start to its answer), when the page asks.
pub async fn measure_async<T>(name: &str, step: impl std::future::Future<Output = T>) -> T {
    let Some(sink) = sink() else { return step.await };
    let started = now();
    let result = step.await;
    sink.push(&Array::of2(&JsValue::from_str(name), &JsValue::from_f64(now() - started)));
    result
}

/// Records a duration measured elsewhere (the worker's), when benchmarking.
pub fn record(name: &str, milliseconds: f64) {
    if let Some(sink) = sink() {
        sink.push(&Array::of2(&JsValue::from_str(name), &JsValue::from_f64(milliseconds)));
    }
}
