//! Splits an article into YAML front matter and Markdown body, and reads the
//! fields Cuecard understands. Unknown fields are kept, never fatal.

use std::collections::BTreeMap;

use serde_norway::Value;

use crate::kb::bounded_yaml::{BoundedError, TEXT_LIMIT};
use crate::kb::field_map::{FieldMap, KeyRole};

/// A problem in the front matter, with its line in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// `yaml` for invalid YAML, `field-type` for a field of the wrong type.
    pub code: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

/// The front matter of an article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub id: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// Every other field, under Cuecard's name for it when it is one of
    /// Cuecard's (the kb's `front_matter:` map applied), else as written.
    /// Keys the map turns off are not here.
    pub extra: BTreeMap<String, Value>,
    /// The line in the file of each field of `extra`, and of `id`, `title`
    /// and `summary`.
    pub lines: BTreeMap<String, usize>,
    /// Known fields that had the wrong type (ignored, reported).
    pub problems: Vec<FrontMatterError>,
}

/// An article's source cut in two.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The YAML text between the `---` fences, if there is front matter.
    pub yaml: Option<&'a str>,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// 1-based line of the file where `yaml` starts.
    pub yaml_first_line: usize,
    /// Lines before the body starts (to map body lines back to the file).
    pub body_line_offset: usize,
    /// Something that looks like front matter but is not read as it: TOML
    /// (`+++`), JSON, or an opening `---` without a closing one.
    pub problem: Option<FrontMatterError>,
}

/// `source` with every line ending as `\n` (CRLF and old Mac CR-only files
/// alike), so lines are counted and fences found the same way everywhere.
pub fn normalize_line_ends(source: &str) -> std::borrow::Cow<'_, str> {
    if source.contains('\r') {
        std::borrow::Cow::Owned(source.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(source)
    }
}

/// Whether `line` is a fence made of `marker`, with trailing blanks allowed
/// (what Jekyll and Hugo accept).
fn is_fence(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker).is_some_and(|rest| rest.trim().is_empty())
}

/// Cuts `source` (with `\n` line ends, see [`normalize_line_ends`]) into
/// front matter and body. Front matter is a block that starts on the first
/// line with `---` and ends at the next `---` or `...` line (trailing blanks
/// allowed, a leading BOM skipped). TOML and JSON front matter, and an
/// opening fence that is never closed, are reported in `problem`: they are
/// not read, and never silently published as the article's text.
pub fn split(source: &str) -> Split<'_> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let no_front_matter = Split { yaml: None, body: source, yaml_first_line: 0, body_line_offset: 0, problem: None };
    let first_line = source.lines().next().unwrap_or("");
    let problem = |message: &str, help: &str| FrontMatterError { code: "front-matter", line: 1, column: 1, message: message.into(), help: help.into() };
    if is_fence(first_line, "+++") {
        return Split {
            problem: Some(problem(
                "TOML front matter (`+++`) is not read, so its fields would be lost",
                "write the fields as YAML between two `---` lines (`title = \"X\"` becomes `title: X`)",
            )),
            ..no_front_matter
        };
    }
    if first_line.trim() == "{" {
        return Split {
            problem: Some(problem("JSON front matter is not read, so its fields would be lost", "write the fields as YAML between two `---` lines")),
            ..no_front_matter
        };
    }
    if !is_fence(first_line, "---") {
        return no_front_matter;
    }
    let yaml_start = (first_line.len() + 1).min(source.len());
    let rest = &source[yaml_start..];
    let mut at = yaml_start;
    for line in rest.split_inclusive('\n') {
        if is_fence(line, "---") || is_fence(line, "...") {
            let body_start = at + line.len();
            return Split {
                yaml: Some(&source[yaml_start..at]),
                body: &source[body_start..],
                yaml_first_line: 2,
                body_line_offset: source[..body_start].matches('\n').count(),
                problem: None,
            };
        }
        at += line.len();
    }
    Split {
        problem: Some(problem(
            "the front matter opened with `---` is never closed, so it would be published as text",
            "end the front matter with a `---` line",
        )),
        ..no_front_matter
    }
}

