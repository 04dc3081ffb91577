//! Meaning-based matching in the app: starts the worker that holds the
//! sentence model (`bin/meaning_worker.rs`) once the lexical index is in,
//! asks it for the articles nearest to the query when the agent pauses
//! ([`PAUSE`] without a keystroke), and keeps its answer for the list to
//! merge ([`cuecard_engine::fusion`]). The call's context is asked too,
//! whenever it changes: its passages ([`cuecard_engine::passages`]), one
//! pass in flight at a time ([`ContextQueue`]). Lexical results and
//! word-based suggestions appear at once regardless; when the kb has it
//! off, or the model fails to load, the app simply stays lexical.

pub mod protocol;
pub mod worker_files;

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Duration;

use cuecard_engine::fusion::MeaningMatch;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::meaning::protocol::{FromWorker, Part, ToWorker};
use crate::state::{AppState, BUNDLE_DIR};
use crate::state::meaning_pass::{ContextAnswer, ContextQueue, MeaningAnswer, MeaningStatus};

/// How long the agent must stop typing before the meaning-based pass runs.
pub const PAUSE: Duration = Duration::from_millis(250);

/// The worker's name in the built site (`data-bin` in `app/index.html`).
pub const WORKER: &str = "meaning_worker";

thread_local! {
    static RUNNING: RefCell<Option<Worker>> = const { RefCell::new(None) };
    /// Messages for a worker that has not said it started yet.
    static UNSENT: RefCell<Option<Vec<ToWorker>>> = const { RefCell::new(Some(Vec::new())) };
    static NEXT_SEQ: Cell<u32> = const { Cell::new(0) };
    /// The locale whose vectors the worker was last asked to load.
    static LOADING: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Context passes: one in flight, the newest waiting.
    static CONTEXT_PASSES: RefCell<ContextQueue<ToWorker>> = RefCell::new(ContextQueue::default());
}

/// Starts following the agent: loads the worker once the locale's whole
/// index is in, and asks it after each pause.
pub fn start(state: AppState) {
    Effect::new(move |_| {
        let (Some(manifest), Some(locale)) = (state.manifest.get(), state.locale.get()) else { return };
        if matches!(state.meaning_status.get_untracked(), MeaningStatus::Failed) {
            return;
        }
        let files = manifest.meaning_model.as_ref().zip(manifest.locale(&locale).and_then(|l| l.meaning.as_ref()));
        let Some((model, meaning)) = files else {
            state.meaning_status.set(MeaningStatus::Off);
            // Back in a locale with vectors, the worker is asked again (it
            // keeps what it loaded, and says it is ready at once).
            LOADING.with_borrow_mut(|l| *l = None);
            return;
        };
        // The pass is coming for this locale: from now on the list says a
        // later pass may change it, even before the worker starts.
        if !state.meaning_status.get_untracked().may_answer(&locale) {
            state.meaning_status.set(MeaningStatus::Loading(locale.clone()));
        }
        let whole_index_in = state.index.with(Option::is_some) && !state.index_partial.get();
        if !whole_index_in || LOADING.with_borrow(|l| l.as_ref() == Some(&locale)) {
            return;
        }
        if worker(state).is_none() {
            state.meaning_status.set(MeaningStatus::Failed);
            return;
        }
        LOADING.with_borrow_mut(|l| *l = Some(locale.clone()));
        let part = |file: &cuecard_engine::manifest::BundleFile| Part { url: bundle_url(&file.path), sha256: file.sha256.clone() };
        send(&ToWorker::Load { model: part(model), locale: locale.clone(), vectors: meaning.vectors.iter().map(part).collect() });
        // What is in the box already (typed while the index loaded, or
        // from the URL or the host) is asked now: no pause will come.
        let typed = state.query.get_untracked();
        if !typed.trim().is_empty() {
            ask(locale, typed);
        }
    });
    // Each new context (a ticket, a live call's transcript as it grows):
    // its passages, once the pass may come for this locale.
    Effect::new(move |_| {
        let context = state.context.get();
        let status = state.meaning_status.get();
        let index = state.index.get();
        let (Some(context), Some(index), Some(manifest)) = (context, index, state.manifest.get_untracked()) else {
            CONTEXT_PASSES.with_borrow_mut(ContextQueue::clear);
            return;
        };
        let (MeaningStatus::Loading(locale) | MeaningStatus::Ready(locale)) = status else { return };
        if state.context_answer.with_untracked(|a| a.as_ref().is_some_and(|a| a.context == context && a.locale == locale)) {
            return;
        }
        // The kb's own patterns out first, as for the word ranking.
        let scrubber = cuecard_engine::scrub::Scrubber::or_withholding(&manifest.scrub);
        let text = scrubber.scrub(&context, &|word| index.knows_code(word));
        let passages: Vec<(String, f32)> = index.context_passages(&text).into_iter().map(|p| (p.text, p.weight)).collect();
        let seq = next_seq();
        if passages.is_empty() {
            // Nothing the kb is about: no pass comes, words alone rank.
            state.context_answer.set(Some(Arc::new(ContextAnswer { locale, context, matches: Vec::new(), complete: true })));
            return;
        }
        let pass = ToWorker::Context { seq, locale, passages };
        if let Some(now) = CONTEXT_PASSES.with_borrow_mut(|queue| queue.offer(seq, context, pass)) {
            send(&now);
        }
    });
    // After each keystroke, a pause; then one question for what is typed.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = state.query.get();
        generation.update_value(|g| *g += 1);
        let asked_at = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() != asked_at || text.trim().is_empty() {
                    return;
                }
                let status = state.meaning_status.get_untracked();
                let (MeaningStatus::Loading(locale) | MeaningStatus::Ready(locale)) = status else { return };
                ask(locale, text);
            },
            PAUSE,
        );
    });
}

