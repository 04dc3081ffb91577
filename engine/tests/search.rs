//! Query -> expected ids on a small fixture index, built and packed exactly
//! as the indexer does, then opened as the browser does.

use cuecard_engine::manifest::BundleFile;
use cuecard_engine::model::IndexedArticle;
use cuecard_engine::writer::{Tier, article_texts, build_packed_index, open_in_memory};
use cuecard_engine::{EngineError, LocaleIndex};
use tantivy::directory::OwnedBytes;

fn article(id: &str, title: &str, summary: &str, headings: &[&str], body: &str) -> IndexedArticle {
    let folder = id.split('/').next().unwrap_or_default();
    IndexedArticle {
        id: id.into(),
        title: title.into(),
        summary: summary.into(),
        headings: headings.iter().map(|h| h.to_string()).collect(),
        aka: Vec::new(),
        sections: Vec::new(),
        category: Some(folder.to_string()),
        products: Vec::new(),
        tags: if body.contains("fee") { vec!["fees".to_string()] } else { Vec::new() },
        body_text: body.into(),
    }
}

fn fixture() -> Vec<IndexedArticle> {
    vec![
        article(
            "billing/refund-annual-plan",
            "Refund an annual plan",
            "When a customer cancels an annual plan within 30 days.",
            &["Eligibility", "Partial refunds"],
            "Annual plans are refunded in full within 30 days of purchase. After that, refund the unused months minus a 15 EUR fee.",
        ),
        article(
            "billing/late-payment-fee",
            "Late payment fee",
            "What to say when a customer disputes a late fee.",
            &["Waiving the fee"],
            "A late fee of 5 EUR applies after 14 days. Agents may waive it once a year. Mention direct debit to avoid it.",
        ),
        article(
            "devices/router-error-codes",
            "Router error codes",
            "What each code on the router screen means.",
            &["E-4012 no signal", "E-5001 overheating"],
            "E-4012 means the router has no DSL signal: check the cable. E-5001 means it is too hot. 0x80070005 is an access denied error on Windows.",
        ),
        article(
            "scripts/opening",
            "Opening the call",
            "Approved greeting.",
            &[],
            "Thank you for calling. My name is ... How can I help you today? Ask for the account number before discussing a refund.",
        ),
        article(
            "ja/git-branch",
            "git branch",
            "ブランチを管理します。",
            &[],
            "指定されたディレクトリのファイルを一覧表示します。すべてのブランチを表示する。",
        ),
    ]
}

fn open_fixture() -> LocaleIndex {
    open_in_memory("en-US", &fixture()).expect("index builds and opens")
}

