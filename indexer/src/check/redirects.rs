//! A locale's redirects, from its articles' `redirect_from`: the map the
//! bundle ships ([`Redirects`]) and what is wrong with it. An old id that
//! is a live article stays that article's (two articles naming each other
//! are a cycle); an old id two articles claim goes to neither; an article
//! listing its own id is told so. Each is reported on the article that
//! lists the old id, at its `redirect_from` line.

use std::collections::{BTreeMap, HashMap};

use cuecard_engine::redirects::Redirects;

use crate::check::compile::CompiledLocale;
use crate::findings::diagnostics::{Diagnostic, Finding};

/// The redirects of `locale`, and the findings on them.
pub fn redirects_of(locale: &CompiledLocale) -> (Redirects, Vec<Diagnostic>) {
    let mut claims: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (n, (_, article)) in locale.articles.iter().enumerate() {
        for old in &article.meta.redirect_from {
            let old = old_id(old);
            if !claims.get(old).is_some_and(|c| c.contains(&n)) {
                claims.entry(old).or_default().push(n);
            }
        }
    }
    let mut map = HashMap::new();
    let mut out = Vec::new();
    // Findings go on the article's `redirect_from` line.
    let report = |n: usize, finding: Finding, out: &mut Vec<Diagnostic>| {
        let (source, article) = &locale.articles[n];
        let line = article.meta.line_of("redirect_from", article.front_matter_line);
        out.push(Finding { line, ..finding }.in_file(&source.path));
    };
    for (old, claimants) in &claims {
        let [n] = claimants.as_slice() else {
            for &n in claimants {
                let others: Vec<String> = claimants.iter().filter(|&&m| m != n).map(|&m| format!("`{}`", locale.articles[m].1.id)).collect();
                report(
                    n,
                    Finding::error(
                        "redirect-claimed-twice",
                        0,
                        format!("`{old}` is listed in `redirect_from` here and in {}: old links cannot go to both", others.join(", ")),
                        format!("keep `{old}` in the `redirect_from` of the one article it became, and remove it from the others"),
                    ),
                    &mut out,
                );
            }
            continue;
        };
        let id = &locale.articles[*n].1.id;
        if old == id {
            report(
                *n,
                Finding::warning("redirect-self", 0, format!("`redirect_from` lists the article's own id `{old}`"), "remove it: an article need not redirect to itself"),
                &mut out,
            );
            continue;
        }
        if let Some((live_source, live)) = locale.article(old) {
            let cycle = live.meta.redirect_from.iter().any(|o| old_id(o) == id);
            let message = if cycle {
                format!("redirect cycle: this article lists `{old}` as an old id, and `{old}` lists this one (`{id}`)")
            } else {
                format!("`{old}` is listed as an old id, but the article `{old}` exists ({}): old links open it, not this one", live_source.path.display())
            };
            report(
                *n,
                Finding::error("redirect-live-id", 0, message, format!("remove `{old}` from `redirect_from`, or retire the article `{old}` first")),
                &mut out,
            );
            continue;
        }
        map.insert(old.to_string(), id.clone());
    }
    (map.into_iter().collect(), out)
}

/// An old id as written: a path (`/billing/old-refunds/`, `billing/old.md`)
/// or an id (`billing/old`).
fn old_id(written: &str) -> &str {
    let id = written.trim().trim_matches('/');
    id.strip_suffix(".md").or_else(|| id.strip_suffix(".html")).unwrap_or(id)
}

/// The redirects of every locale of a kb, by tag.
pub fn redirects_by_locale(locales: &[CompiledLocale]) -> (HashMap<String, Redirects>, Vec<Diagnostic>) {
    let mut maps = HashMap::new();
    let mut out = Vec::new();
    for locale in locales {
        let (map, findings) = redirects_of(locale);
        maps.insert(locale.locale.tag.clone(), map);
        out.extend(findings);
    }
    (maps, out)
}
