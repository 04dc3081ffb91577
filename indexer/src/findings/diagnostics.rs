//! Problems found in a knowledge base, reported the way a compiler does:
//! `file:line:column: error: what is wrong`, then how to fix it.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem at a place in one article, before its file is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// Stable kind of finding, e.g. `unknown-category` (for CI bots).
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

impl Finding {
    pub fn error(code: &'static str, line: usize, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding { severity: Severity::Error, code, line, column: 0, message: message.into(), help: help.into() }
    }

    pub fn warning(code: &'static str, line: usize, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding { severity: Severity::Warning, ..Finding::error(code, line, message, help) }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    /// The finding, placed in `file`.
    pub fn in_file(self, file: impl Into<PathBuf>) -> Diagnostic {
        Diagnostic {
            severity: self.severity,
            code: self.code,
            file: file.into(),
            line: self.line,
            column: self.column,
            message: self.message,
            help: Some(self.help).filter(|h| !h.is_empty()),
        }
    }
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kind of finding, e.g. `unknown-category`.
    pub code: &'static str,
    /// The file, as given on the command line plus its path in the kb.
    pub file: PathBuf,
    /// 1-based line, 0 when the finding is about the whole file.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: "kb",
            file: file.into(),
            line,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, line, message) }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = column;
        self
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// The finding as a GitHub Actions workflow command, so it shows on the
    /// changed line of a pull request.
    pub fn to_github(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = format!("file={}", escape_property(&self.file.to_string_lossy()));
        if self.line > 0 {
            properties.push_str(&format!(",line={}", self.line));
            if self.column > 0 {
                properties.push_str(&format!(",col={}", self.column));
            }
        }
        properties.push_str(&format!(",title={}", escape_property(&format!("cuecard {}", self.code))));
        let mut message = self.message.clone();
        if let Some(help) = &self.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        format!("::{level} {properties}::{}", escape_data(&message))
    }

    /// The finding as a row of a Markdown table (GitHub's job summary):
    /// every cell escaped, so kb text can neither break the table nor add
    /// links, images or markup.
    pub fn to_markdown_row(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let place = if self.line > 0 { format!("{}:{}", self.file.display(), self.line) } else { self.file.display().to_string() };
        let message = match &self.help {
            Some(help) => format!("{} (help: {help})", self.message),
            None => self.message.clone(),
        };
        format!("| {level} | `{}` | {} | {} |", self.code, markdown_cell(&place), markdown_cell(&message))
    }

    /// The finding as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity,
            "code": self.code,
            "file": self.file.to_string_lossy(),
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "help": self.help,
        })
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// For people: one line, then `help:` on the next. Values from the kb
/// (file names, YAML values, link text) are inside these lines, so line
/// breaks in them are escaped the way GitHub's own workflow commands escape
/// them: no kb content can start a line of the output, where CI runners
/// (GitHub Actions' `::error ...`) would run it as a command.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escape_data(&self.file.to_string_lossy()))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {label}: {}", escape_data(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", escape_data(help))?;
        }
        Ok(())
    }
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_github_annotations_and_json() {
        let d = Diagnostic::error("kb/en-US/a.md", 3, "bad: thing, really\nyes").at_column(7).with_help("do this").with_code("unknown-category");
        assert_eq!(
            d.to_github(),
            "::error file=kb/en-US/a.md,line=3,col=7,title=cuecard unknown-category::bad: thing, really%0Ayes%0Ahelp: do this"
        );
        assert_eq!(d.to_json()["code"], "unknown-category");
        assert_eq!(d.to_json()["line"], 3);
    }

    #[test]
    fn kb_text_never_starts_a_line_of_human_output() {
        let d = Diagnostic::error("kb/a.md", 3, "unknown category `x\n::error file=ci::owned`").with_help("did you mean `y\r\n::warning::z`?");
        let text = d.to_string();
        assert!(text.lines().all(|line| !line.trim_start().starts_with("::")), "{text}");
        assert_eq!(text.lines().count(), 2, "{text}");
    }

    #[test]
    fn displays_like_a_compiler() {
        let d = Diagnostic::error("kb/en-US/a.md", 3, "bad thing").at_column(7).with_help("do this");
        assert_eq!(d.to_string(), "kb/en-US/a.md:3:7: error: bad thing\n  help: do this");
        let whole_file = Diagnostic::error("kb/x.md", 0, "not UTF-8");
        assert_eq!(whole_file.to_string(), "kb/x.md: error: not UTF-8");
    }
}

/// `text` as plain text in a Markdown table cell: one line, with every
/// character Markdown or HTML could read as syntax escaped.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '!' | '~' | '{' | '}' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}
