//! Which deployments failed, by which signals, and when each was remediated (measures.md §4
//! signals, §5 remediation). Change failure rate, recovery time and the deployment list all
//! read this one analysis.

use chrono::{DateTime, TimeDelta, Utc};
use regex::Regex;
use schemars::JsonSchema;
use serde::Serialize;

use crate::events::Incident;
use crate::events::deployment::Deployment;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    Rollback,
    Revert,
    Hotfix,
    FailedDeploy,
    Incident,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Rollback => "rollback",
            Signal::Revert => "revert",
            Signal::Hotfix => "hotfix",
            Signal::FailedDeploy => "failed_deploy",
            Signal::Incident => "incident",
        }
    }
}

/// A failed deployment: why, and when service was restored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Failure {
    pub signals: Vec<Signal>,
    /// What flagged it, for a person to look up: "revert 1a2b3c4d5e in v1.3", "rollback v1.8",
    /// "incident INC-7".
    pub flagged_by: Vec<String>,
    /// Earliest remediating deployment (rollback, revert, hotfix, next good deploy).
    fixed_by_deployment: Option<DateTime<Utc>>,
    /// Linked incidents: the earliest start, and how they ended.
    incident_started: Option<DateTime<Utc>>,
    incidents: Incidents,
}

/// What the incidents linked to a failure say of its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Incidents {
    #[default]
    None,
    /// At least one is still open: the failure is unresolved.
    Open,
    /// All resolved, the last at this time.
    Resolved(DateTime<Utc>),
}

impl Failure {
    fn flag(&mut self, signal: Signal) {
        if !self.signals.contains(&signal) {
            self.signals.push(signal);
            self.signals.sort();
        }
    }

    fn fixed_at(&mut self, time: DateTime<Utc>) {
        self.fixed_by_deployment = Some(self.fixed_by_deployment.map_or(time, |t| t.min(time)));
    }

    /// When service was restored: the end of `recovery`'s span; `None` while unresolved.
    pub fn recovered_at(&self, deployed: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let start = self.incident_started.map_or(deployed, |s| s.min(deployed));
        self.recovery(deployed).map(|span| start + span)
    }

    /// Recovery time (measures.md §5): the remediating deployment, or the incident's
    /// resolution when later, minus the deployment time, or the incident start when earlier.
    /// `None` while unresolved.
    pub fn recovery(&self, deployed: DateTime<Utc>) -> Option<TimeDelta> {
        let start = self.incident_started.map_or(deployed, |s| s.min(deployed));
        let end = match (self.fixed_by_deployment, self.incidents) {
            (_, Incidents::Open) => return None,
            (Some(fix), Incidents::Resolved(resolved)) => fix.max(resolved),
            (None, Incidents::Resolved(resolved)) => resolved,
            (Some(fix), Incidents::None) => fix,
            (None, Incidents::None) => return None,
        };
        Some(end - start)
    }
}

/// Settings the signals depend on.
#[derive(Debug, Clone)]
pub struct FailureRules<'a> {
    pub hotfix_pattern: &'a Regex,
    pub hotfix_window: TimeDelta,
    pub revert_window: TimeDelta,
    pub incident_window: TimeDelta,
    pub count_failed_deploys: bool,
}

/// The outcome of the analysis: one entry per deployment of the sequence, plus incidents that
/// matched no deployment.
#[derive(Debug, Clone, Default)]
pub struct Failures {
    pub by_deployment: Vec<Option<Failure>>,
    /// Per deployment: it remediated a failed deployment (as its rollback, or by shipping the
    /// revert or hotfix that flagged it) within `hotfix_window` of it. That is rework
    /// (measures.md §7): a fix shipped out of cadence.
    pub rework: Vec<bool>,
    pub unlinked_incidents: Vec<String>,
}

