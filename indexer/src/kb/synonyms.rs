//! Synonym groups of a locale, `<locale>/_synonyms.txt`: one group per line,
//! words or phrases separated by `=` (`cancel = terminate = close account`),
//! `#` starts a comment. An article that uses one member of a group is found
//! by every other member too (they are added to its `aka` field at build
//! time, so multi-word synonyms work in both directions).

use std::path::Path;

use cuecard_engine::analysis;
use tantivy::tokenizer::TextAnalyzer;

use crate::findings::diagnostics::Diagnostic;
use crate::kb::sandbox::{KbRoot, MAX_SETTINGS_BYTES};

/// The file of a locale's synonym groups.
pub const SYNONYMS_FILE: &str = "_synonyms.txt";

/// A locale's synonym groups, with each member's analysed terms.
#[derive(Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<(String, Vec<String>)>>,
    analyzer: Option<TextAnalyzer>,
}

impl Synonyms {
    /// Reads `<locale_dir>/_synonyms.txt` (none: no synonyms).
    pub fn load(locale_dir: &Path, locale: &str, sandbox: &KbRoot) -> Result<Synonyms, Vec<Diagnostic>> {
        let path = locale_dir.join(SYNONYMS_FILE);
        let text = match sandbox.read_optional_text(&path, MAX_SETTINGS_BYTES) {
            Ok(Some(text)) => text,
            Ok(None) => return Ok(Synonyms::default()),
            Err(problem) => {
                return Err(vec![Diagnostic::error(&path, 0, format!("the synonyms file is not read: {problem}")).with_code(problem.code()).with_help(problem.help())]);
            }
        };
        Synonyms::parse(&text, locale).map_err(|(line, message)| {
            vec![Diagnostic::error(&path, line, message)
                .with_code("synonyms")
                .with_help("write one group per line: `cancel = terminate = close account`")]
        })
    }

    /// Parses the text of a synonyms file; errors carry the line.
    pub fn parse(text: &str, locale: &str) -> Result<Synonyms, (usize, String)> {
        let mut analyzer = analysis::analyzer(&analysis::analyzer_name(locale)).expect("every locale has an analyzer");
        let mut groups = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let members: Vec<String> = line.split('=').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect();
            if members.len() < 2 || !line.contains('=') {
                return Err((n + 1, format!("`{line}` is not a synonym group (it needs at least two members joined by `=`)")));
            }
            groups.push(members.into_iter().map(|m| {
                let terms = analysis::terms(&mut analyzer, &m);
                (m, terms)
            }).collect());
        }
        Ok(Synonyms { groups, analyzer: Some(analyzer) })
    }

    /// The members of every group that `text` uses, other than the ones it
    /// uses: the words to add so the article is found by them too.
    pub fn expansions(&self, text: &str) -> Vec<String> {
        let Some(analyzer) = &self.analyzer else { return Vec::new() };
        let terms = analysis::terms(&mut analyzer.clone(), text);
        let uses = |member: &[String]| !member.is_empty() && terms.windows(member.len()).any(|w| w == member);
        let mut out = Vec::new();
        for group in &self.groups {
            if group.iter().any(|(_, terms)| uses(terms)) {
                out.extend(group.iter().filter(|(_, terms)| !uses(terms)).map(|(m, _)| m.clone()));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_to_the_other_members_of_used_groups() {
        let s = Synonyms::parse("# comment\ncancel = terminate = close account\nrefund = money back\n", "en-US").unwrap();
        assert_eq!(s.expansions("How to cancel a plan"), ["terminate", "close account"]);
        assert_eq!(s.expansions("Customers closing accounts"), ["cancel", "terminate"]);
        assert_eq!(s.expansions("Refunds within 30 days"), ["money back"]);
        assert!(s.expansions("Nothing related").is_empty());
    }

    #[test]
    fn a_line_without_a_group_is_an_error_at_its_line() {
        let error = Synonyms::parse("a = b\njust words\n", "en").err().unwrap();
        assert_eq!(error.0, 2);
    }
}
