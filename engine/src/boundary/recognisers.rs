//! The recognisers of customer data that [`super::scrub`] runs before its
//! word pass, held to the documented pattern recognisers of Microsoft
//! Presidio (credit card, IBAN, phone number, e-mail address) and widened
//! to how agents and callers really write them:
//!
//! - text is folded first: full-width digits (what a Japanese IME types),
//!   `＠` and `．`, and odd spaces (no-break, thin, ideographic) become their
//!   ASCII forms, so `４１１１` is `4111` to every rule (a fold of these
//!   few, not a full NFKC table: the app's wasm stays small);
//! - card numbers: 13 to 19 digits in groups split by spaces, dashes, dots
//!   or slashes (one or two between groups), Luhn-valid, or card-shaped
//!   (groups of four, Amex's 4-6-5) with a digit wrong;
//! - a security code (CVV, CVC, "security code", the locales' words) after
//!   its name;
//! - IBANs, grouped or not, when their check digits hold or they are
//!   written in groups of four;
//! - phone numbers in their common US and UK forms (10 to 15 digits in
//!   groups, `+` and a bracketed area code allowed);
//! - e-mail addresses written to dodge a filter: `jane(at)example.com`,
//!   `jane [at] example [dot] com`, `jane at example dot com`;
//! - a name after "my name is" and its like in the app's locales, and
//!   after "this is" at the start of a sentence when it is capitalised
//!   (Presidio's person recogniser is a language model: out of reach on
//!   the device).
//!
//! Each rule returns the text with what it found replaced; none panics
//! or loops on any input.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_lite::Regex;

/// What a card number becomes.
pub const CARD: &str = "[card number]";
/// What a security code becomes.
pub const SECURITY_CODE: &str = "[security code]";
/// What an IBAN becomes.
pub const IBAN: &str = "[IBAN]";
/// What a phone number becomes.
pub const PHONE: &str = "[phone number]";
/// What an e-mail address becomes.
pub const EMAIL: &str = "[e-mail]";
/// What a person's name becomes.
pub const NAME: &str = "[name]";

/// `text` with full-width digits, `＠`, `．`, `－` and odd spaces in their
/// ASCII forms (borrowed when there are none).
pub fn fold(text: &str) -> Cow<'_, str> {
    let odd = |c: char| matches!(c, '\u{ff10}'..='\u{ff19}' | '\u{ff20}' | '\u{ff0e}' | '\u{ff0d}' | '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}');
    if !text.chars().any(odd) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
                '\u{ff20}' => '@',
                '\u{ff0e}' => '.',
                '\u{ff0d}' => '-',
                c if odd(c) => ' ',
                c => c,
            })
            .collect(),
    )
}

/// Replaces each match of `pattern` for which `pick` gives the byte range
/// (within `text`) to replace and its placeholder.
fn replace_with(text: &str, pattern: &Regex, pick: impl Fn(&regex_lite::Captures<'_>) -> Option<(usize, usize, &'static str)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for captures in pattern.captures_iter(text) {
        if let Some((start, end, placeholder)) = pick(&captures)
            && start >= copied
        {
            out.push_str(&text[copied..start]);
            out.push_str(placeholder);
            copied = end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("the built-in recogniser patterns are valid"))
}

/// A security code after its name: `CVV 123`, `security code: 4567`,
/// `Prüfnummer 123`, `código de seguridad 123`, `セキュリティコード123`.
pub fn replace_security_codes(text: &str) -> String {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = regex(
        &PATTERN,
        r"(?i)(?:\b(?:cvv2?|cvc2?|cvn|csc|cid|security code|card verification (?:value|code)|sicherheitscode|kartenpr[üu]fnummer|pr[üu]fnummer|c[óo]digo de seguridad)|セキュリティー?コード)[^0-9\n]{0,24}?([0-9]{3,4})(?:[^0-9]|$)",
    );
    replace_with(text, pattern, |c| c.get(1).map(|m| (m.start(), m.end(), SECURITY_CODE)))
}

/// IBANs: a country code, check digits and up to 30 letters or digits,
/// in groups or not.
pub fn replace_ibans(text: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = regex(&PATTERN, r"(?i)\b[a-z]{2}[0-9]{2}(?:[ \-]?[a-z0-9]{4}){2,7}(?:[ \-]?[a-z0-9]{1,3})?\b");
    replace_with(text, pattern, |c| {
        let m = c.get(0)?;
        let compact: String = m.as_str().chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
        let grouped = m.as_str().contains([' ', '-']);
        let digits = compact.bytes().filter(u8::is_ascii_digit).count();
        let iban = (15..=34).contains(&compact.len()) && digits * 2 >= compact.len() && (iban_checks(&compact) || grouped);
        (iban && !is_known_code(m.as_str())).then(|| (m.start(), m.end(), IBAN))
    })
}

/// ISO 13616's check: the IBAN, its first four moved to the end and its
/// letters as numbers, is 1 modulo 97.
fn iban_checks(compact: &str) -> bool {
    let (head, tail) = compact.split_at(4);
    let mut remainder: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let value = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        for digit in if value >= 10 { vec![value / 10, value % 10] } else { vec![value] } {
            remainder = (remainder * 10 + digit) % 97;
        }
    }
    remainder == 1
}

