//! Export CI runs from provider APIs into files that `--ci` reads.
//!
//! A [`Request`] says what to fetch. Each provider is an [`api::Api`] ([`github`], [`gitlab`])
//! that says only what differs: endpoints, how pages hold their objects, the token header,
//! GitHub's split of date ranges over its cap. One [`client::ApiClient`] does every request
//! (token host check, pagination, rate limits, retries), [`api::collect`] is the one loop over
//! the pages of a listing, and [`export`] merges the objects by id into the existing file and
//! writes it atomically.

mod api;
pub mod client;
mod export;
mod github;
mod gitlab;
mod pulls;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reqwest::Url;
use thiserror::Error;

use crate::events::window::{parse_instant, span_before};
use api::Api;
use client::{ApiClient, Sleep};
use export::Fetched;

/// One fetch, in plain values: what to list, from where, and into which file.
#[derive(Debug, Clone)]
pub struct Request {
    pub source: Source,
    /// `YYYY-MM-DD`, RFC 3339, or a span before now such as `30d`, as the user gave it.
    pub since: Option<String>,
    /// Also export deployments (GitHub's with their statuses).
    pub deployments: bool,
    /// Export merged pull requests instead of runs (GitHub), for `measure --prs`.
    pub pull_requests: bool,
    /// The API root, when not the provider's public one.
    pub api_url: Option<String>,
    /// The variable that holds the token, when not the provider's default.
    pub token_env: Option<String>,
    /// Longest rate-limit wait, in seconds, before giving up.
    pub max_wait: u64,
    pub output: PathBuf,
    /// How rate-limit waits and retry backoff are slept.
    pub sleep: Sleep,
}

/// The provider and what to list there.
#[derive(Debug, Clone)]
pub enum Source {
    GitHub {
        /// `OWNER/NAME`.
        repo: String,
        /// A workflow file name or id.
        workflow: Option<String>,
    },
    GitLab {
        /// A numeric id or a path such as `group/name`.
        project: String,
    },
}

#[derive(Debug, Error)]
pub enum FetchError {
    #[error(
        "--since {value:?} is not a date: expected YYYY-MM-DD, RFC 3339 (2026-11-24T09:30:00Z) or a span before now such as 30d, 12w, 6m"
    )]
    BadSince { value: String },
    #[error(
        "--repo {value:?} is not OWNER/NAME (letters, digits, _ . -, neither part . or ..): give it as it appears in github.com/OWNER/NAME"
    )]
    BadRepo { value: String },
    #[error(
        "--workflow {value:?} is not a workflow file name or id: give the file name in .github/workflows (such as deploy.yml, no /) or the numeric id"
    )]
    BadWorkflow { value: String },
    #[error(
        "--project {value:?} is not a project id or path: give the numeric project id or its path such as group/name (letters, digits, _ . -, no . or .. parts)"
    )]
    BadProject { value: String },
    #[error(
        "--api-url {value:?} is not an http(s) URL ({reason}); for example https://github.example.com/api/v3"
    )]
    BadApiUrl { value: String, reason: String },
    #[error(
        "--token-env {name}: the environment variable {name} is not set; export it or leave --token-env out"
    )]
    TokenEnvUnset { name: String },
    #[error("the token in {name} has characters that cannot go in an HTTP header; copy it again")]
    TokenUnusable { name: String },
    #[error("cannot start the HTTP client: {reason}")]
    Client { reason: String },
    #[error(
        "cannot reach {url} after {attempts} attempts: {reason}; check the network and --api-url"
    )]
    Connection {
        url: String,
        attempts: u32,
        reason: String,
    },
    #[error(
        "{provider} answered {status} for {url} after {attempts} attempts; the service may be having trouble, try again later"
    )]
    ServerFault {
        provider: &'static str,
        url: String,
        status: String,
        attempts: u32,
    },
    #[error(
        "the {provider} rate limit resets in {wait} s ({until}), longer than --max-wait {max_wait} s, for {url}; run again later or raise --max-wait"
    )]
    RateLimited {
        provider: &'static str,
        url: String,
        wait: u64,
        until: String,
        max_wait: u64,
    },
    #[error(
        "{provider} still refused {url} for its rate limit after {rounds} waits; run again later"
    )]
    StillRateLimited {
        provider: &'static str,
        url: String,
        rounds: u32,
    },
    #[error("{provider} answered 401 Unauthorized for {name}: {hint}")]
    Unauthorized {
        provider: &'static str,
        name: String,
        hint: String,
    },
    #[error("{provider} answered 403 Forbidden for {name}: {hint}")]
    Forbidden {
        provider: &'static str,
        name: String,
        hint: String,
    },
    #[error("{provider} answered 404 Not Found for {name} ({url}): {hint}")]
    NotFound {
        provider: &'static str,
        name: String,
        url: String,
        hint: String,
    },
    #[error("{provider} answered {status} for {url}; check the options given")]
    Refused {
        provider: &'static str,
        url: String,
        status: String,
    },
    #[error("unexpected answer from {url}: {reason}; is --api-url the API root?")]
    BadResponse { url: String, reason: String },
    #[error("cannot lock {path}: {reason}")]
    Lock { path: PathBuf, reason: String },
    #[error(
        "{path} stayed locked for {seconds} s: another valueflow fetch is writing {output}; try again when it is done"
    )]
    LockTimeout {
        path: PathBuf,
        output: PathBuf,
        seconds: u64,
    },
    #[error(
        "{path} is not a {provider} export ({reason}); it was left as it is: choose another -o file"
    )]
    BadExport {
        path: PathBuf,
        provider: &'static str,
        reason: String,
    },
}