/// Runs every signal over the whole sequence (deployments before and after the window too:
/// a deployment in the window can be reverted after it).
pub fn detect(
    deployments: &[Deployment],
    incidents: &[Incident],
    rules: &FailureRules,
) -> Failures {
    let mut by_deployment: Vec<Option<Failure>> = vec![None; deployments.len()];
    let mut rework = vec![false; deployments.len()];
    let name = |d: &Deployment| {
        d.label
            .clone()
            .unwrap_or_else(|| d.commit.chars().take(10).collect())
    };
    // Deployment `by` remediates the failed deployment `failed`; `what` names the evidence.
    let mut remediate = |failed: usize, by: usize, signal: Signal, what: String| {
        let failure = by_deployment[failed].get_or_insert_with(Failure::default);
        failure.flag(signal);
        if !failure.flagged_by.contains(&what) {
            failure.flagged_by.push(what);
        }
        failure.fixed_at(deployments[by].time);
        if deployments[by].time - deployments[failed].time <= rules.hotfix_window {
            rework[by] = true;
        }
    };

    for (i, deployment) in deployments.iter().enumerate() {
        // 1. The deployment right after D is a rollback: D failed, the rollback remediates.
        if deployment.rollback && i > 0 {
            remediate(
                i - 1,
                i,
                Signal::Rollback,
                format!("rollback {}", name(deployment)),
            );
        }
        // 2. A revert shipped here of a commit an earlier deployment shipped, within the
        // revert window of it: reverting what ran for months is ordinary change.
        for change in deployment.changes.commits() {
            if let Some(shipped) = change.reverts().and_then(|r| r.shipped_in)
                && shipped < i
                && deployment.time - deployments[shipped].time <= rules.revert_window
            {
                remediate(
                    shipped,
                    i,
                    Signal::Revert,
                    format!("revert {} in {}", short(&change.sha()), name(deployment)),
                );
            }
        }
        // 3. A hotfix within the hotfix window of the previous deployment.
        if i > 0
            && deployment.time - deployments[i - 1].time <= rules.hotfix_window
            && let Some(hotfix) = deployment
                .changes
                .commits()
                .iter()
                .find(|c| rules.hotfix_pattern.is_match(c.subject()))
        {
            remediate(
                i - 1,
                i,
                Signal::Hotfix,
                format!("hotfix {} in {}", short(&hotfix.sha()), name(deployment)),
            );
        }
    }

    // 4. and 5. flag deployments without making another one rework.
    for (i, deployment) in deployments.iter().enumerate() {
        // 4. A deploy run that failed; its good retry, else the next deployment that did not
        // fail, remediates.
        if rules.count_failed_deploys && deployment.failed_run {
            let fixed = deployment.retried_ok_at.or_else(|| {
                deployments[i + 1..]
                    .iter()
                    .find(|d| !d.failed_run)
                    .map(|d| d.time)
            });
            let failure = by_deployment[i].get_or_insert_with(Failure::default);
            failure.flag(Signal::FailedDeploy);
            failure.flagged_by.push("its deploy run failed".to_string());
            if let Some(time) = fixed {
                failure.fixed_at(time);
            }
        }
    }

    let mut unlinked_incidents = Vec::new();
    for incident in incidents {
        match link(incident, deployments, rules.incident_window) {
            Some(index) => {
                let failure = by_deployment[index].get_or_insert_with(Failure::default);
                failure.flag(Signal::Incident);
                failure.flagged_by.push(format!("incident {}", incident.id));
                failure.incident_started = Some(
                    failure
                        .incident_started
                        .map_or(incident.started_at, |s| s.min(incident.started_at)),
                );
                failure.incidents = match (failure.incidents, incident.resolved_at) {
                    (Incidents::Open, _) | (_, None) => Incidents::Open,
                    (Incidents::None, Some(resolved)) => Incidents::Resolved(resolved),
                    (Incidents::Resolved(earlier), Some(resolved)) => {
                        Incidents::Resolved(resolved.max(earlier))
                    }
                };
            }
            None => unlinked_incidents.push(incident.id.clone()),
        }
    }
    Failures {
        by_deployment,
        rework,
        unlinked_incidents,
    }
}

fn short(sha: &str) -> &str {
    sha.get(..10).unwrap_or(sha)
}

