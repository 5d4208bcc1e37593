//! A roll-up of several repositories: what a team or an organisation delivers across its
//! repositories, from what each repository's JSON report carries (per deployment: its time,
//! its lead-time samples, whether it failed, its recovery time, whether it was rework).
//!
//! Medians are over the **union of the samples**, never a median of medians: a repository
//! with 2 commits must not weigh as much as one with 2,000. Rates are over all deployments.
//! The in-run roll-up (`measure -C a -C b`) reads each report through the same JSON as
//! `aggregate` reads saved files, so both give the same figures. Pure: no file system.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::events::Measure;
use crate::events::window::{Window, rfc3339};
use crate::measures::pipeline_health::PipelineHealth;
use crate::measures::{
    Measures, change_failure_rate, deployment_frequency, lead_time, recovery, rework, stats,
};
use crate::outcome::{self, TargetResult, Targets};
use crate::report::{Report, Tool, WindowInfo};

/// Windows further apart than this are named in a warning: a CI matrix whose jobs ran
/// minutes apart with `--since 90d` is one window, a report from last month is not.
const SAME_WINDOW_SECONDS: i64 = 24 * 3600;

/// What one repository's report contributes: the keys of the JSON report a roll-up needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Contribution {
    pub repository: SavedRepository,
    window: SavedWindow,
    deployments: SavedDeployments,
    measures: SavedMeasures,
    /// The repository's own warnings: the roll-up repeats them, each under its path.
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct SavedTool {
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SavedRepository {
    pub path: String,
    pub head: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct SavedWindow {
    since: DateTime<Utc>,
    until: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
struct SavedDeployments {
    list: Vec<Shipped>,
}

/// One deployment as the report lists it.
#[derive(Debug, Clone, Deserialize)]
struct Shipped {
    time: DateTime<Utc>,
    lead_time_seconds: Vec<i64>,
    #[serde(default)]
    lead_time_dropped: usize,
    failed: bool,
    /// Absent: it did not fail; `null`: failed, not recovered yet.
    #[serde(default, deserialize_with = "present")]
    recovery_seconds: Option<Option<i64>>,
    rework: bool,
}

/// A key that is there, `null` or not: `Some(value)`; a missing key takes the default `None`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

#[derive(Debug, Clone, Deserialize)]
struct SavedMeasures {
    pipeline_health: SavedPipeline,
}

/// Pipeline health's counts: `null` where the report had no CI runs.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
struct SavedPipeline {
    runs: Option<usize>,
    zero_touch: Option<usize>,
    failed: Option<usize>,
    cancelled: Option<usize>,
    rerun: Option<usize>,
    manual_trigger: Option<usize>,
    manual_gate: Option<usize>,
}

/// Why a report cannot be rolled up.
#[derive(Debug, thiserror::Error)]
pub enum ContributionError {
    #[error("{line}:{column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a valueflow report (its tool is {0:?})")]
    NotValueflow(String),
    #[error(
        "written with schema_version {0}, which carries no per-deployment samples: measure it \
         again with this valueflow (schema_version 2)"
    )]
    TooOld(u32),
}

impl Contribution {
    /// A saved `measure` or `report` JSON report.
    pub fn parse(text: &str) -> Result<Contribution, ContributionError> {
        // The version first: a version 1 report lacks the samples, and saying so beats
        // "missing field lead_time_seconds".
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<u32>,
            tool: Option<SavedTool>,
        }
        let json = |e: serde_json::Error| ContributionError::Json {
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or("")
                .to_string(),
        };
        let version: Version = serde_json::from_str(text).map_err(json)?;
        match (version.tool, version.schema_version) {
            (Some(tool), _) if tool.name != "valueflow" => {
                return Err(ContributionError::NotValueflow(tool.name));
            }
            (None, _) | (_, None) => {
                return Err(ContributionError::NotValueflow(String::new()));
            }
            (_, Some(v)) if v < 2 => return Err(ContributionError::TooOld(v)),
            _ => {}
        }
        serde_json::from_str(text).map_err(json)
    }

    /// A report of this run, read through its JSON as `aggregate` reads a saved one.
    pub fn of(report: &Report) -> Result<Contribution, serde_json::Error> {
        serde_json::from_value(serde_json::to_value(report)?)
    }

    fn window(&self) -> Window {
        Window {
            since: self.window.since,
            until: self.window.until,
        }
    }
}

/// One repository's row: its own figures, computed as the roll-up computes the union's.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Row {
    pub path: String,
    pub head: Option<String>,
    pub window: WindowInfo,
    /// The outcome targets it misses: the rows are sorted by how many, most first.
    pub missed: Vec<Measure>,
    pub measures: Measures,
}

/// `valueflow aggregate` and `measure -C A -C B …`: the roll-up and its repositories.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Rollup {
    pub schema_version: u32,
    pub tool: Tool,
    /// From the earliest `since` to the latest `until` of the repositories' windows.
    pub window: WindowInfo,
    /// Over the union of every repository's deployments and samples.
    pub measures: Measures,
    /// The standard's outcome targets, judged on the roll-up's figures.
    pub outcome: Vec<TargetResult>,
    /// One per repository, most targets missed first.
    pub repositories: Vec<Row>,
    pub warnings: Vec<String>,
}

