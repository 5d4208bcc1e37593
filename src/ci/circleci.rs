//! CircleCI API v2: workflows and jobs. Pipelines carry no outcome of their own.

use serde_json::Value;

use super::Item;
use crate::events::pipeline_run::{Conclusion, PipelineRun, Provider, Status, Trigger, parse_time};

fn status(word: &str) -> (Status, Option<Conclusion>) {
    let conclusion = match word.to_ascii_lowercase().as_str() {
        "success" => Conclusion::Success,
        "failed" | "error" | "failing" | "infrastructure_fail" | "unauthorized" => {
            Conclusion::Failure
        }
        "timedout" => Conclusion::TimedOut,
        "canceled" | "cancelled" => Conclusion::Cancelled,
        "not_run" => Conclusion::Skipped,
        // Waiting at an approval job.
        "on_hold" => Conclusion::ActionRequired,
        "running" | "queued" | "not_running" | "blocked" => return (Status::Pending, None),
        _ => return (Status::Unknown, None),
    };
    (Status::Completed, Some(conclusion))
}

/// A workflow or a job: both have `status`, `stopped_at` and a name; a job has a number.
pub fn run(value: &Value) -> Item {
    let Some(id) = value["id"].as_str() else {
        return Item::Skipped("a CircleCI workflow or job without an id");
    };
    let (status, conclusion) = status(value["status"].as_str().unwrap_or(""));
    Item::Run(PipelineRun {
        provider: Provider::Circleci,
        id: id.into(),
        workflow: value["name"].as_str().unwrap_or("").into(),
        path: None,
        branch: None,
        // Workflows name their pipeline, not the commit; the pipeline's `vcs` has it.
        commit: None,
        status,
        conclusion,
        attempt: 1,
        trigger: Trigger::Unknown,
        event: "".into(),
        started_at: value["started_at"]
            .as_str()
            .or(value["created_at"].as_str())
            .and_then(parse_time),
        finished_at: value["stopped_at"].as_str().and_then(parse_time),
    })
}
