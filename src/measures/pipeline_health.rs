//! Pipeline Health (measures.md §6): the share of CI runs that went green with nobody
//! touching them, why the others did not, and how long a red streak lasts.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::stats::median;
use crate::events::window::Window;
use crate::events::{Conclusion, PipelineRun, Trigger};

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct PipelineHealth {
    pub runs: Option<usize>,
    pub zero_touch: Option<usize>,
    pub rate: Option<f64>,
    /// The 90 % Wilson interval of `rate`.
    pub rate_interval: Option<[f64; 2]>,
    pub failed: Option<usize>,
    pub cancelled: Option<usize>,
    pub rerun: Option<usize>,
    pub manual_trigger: Option<usize>,
    pub manual_gate: Option<usize>,
    /// `null` when no red streak closed in the window.
    pub median_time_to_green_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PipelineHealth {
    pub fn unavailable(reason: &str) -> PipelineHealth {
        PipelineHealth {
            runs: None,
            zero_touch: None,
            rate: None,
            rate_interval: None,
            failed: None,
            cancelled: None,
            rerun: None,
            manual_trigger: None,
            manual_gate: None,
            median_time_to_green_hours: None,
            reason: Some(reason.to_string()),
        }
    }
}

/// Why a run was not zero-touch; a run counts under the first that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touch {
    Failed,
    Cancelled,
    Rerun,
    ManualTrigger,
    ManualGate,
}

/// `None` for a zero-touch run.
pub fn touch(run: &PipelineRun) -> Option<Touch> {
    let conclusion = run.conclusion.unwrap_or(Conclusion::Unknown);
    if conclusion.is_failed() {
        Some(Touch::Failed)
    } else if conclusion == Conclusion::Cancelled {
        Some(Touch::Cancelled)
    } else if run.attempt > 1 {
        Some(Touch::Rerun)
    } else if run.trigger == Trigger::Manual {
        Some(Touch::ManualTrigger)
    } else if conclusion == Conclusion::ActionRequired {
        Some(Touch::ManualGate)
    } else {
        None
    }
}

/// Completed runs in the window that count: not skipped, neutral or stale, and with an
/// outcome valueflow understands (an unknown one is neither green nor red).
pub fn considered<'a>(runs: &'a [PipelineRun], window: &Window) -> Vec<&'a PipelineRun> {
    runs.iter()
        .filter(|r| r.completed())
        .filter(|r| r.finished_at.is_some_and(|t| window.contains(t)))
        .filter(|r| {
            !matches!(
                r.conclusion,
                None | Some(
                    Conclusion::Skipped
                        | Conclusion::Neutral
                        | Conclusion::Stale
                        | Conclusion::Unknown
                )
            )
        })
        .collect()
}

pub fn pipeline_health(runs: Option<&[PipelineRun]>, window: &Window) -> PipelineHealth {
    let Some(runs) = runs else {
        return PipelineHealth::unavailable("no CI run exports given (--ci)");
    };
    let considered = considered(runs, window);
    if considered.is_empty() {
        return PipelineHealth::unavailable("no completed CI runs in the window");
    }
    let touches: Vec<Option<Touch>> = considered.iter().map(|r| touch(r)).collect();
    let count = |reason: Touch| Some(touches.iter().filter(|t| **t == Some(reason)).count());
    let zero_touch = touches.iter().filter(|t| t.is_none()).count();
    let greens = time_to_green(&considered);
    PipelineHealth {
        runs: Some(considered.len()),
        zero_touch: Some(zero_touch),
        rate: Some(zero_touch as f64 / considered.len() as f64),
        rate_interval: super::stats::wilson(zero_touch, considered.len()),
        failed: count(Touch::Failed),
        cancelled: count(Touch::Cancelled),
        rerun: count(Touch::Rerun),
        manual_trigger: count(Touch::ManualTrigger),
        manual_gate: count(Touch::ManualGate),
        median_time_to_green_hours: median(&greens),
        reason: None,
    }
}

