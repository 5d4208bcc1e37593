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

/// An RFC 3339 time from an export, on whole seconds (measures.md: all arithmetic on whole
/// seconds). `gh` writes `0001-01-01T00:00:00Z` for a time it does not have: that is none.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let time = DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc);
    if time.timestamp() <= 0 {
        return None;
    }
    DateTime::from_timestamp(time.timestamp(), 0)
}

/// Epoch milliseconds (Jenkins) on whole seconds.
pub fn from_millis(ms: i64) -> Option<DateTime<Utc>> {
    if ms <= 0 {
        return None;
    }
    DateTime::from_timestamp(ms.div_euclid(1000), 0)
}

impl Conclusion {
    /// GitHub's conclusion words, in any case (DevLake's synthetic rows are upper-case).
    pub fn from_github(word: &str) -> Conclusion {
        match word.to_ascii_lowercase().as_str() {
            "success" => Conclusion::Success,
            "failure" => Conclusion::Failure,
            "cancelled" => Conclusion::Cancelled,
            "timed_out" => Conclusion::TimedOut,
            "startup_failure" => Conclusion::StartupFailure,
            "action_required" => Conclusion::ActionRequired,
            "skipped" => Conclusion::Skipped,
            "neutral" => Conclusion::Neutral,
            "stale" => Conclusion::Stale,
            _ => Conclusion::Unknown,
        }
    }

    /// Failed in the sense of measures.md §6 (`failure`, `timed_out`, `startup_failure`).
    pub fn is_failed(self) -> bool {
        matches!(
            self,
            Conclusion::Failure | Conclusion::TimedOut | Conclusion::StartupFailure
        )
    }
}

impl Trigger {
    /// GitHub's `event`; `workflow_dispatch` is a person pressing "Run workflow".
    pub fn from_github(event: &str) -> Trigger {
        match event.to_ascii_lowercase().as_str() {
            "push" => Trigger::Push,
            "pull_request" | "pull_request_target" | "merge_group" => Trigger::PullRequest,
            "schedule" => Trigger::Schedule,
            "workflow_dispatch" => Trigger::Manual,
            "" => Trigger::Unknown,
            _ => Trigger::Other,
        }
    }
}
