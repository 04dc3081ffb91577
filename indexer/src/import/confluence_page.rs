//! One page of a Confluence HTML export, and the space's page tree: what
//! the export's chrome says about a page (its title, breadcrumbs, author,
//! last change) and where its content is (`#main-content`); the rest of
//! the page (navigation, breadcrumbs, attachments list, comments, footer)
//! is the export's, never an article's.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use htmd::Node;
use jiff::civil::Date;

use super::html_tree::{attr, descendants, find, has_class, tag, text};

/// What the export says about a page besides its content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHead {
    pub title: String,
    /// The page files the breadcrumbs name above the page, outermost first.
    pub ancestors: Vec<String>,
    /// The space's name (the first breadcrumb).
    pub space: Option<String>,
    /// Who created the page, and who changed it last.
    pub author: Option<String>,
    pub editor: Option<String>,
    /// When it last changed, as the export writes it (`Mar 05, 2021`).
    pub modified: Option<String>,
}

impl PageHead {
    /// The last change's date, if the export's wording is one we read.
    pub fn changed(&self) -> Option<Date> {
        self.modified.as_deref().and_then(parse_date)
    }
}

/// The page's id: the digits its file name ends with (`Refunds_123456.html`,
/// `123456.html`), else the file's name without `.html`.
pub fn page_id(file: &str) -> String {
    let stem = file.strip_suffix(".html").unwrap_or(file);
    let digits: String = stem.chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    let before = &stem[..stem.len() - digits.len()];
    if !digits.is_empty() && (before.is_empty() || before.ends_with('_')) { digits } else { stem.to_string() }
}

/// A date as Confluence exports write them, in the formats its locales use.
pub fn parse_date(written: &str) -> Option<Date> {
    let written = written.trim().trim_end_matches('.');
    ["%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d. %B %Y", "%Y-%m-%d", "%d/%m/%Y"]
        .iter()
        .find_map(|format| jiff::fmt::strtime::parse(format, written).ok().and_then(|parsed| parsed.to_date().ok()))
}

/// Whitespace collapsed and trimmed.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The element whose `id` is `id`.
fn by_id(root: &Rc<Node>, id: &str) -> Option<Rc<Node>> {
    find(root, |n| attr(n, "id").as_deref() == Some(id))
}

/// The space's name as `index.html` gives it (its title).
pub fn space_name(index: &Rc<Node>) -> Option<String> {
    find(index, |n| tag(n) == Some("title")).map(|n| collapsed(&text(&n))).filter(|n| !n.is_empty())
}

/// Reads the chrome of a page's `tree`; `space` is the space's name when
/// the page's breadcrumbs do not say it (a page without them).
pub fn read_head(tree: &Rc<Node>, space: Option<&str>) -> PageHead {
    let mut head = PageHead::default();
    let crumbs: Vec<(String, String)> = by_id(tree, "breadcrumbs")
        .map(|list| descendants(&list).into_iter().filter(|n| tag(n) == Some("a")).map(|a| (attr(&a, "href").unwrap_or_default(), collapsed(&text(&a)))).collect())
        .unwrap_or_default();
    head.space = crumbs.first().map(|(_, name)| name.clone()).filter(|n| !n.is_empty()).or_else(|| space.map(str::to_string));
    head.ancestors = crumbs.iter().map(|(href, _)| percent_encoding::percent_decode_str(href).decode_utf8_lossy().into_owned()).filter(|href| href.ends_with(".html") && href != "index.html" && !href.contains('/')).collect();
    let written_title = by_id(tree, "title-text").or_else(|| find(tree, |n| tag(n) == Some("title"))).map(|n| collapsed(&text(&n))).unwrap_or_default();
    // The export writes "Space name : Page title".
    head.title = match &head.space {
        Some(space) if written_title.starts_with(&format!("{space} : ")) => written_title[space.len() + 3..].to_string(),
        _ => written_title,
    };
    if let Some(meta) = find(tree, |n| has_class(n, "page-metadata")) {
        let person = |class: &str| find(&meta, |n| has_class(n, class)).map(|n| collapsed(&text(&n))).filter(|n| !n.is_empty());
        head.author = person("author");
        head.editor = person("editor");
        let words = collapsed(&text(&meta));
        head.modified = words.rsplit_once(" on ").map(|(_, date)| date.trim().to_string()).filter(|d| !d.is_empty());
    }
    head
}

/// The page's content: `#main-content`, else the body.
pub fn main_content(tree: &Rc<Node>) -> Option<Rc<Node>> {
    by_id(tree, "main-content").or_else(|| find(tree, |n| tag(n) == Some("body")))
}

