//! Filters by category, product and tag, with how many matching articles
//! each has. Combinable with any query; with nothing typed, a selected
//! filter lists its articles (browsing).

use cuecard_engine::facets::{FacetCount, FacetKind};
use leptos::prelude::*;

use crate::i18n::result_count;
use crate::state::{AppState, ArticlePane};

/// How many values of one dimension are offered.
const VALUES_SHOWN: [(FacetKind, usize); 3] = [(FacetKind::Category, 8), (FacetKind::Product, 4), (FacetKind::Tag, 6)];

#[component]
pub fn FacetBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let toggle = move |kind: FacetKind, value: String| {
        state.filters.update(|filters| {
            let key = (kind, value);
            if !filters.selected.remove(&key) {
                filters.selected.insert(key);
            }
        });
        state.selected.set(0);
        state.url_state().apply(false);
    };
    let chips = move || {
        // Counts come with the second stage; until then the last ones stay.
        let results = state.details.get();
        let selected = state.filters.get();
        let mut shown: Vec<(FacetCount, bool)> = selected
            .selected
            .iter()
            .map(|(kind, value)| {
                let count = results.facets.iter().find(|f| f.kind == *kind && &f.value == value).map_or(0, |f| f.count);
                (FacetCount { kind: *kind, value: value.clone(), count }, true)
            })
            .collect();
        for (kind, limit) in VALUES_SHOWN {
            shown.extend(
                results
                    .facets
                    .iter()
                    .filter(|f| f.kind == kind && !selected.selected.contains(&(kind, f.value.clone())))
                    .take(limit)
                    .map(|f| (f.clone(), false)),
            );
        }
        shown
            .into_iter()
            .map(|(facet, pressed)| {
                let label = match facet.kind {
                    FacetKind::Category => facet.value.clone(),
                    FacetKind::Product => format!("▣ {}", facet.value),
                    FacetKind::Tag => format!("#{}", facet.value),
                };
                let (kind, value) = (facet.kind, facet.value.clone());
                // Read as "billing 12 articles": the visible text, then the
                // noun only screen readers need.
                let count = facet.count.to_string();
                let noun = result_count(state.texts(), usize::try_from(facet.count).unwrap_or(usize::MAX), true).replace(&count, "").trim().to_string();
                view! {
                    <button
                        type="button"
                        class="chip"
                        data-facet=facet.kind.name()
                        data-value=facet.value.clone()
                        aria-pressed=pressed.to_string()
                        on:click=move |_| toggle(kind, value.clone())
                    >
                        {label}
                        " "
                        <span class="chip-count">{count}</span>
                        <span class="visually-hidden">{format!(" {noun}")}</span>
                        {pressed.then(|| view! { <span aria-hidden="true">" ✕"</span> })}
                    </button>
                }
            })
            .collect_view()
    };
    let hidden = move || state.index.with(Option::is_none) || state.article.with(|a| *a != ArticlePane::Closed);
    view! {
        <div role="group" aria-label=move || state.texts().filters_label class="facet-bar" hidden=hidden>
            {chips}
        </div>
    }
}
