//! One HTTP client for both providers: the token only for the API host, pagination links,
//! rate-limit waits, and bounded retries of server faults.

use std::cell::Cell;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use indicatif::ProgressBar;
use reqwest::StatusCode;
use reqwest::Url;
use reqwest::blocking::{Client, Response};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, LOCATION};
use serde_json::Value;

use super::FetchError;

/// Retries of a 5xx answer or a connection error, after the first attempt (1 s, 2 s, 4 s).
const RETRIES: u32 = 3;
/// Rate-limit answers in a row for one request before giving up: a server that keeps saying
/// "retry after 0 s" must not keep us looping.
const RATE_LIMIT_ROUNDS: u32 = 10;
const REDIRECTS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    GitHub,
    GitLab,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::GitHub => "GitHub",
            Provider::GitLab => "GitLab",
        }
    }

    pub fn default_token_env(self) -> &'static str {
        match self {
            Provider::GitHub => "GITHUB_TOKEN",
            Provider::GitLab => "GITLAB_TOKEN",
        }
    }

    pub fn default_api_url(self) -> &'static str {
        match self {
            Provider::GitHub => "https://api.github.com",
            Provider::GitLab => "https://gitlab.com/api/v4",
        }
    }

    /// What a token needs to read runs, for the 403 hint.
    fn scope_hint(self) -> &'static str {
        match self {
            Provider::GitHub => {
                "it needs the actions:read permission (fine-grained token) or the repo scope (classic token)"
            }
            Provider::GitLab => "it needs the read_api scope and at least the Reporter role",
        }
    }
}

/// What the requests are about, so errors can name it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub provider: Provider,
    /// `OWNER/NAME` or the GitLab project.
    pub name: String,
    /// Extra detail for a 404, such as the workflow.
    pub detail: Option<String>,
    pub token_env: String,
}

/// A token that must not leak: no `Debug`, no `Display`.
struct Token(String);

pub struct ApiClient {
    http: Client,
    base: Url,
    token: Option<Token>,
    subject: Subject,
    max_wait: u64,
    wait_scale: f64,
    progress: ProgressBar,
    pages: Cell<u64>,
    items: Cell<u64>,
    label: Cell<&'static str>,
}

impl Drop for ApiClient {
    /// Clears the progress line on every way out, so an error prints on a clean line.
    fn drop(&mut self) {
        self.progress.finish_and_clear();
    }
}

/// A success read whole, or any other answer to look at.
enum Answer {
    Body(Url, HeaderMap, String),
    Status(Response),
}

/// One page of a listing: its JSON body and the next page's URL.
pub struct Page {
    pub body: Value,
    pub next: Option<Url>,
}

