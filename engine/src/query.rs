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
}

impl QueryPlan {
    /// Parses `input`. The last bare word matches by prefix unless the
    /// input ends with whitespace (the agent has finished that word).
    pub fn parse(input: &str) -> QueryPlan {
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
        let still_typing = input.chars().last().is_some_and(|c| !c.is_whitespace() && c != '"');
        if still_typing {
            if let Some(last) = clauses.last_mut() {
                if !last.phrase && !last.excluded {
                    last.prefix = true;
                }
            }
        }
        QueryPlan { clauses }
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
