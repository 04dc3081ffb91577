//! What of a call's context meaning-based matching reads: its passages.
//!
//! The sentence model reads 128 tokens at a time, and a ticket or a few
//! minutes of transcript is many times that; one window over its start
//! would read the greeting and miss the problem. So the context (its
//! newest [`MAX_CONTEXT_CHARS`], as for the word ranking) is cut into
//! passages of whole sentences within one speaker's turn, each at most
//! [`PASSAGE_WORDS`] words, without line labels or customer data. Each
//! passage is encoded on its own and the vectors are pooled
//! (`cuecard_meaning::ArticleVectors::nearest_pooled`), each weighing by
//! how recent it is (as the context's terms do).
//!
//! A passage that says nothing the kb is about (no word some article uses
//! in a title, heading or summary: "Hi Sam, thanks for calling", a
//! signature) is left out, so greetings and sign-offs do not pull the
//! pooled vector towards articles about greetings.
//!
//! Passages depend only on their own turn's text: as a live transcript
//! grows, the earlier passages stay the same strings, so the worker that
//! encodes them reuses their vectors and encodes only the new ones.
//!
//! [`MAX_CONTEXT_CHARS`]: crate::suggest::MAX_CONTEXT_CHARS

use crate::search::suggest::{RECENT_TERMS, recent_part, without_customer_data, without_line_labels};

/// Words of a passage at most: about 60-90 of the model's tokens, inside
/// its window of 128.
pub const PASSAGE_WORDS: usize = 48;

/// A passage ends at the first sentence end after this many words.
const TARGET_PASSAGE_WORDS: usize = 24;

/// Sentences shorter than this many words are joined to the next sentence
/// of their turn ("Yes." says nothing alone).
const MIN_SENTENCE_WORDS: usize = 6;

/// One passage and how much it counts in the pooled vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub text: String,
    /// 1 for the newest speech, down to 0.5 for the oldest kept.
    pub weight: f32,
}

/// The passages of `context` in order, oldest first, with their weights;
/// `is_topical(word)` says whether a word (as written) is one the kb's
/// articles are about. Customer data is dropped by `scrub(text)`.
pub fn passages(context: &str, scrub: &dyn Fn(&str) -> String, is_topical: &dyn Fn(&str) -> bool) -> Vec<Passage> {
    let mut pieces: Vec<String> = Vec::new();
    for turn in turns(recent_part(context)) {
        let clean = scrub(&turn);
        let sentences = sentences(&clean);
        let mut current: Vec<&str> = Vec::new();
        for sentence in &sentences {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            if !current.is_empty() && current.len() + words.len() > PASSAGE_WORDS {
                pieces.push(current.join(" "));
                current.clear();
            }
            for chunk in words.chunks(PASSAGE_WORDS) {
                if current.len() + chunk.len() > PASSAGE_WORDS {
                    pieces.push(current.join(" "));
                    current.clear();
                }
                current.extend_from_slice(chunk);
            }
            if current.len() >= TARGET_PASSAGE_WORDS {
                pieces.push(current.join(" "));
                current.clear();
            }
        }
        if !current.is_empty() {
            pieces.push(current.join(" "));
        }
    }
    let topical: Vec<String> = pieces.into_iter().filter(|p| p.split(|c: char| !c.is_alphanumeric()).any(|w| !w.is_empty() && is_topical(w))).collect();
    // Recency by words from the end, as the terms' (a word is about a term).
    let mut from_end = 0usize;
    let mut weighted: Vec<Passage> = topical
        .into_iter()
        .rev()
        .map(|text| {
            let weight = recency(from_end);
            from_end += text.split_whitespace().count();
            Passage { text, weight }
        })
        .collect();
    weighted.reverse();
    weighted
}

/// `recency` of the word ranking: full for the newest [`RECENT_TERMS`]
/// words, then less, down to half.
fn recency(age: usize) -> f32 {
    if age < RECENT_TERMS {
        return 1.0;
    }
    (1.0 - 0.5 * (age - RECENT_TERMS) as f32 / (3 * RECENT_TERMS) as f32).max(0.5)
}