/// The page tree `index.html` lists (nested `<ul>` of links to `pages`):
/// each listed page's parent, and the pages in the tree's order.
pub fn page_tree(index: &Rc<Node>, pages: &BTreeSet<String>) -> (BTreeMap<String, String>, Vec<String>) {
    let mut parents = BTreeMap::new();
    let mut order = Vec::new();
    let mut listed = BTreeSet::new();
    // (node, the page of the nearest `li` above it)
    let mut stack: Vec<(Rc<Node>, Option<String>)> = vec![(index.clone(), None)];
    while let Some((node, above)) = stack.pop() {
        let mut here = above.clone();
        if tag(&node) == Some("li") {
            // Hrefs may be percent-encoded (`Caf%C3%A9_12.html`); entry names are not.
            let link = node.children.borrow().iter().find(|c| tag(c) == Some("a")).and_then(|a| attr(a, "href")).map(|h| percent_encoding::percent_decode_str(&h).decode_utf8_lossy().into_owned());
            if let Some(file) = link.filter(|href| pages.contains(href)) {
                if listed.insert(file.clone()) {
                    order.push(file.clone());
                    if let Some(parent) = &above {
                        parents.insert(file.clone(), parent.clone());
                    }
                }
                here = Some(file);
            }
        }
        for child in node.children.borrow().iter().rev() {
            stack.push((child.clone(), here.clone()));
        }
    }
    (parents, order)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><head><title>Support : Refund a card payment</title></head><body><div id="page"><div id="main">
        <div id="breadcrumb-section"><ol id="breadcrumbs"><li class="first"><span><a href="index.html">Support</a></span></li>
        <li><span><a href="Support-Home_65537.html">Support Home</a></span></li><li><span><a href="Billing_98310.html">Billing</a></span></li></ol></div>
        <h1 id="title-heading" class="pagetitle"><span id="title-text"> Support : Refund a card payment </span></h1>
        <div id="content" class="view"><div class="page-metadata">Created by <span class='author'> Ana Souza</span>, last modified by <span class='editor'> Ben Okafor</span> on Mar 05, 2024</div>
        <div id="main-content" class="wiki-content group"><p>Refunds take 5 days.</p></div></div></div>
        <div id="footer"><p>Document generated by Confluence</p></div></div></body></html>"#;

    #[test]
    fn the_chrome_says_title_ancestors_people_and_date() {
        let tree = htmd::HtmlToMarkdown::new().html_to_tree(PAGE).unwrap();
        let head = read_head(&tree, None);
        assert_eq!(head.title, "Refund a card payment");
        assert_eq!(head.space.as_deref(), Some("Support"));
        assert_eq!(head.ancestors, ["Support-Home_65537.html", "Billing_98310.html"]);
        assert_eq!((head.author.as_deref(), head.editor.as_deref()), (Some("Ana Souza"), Some("Ben Okafor")));
        assert_eq!(head.changed(), Some(Date::constant(2024, 3, 5)));
        assert_eq!(collapsed(&text(&main_content(&tree).unwrap())), "Refunds take 5 days.");
        let bare = htmd::HtmlToMarkdown::new().html_to_tree("<title>Support : Late fees</title><div id=main-content>x</div>").unwrap();
        assert_eq!(read_head(&bare, Some("Support")).title, "Late fees", "the index names the space");
    }

    #[test]
    fn page_ids_and_dates() {
        assert_eq!(page_id("Refund-a-card-payment_123456.html"), "123456");
        assert_eq!(page_id("123456.html"), "123456");
        assert_eq!(page_id("Release-2024.html"), "Release-2024");
        assert_eq!(parse_date("Mar 5, 2024"), Some(Date::constant(2024, 3, 5)));
        assert_eq!(parse_date("05 March 2024"), Some(Date::constant(2024, 3, 5)));
        assert_eq!(parse_date("2024-03-05"), Some(Date::constant(2024, 3, 5)));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn the_index_lists_the_tree() {
        let index = r#"<div class="pageSection"><h2 id="pagetree">Available Pages:</h2><ul>
            <li><a href="Home_1.html">Home</a><ul><li><a href="Billing_2.html">Billing</a><ul><li><a href="Refunds_3.html">Refunds</a></li></ul></li>
            <li><a href="Missing_9.html">Not exported</a></li><li><a href="Devices_4.html">Devices</a></li></ul></li></ul></div>"#;
        let tree = htmd::HtmlToMarkdown::new().html_to_tree(index).unwrap();
        let pages: BTreeSet<String> = ["Home_1.html", "Billing_2.html", "Refunds_3.html", "Devices_4.html"].map(String::from).into();
        let (parents, order) = page_tree(&tree, &pages);
        assert_eq!(order, ["Home_1.html", "Billing_2.html", "Refunds_3.html", "Devices_4.html"]);
        assert_eq!(parents.get("Refunds_3.html").map(String::as_str), Some("Billing_2.html"));
        assert_eq!(parents.get("Devices_4.html").map(String::as_str), Some("Home_1.html"));
        assert!(!parents.contains_key("Home_1.html"));
    }
}
