//! Where meaning-based matching stands, as plain values the app's state
//! holds ([`crate::meaning`] drives them): the worker's status for the
//! agent's locale, its answer for the text last paused on, and for the
//! call's context (with the queue that keeps one context pass in flight).

use std::sync::Arc;

use cuecard_engine::fusion::MeaningMatch;

/// Where meaning-based matching stands for the agent's locale.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum MeaningStatus {
    /// The kb has it off, or the locale has no vectors.
    #[default]
    Off,
    /// Coming for this locale: the index, the model or the vectors are
    /// still loading.
    Loading(String),
    /// Ready to answer queries in this locale.
    Ready(String),
    /// Loading failed: lexical only, for the page's life.
    Failed,
}

/// The worker's answer for one query.
#[derive(Debug, Clone, PartialEq)]
pub struct MeaningAnswer {
    pub locale: String,
    pub text: String,
    pub matches: Vec<MeaningMatch>,
}

impl MeaningStatus {
    /// Whether a meaning-based pass can still change the list of `locale`.
    pub fn may_answer(&self, locale: &str) -> bool {
        matches!(self, MeaningStatus::Loading(l) | MeaningStatus::Ready(l) if l == locale)
    }
}

/// Whether `answer` is the meaning-based pass of what is listed: the same
/// text in the same locale. (Filters apply to its rows when they merge.)
pub fn answers(answer: Option<&MeaningAnswer>, text: &str, locale: &str) -> bool {
    answer.is_some_and(|a| a.text == text && a.locale == locale)
}

/// The worker's answer for a call's context (its passages, pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct ContextAnswer {
    pub locale: String,
    pub context: Arc<str>,
    pub matches: Vec<MeaningMatch>,
    /// False for a first step (the newest passages only): the list may
    /// still change for this context.
    pub complete: bool,
}

/// Whether the suggestions for `context` are final: its pass's complete
/// answer is in.
pub fn settles(answer: Option<&ContextAnswer>, context: &str, locale: &str) -> bool {
    answer.is_some_and(|a| a.complete && &*a.context == context && a.locale == locale)
}

/// Whether `answer` may merge into the suggestions for `context`: it is
/// this context's, or an earlier part of the same live call's (shown
/// until the newer pass arrives, so the list does not fall back to words
/// alone between two passes).
pub fn may_merge(answer: &ContextAnswer, context: &str, locale: &str) -> bool {
    answer.locale == locale && (&*answer.context == context || cuecard_engine::suggest::continues(&answer.context, context))
}

/// Context passes to the worker: at most one in flight; a newer context
/// replaces the one waiting behind it (a live call sends its transcript
/// every few seconds, faster than a slow machine encodes it).
#[derive(Debug)]
pub struct ContextQueue<T> {
    in_flight: Option<(u32, Arc<str>)>,
    waiting: Option<(u32, Arc<str>, T)>,
}

impl<T> Default for ContextQueue<T> {
    fn default() -> Self {
        ContextQueue { in_flight: None, waiting: None }
    }
}

impl<T> ContextQueue<T> {
    /// A pass for `context`: what to send now, if nothing is in flight.
    /// The same context again (asked while it is in flight or waiting)
    /// sends nothing.
    pub fn offer(&mut self, seq: u32, context: Arc<str>, pass: T) -> Option<T> {
        let asked = self.in_flight.as_ref().map(|(_, c)| c).into_iter().chain(self.waiting.as_ref().map(|(_, c, _)| c));
        if asked.into_iter().any(|c| *c == context) {
            return None;
        }
        if self.in_flight.is_some() {
            self.waiting = Some((seq, context, pass));
            return None;
        }
        self.in_flight = Some((seq, context));
        Some(pass)
    }

    /// The worker answered `seq`: its context (if it was the pass in
    /// flight), and the waiting pass to send now.
    pub fn answered(&mut self, seq: u32) -> (Option<Arc<str>>, Option<T>) {
        let context = match &self.in_flight {
            Some((in_flight, _)) if *in_flight == seq => self.in_flight.take().map(|(_, c)| c),
            _ => return (None, None),
        };
        let next = self.waiting.take().map(|(seq, context, pass)| {
            self.in_flight = Some((seq, context));
            pass
        });
        (context, next)
    }