/// Parses YAML that comes from the kb (front matter, the kb config) into
/// `T`, bounded in size and in what its aliases expand to.
pub fn parse_bounded<T: serde::de::DeserializeOwned>(yaml: &str) -> Result<T, FrontMatterError> {
    let to_error = |message: String, line: Option<usize>, column: Option<usize>| FrontMatterError {
        code: "yaml",
        line: line.unwrap_or(1),
        column: column.unwrap_or(0),
        message,
        help: "keep it to plain `key: value` fields".into(),
    };
    match crate::kb::bounded_yaml::parse(yaml) {
        Err(BoundedError::TooLong(bytes)) => Err(to_error(format!("it is {} KB, over the limit of {} KB", bytes >> 10, TEXT_LIMIT >> 10), None, None)),
        Err(BoundedError::Invalid { message, line, column }) => Err(to_error(strip_location(&message), line, column)),
        // Within bounds: parse again into the type, for errors at their line.
        Ok(_) => serde_norway::from_str(yaml).map_err(|e| {
            let location = e.location();
            to_error(strip_location(&e.to_string()), location.as_ref().map(|l| l.line()), location.map(|l| l.column()))
        }),
    }
}

/// Parses the YAML of a front matter block, reading Cuecard's fields from
/// the keys `map` names.
pub fn parse(yaml: &str, first_line: usize, map: &FieldMap) -> Result<FrontMatter, FrontMatterError> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    let last_line = first_line + yaml.lines().count().max(1) - 1;
    let value: Value = match crate::kb::bounded_yaml::parse(yaml) {
        Ok(value) => value,
        Err(BoundedError::TooLong(bytes)) => {
            return Err(FrontMatterError {
                code: "yaml",
                line: first_line,
                column: 0,
                message: format!("the front matter is {} KB, over the limit of {} KB", bytes >> 10, TEXT_LIMIT >> 10),
                help: "keep front matter to the article's fields; put text in the body".into(),
            });
        }
        Err(BoundedError::Invalid { message, line, column }) => {
            // The parser may only notice a problem at the end of the block (an
            // unclosed bracket); point at the block's last line, not the fence.
            let (line, column) = line
                .map(|l| (l + first_line - 1, column.unwrap_or(0)))
                .map(|(line, column)| if line > last_line { (last_line, 0) } else { (line, column) })
                .unwrap_or((first_line, 0));
            return Err(FrontMatterError {
                code: "yaml",
                line,
                column,
                message: format!("the front matter is not valid YAML: {}", strip_location(&message)),
                help: "front matter is YAML between two `---` lines, one `key: value` per line; quote values that contain `: ` or start with a special character".into(),
            });
        }
    };
    let Value::Mapping(mapping) = value else {
        return Err(FrontMatterError {
            code: "yaml",
            line: first_line,
            column: 1,
            message: "the front matter must be a list of `key: value` fields".into(),
            help: "write fields like `title: Refund an annual plan`, one per line".into(),
        });
    };
    let mut front = FrontMatter::default();
    let mut description = None;
    for (key, value) in mapping {
        let Some(written) = key.as_str() else {
            continue;
        };
        let key = match map.role_of(written) {
            KeyRole::Field(field) => field.to_string(),
            KeyRole::NotRead => continue,
            KeyRole::Other => written.to_string(),
        };
        front.lines.insert(key.clone(), line_of_key(yaml, written).map_or(first_line, |l| l + first_line - 1));
        if !matches!(key.as_str(), "id" | "title" | "summary" | "description") {
            front.extra.insert(key, value);
            continue;
        }
        let Some(text) = scalar_text(&value) else {
            front.problems.push(FrontMatterError {
                code: "field-type",
                line: front.lines[&key],
                column: 1,
                message: format!("`{written}` must be text, but it is {}", describe(&value)),
                help: format!("write `{written}:` followed by the text on the same line, e.g. `{written}: Refund an annual plan`"),
            });
            continue;
        };
        let text = text.filter(|s| !s.is_empty());
        match key.as_str() {
            "id" => front.id = text,
            "title" => front.title = text,
            "summary" => front.summary = text,
            _ => description = text,
        }
    }
    // `summary` wins over `description`, whatever their order.
    front.summary = front.summary.or(description);
    Ok(front)
}

