//! The locale switcher, the status bar (which knowledge the app holds:
//! build time and kb commit; offline state), and the notice offering a
//! newer published bundle.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::fill;
use crate::loading::offline;
use crate::state::{AppState, ArticlePane, OfflineCopy};
use crate::state::shelf;

#[component]
pub fn LocaleSwitcher() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = move || {
        state.manifest.with(|m| {
            m.as_ref()
                .map(|m| m.locales.iter().map(|l| (l.locale.clone(), l.name.clone(), l.articles)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <select
            class="locale"
            aria-label=move || state.texts().locale_label
            prop:value=move || state.locale_loading.get().or_else(|| state.locale.get()).unwrap_or_default()
            on:change=move |event| {
                let tag = event_target_value(&event);
                shelf::remember_locale(&tag);
                // An open article stays open, in the new locale (or its fallback).
                let open = match state.article.get_untracked() {
                    ArticlePane::Shown(shown) => Some(shown.article.id.clone()),
                    ArticlePane::Loading(id) | ArticlePane::Failed { id, .. } => Some(id),
                    ArticlePane::Closed => None,
                };
                // The article stays on screen until the new locale is loaded.
                state.article_locale.set(None);
                spawn_local(state.switch_locale(tag, open));
            }
        >
            {move || options()
                .into_iter()
                .map(|(tag, name, count)| {
                    let selected = state.locale.get().as_deref() == Some(tag.as_str());
                    let label = match name {
                        Some(name) => format!("{name} · {tag} ({count})"),
                        None => format!("{tag} ({count})"),
                    };
                    view! { <option value=tag.clone() lang=tag selected=selected>{label}</option> }
                })
                .collect_view()}
        </select>
    }
}

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let built = move || {
        let texts = state.texts();
        state.manifest.with(|m| {
            m.as_ref().map(|m| {
                let date = m.built_at.replace('T', " ").trim_end_matches('Z').to_string();
                let commit = m.kb_commit.as_deref().map(|c| format!(" · kb {}", &c[..c.len().min(12)])).unwrap_or_default();
                let app = app_build().map(|hash| format!(" · app {hash}")).unwrap_or_default();
                format!("{}{commit} · Cuecard {}{app}", fill(texts.built, &[("date", &format!("{date} UTC"))]), m.tool_version)
            })
        })
    };
    view! {
        <footer class="status-bar">
            <span
                class="connection"
                data-online=move || state.online.get().to_string()
                data-saved-offline=move || state.saved_offline.get().as_str()
                role="status"
            >
                {move || state.locale_loading.get().map(|tag| fill(state.texts().locale_loading, &[("locale", &state.locale_name(&tag))]))}
                {move || match (state.online.get(), state.saved_offline.get()) {
                    (false, _) => state.texts().offline,
                    (true, OfflineCopy::Saved) => state.texts().saved_offline,
                    (true, OfflineCopy::Failed) => state.texts().offline_not_saved,
                    (true, OfflineCopy::NotAsked | OfflineCopy::Saving) => "",
                }}
            </span>
            <span class="built">{built}</span>
        </footer>
    }
}

/// The app build this page runs, as `cuecard site` named it in the page
/// (`<meta name="cuecard-app">`, the hash `cuecard --version` shows), so a
/// support call can tell which build an agent has.
fn app_build() -> Option<String> {
    let meta = document().query_selector("meta[name=\"cuecard-app\"]").ok().flatten()?;
    meta.get_attribute("content").filter(|hash| !hash.is_empty())
}

/// A newer bundle was published: offer to switch, never force it (the
/// agent may be mid-call).
#[component]
pub fn UpdateNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dismissed = RwSignal::new(false);
    move || {
        let built = state.update.get().filter(|_| !dismissed.get())?;
        let texts = state.texts();
        let date = built.replace('T', " ").trim_end_matches('Z').to_string();
        Some(view! {
            <div class="notice update" role="status">
                <p>{fill(texts.update_available, &[("date", &format!("{date} UTC"))])}</p>
                <button type="button" on:click=|_| offline::switch_to_update()>{texts.switch_now}</button>
                <button type="button" on:click=move |_| dismissed.set(true)>{texts.later}</button>
            </div>
        })
    }
}
