//! Explicit anchors docs trees write as raw HTML (`<a id="x"></a>`,
//! `<a name="x">`): the ids, when the HTML is nothing else.

/// The ids of raw HTML that is nothing but explicit anchors
/// (`<a id="x"></a>`, `<a name="x">`, `</a>`); `None` for any other HTML.
pub fn explicit_anchors(html: &str) -> Option<Vec<String>> {
    let mut ids = Vec::new();
    let mut rest = html.trim();
    while !rest.is_empty() {
        let lower = rest.to_ascii_lowercase();
        if let Some(after) = lower.strip_prefix("</a") {
            let close = after.find('>')?;
            if !after[..close].trim().is_empty() {
                return None;
            }
            rest = rest[3 + close + 1..].trim_start();
            continue;
        }
        let after = lower.strip_prefix("<a")?;
        if !after.starts_with(|c: char| c.is_whitespace()) {
            return None;
        }
        let end = after.find('>')?;
        let attributes = &rest[2..2 + end];
        let mut id = None;
        for (name, value) in attributes_of(attributes.trim_end_matches('/'))? {
            match name.as_str() {
                "id" | "name" if !value.is_empty() => id = Some(value),
                "id" | "name" => return None,
                _ => return None,
            }
        }
        ids.push(id?);
        rest = rest[2 + end + 1..].trim_start();
    }
    Some(ids)
}

/// `name="value"` pairs of a tag's attribute text (quotes optional).
fn attributes_of(text: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value;
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            if let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let close = after[1..].find(quote)?;
                value = after[1..1 + close].to_string();
                rest = after[1 + close + 1..].trim_start();
            } else {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                value = after[..end].to_string();
                rest = after[end..].trim_start();
            }
        } else {
            value = String::new();
        }
        out.push((name, value));
    }
    Some(out)
}
