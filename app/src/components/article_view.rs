//! An open article: its title as the page's `<h1>`, the trust bar, honest
//! notices (moved from an old id; changed since the agent last opened it;
//! its locale: fallback, outdated translation), its body
//! rendered from the bundle's safe HTML, and where to go next (related
//! articles, other locales).

use std::sync::Arc;

use cuecard_engine::links::{LinkKind, classify};
use cuecard_engine::model::ArticleLink;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MouseEvent;

use super::trust_bar::TrustBar;
use crate::i18n::fill;
use crate::page_focus::focus_search;
use crate::state::{AppState, ArticlePane, ShownArticle, ShownBecause};

#[component]
pub fn ArticleView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let article_ref = NodeRef::<html::Article>::new();
    // Once an article is shown: focus it (so the keyboard scrolls it) and
    // bring the requested section, or the top, into view.
    Effect::new(move |_| {
        if matches!(state.article.get(), ArticlePane::Shown(_)) {
            if let Some(element) = article_ref.get() {
                let _ = element.focus();
            }
            match state.section.get_untracked() {
                Some(section) => scroll_to_section(&section),
                None => window().scroll_to_with_x_and_y(0.0, 0.0),
            }
        }
    });
    // In-article anchors (`#sec-...`) scroll within the article instead of
    // replacing the app's route; links to other articles (`#/a/...`) are
    // followed as usual.
    let on_body_click = move |event: MouseEvent| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
            return;
        };
        if let Some(button) = target.closest("[data-copy]").ok().flatten() {
            copy_script(button, state);
            return;
        }
        let Some(anchor) = target.closest("a").ok().flatten() else {
            return;
        };
        let href = anchor.get_attribute("href").unwrap_or_default();
        // The same classification the indexer used when it wrote the link,
        // reading the URL the way the browser does (scheme in any case,
        // `//host`, stray spaces): nothing unclassified navigates.
        match classify(&href) {
            LinkKind::App => {
                if let Some(section) = href.strip_prefix('#').filter(|h| !h.is_empty() && !h.starts_with('/')) {
                    event.prevent_default();
                    state.section.set(Some(section.to_string()));
                    state.url_state().apply(false);
                    scroll_to_section(section);
                } else if let Some(route) = href.strip_prefix("#/a/") {
                    // Another article: found through the agent's fallback chain.
                    event.prevent_default();
                    let (id, section) = route.split_once('#').map_or((route, None), |(id, s)| (id, Some(s.to_string())));
                    let id = js_sys::decode_uri_component(id).map(String::from).unwrap_or_else(|_| id.to_string());
                    state.article_locale.set(None);
                    state.section.set(section);
                    state.open_article(id, true);
                }
                // `?q=...`: a search in this app, as the link says.
            }
            LinkKind::Outside(url) => {
                // Outside links never navigate the app (or its CRM frame) away.
                event.prevent_default();
                let _ = window().open_with_url_and_target_and_features(&url, "_blank", "noopener,noreferrer");
            }
            // The agent's mail or phone client; the page stays.
            LinkKind::Contact => {}
            LinkKind::Neutralised => event.prevent_default(),
        }
    };
    let back = move |_| {
        state.close_article();
        focus_search();
    };
    move || match state.article.get() {
        ArticlePane::Closed => ().into_any(),
        ArticlePane::Loading(id) => view! {
            <p class="article-loading" data-article-id=id>{move || state.texts().opening}</p>
        }
        .into_any(),
        ArticlePane::Failed { id, message } => view! {
            <div class="notice error" role="alert" data-article-id=id>
                <p>{move || format!("{} {message}.", state.texts().could_not_open)}</p>
                {move || state.update.with(Option::is_some).then(|| view! { <p>{state.texts().open_in_newer}</p> })}
                <button type="button" on:click=back>{move || state.texts().back_to_results}</button>
            </div>
        }
        .into_any(),
        ArticlePane::Shown(shown) => {
            let article = &shown.article;
            let pinned = {
                let (locale, id) = (shown.locale.clone(), article.id.clone());
                Signal::derive(move || state.pinned.with(|p| p.contains(&locale, &id)))
            };
            view! {
                <article
                    class="article"
                    data-article-id=article.id.clone()
                    data-locale=shown.locale.clone()
                    lang=shown.locale.clone()
                    tabindex="-1"
                    node_ref=article_ref
                >
                    <div class="article-actions" lang=move || state.locale.get()>
                        <button type="button" class="back" on:click=back>{move || state.texts().back}<kbd>"Esc"</kbd></button>
                        <button type="button" class="pin" aria-pressed=move || pinned.get().to_string() on:click=move |_| state.toggle_pin()>
                            {move || if pinned.get() { state.texts().unpin } else { state.texts().pin }}
                            <kbd>"p"</kbd>
                        </button>
                        <button type="button" class="report" aria-haspopup="dialog" on:click=move |_| state.report_open.set(true)>
                            {move || state.texts().report_problem}
                            <kbd>"f"</kbd>
                        </button>
                    </div>
                    <h1>{article.title.clone()}</h1>
                    <LocaleNotice shown=shown.clone() />
                    <TrustBar info=article.info.clone() />
                    <div class="article-body" on:click=on_body_click inner_html=article.html.clone()></div>
                    <ArticleLinks shown=shown.clone() />
                </article>
            }
            .into_any()
        }
    }
}

