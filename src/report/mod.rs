//! One Report value, built once, and its renderers: table, markdown, json, html.

pub mod chart;
pub mod diff;
pub mod html;
pub mod level;
pub mod markdown;
pub mod rollup;
pub mod table;
pub mod trend;
pub(crate) mod view;

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use schemars::JsonSchema;
use serde::Serialize;

use crate::events::deployment::{Deployment, Source};
use crate::events::window::{Window, rfc3339};
use crate::measures::Measures;
use crate::measures::failures::{Failures, Signal};
use crate::outcome::TargetResult;

pub use crate::output::write_atomically;

/// 2: `report` has a `trend` object; `trend` periods carry their `targets`.
pub const SCHEMA_VERSION: u32 = 2;

/// The report of `valueflow measure`; `report` wraps it with the assessment.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub repository: Repository,
    pub window: WindowInfo,
    pub deployments: Deployments,
    pub measures: Measures,
    pub warnings: Vec<String>,
    /// `--service NAME`: the `[[service]]` this report measures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The `[[service]]`s of the project file, each measured on its own, side by side with the
    /// whole repository above. Absent without services.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceReport>,
    /// The outcome targets, for the human views; `report` puts them in its `outcome` object.
    #[serde(skip)]
    pub targets: Vec<TargetResult>,
}

