//! `:::` container directives of docs sites (Docusaurus, DocFX, VitePress):
//! `:::note`, `:::tip`, `:::warning`, `:::caution` (and `info`, `danger`,
//! `important`) become the alerts `> [!NOTE]` gives, with any title kept;
//! any other directive (`:::zone pivot=...` to `:::zone-end`, `::: moniker range=...`)
//! loses its marker lines and keeps its content. Done on the text before
//! parsing, line for line, so every line keeps its number; fenced code is
//! left alone.

/// The alert a directive name stands for, if any.
fn alert_of(name: &str) -> Option<&'static str> {
    match name.to_ascii_lowercase().as_str() {
        "note" | "info" => Some("NOTE"),
        "tip" => Some("TIP"),
        "important" => Some("IMPORTANT"),
        "warning" => Some("WARNING"),
        "caution" | "danger" => Some("CAUTION"),
        _ => None,
    }
}

/// An opening `:::name rest` line: the name and the rest.
fn opening(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix(":::")?.trim_start_matches(':').trim_start();
    let name_end = rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
    (name_end > 0).then(|| (&rest[..name_end], rest[name_end..].trim()))
}

fn is_closing(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.len() >= 3 && trimmed.chars().all(|c| c == ':')
}

/// `text` with its `:::` directives turned into alerts or plain content.
pub fn convert(text: &str) -> String {
    if !text.contains(":::") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    // Open directives, outermost first: whether each is an alert (which
    // quotes the lines inside it).
    let mut open: Vec<bool> = Vec::new();
    let mut fences = crate::article::fences::CodeFences::default();
    for line in text.split_inclusive('\n') {
        let (content, newline) = line.strip_suffix('\n').map_or((line, ""), |c| (c, "\n"));
        let quotes = "> ".repeat(open.iter().filter(|a| **a).count());
        if fences.is_fence(content) {
            out.push_str(&quotes);
            out.push_str(content);
            out.push_str(newline);
            continue;
        }
        if !fences.in_code() {
            if let Some((name, title)) = opening(content).filter(|(name, _)| !name.ends_with("-end")) {
                match alert_of(name) {
                    Some(kind) => {
                        out.push_str(&format!("{quotes}> [!{kind}]"));
                        if !title.is_empty() {
                            out.push(' ');
                            out.push_str(title);
                        }
                        open.push(true);
                    }
                    None => {
                        out.push_str(quotes.trim_end());
                        open.push(false);
                    }
                }
                out.push_str(newline);
                continue;
            }
            let closes = is_closing(content) || opening(content).is_some_and(|(name, _)| name.ends_with("-end"));
            if closes && !open.is_empty() {
                open.pop();
                let outer = "> ".repeat(open.iter().filter(|a| **a).count());
                out.push_str(outer.trim_end());
                out.push_str(newline);
                continue;
            }
        }
        out.push_str(&quotes);
        out.push_str(content);
        out.push_str(newline);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonitions_become_alerts_line_for_line() {
        let text = "Intro\n\n:::note\nRead this.\n:::\n\n:::warning Be careful\nHot.\n:::\n";
        let out = convert(text);
        assert_eq!(out, "Intro\n\n> [!NOTE]\n> Read this.\n\n\n> [!WARNING] Be careful\n> Hot.\n\n");
        assert_eq!(out.lines().count(), text.lines().count());
    }

    #[test]
    fn other_directives_lose_their_markers_and_keep_content() {
        assert_eq!(convert(":::zone pivot=\"windows\"\nSteps.\n:::zone-end\n"), "\nSteps.\n\n");
        assert_eq!(convert("::: moniker range=\">=v2\"\nText.\n:::\n"), "\nText.\n\n");
    }

    #[test]
    fn nested_and_fenced() {
        let out = convert(":::tip\n```\n:::note\n```\n:::\n");
        assert_eq!(out, "> [!TIP]\n> ```\n> :::note\n> ```\n\n");
        let out = convert(":::note\n:::tabs\nx\n:::\n:::\n");
        assert_eq!(out, "> [!NOTE]\n>\n> x\n>\n\n");
    }
}
