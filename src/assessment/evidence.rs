//! What the measured data says about the answers. Pure: a few facts drawn from the analysis
//! in, verdicts out, so every rule is unit-tested without git or CI exports.
//!
//! Evidence only ever lowers an answer. Data can show that a practice is missing or falls
//! short (deploy runs started by hand contradict "deployments run automatically"), but a
//! practice the team says it lacks is not granted because some runs look automatic: the data
//! sees a sample of the work, the team sees all of it.

use crate::events::Measure;
use std::collections::BTreeMap;

use serde::Serialize;

use super::file::Answer;
use super::questionnaire::{EvidenceRule, Questionnaire};
use crate::events::Deployment;
use crate::events::window::Window;
use crate::events::{PipelineRun, Trigger};
use crate::measures::Measures;
use crate::outcome::TargetResult;
use crate::units::{duration, percent, plural};

/// The measured facts the rules look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// CI runs in the window, and how many a push or pull request started.
    pub ci_runs: usize,
    pub ci_on_commit: usize,
    /// Deploy runs in the window, and how many a person started.
    pub deploy_runs: usize,
    pub deploy_manual: usize,
    /// The providers' words for the manual triggers seen (`workflow_dispatch`, `web`).
    pub manual_events: Vec<String>,
    /// Deployments in the window, and the refs (or short commits) of the rollbacks among them.
    pub deployments: usize,
    pub rollbacks: Vec<String>,
    /// Median lead time in hours and its sample size, when computable.
    pub lead_time: Option<(f64, usize)>,
    pub lead_time_reason: Option<String>,
    /// Change failure rate, failed and all deployments, when computable.
    pub change_failure: Option<(f64, usize, usize)>,
    /// Failed deployments with a recovery.
    pub recoveries: usize,
    /// The outcome targets as evaluated.
    pub targets: Vec<TargetResult>,
}

fn in_window(run: &PipelineRun, window: &Window) -> bool {
    run.finished_at
        .or(run.started_at)
        .is_some_and(|t| window.contains(t))
}

/// The CI part of the facts: runs in the window by finish time (start time while running).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunFacts {
    pub ci_runs: usize,
    pub ci_on_commit: usize,
    pub deploy_runs: usize,
    pub deploy_manual: usize,
    pub manual_events: Vec<String>,
}

impl RunFacts {
    pub fn new(runs: &[PipelineRun], deploy_runs: &[PipelineRun], window: &Window) -> RunFacts {
        let runs: Vec<&PipelineRun> = runs.iter().filter(|r| in_window(r, window)).collect();
        let deploys: Vec<&PipelineRun> = deploy_runs
            .iter()
            .filter(|r| in_window(r, window))
            .collect();
        let manual: Vec<&&PipelineRun> = deploys
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
        RunFacts {
            ci_runs: runs.len(),
            ci_on_commit: runs
                .iter()
                .filter(|r| matches!(r.trigger, Trigger::Push | Trigger::PullRequest))
                .count(),
            deploy_runs: deploys.len(),
            deploy_manual: manual.len(),
            manual_events,
        }
    }
}

impl Facts {
    /// The facts of one run: its measures and targets, the whole deployment sequence (the
    /// window's rollbacks are read from it), and the CI runs.
    pub fn new(
        measures: &Measures,
        targets: &[TargetResult],
        deployments: &[Deployment],
        window: &Window,
        ci_runs: &[PipelineRun],
        deploy_runs: &[PipelineRun],
    ) -> Facts {
        let runs = RunFacts::new(ci_runs, deploy_runs, window);
        let m = measures;
        Facts {
            ci_runs: runs.ci_runs,
            ci_on_commit: runs.ci_on_commit,
            deploy_runs: runs.deploy_runs,
            deploy_manual: runs.deploy_manual,
            manual_events: runs.manual_events,
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
            lead_time: m
                .lead_time_for_changes
                .median_hours
                .map(|h| (h, m.lead_time_for_changes.samples)),
            lead_time_reason: m.lead_time_for_changes.reason.clone(),
            change_failure: m.change_failure_rate.rate.map(|r| {
                (
                    r,
                    m.change_failure_rate.failed,
                    m.change_failure_rate.deployments,
                )
            }),
            recoveries: m.mean_time_to_recovery.samples,
            targets: targets.to_vec(),
        }
    }

