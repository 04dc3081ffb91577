//! One Markdown article file -> the article Cuecard indexes and shows.
//! A pure function of the file's path and text, so it is tested without disk.

use std::collections::BTreeMap;

use cuecard_engine::model::{ArticleInfo, IndexedArticle, RenderedArticle};

use crate::article::contract::{self, ArticleMeta};
use crate::article::files::{FileProblem, KbFiles, NoFiles};
use crate::article::markdown;
use crate::article::revision::{self, ContentKey, revision_of};
use crate::findings::diagnostics::Finding;
use crate::kb::disclosures::Disclosure;
use crate::kb::field_map::FieldMap;
use crate::kb::front_matter::{self, FrontMatter};
use crate::kb::synonyms::Synonyms;

/// What parsing an article needs to know about its kb and locale.
#[derive(Clone, Copy)]
pub struct ParseContext<'a> {
    /// Allowed categories (empty: any).
    pub categories: &'a [String],
    /// The locale's compliance texts, by id.
    pub disclosures: &'a BTreeMap<String, Disclosure>,
    /// Labels of script cards and disclosures, in the locale's language.
    pub labels: &'a markdown::BlockLabels,
    /// The locale folder's path in the kb, with a trailing `/` (empty for
    /// a kb without locale folders).
    pub locale_prefix: &'a str,
    /// Other files of the kb: includes and images.
    pub files: &'a dyn KbFiles,
    /// Origins outside images may load from (`cuecard.yaml`'s `image_origins`).
    pub image_origins: &'a [String],
    /// Which key holds each of Cuecard's fields (`cuecard.yaml`'s `front_matter`).
    pub fields: &'a FieldMap,
}

/// Longest summary taken from the first paragraph, in characters.
const MAX_DERIVED_SUMMARY_CHARS: usize = 300;

/// A parsed article.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Links and blocks carry lines in the file (not the body).
    pub rendered: markdown::Rendered,
    pub meta: ArticleMeta,
    /// Content hash of title and body: what a translation records as
    /// `source_revision`. Front-matter edits (a review date) do not change it.
    pub revision: String,
    /// Its text for "what changed" (title and words, not whitespace or
    /// front matter), compared with the versions in the kb's history.
    pub content_key: ContentKey,
    /// Problems that do not stop the article from being read.
    pub findings: Vec<Finding>,
    /// Line of the front matter's first field (1 without front matter).
    pub front_matter_line: usize,
    /// Front-matter fields, as written (unknown ones are kept, never fatal).
    pub extra: BTreeMap<String, serde_norway::Value>,
}

/// A problem that stops an article from being published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleError {
    /// Kind of problem, e.g. `yaml` (see `Diagnostic::code`).
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

