//! The measurement window `[since, until)` and the date syntax users give for it.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, TimeDelta, Utc};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum WindowError {
    #[error(
        "{flag} {value:?} is not a date: expected YYYY-MM-DD, RFC 3339 (2026-11-24T09:30:00Z){relative}, in the years 1900 to 9999"
    )]
    BadDate {
        flag: &'static str,
        value: String,
        relative: &'static str,
    },
    #[error("--since {since} is not before --until {until}: the window would be empty")]
    Empty { since: String, until: String },
}

/// The half-open window `[since, until)` (measures.md, general rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Window {
    pub fn new(since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Window, WindowError> {
        if since >= until {
            return Err(WindowError::Empty {
                since: rfc3339(since),
                until: rfc3339(until),
            });
        }
        Ok(Window { since, until })
    }

    /// Resolves `--since` / `--until` as given; `until` defaults to `now`, `since` to 90 days
    /// before `until`.
    pub fn resolve(
        since: Option<&str>,
        until: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Window, WindowError> {
        let until = match until {
            Some(text) => parse_instant(text).ok_or_else(|| WindowError::BadDate {
                flag: "--until",
                value: text.to_string(),
                relative: "",
            })?,
            None => now,
        };
        let since = match since {
            Some(text) => parse_instant(text)
                .or_else(|| span_before(text, until))
                .ok_or_else(|| WindowError::BadDate {
                    flag: "--since",
                    value: text.to_string(),
                    relative: " or a span before --until such as 90d, 12w, 6m, 1y",
                })?,
            None => until
                .checked_sub_days(Days::new(90))
                .filter(|t| in_range(*t))
                .ok_or_else(|| WindowError::BadDate {
                    flag: "--until",
                    value: rfc3339(until),
                    relative: "",
                })?,
        };
        Window::new(since, until)
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.since <= t && t < self.until
    }

    /// Length in days, fractional (whole seconds / 86 400).
    pub fn days(&self) -> f64 {
        (self.until - self.since).num_seconds() as f64 / 86_400.0
    }
}

/// The years a date given by a user (a window edge, an incident time) may fall in. chrono
/// reaches year ±262,143, where adding a day overflows; no delivery history is older than
/// 1900 or later than 9999, so anything outside is a typo, refused before any arithmetic.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

fn in_range(t: DateTime<Utc>) -> bool {
    YEARS.contains(&t.year())
}

/// `YYYY-MM-DD` (midnight UTC) or full RFC 3339, in the years 1900 to 9999.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let t = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => date.and_hms_opt(0, 0, 0)?.and_utc(),
        Err(_) => DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc),
    };
    in_range(t).then_some(t)
}

/// `90d`, `12w` (24 h days, 7-day weeks), `6m`, `1y` (calendar months and years: the same day
/// of the month, clamped to the end of a shorter month, at the same time of day) before
/// `until`, landing in the years 1900 to 9999.
pub fn span_before(text: &str, until: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let count: u32 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let since = match unit {
        'd' => until.checked_sub_days(Days::new(count.into())),
        'w' => until.checked_sub_days(Days::new(u64::from(count) * 7)),
        // chrono clamps the day to the last of a shorter month: 03-31 - 1m = 02-28.
        'm' => until.checked_sub_months(Months::new(count)),
        'y' => until.checked_sub_months(Months::new(count.checked_mul(12)?)),
        _ => None,
    }?;
    in_range(since).then_some(since)
}

/// A length of time as users write it in settings: `72h`, `3d`, `1w`, `90m`, or a bare number of
/// hours.
pub fn parse_span(text: &str) -> Option<TimeDelta> {
    let text = text.trim();
    if let Ok(hours) = text.parse::<i64>() {
        return TimeDelta::try_hours(hours).filter(|d| *d > TimeDelta::zero());
    }
    let unit = text.chars().last()?;
    let count: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let span = match unit {
        'm' => TimeDelta::try_minutes(count),
        'h' => TimeDelta::try_hours(count),
        'd' => TimeDelta::try_days(count),
        'w' => TimeDelta::try_weeks(count),
        _ => None,
    }?;
    (span > TimeDelta::zero()).then_some(span)
}

/// For `#[serde(serialize_with)]`: a time as valueflow prints it.
pub fn serialize_rfc3339<S: serde::Serializer>(
    t: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&rfc3339(*t))
}