    fn target(&self, measure: Measure) -> Option<&TargetResult> {
        self.targets.iter().find(|t| t.measure == measure)
    }
}

/// What the data says about one practice.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The data agrees that the practice is in place.
    Confirms(String),
    /// The data shows at most this answer.
    Shows(Answer, String),
}

/// Applies one rule; `None` when there is no data for it (no CI exports, say).
pub fn verdict(rule: EvidenceRule, facts: &Facts) -> Option<Verdict> {
    use Verdict::{Confirms, Shows};
    match rule {
        EvidenceRule::CiOnCommit => match (facts.ci_runs, facts.ci_on_commit) {
            (0, _) => None,
            (n, 0) => Some(Shows(
                Answer::No,
                format!(
                    "none of the {n} CI runs in the window was started by a push or pull request"
                ),
            )),
            (n, k) => Some(Confirms(format!(
                "{k} of {n} CI runs in the window were started by a push or pull request"
            ))),
        },
        EvidenceRule::CiRunsVisible => (facts.ci_runs > 0).then(|| {
            Confirms(format!(
                "{} with their results in the CI exports",
                plural(facts.ci_runs, "CI run", "CI runs")
            ))
        }),
        EvidenceRule::AutomaticDeploys => {
            let (n, manual) = (facts.deploy_runs, facts.deploy_manual);
            let how = if facts.manual_events.is_empty() {
                String::new()
            } else {
                format!(" ({})", facts.manual_events.join(", "))
            };
            match manual {
                _ if n == 0 => None,
                0 => Some(Confirms(format!(
                    "none of the {n} deploy runs in the window was started by hand"
                ))),
                m if m == n => Some(Shows(
                    Answer::No,
                    format!("all {n} deploy runs in the window were started by hand{how}"),
                )),
                m => Some(Shows(
                    Answer::Partial,
                    format!("{m} of {n} deploy runs in the window were started by hand{how}"),
                )),
            }
        }
        EvidenceRule::RollbacksUsed => (!facts.rollbacks.is_empty()).then(|| {
            Confirms(format!(
                "{} in the window: {}",
                plural(facts.rollbacks.len(), "rollback", "rollbacks"),
                facts.rollbacks.join(", ")
            ))
        }),
        EvidenceRule::LeadTime24h => {
            let t = facts.target(Measure::LeadTimeForChanges)?;
            let (median, samples) = facts.lead_time?;
            let measured = format!(
                "median lead time {} over {}; the target is {}",
                duration(median),
                plural(samples, "commit", "commits"),
                t.target
            );
            match t.met? {
                true => Some(Confirms(measured)),
                false => Some(Shows(Answer::No, measured)),
            }
        }
        EvidenceRule::ChangeFailure5Pct => {
            let t = facts.target(Measure::ChangeFailureRate)?;
            let (rate, failed, deployments) = facts.change_failure?;
            let measured = format!(
                "change failure rate {} ({} of {} failed); the target is {}",
                percent(rate),
                failed,
                plural(deployments, "deployment", "deployments"),
                t.target
            );
            match t.met? {
                true => Some(Confirms(measured)),
                false => Some(Shows(Answer::No, measured)),
            }
        }
        EvidenceRule::ZeroTouch95 => {
            let t = facts.target(Measure::PipelineHealth)?;
            let (rate, runs) = (t.actual?, t.samples?);
            let measured = format!(
                "{} of {} were zero-touch (no failure, re-run or manual step); the target is {}",
                percent(rate),
                plural(runs, "pipeline run", "pipeline runs"),
                t.target
            );
            match t.met? {
                true => Some(Confirms(measured)),
                false => Some(Shows(Answer::Partial, measured)),
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    pub practice: String,
    pub claimed: Answer,
    /// What the data shows; the verified level scores this answer.
    pub shows: Answer,
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confirmation {
    pub practice: String,
    pub claimed: Answer,
    pub evidence: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Answers the data replaces, by practice id.
    pub verified: BTreeMap<String, Answer>,
    pub contradictions: Vec<Contradiction>,
    pub confirmations: Vec<Confirmation>,
}

/// Checks every answered practice that names an evidence rule. A claim the data shows to be
/// higher than it is (yes where the data shows no or partial, partial where it shows no) is
/// replaced; n/a, no and blank answers are left as they are.
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
        match verdict(rule, facts) {
            Some(Verdict::Confirms(text)) => evidence.confirmations.push(Confirmation {
                practice: practice.id.clone(),
                claimed,
                evidence: text,
            }),
            Some(Verdict::Shows(shows, text)) => {
                let overstated = matches!(claimed, Answer::Yes | Answer::Partial)
                    && claimed.credit() > shows.credit();
                if overstated {
                    evidence.verified.insert(practice.id.clone(), shows);
                    evidence.contradictions.push(Contradiction {
                        practice: practice.id.clone(),
                        claimed,
                        shows,
                        evidence: text,
                    });
                }
            }
            None => {}
        }
    }
    evidence
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::questionnaire::embedded;

    fn target(
        measure: Measure,
        target: &str,
        actual: f64,
        samples: usize,
        met: bool,
    ) -> TargetResult {
        TargetResult {
            measure,
            target: target.to_string(),
            actual: Some(actual),
            samples: Some(samples),
            met: Some(met),
        }
    }

    fn contradictions(facts: &Facts, answer: Answer) -> Vec<(String, Answer, String)> {
        apply(embedded(), |_| answer, facts)
            .contradictions
            .into_iter()
            .map(|c| (c.practice, c.shows, c.evidence))
            .collect()
    }

    fn run(id: &str, trigger: Trigger, event: &str, hour: i64) -> PipelineRun {
        let t0 = chrono::DateTime::from_timestamp(1_767_571_200, 0).expect("T0");
        PipelineRun {
            provider: crate::events::Provider::GithubActions,
            id: id.into(),
            workflow: "deploy".into(),
            path: None,
            branch: Some("main".into()),
            commit: None,
            status: crate::events::Status::Completed,
            conclusion: Some(crate::events::Conclusion::Success),
            attempt: 1,
            trigger,
            event: event.into(),
            started_at: Some(t0 + chrono::TimeDelta::hours(hour - 1)),
            finished_at: Some(t0 + chrono::TimeDelta::hours(hour)),
        }
    }

    #[test]
    fn run_facts_count_the_window_only() {
        let t0 = chrono::DateTime::from_timestamp(1_767_571_200, 0).expect("T0");
        let window = Window::new(t0, t0 + chrono::TimeDelta::hours(100)).expect("window");
        let runs = [
            run("1", Trigger::Push, "push", 10),
            run("2", Trigger::PullRequest, "pull_request", 20),
            run("3", Trigger::Schedule, "schedule", 30),
            // finished at the window's end: outside ([since, until) is half-open)
            run("4", Trigger::Push, "push", 100),
            PipelineRun {
                finished_at: None,
                ..run("5", Trigger::Manual, "workflow_dispatch", 50)
            },
        ];
        let deploys = [
            run("6", Trigger::Push, "push", 11),
            run("7", Trigger::Manual, "workflow_dispatch", 21),
            run("8", Trigger::Manual, "workflow_dispatch", 31),
            run("9", Trigger::Manual, "web", 200),
        ];
        assert_eq!(
            RunFacts::new(&runs, &deploys, &window),
            RunFacts {
                // runs 1, 2, 3 and 5 (still running, started at 49h)
                ci_runs: 4,
                ci_on_commit: 2,
                deploy_runs: 3,
                deploy_manual: 2,
                manual_events: vec!["workflow_dispatch".into()],
            }
        );
    }

    #[test]
    fn no_data_no_verdict() {
        let facts = Facts::default();
        for rule in [
            EvidenceRule::CiOnCommit,
            EvidenceRule::CiRunsVisible,
            EvidenceRule::AutomaticDeploys,
            EvidenceRule::RollbacksUsed,
            EvidenceRule::LeadTime24h,
            EvidenceRule::ChangeFailure5Pct,
            EvidenceRule::ZeroTouch95,
        ] {
            assert_eq!(verdict(rule, &facts), None, "{rule:?}");
        }
        // Item 8 of issue 15: an empty window contradicts nothing.
        assert_eq!(contradictions(&facts, Answer::Yes), []);
    }

    #[test]
    fn manual_deploy_runs_contradict_automatic_deployment() {
        let facts = Facts {
            deploy_runs: 12,
            deploy_manual: 3,
            manual_events: vec!["workflow_dispatch".into()],
            ..Facts::default()
        };
        let found = contradictions(
            &Facts {
                deployments: 12,
                lead_time: Some((5.0, 30)),
                ..facts.clone()
            },
            Answer::Yes,
        );
        let text = "3 of 12 deploy runs in the window were started by hand (workflow_dispatch)";
        assert_eq!(
            found,
            [
                (
                    "process.3.automated-path".to_string(),
                    Answer::Partial,
                    text.to_string()
                ),
                (
                    "technology.3.automatic-deploys".to_string(),
                    Answer::Partial,
                    text.to_string()
                ),
            ]
        );
        // partial is what the data shows: no contradiction; all by hand shows no
        let partial = apply(embedded(), |_| Answer::Partial, &facts);
        assert!(
            partial
                .contradictions
                .iter()
                .all(|c| !c.practice.contains("deploy"))
        );
        let all_manual = Facts {
            deploy_manual: 12,
            ..facts
        };
        assert_eq!(
            verdict(EvidenceRule::AutomaticDeploys, &all_manual),
            Some(Verdict::Shows(
                Answer::No,
                "all 12 deploy runs in the window were started by hand (workflow_dispatch)".into()
            ))
        );
        let none_manual = Facts {
            deploy_manual: 0,
            ..all_manual
        };
        assert!(matches!(
            verdict(EvidenceRule::AutomaticDeploys, &none_manual),
            Some(Verdict::Confirms(_))
        ));
    }

    #[test]
    fn ci_runs_started_by_commits_confirm_ci_on_commit() {
        let facts = Facts {
            ci_runs: 40,
            ci_on_commit: 38,
            ..Facts::default()
        };
        assert_eq!(
            verdict(EvidenceRule::CiOnCommit, &facts),
            Some(Verdict::Confirms(
                "38 of 40 CI runs in the window were started by a push or pull request".into()
            ))
        );
        let scheduled_only = Facts {
            ci_on_commit: 0,
            ..facts
        };
        let e = apply(embedded(), |_| Answer::Yes, &scheduled_only);
        assert_eq!(
            e.verified.get("technology.2.ci-on-commit"),
            Some(&Answer::No)
        );
        // "no" stays "no", and the data never raises it
        let e = apply(embedded(), |_| Answer::No, &scheduled_only);
        assert!(e.verified.is_empty() && e.contradictions.is_empty());
    }

    #[test]
    fn rollbacks_confirm_but_never_contradict() {
        let facts = Facts {
            rollbacks: vec!["v1.8".into()],
            ..Facts::default()
        };
        let e = apply(embedded(), |_| Answer::Yes, &facts);
        assert!(e.confirmations.contains(&Confirmation {
            practice: "process.3.rollback-known".into(),
            claimed: Answer::Yes,
            evidence: "1 rollback in the window: v1.8".into()
        }));
        assert_eq!(
            verdict(EvidenceRule::RollbacksUsed, &Facts::default()),
            None
        );
    }

}
