//! CI run exports: one module per provider, all normalised to one PipelineRun.
//!
//! The format is told from the content, never the file name: the list member of an envelope
//! and the keys of the first object of each list say which provider and which object wrote it.

pub mod azure;
pub mod bitbucket;
pub mod circleci;
pub mod deploy;
pub mod export_format;
pub mod github;
pub mod gitlab;
pub mod jenkins;
pub mod stream;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

pub use crate::events::pipeline_run::{
    CommitId, Conclusion, DeploymentRecord, PipelineRun, Provider, RunId, Shared, Status, Trigger,
};

/// What every format is read into, before the exports are merged.
#[derive(Debug, Default)]
pub struct Export {
    pub runs: Vec<PipelineRun>,
    pub deployments: Vec<DeploymentRecord>,
    /// Objects left out because a field the measures need is missing, by reason.
    pub skipped: BTreeMap<&'static str, usize>,
    /// The formats found, for messages ("GitHub Actions workflow runs").
    pub formats: Vec<&'static str>,
    /// One copy of each repeated text of the runs (run::Shared).
    interned: std::collections::HashSet<Shared>,
}

#[derive(Debug, thiserror::Error)]
pub enum CiError {
    /// The OS error in the message, not as a `source`: `{:#}` would print it twice.
    #[error("cannot read {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}:{line}:{col}: invalid JSON: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{path}: not a recognised CI export (expected one of: {expected}); found {found}")]
    UnknownFormat {
        path: PathBuf,
        found: String,
        expected: &'static str,
    },
}

const EXPECTED: &str = "GitHub Actions workflow runs ({total_count, workflow_runs}, an array, or \
    one run), `gh run list --json` output, GitHub Actions jobs, GitHub deployments, GitLab \
    pipelines, jobs or deployments, Jenkins builds, CircleCI workflows or jobs, Azure DevOps \
    builds, Bitbucket pipelines or deployments";

/// One object of an export, normalised.
pub enum Item {
    Run(PipelineRun),
    Deployment(DeploymentRecord),
    /// Left out, with the reason counted in a warning.
    Skipped(&'static str),
}

/// An id that is a number for most providers and a string for others.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Id<'a> {
    Number(u64),
    Text(#[serde(borrow)] Cow<'a, str>),
}

impl From<Id<'_>> for RunId {
    fn from(id: Id<'_>) -> RunId {
        match id {
            Id::Number(n) => RunId::Number(n),
            Id::Text(text) => RunId::from(text.as_ref()),
        }
    }
}

impl Id<'_> {
    pub fn into_string(self) -> String {
        match self {
            Id::Number(n) => n.to_string(),
            Id::Text(t) => t.into_owned(),
        }
    }
}

/// An optional text field, "" when absent.
pub fn text(value: Option<Cow<'_, str>>) -> Shared {
    value.as_deref().unwrap_or_default().into()
}

/// An optional text field, kept optional.
pub fn shared(value: Option<Cow<'_, str>>) -> Option<Shared> {
    value.as_deref().map(Shared::from)
}

/// An optional commit field.
pub fn commit(value: Option<Cow<'_, str>>) -> Option<CommitId> {
    value.as_deref().map(CommitId::from)
}

