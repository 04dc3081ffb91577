//! A Confluence space's HTML export ([`super::confluence_zip`]) as a Cuecard
//! kb: the files to write, and what did not convert. Pure: the caller
//! writes.
//!
//! The mapping (kb/README.md, "Importing from Confluence"):
//! - the page tree (`index.html`, else each page's breadcrumbs) -> folders:
//!   a page's children sit in a folder named as it is, below the space's
//!   home page (`<locale>/<home>.md`), at most [`MAX_FOLDERS`] deep;
//! - the top-level page of a branch -> its pages' `category` (its title as
//!   a slug, declared in `cuecard.yaml` with the title); the home page and
//!   top-level pages with nothing below them have none;
//! - the title (without the export's "Space : " prefix) -> `title`; the
//!   last editor (else the author) -> `owner`, with `--owner-team`; the
//!   last change's date -> `changed`; the page id -> `redirect_from`;
//! - info, tip, note and warning panels -> NOTE, TIP, WARNING and CAUTION
//!   alerts; code and noformat blocks -> fenced code with their language;
//!   expand blocks -> their title in bold, then their content; other
//!   panels -> their title in bold, then their content;
//! - links between pages -> relative `.md` links; attached images -> files
//!   in `<locale>/media/`; other attachments, a table of contents and
//!   unknown macros are reported by page;
//! - the export holds no page restrictions: `--audience` restricts the
//!   whole import to one audience, so a restricted space stays restricted.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use htmd::Node;

use super::confluence_page::{PageHead, main_content, page_id, page_tree, read_head};
use super::confluence_zip::SpaceExport;
use super::html_tree::{self, attr, has_class};
use super::kb_files::{Imported, KbFile, Note, article_with_origin, relative_link, slug, yaml_text};

/// A page tree deeper than this keeps its deeper pages in the last folder.
pub const MAX_FOLDERS: usize = 8;

/// Image types the kb takes (as `build` copies them).
const IMAGE_TYPES: [&str; 6] = ["png", "jpg", "jpeg", "gif", "webp", "avif"];

/// What the importer is told beside the export.
#[derive(Debug, Clone)]
pub struct Options {
    /// The locale folder the pages go into (an export has one language).
    pub locale: String,
    /// The team that owns the imported articles.
    pub owner_team: String,
    /// The one audience every imported article is for, if the space is restricted.
    pub audience: Option<String>,
}

/// A page of the export, read.
struct Page {
    file: String,
    id: String,
    head: PageHead,
    tree: Rc<Node>,
}

/// Where the space's pages and images went: one for the whole import,
/// shared by every page's [`Targets`].
#[derive(Default)]
struct SpaceTargets {
    /// Page file -> kb path.
    paths: BTreeMap<String, String>,
    /// Page id -> page file.
    by_id: BTreeMap<String, String>,
    /// Page title -> page file.
    by_title: BTreeMap<String, String>,
    /// Attachment key (`attachments/1/2.png`) -> kb path, for images the kb carries.
    images: BTreeMap<String, String>,
}

/// How one page's links and images find their targets.
struct Targets {
    /// The page's own kb path (for relative links).
    from: String,
    space: Arc<SpaceTargets>,
    /// This page's heading ids as the export writes them
    /// (`Refundacardpayment-Steps`) -> the anchor the kb's Markdown gives
    /// that heading (`steps`).
    anchors: BTreeMap<String, String>,
}

/// The anchor a Markdown heading gets from its text (GitHub's rule, which
/// the kb's renderer follows): lower case, punctuation dropped, spaces as
/// `-`.
fn heading_anchor(text: &str) -> String {
    text.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_').map(|c| if c == ' ' { '-' } else { c }).collect()
}

