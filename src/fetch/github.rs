//! GitHub Actions workflow runs (and deployments with their statuses) over the REST API.

use anyhow::Result;
use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Url;
use serde_json::Value;

use super::client::{ApiClient, Listing, Page, Provider};
use super::export::{self, Fetched};
use super::{FetchError, Session};
use crate::ci::export_format::{GITHUB_RUNS, GITHUB_TOTAL_COUNT};
use crate::cli::GithubFetchArgs;
use crate::window::rfc3339;

/// GitHub returns at most this many results for a filtered query (`created=…`), however many
/// pages are followed; `total_count` still tells the real number.
const SEARCH_CAP: u64 = 1000;
/// A `created` range this short is not split further.
const SHORTEST_SPLIT: TimeDelta = TimeDelta::seconds(2);

pub fn fetch(args: &GithubFetchArgs) -> Result<()> {
    let (owner, name) = split_repo(&args.repo)?;
    if let Some(workflow) = &args.workflow {
        check_workflow(workflow)?;
    }
    let detail = args.workflow.as_ref().map(|w| format!("workflow {w}"));
    let session = Session::start(
        Provider::GitHub,
        &args.common,
        format!("{owner}/{name}"),
        detail,
    )?;
    let client = &session.client;
    let mut runs_url = match &args.workflow {
        Some(workflow) => client.endpoint(&[
            "repos",
            owner,
            name,
            "actions",
            "workflows",
            workflow,
            "runs",
        ]),
        None => client.endpoint(&["repos", owner, name, "actions", "runs"]),
    };
    runs_url.query_pairs_mut().append_pair("per_page", "100");

    client.counting("runs");
    let mut runs = Vec::new();
    match session.since {
        Some(since) => created_range(
            client,
            &runs_url,
            Range {
                start: since,
                end: None,
            },
            &mut runs,
        )?,
        None => follow(client, client.listing(runs_url), &mut runs)?,
    }
    let deployments = if args.common.deployments {
        Some(deployments(client, owner, name, session.since)?)
    } else {
        None
    };
    session.finish(Fetched { runs, deployments })
}

