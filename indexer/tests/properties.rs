//! Property tests of the parsers that read kb files: the front-matter
//! splitter and the Markdown renderer. Thousands of generated inputs each,
//! built from the pieces hostile and sloppy files are made of.

use cuecard::article::{Article, ParseContext};
use cuecard::front_matter::{normalize_line_ends, split};
use proptest::prelude::*;

/// Text made of front-matter-ish pieces: fences with blanks, line ends of
/// every kind, a BOM, YAML and body lines.
fn front_matter_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---".to_string()),
        Just("--- ".to_string()),
        Just("...".to_string()),
        Just("+++".to_string()),
        Just("{".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("title: A".to_string()),
        Just("# Heading".to_string()),
        Just("- item".to_string()),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..30).prop_map(|p| p.concat())
}

/// Markdown made of the pieces injections are made of.
fn hostile_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<script>alert(1)</script>"),
        Just("<img src=x onerror=alert(1)>"),
        Just("<svg onload=alert(1)>"),
        Just("<iframe src=//evil.test></iframe>"),
        Just("<a id=\"x\"></a>"),
        Just("<a id='\" onclick=alert(1) x='></a>"),
        Just("<a name=x onmouseover=alert(1)>"),
        Just("<a id=\"a\" href=\"javascript:alert(1)\">"),
        Just("</a>"),
        Just("[l](javascript:alert(1))"),
        Just("[l](JaVaScRiPt:alert(1))"),
        Just("[l](&#106;avascript:alert(1))"),
        Just("[l](vbscript:x)"),
        Just("[l](data:text/html;base64,PHNjcmlwdD4=)"),
        Just("![i](javascript:alert(1))"),
        Just("![i](img/ok.png)"),
        Just("[r]: javascript:alert(1)\n"),
        Just("[r]"),
        Just("```script\n"),
        Just("```disclosure a\"><script>\n"),
        Just("```\n"),
        Just(":::note\n"),
        Just(":::\n"),
        Just("[!include[x](x.md)]"),
        Just("> "),
        Just("- "),
        Just("# "),
        Just("\n"),
        Just("\n\n"),
        Just(" "),
        Just("<"),
        Just(">"),
        Just("\""),
        Just("'"),
        Just("&"),
        Just("`"),
        Just("*"),
        Just("x"),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

/// The attributes of every tag in `html`, names lower-cased, values as
/// written (quotes respected, so text inside a value is never taken for an
/// attribute).
fn tag_attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' && bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic()) {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
                j += 1;
            }
            let tag = html[i + 1..j].to_ascii_lowercase();
            loop {
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'/' {
                    break;
                }
                let start = j;
                while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'=' && bytes[j] != b'>' {
                    j += 1;
                }
                let name = html[start..j].to_ascii_lowercase();
                let mut value = String::new();
                if bytes.get(j) == Some(&b'=') {
                    j += 1;
                    if let Some(&quote) = bytes.get(j).filter(|b| **b == b'"' || **b == b'\'') {
                        let close = html[j + 1..].find(quote as char).map_or(bytes.len(), |c| j + 1 + c);
                        value = html[j + 1..close].to_string();
                        j = close + 1;
                    } else {
                        let start = j;
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                            j += 1;
                        }
                        value = html[start..j].to_string();
                    }
                }
                out.push((tag.clone(), name, value));
            }
            i = j;
        }
        i += 1;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn the_front_matter_splitter_never_panics_and_counts_lines(text in front_matter_text()) {
        let normalized = normalize_line_ends(&text);
        prop_assert!(!normalized.contains('\r'));
        let parts = split(&normalized);
        let source = normalized.strip_prefix('\u{feff}').unwrap_or(&normalized);
        prop_assert!(source.ends_with(parts.body));
        let before_body = &source[..source.len() - parts.body.len()];
        prop_assert_eq!(before_body.matches('\n').count(), parts.body_line_offset);
        if let Some(yaml) = parts.yaml {
            prop_assert!(before_body.contains(yaml));
            prop_assert!(parts.problem.is_none());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn rendered_markdown_never_carries_raw_html_or_a_live_script_url(markdown in hostile_markdown()) {
        let Ok(article) = Article::parse("billing/a.md", &markdown, ParseContext::alone()) else { return Ok(()) };
        let html = &article.rendered.html;
        let lower = html.to_ascii_lowercase();
        for forbidden in ["<script", "<iframe", "<svg", "<object", "<embed", "<style"] {
            prop_assert!(!lower.contains(forbidden), "{} in {}", forbidden, html);
        }
        for (tag, name, value) in tag_attributes(html) {
            prop_assert!(!name.starts_with("on"), "<{} {}> in {}", tag, name, html);
            if matches!(name.as_str(), "href" | "src") {
                let value = value.trim().to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:text/html", "&#"] {
                    prop_assert!(!value.starts_with(scheme), "{}={} in {}", name, value, html);
                }
            }
            if tag == "a" && name == "id" {
                prop_assert!(value.starts_with("sec-"), "an anchor id without the prefix in {}", html);
            }
        }
    }
}

#[test]
fn the_tag_scanner_sees_attributes_and_not_text_in_values() {
    let found = tag_attributes(r#"<p title="x onclick=y"><img src="a.png" onerror=go></p>"#);
    let names: Vec<&str> = found.iter().map(|(_, n, _)| n.as_str()).collect();
    assert_eq!(names, ["title", "src", "onerror"]);
}
