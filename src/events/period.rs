//! The calendar periods a trend is cut into (docs/measures.md, Trends): ISO weeks (Monday
//! 00:00 UTC), calendar months and quarters, in UTC, half-open like every window, the first
//! and last clipped to the window they cut.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use super::window::Window;

/// How long each period of a trend is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    Week,
    Month,
    Quarter,
}

impl Every {
    pub fn as_str(self) -> &'static str {
        match self {
            Every::Week => "week",
            Every::Month => "month",
            Every::Quarter => "quarter",
        }
    }

    /// The start of the calendar period that holds `t`.
    fn start_of(self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let date = t.date_naive();
        let first = match self {
            Every::Week => {
                date.checked_sub_days(Days::new(date.weekday().num_days_from_monday().into()))?
            }
            Every::Month => NaiveDate::from_ymd_opt(date.year(), date.month(), 1)?,
            Every::Quarter => {
                NaiveDate::from_ymd_opt(date.year(), (date.month() - 1) / 3 * 3 + 1, 1)?
            }
        };
        Some(first.and_hms_opt(0, 0, 0)?.and_utc())
    }

    /// The start of the period after the one starting at `start`.
    fn next(self, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Every::Week => start.checked_add_days(Days::new(7)),
            Every::Month => start.checked_add_months(Months::new(1)),
            Every::Quarter => start.checked_add_months(Months::new(3)),
        }
    }
}

impl Every {
    /// The longest period of which `window` holds at least four whole ones, else weeks: the
    /// report's trend section needs enough points to show a direction, and no more rows than
    /// a screen holds (28 days by week, 90 days by week, a year by month, two by quarter).
    pub fn fitting(window: &Window) -> Every {
        [Every::Quarter, Every::Month]
            .into_iter()
            .find(|&every| periods(window, every).iter().filter(|p| !p.partial).count() >= 4)
            .unwrap_or(Every::Week)
    }
}

/// One period of a trend: its window, and whether the trend's window clipped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub window: Window,
    pub partial: bool,
}

/// The calendar periods that cover `window`, in order: each `[start, next start)` cut to the
/// window, `partial` when the cut took anything off.
pub fn periods(window: &Window, every: Every) -> Vec<Period> {
    let mut out = Vec::new();
    let Some(mut start) = every.start_of(window.since) else {
        return out;
    };
    while start < window.until {
        let Some(next) = every.next(start) else {
            break;
        };
        let since = start.max(window.since);
        let until = next.min(window.until);
        out.push(Period {
            window: Window { since, until },
            partial: since != start || until != next,
        });
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::window::{parse_instant, rfc3339};

    fn cut(since: &str, until: &str, every: Every) -> Vec<(String, String, bool)> {
        let window =
            Window::new(parse_instant(since).unwrap(), parse_instant(until).unwrap()).unwrap();
        periods(&window, every)
            .into_iter()
            .map(|p| (rfc3339(p.window.since), rfc3339(p.window.until), p.partial))
            .collect()
    }

    fn p(since: &str, until: &str, partial: bool) -> (String, String, bool) {
        (since.to_string(), until.to_string(), partial)
    }

    #[test]
    fn the_report_picks_the_longest_period_with_four_whole_ones() {
        let fitting = |since, until| {
            Every::fitting(
                &Window::new(parse_instant(since).unwrap(), parse_instant(until).unwrap()).unwrap(),
            )
        };
        // 28 days from a Monday: four whole weeks, no whole month.
        assert_eq!(fitting("2026-01-05", "2026-02-02"), Every::Week);
        // 90 days to 2026-11-28: September and October are the only whole months.
        assert_eq!(fitting("2026-08-30", "2026-11-28"), Every::Week);
        // February to June 2026 holds four whole months, one whole quarter.
        assert_eq!(fitting("2026-02-01", "2026-06-01"), Every::Month);
        // A year to 2026-11-28: 2026 Q1–Q3 are the only whole quarters, 11 months are whole.
        assert_eq!(fitting("2025-11-28", "2026-11-28"), Every::Month);
        assert_eq!(fitting("2025-01-01", "2026-01-01"), Every::Quarter);
    }

    #[test]
    fn months_are_calendar_months_the_ends_clipped() {
        // 2026-01-15 is mid-January: January is cut to [15th, Feb 1st) and partial; March is
        // cut at the 10th; February is whole (28 days in 2026).
        assert_eq!(
            cut("2026-01-15", "2026-03-10", Every::Month),
            [
                p("2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z", true),
                p("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", false),
                p("2026-03-01T00:00:00Z", "2026-03-10T00:00:00Z", true),
            ]
        );
    }

    #[test]
    fn a_window_on_period_edges_has_no_partial_period() {
        assert_eq!(
            cut("2026-01-01", "2026-07-01", Every::Quarter),
            [
                p("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", false),
                p("2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z", false),
            ]
        );
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-01-07 is a Wednesday: its ISO week began Monday the 5th; the 12th and 19th are
        // Mondays; the window ends Tuesday the 20th at noon.
        assert_eq!(
            cut("2026-01-07", "2026-01-20T12:00:00Z", Every::Week),
            [
                p("2026-01-07T00:00:00Z", "2026-01-12T00:00:00Z", true),
                p("2026-01-12T00:00:00Z", "2026-01-19T00:00:00Z", false),
                p("2026-01-19T00:00:00Z", "2026-01-20T12:00:00Z", true),
            ]
        );
    }

    #[test]
    fn a_window_inside_one_period_is_one_partial_period() {
        assert_eq!(
            cut("2026-05-10", "2026-05-20", Every::Quarter),
            [p("2026-05-10T00:00:00Z", "2026-05-20T00:00:00Z", true)]
        );
    }
}
