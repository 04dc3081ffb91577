//! Usage signals leave the app here, and only here: what the agent
//! searched (once they paused, opened a result or left the page, not on
//! every keystroke), opened, copied and reported. Each goes to the host
//! page (see [`crate::host::embed`]) and, when the kb names an endpoint
//! (`signals.endpoint`), to it as a keep-alive `fetch` (a beacon with no
//! referrer and no cookies), as `text/plain`
//! JSON (a cross-origin JSON beacon would be refused). What the agent
//! typed is scrubbed first: the kb's own patterns, card numbers, e-mail
//! addresses, long numbers, keeping the kb's own codes. The wire shapes are
//! [`cuecard_engine::signals`].

use std::cell::RefCell;
use std::sync::Arc;

use cuecard_engine::manifest::Manifest;
use cuecard_engine::scrub::Scrubber;
use cuecard_engine::signals::{Event, SEARCH_PAUSE_MS, SearchLog, Signal, session_id};
use leptos::prelude::*;

use crate::host::embed;
use crate::state::{AppState, Choice, ShownArticle, ShownBecause};

/// What every signal of this page shares.
struct Sink {
    session: String,
    searches: SearchLog,
    /// The scrubber of `for_manifest`, compiled once per bundle.
    scrubber: Scrubber,
    for_manifest: Option<Arc<Manifest>>,
    /// Bumped by every keystroke: a pause timer of an older one does nothing.
    typing: u32,
    /// Where the opening of the article with this id came from, when from
    /// the list (an opening that failed leaves it to be replaced).
    opened_from: Option<(String, OpenedFrom)>,
}

/// Where in the list an article was opened from.
enum OpenedFrom {
    /// The results of `query` (scrubbed), at `rank` (from 1).
    Results { rank: usize, query: String },
    /// "Suggested for this call", at `rank`.
    Suggestions { rank: usize },
}

thread_local! {
    static SINK: RefCell<Sink> = RefCell::new(Sink {
        session: new_session_id(),
        searches: SearchLog::default(),
        scrubber: Scrubber::default(),
        for_manifest: None,
        typing: 0,
        opened_from: None,
    });
}

fn new_session_id() -> String {
    let mut random = [0u8; 8];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut random);
    }
    session_id(random)
}

/// Starts counting searches: after every change of the query, a pause of
/// [`SEARCH_PAUSE_MS`] sends it; leaving the page sends it at once.
pub fn watch(state: AppState) {
    Effect::new(move |_| {
        state.query.track();
        let typing = SINK.with_borrow_mut(|sink| {
            sink.typing += 1;
            sink.typing
        });
        set_timeout(
            move || {
                if SINK.with_borrow(|sink| sink.typing) == typing {
                    searched(state);
                }
            },
            std::time::Duration::from_millis(u64::from(SEARCH_PAUSE_MS)),
        );
    });
    let hidden = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            searched(state);
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(hidden);
}

/// `text` scrubbed of customer data, keeping codes the agent's index knows.
pub fn scrubbed(state: AppState, text: &str) -> String {
    let Some(manifest) = state.manifest.get_untracked() else { return String::new() };
    let index = state.index.get_untracked();
    with_scrubber(&manifest, |scrubber| scrubber.scrub(text.trim(), &|word| index.as_ref().is_some_and(|i| i.knows_code(word))))
}

fn with_scrubber<T>(manifest: &Arc<Manifest>, then: impl FnOnce(&Scrubber) -> T) -> T {
    SINK.with_borrow_mut(|sink| {
        if !sink.for_manifest.as_ref().is_some_and(|m| Arc::ptr_eq(m, manifest)) {
            // The indexer checked the patterns; one that still fails withholds
            // the text rather than stopping the app or letting it out unchecked.
            sink.scrubber = Scrubber::or_withholding(&manifest.scrub);
            sink.for_manifest = Some(manifest.clone());
        }
        then(&sink.scrubber)
    })
}

