//! A Zendesk Guide export ([`super::zendesk_pages`]) as a Cuecard kb: the
//! files to write, and what did not convert. Pure: the caller writes.
//!
//! The mapping (kb/README.md, "Importing from Zendesk Guide"):
//! - locales: `en-us` -> the folder `en-US/`; the articles' `source_locale`
//!   (the most common) is the default, and every other locale falls back
//!   to it; a translation is the same path in its locale's folder, with
//!   `source_revision` the source's current revision (or, when Zendesk
//!   marks it outdated, one that differs, so `check` says it is outdated);
//! - the category -> `category` (its name as a slug, declared in
//!   `cuecard.yaml` with the name); the section's name and `label_names` ->
//!   `tags`;
//! - `draft` -> `draft: true`; user segments -> `audience` ids (the
//!   segment's name as a slug), declared in `cuecard.yaml`: nothing
//!   restricted in Zendesk is public here;
//! - `author_id` -> `owner` (the author's name, and `--owner-team`);
//! - `edited_at` -> `changed`, so an import does not read as "updated today";
//! - the numeric article id -> `redirect_from`, so old links still open it;
//! - every article records `imported_from: { system, id, updated_at,
//!   digest }`, the digest being the sha256 of the file without that field;
//! - the body's HTML -> Markdown (htmd): scripts, styles and frames are
//!   dropped, `javascript:` links keep only their text, each said.

use std::collections::{BTreeMap, BTreeSet};

use cuecard_engine::locale::normalize_tag;
use super::kb_files::{Imported, KbFile, Note, article_with_origin, slug, yaml_text};
use super::zendesk_pages::{Article, Export};

/// What the importer is told beside the export.
#[derive(Debug, Clone)]
pub struct Options {
    /// The team that owns the imported articles (Zendesk's users name no team).
    pub owner_team: String,
    /// The attachment files saved beside the JSON: attachment id -> bytes
    /// (the JSON holds no image bytes).
    pub attachment_files: BTreeMap<u64, Vec<u8>>,
}

/// Image types the kb takes (as `build` copies them).
const IMAGE_TYPES: [&str; 6] = ["png", "jpg", "jpeg", "gif", "webp", "avif"];

/// The attachment id an image's `src` names (`/hc/article_attachments/123/x.png`).
pub fn linked_attachment(src: &str) -> Option<u64> {
    let rest = &src[src.find("article_attachments/")? + "article_attachments/".len()..];
    rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

/// The alert a callout's class names (`callout--warning`, `note`), if any:
/// help centres mark callouts with classes, not elements.
fn alert_of_class(class: &str) -> Option<&'static str> {
    let class = class.to_ascii_lowercase();
    [("warning", "WARNING"), ("danger", "CAUTION"), ("caution", "CAUTION"), ("important", "IMPORTANT"), ("tip", "TIP"), ("note", "NOTE"), ("info", "NOTE")]
        .iter()
        .find(|(word, _)| class.split(|c: char| !c.is_ascii_alphanumeric()).any(|part| part == *word))
        .map(|(_, alert)| *alert)
}

