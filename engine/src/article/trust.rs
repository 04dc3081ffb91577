//! How far an agent can trust an article today: reviewed how long ago,
//! review overdue, expired or about to. Judged against the date the caller
//! passes (the browser's today), never the build's, so a bundle published
//! in March still warns in June.

pub use crate::article::day::Day;
use crate::article::model::ArticleInfo;

/// How an article stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Past its `expires` date by this many days (at least 1: the article
    /// is good through the day it names, as `cuecard check` counts it).
    Expired { days_ago: i64 },
    /// Past its next review date by this many days.
    ReviewOverdue { days: i64 },
    /// Expires within [`EXPIRY_WARNING_DAYS`] days (0: today is its last day).
    ExpiresSoon { in_days: i64 },
    /// Within its review cycle, or with no cycle at all.
    Current,
}

/// How many days ahead an upcoming expiry is announced.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

/// The trust bar's facts for one article on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trust {
    /// Days since the last review (`None` if never recorded).
    pub reviewed_days_ago: Option<i64>,
    /// Days since its content last changed (`None` if no change is
    /// recorded), see [`crate::article::changes`].
    pub updated_days_ago: Option<i64>,
    pub freshness: Freshness,
}

impl Trust {
    /// Judges `info` on `today`. Expiry outranks an overdue review.
    pub fn assess(info: &ArticleInfo, today: Day) -> Trust {
        let date = |d: &Option<String>| d.as_deref().and_then(Day::parse);
        let reviewed_days_ago = date(&info.reviewed).map(|d| d.days_until(today));
        let updated_days_ago = info.changes.first().and_then(|c| c.days_ago(today));
        let freshness = match (date(&info.expires), date(&info.review_due)) {
            (Some(expires), _) if expires < today => Freshness::Expired { days_ago: expires.days_until(today) },
            (_, Some(due)) if due < today => Freshness::ReviewOverdue { days: due.days_until(today) },
            (Some(expires), _) if today.days_until(expires) <= EXPIRY_WARNING_DAYS => {
                Freshness::ExpiresSoon { in_days: today.days_until(expires) }
            }
            _ => Freshness::Current,
        };
        Trust { reviewed_days_ago, updated_days_ago, freshness }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    fn info(reviewed: Option<&str>, due: Option<&str>, expires: Option<&str>) -> ArticleInfo {
        ArticleInfo {
            reviewed: reviewed.map(String::from),
            review_due: due.map(String::from),
            expires: expires.map(String::from),
            ..ArticleInfo::default()
        }
    }

    #[test]
    fn reviewed_recently_is_current() {
        let trust = Trust::assess(&info(Some("2026-11-02"), Some("2027-05-02"), None), day("2026-11-25"));
        assert_eq!(trust, Trust { reviewed_days_ago: Some(23), updated_days_ago: None, freshness: Freshness::Current });
    }

    #[test]
    fn past_the_due_date_is_overdue() {
        let trust = Trust::assess(&info(Some("2026-01-10"), Some("2026-07-10"), None), day("2026-11-25"));
        assert_eq!(trust.freshness, Freshness::ReviewOverdue { days: 138 });
        let on_the_day = Trust::assess(&info(Some("2026-01-10"), Some("2026-11-25"), None), day("2026-11-25"));
        assert_eq!(on_the_day.freshness, Freshness::Current);
    }

    #[test]
    fn expiry_outranks_review_and_is_announced_ahead() {
        let expired = Trust::assess(&info(Some("2026-01-10"), Some("2026-02-10"), Some("2026-11-20")), day("2026-11-25"));
        assert_eq!(expired.freshness, Freshness::Expired { days_ago: 5 });
        let last_day = Trust::assess(&info(None, None, Some("2026-11-25")), day("2026-11-25"));
        assert_eq!(last_day.freshness, Freshness::ExpiresSoon { in_days: 0 }, "good through its last day, as check counts it");
        let day_after = Trust::assess(&info(None, None, Some("2026-11-24")), day("2026-11-25"));
        assert_eq!(day_after.freshness, Freshness::Expired { days_ago: 1 });
        let soon = Trust::assess(&info(None, None, Some("2026-12-01")), day("2026-11-25"));
        assert_eq!(soon.freshness, Freshness::ExpiresSoon { in_days: 6 });
        let later = Trust::assess(&info(None, None, Some("2027-06-01")), day("2026-11-25"));
        assert_eq!(later, Trust { reviewed_days_ago: None, updated_days_ago: None, freshness: Freshness::Current });
    }

    #[test]
    fn the_latest_change_dates_the_update() {
        let mut updated = info(Some("2026-01-10"), None, None);
        updated.changes = vec![
            crate::article::changes::Change { date: "2026-11-22".into(), note: Some("New fee".into()) },
            crate::article::changes::Change { date: "2026-02-01".into(), note: None },
        ];
        assert_eq!(Trust::assess(&updated, day("2026-11-25")).updated_days_ago, Some(3));
        assert_eq!(Trust::assess(&updated, day("2026-11-20")).updated_days_ago, Some(0), "a clock behind the publisher's says today");
    }

    #[test]
    fn unreadable_dates_are_ignored_not_fatal() {
        let trust = Trust::assess(&info(Some("soon"), Some("2026-02-30"), Some("never")), day("2026-11-25"));
        assert_eq!(trust, Trust { reviewed_days_ago: None, updated_days_ago: None, freshness: Freshness::Current });
    }
}
