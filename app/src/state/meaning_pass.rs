//! Where meaning-based matching stands, as plain values the app's state
//! holds ([`crate::meaning`] drives them): the worker's status for the
//! agent's locale, and its answer for the text last paused on.

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

#[cfg(test)]
mod tests {
    use super::*;

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
