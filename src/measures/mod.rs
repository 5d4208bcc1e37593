//! Pure functions over normalised events: one file per measure. Nothing here touches the file
//! system, the network or git.

pub mod change_failure_rate;
pub mod deployment_frequency;
pub mod failures;
pub mod lead_time;
pub mod recovery;
pub mod rework;
pub mod stats;
pub mod tier;

use serde::Serialize;

use crate::deployment::Deployment;
use crate::incidents::Incident;
use crate::settings::Settings;
use change_failure_rate::{ChangeFailureRate, change_failure_rate};
use deployment_frequency::{DeploymentFrequency, deployment_frequency};
use failures::{FailureRules, Failures};
use lead_time::{LeadTime, lead_time};
use recovery::{Recovery, recovery};
use rework::{Rework, rework};

/// Placeholder until CI exports are read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineHealth {
    pub runs: Option<usize>,
    pub zero_touch: Option<usize>,
    pub rate: Option<f64>,
    pub failed: Option<usize>,
    pub cancelled: Option<usize>,
    pub rerun: Option<usize>,
    pub manual_trigger: Option<usize>,
    pub manual_gate: Option<usize>,
    pub median_time_to_green_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PipelineHealth {
    pub fn unavailable(reason: &str) -> PipelineHealth {
        PipelineHealth {
            runs: None,
            zero_touch: None,
            rate: None,
            failed: None,
            cancelled: None,
            rerun: None,
            manual_trigger: None,
            manual_gate: None,
            median_time_to_green_hours: None,
            reason: Some(reason.to_string()),
        }
    }
}

/// The `measures` object of the report, keys as interface.md names them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measures {
    pub lead_time_for_changes: LeadTime,
    pub deployment_frequency: DeploymentFrequency,
    pub change_failure_rate: ChangeFailureRate,
    pub mean_time_to_recovery: Recovery,
    pub pipeline_health: PipelineHealth,
    pub deployment_rework_rate: Rework,
}

/// Every deployment measure over one sequence of deployments (the whole known history, so
/// that change sets and failure signals see beyond the window's edges).
pub fn compute(
    deployments: &[Deployment],
    incidents: &[Incident],
    settings: &Settings,
) -> (Measures, Failures) {
    let window = &settings.window;
    let failures = failures::detect(
        deployments,
        incidents,
        &FailureRules {
            hotfix_pattern: &settings.hotfix_pattern,
            hotfix_window: settings.hotfix_window,
            incident_window: settings.incident_window,
            count_failed_deploys: settings.count_failed_deploys,
        },
    );
    let measures = Measures {
        lead_time_for_changes: lead_time(deployments, window, settings.commit_time),
        deployment_frequency: deployment_frequency(deployments, window),
        change_failure_rate: change_failure_rate(deployments, &failures, window),
        mean_time_to_recovery: recovery(deployments, &failures, window),
        pipeline_health: PipelineHealth::unavailable("no CI run exports given (--ci)"),
        deployment_rework_rate: rework(deployments, window, &settings.hotfix_pattern),
    };
    (measures, failures)
}