impl ApiClient {
    pub fn new(
        base: Url,
        token: Option<String>,
        subject: Subject,
        max_wait: u64,
        progress: ProgressBar,
    ) -> Result<ApiClient, FetchError> {
        let http = Client::builder()
            .user_agent(concat!("valueflow/", env!("CARGO_PKG_VERSION")))
            // Redirects are followed here, so the token host check applies to each hop.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(30))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|err| FetchError::Client {
                reason: chain(&err),
            })?;
        let client = ApiClient {
            http,
            base,
            token: token.map(Token),
            subject,
            max_wait,
            wait_scale: wait_scale(),
            progress,
            pages: Cell::new(0),
            items: Cell::new(0),
            label: Cell::new("runs"),
        };
        client.show();
        Ok(client)
    }

    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    pub fn progress(&self) -> &ProgressBar {
        &self.progress
    }

    /// What the progress line counts from now on ("runs", "deployments"…), from zero.
    pub fn counting(&self, label: &'static str) {
        self.label.set(label);
        self.items.set(0);
        self.show();
    }

    /// Adds listed objects to the progress line.
    pub fn count(&self, items: usize) {
        self.items.set(self.items.get() + items as u64);
        self.show();
    }

    fn show(&self) {
        self.progress.set_message(format!(
            "{} {}: {} pages, {} {}",
            self.subject.provider.name(),
            self.subject.name,
            self.pages.get(),
            self.items.get(),
            self.label.get()
        ));
    }

    /// Prints a line on stderr without tearing the progress bar.
    pub fn say(&self, line: &str) {
        self.progress.suspend(|| eprintln!("{line}"));
    }

    /// `base` + path segments (each one percent-encoded, so `group/name` becomes one segment).
    pub fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// GETs a JSON page, waiting out rate limits and retrying server faults.
    pub fn get_page(&self, url: &Url) -> Result<Page, FetchError> {
        let (final_url, headers, text) = self.send(url)?;
        self.pages.set(self.pages.get() + 1);
        self.show();
        let body: Value = serde_json::from_str(&text).map_err(|err| FetchError::BadResponse {
            url: url.to_string(),
            reason: format!("the body is not JSON ({err})"),
        })?;
        Ok(Page {
            body,
            next: next_page(&final_url, &headers),
        })
    }

    /// The final URL, headers and body of a successful answer.
    fn send(&self, url: &Url) -> Result<(Url, HeaderMap, String), FetchError> {
        let mut url = url.clone();
        let mut faults = 0;
        let mut rate_limited = 0;
        let mut redirects = 0;
        loop {
            // A body cut off half-way is a connection fault like a refused connection.
            let result = self.request(&url).send().and_then(|response| {
                if response.status().is_success() {
                    let headers = response.headers().clone();
                    let final_url = response.url().clone();
                    response
                        .text()
                        .map(|text| Answer::Body(final_url, headers, text))
                } else {
                    Ok(Answer::Status(response))
                }
            });
            let response = match result {
                Ok(Answer::Body(final_url, headers, text)) => {
                    return Ok((final_url, headers, text));
                }
                Ok(Answer::Status(response)) => response,
                Err(err) => {
                    if faults < RETRIES {
                        self.backoff(faults, &url, "the connection failed");
                        faults += 1;
                        continue;
                    }
                    return Err(FetchError::Connection {
                        url: url.to_string(),
                        attempts: faults + 1,
                        reason: chain(&err),
                    });
                }
            };
            let status = response.status();
            if status.is_redirection()
                && let Some(next) = location(&url, response.headers())
            {
                redirects += 1;
                if redirects > REDIRECTS {
                    return Err(FetchError::BadResponse {
                        url: url.to_string(),
                        reason: format!("more than {REDIRECTS} redirects"),
                    });
                }
                url = next;
                continue;
            }
            if let Some(wait) = rate_limit_wait(status, response.headers(), Utc::now()) {
                rate_limited += 1;
                if rate_limited > RATE_LIMIT_ROUNDS {
                    return Err(FetchError::StillRateLimited {
                        provider: self.subject.provider.name(),
                        url: url.to_string(),
                        rounds: RATE_LIMIT_ROUNDS,
                    });
                }
                if wait.seconds > self.max_wait {
                    return Err(FetchError::RateLimited {
                        provider: self.subject.provider.name(),
                        url: url.to_string(),
                        wait: wait.seconds,
                        until: clock(wait.until),
                        max_wait: self.max_wait,
                    });
                }
                self.say(&format!(
                    "waiting {} s for the {} rate limit to reset (until {} UTC)",
                    wait.seconds,
                    self.subject.provider.name(),
                    clock(wait.until)
                ));
                self.sleep(wait.seconds as f64);
                continue;
            }
            if status.is_server_error() {
                if faults < RETRIES {
                    self.backoff(faults, &url, &format!("the server answered {status}"));
                    faults += 1;
                    continue;
                }
                return Err(FetchError::ServerFault {
                    provider: self.subject.provider.name(),
                    url: url.to_string(),
                    status: status.to_string(),
                    attempts: faults + 1,
                });
            }
            return Err(self.refusal(status, &url));
        }
    }

    fn request(&self, url: &Url) -> reqwest::blocking::RequestBuilder {
        let mut request = self.http.get(url.clone());
        if self.subject.provider == Provider::GitHub {
            request = request
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28");
        }
        if let Some(token) = &self.token
            && same_origin(url, &self.base)
        {
            let (name, value) = match self.subject.provider {
                Provider::GitHub => (AUTHORIZATION, format!("Bearer {}", token.0)),
                Provider::GitLab => (HeaderName::from_static("private-token"), token.0.clone()),
            };
            // The token was checked to be a valid header value when it was read.
            if let Ok(mut value) = HeaderValue::from_str(&value) {
                // Keeps the token out of reqwest's own debug output.
                value.set_sensitive(true);
                request = request.header(name, value);
            }
        }
        request
    }

    fn backoff(&self, attempt: u32, url: &Url, why: &str) {
        let seconds = 2u64.pow(attempt);
        self.say(&format!(
            "{why} for {url}; retrying in {seconds} s ({} of {RETRIES})",
            attempt + 1
        ));
        self.sleep(seconds as f64);
    }

    fn sleep(&self, seconds: f64) {
        let scaled = seconds * self.wait_scale;
        if scaled > 0.0 {
            std::thread::sleep(Duration::from_secs_f64(scaled));
        }
    }

    /// A 4xx that waiting will not fix: say what to check.
    fn refusal(&self, status: StatusCode, url: &Url) -> FetchError {
        let subject = &self.subject;
        let provider = subject.provider.name();
        let token_env = &subject.token_env;
        let token = if self.token.is_some() {
            format!("the token in {token_env}")
        } else {
            format!("no token was sent ({token_env} is not set)")
        };
        match status {
            StatusCode::UNAUTHORIZED => FetchError::Unauthorized {
                provider,
                name: subject.name.clone(),
                hint: if self.token.is_some() {
                    format!("{token} is missing or invalid (expired or revoked?)")
                } else {
                    format!("{token}; set it to a token that can read the project")
                },
            },
            StatusCode::FORBIDDEN => FetchError::Forbidden {
                provider,
                name: subject.name.clone(),
                hint: if self.token.is_some() {
                    format!("{token} may not read it: {}", subject.provider.scope_hint())
                } else {
                    format!("{token}; {}", subject.provider.scope_hint())
                },
            },
            StatusCode::NOT_FOUND => FetchError::NotFound {
                provider,
                name: match &subject.detail {
                    Some(detail) => format!("{} ({detail})", subject.name),
                    None => subject.name.clone(),
                },
                url: url.to_string(),
                hint: if self.token.is_some() {
                    format!("check the name, and that {token} can see private projects")
                } else {
                    format!("check the name; private projects need a token in {token_env}")
                },
            },
            _ => FetchError::Refused {
                provider,
                url: url.to_string(),
                status: status.to_string(),
            },
        }
    }
}

