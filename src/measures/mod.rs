//! Pure functions over normalised events: one file per measure. Nothing here touches the file
//! system, the network or git.

pub mod change_failure_rate;
pub mod deployment_frequency;
pub mod failures;
pub mod lead_time;
pub mod pipeline_health;
pub mod recovery;
pub mod rework;
pub mod stats;
pub mod tier;

use schemars::JsonSchema;
use serde::Serialize;

use crate::events::CommitTime;
use crate::events::Incident;
use crate::events::PipelineRun;
use crate::events::PullRequests;
use crate::events::deployment::Deployment;
use crate::events::window::Window;
use change_failure_rate::{ChangeFailureRate, change_failure_rate};
use deployment_frequency::{DeploymentFrequency, deployment_frequency};
use failures::{FailureRules, Failures};
use lead_time::{LeadTime, lead_time};
pub use pipeline_health::PipelineHealth;
use pipeline_health::pipeline_health;
use recovery::{Recovery, recovery};
use rework::{Rework, rework};

/// The `measures` object of the report, keys as interface.md names them.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Measures {
    pub lead_time_for_changes: LeadTime,
    pub deployment_frequency: DeploymentFrequency,
    pub change_failure_rate: ChangeFailureRate,
    pub mean_time_to_recovery: Recovery,
    pub pipeline_health: PipelineHealth,
    pub deployment_rework_rate: Rework,
}

/// The settings the measures follow (measures.md), and nothing else of a run's settings.
#[derive(Debug, Clone)]
pub struct Rules<'a> {
    pub window: Window,
    pub commit_time: CommitTime,
    /// Authors whose commits lead time leaves out; `None`: everyone counts.
    pub exclude_author: Option<&'a regex::Regex>,
    pub failures: FailureRules<'a>,
}

/// Every measure: the deployment measures over one sequence of deployments (the whole known
/// history, so that change sets and failure signals see beyond the window's edges), and
/// Pipeline Health over the CI runs when exports were given.
pub fn compute(
    deployments: &[Deployment],
    incidents: &[Incident],
    pulls: &PullRequests,
    runs: Option<&[PipelineRun]>,
    rules: &Rules<'_>,
) -> (Measures, Failures) {
    let failures = failures::detect(deployments, incidents, &rules.failures);
    (
        with_failures(deployments, &failures, pulls, runs, rules),
        failures,
    )
}

/// Every measure over `rules.window`, with the failures already detected over the whole
/// sequence (they do not depend on the window): what `trend` runs once per period.
pub fn with_failures(
    deployments: &[Deployment],
    failures: &Failures,
    pulls: &PullRequests,
    runs: Option<&[PipelineRun]>,
    rules: &Rules<'_>,
) -> Measures {
    let window = &rules.window;
    Measures {
        lead_time_for_changes: lead_time(
            deployments,
            window,
            rules.commit_time,
            lead_time::Sources {
                exclude_author: rules.exclude_author,
                pulls,
            },
        ),
        deployment_frequency: deployment_frequency(deployments, window),
        change_failure_rate: change_failure_rate(deployments, failures, window),
        mean_time_to_recovery: recovery(deployments, failures, window),
        pipeline_health: pipeline_health(runs, window),
        deployment_rework_rate: rework(deployments, failures, window),
    }
}
