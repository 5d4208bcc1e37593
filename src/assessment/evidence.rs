//! What the measured data says about the answers (interface.md, Scoring v2). Pure: a few facts
//! drawn from the analysis in, a status per checkable practice out, so every rule is
//! unit-tested without git or CI exports.
//!
//! The data only ever lowers an answer, and only claims what it can show:
//! - a figure is judged by its 90 % interval (Wilson's for a rate, the order-statistic one for
//!   a median), so 0 failures in 1 deployment is `inconclusive`, not "below 5 %";
//! - a value the exports do not give (a run whose trigger is unknown) is left out, never
//!   counted as the bad value;
//! - habits (monitored, reviewed, governed) have no rule: that a figure can be computed does
//!   not show that anyone looks at it;
//! - with the `merges` source, deployments are merges, not production releases, so practices
//!   about production get `no data`;
//! - only a `yes` or `partial` can be confirmed. `no` and blank are claims of nothing, so they
//!   are not checked (the data may hint that there is more); `n/a` is contradicted where the
//!   data shows that the practice applies.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::file::Answer;
use super::questionnaire::{EvidenceRule, Questionnaire};
use crate::events::window::Window;
use crate::events::{Deployment, PipelineRun, Source, Trigger};
use crate::measures::Measures;
use crate::measures::stats::wilson;
use crate::units::{duration, percent, plural};

/// The share of shipped commits with a CI run, and of deploy runs nobody started, that makes
/// "CI on every commit" and "deployments run automatically" hold: four in five, judged by the
/// interval (a practice followed four times in five is in place; less is partial).
pub const PRACTICE_SHARE: f64 = 0.8;
/// The standard's own figures (its outcome statement), whatever `[outcome]` says.
pub const STANDARD_LEAD_TIME_HOURS: f64 = 24.0;
pub const STANDARD_CHANGE_FAILURE_RATE: f64 = 0.05;
/// valueflow's bar for zero-touch pipelines (level 5 and the outcome table's default).
pub const ZERO_TOUCH_SHARE: f64 = 0.95;

/// k of n.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub k: usize,
    pub n: usize,
}

/// A median with its sample size and 90 % interval (`None` below 5 samples).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Median {
    pub hours: f64,
    pub samples: usize,
    pub interval: Option<[f64; 2]>,
}

/// The measured facts the rules look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub source: Option<Source>,
    /// Deployments in the window, and the refs (or short commits) of the rollbacks among them.
    pub deployments: usize,
    pub rollbacks: Vec<String>,
    /// CI runs in the window.
    pub ci_runs: usize,
    /// Deployed commits in the window (while the exports cover it) with a CI run on that very
    /// commit, of all those deployed commits. `None` without CI runs that name commits.
    pub built: Option<Count>,
    /// Deploy runs that are deployments (successful, on the deploy branch) in the window whose
    /// trigger is known, and how many of them a person started.
    pub deploys: Count,
    /// Deploy runs whose export does not say what started them: left out.
    pub deploys_unknown: usize,
    /// The providers' words for the manual triggers seen (`workflow_dispatch`, `web`).
    pub manual_events: Vec<String>,
    pub lead_time: Option<Median>,
    pub lead_time_reason: Option<String>,
    /// Failed of all deployments in the window.
    pub change_failure: Option<Count>,
    /// Zero-touch of all CI runs considered.
    pub zero_touch: Option<Count>,
}

fn in_window(run: &PipelineRun, window: &Window) -> bool {
    run.seen_at().is_some_and(|t| window.contains(t))
}

/// The deploy runs that are deployments: successful ones (measures.md §1). A cancelled
/// "Publish docs" run matched by the deploy pattern is not a deployment, so it says nothing
/// about how deployments are started.
fn is_deployment(run: &PipelineRun) -> bool {
    run.conclusion
        .is_some_and(|c| c == crate::events::Conclusion::Success)
}

