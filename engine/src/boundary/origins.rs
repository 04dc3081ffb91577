//! Who may embed the app: host origins written in CSP source syntax
//! (`https://crm.example.com`, `https://*.my.salesforce.com`,
//! `http://localhost:8080`), and one matcher for them. The app uses it to
//! accept `postMessage`s; the indexer writes the same list into the
//! `frame-ancestors` header, so the browser and the app agree on who is
//! allowed.
//!
//! Only what a host page's origin can be is accepted: a scheme (`https` or
//! `http`), a host (optionally starting with `*.`), an optional port (or
//! `*`). No paths, no bare `*`, no scheme-only sources: an allow-list that
//! lets every site in is not an allow-list.

use std::fmt;

/// One allowed host origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    /// Lower-cased host; for a wildcard, the part after `*.`.
    host: String,
    wildcard: bool,
    port: Port,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    /// No port written: the scheme's default port.
    Default,
    Number(u16),
    Any,
}

/// Why a source expression is not an allowed host origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl OriginPattern {
    /// Parses `https://crm.example.com`, `https://*.tenant.example`,
    /// `http://localhost:8080`. A trailing `/` is allowed.
    pub fn parse(source: &str) -> Result<OriginPattern, PatternError> {
        let source = source.trim();
        let fail = |why: &str| Err(PatternError(format!("`{source}` {why}")));
        let Some((scheme, rest)) = source.split_once("://") else {
            return fail("needs a scheme: write it as https://host");
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return fail("must start with https:// or http://");
        }
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#', '@', ' ']) {
            return fail("must be an origin only: no path, query or user");
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, "*")) => (host, Port::Any),
            Some((host, digits)) => match digits.parse::<u16>() {
                Ok(n) if n > 0 => (host, Port::Number(n)),
                _ => return fail("has a port that is not a number from 1 to 65535 or *"),
            },
            None => (rest, Port::Default),
        };
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, host),
        };
        let valid_label = |label: &str| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if host.is_empty() || !host.split('.').all(valid_label) {
            return fail("has no valid host name (letters, digits, `-` and dots; `*.` only at the start)");
        }
        if wildcard && !host.contains('.') {
            return fail("is a wildcard over a whole top-level domain: name the organisation's domain, e.g. https://*.example.com");
        }
        Ok(OriginPattern { scheme, host: host.to_ascii_lowercase(), wildcard, port })
    }

    /// Whether `origin` (`https://acme.my.salesforce.com`, as a browser
    /// reports it in `MessageEvent.origin`) is allowed by this pattern. A
    /// wildcard matches subdomains, never the bare domain (as in CSP).
    pub fn matches(&self, origin: &str) -> bool {
        let Some((scheme, rest)) = origin.split_once("://") else { return false };
        if !scheme.eq_ignore_ascii_case(&self.scheme) || rest.contains(['/', '?', '#', '@']) {
            return false;
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => match port.parse::<u16>() {
                Ok(port) => (host, Some(port)),
                Err(_) => return false,
            },
            None => (rest, None),
        };
        let host = host.to_ascii_lowercase();
        let host_ok = if self.wildcard {
            host.strip_suffix(&self.host).and_then(|sub| sub.strip_suffix('.')).is_some_and(|sub| !sub.is_empty())
        } else {
            host == self.host
        };
        let default_port = if self.scheme == "https" { 443 } else { 80 };
        let port = port.unwrap_or(default_port);
        let port_ok = match self.port {
            Port::Default => port == default_port,
            Port::Number(n) => port == n,
            Port::Any => true,
        };
        host_ok && port_ok
    }

    /// The one origin this pattern allows, when it allows exactly one.
    pub fn exact_origin(&self) -> Option<String> {
        if self.wildcard || self.port == Port::Any {
            return None;
        }
        Some(match self.port {
            Port::Number(n) => format!("{}://{}:{n}", self.scheme, self.host),
            _ => format!("{}://{}", self.scheme, self.host),
        })
    }
}

impl fmt::Display for OriginPattern {
    /// The pattern as a CSP source expression.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}{}", self.scheme, if self.wildcard { "*." } else { "" }, self.host)?;
        match self.port {
            Port::Default => Ok(()),
            Port::Number(n) => write!(f, ":{n}"),
            Port::Any => f.write_str(":*"),
        }
    }
}

/// The host pages allowed to embed and drive the app. Empty: none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedPolicy {
    allowed: Vec<OriginPattern>,
}

