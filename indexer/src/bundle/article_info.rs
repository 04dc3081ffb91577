//! What the app shows around an article besides its text: owner and review
//! dates, where a translation comes from and whether it is outdated, the
//! same article in other locales, and related articles (shared tags and
//! products). Computed once per build from the whole compiled kb.

use std::collections::{BTreeMap, HashMap};

use cuecard_engine::model::{ArticleInfo, ArticleLink, Owner, TranslationInfo};

use crate::article::Article;
use crate::check::compile::CompiledKb;

/// How many related articles an article lists.
pub const RELATED_LIMIT: usize = 5;

/// A tag or product on more articles than this says little about
/// relatedness (and would make the pairing quadratic): it is skipped.
const MAX_SHARED_POSTINGS: usize = 500;

/// The info of every article: `result[locale][position]`, in the same
/// order as `kb.locales` and their articles.
pub fn infos(kb: &CompiledKb) -> Vec<Vec<ArticleInfo>> {
    let default_locale = kb.layout.default_locale.as_str();
    let source_locale = kb.locales.iter().find(|l| l.locale.tag == default_locale);
    // Every locale's version of each article, by the id of its source.
    let mut versions: BTreeMap<&str, Vec<ArticleLink>> = BTreeMap::new();
    for locale in &kb.locales {
        for (_, article) in &locale.articles {
            versions.entry(canonical_id(article)).or_default().push(ArticleLink {
                locale: locale.locale.tag.clone(),
                id: article.id.clone(),
                title: article.title.clone(),
            });
        }
    }
    kb.locales
        .iter()
        .map(|locale| {
            let articles: Vec<&Article> = locale.articles.iter().map(|(_, a)| a).collect();
            let related = related_articles(&articles);
            articles
                .iter()
                .zip(related)
                .map(|(article, related)| {
                    let translation = (locale.locale.tag != default_locale && article.meta.is_translation()).then(|| {
                        let source_id = canonical_id(article).to_string();
                        let source_revision = source_locale
                            .and_then(|l| l.article(&source_id))
                            .map(|(_, source)| source.revision.as_str());
                        TranslationInfo {
                            source_locale: default_locale.to_string(),
                            outdated: matches!((&article.meta.source_revision, source_revision), (Some(recorded), Some(now)) if recorded != now),
                            source_id,
                        }
                    });
                    let other_locales = versions
                        .get(canonical_id(article))
                        .map(|all| all.iter().filter(|v| v.locale != locale.locale.tag).cloned().collect())
                        .unwrap_or_default();
                    info_of(article, translation, other_locales, related)
                })
                .collect()
        })
        .collect()
}

/// The id an article has in the kb's default locale: its `source_id` for a
/// translation that names one, else its own id.
fn canonical_id(article: &Article) -> &str {
    article.meta.source_id.as_deref().unwrap_or(&article.id)
}

fn info_of(article: &Article, translation: Option<TranslationInfo>, other_locales: Vec<ArticleLink>, related: Vec<ArticleLink>) -> ArticleInfo {
    let meta = &article.meta;
    ArticleInfo {
        category: meta.category.clone(),
        tags: meta.tags.clone(),
        products: meta.products.clone(),
        owner: meta.owner.as_ref().map(|o| Owner { name: o.name.clone(), team: o.team.clone() }),
        reviewed: meta.reviewed.map(|d| d.to_string()),
        // Filled by the build from the kb's history (crate::history).
        changes: Vec::new(),
        review_due: meta.review_due().map(|d| d.to_string()),
        expires: meta.expires.map(|d| d.to_string()),
        translation,
        other_locales,
        related,
    }
}

/// For each article, up to [`RELATED_LIMIT`] others of the same locale,
/// closest first: two points per shared tag or product, one for the same
/// category (which alone does not make articles related); ties by title.
pub fn related_articles(articles: &[&Article]) -> Vec<Vec<ArticleLink>> {
    let mut postings: HashMap<(bool, &str), Vec<usize>> = HashMap::new();
    for (n, article) in articles.iter().enumerate() {
        for tag in &article.meta.tags {
            postings.entry((true, tag.as_str())).or_default().push(n);
        }
        for product in &article.meta.products {
            postings.entry((false, product.as_str())).or_default().push(n);
        }
    }
    articles
        .iter()
        .enumerate()
        .map(|(n, article)| {
            let mut scores: HashMap<usize, u32> = HashMap::new();
            let keys = article.meta.tags.iter().map(|t| (true, t.as_str())).chain(article.meta.products.iter().map(|p| (false, p.as_str())));
            for key in keys {
                let Some(others) = postings.get(&key).filter(|o| o.len() <= MAX_SHARED_POSTINGS) else { continue };
                for &other in others.iter().filter(|&&o| o != n) {
                    *scores.entry(other).or_default() += 2;
                }
            }
            let mut ranked: Vec<(u32, usize)> = scores
                .into_iter()
                .map(|(other, score)| {
                    let same_category = article.meta.category.is_some() && article.meta.category == articles[other].meta.category;
                    (score + u32::from(same_category), other)
                })
                .collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| articles[a.1].title.cmp(&articles[b.1].title)));
            ranked
                .into_iter()
                .take(RELATED_LIMIT)
                .map(|(_, other)| ArticleLink { locale: String::new(), id: articles[other].id.clone(), title: articles[other].title.clone() })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::article::ParseContext;

    fn article(id: &str, front: &str) -> Article {
        let source = format!("---\nid: {id}\ntitle: {id}\n{front}\n---\nBody of {id}.\n");
        Article::parse("x.md", &source, ParseContext::alone()).unwrap()
    }

    fn ids(links: &[ArticleLink]) -> Vec<&str> {
        links.iter().map(|l| l.id.as_str()).collect()
    }

    #[test]
    fn related_ranks_by_shared_tags_and_products_then_category() {
        let articles = [
            article("refund", "category: billing\ntags: [refund, money]\nproducts: [postpaid]"),
            article("late-fee", "category: billing\ntags: [money]"),
            article("chargeback", "category: escalation\ntags: [refund, money]"),
            article("plans", "category: products\nproducts: [postpaid]"),
            article("outage", "category: billing"),
        ];
        let refs: Vec<&Article> = articles.iter().collect();
        let related = related_articles(&refs);
        assert_eq!(ids(&related[0]), ["chargeback", "late-fee", "plans"], "4 points, then 2+1 (category), then 2");
        assert!(related[4].is_empty(), "a shared category alone does not relate articles");
        assert_eq!(ids(&related[1]), ["refund", "chargeback"]);
    }

    #[test]
    fn related_is_capped() {
        let articles: Vec<Article> = (0..9).map(|n| article(&format!("a{n}"), "tags: [wifi]")).collect();
        let refs: Vec<&Article> = articles.iter().collect();
        assert_eq!(related_articles(&refs)[0].len(), RELATED_LIMIT);
    }
}
