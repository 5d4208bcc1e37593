//! Deployments, the unit every measure hangs on (measures.md §1), and the changes they ship.
//!
//! Sources (tags, merges, CI runs) produce [`Candidate`]s; [`sequence`] puts them in the order
//! measures.md prescribes; `history::changes` then gives each one its change set.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use super::pull_request::{Original, PullRef};

/// Where the deployments of a run came from. Exactly one source is used per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Ci,
    Tags,
    Merges,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Ci => "ci",
            Source::Tags => "tags",
            Source::Merges => "merges",
        }
    }
}

/// Breaks ties between deployments at the same second: tag name (byte order) for tags, run id
/// for CI runs, position on the first-parent line for merges.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TieBreak {
    Name(String),
    RunId(u64),
    Position(u64),
}

/// A deployment as a source reports it, before ordering and change sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Full hex sha of the deployed commit.
    pub commit: String,
    /// Deployment (finish) time.
    pub time: DateTime<Utc>,
    /// What names it for a person: tag name, or the CI run ("deploy #812").
    pub label: Option<String>,
    pub tie: TieBreak,
    /// CI only: the deploy run failed after it started changing production
    /// (`failed_deploy`, counted only with `count_failed_deploys`).
    pub failed_run: bool,
}

/// A candidate in sequence: when a failed deploy run is followed straight away by a good run
/// of the same commit (a retry), the two count once, and the retry is the recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequenced {
    pub candidate: Candidate,
    pub retried_ok_at: Option<DateTime<Utc>>,
}

/// Orders candidates by time (ties by [`TieBreak`]) and keeps the earliest of consecutive
/// deployments of the same commit (measures.md §1).
pub fn sequence(mut candidates: Vec<Candidate>) -> Vec<Sequenced> {
    candidates.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.tie.cmp(&b.tie)));
    let mut sequence: Vec<Sequenced> = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        match sequence.last_mut() {
            Some(kept) if kept.candidate.commit == candidate.commit => {
                if kept.candidate.failed_run && !candidate.failed_run {
                    kept.retried_ok_at.get_or_insert(candidate.time);
                }
            }
            _ => sequence.push(Sequenced {
                candidate,
                retried_ok_at: None,
            }),
        }
    }
    sequence
}

/// One commit of a change set.
///
/// A full-history run keeps one of these per commit (a million in a large repository), so it
/// is kept compact: the sha as its 20 bytes, times as seconds, the subject (the hotfix rule
/// and revert-by-subject read it) and nothing else of the message. The accessors give the
/// domain values the measures use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    sha: [u8; 20],
    authored: i64,
    committed: i64,
    subject: Box<str>,
    /// Boxed: reverts are rare, so the common case pays 8 bytes.
    reverts: Option<Box<Revert>>,
    /// How it reached the main line (measures.md §2, the breakdown).
    landing: Landing,
}

/// How a change reached the main line: when, with which pull request, and whether it is a
/// squash commit standing for that pull request's original commits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Landing {
    /// Seconds: the committer date of the first-parent commit that brought it (itself when it
    /// is on the first-parent line, else the merge commit). 0 when not known.
    pub merged: i64,
    /// The pull request it came with, by the commit messages' conventions.
    pub pull: Option<PullRef>,
    /// A squash commit of `pull` (measures.md §2, "Squash merges").
    pub squash: bool,
    /// Its author matches `exclude_author` (a bot): left out of lead time.
    pub excluded: bool,
    /// A squash commit's original commits, from the pull request's head ref; `None` when the
    /// ref is not in the repository. Boxed: the common case pays 8 bytes.
    pub originals: Option<Box<[Original]>>,
}

impl Change {
    pub fn new(
        sha: [u8; 20],
        authored: DateTime<Utc>,
        committed: DateTime<Utc>,
        subject: &str,
        reverts: Option<Revert>,
    ) -> Change {
        Change {
            sha,
            authored: authored.timestamp(),
            committed: committed.timestamp(),
            subject: subject.into(),
            reverts: reverts.map(Box::new),
            landing: Landing {
                merged: committed.timestamp(),
                ..Landing::default()
            },
        }
    }

    /// The same change, with how it reached the main line.
    pub fn landed(mut self, landing: Landing) -> Change {
        self.landing = landing;
        self
    }

    pub fn landing(&self) -> &Landing {
        &self.landing
    }

    pub fn landing_mut(&mut self) -> &mut Landing {
        &mut self.landing
    }

    /// When it reached the main line (see [`Landing::merged`]).
    pub fn merged(&self) -> DateTime<Utc> {
        seconds(self.landing.merged)
    }

