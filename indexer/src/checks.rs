//! Checks across articles and locales, after every article is parsed:
//! links and heading anchors, disclosures, review and expiry dates,
//! translations and their freshness, and articles missing in a locale.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use crate::article::Article;
use crate::compile::{CompiledKb, CompiledLocale};
use crate::diagnostics::{Diagnostic, Finding};
use crate::kb::ArticleSource;
use crate::markdown::ANCHOR_PREFIX;

/// Every cross-article finding of `kb`, as of `today`.
pub fn check(kb: &CompiledKb, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let source_locale = kb.locales.iter().find(|l| l.locale.tag == kb.layout.default_locale);
    for locale in &kb.locales {
        let chain: Vec<&CompiledLocale> = std::iter::once(locale)
            .chain(locale.locale.fallback.iter().filter_map(|tag| kb.locales.iter().find(|l| &l.locale.tag == tag)))
            .collect();
        for (source, article) in &locale.articles {
            let mut findings = Vec::new();
            links(article, &chain, &mut findings);
            disclosures(article, locale, &mut findings);
            dates(article, today, &mut findings);
            if locale.locale.tag != kb.layout.default_locale {
                if let Some(source_locale) = source_locale {
                    translation(article, source_locale, &mut findings);
                }
            }
            out.extend(findings.into_iter().map(|f| f.in_file(&source.path)));
        }
    }
    if let Some(source_locale) = source_locale {
        for locale in kb.locales.iter().filter(|l| l.locale.tag != source_locale.locale.tag) {
            missing_translations(source_locale, locale, &mut out);
        }
    }
    out
}

/// Heading anchors of an article, without the prefix (`eligibility`).
fn anchors(article: &Article) -> BTreeSet<&str> {
    article.rendered.headings.iter().map(|h| h.anchor.strip_prefix(ANCHOR_PREFIX).unwrap_or(&h.anchor)).collect()
}

fn links(article: &Article, chain: &[&CompiledLocale], findings: &mut Vec<Finding>) {
    for link in &article.rendered.links {
        let target = match &link.article {
            None => Some(article),
            Some(id) => chain.iter().find_map(|l| l.article(id)).map(|(_, a)| a),
        };
        let Some(target) = target else {
            let id = link.article.as_deref().unwrap_or_default();
            let ids: Vec<&str> = chain[0].articles.iter().map(|(_, a)| a.id.as_str()).collect();
            let hint = ids
                .iter()
                .min_by_key(|candidate| strsim::levenshtein(id, candidate))
                .filter(|candidate| strsim::levenshtein(id, candidate) <= id.len() / 3 + 1)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            findings.push(
                Finding::error(
                    "broken-link",
                    link.line,
                    format!("the link goes to article `{id}`, which does not exist in {}", chain[0].locale.tag),
                    format!("{hint}link to an article's path relative to this file, e.g. `[Refunds](../billing/refund-annual-plan.md)`"),
                )
                .at_column(link.column),
            );
            continue;
        };
        if let Some(anchor) = &link.anchor {
            let wanted = anchor.strip_prefix(ANCHOR_PREFIX).unwrap_or(anchor);
            let available = anchors(target);
            if !available.contains(wanted) {
                let list: Vec<&str> = available.iter().copied().collect();
                findings.push(
                    Finding::error(
                        "broken-anchor",
                        link.line,
                        format!("the link goes to heading `#{anchor}`, which `{}` does not have", target.id),
                        if list.is_empty() {
                            "that article has no headings: link to the article itself".to_string()
                        } else {
                            format!("its headings are: {}", list.iter().map(|a| format!("#{a}")).collect::<Vec<_>>().join(", "))
                        },
                    )
                    .at_column(link.column),
                );
            }
        }
    }
}

fn disclosures(article: &Article, locale: &CompiledLocale, findings: &mut Vec<Finding>) {
    let tag = &locale.locale.tag;
    let known = || locale.disclosures.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
    for block in &article.rendered.disclosure_blocks {
        if block.id.is_empty() {
            findings.push(Finding::error("unknown-disclosure", block.line, "the disclosure block does not name a disclosure", format!("write ```disclosure ID, with one of: {}", known())).at_column(block.column));
        } else if !block.known {
            findings.push(
                Finding::error(
                    "unknown-disclosure",
                    block.line,
                    format!("there is no disclosure `{}` in {tag}", block.id),
                    format!("create {tag}/_disclosures/{}.md with its verbatim text, or use one of: {}", block.id, known()),
                )
                .at_column(block.column),
            );
        } else if block.has_own_text {
            findings.push(
                Finding::error(
                    "disclosure-text",
                    block.line,
                    format!("the `{}` block has text of its own; disclosure text is defined once, in {tag}/_disclosures/{}.md", block.id, block.id),
                    "leave the block empty: the approved text is put in when the kb is built",
                )
                .at_column(block.column),
            );
        }
    }
    let carried: BTreeSet<&str> = article.rendered.disclosure_blocks.iter().map(|b| b.id.as_str()).collect();
    let field_line = article.meta.line_of("disclosures", article.front_matter_line);
    for id in &article.meta.disclosures {
        if !locale.disclosures.contains_key(id) {
            findings.push(Finding::error(
                "unknown-disclosure",
                field_line,
                format!("`disclosures` names `{id}`, which does not exist in {tag}"),
                format!("create {tag}/_disclosures/{id}.md, or use one of: {}", known()),
            ));
        } else if !carried.contains(id.as_str()) {
            findings.push(missing_disclosure(id, field_line, "the article lists it in `disclosures`"));
        }
    }
    for disclosure in locale.disclosures.values() {
        if carried.contains(disclosure.id.as_str()) || article.meta.disclosures.contains(&disclosure.id) {
            continue;
        }
        let by_category = article.meta.category.as_ref().filter(|c| disclosure.required_for.categories.contains(c));
        let by_tag = article.meta.tags.iter().find(|t| disclosure.required_for.tags.contains(t));
        let reason = match (by_category, by_tag) {
            (Some(category), _) => format!("every `{category}` article must carry it"),
            (None, Some(tag)) => format!("every article tagged `{tag}` must carry it"),
            (None, None) => continue,
        };
        let line = if by_category.is_some() { article.meta.line_of("category", article.front_matter_line) } else { article.meta.line_of("tags", article.front_matter_line) };
        findings.push(missing_disclosure(&disclosure.id, line, &reason));
    }
}

