//! Which knowledge the app holds (build time, kb commit) and the locale
//! switcher.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::state::AppState;

#[component]
pub fn LocaleSwitcher() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = move || {
        state.manifest.with(|m| {
            m.as_ref()
                .map(|m| m.locales.iter().map(|l| (l.locale.clone(), l.articles)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <select
            class="locale"
            aria-label="Knowledge base language"
            prop:value=move || state.locale.get().unwrap_or_default()
            on:change=move |event| {
                let tag = event_target_value(&event);
                state.close_article();
                spawn_local(state.switch_locale(tag, None));
            }
        >
            {move || options()
                .into_iter()
                .map(|(tag, count)| {
                    let selected = state.locale.get().as_deref() == Some(tag.as_str());
                    view! { <option value=tag.clone() selected=selected>{format!("{tag} ({count})")}</option> }
                })
                .collect_view()}
        </select>
    }
}

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let text = move || {
        state.manifest.with(|m| {
            m.as_ref().map(|m| {
                let commit = m.kb_commit.as_deref().map(|c| format!(" · kb {}", &c[..c.len().min(12)])).unwrap_or_default();
                format!("Knowledge built {}{commit} · Cuecard {}", m.built_at, m.tool_version)
            })
        })
    };
    view! { <footer class="status-bar">{text}</footer> }
}