impl Facts {
    /// The facts of one run: its measures, the whole deployment sequence (the window's
    /// rollbacks and deployed commits are read from it), the CI runs and the deploy runs.
    pub fn new(
        measures: &Measures,
        source: Option<Source>,
        deployments: &[Deployment],
        window: &Window,
        ci_runs: &[PipelineRun],
        deploy_runs: &[PipelineRun],
    ) -> Facts {
        let m = measures;
        let runs: Vec<&PipelineRun> = ci_runs.iter().filter(|r| in_window(r, window)).collect();
        let deploys: Vec<&PipelineRun> = deploy_runs
            .iter()
            .filter(|r| in_window(r, window) && is_deployment(r))
            .collect();
        let known: Vec<&&PipelineRun> = deploys
            .iter()
            .filter(|r| r.trigger != Trigger::Unknown)
            .collect();
        let manual: Vec<&&&PipelineRun> = known
            .iter()
            .filter(|r| r.trigger == Trigger::Manual)
            .collect();
        let mut manual_events: Vec<String> = manual
            .iter()
            .map(|r| r.event.to_string())
            .filter(|e| !e.is_empty())
            .collect();
        manual_events.sort();
        manual_events.dedup();
        let lt = &m.lead_time_for_changes;
        let cfr = &m.change_failure_rate;
        let ph = &m.pipeline_health;
        Facts {
            source,
            deployments: m.deployment_frequency.deployments,
            rollbacks: deployments
                .iter()
                .filter(|d| d.rollback && window.contains(d.time))
                .map(|d| {
                    d.label
                        .clone()
                        .unwrap_or_else(|| d.commit.chars().take(10).collect())
                })
                .collect(),
            ci_runs: runs.len(),
            built: built(deployments, window, &ci_only(&runs, deploy_runs)),
            deploys: Count {
                k: manual.len(),
                n: known.len(),
            },
            deploys_unknown: deploys.len() - known.len(),
            manual_events,
            lead_time: lt.median_hours.map(|hours| Median {
                hours,
                samples: lt.samples,
                interval: lt.median_interval_hours,
            }),
            lead_time_reason: lt.reason.clone(),
            change_failure: cfr.rate.map(|_| Count {
                k: cfr.failed,
                n: cfr.deployments,
            }),
            zero_touch: ph.runs.zip(ph.zero_touch).map(|(n, k)| Count { k, n }),
        }
    }
}

/// The runs that are not deploy runs: a deploy run is on its deployed commit by definition,
/// so it cannot show that CI built that commit.
fn ci_only<'a>(runs: &[&'a PipelineRun], deploy_runs: &[PipelineRun]) -> Vec<&'a PipelineRun> {
    let deploys: std::collections::HashSet<(&str, String)> = deploy_runs
        .iter()
        .map(|r| (&*r.workflow, r.id.to_string()))
        .collect();
    runs.iter()
        .filter(|r| !deploys.contains(&(&*r.workflow, r.id.to_string())))
        .copied()
        .collect()
}

/// Deployed commits in the window that the CI runs' time span covers, and how many of them
/// had a CI run on that commit. Runs that name no commit are left out; without any, `None`.
fn built(deployments: &[Deployment], window: &Window, runs: &[&PipelineRun]) -> Option<Count> {
    let commits: std::collections::HashSet<String> = runs
        .iter()
        .filter_map(|r| r.commit.as_ref())
        .map(|c| c.to_string().to_ascii_lowercase())
        .collect();
    if commits.is_empty() {
        return None;
    }
    let times = runs.iter().filter_map(|r| r.seen_at());
    let (first, last) = (times.clone().min()?, times.max()?);
    let covered: Vec<&Deployment> = deployments
        .iter()
        .filter(|d| window.contains(d.time) && first <= d.time && d.time <= last)
        .collect();
    Some(Count {
        k: covered
            .iter()
            .filter(|d| commits.contains(&d.commit.to_ascii_lowercase()))
            .count(),
        n: covered.len(),
    })
}

/// How a figure stands against a bar, its interval taken into account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judged {
    /// The whole interval meets the bar.
    Holds,
    /// The whole interval misses it.
    Fails,
    /// The interval straddles it: too few samples to tell.
    Unsure,
}

/// A share that must be at least `bar`.
fn share_at_least(count: Count, bar: f64) -> Judged {
    match wilson(count.k, count.n) {
        Some([lo, _]) if lo >= bar => Judged::Holds,
        Some([_, hi]) if hi < bar => Judged::Fails,
        _ => Judged::Unsure,
    }
}

