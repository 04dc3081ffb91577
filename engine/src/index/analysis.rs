//! Text analysis: how article text and typed queries become index terms.
//!
//! One analyzer per language, named `cuecard_<lang>` (or `cuecard_plain`
//! where tantivy has no stemmer), stored by name in the schema. The app
//! registers the same analyzers when it opens an index ([`register_all`]),
//! because `Index::open` only knows tantivy's defaults.
//!
//! Words are runs of letters and digits. Runs of CJK characters (which have
//! no spaces between words) become overlapping character bigrams, so a word
//! inside a long run is still findable without shipping a dictionary.

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Longest token kept, in bytes (tantivy drops longer ones).
const MAX_TOKEN_BYTES: usize = 64;

/// The analyzer name for a locale tag, e.g. `de-DE` -> `cuecard_de`.
pub fn analyzer_name(locale: &str) -> String {
    let language = crate::article::locale::language_of(locale);
    match stemmer_language(&language) {
        Some(_) => format!("cuecard_{language}"),
        None => "cuecard_plain".to_string(),
    }
}

/// Builds the analyzer registered under `name`, if it is one of ours.
pub fn analyzer(name: &str) -> Option<TextAnalyzer> {
    let language = name.strip_prefix("cuecard_")?;
    let base = TextAnalyzer::builder(WordAndBigramTokenizer)
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser);
    Some(match language {
        "plain" => base.filter(AsciiFoldingFilter).build(),
        other => base
            .filter(Stemmer::new(stemmer_language(other)?))
            .filter(AsciiFoldingFilter)
            .build(),
    })
}

/// The file in a base pack holding its language's stop words, one per
/// line (absent for languages without a list). The index writer puts it
/// there, so the app's wasm carries no language's list.
pub const STOP_WORDS_FILE: &str = "stop_words.txt";

/// The stop words (`the`, `of`, `der`) of the language `analyzer_name`
/// stems, as the index writer records them: tantivy's lists (Lucene's
/// short one for English). `None` for languages without a list.
#[cfg(feature = "write")]
pub fn stop_words(analyzer_name: &str) -> Option<Vec<String>> {
    let language = stemmer_language(analyzer_name.strip_prefix("cuecard_")?)?;
    let words = tantivy::tokenizer::StopWordFilter::words_of(language)?;
    Some(words.iter().map(|w| (*w).to_string()).collect())
}

/// An analyzer that drops `words`, used to tell which typed words may be
/// left optional.
pub fn stop_word_detector(words: impl IntoIterator<Item = String>) -> TextAnalyzer {
    let filter = tantivy::tokenizer::StopWordFilter::remove(words);
    TextAnalyzer::builder(WordAndBigramTokenizer).filter(LowerCaser).filter(filter).build()
}

/// Like [`stop_word_detector`], for ranking a call's context
/// ([`crate::search::suggest`]): English uses the Snowball list (pronouns,
/// auxiliaries, `how`, `what`: a ticket is full of them), not Lucene's
/// short one, which typed queries keep (`how to` can matter there); other
/// languages their index's list (`words`).
pub fn context_stop_word_detector(analyzer_name: &str, words: Option<&[String]>) -> Option<TextAnalyzer> {
    if analyzer_name != "cuecard_en" {
        return words.map(|w| stop_word_detector(w.iter().cloned()));
    }
    Some(stop_word_detector(SNOWBALL_ENGLISH.split_whitespace().map(String::from)))
}

/// Snowball's English stop words (snowballstem.org, BSD licence), with the
/// contractions as the tokenizer splits them (`don't` is `don` and `t`).
const SNOWBALL_ENGLISH: &str = "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers \
    herself it its itself they them their theirs themselves what which who whom this that these those am is are was were be been being \
    have has had having do does did doing would should could ought a an the and but if or because as until while of at by for with \
    about against between into through during before after above below to from up down in out on off over under again further then \
    once here there when where why how all any both each few more most other some such no nor not only own same so than too very \
    s t d ll m re ve isn aren wasn weren hasn haven hadn doesn don didn won wouldn shan shouldn can cannot couldn mustn let";

/// Registers every analyzer the index's schema names.
pub fn register_all(index: &Index) {
    let schema = index.schema();
    for (_, entry) in schema.fields() {
        if let tantivy::schema::FieldType::Str(options) = entry.field_type() {
            if let Some(indexing) = options.get_indexing_options() {
                let name = indexing.tokenizer();
                if let Some(analyzer) = analyzer(name) {
                    index.tokenizers().register(name, analyzer);
                }
            }
        }
    }
}

/// The terms `text` yields under `analyzer`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn stemmer_language(language: &str) -> Option<Language> {
    Some(match language {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "nl" => Language::Dutch,
        "en" => Language::English,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "de" => Language::German,
        "el" => Language::Greek,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "no" | "nb" | "nn" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "es" => Language::Spanish,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    })
}

