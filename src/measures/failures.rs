//! Which deployments failed, by which signals, and when each was remediated (measures.md §4
//! signals, §5 remediation). Change failure rate, recovery time and the deployment list all
//! read this one analysis.

use chrono::{DateTime, TimeDelta, Utc};
use regex::Regex;
use serde::Serialize;

use crate::deployment::Deployment;
use crate::incidents::Incident;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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
    /// Earliest remediating deployment (rollback, revert, hotfix, next good deploy).
    fixed_by_deployment: Option<DateTime<Utc>>,
    /// Linked incidents: earliest start, and latest resolution (`None` inside when one is open).
    incident_started: Option<DateTime<Utc>>,
    incident_resolved: Option<Option<DateTime<Utc>>>,
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

    /// Recovery time (measures.md §5): the remediating deployment, or the incident's
    /// resolution when later, minus the deployment time, or the incident start when earlier.
    /// `None` while unresolved.
    pub fn recovery(&self, deployed: DateTime<Utc>) -> Option<TimeDelta> {
        let start = self.incident_started.map_or(deployed, |s| s.min(deployed));
        let end = match (self.fixed_by_deployment, self.incident_resolved) {
            (_, Some(None)) => return None,
            (Some(fix), Some(Some(resolved))) => fix.max(resolved),
            (None, Some(Some(resolved))) => resolved,
            (Some(fix), None) => fix,
            (None, None) => return None,
        };
        Some(end - start)
    }
}

/// Settings the signals depend on.
#[derive(Debug, Clone)]
pub struct FailureRules<'a> {
    pub hotfix_pattern: &'a Regex,
    pub hotfix_window: TimeDelta,
    pub incident_window: TimeDelta,
    pub count_failed_deploys: bool,
}

/// The outcome of the analysis: one entry per deployment of the sequence, plus incidents that
/// matched no deployment.
#[derive(Debug, Clone, Default)]
pub struct Failures {
    pub by_deployment: Vec<Option<Failure>>,
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
    let mut fail = |index: usize, signal: Signal, fixed: Option<DateTime<Utc>>| {
        let failure = by_deployment[index].get_or_insert_with(Failure::default);
        failure.flag(signal);
        if let Some(time) = fixed {
            failure.fixed_at(time);
        }
    };

    for (i, deployment) in deployments.iter().enumerate() {
        // 1. The deployment right after D is a rollback: D failed, the rollback remediates.
        if deployment.rollback && i > 0 {
            fail(i - 1, Signal::Rollback, Some(deployment.time));
        }
        // 2. A revert shipped here of a commit an earlier deployment shipped.
        for change in deployment.changes.commits() {
            if let Some(shipped) = change.reverts.as_ref().and_then(|r| r.shipped_in)
                && shipped < i
            {
                fail(shipped, Signal::Revert, Some(deployment.time));
            }
        }
        // 3. A hotfix within the hotfix window of the previous deployment.
        if i > 0
            && deployment.time - deployments[i - 1].time <= rules.hotfix_window
            && deployment
                .changes
                .commits()
                .iter()
                .any(|c| rules.hotfix_pattern.is_match(&c.subject))
        {
            fail(i - 1, Signal::Hotfix, Some(deployment.time));
        }
        // 4. A deploy run that failed; the next deployment that did not fail remediates.
        if rules.count_failed_deploys && deployment.failed_run {
            let fixed = deployments[i + 1..]
                .iter()
                .find(|d| !d.failed_run)
                .map(|d| d.time);
            fail(i, Signal::FailedDeploy, fixed);
        }
    }

    let mut unlinked_incidents = Vec::new();
    for incident in incidents {
        match link(incident, deployments, rules.incident_window) {
            Some(index) => {
                let failure = by_deployment[index].get_or_insert_with(Failure::default);
                failure.flag(Signal::Incident);
                failure.incident_started = Some(
                    failure
                        .incident_started
                        .map_or(incident.started_at, |s| s.min(incident.started_at)),
                );
                failure.incident_resolved = Some(match failure.incident_resolved {
                    None => incident.resolved_at,
                    Some(None) => None,
                    Some(Some(earlier)) => incident.resolved_at.map(|r| r.max(earlier)),
                });
            }
            None => unlinked_incidents.push(incident.id.clone()),
        }
    }
    Failures {
        by_deployment,
        unlinked_incidents,
    }
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
            is_sha(&d.commit, cause) || d.changes.commits().iter().any(|c| is_sha(&c.sha, cause))
        });
    }
    deployments
        .iter()
        .rposition(|d| d.time <= incident.started_at && incident.started_at - d.time <= window)
}
