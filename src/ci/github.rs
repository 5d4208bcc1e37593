//! GitHub Actions: workflow runs (REST objects, old and new, and `gh run list --json`), jobs,
//! and deployments with their statuses (REST, webhook payloads, DevLake's GraphQL rows).

use std::borrow::Cow;

use serde::Deserialize;

use super::{Id, Item, commit, shared, text};
use crate::events::pipeline_run::{
    Conclusion, DeploymentRecord, PipelineRun, Provider, Status, Trigger, parse_time,
};

/// A workflow run, as the REST API returns it or as `gh run list --json …` writes it: the same
/// fields, camelCase in `gh` (which also writes `""` for a conclusion while running and a
/// year-1 time for none). REST objects from 2020 have no `name`, `path` or `run_attempt`;
/// those default to "", none and 1.
#[derive(Deserialize)]
struct Run<'a> {
    #[serde(alias = "databaseId")]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "workflowName")]
    workflow_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    path: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "headBranch")]
    head_branch: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "headSha")]
    head_sha: Option<Cow<'a, str>>,
    #[serde(borrow)]
    event: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    conclusion: Option<Cow<'a, str>>,
    #[serde(alias = "attempt")]
    run_attempt: Option<u32>,
    #[serde(borrow, alias = "createdAt")]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "startedAt")]
    run_started_at: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "updatedAt")]
    updated_at: Option<Cow<'a, str>>,
}

pub fn run(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: Run = serde_json::from_slice(bytes)?;
    let Some(id) = raw.id else {
        return Ok(Item::Skipped("a run without an id"));
    };
    let (status, conclusion) =
        status_and_conclusion(raw.status.as_deref(), raw.conclusion.as_deref());
    let event = text(raw.event);
    Ok(Item::Run(PipelineRun {
        provider: Provider::GithubActions,
        id: id.into(),
        // `gh` names the workflow in `workflowName`; REST runs only have `name`.
        workflow: text(raw.workflow_name.or(raw.name)),
        path: shared(raw.path),
        branch: shared(raw.head_branch),
        commit: commit(raw.head_sha),
        status,
        conclusion,
        attempt: raw.run_attempt.unwrap_or(1).max(1),
        trigger: Trigger::from_github(&event),
        event,
        started_at: raw
            .run_started_at
            .as_deref()
            .and_then(parse_time)
            .or_else(|| raw.created_at.as_deref().and_then(parse_time)),
        // measures.md §1: a GitHub run's finish time is its `updated_at`.
        finished_at: raw.updated_at.as_deref().and_then(parse_time),
    }))
}

/// `status` and `conclusion` as GitHub means them. A status that is itself a conclusion word
/// (only in DevLake's synthetic rows) is not trusted: the run counts as completed only when it
/// also carries a conclusion.
fn status_and_conclusion(
    status: Option<&str>,
    conclusion: Option<&str>,
) -> (Status, Option<Conclusion>) {
    let conclusion = conclusion
        .filter(|c| !c.is_empty())
        .map(Conclusion::from_github);
    let status = match status.map(str::to_ascii_lowercase).as_deref() {
        Some("completed") => Status::Completed,
        Some("queued" | "in_progress" | "waiting" | "pending" | "requested") => Status::Pending,
        Some(_) if conclusion.is_some() => Status::Completed,
        _ => Status::Unknown,
    };
    (status, conclusion)
}

/// A job of a run (`{total_count, jobs}` or a `workflow_job` webhook). Read as a run of its
/// own, named `workflow / job`, so job-level exports still give Pipeline Health.
#[derive(Deserialize)]
struct Job<'a> {
    id: Option<Id<'a>>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    workflow_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    head_branch: Option<Cow<'a, str>>,
    #[serde(borrow)]
    head_sha: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow)]
    conclusion: Option<Cow<'a, str>>,
    run_attempt: Option<u32>,
    #[serde(borrow)]
    started_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    completed_at: Option<Cow<'a, str>>,
}

