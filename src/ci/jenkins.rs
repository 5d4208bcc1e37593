//! Jenkins builds (`…/api/json?tree=allBuilds[…]` or `builds[…]`): `result`, epoch-millisecond
//! `timestamp` + `duration`, the commit in the git plugin's `lastBuiltRevision`.

use serde_json::Value;

use super::Item;
use crate::events::pipeline_run::{
    Conclusion, PipelineRun, Provider, Status, Trigger, from_millis,
};

pub fn build(value: &Value) -> Item {
    let Some(number) = value["number"].as_u64() else {
        return Item::Skipped("a Jenkins build without a number");
    };
    let building = value["building"].as_bool().unwrap_or(false);
    let (status, conclusion) = match value["result"].as_str() {
        _ if building => (Status::Pending, None),
        None => (Status::Pending, None),
        Some(result) => (
            Status::Completed,
            Some(match result.to_ascii_uppercase().as_str() {
                "SUCCESS" => Conclusion::Success,
                // Unstable: the build ran but tests failed; not a clean run.
                "FAILURE" | "UNSTABLE" => Conclusion::Failure,
                "ABORTED" => Conclusion::Cancelled,
                "NOT_BUILT" => Conclusion::Skipped,
                _ => Conclusion::Unknown,
            }),
        ),
    };
    let actions = value["actions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let revision = actions
        .iter()
        .map(|a| &a["lastBuiltRevision"])
        .find(|r| r.is_object());
    let causes: Vec<&str> = actions
        .iter()
        .filter_map(|a| a["causes"].as_array())
        .flatten()
        .filter_map(|c| c["_class"].as_str())
        .collect();
    let trigger = if causes.iter().any(|c| c.contains("UserIdCause")) {
        Trigger::Manual
    } else if causes.iter().any(|c| c.contains("TimerTrigger")) {
        Trigger::Schedule
    } else if causes
        .iter()
        .any(|c| c.contains("SCMTrigger") || c.contains("Push") || c.contains("Branch"))
    {
        Trigger::Push
    } else if causes.is_empty() {
        Trigger::Unknown
    } else {
        Trigger::Other
    };
    let started = value["timestamp"].as_i64();
    let name = value["fullDisplayName"].as_str().unwrap_or("");
    Item::Run(PipelineRun {
        provider: Provider::Jenkins,
        id: number.into(),
        // "folder » job #31" names the job; the build number is the id.
        workflow: name.rsplit_once(" #").map_or(name, |(job, _)| job).into(),
        path: None,
        branch: revision
            .and_then(|r| r["branch"][0]["name"].as_str())
            .map(|b| b.trim_start_matches("refs/remotes/origin/").into()),
        commit: revision.and_then(|r| r["SHA1"].as_str()).map(Into::into),
        status,
        conclusion,
        attempt: 1,
        trigger,
        event: causes.first().copied().unwrap_or("").into(),
        started_at: started.and_then(from_millis),
        finished_at: match (status, started, value["duration"].as_i64()) {
            (Status::Completed, Some(start), Some(duration)) => {
                start.checked_add(duration).and_then(from_millis)
            }
            _ => None,
        },
    })
}
