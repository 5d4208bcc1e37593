//! Which pull request a commit on the main line came from, by the commit messages'
//! conventions, and a squashed pull request's original commits from the ref the forge keeps
//! them at (measures.md §2, "Squash merges").

use std::sync::LazyLock;

use git2::Oid;
use regex::Regex;

use super::{Repo, utc};
use crate::events::deployment::{ChangeSet, Deployment};
use crate::events::pull_request::{Forge, Original, PullRef};

/// GitHub's squash and rebase-less merges append ` (#N)` to the subject. A subject that names
/// several (`Backport (#12) (#34)`) ends with the pull request that was merged: the last wins.
static SUBJECT_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(#([0-9]{1,9})\)\s*$").expect("a valid literal pattern"));

/// GitHub's merge commits: `Merge pull request #N from owner/branch`.
static MERGE_PULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^Merge pull request #([0-9]{1,9}) from ").expect("a valid literal pattern")
});

/// GitLab's merge and squash commit templates end with `See merge request group/project!N`.
static MERGE_REQUEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^See merge request \S*!([0-9]{1,9})\s*$").expect("a valid literal pattern")
});

/// The pull request a first-parent commit's message names, and whether the commit is a squash
/// of it. A non-merge commit is a squash commit when its subject ends in `(#N)` or its message
/// has GitLab's trailer (the last trailer when several); a merge commit names the pull request
/// it merged by `Merge pull request #N from …`, the trailer, or `(#N)` (merge queues).
pub fn pull_of(message: &str, merge: bool) -> Option<PullRef> {
    let subject = message.lines().next().unwrap_or_default();
    let number = |caps: Option<regex::Captures<'_>>| caps.and_then(|c| c[1].parse::<u32>().ok());
    let github = |number: u32| PullRef {
        forge: Forge::GitHub,
        number,
    };
    if merge && let Some(n) = number(MERGE_PULL.captures(subject)) {
        return Some(github(n));
    }
    if let Some(n) = number(SUBJECT_NUMBER.captures(subject)) {
        return Some(github(n));
    }
    number(MERGE_REQUEST.captures_iter(message).last()).map(|number| PullRef {
        forge: Forge::GitLab,
        number,
    })
}

/// What reading the pull requests' refs found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RefScan {
    /// Squash commits whose pull request's head ref is here.
    pub found: usize,
    /// Squash commits whose ref is not (never fetched, or deleted).
    pub missing: usize,
    /// Commits that named a pull request whose head is already in the main line's history:
    /// a mention or a cherry-pick, not a squash; kept as ordinary commits.
    pub not_squashes: usize,
}

impl Repo {
    /// Gives every squash commit of the deployments from `from` on its original commits, read
    /// from `refs/pull/N/head` (GitLab: `refs/merge-requests/N/head`): the non-merge commits
    /// of `git rev-list HEAD_REF ^SQUASH^1`, those the squash did not already have on the
    /// main line. Each ref is looked up by name, so the cost follows the squash commits in the
    /// window, not the number of pull requests the repository keeps.
    pub fn attach_originals(
        &self,
        deployments: &mut [Deployment],
        from: usize,
        exclude_author: Option<&Regex>,
    ) -> RefScan {
        let mut scan = RefScan::default();
        for deployment in deployments.iter_mut().skip(from) {
            let ChangeSet::Commits(changes) = &mut deployment.changes else {
                continue;
            };
            for change in changes.iter_mut() {
                let landing = change.landing();
                let (true, Some(pull)) = (landing.squash, landing.pull) else {
                    continue;
                };
                let squash = Oid::from_bytes(change.sha_bytes()).ok();
                match squash.and_then(|oid| self.originals(oid, pull, exclude_author)) {
                    Some(originals) if originals.is_empty() => {
                        let landing = change.landing_mut();
                        landing.squash = false;
                        landing.pull = None;
                        scan.not_squashes += 1;
                    }
                    Some(originals) => {
                        change.landing_mut().originals = Some(originals.into_boxed_slice());
                        scan.found += 1;
                    }
                    None => scan.missing += 1,
                }
            }
        }
        scan
    }

    /// The pull request's commits that the squash's parent does not reach, oldest author date
    /// first; `None` when its head ref is not here.
    fn originals(
        &self,
        squash: Oid,
        pull: PullRef,
        exclude_author: Option<&Regex>,
    ) -> Option<Vec<Original>> {
        let head = self
            .git
            .find_reference(&pull.head_ref())
            .ok()?
            .peel_to_commit()
            .ok()?
            .id();
        let parent: Vec<Oid> = self
            .git
            .find_commit(squash)
            .ok()?
            .parent_ids()
            .take(1)
            .collect();
        let mut originals: Vec<Original> = super::walk::rev_list(&self.git, &[head], &parent)
            .into_iter()
            .filter_map(|oid| self.git.find_commit(oid).ok())
            .filter(|commit| commit.parent_count() <= 1)
            .map(|commit| Original {
                authored: utc(commit.author().when()),
                committed: utc(commit.committer().when()),
                excluded: excluded(exclude_author, &commit.author()),
            })
            .collect();
        originals.sort_by_key(|o| (o.authored, o.committed));
        Some(originals)
    }
}

/// Whether a commit's author, as `Name <email>`, matches `exclude_author`.
pub fn excluded(exclude_author: Option<&Regex>, author: &git2::Signature<'_>) -> bool {
    exclude_author.is_some_and(|pattern| {
        let identity = format!(
            "{} <{}>",
            String::from_utf8_lossy(author.name_bytes()),
            String::from_utf8_lossy(author.email_bytes())
        );
        pattern.is_match(&identity)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github(number: u32) -> Option<PullRef> {
        Some(PullRef {
            forge: Forge::GitHub,
            number,
        })
    }

    #[test]
    fn squash_subjects_merge_subjects_and_gitlab_trailers() {
        assert_eq!(pull_of("Fix the cache (#42)", false), github(42));
        assert_eq!(pull_of("Fix the cache (#42)  \n\nbody", false), github(42));
        // The last number is the pull request that was squashed (a backport names the first).
        assert_eq!(pull_of("Backport x (#12) (#34)", false), github(34));
        assert_eq!(pull_of("Fix (#42) in the cache", false), None);
        assert_eq!(pull_of("Fix #42", false), None);
        assert_eq!(
            pull_of("Merge pull request #9813 from cli/wm/x\n\nUpdate", true),
            github(9813)
        );
        // Only a merge commit's subject says it merged a pull request.
        assert_eq!(pull_of("Merge pull request #7 from a/b", false), None);
        assert_eq!(
            pull_of(
                "Add x\n\nCloses #3\n\nSee merge request group/app!17\n",
                false
            ),
            Some(PullRef {
                forge: Forge::GitLab,
                number: 17
            })
        );
        assert_eq!(pull_of("Add x\n\nsee merge request !17", false), None);
        // More digits than any forge numbers: not a pull request.
        assert_eq!(pull_of("x (#12345678901)", false), None);
    }
}
