//! BERT's uncased WordPiece tokenizer, as the model was trained with it
//! (Hugging Face's `BertNormalizer` + `BertPreTokenizer` + `WordPiece`):
//! clean and lowercase the text, strip accents, put spaces around CJK
//! characters, split on whitespace and punctuation, then cut each word into
//! the longest vocabulary pieces from the left (`##` marks a continuation).
//! Tested against the reference tokenizer's ids.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words longer than this (in characters) become `[UNK]`, as in BERT.
const MAX_WORD_CHARS: usize = 100;

/// The vocabulary and the ids of its special tokens.
#[derive(Debug, Clone)]
pub struct WordPiece {
    ids: HashMap<String, u32>,
    cls: u32,
    sep: u32,
    unk: u32,
}

impl WordPiece {
    /// `vocab[id]` is the piece with that id. Fails when a special token is
    /// missing.
    pub fn new(vocab: &[String]) -> Result<WordPiece, String> {
        let ids: HashMap<String, u32> = vocab.iter().enumerate().map(|(i, p)| (p.clone(), i as u32)).collect();
        let special = |name: &str| ids.get(name).copied().ok_or_else(|| format!("the vocabulary has no {name}"));
        Ok(WordPiece { cls: special("[CLS]")?, sep: special("[SEP]")?, unk: special("[UNK]")?, ids })
    }

    /// The ids the model reads for `text`: `[CLS]`, pieces, `[SEP]`, at
    /// most `max_tokens` in all (the text's end is cut, as in training).
    pub fn encode(&self, text: &str, max_tokens: usize) -> Vec<u32> {
        let budget = max_tokens.saturating_sub(2);
        let mut ids = Vec::with_capacity(budget.min(64) + 2);
        ids.push(self.cls);
        'words: for word in words(&normalize(text)) {
            for id in self.pieces(&word) {
                if ids.len() > budget {
                    break 'words;
                }
                ids.push(id);
            }
        }
        ids.push(self.sep);
        ids
    }

    /// Greedy longest-match-first pieces of one word.
    fn pieces(&self, word: &str) -> Vec<u32> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            return vec![self.unk];
        }
        let mut pieces = Vec::new();
        let mut start = 0;
        let mut candidate = String::new();
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                candidate.clear();
                if start > 0 {
                    candidate.push_str("##");
                }
                candidate.extend(&chars[start..end]);
                if let Some(&id) = self.ids.get(&candidate) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => pieces.push(id),
                None => return vec![self.unk],
            }
            start = end;
        }
        pieces
    }
}

/// Cleaning, CJK spacing, lowercase and accent stripping.
fn normalize(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\0' || c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            cleaned.push(' ');
        } else if is_cjk(c) {
            cleaned.push(' ');
            cleaned.push(c);
            cleaned.push(' ');
        } else {
            cleaned.push(c);
        }
    }
    cleaned.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Words: runs of non-space, non-punctuation characters, and each
/// punctuation character on its own.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || is_punctuation(c) {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if is_punctuation(c) {
                words.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// BERT's punctuation: every ASCII symbol, and Unicode punctuation (the
/// general-punctuation, CJK-symbol and fullwidth blocks, and Latin-1's).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '¡' | '§' | '«' | '¶' | '·' | '»' | '¿'
            | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}'
            | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}'
            | '\u{30fb}'
            | '\u{ff01}'..='\u{ff03}' | '\u{ff05}'..='\u{ff0a}' | '\u{ff0c}'..='\u{ff0f}'
            | '\u{ff1a}' | '\u{ff1b}' | '\u{ff1f}' | '\u{ff20}' | '\u{ff3b}'..='\u{ff3d}'
            | '\u{ff3f}' | '\u{ff5b}' | '\u{ff5d}' | '\u{ff5f}'..='\u{ff65}')
}

/// The CJK ideograph blocks BERT spaces out (not kana or hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> WordPiece {
        let vocab: Vec<String> =
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##want", "##ed", "want", ",", "runn", "##ing", "cafe", "日"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        WordPiece::new(&vocab).unwrap()
    }

    #[test]
    fn cuts_words_into_the_longest_pieces() {
        assert_eq!(tiny().encode("UNwanted, running", 16), vec![2, 4, 5, 6, 8, 9, 10, 3]);
    }

    #[test]
    fn strips_accents_spaces_cjk_and_marks_unknown_words() {
        assert_eq!(tiny().encode("Café 日本 xyz", 16), vec![2, 11, 12, 1, 1, 3]);
    }

    #[test]
    fn keeps_within_the_token_budget() {
        let ids = tiny().encode(&"want ".repeat(100), 10);
        assert_eq!(ids.len(), 10);
        assert_eq!((ids[0], ids[9]), (2, 3));
        assert_eq!(tiny().encode("", 10), vec![2, 3]);
    }
}