/// A share that must be below `bar`.
fn share_below(count: Count, bar: f64) -> Judged {
    match wilson(count.k, count.n) {
        Some([_, hi]) if hi < bar => Judged::Holds,
        Some([lo, _]) if lo >= bar => Judged::Fails,
        _ => Judged::Unsure,
    }
}

/// "3 of 12 (90 % interval 9–50 %)".
fn share_text(count: Count) -> String {
    match wilson(count.k, count.n) {
        Some([lo, hi]) => format!(
            "{} of {} (90% interval {}–{})",
            count.k,
            count.n,
            percent(lo),
            percent(hi)
        ),
        None => format!("{} of {}", count.k, count.n),
    }
}

/// What the data says about one practice.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// The data cannot check it in this run, and why.
    NoData(String),
    /// A judged figure: the text states it with its sample and interval; `short` is the
    /// answer the data supports when the practice fails.
    Figure {
        judged: Judged,
        short: Answer,
        text: String,
    },
}

fn no_data(reason: &str) -> Option<Reading> {
    Some(Reading::NoData(reason.to_string()))
}

/// What the merges source cannot show.
const MERGES: &str = "deployments come from merges (no tags or CI deploy runs), and commit to \
     merge is not commit to production";

/// Applies one rule. `None` only where the rule has no bearing at all.
pub fn reading(rule: EvidenceRule, facts: &Facts) -> Reading {
    let production = matches!(
        rule,
        EvidenceRule::AutomaticDeploys
            | EvidenceRule::RollbacksUsed
            | EvidenceRule::LeadTime24h
            | EvidenceRule::ChangeFailure5Pct
    );
    if production && facts.source == Some(Source::Merges) {
        return Reading::NoData(MERGES.to_string());
    }
    let figure = |judged, short, text: String| {
        Some(Reading::Figure {
            judged,
            short,
            text,
        })
    };
    let read = match rule {
        EvidenceRule::CiOnCommit => match facts.built {
            None if facts.ci_runs == 0 => no_data("no CI runs in the window (--ci exports)"),
            None => no_data("the CI exports do not say which commit each run built"),
            Some(count) if count.n == 0 => {
                no_data("no deployment in the window falls in the time the CI exports cover")
            }
            Some(count) => figure(
                share_at_least(count, PRACTICE_SHARE),
                if count.k == 0 {
                    Answer::No
                } else {
                    Answer::Partial
                },
                format!(
                    "{} deployed commits had a CI run on that commit; the bar is {}",
                    share_text(count),
                    percent(PRACTICE_SHARE)
                ),
            ),
        },
        EvidenceRule::CiRunsVisible => match facts.ci_runs {
            0 => no_data("no CI runs in the window (--ci exports)"),
            n => figure(
                Judged::Holds,
                Answer::Yes,
                format!(
                    "{} with their results in the CI exports",
                    plural(n, "CI run", "CI runs")
                ),
            ),
        },
        EvidenceRule::AutomaticDeploys => {
            let count = facts.deploys;
            let unknown = if facts.deploys_unknown > 0 {
                format!(
                    "; {} whose trigger the export does not give left out",
                    plural(facts.deploys_unknown, "deploy run", "deploy runs")
                )
            } else {
                String::new()
            };
            if count.n == 0 {
                if facts.deploys_unknown > 0 {
                    no_data("the CI exports do not say what started the deploy runs")
                } else {
                    no_data("no successful deploy run in the window (--ci exports)")
                }
            } else {
                let how = if facts.manual_events.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", facts.manual_events.join(", "))
                };
                let automatic = Count {
                    k: count.n - count.k,
                    n: count.n,
                };
                figure(
                    share_at_least(automatic, PRACTICE_SHARE),
                    if automatic.k == 0 {
                        Answer::No
                    } else {
                        Answer::Partial
                    },
                    format!(
                        "{} deploy runs started without a person{how}{unknown}; the bar is {}",
                        share_text(automatic),
                        percent(PRACTICE_SHARE)
                    ),
                )
            }
        }
        EvidenceRule::RollbacksUsed => match facts.rollbacks.len() {
            0 => no_data("no rollback in the window: the data cannot tell whether one is known"),
            n => figure(
                Judged::Holds,
                Answer::Yes,
                format!(
                    "{} in the window: {}",
                    plural(n, "rollback", "rollbacks"),
                    facts.rollbacks.join(", ")
                ),
            ),
        },
        EvidenceRule::LeadTime24h => match facts.lead_time {
            None => Some(Reading::NoData(format!(
                "lead time not measured: {}",
                facts
                    .lead_time_reason
                    .as_deref()
                    .unwrap_or("no samples in the window")
            ))),
            Some(median) => {
                let bar = STANDARD_LEAD_TIME_HOURS;
                let (judged, interval) = match median.interval {
                    Some([_, hi]) if hi < bar => (Judged::Holds, Some([median.hours, hi])),
                    Some([lo, hi]) if lo >= bar => (Judged::Fails, Some([lo, hi])),
                    Some([lo, hi]) => (Judged::Unsure, Some([lo, hi])),
                    None => (Judged::Unsure, None),
                };
                let interval = match (median.interval, interval) {
                    (Some([lo, hi]), Some(_)) => {
                        format!(" (90% interval {}–{})", duration(lo), duration(hi))
                    }
                    _ => " (too few samples for an interval)".to_string(),
                };
                figure(
                    judged,
                    Answer::No,
                    format!(
                        "median lead time {}{interval} over {}; the standard's bar is < 24 h",
                        duration(median.hours),
                        plural(median.samples, "commit", "commits")
                    ),
                )
            }
        },
        EvidenceRule::ChangeFailure5Pct => match facts.change_failure {
            None => no_data("no deployments in the window"),
            Some(count) => figure(
                share_below(count, STANDARD_CHANGE_FAILURE_RATE),
                Answer::No,
                format!(
                    "{} deployments failed; the standard's bar is < {}",
                    share_text(count),
                    percent(STANDARD_CHANGE_FAILURE_RATE)
                ),
            ),
        },
        EvidenceRule::ZeroTouch95 => match facts.zero_touch {
            None => no_data("no CI runs in the window (--ci exports)"),
            Some(count) => figure(
                share_at_least(count, ZERO_TOUCH_SHARE),
                Answer::Partial,
                format!(
                    "{} pipeline runs were zero-touch; the bar is {}",
                    share_text(count),
                    percent(ZERO_TOUCH_SHARE)
                ),
            ),
        },
    };
    read.unwrap_or_else(|| Reading::NoData("no data for it".to_string()))
}

