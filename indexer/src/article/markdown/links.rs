//! Where a link in an article points: relative or not, and the article id
//! and anchor of a link to a `.md` file.

/// Whether `url` is relative to the article (not a scheme, not `#`, `/`, `?`).
pub fn is_relative_url(url: &str) -> bool {
    !url.is_empty() && !url.starts_with(['#', '/', '?']) && url.split_once(':').is_none_or(|(scheme, _)| scheme.contains('/'))
}

/// The article id (and heading anchor) a relative link to a `.md` file points to, resolved
/// against the linking article's folder (`../billing/refund.md#steps` from
/// `devices/x.md` -> `billing/refund`, `steps`). `None` for any other link.
pub fn resolve_article_link(url: &str, path_in_locale: &str) -> Option<(String, Option<String>)> {
    let has_scheme = url.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/'));
    if url.is_empty() || has_scheme || url.starts_with(['/', '#', '?']) {
        return None;
    }
    let anchor = url.split_once('#').map(|(_, a)| a.to_string()).filter(|a| !a.is_empty());
    let target = url.split(['#', '?']).next().unwrap_or(url);
    // Only links to Markdown files are article links (they also work when
    // the kb is read on a git host); `[t](time)` may be plain text.
    let target = target.strip_suffix(".md").or_else(|| target.strip_suffix(".markdown"))?;
    if target.is_empty() || target.ends_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = path_in_locale.split('/').collect();
    parts.pop(); // the linking article's own file name
    // `~/` starts at the locale's root (docs-site syntax).
    let target = match target.strip_prefix("~/") {
        Some(rooted) => {
            parts.clear();
            rooted
        }
        None => target,
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    Some((parts.join("/"), anchor))
}
