//! Cuecard's agent app: a Leptos CSR app that loads the bundle and searches
//! it in the browser through the shared engine. Its folders, in the order
//! they depend on one another: `state` (the signals and what derives from
//! them, shelves and the URL), `meaning` (the worker for meaning-based
//! matching), `loading` (fetch, inflate, offline), `host` (the host page:
//! embedding, the call's context, telemetry), `actions` (what changes the
//! state), `components` (the views), `app` (the page and its keys).

// Each folder imports only from those above it in this list.
mod i18n;
mod perf;
mod state;
mod meaning;
mod loading;
mod page_focus;
mod host;
mod actions;
mod components;
mod app;

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_internal_error();
    }));
    perf::expose_memory();
    leptos::mount::mount_to_body(app::App);
}

/// Never a blank screen: an internal error still tells the agent what to do.
fn show_internal_error() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if let Ok(notice) = document.create_element("div") {
        notice.set_class_name("notice error fatal");
        let _ = notice.set_attribute("role", "alert");
        notice.set_text_content(Some(
            "Cuecard hit an internal error and stopped. Reload the page; if it happens again, tell your knowledge team (details are in the browser console).",
        ));
        let _ = body.prepend_with_node_1(&notice);
    }
}
