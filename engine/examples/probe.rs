//! Ad-hoc: search a built bundle from the command line (development aid).
//! `cargo run --release -p cuecard-engine --example probe -- BUNDLE_DIR LOCALE QUERY...`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::Path::new(&args[0]);
    let manifest = cuecard_engine::Manifest::from_json(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let locale = manifest.locale(&args[1]).unwrap();

    let mut texts = cuecard_engine::text_store::TextFile::new();
    let buckets: cuecard_engine::manifest::BucketFiles = locale.buckets.read_json(&std::fs::read(dir.join(&locale.buckets.path)).unwrap()).unwrap();
    for part in &buckets.text_files {
        texts.append(&mut part.read_json(&std::fs::read(dir.join(&part.path)).unwrap()).unwrap());
    }
    let parts = locale.index.parts().map(|f| (std::fs::read(dir.join(&f.path)).unwrap(), f)).collect();
    let index = cuecard_engine::LocaleIndex::open_verified_parts(parts).unwrap().with_texts(texts);
    for query in &args[2..] {
        let started = std::time::Instant::now();
        let results = index.search(query, 10);
        println!("{query:?}: {} total in {:?}", results.total, started.elapsed());
        for hit in results.hits {
            let section = hit.section.map(|s| format!(" §{}", s.title)).unwrap_or_default();
            println!("  {:6.2} {}{section}  | {}", hit.score, hit.id, hit.snippet.text.chars().take(80).collect::<String>().replace('\n', " "));
        }
    }
}