pub fn job(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: Job = serde_json::from_slice(bytes)?;
    let Some(id) = raw.id else {
        return Ok(Item::Skipped("a job without an id"));
    };
    let (status, conclusion) =
        status_and_conclusion(raw.status.as_deref(), raw.conclusion.as_deref());
    let name = text(raw.name);
    Ok(Item::Run(PipelineRun {
        provider: Provider::GithubActions,
        id: id.into(),
        workflow: match raw.workflow_name {
            Some(workflow) if !workflow.is_empty() => format!("{workflow} / {name}").into(),
            _ => name,
        },
        path: None,
        branch: shared(raw.head_branch),
        commit: commit(raw.head_sha),
        status,
        conclusion,
        attempt: raw.run_attempt.unwrap_or(1).max(1),
        // A job does not say what started its run.
        trigger: Trigger::Unknown,
        event: "".into(),
        started_at: raw.started_at.as_deref().and_then(parse_time),
        finished_at: raw.completed_at.as_deref().and_then(parse_time),
    }))
}

#[derive(Deserialize)]
struct DeploymentStatus<'a> {
    #[serde(borrow)]
    state: Option<Cow<'a, str>>,
    #[serde(borrow)]
    environment: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    updated_at: Option<Cow<'a, str>>,
}

/// A REST deployment; `valueflow fetch --deployments` adds its `statuses` (newest first).
#[derive(Deserialize)]
struct RestDeployment<'a> {
    id: Option<Id<'a>>,
    #[serde(borrow)]
    sha: Option<Cow<'a, str>>,
    #[serde(borrow)]
    environment: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    statuses: Vec<DeploymentStatus<'a>>,
}

pub fn rest_deployment(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: RestDeployment = serde_json::from_slice(bytes)?;
    let latest = raw
        .statuses
        .iter()
        .filter_map(|s| {
            let time = s
                .updated_at
                .as_deref()
                .or(s.created_at.as_deref())
                .and_then(parse_time)?;
            Some((time, s))
        })
        .max_by_key(|(time, _)| *time);
    Ok(Item::Deployment(DeploymentRecord {
        provider: Provider::GithubActions,
        id: raw.id.map(Id::into_string).unwrap_or_default(),
        environment: latest
            .and_then(|(_, s)| s.environment.clone())
            .or(raw.environment)
            .map(Cow::into_owned)
            .unwrap_or_default(),
        commit: raw.sha.map(Cow::into_owned),
        state: latest
            .and_then(|(_, s)| s.state.as_deref())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default(),
        time: latest.map(|(time, _)| time),
    }))
}

/// A `deployment_status` webhook: the deployment and the status that just happened.
pub fn webhook_deployment_status(value: &serde_json::Value) -> serde_json::Result<Item> {
    let mut deployment = value["deployment"].clone();
    if let Some(object) = deployment.as_object_mut() {
        object.insert(
            "statuses".into(),
            serde_json::Value::Array(vec![value["deployment_status"].clone()]),
        );
    }
    rest_deployment(deployment.to_string().as_bytes())
}

/// DevLake's serialisation of GraphQL deployments (`CommitOid`, `LatestStatus{State}`).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GraphqlDeployment<'a> {
    database_id: Option<Id<'a>>,
    #[serde(borrow)]
    commit_oid: Option<Cow<'a, str>>,
    #[serde(borrow)]
    environment: Option<Cow<'a, str>>,
    #[serde(borrow)]
    latest_status: Option<GraphqlStatus<'a>>,
}

#[derive(Deserialize)]
struct GraphqlStatus<'a> {
    #[serde(borrow, rename = "State")]
    state: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "updatedAt")]
    updated_at: Option<Cow<'a, str>>,
}

pub fn graphql_deployment(bytes: &[u8]) -> serde_json::Result<Item> {
    let raw: GraphqlDeployment = serde_json::from_slice(bytes)?;
    let status = raw.latest_status;
    Ok(Item::Deployment(DeploymentRecord {
        provider: Provider::GithubActions,
        id: raw.database_id.map(Id::into_string).unwrap_or_default(),
        environment: text(raw.environment).to_string(),
        commit: raw.commit_oid.map(Cow::into_owned),
        state: status
            .as_ref()
            .and_then(|s| s.state.as_deref())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default(),
        time: status
            .as_ref()
            .and_then(|s| s.updated_at.as_deref())
            .and_then(parse_time),
    }))
}