/// Whether the data shows that a practice applies to this team at all: it deploys, or it
/// runs CI. An `n/a` answer then hides a practice the team should answer.
fn applies(rule: EvidenceRule, facts: &Facts) -> Option<String> {
    match rule {
        EvidenceRule::AutomaticDeploys
        | EvidenceRule::RollbacksUsed
        | EvidenceRule::LeadTime24h
        | EvidenceRule::ChangeFailure5Pct
            if facts.deployments > 0 =>
        {
            Some(format!(
                "{} in the window",
                plural(facts.deployments, "deployment", "deployments")
            ))
        }
        EvidenceRule::CiOnCommit | EvidenceRule::CiRunsVisible | EvidenceRule::ZeroTouch95
            if facts.ci_runs > 0 =>
        {
            Some(format!(
                "{} in the window",
                plural(facts.ci_runs, "CI run", "CI runs")
            ))
        }
        _ => None,
    }
}

/// The outcome of checking one practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A yes or partial that the data supports.
    Confirmed,
    /// The data shows less than the answer: the verified level scores what it shows.
    Contradicted,
    /// Too few samples to tell either way.
    Inconclusive,
    /// Nothing in this run can check it.
    NoData,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Contradicted => "contradicted",
            Status::Inconclusive => "inconclusive",
            Status::NoData => "no data",
        }
    }
}

/// One checkable practice: the answer, what the data says, and the status.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Check {
    pub practice: String,
    /// The rule that read the data.
    pub rule: EvidenceRule,
    pub claimed: Answer,
    /// `null` for a `no` or blank answer: a claim of nothing is not checked.
    pub status: Option<Status>,
    /// For `contradicted`: the answer the verified level scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shows: Option<Answer>,
    /// The figure with its sample and interval, or why there is none.
    pub evidence: String,
    /// For a `no` or blank answer the data suggests more than: say so, change nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Contradiction {
    pub practice: String,
    pub claimed: Answer,
    /// What the data shows; the verified level scores this answer.
    pub shows: Answer,
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Confirmation {
    pub practice: String,
    pub claimed: Answer,
    pub evidence: String,
}