/// The deployment an incident belongs to: the one it names (by label or commit), the one whose
/// change set holds its `cause_sha`, else the latest deployment before it within the window.
fn link(incident: &Incident, deployments: &[Deployment], window: TimeDelta) -> Option<usize> {
    let is_sha =
        |full: &str, given: &str| given.len() >= 7 && full.starts_with(&given.to_ascii_lowercase());
    if let Some(named) = &incident.deployment {
        return deployments
            .iter()
            .position(|d| d.label.as_deref() == Some(named.as_str()) || is_sha(&d.commit, named));
    }
    if let Some(cause) = &incident.cause_sha {
        return deployments.iter().position(|d| {
            is_sha(&d.commit, cause) || d.changes.commits().iter().any(|c| is_sha(&c.sha(), cause))
        });
    }
    deployments
        .iter()
        .rposition(|d| d.time <= incident.started_at && incident.started_at - d.time <= window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::deployment::{ChangeSet, Deployment};
    use chrono::TimeZone;

    fn t(hours: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_767_571_200 + hours * 3600, 0).unwrap()
    }

    fn deployment(commit: &str, hours: i64) -> Deployment {
        Deployment {
            commit: commit.repeat(40 / commit.len()),
            time: t(hours),
            label: Some(format!("deploy-{commit}")),
            rollback: false,
            failed_run: false,
            retried_ok_at: None,
            changes: ChangeSet::Commits(Vec::new()),
            unchanged: false,
        }
    }

    fn incident(id: &str, started: i64, resolved: Option<i64>) -> Incident {
        Incident {
            id: id.into(),
            started_at: t(started),
            resolved_at: resolved.map(t),
            cause_sha: None,
            deployment: None,
            service: None,
        }
    }

    fn run(deployments: &[Deployment], incidents: &[Incident], count_failed: bool) -> Failures {
        let hotfix = Regex::new(r"(?i)\bhot-?fix\b").unwrap();
        detect(
            deployments,
            incidents,
            &FailureRules {
                hotfix_pattern: &hotfix,
                hotfix_window: TimeDelta::hours(72),
                revert_window: TimeDelta::days(30),
                incident_window: TimeDelta::days(7),
                count_failed_deploys: count_failed,
            },
        )
    }

    fn hours(failures: &Failures, deployments: &[Deployment], i: usize) -> Option<f64> {
        let failure = failures.by_deployment[i].as_ref()?;
        failure
            .recovery(deployments[i].time)
            .map(|d| d.num_seconds() as f64 / 3600.0)
    }

    #[test]
    fn failed_deploy_recovers_at_its_retry_or_the_next_good_deploy() {
        let mut d = vec![deployment("a", 0), deployment("b", 10), deployment("c", 20)];
        d[1].failed_run = true;
        d[1].retried_ok_at = Some(t(11));
        let f = run(&d, &[], true);
        assert_eq!(
            f.by_deployment[1].as_ref().unwrap().signals,
            [Signal::FailedDeploy]
        );
        assert_eq!(hours(&f, &d, 1), Some(1.0));
        // opt-in only
        assert!(
            run(&d, &[], false)
                .by_deployment
                .iter()
                .all(Option::is_none)
        );
        // no retry: the next deployment that did not fail, 20 − 10
        d[1].retried_ok_at = None;
        assert_eq!(hours(&run(&d, &[], true), &d, 1), Some(10.0));
    }

    #[test]
    fn incidents_link_to_the_latest_deployment_before_them_within_the_window() {
        let d = vec![deployment("a", 0), deployment("b", 10)];
        // starts 15h, resolved 18h: links to b (10h); recovery 18 − 10 = 8h
        let f = run(&d, &[incident("INC-1", 15, Some(18))], false);
        assert!(f.by_deployment[0].is_none());
        assert_eq!(
            f.by_deployment[1].as_ref().unwrap().signals,
            [Signal::Incident]
        );
        assert_eq!(hours(&f, &d, 1), Some(8.0));
        // starts 10 + 169h: beyond the 7-day window, linked to nothing
        let f = run(&d, &[incident("INC-2", 179, Some(180))], false);
        assert!(f.by_deployment.iter().all(Option::is_none));
        assert_eq!(f.unlinked_incidents, ["INC-2"]);
    }

    #[test]
    fn incidents_naming_a_cause_and_still_open_are_unresolved() {
        let d = vec![deployment("a", 0), deployment("b", 10)];
        let mut named = incident("INC-3", 15, None);
        named.cause_sha = Some("aaaaaaa".into());
        let f = run(&d, &[named], false);
        assert_eq!(
            f.by_deployment[0].as_ref().unwrap().signals,
            [Signal::Incident]
        );
        assert!(f.by_deployment[1].is_none());
        assert_eq!(hours(&f, &d, 0), None, "open incident: unresolved");
        let mut by_label = incident("INC-4", 15, Some(16));
        by_label.deployment = Some("deploy-a".into());
        assert_eq!(hours(&run(&d, &[by_label], false), &d, 0), Some(16.0));
    }

    #[test]
    fn an_incident_resolved_after_the_rollback_ends_recovery() {
        let mut d = vec![deployment("a", 0), deployment("b", 10), deployment("a", 12)];
        d[2].rollback = true;
        // rolled back at 12h, but the incident (started 11h) was resolved at 20h: 20 − 10
        let f = run(&d, &[incident("INC-5", 11, Some(20))], false);
        let failure = f.by_deployment[1].as_ref().unwrap();
        assert_eq!(failure.signals, [Signal::Rollback, Signal::Incident]);
        assert_eq!(hours(&f, &d, 1), Some(10.0));
    }
}
