//! Lead Time for Changes (measures.md §2).

use schemars::JsonSchema;
use serde::Serialize;

use super::stats::{mean, median, percentile};
use super::tier::Tier;
use crate::events::CommitTime;
use crate::events::deployment::Deployment;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LeadTime {
    pub samples: usize,
    pub median_hours: Option<f64>,
    /// The distribution-free 90 % interval of the median; `null` below 5 samples.
    pub median_interval_hours: Option<[f64; 2]>,
    pub p90_hours: Option<f64>,
    pub mean_hours: Option<f64>,
    pub dropped: usize,
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Every sample, shortest first: the HTML view draws their distribution. Not in the JSON
    /// (one number per commit would swamp the contract).
    #[serde(skip)]
    pub sample_hours: Vec<f64>,
}

/// One deployment's samples in whole seconds (deployment time − commit time), in change-set
/// order, and how many were dropped as below 0 (clock skew). The JSON report carries them per
/// deployment so that a roll-up can take the median over the union of repositories' samples.
pub fn deployment_samples(deployment: &Deployment, commit_time: CommitTime) -> (Vec<i64>, usize) {
    let mut seconds = Vec::new();
    let mut dropped = 0;
    for change in deployment.changes.commits() {
        let started = match commit_time {
            CommitTime::Author => change.authored(),
            CommitTime::Committer => change.committed(),
        };
        let s = (deployment.time - started).num_seconds();
        if s < 0 {
            dropped += 1;
        } else {
            seconds.push(s);
        }
    }
    (seconds, dropped)
}

/// The lead-time figures of a set of samples (hours, any order): a window's, or a roll-up's
/// over the union of several repositories' samples. `reason` says why there are none.
pub fn from_samples(mut hours: Vec<f64>, dropped: usize, reason: Option<String>) -> LeadTime {
    hours.sort_by(f64::total_cmp);
    let median_hours = median(&hours);
    LeadTime {
        samples: hours.len(),
        median_hours,
        median_interval_hours: super::stats::median_interval(&hours),
        p90_hours: percentile(&hours, 0.9),
        mean_hours: mean(&hours),
        dropped,
        tier: median_hours.map(Tier::of_lead_time),
        reason: if hours.is_empty() { reason } else { None },
        sample_hours: hours,
    }
}

/// One sample per commit in the change sets of the deployments in the window: deployment time
/// minus commit time. Samples < 0 (clock skew) are dropped and counted; a sample of 0 is
/// real (a release commit tagged in the second it was made, a commit made on the main line).
pub fn lead_time(deployments: &[Deployment], window: &Window, commit_time: CommitTime) -> LeadTime {
    let mut hours = Vec::new();
    let mut dropped = 0;
    let in_window: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| window.contains(d.time))
        .collect();
    for deployment in &in_window {
        let (seconds, skewed) = deployment_samples(deployment, commit_time);
        dropped += skewed;
        hours.extend(seconds.iter().map(|s| *s as f64 / 3600.0));
    }
    let reason = if in_window.is_empty() {
        Some("no deployments in window".to_string())
    } else if dropped > 0 {
        Some(format!(
            "all {dropped} samples were before their commit time (clock skew)"
        ))
    } else {
        Some("no changes shipped in the window after a known earlier deployment".to_string())
    };
    from_samples(hours, dropped, reason)
}