/// Text of a scalar value (numbers and booleans read as written); `Some(None)`
/// for an empty value, `None` for a list or mapping.
fn scalar_text(value: &Value) -> Option<Option<String>> {
    match value {
        Value::String(s) => Some(Some(s.trim().to_string())),
        Value::Number(n) => Some(Some(n.to_string())),
        Value::Bool(b) => Some(Some(b.to_string())),
        Value::Null => Some(None),
        _ => None,
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a set of fields",
        _ => "not text",
    }
}

/// 1-based line of `key:` at the top level of `yaml`.
pub fn line_of_key(yaml: &str, key: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        .map(|i| i + 1)
}

/// serde_norway appends " at line L column C"; the caller reports the place.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_from_body() {
        let s = split("---\ntitle: A\n---\n# Body\n");
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line_offset, 3);
    }

    #[test]
    fn no_front_matter_or_unclosed_is_all_body() {
        assert_eq!(split("# Title\n").yaml, None);
        assert_eq!(split("---\ntitle: A\n# never closed\n").yaml, None);
        assert_eq!(split("----\nnot front matter").yaml, None);
        assert_eq!(split("\u{feff}---\nid: x\n---\n").yaml, Some("id: x\n"));
        assert_eq!(split("---\r\nid: x\r\n---\r\nbody").body, "body");
    }

    #[test]
    fn reads_known_fields_and_keeps_the_rest() {
        let f = parse("id: billing/x\ntitle: Refunds\ndescription: Short\nowner: {name: Ana}\ntags: [a, b]\n", 2, &FieldMap::default()).unwrap();
        assert_eq!(f.id.as_deref(), Some("billing/x"));
        assert_eq!(f.title.as_deref(), Some("Refunds"));
        assert_eq!(f.summary.as_deref(), Some("Short"));
        assert!(f.extra.contains_key("owner") && f.extra.contains_key("tags"));
    }

    #[test]
    fn summary_wins_over_description() {
        let f = parse("description: D\nsummary: S\n", 2, &FieldMap::default()).unwrap();
        assert_eq!(f.summary.as_deref(), Some("S"));
        let f = parse("summary: S\ndescription: D\n", 2, &FieldMap::default()).unwrap();
        assert_eq!(f.summary.as_deref(), Some("S"));
    }

    #[test]
    fn numbers_read_as_text_and_empty_is_none() {
        let f = parse("title: 2024\nsummary:\n", 2, &FieldMap::default()).unwrap();
        assert_eq!(f.title.as_deref(), Some("2024"));
        assert_eq!(f.summary, None);
    }

    #[test]
    fn invalid_yaml_points_at_the_line_in_the_file() {
        let e = parse("title: A\nsummary: [unclosed\nowner: x\n", 2, &FieldMap::default()).unwrap_err();
        assert!((3..=4).contains(&e.line), "{e:?}");
        let e = parse("title: A\nsummary: [unclosed\n", 2, &FieldMap::default()).unwrap_err();
        assert_eq!(e.line, 3, "never past the block: {e:?}");
        assert!(e.message.starts_with("the front matter is not valid YAML"), "{e:?}");
    }

    #[test]
    fn wrong_type_names_the_field_and_line() {
        let front = parse("id: a\ntitle:\n  - one\n  - two\n", 2, &FieldMap::default()).unwrap();
        let e = &front.problems[0];
        assert_eq!(front.title, None);
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "`title` must be text, but it is a list");
    }

    #[test]
    fn a_list_is_not_front_matter() {
        assert!(parse("- a\n- b\n", 2, &FieldMap::default()).is_err());
    }
}
