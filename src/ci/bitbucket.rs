//! Bitbucket Cloud 2.0: pipelines and deployments.

use serde_json::Value;

use super::Item;
use crate::events::pipeline_run::{
    Conclusion, DeploymentRecord, PipelineRun, Provider, Status, Trigger, parse_time,
};

fn result(word: &str) -> Option<Conclusion> {
    Some(match word.to_ascii_uppercase().as_str() {
        "SUCCESSFUL" => Conclusion::Success,
        "FAILED" | "ERROR" => Conclusion::Failure,
        "STOPPED" | "EXPIRED" => Conclusion::Cancelled,
        _ => return None,
    })
}

pub fn pipeline(value: &Value) -> Item {
    let id = match (&value["build_number"], value["uuid"].as_str()) {
        (Value::Number(n), _) => n.to_string(),
        (_, Some(uuid)) => uuid.to_string(),
        _ => return Item::Skipped("a Bitbucket pipeline without a uuid"),
    };
    let state = value["state"]["name"].as_str().unwrap_or("");
    let outcome = value["state"]["result"]["name"].as_str().and_then(result);
    let (status, conclusion) = match state.to_ascii_uppercase().as_str() {
        "COMPLETED" => (
            Status::Completed,
            Some(outcome.unwrap_or(Conclusion::Unknown)),
        ),
        "PENDING" | "IN_PROGRESS" | "RUNNING" | "PAUSED" | "HALTED" => (Status::Pending, None),
        // A state that is itself an outcome word is only believed with an outcome beside it.
        _ if outcome.is_some() => (Status::Completed, outcome),
        _ => (Status::Unknown, None),
    };
    let trigger = value["trigger"]["name"].as_str().unwrap_or("");
    Item::Run(PipelineRun {
        provider: Provider::Bitbucket,
        id: id.as_str().into(),
        workflow: value["target"]["selector"]["pattern"]
            .as_str()
            .unwrap_or("")
            .into(),
        path: None,
        branch: value["target"]["ref_name"].as_str().map(Into::into),
        commit: value["target"]["commit"]["hash"].as_str().map(Into::into),
        status,
        conclusion,
        attempt: 1,
        trigger: match trigger.to_ascii_uppercase().as_str() {
            "PUSH" => Trigger::Push,
            "MANUAL" => Trigger::Manual,
            "SCHEDULE" => Trigger::Schedule,
            "" => Trigger::Unknown,
            _ => Trigger::Other,
        },
        event: trigger.to_ascii_lowercase().into(),
        started_at: value["created_on"].as_str().and_then(parse_time),
        finished_at: value["completed_on"].as_str().and_then(parse_time),
    })
}

pub fn deployment(value: &Value) -> Item {
    let state = &value["state"];
    // A completed deployment says how it ended in `state.status`; DevLake's rows sometimes
    // put the outcome in `state.name` itself.
    let word = state["status"]["name"]
        .as_str()
        .or(state["name"].as_str())
        .unwrap_or("");
    Item::Deployment(DeploymentRecord {
        provider: Provider::Bitbucket,
        id: value["uuid"].as_str().unwrap_or("").to_string(),
        environment: value["environment"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        commit: value["release"]["commit"]["hash"].as_str().map(Into::into),
        state: match word.to_ascii_uppercase().as_str() {
            "SUCCESSFUL" => "success".to_string(),
            other => other.to_ascii_lowercase(),
        },
        time: state["completed_on"]
            .as_str()
            .or(value["last_update_time"].as_str())
            .and_then(parse_time),
    })
}
