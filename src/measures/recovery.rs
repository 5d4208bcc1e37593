//! Mean Time to Recovery, i.e. failed deployment recovery time (measures.md §5).

use schemars::JsonSchema;
use serde::Serialize;

use super::failures::Failures;
use super::stats::{mean, median};
use super::tier::Tier;
use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Recovery {
    pub samples: usize,
    pub mean_hours: Option<f64>,
    pub median_hours: Option<f64>,
    /// The distribution-free 90 % interval of the median; `null` below 5 recoveries.
    pub median_interval_hours: Option<[f64; 2]>,
    pub unresolved: usize,
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub fn recovery(deployments: &[Deployment], failures: &Failures, window: &Window) -> Recovery {
    let mut hours = Vec::new();
    let mut unresolved = 0;
    let mut in_window = 0;
    for (deployment, failure) in deployments.iter().zip(&failures.by_deployment) {
        if !window.contains(deployment.time) {
            continue;
        }
        in_window += 1;
        let Some(failure) = failure else { continue };
        match failure.recovery(deployment.time) {
            Some(span) => hours.push(span.num_seconds() as f64 / 3600.0),
            None => unresolved += 1,
        }
    }
    let reason = match (in_window, unresolved) {
        (0, _) => "no deployments in window".to_string(),
        (_, 0) => "no failed deployments in window".to_string(),
        (_, n) => format!("{n} failed deployments in window, none recovered yet"),
    };
    from_samples(&hours, unresolved, reason)
}

/// The recovery figures of a set of recovery times (hours): a window's, or a roll-up's over
/// the union of several repositories'. `reason` applies when there are none.
pub fn from_samples(hours: &[f64], unresolved: usize, reason: String) -> Recovery {
    let mut hours = hours.to_vec();
    hours.sort_by(f64::total_cmp);
    let median_hours = median(&hours);
    Recovery {
        samples: hours.len(),
        mean_hours: mean(&hours),
        median_hours,
        median_interval_hours: super::stats::median_interval(&hours),
        unresolved,
        // By the median (measures.md, Tiers): one long outage must not decide the tier.
        tier: median_hours.map(Tier::of_recovery),
        reason: hours.is_empty().then_some(reason),
    }
}
