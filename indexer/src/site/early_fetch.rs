//! The page starts the first results' downloads itself. Without it they
//! travel one after another: page, script, wasm, then (once the app runs)
//! the manifest, then the agent's first tier. The page that publishing
//! writes carries a small inline script, before the stylesheet (which
//! would hold a script after it back), that, while the wasm downloads,
//! fetches the manifest and, as soon as it arrives, the first tier of the
//! locale the app will choose (the address's `locale`, the agent's last
//! choice, the browser's languages: the same order and matching as
//! `Manifest::choose_locale`). It leaves the responses in
//! `window.__cuecardEarly` by URL, and `ready` once the tier's downloads
//! are started, for the app to take (once each; the app fetches anything
//! the script did not start). While the line is still busy with the
//! wasm, it also prepares what the app would otherwise do first once it
//! runs, in `__cuecardEarly.prepared`: the manifest's text, and each
//! first-tier part's SHA-256 (Web Crypto, of the bytes as stored) and
//! inflated contents (`DecompressionStream`). The app checks that hash
//! against the manifest as it checks its own. The names come from the
//! manifest it fetched, never from the page, so a page older than the
//! bundle (a `build` into a site, without `site` or `headers` after it)
//! still fetches the right files. The script is the same for every kb and
//! build; its hash goes into the page's policy like any inline script's.

use cuecard_engine::manifest::{MANIFEST_FILE, SITE_BUNDLE_DIR};

/// Marks the script in the page, so publishing again replaces it.
const SCRIPT_ID: &str = "cuecard-early";

/// The inline script.
pub fn script() -> String {
    format!(
        r#"<script id="{SCRIPT_ID}">(() => {{
  const dir = "{SITE_BUNDLE_DIR}/";
  const early = (window.__cuecardEarly = {{}});
  const prepared = (early.prepared = {{}});
  const keep = (url, started) => {{ early[url] = started; started.catch(() => {{}}); return started; }};
  const hex = (digest) => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  const inflate = (stored) => new Response(new Response(stored).body.pipeThrough(new DecompressionStream("deflate"))).arrayBuffer();
  const prepare = (url, started) => {{
    prepared[url] = started
      .then(async (response) => {{
        if (!response.ok || !(window.crypto && crypto.subtle) || typeof DecompressionStream !== "function") return null;
        const stored = await response.clone().arrayBuffer();
        const [digest, bytes] = await Promise.all([crypto.subtle.digest("SHA-256", stored), url.endsWith(".{COMPRESSED}") ? inflate(stored) : stored]);
        return {{ sha256: hex(digest), bytes }};
      }})
      .catch(() => null);
  }};
  const manifest = keep(dir + "{MANIFEST_FILE}", fetch(dir + "{MANIFEST_FILE}", {{ cache: "no-cache" }}));
  const manifestText = manifest.then((response) => (response.ok ? response.clone().text() : null));
  prepared[dir + "{MANIFEST_FILE}"] = manifestText.then((text) => (text === null ? null : {{ text }})).catch(() => null);
  let remembered = null;
  try {{ remembered = localStorage.getItem("cuecard.locale"); }} catch (e) {{}}
  const wanted = [new URLSearchParams(location.search).get("locale"), remembered, ...(navigator.languages || [])].filter(Boolean);
  const language = (t) => t.split(/[-_]/)[0].toLowerCase();
  const pick = (tags, fallback) => {{
    for (const w of wanted) {{ const t = tags.find((t) => t.toLowerCase() === w.toLowerCase()); if (t) return t; }}
    for (const w of wanted) {{ const t = tags.find((t) => language(t) === language(w)); if (t) return t; }}
    return fallback;
  }};
  early.ready = manifestText
    .then((text) => (text === null ? null : JSON.parse(text)))
    .then((m) => {{
      const locales = (m && Array.isArray(m.locales)) ? m.locales : [];
      const tag = pick(locales.map((l) => l.locale), m && m.default_locale);
      const chosen = locales.find((l) => l.locale === tag);
      for (const file of chosen && chosen.titles ? [chosen.titles.base, chosen.titles.delta] : []) {{
        if (file && typeof file.path === "string") prepare(dir + file.path, keep(dir + file.path, fetch(dir + file.path)));
      }}
    }})
    .catch(() => {{}});
}})();</script>"#,
        COMPRESSED = cuecard_engine::parts::COMPRESSED_EXTENSION,
    )
}

/// `page` with the early script (replacing one a previous publish wrote)
/// before its first stylesheet, or at the end of `<head>` without one: a
/// classic script after a stylesheet waits for it to load, and the
/// downloads would start one round trip later. The page's policy
/// `<meta>` comes first in `<head>` (see `headers`), so it covers the
/// script either way.
pub fn with_early_fetch(page: &str) -> String {
    let page = without_early_fetch(page);
    let Some(head_end) = page.find("</head>") else { return page };
    match page[..head_end].find("<link rel=\"stylesheet\"") {
        Some(at) => format!("{}{}\n    {}", &page[..at], script(), &page[at..]),
        None => format!("{}{}\n  {}", &page[..head_end], script(), &page[head_end..]),
    }
}

/// `page` without the early script.
fn without_early_fetch(page: &str) -> String {
    let Some(start) = page.find(&format!("<script id=\"{SCRIPT_ID}\">")) else { return page.to_string() };
    let end = page[start..].find("</script>").map_or(page.len(), |i| start + i + "</script>".len());
    let end = if page[end..].starts_with("\n    ") { end + 5 } else if page[end..].starts_with("\n  ") { end + 3 } else { end };
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
        let named_parts = once.match_indices(".ccz").filter(|(at, _)| once[..*at].ends_with(|c: char| c.is_ascii_hexdigit())).count();
        assert_eq!(named_parts, 0, "file names come from the manifest, not the page");
        assert_eq!(with_early_fetch(&once), once, "publishing again replaces the script");
        assert_eq!(once.matches("<script").count(), 1);
        let styled = "<html><head><meta charset=\"utf-8\" />\n    <link rel=\"stylesheet\" href=\"./s.css\"/>\n  </head></html>";
        let early = with_early_fetch(styled);
        assert!(early.find(SCRIPT_ID).unwrap() < early.find("stylesheet").unwrap(), "before the stylesheet, which would hold it back: {early}");
        assert_eq!(with_early_fetch(&early), early, "publishing again replaces the script in place");
        assert_eq!(without_early_fetch(&early), styled);
        assert!(!script().contains("</script") || script().matches("</script").count() == 1);
    }
}
