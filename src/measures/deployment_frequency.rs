//! Deployment Frequency (measures.md §3).

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use super::stats::median;
use super::tier::Tier;
use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct DeploymentFrequency {
    pub deployments: usize,
    pub per_day: Option<f64>,
    pub per_week: Option<f64>,
    pub median_deploy_days_per_week: Option<f64>,
    pub tier: Option<Tier>,
    /// With no deployment in the window: the last one before it, so that a 0 comes with the
    /// fact a team would ask for next (when did we last ship?).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_before_window: Option<LastDeployment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LastDeployment {
    pub commit: String,
    #[serde(rename = "ref")]
    pub label: Option<String>,
    #[serde(serialize_with = "crate::events::window::serialize_rfc3339")]
    pub time: DateTime<Utc>,
    /// Whole days from it to the window's end.
    pub days_before_until: i64,
}

/// `deployments` is the whole known sequence: a repository that has deployments, none of them
/// in the window, deploys 0 times a day (tier low); only one with none at all is unmeasured.
pub fn deployment_frequency(deployments: &[Deployment], window: &Window) -> DeploymentFrequency {
    let in_window: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| window.contains(d.time))
        .collect();
    if deployments.is_empty() {
        return DeploymentFrequency {
            deployments: 0,
            per_day: None,
            per_week: None,
            median_deploy_days_per_week: None,
            tier: None,
            last_before_window: None,
            reason: Some("no deployments in the history".to_string()),
        };
    }
    let times: Vec<DateTime<Utc>> = in_window.iter().map(|d| d.time).collect();
    let mut frequency = from_times(&times, window);
    if times.is_empty() {
        frequency.last_before_window =
            deployments
                .iter()
                .rfind(|d| d.time < window.since)
                .map(|d| LastDeployment {
                    commit: d.commit.clone(),
                    label: d.label.clone(),
                    time: d.time,
                    days_before_until: (window.until - d.time).num_days(),
                });
    }
    frequency
}

/// The frequency of deployments at `times` (all inside `window`): a window's, or a roll-up's
/// over all the deployments of several repositories (a day with a deployment in any of them
/// is a deploy day).
pub fn from_times(times: &[DateTime<Utc>], window: &Window) -> DeploymentFrequency {
    let count = times.len();
    let days: BTreeSet<NaiveDate> = times.iter().map(DateTime::date_naive).collect();
    let per_day = count as f64 / window.days();
    let weekly = deploy_days_per_week(&days, window);
    let median_days = median(&weekly);
    let tier = match median_days {
        Some(median_days) => Some(Tier::of_deployment_frequency(median_days, per_day)),
        // Without a whole week the median that separates high from medium is unknown; a
        // deployment a day, or none at all, settles the tier anyway.
        None if per_day >= 1.0 => Some(Tier::Elite),
        None if count == 0 => Some(Tier::Low),
        None => None,
    };
    DeploymentFrequency {
        deployments: count,
        per_day: Some(per_day),
        per_week: Some(7.0 * per_day),
        median_deploy_days_per_week: median_days,
        tier,
        last_before_window: None,
        reason: median_days.is_none().then(|| {
            "the window holds no whole ISO week (Monday to Sunday), so deploy days per week are \
             not measured"
                .to_string()
        }),
    }
}