/// The headings under `content` with an id: export id -> kb anchor.
fn heading_anchors(content: &Rc<Node>) -> BTreeMap<String, String> {
    html_tree::descendants(content)
        .into_iter()
        .filter(|n| matches!(html_tree::tag(n), Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6")))
        .filter_map(|n| Some((attr(&n, "id")?, heading_anchor(&html_tree::text(&n)))))
        .collect()
}

/// `text` percent-decoded (`+` as a space where `plus` says so).
fn decoded(text: &str, plus: bool) -> String {
    let text = if plus { text.replace('+', " ") } else { text.to_string() };
    percent_encoding::percent_decode_str(&text).decode_utf8_lossy().into_owned()
}

impl Targets {
    /// The page file a link names, if it names a page of the export: a file
    /// of the export (`Title_123.html`), `viewpage.action?pageId=123`,
    /// Cloud's `/spaces/KEY/pages/123/...` or Server's `/display/KEY/Title`.
    fn page(&self, href: &str) -> Option<&String> {
        let href = href.split('#').next().unwrap_or("");
        if let Some(at) = href.find("pageId=") {
            let id: String = href[at + 7..].chars().take_while(char::is_ascii_digit).collect();
            return self.space.by_id.get(&id);
        }
        if let Some(at) = href.find("/pages/") {
            let id: String = href[at + 7..].chars().take_while(char::is_ascii_digit).collect();
            if !id.is_empty() {
                return self.space.by_id.get(&id);
            }
        }
        if let Some(at) = href.find("/display/") {
            let title = href[at + 9..].split('/').nth(1).unwrap_or("");
            return self.space.by_title.get(&decoded(title.split('?').next().unwrap_or(""), true));
        }
        if href.contains("://") || !href.ends_with(".html") {
            return None;
        }
        let file = decoded(href.rsplit('/').next().unwrap_or(href), false);
        self.space.paths.get_key_value(&file).map(|(k, _)| k).or_else(|| self.space.by_id.get(&page_id(&file)))
    }

    /// The attachment key an image or link names (`attachments/1/2.png`,
    /// `/download/attachments/1/2.png?version=1`).
    fn attachment(href: &str) -> Option<String> {
        let path = href.split(['?', '#']).next().unwrap_or("");
        let at = path.find("attachments/")?;
        Some(decoded(&path[at..], false))
    }
}

/// The alert a panel macro's classes name.
fn alert_of_panel(node: &Node) -> Option<&'static str> {
    let name = attr(node, "data-macro-name").unwrap_or_default();
    [("information", "NOTE", "info"), ("tip", "TIP", "tip"), ("note", "WARNING", "note"), ("warning", "CAUTION", "warning")]
        .iter()
        .find(|(class, _, macro_name)| has_class(node, &format!("confluence-information-macro-{class}")) || name == *macro_name)
        .map(|(_, alert, _)| *alert)
}

/// Macros the mapping converts (or that are only layout): no note.
const KNOWN_MACROS: [&str; 17] =
    ["info", "tip", "note", "warning", "panel", "code", "noformat", "expand", "status", "anchor", "excerpt", "details", "section", "column", "layout", "toc", "children"];

/// `lines` as a quote, each line behind `> `.
fn quoted(prefix: &str, inner: &str) -> String {
    let lines: Vec<String> = inner.trim().lines().map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect();
    format!("\n\n{prefix}{}\n\n", lines.join("\n"))
}

/// A code block's language, from Confluence's `brush: java; gutter: false`.
fn language(node: &Node) -> String {
    let params = attr(node, "data-syntaxhighlighter-params").or_else(|| attr(node, "class")).unwrap_or_default();
    let brush = params.split(';').find_map(|p| p.trim().strip_prefix("brush:")).map(|b| b.trim().to_ascii_lowercase()).unwrap_or_default();
    match brush.as_str() {
        "" | "none" | "text" | "plain" => String::new(),
        "js" => "javascript".into(),
        "bash" | "shell" => "sh".into(),
        "csharp" | "c#" => "cs".into(),
        other if other.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '+') => other.to_string(),
        _ => String::new(),
    }
}

