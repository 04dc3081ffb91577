//! Markdown -> safe HTML plus the plain text and structure search needs.
//!
//! GitHub-flavoured (tables, task lists, strikethrough, autolinks, alerts,
//! footnotes, heading anchors). Raw HTML is never passed through: comrak's
//! safe mode drops it and dangerous link schemes, so an article can hold
//! anything and the page stays safe. The one piece of raw HTML kept is the
//! explicit anchor docs trees use (`<a id="x"></a>`, `<a name="x"></a>`),
//! which is re-emitted by Cuecard's own formatter as a bare element id with
//! the heading prefix, never copied through.
//!
//! Cuecard's blocks (script cards, read-verbatim disclosures) and anchors
//! are written by comrak formatter hooks on the tree (`html`); `anchors`,
//! `links` and `text` are the helpers the walk uses.

mod anchors;
mod html;
pub mod links;
mod text;

use comrak::nodes::NodeValue;
use comrak::{Anchorizer, Arena, Options, parse_document};

use cuecard_engine::links::{LinkKind, classify, origin_of};
use cuecard_engine::model::{Heading, SectionStart};

use crate::article::files::FileProblem;

pub use anchors::explicit_anchors;
use html::{CuecardHtml, escape_attribute};
pub use html::BlockLabels;
pub use links::{is_relative_url, resolve_article_link};
use text::{block_text, inline_text};

/// Prefix of heading anchors, so they cannot collide with the app's own ids.
pub const ANCHOR_PREFIX: &str = "sec-";

/// What rendering one Markdown body yields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rendered {
    /// Safe HTML of the body, without the title heading when that was used.
    pub html: String,
    /// Text of the first level-1 heading, when it opens the document.
    pub leading_title: Option<String>,
    /// The anchor a link to that title heading uses (without the prefix).
    pub title_anchor: Option<String>,
    /// Text of the first paragraph.
    pub first_paragraph: Option<String>,
    /// Headings of the body (not the title), in order, with their anchors.
    pub headings: Vec<Heading>,
    /// Explicit HTML anchors (`<a id="x">`), without the prefix.
    pub explicit_anchors: Vec<String>,
    /// The body as plain text, blocks separated by newlines.
    pub text: String,
    /// Where each heading's section starts in `text`.
    pub sections: Vec<SectionStart>,
    /// Links to articles (and in-article anchors), for `check`.
    pub links: Vec<ArticleLink>,
    /// ```` ```disclosure ID ```` blocks, in order.
    pub disclosure_blocks: Vec<DisclosureBlock>,
    /// Images in the kb that could not be used, with why.
    pub image_problems: Vec<ImageProblem>,
    /// Links the app will not follow (neither an article, a web page, nor a
    /// mail or phone address), with their positions.
    pub neutralised_links: Vec<(String, usize, usize)>,
}

/// A link from this article to an article or a heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleLink {
    /// The linked article's id; `None` for an anchor in this article.
    pub article: Option<String>,
    /// The heading anchor after `#`, if any.
    pub anchor: Option<String>,
    /// Position in the Markdown body (1-based).
    pub line: usize,
    pub column: usize,
}

/// A reference to a compliance text, to be read verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureBlock {
    /// The disclosure id named after `disclosure` (empty when missing).
    pub id: String,
    /// Whether the block held text of its own (it should be empty: the text
    /// is defined once per locale).
    pub has_own_text: bool,
    /// Whether the locale defines the id (its text was put in).
    pub known: bool,
    pub line: usize,
    pub column: usize,
}

/// An image of the kb that is not shown (its alt text is, instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageProblem {
    pub url: String,
    pub why: String,
    pub line: usize,
    pub column: usize,
}

/// Info strings of the fenced blocks Cuecard gives a meaning to.
pub const SCRIPT_INFO: &str = "script";
pub const DISCLOSURE_INFO: &str = "disclosure";

