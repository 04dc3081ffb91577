//! The root component: layout, global keyboard shortcuts, URL sync.

use leptos::ev;
use leptos::prelude::*;

use crate::components::article_view::{ArticleView, focus_search};
use crate::components::facet_bar::FacetBar;
use crate::components::results::{ResultCount, Results};
use crate::components::search_box::SearchBox;
use crate::components::status_bar::{LocaleSwitcher, StatusBar};
use crate::state::{AppState, ArticlePane};
use crate::url_state::UrlState;

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    state.start();

    // `/` or Ctrl+K focuses search from anywhere; Esc leaves an article.
    let keys = window_event_listener(ev::keydown, move |event| {
        let typing = document()
            .active_element()
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let key = event.key();
        if (key == "/" && !typing) || (key == "k" && (event.ctrl_key() || event.meta_key())) {
            event.prevent_default();
            focus_search();
        } else if key == "Escape" && !typing && state.article.get_untracked() != ArticlePane::Closed {
            event.prevent_default();
            state.close_article();
            focus_search();
        }
    });
    // Back and Forward move between results and articles.
    let history = window_event_listener(ev::popstate, move |_| {
        let url = UrlState::current();
        if url.query != state.query.get_untracked() {
            state.query.set(url.query);
        }
        state.filters.set(crate::state::filters_from(&url.filters));
        state.section.set(url.section);
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
            </header>
            <ResultCount />
            <FacetBar />
            <main class="content">
                {move || state.fatal.get().map(|message| view! {
                    <div class="notice error" role="alert">
                        <p>{message}</p>
                        <p>"Search is unavailable until this is fixed. Reload the page to try again."</p>
                    </div>
                })}
                {move || (state.index.with(Option::is_none) && state.fatal.with(Option::is_none)).then(|| view! {
                    <p class="loading">"Loading the knowledge base…"</p>
                })}
                <Results />
                <ArticleView />
            </main>
            <StatusBar />
        </div>
    }
}
