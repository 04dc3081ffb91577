//! The web workers' files as the page names them: `cuecard fingerprint`
//! (trunk's post-build hook) renames each worker's loader, glue script and
//! wasm after their content and lists them as
//! `<link rel="cuecard-worker" data-worker data-part href integrity>`. The
//! app starts a worker from its loader's link and keeps all three offline
//! with the version.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// One file of a worker: its absolute URL and SRI hash.
pub struct WorkerFile {
    pub url: String,
    pub integrity: String,
    /// `loader`, `script` or `wasm`.
    pub part: String,
}

/// The selector of every worker file link (which the app's own files
/// exclude).
pub const WORKER_LINKS: &str = "link[rel=\"cuecard-worker\"]";

/// The files the page names for `worker` (`meaning_worker`).
pub fn worker_files(worker: &str) -> Vec<WorkerFile> {
    let Ok(nodes) = document().query_selector_all(&format!("{WORKER_LINKS}[data-worker=\"{worker}\"]")) else { return Vec::new() };
    (0..nodes.length())
        .filter_map(|i| nodes.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter_map(|link| {
            let url = web_sys::Url::new_with_base(&link.get_attribute("href")?, &page_url()).ok()?.href();
            Some(WorkerFile { url, integrity: link.get_attribute("integrity")?, part: link.get_attribute("data-part")? })
        })
        .collect()
}

/// The page's own URL, which the links' relative `href`s resolve against
/// (its `<base>` is its own folder).
fn page_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// The URL to start `worker` from: its loader as the page names it, or
/// trunk's fixed name when the site was not fingerprinted.
pub fn worker_loader(worker: &str) -> String {
    worker_files(worker).into_iter().find(|f| f.part == "loader").map(|f| f.url).unwrap_or_else(|| format!("./{worker}_loader.js"))
}
