//! Include directives, the docs-as-code way to reuse text:
//! `[!INCLUDE [label](../includes/x.md)]` or `[!include[label](~/includes/x.md)]`
//! (`~` is the kb's root). The directive is replaced by the included file's
//! body (its front matter dropped), before the Markdown is parsed.
//!
//! - Relative links and images inside an included file resolve against
//!   that file, as they would on a docs host: they are rebased onto the
//!   including article's folder.
//! - Includes nest up to [`MAX_DEPTH`] deep; a cycle is a finding.
//! - Files come through [`IncludeSource`], which the CLI backs with the
//!   kb sandbox (no file outside the kb is ever read).
//! - Lines of the expanded text map back to the article's own lines, so
//!   findings point at the file the knowledge manager edits.

use std::collections::BTreeSet;

use crate::article::fences::CodeFences;
use crate::article::files::IncludeSource;
use crate::article::markdown::links::is_relative_url;
use crate::findings::diagnostics::Finding;

/// How deep includes may nest.
pub const MAX_DEPTH: usize = 8;

/// An include directive in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Byte range of the whole directive.
    pub start: usize,
    pub end: usize,
    /// The path as written.
    pub target: String,
    /// 1-based line.
    pub line: usize,
}

/// The include directives of `text`, outside fenced code blocks.
pub fn directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut fences = CodeFences::default();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if fences.is_fence(line) {
            offset += line.len();
            continue;
        }
        if !fences.in_code() {
            let lower = line.to_ascii_lowercase();
            let mut from = 0;
            while let Some(at) = lower[from..].find("[!include").map(|i| i + from) {
                match parse_directive(&line[at..]) {
                    Some((len, target)) => {
                        out.push(Directive { start: offset + at, end: offset + at + len, target, line: n + 1 });
                        from = at + len;
                    }
                    None => from = at + 1,
                }
            }
        }
        offset += line.len();
    }
    out
}

/// `[!include[label](path)]` at the start of `text`: its length and path.
fn parse_directive(text: &str) -> Option<(usize, String)> {
    let rest = &text["[!include".len()..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let rest = &rest[skipped..];
    let rest = rest.strip_prefix('[')?;
    let label_end = rest.find(']')?;
    let after_label = &rest[label_end + 1..];
    let after_label = after_label.strip_prefix('(')?;
    let path_end = after_label.find(')')?;
    let target = after_label[..path_end].trim().trim_matches(['<', '>']).to_string();
    let tail = &after_label[path_end + 1..];
    let tail = tail.strip_prefix(']')?;
    let len = text.len() - tail.len();
    (!target.is_empty()).then_some((len, target))
}

/// The target of a directive in the file at `from_path_in_kb`, as a
/// normalised path in the kb; `None` when it climbs out of the kb.
pub fn resolve(target: &str, from_path_in_kb: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or(target);
    let mut parts: Vec<&str> = Vec::new();
    let relative = if let Some(rooted) = target.strip_prefix("~/").or_else(|| target.strip_prefix('/')) {
        rooted
    } else {
        parts.extend(from_path_in_kb.split('/'));
        parts.pop();
        target
    };
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// A text with its includes put in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub text: String,
    /// For each line of `text` (0-based), the 1-based line of the source.
    pub source_line: Vec<usize>,
    /// Every file included, directly or not.
    pub included: BTreeSet<String>,
    /// Directives that could not be resolved, at their source lines.
    pub findings: Vec<Finding>,
}

impl Expanded {
    /// The source line of 1-based `line` of the expanded text.
    pub fn map_line(&self, line: usize) -> usize {
        line.checked_sub(1).and_then(|l| self.source_line.get(l)).copied().unwrap_or(line)
    }
}

/// Puts the includes into `text`, the body of the file at `path_in_kb`.
pub fn expand(text: &str, path_in_kb: &str, source: &dyn IncludeSource) -> Expanded {
    let mut expansion = Expansion { source, stack: vec![path_in_kb.to_string()], included: BTreeSet::new(), findings: Vec::new() };
    let mut out = String::with_capacity(text.len());
    let mut source_line = Vec::new();
    let mut line = 1;
    let mut push = |piece: &str, out: &mut String, from_source: bool| {
        for _ in piece.matches('\n') {
            source_line.push(line);
            if from_source {
                line += 1;
            }
        }
        out.push_str(piece);
    };
    let mut at = 0;
    for directive in directives(text) {
        push(&text[at..directive.start], &mut out, true);
        at = directive.end;
        if let Some(included) = expansion.include(&directive, path_in_kb, 0) {
            push(&included, &mut out, false);
        }
    }
    push(&text[at..], &mut out, true);
    source_line.push(line);
    Expanded { text: out, source_line, included: expansion.included, findings: expansion.findings }
}

/// One article's expansion under way.
struct Expansion<'a> {
    source: &'a dyn IncludeSource,
    /// The files being included, outermost first (for cycles).
    stack: Vec<String>,
    included: BTreeSet<String>,
    findings: Vec<Finding>,
}

