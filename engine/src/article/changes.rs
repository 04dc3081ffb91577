//! What changed in an article, and when: the dated change entries the
//! indexer reads from the kb's git history (or front matter), and each
//! locale's change feed behind the app's "What's new" view. Only dates are
//! stored, never "days ago", so an unchanged kb gives the same bytes every
//! day; the app judges them against the browser's today ([`crate::article::trust`]).

use serde::{Deserialize, Serialize};

use crate::article::day::Day;

/// How many of an article's changes travel with it, newest first.
pub const CHANGES_PER_ARTICLE: usize = 5;

/// How many articles a locale's change feed lists at most, newest first.
/// It holds the newest changes whatever today is (so its bytes change only
/// when the kb does); the app shows the ones of the last
/// [`WHATS_NEW_DAYS`] days.
pub const FEED_LIMIT: usize = 300;

/// How far back "What's new" looks, in days.
pub const WHATS_NEW_DAYS: i64 = 14;

/// One change to an article's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The day it landed, `YYYY-MM-DD`.
    pub date: String,
    /// What changed, in the knowledge team's words (`change_note`, or the
    /// commit subject when the kb opts in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Change {
    /// Days from this change to `today` (0 when it is dated later: a clock
    /// behind the publisher's says today); `None` for an unreadable date.
    pub fn days_ago(&self, today: Day) -> Option<i64> {
        Day::parse(&self.date).map(|day| day.days_until(today).max(0))
    }
}

/// One locale's recently changed articles (the bundle's `changes` part).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeFeed {
    /// Newest change first; ties by id.
    pub articles: Vec<ChangedArticle>,
}

/// An article in the change feed, with enough to list it unopened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedArticle {
    pub id: String,
    pub title: String,
    /// Its latest change.
    pub change: Change,
    /// It carries compliance text or is in a regulated category.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub regulated: bool,
}

impl ChangeFeed {
    /// The feed of `articles`: those with a change, newest first, at most
    /// [`FEED_LIMIT`].
    pub fn new(articles: impl IntoIterator<Item = ChangedArticle>) -> ChangeFeed {
        let mut articles: Vec<ChangedArticle> = articles.into_iter().collect();
        articles.sort_by(|a, b| b.change.date.cmp(&a.change.date).then_with(|| a.id.cmp(&b.id)));
        articles.truncate(FEED_LIMIT);
        ChangeFeed { articles }
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The articles changed in the `days` days up to `today`, newest first.
    /// A change dated after today (a clock behind the publisher's) counts
    /// as today's.
    pub fn recent(&self, today: Day, days: i64) -> impl Iterator<Item = &ChangedArticle> {
        self.articles
            .iter()
            .filter(move |a| Day::parse(&a.change.date).is_some_and(|day| day.days_until(today) <= days))
    }
}

/// One line of "What's new": an article and the locale it is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhatsNewItem<'a> {
    pub locale: &'a str,
    pub article: &'a ChangedArticle,
}

/// "What's new" for an agent: the articles changed in the last `days` days
/// up to `today`, newest first, from `feeds` (their locale's first, then
/// its fallbacks'). A fallback locale's article is listed only when no
/// earlier locale has one under that id, as the app would open it there;
/// `earlier_has(locale_position, id)` says whether the locale at that
/// position of `feeds` has the article (changed lately or not).
pub fn whats_new<'a>(feeds: &'a [(String, ChangeFeed)], today: Day, days: i64, earlier_has: impl Fn(usize, &str) -> bool) -> Vec<WhatsNewItem<'a>> {
    let mut items: Vec<(usize, WhatsNewItem<'a>)> = Vec::new();
    for (position, (locale, feed)) in feeds.iter().enumerate() {
        for article in feed.recent(today, days) {
            if (0..position).any(|earlier| earlier_has(earlier, &article.id)) {
                continue;
            }
            items.push((position, WhatsNewItem { locale, article }));
        }
    }
    items.sort_by(|(pa, a), (pb, b)| b.article.change.date.cmp(&a.article.change.date).then(pa.cmp(pb)).then_with(|| a.article.id.cmp(&b.article.id)));
    items.into_iter().map(|(_, item)| item).collect()
}