/// One `[[service]]` of a monorepo: its paths, its deployments and its own measures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ServiceReport {
    pub name: String,
    /// Its pathspecs as given; empty: the whole repository.
    pub paths: Vec<String>,
    pub deployments: ServiceDeployments,
    pub measures: Measures,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ServiceDeployments {
    pub source: Option<Source>,
    /// Deployments in the window.
    pub count: usize,
    /// Of those, how many shipped nothing that touches the paths.
    pub unchanged: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Repository {
    pub path: String,
    pub head: Option<String>,
    pub shallow: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WindowInfo {
    pub since: String,
    pub until: String,
    pub days: f64,
}

impl From<&Window> for WindowInfo {
    fn from(w: &Window) -> Self {
        WindowInfo {
            since: rfc3339(w.since),
            until: rfc3339(w.until),
            days: w.days(),
        }
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Deployments {
    pub source: Option<Source>,
    pub count: usize,
    pub list: Vec<DeploymentRow>,
    /// With the `ci` source: the workflows the deploy rule took, with their runs in the
    /// window and how many of those were deployments (succeeded), so that a team can see
    /// whether "Publish docs" was counted as a production deploy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workflows: Vec<DeployWorkflow>,
    /// With `--path` (or a service's `paths`): the pathspecs that scoped the change sets, as
    /// given. Absent for the whole repository.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// With paths: how many deployments in the window shipped nothing that touches them
    /// (each is still a deployment: it counts for frequency and failure rate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unchanged: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DeployWorkflow {
    pub name: String,
    pub runs: usize,
    pub deployments: usize,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DeploymentRow {
    pub commit: String,
    pub time: String,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Commits shipped; `null` when the commit is not in the local repository.
    pub changes: Option<usize>,
    pub rollback: bool,
    pub failed: bool,
    pub signals: Vec<Signal>,
    /// With paths: no commit of its change set touches them (shipped but unchanged).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unchanged: bool,
    /// What flagged it: "revert 1a2b3c4d5e in v1.3", "rollback v1.8", "incident INC-7".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flagged_by: Vec<String>,
    /// Its lead-time samples in whole seconds (deployment time − commit time), in change-set
    /// order (v2): what a roll-up over several repositories takes its medians from.
    pub lead_time_seconds: Vec<i64>,
    /// Samples dropped as below 0 (clock skew); left out when none.
    #[serde(skip_serializing_if = "is_zero")]
    pub lead_time_dropped: usize,
    /// A failed deployment's time to recovery in whole seconds, `null` while unresolved; left
    /// out when it did not fail (v2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_seconds: Option<Option<i64>>,
    /// It remediated a failed deployment (measures.md §7) (v2).
    pub rework: bool,
    /// A failed deployment's remediation, for the HTML timeline: when service was restored.
    #[serde(skip)]
    pub recovered_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Deployments {
    /// The deployments in the window, oldest first, with their failure signals.
    pub fn new(
        source: Option<Source>,
        sequence: &[Deployment],
        failures: &Failures,
        window: &Window,
        deploy_runs: &[crate::events::PipelineRun],
        commit_time: crate::events::CommitTime,
        sources: crate::measures::lead_time::Sources<'_>,
    ) -> Deployments {
        let list: Vec<DeploymentRow> = sequence
            .iter()
            .zip(&failures.by_deployment)
            .enumerate()
            .filter(|(_, (d, _))| window.contains(d.time))
            .map(|(i, (d, failure))| {
                let (lead_time_seconds, lead_time_dropped) =
                    crate::measures::lead_time::deployment_samples(d, commit_time, sources);
                DeploymentRow {
                    commit: d.commit.clone(),
                    time: rfc3339(d.time),
                    reference: d.label.clone(),
                    changes: d.changes.count(),
                    rollback: d.rollback,
                    failed: failure.is_some(),
                    signals: failure
                        .as_ref()
                        .map(|f| f.signals.clone())
                        .unwrap_or_default(),
                    unchanged: d.unchanged,
                    flagged_by: failure
                        .as_ref()
                        .map(|f| f.flagged_by.clone())
                        .unwrap_or_default(),
                    recovered_at: failure.as_ref().and_then(|f| f.recovered_at(d.time)),
                    lead_time_seconds,
                    lead_time_dropped,
                    recovery_seconds: failure
                        .as_ref()
                        .map(|f| f.recovery(d.time).map(|span| span.num_seconds())),
                    rework: failures.rework.get(i).copied().unwrap_or(false),
                }
            })
            .collect();
        let mut workflows: Vec<DeployWorkflow> = Vec::new();
        if source == Some(Source::Ci) {
            for run in deploy_runs {
                if !run.seen_at().is_some_and(|t| window.contains(t)) {
                    continue;
                }
                let name = match (&*run.workflow, run.path.as_deref()) {
                    ("", Some(path)) => path,
                    (name, _) => name,
                };
                let ok = run.conclusion == Some(crate::events::Conclusion::Success);
                match workflows.iter_mut().find(|w| w.name == name) {
                    Some(w) => {
                        w.runs += 1;
                        w.deployments += usize::from(ok);
                    }
                    None => workflows.push(DeployWorkflow {
                        name: name.to_string(),
                        runs: 1,
                        deployments: usize::from(ok),
                    }),
                }
            }
            workflows.sort_by(|a, b| b.runs.cmp(&a.runs).then_with(|| a.name.cmp(&b.name)));
        }
        Deployments {
            source,
            count: list.len(),
            paths: Vec::new(),
            unchanged: None,
            list,
            workflows,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Deployments {
    /// Scoped by a path filter: names its pathspecs and counts the unchanged deployments.
    /// Without one, nothing changes (the whole repository's report keeps its keys).
    pub fn scoped(mut self, paths: &crate::events::Paths) -> Deployments {
        if !paths.is_empty() {
            self.unchanged = Some(self.list.iter().filter(|d| d.unchanged).count());
            self.paths = paths.given().to_vec();
        }
        self
    }
}

/// The views of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Markdown,
    Json,
    Html,
}

impl Format {
    /// The format `-o`'s extension implies: `.md` or `.markdown`, `.json`, `.html` or `.htm`,
    /// `.txt` (the table);
    /// the table without `-o` or without an extension. Any other extension is refused: a
    /// table written to `report.html` or `report.csv` looks like a success and opens as
    /// nothing the name promises.
    pub fn implied_by(output: Option<&Path>) -> Result<Format, UnknownFormat> {
        let Some(path) = output else {
            return Ok(Format::Table);
        };
        let Some(extension) = path.extension() else {
            return Ok(Format::Table);
        };
        match extension.to_string_lossy().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "md" | "markdown" => Ok(Format::Markdown),
            "html" | "htm" => Ok(Format::Html),
            "txt" => Ok(Format::Table),
            _ => Err(UnknownFormat {
                path: path.to_path_buf(),
                extension: extension.to_string_lossy().into_owned(),
            }),
        }
    }
}

/// `-o` names a file whose extension is none of the report formats, and no --format was given.
#[derive(Debug, thiserror::Error)]
#[error(
    "-o {}: unknown report format {extension:?}: use .md, .json, .html or .txt, or --format table|markdown|json|html",
    path.display()
)]
pub struct UnknownFormat {
    pub path: std::path::PathBuf,
    pub extension: String,
}

/// Writes rendered text to `output` (see `output::write_atomically`), or standard output.
/// Writes a rendered report to `output`, else to standard output; the table view gets its
/// colours there when standard output is a terminal.
pub fn emit_as(text: &str, format: Format, output: Option<&Path>) -> Result<()> {
    if format == Format::Table && output.is_none() {
        let text = table::colourise(text);
        if crate::pager::page(&text) {
            return Ok(());
        }
        return emit(&text, None);
    }
    emit(text, output)
}

pub fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write to standard output")
        }
        Some(path) => write_atomically(path, text.as_bytes()),
    }
}

/// JSON: the contract (interface.md), pretty-printed, ending in a newline.
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value).context("cannot encode the report")?;
    text.push('\n');
    Ok(text)
}

/// The measure report (`valueflow measure`) in a format.
pub fn render(report: &Report, format: Format) -> Result<String> {
    Ok(match format {
        Format::Json => to_json(report)?,
        Format::Table => table::render(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    })
}

/// The level report (`valueflow report`): the measures with the assessment, in a format.
pub fn render_level(report: &level::LevelReport<'_>, format: Format) -> Result<String> {
    Ok(match format {
        Format::Json => to_json(report)?,
        Format::Table => level::table_view(report),
        Format::Markdown => level::markdown_view(report),
        Format::Html => html::render_level(report),
    })
}
