//! Markdown -> safe HTML plus the plain text and structure search needs.
//!
//! GitHub-flavoured (tables, task lists, strikethrough, autolinks, alerts,
//! footnotes, heading anchors). Raw HTML is never passed through: comrak's
//! safe mode drops it and dangerous link schemes, so an article can hold
//! anything and the page stays safe.

use comrak::nodes::{NodeValue, AstNode};
use comrak::{Anchorizer, Arena, Options, format_html, parse_document};

use cuecard_engine::model::Heading;

/// Prefix of heading anchors, so they cannot collide with the app's own ids.
pub const ANCHOR_PREFIX: &str = "sec-";

/// What rendering one Markdown body yields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    /// Safe HTML of the body, without the title heading when that was used.
    pub html: String,
    /// Text of the first level-1 heading, when it opens the document.
    pub leading_title: Option<String>,
    /// Text of the first paragraph.
    pub first_paragraph: Option<String>,
    /// Headings of the body (not the title), in order, with their anchors.
    pub headings: Vec<Heading>,
    /// The body as plain text, blocks separated by newlines.
    pub text: String,
}

fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.extension.alerts = true;
    options.extension.header_id_prefix = Some(ANCHOR_PREFIX.to_string());
    options.extension.header_id_prefix_in_href = true;
    options.render.r#unsafe = false;
    options
}

/// Renders `markdown` of the article at `path_in_locale`. When it opens with
/// a level-1 heading, that heading is taken out of the HTML (the app shows
/// the title itself) and returned. Relative links to other articles become
/// app routes (`#/a/<id>`), so they open inside the app under any base path.
pub fn render(markdown: &str, path_in_locale: &str) -> Rendered {
    let arena = Arena::new();
    let options = options();
    let root = parse_document(&arena, markdown, &options);
    for node in root.descendants() {
        if let NodeValue::Link(link) = &mut node.data_mut().value {
            if let Some(route) = article_route(&link.url, path_in_locale) {
                link.url = route;
            }
        }
    }

    let mut rendered = Rendered::default();
    if let Some(first) = root.first_child() {
        if matches!(first.data().value, NodeValue::Heading(ref h) if h.level == 1) {
            rendered.leading_title = Some(first.collect_text().trim().to_string());
            first.detach();
        }
    }

    let mut anchorizer = Anchorizer::new();
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Heading(heading) => {
                let text = node.collect_text();
                rendered.headings.push(Heading {
                    level: heading.level,
                    anchor: format!("{ANCHOR_PREFIX}{}", anchorizer.anchorize(&text)),
                    text: text.trim().to_string(),
                });
            }
            NodeValue::Paragraph if rendered.first_paragraph.is_none() => {
                let text = inline_text(node);
                if !text.is_empty() {
                    rendered.first_paragraph = Some(text);
                }
            }
            _ => {}
        }
    }
    rendered.text = block_text(root);

    let mut html = String::new();
    if format_html(root, &options, &mut html).is_ok() {
        rendered.html = html;
    }
    rendered
}

/// The app route for a relative link to another article, resolved against
/// the linking article's folder (`../billing/refund.md#steps` from
/// `devices/x.md` -> `#/a/billing/refund`). `None` for any other link.
pub fn article_route(url: &str, path_in_locale: &str) -> Option<String> {
    let has_scheme = url.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/'));
    if url.is_empty() || has_scheme || url.starts_with(['/', '#', '?']) {
        return None;
    }
    let target = url.split(['#', '?']).next().unwrap_or(url);
    let target = target.strip_suffix(".md").or_else(|| target.strip_suffix(".markdown")).unwrap_or(target);
    if target.is_empty() || target.rsplit('/').next().is_some_and(|name| name.contains('.')) {
        return None; // an image or another file, not an article
    }
    let mut parts: Vec<&str> = path_in_locale.split('/').collect();
    parts.pop(); // the linking article's own file name
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    Some(format!("#/a/{}", parts.join("/")))
}

