//! The root component: layout, global keyboard shortcuts, URL sync.

use leptos::ev;
use leptos::prelude::*;

use crate::components::article_view::{ArticleView, copy_focused_script};
use crate::components::facet_bar::FacetBar;
use crate::components::help_overlay::{HelpButton, HelpOverlay};
use crate::components::report_dialog::ReportDialog;
use crate::components::results::{CopyLink, ResultCount, Results};
use crate::components::search_box::SearchBox;
use crate::components::status_bar::{LocaleSwitcher, StatusBar, UpdateNotice};
use crate::components::whats_new::{WhatsNew, WhatsNewButton};
use crate::host::{call_context, embed, telemetry};
use crate::loading::offline;
use crate::meaning;
use crate::page_focus::focus_search;
use crate::state::{AppState, ArticlePane};
use crate::state::url::UrlState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    call_context::take_from_url(state);
    state.follow_with_details();
    provide_context(state);
    state.start();
    offline::start(state);
    meaning::start(state);
    embed::listen(state);
    telemetry::watch(state);

    let keys = window_event_listener(ev::keydown, move |event| on_global_key(state, &event));
    // Back and Forward move between results and articles.
    let history = window_event_listener(ev::popstate, move |_| {
        let url = UrlState::current();
        // The address holds no query (it stays in the app); a `?q=` link
        // followed in this tab sets it, and leaves the address at once.
        if !url.query.is_empty() {
            UrlState::drop_query_from_address();
            if url.query != state.query.get_untracked() {
                state.query.set(url.query);
            }
        }
        state.filters.set(crate::actions::filters_from(&url.filters));
        state.section.set(url.section);
        state.article_locale.set(url.article_locale);
        match url.article {
            Some(id) => state.open_article(id, false),
            None => state.article.set(ArticlePane::Closed),
        }
    });
    on_cleanup(move || {
        keys.remove();
        history.remove();
    });

    view! {
        <div class="app">
            <header class="top-bar">
                <span class="brand" aria-hidden="true">"Cuecard"</span>
                <SearchBox />
                <LocaleSwitcher />
                <WhatsNewButton />
                <HelpButton />
            </header>
            <UpdateNotice />
            <div class="result-bar">
                <ResultCount />
                <CopyLink />
            </div>
            <FacetBar />
            <main class="content">
                {move || state.fatal.get().map(|message| view! {
                    <div class="notice error" role="alert">
                        <p>{message}</p>
                        <p>{move || state.texts().search_unavailable}</p>
                    </div>
                })}
                {move || state.notice.get().map(|message| view! {
                    <div class="notice warning" role="status"><p>{message}</p></div>
                })}
                {move || (state.index.with(Option::is_none) && state.fatal.with(Option::is_none)).then(|| view! {
                    <p class="loading">{move || state.texts().loading}</p>
                })}
                <Results />
                <ArticleView />
            </main>
            <StatusBar />
            <HelpOverlay />
            <ReportDialog />
            <WhatsNew />
        </div>
    }
}

/// Shortcuts that work wherever the focus is. Keys that are letters only
/// act when the agent is not typing.
fn on_global_key(state: AppState, event: &web_sys::KeyboardEvent) {
    // A dialog (or another control) already acted on it: its Esc closed
    // the dialog, and must not also close the article behind it.
    if event.default_prevented() {
        return;
    }
    let typing = document()
        .active_element()
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    let key = event.key();
    let plain = !event.ctrl_key() && !event.meta_key() && !event.alt_key();
    let article_open = state.article.get_untracked() != ArticlePane::Closed;
    if state.help_open.get_untracked() || state.report_open.get_untracked() || state.whats_new_open.get_untracked() {
        // A dialog handles its own keys (Esc closes it).
        return;
    }
    match key.as_str() {
        "k" | "K" if event.ctrl_key() || event.meta_key() => {
            event.prevent_default();
            focus_search();
        }
        "/" if !typing && plain => {
            event.prevent_default();
            focus_search();
        }
        "?" if !typing => {
            event.prevent_default();
            state.help_open.set(true);
        }
        "Escape" if !typing => {
            event.prevent_default();
            if article_open {
                state.close_article();
            }
            focus_search();
        }
        "c" if !typing && plain && article_open => {
            event.prevent_default();
            copy_focused_script(state);
        }
        "p" if !typing && plain && article_open => {
            event.prevent_default();
            state.toggle_pin();
        }
        "f" if !typing && plain && article_open => {
            event.prevent_default();
            state.report_open.set(true);
        }
        "n" if !typing && plain => {
            event.prevent_default();
            state.whats_new_open.set(true);
        }
        _ => {}
    }
}
