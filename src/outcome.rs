//! The outcome statement's targets (measures.md, last table) and how the measured values meet
//! them. Defaults come from the standard; `[outcome]` in valueflow.toml overrides them.

use crate::events::Measure;
use schemars::JsonSchema;
use serde::Serialize;

use crate::measures::Measures;

/// Targets, with the standard's defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Targets {
    /// Median lead time for changes must be below this many hours.
    pub lead_time_hours: f64,
    /// Change failure rate must be below this fraction.
    pub change_failure_rate: f64,
    /// Zero-touch share of pipeline runs must be at least this fraction.
    pub pipeline_health: f64,
    /// Deployments per day must be at least this.
    pub deployments_per_day: f64,
    /// Mean time to recovery must be below this many hours.
    pub recovery_hours: f64,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            lead_time_hours: 24.0,
            change_failure_rate: 0.05,
            pipeline_health: 0.95,
            deployments_per_day: 1.0,
            recovery_hours: 1.0,
        }
    }
}

/// One target against its measured value. `met` is `None` when the measure could not be
/// computed (unknown, not failed).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetResult {
    /// The measure's JSON key, e.g. `lead_time_for_changes`.
    pub measure: Measure,
    /// For people: `< 24 h`, `< 5%`, `>= 95%`, `>= 1/day`.
    pub target: String,
    pub actual: Option<f64>,
    pub samples: Option<usize>,
    pub met: Option<bool>,
    /// The target as a number in `actual`'s unit, for the charts; `target` says it for people.
    #[serde(skip)]
    pub goal: f64,
    /// Whether the target is a floor (`>=`) rather than a ceiling (`<`).
    #[serde(skip)]
    pub at_least: bool,
}

/// Each target against what was measured, in the order of the standard's outcome statement.
pub fn evaluate(measures: &Measures, targets: &Targets) -> Vec<TargetResult> {
    let lead = &measures.lead_time_for_changes;
    let cfr = &measures.change_failure_rate;
    let health = &measures.pipeline_health;
    let freq = &measures.deployment_frequency;
    let mttr = &measures.mean_time_to_recovery;
    let result =
        |measure, target, actual: Option<f64>, samples, met: fn(f64, f64) -> bool, goal| {
            TargetResult {
                measure,
                target,
                actual,
                samples,
                met: actual.map(|a| met(a, goal)),
                goal,
                // A floor (>=) is met by the goal itself, a ceiling (<) is not.
                at_least: met(goal, goal),
            }
        };
    vec![
        result(
            Measure::LeadTimeForChanges,
            format!("< {} h", targets.lead_time_hours),
            lead.median_hours,
            Some(lead.samples),
            |a, g| a < g,
            targets.lead_time_hours,
        ),
        result(
            Measure::ChangeFailureRate,
            format!("< {}%", targets.change_failure_rate * 100.0),
            cfr.rate,
            Some(cfr.deployments),
            |a, g| a < g,
            targets.change_failure_rate,
        ),
        result(
            Measure::PipelineHealth,
            format!(">= {}%", targets.pipeline_health * 100.0),
            health.rate,
            health.runs,
            |a, g| a >= g,
            targets.pipeline_health,
        ),
        result(
            Measure::DeploymentFrequency,
            format!(">= {}/day", targets.deployments_per_day),
            freq.per_day,
            Some(freq.deployments),
            |a, g| a >= g,
            targets.deployments_per_day,
        ),
        result(
            Measure::MeanTimeToRecovery,
            format!("< {} h", targets.recovery_hours),
            mttr.mean_hours,
            Some(mttr.samples),
            |a, g| a < g,
            targets.recovery_hours,
        ),
    ]
}
