//! Change sets by ancestry (measures.md §2): each commit belongs to the first deployment that
//! reaches it, whatever branches it travelled; merge commits are not changes.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use git2::{ErrorCode, Oid};
use regex::Regex;

use super::paths::PathFilter;
use super::{HistoryError, Repo, utc};
use crate::events::Paths;
use crate::events::deployment::{
    Change, ChangeSet, Deployment, Landing, Revert, Sequenced, Source,
};

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
    ///
    /// With `paths`, change sets keep only the commits that touch them (checked only for the
    /// non-merge commits walked here, and none elsewhere), and a deployment none of whose
    /// commits does is marked unchanged.
    pub fn change_sets(
        &self,
        mut sequence: Vec<Sequenced>,
        source: Source,
        since: DateTime<Utc>,
        exclude_author: Option<&Regex>,
        paths: &Paths,
    ) -> Result<Vec<Deployment>, HistoryError> {
        let mut filter = PathFilter::new(paths);
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
        let mut shipped = Shipped::default();
        let mut deployed: HashSet<&str> = earlier
            .iter()
            .map(|s| s.candidate.commit.as_str())
            .collect();
        let mut sets = Vec::with_capacity(sequence.len());
        let mut rollbacks = Vec::with_capacity(sequence.len());
        // Known to ship nothing of the paths (only ever set with a filter).
        let mut unchanged = vec![false; sequence.len()];
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
            let reached_before = shipped.by.contains_key(&oid)
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
                // A rollback changes the service back; anything else here brings nothing new.
                unchanged[i] = filter.is_some() && !rollback;
                sets.push(ChangeSet::Commits(Vec::new()));
                rollbacks.push(rollback);
                continue;
            }
            let keep = walked_any;
            let walked = self.walk_new(
                oid,
                i,
                &mut shipped,
                new_commits.as_ref(),
                keep,
                exclude_author,
                filter.as_mut(),
            );
            unchanged[i] = filter.is_some() && walked.count == 0 && !rollback;
            if keep {
                sets.push(ChangeSet::Commits(walked.changes));
            } else {
                // The first deployment in history: everything before it, no samples, so only
                // the count is kept.
                sets.push(ChangeSet::History {
                    commits: walked.count,
                });
                walked_any = true;
            }
            rollbacks.push(rollback);
        }
        let mut deployments: Vec<Deployment> = sequence
            .into_iter()
            .zip(sets)
            .zip(rollbacks)
            .zip(unchanged)
            .map(|(((sequenced, changes), rollback), unchanged)| Deployment {
                commit: sequenced.candidate.commit,
                time: sequenced.candidate.time,
                label: sequenced.candidate.label,
                rollback,
                failed_run: sequenced.candidate.failed_run,
                retried_ok_at: sequenced.retried_ok_at,
                changes,
                unchanged,
            })
            .collect();
        // Reverted commits are resolved once every deployment's change set is known.
        self.resolve_reverts(&mut deployments, &shipped);
        Ok(deployments)
    }

    /// Walks from `tip` through commits no earlier deployment reached, marking them shipped by
    /// `index`; returns the non-merge ones that touch the filter's paths (all of them without
    /// a filter), all of them counted, kept only with `keep`.
    ///
    /// The tip's first-parent line is taken oldest first, and each of its merge commits'
    /// other parents right after that merge: so every change is attributed to the first-parent
    /// commit that brought it to the main line (its landing: when, and with which pull
    /// request), and a branch merged twice counts at its first merge.
    #[allow(clippy::too_many_arguments)]
    fn walk_new<'g>(
        &'g self,
        tip: Oid,
        index: usize,
        shipped: &mut Shipped,
        within: Option<&HashSet<Oid>>,
        keep: bool,
        exclude_author: Option<&Regex>,
        mut filter: Option<&mut PathFilter<'g>>,
    ) -> Walked {
        let unreached = |shipped: &Shipped, oid: &Oid| {
            !shipped.by.contains_key(oid) && within.is_none_or(|w| w.contains(oid))
        };
        let mut walked = Walked::default();
        if !keep {
            // The first deployment's history: only counted, so no landings and no first-parent
            // line held in memory (it is the whole history of a full-history run).
            let mut stack = vec![tip];
            while let Some(oid) = stack.pop() {
                if !unreached(shipped, &oid) {
                    continue;
                }
                let Ok(commit) = self.git.find_commit(oid) else {
                    shipped.by.insert(oid, index as u32);
                    continue;
                };
                for parent in commit.parent_ids() {
                    if !shipped.by.contains_key(&parent) {
                        stack.push(parent);
                    }
                }
                let landing = Landing::default();
                let seen = Visit {
                    index,
                    keep: false,
                    exclude_author: None,
                    filter: filter.as_deref_mut(),
                };
                self.visit(&commit, shipped, seen, &landing, &mut walked);
            }
            return walked;
        }
        // The first-parent line down to what an earlier deployment reached.
        let mut line = Vec::new();
        let mut next = Some(tip);
        while let Some(oid) = next.filter(|oid| unreached(shipped, oid)) {
            let Ok(commit) = self.git.find_commit(oid) else {
                // Beyond a shallow clone's boundary: nothing more to walk.
                break;
            };
            next = commit.parent_id(0).ok();
            line.push(commit);
        }
        for main in line.iter().rev() {
            let merge = main.parent_count() > 1;
            let message = String::from_utf8_lossy(main.message_bytes());
            let pull = super::pulls::pull_of(&message, merge);
            let landing = Landing {
                merged: utc(main.committer().when()).timestamp(),
                pull,
                squash: pull.is_some() && !merge,
                ..Landing::default()
            };
            let seen = Visit {
                index,
                keep,
                exclude_author,
                filter: filter.as_deref_mut(),
            };
            self.visit(main, shipped, seen, &landing, &mut walked);
            // What the merge brought: its other parents' history, landed with it.
            let landing = Landing {
                squash: false,
                ..landing
            };
            let mut stack: Vec<Oid> = main.parent_ids().skip(1).collect();
            while let Some(oid) = stack.pop() {
                if !unreached(shipped, &oid) {
                    continue;
                }
                let Ok(commit) = self.git.find_commit(oid) else {
                    shipped.by.insert(oid, index as u32);
                    continue;
                };
                for parent in commit.parent_ids() {
                    if !shipped.by.contains_key(&parent) {
                        stack.push(parent);
                    }
                }
                let seen = Visit {
                    index,
                    keep,
                    exclude_author,
                    filter: filter.as_deref_mut(),
                };
                self.visit(&commit, shipped, seen, &landing, &mut walked);
            }
        }
        walked
    }

    /// Marks one walked commit shipped by `index` and keeps it as a change (when `keep`, not a
    /// merge, and touching the filter's paths).
    fn visit<'g>(
        &'g self,
        commit: &git2::Commit<'g>,
        shipped: &mut Shipped,
        seen: Visit<'_, '_, 'g>,
        landing: &Landing,
        walked: &mut Walked,
    ) {
        let Visit {
            index,
            keep,
            exclude_author,
            filter,
        } = seen;
        let oid = commit.id();
        shipped.by.insert(oid, index as u32);
        if shipped.by.len() == super::LONG_WALK {
            super::long_walk();
        }
        // Merge commits are not changes (§2), so they are never diffed: whatever a merge brings
        // in is judged at the commits it merges.
        let merge = commit.parent_count() > 1;
        let change = !merge && filter.is_none_or(|f| f.touches(&self.git, commit));
        if change {
            walked.count += 1;
        }
        if !change || !keep {
            // Not kept as a change, yet a revert may still name it by its subject.
            shipped.not_kept.push(oid);
            return;
        }
        let message = String::from_utf8_lossy(commit.message_bytes());
        let mut sha = [0; 20];
        sha.copy_from_slice(oid.as_bytes());
        let author = commit.author();
        walked.changes.push(
            Change::new(
                sha,
                utc(author.when()),
                utc(commit.committer().when()),
                message.lines().next().unwrap_or_default(),
                REVERTS.captures(&message).map(|c| Revert {
                    sha: c[1].to_ascii_lowercase(),
                    shipped_in: None,
                }),
            )
            .landed(Landing {
                excluded: super::pulls::excluded(exclude_author, &author),
                ..landing.clone()
            }),
        );
    }

    /// Which deployment first shipped what each revert reverts (measures.md §4 signal 2): the
    /// commit its message names, else, when that commit is not in HEAD's history (rebased or
    /// squashed before it shipped: gone, or left on a pull request's branch), the latest
    /// commit an earlier deployment shipped whose subject is the one in `Revert "<subject>"`.
    fn resolve_reverts(&self, deployments: &mut [Deployment], shipped: &Shipped) {
        // (deployment, position in its change set, reverted subject)
        let mut by_subject: Vec<(usize, usize, String)> = Vec::new();
        for (i, deployment) in deployments.iter_mut().enumerate() {
            let ChangeSet::Commits(changes) = &mut deployment.changes else {
                continue;
            };
            for (k, change) in changes.iter_mut().enumerate() {
                let subject = reverted_subject(change.subject()).map(str::to_string);
                let Some(revert) = change.reverts_mut() else {
                    continue;
                };
                let gone = match self.commit_named(&revert.sha) {
                    Named::Commit(oid) => match shipped.index(&oid) {
                        Some(j) => {
                            revert.shipped_in = Some(j);
                            false
                        }
                        // In HEAD's history, shipped before the walked range: never the
                        // subject, which could name a later commit.
                        None if self.in_head_history(oid) => false,
                        // Here only on a branch that never shipped (a pull request's commit
                        // before its rebase, kept by a mirror clone): as good as gone.
                        None => true,
                    },
                    Named::Ambiguous => false,
                    Named::Absent => true,
                };
                if gone && let Some(subject) = subject {
                    by_subject.push((i, k, subject));
                }
            }
        }
        if by_subject.is_empty() {
            return;
        }
        let wanted: HashSet<&str> = by_subject.iter().map(|(_, _, s)| s.as_str()).collect();
        // subject -> (deployment, committer seconds, sha) of every shipped commit bearing it
        let mut bearers: HashMap<String, Vec<(usize, i64, [u8; 20])>> = HashMap::new();
        for (j, deployment) in deployments.iter().enumerate() {
            for change in deployment.changes.commits() {
                if wanted.contains(change.subject()) {
                    bearers
                        .entry(change.subject().to_string())
                        .or_default()
                        .push((j, change.committed().timestamp(), *change.sha_bytes()));
                }
            }
        }
        // Merge commits and the first deployment's history were not kept: read them again,
        // only now that a subject is asked for.
        for oid in &shipped.not_kept {
            let (Some(j), Ok(commit)) = (shipped.index(oid), self.git.find_commit(*oid)) else {
                continue;
            };
            let message = String::from_utf8_lossy(commit.message_bytes());
            let subject = message.lines().next().unwrap_or_default();
            if wanted.contains(subject) {
                let mut sha = [0; 20];
                sha.copy_from_slice(oid.as_bytes());
                bearers.entry(subject.to_string()).or_default().push((
                    j,
                    utc(commit.committer().when()).timestamp(),
                    sha,
                ));
            }
        }
        for (i, k, subject) in by_subject {
            // The latest earlier deployment; in it, the newest by committer date (then the
            // highest sha, so that a tie does not depend on the order of the walk).
            let latest = bearers
                .get(&subject)
                .into_iter()
                .flatten()
                .filter(|(j, _, _)| *j < i)
                .max()
                .map(|(j, _, _)| *j);
            if let ChangeSet::Commits(changes) = &mut deployments[i].changes
                && let Some(revert) = changes[k].reverts_mut()
            {
                revert.shipped_in = latest;
            }
        }
    }

    /// Whether HEAD reaches the commit.
    fn in_head_history(&self, oid: Oid) -> bool {
        self.head.is_some_and(|head| {
            head == oid || self.git.graph_descendant_of(head, oid).unwrap_or(false)
        })
    }

    /// What a full or abbreviated sha in a revert message names.
    fn commit_named(&self, sha: &str) -> Named {
        let found = if sha.len() == 40 {
            Oid::from_str(sha).and_then(|oid| self.git.find_commit(oid))
        } else {
            self.git.find_commit_by_prefix(sha)
        };
        match found {
            Ok(commit) => Named::Commit(commit.id()),
            // Several commits start with it: it is in the history, which one is not known.
            Err(err) if err.code() == ErrorCode::Ambiguous => Named::Ambiguous,
            // Not here, or not a commit.
            Err(_) => Named::Absent,
        }
    }
}

