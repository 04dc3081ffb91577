//! The plain text search indexes and snippets come from: an inline
//! container's text, and a document's leaf blocks with where each heading
//! starts.

use comrak::nodes::{AstNode, NodeValue};
use cuecard_engine::model::{Heading, SectionStart};

/// Plain text of an inline container, with line breaks as spaces.
pub(super) fn inline_text<'a>(node: &'a AstNode<'a>) -> String {
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

/// Plain text of a whole document, each leaf block on its own line, and
/// where each of `headings` (in document order) starts in it.
pub(super) fn block_text<'a>(root: &'a AstNode<'a>, headings: &[Heading]) -> (String, Vec<SectionStart>) {
    let mut text = String::new();
    let mut sections = Vec::new();
    let mut next_heading = headings.iter();
    let push = |line: &str, text: &mut String| {
        if !line.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(line);
        }
    };
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Heading(_) => {
                if let Some(heading) = next_heading.next() {
                    let start = if text.is_empty() { 0 } else { text.len() + 1 };
                    sections.push(SectionStart { anchor: heading.anchor.clone(), title: heading.text.clone(), start });
                }
                push(&inline_text(node), &mut text);
            }
            NodeValue::Paragraph | NodeValue::TableCell => push(&inline_text(node), &mut text),
            NodeValue::CodeBlock(block) => push(block.literal.trim(), &mut text),
            _ => {}
        }
    }
    (text, sections)
}
