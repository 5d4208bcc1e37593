//! Lead Time for Changes (measures.md §2).

use schemars::JsonSchema;
use serde::Serialize;

use super::stats::{mean, median, percentile};
use super::tier::Tier;
use regex::Regex;

use crate::events::CommitTime;
use crate::events::deployment::Deployment;
use crate::events::pull_request::PullRequests;
use crate::events::window::Window;

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LeadTime {
    pub samples: usize,
    pub median_hours: Option<f64>,
    /// The distribution-free 90 % interval of the median; `null` below 5 samples.
    pub median_interval_hours: Option<[f64; 2]>,
    pub p90_hours: Option<f64>,
    pub mean_hours: Option<f64>,
    pub dropped: usize,
    pub tier: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Commits left out because their author matches `exclude_author` (bots).
    pub excluded_author_commits: usize,
    pub squash_commits: SquashCommits,
    /// Where the time goes: coding, review, release; `null` without samples.
    pub breakdown: Option<Breakdown>,
    /// Every sample, shortest first: the HTML view draws their distribution. Not in the JSON
    /// (one number per commit would swamp the contract).
    #[serde(skip)]
    pub sample_hours: Vec<f64>,
}

/// Squash commits (measures.md §2, "Squash merges") among the changes of the window's
/// deployments, by whether pull-request data stood in for them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SquashCommits {
    pub total: usize,
    /// Their pull request's original commits (from `refs/pull/N/head`, or the `--prs`
    /// export) were the samples.
    pub with_pr_data: usize,
    /// The squash commit itself was the sample: merge → deploy only.
    pub without_pr_data: usize,
}

/// Where the lead time goes (measures.md §2, "Breakdown"): each sample cut at its pull
/// request's opening and its merge into coding, review and release.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Breakdown {
    /// The lead-time samples broken down (all of them).
    pub samples: usize,
    /// Those whose pull request's opening time is known (from `--prs`).
    pub with_opened: usize,
    /// First commit → pull request opened; over the samples with an opening time.
    pub coding: Stage,
    /// Pull request opened → merged; over the samples with an opening time.
    pub review: Stage,
    /// First commit → merged (coding + review); over every sample.
    pub before_merge: Stage,
    /// Merged → deployed; over every sample.
    pub release: Stage,
    /// The stage with the largest share: among coding, review and release when every sample
    /// has an opening time, else between before_merge and release.
    pub dominant: Option<StageName>,
    /// The dominant stage's share of the lead time (0..1).
    pub dominant_share: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageName {
    Coding,
    Review,
    BeforeMerge,
    Release,
}

