//! Change Failure Rate (measures.md §4).

use schemars::JsonSchema;
use serde::Serialize;

use super::failures::Failures;
use super::tier::Tier;
use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ChangeFailureRate {
    pub deployments: usize,
    pub failed: usize,
    pub rate: Option<f64>,
    /// The 90 % Wilson interval of `rate`: how sure a rate from this few deployments is.
    pub rate_interval: Option<[f64; 2]>,
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub fn change_failure_rate(
    deployments: &[Deployment],
    failures: &Failures,
    window: &Window,
) -> ChangeFailureRate {
    let (total, failed) = deployments
        .iter()
        .zip(&failures.by_deployment)
        .filter(|(d, _)| window.contains(d.time))
        .fold((0, 0), |(total, failed), (_, f)| {
            (total + 1, failed + usize::from(f.is_some()))
        });
    from_counts(total, failed)
}

/// The rate of `failed` of `total` deployments: a window's, or a roll-up's over all the
/// deployments of several repositories.
pub fn from_counts(total: usize, failed: usize) -> ChangeFailureRate {
    let rate = (total > 0).then(|| failed as f64 / total as f64);
    ChangeFailureRate {
        deployments: total,
        failed,
        rate,
        rate_interval: super::stats::wilson(failed, total),
        tier: rate.map(Tier::of_change_failure_rate),
        reason: (total == 0).then(|| "no deployments in window".to_string()),
    }
}
