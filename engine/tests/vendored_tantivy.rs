//! The vendored tantivy (vendor/README.md) prints facets exactly as the
//! crates.io release does: its one change replaces a regex by a loop.

use tantivy::schema::Facet;

/// Upstream's `escape_slashes`, verbatim but for the `Lazy`.
fn upstream_escape(step: &str) -> String {
    regex::Regex::new(r"[\\/]").unwrap().replace_all(step, "\\/").into_owned()
}

#[test]
fn facets_print_as_upstream_prints_them() {
    let steps: [&[&str]; 5] = [&["billing"], &["a/b", "c"], &["back\\slash"], &["", "x//y"], &["日本", "ü/\\/"]];
    for steps in steps {
        let facet = Facet::from_path(steps.iter().copied());
        let expected: String = steps.iter().map(|s| format!("/{}", upstream_escape(s))).collect();
        assert_eq!(facet.to_string(), expected);
        assert_eq!(format!("{facet:?}"), format!("Facet({expected})"));
    }
}
