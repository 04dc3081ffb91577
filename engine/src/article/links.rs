//! What a link in an article is, decided the way a browser reads its URL,
//! by one function that the indexer (which writes the link) and the app
//! (which handles the click) share: an app route, an outside page (opened
//! in a new tab), a mail or phone address, or anything else (neutralised:
//! it never navigates the app, or the CRM frame around it, away).

/// The kind of a link's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// Inside the app: an article route (`#/a/...`), a section anchor
    /// (`#sec-...`), or a relative `?q=`/`?locale=` link.
    App,
    /// A web page elsewhere; the normalised URL (scheme lower-cased,
    /// protocol-relative made `https:`).
    Outside(String),
    /// `mailto:` or `tel:`: handed to the agent's mail or phone client.
    Contact,
    /// Anything else: no navigation at all.
    Neutralised,
}

/// Classifies `href` the way a browser parses it: leading and trailing
/// spaces and control characters dropped, tabs and newlines removed
/// anywhere, the scheme compared without case, `\` read as `/`.
pub fn classify(href: &str) -> LinkKind {
    let cleaned: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() {
        return LinkKind::Neutralised;
    }
    if cleaned.starts_with("#/a/") || cleaned.starts_with("#sec-") {
        return LinkKind::App;
    }
    if let Some(query) = cleaned.strip_prefix('?') {
        let app_parameter = query.split('&').all(|pair| matches!(pair.split('=').next(), Some("q" | "locale" | "in" | "f")));
        return if app_parameter { LinkKind::App } else { LinkKind::Neutralised };
    }
    let slashes: String = cleaned.chars().take(2).map(|c| if c == '\\' { '/' } else { c }).collect();
    if slashes == "//" {
        let rest: String = cleaned.chars().skip(2).collect();
        return LinkKind::Outside(format!("https://{}", rest.replace('\\', "/")));
    }
    let Some((scheme, rest)) = cleaned.split_once(':') else {
        return LinkKind::Neutralised;
    };
    let is_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return LinkKind::Neutralised;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => {
            let rest = rest.replace('\\', "/");
            if rest.starts_with("//") && rest.len() > 2 {
                LinkKind::Outside(format!("{}:{rest}", scheme.to_ascii_lowercase()))
            } else {
                LinkKind::Neutralised
            }
        }
        "mailto" | "tel" => LinkKind::Contact,
        _ => LinkKind::Neutralised,
    }
}

/// The origin (`https://cdn.example.com`) of an outside URL, lower-cased.
pub fn origin_of(url: &str) -> Option<String> {
    let LinkKind::Outside(url) = classify(url) else { return None };
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// The id a kb imported from a help centre or wiki gives an old article
/// address, which `cuecard import` records in the article's
/// `redirect_from`: a Zendesk Guide article URL
/// (`https://acme.zendesk.com/hc/en-us/articles/360001-Reset`, or its path)
/// becomes its numeric id (`360001`); a Confluence page URL
/// (`.../pages/viewpage.action?pageId=98312`, Cloud's
/// `.../wiki/spaces/SUP/pages/98312/Refunds`) its page id (`98312`).
/// Anything else is kept as it is.
pub fn imported_article_id(id: &str) -> String {
    let digits_after = |marker: &str| -> Option<String> {
        let at = id.find(marker)?;
        let digits: String = id[at + marker.len()..].chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    };
    // Only inside the systems' own paths (`/hc/.../articles/`, Cloud's
    // `/spaces/.../pages/`): a kb's own id may hold `articles/2024-...`.
    let help_centre = || if id.contains("/hc/") { digits_after("/articles/") } else { None };
    let cloud_page = || if id.contains("/spaces/") { digits_after("/pages/") } else { None };
    help_centre().or_else(|| digits_after("pageId=")).or_else(cloud_page).unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_in_any_case_and_protocol_relative_ones_are_outside() {
        assert_eq!(classify("https://example.com/a"), LinkKind::Outside("https://example.com/a".into()));
        assert_eq!(classify("HTTPS://evil.test"), LinkKind::Outside("https://evil.test".into()));
        assert_eq!(classify("Http://x.test"), LinkKind::Outside("http://x.test".into()));
        assert_eq!(classify("//evil.test/p"), LinkKind::Outside("https://evil.test/p".into()));
        assert_eq!(classify("/\\evil.test"), LinkKind::Outside("https://evil.test".into()));
        assert_eq!(classify(" \thttps://x.test "), LinkKind::Outside("https://x.test".into()));
    }

    #[test]
    fn app_routes_and_contacts_are_kept() {
        for href in ["#/a/billing/refund", "#sec-steps", "?q=refund", "?locale=de-DE&q=x"] {
            assert_eq!(classify(href), LinkKind::App, "{href}");
        }
        assert_eq!(classify("mailto:help@example.com"), LinkKind::Contact);
        assert_eq!(classify("TEL:+15551234"), LinkKind::Contact);
    }

    #[test]
    fn everything_else_is_neutralised() {
        for href in ["../x.html", "/abs/path", "javascript:alert(1)", "java\tscript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "ftp://x", "?next=//evil", "", "https:evil.test", "x.pdf", "#top"] {
            assert_eq!(classify(href), LinkKind::Neutralised, "{href}");
        }
    }

    #[test]
    fn origins_of_outside_urls() {
        assert_eq!(origin_of("https://CDN.example.com/img/a.png").as_deref(), Some("https://cdn.example.com"));
        assert_eq!(origin_of("//u:p@cdn.example.com:8443/a").as_deref(), Some("https://cdn.example.com:8443"));
        assert_eq!(origin_of("../a.png"), None);
    }

    #[test]
    fn a_help_centre_article_url_names_its_numeric_id() {
        assert_eq!(imported_article_id("https://acme.zendesk.com/hc/en-us/articles/360001-Reset-your-router"), "360001");
        assert_eq!(imported_article_id("/hc/de/articles/360001#section"), "360001");
        assert_eq!(imported_article_id("billing/refund-annual-plan"), "billing/refund-annual-plan");
        assert_eq!(imported_article_id("docs/articles/setup"), "docs/articles/setup");
        assert_eq!(imported_article_id("https://wiki.example.com/pages/viewpage.action?pageId=98312"), "98312");
        assert_eq!(imported_article_id("https://acme.atlassian.net/wiki/spaces/SUP/pages/98312/Refund+a+card+payment"), "98312");
        assert_eq!(imported_article_id("billing/pages/overview"), "billing/pages/overview");
        assert_eq!(imported_article_id("offers/pages/2024-summer"), "offers/pages/2024-summer");
        assert_eq!(imported_article_id("news/articles/2024-recap"), "news/articles/2024-recap");
    }
}