impl Article {
    /// Parses an article. `path_in_locale` is the file's path relative to
    /// its locale folder, with `/` separators (it gives the default id).
    pub fn parse(path_in_locale: &str, source: &str, context: ParseContext<'_>) -> Result<Article, ArticleError> {
        let source = front_matter::normalize_line_ends(source);
        let split = front_matter::split(&source);
        let error_of = |e: front_matter::FrontMatterError| ArticleError { code: e.code, line: e.line, column: e.column, message: e.message, help: e.help };
        if let Some(problem) = split.problem.clone() {
            return Err(error_of(problem));
        }
        let front = match split.yaml {
            Some(yaml) => front_matter::parse(yaml, split.yaml_first_line, context.fields).map_err(error_of)?,
            None => FrontMatter::default(),
        };
        let path_in_kb = format!("{}{path_in_locale}", context.locale_prefix);
        let expanded = crate::article::includes::expand(split.body, &path_in_kb, context.files);
        let body = crate::article::colon_fences::convert(&expanded.text);
        let body = crate::article::docfx::convert(&body, context.labels.video);
        let file_line = |body_line: usize| expanded.map_line(body_line) + split.body_line_offset;
        if let Some((line, depth)) = markdown::too_deep(&body) {
            return Err(ArticleError {
                code: "nesting",
                line: file_line(line),
                column: 1,
                message: format!("blocks are nested {depth} deep here, deeper than the {} Cuecard renders", markdown::MAX_NESTING),
                help: "flatten the quotes or lists".into(),
            });
        }
        let disclosure_text = |id: &str| context.disclosures.get(id).map(|d| d.text.clone());
        let image_src = |url: &str| match crate::article::includes::resolve(url, &path_in_kb) {
            Some(target) => context.files.image(&target),
            None => Err(FileProblem::OutsideKb),
        };
        let render_context = markdown::RenderContext {
            path_in_locale,
            disclosure_text: &disclosure_text,
            labels: *context.labels,
            image_src: &image_src,
            image_origins: context.image_origins,
        };
        let mut rendered = markdown::render(&body, &render_context);
        for link in &mut rendered.links {
            link.line = file_line(link.line);
        }
        for block in &mut rendered.disclosure_blocks {
            block.line = file_line(block.line);
        }
        let (meta, mut findings) = match split.yaml {
            Some(_) => contract::read_meta(&front, split.yaml_first_line, context.categories, context.fields),
            None => (ArticleMeta::default(), Vec::new()),
        };
        for problem in &front.problems {
            findings.push(Finding::error(problem.code, problem.line, problem.message.clone(), problem.help.clone()).at_column(problem.column));
        }
        for finding in expanded.findings.iter().cloned() {
            let line = if finding.line == 0 { 0 } else { finding.line + split.body_line_offset };
            findings.push(Finding { line, ..finding });
        }
        for (url, line, column) in &rendered.neutralised_links {
            findings.push(
                Finding::warning(
                    "link-neutralised",
                    file_line(*line),
                    format!("the link to `{url}` goes nowhere in the app: only articles (`.md`), web pages (http, https), `mailto:` and `tel:` are followed"),
                    "link to the article's `.md` file, or to the page's full https:// address",
                )
                .at_column(*column),
            );
        }
        for image in &rendered.image_problems {
            findings.push(
                Finding::warning(
                    "missing-image",
                    file_line(image.line),
                    format!("the image `{}` is not shown: {}", image.url, image.why),
                    "add the image to the kb, or fix the path (relative to this file)",
                )
                .at_column(image.column),
            );
        }
        findings.sort_by_key(|f| f.line);
        let id = match &front.id {
            Some(id) => id.clone(),
            None => default_id(path_in_locale),
        };
        if let Some(problem) = id_problem(&id) {
            return Err(ArticleError {
                code: "bad-id",
                line: if front.id.is_some() { split.yaml_first_line } else { 0 },
                column: 0,
                message: format!("the article id `{id}` {problem}"),
                help: "set `id:` in the front matter to lower-case words joined by `-`, grouped with `/`, e.g. `billing/refund-annual-plan`".into(),
            });
        }
        let title = front
            .title
            .clone()
            .or_else(|| rendered.leading_title.clone().filter(|t| !t.is_empty()))
            .unwrap_or_else(|| file_stem(path_in_locale).to_string());
        let summary = front
            .summary
            .clone()
            .or_else(|| rendered.first_paragraph.as_deref().map(|p| truncate_words(p, MAX_DERIVED_SUMMARY_CHARS)))
            .unwrap_or_default();
        let revision = revision_of(&title, split.body);
        let content_key = revision::content_key(front.title.as_deref(), split.body);
        Ok(Article {
            id,
            title,
            summary,
            rendered,
            meta,
            revision,
            content_key,
            findings,
            front_matter_line: split.yaml_first_line.max(1),
            extra: front.extra,
        })
    }

    /// What the search index needs: the text, plus the article's `aka`
    /// words and the synonyms of words it uses.
    pub fn indexed(&self, synonyms: &Synonyms) -> IndexedArticle {
        let mut aka = self.meta.aka.clone();
        let text = format!("{}\n{}\n{}\n{}", self.title, self.summary, self.rendered.text, aka.join("\n"));
        aka.extend(synonyms.expansions(&text));
        IndexedArticle {
            id: self.id.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            headings: self.rendered.headings.iter().map(|h| h.text.clone()).collect(),
            aka,
            body_text: self.rendered.text.clone(),
            sections: self.rendered.sections.clone(),
            category: self.meta.category.clone(),
            products: self.meta.products.clone(),
            tags: self.meta.tags.clone(),
        }
    }

    /// What the app shows; `info` comes from [`crate::bundle::article_info`].
    pub fn rendered(&self, source_path: &str, info: ArticleInfo) -> RenderedArticle {
        RenderedArticle {
            id: self.id.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            html: self.rendered.html.clone(),
            headings: self.rendered.headings.clone(),
            source_path: source_path.to_string(),
            info,
        }
    }
}

impl ParseContext<'static> {
    /// An article on its own: any category, no disclosures, no other files.
    pub fn alone() -> ParseContext<'static> {
        static NO_DISCLOSURES: BTreeMap<String, Disclosure> = BTreeMap::new();
        static NO_FIELD_MAP: FieldMap = FieldMap::NONE;
        ParseContext {
            categories: &[],
            disclosures: &NO_DISCLOSURES,
            labels: &markdown::BlockLabels::ENGLISH,
            locale_prefix: "",
            files: &NoFiles,
            image_origins: &[],
            fields: &NO_FIELD_MAP,
        }
    }
}

/// The id of an article without an `id` field: its path without `.md`.
pub fn default_id(path_in_locale: &str) -> String {
    let path = path_in_locale.replace('\\', "/");
    match path.rsplit_once('.') {
        Some((stem, ext)) if ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown") => stem.to_string(),
        _ => path,
    }
}

fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("is empty")
    } else if id.chars().any(char::is_control) {
        Some("contains control characters")
    } else if id.trim() != id {
        Some("starts or ends with a space")
    } else if id.starts_with('/') || id.ends_with('/') || id.contains("//") {
        Some("has an empty part between `/`")
    } else if id.split('/').any(|part| part == "." || part == "..") {
        Some("contains `.` or `..` parts")
    } else {
        None
    }
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Article {
        fn parse_alone(path: &str, source: &str) -> Result<Article, ArticleError> {
            Article::parse(path, source, ParseContext::alone())
        }
    }

    #[test]
    fn revision_ignores_front_matter_edits() {
        let a = Article::parse_alone("a.md", "---\nreviewed: 2026-01-01\n---\n# T\n\nBody.\n").unwrap();
        let b = Article::parse_alone("a.md", "---\nreviewed: 2026-06-01\n---\n# T\n\nBody.\n").unwrap();
        let c = Article::parse_alone("a.md", "---\nreviewed: 2026-06-01\n---\n# T\n\nBody changed.\n").unwrap();
        assert_eq!(a.revision, b.revision);
        assert_ne!(a.revision, c.revision);
        assert_eq!(a.revision.len(), 12);
    }

    #[test]
    fn link_lines_are_file_lines() {
        let a = Article::parse_alone("a.md", "---\nid: a\n---\n# T\n\nSee [x](b.md).\n").unwrap();
        assert_eq!(a.rendered.links[0].line, 6);
    }

    #[test]
    fn front_matter_wins() {
        let a = Article::parse_alone("billing/x.md", "---\nid: billing/refund\ntitle: Refunds\nsummary: S\n---\n# Other\n\nPara.\n").unwrap();
        assert_eq!((a.id.as_str(), a.title.as_str(), a.summary.as_str()), ("billing/refund", "Refunds", "S"));
    }

    #[test]
    fn falls_back_to_heading_paragraph_and_path() {
        let a = Article::parse_alone("billing/refund-annual-plan.md", "# Refund an annual plan\n\nWithin 30 days.\n").unwrap();
        assert_eq!(a.id, "billing/refund-annual-plan");
        assert_eq!(a.title, "Refund an annual plan");
        assert_eq!(a.summary, "Within 30 days.");
    }

    #[test]
    fn falls_back_to_the_file_name_for_the_title() {
        let a = Article::parse_alone("devices/reset.md", "Just text.\n").unwrap();
        assert_eq!(a.title, "reset");
        assert_eq!(a.summary, "Just text.");
        let empty = Article::parse_alone("empty.md", "").unwrap();
        assert_eq!((empty.title.as_str(), empty.summary.as_str()), ("empty", ""));
    }

    #[test]
    fn description_is_a_summary_and_unknown_fields_are_kept() {
        let a = Article::parse_alone("a.md", "---\ndescription: From docs site\nsidebar_position: 3\n---\nBody\n").unwrap();
        assert_eq!(a.summary, "From docs site");
        assert!(a.extra.contains_key("sidebar_position"));
    }

    #[test]
    fn tldr_pages_take_the_blockquote_as_summary() {
        let a = Article::parse_alone("common/tar.md", "# tar\n\n> Archiving utility.\n> More information: <https://www.gnu.org/software/tar>.\n\n- Create an archive:\n\n`tar cf {{target.tar}} {{file1}}`\n").unwrap();
        assert_eq!(a.id, "common/tar");
        assert_eq!(a.title, "tar");
        assert!(a.summary.starts_with("Archiving utility. More information:"), "{}", a.summary);
    }

    #[test]
    fn long_first_paragraphs_are_cut_at_a_word() {
        let long = "word ".repeat(200);
        let a = Article::parse_alone("a.md", &long).unwrap();
        assert!(a.summary.chars().count() <= MAX_DERIVED_SUMMARY_CHARS + 1);
        assert!(a.summary.ends_with("word…"));
    }

    #[test]
    fn any_file_name_makes_an_id() {
        // Real trees (the tldr pages) have files like `%.md` and `[.md`.
        for name in ["common/%.md", "common/[.md", "common/My Notes.md", "common/c++.md"] {
            assert!(Article::parse_alone(name, "# x\n").is_ok(), "{name}");
        }
    }

    #[test]
    fn bad_ids_are_errors_at_the_front_matter() {
        let e = Article::parse_alone("a.md", "---\nid: billing//refund\n---\n").unwrap_err();
        assert_eq!(e.message, "the article id `billing//refund` has an empty part between `/`");
        assert_eq!(e.line, 2);
        let e = Article::parse_alone("a.md", "---\nid: ../x\n---\n").unwrap_err();
        assert!(e.message.contains("`..`"));
    }

    #[test]
    fn front_matter_errors_carry_file_lines() {
        let e = Article::parse_alone("a.md", "---\ntitle: ok\nsummary: : :\n  bad: [\n---\nBody").unwrap_err();
        assert!(e.line >= 3, "{e:?}");
    }
}
