//! The normalised facts every stage speaks: the sources (git history, CI exports, incidents)
//! produce them, the measures read them, nothing here reads a file or a repository.

pub mod deployment;
pub mod incident;
pub mod measure;
pub mod paths;
pub mod period;
pub mod pipeline_run;
pub mod pull_request;
pub mod window;

pub use deployment::{Candidate, Change, ChangeSet, Deployment, Revert, Source, TieBreak};
pub use incident::Incident;
pub use measure::Measure;
pub use paths::Paths;
pub use pipeline_run::{
    CommitId, Conclusion, DeploymentRecord, PipelineRun, Provider, RunId, Shared, Status, Trigger,
};
pub use pull_request::{Forge, Original, PullCommit, PullRef, PullRequest, PullRequests};
pub use window::Window;

/// Which commit date starts a lead time (measures.md §2, `commit_time`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CommitTime {
    /// The author date: survives rebases and amends.
    #[default]
    Author,
    /// The committer date: when the commit took its final form.
    Committer,
}

impl CommitTime {
    pub fn as_str(self) -> &'static str {
        match self {
            CommitTime::Author => "author",
            CommitTime::Committer => "committer",
        }
    }
}