/// The Zendesk article id a link names (`/hc/en-us/articles/360001-Title`,
/// absolute or not), if it names one.
pub fn linked_article(href: &str) -> Option<u64> {
    let rest = &href[href.find("/articles/")? + "/articles/".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The body's HTML as Markdown, and what was dropped. Links to articles of
/// the export (`paths`: Zendesk id -> path in the locale, without `.md`)
/// become relative `.md` links, so they open in the app.
pub fn body_markdown(html: &str, paths: &std::sync::Arc<BTreeMap<u64, String>>) -> (String, Vec<String>) {
    body_markdown_with(html, paths, &std::sync::Arc::new(BTreeMap::new()))
}

/// [`body_markdown`], with images of the export's attachments (`images`:
/// attachment id -> path in the kb) pointing at their copy in the kb.
pub fn body_markdown_with(html: &str, paths: &std::sync::Arc<BTreeMap<u64, String>>, images: &std::sync::Arc<BTreeMap<u64, String>>) -> (String, Vec<String>) {
    let paths = paths.clone();
    let images = images.clone();
    let mut dropped = Vec::new();
    let lower = html.to_ascii_lowercase();
    for tag in ["script", "style", "iframe", "object", "embed", "form"] {
        let n = lower.matches(&format!("<{tag}")).count();
        if n > 0 {
            dropped.push(format!("{n} <{tag}> dropped"));
        }
    }
    let javascript_links = lower.matches("href=\"javascript:").count() + lower.matches("href='javascript:").count();
    if javascript_links > 0 {
        dropped.push(format!("{javascript_links} javascript: links kept as text"));
    }
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "iframe", "object", "embed", "form", "head"])
        .add_handler(vec!["div", "aside", "blockquote"], |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let class = element.attrs.iter().find(|a| &*a.name.local == "class").map(|a| a.value.to_string()).unwrap_or_default();
            let inner = handlers.walk_children(element.node).content;
            let quoted = |prefix: &str| -> String {
                let lines: Vec<String> = inner.trim().lines().map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect();
                format!("\n\n{prefix}{}\n\n", lines.join("\n"))
            };
            match (alert_of_class(&class), element.tag) {
                (Some(alert), _) => Some(quoted(&format!("> [!{alert}]\n")).into()),
                (None, "blockquote") => Some(quoted("").into()),
                (None, _) => Some(format!("\n\n{}\n\n", inner.trim()).into()),
            }
        })
        .add_handler(vec!["img"], move |_: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let attribute = |name: &str| element.attrs.iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string()).unwrap_or_default();
            let (src, alt) = (attribute("src"), attribute("alt").replace(['[', ']'], ""));
            // From `<locale>/<category>/` up to the kb's root, where `path` starts.
            let target = match linked_attachment(&src).and_then(|id| images.get(&id)) {
                Some(path) => format!("../../{path}"),
                None if src.starts_with("https://") || src.starts_with("http://") => src.replace(' ', "%20").replace(')', "%29"),
                None => return Some(alt.into()),
            };
            Some(format!("![{alt}]({target})").into())
        })
        .add_handler(vec!["a"], move |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let href = element.attrs.iter().find(|a| &*a.name.local == "href").map(|a| a.value.to_string()).unwrap_or_default();
            let text = handlers.walk_children(element.node).content;
            let scheme_ok = !href.trim().to_ascii_lowercase().starts_with("javascript:") && !href.trim().to_ascii_lowercase().starts_with("data:");
            if href.is_empty() || !scheme_ok {
                return Some(text.into());
            }
            // Every article sits two folders down (`category/slug`).
            let target = match linked_article(&href).and_then(|id| paths.get(&id)) {
                Some(path) => format!("../{path}.md"),
                None => href.replace(' ', "%20").replace(')', "%29"),
            };
            Some(format!("[{}]({target})", text.trim()).into())
        })
        .build();
    let markdown = match converter.html_to_tree(html) {
        Ok(tree) => {
            let (markdown, too_deep) = super::html_tree::to_markdown(&converter, &tree);
            dropped.extend(too_deep);
            markdown
        }
        Err(error) => {
            dropped.push(format!("the body could not be read as HTML ({error}): kept as text"));
            html.to_string()
        }
    };
    let outside = markdown
        .match_indices("![")
        .filter(|(at, _)| markdown[*at..].find("](").is_some_and(|close| markdown[at + close + 2..].starts_with("http")))
        .count();
    if outside > 0 {
        dropped.push(format!("{outside} images are not among the export's attachment files: kept as outside images (shown as links unless `image_origins` allows their host)"));
    }
    (markdown.trim().to_string() + "\n", dropped)
}

/// The date part of an RFC 3339 moment.
fn day(moment: &Option<String>) -> Option<String> {
    moment.as_ref().and_then(|m| m.get(..10)).filter(|d| d.parse::<jiff::civil::Date>().is_ok()).map(str::to_string)
}