/// Asks the worker for the articles nearest to `text` in `locale`.
fn ask(locale: String, text: String) {
    send(&ToWorker::Query { seq: next_seq(), locale, text });
}

fn next_seq() -> u32 {
    NEXT_SEQ.with(|s| {
        s.set(s.get().wrapping_add(1));
        s.get()
    })
}

/// The worker, started on first use.
fn worker(state: AppState) -> Option<Worker> {
    if let Some(worker) = RUNNING.with_borrow(Clone::clone) {
        return Some(worker);
    }
    let worker = Worker::new(&crate::meaning::worker_files::worker_loader(WORKER)).ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else { return };
        let Ok(message) = serde_json::from_str::<FromWorker>(&text) else { return };
        heard(state, message);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        web_sys::console::warn_1(&"Cuecard: the meaning-based matching worker failed; searching lexically".into());
        state.meaning_status.set(MeaningStatus::Failed);
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    RUNNING.with_borrow_mut(|w| *w = Some(worker.clone()));
    Some(worker)
}

fn heard(state: AppState, message: FromWorker) {
    match message {
        FromWorker::Started => {
            for message in UNSENT.with_borrow_mut(Option::take).unwrap_or_default() {
                send(&message);
            }
        }
        FromWorker::Ready { locale, memory_bytes } => {
            crate::perf::record("meaning-worker-memory-mb", memory_bytes / 1e6);
            if state.meaning_status.get_untracked() == MeaningStatus::Loading(locale.clone()) {
                state.meaning_status.set(MeaningStatus::Ready(locale));
            }
        }
        FromWorker::Failed { error } => {
            web_sys::console::warn_1(&format!("Cuecard: meaning-based matching is off for this session: {error}").into());
            CONTEXT_PASSES.with_borrow_mut(ContextQueue::clear);
            state.meaning_status.set(MeaningStatus::Failed);
        }
        FromWorker::ContextNearest { seq, locale, matches, ms, encoded, complete } => {
            let matches = matches.into_iter().map(|(id, similarity)| MeaningMatch { id, similarity }).collect();
            if !complete {
                // A first step: shown, the pass still in flight.
                crate::perf::record("meaning-context-first-step", ms);
                let Some(context) = CONTEXT_PASSES.with_borrow(|queue| queue.in_flight(seq)) else { return };
                state.context_answer.set(Some(Arc::new(ContextAnswer { locale, context, matches, complete })));
                return;
            }
            crate::perf::record("meaning-context", ms);
            crate::perf::record("meaning-context-passages-encoded", encoded as f64);
            let (context, next) = CONTEXT_PASSES.with_borrow_mut(|queue| queue.answered(seq));
            if let Some(next) = next {
                send(&next);
            }
            let Some(context) = context else { return };
            state.context_answer.set(Some(Arc::new(ContextAnswer { locale, context, matches, complete })));
        }
        FromWorker::Nearest { locale, text, matches, ms, .. } => {
            crate::perf::record("meaning", ms);
            if state.query.get_untracked() != text {
                return;
            }
            let matches = matches.into_iter().map(|(id, similarity)| MeaningMatch { id, similarity }).collect();
            state.meaning_answer.set(Some(Arc::new(MeaningAnswer { locale, text, matches })));
        }
    }
}

/// Posts `message` to the worker, or holds it until the worker started.
fn send(message: &ToWorker) {
    let held = UNSENT.with_borrow_mut(|unsent| match unsent {
        Some(unsent) => {
            // Only the latest query matters (a context pass waits in its
            // queue: at most one is sent).
            unsent.retain(|m| !matches!((m, message), (ToWorker::Query { .. }, ToWorker::Query { .. })));
            unsent.push(message.clone());
            true
        }
        None => false,
    });
    if held {
        return;
    }
    let text = serde_json::to_string(message).expect("a message always serialises");
    RUNNING.with_borrow(|worker| {
        if let Some(worker) = worker {
            let _ = worker.post_message(&wasm_bindgen::JsValue::from_str(&text));
        }
    });
}

/// A bundle part's URL for the worker (whose script sits beside the page).
fn bundle_url(path: &str) -> String {
    format!("./{BUNDLE_DIR}/{path}")
}
