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

/// Text that many runs repeat (a workflow name, a branch, a commit): one shared copy per
/// distinct value (Export::add interns them), so a million runs of three workflows hold
/// three names, not a million. A compact `gh run list` export cost 3.5× its size in memory
/// with a String per field.
pub type Shared = std::sync::Arc<str>;

/// A run's id: a number for most providers, kept as one (no text per run); a UUID or other
/// text for CircleCI and Bitbucket.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RunId {
    Number(u64),
    Text(Box<str>),
}

impl From<&str> for RunId {
    /// Digits that read back the same ("42", not "042") are a number.
    fn from(text: &str) -> RunId {
        match text.parse::<u64>() {
            Ok(n) if n.to_string() == text => RunId::Number(n),
            _ => RunId::Text(text.into()),
        }
    }
}

impl From<u64> for RunId {
    fn from(n: u64) -> RunId {
        RunId::Number(n)
    }
}

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunId::Number(n) => write!(f, "{n}"),
            RunId::Text(text) => f.write_str(text),
        }
    }
}

impl Serialize for RunId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The commit a run built: 20 bytes when it is a full lower-case hex SHA-1, as every provider
/// writes it; the text as given otherwise. A 40-character string per run was a third of the
/// memory of a compact export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitId {
    Sha1([u8; 20]),
    Text(Shared),
}

impl From<&str> for CommitId {
    fn from(text: &str) -> CommitId {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut sha = [0u8; 20];
        let parsed = text.len() == 40
            && text.as_bytes().chunks(2).zip(&mut sha).all(|(pair, byte)| {
                match (digit(pair[0]), digit(pair[1])) {
                    (Some(high), Some(low)) => {
                        *byte = high << 4 | low;
                        true
                    }
                    _ => false,
                }
            });
        if parsed {
            CommitId::Sha1(sha)
        } else {
            CommitId::Text(text.into())
        }
    }
}

impl std::fmt::Display for CommitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommitId::Sha1(sha) => sha.iter().try_for_each(|byte| write!(f, "{byte:02x}")),
            CommitId::Text(text) => f.write_str(text),
        }
    }
}

impl Serialize for CommitId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PipelineRun {
    pub provider: Provider,
    /// The provider's run id (numeric for most, a UUID for CircleCI/Bitbucket).
    pub id: RunId,
    /// Workflow / pipeline / job name ("" when the export has none).
    pub workflow: Shared,
    /// Workflow file path where the provider has one (`.github/workflows/deploy.yml`).
    pub path: Option<Shared>,
    pub branch: Option<Shared>,
    pub commit: Option<CommitId>,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    /// 1 for the first attempt; re-runs count up.
    pub attempt: u32,
    pub trigger: Trigger,
    /// The provider's own word for the trigger (`push`, `workflow_dispatch`, `web`, …).
    pub event: Shared,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl PipelineRun {
    /// When the run counts as having happened: its finish, else its start while it runs.
    pub fn seen_at(&self) -> Option<DateTime<Utc>> {
        self.finished_at.or(self.started_at)
    }

    /// The numeric id, used to order runs that finish in the same second.
    pub fn numeric_id(&self) -> Option<u64> {
        match &self.id {
            RunId::Number(n) => Some(*n),
            RunId::Text(text) => text.parse().ok(),
        }
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

#[cfg(test)]
mod tests {
    use super::CommitId;

    #[test]
    fn commit_ids_read_back_as_written() {
        let sha = "0c5c7fd0a6a3a4506513270e269e0d37f2a74de4";
        assert!(matches!(CommitId::from(sha), CommitId::Sha1(_)));
        assert_eq!(CommitId::from(sha).to_string(), sha);
        // Upper case, short or not hex: kept as text, so they print as given.
        for text in [
            &sha.to_uppercase()[..],
            &sha[..39],
            "",
            "release-42",
            "g".repeat(40).as_str(),
        ] {
            assert!(matches!(CommitId::from(text), CommitId::Text(_)), "{text}");
            assert_eq!(CommitId::from(text).to_string(), text);
        }
    }
}