/// The context's turns: a line that starts with a label (`Agent:`,
/// `[09:14] Marco:`, `Subject:`) or follows a blank line starts one; the
/// other lines continue the one before (a ticket's text wraps). Labels
/// are dropped.
fn turns(context: &str) -> Vec<String> {
    let mut turns: Vec<String> = Vec::new();
    let mut starts = true;
    for line in context.lines() {
        if line.trim().is_empty() {
            starts = true;
            continue;
        }
        let unlabelled = without_line_labels(line);
        let labelled = unlabelled.trim() != line.trim();
        match turns.last_mut() {
            Some(turn) if !starts && !labelled => {
                turn.push(' ');
                turn.push_str(unlabelled.trim());
            }
            _ => turns.push(unlabelled.trim().to_string()),
        }
        starts = false;
    }
    turns.retain(|t| !t.is_empty());
    turns
}

/// `text` cut after each `.`, `!`, `?` (or their full-width forms) that
/// ends a word, keeping the mark; short sentences are joined to the next.
fn sentences(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) || matches!(c, '。' | '！' | '？');
        if ends && current.split_whitespace().count() >= MIN_SENTENCE_WORDS {
            out.push(current.trim().to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

impl crate::search::index::LocaleIndex {
    /// The passages of `context` that meaning-based matching encodes
    /// ([`passages`], with this kb's customer-data rules and topics).
    pub fn context_passages(&self, context: &str) -> Vec<Passage> {
        let scrub = |text: &str| without_customer_data(text, &|word| self.knows_code(word));
        let words = std::cell::RefCell::new(self.context_term_reader());
        let is_topical = |word: &str| words.borrow_mut().read(word).iter().any(|term| self.is_topical_term(term));
        passages(context, &scrub, &is_topical)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        text.to_string()
    }

    #[test]
    fn a_ticket_is_cut_into_whole_sentences_and_its_greeting_is_left_out() {
        let ticket = "Subject: reminders keep coming back\n\nHi team,\n\nevery morning the calendar pops up old\nreminders again even after I dismiss them. It started after the update last week.\n\nThanks, Jo";
        let topical = |w: &str| ["reminders", "calendar", "dismiss", "update"].contains(&w);
        let got = passages(ticket, &plain, &topical);
        let texts: Vec<&str> = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["reminders keep coming back", "every morning the calendar pops up old reminders again even after I dismiss them. It started after the update last week."]);
        assert!(got.iter().all(|p| p.weight == 1.0));
    }

    #[test]
    fn long_turns_are_cut_within_the_window_and_older_speech_weighs_less() {
        let sentence = "the router light blinks red and the line drops every evening.";
        let context = format!("Caller: {}\nAgent: I see.", sentence.repeat(60));
        let got = passages(&context, &plain, &|w| w == "router");
        assert!(got.len() > 10);
        assert!(got.iter().all(|p| p.text.split_whitespace().count() <= PASSAGE_WORDS));
        assert!(got[0].weight < got.last().unwrap().weight);
        assert_eq!(got.last().unwrap().weight, 1.0);
    }

    #[test]
    fn a_growing_transcript_keeps_its_earlier_passages() {
        let first = "Caller: hi, my router keeps restarting every night since Monday.\nAgent: Which model is it?";
        let grown = format!("{first}\nCaller: the white one from last year, and the lights go out too.");
        let topical = |w: &str| ["router", "lights", "model"].contains(&w);
        let before: Vec<String> = passages(first, &plain, &topical).into_iter().map(|p| p.text).collect();
        let after: Vec<String> = passages(&grown, &plain, &topical).into_iter().map(|p| p.text).collect();
        assert_eq!(after[..before.len()], before[..]);
        assert_eq!(after.len(), before.len() + 1);
    }

    #[test]
    fn customer_data_is_scrubbed_and_a_context_about_nothing_has_no_passages() {
        let scrub = |t: &str| t.replace("4111 1111 1111 1111", " ");
        let got = passages("Caller: my card 4111 1111 1111 1111 was declined at the till.", &scrub, &|w| w == "declined");
        assert!(!got[0].text.contains("4111"), "{got:?}");
        assert!(passages("Agent: Hello, thanks for calling!\nCaller: Hi there.", &plain, &|_| false).is_empty());
    }
}