fn ids(index: &LocaleIndex, query: &str) -> Vec<String> {
    index.search(query, 10).hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn opens_with_every_article() {
    assert_eq!(open_fixture().num_articles(), 5);
}

#[test]
fn title_matches_rank_above_body_matches() {
    let index = open_fixture();
    let found = ids(&index, "refund ");
    assert_eq!(found[0], "billing/refund-annual-plan");
    assert!(found.contains(&"scripts/opening".to_string()), "{found:?}");
}

#[test]
fn typing_an_exact_title_finds_it_first() {
    let index = open_fixture();
    assert_eq!(ids(&index, "late payment fee")[0], "billing/late-payment-fee");
    assert_eq!(ids(&index, "Router error codes")[0], "devices/router-error-codes");
}

#[test]
fn stemming_matches_other_word_forms() {
    assert_eq!(ids(&open_fixture(), "refunds ")[0], "billing/refund-annual-plan");
}

#[test]
fn the_word_being_typed_matches_by_prefix() {
    let index = open_fixture();
    assert_eq!(ids(&index, "refu")[0], "billing/refund-annual-plan");
    assert_eq!(ids(&index, "late pay"), ["billing/late-payment-fee"]);
    // Finished words do not match by prefix.
    assert!(ids(&index, "refu ").is_empty());
}

#[test]
fn articles_with_every_word_come_before_those_with_some() {
    let index = open_fixture();
    assert_eq!(ids(&index, "fee waive ")[0], "billing/late-payment-fee");
    let results = index.search("waive router ", 10);
    assert!(results.partial, "falls back to any word");
    assert_eq!(results.total, 2);
    // With only one article having every word, some-word matches follow it.
    let ids = ids(&index, "fee waive direct ");
    assert_eq!(ids[0], "billing/late-payment-fee");
    assert!(ids.len() > 1, "{ids:?}");
}

#[test]
fn phrases_and_exclusions() {
    let index = open_fixture();
    assert_eq!(ids(&index, "\"direct debit\""), ["billing/late-payment-fee"]);
    assert!(ids(&index, "\"debit direct\"").is_empty());
    let found = ids(&index, "refund -annual");
    assert_eq!(found, ["scripts/opening"]);
}

#[test]
fn error_codes_match_as_read_off_a_screen() {
    let index = open_fixture();
    assert_eq!(ids(&index, "E-4012"), ["devices/router-error-codes"]);
    // However the caller reads it: case, dashes and underscores do not matter.
    for typed in ["e4012", "E4012 ", "e-4012", "E_4012"] {
        assert_eq!(ids(&index, typed), ["devices/router-error-codes"], "{typed}");
    }
    assert!(ids(&index, "E-4013 ").is_empty(), "a different code matches nothing");
    assert_eq!(ids(&index, "0x80070005"), ["devices/router-error-codes"]);
}

#[test]
fn cjk_words_inside_long_runs_are_found() {
    let index = open_fixture();
    assert_eq!(ids(&index, "ファイル"), ["ja/git-branch"]);
    assert_eq!(ids(&index, "ブランチ "), ["ja/git-branch"]);
}

#[test]
fn misspelled_words_still_find_their_article_below_exact_matches() {
    let index = open_fixture();
    assert_eq!(ids(&index, "refnd annual")[0], "billing/refund-annual-plan");
    assert_eq!(ids(&index, "wiave")[0], "billing/late-payment-fee", "the last word too");
    // A correctly spelled word is never "corrected" into another one.
    assert!(ids(&index, "fee ").iter().all(|id| id != "scripts/opening"));
    let hit = &index.search("refnd ", 10).hits[0];
    let marked: Vec<&str> = hit.snippet.segments().into_iter().filter(|(_, m)| *m).map(|(t, _)| t).collect();
    assert!(marked.contains(&"refunded") || marked.contains(&"refund"), "the corrected word is highlighted: {marked:?}");
}

#[test]
fn stop_words_are_optional() {
    // "of the" are not in the article, the content words are.
    assert_eq!(ids(&open_fixture(), "waive of the late fee ")[0], "billing/late-payment-fee");
}

#[test]
fn each_tier_carries_its_languages_stop_words() {
    // The app's wasm holds no language's list: the pack does, per tier.
    let stop_words = |locale: &str, tier: Tier| {
        let pack = build_packed_index(locale, &fixture(), tier).unwrap();
        let files = cuecard_engine::pack::unpack(OwnedBytes::new(pack)).unwrap();
        files.get(std::path::Path::new(cuecard_engine::analysis::STOP_WORDS_FILE)).map(|b| String::from_utf8(b.to_vec()).unwrap())
    };
    for tier in [Tier::Titles, Tier::Head, Tier::Full] {
        let english = stop_words("en-US", tier).expect("English has a list");
        assert!(english.lines().any(|w| w == "the") && english.lines().any(|w| w == "of"), "{english}");
        let german = stop_words("de-DE", tier).expect("German has a list");
        assert!(german.lines().any(|w| w == "der") && !german.lines().any(|w| w == "the"), "{german}");
        assert_eq!(stop_words("ja-JP", tier), None, "no list for a language without one");
    }
}

#[test]
fn cjk_queries_match_in_any_word_order() {
    assert_eq!(ids(&open_fixture(), "ブランチを表示"), ["ja/git-branch"]);
}

#[test]
fn facets_count_the_matches_and_filter_any_query() {
    use cuecard_engine::facets::{FacetKind, Filters};
    let index = open_fixture();
    let results = index.search("refund ", 10);
    let categories: Vec<(&str, u64)> = results.facets.iter().filter(|f| f.kind == FacetKind::Category).map(|f| (f.value.as_str(), f.count)).collect();
    assert_eq!(categories, [("billing", 1), ("scripts", 1)]);
    let billing = Filters::default().with(FacetKind::Category, "billing");
    let filtered: Vec<String> = index.search_with("refund ", &billing, 10).hits.into_iter().map(|h| h.id).collect();
    assert_eq!(filtered, ["billing/refund-annual-plan"]);
    // Browsing: nothing typed, a category selected.
    let browse = index.search_with("", &billing, 10);
    assert_eq!(browse.total, 2);
    assert_eq!(browse.query, "");
    // Two values of one dimension: either; two dimensions: both.
    let either = Filters::default().with(FacetKind::Category, "billing").with(FacetKind::Category, "devices");
    assert_eq!(index.search_with("", &either, 10).total, 3);
    let both = billing.clone().with(FacetKind::Tag, "fees");
    assert_eq!(index.search_with("", &both, 10).total, 2);
    // Nothing typed, nothing selected: no hits, but the kb's facets to browse.
    let empty = index.search("", 10);
    assert!(empty.hits.is_empty());
    assert_eq!(empty.facets.iter().filter(|f| f.kind == FacetKind::Category).map(|f| f.count).sum::<u64>(), 5);
}

#[test]
fn snippets_highlight_the_matched_words() {
    let index = open_fixture();
    let hit = &index.search("waive", 10).hits[0];
    let marked: Vec<&str> = hit.snippet.segments().into_iter().filter(|(_, m)| *m).map(|(t, _)| t).collect();
    assert_eq!(marked, ["waive"]);
    let hit = &index.search("refund annual ", 10).hits[0];
    let title: Vec<&str> = hit.title.segments().into_iter().filter(|(_, m)| *m).map(|(t, _)| t).collect();
    assert_eq!(title, ["Refund", "annual"]);
}

#[test]
fn limit_caps_hits_but_not_the_total() {
    let results = open_fixture().search("the", 1);
    assert_eq!(results.hits.len(), 1);
    assert!(results.total > 1);
}

#[test]
fn anything_typed_gives_an_answer() {
    let index = open_fixture();
    for typed in [
        "", " ", "\"", "\"\"", "-", "--", "-\"", "AND OR NOT", "title:refund", "refund^2", "(((",
        "*", "?", "[1 TO 5]", "\\", "🙂", "\u{0}", "ｆｕｌｌｗｉｄｔｈ", "a -a", "\"unclosed refund",
        &"x".repeat(500),
    ] {
        let results = index.search(typed, 10);
        assert_eq!(results.query, typed);
    }
}

#[test]
fn a_damaged_download_is_refused_before_it_is_read() {
    let packed = build_packed_index("en-US", &fixture(), Tier::Full).unwrap();
    let file = BundleFile {
        path: "en-US/index.bin".into(),
        sha256: cuecard_engine::hash::content_hash(&packed),
        bytes: packed.len() as u64,
    };
    let mut damaged = packed.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0xff;
    match LocaleIndex::open_verified(damaged, &file) {
        Err(EngineError::HashMismatch { file, .. }) => assert_eq!(file, "en-US/index.bin"),
        other => panic!("expected a hash mismatch, got {:?}", other.err()),
    }
    assert!(LocaleIndex::open_verified(packed, &file).is_ok());
}

#[test]
fn a_file_that_is_not_a_pack_is_an_error() {
    let error = LocaleIndex::open(OwnedBytes::new(b"<!doctype html><p>Not found".to_vec())).err().unwrap();
    assert!(error.to_string().contains("not a Cuecard index pack"), "{error}");
}

#[test]
fn knows_which_articles_it_has_for_deep_links() {
    let index = open_fixture();
    assert!(index.has_article("billing/late-payment-fee"));
    assert!(!index.has_article("no/such"));
    assert!(!index.has_article("billing"));
}

#[test]
fn without_its_text_a_hit_has_no_snippet_and_the_rest_is_the_same() {
    use cuecard_engine::facets::Filters;
    let index = open_fixture();
    let (_, pending) = index.first_stage("refund ", &Filters::default(), 10);
    let mut some = article_texts(&fixture());
    let missing = pending.hit_ids()[0].clone();
    some.remove(&missing);
    let details = index.second_stage(&pending, &some);
    let full = index.second_stage(&pending, &article_texts(&fixture()));
    assert!(details.hits[0].snippet.text.is_empty() && details.hits[0].section.is_none());
    assert!(!full.hits[0].snippet.text.is_empty());
    assert_eq!(details.hits[1..], full.hits[1..]);
    assert_eq!(details.facets, full.facets);
}

#[test]
fn one_or_two_letters_being_typed_expand_in_titles_not_in_bodies() {
    let index = open_fixture();
    // "DSL" is only in the router article's body: two letters do not reach
    // it (they would match thousands of body words in a real kb)...
    assert_eq!(ids(&index, "ds"), Vec::<String>::new());
    // ...three do, and two letters still find titles.
    assert_eq!(ids(&index, "dsl"), ["devices/router-error-codes"]);
    assert_eq!(ids(&index, "ro")[0], "devices/router-error-codes");
}

#[test]
fn the_first_stage_lists_what_the_full_search_lists_and_the_second_adds_the_rest() {
    use cuecard_engine::facets::{FacetKind, Filters};
    let index = open_fixture();
    let billing = Filters::default().with(FacetKind::Category, "billing");
    for (typed, filters) in [("refund ", Filters::default()), ("refnd", Filters::default()), ("", billing.clone()), ("fee", billing), ("", Filters::default())] {
        let full = index.search_with(typed, &filters, 10);
        let (first, pending) = index.first_stage(typed, &filters, 10);
        assert_eq!(pending.query(), typed);
        assert_eq!(first.hits.iter().map(|h| (&h.id, &h.title)).collect::<Vec<_>>(), full.hits.iter().map(|h| (&h.id, &h.title)).collect::<Vec<_>>(), "{typed:?}");
        assert_eq!(first.total, full.total);
        assert!(first.hits.iter().all(|h| h.snippet.text.is_empty() && h.section.is_none()), "no snippets yet for {typed:?}");
        assert!(first.facets.is_empty());
        assert_eq!(pending.hit_ids(), full.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>().as_slice());
        let details = index.second_stage(&pending, &article_texts(&fixture()));
        assert_eq!(details.query, typed);
        let mut staged = first.clone();
        details.apply_to(&mut staged);
        assert_eq!(staged, full, "both stages together are the full search for {typed:?}");
    }
}

#[test]
fn warming_up_changes_no_result_and_gives_hits_to_render() {
    let index = open_fixture();
    let before = index.search("refund annual", 10);
    assert!(!index.warm_up().is_empty(), "the first title's word finds its article");
    let queries = index.warm_up_queries();
    let distinct: std::collections::HashSet<&String> = queries.iter().collect();
    assert_eq!(distinct.len(), queries.len(), "each query once: {queries:?}");
    assert!(queries.iter().any(|q| q.chars().count() == 1), "first letters of common title words: {queries:?}");
    assert!(queries.len() >= 8, "{queries:?}");
    assert_eq!(index.search("refund annual", 10), before);
}

#[test]
fn codes_the_kb_carries_are_known_and_survive_scrubbing_other_numbers_do_not() {
    let index = open_fixture();
    assert!(index.knows_code("E-4012") && index.knows_code("e4012") && index.knows_code("0x80070005"));
    assert!(!index.knows_code("123456789") && !index.knows_code("refund"));
    let scrubbed = cuecard_engine::scrub::scrub("router E-4012, code 0x80070005, account 123456789", &|w| index.knows_code(w));
    assert_eq!(scrubbed, "router E-4012, code 0x80070005, account [number]");
}

#[test]
fn rows_for_articles_found_by_meaning_come_by_id_in_order() {
    let index = open_fixture();
    let all = fixture();
    let (a, b) = (all[1].id.as_str(), all[0].id.as_str());
    let hits = index.hits_by_id(&[a, "no/such-article", b], "", &Default::default());
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), [a, b]);
    assert_eq!(hits[0].title.text, all[1].title);
    assert_eq!(hits[0].summary, all[1].summary);
    assert!(hits[0].title.ranges.is_empty() && hits[0].score == 0.0);
}

#[test]
fn rows_found_by_meaning_respect_the_filters_and_excluded_words() {
    use cuecard_engine::facets::{FacetKind, Filters};
    let index = open_fixture();
    let all = fixture();
    let ids: Vec<&str> = all.iter().map(|a| a.id.as_str()).collect();
    let billing = Filters::default().with(FacetKind::Category, "billing");
    let kept: Vec<String> = index.hits_by_id(&ids, "", &billing).into_iter().map(|h| h.id).collect();
    let expected: Vec<&str> = all.iter().filter(|a| a.id.starts_with("billing/")).map(|a| a.id.as_str()).collect();
    assert!(!expected.is_empty() && expected.len() < ids.len());
    assert_eq!(kept, expected);
    // `-refund` rules out every article with the word, whoever found it.
    let without: Vec<String> = index.hits_by_id(&ids, "money -refund", &Filters::default()).into_iter().map(|h| h.id).collect();
    let with_word: Vec<String> = index.search("refund", 10).hits.into_iter().map(|h| h.id).collect();
    assert!(!with_word.is_empty());
    assert!(without.iter().all(|id| !with_word.contains(id)), "{without:?} vs {with_word:?}");
    assert_eq!(without.len(), ids.len() - with_word.len());
}