/// Card numbers: 13-19 digits, one or two separators (space, dash, dot,
/// slash) between groups; Luhn-valid, or card-shaped with a digit wrong.
pub fn replace_cards(text: &str) -> String {
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
        // The longest run of digit groups with one or two separators between.
        let (mut end, mut digits, mut groups) = (i, Vec::new(), vec![0usize]);
        let mut separators = Vec::new();
        let mut j = i;
        while j < bytes.len() && digits.len() <= 19 {
            if bytes[j].is_ascii_digit() {
                digits.push(bytes[j] - b'0');
                *groups.last_mut().expect("one group") += 1;
                j += 1;
                end = j;
                continue;
            }
            let gap = bytes[j..].iter().take(3).take_while(|b| matches!(b, b' ' | b'-' | b'.' | b'/')).count();
            if (1..=2).contains(&gap) && bytes.get(j + gap).is_some_and(u8::is_ascii_digit) {
                separators.push(bytes[j]);
                groups.push(0);
                j += gap;
            } else {
                break;
            }
        }
        let ends_word = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        // Dots and slashes split versions and dates: only card-shaped groups count.
        let shaped = card_shaped(&groups);
        let plain_separators = separators.iter().all(|s| matches!(s, b' ' | b'-'));
        if ends_word && (13..=19).contains(&digits.len()) && ((luhn(&digits) && (plain_separators || shaped)) || shaped) {
            out.push_str(&text[copied..i]);
            out.push_str(CARD);
            copied = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[copied..]);
    out
}