/// The headline's counts: "k of N checkable practices checked (c confirmed, …)".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Tally {
    pub checkable: usize,
    pub checked: usize,
    pub confirmed: usize,
    pub contradicted: usize,
    pub inconclusive: usize,
    pub no_data: usize,
}

impl Tally {
    pub fn line(&self) -> String {
        format!(
            "{} of {} checkable practices checked ({} confirmed, {} contradicted, {} \
             inconclusive, {} no data)",
            self.checked,
            self.checkable,
            self.confirmed,
            self.contradicted,
            self.inconclusive,
            self.no_data
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Answers the data replaces, by practice id.
    pub verified: BTreeMap<String, Answer>,
    pub checks: Vec<Check>,
    pub tally: Tally,
}

impl Evidence {
    pub fn contradictions(&self) -> Vec<Contradiction> {
        self.checks
            .iter()
            .filter(|c| c.status == Some(Status::Contradicted))
            .map(|c| Contradiction {
                practice: c.practice.clone(),
                claimed: c.claimed,
                shows: c.shows.unwrap_or(Answer::No),
                evidence: c.evidence.clone(),
            })
            .collect()
    }

    pub fn confirmations(&self) -> Vec<Confirmation> {
        self.checks
            .iter()
            .filter(|c| c.status == Some(Status::Confirmed))
            .map(|c| Confirmation {
                practice: c.practice.clone(),
                claimed: c.claimed,
                evidence: c.evidence.clone(),
            })
            .collect()
    }
}

/// Checks every practice that names an evidence rule against its answer.
pub fn apply(
    questionnaire: &Questionnaire,
    answer: impl Fn(&str) -> Answer,
    facts: &Facts,
) -> Evidence {
    let mut evidence = Evidence::default();
    for practice in &questionnaire.practices {
        let Some(rule) = practice.evidence else {
            continue;
        };
        let claimed = answer(&practice.id);
        let check = check(&practice.id, claimed, rule, facts);
        let tally = &mut evidence.tally;
        tally.checkable += 1;
        if let Some(status) = check.status {
            tally.checked += 1;
            match status {
                Status::Confirmed => tally.confirmed += 1,
                Status::Contradicted => tally.contradicted += 1,
                Status::Inconclusive => tally.inconclusive += 1,
                Status::NoData => tally.no_data += 1,
            }
        }
        if let (Some(Status::Contradicted), Some(shows)) = (check.status, check.shows) {
            evidence.verified.insert(practice.id.clone(), shows);
        }
        evidence.checks.push(check);
    }
    evidence
}

fn check(id: &str, claimed: Answer, rule: EvidenceRule, facts: &Facts) -> Check {
    let reading = reading(rule, facts);
    let mut check = Check {
        practice: id.to_string(),
        rule,
        claimed,
        status: None,
        shows: None,
        evidence: String::new(),
        hint: None,
    };
    match (claimed, reading) {
        (Answer::NotApplicable, reading) => match applies(rule, facts) {
            Some(why) => {
                check.status = Some(Status::Contradicted);
                // Scored as unanswered: the data shows it applies, not how well it is done.
                check.shows = Some(Answer::Blank);
                check.evidence = format!("answered n/a, but it applies: {why}");
            }
            None => {
                check.status = Some(Status::NoData);
                check.evidence = match reading {
                    Reading::NoData(why) => why,
                    Reading::Figure { text, .. } => text,
                };
            }
        },
        (Answer::No | Answer::Blank, Reading::NoData(why)) => check.evidence = why,
        (Answer::No | Answer::Blank, Reading::Figure { judged, text, .. }) => {
            if judged == Judged::Holds {
                check.hint = Some(format!(
                    "answered {}, but the data suggests more: {text}",
                    if claimed == Answer::No {
                        "no"
                    } else {
                        "nothing"
                    }
                ));
            }
            check.evidence = text;
        }
        (Answer::Yes | Answer::Partial, Reading::NoData(why)) => {
            check.status = Some(Status::NoData);
            check.evidence = why;
        }
        (
            Answer::Yes | Answer::Partial,
            Reading::Figure {
                judged,
                short,
                text,
            },
        ) => {
            check.evidence = text;
            check.status = Some(match judged {
                Judged::Holds => Status::Confirmed,
                Judged::Unsure => Status::Inconclusive,
                // A partial the data also shows as partial is what the data supports.
                Judged::Fails if claimed.credit() <= short.credit() => Status::Confirmed,
                Judged::Fails => {
                    check.shows = Some(short);
                    Status::Contradicted
                }
            });
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{CommitId, Conclusion, Provider, Status as RunStatus};
    use chrono::{DateTime, TimeDelta, Utc};

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_767_571_200, 0).expect("T0")
    }

    fn run(id: &str, trigger: Trigger, event: &str, hour: i64) -> PipelineRun {
        PipelineRun {
            provider: Provider::GithubActions,
            id: id.into(),
            workflow: "deploy".into(),
            path: None,
            branch: Some("main".into()),
            commit: None,
            status: RunStatus::Completed,
            conclusion: Some(Conclusion::Success),
            attempt: 1,
            trigger,
            event: event.into(),
            started_at: Some(t0() + TimeDelta::hours(hour - 1)),
            finished_at: Some(t0() + TimeDelta::hours(hour)),
        }
    }

    /// The measures of a window with nothing in it.
    fn empty_measures(window: Window) -> Measures {
        let hotfix = regex::Regex::new("x").unwrap();
        crate::measures::compute(
            &[],
            &[],
            &crate::events::PullRequests::default(),
            None,
            &crate::measures::Rules {
                window,
                commit_time: crate::events::CommitTime::Author,
                exclude_author: None,
                failures: crate::measures::failures::FailureRules {
                    hotfix_pattern: &hotfix,
                    hotfix_window: TimeDelta::hours(72),
                    revert_window: TimeDelta::days(30),
                    incident_window: TimeDelta::days(7),
                    count_failed_deploys: false,
                },
            },
        )
        .0
    }

    fn facts(f: impl FnOnce(&mut Facts)) -> Facts {
        let mut facts = Facts {
            source: Some(Source::Tags),
            ..Facts::default()
        };
        f(&mut facts);
        facts
    }

    fn status(rule: EvidenceRule, answer: Answer, facts: &Facts) -> (Option<Status>, String) {
        let c = check("p", answer, rule, facts);
        (c.status, c.evidence)
    }

    #[test]
    fn no_and_blank_are_never_confirmed_and_yes_needs_the_whole_interval() {
        // 0 failed of 60 deployments: Wilson upper bound = z² / (60 + z²)
        // = 2.7055 / 62.7055 = 4.3 % < 5 %: holds.
        let f = facts(|f| f.change_failure = Some(Count { k: 0, n: 60 }));
        let rule = EvidenceRule::ChangeFailure5Pct;
        assert_eq!(status(rule, Answer::Yes, &f).0, Some(Status::Confirmed));
        let no = check("p", Answer::No, rule, &f);
        assert_eq!(no.status, None, "a no is not checked");
        assert!(
            no.hint
                .unwrap()
                .starts_with("answered no, but the data suggests more")
        );
        assert_eq!(check("p", Answer::Blank, rule, &f).status, None);
        // Issue 15 item 3: 0 failed of 1 deployment: interval [0, 73 %]: inconclusive.
        let f = facts(|f| f.change_failure = Some(Count { k: 0, n: 1 }));
        let (s, text) = status(rule, Answer::Yes, &f);
        assert_eq!(s, Some(Status::Inconclusive));
        assert_eq!(
            text,
            "0 of 1 (90% interval 0.0%–73.0%) deployments failed; the standard's bar is < 5.0%"
        );
        // 5 failed of 20: Wilson [12.7 %, 43.2 %], all at or above 5 %: contradicted, scored
        // as no.
        let f = facts(|f| f.change_failure = Some(Count { k: 5, n: 20 }));
        let c = check("p", Answer::Yes, rule, &f);
        assert_eq!(
            (c.status, c.shows),
            (Some(Status::Contradicted), Some(Answer::No))
        );
    }

    #[test]
    fn lead_time_is_judged_by_the_standard_figure_and_the_median_interval() {
        let rule = EvidenceRule::LeadTime24h;
        let with = |hours: f64, interval: Option<[f64; 2]>| {
            facts(|f| {
                f.lead_time = Some(Median {
                    hours,
                    samples: 10,
                    interval,
                })
            })
        };
        // interval 2h–20h, all under 24h: confirmed
        assert_eq!(
            status(rule, Answer::Yes, &with(5.0, Some([2.0, 20.0]))).0,
            Some(Status::Confirmed)
        );
        // 10h–30h straddles 24h: inconclusive
        assert_eq!(
            status(rule, Answer::Yes, &with(20.0, Some([10.0, 30.0]))).0,
            Some(Status::Inconclusive)
        );
        // 25h–90h: contradicted
        let c = check("p", Answer::Partial, rule, &with(40.0, Some([25.0, 90.0])));
        assert_eq!(
            (c.status, c.shows),
            (Some(Status::Contradicted), Some(Answer::No))
        );
        // 4 samples: no interval: inconclusive, however good the median
        let (s, text) = status(rule, Answer::Yes, &with(1.0, None));
        assert_eq!(s, Some(Status::Inconclusive));
        assert!(text.contains("too few samples for an interval"), "{text}");
    }

    #[test]
    fn the_merges_source_checks_no_production_practice() {
        // Issue 15 item 5.
        let f = facts(|f| {
            f.source = Some(Source::Merges);
            f.deployments = 100;
            f.change_failure = Some(Count { k: 0, n: 100 });
            f.lead_time = Some(Median {
                hours: 1.0,
                samples: 100,
                interval: Some([0.5, 2.0]),
            });
            f.rollbacks = vec!["abc".into()];
        });
        for rule in [
            EvidenceRule::LeadTime24h,
            EvidenceRule::ChangeFailure5Pct,
            EvidenceRule::RollbacksUsed,
            EvidenceRule::AutomaticDeploys,
        ] {
            let (s, text) = status(rule, Answer::Yes, &f);
            assert_eq!(s, Some(Status::NoData), "{rule:?}");
            assert!(text.contains("commit to"), "{text}");
        }
    }

    #[test]
    fn unknown_triggers_are_left_out_not_counted_as_manual() {
        // Issue 15 item 4: three deploy runs from an export without `event`.
        let deploys: Vec<PipelineRun> = (1..=3)
            .map(|i| run(&i.to_string(), Trigger::Unknown, "", i * 10))
            .collect();
        let window = Window::new(t0(), t0() + TimeDelta::hours(100)).expect("window");
        let m = empty_measures(window);
        let f = Facts::new(&m, Some(Source::Ci), &[], &window, &deploys, &deploys);
        assert_eq!(f.deploys, Count { k: 0, n: 0 });
        assert_eq!(f.deploys_unknown, 3);
        let (s, text) = status(EvidenceRule::AutomaticDeploys, Answer::Yes, &f);
        assert_eq!(s, Some(Status::NoData));
        assert_eq!(
            text,
            "the CI exports do not say what started the deploy runs"
        );
    }

    #[test]
    fn only_successful_deploy_runs_are_deployments() {
        // Issue 15 item 9: a cancelled manual "Publish docs" run is not a deployment.
        let window = Window::new(t0(), t0() + TimeDelta::hours(100)).expect("window");
        let mut cancelled = run("1", Trigger::Manual, "workflow_dispatch", 10);
        cancelled.conclusion = Some(Conclusion::Cancelled);
        let deploys = vec![
            cancelled,
            run("2", Trigger::Push, "push", 20),
            run("3", Trigger::Push, "push", 30),
            // outside the window
            run("4", Trigger::Manual, "workflow_dispatch", 200),
        ];
        let f = Facts::new(
            &empty_measures(window),
            Some(Source::Ci),
            &[],
            &window,
            &deploys,
            &deploys,
        );
        assert_eq!(f.deploys, Count { k: 0, n: 2 });
        // 2 of 2 automatic: Wilson lower bound 2 / (2 + z²) = 42.5 % < 80 %: inconclusive.
        assert_eq!(
            status(EvidenceRule::AutomaticDeploys, Answer::Yes, &f).0,
            Some(Status::Inconclusive)
        );
    }

    #[test]
    fn manual_deploys_contradict_automatic_deployment() {
        // 10 of 20 deploy runs by hand: 10 of 20 automatic. Wilson: 1 + z²/20 = 1.1352772,
        // centre 0.5, half = z / 1.1352772 × √(0.0125 + z²/1600) = 1.4488580 × 0.1191260
        // = 0.1725963 -> [32.7 %, 67.3 %], all below 80 %.
        let f = facts(|f| {
            f.deploys = Count { k: 10, n: 20 };
            f.manual_events = vec!["workflow_dispatch".into()];
        });
        let c = check("p", Answer::Yes, EvidenceRule::AutomaticDeploys, &f);
        assert_eq!(
            (c.status, c.shows),
            (Some(Status::Contradicted), Some(Answer::Partial))
        );
        assert_eq!(
            c.evidence,
            "10 of 20 (90% interval 32.7%–67.3%) deploy runs started without a person \
             (workflow_dispatch); the bar is 80.0%"
        );
        // A partial answer is what the data shows: confirmed.
        let c = check("p", Answer::Partial, EvidenceRule::AutomaticDeploys, &f);
        assert_eq!(c.status, Some(Status::Confirmed));
    }

    #[test]
    fn ci_on_commit_counts_deployed_commits_with_a_run() {
        // Issue 15 item 2: one push run among scheduled ones says nothing about "every
        // commit"; what does is whether the commits that shipped were built.
        let window = Window::new(t0(), t0() + TimeDelta::hours(100)).expect("window");
        let sha = |c: char| c.to_string().repeat(40);
        let deployment = |c: char, hour: i64| Deployment {
            commit: sha(c),
            time: t0() + TimeDelta::hours(hour),
            label: None,
            rollback: false,
            failed_run: false,
            retried_ok_at: None,
            changes: crate::events::ChangeSet::Commits(Vec::new()),
            unchanged: false,
        };
        let mut built = run("1", Trigger::Push, "push", 10);
        built.commit = Some(CommitId::Text(sha('a').into()));
        let mut nightly = run("2", Trigger::Schedule, "schedule", 40);
        nightly.commit = Some(CommitId::Text(sha('f').into()));
        // deployments a (10h, built), b (20h, not), c (60h: after the last run, not covered)
        let deployments = [
            deployment('a', 10),
            deployment('b', 20),
            deployment('c', 60),
        ];
        let runs = [built, nightly];
        let f = Facts::new(
            &empty_measures(window),
            Some(Source::Tags),
            &deployments,
            &window,
            &runs,
            &[],
        );
        assert_eq!(f.built, Some(Count { k: 1, n: 2 }));
        // 1 of 2: Wilson [12.1 %, 87.9 %] straddles 80 %: inconclusive.
        assert_eq!(
            status(EvidenceRule::CiOnCommit, Answer::Yes, &f).0,
            Some(Status::Inconclusive)
        );
    }

    #[test]
    fn not_applicable_is_contradicted_where_the_data_shows_the_practice_applies() {
        let f = facts(|f| f.deployments = 12);
        let c = check(
            "p",
            Answer::NotApplicable,
            EvidenceRule::AutomaticDeploys,
            &f,
        );
        assert_eq!(
            (c.status, c.shows),
            (Some(Status::Contradicted), Some(Answer::Blank))
        );
        assert_eq!(
            c.evidence,
            "answered n/a, but it applies: 12 deployments in the window"
        );
        // Without CI runs nothing shows that CI practices apply.
        let c = check("p", Answer::NotApplicable, EvidenceRule::CiOnCommit, &f);
        assert_eq!(c.status, Some(Status::NoData));
    }

    #[test]
    fn an_empty_window_contradicts_nothing() {
        // Issue 15 item 8: no deployments in the window is no data, never a "no".
        let f = facts(|_| {});
        let e = apply(super::super::questionnaire::embedded(), |_| Answer::Yes, &f);
        assert!(e.contradictions().is_empty());
        assert!(e.confirmations().is_empty());
        assert_eq!(e.tally.checked, e.tally.checkable);
        assert_eq!(e.tally.no_data, e.tally.checkable);
    }
}
