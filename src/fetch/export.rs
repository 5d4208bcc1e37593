//! The export files `--ci` reads, and merging a fetch into an existing one by id.
//!
//! GitHub: `{"total_count", "workflow_runs": [run…], "deployments": [deployment + "statuses"]}`;
//! GitLab: `{"pipelines": [pipeline…], "deployments": [deployment…]}`. The objects are kept
//! exactly as the API returned them; `deployments` is there only when asked for now or before.

use std::collections::BTreeMap;
use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::{Map, Value, json};

use super::FetchError;
use crate::ci::export_format;

/// The entries of an export already on disk.
#[derive(Debug)]
pub struct Existing {
    runs: Vec<Value>,
    deployments: Option<Vec<Value>>,
}

/// What one fetch listed.
#[derive(Debug, Default)]
pub struct Fetched {
    pub runs: Vec<Value>,
    /// `None` when deployments were not asked for.
    pub deployments: Option<Vec<Value>>,
}

pub struct Merged {
    pub value: Value,
    /// Runs the existing file held.
    pub already_there: usize,
}

/// How one provider's export is laid out, and how a fetch merges into it.
#[derive(Debug)]
pub struct Layout {
    /// Who writes it, for messages.
    pub provider: &'static str,
    /// The member that holds the runs.
    pub runs_key: &'static str,
    /// A run, and runs, in messages and on the progress line.
    pub run: &'static str,
    pub runs: &'static str,
    /// GitHub's envelope: a `total_count` beside the runs, and a run is the same id re-run
    /// with a higher `run_attempt`, of which the later one is kept.
    pub github: bool,
}

pub const GITHUB: Layout = Layout {
    provider: "GitHub",
    runs_key: export_format::GITHUB_RUNS,
    run: "run",
    runs: "runs",
    github: true,
};

pub const GITLAB: Layout = Layout {
    provider: "GitLab",
    runs_key: export_format::GITLAB_PIPELINES,
    run: "pipeline",
    runs: "pipelines",
    github: false,
};

pub fn id(object: &Value) -> Option<u64> {
    object.get("id")?.as_u64()
}

/// The objects of a listing: `body[key]` (GitHub's envelope) or the body itself (a plain
/// array), each one an object with a numeric `id`.
pub fn listed(body: Value, key: Option<&str>, url: &str) -> Result<Vec<Value>, FetchError> {
    let bad = |reason: String| FetchError::BadResponse {
        url: super::client::redact(url),
        reason,
    };
    let list = match key {
        Some(key) => match body {
            Value::Object(mut map) => map.remove(key),
            _ => None,
        }
        .ok_or_else(|| bad(format!("no {key} list in the body")))?,
        None => body,
    };
    let Value::Array(items) = list else {
        return Err(bad("the body is not a list".to_string()));
    };
    if let Some(position) = items.iter().position(|item| id(item).is_none()) {
        return Err(bad(format!("item {} has no numeric id", position + 1)));
    }
    Ok(items)
}

