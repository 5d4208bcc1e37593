//! Numbers in the units people read: `2d 4h`, `3.1/week`, `8.3%`.

/// Hours as days/hours/minutes, two units at most.
pub fn duration(hours: f64) -> String {
    let minutes = (hours * 60.0).round() as i64;
    let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours, minutes) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Deployments per day as the rate people think in: per day when daily or more, per week when
/// weekly, per month when monthly, else "one every N months" (3 deployments in two years read
/// as one every 8 months, not as "0.0/week").
pub fn frequency(per_day: f64) -> String {
    const MONTH_DAYS: f64 = 365.25 / 12.0;
    if per_day >= 1.0 {
        format!("{per_day:.1}/day")
    } else if per_day * 7.0 >= 1.0 {
        format!("{:.1}/week", per_day * 7.0)
    } else if per_day * MONTH_DAYS >= 0.5 {
        // Under one a month but more than one every two: 0.7/month, not "one every 1 months".
        format!("{:.1}/month", per_day * MONTH_DAYS)
    } else if per_day > 0.0 {
        let months = (1.0 / (per_day * MONTH_DAYS)).round();
        format!("one every {months} months")
    } else {
        "none".to_string()
    }
}

pub fn short_sha(sha: &str) -> &str {
    sha.get(..10).unwrap_or(sha)
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(52.0), "2d 4h");
        assert_eq!(duration(48.0), "2d");
        assert_eq!(duration(5.5), "5h 30m");
        assert_eq!(duration(5.0), "5h");
        assert_eq!(duration(0.25), "15m");
    }

    #[test]
    fn rates() {
        assert_eq!(percent(1.0 / 12.0), "8.3%");
        assert_eq!(frequency(3.1 / 7.0), "3.1/week");
        // 36 deployments in 1,096 days: 0.9998 a month.
        assert_eq!(frequency(36.0 / 1096.0), "1.0/month");
        // One every 1.4 months is 0.7 a month; one every 2.6 months rounds to 3.
        assert_eq!(frequency(1.0 / (1.4 * 365.25 / 12.0)), "0.7/month");
        assert_eq!(frequency(1.0 / (2.6 * 365.25 / 12.0)), "one every 3 months");
        assert_eq!(frequency(2.3), "2.3/day");
        // 2 in 30 days: 0.47/week is below weekly: 2.0/month (30.4375-day months)
        assert_eq!(frequency(2.0 / 30.4375), "2.0/month");
        // 3 in 730 days: one every 730 / 3 = 243.3 days = 8.0 months
        assert_eq!(frequency(3.0 / 730.0), "one every 8 months");
        assert_eq!(frequency(0.0), "none");
    }
}
