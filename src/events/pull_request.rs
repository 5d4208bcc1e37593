//! Pull requests (GitHub) and merge requests (GitLab) as lead time needs them (measures.md
//! §2, "Squash merges"): which pull request a commit on the main line came from, its original
//! commits, and when it was opened. git gives the first two (commit messages and
//! `refs/pull/N/head`), an API export (`--prs`) all three.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

/// Which forge's convention tied a commit to its pull request: the ref that holds the pull
/// request's original commits differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Forge {
    /// `… (#N)` at the end of a subject, `Merge pull request #N from …`; `refs/pull/N/head`.
    GitHub,
    /// A `See merge request group/project!N` trailer; `refs/merge-requests/N/head`.
    GitLab,
}

/// A pull request's number, and whose numbering it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PullRef {
    pub forge: Forge,
    pub number: u32,
}

impl PullRef {
    /// The ref GitHub or GitLab keeps the pull request's last pushed commits at.
    pub fn head_ref(self) -> String {
        match self.forge {
            Forge::GitHub => format!("refs/pull/{}/head", self.number),
            Forge::GitLab => format!("refs/merge-requests/{}/head", self.number),
        }
    }
}

/// One of a squashed pull request's original commits: what lead time takes from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Original {
    pub authored: DateTime<Utc>,
    pub committed: DateTime<Utc>,
    /// Its author matches `exclude_author`.
    pub excluded: bool,
}

/// A merged pull request as an API export gives it (`valueflow fetch github --pull-requests`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u32,
    pub merge_commit: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub merged_at: Option<DateTime<Utc>>,
    /// The author date of its first commit.
    pub first_commit_at: Option<DateTime<Utc>>,
    /// The pull request's author, for `exclude_author`.
    pub author: Option<String>,
    /// Its commits, oldest first, when the export lists them.
    pub commits: Vec<PullCommit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullCommit {
    pub authored: DateTime<Utc>,
    /// `Name <email>` or a login, for `exclude_author`.
    pub author: Option<String>,
}

/// Pull requests by number; one export holds one repository's.
#[derive(Debug, Clone, Default)]
pub struct PullRequests {
    by_number: HashMap<u32, PullRequest>,
}

impl PullRequests {
    /// Later entries of the same number win (a newer export given after an older one).
    pub fn new(list: impl IntoIterator<Item = PullRequest>) -> PullRequests {
        PullRequests {
            by_number: list.into_iter().map(|p| (p.number, p)).collect(),
        }
    }

    pub fn get(&self, number: u32) -> Option<&PullRequest> {
        self.by_number.get(&number)
    }

    pub fn is_empty(&self) -> bool {
        self.by_number.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_number.len()
    }
}
