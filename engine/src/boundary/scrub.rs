//! What looks like customer data never leaves the agent's device: card
//! numbers (runs of 13-19 digits, spaces or dashes between groups, that
//! pass the Luhn check), e-mail addresses, and other runs of 6 or more
//! digits (phone, account and order numbers) become placeholders. Codes the
//! kb knows (`E-4012`, `0x80070005`, a model number) stay: the caller says
//! which words are codes ([`scrub`]'s `is_known_code`), since those are
//! what makes a report useful. A kb adds its own patterns (a policy number
//! format, a national id) in `cuecard.yaml`'s `scrub`: [`Scrubber`].

use serde::{Deserialize, Serialize};

/// What a card number becomes.
pub const CARD: &str = "[card number]";
/// What an e-mail address becomes.
pub const EMAIL: &str = "[e-mail]";
/// What another long number becomes.
pub const NUMBER: &str = "[number]";
/// What a whole text becomes when the kb's patterns cannot be applied.
pub const WITHHELD: &str = "[withheld]";

/// One of the kb's own scrub patterns: what matches `pattern` (a regular
/// expression in `regex` syntax, compiled by `regex-lite`: `\d`, `\w`,
/// `\s` and `\b` are ASCII, no Unicode classes) becomes `[name]`. The
/// same engine runs in `cuecard check` and in the browser, so a pattern
/// the check accepts behaves the same on the device; the full `regex`
/// crate would add about 0.25 MB (gzipped) to the app's wasm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrubPattern {
    pub name: String,
    pub pattern: String,
}

/// The kb's patterns, compiled, applied before the built-in rules.
#[derive(Debug, Clone, Default)]
pub struct Scrubber {
    patterns: Vec<(String, regex_lite::Regex)>,
    /// Some pattern did not compile: every text becomes [`WITHHELD`].
    withhold_all: bool,
}

impl Scrubber {
    /// Compiles the kb's patterns; the error names the pattern and why.
    pub fn new(patterns: &[ScrubPattern]) -> Result<Scrubber, String> {
        let patterns = patterns
            .iter()
            .map(|p| {
                let compiled = regex_lite::RegexBuilder::new(&p.pattern)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| format!("scrub pattern `{}` ({}) is not a valid regular expression: {e}", p.name, p.pattern))?;
                if compiled.is_match("") {
                    return Err(format!("scrub pattern `{}` ({}) matches empty text: it would scrub nothing useful", p.name, p.pattern));
                }
                Ok((format!("[{}]", p.name.trim()), compiled))
            })
            .collect::<Result<_, _>>()?;
        Ok(Scrubber { patterns, withhold_all: false })
    }

    /// The scrubber for a manifest's patterns on the device. `cuecard
    /// check` refuses patterns that do not compile, but a manifest written
    /// by another build could still hold one: then nothing the agent typed
    /// leaves unchecked, every text becomes [`WITHHELD`].
    pub fn or_withholding(patterns: &[ScrubPattern]) -> Scrubber {
        Scrubber::new(patterns).unwrap_or(Scrubber { patterns: Vec::new(), withhold_all: true })
    }

    /// `text` with the kb's patterns, then the built-in rules, applied.
    pub fn scrub(&self, text: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
        if self.withhold_all && !text.trim().is_empty() {
            return WITHHELD.to_string();
        }
        let mut text = std::borrow::Cow::Borrowed(text);
        for (placeholder, pattern) in &self.patterns {
            if let std::borrow::Cow::Owned(replaced) = pattern.replace_all(&text, regex_lite::NoExpand(placeholder)) {
                text = std::borrow::Cow::Owned(replaced);
            }
        }
        scrub(&text, is_known_code)
    }
}

/// `text` with customer data replaced by placeholders. `is_known_code`
/// says whether a word (letters, digits, `-`, `_`, `.`) is a code the kb
/// knows, which is kept as it is.
pub fn scrub(text: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
    let without_cards = replace_cards(text);
    let mut out = String::with_capacity(without_cards.len());
    let mut rest = without_cards.as_str();
    while let Some(start) = rest.find(is_word_char) {
        out.push_str(&rest[..start]);
        let word_len = rest[start..].find(|c: char| !is_word_char(c) && c != '@').unwrap_or(rest.len() - start);
        let raw = &rest[start..start + word_len];
        // A sentence's full stop or a dash after a word is not part of it.
        let word = raw.trim_end_matches(['.', '-', '_']);
        out.push_str(&scrub_word(word, is_known_code));
        out.push_str(&raw[word.len()..]);
        rest = &rest[start + word_len..];
    }
    out.push_str(rest);
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+')
}

fn scrub_word(word: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
    if is_email(word) {
        return EMAIL.to_string();
    }
    if longest_digit_run(word) >= 6 && !is_known_code(word) {
        return NUMBER.to_string();
    }
    word.to_string()
}

