//! The page starts the first results' downloads itself. Without it they
//! travel one after another: page, script, wasm, then (once the app runs)
//! the manifest, then the agent's first tier. The page that publishing
//! writes (after the bundle, so it names the bundle's files) carries a
//! small inline script that, while the wasm downloads, fetches the manifest
//! and the first tier of the locale the app will choose (the address's
//! `locale`, the agent's last choice, the browser's languages: the same
//! order and matching as `Manifest::choose_locale`), and leaves the
//! responses in `window.__cuecardEarly` by URL for the app to take (once
//! each; the app checks every file's hash as always, and fetches anything
//! the early script did not start). Its hash goes into the page's policy
//! like any inline script's.

use cuecard_engine::manifest::{MANIFEST_FILE, Manifest, SITE_BUNDLE_DIR};

/// Marks the script in the page, so publishing again replaces it.
const SCRIPT_ID: &str = "cuecard-early";

/// The inline script for `manifest`.
pub fn script(manifest: &Manifest) -> String {
    let locales: serde_json::Map<String, serde_json::Value> = manifest
        .locales
        .iter()
        .map(|l| (l.locale.clone(), l.head.parts().map(|f| serde_json::Value::String(format!("{SITE_BUNDLE_DIR}/{}", f.path))).collect()))
        .collect();
    let data = serde_json::json!({ "manifest": format!("{SITE_BUNDLE_DIR}/{MANIFEST_FILE}"), "default": manifest.default_locale, "locales": locales });
    // `</` never appears inside the script: JSON escapes no `/`, so do it here.
    let data = data.to_string().replace("</", "<\\/");
    format!(
        r#"<script id="{SCRIPT_ID}">(() => {{
  const d = {data};
  const early = (window.__cuecardEarly = {{}});
  const get = (url, init) => {{ early[url] = fetch(url, init); early[url].catch(() => {{}}); }};
  get(d.manifest, {{ cache: "no-cache" }});
  let remembered = null;
  try {{ remembered = localStorage.getItem("cuecard.locale"); }} catch (e) {{}}
  const wanted = [new URLSearchParams(location.search).get("locale"), remembered, ...(navigator.languages || [])].filter(Boolean);
  const tags = Object.keys(d.locales);
  const language = (t) => t.split(/[-_]/)[0].toLowerCase();
  const pick = () => {{
    for (const w of wanted) {{ const t = tags.find((t) => t.toLowerCase() === w.toLowerCase()); if (t) return t; }}
    for (const w of wanted) {{ const t = tags.find((t) => language(t) === language(w)); if (t) return t; }}
    return d.default;
  }};
  for (const url of d.locales[pick()] || []) get(url);
}})();</script>"#
    )
}

/// `page` with the early script for `manifest` at the end of `<head>`
/// (replacing one a previous publish wrote).
pub fn with_early_fetch(page: &str, manifest: &Manifest) -> String {
    let page = without_early_fetch(page);
    match page.find("</head>") {
        Some(at) => format!("{}{}\n  {}", &page[..at], script(manifest), &page[at..]),
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

    fn manifest() -> Manifest {
        let file = |path: &str| serde_json::json!({ "path": path, "sha256": "00", "bytes": 1 });
        let tier = |tag: &str, name: &str| serde_json::json!({ "base": file(&format!("{tag}/{name}.1.ccz")), "delta": file(&format!("{tag}/{name}-delta.2.ccz")), "base_revisions": file(&format!("{tag}/{name}.rev")) });
        let locale = |tag: &str| {
            serde_json::json!({ "locale": tag, "name": null, "fallback": [], "articles": 1, "head": tier(tag, "head"), "index": tier(tag, "index"), "text_files": [], "article_files": [], "redirects": null, "changes": null, "meaning": null })
        };
        let json = serde_json::json!({
            "format_version": 10, "tool_version": "0", "built_at": "2026-12-03T00:00:00Z", "kb_commit": null, "default_locale": "en-US",
            "locales": [locale("en-US"), locale("de-DE")], "media": [], "embed_hosts": [], "image_origins": [], "feedback_url": null,
            "signals_endpoint": null, "scrub": [], "meaning_model": null,
        });
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_page_names_each_locales_first_tier_once() {
        let page = "<html><head><title>x</title>\n  </head><body></body></html>";
        let once = with_early_fetch(page, &manifest());
        assert!(once.contains("\"de-DE\":[\"bundle/de-DE/head.1.ccz\",\"bundle/de-DE/head-delta.2.ccz\"]"), "{once}");
        assert!(once.contains("\"manifest\":\"bundle/manifest.json\""), "{once}");
        assert_eq!(with_early_fetch(&once, &manifest()), once, "publishing again replaces the script");
        assert_eq!(once.matches("<script").count(), 1);
    }
}