/// A whole title as one key: lower case, single spaces (`Late  Payment
/// fee` -> `late payment fee`). Typing an article's exact title finds it first.
pub fn title_key(text: &str) -> String {
    text.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// The normalised form of an error code or identifier as a caller reads it
/// off a screen: `E-4012`, `e4012` and `E_4012` all become `e4012`;
/// `SIM-REG-07` becomes `simreg07`, `0x80070005` stays. Only words with a
/// digit count as codes.
pub fn code_key(word: &str) -> Option<String> {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if !word.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let key: String = word.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    (key.len() >= 3).then_some(key)
}

/// The code keys of every code-like word in `text`, without repeats.
pub fn code_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = text.split_whitespace().filter_map(code_key).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// True for characters of scripts written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x31F0..=0x31FF   // Katakana extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFF9F   // half-width Katakana
        | 0x1100..=0x11FF   // Hangul Jamo
        | 0x3130..=0x318F   // Hangul compatibility Jamo
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0x20000..=0x2FFFF // CJK extensions B-F
    )
}

/// Splits text into words (letters and digits) and CJK bigrams.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordAndBigramTokenizer;

/// The tokens of one text, computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordAndBigramTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream {
            tokens: split_words_and_bigrams(text),
            next: 0,
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn split_words_and_bigrams(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut push = |from: usize, to: usize| {
        let position = tokens.len();
        tokens.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text[from..to].to_string(),
            position_length: 1,
        });
    };
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if is_cjk(c) {
            // Collect the run of CJK characters, then emit its bigrams.
            let mut starts = vec![start];
            let mut end = start + c.len_utf8();
            while let Some(&(at, next)) = chars.peek() {
                if !is_cjk(next) {
                    break;
                }
                starts.push(at);
                end = at + next.len_utf8();
                chars.next();
            }
            if starts.len() == 1 {
                push(start, end);
            } else {
                for pair in 0..starts.len() - 1 {
                    let pair_end = starts.get(pair + 2).copied().unwrap_or(end);
                    push(starts[pair], pair_end);
                }
            }
        } else if c.is_alphanumeric() {
            let mut end = start + c.len_utf8();
            while let Some(&(at, next)) = chars.peek() {
                if !next.is_alphanumeric() || is_cjk(next) {
                    break;
                }
                end = at + next.len_utf8();
                chars.next();
            }
            push(start, end);
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyze(locale: &str, text: &str) -> Vec<String> {
        let mut analyzer = analyzer(&analyzer_name(locale)).unwrap();
        terms(&mut analyzer, text)
    }

    #[test]
    fn stems_and_folds_per_language() {
        assert_eq!(analyze("en-US", "Refunds, refunded!"), ["refund", "refund"]);
        assert_eq!(analyze("de-DE", "Rückerstattungen"), analyze("de-DE", "Rückerstattung"));
        assert_eq!(analyze("es-MX", "Facturación"), ["factur"]);
        // Typed without accents, as agents often do.
        assert_eq!(analyze("es-MX", "facturacion"), analyze("es-MX", "Facturación"));
    }

    #[test]
    fn unknown_languages_get_the_plain_analyzer() {
        assert_eq!(analyzer_name("ja-JP"), "cuecard_plain");
        assert_eq!(analyze("ja-JP", "Café"), ["cafe"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(analyze("ja", "東京都"), ["東京", "京都"]);
        assert_eq!(analyze("zh", "文件 a"), ["文件", "a"]);
        assert_eq!(analyze("ja", "字"), ["字"]);
        // A long run is not dropped (tantivy's default keeps it as one token,
        // which RemoveLongFilter then removes).
        let long = "指定されたディレクトリのファイルを一覧表示します";
        assert_eq!(analyze("ja", long).len(), long.chars().count() - 1);
    }

    #[test]
    fn mixed_scripts_split_at_the_boundary() {
        assert_eq!(analyze("ja", "gitのブランチ"), ["git", "のブ", "ブラ", "ラン", "ンチ"]);
    }

    #[test]
    fn codes_normalise_whatever_the_punctuation_and_case() {
        for typed in ["E-4012", "e4012", "E_4012", "(E-4012)", "e-4012:"] {
            assert_eq!(code_key(typed).as_deref(), Some("e4012"), "{typed}");
        }
        assert_eq!(code_key("SIM-REG-07").as_deref(), Some("simreg07"));
        assert_eq!(code_key("5.1.10").as_deref(), Some("5110"));
        assert_eq!(code_key("ERR_CONNECTION_RESET"), None, "no digit: matched as words");
        assert_eq!(code_key("refund"), None);
        assert_eq!(code_keys("Code E-4012 or E-4012, then 0x80070005."), ["0x80070005", "e4012"]);
    }

    #[test]
    fn error_codes_split_into_parts() {
        assert_eq!(analyze("en", "E-4012 0x80070005"), ["e", "4012", "0x80070005"]);
    }
}