/// The body of one page as Markdown, and what did not convert.
fn body_markdown(content: &Rc<Node>, targets: Arc<Targets>) -> (String, Vec<String>) {
    let notes: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let note = {
        let notes = notes.clone();
        move |message: String| notes.lock().expect("no handler panics while holding the notes").push(message)
    };
    let lower = html_tree::descendants(content);
    for blocked in ["script", "style", "iframe", "object", "embed", "form"] {
        let n = lower.iter().filter(|e| html_tree::tag(e) == Some(blocked)).count();
        if n > 0 {
            note(format!("{n} <{blocked}> dropped"));
        }
    }
    let (div_note, img_note, a_note) = (note.clone(), note.clone(), note.clone());
    let (img_targets, a_targets) = (targets.clone(), targets.clone());
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "iframe", "object", "embed", "form", "head", "noscript", "template"])
        .add_handler(vec!["div", "aside"], move |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let node = element.node;
            let inner = || handlers.walk_children(node).content;
            // The export's own chrome, should a page have no `#main-content`
            // and be read whole.
            let id = attr(node, "id").unwrap_or_default();
            if ["breadcrumb-section", "main-header", "footer", "navigation"].contains(&id.as_str()) || has_class(node, "page-metadata") || has_class(node, "pageSection") {
                return Some(String::new().into());
            }
            let macro_name = attr(node, "data-macro-name").unwrap_or_default();
            if let Some(alert) = alert_of_panel(node).filter(|_| has_class(node, "confluence-information-macro") || !macro_name.is_empty()) {
                return Some(quoted(&format!("> [!{alert}]\n"), &inner()).into());
            }
            let bold = |text: String| -> String {
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ").replace('*', "\\*");
                if text.is_empty() { String::new() } else { format!("\n\n**{text}**\n\n") }
            };
            if has_class(node, "expand-control") {
                let title = html_tree::text(node);
                let default = ["click here to expand...", "expand", "click to expand"].contains(&title.trim().to_lowercase().as_str());
                return Some(if default { String::new() } else { bold(title) }.into());
            }
            if has_class(node, "panelHeader") || has_class(node, "codeHeader") {
                return Some(bold(html_tree::text(node)).into());
            }
            if has_class(node, "toc-macro") || has_class(node, "toc") || macro_name == "toc" {
                div_note("a table of contents macro dropped (the app lists an article's headings)".to_string());
                return Some(String::new().into());
            }
            if has_class(node, "error") && html_tree::text(node).contains("macro") {
                div_note(format!("an unknown macro dropped: {}", html_tree::text(node).split_whitespace().collect::<Vec<_>>().join(" ")));
                return Some(String::new().into());
            }
            let content = inner();
            if !macro_name.is_empty() && !KNOWN_MACROS.contains(&macro_name.as_str()) {
                div_note(match content.trim().is_empty() {
                    true => format!("the `{macro_name}` macro dropped: it renders nothing outside Confluence"),
                    false => format!("the `{macro_name}` macro is not known: kept as its text"),
                });
            }
            Some(format!("\n\n{}\n\n", content.trim()).into())
        })
        .add_handler(vec!["pre"], |_: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let code = html_tree::text(element.node);
            let code = code.trim_matches('\n');
            let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            Some(format!("\n\n{fence}{}\n{code}\n{fence}\n\n", language(element.node)).into())
        })
        .add_handler(vec!["img"], move |_: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let node = element.node;
            let src = attr(node, "data-image-src").or_else(|| attr(node, "src")).unwrap_or_default();
            let alt = attr(node, "alt").unwrap_or_default().replace(['[', ']'], "");
            if has_class(node, "emoticon") || src.contains("images/icons/") {
                return Some(attr(node, "data-emoji-fallback").unwrap_or_default().into());
            }
            let target = match Targets::attachment(&src).and_then(|key| img_targets.space.images.get(&key)) {
                Some(path) => relative_link(&img_targets.from, path),
                None if src.starts_with("https://") || src.starts_with("http://") => src.replace(' ', "%20").replace(')', "%29"),
                None => {
                    img_note(format!("the image `{src}` is not among the export's attachments: kept as its description"));
                    return Some(alt.into());
                }
            };
            Some(format!("![{alt}]({target})").into())
        })
        .add_handler(vec!["a"], move |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let href = attr(element.node, "href").unwrap_or_default();
            let text = handlers.walk_children(element.node).content;
            let text = text.trim();
            let scheme = href.trim().to_ascii_lowercase();
            if ["javascript:", "data:", "vbscript:"].iter().any(|s| scheme.starts_with(s)) {
                a_note("a `javascript:` (or `data:`) link kept as its text".to_string());
                return Some(text.to_string().into());
            }
            if let Some(anchor) = href.strip_prefix('#').and_then(|id| a_targets.anchors.get(id)) {
                return Some(format!("[{text}](#{anchor})").into());
            }
            if href.is_empty() || href.starts_with('#') || has_class(element.node, "confluence-userlink") {
                return Some(text.to_string().into());
            }
            if let Some(file) = a_targets.page(&href) {
                return Some(format!("[{text}]({})", relative_link(&a_targets.from, &a_targets.space.paths[file])).into());
            }
            if let Some(key) = Targets::attachment(&href).filter(|_| !href.contains("://")) {
                return Some(match a_targets.space.images.get(&key) {
                    Some(path) => format!("[{text}]({})", relative_link(&a_targets.from, path)),
                    None => {
                        a_note(format!("the attachment `{}` is not carried into the kb (only images are): kept as its text", key.rsplit('/').next().unwrap_or(&key)));
                        text.to_string()
                    }
                }
                .into());
            }
            if !href.contains("://") && !scheme.starts_with("mailto:") && !scheme.starts_with("tel:") {
                a_note(format!("a link to `{href}`, which is no page of the export: kept as its text"));
                return Some(text.to_string().into());
            }
            Some(format!("[{text}]({})", href.replace(' ', "%20").replace(')', "%29")).into())
        })
        .build();
    let (markdown, too_deep) = html_tree::to_markdown(&converter, content);
    let mut notes = std::mem::take(&mut *notes.lock().expect("no handler panicked"));
    notes.extend(too_deep);
    // The same note for every link or image is one note with a count.
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for n in notes {
        *counted.entry(n).or_default() += 1;
    }
    let notes = counted.into_iter().map(|(n, times)| if times > 1 { format!("{n} ({times} times)") } else { n }).collect();
    (markdown.trim().to_string() + "\n", notes)
}