/// `cuecard:searched` for the query on screen, unless it was just sent
/// (or is empty, or its results are not in yet).
pub fn searched(state: AppState) {
    let query = state.query.get_untracked();
    let results = state.results.get_untracked();
    let Some(locale) = state.locale.get_untracked() else { return };
    if results.query != query {
        return;
    }
    let fallback = state.choices.with_untracked(|c| c.iter().filter(|c| matches!(c, Choice::Fallback { .. })).count());
    let query = scrubbed(state, &query);
    if SINK.with_borrow_mut(|sink| sink.searches.should_send(&query, &locale)) {
        send(state, Event::Searched { query, results: results.total + fallback, locale });
    }
}

/// The agent opens the result `id` at `position` of the list: the search
/// counts now, and the opening will carry its rank and query.
pub fn opening_result(state: AppState, id: &str, position: usize) {
    searched(state);
    let query = scrubbed(state, &state.query.get_untracked());
    SINK.with_borrow_mut(|sink| sink.opened_from = Some((id.to_string(), OpenedFrom::Results { rank: position + 1, query })));
}

/// The agent opens the suggestion `id` at `position` of the list.
pub fn opening_suggestion(id: &str, position: usize) {
    SINK.with_borrow_mut(|sink| sink.opened_from = Some((id.to_string(), OpenedFrom::Suggestions { rank: position + 1 })));
}

/// `cuecard:article-opened`.
pub fn opened(state: AppState, shown: &ShownArticle) {
    // The id asked for: the article's, or the old one it moved from.
    let asked = shown.moved_from.as_deref().unwrap_or(&shown.article.id);
    let from = SINK.with_borrow_mut(|sink| sink.opened_from.take()).filter(|(id, _)| id == asked).map(|(_, from)| from);
    let because = match shown.because {
        ShownBecause::Own => "own",
        ShownBecause::Fallback => "fallback",
        ShownBecause::Chosen => "chosen",
    };
    send(
        state,
        Event::Opened {
            id: shown.article.id.clone(),
            title: shown.article.title.clone(),
            locale: shown.locale.clone(),
            shown_because: because.to_string(),
            // The host may hold the old id (a ticket's link): it can update it.
            moved_from: shown.moved_from.clone(),
            rank: match &from {
                Some(OpenedFrom::Results { rank, .. } | OpenedFrom::Suggestions { rank }) => Some(*rank),
                None => None,
            },
            suggested: matches!(from, Some(OpenedFrom::Suggestions { .. })),
            query: match from {
                Some(OpenedFrom::Results { query, .. }) => Some(query),
                _ => None,
            },
        },
    );
}

/// `cuecard:copied`: the agent copied `block` (`script-2`) of the open
/// article, under the heading `section`.
pub fn copied(state: AppState, block: String, section: Option<String>) {
    let crate::state::ArticlePane::Shown(shown) = state.article.get_untracked() else { return };
    send(state, Event::Copied { id: shown.article.id.clone(), locale: shown.locale.clone(), block, section });
}

/// `cuecard:feedback` (the note is scrubbed already).
pub fn feedback(state: AppState, report: &cuecard_engine::feedback::Report) {
    send(state, Event::Feedback { id: report.id.clone(), locale: report.locale.clone(), path: report.path.clone(), note: report.note.clone() });
}

fn send(state: AppState, event: Event) {
    let Some(manifest) = state.manifest.get_untracked() else { return };
    let signal = Signal {
        event,
        bundle: manifest.version_label(),
        session: SINK.with_borrow(|sink| sink.session.clone()),
        at: String::from(js_sys::Date::new_0().to_iso_string()),
    };
    let json = signal.to_json();
    embed::announce(&json);
    if let Some(endpoint) = &manifest.signals_endpoint {
        beacon(endpoint, &json);
    }
}

/// Sends `json` to the collector the way `navigator.sendBeacon` would
/// (outliving the page, a string body as text/plain, so no CORS preflight
/// and never refused), but with no `Referer` and no cookies, whatever the
/// page's own policy: the collector learns what the signal says, nothing
/// of the page it came from.
fn beacon(endpoint: &str, json: &str) {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(json));
    // `keepalive` is not in web-sys's stable API: set on the object itself.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_referrer_policy(web_sys::ReferrerPolicy::NoReferrer);
    let sent = window().fetch_with_str_and_init(endpoint, &init);
    // A collector that is down is no error of the agent's: nothing to report.
    leptos::task::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(sent).await;
    });
}