impl Expansion<'_> {
    /// The text `directive` (in the file at `path_in_kb`, `depth` includes
    /// deep) brings in, fully expanded, its links rebased onto that file; `None`
    /// when it cannot be resolved (a finding, for the article's own
    /// directives, at their line).
    fn include(&mut self, directive: &Directive, path_in_kb: &str, depth: usize) -> Option<String> {
        let mut problem = |message: String, help: &str| {
            let line = if depth == 0 { directive.line } else { 0 };
            self.findings.push(Finding::error("include", line, message, help));
        };
        let Some(target) = resolve(&directive.target, path_in_kb) else {
            problem(format!("the include `{}` leads outside the kb", directive.target), "include files inside the kb; `~/` starts at the kb's root");
            return None;
        };
        if self.stack.contains(&target) {
            problem(
                format!("the include `{}` includes itself (through {})", directive.target, self.stack.join(" -> ")),
                "break the cycle: an include must not include the file that includes it",
            );
            return None;
        }
        if depth >= MAX_DEPTH {
            problem(format!("includes nest deeper than {MAX_DEPTH} at `{}`", directive.target), "include the text directly rather than through a chain of includes");
            return None;
        }
        let text = match self.source.text_of(&target) {
            Ok(text) => text,
            Err(why) => {
                problem(
                    format!("the include `{}` cannot be used: {why}", directive.target),
                    "point it at a Markdown file in the kb, relative to this file or from `~/`",
                );
                return None;
            }
        };
        self.included.insert(target.clone());
        let normalized = crate::kb::front_matter::normalize_line_ends(&text);
        let body = crate::kb::front_matter::split(&normalized).body.trim_end_matches('\n');
        self.stack.push(target.clone());
        let mut out = String::with_capacity(body.len());
        let mut at = 0;
        for nested in directives(body) {
            out.push_str(&body[at..nested.start]);
            at = nested.end;
            if let Some(text) = self.include(&nested, &target, depth + 1) {
                out.push_str(&text);
            }
        }
        out.push_str(&body[at..]);
        self.stack.pop();
        Some(rebase_links(&out, &target, path_in_kb))
    }
}

/// Rewrites relative link and image targets (`](x.md)`, `[ref]: x.md`) in
/// `text` written at `from_path` so they mean the same from `to_path`.
pub fn rebase_links(text: &str, from_path: &str, to_path: &str) -> String {
    let from_dir = parent(from_path);
    let to_dir = parent(to_path);
    if from_dir == to_dir {
        return text.to_string();
    }
    let rebase = |url: &str| -> Option<String> {
        if !is_relative_url(url) || url.starts_with(['~', '<']) {
            return None;
        }
        let target = resolve(url, from_path)?;
        let suffix = url.find(['#', '?']).map_or("", |at| &url[at..]);
        Some(format!("{}{suffix}", relative_path(&target, &to_dir)))
    };
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let end = after.find([')', ' ', '\n']).unwrap_or(after.len());
        let url = &after[..end];
        match rebase(url) {
            Some(new) => out.push_str(&new),
            None => out.push_str(url),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    // Reference definitions: `[label]: url` at the start of a line.
    out.split_inclusive('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(close) = trimmed.strip_prefix('[').and_then(|r| r.find("]:")).map(|i| i + 1) {
                let head_len = line.len() - trimmed.len() + close + 2;
                let tail = &line[head_len..];
                let url_start = tail.len() - tail.trim_start().len();
                let url_end = tail[url_start..].find(char::is_whitespace).map_or(tail.len(), |e| e + url_start);
                if let Some(new) = rebase(&tail[url_start..url_end]) {
                    return format!("{}{}{}{}", &line[..head_len], &tail[..url_start], new, &tail[url_end..]);
                }
            }
            line.to_string()
        })
        .collect()
}

