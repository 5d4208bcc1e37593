//! What differs between the providers' REST APIs, as one trait each of them implements
//! ([`super::github`], [`super::gitlab`]). The loop over the pages of a listing, its limits,
//! the progress line and the merging into the export are written once, around it.

use chrono::{DateTime, Utc};
use reqwest::Url;
use reqwest::header::HeaderName;
use serde_json::Value;

use super::FetchError;
use super::client::{ApiClient, Pages};
use super::export::{self, Layout};

/// A provider's REST API: where its runs and deployments are listed and how its pages hold
/// them, how a token goes out, and what to say when it refuses one.
pub trait Api {
    /// "GitHub", "GitLab": for messages.
    fn name(&self) -> &'static str;
    fn default_api_url(&self) -> &'static str;
    fn default_token_env(&self) -> &'static str;
    /// Said after "unauthenticated requests have a low rate limit" when no token is set.
    fn anonymous_limit(&self) -> &'static str {
        ""
    }
    /// What a token needs to read runs, for the 403 hint.
    fn scope_hint(&self) -> &'static str;
    /// The header that carries `token`, and its value.
    fn token_header(&self, token: &str) -> (HeaderName, String);
    /// Headers every request carries, besides the token.
    fn headers(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// What the requests are about, for messages: `OWNER/NAME` or the GitLab project.
    fn project(&self) -> &str;
    /// What else a 404 may be about (GitHub's workflow).
    fn detail(&self) -> Option<&str> {
        None
    }
    /// The export the runs are written to.
    fn layout(&self) -> &'static Layout;

    /// The first page of the runs, filtered to `since` where the API can filter them.
    fn runs_url(&self, client: &ApiClient, since: Option<DateTime<Utc>>) -> Url;
    /// The member of a runs page that holds the runs; `None` when the page is the list.
    fn runs_key(&self) -> Option<&'static str> {
        None
    }
    /// The first page of the deployments, filtered to `since` where the API can.
    fn deployments_url(&self, client: &ApiClient, since: Option<DateTime<Utc>>) -> Url;

    /// Every run since `since`: one listing, unless the API needs more (GitHub's cap).
    fn runs(
        &self,
        client: &ApiClient,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Value>, FetchError> {
        let first = self.runs_url(client, since);
        collect(client, client.pages(first), Items::counted(self.runs_key()))
    }

    /// Every deployment since `since`, as the API lists them.
    fn deployments(
        &self,
        client: &ApiClient,
        since: Option<DateTime<Utc>>,
    ) -> Result<Vec<Value>, FetchError> {
        let first = self.deployments_url(client, since);
        collect(client, client.pages(first), Items::counted(None))
    }
}

/// How the pages of one listing hold its objects, and which of them to keep.
#[derive(Clone, Copy)]
pub struct Items {
    /// The member of a page that holds the objects; `None` when the page is the list.
    key: Option<&'static str>,
    /// For a listing the server cannot filter by date, newest first: keep the objects created
    /// on or after this, and stop at the first page that reaches older ones.
    newest_first_since: Option<DateTime<Utc>>,
    /// Whether the objects count on the progress line (a deployment's statuses do not).
    counted: bool,
}

impl Items {
    pub fn counted(key: Option<&'static str>) -> Items {
        Items {
            key,
            newest_first_since: None,
            counted: true,
        }
    }

    pub fn uncounted(key: Option<&'static str>) -> Items {
        Items {
            counted: false,
            ..Items::counted(key)
        }
    }

    pub fn newest_first_since(self, since: Option<DateTime<Utc>>) -> Items {
        Items {
            newest_first_since: since,
            ..self
        }
    }
}

/// The one loop over the pages of a listing (the client bounds how many there are): the
/// objects of each page, counted on the progress line.
pub fn collect(
    client: &ApiClient,
    pages: Pages<'_, '_>,
    items: Items,
) -> Result<Vec<Value>, FetchError> {
    let mut found = Vec::new();
    for page in pages {
        let (url, body) = page?;
        let mut list = export::listed(body, items.key, url.as_str())?;
        let before = list.len();
        if let Some(since) = items.newest_first_since {
            list.retain(|object| created_at(object).is_none_or(|t| t >= since));
        }
        let reached_older = list.len() < before;
        if items.counted {
            client.count(list.len());
        }
        found.extend(list);
        if reached_older {
            break;
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
