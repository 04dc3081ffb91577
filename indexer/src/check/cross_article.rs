//! Checks across articles and locales, after every article is parsed:
//! links (pointed at articles that moved, see [`crate::check::redirects`]) and
//! heading anchors, disclosures, review and expiry dates,
//! translations and their freshness, and articles missing in a locale.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use cuecard_engine::redirects::Redirects;
use jiff::civil::Date;

use crate::article::Article;
use crate::article::markdown::ANCHOR_PREFIX;
use crate::check::compile::{CompiledKb, CompiledLocale, Unpublished};
use crate::findings::diagnostics::{Diagnostic, Finding};
use crate::kb::ArticleSource;

/// Every cross-article finding of `kb`, as of `today`.
pub fn check(kb: &CompiledKb, today: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let source_locale = kb.locales.iter().find(|l| l.locale.tag == kb.layout.default_locale);
    for locale in &kb.locales {
        let chain: Vec<&CompiledLocale> = std::iter::once(locale)
            .chain(locale.locale.fallback.iter().filter_map(|tag| kb.locales.iter().find(|l| &l.locale.tag == tag)))
            .collect();
        let ids = IdIndex::new(locale);
        let requirements = requirements(&chain);
        let unpublished = kb.unpublished.get(&locale.locale.tag);
        for (source, article) in &locale.articles {
            let mut findings = Vec::new();
            links(article, &chain, &ids, unpublished, &mut findings);
            disclosures(article, locale, &requirements, &mut findings);
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

/// Links to an article that moved (an old id in some article's
/// `redirect_from`, a `link-redirect` warning) or to an id that differs
/// from a real one only in letter case (docs hosts resolve them; real trees
/// are full of them: a `link-case` warning): each is pointed at the one
/// article it means, in the link data and in the HTML. Ids that match
/// several articles stay broken.
pub fn resolve_moved_links(kb: &mut CompiledKb, redirects: &HashMap<String, Redirects>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut fixes: Vec<(usize, usize, usize, String)> = Vec::new();
    for (l, locale) in kb.locales.iter().enumerate() {
        let chain: Vec<&CompiledLocale> = std::iter::once(locale)
            .chain(locale.locale.fallback.iter().filter_map(|tag| kb.locales.iter().find(|x| &x.locale.tag == tag)))
            .collect();
        for (a, (source, article)) in locale.articles.iter().enumerate() {
            for (k, link) in article.rendered.links.iter().enumerate() {
                let Some(id) = &link.article else { continue };
                if chain.iter().any(|c| c.article(id).is_some()) {
                    continue;
                }
                let moved = chain.iter().find_map(|c| redirects.get(&c.locale.tag)?.target(id));
                let finding = if let Some(target) = moved {
                    fixes.push((l, a, k, target.to_string()));
                    Finding::warning(
                        "link-redirect",
                        link.line,
                        format!("the link goes to `{id}`, an old id of `{target}` (its `redirect_from`); it is linked there"),
                        format!("link to `{target}` itself"),
                    )
                } else if let Some((_, target)) = chain.iter().find_map(|c| c.article_ignoring_case(id)) {
                    fixes.push((l, a, k, target.id.clone()));
                    Finding::warning(
                        "link-case",
                        link.line,
                        format!("the link goes to `{id}`, which exists as `{}` (letter case differs); it is linked there", target.id),
                        format!("write the path with the file's own letter case, `{}`", target.id),
                    )
                } else {
                    continue;
                };
                out.push(finding.at_column(link.column).in_file(&source.path));
            }
        }
    }
    // One pass over each article's HTML, however many of its links change
    // (a table of contents may hold thousands).
    let mut per_article: BTreeMap<(usize, usize), HashMap<String, String>> = BTreeMap::new();
    for (l, a, k, id) in fixes {
        let link = &mut kb.locales[l].articles[a].1.rendered.links[k];
        if let Some(from) = link.article.replace(id.clone()) {
            per_article.entry((l, a)).or_default().insert(from, id);
        }
    }
    for ((l, a), renames) in per_article {
        let article = &mut kb.locales[l].articles[a].1;
        article.rendered.html = rename_article_routes(&article.rendered.html, &renames);
    }
    out
}

/// `html` with the article ids of its `href="#/a/<id>..."` routes renamed.
fn rename_article_routes(html: &str, renames: &HashMap<String, String>) -> String {
    const ROUTE: &str = "href=\"#/a/";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(ROUTE) {
        let (before, after) = rest.split_at(at + ROUTE.len());
        out.push_str(before);
        let end = after.find(['"', '#']).unwrap_or(after.len());
        match renames.get(&after[..end]) {
            Some(to) => out.push_str(to),
            None => out.push_str(&after[..end]),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The ids of one locale, indexed for "did you mean": by file name and by
/// folder, so a broken link is compared with a few ids, not every one.
struct IdIndex<'a> {
    by_name: HashMap<String, Vec<&'a str>>,
    by_folder: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> IdIndex<'a> {
    fn new(locale: &'a CompiledLocale) -> IdIndex<'a> {
        let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
        let mut by_folder: HashMap<&str, Vec<&str>> = HashMap::new();
        for id in locale.ids() {
            by_name.entry(file_name(id).to_lowercase()).or_default().push(id);
            by_folder.entry(group_of(id)).or_default().push(id);
        }
        IdIndex { by_name, by_folder }
    }

    /// The closest id to a missing `id`, among those with its file name or
    /// in its folder (at most a few hundred compared).
    fn closest(&self, id: &str) -> Option<&'a str> {
        let same_name = self.by_name.get(&file_name(id).to_lowercase()).into_iter().flatten();
        let same_folder = self.by_folder.get(group_of(id)).into_iter().flatten().take(500);
        same_name
            .chain(same_folder)
            .map(|candidate| (strsim::levenshtein(id, candidate), *candidate))
            .filter(|(distance, _)| *distance <= id.len() / 3 + 1)
            .min()
            .map(|(_, candidate)| candidate)
    }
}

fn file_name(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// Every anchor a link may name in an article, without the prefix: its
/// headings, its explicit HTML anchors, and its title heading.
fn anchors(article: &Article) -> BTreeSet<&str> {
    article
        .rendered
        .headings
        .iter()
        .map(|h| h.anchor.strip_prefix(ANCHOR_PREFIX).unwrap_or(&h.anchor))
        .chain(article.rendered.explicit_anchors.iter().map(String::as_str))
        .chain(article.rendered.title_anchor.as_deref())
        .collect()
}

/// How many headings a broken-anchor finding suggests.
const SUGGESTED_ANCHORS: usize = 3;

fn links(article: &Article, chain: &[&CompiledLocale], ids: &IdIndex<'_>, unpublished: Option<&BTreeMap<String, Unpublished>>, findings: &mut Vec<Finding>) {
    for link in &article.rendered.links {
        let target = match &link.article {
            None => Some(article),
            Some(id) => chain.iter().find_map(|l| l.article(id)).map(|(_, a)| a),
        };
        let Some(target) = target else {
            let id = link.article.as_deref().unwrap_or_default();
            let finding = match unpublished.and_then(|u| u.get(id)) {
                Some(why) => Finding::warning(
                    "audience-link",
                    link.line,
                    match why {
                        Unpublished::Draft => format!("the link goes to `{id}`, a draft, which is not published"),
                        Unpublished::OtherAudience => format!("the link goes to `{id}`, which this audience build leaves out"),
                    },
                    "agents of this build cannot open it: remove the link, or publish the article for them",
                ),
                None => {
                    let hint = ids.closest(id).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
                    Finding::warning(
                        "broken-link",
                        link.line,
                        format!("the link goes to article `{id}`, which does not exist in {}", chain[0].locale.tag),
                        format!("{hint}link to an article's path relative to this file, e.g. `[Refunds](../billing/refund-annual-plan.md)`"),
                    )
                }
            };
            findings.push(finding.at_column(link.column));
            continue;
        };
        if let Some(anchor) = &link.anchor {
            let wanted = anchor.strip_prefix(ANCHOR_PREFIX).unwrap_or(anchor);
            let available = anchors(target);
            if !available.contains(wanted) {
                let mut closest: Vec<&str> = available.iter().copied().collect();
                closest.sort_by_key(|a| (strsim::levenshtein(wanted, a), *a));
                closest.truncate(SUGGESTED_ANCHORS);
                findings.push(
                    Finding::warning(
                        "broken-anchor",
                        link.line,
                        format!("the link goes to heading `#{anchor}`, which `{}` does not have", target.id),
                        if closest.is_empty() {
                            "that article has no headings: link to the article itself".to_string()
                        } else {
                            format!("the closest it has: {}", closest.iter().map(|a| format!("#{a}")).collect::<Vec<_>>().join(", "))
                        },
                    )
                    .at_column(link.column),
                );
            }
        }
    }
}

/// A disclosure rule, from the locale that defines it.
struct Requirement<'a> {
    id: &'a str,
    from_locale: &'a str,
    rule: &'a crate::kb::disclosures::RequiredFor,
}

/// The disclosure rules that apply to a locale's articles: its own, and
/// those of every locale it falls back to (a ja-JP card payment needs the
/// card-payment text the en-US rules require, in Japanese).
fn requirements<'a>(chain: &[&'a CompiledLocale]) -> Vec<Requirement<'a>> {
    let mut out: Vec<Requirement<'a>> = Vec::new();
    for locale in chain {
        for disclosure in locale.disclosures.values() {
            if !disclosure.required_for.categories.is_empty() || !disclosure.required_for.tags.is_empty() {
                out.push(Requirement { id: &disclosure.id, from_locale: &locale.locale.tag, rule: &disclosure.required_for });
            }
        }
    }
    out
}

fn disclosures(article: &Article, locale: &CompiledLocale, requirements: &[Requirement<'_>], findings: &mut Vec<Finding>) {
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
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for requirement in requirements {
        if carried.contains(requirement.id) || article.meta.disclosures.iter().any(|d| d == requirement.id) || reported.contains(requirement.id) {
            continue;
        }
        let by_category = article.meta.category.as_ref().filter(|c| requirement.rule.categories.contains(c));
        let by_tag = article.meta.tags.iter().find(|t| requirement.rule.tags.contains(t));
        let mut reason = match (by_category, by_tag) {
            (Some(category), _) => format!("every `{category}` article must carry it"),
            (None, Some(tag)) => format!("every article tagged `{tag}` must carry it"),
            (None, None) => continue,
        };
        if requirement.from_locale != tag.as_str() {
            reason.push_str(&format!(", by the rule of {}", requirement.from_locale));
        }
        reported.insert(requirement.id);
        let line = if by_category.is_some() { article.meta.line_of("category", article.front_matter_line) } else { article.meta.line_of("tags", article.front_matter_line) };
        if locale.disclosures.contains_key(requirement.id) {
            findings.push(missing_disclosure(requirement.id, line, &reason));
        } else {
            findings.push(Finding::error(
                "missing-disclosure",
                line,
                format!("the article must carry the disclosure `{}` ({reason}), but {tag} has no text for it", requirement.id),
                format!("create {tag}/_disclosures/{}.md with the approved {tag} text, then add a ```disclosure {} block: reading another language's text verbatim is not compliance", requirement.id, requirement.id),
            ));
        }
    }
}

fn missing_disclosure(id: &str, line: usize, reason: &str) -> Finding {
    Finding::error(
        "missing-disclosure",
        line,
        format!("the article must carry the disclosure `{id}` ({reason}), but has no ```disclosure {id} block"),
        format!("add an empty ```disclosure {id} block where the agent reads it out"),
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
    let present: HashSet<&str> = locale.articles.iter().flat_map(|(_, a)| std::iter::once(a.id.as_str()).chain(a.meta.source_id.as_deref())).collect();
    let has = |id: &str| present.contains(id);
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