fn parent(path: &str) -> String {
    path.rsplit_once('/').map_or(String::new(), |(dir, _)| dir.to_string())
}

/// `target` (a path in the kb) relative to the folder `from_dir`.
fn relative_path(target: &str, from_dir: &str) -> String {
    let target_parts: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let from_parts: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let common = target_parts.iter().zip(&from_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_parts.len() - common];
    parts.extend(&target_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::article::files::FileProblem;

    struct Files(HashMap<&'static str, &'static str>);

    impl IncludeSource for Files {
        fn text_of(&self, path: &str) -> Result<String, FileProblem> {
            self.0.get(path).map(|t| t.to_string()).ok_or(FileProblem::Missing)
        }
    }

    fn files(list: &[(&'static str, &'static str)]) -> Files {
        Files(list.iter().copied().collect())
    }

    #[test]
    fn finds_both_spellings_outside_code() {
        let text = "a [!INCLUDE [x](../includes/x.md)] b\n[!include[Support](~/includes/y.md)]\n```\n[!include[no](z.md)]\n```\n";
        let found: Vec<(String, usize)> = directives(text).into_iter().map(|d| (d.target, d.line)).collect();
        assert_eq!(found, [("../includes/x.md".to_string(), 1), ("~/includes/y.md".to_string(), 2)]);
    }

    #[test]
    fn puts_includes_in_and_maps_lines_back() {
        let source = files(&[("includes/note.md", "---\ntitle: x\n---\nLine one.\n\nSee [intro](../articles/intro.md).\n")]);
        let expanded = expand("# T\n\n[!include[n](~/includes/note.md)]\n\n[after](b.md)\n", "api/a.md", &source);
        assert_eq!(expanded.text, "# T\n\nLine one.\n\nSee [intro](../articles/intro.md).\n\n[after](b.md)\n");
        assert_eq!(expanded.map_line(3), 3);
        assert_eq!(expanded.map_line(5), 3, "included lines map to the directive");
        assert_eq!(expanded.map_line(7), 5, "lines after the include keep their own numbers");
        assert!(expanded.included.contains("includes/note.md"));
        assert!(expanded.findings.is_empty());
    }

    #[test]
    fn links_in_an_include_resolve_against_the_include() {
        let source = files(&[("shared/inc/x.md", "[a](../guide.md#part) [b](https://x.test) [c](#here) ![i](img/p.png)\n\n[r]: ./more.md\n")]);
        let expanded = expand("[!include[x](../shared/inc/x.md)]", "docs/a.md", &source);
        assert_eq!(expanded.text, "[a](../shared/guide.md#part) [b](https://x.test) [c](#here) ![i](../shared/inc/img/p.png)\n\n[r]: ../shared/inc/more.md");
    }

    #[test]
    fn nested_includes_rebase_once_per_level() {
        let source = files(&[("inc/a.md", "[!include[b](deeper/b.md)]"), ("inc/deeper/b.md", "[x](x.md)")]);
        let expanded = expand("[!include[a](inc/a.md)]", "top.md", &source);
        assert_eq!(expanded.text, "[x](inc/deeper/x.md)");
    }

    #[test]
    fn cycles_depth_escapes_and_missing_files_are_findings() {
        let source = files(&[("a.md", "[!include[b](b.md)]"), ("b.md", "[!include[a](a.md)]")]);
        let expanded = expand("x [!include[a](a.md)]", "top.md", &source);
        assert_eq!(expanded.findings.len(), 1, "{:?}", expanded.findings);
        assert!(expanded.findings[0].message.contains("includes itself"), "{:?}", expanded.findings);
        let expanded = expand("[!include[x](../../etc/passwd)]\n[!include[y](nope.md)]", "a.md", &source);
        let lines: Vec<(usize, bool)> = expanded.findings.iter().map(|f| (f.line, f.message.contains("outside"))).collect();
        assert_eq!(lines, [(1, true), (2, false)]);
        let chain: Vec<(String, String)> = (0..12).map(|n| (format!("c{n}.md"), format!("[!include[n](c{}.md)]", n + 1))).collect();
        let chain = Files(chain.iter().map(|(p, t)| (&*Box::leak(p.clone().into_boxed_str()), &*Box::leak(t.clone().into_boxed_str()))).collect());
        let expanded = expand("[!include[n](c0.md)]", "top.md", &chain);
        assert!(expanded.findings.iter().any(|f| f.message.contains("nest deeper")), "{:?}", expanded.findings);
    }
}
