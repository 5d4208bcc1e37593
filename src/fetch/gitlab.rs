//! GitLab pipelines (and deployments) over the REST API v4.

use anyhow::Result;
use reqwest::Url;
use serde_json::Value;

use super::client::{ApiClient, Provider};
use super::export::{self, Fetched};
use super::{FetchError, Session};
use crate::cli::GitlabFetchArgs;
use crate::window::rfc3339;

pub fn fetch(args: &GitlabFetchArgs) -> Result<()> {
    // A numeric id or a path; as one path segment, `group/name` goes out as `group%2Fname`,
    // which is how GitLab wants a path in place of the id.
    let project = args.project.trim().trim_matches('/');
    if project.is_empty() {
        return Err(FetchError::BadProject {
            value: args.project.clone(),
        }
        .into());
    }
    let session = Session::start(Provider::GitLab, &args.common, project.to_string(), None)?;
    let client = &session.client;
    let since = session.since.map(rfc3339);

    let mut url = client.endpoint(&["projects", project, "pipelines"]);
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("per_page", "100");
        if let Some(since) = &since {
            query.append_pair("updated_after", since);
        }
    }
    client.counting("pipelines");
    let runs = follow(client, url)?;

    let deployments = if args.common.deployments {
        let mut url = client.endpoint(&["projects", project, "deployments"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("per_page", "100");
            if let Some(since) = &since {
                // GitLab accepts updated_after only when ordering by updated_at.
                query
                    .append_pair("updated_after", since)
                    .append_pair("order_by", "updated_at")
                    .append_pair("sort", "asc");
            }
        }
        client.counting("deployments");
        Some(follow(client, url)?)
    } else {
        None
    };
    session.finish(Fetched { runs, deployments })
}

/// Every page from `url` on (`Link` or `x-next-page`).
fn follow(client: &ApiClient, url: Url) -> Result<Vec<Value>, FetchError> {
    let mut found = Vec::new();
    let mut next = Some(url);
    while let Some(url) = next {
        let page = client.get_page(&url)?;
        let list = export::listed(page.body, None, url.as_str())?;
        client.count(list.len());
        found.extend(list);
        next = page.next;
    }
    Ok(found)
}