    /// Full lowercase hex sha.
    pub fn sha(&self) -> String {
        use std::fmt::Write;
        self.sha
            .iter()
            .fold(String::with_capacity(40), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            })
    }

    pub fn sha_bytes(&self) -> &[u8; 20] {
        &self.sha
    }

    pub fn authored(&self) -> DateTime<Utc> {
        seconds(self.authored)
    }

    pub fn committed(&self) -> DateTime<Utc> {
        seconds(self.committed)
    }

    /// The first line of the message.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// `This reverts commit <sha>` (or `Revert "<subject>"`, measures.md §4): what it reverts
    /// and which deployment (index into the sequence) first shipped that commit, when any did.
    pub fn reverts(&self) -> Option<&Revert> {
        self.reverts.as_deref()
    }

    pub fn reverts_mut(&mut self) -> Option<&mut Revert> {
        self.reverts.as_deref_mut()
    }
}

/// Stored from a `DateTime`, so always in range; the epoch is never reached.
fn seconds(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revert {
    /// The sha as the message gives it (7 to 64 hex digits), lowercased.
    pub sha: String,
    pub shipped_in: Option<usize>,
}

/// What a deployment shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeSet {
    /// The deployed commit is not in the local repository (not fetched, or force-pushed away):
    /// the deployment counts for frequency and failure rate, not for lead time.
    Missing,
    /// The first deployment known: its change set is the whole prior history, which gives no
    /// lead-time samples (measures.md §2). Only the count is kept.
    History { commits: usize },
    /// Commits reachable from this deployment and from no earlier one, merge commits excluded.
    Commits(Vec<Change>),
}

impl ChangeSet {
    /// Commits shipped; `None` when the commit is not in the local repository.
    pub fn count(&self) -> Option<usize> {
        match self {
            ChangeSet::Missing => None,
            ChangeSet::History { commits } => Some(*commits),
            ChangeSet::Commits(c) => Some(c.len()),
        }
    }

    /// The commits that give lead-time samples and carry revert/hotfix signals.
    pub fn commits(&self) -> &[Change] {
        match self {
            ChangeSet::Commits(c) => c,
            _ => &[],
        }
    }
}

/// A deployment in sequence, with what it shipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub commit: String,
    pub time: DateTime<Utc>,
    pub label: Option<String>,
    /// Its commit equals an older (not the previous) deployment's commit, or (CI) is a strict
    /// ancestor of the previous deployment's commit.
    pub rollback: bool,
    pub failed_run: bool,
    /// A failed deploy run's immediate good retry of the same commit.
    pub retried_ok_at: Option<DateTime<Utc>>,
    pub changes: ChangeSet,
    /// With a path filter (`--path`): shipped but unchanged, no commit of its change set
    /// touches the paths (and it is no rollback). Still a deployment of the service: it counts
    /// for frequency and failure rate, and gives no lead-time samples.
    pub unchanged: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn cand(commit: &str, secs: i64, tie: TieBreak) -> Candidate {
        Candidate {
            commit: commit.into(),
            time: Utc.timestamp_opt(secs, 0).unwrap(),
            label: None,
            tie,
            failed_run: false,
        }
    }

    #[test]
    fn orders_by_time_then_name_and_counts_consecutive_duplicates_once() {
        let seq = sequence(vec![
            cand("b", 200, TieBreak::Name("v2".into())),
            cand("a", 100, TieBreak::Name("v1.0-final".into())),
            cand("a", 100, TieBreak::Name("v1.0".into())),
            cand("c", 200, TieBreak::Name("v1.9".into())),
            cand("a", 300, TieBreak::Name("v3".into())),
        ]);
        let order: Vec<_> = seq
            .iter()
            .map(|s| (s.candidate.commit.as_str(), s.candidate.tie.clone()))
            .collect();
        assert_eq!(
            order,
            vec![
                ("a", TieBreak::Name("v1.0".into())),
                ("c", TieBreak::Name("v1.9".into())),
                ("b", TieBreak::Name("v2".into())),
                // not consecutive with the first "a": kept, and a rollback later on
                ("a", TieBreak::Name("v3".into())),
            ]
        );
    }

    #[test]
    fn a_good_retry_of_a_failed_deploy_counts_once_and_recovers_it() {
        let mut failed = cand("a", 100, TieBreak::RunId(1));
        failed.failed_run = true;
        let seq = sequence(vec![
            cand("a", 160, TieBreak::RunId(2)),
            failed,
            cand("b", 300, TieBreak::RunId(3)),
        ]);
        assert_eq!(seq.len(), 2);
        assert!(seq[0].candidate.failed_run);
        assert_eq!(
            seq[0].retried_ok_at,
            Some(Utc.timestamp_opt(160, 0).unwrap())
        );
        assert_eq!(seq[1].retried_ok_at, None);
    }
}
