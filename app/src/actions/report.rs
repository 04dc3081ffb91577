//! "Report a problem" with the open article: what the report says (the
//! agent's note scrubbed of customer data, with the kb's own codes kept),
//! and where it goes: the kb's tracker, prefilled, when `cuecard.yaml`
//! names one (`feedback.url`), else the clipboard. The host page (and the
//! kb's signals endpoint) hears `cuecard:feedback` either way. Nothing
//! leaves without the agent's action.

use cuecard_engine::feedback::Report;
use leptos::prelude::*;

use crate::host::telemetry;
use crate::state::{AppState, ArticlePane};

/// Where a report went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// The tracker opened in a new tab, prefilled.
    Tracker,
    /// The report is on the clipboard.
    Copied,
    /// Neither worked (no article open, a refused pop-up or clipboard).
    Failed,
}

impl AppState {
    /// The report on the open article with the agent's `note`, scrubbed.
    pub fn problem_report(self, note: &str) -> Option<Report> {
        let ArticlePane::Shown(shown) = self.article.get_untracked() else { return None };
        let manifest = self.manifest.get_untracked()?;
        let note = telemetry::scrubbed(self, note);
        let article = &shown.article;
        let owner = article.info.owner.as_ref().map(|o| if o.team.is_empty() { o.name.clone() } else { format!("{} ({})", o.name, o.team) }).unwrap_or_default();
        Some(Report {
            id: article.id.clone(),
            title: article.title.clone(),
            locale: shown.locale.clone(),
            path: article.source_path.clone(),
            owner,
            bundle: manifest.version_label(),
            note,
        })
    }

    /// Sends the report on the open article: opens the tracker or copies
    /// it, and tells the host.
    pub async fn send_problem_report(self, note: String) -> Sent {
        let Some(report) = self.problem_report(&note) else { return Sent::Failed };
        telemetry::feedback(self, &report);
        let tracker = self.manifest.with_untracked(|m| m.as_ref().and_then(|m| m.feedback_url.clone()));
        let Some(window) = web_sys::window() else { return Sent::Failed };
        match tracker {
            Some(template) => match window.open_with_url_and_target_and_features(&report.fill(&template), "_blank", "noopener") {
                Ok(_) => Sent::Tracker,
                Err(_) => Sent::Failed,
            },
            None => {
                let copied = wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(&report.text())).await;
                if copied.is_ok() { Sent::Copied } else { Sent::Failed }
            }
        }
    }
}