/// Lists what `request` asks for and merges it into its export.
pub fn fetch(request: &Request) -> Result<()> {
    let api: Box<dyn Api> = match &request.source {
        Source::GitHub { repo, workflow } => {
            Box::new(github::GitHub::new(repo, workflow.as_deref())?)
        }
        Source::GitLab { project } => Box::new(gitlab::GitLab::new(project)?),
    };
    if request.pull_requests {
        return fetch_pull_requests(api.as_ref(), request);
    }
    let session = Session::start(api.as_ref(), request)?;
    let client = &session.client;
    client.counting(api.layout().runs);
    let runs = api.runs(client, session.since)?;
    let deployments = if request.deployments {
        client.counting("deployments");
        Some(api.deployments(client, session.since)?)
    } else {
        None
    };
    session.finish(Fetched { runs, deployments })
}

/// Merged pull requests since `--since` (default 90 days ago) minus
/// [`pulls::LONGEST_RELEASE_GAP`], merged by number into the export at `-o`.
fn fetch_pull_requests(api: &dyn Api, request: &Request) -> Result<()> {
    let Source::GitHub { repo, .. } = &request.source else {
        anyhow::bail!(
            "--merge-requests is not supported yet: export GitLab merge requests by hand in the \
             --prs format (docs/measures.md, Pull-request exports)"
        );
    };
    pulls::check_existing(&request.output)?;
    let session = Session::start_without_export(api, request)?;
    let since = session
        .since
        .unwrap_or_else(|| Utc::now() - pulls::DEFAULT_SINCE);
    let bound = since - pulls::LONGEST_RELEASE_GAP;
    let (owner, name) = repo.split_once('/').unwrap_or((repo, ""));
    let client = &session.client;
    client.counting("pull requests");
    let fetched = pulls::merged_since(client, owner, name, bound)?;
    client.progress().finish_and_clear();
    let count = pulls::write(&session.output, fetched)?;
    eprintln!(
        "fetched {} merged since {} into {}",
        if count == 1 {
            "1 pull request".to_string()
        } else {
            format!("{} pull requests", thousands(count))
        },
        bound.format("%Y-%m-%d"),
        session.output.display()
    );
    Ok(())
}

/// What every fetch needs before the first request.
struct Session<'a> {
    client: ApiClient<'a>,
    since: Option<DateTime<Utc>>,
    output: PathBuf,
}