/// How one walk treats the commits it visits.
struct Visit<'r, 'f, 'g> {
    index: usize,
    keep: bool,
    exclude_author: Option<&'r Regex>,
    filter: Option<&'f mut PathFilter<'g>>,
}

enum Named {
    Commit(Oid),
    Ambiguous,
    Absent,
}

/// `Revert "<S>"` gives S: the leading `Revert "` and the final `"` go, so a revert of a revert,
/// `Revert "Revert "x""`, gives `Revert "x"`.
fn reverted_subject(subject: &str) -> Option<&str> {
    subject.strip_prefix("Revert \"")?.strip_suffix('"')
}

/// What one deployment's walk found.
#[derive(Default)]
struct Walked {
    /// Non-merge commits, in walk order (kept only when asked).
    changes: Vec<Change>,
    /// Non-merge commits walked.
    count: usize,
}

/// Every commit walked, and the index of the first deployment that shipped it.
#[derive(Default)]
struct Shipped {
    by: HashMap<Oid, u32, BuildHasherDefault<OidHasher>>,
    /// Walked commits that are not in a kept change set (merges, the first deployment's).
    not_kept: Vec<Oid>,
}

impl Shipped {
    fn index(&self, oid: &Oid) -> Option<usize> {
        self.by.get(oid).map(|&i| i as usize)
    }
}

