//! Regression tests for the CLI on content nobody here wrote and content
//! written to do harm: real docs trees, links out of the kb, YAML bombs,
//! hostile names, concurrent publishes, front matter and compliance rules
//! that must not be dodged. Each test is named after what it pins, and runs
//! the real binary on real files.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

mod support;
use support::{articles, build, bundle_bytes, check, check_codes, contains, cuecard, kb, list_files, manifest, named_files, stderr, stdout, write_files};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn codes_of(findings: &[(String, String)]) -> Vec<&str> {
    findings.iter().map(|(code, _)| code.as_str()).collect()
}

// --- 1. A real docs tree builds, whole --------------------------------------

#[test]
fn product_folders_are_one_locale_even_when_some_look_like_tags() {
    let kb = kb(&[("billing/a.md", "# A\n"), ("devices/b.md", "# B\n"), ("faq/c.md", "# C\n"), ("api/d.md", "# D\n")]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let manifest = manifest(&out);
    assert_eq!(manifest.locales.len(), 1);
    assert_eq!(manifest.locales[0].articles, 4, "every folder is published");
    assert!(stderr(&result).contains("one locale for the whole tree"), "{}", stderr(&result));
}

#[test]
fn locale_folders_are_announced_and_files_outside_them_are_counted() {
    let kb = kb(&[("en/a.md", "# A\n"), ("de/a.md", "# A\n"), ("notes.md", "# Stray\n"), ("en/_drafts/wip.md", "# WIP\n")]);
    let result = check(kb.path());
    let text = stderr(&result);
    assert!(text.contains("note: locales from the top-level folders: de (de/), en (en/)"), "{text}");
    assert!(text.contains("1 in the kb root"), "{text}");
    assert!(text.contains("1 in _drafts/ folders"), "{text}");
}

#[test]
fn the_real_docs_fixture_builds_clean_with_its_syntax_resolved() {
    let fixture = repo().join("tests/fixtures/real-docs-kb");
    let work = TempDir::new().unwrap();
    let out = work.path().join("bundle");
    let result = build(&fixture, &out);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(!text.contains("error:"), "{text}");
    assert!(text.contains("not published: 2 files used as includes"), "{text}");
    let manifest = manifest(&out);
    assert_eq!(manifest.locales[0].articles, 6, "nested product folders are published; includes are not articles");
    // The case-mismatched link resolves to its article, with a warning.
    assert!(text.contains("warning: the link goes to `products/router/Reset-Router`, which exists as `products/router/reset-router`"), "{text}");
    let all = articles(&out);
    let connect = all.iter().find(|a| a["id"] == "products/router/setup/connect-router").expect("the article");
    let html = connect["html"].as_str().unwrap();
    for syntax in ["[!INCLUDE", "[!include", ":::", "[!div", "[!VIDEO", "](#tab/", "#tab/"] {
        assert!(!all.iter().any(|a| support::outside_code(a["html"].as_str().unwrap()).contains(syntax)), "{syntax} shows as text");
    }
    // DocFX: tabs are headed sections whose anchors links reach, a video
    // is a link (never a frame), a next-step link a plain link.
    let reminders = all.iter().find(|a| a["id"] == "products/mail/reminders-keep-coming-back").expect("the DocFX article");
    let docfx = reminders["html"].as_str().unwrap();
    for expected in [
        r#"<a id="sec-tab/windows"></a>"#,
        r#"<a id="sec-tab/macos"></a>"#,
        r##"href="#sec-tab/windows""##,
        r#"<a href="https://www.example.com/videoplayer/embed/RE4clean" target="_blank" rel="noopener noreferrer">Watch the video</a>"#,
        r##"<a href="#/a/products/router/reset-router">Reset the router</a>"##,
    ] {
        assert!(docfx.contains(expected), "missing {expected} in {docfx}");
    }
    assert!(!docfx.contains("<iframe") && !docfx.contains("<hr"), "{docfx}");
    let headings: Vec<&str> = reminders["headings"].as_array().unwrap().iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert!(headings.contains(&"Windows") && headings.contains(&"macOS"), "{headings:?}");
    assert!(!text.lines().any(|l| l.contains("reminders-keep-coming-back.md")), "no finding about it (its tab links resolve): {text}");
    for expected in [
        r#"<a id="sec-before"></a>"#,
        r#"<a id="sec-pairing"></a>"#,
        r##"href="#/a/products/router/reset-router""##,
        r##"href="#/a/faq/troubleshooting#sec-lights""##,
        r##"href="#/a/faq/contact""##,
        "markdown-alert-warning",
        "markdown-alert-tip",
        "On Android, allow the app to use Bluetooth.",
    ] {
        assert!(html.contains(expected), "missing {expected} in {html}");
    }
    // The image is copied under its content hash and named in the manifest.
    assert_eq!(manifest.media.len(), 1);
    let image = &manifest.media[0];
    assert!(html.contains(&format!("src=\"bundle/{}\"", image.path)), "{html}");
    let bytes = std::fs::read(out.join(&image.path)).unwrap();
    assert_eq!(cuecard_engine::hash::content_hash(&bytes), image.sha256);
}

#[test]
fn includes_that_loop_or_leave_the_kb_are_findings() {
    let kb = kb(&[
        ("a.md", "# A\n\n[!include[b](b-inc.md)]\n"),
        ("b-inc.md", "[!include[a](c-inc.md)]\n"),
        ("c-inc.md", "[!include[b](b-inc.md)]\n"),
        ("d.md", "# D\n\n[!INCLUDE [x](../../etc/passwd)]\n"),
    ]);
    let result = check(kb.path());
    let text = stdout(&result);
    assert!(text.contains("includes itself"), "{text}");
    assert!(text.contains("d.md:3: error: the include `../../etc/passwd` leads outside the kb"), "{text}");
}

#[test]
fn missing_images_are_warnings_and_svg_is_not_copied() {
    let kb = kb(&[("a.md", "# A\n\n![gone](img/gone.png)\n\n![vector](img/v.svg)\n"), ("img/v.svg", "<svg onload=\"alert(1)\"/>")]);
    let findings = check_codes(kb.path());
    assert_eq!(findings, [("missing-image".to_string(), "warning".to_string()), ("missing-image".to_string(), "warning".to_string())]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    assert!(!contains(&bundle_bytes(&out), "onload"));
}

#[test]
fn many_findings_of_one_code_are_summarised_and_json_lists_them_all() {
    let links: String = (0..30).map(|n| format!("[x](missing-{n}.md)\n\n")).collect();
    let kb = kb(&[("a.md", &format!("# A\n\n{links}"))]);
    let result = check(kb.path());
    let text = stdout(&result);
    assert_eq!(text.matches("warning: the link goes to article").count(), 3, "{text}");
    assert!(text.contains("... 30 `broken-link` findings in all, 3 shown (`--format json` lists every one)"), "{text}");
    assert_eq!(check_codes(kb.path()).len(), 30);
}

#[test]
fn link_findings_are_warnings_unless_the_kb_raises_them() {
    let files = [("a.md", "# A\n\n[x](missing.md) [y](b.md#nope)\n"), ("b.md", "# B\n\n## Steps\n\n## Step two\n\n## Other\n\n## More\n")];
    let kb = kb(&files);
    let findings = check_codes(kb.path());
    assert_eq!(codes_of(&findings), ["broken-link", "broken-anchor"]);
    assert!(findings.iter().all(|(_, severity)| severity == "warning"));
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success(), "warnings do not stop a build");
    // The anchor finding suggests the three closest headings, not all of them.
    let text = stdout(&check(kb.path()));
    assert!(text.contains("help: the closest it has: #"), "{text}");
    assert_eq!(text.lines().find(|l| l.contains("closest")).unwrap().matches('#').count(), 3, "{text}");

    std::fs::write(kb.path().join("cuecard.yaml"), "severity:\n  broken-link: error\n  broken-anchor: off\n  expired: warning\n").unwrap();
    let findings = check_codes(kb.path());
    assert_eq!(findings, [("broken-link".to_string(), "error".to_string()), ("kb-config".to_string(), "warning".to_string())]);
    assert_eq!(build(kb.path(), &kb.path().join("out2")).status.code(), Some(1));
}

// --- 2. The kb cannot reach outside itself ------------------------------------

#[test]
fn symlinks_out_of_the_kb_are_never_read_or_published() {
    let work = TempDir::new().unwrap();
    let secret = work.path().join("secret.md");
    std::fs::write(&secret, "# Secret\n\nCI_TOKEN=hunter2-do-not-publish\n").unwrap();
    let kb = work.path().join("kb");
    write_files(&kb, &[("en/ok.md", "# OK\n\nFine.\n"), ("cuecard.yaml", "severity: { outside-kb: warning }\n")]);
    std::os::unix::fs::symlink(&secret, kb.join("en/leak.md")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", kb.join("en/env.md")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", kb.join("en/_synonyms.txt")).unwrap();
    std::os::unix::fs::symlink(kb.join("en/nowhere.md"), kb.join("en/dangling.md")).unwrap();
    std::os::unix::fs::symlink(kb.join("en/.#lock"), kb.join("en/.#ok.md")).unwrap();
    std::os::unix::fs::symlink(work.path(), kb.join("en/outside-folder")).unwrap();
    std::fs::create_dir_all(kb.join("shared")).unwrap();
    std::os::unix::fs::symlink(kb.join("shared"), kb.join("en/folder")).unwrap();
    let started = std::time::Instant::now();
    let result = cuecard(&["check", "--kb", kb.to_str().unwrap(), "--format", "json"]);
    assert!(started.elapsed().as_secs() < 30, "no unbounded read");
    let findings: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    let mut found: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_string(), Path::new(f["file"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned()))
        .collect();
    found.sort();
    let expected: Vec<(String, String)> = [("broken-symlink", "dangling.md"), ("folder-link", "folder"), ("outside-kb", "_synonyms.txt"), ("outside-kb", "env.md"), ("outside-kb", "leak.md"), ("outside-kb", "outside-folder")]
        .iter()
        .map(|(c, f)| (c.to_string(), f.to_string()))
        .collect();
    assert_eq!(found, expected);
    // Even with the finding lowered to a warning, nothing outside is published.
    let out = work.path().join("out");
    let result = build(&kb, &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let bytes = bundle_bytes(&out);
    assert!(!contains(&bytes, "hunter2"), "the secret file was published");
    assert!(!contains(&bytes, "PATH="), "the environment was published");
    assert_eq!(manifest(&out).locales[0].articles, 1);
}

#[test]
fn locale_tags_and_paths_cannot_leave_the_kb_or_the_output() {
    let work = TempDir::new().unwrap();
    let kb = work.path().join("kb");
    write_files(&kb, &[("en/a.md", "# A\n"), ("cuecard.yaml", "locales:\n  en: {}\n  ../../escaped: { path: en }\n")]);
    let out = work.path().join("site/bundle");
    let result = build(&kb, &out);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    assert!(stderr(&result).contains("cuecard.yaml:3: error: `../../escaped` is not a locale tag"), "{}", stderr(&result));
    assert!(!work.path().join("escaped").exists() && !out.exists());

    std::fs::create_dir_all(work.path().join("elsewhere")).unwrap();
    std::fs::write(kb.join("cuecard.yaml"), "locales:\n  en: { path: ../elsewhere }\n").unwrap();
    let result = build(&kb, &out);
    assert_eq!(result.status.code(), Some(1));
    assert!(stderr(&result).contains("leads outside the kb"), "{}", stderr(&result));
    std::fs::write(kb.join("cuecard.yaml"), "locales:\n  en: { path: /etc }\n").unwrap();
    assert!(stderr(&build(&kb, &out)).contains("leads outside the kb"));
}

#[test]
fn yaml_alias_bombs_are_findings_not_crashes() {
    let mut bomb = String::from("---\ntitle: Bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for n in 1..12 {
        let p = n - 1;
        bomb.push_str(&format!("a{n}: &a{n} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    bomb.push_str("---\nBody\n");
    let flat = format!("---\na: &a {}\nb: [{}]\n---\n", "x".repeat(3000), vec!["*a"; 6000].join(","));
    let config_bomb = bomb.trim_start_matches("---\n").split("---").next().unwrap().to_string();
    let kb = kb(&[("en/bomb.md", &bomb), ("en/flat.md", &flat), ("en/ok.md", "# OK\n")]);
    let started = std::time::Instant::now();
    let result = check(kb.path());
    assert!(started.elapsed().as_secs() < 30);
    let text = stdout(&result);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(text.matches("expands to more than").count(), 2, "{text}");
    assert!(text.contains("bomb.md:"), "{text}");
    std::fs::write(kb.path().join("cuecard.yaml"), config_bomb).unwrap();
    let result = check(kb.path());
    assert_eq!(result.status.code(), Some(1));
    assert!(stdout(&result).contains("cuecard.yaml:2:"), "{}", stdout(&result));
    assert!(stdout(&result).contains("expands to more than"), "{}", stdout(&result));
}

#[test]
fn deep_nesting_is_a_finding_in_no_time() {
    let quotes = format!("# Deep\n\n{} x\n", ">".repeat(200_000));
    let kb = kb(&[("a.md", &quotes), ("b.md", "# Fine\n\n> > > three\n")]);
    let started = std::time::Instant::now();
    let result = check(kb.path());
    assert!(started.elapsed().as_secs() < 10);
    let text = stdout(&result);
    assert!(text.contains("a.md:3:1: error: blocks are nested 200000 deep here"), "{text}");
    assert_eq!(result.status.code(), Some(1));
}

#[test]
fn non_utf8_file_names_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    let kb = kb(&[("en/ok.md", "# OK\n")]);
    std::fs::write(kb.path().join("en").join(std::ffi::OsStr::from_bytes(b"caf\xe9.md")), "# Latin-1 name\n").unwrap();
    let findings = check_codes(kb.path());
    assert_eq!(codes_of(&findings), ["file-name"]);
    // A folder so named: warned once, and nothing under it is published.
    let folder = kb.path().join("en").join(std::ffi::OsStr::from_bytes(b"r\xe9sum\xe9"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("inside.md"), "# Inside okapi\n").unwrap();
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains("the folder's name is not valid UTF-8, so nothing under it is published (1 Markdown files)"), "{text}");
    assert!(!contains(&bundle_bytes(&out), "okapi"), "an article under it was published");
    assert!(!contains(&bundle_bytes(&out), "\u{fffd}"));
}

#[test]
fn files_over_the_size_limit_are_findings() {
    let kb = kb(&[("a.md", "# A\n")]);
    let big = std::fs::File::create(kb.path().join("big.md")).unwrap();
    big.set_len(5 << 20).unwrap();
    assert_eq!(codes_of(&check_codes(kb.path())), ["too-large"]);
}

// --- 3. Publishing is additive and safe ------------------------------------------

#[test]
fn out_must_be_empty_or_a_cuecard_bundle() {
    let kb = kb(&[("a.md", "# A\n"), ("site/manifest.json", "{\"name\": \"some web app\"}")]);
    let result = build(kb.path(), &kb.path().join("site"));
    assert_eq!(result.status.code(), Some(2));
    assert!(stderr(&result).contains("holds no Cuecard bundle"), "{}", stderr(&result));
    assert_eq!(std::fs::read_to_string(kb.path().join("site/manifest.json")).unwrap(), "{\"name\": \"some web app\"}");
}

#[test]
fn a_publish_keeps_earlier_files_for_open_apps_until_the_grace_period_ends() {
    let kb = kb(&[("en/a.md", "---\nsummary: About A.\n---\n# A\n\nOne.\n"), ("en/b.md", "# B\n")]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    let first = manifest(&out);
    std::fs::write(kb.path().join("en/a.md"), "---\nsummary: About A.\n---\n# A\n\nTwo.\n").unwrap();
    let result = build(kb.path(), &out);
    assert!(result.status.success());
    let second = manifest(&out);
    // One of two articles changed: more than a tenth, so the whole index
    // gets a new base (and revisions file); its title did not, so the first
    // tiers are the same files. With the text and article file and the
    // bucket lists that name them: 5 retired.
    assert_ne!(first.locales[0].index.base.path, second.locales[0].index.base.path);
    assert_eq!(first.locales[0].head, second.locales[0].head);
    assert_eq!(first.locales[0].titles, second.locales[0].titles);
    // Every file of both manifests is there: an app on the first keeps working.
    for path in named_files(&out, &first).into_iter().chain(named_files(&out, &second)) {
        assert!(out.join(&path).is_file(), "{path} is gone: {:?}", list_files(&out));
    }
    assert!(stderr(&result).contains("5 files of earlier builds retired, 0 deleted"), "{}", stderr(&result));
    // A build after the grace period deletes what no current manifest names.
    let result = cuecard(&["build", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--keep-old", "0s"]);
    assert!(result.status.success());
    let third = manifest(&out);
    let mut named = named_files(&out, &third);
    named.push("manifest.json".into());
    named.sort();
    let mut on_disk: Vec<String> = list_files(&out).iter().map(|p| p.to_string_lossy().into_owned()).filter(|p| !p.contains("/.") && !p.starts_with('.')).collect();
    on_disk.sort();
    assert_eq!(on_disk, named, "only what the current manifest names is left");
}

#[test]
fn a_one_article_publish_keeps_the_index_bases_and_adds_a_small_delta() {
    let files: Vec<(String, String)> = (0..30)
        .map(|n| {
            let body: String = (0..40).map(|k| format!("Routers and modems, part {n}, line {k} of word{n}x{k}. ")).collect();
            (format!("en/topic-{n}.md"), format!("---\nsummary: Topic {n}.\n---\n# Topic {n}\n\n{body}\n"))
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let kb = kb(&refs);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    let first = manifest(&out);
    let edited = kb.path().join("en/topic-7.md");
    std::fs::write(&edited, std::fs::read_to_string(&edited).unwrap() + "\nQuasarword modems too.\n").unwrap();
    let result = build(kb.path(), &out);
    assert!(result.status.success(), "{}", stderr(&result));
    let second = manifest(&out);
    let (before, after) = (&first.locales[0], &second.locales[0]);
    assert_eq!(before.titles, after.titles, "a body edit leaves the titles tier as it is");
    assert_eq!(before.head, after.head, "and the head");
    assert_eq!(before.index.base, after.index.base, "the whole index keeps its base");
    let delta = after.index.delta.as_ref().expect("and gets a delta");
    assert!(delta.bytes < after.index.base.bytes / 2, "{} vs {}", delta.bytes, after.index.base.bytes);
    let open = |tier: &cuecard_engine::manifest::TierFiles| {
        cuecard_engine::LocaleIndex::open_verified_parts(tier.parts().map(|f| (std::fs::read(out.join(&f.path)).unwrap(), f)).collect()).unwrap()
    };
    let index = open(&after.index);
    assert_eq!(index.num_articles(), 30);
    assert_eq!(index.search("quasarword", 5).hits.into_iter().map(|h| h.id).collect::<Vec<_>>(), ["topic-7"]);
    assert_eq!(index.search("modems", 50).total, 30, "the old copy of topic-7 is deleted, not found beside the new");
    // Many changes at once: new bases, no deltas.
    for n in 0..10 {
        std::fs::write(kb.path().join(format!("en/topic-{n}.md")), format!("# Renamed topic {n}\n")).unwrap();
    }
    assert!(build(kb.path(), &out).status.success());
    let third = manifest(&out);
    let tiers = &third.locales[0];
    assert!(tiers.index.delta.is_none() && tiers.head.delta.is_none() && tiers.titles.delta.is_none());
    assert_ne!(third.locales[0].index.base, after.index.base);
}

#[test]
fn files_left_by_a_killed_build_are_cleared_and_never_block() {
    let kb = kb(&[("en/a.md", "# A\n")]);
    let out = kb.path().join("out");
    assert!(build(kb.path(), &out).status.success());
    std::fs::write(out.join(".tmp-99999-manifest.json"), "half").unwrap();
    std::fs::write(out.join("en/.tmp-99999-index.ccz"), "half").unwrap();
    assert!(build(kb.path(), &out).status.success());
    let leftovers: Vec<_> = list_files(&out).into_iter().filter(|p| p.to_string_lossy().contains(".tmp-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn concurrent_builds_never_leave_a_broken_bundle() {
    let kb = kb(&[("en/a.md", "# A\n\nAlpha.\n"), ("en/b.md", "# B\n\nBeta.\n")]);
    let out = kb.path().join("out");
    let bin = env!("CARGO_BIN_EXE_cuecard");
    for round in 0..12 {
        std::fs::write(kb.path().join("en/a.md"), format!("# A\n\nRound {round}.\n")).unwrap();
        let spawn = || Command::new(bin).args(["build", "--kb", kb.path().to_str().unwrap(), "--out", out.to_str().unwrap()]).output();
        let (one, two) = std::thread::scope(|s| {
            let a = s.spawn(spawn);
            let b = s.spawn(spawn);
            (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
        });
        for result in [&one, &two] {
            if !result.status.success() {
                let text = stderr(result);
                assert!(text.contains("another build is publishing into"), "round {round}: {text}");
                assert!(!text.contains("built "), "a refused build says it built nothing: {text}");
            }
        }
        assert!(one.status.success() || two.status.success(), "round {round}: one build wins");
        let manifest = manifest(&out);
        for file in manifest.files() {
            let bytes = std::fs::read(out.join(&file.path)).unwrap();
            assert_eq!(cuecard_engine::hash::content_hash(&bytes), file.sha256, "round {round}: {}", file.path);
        }
    }
}

// --- 4. Front matter and compliance rules cannot be dodged by accident ---------

const DISCLOSURE: &str = "---\nrequired_for: { categories: [regulated], tags: [card-payment] }\n---\nThis call is recorded.\n";

#[test]
fn front_matter_with_trailing_blanks_crlf_cr_or_bom_is_read() {
    let expired = "---\ntitle: Old offer\ncategory: regulated\nexpires: 2020-01-01\ninternal: do not show agents\n---\n# Old offer\n\nText.\n";
    for (name, text) in [
        ("trailing", expired.replacen("---\n", "--- \n", 1)),
        ("crlf", expired.replace('\n', "\r\n")),
        ("cr-only", expired.replace('\n', "\r")),
        ("bom", format!("\u{feff}{expired}")),
    ] {
        let kb = kb(&[("en/a.md", &text), ("en/_disclosures/recording.md", DISCLOSURE)]);
        let mut findings = codes_of(&check_codes(kb.path())).into_iter().map(str::to_string).collect::<Vec<_>>();
        findings.sort();
        assert_eq!(findings, ["expired", "missing-disclosure"], "{name}");
    }
}

#[test]
fn toml_json_and_unclosed_front_matter_are_findings() {
    let kb = kb(&[
        ("toml.md", "+++\ntitle = \"T\"\n+++\nBody\n"),
        ("json.md", "{\n\"title\": \"T\"\n}\nBody\n"),
        ("open.md", "---\ntitle: T\ninternal: secret\n\nBody\n"),
    ]);
    let findings = check_codes(kb.path());
    assert_eq!(findings.len(), 3, "{findings:?}");
    assert!(findings.iter().all(|(code, severity)| code == "front-matter" && severity == "error"), "{findings:?}");
}

#[test]
fn tags_and_categories_are_compared_in_lower_case() {
    let kb = kb(&[
        ("en/pay.md", "---\ntags: [Card-Payment]\n---\n# Pay\n"),
        ("en/reg.md", "---\ncategory: Regulated\n---\n# Reg\n"),
        ("en/_disclosures/recording.md", DISCLOSURE),
    ]);
    assert_eq!(codes_of(&check_codes(kb.path())), ["missing-disclosure", "missing-disclosure"]);
}

#[test]
fn disclosure_rules_follow_the_fallback_chain_and_need_the_locales_own_text() {
    let kb = kb(&[
        ("cuecard.yaml", "default_locale: en-US\nlocales:\n  en-US: {}\n  ja-JP: { fallback: [en-US] }\n"),
        ("en-US/pay.md", "---\ntags: [card-payment]\n---\n# Pay\n\n```disclosure recording\n```\n"),
        ("en-US/_disclosures/recording.md", DISCLOSURE),
        ("ja-JP/pay.md", "---\ntags: [card-payment]\n---\n# 支払い\n"),
    ]);
    let result = check(kb.path());
    let text = stdout(&result);
    assert_eq!(result.status.code(), Some(1));
    assert!(text.contains("ja-JP/pay.md:2: error: the article must carry the disclosure `recording` (every article tagged `card-payment` must carry it, by the rule of en-US), but ja-JP has no text for it"), "{text}");
}

#[test]
fn drafts_and_unpublished_articles_never_reach_the_bundle() {
    let kb = kb(&[
        ("cuecard.yaml", "audiences: [{ id: internal, name: Internal staff }]\n"),
        ("a.md", "# Public\n\nSee [the draft](b.md) and [internal](c.md).\n"),
        ("b.md", "---\ndraft: true\n---\n# Draft zebrafish\n"),
        ("d.md", "---\npublished: false\n---\n# Unpublished okapi\n"),
        ("c.md", "---\naudience: [internal]\ntags: [shared]\n---\n# Internal narwhal escalation\n\nSupervisor override code quetzal.\n"),
        ("e.md", "---\ntags: [shared]\n---\n# Public sibling\n"),
    ]);
    let out = kb.path().join("out");
    let result = build(kb.path(), &out);
    let text = stderr(&result);
    assert!(result.status.success(), "{text}");
    assert!(text.contains("published 2 of 5 articles; left out: 2 drafts, 1 only for `internal`"), "{text}");
    assert!(text.contains("warning: the link goes to `b`, a draft, which is not published"), "{text}");
    assert!(text.contains("warning: the link goes to `c`, which this audience build leaves out"), "{text}");
    let bytes = bundle_bytes(&out);
    for secret in ["zebrafish", "okapi", "narwhal", "quetzal"] {
        assert!(!contains(&bytes, secret), "{secret} is in the everyone bundle");
    }
    // The internal build has it, and its derived data (related articles).
    let internal = kb.path().join("internal");
    let result = cuecard(&["build", "--kb", kb.path().to_str().unwrap(), "--out", internal.to_str().unwrap(), "--audience", "internal"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(contains(&bundle_bytes(&internal), "narwhal"));
    assert!(!contains(&bundle_bytes(&internal), "zebrafish"), "drafts are in no build");
}

#[test]
fn kb_text_cannot_inject_ci_workflow_commands() {
    let kb = kb(&[
        ("cuecard.yaml", "categories: [billing]\n"),
        ("a.md", "---\ncategory: \"x\\n::error file=ci.yml::owned\"\n---\n# A\n"),
        ("b\n::warning::named.md", "---\ntitle: [\n---\n"),
    ]);
    for args in [vec!["check"], vec!["build", "--out", "OUT"]] {
        let out = kb.path().join("out");
        let mut full: Vec<&str> = args.iter().map(|a| if *a == "OUT" { out.to_str().unwrap() } else { a }).collect();
        full.extend(["--kb", kb.path().to_str().unwrap()]);
        let result = cuecard(&full);
        let all = format!("{}{}", stdout(&result), stderr(&result));
        assert!(all.contains("owned"), "{all}");
        for line in all.lines() {
            assert!(!line.trim_start().starts_with("::"), "a kb value starts a line: {line}");
        }
    }
}

#[test]
fn the_job_summary_lists_every_finding_with_kb_text_escaped() {
    let mut files: Vec<(String, String)> = vec![("cuecard.yaml".into(), "categories: [billing]\n".into())];
    // More findings of one kind than GitHub shows as annotations (10).
    for n in 0..12 {
        files.push((format!("a{n}.md"), format!("# A{n}\n\nSee [gone](missing-{n}.md).\n")));
    }
    files.push(("b.md".into(), "---\ncategory: \"x | ![img](https://evil.example/p.png) <script>\"\n---\n# B\n".into()));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let kb = kb(&files);
    let summary = kb.path().join("summary.md");
    let result = support::cuecard_with_env(&["check", "--kb", kb.path().to_str().unwrap(), "--format", "github"], &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())]);
    assert_eq!(result.status.code(), Some(1), "{}", stderr(&result));
    let table = std::fs::read_to_string(&summary).unwrap();
    assert!(table.starts_with("### cuecard check: 1 error, 12 warnings"), "{table}");
    assert_eq!(table.lines().filter(|l| l.starts_with("| warning |")).count(), 12, "every finding, past GitHub's 10 annotations: {table}");
    let row = table.lines().find(|l| l.contains("unknown category")).unwrap();
    assert!(row.contains("x \\| \\!\\[img\\]\\(https://evil.example/p.png\\) &lt;script&gt;"), "{row}");
    assert_eq!(row.matches(" | ").count(), 3, "the kb's `|` does not add a cell: {row}");
}

// --- 5. The corpus of hostile inputs --------------------------------------------

#[test]
fn every_hostile_input_yields_its_finding_and_nothing_else() {
    let corpus = repo().join("tests/fixtures/hostile-inputs");
    let expected: Vec<(String, String)> = std::fs::read_to_string(corpus.join("expected.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (file, code) = l.split_once('\t').unwrap();
            (file.to_string(), code.to_string())
        })
        .collect();
    let result = cuecard(&["check", "--kb", corpus.to_str().unwrap(), "--today", "2026-11-25", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&result.stdout).unwrap();
    let mut found: Vec<(String, String)> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (Path::new(f["file"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned(), f["code"].as_str().unwrap().to_string()))
        .collect();
    found.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(found, expected);
}