/// The roll-up of `contributions` (at least one).
pub fn rollup(contributions: &[Contribution]) -> Rollup {
    let mut warnings = Vec::new();
    let mut kept: Vec<&Contribution> = Vec::new();
    for c in contributions {
        let same = |k: &&Contribution| {
            k.repository.path == c.repository.path && k.repository.head == c.repository.head
        };
        if kept.iter().any(same) {
            warnings.push(format!(
                "{} is given twice: counted once",
                c.repository.path
            ));
        } else {
            warnings.extend(
                c.warnings
                    .iter()
                    .map(|w| format!("{}: {w}", c.repository.path)),
            );
            kept.push(c);
        }
    }
    let since = kept.iter().map(|c| c.window.since).min();
    let until = kept.iter().map(|c| c.window.until).max();
    let window = match (since, until) {
        (Some(since), Some(until)) => Window { since, until },
        _ => Window {
            since: DateTime::<Utc>::MIN_UTC,
            until: DateTime::<Utc>::MIN_UTC,
        },
    };
    let apart = |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).num_seconds().abs();
    if kept.iter().any(|c| {
        apart(c.window.since, window.since) > SAME_WINDOW_SECONDS
            || apart(c.window.until, window.until) > SAME_WINDOW_SECONDS
    }) {
        warnings.push(format!(
            "the repositories' windows differ by more than a day: deployment frequency is over \
             the union, {} to {}",
            rfc3339(window.since),
            rfc3339(window.until)
        ));
    }
    let targets = Targets::default();
    let mut rows: Vec<Row> = kept
        .iter()
        .map(|c| {
            let measures = measures_of(&[c], &c.window());
            let missed = outcome::evaluate(&measures, &targets)
                .into_iter()
                .filter(|t| t.met == Some(false))
                .map(|t| t.measure)
                .collect();
            Row {
                path: c.repository.path.clone(),
                head: c.repository.head.clone(),
                window: (&c.window()).into(),
                missed,
                measures,
            }
        })
        .collect();
    // The gap to target: most targets missed first, then the longest lead time.
    rows.sort_by(|a, b| {
        b.missed.len().cmp(&a.missed.len()).then_with(|| {
            let lead = |r: &Row| r.measures.lead_time_for_changes.median_hours;
            lead(b)
                .partial_cmp(&lead(a))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.path.cmp(&b.path))
        })
    });
    let measures = measures_of(&kept, &window);
    Rollup {
        schema_version: crate::report::SCHEMA_VERSION,
        tool: Tool::default(),
        window: (&window).into(),
        outcome: outcome::evaluate(&measures, &targets),
        measures,
        repositories: rows,
        warnings,
    }
}

/// Every measure over the union of the contributions' deployments and samples.
fn measures_of(contributions: &[&Contribution], window: &Window) -> Measures {
    let shipped: Vec<&Shipped> = contributions
        .iter()
        .flat_map(|c| &c.deployments.list)
        .collect();
    let none = shipped.is_empty();
    let no_deployments = || "no deployments in window".to_string();

    let hours: Vec<f64> = shipped
        .iter()
        .flat_map(|d| &d.lead_time_seconds)
        .map(|s| *s as f64 / 3600.0)
        .collect();
    let dropped = shipped.iter().map(|d| d.lead_time_dropped).sum();
    let lead = lead_time::from_samples(
        hours,
        dropped,
        Some(if none {
            no_deployments()
        } else {
            "no changes shipped in the window after a known earlier deployment".to_string()
        }),
    );

    let times: Vec<DateTime<Utc>> = shipped.iter().map(|d| d.time).collect();
    let frequency = deployment_frequency::from_times(&times, window);

    let failed = shipped.iter().filter(|d| d.failed).count();
    let cfr = change_failure_rate::from_counts(shipped.len(), failed);

    let recoveries: Vec<f64> = shipped
        .iter()
        .filter_map(|d| d.recovery_seconds.flatten())
        .map(|s| s as f64 / 3600.0)
        .collect();
    let unresolved = shipped
        .iter()
        .filter(|d| d.recovery_seconds == Some(None))
        .count();
    let recovery = recovery::from_samples(
        &recoveries,
        unresolved,
        match (none, unresolved) {
            (true, _) => no_deployments(),
            (false, 0) => "no failed deployments in window".to_string(),
            (false, n) => format!("{n} failed deployments in window, none recovered yet"),
        },
    );

    let rework = rework::from_counts(shipped.len(), shipped.iter().filter(|d| d.rework).count());

    Measures {
        lead_time_for_changes: lead,
        deployment_frequency: frequency,
        change_failure_rate: cfr,
        mean_time_to_recovery: recovery,
        pipeline_health: pipeline(contributions),
        deployment_rework_rate: rework,
    }
}

/// Pipeline health's counts summed over the repositories that had CI runs. The median time
/// to green is not rolled up: the reports do not carry the red streaks, and a median of
/// medians is not the median of the union.
fn pipeline(contributions: &[&Contribution]) -> PipelineHealth {
    let measured: Vec<SavedPipeline> = contributions
        .iter()
        .map(|c| c.measures.pipeline_health)
        .filter(|p| p.runs.is_some())
        .collect();
    if measured.is_empty() {
        return PipelineHealth::unavailable("no CI runs in any repository's report");
    }
    let sum =
        |f: fn(&SavedPipeline) -> Option<usize>| -> usize { measured.iter().filter_map(f).sum() };
    let runs = sum(|p| p.runs);
    let zero_touch = sum(|p| p.zero_touch);
    PipelineHealth {
        runs: Some(runs),
        zero_touch: Some(zero_touch),
        rate: (runs > 0).then(|| zero_touch as f64 / runs as f64),
        rate_interval: stats::wilson(zero_touch, runs),
        failed: Some(sum(|p| p.failed)),
        cancelled: Some(sum(|p| p.cancelled)),
        rerun: Some(sum(|p| p.rerun)),
        manual_trigger: Some(sum(|p| p.manual_trigger)),
        manual_gate: Some(sum(|p| p.manual_gate)),
        median_time_to_green_hours: None,
        reason: None,
    }
}
