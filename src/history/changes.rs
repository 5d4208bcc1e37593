//! Change sets by ancestry (measures.md §2): each commit belongs to the first deployment that
//! reaches it, whatever branches it travelled; merge commits are not changes.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use git2::Oid;
use regex::Regex;

use super::{HistoryError, Repo, utc};
use crate::events::deployment::{Change, ChangeSet, Deployment, Revert, Sequenced, Source};

/// git's default revert message.
static REVERTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"This reverts commit ([0-9a-fA-F]{7,64})").expect("a valid literal pattern")
});

impl Repo {
    /// Gives each deployment of an ordered sequence its change set and rollback flag.
    ///
    /// One walk in total: deployment i's walk stops at commits an earlier deployment reached,
    /// which is `git rev-list D ^P1 ^P2 …` without re-walking history for every deployment.
    ///
    /// Only the window's deployments need change sets, so the cost follows the window: every
    /// deployment before the last one ahead of `since` is dropped from the result, and their
    /// commits (with that last one's) are hidden from a single walk that finds the commits
    /// new since then (`git rev-list WINDOW… ^EARLIER…`). The change set walks stay inside
    /// that set.
    pub fn change_sets(
        &self,
        mut sequence: Vec<Sequenced>,
        source: Source,
        since: DateTime<Utc>,
    ) -> Result<Vec<Deployment>, HistoryError> {
        // Each deployment's commit, when it is here (a CI deployment's may not be).
        let mut oids: Vec<Option<Oid>> = sequence
            .iter()
            .map(|s| {
                Oid::from_str(&s.candidate.commit)
                    .ok()
                    .filter(|oid| self.git.find_commit(*oid).is_ok())
            })
            .collect();
        let first_current = sequence.partition_point(|s| s.candidate.time < since);
        // The last deployment before the window whose commit is here is the boundary;
        // everything before it is only needed as hidden history.
        let boundary = (0..first_current).rev().find(|&j| oids[j].is_some());
        let cut = boundary.unwrap_or(0);
        let earlier: Vec<Sequenced> = sequence.drain(..cut).collect();
        let hidden_before: Vec<Oid> = oids.drain(..cut).flatten().collect();
        // `git rev-list WINDOW… ^BOUNDARY ^EARLIER…`: the commits the walks below may take.
        let new_commits = boundary.map(|_| {
            let hidden: Vec<Oid> = oids[..1]
                .iter()
                .flatten()
                .chain(&hidden_before)
                .copied()
                .collect();
            let tips: Vec<Oid> = oids[1..].iter().flatten().copied().collect();
            super::walk::rev_list(&self.git, &tips, &hidden)
        });
        // commit -> index of the first deployment that shipped it
        let mut shipped: HashMap<Oid, usize> = HashMap::new();
        let mut deployed: HashSet<&str> = earlier
            .iter()
            .map(|s| s.candidate.commit.as_str())
            .collect();
        let mut sets = Vec::with_capacity(sequence.len());
        let mut rollbacks = Vec::with_capacity(sequence.len());
        // With an earlier deployment kept, the first one is that deployment, outside the
        // window: its change set is not needed and its history is where the walks stop.
        let mut walked_any = false;
        for (i, Sequenced { candidate, .. }) in sequence.iter().enumerate() {
            // Sequencing removed consecutive duplicates, so an equal earlier commit is an older,
            // not the previous, deployment.
            let mut rollback = !deployed.insert(candidate.commit.as_str());
            let Some(oid) = oids[i] else {
                sets.push(ChangeSet::Missing);
                rollbacks.push(rollback);
                continue;
            };
            if i == 0 && new_commits.is_some() {
                sets.push(ChangeSet::History { commits: 0 });
                rollbacks.push(rollback);
                walked_any = true;
                continue;
            }
            let reached_before = shipped.contains_key(&oid)
                || new_commits.as_ref().is_some_and(|new| !new.contains(&oid));
            if reached_before {
                // Reached before: a redeploy of older code. With CI that is a rollback when it
                // is an ancestor of what ran just before; with tags it is a maintenance release
                // of an older line, with nothing new in it.
                if source == Source::Ci && !rollback && i > 0 {
                    rollback = oids[i - 1].is_some_and(|previous| {
                        previous != oid
                            && self.git.graph_descendant_of(previous, oid).unwrap_or(false)
                    });
                }
                sets.push(ChangeSet::Commits(Vec::new()));
                rollbacks.push(rollback);
                continue;
            }
            let changes = self.walk_new(oid, i, &mut shipped, new_commits.as_ref())?;
            if walked_any {
                sets.push(ChangeSet::Commits(changes));
            } else {
                // The first deployment in history: everything before it, no samples.
                sets.push(ChangeSet::History {
                    commits: changes.len(),
                });
                walked_any = true;
            }
            rollbacks.push(rollback);
        }
        let mut deployments: Vec<Deployment> = sequence
            .into_iter()
            .zip(sets)
            .zip(rollbacks)
            .map(|((sequenced, changes), rollback)| Deployment {
                commit: sequenced.candidate.commit,
                time: sequenced.candidate.time,
                label: sequenced.candidate.label,
                rollback,
                failed_run: sequenced.candidate.failed_run,
                retried_ok_at: sequenced.retried_ok_at,
                changes,
            })
            .collect();
        // Reverted commits are resolved once every deployment's change set is known.
        for deployment in &mut deployments {
            if let ChangeSet::Commits(changes) = &mut deployment.changes {
                for change in changes {
                    if let Some(revert) = &mut change.reverts {
                        revert.shipped_in = self
                            .resolve(&revert.sha)
                            .and_then(|oid| shipped.get(&oid).copied());
                    }
                }
            }
        }
        Ok(deployments)
    }

    /// Walks from `tip` through commits no earlier deployment reached, marking them shipped by
    /// `index`; returns the non-merge ones.
    fn walk_new(
        &self,
        tip: Oid,
        index: usize,
        shipped: &mut HashMap<Oid, usize>,
        within: Option<&HashSet<Oid>>,
    ) -> Result<Vec<Change>, HistoryError> {
        let mut changes = Vec::new();
        let mut stack = vec![tip];
        while let Some(oid) = stack.pop() {
            if shipped.contains_key(&oid) || within.is_some_and(|w| !w.contains(&oid)) {
                continue;
            }
            shipped.insert(oid, index);
            let commit = match self.git.find_commit(oid) {
                Ok(commit) => commit,
                // Beyond a shallow clone's boundary: nothing more to walk.
                Err(_) => continue,
            };
            for parent in commit.parent_ids() {
                if !shipped.contains_key(&parent) {
                    stack.push(parent);
                }
            }
            if commit.parent_count() > 1 {
                continue;
            }
            let message = String::from_utf8_lossy(commit.message_bytes());
            changes.push(Change {
                sha: oid.to_string(),
                authored: utc(commit.author().when()),
                committed: utc(commit.committer().when()),
                subject: message.lines().next().unwrap_or_default().to_string(),
                reverts: REVERTS.captures(&message).map(|c| Revert {
                    sha: c[1].to_ascii_lowercase(),
                    shipped_in: None,
                }),
            });
        }
        Ok(changes)
    }

    /// A full or abbreviated sha to a commit id, when the commit is here.
    fn resolve(&self, sha: &str) -> Option<Oid> {
        if sha.len() == 40 {
            return Oid::from_str(sha).ok();
        }
        let object = self.git.revparse_single(sha).ok()?;
        object.peel_to_commit().ok().map(|c| c.id())
    }
}
