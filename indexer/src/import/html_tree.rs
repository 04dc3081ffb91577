//! Reading an export's HTML as a tree (html5ever's, through htmd): finding
//! elements by id and class, their attributes and text, and how deep the
//! tree goes. Every walk here keeps its own stack, so an absurdly nested
//! page cannot overflow the thread's; [`to_markdown`] refuses to hand such
//! a page to the converter (which recurses) and keeps its text instead.

use std::rc::Rc;

use htmd::Node;
use markup5ever_rcdom::NodeData;

/// Deeper than this, a body is kept as its text: no help-centre or wiki
/// page nests 200 elements, and the converter recurses per level.
pub const MAX_NESTING: usize = 200;

/// The element's tag name, if `node` is an element.
pub fn tag(node: &Node) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// The value of the attribute `name`, if the element has it.
pub fn attr(node: &Node, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs.borrow().iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Whether the element's `class` holds `class` as one of its words.
pub fn has_class(node: &Node, class: &str) -> bool {
    attr(node, "class").is_some_and(|value| value.split_ascii_whitespace().any(|c| c == class))
}

/// The elements under `root` (itself included), in document order.
pub fn descendants(root: &Rc<Node>) -> Vec<Rc<Node>> {
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        stack.extend(node.children.borrow().iter().rev().cloned());
        if tag(&node).is_some() {
            out.push(node);
        }
    }
    out
}

/// The first element under `root` for which `matches` holds.
pub fn find(root: &Rc<Node>, matches: impl Fn(&Node) -> bool) -> Option<Rc<Node>> {
    descendants(root).into_iter().find(|node| matches(node))
}

/// All the text under `node`, as written (whitespace kept).
pub fn text(node: &Rc<Node>) -> String {
    let mut out = String::new();
    let mut stack = vec![node.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&contents.borrow());
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

/// How many elements deep the tree under `root` goes.
pub fn depth(root: &Rc<Node>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root.clone(), 0)];
    while let Some((node, level)) = stack.pop() {
        deepest = deepest.max(level);
        for child in node.children.borrow().iter() {
            stack.push((child.clone(), level + 1));
        }
    }
    deepest
}

/// `node` as Markdown by `converter`, unless it nests deeper than
/// [`MAX_NESTING`]: then its text, one paragraph per line, and why.
pub fn to_markdown(converter: &htmd::HtmlToMarkdown, node: &Rc<Node>) -> (String, Option<String>) {
    let levels = depth(node);
    if levels > MAX_NESTING {
        let text = text(node);
        let paragraphs: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let escaped: Vec<String> = paragraphs.iter().map(|p| p.replace('\\', "\\\\").replace(['<', '>', '[', ']', '*', '_', '`', '#'], " ")).collect();
        return (escaped.join("\n\n"), Some(format!("the body nests {levels} elements deep (more than {MAX_NESTING}): kept as its text only")));
    }
    (converter.tree_to_markdown(node), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absurdly_nested_body_is_kept_as_text() {
        let html = format!("{}<p>Deep text.</p>{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let converter = htmd::HtmlToMarkdown::new();
        let tree = converter.html_to_tree(&html).unwrap();
        assert!(depth(&tree) > 5000);
        let (markdown, why) = to_markdown(&converter, &tree);
        assert_eq!(markdown, "Deep text.");
        assert!(why.unwrap().contains("kept as its text"));
        let shallow = converter.html_to_tree("<h2>Title</h2><p>Text</p>").unwrap();
        assert_eq!(to_markdown(&converter, &shallow), ("## Title\n\nText".to_string(), None));
    }

    #[test]
    fn elements_are_found_by_id_and_class() {
        let converter = htmd::HtmlToMarkdown::new();
        let tree = converter.html_to_tree("<div id=main-content class='wiki-content group'><span class=author> Ana </span></div>").unwrap();
        let main = find(&tree, |n| attr(n, "id").as_deref() == Some("main-content")).unwrap();
        assert!(has_class(&main, "group") && !has_class(&main, "grou"));
        assert_eq!(text(&main), " Ana ");
        assert_eq!(descendants(&main).len(), 2);
    }
}