impl StageName {
    pub fn as_str(self) -> &'static str {
        match self {
            StageName::Coding => "coding",
            StageName::Review => "review",
            StageName::BeforeMerge => "before merge",
            StageName::Release => "release",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Stage {
    pub samples: usize,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// The stage's hours summed over its samples / their lead times summed (0..1).
    pub share: Option<f64>,
}

impl Stage {
    /// `parts`: (stage hours, the sample's lead time in hours).
    fn of(parts: &[(f64, f64)]) -> Stage {
        let mut hours: Vec<f64> = parts.iter().map(|(h, _)| *h).collect();
        hours.sort_by(f64::total_cmp);
        let total: f64 = parts.iter().map(|(_, lead)| lead).sum();
        Stage {
            samples: hours.len(),
            median_hours: median(&hours),
            p90_hours: percentile(&hours, 0.9),
            share: (total > 0.0).then(|| hours.iter().sum::<f64>() / total),
        }
    }
}

/// One lead-time sample, in seconds since the epoch: started (the commit time), reached the
/// main line, its pull request opened (when known), deployed.
#[derive(Debug, Clone, Copy)]
struct Sample {
    started: i64,
    merged: i64,
    opened: Option<i64>,
    deployed: i64,
}

impl Sample {
    /// (coding, review) when the opening is known, before merge, release: hours that add up
    /// to the sample's lead time. The merge is put inside [started, deployed] and the opening
    /// inside [started, merged]: a commit made after its pull request opened has no coding
    /// time, and one authored after the merge (an amended commit on the main line) none
    /// before the merge.
    fn stages(self) -> (Option<(f64, f64)>, f64, f64) {
        let hours = |s: i64| s as f64 / 3600.0;
        let merged = self.merged.clamp(self.started, self.deployed);
        let opened = self.opened.map(|o| o.clamp(self.started, merged));
        (
            opened.map(|o| (hours(o - self.started), hours(merged - o))),
            hours(merged - self.started),
            hours(self.deployed - merged),
        )
    }
}

/// What one deployment's changes give lead time (measures.md §2): its samples, with the rules
/// for squash commits and excluded authors applied.
#[derive(Debug, Default)]
struct Shipped {
    samples: Vec<Sample>,
    excluded: usize,
    squash: SquashCommits,
}

/// The pull-request data and author rule lead time follows besides the commit time.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub exclude_author: Option<&'a Regex>,
    pub pulls: &'a PullRequests,
}

/// A deployment's samples: one per commit of its change set, except that a squash commit
/// stands for its pull request's original commits when they are known (from its head ref,
/// else the export's commits, else the export's first commit alone), and commits by authors
/// matching `exclude_author` are left out and counted.
fn shipped(deployment: &Deployment, commit_time: CommitTime, sources: Sources<'_>) -> Shipped {
    let mut out = Shipped::default();
    let deployed = deployment.time.timestamp();
    let bot = |author: Option<&str>| {
        author.is_some_and(|a| sources.exclude_author.is_some_and(|p| p.is_match(a)))
    };
    let started = |authored: i64, committed: i64| match commit_time {
        CommitTime::Author => authored,
        CommitTime::Committer => committed,
    };
    for change in deployment.changes.commits() {
        let landing = change.landing();
        let pull = landing.pull.and_then(|p| sources.pulls.get(p.number));
        let opened = pull.and_then(|p| p.created_at).map(|t| t.timestamp());
        let sample = |started: i64| Sample {
            started,
            merged: landing.merged,
            opened,
            deployed,
        };
        let own = started(
            change.authored().timestamp(),
            change.committed().timestamp(),
        );
        if landing.excluded || (landing.squash && bot(pull.and_then(|p| p.author.as_deref()))) {
            // A bot's squash leaves out its whole pull request.
            out.excluded += landing.originals.as_ref().map_or(1, |o| o.len().max(1));
            continue;
        }
        if !landing.squash {
            out.samples.push(sample(own));
            continue;
        }
        out.squash.total += 1;
        if let Some(originals) = &landing.originals {
            out.squash.with_pr_data += 1;
            for original in originals.iter() {
                if original.excluded {
                    out.excluded += 1;
                } else {
                    out.samples.push(sample(started(
                        original.authored.timestamp(),
                        original.committed.timestamp(),
                    )));
                }
            }
        } else if let Some(pull) = pull.filter(|p| !p.commits.is_empty()) {
            // The export's commits: author dates only, whichever commit time is chosen.
            out.squash.with_pr_data += 1;
            for commit in &pull.commits {
                if bot(commit.author.as_deref()) {
                    out.excluded += 1;
                } else {
                    out.samples.push(sample(commit.authored.timestamp()));
                }
            }
        } else if let Some(first) = pull.and_then(|p| p.first_commit_at) {
            out.squash.with_pr_data += 1;
            out.samples.push(sample(first.timestamp()));
        } else {
            out.squash.without_pr_data += 1;
            out.samples.push(sample(own));
        }
    }
    out
}

/// One deployment's samples in whole seconds (deployment time − commit time), in change-set
/// order, and how many were dropped as below 0 (clock skew). The JSON report carries them per
/// deployment so that a roll-up can take the median over the union of repositories' samples;
/// they follow the same rules as [`lead_time`] (squash commits, excluded authors).
pub fn deployment_samples(
    deployment: &Deployment,
    commit_time: CommitTime,
    sources: Sources<'_>,
) -> (Vec<i64>, usize) {
    let mut seconds = Vec::new();
    let mut dropped = 0;
    for s in shipped(deployment, commit_time, sources).samples {
        if s.deployed < s.started {
            dropped += 1;
        } else {
            seconds.push(s.deployed - s.started);
        }
    }
    (seconds, dropped)
}

/// The lead-time figures of a set of samples (hours, any order): a window's, or a roll-up's
/// over the union of several repositories' samples. `reason` says why there are none. The
/// squash and author counts and the breakdown are left empty: a roll-up has only the seconds.
pub fn from_samples(mut hours: Vec<f64>, dropped: usize, reason: Option<String>) -> LeadTime {
    hours.sort_by(f64::total_cmp);
    let median_hours = median(&hours);
    LeadTime {
        samples: hours.len(),
        median_hours,
        median_interval_hours: super::stats::median_interval(&hours),
        p90_hours: percentile(&hours, 0.9),
        mean_hours: mean(&hours),
        dropped,
        tier: median_hours.map(Tier::of_lead_time),
        reason: if hours.is_empty() { reason } else { None },
        excluded_author_commits: 0,
        squash_commits: SquashCommits::default(),
        breakdown: None,
        sample_hours: hours,
    }
}

/// One sample per commit in the change sets of the deployments in the window (see
/// [`deployment_samples`]): deployment time minus commit time. Samples < 0 (clock skew) are
/// dropped and counted; a sample of 0 is real (a release commit tagged in the second it was
/// made, a commit made on the main line).
pub fn lead_time(
    deployments: &[Deployment],
    window: &Window,
    commit_time: CommitTime,
    sources: Sources<'_>,
) -> LeadTime {
    let mut samples: Vec<Sample> = Vec::new();
    let mut excluded = 0;
    let mut squash = SquashCommits::default();
    let in_window: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| window.contains(d.time))
        .collect();
    for deployment in &in_window {
        let shipped = shipped(deployment, commit_time, sources);
        samples.extend(shipped.samples);
        excluded += shipped.excluded;
        squash.total += shipped.squash.total;
        squash.with_pr_data += shipped.squash.with_pr_data;
        squash.without_pr_data += shipped.squash.without_pr_data;
    }
    let (kept, skewed): (Vec<Sample>, Vec<Sample>) =
        samples.into_iter().partition(|s| s.deployed >= s.started);
    let dropped = skewed.len();
    let hours: Vec<f64> = kept
        .iter()
        .map(|s| (s.deployed - s.started) as f64 / 3600.0)
        .collect();
    let reason = if in_window.is_empty() {
        Some("no deployments in window".to_string())
    } else if dropped > 0 {
        Some(format!(
            "all {dropped} samples were before their commit time (clock skew)"
        ))
    } else if excluded > 0 {
        Some(format!(
            "every change shipped in the window was by an excluded author ({excluded} commits)"
        ))
    } else {
        Some("no changes shipped in the window after a known earlier deployment".to_string())
    };
    LeadTime {
        excluded_author_commits: excluded,
        squash_commits: squash,
        breakdown: breakdown(&kept),
        ..from_samples(hours, dropped, reason)
    }
}