    /// The context of pass `seq`, if it is the one in flight.
    pub fn in_flight(&self, seq: u32) -> Option<Arc<str>> {
        self.in_flight.as_ref().filter(|(s, _)| *s == seq).map(|(_, c)| c.clone())
    }

    /// Forgets every pass (the context was cleared, or the worker failed).
    pub fn clear(&mut self) {
        self.in_flight = None;
        self.waiting = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_context_pass_in_flight_and_the_newest_waits() {
        let mut queue = ContextQueue::default();
        assert_eq!(queue.offer(1, "a".into(), "pass a"), Some("pass a"));
        assert_eq!(queue.offer(2, "ab".into(), "pass ab"), None);
        assert_eq!(queue.offer(3, "abc".into(), "pass abc"), None, "replaces the waiting one");
        assert_eq!(queue.offer(4, "a".into(), "pass a again"), None, "already in flight");
        assert_eq!(queue.answered(7), (None, None), "not the pass in flight");
        assert_eq!((queue.in_flight(1).as_deref(), queue.in_flight(3)), (Some("a"), None), "a first step finds its context; the waiting pass is not in flight");
        let (context, next) = queue.answered(1);
        assert_eq!((context.as_deref(), next), (Some("a"), Some("pass abc")));
        assert_eq!(queue.answered(3), (Some("abc".into()), None));
        assert_eq!(queue.offer(5, "x".into(), "pass x"), Some("pass x"));
        queue.clear();
        assert_eq!(queue.offer(6, "y".into(), "pass y"), Some("pass y"));
    }

    #[test]
    fn an_answer_merges_for_its_context_and_the_same_call_only() {
        let answer = ContextAnswer { locale: "en".into(), context: "Caller: my router keeps restarting".into(), matches: Vec::new(), complete: true };
        assert!(may_merge(&answer, "Caller: my router keeps restarting", "en"));
        assert!(may_merge(&answer, "Caller: my router keeps restarting\nAgent: which model?", "en"));
        assert!(!may_merge(&answer, "Subject: refund", "en"));
        assert!(!may_merge(&answer, "Caller: my router keeps restarting", "de"));
    }

    #[test]
    fn only_a_complete_answer_for_this_context_settles_the_suggestions() {
        let first_step = ContextAnswer { locale: "en".into(), context: "Caller: no signal since Monday".into(), matches: Vec::new(), complete: false };
        assert!(!settles(Some(&first_step), "Caller: no signal since Monday", "en"), "the rest of the pass is coming");
        let complete = ContextAnswer { complete: true, ..first_step };
        assert!(settles(Some(&complete), "Caller: no signal since Monday", "en"));
        assert!(!settles(Some(&complete), "Caller: no signal since Monday\nAgent: which town?", "en"), "a newer context");
        assert!(!settles(Some(&complete), "Caller: no signal since Monday", "de"));
        assert!(!settles(None, "Caller: no signal since Monday", "en"));
    }

    #[test]
    fn an_answer_counts_only_for_its_own_text_and_locale() {
        let answer = MeaningAnswer { locale: "en-US".into(), text: "my bill jumped".into(), matches: Vec::new() };
        assert!(answers(Some(&answer), "my bill jumped", "en-US"));
        assert!(!answers(Some(&answer), "my bill jumpe", "en-US"));
        assert!(!answers(Some(&answer), "my bill jumped", "de-DE"));
        assert!(!answers(None, "my bill jumped", "en-US"));
    }

    #[test]
    fn only_a_loading_or_ready_locale_may_still_answer() {
        assert!(MeaningStatus::Loading("en".into()).may_answer("en"));
        assert!(MeaningStatus::Ready("en".into()).may_answer("en"));
        assert!(!MeaningStatus::Ready("en".into()).may_answer("de"));
        assert!(!MeaningStatus::Failed.may_answer("en") && !MeaningStatus::Off.may_answer("en"));
    }
}