/// For every ISO week (Monday 00:00 UTC start) that lies wholly inside the window,
/// zero-filled: the number of distinct UTC days with a deployment. Partial weeks at the edges
/// are left out: counted as weeks, they would understate a short window.
fn deploy_days_per_week(days: &BTreeSet<NaiveDate>, window: &Window) -> Vec<f64> {
    let since = window.since.date_naive();
    // The first Monday at or after `since` whose midnight is not before it.
    let mut week =
        since + TimeDelta::days(i64::from((7 - since.weekday().num_days_from_monday()) % 7));
    if week.and_hms_opt(0, 0, 0).map(|t| t.and_utc()) < Some(window.since) {
        week += TimeDelta::days(7);
    }
    let mut weeks = Vec::new();
    loop {
        let next = week + TimeDelta::days(7);
        // The week ends at the next Monday's midnight, which `until` (exclusive) may equal.
        match next.and_hms_opt(0, 0, 0) {
            Some(end) if end.and_utc() <= window.until => {
                weeks.push(days.range(week..next).count() as f64);
                week = next;
            }
            _ => break,
        }
    }
    weeks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::deployment::ChangeSet;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn deployed(time: DateTime<Utc>) -> Deployment {
        Deployment {
            commit: "a".repeat(40),
            time,
            label: Some(format!("v{}", time.format("%m%d"))),
            rollback: false,
            failed_run: false,
            retried_ok_at: None,
            changes: ChangeSet::Commits(Vec::new()),
            unchanged: false,
        }
    }

    fn window(since: DateTime<Utc>, until: DateTime<Utc>) -> Window {
        Window::new(since, until).unwrap()
    }

    #[test]
    fn only_whole_iso_weeks_inside_the_window_count() {
        // 2026-11-04 is a Wednesday. Window Wed 2026-11-04 .. Mon 2026-11-23 00:00:
        // whole weeks Mon 11-09..15 and Mon 11-16..22; the partial week of 11-04 is left out.
        let w = window(at(2026, 11, 4, 0), at(2026, 11, 23, 0));
        // deployments: Wed 11-04 and Thu 11-05 (partial week), Tue 11-10 twice (one day),
        // nothing in the week of 11-16.
        let d: Vec<_> = [
            at(2026, 11, 4, 9),
            at(2026, 11, 5, 9),
            at(2026, 11, 10, 9),
            at(2026, 11, 10, 15),
        ]
        .into_iter()
        .map(deployed)
        .collect();
        assert_eq!(
            deploy_days_per_week(&d.iter().map(|d| d.time.date_naive()).collect(), &w),
            [1.0, 0.0]
        );
        let f = deployment_frequency(&d, &w);
        // weeks [1, 0]: median 0.5; per_day = 4 / 19 = 0.2105 ≥ 1/30: medium
        assert_eq!(f.median_deploy_days_per_week, Some(0.5));
        assert_eq!(f.per_day, Some(4.0 / 19.0));
        assert_eq!(f.tier, Some(Tier::Medium));
        assert_eq!(f.reason, None);
    }

    #[test]
    fn a_window_that_starts_on_a_monday_at_midnight_keeps_that_week() {
        // Mon 2026-11-09 00:00 .. Mon 2026-11-16 00:00: exactly one whole week.
        let w = window(at(2026, 11, 9, 0), at(2026, 11, 16, 0));
        let d = [at(2026, 11, 9, 0), at(2026, 11, 12, 1)].map(deployed);
        assert_eq!(
            deployment_frequency(&d, &w).median_deploy_days_per_week,
            Some(2.0)
        );
        // One second later start: no whole week.
        let w = window(
            at(2026, 11, 9, 0) + TimeDelta::seconds(1),
            at(2026, 11, 16, 0),
        );
        let f = deployment_frequency(&d[1..], &w);
        assert_eq!(f.median_deploy_days_per_week, None);
        assert!(f.reason.as_deref().unwrap().contains("no whole ISO week"));
        // 1 deployment in 6.99999 days: below one a day, above 1/30; high or medium is unknown.
        assert_eq!(f.tier, None);
    }

    #[test]
    fn no_deployment_in_the_window_is_a_measured_zero_naming_the_last_one() {
        let w = window(at(2026, 9, 1, 0), at(2026, 11, 30, 0));
        let d = [at(2026, 5, 1, 12), at(2026, 6, 2, 12)].map(deployed);
        let f = deployment_frequency(&d, &w);
        assert_eq!(f.deployments, 0);
        assert_eq!(f.per_day, Some(0.0));
        assert_eq!(f.per_week, Some(0.0));
        assert_eq!(f.median_deploy_days_per_week, Some(0.0));
        assert_eq!(f.tier, Some(Tier::Low));
        let last = f.last_before_window.unwrap();
        assert_eq!(last.time, at(2026, 6, 2, 12));
        assert_eq!(last.label.as_deref(), Some("v0602"));
        // 2026-06-02 12:00 to 2026-11-30 00:00: 180 days 12 hours, 180 whole days.
        assert_eq!(last.days_before_until, 180);
        // A history without deployments is not measured.
        let f = deployment_frequency(&[], &w);
        assert_eq!((f.per_day, f.tier), (None, None));
        assert_eq!(f.reason.as_deref(), Some("no deployments in the history"));
    }
}
