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
    let mean_hours = mean(&hours);
    let median_hours = median(&hours);
    let reason = match (hours.is_empty(), in_window, unresolved) {
        (false, _, _) => None,
        (true, 0, _) => Some("no deployments in window".to_string()),
        (true, _, 0) => Some("no failed deployments in window".to_string()),
        (true, _, n) => Some(format!(
            "{n} failed deployments in window, none recovered yet"
        )),
    };
    Recovery {
        samples: hours.len(),
        mean_hours,
        median_hours,
        median_interval_hours: super::stats::median_interval(&hours),
        unresolved,
        // By the median (measures.md, Tiers): one long outage must not decide the tier.
        tier: median_hours.map(Tier::of_recovery),
        reason,
    }
}