/// The kinds of object valueflow reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    GithubRun,
    GhCliRun,
    GithubJob,
    GithubDeployment,
    GithubGraphqlDeployment,
    GitlabPipeline,
    GitlabJob,
    GitlabDeployment,
    JenkinsBuild,
    CircleciRun,
    CircleciPipeline,
    AzureBuild,
    BitbucketPipeline,
    BitbucketDeployment,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::GithubRun => "GitHub Actions workflow runs",
            Kind::GhCliRun => "gh run list output",
            Kind::GithubJob => "GitHub Actions jobs",
            Kind::GithubDeployment => "GitHub deployments",
            Kind::GithubGraphqlDeployment => "GitHub deployments (GraphQL)",
            Kind::GitlabPipeline => "GitLab pipelines",
            Kind::GitlabJob => "GitLab jobs",
            Kind::GitlabDeployment => "GitLab deployments",
            Kind::JenkinsBuild => "Jenkins builds",
            Kind::CircleciRun => "CircleCI workflows/jobs",
            Kind::CircleciPipeline => "CircleCI pipelines",
            Kind::AzureBuild => "Azure DevOps builds",
            Kind::BitbucketPipeline => "Bitbucket pipelines",
            Kind::BitbucketDeployment => "Bitbucket deployments",
        }
    }

    /// Which kind of object this is, from its keys.
    fn detect(object: &serde_json::Map<String, Value>) -> Option<Kind> {
        let has = |key: &str| object.contains_key(key);
        Some(if has("head_sha") && has("run_id") {
            Kind::GithubJob
        } else if has("head_sha") && (has("workflow_id") || has("run_number")) {
            Kind::GithubRun
        } else if has("databaseId") || has("headSha") {
            Kind::GhCliRun
        } else if has("CommitOid") || has("LatestStatus") {
            Kind::GithubGraphqlDeployment
        } else if has("sha")
            && has("task")
            && object.get("environment").is_some_and(Value::is_string)
        {
            Kind::GithubDeployment
        } else if has("sha")
            && (has("deployable") || object.get("environment").is_some_and(Value::is_object))
        {
            Kind::GitlabDeployment
        } else if has("stage") && has("pipeline") {
            Kind::GitlabJob
        } else if has("sha") && has("ref") && has("status") {
            Kind::GitlabPipeline
        } else if has("result") && has("timestamp") && has("number") {
            Kind::JenkinsBuild
        } else if has("project_slug") && has("stopped_at") {
            Kind::CircleciRun
        } else if has("project_slug") && has("state") && has("trigger") {
            Kind::CircleciPipeline
        } else if has("sourceVersion") || has("buildNumber") {
            Kind::AzureBuild
        } else if has("release") && has("environment") && has("state") {
            Kind::BitbucketDeployment
        } else if has("target") && has("state") && has("created_on") {
            Kind::BitbucketPipeline
        } else {
            return None;
        })
    }

    fn read(self, bytes: &[u8]) -> serde_json::Result<Item> {
        match self {
            Kind::GithubRun | Kind::GhCliRun => github::run(bytes),
            Kind::GithubJob => github::job(bytes),
            Kind::GithubDeployment => github::rest_deployment(bytes),
            Kind::GithubGraphqlDeployment => github::graphql_deployment(bytes),
            Kind::GitlabPipeline => gitlab::pipeline(bytes),
            Kind::GitlabJob => gitlab::job(bytes),
            Kind::GitlabDeployment => gitlab::deployment(bytes),
            // The smaller providers' exports are read through a Value: simpler, and their
            // nesting (Jenkins `actions`, Bitbucket `state.result`) is awkward to borrow.
            _ => {
                let value: Value = serde_json::from_slice(bytes)?;
                Ok(match self {
                    Kind::JenkinsBuild => jenkins::build(&value),
                    Kind::CircleciRun => circleci::run(&value),
                    Kind::CircleciPipeline => Item::Skipped(
                        "a CircleCI pipeline (no outcome of its own: export its workflows)",
                    ),
                    Kind::AzureBuild => azure::build(&value),
                    Kind::BitbucketPipeline => bitbucket::pipeline(&value),
                    _ => bitbucket::deployment(&value),
                })
            }
        }
    }
}

/// Reads one export file, streaming its lists.
pub fn load(path: &Path) -> Result<Export, CiError> {
    let file = std::fs::File::open(path).map_err(|error| CiError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    read(path, file)
}

/// Reads one export from `reader`; `path` names it in messages.
pub fn read(path: &Path, reader: impl std::io::Read) -> Result<Export, CiError> {
    use std::io::BufRead;
    // A UTF-8 byte-order mark (PowerShell's `Out-File`, Windows editors) is not JSON: skip it,
    // as the incidents reader does.
    let mut reader = std::io::BufReader::new(reader);
    let io = |error| CiError::Io {
        path: path.to_path_buf(),
        error,
    };
    if reader.fill_buf().map_err(io)?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    let mut export = Export::default();
    // The kind of each list, told by its first object.
    // (list, kind): a handful at most, looked up for every element without allocating.
    let mut kinds: Vec<(Option<String>, Kind)> = Vec::new();
    let syntax = |line: usize, col: usize, message: String| CiError::Syntax {
        path: path.to_path_buf(),
        line,
        col,
        message,
    };
    let document = stream::read(reader, |element| {
        let known = kinds
            .iter()
            .find(|(list, _)| list.as_deref() == element.list);
        let kind = match known {
            Some((_, kind)) => *kind,
            None => {
                let value: Value = serde_json::from_slice(element.bytes)
                    .map_err(|err| relative(&syntax, element.line, element.col, &err))?;
                let kind = value.as_object().and_then(Kind::detect).ok_or_else(|| {
                    CiError::UnknownFormat {
                        path: path.to_path_buf(),
                        found: describe(&value, element.list),
                        expected: EXPECTED,
                    }
                })?;
                kinds.push((element.list.map(str::to_string), kind));
                export.formats.push(kind.name());
                kind
            }
        };
        match kind.read(element.bytes) {
            Ok(item) => export.add(item),
            // A value of the wrong type in a field we read: that object is skipped.
            Err(err) if err.classify() == serde_json::error::Category::Data => {
                export.add(Item::Skipped("a field of an unexpected type"))
            }
            Err(err) => return Err(relative(&syntax, element.line, element.col, &err)),
        }
        Ok(())
    })
    .map_err(|err| match err {
        stream::StreamError::Io(error) => io(error),
        stream::StreamError::Syntax { line, col, message } => {
            syntax(line, col, message.to_string())
        }
        stream::StreamError::Element(err) => err,
    })?;

    if let stream::Document::Object { rest, lists } = document {
        if lists.is_empty() {
            // No list: the whole object is one run, build, deployment or webhook payload.
            let value: Value =
                serde_json::from_slice(&rest).map_err(|err| syntax(1, 1, err.to_string()))?;
            export.add(single(path, &value)?);
        } else if kinds.is_empty() {
            // Only empty lists: a valid export with nothing in it, when the list is ours.
            export.formats.push("an export with no runs");
        }
    }
    Ok(export)
}

/// What reading the exports left out, for the warnings the report prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Omission {
    /// Objects of one file left out, and why.
    Skipped {
        path: PathBuf,
        reason: &'static str,
        count: usize,
    },
    /// Runs found more than once (in one export or across them), each counted once.
    Repeated { count: usize },
}