/// Turns `export` into the files of a kb.
pub fn import(export: &SpaceExport, options: &Options) -> Imported {
    let mut imported = Imported::default();
    let reader = htmd::HtmlToMarkdown::new();
    let index = export.index.as_deref().and_then(|html| reader.html_to_tree(html).ok());
    let space = index.as_ref().and_then(super::confluence_page::space_name);
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    for (file, html) in &export.pages {
        let Ok(tree) = reader.html_to_tree(html) else {
            imported.skipped.push((page_id(file), format!("{file} could not be read as HTML")));
            continue;
        };
        let head = read_head(&tree, space.as_deref());
        if main_content(&tree).is_none() {
            imported.skipped.push((page_id(file), format!("{file} has no content")));
            continue;
        }
        pages.insert(file.clone(), Page { file: file.clone(), id: page_id(file), head, tree });
    }
    let files: BTreeSet<String> = pages.keys().cloned().collect();
    // The tree: index.html's, else each page's breadcrumbs.
    let (mut parents, mut order) = index.as_ref().map(|index| page_tree(index, &files)).unwrap_or_default();
    let listed: BTreeSet<String> = order.iter().cloned().collect();
    for page in pages.values() {
        if !listed.contains(&page.file) {
            order.push(page.file.clone());
        }
        if !parents.contains_key(&page.file) {
            if let Some(parent) = page.head.ancestors.iter().rev().find(|a| files.contains(*a) && **a != page.file) {
                parents.insert(page.file.clone(), parent.clone());
            }
        }
    }
    // Each page's chain of ancestors, outermost first (a loop is cut).
    let chain = |file: &String| -> Vec<String> {
        let mut chain = Vec::new();
        let mut at = file;
        while let Some(parent) = parents.get(at) {
            if chain.contains(parent) || parent == file {
                break;
            }
            chain.push(parent.clone());
            at = parent;
        }
        chain.reverse();
        chain
    };
    let branches: BTreeSet<String> = parents.values().cloned().collect();
    let roots: Vec<&String> = order.iter().filter(|f| chain(f).is_empty()).collect();
    let home = match roots.as_slice() {
        [only] if branches.contains(*only) => Some((*only).clone()),
        _ => None,
    };
    // Paths, parents before children so a folder is named as its page's file.
    let locale = &options.locale;
    let mut by_depth: Vec<(usize, usize, String)> = order.iter().enumerate().map(|(n, f)| (chain(f).len(), n, f.clone())).collect();
    by_depth.sort();
    let mut paths: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut categories: BTreeMap<String, String> = BTreeMap::new();
    let mut category_of: BTreeMap<String, String> = BTreeMap::new();
    let mut too_deep: BTreeSet<String> = BTreeSet::new();
    for (_, _, file) in &by_depth {
        let page = &pages[file];
        let below_home: Vec<String> = chain(file).into_iter().filter(|f| Some(f) != home.as_ref()).collect();
        let mut folder: Vec<String> = below_home.iter().map(|f| paths[f].trim_start_matches(&format!("{locale}/")).trim_end_matches(".md").rsplit('/').next().unwrap_or("").to_string()).collect();
        if folder.len() > MAX_FOLDERS {
            folder.truncate(MAX_FOLDERS);
            too_deep.insert(file.clone());
        }
        let prefix: String = folder.iter().map(|f| format!("{f}/")).collect();
        let mut path = format!("{locale}/{prefix}{}.md", slug(&page.head.title));
        if !taken.insert(path.to_lowercase()) {
            path = format!("{locale}/{prefix}{}-{}.md", slug(&page.head.title), slug(&page.id));
            taken.insert(path.to_lowercase());
        }
        paths.insert(file.clone(), path);
        // A branch's top page names its pages' category; a top-level page
        // with no pages below it has none.
        if Some(file) != home.as_ref() && (!below_home.is_empty() || branches.contains(file)) {
            let top = below_home.first().unwrap_or(file);
            let id = slug(&pages[top].head.title);
            categories.entry(id.clone()).or_insert_with(|| pages[top].head.title.clone());
            category_of.insert(file.clone(), id);
        }
    }
    // Attached images go into the locale's media folder.
    let mut images: BTreeMap<String, String> = BTreeMap::new();
    for (key, bytes) in &export.attachments {
        let name = key.rsplit('/').next().unwrap_or(key);
        let (stem, extension) = name.rsplit_once('.').map(|(s, e)| (s, e.to_ascii_lowercase())).unwrap_or((name, String::new()));
        if !IMAGE_TYPES.contains(&extension.as_str()) {
            continue;
        }
        let owner = key.split('/').nth(1).unwrap_or("");
        let path = format!("{locale}/media/{}-{}.{extension}", slug(owner), slug(stem));
        images.insert(key.clone(), path.clone());
        imported.files.push(KbFile { path, contents: bytes.clone() });
    }
    let by_id: BTreeMap<String, String> = pages.values().map(|p| (p.id.clone(), p.file.clone())).collect();
    let by_title: BTreeMap<String, String> = pages.values().map(|p| (p.head.title.clone(), p.file.clone())).collect();
    let space = Arc::new(SpaceTargets { paths: paths.clone(), by_id, by_title, images });
    for file in &order {
        let page = &pages[file];
        let path = paths[file].clone();
        let content = main_content(&page.tree).expect("pages without content were skipped");
        let targets = Arc::new(Targets { from: path.clone(), space: space.clone(), anchors: heading_anchors(&content) });
        let (body, notes) = body_markdown(&content, targets);
        let mut front = format!("title: {}\n", yaml_text(if page.head.title.trim().is_empty() { "Untitled" } else { &page.head.title }));
        if let Some(category) = category_of.get(file) {
            front.push_str(&format!("category: {category}\n"));
        }
        if let Some(audience) = &options.audience {
            front.push_str(&format!("audience: [{audience}]\n"));
        }
        let owner = page.head.editor.clone().or_else(|| page.head.author.clone());
        if let Some(name) = &owner {
            front.push_str(&format!("owner: {{ name: {}, team: {} }}\n", yaml_text(name), yaml_text(&options.owner_team)));
        }
        if let Some(changed) = page.head.changed() {
            front.push_str(&format!("changed: {changed}\n"));
        }
        front.push_str(&format!("redirect_from: [{}]\n", yaml_text(&page.id)));
        let text = article_with_origin(&front, "confluence", &page.id, page.head.modified.as_deref().unwrap_or(""), &body);
        let mut page_notes: Vec<String> = notes;
        if owner.is_none() {
            page_notes.push("the export names no author or editor: no owner".to_string());
        }
        if page.head.modified.is_some() && page.head.changed().is_none() {
            page_notes.push(format!("the last change's date `{}` is in no format the importer reads: no `changed`", page.head.modified.as_deref().unwrap_or("")));
        }
        if too_deep.contains(file) {
            page_notes.push(format!("the page tree is deeper than {MAX_FOLDERS} levels here: kept in the {MAX_FOLDERS}th level's folder"));
        }
        imported.notes.extend(page_notes.into_iter().map(|message| Note { source_id: page.id.clone(), path: path.clone(), message }));
        imported.files.push(KbFile { path, contents: text.into_bytes() });
        imported.articles += 1;
    }
    for (entry, why) in &export.refused {
        imported.skipped.push((entry.clone(), why.clone()));
    }
    imported.files.push(KbFile { path: "cuecard.yaml".into(), contents: config(locale, &categories, options.audience.as_deref()).into_bytes() });
    imported.files.sort_by(|a, b| a.path.cmp(&b.path));
    imported
}