impl EmbedPolicy {
    /// The policy of a bundle's list. Entries that do not parse allow
    /// nothing (`cuecard check` reports them; a bundle never holds them).
    pub fn from_sources<S: AsRef<str>>(sources: &[S]) -> EmbedPolicy {
        EmbedPolicy { allowed: sources.iter().filter_map(|s| OriginPattern::parse(s.as_ref()).ok()).collect() }
    }

    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty()
    }

    pub fn allows(&self, origin: &str) -> bool {
        self.allowed.iter().any(|p| p.matches(origin))
    }

    /// The policy narrowed by the page URL's `embed_origin`: just that
    /// origin when the list allows it, else nothing. A URL never widens
    /// the list (the framing page writes the URL).
    pub fn narrowed_to(&self, origin: Option<&str>) -> EmbedPolicy {
        let Some(origin) = origin else { return self.clone() };
        let exact = OriginPattern::parse(origin).ok().filter(|p| p.exact_origin().is_some());
        match exact {
            Some(pattern) if pattern.exact_origin().is_some_and(|o| self.allows(&o)) => EmbedPolicy { allowed: vec![pattern] },
            _ => EmbedPolicy::default(),
        }
    }

    /// The host's origin when the policy allows exactly one.
    pub fn only_origin(&self) -> Option<String> {
        match self.allowed.as_slice() {
            [one] => one.exact_origin(),
            _ => None,
        }
    }

    /// The `frame-ancestors` value: the allowed origins, or `'none'`.
    pub fn frame_ancestors(&self) -> String {
        if self.allowed.is_empty() {
            return "'none'".to_string();
        }
        self.allowed.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(source: &str) -> OriginPattern {
        OriginPattern::parse(source).unwrap()
    }

    #[test]
    fn an_exact_origin_matches_itself_with_or_without_its_default_port() {
        let crm = pattern("https://CRM.example.com/");
        assert!(crm.matches("https://crm.example.com"));
        assert!(crm.matches("https://crm.example.com:443"));
        assert!(!crm.matches("https://crm.example.com:8443"));
        assert!(!crm.matches("http://crm.example.com"));
        assert!(!crm.matches("https://crm.example.com.evil.net"));
        assert!(!crm.matches("https://evilcrm.example.com"));
        assert_eq!(crm.exact_origin().as_deref(), Some("https://crm.example.com"));
    }

    #[test]
    fn a_wildcard_matches_subdomains_only() {
        let tenants = pattern("https://*.my.salesforce.com");
        assert!(tenants.matches("https://acme.my.salesforce.com"));
        assert!(tenants.matches("https://a.b.my.salesforce.com"));
        assert!(!tenants.matches("https://my.salesforce.com"));
        assert!(!tenants.matches("https://evilmy.salesforce.com"));
        assert!(!tenants.matches("https://acme.my.salesforce.com.evil.net"));
        assert!(!tenants.matches("http://acme.my.salesforce.com"));
        assert_eq!(tenants.exact_origin(), None);
        assert_eq!(tenants.to_string(), "https://*.my.salesforce.com");
    }

    #[test]
    fn ports_follow_csp() {
        assert!(pattern("http://localhost:8080").matches("http://localhost:8080"));
        assert!(!pattern("http://localhost:8080").matches("http://localhost:8081"));
        assert!(pattern("http://127.0.0.1:*").matches("http://127.0.0.1:41234"));
        assert!(!pattern("http://127.0.0.1").matches("http://127.0.0.1:41234"));
    }

    #[test]
    fn what_is_not_a_host_origin_is_refused() {
        for bad in ["*", "https://*", "https:", "crm.example.com", "javascript://x", "https://*.com", "https://crm.example.com/path", "https://a..b", "https://x:0", "https://x:99999", "https://u@crm.example.com", "'self'", "https://cr*m.example.com"] {
            assert!(OriginPattern::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn a_url_parameter_narrows_and_never_widens() {
        let policy = EmbedPolicy::from_sources(&["https://*.my.salesforce.com", "https://crm.example.com"]);
        let narrowed = policy.narrowed_to(Some("https://acme.my.salesforce.com"));
        assert!(narrowed.allows("https://acme.my.salesforce.com"));
        assert!(!narrowed.allows("https://other.my.salesforce.com"));
        assert_eq!(narrowed.only_origin().as_deref(), Some("https://acme.my.salesforce.com"));
        assert!(policy.narrowed_to(Some("https://evil.example")).is_empty());
        assert!(policy.narrowed_to(Some("*")).is_empty());
        assert!(policy.narrowed_to(Some("https://*.my.salesforce.com")).is_empty());
        assert_eq!(policy.narrowed_to(None), policy);
        assert!(EmbedPolicy::default().narrowed_to(Some("https://crm.example.com")).is_empty());
    }

    #[test]
    fn frame_ancestors_lists_the_origins_or_none() {
        assert_eq!(EmbedPolicy::default().frame_ancestors(), "'none'");
        let policy = EmbedPolicy::from_sources(&["https://*.my.salesforce.com", "http://localhost:8080/"]);
        assert_eq!(policy.frame_ancestors(), "https://*.my.salesforce.com http://localhost:8080");
        assert_eq!(policy.only_origin(), None);
    }
}
