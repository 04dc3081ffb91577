//! DocFX syntax that docs hosts render and Markdown does not, as
//! Microsoft's published support articles use it:
//!
//! - `> [!div class="nextstepaction"]` and the link quoted after it: the
//!   marker goes and the link stays, a plain link outside the quote;
//! - `[!VIDEO https://...]`: a link to the video in the reader's language
//!   (never an embedded frame, which would load a third party's page);
//! - tab groups, `# [Windows](#tab/windows)` ... `---`: each tab a section
//!   headed by its name, with the anchor `tab/windows` so links to
//!   `#tab/windows` resolve; the `---` that ends the group goes.
//!
//! Done on the text before parsing, line for line, so every line keeps its
//! number; fenced code is left alone (VBA's `[!a-z]` in code is text).

use crate::article::fences::CodeFences;

/// The quote markers (`>`, `> >`, with their spaces) a line starts with,
/// and the rest.
fn quoted(line: &str) -> (&str, &str) {
    let mut end = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'>' => {
                i += 1;
                end = i;
            }
            _ => break,
        }
    }
    let rest = &line[end..];
    (&line[..end], rest.strip_prefix(' ').unwrap_or(rest))
}

/// `[!div ...]` alone on a line.
fn is_div_marker(text: &str) -> bool {
    let text = text.trim();
    text.len() > 6 && text[..6].eq_ignore_ascii_case("[!div ") && text.ends_with(']')
}

/// The URL of `[!VIDEO url]` alone on a line.
fn video_url(text: &str) -> Option<&str> {
    let text = text.trim();
    let inner = text.strip_suffix(']')?;
    let prefix = inner.get(..8)?;
    prefix.eq_ignore_ascii_case("[!video ").then(|| inner[8..].trim())
}

/// A tab heading, `## [Name](#tab/id)`: its `#`s, its name and its id.
fn tab_heading(line: &str) -> Option<(&str, &str, &str)> {
    let trimmed = line.trim_start();
    let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = trimmed[hashes..].strip_prefix(' ')?.trim();
    let inner = rest.strip_prefix('[')?;
    let (name, target) = inner.split_once("](")?;
    let id = target.strip_suffix(')')?.strip_prefix("#tab/")?;
    let plain_id = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
    (plain_id && !name.trim().is_empty()).then(|| (&trimmed[..hashes], name.trim(), id))
}

/// `text` with DocFX's `[!div]`, `[!VIDEO]` and tab groups in plain
/// Markdown; `watch_video` labels a video's link.
pub fn convert(text: &str, watch_video: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("[!div") && !lower.contains("[!video") && !lower.contains("](#tab/") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut fences = CodeFences::default();
    // Inside the quote a `[!div]` opened: its lines lose one quote level.
    let mut in_div_quote = false;
    let mut in_tabs = false;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if fences.is_fence(body) || fences.in_code() {
            out.push_str(line);
            continue;
        }
        let (quote, content) = quoted(body);
        if in_div_quote && quote.is_empty() {
            in_div_quote = false;
        }
        if is_div_marker(content) {
            in_div_quote = !quote.is_empty();
            out.push_str(end);
            continue;
        }
        let (quote, content) = match in_div_quote {
            true => ("", content),
            false => (quote, content),
        };
        if let Some(url) = video_url(content) {
            // A link to the video, outside any quote it was in.
            if url.is_empty() || url.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>')) {
                out.push_str(watch_video);
            } else {
                out.push_str(&format!("[{watch_video}](<{url}>)"));
            }
            out.push_str(end);
            continue;
        }
        if quote.is_empty()
            && let Some((hashes, name, id)) = tab_heading(content)
        {
            in_tabs = true;
            out.push_str(&format!("{hashes} {name} <a id=\"tab/{id}\"></a>{end}"));
            continue;
        }
        if in_tabs && quote.is_empty() && content.trim() == "---" {
            in_tabs = false;
            out.push_str(end);
            continue;
        }
        out.push_str(quote);
        if !quote.is_empty() && !content.is_empty() {
            out.push(' ');
        }
        out.push_str(content);
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_step_links_lose_the_marker_and_the_quote() {
        let text = "Intro.\n\n> [!div class=\"nextstepaction\"]\n> [Set up the router](setup.md)\n\nAfter.\n";
        assert_eq!(convert(text, "Watch"), "Intro.\n\n\n[Set up the router](setup.md)\n\nAfter.\n");
    }

    #[test]
    fn videos_become_links_and_keep_their_line() {
        assert_eq!(convert("> [!VIDEO https://www.example.com/embed/x1]\n", "Watch the video"), "[Watch the video](<https://www.example.com/embed/x1>)\n");
        assert_eq!(convert("[!video https://v.example/a b]\n", "Watch"), "Watch\n");
    }

    #[test]
    fn tab_groups_become_headed_sections_with_their_anchors() {
        let text = "# [Windows](#tab/windows)\n\nPress Start.\n\n# [macOS](#tab/macos)\n\nOpen Finder.\n\n---\n\nAfter the tabs.\n";
        let out = convert(text, "Watch");
        assert_eq!(
            out,
            "# Windows <a id=\"tab/windows\"></a>\n\nPress Start.\n\n# macOS <a id=\"tab/macos\"></a>\n\nOpen Finder.\n\n\n\nAfter the tabs.\n"
        );
        assert_eq!(out.lines().count(), text.lines().count());
    }

    #[test]
    fn code_and_other_brackets_are_left_alone() {
        let text = "```vb\nIf x Like \"[!a-z]\" Then\n[!div class=\"x\"]\n```\nUse `[!VIDEO x]` as written.\n";
        assert_eq!(convert(text, "Watch"), text);
        assert_eq!(convert("A rule\n\n---\n", "Watch"), "A rule\n\n---\n", "a `---` outside a tab group stays");
    }
}
