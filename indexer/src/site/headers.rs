//! The built site's security policy, from its bundle's trust settings and
//! its page as trunk wrote it (`cuecard headers --site dist`):
//!
//! - a `Content-Security-Policy` `<meta>` in `index.html`, so that every
//!   host, even one that sends no headers, gets scripts only from the site
//!   (trunk's inline bootstrap allowed by its `sha256-` hash, never
//!   `'unsafe-inline'`), no plugins and no `<base>` rewriting;
//! - a `_headers` file (the format Netlify and Cloudflare Pages read) with
//!   the same policy plus `frame-ancestors`, which only a header can carry:
//!   only the kb's allowed host pages may frame the app.
//!
//! The nginx and Apache equivalents are printed by the command and
//! documented in EMBEDDING.md.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use cuecard_engine::manifest::{MANIFEST_FILE, Manifest, SITE_BUNDLE_DIR};
use cuecard_engine::origins::{EmbedPolicy, OriginPattern};
use sha2::{Digest, Sha256};

use crate::bundle::publish::write_atomically;

/// The app's page in the built site.
pub const PAGE_FILE: &str = "index.html";
/// Where static hosts read extra response headers from.
pub const HEADERS_FILE: &str = "_headers";
/// Marks the policy `<meta>` this command wrote, so a rerun replaces it.
const META_MARK: &str = "data-cuecard-policy";

/// What `write_site_headers` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePolicy {
    /// The policy of the page (also in the `<meta>`).
    pub page_policy: String,
    /// The `frame-ancestors` directive's value.
    pub frame_ancestors: String,
    pub headers_file: PathBuf,
}

impl SitePolicy {
    /// The full header value: the page policy plus `frame-ancestors`.
    pub fn header_value(&self) -> String {
        format!("{}; frame-ancestors {}", self.page_policy, self.frame_ancestors)
    }
}

/// Writes the policy into `site/index.html` and `site/_headers`.
pub fn write_site_headers(site: &Path) -> Result<SitePolicy> {
    let page_path = site.join(PAGE_FILE);
    let page = std::fs::read_to_string(&page_path)
        .with_context(|| format!("cannot read {} (pass the built site, e.g. `--site dist`)", page_path.display()))?;
    write_page_with_policy(site, &page)
}

/// Writes `page` as the site's `index.html` with the policy its bundle
/// calls for, and `_headers`: the page last, so a tab that loads it finds
/// everything it names.
pub fn write_page_with_policy(site: &Path, page: &str) -> Result<SitePolicy> {
    let page_path = site.join(PAGE_FILE);
    let manifest_path = site.join(SITE_BUNDLE_DIR).join(MANIFEST_FILE);
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read {} (build the bundle into the site first)", manifest_path.display()))?;
    let manifest = Manifest::from_json(&manifest_text).with_context(|| format!("cannot read {}", manifest_path.display()))?;

    let page = super::early_fetch::with_early_fetch(&without_policy_meta(page));
    let hashes = inline_script_hashes(&page);
    if hashes.is_empty() && !page.contains("<script") {
        bail!("{} has no script: is it Cuecard's page?", page_path.display());
    }
    let policy = SitePolicy {
        page_policy: page_policy(&manifest, &hashes),
        frame_ancestors: EmbedPolicy::from_sources(&manifest.embed_hosts).frame_ancestors(),
        headers_file: site.join(HEADERS_FILE),
    };
    let page = with_policy_meta(&page, &policy.page_policy)?;
    write_atomically(site, &policy.headers_file, headers_file(&policy.header_value()).as_bytes())?;
    write_atomically(site, &page_path, page.as_bytes())?;
    Ok(policy)
}

/// The page's policy, without `frame-ancestors` (a `<meta>` cannot carry it).
pub fn page_policy(manifest: &Manifest, script_hashes: &[String]) -> String {
    let scripts: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    // The manifest may come from any build: only what parses as an origin
    // goes in, written the way the parser writes it.
    let images: String = manifest.image_origins.iter().filter_map(|o| OriginPattern::parse(o).ok()).map(|o| format!(" {o}")).collect();
    // The signals beacon, when it goes to another origin.
    let beacon: String = manifest.signals_endpoint.as_deref().and_then(cuecard_engine::signals::endpoint_origin).map(|o| format!(" {o}")).unwrap_or_default();
    [
        "default-src 'self'".to_string(),
        format!("script-src 'self'{scripts} 'wasm-unsafe-eval'"),
        "style-src 'self'".to_string(),
        format!("img-src 'self'{images}"),
        format!("connect-src 'self'{beacon}"),
        "worker-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        "form-action 'none'".to_string(),
    ]
    .join("; ")
}