/// An error and its causes on one line (reqwest keeps the useful part in the sources).
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// Test hook: `VALUEFLOW_WAIT_SCALE` (a float, default 1) multiplies every sleep, rate-limit
/// waits and retry backoff alike, so tests can run the waiting paths at full logic and no
/// delay. The limits (`--max-wait`) still apply to the unscaled waits.
fn wait_scale() -> f64 {
    std::env::var("VALUEFLOW_WAIT_SCALE")
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|scale| scale.is_finite() && *scale >= 0.0)
        .unwrap_or(1.0)
}

/// Scheme, host and port all equal: only then does a request carry the token.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

fn location(url: &Url, headers: &HeaderMap) -> Option<Url> {
    let text = headers.get(LOCATION)?.to_str().ok()?;
    url.join(text).ok()
}

#[derive(Debug, PartialEq, Eq)]
pub struct Wait {
    pub seconds: u64,
    pub until: DateTime<Utc>,
}

/// 429, or a 403 that says the limit is spent (`x-ratelimit-remaining: 0`) or asks to retry
/// later (GitHub's secondary limit): how long to wait. `retry-after` first, else the reset time
/// (`x-ratelimit-reset` on GitHub, `ratelimit-reset` on GitLab, both epoch seconds), else a
/// minute as GitHub's documentation advises.
pub fn rate_limit_wait(
    status: StatusCode,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Option<Wait> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let exhausted =
        header("x-ratelimit-remaining") == Some("0") || header("ratelimit-remaining") == Some("0");
    let retry_after = header("retry-after").and_then(|v| v.parse::<u64>().ok());
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN && (exhausted || retry_after.is_some()));
    if !limited {
        return None;
    }
    let seconds = match retry_after {
        Some(seconds) => seconds,
        None => {
            let reset = header("x-ratelimit-reset")
                .or_else(|| header("ratelimit-reset"))
                .and_then(|v| v.parse::<i64>().ok())
                .and_then(|epoch| DateTime::from_timestamp(epoch, 0));
            match reset {
                // One second more: the reset instant is rounded down.
                Some(reset) => u64::try_from((reset - now).num_seconds().max(0)).unwrap_or(0) + 1,
                None => 60,
            }
        }
    };
    let until = now + TimeDelta::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 1000));
    Some(Wait { seconds, until })
}

fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// The next page: `Link: <…>; rel="next"` (an opaque URL), else GitLab's `x-next-page` number
/// applied to the current URL; an empty `x-next-page` means this was the last page.
pub fn next_page(current: &Url, headers: &HeaderMap) -> Option<Url> {
    if let Some(link) = headers
        .get_all("link")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(link_next)
    {
        return current.join(&link).ok();
    }
    let page = headers.get("x-next-page")?.to_str().ok()?.trim();
    if page.is_empty() {
        return None;
    }
    let mut next = current.clone();
    let pairs: Vec<(String, String)> = current
        .query_pairs()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    next.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair("page", page);
    Some(next)
}

/// The `rel="next"` target of a `Link` header value.
pub fn link_next(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let part = part.trim();
        let start = part.find('<')?;
        let end = part.find('>')?;
        let target = part.get(start + 1..end)?;
        let is_next = part[end + 1..].split(';').any(|param| {
            let Some((key, value)) = param.split_once('=') else {
                return false;
            };
            key.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        is_next.then(|| target.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn link_next_from_recorded_github_header() {
        // Recorded from api.github.com (ReDASers/PhishBench, fixtures/ci README).
        let link = "<https://api.github.com/repositories/146139403/actions/runs?exclude_pull_requests=1&page=2>; rel=\"next\", <https://api.github.com/repositories/146139403/actions/runs?exclude_pull_requests=1&page=20>; rel=\"last\"";
        assert_eq!(
            link_next(link).as_deref(),
            Some(
                "https://api.github.com/repositories/146139403/actions/runs?exclude_pull_requests=1&page=2"
            )
        );
        let last_page = "<https://x/a?page=1>; rel=\"first\", <https://x/a?page=19>; rel=\"prev\"";
        assert_eq!(link_next(last_page), None);
    }

    #[test]
    fn gitlab_next_page_number_replaces_page() {
        let url =
            Url::parse("https://gitlab.example/api/v4/projects/1/pipelines?per_page=100&page=2")
                .unwrap();
        let next = next_page(&url, &headers(&[("x-next-page", "3")])).unwrap();
        assert_eq!(
            next.as_str(),
            "https://gitlab.example/api/v4/projects/1/pipelines?per_page=100&page=3"
        );
        assert_eq!(next_page(&url, &headers(&[("x-next-page", "")])), None);
    }

    #[test]
    fn rate_limit_waits() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
        let reset = (now.timestamp() + 41).to_string();
        let spent = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", &reset),
        ]);
        let wait = rate_limit_wait(StatusCode::FORBIDDEN, &spent, now).unwrap();
        assert_eq!(wait.seconds, 42);
        assert_eq!(clock(wait.until), "12:00:42");

        let retry = headers(&[("retry-after", "30")]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &retry, now).unwrap();
        assert_eq!(wait.seconds, 30);

        // GitLab: 429 with RateLimit-Reset.
        let gitlab = headers(&[("ratelimit-remaining", "0"), ("ratelimit-reset", &reset)]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &gitlab, now).unwrap();
        assert_eq!(wait.seconds, 42);

        // A plain 403 is a permission problem, not a rate limit.
        let plain = headers(&[("x-ratelimit-remaining", "4999")]);
        assert_eq!(rate_limit_wait(StatusCode::FORBIDDEN, &plain, now), None);
    }

    #[test]
    fn token_only_for_the_api_origin() {
        let base = Url::parse("https://api.github.com").unwrap();
        assert!(same_origin(
            &Url::parse("https://api.github.com:443/repos/a/b").unwrap(),
            &base
        ));
        assert!(!same_origin(
            &Url::parse("http://api.github.com/repos/a/b").unwrap(),
            &base
        ));
        assert!(!same_origin(
            &Url::parse("https://evil.example/repos/a/b").unwrap(),
            &base
        ));
    }
}
