//! The page starts the first results' downloads itself. Without it they
//! travel one after another: page, script, wasm, then (once the app runs)
//! the manifest, then the agent's first tier. The page that publishing
//! writes carries a small inline script that, while the wasm downloads,
//! fetches the manifest and, as soon as it arrives, the first tier of the
//! locale the app will choose (the address's `locale`, the agent's last
//! choice, the browser's languages: the same order and matching as
//! `Manifest::choose_locale`). It leaves the responses in
//! `window.__cuecardEarly` by URL, and `ready` once the tier's downloads
//! are started, for the app to take (once each; the app checks every
//! file's hash as always, and fetches anything the script did not start).
//! The names come from the manifest it fetched, never from the page, so a
//! page older than the bundle (a `build` into a site, without `site` or
//! `headers` after it) still fetches the right files. The script is the
//! same for every kb and build; its hash goes into the page's policy like
//! any inline script's.

use cuecard_engine::manifest::{MANIFEST_FILE, SITE_BUNDLE_DIR};

/// Marks the script in the page, so publishing again replaces it.
const SCRIPT_ID: &str = "cuecard-early";

/// The inline script.
pub fn script() -> String {
    format!(
        r#"<script id="{SCRIPT_ID}">(() => {{
  const dir = "{SITE_BUNDLE_DIR}/";
  const early = (window.__cuecardEarly = {{}});
  const keep = (url, started) => {{ early[url] = started; started.catch(() => {{}}); return started; }};
  const manifest = keep(dir + "{MANIFEST_FILE}", fetch(dir + "{MANIFEST_FILE}", {{ cache: "no-cache" }}));
  let remembered = null;
  try {{ remembered = localStorage.getItem("cuecard.locale"); }} catch (e) {{}}
  const wanted = [new URLSearchParams(location.search).get("locale"), remembered, ...(navigator.languages || [])].filter(Boolean);
  const language = (t) => t.split(/[-_]/)[0].toLowerCase();
  const pick = (tags, fallback) => {{
    for (const w of wanted) {{ const t = tags.find((t) => t.toLowerCase() === w.toLowerCase()); if (t) return t; }}
    for (const w of wanted) {{ const t = tags.find((t) => language(t) === language(w)); if (t) return t; }}
    return fallback;
  }};
  early.ready = manifest
    .then((response) => (response.ok ? response.clone().json() : null))
    .then((m) => {{
      const locales = (m && Array.isArray(m.locales)) ? m.locales : [];
      const tag = pick(locales.map((l) => l.locale), m && m.default_locale);
      const chosen = locales.find((l) => l.locale === tag);
      for (const file of chosen && chosen.titles ? [chosen.titles.base, chosen.titles.delta] : []) {{
        if (file && typeof file.path === "string") keep(dir + file.path, fetch(dir + file.path));
      }}
    }})
    .catch(() => {{}});
}})();</script>"#
    )
}

/// `page` with the early script at the end of `<head>` (replacing one a
/// previous publish wrote).
pub fn with_early_fetch(page: &str) -> String {
    let page = without_early_fetch(page);
    match page.find("</head>") {
        Some(at) => format!("{}{}\n  {}", &page[..at], script(), &page[at..]),
        None => page,
    }
}

/// `page` without the early script.
fn without_early_fetch(page: &str) -> String {
    let Some(start) = page.find(&format!("<script id=\"{SCRIPT_ID}\">")) else { return page.to_string() };
    let end = page[start..].find("</script>").map_or(page.len(), |i| start + i + "</script>".len());
    let end = if page[end..].starts_with("\n  ") { end + 3 } else { end };
    format!("{}{}", &page[..start], &page[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_starts_the_manifest_and_names_no_file_of_a_build() {
        let page = "<html><head><title>x</title>\n  </head><body></body></html>";
        let once = with_early_fetch(page);
        assert!(once.contains("fetch(dir + \"manifest.json\", { cache: \"no-cache\" })"), "{once}");
        assert!(!once.contains(".ccz"), "file names come from the manifest, not the page");
        assert_eq!(with_early_fetch(&once), once, "publishing again replaces the script");
        assert_eq!(once.matches("<script").count(), 1);
        assert!(!script().contains("</script") || script().matches("</script").count() == 1);
    }
}
