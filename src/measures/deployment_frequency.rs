//! Deployment Frequency (measures.md §3).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::Serialize;

use super::stats::median;
use super::tier::Tier;
use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentFrequency {
    pub deployments: usize,
    pub per_day: Option<f64>,
    pub per_week: Option<f64>,
    pub median_deploy_days_per_week: Option<f64>,
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub fn deployment_frequency(deployments: &[Deployment], window: &Window) -> DeploymentFrequency {
    let days: BTreeSet<NaiveDate> = deployments
        .iter()
        .filter(|d| window.contains(d.time))
        .map(|d| d.time.date_naive())
        .collect();
    let count = deployments
        .iter()
        .filter(|d| window.contains(d.time))
        .count();
    if count == 0 {
        return DeploymentFrequency {
            deployments: 0,
            per_day: None,
            per_week: None,
            median_deploy_days_per_week: None,
            tier: None,
            reason: Some("no deployments in window".to_string()),
        };
    }
    let per_day = count as f64 / window.days();
    let weekly = deploy_days_per_week(&days, window);
    let median_days = median(&weekly).unwrap_or(0.0);
    DeploymentFrequency {
        deployments: count,
        per_day: Some(per_day),
        per_week: Some(7.0 * per_day),
        median_deploy_days_per_week: Some(median_days),
        tier: Some(Tier::of_deployment_frequency(median_days, per_day)),
        reason: None,
    }
}

/// For every ISO week (Monday start) that overlaps the window, zero-filled: the number of
/// distinct UTC days with a deployment.
fn deploy_days_per_week(days: &BTreeSet<NaiveDate>, window: &Window) -> Vec<f64> {
    let monday =
        |date: NaiveDate| date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday()));
    let first = monday(window.since.date_naive());
    // `until` is exclusive: the last instant inside is one second before it.
    let last = monday((window.until - TimeDelta::seconds(1)).date_naive());
    let mut weeks = Vec::new();
    let mut week = first;
    while week <= last {
        let next = week + TimeDelta::days(7);
        weeks.push(days.range(week..next).count() as f64);
        week = next;
    }
    weeks
}
