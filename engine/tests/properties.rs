//! Property tests of what the engine reads from the outside: pack files
//! (any bytes a host may serve), queries (anything an agent may type or
//! paste) and allowed host origins (anything a kb's config may hold). None
//! may ever panic.

use std::sync::OnceLock;

use cuecard_engine::LocaleIndex;
use cuecard_engine::model::IndexedArticle;
use cuecard_engine::pack::{pack, unpack};
use cuecard_engine::origins::{EmbedPolicy, OriginPattern};
use cuecard_engine::query::QueryPlan;
use proptest::prelude::*;
use tantivy::directory::OwnedBytes;

fn any_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        any::<char>().prop_map(String::from),
        Just("\"".to_string()),
        Just("-".to_string()),
        Just(" ".to_string()),
        Just("E-4012".to_string()),
        Just("wi-fi".to_string()),
        Just("返金".to_string()),
        Just("refund".to_string()),
        Just("*".to_string()),
        Just("~".to_string()),
    ];
    proptest::collection::vec(pieces, 0..max).prop_map(|p| p.concat())
}

/// A small real index, built once.
fn index() -> &'static LocaleIndex {
    static INDEX: OnceLock<LocaleIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let article = |id: &str, title: &str, body: &str| IndexedArticle {
            id: id.into(),
            title: title.into(),
            summary: String::new(),
            headings: vec!["Steps".into()],
            aka: vec!["money back".into()],
            body_text: body.into(),
            sections: Vec::new(),
            category: Some("billing".into()),
            products: Vec::new(),
            tags: vec!["refund".into()],
        };
        let articles = [
            article("refund", "Refund an annual plan", "Refunds within 30 days. Error E-4012 on the router."),
            article("wifi", "Wi-Fi drops", "Restart the router; 返金 is not relevant."),
        ];
        cuecard_engine::writer::open_in_memory("en-US", &articles).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_pack_reader_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = unpack(OwnedBytes::new(bytes));
    }

    #[test]
    fn the_pack_reader_never_panics_on_damaged_packs(cut in 0usize..200, flips in proptest::collection::vec((0usize..200, any::<u8>()), 0..6)) {
        let mut bytes = pack(&[("meta.json".to_string(), b"{}".to_vec()), ("a.idx".to_string(), vec![7; 64]), ("b".to_string(), vec![])]);
        for (at, value) in flips {
            if let Some(byte) = bytes.get_mut(at) {
                *byte = value;
            }
        }
        bytes.truncate(cut.min(bytes.len()));
        let _ = unpack(OwnedBytes::new(bytes));
    }

    #[test]
    fn scrubbing_ends_on_any_text_keeps_no_long_digit_run_and_changes_nothing_twice(
        input in proptest::collection::vec(prop_oneof![any_text(4), "[0-9 .@-]{1,24}", Just("a@b.co".to_string())], 0..12).prop_map(|p| p.concat()),
    ) {
        let once = cuecard_engine::scrub::scrub(&input, &|_| false);
        prop_assert_eq!(cuecard_engine::scrub::scrub(&once, &|_| false), once.clone(), "from {:?}", input);
        let mut run = 0;
        for c in once.chars() {
            run = if c.is_ascii_digit() { run + 1 } else { 0 };
            prop_assert!(run < 6, "a run of 6 digits left in {:?} from {:?}", once, input);
        }
    }

    #[test]
    fn the_query_parser_never_panics_and_keeps_every_word(input in any_text(40)) {
        let plan = QueryPlan::parse(&input);
        for clause in &plan.clauses {
            prop_assert!(!clause.text.trim().is_empty() || clause.phrase, "{clause:?} from {input:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn search_answers_any_typed_text(input in any_text(30)) {
        let results = index().search(&input, 10);
        prop_assert!(results.hits.len() <= 10);
    }
}

proptest! {
    #[test]
    fn any_allowed_host_entry_parses_or_is_refused_without_panicking(entry in any_text(12), origin in any_text(12)) {
        if let Ok(pattern) = OriginPattern::parse(&entry) {
            // What the headers write reads back as the same pattern.
            prop_assert_eq!(OriginPattern::parse(&pattern.to_string()), Ok(pattern.clone()));
            let _ = pattern.matches(&origin);
        }
        let _ = EmbedPolicy::from_sources(&[entry.as_str()]).narrowed_to(Some(&origin));
    }

    #[test]
    fn an_exact_origin_allows_itself_and_no_lookalike(host in "[a-z][a-z0-9-]{0,8}(\\.[a-z][a-z0-9-]{0,8}){1,2}", port in proptest::option::of(1u16..)) {
        let origin = match port {
            Some(port) => format!("https://{host}:{port}"),
            None => format!("https://{host}"),
        };
        let pattern = OriginPattern::parse(&origin).unwrap();
        prop_assert!(pattern.matches(&origin));
        let lookalike = format!("https://{host}.evil.example");
        let other_scheme = format!("http://{}", &origin["https://".len()..]);
        prop_assert!(!pattern.matches(&lookalike));
        prop_assert!(!pattern.matches(&other_scheme));
    }
}


#[test]
fn excluding_a_run_of_words_leaves_out_the_articles_with_them() {
    let ids = |q: &str| index().search(q, 10).hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids("router -wi-fi "), ["refund"]);
    assert_eq!(ids("router -E-4012 "), ["wifi"]);
}