/// A commit id is already uniformly random: its bytes, folded, are the hash. SipHash over a
/// million ids was a visible share of a full-history run.
#[derive(Default)]
struct OidHasher(u64);

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(23) ^ u64::from_le_bytes(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::deployment::{Candidate, TieBreak};
    use chrono::TimeZone;
    use git2::{Repository, Signature, Time};

    /// 2026-01-05T00:00:00Z; every date below is hours after it.
    const T0: i64 = 1_767_571_200;

    struct History {
        dir: tempfile::TempDir,
        git: Repository,
        tip: Option<Oid>,
    }

    impl History {
        fn new() -> History {
            let dir = tempfile::tempdir().unwrap();
            let git = Repository::init(dir.path()).unwrap();
            History {
                dir,
                git,
                tip: None,
            }
        }

        /// A commit on the line, committed (and authored) `hours` after T0.
        fn commit(&mut self, message: &str, hours: i64) -> Oid {
            let parents: Vec<Oid> = self.tip.into_iter().collect();
            let oid = self.commit_on(message, hours, &parents);
            self.tip = Some(oid);
            oid
        }

        /// A commit off the line (moves nothing).
        fn commit_on(&self, message: &str, hours: i64, parents: &[Oid]) -> Oid {
            let sig =
                Signature::new("a", "a@example.com", &Time::new(T0 + hours * 3600, 0)).unwrap();
            let blob = self.git.blob(message.as_bytes()).unwrap();
            let mut tree = self.git.treebuilder(None).unwrap();
            tree.insert("f", blob, 0o100644).unwrap();
            let tree = self.git.find_tree(tree.write().unwrap()).unwrap();
            let parents: Vec<_> = parents
                .iter()
                .map(|p| self.git.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<_> = parents.iter().collect();
            self.git
                .commit(None, &sig, &sig, message, &tree, &refs)
                .unwrap()
        }

        /// Change sets of deployments of `commits` (deployed an hour after each is made),
        /// over the whole history.
        fn deploy(&self, commits: &[(Oid, i64)]) -> Vec<Deployment> {
            self.deploy_since(commits, DateTime::UNIX_EPOCH)
        }

        /// As `deploy`, with change sets from `since` on (earlier ones are hidden history),
        /// and HEAD at the line's tip.
        fn deploy_since(&self, commits: &[(Oid, i64)], since: DateTime<Utc>) -> Vec<Deployment> {
            if let Some(tip) = self.tip {
                self.git
                    .reference("refs/heads/main", tip, true, "tip")
                    .unwrap();
                self.git.set_head("refs/heads/main").unwrap();
            }
            let sequence = commits
                .iter()
                .map(|(oid, hours)| Sequenced {
                    candidate: Candidate {
                        commit: oid.to_string(),
                        time: Utc.timestamp_opt(T0 + (hours + 1) * 3600, 0).unwrap(),
                        label: None,
                        tie: TieBreak::Name(format!("v{hours}")),
                        failed_run: false,
                    },
                    retried_ok_at: None,
                })
                .collect();
            let repo = Repo::open(self.dir.path()).unwrap();
            repo.change_sets(sequence, Source::Tags, since, None, &Paths::default())
                .unwrap()
        }
    }

    /// What the revert shipped by deployment `i` resolved to.
    fn reverted(deployments: &[Deployment], i: usize) -> Option<usize> {
        let reverts: Vec<_> = deployments[i]
            .changes
            .commits()
            .iter()
            .filter_map(|c| c.reverts())
            .collect();
        assert_eq!(reverts.len(), 1, "one revert in deployment {i}");
        reverts[0].shipped_in
    }

    const GONE: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn a_reverted_sha_not_here_falls_back_to_the_latest_deployment_with_its_subject() {
        let mut h = History::new();
        let a = h.commit("Add the cache", 0); // deployment 0 (the first: its history)
        let b = h.commit("Add the cache", 10); // deployment 1
        let c = h.commit("Tune the cache", 20); // deployment 2: no "Add the cache"
        let revert = format!("Revert \"Add the cache\"\n\nThis reverts commit {GONE}.\n");
        let d = h.commit(&revert, 30); // deployment 3
        let d = h.deploy(&[(a, 0), (b, 10), (c, 20), (d, 30)]);
        // Deployments 0 and 1 both shipped the subject: the later one, 1.
        assert_eq!(reverted(&d, 3), Some(1));
    }

    #[test]
    fn a_revert_of_a_revert_names_the_inner_revert_by_subject() {
        let mut h = History::new();
        let a = h.commit("Add x", 0);
        let b = h.commit("Revert \"Add x\"", 10);
        let c = h.commit("Add x", 20);
        let revert = format!("Revert \"Revert \"Add x\"\"\n\nThis reverts commit {GONE}.\n");
        let e = h.commit(&revert, 30);
        let d = h.deploy(&[(a, 0), (b, 10), (c, 20), (e, 30)]);
        // `Revert "Add x"` was shipped by deployment 1, not 2 (which shipped `Add x`).
        assert_eq!(reverted(&d, 3), Some(1));
    }

    #[test]
    fn a_reverted_sha_left_on_an_unshipped_branch_falls_back_to_the_subject() {
        let mut h = History::new();
        let a = h.commit("base", 0);
        let b = h.commit("Add the cache", 10);
        // The pull request's commit before its rebase, still on its branch (a mirror keeps
        // it): HEAD never reaches it, so it is as good as gone, and the subject finds b.
        let side = h.commit_on("Add the cache", 12, &[a]);
        let revert = format!("Revert \"Add the cache\"\n\nThis reverts commit {side}.\n");
        let c = h.commit(&revert, 20);
        let d = h.deploy(&[(a, 0), (b, 10), (c, 20)]);
        assert_eq!(
            reverted(&d, 2),
            Some(1),
            "the rebased commit b shipped in deployment 1"
        );
        // And an abbreviated sha of a commit here resolves to what shipped it.
        let revert = format!(
            "Revert \"Add the cache\"\n\nThis reverts commit {}.\n",
            &b.to_string()[..10]
        );
        let e = h.commit(&revert, 30);
        let d = h.deploy(&[(a, 0), (b, 10), (c, 20), (e, 30)]);
        assert_eq!(reverted(&d, 3), Some(1));
    }

    #[test]
    fn a_reverted_sha_in_head_history_never_falls_back_to_the_subject() {
        let mut h = History::new();
        let a = h.commit("base", 0);
        let b = h.commit("Add the cache", 10);
        let x = h.commit("Add the cache", 15);
        let revert = format!("Revert \"Add the cache\"\n\nThis reverts commit {b}.\n");
        let c = h.commit(&revert, 20);
        // Change sets from 16h (deployed 17h): b's deployment (11h) lies before the walked
        // range, x's (16h) is the boundary. b is in HEAD's history, so the revert is of b,
        // shipped long ago, and never of x, the later commit with the same subject.
        let since = Utc.timestamp_opt(T0 + 16 * 3600 + 1, 0).unwrap();
        let d = h.deploy_since(&[(a, 0), (b, 10), (x, 15), (c, 20)], since);
        let last = d.len() - 1;
        assert_eq!(reverted(&d, last), None);
    }

    #[test]
    fn a_subject_no_earlier_deployment_shipped_resolves_to_nothing() {
        let mut h = History::new();
        let a = h.commit("base", 0);
        let b = h.commit("Add the cache", 10);
        let revert = format!("Revert \"Add a queue\"\n\nThis reverts commit {GONE}.\n");
        let c = h.commit(&revert, 20);
        // Shipped only together with the revert, not by an earlier deployment.
        let same = format!("Revert \"Tune\"\n\nThis reverts commit {GONE}.\n");
        h.commit("Tune", 21);
        let e = h.commit(&same, 22);
        let d = h.deploy(&[(a, 0), (b, 10), (c, 20), (e, 22)]);
        assert_eq!(reverted(&d, 2), None);
        assert_eq!(reverted(&d, 3), None);
    }

    #[test]
    fn reverted_subject_strips_one_revert_and_its_quotes() {
        assert_eq!(reverted_subject("Revert \"x\""), Some("x"));
        assert_eq!(
            reverted_subject("Revert \"Revert \"x\"\""),
            Some("Revert \"x\"")
        );
        assert_eq!(reverted_subject("Revert x"), None);
        assert_eq!(reverted_subject("Reverts \"x\""), None);
    }
}
