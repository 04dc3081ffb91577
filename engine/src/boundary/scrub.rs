//! What looks like customer data never leaves the agent's device: card
//! numbers, security codes, IBANs, phone numbers, e-mail addresses (also
//! written "at"/"dot"), names introduced as names ([`super::recognisers`]),
//! and other runs of 6 or more digits (account and order numbers) become
//! placeholders. Codes the
//! kb knows (`E-4012`, `0x80070005`, a model number) stay: the caller says
//! which words are codes ([`scrub`]'s `is_known_code`), since those are
//! what makes a report useful. A kb adds its own patterns (a policy number
//! format, a national id) in `cuecard.yaml`'s `scrub`: [`Scrubber`].

use serde::{Deserialize, Serialize};

pub use super::recognisers::{CARD, EMAIL, IBAN, NAME, PHONE, SECURITY_CODE};
use super::recognisers;

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
        // The kb's patterns see folded text too (full-width digits as 0-9).
        let mut text = recognisers::fold(text);
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
    let folded = recognisers::fold(text);
    let text = recognisers::replace_security_codes(&folded);
    let text = recognisers::replace_ibans(&text, is_known_code);
    let text = recognisers::replace_cards(&text);
    let text = recognisers::replace_phones(&text, is_known_code);
    let text = recognisers::replace_spoken_emails(&text);
    let recognised = recognisers::replace_names(&text, is_known_code);
    let mut out = String::with_capacity(recognised.len());
    let mut rest = recognised.as_str();
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
        assert_eq!(plain("call 07700 900123 or acct 12345678"), "call [phone number] or acct [number]");
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

    /// What leaves the device for what a caller or agent types, per
    /// locale: (typed, what must not survive, what must).
    const CASES: &[(&str, &str, &[&str], &[&str])] = &[
        // Cards in every grouping, full width, odd spaces, a digit wrong.
        ("en", "card 4111 1111 1111 1111 declined", &["4111", "1111"], &["card", "declined"]),
        ("en", "card 4111  1111 1111 1111", &["4111", "1111"], &[]),
        ("en", "card 4111\u{a0}1111\u{a0}1111\u{a0}1111", &["4111", "1111"], &[]),
        ("en", "card 4111.1111.1111.1111 or 4111/1111/1111/1111", &["4111", "1111"], &[]),
        ("en", "card 4111 1111 1111 1112 (one digit wrong)", &["4111", "1112"], &["one digit wrong"]),
        ("en", "amex 3782 822463 10005", &["3782", "822463", "10005"], &["amex"]),
        ("ja", "カード番号は４１１１ １１１１ １１１１ １１１１です", &["１１１１", "1111", "4111"], &["カード番号は", "です"]),
        ("ja", "カード４１１１１１１１１１１１１１１１", &["１１１１", "1111"], &["カード"]),
        // Security codes after their name.
        ("en", "the CVV is 123 and expiry 12/27", &["123"], &["CVV", "12/27"]),
        ("en", "security code: 4567", &["4567"], &["security code"]),
        ("de", "die Prüfnummer lautet 321", &["321"], &["Prüfnummer lautet"]),
        ("es", "el código de seguridad es 987", &["987"], &["código de seguridad"]),
        ("ja", "セキュリティコードは１２３です", &["123", "１２３"], &["セキュリティコード"]),
        // Phone numbers in their common US and UK forms.
        ("en", "call me on (555) 123-4567 today", &["555", "123", "4567"], &["today"]),
        ("en", "555-123-4567 or 555.123.4567", &["555", "4567"], &[" or "]),
        ("en", "reach me at +1 555 123 4567", &["555", "4567"], &["reach me at"]),
        ("en", "mobile 07700 900123, landline 020 7946 0958", &["07700", "900123", "7946", "0958"], &["mobile", "landline"]),
        ("en", "+44 20 7946 0958", &["7946", "0958"], &[]),
        // IBANs in groups and not.
        ("de", "IBAN DE89 3704 0044 0532 0130 00 bitte", &["DE89", "3704", "0532"], &["IBAN", "bitte"]),
        ("en", "pay to GB82 WEST 1234 5698 7654 32", &["GB82", "WEST", "5698"], &["pay to"]),
        ("en", "GB82WEST12345698765432", &["GB82", "WEST"], &[]),
        // E-mail addresses written to dodge a filter.
        ("en", "jane at example dot com", &["jane", "example"], &[]),
        ("en", "write to jane(at)example.com please", &["jane", "example"], &["write to", "please"]),
        ("en", "jane [at] example [dot] co [dot] uk", &["jane", "example"], &[]),
        ("en", "jane.doe @ example.com", &["jane", "example"], &[]),
        ("ja", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", &["jane", "example"], &[]),
        // Names introduced as names.
        ("en", "Hi, my name is Jane Smith and my bill is wrong", &["Jane", "Smith"], &["my bill is wrong"]),
        ("en", "my name is jane, calling about roaming", &["jane"], &["calling about roaming"]),
        ("en", "Hello, this is Maria Lopez. The app crashes", &["Maria", "Lopez"], &["The app crashes"]),
        ("de", "Guten Tag, mein Name ist Jürgen Müller, mein Router blinkt", &["Jürgen", "Müller"], &["mein Router blinkt"]),
        ("es", "Hola, me llamo José García y no tengo señal", &["José", "García"], &["no tengo señal"]),
        ("ja", "私の名前は山田です。請求が間違っています", &["山田"], &["請求が間違っています"]),
        ("ja", "山田太郎と申します", &["山田太郎"], &["と申します"]),
    ];

    /// Text agents type about the kb that must pass untouched.
    const UNTOUCHED: &[&str] = &[
        "error E-4012 after update KB-5034",
        "E-4012 at 10:30 on 2026-11-05",
        "Outlook build 16.0.17928.20114 crashes",
        "this is not working since the update",
        "the router at 192.168.1.1 is down",
        "sync fails at login.example.com",
        "plan 12 months, $25 fee, order 12345",
        "Look at the Settings page",
        "支払いが失敗しました",
    ];

    #[test]
    fn customer_data_in_each_locales_common_forms_never_survives() {
        for (locale, typed, gone, kept) in CASES {
            let out = plain(typed);
            for secret in *gone {
                assert!(!out.contains(secret), "[{locale}] `{secret}` survives in {out:?} (from {typed:?})");
            }
            for part in *kept {
                assert!(out.contains(part), "[{locale}] `{part}` was lost: {out:?} (from {typed:?})");
            }
        }
    }

    #[test]
    fn the_kbs_codes_and_ordinary_text_pass_untouched() {
        for text in UNTOUCHED {
            assert_eq!(plain(text), *text);
        }
        let known = |word: &str| ["KB5034441", "0x80070005", "0800 123 4567"].contains(&word);
        let text = "error 0x80070005: see KB5034441, or call 0800 123 4567";
        assert_eq!(scrub(text, &known), text);
    }

    #[test]
    fn the_kbs_patterns_see_folded_digits() {
        let policy = ScrubPattern { name: "policy".into(), pattern: r"POL-[0-9]{4}".into() };
        assert_eq!(Scrubber::new(&[policy]).unwrap().scrub("POL-１２３４", &|_| false), "[policy]");
    }
}
