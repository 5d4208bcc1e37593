//! GitHub Actions workflow runs (and deployments with their statuses) over the REST API.

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderName};
use serde_json::Value;

use super::FetchError;
use super::api::{Api, Items, collect};
use super::client::{ApiClient, Page};
use super::export::{self, Layout};
use crate::ci::export_format::{GITHUB_RUNS, GITHUB_TOTAL_COUNT};
use crate::events::window::rfc3339;

/// GitHub returns at most this many results for a filtered query (`created=…`), however many
/// pages are followed; `total_count` still tells the real number.
const SEARCH_CAP: u64 = 1000;
/// A `created` range this short is not split further.
const SHORTEST_SPLIT: TimeDelta = TimeDelta::seconds(2);

/// One repository's runs, or one workflow's.
pub struct GitHub {
    owner: String,
    name: String,
    /// `OWNER/NAME`, for messages.
    repo: String,
    workflow: Option<String>,
    /// `workflow deploy.yml`, for a 404.
    detail: Option<String>,
}

impl GitHub {
    /// Checks the names before any request: each goes into the request path.
    pub fn new(repo: &str, workflow: Option<&str>) -> Result<GitHub, FetchError> {
        let (owner, name) = split_repo(repo)?;
        if let Some(workflow) = workflow {
            check_workflow(workflow)?;
        }
        Ok(GitHub {
            owner: owner.to_string(),
            name: name.to_string(),
            repo: format!("{owner}/{name}"),
            workflow: workflow.map(str::to_string),
            detail: workflow.map(|w| format!("workflow {w}")),
        })
    }

    fn endpoint(&self, client: &ApiClient, tail: &[&str]) -> Url {
        let mut segments = vec!["repos", self.owner.as_str(), self.name.as_str()];
        segments.extend(tail);
        let mut url = client.endpoint(&segments);
        url.query_pairs_mut().append_pair("per_page", "100");
        url
    }
}

impl Api for GitHub {
    fn name(&self) -> &'static str {
        "GitHub"
    }

    fn default_api_url(&self) -> &'static str {
        "https://api.github.com"
    }

    fn default_token_env(&self) -> &'static str {
        "GITHUB_TOKEN"
    }

    fn anonymous_limit(&self) -> &'static str {
        " (60 an hour)"
    }

    fn scope_hint(&self) -> &'static str {
        "it needs the actions:read permission (fine-grained token) or the repo scope (classic token)"
    }

    fn token_header(&self, token: &str) -> (HeaderName, String) {
        (AUTHORIZATION, format!("Bearer {token}"))
    }

    fn headers(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ]
    }

    fn project(&self) -> &str {
        &self.repo
    }

    fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    fn layout(&self) -> &'static Layout {
        &export::GITHUB
    }

    /// Unfiltered: `since` becomes `created` ranges in [`GitHub::runs`], split over the cap.
    fn runs_url(&self, client: &ApiClient, _since: Option<DateTime<Utc>>) -> Url {
        match &self.workflow {
            Some(workflow) => self.endpoint(client, &["actions", "workflows", workflow, "runs"]),
            None => self.endpoint(client, &["actions", "runs"]),
        }
    }

    fn runs_key(&self) -> Option<&'static str> {
        Some(GITHUB_RUNS)
    }

    /// Unfiltered: the API has no date filter for deployments.
    fn deployments_url(&self, client: &ApiClient, _since: Option<DateTime<Utc>>) -> Url {
        self.endpoint(client, &["deployments"])
    }

    fn runs(
        &self,
        client: &ApiClient,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Value>, FetchError> {
        let runs_url = self.runs_url(client, since);
        match since {
            Some(since) => {
                let mut runs = Vec::new();
                let range = Range {
                    start: since,
                    end: None,
                };
                let (url, page) = first_page(client, &runs_url, range)?;
                collect_range(client, &runs_url, range, url, page, &mut runs)?;
                Ok(runs)
            }
            None => collect(
                client,
                client.pages(runs_url),
                Items::counted(Some(GITHUB_RUNS)),
            ),
        }
    }

    /// Deployments (newest first, as GitHub lists them), each with its statuses. With no date
    /// filter in the API, the listing stops at the first page that reaches older ones.
    fn deployments(
        &self,
        client: &ApiClient,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Value>, FetchError> {
        let first = self.deployments_url(client, since);
        let mut found = collect(
            client,
            client.pages(first),
            Items::counted(None).newest_first_since(since),
        )?;
        for deployment in &mut found {
            let Some(id) = export::id(deployment) else {
                continue;
            };
            let id = id.to_string();
            let first = self.endpoint(client, &["deployments", &id, "statuses"]);
            let statuses = collect(client, client.pages(first), Items::uncounted(None))?;
            if let Value::Object(map) = deployment {
                map.insert("statuses".to_string(), Value::Array(statuses));
            }
        }
        Ok(found)
    }
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

/// Runs created in `range`, whose first page, at `url`, was read already. When GitHub counts
/// more than it will return for one query, the range is halved and each half fetched on its
/// own, so nothing is cut off silently.
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
                client.api().project()
            ));
        }
    }
    let pages = client.pages_after(url, page);
    runs.extend(collect(client, pages, Items::counted(Some(GITHUB_RUNS)))?);
    Ok(())
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