/// The kb's `cuecard.yaml`: the locale, categories and the audience declared.
fn config(locale: &str, categories: &BTreeMap<String, String>, audience: Option<&str>) -> String {
    let mut text = String::from("# Written by `cuecard import confluence`. Every field: the kb guide (kb/README.md).\n");
    text.push_str(&format!("default_locale: {locale}\n\nlocales:\n  {locale}: {{ path: {locale} }}\n"));
    if !categories.is_empty() {
        text.push_str("\n# The space's top-level pages.\ncategories:\n");
        for (id, name) in categories {
            text.push_str(&format!("  - {{ id: {id}, name: {} }}\n", yaml_text(name)));
        }
    }
    if let Some(audience) = audience {
        text.push_str(&format!("\n# The space was restricted: every article is for this audience only.\naudiences:\n  - {{ id: {audience}, name: {} }}\n", yaml_text(audience)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(html: &str) -> (String, Vec<String>) {
        let tree = htmd::HtmlToMarkdown::new().html_to_tree(&format!("<div id=\"main-content\">{html}</div>")).unwrap();
        let content = main_content(&tree).unwrap();
        let space = SpaceTargets {
            paths: BTreeMap::from([("Late-fees_42.html".to_string(), "en-US/billing/late-fees.md".to_string()), ("Devices_7.html".to_string(), "en-US/devices.md".to_string())]),
            by_id: BTreeMap::from([("42".to_string(), "Late-fees_42.html".to_string()), ("7".to_string(), "Devices_7.html".to_string())]),
            by_title: BTreeMap::from([("Late fees".to_string(), "Late-fees_42.html".to_string())]),
            images: BTreeMap::from([("attachments/3/99.png".to_string(), "en-US/media/3-99.png".to_string())]),
        };
        let targets = Targets { from: "en-US/billing/refunds.md".into(), space: Arc::new(space), anchors: heading_anchors(&content) };
        body_markdown(&content, Arc::new(targets))
    }

    #[test]
    fn a_page_read_whole_loses_the_exports_chrome() {
        let tree = htmd::HtmlToMarkdown::new()
            .html_to_tree(r#"<body><div id="main-header"><div id="breadcrumb-section"><ol id="breadcrumbs"><li><a href="index.html">Support</a></li></ol></div></div><div class="page-metadata">Created by Ana</div><p>The answer.</p><div class="pageSection"><h2>Attachments:</h2></div><div id="footer">Document generated by Confluence</div></body>"#)
            .unwrap();
        let content = main_content(&tree).unwrap();
        let targets = Targets { from: "en-US/a.md".into(), space: Arc::default(), anchors: BTreeMap::new() };
        assert_eq!(body_markdown(&content, Arc::new(targets)).0, "The answer.\n");
    }

    #[test]
    fn panels_become_alerts_and_code_keeps_its_language() {
        let (markdown, notes) = convert(concat!(
            r#"<div class="confluence-information-macro confluence-information-macro-warning"><span class="aui-icon confluence-information-macro-icon"></span>"#,
            r#"<div class="confluence-information-macro-body"><p>Never read the card number aloud.</p></div></div>"#,
            r#"<div class="confluence-information-macro confluence-information-macro-tip"><div class="confluence-information-macro-body"><p>Offer the app.</p></div></div>"#,
            r#"<div class="code panel pdl"><div class="codeContent panelContent pdl"><pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: sql; gutter: false">SELECT * FROM refunds;</pre></div></div>"#,
            r#"<div class="expand-container"><div class="expand-control"><span class="expand-control-text">Why 5 days?</span></div><div class="expand-content"><p>The bank's clearing.</p></div></div>"#,
        ));
        assert!(markdown.contains("> [!CAUTION]\n> Never read the card number aloud."), "{markdown}");
        assert!(markdown.contains("> [!TIP]\n> Offer the app."), "{markdown}");
        assert!(markdown.contains("```sql\nSELECT * FROM refunds;\n```"), "{markdown}");
        assert!(markdown.contains("**Why 5 days?**\n\nThe bank's clearing."), "{markdown}");
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn links_images_and_hostile_markup() {
        let (markdown, notes) = convert(concat!(
            r#"<p><a href="Late-fees_42.html#Latefees-Amounts">fees</a>, <a href="/pages/viewpage.action?pageId=7">devices</a>, <a href="/display/SUP/Late+fees">again</a>, "#,
            r#"<a href="javascript:alert(1)" onclick="alert(2)">click</a>, <a href="attachments/3/form.pdf">the form</a>, <a href="https://example.com/x">out</a></p>"#,
            r##"<h2 id="Refunds-Whattosay">What to say?</h2><p><a href="#Refunds-Whattosay">say</a> <a href="#Elsewhere">gone</a></p>"##,
            r#"<p><img src="attachments/3/99.png?width=300" alt="Router [front]"><img class="emoticon" src="images/icons/emoticons/smile.svg" alt="(smile)"></p>"#,
            r#"<script>alert(3)</script><div class="toc-macro"><ul><li>x</li></ul></div><div data-macro-name="jira" class="conf-macro">SUP-1</div>"#,
        ));
        assert!(markdown.contains("[fees](late-fees.md), [devices](../devices.md), [again](late-fees.md)"), "{markdown}");
        assert!(markdown.contains("click, the form, [out](https://example.com/x)"), "{markdown}");
        assert!(markdown.contains("![Router front](../media/3-99.png)"), "{markdown}");
        assert!(markdown.contains("[say](#what-to-say) gone"), "a link to a heading of the page keeps its anchor: {markdown}");
        assert!(!markdown.contains("alert") && !markdown.contains("onclick") && !markdown.contains("smile"), "{markdown}");
        assert!(notes.iter().any(|n| n == "1 <script> dropped"), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("`form.pdf` is not carried")), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("table of contents")), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("`jira` macro is not known")), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("javascript:")), "{notes:?}");
    }
}
