//! The list under the search box: a listbox whose `data-query` names the
//! query its options answer, set in the same render that shows them. It
//! holds the results, then results from the fallback locale for articles
//! the agent's locale lacks; with nothing typed, articles suggested for the
//! call (when the host or the URL gave its context), pinned and recently
//! viewed articles.

use std::collections::VecDeque;
use std::sync::Arc;

use cuecard_engine::{Hit, HitDetails, LocaleIndex};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::highlighted::HighlightedText;
use super::search_box::{RESULTS_ID, option_id};
use crate::i18n::{fill, results_announcement};
use crate::perf;
use crate::state::{AppState, ArticlePane, Choice, RESULT_LIMIT, ResultDetails};

#[component]
pub fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Keep the active option in view as the arrows move it.
    Effect::new(move |_| {
        let position = state.selected.get();
        if let Some(element) = document().get_element_by_id(&option_id(position)) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });
    // Once a locale's index is loaded (its first tier, then the whole
    // index) and its results are painted, run the keystroke path,
    // rendering included, out of sight.
    Effect::new(move |_| {
        let Some(index) = state.index.get() else { return };
        request_animation_frame(move || {
            let queries = index.warm_up_queries().into();
            warm_up(state, index, queries);
        });
    });
    let body = move || {
        let choices = state.choices.get();
        let selected = state.selected.get();
        let own_locale = state.locale.get().unwrap_or_default();
        let details = state.details.get();
        list_views(state, &choices, selected, &details, &own_locale)
    };
    let hidden = move || state.article.with(|a| *a != ArticlePane::Closed);
    let show_hint = move || {
        state.index.with(Option::is_some)
            && state.choices.with(|c| c.is_empty())
            && state.query.with(|q| q.trim().is_empty())
            && state.filters.with(|f| f.is_empty())
            && !hidden()
    };
    view! {
        <ul
            id=RESULTS_ID
            role="listbox"
            aria-label=move || state.texts().results_label
            class="results"
            // Only results from a loaded index answer a query: until then
            // there is no `data-query`, so nobody mistakes "not loaded" for
            // "no results".
            data-query=move || state.index.with(Option::is_some).then(|| state.results.with(|r| r.query.clone()))
            // The whole index may still change the list (the first tier is
            // in use), or snippets, sections and counts may still arrive.
            aria-busy=move || {
                let own_locale = state.locale.get().unwrap_or_default();
                let settled = || {
                    state.details.with(|d| {
                        !d.waiting_for_texts && state.results.with(|r| state.filters.with(|f| d.answer(r, f, &own_locale)))
                    })
                };
                // A meaning-based pass may still merge into the list.
                let meaning_pending = || {
                    state.results.with(|r| {
                        !r.query.trim().is_empty()
                            && state.meaning_status.with(|s| s.may_answer(&own_locale))
                            && !state.meaning_answer.with(|a| crate::state::meaning_pass::answers(a.as_deref(), &r.query, &own_locale))
                    })
                };
                // Or the call context's pass, into the suggestions.
                let context_pending = || {
                    state.results.with(|r| r.query.trim().is_empty())
                        && state.filters.with(|f| f.is_empty())
                        && state.meaning_status.with(|s| s.may_answer(&own_locale))
                        && state.context.with(|context| {
                            context.as_ref().is_some_and(|context| {
                                !state.context_answer.with(|a| crate::state::meaning_pass::settles(a.as_deref(), context, &own_locale))
                            })
                        })
                };
                let pending = state.index.with(Option::is_some) && (state.index_partial.get() || !settled() || meaning_pending() || context_pending());
                pending.to_string()
            }
            hidden=hidden
        >
            {body}
        </ul>
        <p class="start-hint" hidden=move || !show_hint()>{move || state.texts().start_hint}</p>
    }
}

/// The options (and labelled groups) for `choices`: what the listbox holds.
fn list_views(state: AppState, choices: &[Choice], selected: usize, details: &ResultDetails, own_locale: &str) -> Vec<AnyView> {
    let texts = state.texts_untracked();
    let lexical = state.results.get_untracked();
    let lexical_ids: Vec<&str> = lexical.hits.iter().map(|h| h.id.as_str()).collect();
    let option = |position: usize, choice: &Choice| {
        let open = choice.clone();
        let (content, locale) = match choice {
            Choice::Hit(hit) => {
                // Not among the word matches: only the meaning-based pass found it.
                let by_meaning = !lexical_ids.contains(&hit.id.as_str());
                (hit_content(hit, details.of(own_locale, &hit.id), by_meaning.then_some(texts.similar_in_meaning)), None)
            }
            Choice::Suggested { hit, by_meaning } => {
                (hit_content(hit, details.of(own_locale, &hit.id), by_meaning.then_some(texts.similar_in_meaning)), None)
            }
            Choice::Fallback { locale, hit } => (hit_content(hit, details.of(locale, &hit.id), None), Some(locale.clone())),
            Choice::Shelf { entry, .. } => (
                view! { <span class="result-title">{entry.title.clone()}</span> }.into_any(),
                (entry.locale != own_locale).then(|| entry.locale.clone()),
            ),
        };
        view! {
            <li
                role="option"
                id=option_id(position)
                class="result"
                data-article-id=choice.id().to_string()
                data-locale=locale.clone()
                lang=locale
                aria-selected=(position == selected).to_string()
                on:mousemove=move |_| {
                    if state.selected.get_untracked() != position {
                        state.select(position)
                    }
                }
                on:click=move |_| state.open_choice(&open)
            >
                {content}
            </li>
        }
    };
    // Consecutive choices of one kind form a group under a label.
    let mut views = Vec::new();
    let mut position = 0;
    while position < choices.len() {
        let kind = group_of(&choices[position]);
        let end = (position..choices.len()).find(|&p| group_of(&choices[p]) != kind).unwrap_or(choices.len());
        let options: Vec<AnyView> = (position..end).map(|p| option(p, &choices[p]).into_any()).collect();
        let label = match &choices[position] {
            Choice::Hit(_) => None,
            Choice::Fallback { locale, .. } => Some(fill(
                texts.from_locale,
                &[("locale", &state.locale_name(locale)), ("name", &state.locale_name(own_locale))],
            )),
            Choice::Suggested { .. } => Some(texts.suggested.to_string()),
            Choice::Shelf { pinned: true, .. } => Some(texts.pinned.to_string()),
            Choice::Shelf { pinned: false, .. } => Some(texts.recent.to_string()),
        };
        views.push(match label {
            None => options.into_any(),
            Some(label) => {
                let label_id = format!("group-{position}");
                view! {
                    <li role="group" class="result-group" aria-labelledby=label_id.clone()>
                        <span class="group-label" id=label_id.clone()>{label}</span>
                        <ul role="none" class="group-options">{options}</ul>
                    </li>
                }
                .into_any()
            }
        });
        position = end;
    }
    views
}