/// The changes in `changes` (newest first) that are newer than `seen`, the
/// date of the newest change the agent had when they last opened the
/// article. None seen: nothing is new to them.
pub fn changed_since<'a>(changes: &'a [Change], seen: Option<&str>) -> &'a [Change] {
    let Some(seen) = seen else { return &[] };
    let newer = changes.iter().take_while(|c| c.date.as_str() > seen).count();
    &changes[..newer]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(date: &str, note: Option<&str>) -> Change {
        Change { date: date.into(), note: note.map(String::from) }
    }

    fn changed(id: &str, date: &str) -> ChangedArticle {
        ChangedArticle { id: id.into(), title: id.to_uppercase(), change: change(date, None), regulated: false }
    }

    #[test]
    fn the_feed_is_newest_first_and_bounded() {
        let feed = ChangeFeed::new((0..FEED_LIMIT + 10).map(|n| changed(&format!("a{n:04}"), &format!("2026-{:02}-01", 1 + n % 12))));
        assert_eq!(feed.articles.len(), FEED_LIMIT);
        assert_eq!(feed.articles[0].change.date, "2026-12-01");
        assert!(feed.articles.windows(2).all(|w| w[0].change.date >= w[1].change.date));
    }

    #[test]
    fn recent_means_the_last_days_up_to_today() {
        let feed = ChangeFeed::new([changed("old", "2026-11-01"), changed("edge", "2026-11-12"), changed("new", "2026-11-25"), changed("ahead", "2026-11-27")]);
        let today = Day::parse("2026-11-26").unwrap();
        let ids: Vec<&str> = feed.recent(today, WHATS_NEW_DAYS).map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["ahead", "new", "edge"]);
    }

    #[test]
    fn whats_new_merges_the_fallback_locale_for_articles_the_agent_lacks() {
        let own = ChangeFeed::new([changed("refunds", "2026-11-20"), changed("greeting", "2026-11-24")]);
        let fallback = ChangeFeed::new([changed("refunds", "2026-11-25"), changed("roaming", "2026-11-22"), changed("fees", "2026-11-23"), changed("old", "2026-10-01")]);
        let feeds = vec![("en-GB".to_string(), own), ("en-US".to_string(), fallback)];
        // en-GB has refunds, greeting and (unchanged lately) fees.
        let en_gb = ["refunds", "greeting", "fees"];
        let items = whats_new(&feeds, Day::parse("2026-11-26").unwrap(), WHATS_NEW_DAYS, |position, id| position == 0 && en_gb.contains(&id));
        let listed: Vec<(&str, &str)> = items.iter().map(|i| (i.locale, i.article.id.as_str())).collect();
        assert_eq!(listed, [("en-GB", "greeting"), ("en-US", "roaming"), ("en-GB", "refunds")]);
    }

    #[test]
    fn changes_since_the_last_visit() {
        let changes = [change("2026-11-20", Some("New fee")), change("2026-11-10", None), change("2026-10-01", Some("First"))];
        assert_eq!(changed_since(&changes, Some("2026-11-10")), &changes[..1]);
        assert_eq!(changed_since(&changes, Some("2026-09-01")).len(), 3);
        assert!(changed_since(&changes, Some("2026-11-20")).is_empty());
        assert!(changed_since(&changes, None).is_empty(), "a first visit is not a change");
    }

    #[test]
    fn wire_form_is_small() {
        let json = serde_json::to_string(&ChangeFeed::new([changed("a", "2026-11-01")])).unwrap();
        assert_eq!(json, r#"{"articles":[{"id":"a","title":"A","change":{"date":"2026-11-01"}}]}"#);
    }
}
