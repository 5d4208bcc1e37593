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
    if !project_ok(project) {
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

/// A numeric id, or a path whose parts GitLab allows (letters, digits, `_`, `.`, `-`). The path
/// goes out encoded as one segment, but a server or proxy that decodes `%2F` would read `.` or
/// `..` parts as another path, so they are refused here.
fn project_ok(project: &str) -> bool {
    !project.is_empty()
        && project.split('/').all(|part| {
            !matches!(part, "" | "." | "..")
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        })
}

/// Every page from `url` on (`Link` or `x-next-page`).
fn follow(client: &ApiClient, url: Url) -> Result<Vec<Value>, FetchError> {
    let mut found = Vec::new();
    for page in client.listing(url) {
        let (url, body) = page?;
        let list = export::listed(body, None, url.as_str())?;
        client.count(list.len());
        found.extend(list);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_ids_and_paths() {
        for good in ["42", "acme/web", "acme/sub-group/web.site", "a_b/c"] {
            assert!(project_ok(good), "{good}");
        }
        for bad in [
            "",
            "..",
            "acme/..",
            "./web",
            "acme//web",
            "acme/we b",
            "acme%2Fweb",
        ] {
            assert!(!project_ok(bad), "{bad}");
        }
    }
}
