//! Merged pull requests over GitHub's REST API, for lead time (measures.md §2, "Squash
//! merges"): `fetch github --pull-requests` writes the export that `measure --prs` reads.
//!
//! Bounded: pull requests are listed most recently updated first and the listing stops at the
//! first one updated before the bound (a pull request is updated when it merges, so none after
//! it merged in the bound); each kept one costs one more request, the first page of its
//! commits (up to 100, oldest first), for its first commit's author date and its commits'.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use super::FetchError;
use super::client::ApiClient;
use super::export;

/// How long before `--since` a pull request may have merged and still ship in the window:
/// the longest plausible merge → deploy gap. 90 days covers quarterly releases; a pull
/// request merged earlier and deployed in the window keeps its squash commit as the sample
/// (the report says how many had no data).
pub const LONGEST_RELEASE_GAP: TimeDelta = TimeDelta::days(90);

/// `--since` when none is given: the default window of `measure`.
pub const DEFAULT_SINCE: TimeDelta = TimeDelta::days(90);

fn time(value: &Value) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.as_str()?)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Every pull request of `owner/name` merged on or after `bound`, in the export's shape.
pub fn merged_since(
    client: &ApiClient,
    owner: &str,
    name: &str,
    bound: DateTime<Utc>,
) -> Result<Vec<Value>, FetchError> {
    let mut first = client.endpoint(&["repos", owner, name, "pulls"]);
    first
        .query_pairs_mut()
        .append_pair("state", "closed")
        .append_pair("sort", "updated")
        .append_pair("direction", "desc")
        .append_pair("per_page", "100");
    let mut merged = Vec::new();
    'pages: for page in client.pages(first) {
        let (url, body) = page?;
        for pull in export::listed(body, None, url.as_str())? {
            if time(&pull["updated_at"]).is_some_and(|t| t < bound) {
                break 'pages;
            }
            if time(&pull["merged_at"]).is_some_and(|t| t >= bound) {
                merged.push(pull);
            }
        }
    }
    client.counting("pull requests");
    let mut out = Vec::with_capacity(merged.len());
    for pull in merged {
        let Some(number) = pull["number"].as_u64() else {
            continue;
        };
        let mut url = client.endpoint(&[
            "repos",
            owner,
            name,
            "pulls",
            &number.to_string(),
            "commits",
        ]);
        url.query_pairs_mut().append_pair("per_page", "100");
        let page = client.get_page(&url)?;
        let commits: Vec<Value> = page
            .body
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let author = &c["commit"]["author"];
                let authored = time(&author["date"])?;
                Some(json!({
                    "sha": c["sha"],
                    "author": format!(
                        "{} <{}>",
                        author["name"].as_str().unwrap_or_default(),
                        author["email"].as_str().unwrap_or_default()
                    ),
                    "authored_at": crate::events::window::rfc3339(authored),
                }))
            })
            .collect();
        let first_commit_at = commits
            .iter()
            .filter_map(|c| time(&c["authored_at"]))
            .min()
            .map(crate::events::window::rfc3339);
        client.count(1);
        out.push(json!({
            "number": number,
            "merge_commit_sha": pull["merge_commit_sha"],
            "created_at": pull["created_at"],
            "merged_at": pull["merged_at"],
            "first_commit_at": first_commit_at,
            "author": pull["user"]["login"],
            "commits": commits,
        }));
    }
    Ok(out)
}

/// Refuses an `-o` file that is not a pull-request export before any request.
pub fn check_existing(path: &Path) -> Result<()> {
    if path.exists() {
        crate::pull_requests::load(path).with_context(|| {
            format!(
                "{} is not a pull-request export; it was left as it is: choose another -o file",
                path.display()
            )
        })?;
    }
    Ok(())
}

/// Merges `fetched` into the export at `path` by number (the new entry wins) and writes it.
pub fn write(path: &Path, fetched: Vec<Value>) -> Result<usize> {
    let mut by_number: BTreeMap<u64, Value> = BTreeMap::new();
    if path.exists() {
        let text = crate::input::read_text(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let list = value.get("pull_requests").unwrap_or(&value);
        for pull in list.as_array().into_iter().flatten() {
            if let Some(n) = pull["number"].as_u64() {
                by_number.insert(n, pull.clone());
            }
        }
    }
    let count = fetched.len();
    for pull in fetched {
        if let Some(n) = pull["number"].as_u64() {
            by_number.insert(n, pull);
        }
    }
    let list: Vec<Value> = by_number.into_values().collect();
    export::write(path, &json!({ "pull_requests": list }))?;
    Ok(count)
}
