//! What the agent typed, as a plan: words, "exact phrases", -exclusions,
//! and whether the last word is still being typed (so it matches by prefix).
//!
//! Parsing never fails: any input yields a plan, and syntax that does not
//! close (a lone `"` or `-`) degrades to plain words.

/// One unit of a typed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The words as typed (a phrase keeps its inner spaces).
    pub text: String,
    /// Written in quotes: its words must appear together, in order.
    pub phrase: bool,
    /// Written with a leading `-`: articles with it are left out.
    pub excluded: bool,
    /// The last word while the agent is still typing it: matches by prefix.
    pub prefix: bool,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryPlan {
    pub clauses: Vec<Clause>,
    /// The input was longer than a query is built from (see the limits):
    /// only its start was searched, and the page says so.
    pub cut: bool,
}

/// A query is built from at most this many characters of the input: an
/// agent's query is a few words, and a pasted page (200,000 characters
/// froze the tab for seconds) must cost no more than a query.
pub const MAX_QUERY_CHARS: usize = 200;
/// ... at most this many words and phrases ...
pub const MAX_CLAUSES: usize = 16;
/// ... each of at most this many characters (a CJK run without spaces is
/// one clause, and becomes one term per character pair).
pub const MAX_CLAUSE_CHARS: usize = 48;

/// The start of `input` a query is built from: its first
/// [`MAX_QUERY_CHARS`] characters (what the app keeps in the URL, too).
pub fn searched_part(input: &str) -> &str {
    match input.char_indices().nth(MAX_QUERY_CHARS) {
        Some((end, _)) => &input[..end],
        None => input,
    }
}

impl QueryPlan {
    /// Parses `input`. The last bare word matches by prefix unless the
    /// input ends with whitespace (the agent has finished that word).
    pub fn parse(input: &str) -> QueryPlan {
        let searched = searched_part(input);
        let mut cut = searched.len() < input.len();
        let input = searched;
        let mut clauses = Vec::new();
        let mut chars = input.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
                continue;
            }
            let mut excluded = false;
            if c == '-' {
                chars.next();
                match chars.peek() {
                    Some(next) if !next.is_whitespace() => excluded = true,
                    _ => continue, // a lone `-` means nothing
                }
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                let mut text = String::new();
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    text.push(c);
                }
                let text = text.trim().to_string();
                if !text.is_empty() {
                    clauses.push(Clause { text, phrase: true, excluded, prefix: false });
                }
                continue;
            }
            let mut text = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                text.push(c);
                chars.next();
            }
            if !text.is_empty() {
                clauses.push(Clause { text, phrase: false, excluded, prefix: false });
            }
        }
        for clause in &mut clauses {
            if let Some((end, _)) = clause.text.char_indices().nth(MAX_CLAUSE_CHARS) {
                clause.text.truncate(end);
                cut = true;
            }
        }
        if clauses.len() > MAX_CLAUSES {
            clauses.truncate(MAX_CLAUSES);
            cut = true;
        }
        let still_typing = !cut && input.chars().last().is_some_and(|c| !c.is_whitespace() && c != '"');
        if still_typing {
            if let Some(last) = clauses.last_mut() {
                if !last.phrase && !last.excluded {
                    last.prefix = true;
                }
            }
        }
        QueryPlan { clauses, cut }
    }

    /// Clauses an article must match.
    pub fn required(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| !c.excluded)
    }

    /// Clauses an article must not match.
    pub fn excluded(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.excluded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_page_is_cut_to_a_query() {
        let plan = QueryPlan::parse(&"返金".repeat(100_000));
        assert!(plan.cut);
        assert_eq!(plan.clauses.len(), 1);
        assert_eq!(plan.clauses[0].text.chars().count(), MAX_CLAUSE_CHARS);
        assert!(!plan.clauses[0].prefix, "a cut word is not being typed");
        let plan = QueryPlan::parse(&"refund ".repeat(50_000));
        assert!(plan.cut);
        assert_eq!(plan.clauses.len(), MAX_CLAUSES);
        let plan = QueryPlan::parse("refund annual plan");
        assert!(!plan.cut);
        assert!(plan.clauses[2].prefix);
    }

    fn word(text: &str) -> Clause {
        Clause { text: text.into(), phrase: false, excluded: false, prefix: false }
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        let plan = QueryPlan::parse("refund annu");
        assert_eq!(plan.clauses, [word("refund"), Clause { prefix: true, ..word("annu") }]);
        assert!(!QueryPlan::parse("refund annual ").clauses[1].prefix);
    }

    #[test]
    fn phrases_and_exclusions() {
        let plan = QueryPlan::parse(r#""direct debit" -business sim"#);
        assert_eq!(
            plan.clauses,
            [
                Clause { phrase: true, ..word("direct debit") },
                Clause { excluded: true, ..word("business") },
                Clause { prefix: true, ..word("sim") },
            ]
        );
        let plan = QueryPlan::parse(r#"-"late fee" x"#);
        assert!(plan.clauses[0].excluded && plan.clauses[0].phrase);
    }

    #[test]
    fn broken_syntax_degrades_to_words() {
        assert_eq!(QueryPlan::parse(r#""unclosed phrase"#).clauses[0].text, "unclosed phrase");
        assert_eq!(QueryPlan::parse("- refund").clauses, [Clause { prefix: true, ..word("refund") }]);
        assert!(QueryPlan::parse("  \"\" - \"  ").clauses.is_empty());
        assert!(QueryPlan::parse("").clauses.is_empty());
    }

    #[test]
    fn codes_with_punctuation_stay_one_clause() {
        let plan = QueryPlan::parse("E-4012 0x80070005 ");
        assert_eq!(plan.clauses, [word("E-4012"), word("0x80070005")]);
    }
}
