//! The key measures as a type: their JSON keys (interface.md) and the names people read.

use schemars::JsonSchema;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    LeadTimeForChanges,
    DeploymentFrequency,
    ChangeFailureRate,
    MeanTimeToRecovery,
    PipelineHealth,
    DeploymentReworkRate,
}

impl Measure {
    /// The key of the `measures` object and of `outcome.targets[].measure`.
    pub fn key(self) -> &'static str {
        match self {
            Measure::LeadTimeForChanges => "lead_time_for_changes",
            Measure::DeploymentFrequency => "deployment_frequency",
            Measure::ChangeFailureRate => "change_failure_rate",
            Measure::MeanTimeToRecovery => "mean_time_to_recovery",
            Measure::PipelineHealth => "pipeline_health",
            Measure::DeploymentReworkRate => "deployment_rework_rate",
        }
    }

    /// The name in the human views.
    pub fn name(self) -> &'static str {
        match self {
            Measure::LeadTimeForChanges => "Lead time for changes",
            Measure::DeploymentFrequency => "Deployment frequency",
            Measure::ChangeFailureRate => "Change failure rate",
            Measure::MeanTimeToRecovery => "Time to recovery",
            Measure::PipelineHealth => "Pipeline health",
            Measure::DeploymentReworkRate => "Deployment rework rate",
        }
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
