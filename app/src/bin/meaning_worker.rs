//! Cuecard's meaning-based matching worker: a Web Worker that holds the
//! sentence model and the locale's article vectors, and answers "which
//! articles are nearest to this text" off the main thread, so typing never
//! waits for the encoder. The app asks once the agent pauses
//! (`app/src/meaning/mod.rs`), and for a call's context's passages when
//! it changes; the messages are in `meaning/protocol.rs`. A context's
//! passage vectors are kept until the next context pass, so a growing
//! transcript encodes only its new passages.
//!
//! Parts are fetched relative to the worker's script (the site's root),
//! checked against the manifest's sha256 with Web Crypto, and inflated by
//! the browser's `DecompressionStream`, as the app does its own parts.

#[path = "../loading/inflate.rs"]
mod inflate;
#[path = "../meaning/protocol.rs"]
mod meaning_protocol;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use cuecard_engine::fusion::MEANING_DEPTH;
use cuecard_meaning::{ArticleVectors, Encoder};
use futures::{StreamExt, TryStreamExt};
use js_sys::{ArrayBuffer, Uint8Array};
use meaning_protocol::{FromWorker, Part, ToWorker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Response};

/// Vector buckets downloaded at once.
const PARALLEL_DOWNLOADS: usize = 8;

/// What the worker holds.
#[derive(Default)]
struct Held {
    /// The model's URL and encoder, once loaded.
    model: Option<(String, Rc<Encoder>)>,
    vectors: HashMap<String, Rc<ArticleVectors>>,
    /// A query that came while loading: only the latest is answered.
    waiting: Option<(u32, String, String)>,
    /// The same for a context pass.
    waiting_context: Option<(u32, String, Vec<(String, f32)>)>,
    /// The last context pass's passage vectors, by passage text.
    passage_vectors: HashMap<String, Rc<Vec<f32>>>,
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let held = Rc::new(RefCell::new(Held::default()));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else { return };
        let Ok(message) = serde_json::from_str::<ToWorker>(&text) else { return };
        let held = held.clone();
        match message {
            ToWorker::Load { model, locale, vectors } => spawn_local(async move {
                match load(&held, model, &locale, vectors).await {
                    Ok(()) => {
                        let memory_bytes = f64::from(wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<ArrayBuffer>().byte_length());
                        post(&FromWorker::Ready { locale, memory_bytes });
                        let waiting = held.borrow_mut().waiting.take();
                        if let Some((seq, locale, text)) = waiting {
                            answer(&held, seq, &locale, &text);
                        }
                        let waiting = held.borrow_mut().waiting_context.take();
                        if let Some((seq, locale, passages)) = waiting {
                            answer_context(&held, seq, &locale, passages);
                        }
                    }
                    Err(error) => post(&FromWorker::Failed { error }),
                }
            }),
            ToWorker::Query { seq, locale, text } => answer(&held, seq, &locale, &text),
            ToWorker::Context { seq, locale, passages } => answer_context(&held, seq, &locale, passages),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Started);
}

/// Answers a query, or keeps it until the model and vectors are loaded.
fn answer(held: &Rc<RefCell<Held>>, seq: u32, locale: &str, text: &str) {
    let (encoder, vectors) = {
        let mut held = held.borrow_mut();
        match (held.model.as_ref().map(|(_, e)| e.clone()), held.vectors.get(locale).cloned()) {
            (Some(encoder), Some(vectors)) => (encoder, vectors),
            _ => {
                held.waiting = Some((seq, locale.to_string(), text.to_string()));
                return;
            }
        }
    };
    let started = js_sys::Date::now();
    let query = encoder.embed(text);
    let matches = vectors.nearest(&query, MEANING_DEPTH).into_iter().map(|n| (n.id, n.similarity)).collect();
    let ms = js_sys::Date::now() - started;
    post(&FromWorker::Nearest { seq, locale: locale.to_string(), text: text.to_string(), matches, ms });
}

/// A context pass with more new passages than twice this (a first long
/// context: an agent opening the app well into a call) is answered in two
/// steps: its newest this many first, the list fused from them on screen
/// within a few windows' time, then all of them.
const FIRST_STEP_PASSAGES: usize = 6;