/// The export at `path`, when there is one; anything else there stops the fetch before the
/// first request, and the file is left alone.
pub fn load(path: &Path, layout: &Layout) -> Result<Option<Existing>, FetchError> {
    if !path.exists() {
        return Ok(None);
    }
    let bad = |reason: String| FetchError::BadExport {
        path: path.to_path_buf(),
        provider: layout.provider,
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| bad(format!("not JSON: {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(bad("not a JSON object".to_string()));
    };
    let key = layout.runs_key;
    if let Some((other, writer)) = export_format::RUN_LISTS
        .iter()
        .find(|(other, _)| *other != key && map.contains_key(*other))
    {
        return Err(bad(format!("it holds {writer} {other}")));
    }
    let entries =
        |map: &mut Map<String, Value>, key: &str| -> Result<Option<Vec<Value>>, FetchError> {
            match map.remove(key) {
                None => Ok(None),
                Some(Value::Array(items)) => {
                    if let Some(position) = items.iter().position(|item| id(item).is_none()) {
                        return Err(bad(format!(
                            "{key} item {} has no numeric id",
                            position + 1
                        )));
                    }
                    Ok(Some(items))
                }
                Some(_) => Err(bad(format!("{key} is not a list"))),
            }
        };
    let runs = entries(&mut map, key)?.ok_or_else(|| bad(format!("no {key} list")))?;
    let deployments = entries(&mut map, export_format::DEPLOYMENTS)?;
    Ok(Some(Existing { runs, deployments }))
}

/// GitHub's `run_attempt`; older answers lack it, which means the first attempt.
fn attempt(run: &Value) -> u64 {
    run.get("run_attempt").and_then(Value::as_u64).unwrap_or(1)
}

/// Keeps the existing entries and replaces or adds the fetched ones by id. A GitHub run keeps
/// its later attempt (a re-run is the same id with a higher `run_attempt`); otherwise the
/// fetched object, being newer, wins.
pub fn merge(layout: &Layout, existing: Option<Existing>, fetched: Fetched) -> Merged {
    let (old_runs, old_deployments) = match existing {
        Some(existing) => (existing.runs, existing.deployments),
        None => (Vec::new(), None),
    };
    let already_there = old_runs.len();
    let mut runs = by_id(old_runs);
    for run in fetched.runs {
        let Some(key) = id(&run) else { continue };
        let keep_old = layout.github
            && runs
                .get(&key)
                .is_some_and(|old| attempt(old) > attempt(&run));
        if !keep_old {
            runs.insert(key, run);
        }
    }
    let deployments = match (old_deployments, fetched.deployments) {
        (None, None) => None,
        (old, new) => {
            let mut all = by_id(old.unwrap_or_default());
            for deployment in new.unwrap_or_default() {
                if let Some(key) = id(&deployment) {
                    all.insert(key, deployment);
                }
            }
            Some(all.into_values().collect::<Vec<_>>())
        }
    };
    let runs: Vec<Value> = runs.into_values().collect();
    let mut value = Map::new();
    if layout.github {
        value.insert(
            export_format::GITHUB_TOTAL_COUNT.to_string(),
            json!(runs.len()),
        );
    }
    value.insert(layout.runs_key.to_string(), Value::Array(runs));
    if let Some(deployments) = deployments {
        value.insert(
            export_format::DEPLOYMENTS.to_string(),
            Value::Array(deployments),
        );
    }
    Merged {
        value: Value::Object(value),
        already_there,
    }
}

fn by_id(items: Vec<Value>) -> BTreeMap<u64, Value> {
    items
        .into_iter()
        .filter_map(|item| Some((id(&item)?, item)))
        .collect()
}

/// How long a fetch waits for another one to finish writing the same export. Holding the
/// lock takes only the read-merge-write at the end of a fetch, seconds even for a large file.
pub const LOCK_WAIT: Duration = Duration::from_secs(120);
const LOCK_POLL: Duration = Duration::from_millis(100);

/// An exclusive lock on `<path>.lock`, held while the value lives. The lock file stays
/// behind: removing it would let a third fetch lock a new file while the second holds the
/// old one.
pub struct ExportLock {
    _file: File,
}

/// Waits up to `bound` for the lock beside `path`, saying once on stderr that it waits.
pub fn lock(path: &Path, bound: Duration) -> Result<ExportLock, FetchError> {
    let mut name = path.file_name().unwrap_or(path.as_os_str()).to_os_string();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    let failed = |err: std::io::Error| FetchError::Lock {
        path: lock_path.clone(),
        reason: err.to_string(),
    };
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(failed)?;
    let start = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(ExportLock { _file: file }),
            Err(TryLockError::Error(err)) => return Err(failed(err)),
            Err(TryLockError::WouldBlock) => {}
        }
        if start.elapsed() >= bound {
            return Err(FetchError::LockTimeout {
                path: lock_path,
                output: path.to_path_buf(),
                seconds: bound.as_secs(),
            });
        }
        if !said {
            eprintln!(
                "waiting for the lock on {} (another valueflow fetch is writing {})",
                lock_path.display(),
                path.display()
            );
            said = true;
        }
        std::thread::sleep(LOCK_POLL);
    }
}