/// Plain text of an inline container, with line breaks as spaces.
fn inline_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for child in node.descendants().skip(1) {
        match &child.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(code) => text.push_str(&code.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain text of a whole document: each leaf block on its own line.
fn block_text<'a>(root: &'a AstNode<'a>) -> String {
    let mut lines = Vec::new();
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell => {
                let text = inline_text(node);
                if !text.is_empty() {
                    lines.push(text);
                }
            }
            NodeValue::CodeBlock(block) => {
                let text = block.literal.trim();
                if !text.is_empty() {
                    lines.push(text.to_string());
                }
            }
            _ => {}
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_test(markdown: &str) -> Rendered {
        render(markdown, "billing/article.md")
    }

    #[test]
    fn relative_article_links_become_app_routes() {
        assert_eq!(article_route("cancel-monthly-plan", "billing/refund.md").as_deref(), Some("#/a/billing/cancel-monthly-plan"));
        assert_eq!(article_route("../devices/router.md#e-4012", "billing/refund.md").as_deref(), Some("#/a/devices/router"));
        assert_eq!(article_route("./sub/x.md", "a.md").as_deref(), Some("#/a/sub/x"));
        for other in ["https://example.com", "mailto:a@b.c", "#steps", "/abs", "diagram.png", ""] {
            assert_eq!(article_route(other, "billing/refund.md"), None, "{other}");
        }
        let r = render_test("[Cancel](cancel-monthly-plan) [Site](https://example.com)");
        assert!(r.html.contains(r##"href="#/a/billing/cancel-monthly-plan""##), "{}", r.html);
        assert!(r.html.contains(r#"href="https://example.com""#), "{}", r.html);
    }

    #[test]
    fn takes_the_leading_title_out_of_the_html() {
        let r = render_test("# Refund an annual plan\n\nFirst *para*\ngraph.\n\n## Eligibility\n\nText.\n");
        assert_eq!(r.leading_title.as_deref(), Some("Refund an annual plan"));
        assert_eq!(r.first_paragraph.as_deref(), Some("First para graph."));
        assert!(!r.html.contains("<h1"), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="sec-eligibility">"#), "{}", r.html);
        assert!(r.html.contains(r##"href="#sec-eligibility""##), "{}", r.html);
        assert_eq!(r.headings, [Heading { level: 2, text: "Eligibility".into(), anchor: "sec-eligibility".into() }]);
    }

    #[test]
    fn a_later_h1_is_not_the_title() {
        let r = render_test("Intro.\n\n# Not first\n");
        assert_eq!(r.leading_title, None);
        assert!(r.html.contains("<h1"));
    }

    #[test]
    fn renders_github_flavoured_markdown() {
        let r = render_test("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ https://example.com\n\n> [!WARNING]\n> Careful\n");
        for expected in ["<table>", "checked", "<del>old</del>", r#"href="https://example.com""#, "markdown-alert-warning"] {
            assert!(r.html.contains(expected), "missing {expected} in {}", r.html);
        }
    }

    #[test]
    fn raw_html_and_script_never_pass_through() {
        let r = render_test(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(2)> <b onclick=\"x()\">b</b>\n\n[click](javascript:alert(3)) [d](data:text/html;base64,PHNjcmlwdD4=)\n\n<iframe src=\"https://evil\"></iframe>\n",
        );
        let html = r.html.to_lowercase();
        for forbidden in ["<script", "<img", "onerror", "onclick", "javascript:", "data:text/html", "<iframe"] {
            assert!(!html.contains(forbidden), "{forbidden} leaked into {html}");
        }
    }

    #[test]
    fn text_keeps_blocks_and_code() {
        let r = render_test("# T\n\n> Summary line\n\n- `tar -xf file`\n\n```\nls -la\n```\n");
        assert_eq!(r.text, "Summary line\ntar -xf file\nls -la");
        assert_eq!(r.first_paragraph.as_deref(), Some("Summary line"));
    }

    #[test]
    fn heading_anchors_match_the_html_even_when_repeated() {
        let r = render_test("## Steps\n\n## Steps\n");
        assert_eq!(r.headings[1].anchor, "sec-steps-1");
        assert!(r.html.contains(r#"id="sec-steps-1""#), "{}", r.html);
    }
}