/// Answers a context pass: encodes the passages it has no vector for (the
/// newest first, see [`FIRST_STEP_PASSAGES`]), pools every passage with a
/// vector, and keeps only this pass's vectors.
fn answer_context(held: &Rc<RefCell<Held>>, seq: u32, locale: &str, passages: Vec<(String, f32)>) {
    let (encoder, vectors) = {
        let mut held = held.borrow_mut();
        match (held.model.as_ref().map(|(_, e)| e.clone()), held.vectors.get(locale).cloned()) {
            (Some(encoder), Some(vectors)) => (encoder, vectors),
            _ => {
                held.waiting_context = Some((seq, locale.to_string(), passages));
                return;
            }
        }
    };
    let started = js_sys::Date::now();
    let mut known = std::mem::take(&mut held.borrow_mut().passage_vectors);
    // Oldest first, as the passages come.
    let mut new: Vec<&str> = Vec::new();
    for (text, _) in &passages {
        if !known.contains_key(text) && !new.contains(&text.as_str()) {
            new.push(text);
        }
    }
    let encoded = new.len();
    let first_step = if new.len() > 2 * FIRST_STEP_PASSAGES { new.len() - FIRST_STEP_PASSAGES } else { 0 };
    let (older, newest) = new.split_at(first_step);
    let encode = |texts: &[&str], known: &mut HashMap<String, Rc<Vec<f32>>>| {
        for (text, vector) in texts.iter().zip(encoder.embed_many(texts)) {
            known.insert(text.to_string(), Rc::new(vector));
        }
    };
    let nearest = |known: &HashMap<String, Rc<Vec<f32>>>| -> Vec<(String, f32)> {
        let pooled: Vec<(&[f32], f32)> = passages.iter().filter_map(|(text, weight)| known.get(text).map(|v| (v.as_slice(), *weight))).collect();
        vectors.nearest_pooled(&pooled, MEANING_DEPTH).into_iter().map(|n| (n.id, n.similarity)).collect()
    };
    encode(newest, &mut known);
    if !older.is_empty() {
        let ms = js_sys::Date::now() - started;
        post(&FromWorker::ContextNearest { seq, locale: locale.to_string(), matches: nearest(&known), ms, encoded: newest.len(), complete: false });
        encode(older, &mut known);
    }
    let matches = nearest(&known);
    known.retain(|text, _| passages.iter().any(|(t, _)| t == text));
    held.borrow_mut().passage_vectors = known;
    let ms = js_sys::Date::now() - started;
    post(&FromWorker::ContextNearest { seq, locale: locale.to_string(), matches, ms, encoded, complete: true });
}

async fn load(held: &Rc<RefCell<Held>>, model: Part, locale: &str, vectors: Vec<Part>) -> Result<(), String> {
    let have_model = held.borrow().model.as_ref().is_some_and(|(url, _)| *url == model.url);
    if !have_model {
        let bytes = fetch_part(&model).await?;
        let encoder = Encoder::from_bytes(&bytes).map_err(|e| e.to_string())?;
        held.borrow_mut().model = Some((model.url.clone(), Rc::new(encoder)));
    }
    if !held.borrow().vectors.contains_key(locale) {
        // A few downloads at a time: a 36k-article locale has 2,048 buckets,
        // which one after another took 37 s over loopback.
        let buckets: Vec<ArticleVectors> = futures::stream::iter(vectors.iter().map(|part| async move {
            let bytes = fetch_part(part).await?;
            ArticleVectors::from_bytes(&bytes).map_err(|e| e.to_string())
        }))
        .buffer_unordered(PARALLEL_DOWNLOADS)
        .try_collect()
        .await?;
        held.borrow_mut().vectors.insert(locale.to_string(), Rc::new(ArticleVectors::merge(buckets)));
    }
    Ok(())
}

fn post(message: &FromWorker) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let text = serde_json::to_string(message).expect("a message always serialises");
    let _ = scope.post_message(&JsValue::from_str(&text));
}

/// Downloads a compressed part, checks its hash, and inflates it.
async fn fetch_part(part: &Part) -> Result<Vec<u8>, String> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let failed = |e: JsValue| format!("could not load {} ({})", part.url, e.as_string().unwrap_or_else(|| format!("{e:?}")));
    let response: Response = JsFuture::from(scope.fetch_with_str(&part.url)).await.map_err(failed)?.dyn_into().map_err(failed)?;
    if !response.ok() {
        return Err(format!("could not load {} (HTTP {})", part.url, response.status()));
    }
    let stored: ArrayBuffer = JsFuture::from(response.array_buffer().map_err(failed)?).await.map_err(failed)?.dyn_into().map_err(failed)?;
    let digest = JsFuture::from(scope.crypto().map_err(failed)?.subtle().digest_with_str_and_buffer_source("SHA-256", &stored).map_err(failed)?)
        .await
        .map_err(failed)?;
    let actual: String = Uint8Array::new(&digest).to_vec().iter().map(|b| format!("{b:02x}")).collect();
    if !actual.eq_ignore_ascii_case(&part.sha256) {
        return Err(format!("{} is not the published file (a newer bundle may have replaced it)", part.url));
    }
    let inflated = inflate::inflate(&stored).await.map_err(failed)?;
    Ok(Uint8Array::new(&inflated).to_vec())
}
