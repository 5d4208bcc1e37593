//! GitLab: pipelines (list and single), jobs, and deployments.

use std::borrow::Cow;

use serde::Deserialize;

use super::{Id, Item, commit, shared, text};
use crate::events::pipeline_run::{
    Conclusion, DeploymentRecord, PipelineRun, Provider, Status, Trigger, parse_time,
};

/// GitLab's pipeline/job `status` as a run's status and conclusion. `manual` is a pipeline
/// stopped at a manual job: a person has to act, like GitHub's `action_required`.
pub fn status(word: &str) -> (Status, Option<Conclusion>) {
    let conclusion = match word.to_ascii_lowercase().as_str() {
        "success" => Conclusion::Success,
        "failed" => Conclusion::Failure,
        "canceled" | "cancelled" => Conclusion::Cancelled,
        "skipped" => Conclusion::Skipped,
        "manual" => Conclusion::ActionRequired,
        "created"
        | "waiting_for_resource"
        | "preparing"
        | "pending"
        | "running"
        | "scheduled"
        | "waiting_for_callback" => return (Status::Pending, None),
        _ => return (Status::Unknown, None),
    };
    (Status::Completed, Some(conclusion))
}

/// `source`: `web` is someone pressing "Run pipeline".
pub fn trigger(source: &str) -> Trigger {
    match source.to_ascii_lowercase().as_str() {
        "push" => Trigger::Push,
        "merge_request_event" | "external_pull_request_event" => Trigger::PullRequest,
        "schedule" => Trigger::Schedule,
        "web" => Trigger::Manual,
        "" => Trigger::Unknown,
        _ => Trigger::Other,
    }
}

#[derive(Deserialize)]
struct Pipeline<'a> {
    id: Option<Id<'a>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "ref")]
    reference: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sha: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    started_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    finished_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    updated_at: Option<Cow<'a, str>>,
}

pub fn pipeline(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: Pipeline = serde_json::from_slice(bytes)?;
    let Some(id) = raw.id else {
        return Ok(Item::Skipped("a pipeline without an id"));
    };
    let (status, conclusion) = status(raw.status.as_deref().unwrap_or(""));
    let event = text(raw.source);
    Ok(Item::Run(PipelineRun {
        provider: Provider::Gitlab,
        id: id.into(),
        workflow: text(raw.name),
        path: None,
        branch: shared(raw.reference),
        commit: commit(raw.sha),
        status,
        conclusion,
        attempt: 1,
        trigger: trigger(&event),
        event,
        started_at: raw
            .started_at
            .as_deref()
            .or(raw.created_at.as_deref())
            .and_then(parse_time),
        // measures.md §1: `finished_at`, else `updated_at` (the list endpoint has only that).
        finished_at: raw
            .finished_at
            .as_deref()
            .and_then(parse_time)
            .or_else(|| raw.updated_at.as_deref().and_then(parse_time)),
    }))
}

#[derive(Deserialize)]
struct JobPipeline<'a> {
    #[serde(borrow)]
    sha: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct JobCommit<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Job<'a> {
    id: Option<Id<'a>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    stage: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "ref")]
    reference: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    started_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    finished_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    commit: Option<JobCommit<'a>>,
    #[serde(borrow)]
    pipeline: Option<JobPipeline<'a>>,
}

pub fn job(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: Job = serde_json::from_slice(bytes)?;
    let Some(id) = raw.id else {
        return Ok(Item::Skipped("a job without an id"));
    };
    let (status, conclusion) = status(raw.status.as_deref().unwrap_or(""));
    let name = text(raw.name);
    Ok(Item::Run(PipelineRun {
        provider: Provider::Gitlab,
        id: id.into(),
        workflow: match raw.stage {
            Some(stage) if !stage.is_empty() => format!("{stage} / {name}").into(),
            _ => name,
        },
        path: None,
        branch: shared(raw.reference),
        commit: raw
            .commit
            .and_then(|c| c.id)
            .or(raw.pipeline.and_then(|p| p.sha))
            .map(|c| c.as_ref().into()),
        status,
        conclusion,
        attempt: 1,
        trigger: Trigger::Unknown,
        event: "".into(),
        started_at: raw.started_at.as_deref().and_then(parse_time),
        finished_at: raw.finished_at.as_deref().and_then(parse_time),
    }))
}

#[derive(Deserialize)]
struct Environment<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Deployable<'a> {
    #[serde(borrow)]
    finished_at: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Deployment<'a> {
    id: Option<Id<'a>>,
    #[serde(borrow)]
    sha: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    environment: Option<Environment<'a>>,
    #[serde(borrow)]
    deployable: Option<Deployable<'a>>,
    #[serde(borrow)]
    updated_at: Option<Cow<'a, str>>,
}

pub fn deployment(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: Deployment = serde_json::from_slice(bytes)?;
    Ok(Item::Deployment(DeploymentRecord {
        provider: Provider::Gitlab,
        id: raw.id.map(Id::into_string).unwrap_or_default(),
        environment: raw
            .environment
            .and_then(|e| e.name)
            .map(Cow::into_owned)
            .unwrap_or_default(),
        commit: raw.sha.map(Cow::into_owned),
        state: raw
            .status
            .as_deref()
            .map(str::to_ascii_lowercase)
            .unwrap_or_default(),
        // The deploy job's finish is when production changed; the record's `updated_at`
        // otherwise.
        time: raw
            .deployable
            .and_then(|d| d.finished_at)
            .as_deref()
            .and_then(parse_time)
            .or_else(|| raw.updated_at.as_deref().and_then(parse_time)),
    }))
}