/// Reads every export, merges them (a run in two exports counts once, its latest attempt),
/// and says what was left out. `None` when no export was given.
pub fn load_all(
    paths: &[std::path::PathBuf],
    omissions: &mut Vec<Omission>,
) -> Result<Option<Export>, CiError> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut merged = Export::default();
    for path in paths {
        let export = load(path)?;
        omissions.extend(
            export
                .skipped
                .iter()
                .map(|(reason, count)| Omission::Skipped {
                    path: path.clone(),
                    reason,
                    count: *count,
                }),
        );
        // The first export's runs move in whole: `extend` into an empty list would hold
        // every run twice at the peak.
        if merged.runs.is_empty() {
            merged.runs = export.runs;
        } else {
            merged.runs.extend(export.runs);
        }
        merged.deployments.extend(export.deployments);
        merged.formats.extend(export.formats);
    }
    let before = merged.runs.len();
    merged.runs.sort_by(|a, b| {
        (a.provider as u8, &a.id, a.attempt, a.finished_at).cmp(&(
            b.provider as u8,
            &b.id,
            b.attempt,
            b.finished_at,
        ))
    });
    // Sorted by attempt, so the last of each id is its latest attempt.
    merged.runs.reverse();
    merged
        .runs
        .dedup_by(|later, kept| later.provider == kept.provider && later.id == kept.id);
    merged.runs.reverse();
    let repeated = before - merged.runs.len();
    if repeated > 0 {
        omissions.push(Omission::Repeated { count: repeated });
    }
    Ok(Some(merged))
}

/// A whole-object document: a single run, build or deployment, or a webhook payload that
/// wraps one (`{action, workflow_run, …}`).
fn single(path: &Path, value: &Value) -> Result<Item, CiError> {
    let unknown = || CiError::UnknownFormat {
        path: path.to_path_buf(),
        found: describe(value, None),
        expected: EXPECTED,
    };
    let object = value.as_object().ok_or_else(unknown)?;
    let result = if value["deployment_status"].is_object() && value["deployment"].is_object() {
        github::webhook_deployment_status(value)
    } else if let Some(run) = object.get("workflow_run").filter(|r| r.is_object()) {
        github::run(run.to_string().as_bytes())
    } else if let Some(job) = object.get("workflow_job").filter(|j| j.is_object()) {
        github::job(job.to_string().as_bytes())
    } else {
        let kind = Kind::detect(object).ok_or_else(unknown)?;
        kind.read(value.to_string().as_bytes())
    };
    Ok(result.unwrap_or(Item::Skipped("a field of an unexpected type")))
}

/// A parse error inside an element, placed in the file.
fn relative(
    syntax: &impl Fn(usize, usize, String) -> CiError,
    line: usize,
    col: usize,
    err: &serde_json::Error,
) -> CiError {
    let (err_line, err_col) = (err.line().max(1), err.column().max(1));
    let message = err.to_string();
    // serde_json ends its message with " at line L column C" relative to the element.
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(m, _)| m)
        .to_string();
    if err_line == 1 {
        syntax(line, col + err_col - 1, message)
    } else {
        syntax(line + err_line - 1, err_col, message)
    }
}

/// A short description of an unrecognised object, naming some of its keys.
fn describe(value: &Value, list: Option<&str>) -> String {
    let what = match value {
        Value::Object(object) => {
            let keys: Vec<&str> = object.keys().take(6).map(String::as_str).collect();
            format!("an object with keys {}", keys.join(", "))
        }
        Value::Array(_) => "an array".to_string(),
        other => format!("the value {other}"),
    };
    match list {
        Some(list) => format!("{what} in `{list}`"),
        None => what,
    }
}

impl Export {
    fn add(&mut self, item: Item) {
        match item {
            // Pipeline Health places a run in the window by its finish.
            Item::Run(run) if run.completed() && run.finished_at.is_none() => {
                *self
                    .skipped
                    .entry("a completed run without a finish time")
                    .or_default() += 1
            }
            Item::Run(mut run) => {
                let mut intern = |text: &mut Shared| match self.interned.get(text) {
                    Some(shared) => *text = shared.clone(),
                    None => {
                        self.interned.insert(text.clone());
                    }
                };
                intern(&mut run.workflow);
                intern(&mut run.event);
                for text in [&mut run.path, &mut run.branch].into_iter().flatten() {
                    intern(text);
                }
                if let Some(CommitId::Text(text)) = &mut run.commit {
                    intern(text);
                }
                self.runs.push(run)
            }
            Item::Deployment(deployment) => self.deployments.push(deployment),
            Item::Skipped(reason) => *self.skipped.entry(reason).or_default() += 1,
        }
    }
}