/// Groups of four (the last may be shorter), or Amex's 4-6-5 and 4-6-4.
fn card_shaped(groups: &[usize]) -> bool {
    let fours = groups.len() >= 3 && groups[..groups.len() - 1].iter().all(|g| *g == 4) && (1..=4).contains(groups.last().expect("groups"));
    fours || groups == [4, 6, 5] || groups == [4, 6, 4]
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

/// Phone numbers in groups: `(555) 123-4567`, `555-123-4567`,
/// `555.123.4567`, `+1 555 123 4567`, `07700 900123`, `+44 20 7946 0958`.
pub fn replace_phones(text: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = regex(
        &PATTERN,
        r"(?:^|[^0-9A-Za-z+])((?:\+[0-9]{1,3}[ \-]?)?(?:\([0-9]{2,5}\)[ \-]?|[0-9]{1,5}[ \-])[0-9]{2,8}(?:[ \-][0-9]{2,8}){0,3}|[0-9]{3}\.[0-9]{3}\.[0-9]{4})(?:[^0-9A-Za-z]|$)",
    );
    // Matches may touch (`a 555-123-4567 555-987-6543`): run until none is left.
    let mut text = text.to_string();
    loop {
        let replaced = replace_with(&text, pattern, |c| {
            let m = c.get(1)?;
            let digits = m.as_str().bytes().filter(u8::is_ascii_digit).count();
            ((10..=15).contains(&digits) && !is_known_code(m.as_str())).then(|| (m.start(), m.end(), PHONE))
        });
        if replaced == text {
            return text;
        }
        text = replaced;
    }
}

/// E-mail addresses written to dodge a filter. The bare ` at ` form counts
/// only with a spoken ` dot `: `fails at login.example.com` is a host.
pub fn replace_spoken_emails(text: &str) -> String {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = regex(
        &PATTERN,
        r"(?i)\b([a-z0-9][a-z0-9._%+\-]*)(\s*[\(\[\{]\s*at\s*[\)\]\}]\s*|\s+@\s*|\s*@\s+|\s+at\s+)([a-z0-9\-]+(?:(?:\s*[\(\[\{]\s*dot\s*[\)\]\}]\s*|\s+dot\s+|\.)[a-z0-9\-]+)+)",
    );
    replace_with(text, pattern, |c| {
        let (whole, at, domain) = (c.get(0)?, c.get(2)?.as_str(), c.get(3)?.as_str());
        let spoken_dot = domain.to_ascii_lowercase().contains("dot");
        let bare_at = at.trim().eq_ignore_ascii_case("at");
        let last = domain.rsplit(['.', ' ', ')', ']', '}']).next().unwrap_or("");
        let tld = (2..=24).contains(&last.len()) && last.chars().all(|c| c.is_ascii_alphabetic());
        (tld && (!bare_at || spoken_dot)).then(|| (whole.start(), whole.end(), EMAIL))
    })
}

/// Words that end a name: what follows "my name is Jane" that is not her name.
const NOT_NAMES: [&str; 40] = [
    "and", "i", "i'm", "im", "from", "my", "the", "a", "an", "calling", "with", "about", "but", "so", "to", "for", "on", "at", "is", "here",
    "und", "ich", "von", "mit", "aus", "bin", "y", "de", "del", "soy", "con", "por", "es", "llamo", "and,", "speaking", "please", "thanks", "thank", "hi",
];

/// A name after "my name is" (any case), or after "this is" at the start
/// of a sentence (capitalised): up to three words, ending at punctuation,
/// a word that is not a name, or a known code.
pub fn replace_names(text: &str, is_known_code: &dyn Fn(&str) -> bool) -> String {
    static INTRODUCED: OnceLock<Regex> = OnceLock::new();
    static JAPANESE: OnceLock<Regex> = OnceLock::new();
    let introduced = regex(
        &INTRODUCED,
        r"(?i)(\b(?:my name is|my name's|name's|mein name ist|ich hei(?:ß|ss)e|me llamo|mi nombre es)\s+)|((?:^|[.!?\n]\s*|\b(?:hi|hello|hey|hallo|hola|buenos d[íi]as|guten tag)[,!]?\s+)(?:this is|it's|hier (?:ist|spricht)|soy|habla)\s+)",
    );
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for captures in introduced.captures_iter(text) {
        let Some(phrase) = captures.get(0) else { continue };
        if phrase.start() < copied {
            continue;
        }
        let capitalised_only = captures.get(2).is_some();
        let rest = &text[phrase.end()..];
        let mut taken = 0;
        let mut words = 0;
        for word in rest.split_inclusive(char::is_whitespace) {
            let bare = word.trim_end_matches(char::is_whitespace);
            let clean = bare.trim_end_matches([',', '.', '!', '?', ';', ':']);
            let starts_upper = clean.chars().next().is_some_and(char::is_uppercase);
            let is_word = !clean.is_empty() && clean.chars().all(|c| c.is_alphabetic() || matches!(c, '\'' | '-'));
            if words == 3 || !is_word || NOT_NAMES.contains(&clean.to_lowercase().as_str()) || is_known_code(clean) || (capitalised_only && !starts_upper) {
                break;
            }
            words += 1;
            taken += clean.len();
            if clean.len() != bare.len() || word.ends_with(['\n', '\r']) {
                break;
            }
            taken += word.len() - clean.len();
        }
        if words == 0 {
            continue;
        }
        let name_end = phrase.end() + rest[..taken].trim_end().len();
        out.push_str(&text[copied..phrase.end()]);
        out.push_str(NAME);
        copied = name_end;
    }
    out.push_str(&text[copied..]);
    // 「私の名前は山田です」「山田と申します」
    let japanese = regex(&JAPANESE, r"(名前は)([^\s、。,.!?！？]{1,12}?)(です|と申します|といいます|[、。]|$)|([^\s、。,.!?！？]{1,12}?)(と申します)");
    replace_with(&out, japanese, |c| match (c.get(2), c.get(4)) {
        (Some(name), _) => Some((name.start(), name.end(), NAME)),
        (None, Some(name)) => Some((name.start(), name.end(), NAME)),
        _ => None,
    })
}