fn is_email(word: &str) -> bool {
    let Some((local, domain)) = word.split_once('@') else { return false };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.contains('@')
}

fn longest_digit_run(word: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in word.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// `text` with every Luhn-valid run of 13-19 digits (single spaces or
/// dashes allowed between digits) replaced by [`CARD`].
fn replace_cards(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_run = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts_run {
            i += 1;
            continue;
        }
        // The longest run of digits with single separators.
        let (mut end, mut digits) = (i, Vec::new());
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                digits.push(bytes[j] - b'0');
                j += 1;
                end = j;
            } else if matches!(bytes[j], b' ' | b'-') && j + 1 < bytes.len() && bytes[j + 1].is_ascii_digit() {
                j += 1;
            } else {
                break;
            }
        }
        let ends_word = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if ends_word && (13..=19).contains(&digits.len()) && luhn(&digits) {
            out.push_str(&text[copied..i]);
            out.push_str(CARD);
            copied = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[copied..]);
    out
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(n, &d)| {
            let d = u32::from(d);
            if n % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        scrub(text, &|_| false)
    }

    #[test]
    fn card_numbers_go_in_any_grouping_but_only_when_luhn_valid() {
        assert_eq!(plain("card 4111 1111 1111 1111 declined"), "card [card number] declined");
        assert_eq!(plain("card 4111-1111-1111-1111."), "card [card number].");
        assert_eq!(plain("4111111111111111"), "[card number]");
        // Not Luhn-valid: still a long number.
        assert_eq!(plain("ref 4111111111111112"), "ref [number]");
    }

    #[test]
    fn emails_and_long_numbers_go_short_ones_and_known_codes_stay() {
        assert_eq!(plain("mail jane.doe+kb@example.co.uk now"), "mail [e-mail] now");
        assert_eq!(plain("call 07700 900123 or acct 12345678"), "call 07700 [number] or acct [number]");
        assert_eq!(plain("plan 12 months, $25 fee, order 12345"), "plan 12 months, $25 fee, order 12345");
        let known = |word: &str| word.eq_ignore_ascii_case("0x80070005");
        assert_eq!(scrub("error 0x80070005 on 123456789", &known), "error 0x80070005 on [number]");
        assert_eq!(plain("E-4012 at 10:30"), "E-4012 at 10:30");
    }

    #[test]
    fn the_kbs_own_patterns_go_first_and_bad_ones_are_refused_with_their_name() {
        let policy = ScrubPattern { name: "policy number".into(), pattern: r"\bPOL-[0-9]{4}\b".into() };
        let scrubber = Scrubber::new(&[policy]).unwrap();
        assert_eq!(scrubber.scrub("cancel POL-1234 for a@b.co", &|_| false), "cancel [policy number] for [e-mail]");
        assert_eq!(Scrubber::default().scrub("POL-1234", &|_| false), "POL-1234");
        let broken = ScrubPattern { name: "broken".into(), pattern: "(".into() };
        assert!(Scrubber::new(&[broken]).unwrap_err().contains("`broken`"));
        let empty = ScrubPattern { name: "anything".into(), pattern: "x*".into() };
        assert!(Scrubber::new(&[empty.clone()]).unwrap_err().contains("empty"));
        // On the device, a pattern that cannot be applied withholds the text.
        assert_eq!(Scrubber::or_withholding(&[empty]).scrub("call me on POL-1234", &|_| false), WITHHELD);
        let policy = ScrubPattern { name: "policy".into(), pattern: r"POL-\d+".into() };
        assert_eq!(Scrubber::or_withholding(&[policy]).scrub("POL-1234 x", &|_| false), "[policy] x");
    }

    #[test]
    fn patterns_have_the_documented_ascii_meaning_and_unicode_classes_are_refused() {
        let id = ScrubPattern { name: "id".into(), pattern: r"\bID\d{4}\b".into() };
        let scrubber = Scrubber::new(&[id]).unwrap();
        // `\d` is 0-9 only; `\b` sees a non-ASCII letter as a non-word character.
        assert_eq!(scrubber.scrub("ID1234 and ID١٢٣٤", &|_| false), "[id] and ID١٢٣٤");
        assert_eq!(scrubber.scrub("éID1234", &|_| false), "é[id]");
        let letters = ScrubPattern { name: "letters".into(), pattern: r"\p{L}+-\d+".into() };
        let refused = Scrubber::new(&[letters]).unwrap_err();
        assert!(refused.contains("`letters`") && refused.contains("not a valid regular expression"), "{refused}");
    }

    #[test]
    fn text_without_customer_data_is_unchanged_in_any_script() {
        for text in ["the app crashes on login", "支払いが失敗しました", "Zahlung fehlgeschlagen – Code E-4012.", ""] {
            assert_eq!(plain(text), text);
        }
    }
}
