//! The "Report a problem" dialog (`f`, or the button on an open article):
//! a modal `<dialog>` with an optional one-line note, then the kb's tracker
//! opens prefilled, or the report is copied ([`crate::actions::report`]). Esc or
//! Cancel closes it; the browser returns the focus.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::actions::report::Sent;
use crate::state::AppState;

#[component]
pub fn ReportDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dialog_ref = NodeRef::<html::Dialog>::new();
    let note_ref = NodeRef::<html::Input>::new();
    let sent: RwSignal<Option<Sent>> = RwSignal::new(None);
    Effect::new(move |_| {
        let open = state.report_open.get();
        let Some(dialog) = dialog_ref.get() else { return };
        if open && !dialog.open() {
            sent.set(None);
            if let Some(note) = note_ref.get() {
                note.set_value("");
            }
            let _ = dialog.show_modal();
        } else if !open && dialog.open() {
            dialog.close();
        }
    });
    let has_tracker = move || state.manifest.with(|m| m.as_ref().is_some_and(|m| m.feedback_url.is_some()));
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let note = note_ref.get().map(|n| n.value()).unwrap_or_default();
        spawn_local(async move {
            let outcome = state.send_problem_report(note).await;
            sent.set(Some(outcome));
            if outcome == Sent::Tracker {
                state.report_open.set(false);
            }
        });
    };
    let status = move || {
        let texts = state.texts();
        match sent.get() {
            Some(Sent::Copied) => texts.report_copied,
            Some(Sent::Failed) => texts.copy_failed,
            _ => "",
        }
    };
    view! {
        <dialog
            node_ref=dialog_ref
            class="dialog report-dialog"
            aria-labelledby="report-title"
            on:close=move |_| state.report_open.set(false)
        >
            <form on:submit=on_submit>
                <h2 id="report-title">{move || state.texts().report_problem}</h2>
                <label>
                    <span>{move || state.texts().report_note}</span>
                    <input type="text" node_ref=note_ref maxlength="300" autocomplete="off" />
                </label>
                <p class="report-status" role="status">{status}</p>
                <div class="dialog-actions">
                    <button type="submit">
                        {move || if has_tracker() { state.texts().report_open } else { state.texts().report_copy }}
                    </button>
                    <button type="button" on:click=move |_| state.report_open.set(false)>{move || state.texts().cancel}</button>
                </div>
            </form>
        </dialog>
    }
}
