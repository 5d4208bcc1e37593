//! Export CI runs from provider APIs into files that `--ci` reads.
//!
//! Each provider module lists what it needs through one [`client::ApiClient`] (token host
//! check, pagination, rate limits, retries) and hands the objects, untouched, to
//! [`export`], which merges them by id into the existing file and writes it atomically.

pub mod client;
mod export;
mod github;
mod gitlab;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reqwest::Url;
use thiserror::Error;

use crate::cli::{FetchCommand, FetchCommon};
use crate::window::{parse_instant, span_before};
use client::{ApiClient, Provider, Subject};
use export::Fetched;

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

pub fn run(cmd: &FetchCommand) -> Result<()> {
    match cmd {
        FetchCommand::Github(args) => github::fetch(args),
        FetchCommand::Gitlab(args) => gitlab::fetch(args),
    }
}

/// What every fetch needs before the first request.
struct Session {
    client: ApiClient,
    since: Option<DateTime<Utc>>,
    output: PathBuf,
}

impl Session {
    /// Checks everything local first (dates, URL, token, the existing export), so a mistake
    /// costs no requests.
    fn start(
        provider: Provider,
        common: &FetchCommon,
        name: String,
        detail: Option<String>,
    ) -> Result<Session, FetchError> {
        let now = Utc::now();
        let since = match &common.since {
            Some(text) => Some(
                parse_instant(text)
                    .or_else(|| span_before(text, now))
                    .ok_or_else(|| FetchError::BadSince {
                        value: text.clone(),
                    })?,
            ),
            None => None,
        };
        let base = api_base(provider, common.api_url.as_deref())?;
        // Read now only to refuse a file that is not an export before any request; `finish`
        // reads it again under the lock.
        export::load(&common.output, provider)?;
        let token_env = common
            .token_env
            .clone()
            .unwrap_or_else(|| provider.default_token_env().to_string());
        let token = token(&token_env, common.token_env.is_some())?;
        let progress = progress_bar();
        if token.is_none() {
            progress.suspend(|| {
                eprintln!(
                    "note: {token_env} is not set: unauthenticated requests have a low rate limit{} and cannot see private projects",
                    match provider {
                        Provider::GitHub => " (60 an hour)",
                        Provider::GitLab => "",
                    }
                )
            });
        }
        let subject = Subject {
            provider,
            name,
            detail,
            token_env,
        };
        // The integration tests run the binary, so no sleeper can be handed to it in the code;
        // their hidden `--skip-waits` does.
        let sleep: client::Sleep = if common.skip_waits {
            |_| {}
        } else {
            std::thread::sleep
        };
        let client = ApiClient::new(base, token, subject, common.max_wait, sleep, progress)?;
        Ok(Session {
            client,
            since,
            output: common.output.clone(),
        })
    }

    /// Merges into the export as it is now, writes it atomically, says what happened.
    fn finish(self, fetched: Fetched) -> Result<()> {
        self.client.progress().finish_and_clear();
        let provider = self.client.subject().provider;
        let summary = export::summary(provider, &fetched);
        // Another fetch into the same file may have written it since `start` read it: read it
        // again under the lock, or the runs that fetch wrote would be lost.
        let _lock = export::lock(&self.output, export::LOCK_WAIT)?;
        let existing = export::load(&self.output, provider)?;
        let merged = export::merge(provider, existing, fetched);
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

fn api_base(provider: Provider, given: Option<&str>) -> Result<Url, FetchError> {
    let text = given.unwrap_or(provider.default_api_url());
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
        assert!(api_base(Provider::GitHub, None).is_ok());
        assert_eq!(
            api_base(Provider::GitLab, Some("https://git.example/api/v4/"))
                .unwrap()
                .as_str(),
            "https://git.example/api/v4"
        );
        assert!(api_base(Provider::GitHub, Some("ftp://x")).is_err());
        let err = api_base(Provider::GitHub, Some("https://u:hunter2@x")).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
