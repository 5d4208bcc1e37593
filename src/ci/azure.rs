//! Azure DevOps builds (`_apis/build/builds`: `{count, value}` or the bare objects).

use serde_json::Value;

use super::Item;
use crate::events::pipeline_run::{Conclusion, PipelineRun, Provider, Status, Trigger, parse_time};

pub fn build(value: &Value) -> Item {
    let Some(id) = value["id"].as_u64() else {
        return Item::Skipped("an Azure DevOps build without an id");
    };
    let status = match value["status"]
        .as_str()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("completed") => Status::Completed,
        Some("inprogress" | "notstarted" | "postponed" | "cancelling") => Status::Pending,
        _ => Status::Unknown,
    };
    let conclusion = value["result"]
        .as_str()
        .map(|r| match r.to_ascii_lowercase().as_str() {
            "succeeded" => Conclusion::Success,
            // Some steps failed and were allowed to: not a clean run.
            "failed" | "partiallysucceeded" => Conclusion::Failure,
            "canceled" | "cancelled" => Conclusion::Cancelled,
            _ => Conclusion::Unknown,
        });
    let reason = value["reason"].as_str().unwrap_or("");
    Item::Run(PipelineRun {
        provider: Provider::AzureDevops,
        id: id.into(),
        workflow: value["definition"]["name"].as_str().unwrap_or("").into(),
        path: None,
        branch: value["sourceBranch"]
            .as_str()
            .map(|b| b.trim_start_matches("refs/heads/").into()),
        commit: value["sourceVersion"].as_str().map(Into::into),
        status,
        conclusion,
        attempt: 1,
        trigger: match reason.to_ascii_lowercase().as_str() {
            "manual" => Trigger::Manual,
            "individualci" | "batchedci" => Trigger::Push,
            "pullrequest" => Trigger::PullRequest,
            "schedule" => Trigger::Schedule,
            "" => Trigger::Unknown,
            _ => Trigger::Other,
        },
        event: reason.into(),
        started_at: value["startTime"]
            .as_str()
            .or(value["queueTime"].as_str())
            .and_then(parse_time),
        finished_at: value["finishTime"].as_str().and_then(parse_time),
    })
}