/// Hours from the first red run of each closed red streak to the success that ended it, per
/// workflow and branch, runs in finish order.
fn time_to_green(runs: &[&PipelineRun]) -> Vec<f64> {
    let mut lanes: BTreeMap<(&str, Option<&str>), Vec<&PipelineRun>> = BTreeMap::new();
    for run in runs {
        let workflow = run.path.as_deref().unwrap_or(&run.workflow);
        lanes
            .entry((workflow, run.branch.as_deref()))
            .or_default()
            .push(run);
    }
    let mut hours = Vec::new();
    for lane in lanes.values_mut() {
        lane.sort_by_key(|r| (r.finished_at, r.numeric_id()));
        let mut red_since: Option<chrono::DateTime<chrono::Utc>> = None;
        for run in lane.iter() {
            let finished = run.finished_at.expect("considered runs have a finish time");
            match run.conclusion {
                Some(Conclusion::Success) => {
                    if let Some(start) = red_since.take() {
                        hours.push((finished - start).num_seconds() as f64 / 3600.0);
                    }
                }
                Some(c) if c.is_failed() || c == Conclusion::Cancelled => {
                    red_since.get_or_insert(finished);
                }
                // Waiting for approval is neither red nor green.
                _ => {}
            }
        }
    }
    hours
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::pipeline_run::{Provider, Status, parse_time};

    fn run(
        id: u64,
        workflow: &str,
        finished: &str,
        conclusion: Conclusion,
        attempt: u32,
        trigger: Trigger,
    ) -> PipelineRun {
        PipelineRun {
            provider: Provider::GithubActions,
            id: id.into(),
            workflow: workflow.into(),
            path: None,
            branch: Some("main".into()),
            commit: None,
            status: Status::Completed,
            conclusion: Some(conclusion),
            attempt,
            trigger,
            event: "".into(),
            started_at: None,
            finished_at: parse_time(finished),
        }
    }

    #[test]
    fn zero_touch_reasons_and_time_to_green() {
        use Conclusion::*;
        use Trigger::*;
        let window = Window::new(
            parse_time("2026-01-05T00:00:00Z").unwrap(),
            parse_time("2026-01-06T00:00:00Z").unwrap(),
        )
        .unwrap();
        let runs = vec![
            run(1, "CI", "2026-01-05T01:00:00Z", Success, 1, Push),
            // red streak: 02:00 failure, 03:00 cancelled, 05:30 success -> 3.5 h
            run(2, "CI", "2026-01-05T02:00:00Z", Failure, 1, Push),
            run(3, "CI", "2026-01-05T03:00:00Z", Cancelled, 1, Push),
            run(4, "CI", "2026-01-05T05:30:00Z", Success, 2, Push), // rerun
            run(5, "Deploy", "2026-01-05T06:00:00Z", Success, 1, Manual),
            run(6, "Deploy", "2026-01-05T07:00:00Z", ActionRequired, 1, Push),
            // opens its lane red, closes 1 h later
            run(7, "Lint", "2026-01-05T08:00:00Z", TimedOut, 1, PullRequest),
            run(8, "Lint", "2026-01-05T09:00:00Z", Success, 1, PullRequest),
            // left out: skipped, and outside the window
            run(9, "CI", "2026-01-05T10:00:00Z", Skipped, 1, Push),
            run(10, "CI", "2026-01-06T00:00:00Z", Failure, 1, Push),
            // an open red streak: no sample
            run(11, "CI", "2026-01-05T23:00:00Z", Failure, 2, Push),
        ];
        let health = pipeline_health(Some(&runs), &window);
        assert_eq!(health.runs, Some(9));
        assert_eq!(health.zero_touch, Some(2)); // runs 1 and 8
        assert_eq!(health.rate, Some(2.0 / 9.0));
        assert_eq!(health.failed, Some(3)); // 2, 7, 11 (failed wins over rerun)
        assert_eq!(health.cancelled, Some(1));
        assert_eq!(health.rerun, Some(1));
        assert_eq!(health.manual_trigger, Some(1));
        assert_eq!(health.manual_gate, Some(1));
        // samples 3.5 h and 1 h
        assert_eq!(health.median_time_to_green_hours, Some(2.25));
    }

    #[test]
    fn no_exports_and_no_runs_are_null_with_a_reason() {
        let window = Window::new(
            parse_time("2026-01-05T00:00:00Z").unwrap(),
            parse_time("2026-01-06T00:00:00Z").unwrap(),
        )
        .unwrap();
        assert_eq!(
            pipeline_health(None, &window).reason.as_deref(),
            Some("no CI run exports given (--ci)")
        );
        let health = pipeline_health(Some(&[]), &window);
        assert_eq!(health.runs, None);
        assert_eq!(
            health.reason.as_deref(),
            Some("no completed CI runs in the window")
        );
    }
}
