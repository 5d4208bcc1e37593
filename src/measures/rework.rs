//! Deployment Rework Rate (measures.md §7).

use schemars::JsonSchema;
use serde::Serialize;

use super::failures::Failures;
use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Rework {
    pub deployments: usize,
    pub rework: usize,
    pub rate: Option<f64>,
    /// The 90 % Wilson interval of `rate`.
    pub rate_interval: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The deployments in the window that remediated a failed deployment within `hotfix_window`
/// of it (the failure analysis marks them), over the deployments in the window. Each counts
/// once however many failures it remediates.
pub fn rework(deployments: &[Deployment], failures: &Failures, window: &Window) -> Rework {
    let mut total = 0;
    let mut rework = 0;
    for (i, deployment) in deployments.iter().enumerate() {
        if window.contains(deployment.time) {
            total += 1;
            rework += usize::from(failures.rework.get(i).copied().unwrap_or(false));
        }
    }
    from_counts(total, rework)
}

/// `rework` of `total` deployments: a window's, or a roll-up's.
pub fn from_counts(total: usize, rework: usize) -> Rework {
    Rework {
        deployments: total,
        rework,
        rate: (total > 0).then(|| rework as f64 / total as f64),
        rate_interval: super::stats::wilson(rework, total),
        reason: (total == 0).then(|| "no deployments in window".to_string()),
    }
}
