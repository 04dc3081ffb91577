//! A calendar date as the bundle stores it (`YYYY-MM-DD`), counted in days:
//! what trust, changes and "What's new" compare against the caller's today.

/// A calendar date, as days since 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(i64);

impl Day {
    /// Parses `YYYY-MM-DD` (what the bundle stores). `None` for anything else.
    pub fn parse(text: &str) -> Option<Day> {
        let mut parts = text.trim().splitn(3, '-');
        let year: i64 = parts.next()?.parse().ok()?;
        let month: i64 = parts.next()?.parse().ok()?;
        let day: i64 = parts.next()?.parse().ok()?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// The day `millis` milliseconds after the Unix epoch fall on (UTC).
    pub fn from_unix_millis(millis: f64) -> Day {
        Day((millis / 86_400_000.0).floor() as i64)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        later.0 - self.0
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).unwrap()
    }

    #[test]
    fn parses_dates_and_counts_days() {
        assert_eq!(day("1970-01-01"), Day(0));
        assert_eq!(day("2000-03-01").days_until(day("2000-02-28")), -2, "2000 is a leap year");
        assert_eq!(day("2026-11-02").days_until(day("2026-11-25")), 23);
        assert_eq!(day("2025-12-31").days_until(day("2026-01-01")), 1);
        for bad in ["", "2026-13-01", "2026-02-29", "2026-1", "yesterday", "2026-04-31"] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert_eq!(Day::from_unix_millis(1_764_028_800_000.0 + 3_600_000.0), day("2025-11-25"));
    }
}
