//! The relevance yardstick as a test: each labelled query set must stay at
//! or above its floor (set just under the figures reached; raise them when
//! relevance improves, never lower them to make a change pass).

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// `(success@1, success@3, mrr@10)` from `cuecard eval`'s first lines, for
/// a file of typed queries (`.tsv`) or of call contexts (`.yaml`).
fn figures(kb: &Path, queries: &str, locale: Option<&str>) -> (f64, f64, f64) {
    first_figures(&eval(kb, queries, locale, &[]))
}

/// `cuecard eval`'s report.
fn eval(kb: &Path, queries: &str, locale: Option<&str>, flags: &[&str]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cuecard"));
    let kind = if queries.ends_with(".yaml") { "--contexts" } else { "--queries" };
    command.args(["eval", "--kb"]).arg(kb).arg(kind).arg(repo().join("tests/yardstick").join(queries)).args(flags);
    if let Some(locale) = locale {
        command.args(["--locale", locale]);
    }
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The first `(success@1, success@3, mrr@10)` of a report (or a section).
fn first_figures(text: &str) -> (f64, f64, f64) {
    let value = |name: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no {name} in\n{text}"));
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    (value("success@1"), value("success@3"), value("mrr@10"))
}

/// Fused, lexical-only and meaning-only figures of `cuecard eval --meaning`.
fn fused_figures(kb: &Path, queries: &str, locale: Option<&str>) -> [(f64, f64, f64); 3] {
    let text = eval(kb, queries, locale, &["--meaning"]);
    let section = |name: &str| {
        let start = text.find(&format!("== {name} ==")).unwrap_or_else(|| panic!("no {name} section in\n{text}"));
        first_figures(&text[start..])
    };
    [first_figures(&text), section("lexical only"), section("meaning only")]
}

fn assert_floor(set: &str, got: (f64, f64, f64), floor: (f64, f64, f64)) {
    assert!(
        got.0 >= floor.0 && got.1 >= floor.1 && got.2 >= floor.2,
        "{set}: success@1 {:.3} success@3 {:.3} mrr@10 {:.3} fell below the floor {floor:?}",
        got.0,
        got.1,
        got.2
    );
}

#[test]
fn the_sample_kb_set_stays_above_its_floor() {
    let got = figures(&repo().join("kb"), "kb-en-US.tsv", None);
    assert_floor("kb-en-US", got, (0.90, 0.96, 0.93));
}

#[test]
fn suggestions_for_the_sample_kbs_call_contexts_stay_above_their_floor() {
    let got = figures(&repo().join("kb"), "contexts-kb-en-US.yaml", None);
    assert_floor("contexts-kb-en-US", got, (0.76, 0.93, 0.84));
    let got = figures(&repo().join("kb"), "contexts-kb-de-DE.yaml", Some("de-DE"));
    assert_floor("contexts-kb-de-DE", got, (0.95, 0.95, 0.95));
    let got = figures(&repo().join("kb"), "contexts-kb-ja-JP.yaml", Some("ja-JP"));
    assert_floor("contexts-kb-ja-JP", got, (0.65, 0.65, 0.65));
}

/// The tldr pages as a kb with locales `en`, `de`, `ja` and `zh`, in `work`.
fn tldr_kb(work: &TempDir) -> PathBuf {
    let archive = repo().join("../shared/corpora/tldr-pages.tar.gz");
    assert!(archive.exists(), "the tldr corpus is expected at {}", archive.display());
    assert!(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(work.path()).status().unwrap().success());
    let kb = work.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    for (folder, tag) in [("pages", "en"), ("pages.de", "de"), ("pages.ja", "ja"), ("pages.zh", "zh")] {
        std::fs::rename(work.path().join("tldr").join(folder), kb.join(tag)).unwrap();
    }
    kb
}

/// The VBA subset the benchmarks use: PowerPoint's API reference (2,812
/// articles) with the tree's include files, in `work`.
fn vba_powerpoint_kb(work: &TempDir) -> PathBuf {
    let archive = repo().join("../shared/corpora/vba-docs.tar.gz");
    assert!(archive.exists(), "the VBA corpus is expected at {}", archive.display());
    let unpacked = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(work.path())
        .args(["--wildcards", "vba-docs/api/PowerPoint.*", "vba-docs/includes/*"])
        .status()
        .unwrap();
    assert!(unpacked.success());
    work.path().join("vba-docs")
}

#[test]
fn the_tldr_sets_stay_above_their_floors() {
    let work = TempDir::new().unwrap();
    let kb = tldr_kb(&work);
    for (tag, floor) in [("en", (0.35, 0.70, 0.52)), ("de", (0.50, 0.83, 0.66)), ("ja", (0.87, 0.87, 0.89)), ("zh", (0.87, 0.87, 0.89))] {
        let got = figures(&kb, &format!("tldr-{tag}.tsv"), Some(tag));
        assert_floor(&format!("tldr-{tag}"), got, floor);
    }
    // Help-desk tickets over pages nobody wrote for calls: weak without
    // meaning-based search (the words of a ticket are rarely a page's, and
    // since issue 26 none uses its page's title words).
    let got = figures(&kb, "contexts-tldr-en.yaml", Some("en"));
    assert_floor("contexts-tldr-en", got, (0.15, 0.21, 0.20));
}

/// Tickets, chats and call transcripts in the callers' words over two real
/// corpora (issue 26's harder sets; the title-word rule is checked in
/// `callers_words_miss_the_titles_and_stay_above_their_floors`):
/// suggestions fused with the context's meaning must lift success@3 by at
/// least 0.10 over the word ranking, and hold their floors.
#[test]
fn call_contexts_in_the_callers_words_are_found_fused() {
    let work = TempDir::new().unwrap();
    let tldr = tldr_kb(&work);
    let vba = vba_powerpoint_kb(&work);
    for (kb, set, fused_floor, words_floor) in [
        (&tldr, "contexts-tldr-en.yaml", (0.20, 0.39, 0.32), (0.15, 0.21, 0.20)),
        (&vba, "contexts-vba-powerpoint.yaml", (0.17, 0.33, 0.26), (0.17, 0.23, 0.20)),
    ] {
        let [fused, lexical, _meaning] = fused_figures(kb, set, Some("en"));
        assert_floor(&format!("{set}, fused"), fused, fused_floor);
        assert_floor(&format!("{set}, words only"), lexical, words_floor);
        assert!(fused.1 >= lexical.1 + 0.10, "{set}: fused success@3 {:.3} is not 0.10 above words only {:.3}", fused.1, lexical.1);
    }
}

/// Callers' words for a symptom (issue 12's harder yardstick): no query may
/// share a content word, after stemming, with its article's title, camel
/// case split (`AddPicture` is `add picture`), or it would test nothing but
/// the lexical engine. Where the lexical engine stands on them is the floor.
#[test]
fn callers_words_miss_the_titles_and_stay_above_their_floors() {
    let work = TempDir::new().unwrap();
    let tldr = tldr_kb(&work);
    let vba = vba_powerpoint_kb(&work);
    for (kb, locale, set) in [
        (&tldr, "en", "callers-tldr-en.tsv"),
        (&vba, "en", "callers-vba-powerpoint.tsv"),
        (&tldr, "en", "contexts-tldr-en.yaml"),
        (&vba, "en", "contexts-vba-powerpoint.yaml"),
    ] {
        let shared = words_shared_with_titles(kb, locale, set);
        assert!(shared.is_empty(), "{set}: queries that use their article's title words: {shared:#?}");
    }
    let got = figures(&tldr, "callers-tldr-en.tsv", Some("en"));
    assert_floor("callers-tldr-en", got, (0.015, 0.09, 0.06));
    let got = figures(&vba, "callers-vba-powerpoint.tsv", Some("en"));
    assert_floor("callers-vba-powerpoint", got, (0.07, 0.09, 0.10));

    // Meaning-based matching (the model from `cargo xtask setup`) is what
    // these sets are for: fused with the lexical results it must lift
    // success@3 by at least 0.10 over lexical alone, and hold its floor.
    for (kb, set, floor) in [(&tldr, "callers-tldr-en.tsv", (0.20, 0.35, 0.30)), (&vba, "callers-vba-powerpoint.tsv", (0.17, 0.32, 0.24))] {
        let [fused, lexical, _meaning] = fused_figures(kb, set, Some("en"));
        assert_floor(&format!("{set}, fused"), fused, floor);
        assert!(fused.1 >= lexical.1 + 0.10, "{set}: fused success@3 {:.3} is not 0.10 above lexical {:.3}", fused.1, lexical.1);
    }
}

/// Meaning-based matching must not cost the sample kb's own set: fused, it
/// keeps the lexical floor.
#[test]
fn the_sample_kb_set_keeps_its_floor_fused() {
    let [fused, lexical, _] = fused_figures(&repo().join("kb"), "kb-en-US.tsv", None);
    assert_floor("kb-en-US, fused", fused, (0.90, 0.96, 0.93));
    assert_floor("kb-en-US, lexical only", lexical, (0.90, 0.96, 0.93));
    // Its call contexts fused: below words alone (0.783 / 0.957 / 0.861,
    // BENCHMARKS.md says where), held where they are until the rule mends.
    let [fused, _, _] = fused_figures(&repo().join("kb"), "contexts-kb-en-US.yaml", None);
    assert_floor("contexts-kb-en-US, fused", fused, (0.73, 0.91, 0.83));
}

/// `(query or context's start, target, shared words)` for every entry of
/// `set` (typed queries or contexts) that shares a content word with its
/// best article's title.
fn words_shared_with_titles(kb: &Path, locale: &str, set: &str) -> Vec<(String, String, Vec<String>)> {
    use cuecard_engine::analysis::{analyzer, analyzer_name, context_stop_word_detector, stop_words, terms};
    let layout = cuecard::kb::discover(kb, locale).unwrap_or_else(|_| panic!("{} is a kb", kb.display()));
    let compiled = cuecard::compile::compile(layout, &cuecard::compile::Audience::All).unwrap();
    let titles: std::collections::HashMap<&str, &str> =
        compiled.locales.iter().flat_map(|l| &l.articles).map(|(_, a)| (a.id.as_str(), a.title.as_str())).collect();
    let name = analyzer_name(locale);
    let mut stem = analyzer(&name).unwrap();
    let mut content = context_stop_word_detector(&name, stop_words(&name).as_deref()).unwrap();
    let path = repo().join("tests/yardstick").join(set);
    let labelled = if set.ends_with(".yaml") {
        cuecard::measure::eval::read_contexts(&path).unwrap()
    } else {
        cuecard::measure::eval::read_queries(&path).unwrap()
    };
    let mut found = Vec::new();
    for entry in &labelled {
        let (query, best) = (entry.query.as_str(), entry.accepted[0].as_str());
        let title = titles.get(best).unwrap_or_else(|| panic!("{set}: no article {best}"));
        let title_words: std::collections::HashSet<String> = terms(&mut stem, &split_camel_case(title)).into_iter().collect();
        let shared: Vec<String> = terms(&mut content, query)
            .iter()
            .flat_map(|word| terms(&mut stem, word))
            .filter(|word| title_words.contains(word))
            .collect();
        if !shared.is_empty() {
            let start: String = query.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(60).collect();
            found.push((start, title.to_string(), shared));
        }
    }
    found
}

/// `SlideShowBegin` -> `Slide Show Begin`.
fn split_camel_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// VBA's error messages as people paste them from the error dialog
/// (`Run-time error '91': Object variable or With block variable not set`),
/// over the language reference's 1,310 articles: the error code and the
/// message's words must keep finding the error's article, fused as well as
/// by words alone (a fused rule must never lose what the words find).
#[test]
fn pasted_vba_error_messages_find_their_article_by_words_and_fused() {
    let work = TempDir::new().unwrap();
    let archive = repo().join("../shared/corpora/vba-docs.tar.gz");
    let unpacked = Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(work.path())
        .args(["--wildcards", "vba-docs/Language/Reference/User-Interface-Help/*", "vba-docs/includes/*"])
        .status()
        .unwrap();
    assert!(unpacked.success());
    let kb = work.path().join("vba-docs");
    let [fused, lexical, _meaning] = fused_figures(&kb, "errors-vba-language.tsv", None);
    assert_floor("errors-vba-language, lexical only", lexical, (0.10, 0.85, 0.45));
    assert_floor("errors-vba-language, fused", fused, (0.85, 0.95, 0.90));
    assert!(fused.1 >= lexical.1, "fused success@3 {:.3} lost what words alone find ({:.3})", fused.1, lexical.1);
}
