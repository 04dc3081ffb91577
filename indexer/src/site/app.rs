//! The app inside the binary: the files `cargo xtask dist` built (release,
//! wasm-opt, workers named by content), embedded by `build.rs` from
//! `indexer/app-dist/`. They hold no bundle, no `_headers` and no policy
//! `<meta>`: `cuecard site` writes those per kb. A `cuecard` built without
//! them (a plain `cargo build -p cuecard`) has no app, and says how to get
//! one.

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_app.rs"));
}

use anyhow::{Result, bail};

/// A content hash of the embedded app (12 hex digits), or empty without
/// one: what `--version`, the site's page and the app's footer show.
pub const APP_HASH: &str = env!("CUECARD_APP_HASH");

/// The page's `<meta>` naming the app build, which the footer shows.
pub const APP_META: &str = "cuecard-app";

/// The app's files by their path in the site, the page among them.
pub fn files() -> Result<&'static [(&'static str, &'static [u8])]> {
    if embedded::FILES.is_empty() {
        bail!(
            "this cuecard has no app inside (it was built with a plain `cargo build`): use the release binary, \
             or build one with the app in it from the Cuecard repository with `cargo xtask dist` (target/dist/cuecard)"
        );
    }
    Ok(embedded::FILES)
}

/// The app's page as embedded.
pub fn page() -> Result<&'static str> {
    let page = files()?.iter().find(|(name, _)| *name == crate::site::headers::PAGE_FILE).map(|(_, bytes)| *bytes);
    match page.map(std::str::from_utf8) {
        Some(Ok(text)) => Ok(text),
        _ => bail!("the embedded app has no readable index.html: rebuild it with `cargo xtask dist`"),
    }
}

/// `--version`'s text: the tool, the bundle format it writes, the app.
pub fn version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let app = if APP_HASH.is_empty() { "no app inside".to_string() } else { format!("app {APP_HASH}") };
        format!("{} (bundle format {}, {app})", env!("CARGO_PKG_VERSION"), cuecard_engine::BUNDLE_FORMAT_VERSION)
    });
    VERSION.as_str()
}

/// `page` naming the app build in a `<meta>` (replacing one it names).
pub fn with_app_meta(page: &str) -> String {
    let meta = format!("<meta name=\"{APP_META}\" content=\"{APP_HASH}\" />");
    let page = match page.find(&format!("<meta name=\"{APP_META}\"")) {
        Some(start) => {
            let end = page[start..].find('>').map_or(page.len(), |i| start + i + 1);
            format!("{}{}", &page[..start], &page[end..])
        }
        None => page.to_string(),
    };
    match page.find("</head>") {
        Some(at) => format!("{}    {meta}\n  {}", &page[..at], &page[at..]),
        None => page,
    }
}