/// `sha256-<base64>` of the text of every inline `<script>` (no `src`), as
/// CSP hashes it: the exact characters between the tags.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else { break };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else { break };
        let opening = &lower[start..tag_end];
        if !opening.contains(" src=") {
            let text = &html[tag_end + 1..close];
            hashes.push(format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))));
        }
        from = close;
    }
    hashes
}

/// `html` with the policy `<meta>` early in `<head>`: after the charset,
/// before any script (which it must precede to apply).
fn with_policy_meta(html: &str, policy: &str) -> Result<String> {
    let lower = html.to_ascii_lowercase();
    let Some(head) = lower.find("<head>") else {
        bail!("the page has no <head> to put its policy in");
    };
    let charset = lower[head..].find("<meta charset").and_then(|i| lower[head + i..].find('>').map(|end| head + i + end + 1));
    let at = charset.filter(|&at| lower[..at].find("<script").is_none()).unwrap_or(head + "<head>".len());
    let meta = format!("\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{}\" {META_MARK} />", attribute_text(policy));
    Ok(format!("{}{meta}{}", &html[..at], &html[at..]))
}

/// `text` safe inside a double-quoted HTML attribute.
fn attribute_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `html` without a policy `<meta>` an earlier run wrote.
fn without_policy_meta(html: &str) -> String {
    let Some(mark) = html.find(META_MARK) else { return html.to_string() };
    let start = html[..mark].rfind("<meta").unwrap_or(mark);
    let end = html[mark..].find('>').map_or(html.len(), |i| mark + i + 1);
    let start = html[..start].trim_end_matches([' ', '\n']).len();
    format!("{}{}", &html[..start], &html[end..])
}

/// The `_headers` file: every path of the site gets the policy (a value
/// is one line, whatever it holds).
pub fn headers_file(header_value: &str) -> String {
    let header_value: String = header_value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    format!(
        "# Written by `cuecard headers`: the response headers of every file of this site\n\
         # (Netlify and Cloudflare Pages read this file; EMBEDDING.md has nginx and Apache).\n\
         /*\n  Content-Security-Policy: {header_value}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: no-referrer\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html><html><head>\n<meta charset=\"utf-8\" />\n<script type=\"module\">\nimport init from './app.js';\n</script>\n<script src=\"./x.js\"></script></head><body></body></html>";

    #[test]
    fn inline_scripts_are_hashed_and_scripts_with_src_are_not() {
        let hashes = inline_script_hashes(PAGE);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"\nimport init from './app.js';\n"));
        assert_eq!(hashes, vec![format!("sha256-{expected}")]);
    }

    #[test]
    fn the_meta_goes_first_in_head_and_a_rerun_replaces_it() {
        let once = with_policy_meta(PAGE, "default-src 'self'").unwrap();
        assert!(once.find(META_MARK).unwrap() < once.find("<script").unwrap());
        let twice = with_policy_meta(&without_policy_meta(&once), "default-src 'none'").unwrap();
        assert_eq!(twice.matches(META_MARK).count(), 1);
        assert!(twice.contains("default-src 'none'"));
        assert_eq!(without_policy_meta(&twice), PAGE);
        // Moving the meta never changes what the scripts hash to.
        assert_eq!(inline_script_hashes(&twice), inline_script_hashes(PAGE));
    }

    #[test]
    fn the_policy_never_allows_inline_script_or_plugins() {
        let manifest = Manifest::from_json(&format!(
            r#"{{"format_version":{},"tool_version":"0","built_at":"","default_locale":"en","locales":[],"image_origins":["https://cdn.example.com"]}}"#,
            cuecard_engine::BUNDLE_FORMAT_VERSION
        ))
        .unwrap();
        let policy = page_policy(&manifest, &["sha256-abc".to_string()]);
        assert!(policy.contains("script-src 'self' 'sha256-abc' 'wasm-unsafe-eval'"));
        assert!(policy.contains("img-src 'self' https://cdn.example.com"));
        assert!(policy.contains("object-src 'none'") && policy.contains("base-uri 'self'") && policy.contains("worker-src 'self'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("connect-src 'self';"), "{policy}");
    }

    #[test]
    fn a_beacon_to_another_origin_is_allowed_to_connect_there_only() {
        let manifest = |endpoint: &str| {
            Manifest::from_json(&format!(
                r#"{{"format_version":{},"tool_version":"0","built_at":"","default_locale":"en","locales":[],"signals_endpoint":"{endpoint}"}}"#,
                cuecard_engine::BUNDLE_FORMAT_VERSION
            ))
            .unwrap()
        };
        let policy = page_policy(&manifest("https://signals.example.com/collect"), &[]);
        assert!(policy.contains("connect-src 'self' https://signals.example.com;"), "{policy}");
        let policy = page_policy(&manifest("/signals"), &[]);
        assert!(policy.contains("connect-src 'self';"), "{policy}");
    }
}
