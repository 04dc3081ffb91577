//! "Report a problem" with an article: the report an agent sends to the
//! knowledge team, as plain text (copied, or the `{body}` of a link) and
//! as the kb's tracker link (`cuecard.yaml`'s `feedback.url`, a template
//! with placeholders). The indexer checks the template; the app fills it.

/// Placeholders a feedback template may use, each replaced by its value,
/// percent-encoded.
pub const PLACEHOLDERS: [&str; 8] = ["id", "title", "locale", "path", "owner", "bundle", "note", "body"];

/// Why a feedback link template cannot be used, if it cannot: only http(s)
/// and `mailto:` links, and only known placeholders.
pub fn check_template(template: &str) -> Result<(), String> {
    let scheme = template.split_once(':').map(|(s, _)| s.to_ascii_lowercase()).unwrap_or_default();
    if !matches!(scheme.as_str(), "https" | "http" | "mailto") {
        return Err(format!("`{template}` is not an http(s) or mailto: link"));
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return Err("a `{` is not closed".to_string());
        };
        let name = &rest[open + 1..open + close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(format!("`{{{name}}}` is not a placeholder; use {}", PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")));
        }
        rest = &rest[open + close + 1..];
    }
    Ok(())
}

/// One report: the article, where it comes from, and the agent's note
/// (already scrubbed, see [`crate::boundary::scrub`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub id: String,
    pub title: String,
    pub locale: String,
    /// The article's file in the kb repository.
    pub path: String,
    pub owner: String,
    /// Which published bundle the agent was reading (its build time, and
    /// the kb commit when known).
    pub bundle: String,
    pub note: String,
}

impl Report {
    /// The report as plain text, for the clipboard or a link's `{body}`.
    pub fn text(&self) -> String {
        let mut lines = vec![format!("Problem with “{}” ({})", self.title, self.id)];
        if !self.note.is_empty() {
            lines.push(String::new());
            lines.push(self.note.clone());
        }
        lines.push(String::new());
        lines.push(format!("File: {}", self.path));
        lines.push(format!("Locale: {}", self.locale));
        if !self.owner.is_empty() {
            lines.push(format!("Owner: {}", self.owner));
        }
        lines.push(format!("Bundle: {}", self.bundle));
        lines.join("\n")
    }

    /// `template` with every placeholder replaced by its value,
    /// percent-encoded (a template [`check_template`] accepts).
    pub fn fill(&self, template: &str) -> String {
        let mut out = template.to_string();
        for name in PLACEHOLDERS {
            let value = match name {
                "id" => self.id.clone(),
                "title" => self.title.clone(),
                "locale" => self.locale.clone(),
                "path" => self.path.clone(),
                "owner" => self.owner.clone(),
                "bundle" => self.bundle.clone(),
                "note" => self.note.clone(),
                _ => self.text(),
            };
            out = out.replace(&format!("{{{name}}}"), &percent_encode(&value));
        }
        out
    }
}

/// `value` encoded the way `encodeURIComponent` does.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            id: "billing/refunds".into(),
            title: "Refunds & fees".into(),
            locale: "en-US".into(),
            path: "en-US/billing/refunds.md".into(),
            owner: "Maya Chen (Billing)".into(),
            bundle: "2026-11-26T08:00:00Z".into(),
            note: "fee is $30 now".into(),
        }
    }

    #[test]
    fn templates_are_links_with_known_placeholders_only() {
        assert!(check_template("https://git.example/kb/issues/new?title={title}&body={body}").is_ok());
        assert!(check_template("mailto:kb@example.com?subject={title}&body={body}").is_ok());
        assert!(check_template("javascript:alert({title})").unwrap_err().contains("not an http(s) or mailto"));
        assert!(check_template("https://x.example/?q={secret}").unwrap_err().contains("`{secret}` is not a placeholder"));
        assert!(check_template("https://x.example/?q={title").is_err());
    }

    #[test]
    fn placeholders_are_filled_percent_encoded() {
        let url = report().fill("https://git.example/new?title={title}&labels={locale}&file={path}");
        assert_eq!(url, "https://git.example/new?title=Refunds%20%26%20fees&labels=en-US&file=en-US%2Fbilling%2Frefunds.md");
        let body = report().fill("mailto:kb@example.com?body={body}");
        assert!(body.contains("fee%20is%20%2430%20now"), "{body}");
        assert!(!body.contains(' ') && !body.contains('\n'), "{body}");
    }

    #[test]
    fn the_text_names_the_article_its_file_and_the_note() {
        let text = report().text();
        assert!(text.starts_with("Problem with “Refunds & fees” (billing/refunds)\n\nfee is $30 now\n"), "{text}");
        assert!(text.contains("File: en-US/billing/refunds.md") && text.contains("Owner: Maya Chen (Billing)"), "{text}");
        let without_note = Report { note: String::new(), ..report() }.text();
        assert!(!without_note.contains("\n\n\n"), "{without_note}");
    }
}
