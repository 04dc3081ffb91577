//! `cuecard import zendesk --url`: the same export straight from the Help
//! Center API. Credentials come from the environment, never a flag (flags
//! land in shell history): `ZENDESK_EMAIL` with `ZENDESK_API_TOKEN`, or
//! `ZENDESK_OAUTH_TOKEN`. Cursor pagination (`page[size]=100`, following
//! `links.next`), a 429 answered by waiting its `Retry-After`, and
//! credentials sent to the help centre's own origin only (a `next` link or
//! an attachment elsewhere gets none, and a `next` link elsewhere is
//! refused).

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use base64::Engine as _;

use super::zendesk_pages::{Export, next_page};

/// Waits for a 429 longer than this are cut to it.
const LONGEST_WAIT: Duration = Duration::from_secs(60);
/// How many 429s in a row one request takes before giving up.
const RETRIES: usize = 6;
/// The largest response read (a page of 100 articles is a few MB).
const MAX_RESPONSE_BYTES: u64 = 64 << 20;

/// The `Authorization` header, from the environment.
pub fn authorization_from_env() -> Result<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(token) = var("ZENDESK_OAUTH_TOKEN") {
        return Ok(format!("Bearer {}", token.trim()));
    }
    match (var("ZENDESK_EMAIL"), var("ZENDESK_API_TOKEN")) {
        (Some(email), Some(token)) => {
            Ok(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{}/token:{}", email.trim(), token.trim()))))
        }
        _ => bail!("set ZENDESK_EMAIL and ZENDESK_API_TOKEN (or ZENDESK_OAUTH_TOKEN) in the environment: credentials are never taken from a flag"),
    }
}

/// The help centre's origin (`https://acme.zendesk.com`), checked: https,
/// or http to this machine only (a test server).
pub fn origin_of(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url.split_once("://").context("the --url needs a scheme: https://SUBDOMAIN.zendesk.com")?;
    let host = rest.split('/').next().unwrap_or("");
    let local = host.starts_with("127.0.0.1") || host.starts_with("localhost");
    if host.is_empty() || !(scheme == "https" || (scheme == "http" && local)) {
        bail!("the --url must be https://SUBDOMAIN.zendesk.com (http only for this machine)");
    }
    Ok(format!("{scheme}://{host}"))
}

/// A client of one help centre.
pub struct Client {
    origin: String,
    authorization: String,
    agent: ureq::Agent,
    /// Requests made, for the progress line.
    pub requests: usize,
}

impl Client {
    pub fn new(url: &str, authorization: String) -> Result<Client> {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(120))).build().into();
        Ok(Client { origin: origin_of(url)?, authorization, agent, requests: 0 })
    }

    /// The body of `url` (a path on the help centre, or a full URL),
    /// waiting out 429s.
    pub fn get(&mut self, url: &str) -> Result<Vec<u8>> {
        let url = if url.starts_with('/') { format!("{}{url}", self.origin) } else { url.to_string() };
        let own = url.starts_with(&format!("{}/", self.origin));
        for _ in 0..RETRIES {
            self.requests += 1;
            let mut request = self.agent.get(&url);
            if own {
                request = request.header("Authorization", &self.authorization);
            }
            let mut response = request.call().with_context(|| format!("cannot reach {url}"))?;
            let status = response.status().as_u16();
            if status == 429 {
                let seconds = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(10);
                std::thread::sleep(Duration::from_secs(seconds).min(LONGEST_WAIT));
                continue;
            }
            if !(200..300).contains(&status) {
                bail!("{url} answered {status}{}", if status == 401 || status == 403 { ": check the credentials and that the user may read the help centre" } else { "" });
            }
            let mut bytes = Vec::new();
            response.body_mut().as_reader().take(MAX_RESPONSE_BYTES).read_to_end(&mut bytes).with_context(|| format!("the answer of {url} broke off"))?;
            return Ok(bytes);
        }
        bail!("{url} kept answering 429 (rate limited) after {RETRIES} waits")
    }

    /// Every page of the list at `path`, following `links.next` on the
    /// help centre's own origin.
    pub fn pages(&mut self, path: &str, export: &mut Export) -> Result<()> {
        let mut next = Some(path.to_string());
        while let Some(url) = next.take() {
            let bytes = self.get(&url)?;
            export.add_page(std::path::Path::new(&url), &bytes);
            let page: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            next = next_page(&page);
            if let Some(link) = &next
                && !link.starts_with(&format!("{}/", self.origin))
            {
                bail!("{url} points its next page at {link}, outside {}: refused", self.origin);
            }
        }
        Ok(())
    }
}

/// The whole export from the API: articles, sections, categories, user
/// segments, then each article's translations and attachments, and the
/// authors. Attachment bytes come back by attachment id.
pub fn fetch(client: &mut Client, progress: &indicatif::ProgressBar) -> Result<(Export, BTreeMap<u64, Vec<u8>>)> {
    let mut export = Export::default();
    for list in ["articles", "sections", "categories", "user_segments"] {
        progress.set_message(format!("{list}"));
        client.pages(&format!("/api/v2/help_center/{list}?page[size]=100"), &mut export)?;
    }
    let ids: Vec<u64> = export.articles.keys().copied().collect();
    progress.set_length(ids.len() as u64);
    for id in &ids {
        progress.set_message("translations and attachments");
        client.pages(&format!("/api/v2/help_center/articles/{id}/translations?page[size]=100"), &mut export)?;
        client.pages(&format!("/api/v2/help_center/articles/{id}/attachments"), &mut export)?;
        progress.inc(1);
    }
    let authors: std::collections::BTreeSet<u64> = export.articles.values().filter_map(|a| a.author_id).collect();
    let authors: Vec<String> = authors.iter().map(u64::to_string).collect();
    for batch in authors.chunks(100) {
        client.pages(&format!("/api/v2/users/show_many?ids={}", batch.join(",")), &mut export)?;
    }
    let mut files = BTreeMap::new();
    for (id, attachment) in &export.attachments {
        let Some(url) = &attachment.content_url else { continue };
        if attachment.content_type.as_deref().is_some_and(|t| t.starts_with("image/")) {
            files.insert(*id, client.get(url)?);
        }
    }
    Ok((export, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_machine() {
        assert_eq!(origin_of("https://acme.zendesk.com/").unwrap(), "https://acme.zendesk.com");
        assert_eq!(origin_of("http://127.0.0.1:9000").unwrap(), "http://127.0.0.1:9000");
        assert!(origin_of("http://acme.zendesk.com").is_err());
        assert!(origin_of("acme.zendesk.com").is_err());
    }
}