/// Says when the article was opened by an old id, and what changed since
/// the agent last opened it; and honestly which
/// locale it is in, when it is not the agent's, and when a translation is
/// older than its source.
#[component]
fn LocaleNotice(shown: Arc<ShownArticle>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let own = state.locale.get_untracked().unwrap_or_default();
    let texts = state.texts();
    let here = state.locale_name(&shown.locale);
    let own_name = state.locale_name(&own);
    let mut notices = Vec::new();
    if let Some(old) = &shown.moved_from {
        notices.push(view! {
            <div class="notice moved" role="note" lang=own.clone() data-moved-from=old.clone()>
                <p>{fill(texts.moved_notice, &[("old", old)])}</p>
            </div>
        }.into_any());
    }
    if !shown.unseen_changes.is_empty() {
        let changes = shown
            .unseen_changes
            .iter()
            .map(|change| {
                let (date, shown_date) = (change.date.clone(), change.date.clone());
                let note = change.note.clone().map(|note| format!(": {note}"));
                view! { <li><time datetime=date>{shown_date}</time>{note}</li> }
            })
            .collect_view();
        notices.push(view! {
            <div class="notice changed" role="note" lang=own.clone()>
                <p><strong>{texts.changed_since}</strong></p>
                <ul lang=shown.locale.clone()>{changes}</ul>
            </div>
        }.into_any());
    }
    match shown.because {
        ShownBecause::Own => {}
        ShownBecause::Fallback => {
            notices.push(view! {
                <div class="notice fallback" role="note" lang=own.clone()>
                    <p>{fill(texts.fallback_notice, &[("locale", &here), ("name", &own_name)])}</p>
                </div>
            }.into_any());
        }
        ShownBecause::Chosen => {
            let own_version = shown.article.info.other_locales.iter().find(|l| l.locale == own).cloned();
            notices.push(view! {
                <div class="notice other-locale" role="note" lang=own.clone()>
                    <p>{fill(texts.reading_other_locale, &[("locale", &here)])}</p>
                    {own_version.map(|link| {
                        let label = fill(texts.read_source, &[("locale", &own_name)]);
                        view! { <button type="button" on:click=move |_| state.open_in_own_locale(link.id.clone(), true)>{label}</button> }
                    })}
                </div>
            }.into_any());
        }
    }
    if let Some(translation) = shown.article.info.translation.clone().filter(|t| t.outdated) {
        let source_name = state.locale_name(&translation.source_locale);
        let label = fill(texts.read_source, &[("locale", &source_name)]);
        notices.push(view! {
            <div class="notice outdated" role="note" lang=own.clone()>
                <p>{fill(texts.outdated_notice, &[("locale", &source_name)])}</p>
                <button type="button" on:click=move |_| state.open_in_locale(translation.source_id.clone(), translation.source_locale.clone())>
                    {label}
                </button>
            </div>
        }.into_any());
    }
    notices
}

/// Related articles and the article's other locales.
#[component]
fn ArticleLinks(shown: Arc<ShownArticle>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let texts = state.texts();
    let info = &shown.article.info;
    let others: Vec<ArticleLink> = info.other_locales.iter().filter(|l| l.locale != shown.locale).cloned().collect();
    view! {
        {link_list(state, "related", texts.related, info.related.clone())}
        {link_list(state, "other-locales", texts.other_locales, others)}
    }
}