/// `OWNER/NAME` as GitHub allows them (letters, digits, `_`, `.`, `-`); each goes into the
/// request path, where `.` or `..` would name another path.
fn split_repo(text: &str) -> Result<(&str, &str), FetchError> {
    let part = |part: &str| {
        !matches!(part, "" | "." | "..")
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    match text.trim().split_once('/') {
        Some((owner, name)) if part(owner) && part(name.trim_end_matches(".git")) => {
            Ok((owner, name.trim_end_matches(".git")))
        }
        _ => Err(FetchError::BadRepo {
            value: text.to_string(),
        }),
    }
}

/// A workflow file name or id goes into the request path as one segment: it is percent-encoded
/// there, but `.` and `..` would still name another path, and a `/` means a path was given.
fn check_workflow(text: &str) -> Result<(), FetchError> {
    if matches!(text, "" | "." | "..") || text.contains(['/', '\\']) {
        return Err(FetchError::BadWorkflow {
            value: text.to_string(),
        });
    }
    Ok(())
}

/// A `created` range: `[start, end]`, or open-ended without `end`.
#[derive(Clone, Copy)]
struct Range {
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl Range {
    fn query(self) -> String {
        match self.end {
            Some(end) => format!("{}..{}", rfc3339(self.start), rfc3339(end)),
            None => format!(">={}", rfc3339(self.start)),
        }
    }
}

/// The first page of the runs created in `range`.
fn first_page(client: &ApiClient, runs_url: &Url, range: Range) -> Result<(Url, Page), FetchError> {
    let mut url = runs_url.clone();
    url.query_pairs_mut().append_pair("created", &range.query());
    let page = client.get_page(&url)?;
    Ok((url, page))
}

fn total_count(page: &Page) -> Option<u64> {
    page.body.get(GITHUB_TOTAL_COUNT).and_then(Value::as_u64)
}

/// Runs created in `range`. When GitHub counts more than it will return for one query, the
/// range is halved and each half fetched on its own, so nothing is cut off silently.
fn created_range(
    client: &ApiClient,
    runs_url: &Url,
    range: Range,
    runs: &mut Vec<Value>,
) -> Result<(), FetchError> {
    let (url, page) = first_page(client, runs_url, range)?;
    collect_range(client, runs_url, range, url, page, runs)
}

fn collect_range(
    client: &ApiClient,
    runs_url: &Url,
    range: Range,
    url: Url,
    page: Page,
    runs: &mut Vec<Value>,
) -> Result<(), FetchError> {
    if let Some(total) = total_count(&page).filter(|total| *total > SEARCH_CAP) {
        let start = range.start;
        // An open range ends now; an hour more allows for a clock that runs behind GitHub's.
        let end = range
            .end
            .unwrap_or_else(|| Utc::now() + TimeDelta::hours(1));
        if end - start < SHORTEST_SPLIT {
            client.say(&format!(
                "warning: GitHub counts {total} runs created {}, more than the {SEARCH_CAP} it returns for one query; some of them will be missing",
                range.query()
            ));
        } else {
            let middle = start + (end - start) / 2;
            let early = Range {
                start,
                end: Some(middle),
            };
            let late = Range {
                start: middle + TimeDelta::seconds(1),
                end: Some(end),
            };
            let (early_url, early_page) = first_page(client, runs_url, early)?;
            let (late_url, late_page) = first_page(client, runs_url, late)?;
            // A run cannot be in both halves: the same count in each means the server
            // ignores `created` (some GitHub Enterprise versions), and halving again would
            // never end.
            let ignored =
                total_count(&early_page) == Some(total) && total_count(&late_page) == Some(total);
            if !ignored {
                collect_range(client, runs_url, early, early_url, early_page, runs)?;
                return collect_range(client, runs_url, late, late_url, late_page, runs);
            }
            client.say(&format!(
                "warning: the server ignores the created filter for {}, so at most {SEARCH_CAP} of its {total} runs can be listed; fetch without --since to get them all",
                client.subject().name
            ));
        }
    }
    let list = export::listed(page.body, Some(GITHUB_RUNS), url.as_str())?;
    client.count(list.len());
    runs.extend(list);
    follow(client, client.listing_after(url, page.next), runs)
}

/// Every page of a run listing.
fn follow(client: &ApiClient, listing: Listing, runs: &mut Vec<Value>) -> Result<(), FetchError> {
    for page in listing {
        let (url, body) = page?;
        let list = export::listed(body, Some(GITHUB_RUNS), url.as_str())?;
        client.count(list.len());
        runs.extend(list);
    }
    Ok(())
}

/// Deployments (newest first, as GitHub lists them), each with its statuses. The API has no
/// date filter, so with `--since` the listing stops at the first page that reaches older ones.
fn deployments(
    client: &ApiClient,
    owner: &str,
    name: &str,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<Value>, FetchError> {
    client.counting("deployments");
    let mut url = client.endpoint(&["repos", owner, name, "deployments"]);
    url.query_pairs_mut().append_pair("per_page", "100");
    let mut found = Vec::new();
    for page in client.listing(url) {
        let (url, body) = page?;
        let list = export::listed(body, None, url.as_str())?;
        let before = list.len();
        let recent: Vec<Value> = list
            .into_iter()
            .filter(|deployment| match since {
                Some(since) => created_at(deployment).is_none_or(|t| t >= since),
                None => true,
            })
            .collect();
        let reached_older = recent.len() < before;
        client.count(recent.len());
        found.extend(recent);
        if reached_older {
            break;
        }
    }
    for deployment in &mut found {
        let Some(id) = export::id(deployment) else {
            continue;
        };
        let id = id.to_string();
        let mut url = client.endpoint(&["repos", owner, name, "deployments", &id, "statuses"]);
        url.query_pairs_mut().append_pair("per_page", "100");
        let mut statuses = Vec::new();
        for page in client.listing(url) {
            let (url, body) = page?;
            statuses.extend(export::listed(body, None, url.as_str())?);
        }
        if let Value::Object(map) = deployment {
            map.insert("statuses".to_string(), Value::Array(statuses));
        }
    }
    Ok(found)
}

fn created_at(object: &Value) -> Option<DateTime<Utc>> {
    let text = object.get("created_at")?.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_names() {
        assert_eq!(split_repo("octo/hello").unwrap(), ("octo", "hello"));
        assert_eq!(split_repo("octo/hello.git").unwrap(), ("octo", "hello"));
        assert!(split_repo("octo").is_err());
        assert!(split_repo("octo/").is_err());
        assert!(split_repo("a/b/c").is_err());
        for bad in ["o/..", "../x", "o/.", "o/.git", "o/a b", "o/a%2Fb", "o/a?x"] {
            assert!(split_repo(bad).is_err(), "{bad}");
        }
        assert!(check_workflow("deploy.yml").is_ok());
        assert!(check_workflow("1234").is_ok());
        for bad in ["", ".", "..", "a/b", "..\\x"] {
            assert!(check_workflow(bad).is_err(), "{bad}");
        }
    }
}