/// Runs [`LocaleIndex::warm_up_queries`] one per task (a keystroke never
/// waits for more than one), then renders the last one's hits out of sight.
/// Stops when another index has replaced this one.
fn warm_up(state: AppState, index: Arc<LocaleIndex>, mut queries: VecDeque<String>) {
    set_timeout(
        move || {
            if !state.index.with_untracked(|current| current.as_ref().is_some_and(|i| Arc::ptr_eq(i, &index))) {
                return;
            }
            let Some(query) = queries.pop_front() else { return };
            let hits = perf::measure("warm-up", || index.search(&query, RESULT_LIMIT).hits);
            if queries.is_empty() {
                warm_render(state, hits);
            } else {
                warm_up(state, index, queries);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// Renders result rows for `hits` once into a detached list, then drops
/// them: the browser compiles the rendering code on its first call, which
/// the agent's first keystroke would otherwise pay for. Nothing is shown.
fn warm_render(state: AppState, hits: Vec<Hit>) {
    let Ok(list) = document().create_element("ul") else { return };
    let choices: Vec<Choice> = hits.into_iter().map(Choice::Hit).collect();
    let handle = leptos::mount::mount_to(list.unchecked_into(), move || list_views(state, &choices, 0, &ResultDetails::default(), ""));
    drop(handle);
}

fn group_of(choice: &Choice) -> u8 {
    match choice {
        Choice::Hit(_) => 0,
        Choice::Fallback { .. } => 1,
        Choice::Shelf { pinned: true, .. } => 2,
        Choice::Shelf { pinned: false, .. } => 3,
        Choice::Suggested { .. } => 4,
    }
}

/// A hit's row: title and summary at once; its section and snippet once
/// the second stage has them; `why` says why a row without the typed words
/// is there (found by meaning).
fn hit_content(hit: &Hit, details: Option<&HitDetails>, why: Option<&'static str>) -> AnyView {
    let section = details.and_then(|d| d.section.as_ref()).map(|s| format!("§ {}", s.title));
    let snippet = details.map(|d| d.snippet.clone()).unwrap_or_default();
    view! {
        <span class="result-title"><HighlightedText text=hit.title.clone() /></span>
        {why.map(|why| view! { <span class="result-why">{why}</span> })}
        {section.map(|s| view! { <span class="result-section">{s}</span> })}
        <span class="result-summary">{hit.summary.clone()}</span>
        <span class="result-snippet"><HighlightedText text=snippet /></span>
    }
    .into_any()
}

/// The announcement of how many results there are, for screen readers and
/// for sighted agents alike.
#[component]
pub fn ResultCount() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || {
        let results = state.results.get();
        let texts = state.texts();
        let browsing = results.query.trim().is_empty() && !state.filters.with(|f| f.is_empty());
        let reading = state.article.with(|a| *a != ArticlePane::Closed);
        if reading || state.index.with(Option::is_none) || (results.query.trim().is_empty() && !browsing) {
            return String::new();
        }
        let mut shown = results_announcement(texts, results.total, browsing, state.index_partial.get());
        if results.partial {
            shown = format!("{shown} {}", texts.partial);
        }
        if results.cut {
            shown = format!("{shown} {}", texts.query_cut);
        }
        shown
    };
    view! { <div role="status" aria-live="polite" class="result-count">{text}</div> }
}

/// How long "Link copied" shows before the button reads "Copy link" again.
const LINK_COPIED_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// "Copy link": the current search as a link with its query, for an agent
/// who shares it on purpose (the address bar never holds the query).
#[component]
pub fn CopyLink() -> impl IntoView {
    let state = expect_context::<AppState>();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let link = state.url_state().shareable();
        let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
        leptos::task::spawn_local(async move {
            let Some(clipboard) = clipboard else { return };
            if wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&link)).await.is_ok() {
                copied.set(true);
                set_timeout(move || copied.set(false), LINK_COPIED_FOR);
            }
        });
    };
    move || {
        (!state.query.with(|q| q.trim().is_empty())).then(|| {
            view! {
                <button type="button" class="copy-link" on:click=copy>
                    {move || if copied.get() { state.texts().link_copied } else { state.texts().copy_link }}
                </button>
            }
        })
    }
}
