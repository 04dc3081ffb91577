//! The trust bar under an article's title: who owns it, when its content
//! last changed and how ("Updated 3 days ago: Refund window is now 30
//! days"), when it was last reviewed ("Reviewed 23 days ago"), and a plain
//! warning when its review is overdue or it has expired. Judged against
//! today's date in the browser, so an old bundle still warns.

use cuecard_engine::model::ArticleInfo;
use cuecard_engine::trust::{Day, Freshness, Trust};
use leptos::prelude::*;

use crate::i18n::{fill, reviewed_ago, updated_ago};
use crate::state::AppState;

#[component]
pub fn TrustBar(info: ArticleInfo) -> impl IntoView {
    let state = expect_context::<AppState>();
    let texts = state.texts();
    let trust = Trust::assess(&info, today());
    let owner = info.owner.as_ref().map(|o| match o.team.is_empty() {
        true => fill(texts.owner_alone, &[("name", &o.name)]),
        false => fill(texts.owner, &[("name", &o.name), ("team", &o.team)]),
    });
    let reviewed = match trust.reviewed_days_ago {
        Some(days) => reviewed_ago(texts, days),
        None => texts.never_reviewed.to_string(),
    };
    let reviewed_on = info.reviewed.clone().unwrap_or_default();
    let updated = trust.updated_days_ago.zip(info.changes.first()).map(|(days, change)| {
        let when = updated_ago(texts, days);
        let text = match &change.note {
            Some(note) => format!("{when}: {note}"),
            None => when,
        };
        (change.date.clone(), text)
    });
    let warning = match trust.freshness {
        Freshness::Expired { days_ago } => Some(("expired", fill(texts.expired, &[("n", &days_ago.to_string())]))),
        Freshness::ReviewOverdue { days } => Some(("overdue", fill(texts.review_overdue, &[("n", &days.to_string())]))),
        Freshness::ExpiresSoon { in_days: 0 } => Some(("expires-soon", texts.expires_today.to_string())),
        Freshness::ExpiresSoon { in_days } => Some(("expires-soon", fill(texts.expires_soon, &[("n", &in_days.to_string())]))),
        Freshness::Current => None,
    };
    let lang = state.locale.get_untracked();
    view! {
        <div class="trust-bar" lang=lang.clone()>
            <p class="trust">
                {owner.map(|o| view! { <span class="owner">{o}</span> })}
                {updated.map(|(date, text)| view! { <span class="updated" title=date>{text}</span> })}
                <span class="reviewed" title=reviewed_on>{reviewed}</span>
            </p>
            {warning.map(|(kind, text)| view! {
                <p class="notice trust-warning" data-freshness=kind role="note">
                    <strong aria-hidden="true">"⚠ "</strong>{text}
                </p>
            })}
        </div>
    }
}

/// Today in the agent's time zone.
pub fn today() -> Day {
    let now = js_sys::Date::new_0();
    let local = format!("{:04}-{:02}-{:02}", now.get_full_year(), now.get_month() + 1, now.get_date());
    Day::parse(&local).unwrap_or_else(|| Day::from_unix_millis(js_sys::Date::now()))
}