/// Turns `export` into the files of a kb.
pub fn import(export: &Export, options: &Options) -> Imported {
    let mut imported = Imported::default();
    let mut source_locales: BTreeMap<String, usize> = BTreeMap::new();
    for article in export.articles.values() {
        *source_locales.entry(normalize_tag(article.source_locale.as_deref().unwrap_or(&article.locale))).or_default() += 1;
    }
    let default_locale = source_locales.iter().max_by_key(|(tag, n)| (**n, std::cmp::Reverse((*tag).clone()))).map(|(t, _)| t.clone()).unwrap_or_else(|| "en-US".to_string());
    let mut categories: BTreeMap<String, String> = BTreeMap::new();
    let mut audiences: BTreeMap<String, String> = BTreeMap::new();
    let mut locales: BTreeSet<String> = BTreeSet::from([default_locale.clone()]);
    // Paths by article id, so translations and links find them.
    let mut paths: BTreeMap<u64, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut revisions: BTreeMap<u64, String> = BTreeMap::new();
    for article in export.articles.values() {
        let section = article.section_id.and_then(|id| export.sections.get(&id));
        let category = section.and_then(|s| s.category_id).and_then(|id| export.categories.get(&id));
        let category_id = category.map(|c| slug(&c.name)).unwrap_or_else(|| "general".to_string());
        categories.entry(category_id.clone()).or_insert_with(|| category.map_or("General".to_string(), |c| c.name.clone()));
        let mut path = format!("{category_id}/{}", slug(&article.title));
        if !taken.insert(path.clone()) {
            path = format!("{path}-{}", article.id);
            taken.insert(path.clone());
        }
        paths.insert(article.id, path);
    }
    let shared_paths = std::sync::Arc::new(paths.clone());
    // Attachments saved beside the JSON go into `media/` of the locale
    // folder; the bodies point at them.
    let mut image_paths: BTreeMap<u64, String> = BTreeMap::new();
    let mut media: Vec<(String, u64)> = Vec::new();
    for (id, attachment) in &export.attachments {
        let extension = attachment.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !IMAGE_TYPES.contains(&extension.as_str()) || !options.attachment_files.contains_key(id) {
            continue;
        }
        let name = format!("{id}-{}.{extension}", slug(attachment.file_name.rsplit_once('.').map_or(&attachment.file_name[..], |(stem, _)| stem)));
        image_paths.insert(*id, format!("{default_locale}/media/{name}"));
        media.push((name, *id));
    }
    let shared_images = std::sync::Arc::new(image_paths);
    for (name, id) in &media {
        imported.files.push(KbFile { path: format!("{default_locale}/media/{name}"), contents: options.attachment_files[id].clone() });
    }
    for article in export.articles.values() {
        let path = paths[&article.id].clone();
        let category_id = path.split('/').next().unwrap_or("general").to_string();
        let section = article.section_id.and_then(|id| export.sections.get(&id));
        let mut tags: Vec<String> = section.map(|s| slug(&s.name)).into_iter().collect();
        tags.extend(article.label_names.iter().map(|l| slug(l)));
        tags.sort();
        tags.dedup();
        let segments: Vec<String> = export
            .segments_of(article)
            .iter()
            .map(|segment| {
                let id = slug(&segment.name);
                audiences.entry(id.clone()).or_insert_with(|| segment.name.clone());
                id
            })
            .collect();
        let owner = article.author_id.and_then(|id| export.users.get(&id)).map(|u| u.name.clone());
        let (body, dropped) = body_markdown_with(article.body.as_deref().unwrap_or(""), &shared_paths, &shared_images);
        let revision = crate::article::revision::revision_of(&article.title, &body);
        revisions.insert(article.id, revision);
        let locale = normalize_tag(article.source_locale.as_deref().unwrap_or(&article.locale));
        locales.insert(locale.clone());
        let file = article_file(article, &ArticleFields { category: &category_id, tags: &tags, audiences: &segments, owner: owner.as_deref(), team: &options.owner_team, source_revision: None }, &body);
        let kb_path = format!("{locale}/{path}.md");
        imported.notes.extend(dropped.into_iter().map(|message| Note { source_id: article.id.to_string(), path: kb_path.clone(), message }));
        if owner.is_none() && article.author_id.is_some() {
            imported.notes.push(Note { source_id: article.id.to_string(), path: kb_path.clone(), message: "the author is not in the export's users: no owner".into() });
        }
        imported.files.push(KbFile { path: kb_path, contents: file.into_bytes() });
        imported.articles += 1;
    }
    for ((source_id, _), translation) in &export.translations {
        let Some(article) = export.articles.get(source_id) else {
            imported.skipped.push((translation.id.to_string(), format!("a translation of article {source_id}, which the export does not hold")));
            continue;
        };
        let locale = normalize_tag(&translation.locale);
        if locale == normalize_tag(article.source_locale.as_deref().unwrap_or(&article.locale)) {
            continue; // the source itself
        }
        locales.insert(locale.clone());
        let path = &paths[source_id];
        let (body, dropped) = body_markdown_with(translation.body.as_deref().unwrap_or(""), &shared_paths, &shared_images);
        let current = revisions[source_id].clone();
        let source_revision = if translation.outdated { format!("{current}-outdated") } else { current };
        let category_id = path.split('/').next().unwrap_or("general");
        let as_article = Article { title: translation.title.clone(), draft: translation.draft || article.draft, updated_at: translation.updated_at.clone(), ..article.clone() };
        let owner = article.author_id.and_then(|id| export.users.get(&id)).map(|u| u.name.clone());
        let segments: Vec<String> = export.segments_of(article).iter().map(|s| slug(&s.name)).collect();
        let file = article_file(
            &as_article,
            &ArticleFields { category: category_id, tags: &[], audiences: &segments, owner: owner.as_deref(), team: &options.owner_team, source_revision: Some(&source_revision) },
            &body,
        );
        let kb_path = format!("{locale}/{path}.md");
        imported.notes.extend(dropped.into_iter().map(|message| Note { source_id: translation.id.to_string(), path: kb_path.clone(), message }));
        imported.files.push(KbFile { path: kb_path, contents: file.into_bytes() });
        imported.articles += 1;
    }
    imported.files.push(KbFile { path: "cuecard.yaml".into(), contents: config(&default_locale, &locales, &categories, &audiences).into_bytes() });
    imported.files.sort_by(|a, b| a.path.cmp(&b.path));
    imported
}

