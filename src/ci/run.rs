//! The one normalised pipeline run every provider's export is read into.

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    GithubActions,
    Gitlab,
    Jenkins,
    Circleci,
    AzureDevops,
    Bitbucket,
}

/// Where a run is in its life. Providers spell these many ways (and DevLake's synthetic rows
/// in upper case): every reader maps them here and keeps nothing it does not recognise as
/// `completed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Completed,
    /// Queued, running, waiting for a runner or an approval.
    Pending,
    Unknown,
}

/// How a completed run ended, in GitHub's vocabulary (measures.md §6 is written in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    Success,
    Failure,
    Cancelled,
    TimedOut,
    StartupFailure,
    /// Waiting for a person: GitHub `action_required`, GitLab `manual`.
    ActionRequired,
    Skipped,
    Neutral,
    Stale,
    Unknown,
}

/// What started a run. `Manual` is a person pressing a button (GitHub `workflow_dispatch`,
/// GitLab `web`, Jenkins "started by user"), which is never zero-touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Push,
    PullRequest,
    Schedule,
    Manual,
    Other,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineRun {
    pub provider: Provider,
    /// The provider's run id as text (numeric for most, a UUID for CircleCI/Bitbucket).
    pub id: String,
    /// Workflow / pipeline / job name ("" when the export has none).
    pub workflow: String,
    /// Workflow file path where the provider has one (`.github/workflows/deploy.yml`).
    pub path: Option<String>,
    pub branch: Option<String>,
    pub commit: Option<String>,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    /// 1 for the first attempt; re-runs count up.
    pub attempt: u32,
    pub trigger: Trigger,
    /// The provider's own word for the trigger (`push`, `workflow_dispatch`, `web`, …).
    pub event: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl PipelineRun {
    /// The numeric id, used to order runs that finish in the same second.
    pub fn numeric_id(&self) -> Option<u64> {
        self.id.parse().ok()
    }

    pub fn completed(&self) -> bool {
        self.status == Status::Completed
    }
}

/// A deployment record of the provider's deployments API (GitHub deployments with their
/// statuses, GitLab deployments, Bitbucket deployments): an environment, a commit, a state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeploymentRecord {
    pub provider: Provider,
    pub id: String,
    pub environment: String,
    pub commit: Option<String>,
    /// The latest state, lower-case (`success`, `failure`, `in_progress`, …).
    pub state: String,
    /// When the latest state was reached.
    pub time: Option<DateTime<Utc>>,
}