/// Deepest block nesting (`>` quotes, list indentation) rendered: deeper
/// input costs the parser time out of all proportion and means nothing.
pub const MAX_NESTING: usize = 64;

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
    // `disclosure call-recording` keeps its id as `data-meta`.
    options.render.full_info_string = true;
    options
}

/// What rendering needs besides the Markdown.
pub struct RenderContext<'a> {
    /// The article's path relative to its locale folder (`/`-separated).
    pub path_in_locale: &'a str,
    /// The verbatim text of a disclosure id, in the article's locale.
    pub disclosure_text: &'a dyn Fn(&str) -> Option<String>,
    /// Labels of script cards and disclosures, in the locale's language.
    pub labels: BlockLabels,
    /// The `src` for a relative image URL (the image copied into the
    /// bundle), or why there is none.
    pub image_src: &'a dyn Fn(&str) -> Result<String, FileProblem>,
    /// Origins outside images may load from (`https://cdn.example.com`):
    /// any other outside image is shown as a link, so opening an article
    /// tells no third party who read what.
    pub image_origins: &'a [String],
}

/// The line and depth where `markdown` nests blocks deeper than
/// [`MAX_NESTING`], if it does.
pub fn too_deep(markdown: &str) -> Option<(usize, usize)> {
    markdown.lines().enumerate().find_map(|(n, line)| {
        let lead: usize = line
            .chars()
            .take_while(|c| matches!(c, '>' | ' ' | '\t' | '-' | '*' | '+'))
            .map(|c| match c {
                '>' => 2,
                '\t' => 2,
                _ => 1,
            })
            .sum();
        let depth = lead / 2;
        (depth > MAX_NESTING).then_some((n + 1, depth))
    })
}