/// A titled list of links to articles, or nothing when there are none. A
/// link with a locale opens that locale's version (named before its title);
/// one without opens in the agent's locale.
fn link_list(state: AppState, class: &'static str, heading: &'static str, links: Vec<ArticleLink>) -> Option<impl IntoView> {
    if links.is_empty() {
        return None;
    }
    let heading_id = format!("{class}-title");
    let items = links
        .into_iter()
        .map(|ArticleLink { locale, id, title }| {
            let (href, label) = if locale.is_empty() {
                (format!("#/a/{id}"), title)
            } else {
                (format!("?in={locale}#/a/{id}"), format!("{}: {title}", state.locale_name(&locale)))
            };
            let lang = (!locale.is_empty()).then(|| locale.clone());
            view! {
                <li>
                    <a href=href hreflang=lang.clone() lang=lang on:click=move |event: MouseEvent| {
                        event.prevent_default();
                        if locale.is_empty() {
                            state.open_in_own_locale(id.clone(), true);
                        } else {
                            state.open_in_locale(id.clone(), locale.clone());
                        }
                    }>{label}</a>
                </li>
            }
        })
        .collect_view();
    let labelled_by = heading_id.clone();
    Some(view! {
        <nav class=class aria-labelledby=labelled_by lang=state.locale.get_untracked()>
            <h2 id=heading_id>{heading}</h2>
            <ul>{items}</ul>
        </nav>
    })
}

/// Copies the text of the script card holding `button` to the clipboard and
/// says so on the button for two seconds.
fn copy_script(button: web_sys::Element, state: AppState) {
    let text = button
        .parent_element()
        .and_then(|card| card.query_selector("pre").ok().flatten())
        .and_then(|pre| pre.text_content())
        .unwrap_or_default();
    let clipboard = window().navigator().clipboard();
    let texts = state.texts();
    leptos::task::spawn_local(async move {
        let copied = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text.trim_end())).await.is_ok();
        if copied && let Some(card) = button.closest(".script-card").ok().flatten() {
            let (block, section) = place_of_script_card(&card);
            crate::host::telemetry::copied(state, block, section);
        }
        // The label the indexer wrote, in the article's language.
        let label = button.get_attribute("data-label").or_else(|| button.text_content()).unwrap_or_default();
        let _ = button.set_attribute("data-label", &label);
        button.set_text_content(Some(if copied { texts.copied } else { texts.copy_failed }));
        let _ = button.set_attribute("data-copied", if copied { "true" } else { "false" });
        set_timeout(
            move || {
                button.set_text_content(Some(&label));
                let _ = button.remove_attribute("data-copied");
            },
            std::time::Duration::from_secs(2),
        );
    });
}

/// Which script card `card` is (`script-2`: the article's second) and the
/// anchor of the heading it is under, if any.
fn place_of_script_card(card: &web_sys::Element) -> (String, Option<String>) {
    let cards = document().query_selector_all("article .script-card").ok();
    let position = cards
        .and_then(|cards| (0..cards.length()).position(|i| cards.item(i).is_some_and(|node| node.is_same_node(Some(card)))))
        .map_or(0, |p| p + 1);
    // The nearest heading before the card, among its earlier siblings and
    // theirs, up to the article.
    let mut at = Some(card.clone());
    let mut section = None;
    while let Some(element) = at {
        if element.tag_name().eq_ignore_ascii_case("article") {
            break;
        }
        let mut sibling = element.previous_element_sibling();
        while let Some(candidate) = sibling {
            if matches!(candidate.tag_name().to_ascii_lowercase().as_str(), "h2" | "h3" | "h4") && !candidate.id().is_empty() {
                section = Some(candidate.id());
                break;
            }
            sibling = candidate.previous_element_sibling();
        }
        if section.is_some() {
            break;
        }
        at = element.parent_element();
    }
    (format!("script-{position}"), section)
}

/// The `c` key: copies the script card that holds the focus, else the
/// first script card of the open article.
pub fn copy_focused_script(state: AppState) {
    let focused_card = document().active_element().and_then(|e| e.closest(".script-card").ok().flatten());
    let card = focused_card.or_else(|| document().query_selector("article .script-card").ok().flatten());
    if let Some(button) = card.and_then(|c| c.query_selector("[data-copy]").ok().flatten()) {
        copy_script(button, state);
    }
}

/// Scrolls the element with id `section` to the top of the view.
fn scroll_to_section(section: &str) {
    if let Some(element) = document().get_element_by_id(section) {
        element.scroll_into_view();
    }
}