/// What an article's front matter says besides what Zendesk's record does.
struct ArticleFields<'a> {
    category: &'a str,
    tags: &'a [String],
    audiences: &'a [String],
    owner: Option<&'a str>,
    team: &'a str,
    source_revision: Option<&'a str>,
}

/// The article's file: front matter, then the body.
fn article_file(article: &Article, fields: &ArticleFields<'_>, body: &str) -> String {
    let mut front = format!("title: {}\ncategory: {}\n", yaml_text(&article.title), fields.category);
    if !fields.tags.is_empty() {
        front.push_str(&format!("tags: [{}]\n", fields.tags.join(", ")));
    }
    if !fields.audiences.is_empty() {
        front.push_str(&format!("audience: [{}]\n", fields.audiences.join(", ")));
    }
    if article.draft {
        front.push_str("draft: true\n");
    }
    if let Some(name) = fields.owner {
        front.push_str(&format!("owner: {{ name: {}, team: {} }}\n", yaml_text(name), yaml_text(fields.team)));
    }
    if let Some(changed) = day(&article.edited_at).or_else(|| day(&article.updated_at)) {
        front.push_str(&format!("changed: {changed}\n"));
    }
    match fields.source_revision {
        Some(revision) => front.push_str(&format!("source_revision: {revision}\n")),
        None => front.push_str(&format!("redirect_from: [\"{}\"]\n", article.id)),
    }
    article_with_origin(&front, "zendesk", &article.id.to_string(), article.updated_at.as_deref().unwrap_or(""), body)
}

/// The kb's `cuecard.yaml`: locales, categories and audiences declared.
fn config(default_locale: &str, locales: &BTreeSet<String>, categories: &BTreeMap<String, String>, audiences: &BTreeMap<String, String>) -> String {
    let mut text = String::from("# Written by `cuecard import zendesk`. Every field: the kb guide (kb/README.md).\n");
    text.push_str(&format!("default_locale: {default_locale}\n\nlocales:\n"));
    for locale in locales {
        let fallback = if locale == default_locale { String::new() } else { format!(", fallback: [{default_locale}]") };
        text.push_str(&format!("  {locale}: {{ path: {locale}{fallback} }}\n"));
    }
    text.push_str("\ncategories:\n");
    for (id, name) in categories {
        text.push_str(&format!("  - {{ id: {id}, name: {} }}\n", yaml_text(name)));
    }
    if !audiences.is_empty() {
        text.push_str("\n# Zendesk's user segments: an article restricted to one is only in a build for it.\naudiences:\n");
        for (id, name) in audiences {
            text.push_str(&format!("  - {{ id: {id}, name: {} }}\n", yaml_text(name)));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callout_boxes_become_alerts() {
        let paths = std::sync::Arc::new(BTreeMap::new());
        let (markdown, _) = body_markdown("<p>Before.</p><div class=\"callout callout--warning\"><p>Unplug it first.</p></div><blockquote><p>Quoted.</p></blockquote>", &paths);
        assert!(markdown.contains("> [!WARNING]\n> Unplug it first."), "{markdown}");
        assert!(markdown.contains("> Quoted."), "{markdown}");
    }

    #[test]
    fn bodies_lose_scripts_and_javascript_links_and_say_so() {
        let paths = std::sync::Arc::new(BTreeMap::from([(360002, "billing/refunds".to_string())]));
        let (markdown, dropped) = body_markdown("<h2>Steps</h2><ol><li>Hold</li><li>Wait</li></ol><script>alert(1)</script><p><a href=\"javascript:alert(1)\">click</a> and <a href=\"https://example.com/a\">docs</a> <a href=\"/hc/en-us/articles/360002-Refunds\">refunds</a></p>", &paths);
        assert!(markdown.contains("## Steps"), "{markdown}");
        assert!(markdown.contains("1.  Hold"), "{markdown}");
        assert!(!markdown.contains("alert"), "{markdown}");
        assert!(markdown.contains("click and [docs](https://example.com/a) [refunds](../billing/refunds.md)"), "{markdown}");
        assert_eq!(linked_article("https://acme.zendesk.com/hc/de/articles/360002-Erstattung#x"), Some(360002));
        assert_eq!(linked_article("https://example.com/news"), None);
        assert_eq!(dropped, ["1 <script> dropped", "1 javascript: links kept as text"]);
    }
}