fn missing_disclosure(id: &str, line: usize, reason: &str) -> Finding {
    Finding::error(
        "missing-disclosure",
        line,
        format!("the article must carry the disclosure `{id}` ({reason}), but has no ```disclosure {id} block"),
        format!("add a block where the agent reads it out:\n\n    ```disclosure {id}\n    ```"),
    )
}

fn dates(article: &Article, today: Date, findings: &mut Vec<Finding>) {
    if let Some(expires) = article.meta.expires.filter(|e| *e < today) {
        let days = days_between(expires, today);
        findings.push(Finding::error(
            "expired",
            article.meta.line_of("expires", article.front_matter_line),
            format!("the article expired on {expires} ({days} days ago)"),
            "review it and set a later `expires:`, or delete the article so agents stop seeing it",
        ));
    } else if let Some(due) = article.meta.review_due().filter(|d| *d < today) {
        let days = days_between(due, today);
        findings.push(Finding::warning(
            "review-overdue",
            article.meta.line_of("reviewed", article.front_matter_line),
            format!("the review was due on {due} ({days} days ago)"),
            format!("review the article, then set `reviewed: {today}`"),
        ));
    }
}

fn days_between(from: Date, to: Date) -> i32 {
    from.until(to).map(|span| span.get_days()).unwrap_or(0)
}

fn translation(article: &Article, source_locale: &CompiledLocale, findings: &mut Vec<Finding>) {
    if !article.meta.is_translation() {
        return;
    }
    let source_id = article.meta.source_id.as_deref().unwrap_or(&article.id);
    let tag = &source_locale.locale.tag;
    let line = article.meta.line_of("source_id", article.meta.line_of("source_revision", article.front_matter_line));
    let Some((_, source)) = source_locale.article(source_id) else {
        findings.push(Finding::error(
            "orphan-translation",
            line,
            format!("this is a translation of `{source_id}`, which does not exist in {tag}"),
            format!("set `source_id:` to the {tag} article's id, or remove `source_id`/`source_revision` if this article exists only in this locale"),
        ));
        return;
    };
    if let Some(recorded) = &article.meta.source_revision {
        if *recorded != source.revision {
            findings.push(Finding::warning(
                "translation-outdated",
                article.meta.line_of("source_revision", line),
                format!("translated from revision {recorded} of `{source_id}`, but the {tag} article is now at revision {}", source.revision),
                format!("update the translation from the {tag} article, then set `source_revision: {}`", source.revision),
            ));
        }
    }
}

/// Group of an article for "most of its siblings": its folder.
fn group_of(id: &str) -> &str {
    id.rsplit_once('/').map_or("", |(folder, _)| folder)
}

fn missing_translations(source: &CompiledLocale, locale: &CompiledLocale, out: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<&str, Vec<&(ArticleSource, Article)>> = BTreeMap::new();
    for entry in &source.articles {
        groups.entry(group_of(&entry.1.id)).or_default().push(entry);
    }
    let has = |id: &str| locale.articles.iter().any(|(_, a)| a.id == id || a.meta.source_id.as_deref() == Some(id));
    for (group, members) in groups {
        let present = members.iter().filter(|(_, a)| has(&a.id)).count();
        if present * 2 <= members.len() || present == members.len() {
            continue;
        }
        for (file, article) in members.iter().filter(|(_, a)| !has(&a.id)) {
            let folder = if group.is_empty() { "top-level".to_string() } else { format!("`{group}`") };
            out.push(
                Finding::warning(
                    "missing-translation",
                    article.front_matter_line,
                    format!("no {} version of `{}`, while {present} of {} {folder} articles have one", locale.locale.tag, article.id, members.len()),
                    format!("translate it into {}/{}, or accept that agents see the {} article", locale.locale.tag, file.path_in_locale, source.locale.tag),
                )
                .in_file(&file.path),
            );
        }
    }
}