/// RFC 3339 with `Z`, whole seconds: the one time format valueflow prints.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn defaults_to_ninety_days_before_now() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 13, 0, 0).unwrap();
        let w = Window::resolve(None, None, now).unwrap();
        assert_eq!(w.until, now);
        assert_eq!(
            w.since,
            Utc.with_ymd_and_hms(2026, 8, 26, 13, 0, 0).unwrap()
        );
        assert_eq!(w.days(), 90.0);
    }

    #[test]
    fn accepts_dates_rfc3339_and_spans() {
        let now = at(2030, 1, 1);
        let w =
            Window::resolve(Some("2026-08-26"), Some("2026-11-24T00:00:00+02:00"), now).unwrap();
        assert_eq!(w.since, at(2026, 8, 26));
        assert_eq!(
            w.until,
            Utc.with_ymd_and_hms(2026, 11, 23, 22, 0, 0).unwrap()
        );
        let w = Window::resolve(Some("6m"), Some("2026-11-24"), now).unwrap();
        assert_eq!(w.since, at(2026, 5, 24));
        let w = Window::resolve(Some("12w"), Some("2026-11-24"), now).unwrap();
        assert_eq!(w.since, at(2026, 9, 1));
    }

    #[test]
    fn months_and_years_are_calendar_ones_clamped_to_a_shorter_month() {
        let now = at(2030, 1, 1);
        let since =
            |span: &str, until: &str| Window::resolve(Some(span), Some(until), now).unwrap().since;
        // 2026-03-31 minus 1m: February has no 31st, so its last day.
        assert_eq!(since("1m", "2026-03-31"), at(2026, 2, 28));
        // 2024 is a leap year: 2024-03-31 minus 1m is 2024-02-29; minus 1y from 02-29 is 02-28.
        assert_eq!(since("1m", "2024-03-31"), at(2024, 2, 29));
        assert_eq!(since("1y", "2024-02-29"), at(2023, 2, 28));
        // 2y = 24 months, at the same time of day.
        assert_eq!(
            since("2y", "2026-11-24T09:30:00Z"),
            Utc.with_ymd_and_hms(2024, 11, 24, 9, 30, 0).unwrap()
        );
        // 12m and 1y agree; 0y would make an empty window.
        assert_eq!(since("12m", "2026-05-31"), since("1y", "2026-05-31"));
        assert!(Window::resolve(Some("0y"), Some("2026-05-31"), now).is_err());
        assert!(Window::resolve(Some("5000y"), Some("2026-05-31"), now).is_err());
    }

    #[test]
    fn half_open() {
        let w = Window::new(at(2026, 1, 1), at(2026, 1, 2)).unwrap();
        assert!(w.contains(at(2026, 1, 1)));
        assert!(!w.contains(at(2026, 1, 2)));
    }

    #[test]
    fn rejects_bad_dates_and_empty_windows() {
        let now = at(2026, 11, 24);
        let err = Window::resolve(Some("last tuesday"), None, now).unwrap_err();
        assert!(
            err.to_string()
                .contains("--since \"last tuesday\" is not a date")
        );
        let err = Window::resolve(Some("2026-12-01"), Some("2026-11-01"), now).unwrap_err();
        assert!(matches!(err, WindowError::Empty { .. }));
    }

    #[test]
    fn refuses_years_outside_1900_to_9999() {
        // chrono's own limit is year -262143; subtracting 90 days from it overflowed (issue 8).
        let now = at(2026, 11, 24);
        for (since, until) in [
            (None, Some("-262143-01-01")),
            (Some("-262143-01-01"), Some("2026-12-01")),
            (Some("1899-12-31"), None),
            (None, Some("10000-01-01")),
            (Some("9999999d"), None),
            (None, Some("9999-12-31T23:00:00-02:00")),
        ] {
            let err = Window::resolve(since, until, now).unwrap_err();
            assert!(
                err.to_string().contains("in the years 1900 to 9999"),
                "{since:?} {until:?}: {err}"
            );
        }
        // The edges themselves are fine: 1900-01-01 up to the last second of 9999.
        let w = Window::resolve(Some("1900-01-01"), Some("9999-12-31T23:59:59Z"), now).unwrap();
        assert_eq!(w.since, at(1900, 1, 1));
        // A default since 90 days before 1900-01-01 would leave the range.
        assert!(Window::resolve(None, Some("1900-01-01"), now).is_err());
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("72h"), Some(TimeDelta::hours(72)));
        assert_eq!(parse_span("72"), Some(TimeDelta::hours(72)));
        assert_eq!(parse_span("7d"), Some(TimeDelta::days(7)));
        assert_eq!(parse_span("-3h"), None);
        assert_eq!(parse_span("soon"), None);
    }
}
