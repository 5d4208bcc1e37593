//! Deployment Rework Rate (measures.md §7).

use regex::Regex;
use serde::Serialize;

use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rework {
    pub deployments: usize,
    pub rework: usize,
    pub rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A rollback, or a deployment that shipped nothing but reverts and hotfixes.
pub fn is_rework(deployment: &Deployment, hotfix_pattern: &Regex) -> bool {
    let commits = deployment.changes.commits();
    deployment.rollback
        || (!commits.is_empty()
            && commits
                .iter()
                .all(|c| c.reverts.is_some() || hotfix_pattern.is_match(&c.subject)))
}

pub fn rework(deployments: &[Deployment], window: &Window, hotfix_pattern: &Regex) -> Rework {
    let in_window: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| window.contains(d.time))
        .collect();
    let rework = in_window
        .iter()
        .filter(|d| is_rework(d, hotfix_pattern))
        .count();
    let total = in_window.len();
    Rework {
        deployments: total,
        rework,
        rate: (total > 0).then(|| rework as f64 / total as f64),
        reason: (total == 0).then(|| "no deployments in window".to_string()),
    }
}