/// Pretty JSON, written to a temporary file beside `path` and renamed over it, so an
/// interrupted fetch leaves the previous export whole.
pub fn write(path: &Path, value: &Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)
        .with_context(|| format!("cannot encode {}", path.display()))?;
    text.push('\n');
    crate::output::write_atomically(path, text.as_bytes())
}

/// `fetched 1,234 runs (2026-01-02 .. 2026-11-27) and 3 deployments`.
pub fn summary(layout: &Layout, fetched: &Fetched) -> String {
    let mut text = format!("fetched {}", counted(fetched.runs.len(), layout.run));
    let days: Vec<&str> = fetched
        .runs
        .iter()
        .filter_map(|run| run.get("created_at")?.as_str()?.get(..10))
        .collect();
    if let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) {
        text.push_str(&format!(" ({first} .. {last})"));
    }
    if let Some(deployments) = &fetched.deployments {
        text.push_str(&format!(
            " and {}",
            counted(deployments.len(), "deployment")
        ));
    }
    text
}

/// `1 run`, `1,234 runs`.
fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} {noun}{plural}", super::thousands(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: u64, attempt: Option<u64>, tag: &str) -> Value {
        match attempt {
            Some(attempt) => json!({"id": id, "run_attempt": attempt, "tag": tag}),
            None => json!({"id": id, "tag": tag}),
        }
    }

    #[test]
    fn github_merge_keeps_the_later_attempt() {
        let existing = Existing {
            runs: vec![
                run(1, Some(2), "old"),
                run(2, None, "old"),
                run(3, Some(1), "old"),
            ],
            deployments: None,
        };
        let fetched = Fetched {
            runs: vec![
                run(1, Some(1), "new"),
                run(2, Some(1), "new"),
                run(4, None, "new"),
            ],
            deployments: None,
        };
        let merged = merge(&GITHUB, Some(existing), fetched);
        assert_eq!(merged.already_there, 3);
        assert_eq!(
            merged.value,
            json!({
                "total_count": 4,
                "workflow_runs": [
                    run(1, Some(2), "old"),
                    run(2, Some(1), "new"),
                    run(3, Some(1), "old"),
                    run(4, None, "new"),
                ]
            })
        );
    }

    #[test]
    fn gitlab_merge_takes_the_fetched_and_keeps_deployments() {
        let existing = Existing {
            runs: vec![json!({"id": 5, "status": "running"})],
            deployments: Some(vec![json!({"id": 9})]),
        };
        let fetched = Fetched {
            runs: vec![json!({"id": 5, "status": "success"})],
            deployments: None,
        };
        let merged = merge(&GITLAB, Some(existing), fetched);
        assert_eq!(
            merged.value,
            json!({"pipelines": [{"id": 5, "status": "success"}], "deployments": [{"id": 9}]})
        );
    }

    #[test]
    fn a_held_lock_is_waited_for_up_to_the_bound() {
        let dir = tempfile::TempDir::new().unwrap();
        let output = dir.path().join("runs.json");
        let held = lock(&output, Duration::ZERO).unwrap();
        assert!(dir.path().join("runs.json.lock").is_file());
        let err = lock(&output, Duration::from_millis(250)).err().unwrap();
        assert!(
            err.to_string().ends_with(&format!(
                "runs.json.lock stayed locked for 0 s: another valueflow fetch is writing {}; try again when it is done",
                output.display()
            )),
            "{err}"
        );
        drop(held);
        assert!(lock(&output, Duration::ZERO).is_ok());
    }

    #[test]
    fn listed_needs_ids() {
        assert!(listed(json!([{"id": 1}]), None, "u").is_ok());
        assert!(listed(json!([{"name": "x"}]), None, "u").is_err());
        assert!(listed(json!({"total_count": 0}), Some("workflow_runs"), "u").is_err());
    }
}