impl<'a> Session<'a> {
    /// Checks everything local first (dates, URL, token, the existing export), so a mistake
    /// costs no requests.
    fn start(api: &'a dyn Api, request: &Request) -> Result<Session<'a>, FetchError> {
        // Read now only to refuse a file that is not an export before any request; `finish`
        // reads it again under the lock.
        export::load(&request.output, api.layout())?;
        Session::start_without_export(api, request)
    }

    /// As `start`, for an output that is not a runs export (pull requests).
    fn start_without_export(
        api: &'a dyn Api,
        request: &Request,
    ) -> Result<Session<'a>, FetchError> {
        let now = Utc::now();
        let since = match &request.since {
            Some(text) => Some(
                parse_instant(text)
                    .or_else(|| span_before(text, now))
                    .ok_or_else(|| FetchError::BadSince {
                        value: text.clone(),
                    })?,
            ),
            None => None,
        };
        let base = api_base(api.default_api_url(), request.api_url.as_deref())?;
        let token_env = request
            .token_env
            .clone()
            .unwrap_or_else(|| api.default_token_env().to_string());
        let token = token(&token_env, request.token_env.is_some())?;
        let progress = progress_bar();
        if token.is_none() {
            progress.suspend(|| {
                eprintln!(
                    "note: {token_env} is not set: unauthenticated requests have a low rate limit{} and cannot see private projects",
                    api.anonymous_limit()
                )
            });
        }
        let client = ApiClient::new(
            api,
            base,
            token,
            token_env,
            request.max_wait,
            request.sleep,
            progress,
        )?;
        Ok(Session {
            client,
            since,
            output: request.output.clone(),
        })
    }

    /// Merges into the export as it is now, writes it atomically, says what happened.
    fn finish(self, fetched: Fetched) -> Result<()> {
        self.client.progress().finish_and_clear();
        let layout = self.client.api().layout();
        let summary = export::summary(layout, &fetched);
        // Another fetch into the same file may have written it since `start` read it: read it
        // again under the lock, or the runs that fetch wrote would be lost.
        let _lock = export::lock(&self.output, export::LOCK_WAIT)?;
        let existing = export::load(&self.output, layout)?;
        let merged = export::merge(layout, existing, fetched);
        export::write(&self.output, &merged.value)?;
        eprintln!(
            "{summary} into {}{}",
            self.output.display(),
            match merged.already_there {
                0 => String::new(),
                n => format!(" (merged with {} already there)", thousands(n)),
            }
        );
        Ok(())
    }
}

fn api_base(default: &str, given: Option<&str>) -> Result<Url, FetchError> {
    let text = given.unwrap_or(default);
    let bad = |reason: String| FetchError::BadApiUrl {
        value: client::redact(text),
        reason,
    };
    let url = Url::parse(text.trim_end_matches('/')).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("no http(s) scheme and host".to_string()));
    }
    if url.query().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(bad("no query or credentials belong in it".to_string()));
    }
    Ok(url)
}

/// The token, if any. An empty variable counts as unset. A variable named with
/// `--token-env` must exist: the user asked for it.
fn token(name: &str, named_by_user: bool) -> Result<Option<String>, FetchError> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => {
            let value = value.trim();
            if reqwest::header::HeaderValue::from_str(value).is_err() {
                return Err(FetchError::TokenUnusable {
                    name: name.to_string(),
                });
            }
            Ok(Some(value.to_string()))
        }
        _ if named_by_user => Err(FetchError::TokenEnvUnset {
            name: name.to_string(),
        }),
        _ => Ok(None),
    }
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn api_base_rejects_what_is_not_an_api_root() {
        assert!(api_base("https://api.github.com", None).is_ok());
        assert_eq!(
            api_base(
                "https://gitlab.com/api/v4",
                Some("https://git.example/api/v4/")
            )
            .unwrap()
            .as_str(),
            "https://git.example/api/v4"
        );
        assert!(api_base("https://api.github.com", Some("ftp://x")).is_err());
        let err = api_base("https://api.github.com", Some("https://u:hunter2@x")).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