/// Renders `markdown` of one article. When it opens with a level-1 heading,
/// that heading is taken out of the HTML (the app shows the title itself)
/// and returned. Relative links to other articles become app routes
/// (`#/a/<id>`), so they open inside the app under any base path.
///
/// ```` ```disclosure ID ```` blocks get the locale's verbatim text
/// (defined once per locale); ```` ```script ```` blocks become cards the
/// app gives a copy button; images in the kb point at their bundle copy.
pub fn render(markdown: &str, context: &RenderContext<'_>) -> Rendered {
    let arena = Arena::new();
    let options = options();
    let root = parse_document(&arena, markdown, &options);
    let mut rendered = Rendered::default();
    for node in root.descendants() {
        let position = node.data().sourcepos.start;
        let (line, column) = (position.line, position.column);
        let mut unusable_image = None;
        let mut outside_image = None;
        match &mut node.data_mut().value {
            NodeValue::Link(link) => {
                if let Some(fragment) = link.url.strip_prefix('#').map(str::to_string) {
                    // In-article anchors point at the prefixed heading ids.
                    if !fragment.starts_with(ANCHOR_PREFIX) && !fragment.starts_with('/') {
                        link.url = format!("#{ANCHOR_PREFIX}{fragment}");
                    }
                    rendered.links.push(ArticleLink { article: None, anchor: Some(fragment), line, column });
                } else if let Some((id, anchor)) = resolve_article_link(&link.url, context.path_in_locale) {
                    // The section, if any, rides along: the app scrolls to it.
                    link.url = match &anchor {
                        Some(a) if a.starts_with(ANCHOR_PREFIX) => format!("#/a/{id}#{a}"),
                        Some(a) => format!("#/a/{id}#{ANCHOR_PREFIX}{a}"),
                        None => format!("#/a/{id}"),
                    };
                    rendered.links.push(ArticleLink { article: Some(id), anchor, line, column });
                } else if classify(&link.url) == LinkKind::Neutralised {
                    rendered.neutralised_links.push((link.url.clone(), line, column));
                }
            }
            NodeValue::Image(image) if !is_relative_url(&image.url) => {
                let allowed = origin_of(&image.url).is_some_and(|origin| {
                    context.image_origins.iter().any(|o| cuecard_engine::origins::OriginPattern::parse(o).is_ok_and(|pattern| pattern.matches(&origin)))
                });
                if !allowed {
                    outside_image = Some(image.clone());
                }
            }
            NodeValue::Image(image) if is_relative_url(&image.url) => match (context.image_src)(&image.url) {
                Ok(src) => image.url = src,
                Err(why) => {
                    rendered.image_problems.push(ImageProblem { url: image.url.clone(), why: why.to_string(), line, column });
                    unusable_image = Some(());
                }
            },
            NodeValue::CodeBlock(block) => {
                let mut words = block.info.split_whitespace();
                if words.next() == Some(DISCLOSURE_INFO) {
                    let id = words.next().unwrap_or("").to_string();
                    let text = (context.disclosure_text)(&id);
                    rendered.disclosure_blocks.push(DisclosureBlock {
                        has_own_text: !block.literal.trim().is_empty(),
                        known: text.is_some(),
                        id,
                        line,
                        column,
                    });
                    if let Some(text) = text {
                        block.literal = text;
                    }
                }
            }
            NodeValue::HtmlInline(html) => rendered.explicit_anchors.extend(explicit_anchors(html).unwrap_or_default()),
            NodeValue::HtmlBlock(block) => rendered.explicit_anchors.extend(explicit_anchors(&block.literal).unwrap_or_default()),
            _ => {}
        }
        if unusable_image.is_some() {
            // Its alt text stays, emphasised, where the image would be.
            node.data_mut().value = NodeValue::Emph;
        }
        if let Some(image) = outside_image {
            // An outside image from an origin the kb does not allow: a link
            // with its alt text, loaded only if the agent follows it.
            node.data_mut().value = NodeValue::Link(image);
        }
    }

    if let Some(first) = root.first_child() {
        if matches!(first.data().value, NodeValue::Heading(ref h) if h.level == 1) {
            let title = first.collect_text().trim().to_string();
            rendered.title_anchor = Some(Anchorizer::new().anchorize(&title));
            rendered.leading_title = Some(title);
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
    (rendered.text, rendered.sections) = block_text(root, &rendered.headings);

    let mut html = String::new();
    // A link to the title heading (`#title`, valid on docs hosts) lands at the top.
    if let Some(anchor) = &rendered.title_anchor {
        html.push_str(&format!("<a id=\"{ANCHOR_PREFIX}{}\"></a>", escape_attribute(anchor)));
    }
    if CuecardHtml::format_document(root, &options, &mut html, context.labels).is_ok() {
        rendered.html = html;
    }
    rendered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_test(markdown: &str) -> Rendered {
        let images = |url: &str| if url == "img/ok.png" { Ok("bundle/media/0123abcd.png".to_string()) } else { Err(FileProblem::Missing) };
        let context = RenderContext {
            path_in_locale: "billing/article.md",
            disclosure_text: &|id| (id == "call-recording").then(|| "Calls are recorded.".to_string()),
            labels: BlockLabels::ENGLISH,
            image_src: &images,
            image_origins: &["https://cdn.allowed.test".to_string()],
        };
        render(markdown, &context)
    }

    #[test]
    fn explicit_html_anchors_become_prefixed_ids_and_nothing_else_passes() {
        let r = render_test("<a id=\"summary\"></a>\n\n## Steps\n\n### <a name=\"x1\"></a> Heading\n\nText <a id='inline'>here</a> and <a href=\"javascript:alert(1)\" id=\"y\">bad</a>.\n");
        assert_eq!(r.explicit_anchors, ["summary", "x1", "inline"]);
        for expected in [r#"<a id="sec-summary"></a>"#, r#"<a id="sec-x1"></a>"#, r#"<a id="sec-inline"></a>"#] {
            assert!(r.html.contains(expected), "missing {expected} in {}", r.html);
        }
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("id=\"y\"") && !r.html.contains("sec-y"), "{}", r.html);
        assert_eq!(r.headings[1].text, "Heading");
        assert_eq!(explicit_anchors("<a id=\"a\" onclick=\"x()\"></a>"), None);
        assert_eq!(explicit_anchors("<a id=\"a\"></a><script>"), None);
        assert_eq!(explicit_anchors("<a id=\"q&quot;><script>\"></a>"), None, "a `>` inside a value is not an anchor");
        let r = render_test("<a id=\"q&quot;><img src=x onerror=alert(1)>\"></a>\n");
        assert!(!r.html.to_lowercase().contains("<img"), "{}", r.html);
    }

    #[test]
    fn the_title_heading_has_an_anchor_too() {
        let r = render_test("# Range.Value property (Excel)\n\nText.\n");
        assert_eq!(r.title_anchor.as_deref(), Some("rangevalue-property-excel"));
        assert!(r.html.starts_with(r#"<a id="sec-rangevalue-property-excel"></a>"#), "{}", r.html);
    }

    #[test]
    fn images_in_the_kb_point_at_their_bundle_copy_and_missing_ones_show_alt_text() {
        let r = render_test("![A router](img/ok.png) ![Gone](img/missing.png) ![Far](https://cdn.example/x.png)\n");
        assert!(r.html.contains(r#"<img src="bundle/media/0123abcd.png" alt="A router" />"#), "{}", r.html);
        assert!(r.html.contains("<em>Gone</em>"), "{}", r.html);
        assert_eq!(r.image_problems.iter().map(|p| p.url.as_str()).collect::<Vec<_>>(), ["img/missing.png"]);
    }

    #[test]
    fn links_are_classified_as_the_app_follows_them() {
        let r = render_test("[a](https://x.test/p) [b](HTTPS://evil.test) [c](//evil.test) [d](mailto:a@b.test) [e](../x.html) [f](?q=refund) [g](#steps)\n");
        for expected in [
            r#"<a href="https://x.test/p" target="_blank" rel="noopener noreferrer">a</a>"#,
            r#"<a href="https://evil.test" target="_blank" rel="noopener noreferrer">b</a>"#,
            r#"<a href="https://evil.test" target="_blank" rel="noopener noreferrer">c</a>"#,
            r#"<a href="mailto:a@b.test">d</a>"#,
            r#"<a data-neutralised="">e</a>"#,
            r#"<a href="?q=refund">f</a>"#,
            r##"<a href="#sec-steps">g</a>"##,
        ] {
            assert!(r.html.contains(expected), "missing {expected} in {}", r.html);
        }
        assert_eq!(r.neutralised_links.iter().map(|(u, _, _)| u.as_str()).collect::<Vec<_>>(), ["../x.html"]);
    }

    #[test]
    fn outside_images_load_only_from_allowed_origins() {
        let r = render_test("![tracker](https://evil.test/pixel.png) ![logo](https://CDN.allowed.test/logo.png)\n");
        assert!(r.html.contains(r#"<a href="https://evil.test/pixel.png" target="_blank" rel="noopener noreferrer">tracker</a>"#), "{}", r.html);
        assert!(r.html.contains(r#"<img src="https://CDN.allowed.test/logo.png" alt="logo" />"#), "{}", r.html);
        assert!(!r.html.contains("evil.test/pixel.png\" alt"), "{}", r.html);
    }

    #[test]
    fn deep_nesting_is_found_before_parsing() {
        assert_eq!(too_deep(&format!("ok\n{}x\n", ">".repeat(200))), Some((2, 200)));
        assert_eq!(too_deep("> > quote\n- list\n    - nested\n"), None);
    }

    #[test]
    fn relative_article_links_become_app_routes() {
        let resolve = |url, from| resolve_article_link(url, from);
        assert_eq!(resolve("cancel-monthly-plan.md", "billing/refund.md"), Some(("billing/cancel-monthly-plan".into(), None)));
        assert_eq!(resolve("../devices/router.md#e-4012", "billing/refund.md"), Some(("devices/router".into(), Some("e-4012".into()))));
        assert_eq!(resolve("./sub/x.md", "a.md"), Some(("sub/x".into(), None)));
        for other in ["https://example.com", "mailto:a@b.c", "#steps", "/abs", "diagram.png", "", "시간", "cancel-monthly-plan"] {
            assert_eq!(resolve(other, "billing/refund.md"), None, "{other}");
        }
        let r = render_test("[Cancel](cancel-monthly-plan.md) [Site](https://example.com)");
        assert!(r.html.contains(r##"href="#/a/billing/cancel-monthly-plan""##), "{}", r.html);
        assert!(r.html.contains(r#"href="https://example.com""#), "{}", r.html);
    }

    #[test]
    fn collects_links_with_their_positions() {
        let r = render_test("Intro.\n\nSee [the fee](late-fee.md#waiving) and [below](#steps).\n");
        assert_eq!(
            r.links,
            [
                ArticleLink { article: Some("billing/late-fee".into()), anchor: Some("waiving".into()), line: 3, column: 5 },
                ArticleLink { article: None, anchor: Some("steps".into()), line: 3, column: 40 },
            ]
        );
    }

    #[test]
    fn script_blocks_become_cards() {
        let r = render_test("```script\nThank you for calling <Brightwave>.\n```\n");
        assert!(r.html.starts_with("<figure class=\"script-card\" data-block=\"script\">"), "{}", r.html);
        assert!(r.html.contains("data-copy>Copy</button>\n<pre><code"), "{}", r.html);
        assert!(r.html.contains(">Thank you for calling &lt;Brightwave&gt;."), "{}", r.html);
        assert!(r.html.trim_end().ends_with("</code></pre>\n</figure>"), "{}", r.html);
    }

    #[test]
    fn code_blocks_render_the_same_bytes_every_time() {
        let first = render_test("```sql select\nSELECT 1;\n```\n").html;
        assert!(first.contains("<pre><code class=\"language-sql\" data-meta=\"select\">SELECT 1;\n</code></pre>"), "{first}");
        for _ in 0..20 {
            assert_eq!(render_test("```sql select\nSELECT 1;\n```\n").html, first);
        }
        let plain = render_test("```\n<b>x</b>\n```\n").html;
        assert!(plain.contains("<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>"), "{plain}");
    }

    #[test]
    fn disclosure_blocks_get_the_locale_text() {
        let r = render_test("```disclosure call-recording\n```\n\n```disclosure nope\n```\n");
        assert!(r.html.contains("<section class=\"disclosure\" data-block=\"disclosure\" data-disclosure-id=\"call-recording\"><p class=\"disclosure-label\">Read verbatim</p>"), "{}", r.html);
        assert!(r.html.contains("Calls are recorded."), "{}", r.html);
        let blocks: Vec<(&str, bool, usize)> = r.disclosure_blocks.iter().map(|b| (b.id.as_str(), b.known, b.line)).collect();
        assert_eq!(blocks, [("call-recording", true, 1), ("nope", false, 4)]);
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
    fn sections_start_at_their_headings_in_the_text() {
        let r = render_test("# T\n\nIntro.\n\n## Steps\n\nDo it.\n\n## Exceptions\n\nNot here.\n");
        assert_eq!(r.text, "Intro.\nSteps\nDo it.\nExceptions\nNot here.");
        let starts: Vec<(&str, &str)> = r.sections.iter().map(|s| (s.anchor.as_str(), &r.text[s.start..])).collect();
        assert_eq!(starts, [("sec-steps", "Steps\nDo it.\nExceptions\nNot here."), ("sec-exceptions", "Exceptions\nNot here.")]);
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
