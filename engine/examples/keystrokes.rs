//! Native keystroke timings, for `cargo xtask bench`: types every query of a
//! file one character at a time against a built bundle's locale and reports
//! p50/p95/max of each search stage in milliseconds, as JSON.
//!
//! usage: cargo run --release -p cuecard-engine --example keystrokes -- BUNDLE_DIR LOCALE QUERIES_FILE

use std::time::Instant;

use cuecard_engine::LocaleIndex;
use cuecard_engine::facets::Filters;
use cuecard_engine::manifest::{MANIFEST_FILE, Manifest};
use cuecard_engine::text_store::TextFile;

/// The app's result limit.
const LIMIT: usize = 10;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [bundle, locale, queries] = args.as_slice() else {
        return Err("usage: keystrokes BUNDLE_DIR LOCALE QUERIES_FILE".into());
    };
    let bundle = std::path::Path::new(bundle);
    let manifest = Manifest::from_json(&std::fs::read_to_string(bundle.join(MANIFEST_FILE))?)?;
    let entry = manifest
        .locale(locale)
        .ok_or_else(|| format!("the bundle has no locale {locale}"))?;
    let mut parts = Vec::new();
    for part in entry.index.parts() {
        parts.push((std::fs::read(bundle.join(&part.path))?, part));
    }
    let index = LocaleIndex::open_verified_parts(parts)?;
    // Every text at hand, as if the app had fetched the hits' text files.
    let mut texts = TextFile::new();
    let buckets: cuecard_engine::manifest::BucketFiles = entry.buckets.read_json(&std::fs::read(bundle.join(&entry.buckets.path))?)?;
    for file in &buckets.text_files {
        texts.append(&mut file.read_json::<TextFile>(&std::fs::read(bundle.join(&file.path))?)?);
    }
    let queries = std::fs::read_to_string(queries)?;
    let filters = Filters::default();
    let (mut first, mut second, mut whole) = (Vec::new(), Vec::new(), Vec::new());
    // One throwaway search, as the app warms up once the index is loaded.
    let _ = index.search("a", LIMIT);
    for query in queries.lines().map(str::trim).filter(|q| !q.is_empty()) {
        let chars: Vec<char> = query.chars().collect();
        for end in 1..=chars.len() {
            let typed: String = chars[..end].iter().collect();
            let started = Instant::now();
            let (results, pending) = index.first_stage(&typed, &filters, LIMIT);
            let first_done = Instant::now();
            let details = index.second_stage(&pending, &texts);
            let done = Instant::now();
            std::hint::black_box((results, details));
            first.push(ms(first_done - started));
            second.push(ms(done - first_done));
            whole.push(ms(done - started));
        }
    }
    println!(
        "{{\"locale\": \"{locale}\", \"keystrokes\": {}, \"first_stage_ms\": {}, \"second_stage_ms\": {}, \"both_ms\": {}}}",
        first.len(),
        stats(&mut first),
        stats(&mut second),
        stats(&mut whole)
    );
    Ok(())
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn stats(samples: &mut [f64]) -> String {
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| {
        samples[((p / 100.0 * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1]
    };
    format!(
        "{{\"median\": {:.3}, \"p95\": {:.3}, \"max\": {:.3}}}",
        at(50.0),
        at(95.0),
        samples[samples.len() - 1]
    )
}