/// The stages of the kept samples; `None` without samples.
fn breakdown(samples: &[Sample]) -> Option<Breakdown> {
    if samples.is_empty() {
        return None;
    }
    let mut coding = Vec::new();
    let mut review = Vec::new();
    let mut before = Vec::with_capacity(samples.len());
    let mut release = Vec::with_capacity(samples.len());
    for s in samples {
        let lead = (s.deployed - s.started) as f64 / 3600.0;
        let (opened, to_merge, after) = s.stages();
        if let Some((c, r)) = opened {
            coding.push((c, lead));
            review.push((r, lead));
        }
        before.push((to_merge, lead));
        release.push((after, lead));
    }
    let all_opened = coding.len() == samples.len();
    let (coding, review, before_merge, release) = (
        Stage::of(&coding),
        Stage::of(&review),
        Stage::of(&before),
        Stage::of(&release),
    );
    let candidates: Vec<(StageName, &Stage)> = if all_opened {
        vec![
            (StageName::Coding, &coding),
            (StageName::Review, &review),
            (StageName::Release, &release),
        ]
    } else {
        vec![
            (StageName::BeforeMerge, &before_merge),
            (StageName::Release, &release),
        ]
    };
    // The largest share; on a tie the earlier stage.
    let dominant = candidates
        .iter()
        .filter_map(|(name, stage)| stage.share.map(|share| (*name, share)))
        .fold(
            None,
            |best: Option<(StageName, f64)>, (name, share)| match best {
                Some((_, top)) if top >= share => best,
                _ => Some((name, share)),
            },
        );
    Some(Breakdown {
        samples: samples.len(),
        with_opened: coding.samples,
        coding,
        review,
        before_merge,
        release,
        dominant: dominant.map(|(name, _)| name),
        dominant_share: dominant.map(|(_, share)| share),
    })
}
