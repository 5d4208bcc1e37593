//! Which CI runs and deployment records are deployments (measures.md §1, source `ci`).

use regex::Regex;

use crate::events::deployment::{Candidate, TieBreak};
use crate::events::pipeline_run::{Conclusion, DeploymentRecord, PipelineRun};

pub struct DeployRules<'a> {
    pub workflow: &'a Regex,
    pub branch: Option<&'a str>,
    pub environment: &'a str,
    pub count_failed: bool,
}

/// The deployments found in the exports.
#[derive(Debug, Default)]
pub struct Selection {
    pub candidates: Vec<Candidate>,
    /// Deploy runs of any outcome: the evidence of how deployments are started.
    pub deploy_runs: Vec<PipelineRun>,
    /// Deploy runs or records that name no commit: left out, and said in a warning.
    pub without_commit: usize,
}

impl DeployRules<'_> {
    /// A run of a deploy workflow (by name or file path) on the production branch, if one is set.
    pub fn is_deploy_run(&self, run: &PipelineRun) -> bool {
        let workflow = self.workflow.is_match(&run.workflow)
            || run
                .path
                .as_deref()
                .is_some_and(|p| self.workflow.is_match(p));
        let branch = match self.branch {
            None => true,
            Some(branch) => run.branch.as_deref() == Some(branch),
        };
        workflow && branch
    }

    /// Deployment records win when any is of the production environment and succeeded: they
    /// are the provider's own account of what reached production. Otherwise the successful
    /// deploy runs (and, with `count_failed_deploys`, the failed ones) are the deployments.
    pub fn select(&self, runs: &[PipelineRun], records: &[DeploymentRecord]) -> Selection {
        let mut selection = Selection {
            deploy_runs: runs
                .iter()
                .filter(|r| self.is_deploy_run(r))
                .cloned()
                .collect(),
            ..Selection::default()
        };
        for record in records {
            let production = record.environment.eq_ignore_ascii_case(self.environment);
            if !production || record.state != "success" {
                continue;
            }
            match (&record.commit, record.time) {
                (Some(commit), Some(time)) => selection.candidates.push(Candidate {
                    commit: commit.clone(),
                    time,
                    label: Some(format!("{} {}", record.environment, record.id)),
                    tie: TieBreak::RunId(record.id.parse().unwrap_or(0)),
                    failed_run: false,
                }),
                _ => selection.without_commit += 1,
            }
        }
        if !selection.candidates.is_empty() {
            return selection;
        }
        for run in &selection.deploy_runs {
            let failed = match run.conclusion {
                Some(Conclusion::Success) => false,
                Some(c) if self.count_failed && c.is_failed() => true,
                _ => continue,
            };
            if !run.completed() {
                continue;
            }
            match (&run.commit, run.finished_at) {
                (Some(commit), Some(time)) => selection.candidates.push(Candidate {
                    commit: commit.to_string(),
                    time,
                    label: Some(if run.workflow.is_empty() {
                        format!("run {}", run.id)
                    } else {
                        format!("{} #{}", run.workflow, run.id)
                    }),
                    tie: TieBreak::RunId(run.numeric_id().unwrap_or(0)),
                    failed_run: failed,
                }),
                _ => selection.without_commit += 1,
            }
        }
        selection
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::pipeline_run::{Provider, Status, Trigger, parse_time};

    fn run(id: u64, workflow: &str, branch: &str, conclusion: Conclusion) -> PipelineRun {
        PipelineRun {
            provider: Provider::GithubActions,
            id: id.into(),
            workflow: workflow.into(),
            path: Some(format!(".github/workflows/{}.yml", workflow.to_lowercase()).into()),
            branch: Some(branch.into()),
            commit: Some(format!("{id:040x}").as_str().into()),
            status: Status::Completed,
            conclusion: Some(conclusion),
            attempt: 1,
            trigger: Trigger::Push,
            event: "push".into(),
            started_at: parse_time("2026-01-05T10:00:00Z"),
            finished_at: parse_time("2026-01-05T11:00:00Z"),
        }
    }

    #[test]
    fn deploy_runs_by_name_or_path_branch_and_outcome() {
        let pattern = Regex::new("(?i)deploy|release|publish").unwrap();
        let mut ci_named_by_path = run(4, "Ship", "main", Conclusion::Success);
        ci_named_by_path.path = Some(".github/workflows/release.yml".into());
        let runs = vec![
            run(1, "Deploy", "main", Conclusion::Success),
            run(2, "CI", "main", Conclusion::Success),
            run(3, "Deploy", "feature", Conclusion::Success),
            ci_named_by_path,
            run(5, "Deploy", "main", Conclusion::Failure),
            run(6, "Deploy", "main", Conclusion::Cancelled),
        ];
        let rules = DeployRules {
            workflow: &pattern,
            branch: Some("main"),
            environment: "production",
            count_failed: false,
        };
        let selection = rules.select(&runs, &[]);
        let ids: Vec<_> = selection
            .deploy_runs
            .iter()
            .map(|r| r.id.to_string())
            .collect();
        assert_eq!(ids, vec!["1", "4", "5", "6"]);
        let deployed: Vec<_> = selection
            .candidates
            .iter()
            .map(|c| (c.label.clone().unwrap(), c.failed_run))
            .collect();
        assert_eq!(
            deployed,
            vec![
                ("Deploy #1".to_string(), false),
                ("Ship #4".to_string(), false)
            ]
        );
        let counted = DeployRules {
            count_failed: true,
            ..rules
        }
        .select(&runs, &[]);
        // A failed deploy counts when asked; a cancelled one never changed production.
        assert_eq!(counted.candidates.len(), 3);
        assert!(counted.candidates[2].failed_run);
    }

    #[test]
    fn production_records_win_over_runs() {
        let pattern = Regex::new("deploy").unwrap();
        let record = |id: &str, env: &str, state: &str| DeploymentRecord {
            provider: Provider::GithubActions,
            id: id.into(),
            environment: env.into(),
            commit: Some("a".repeat(40)),
            state: state.into(),
            time: parse_time("2026-01-05T12:00:00Z"),
        };
        let rules = DeployRules {
            workflow: &pattern,
            branch: None,
            environment: "production",
            count_failed: false,
        };
        let runs = vec![run(1, "deploy", "main", Conclusion::Success)];
        let selection = rules.select(
            &runs,
            &[
                record("7", "Production", "success"),
                record("8", "staging", "success"),
                record("9", "production", "failure"),
            ],
        );
        // The record, not the run: a record is labelled by its environment and id.
        assert_eq!(selection.candidates.len(), 1);
        assert_eq!(
            selection.candidates[0].label.as_deref(),
            Some("Production 7")
        );
        assert_eq!(selection.candidates[0].tie, TieBreak::RunId(7));
        assert_eq!(selection.deploy_runs.len(), 1);
    }
}
