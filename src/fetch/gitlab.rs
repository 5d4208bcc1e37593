//! GitLab pipelines (and deployments) over the REST API v4.

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::HeaderName;

use super::FetchError;
use super::api::Api;
use super::client::ApiClient;
use super::export::{self, Layout};
use crate::events::window::rfc3339;

/// One project's pipelines.
pub struct GitLab {
    /// A numeric id or a path; as one path segment, `group/name` goes out as `group%2Fname`,
    /// which is how GitLab wants a path in place of the id.
    project: String,
}

impl GitLab {
    /// Checks the project before any request: it goes into the request path.
    pub fn new(project: &str) -> Result<GitLab, FetchError> {
        let trimmed = project.trim().trim_matches('/');
        if !project_ok(trimmed) {
            return Err(FetchError::BadProject {
                value: project.to_string(),
            });
        }
        Ok(GitLab {
            project: trimmed.to_string(),
        })
    }
}

impl Api for GitLab {
    fn name(&self) -> &'static str {
        "GitLab"
    }

    fn default_api_url(&self) -> &'static str {
        "https://gitlab.com/api/v4"
    }

    fn default_token_env(&self) -> &'static str {
        "GITLAB_TOKEN"
    }

    fn scope_hint(&self) -> &'static str {
        "it needs the read_api scope and at least the Reporter role"
    }

    fn token_header(&self, token: &str) -> (HeaderName, String) {
        (HeaderName::from_static("private-token"), token.to_string())
    }

    fn project(&self) -> &str {
        &self.project
    }

    fn layout(&self) -> &'static Layout {
        &export::GITLAB
    }

    fn runs_url(&self, client: &ApiClient, since: Option<DateTime<Utc>>) -> Url {
        let mut url = client.endpoint(&["projects", &self.project, "pipelines"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("per_page", "100");
            if let Some(since) = since {
                query.append_pair("updated_after", &rfc3339(since));
            }
        }
        url
    }

    fn deployments_url(&self, client: &ApiClient, since: Option<DateTime<Utc>>) -> Url {
        let mut url = client.endpoint(&["projects", &self.project, "deployments"]);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("per_page", "100");
            if let Some(since) = since {
                // GitLab accepts updated_after only when ordering by updated_at.
                query
                    .append_pair("updated_after", &rfc3339(since))
                    .append_pair("order_by", "updated_at")
                    .append_pair("sort", "asc");
            }
        }
        url
    }
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
