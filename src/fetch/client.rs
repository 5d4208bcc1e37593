//! One HTTP client for both providers: the token only for the API host, pagination links,
//! rate-limit waits, and bounded retries of server faults.

use std::cell::Cell;
use std::collections::HashSet;
use std::io::Read;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use indicatif::ProgressBar;
use reqwest::StatusCode;
use reqwest::Url;
use reqwest::blocking::{Client, Response};
use reqwest::header::{HeaderMap, HeaderValue, LOCATION};
use serde_json::Value;

use super::FetchError;
use super::api::Api;

/// Retries of a 5xx answer or a connection error, after the first attempt (1 s, 2 s, 4 s).
const RETRIES: u32 = 3;
/// Rate-limit answers in a row for one request before giving up: a server that keeps saying
/// "retry after 0 s" must not keep us looping.
const RATE_LIMIT_ROUNDS: u32 = 10;
const REDIRECTS: u32 = 5;
/// The largest page body read, in bytes. A real page of 100 runs is well under 1 MB; the cap
/// stops a broken or hostile server from filling memory with one endless answer.
pub const PAGE_BYTES: u64 = 64 * 1024 * 1024;
/// The most pages one listing follows. 10,000 pages of 100 are a million runs, more than any
/// project has; a server whose `next` links never end must not keep us going.
pub const LISTING_PAGES: usize = 10_000;

/// How the client sleeps through a rate-limit wait or a retry backoff: `std::thread::sleep`,
/// or, where the waiting paths are tested, a function that returns at once (the waits are
/// still decided, bounded by `--max-wait` and reported).
pub type Sleep = fn(Duration);

/// A token that must not leak: no `Debug`, no `Display`.
struct Token(String);

pub struct ApiClient<'a> {
    http: Client,
    base: Url,
    token: Option<Token>,
    /// The variable the token came from (or would have), for hints.
    token_env: String,
    api: &'a dyn Api,
    max_wait: u64,
    sleep: Sleep,
    progress: ProgressBar,
    pages: Cell<u64>,
    items: Cell<u64>,
    label: Cell<&'static str>,
}

impl Drop for ApiClient<'_> {
    /// Clears the progress line on every way out, so an error prints on a clean line.
    fn drop(&mut self) {
        self.progress.finish_and_clear();
    }
}

/// One page of a listing: its JSON body and the next page's URL.
pub struct Page {
    pub body: Value,
    pub next: Option<Url>,
}

impl<'a> ApiClient<'a> {
    pub fn new(
        api: &'a dyn Api,
        base: Url,
        token: Option<String>,
        token_env: String,
        max_wait: u64,
        sleep: Sleep,
        progress: ProgressBar,
    ) -> Result<ApiClient<'a>, FetchError> {
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
            token_env,
            api,
            max_wait,
            sleep,
            progress,
            pages: Cell::new(0),
            items: Cell::new(0),
            label: Cell::new("runs"),
        };
        client.show();
        Ok(client)
    }

    pub fn api(&self) -> &'a dyn Api {
        self.api
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
            self.api.name(),
            self.api.project(),
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
        let (final_url, headers, bytes) = self.send(url)?;
        self.pages.set(self.pages.get() + 1);
        self.show();
        let body: Value =
            serde_json::from_slice(&bytes).map_err(|err| FetchError::BadResponse {
                url: redact(url.as_str()),
                reason: format!("the body is not JSON ({err})"),
            })?;
        Ok(Page {
            body,
            next: next_page(&final_url, &headers),
        })
    }

    /// The pages of a listing from `first` on, following `next` links.
    pub fn pages(&self, first: Url) -> Pages<'_, 'a> {
        Pages {
            client: self,
            read: None,
            next: Some(first),
            seen: HashSet::new(),
        }
    }

    /// The pages of a listing whose first page, at `url`, was read already: that one, then
    /// the rest.
    pub fn pages_after(&self, url: Url, page: Page) -> Pages<'_, 'a> {
        Pages {
            client: self,
            read: Some((url.clone(), page.body)),
            next: page.next,
            seen: HashSet::from([url]),
        }
    }

    /// The final URL, headers and body of a successful answer.
    fn send(&self, url: &Url) -> Result<(Url, HeaderMap, Vec<u8>), FetchError> {
        let mut url = url.clone();
        let mut faults = 0;
        let mut rate_limited = 0;
        let mut redirects = 0;
        loop {
            // A body cut off half-way is a connection fault like a refused connection.
            let failure = match self.request(&url).send() {
                Ok(response) if response.status().is_success() => {
                    let headers = response.headers().clone();
                    let final_url = response.url().clone();
                    match read_capped(response, &url)? {
                        Ok(body) => return Ok((final_url, headers, body)),
                        Err(err) => Err(chain(&err)),
                    }
                }
                Ok(response) => Ok(response),
                // The URL is named by the message already, without its credentials.
                Err(err) => Err(transport(&err.without_url())),
            };
            let response = match failure {
                Ok(response) => response,
                Err(reason) => {
                    if faults < RETRIES {
                        self.backoff(faults, &url, "the connection failed");
                        faults += 1;
                        continue;
                    }
                    return Err(FetchError::Connection {
                        url: redact(url.as_str()),
                        attempts: faults + 1,
                        reason,
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
                        url: redact(url.as_str()),
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
                        provider: self.api.name(),
                        url: redact(url.as_str()),
                        rounds: RATE_LIMIT_ROUNDS,
                    });
                }
                if wait.seconds > self.max_wait {
                    return Err(FetchError::RateLimited {
                        provider: self.api.name(),
                        url: redact(url.as_str()),
                        wait: wait.seconds,
                        until: until(wait.until),
                        max_wait: self.max_wait,
                    });
                }
                self.say(&format!(
                    "waiting {} s for the {} rate limit to reset ({})",
                    wait.seconds,
                    self.api.name(),
                    until(wait.until)
                ));
                (self.sleep)(Duration::from_secs(wait.seconds));
                continue;
            }
            if status.is_server_error() {
                if faults < RETRIES {
                    self.backoff(faults, &url, &format!("the server answered {status}"));
                    faults += 1;
                    continue;
                }
                return Err(FetchError::ServerFault {
                    provider: self.api.name(),
                    url: redact(url.as_str()),
                    status: status.to_string(),
                    attempts: faults + 1,
                });
            }
            return Err(self.refusal(status, &url));
        }
    }

    fn request(&self, url: &Url) -> reqwest::blocking::RequestBuilder {
        let mut request = self.http.get(url.clone());
        for (name, value) in self.api.headers() {
            request = request.header(*name, *value);
        }
        if let Some(token) = &self.token
            && same_origin(url, &self.base)
        {
            let (name, value) = self.api.token_header(&token.0);
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
            "{why} for {}; retrying in {seconds} s ({} of {RETRIES})",
            redact(url.as_str()),
            attempt + 1
        ));
        (self.sleep)(Duration::from_secs(seconds));
    }

    /// A 4xx that waiting will not fix: say what to check.
    fn refusal(&self, status: StatusCode, url: &Url) -> FetchError {
        let api = self.api;
        let provider = api.name();
        let token_env = &self.token_env;
        let token = if self.token.is_some() {
            format!("the token in {token_env}")
        } else {
            format!("no token was sent ({token_env} is not set)")
        };
        match status {
            StatusCode::UNAUTHORIZED => FetchError::Unauthorized {
                provider,
                name: api.project().to_string(),
                hint: if self.token.is_some() {
                    format!("{token} is missing or invalid (expired or revoked?)")
                } else {
                    format!("{token}; set it to a token that can read the project")
                },
            },
            StatusCode::FORBIDDEN => FetchError::Forbidden {
                provider,
                name: api.project().to_string(),
                hint: if self.token.is_some() {
                    format!("{token} may not read it: {}", api.scope_hint())
                } else {
                    format!("{token}; {}", api.scope_hint())
                },
            },
            StatusCode::NOT_FOUND => FetchError::NotFound {
                provider,
                name: match api.detail() {
                    Some(detail) => format!("{} ({detail})", api.project()),
                    None => api.project().to_string(),
                },
                url: redact(url.as_str()),
                hint: if self.token.is_some() {
                    format!("check the name, and that {token} can see private projects")
                } else {
                    format!("check the name; private projects need a token in {token_env}")
                },
            },
            _ => FetchError::Refused {
                provider,
                url: redact(url.as_str()),
                status: status.to_string(),
            },
        }
    }
}

/// The pages of one listing, each fetched once: a `next` link back to a page already read,
/// or more than [`LISTING_PAGES`] pages, is an error instead of a loop without end.
pub struct Pages<'c, 'a> {
    client: &'c ApiClient<'a>,
    /// A first page read before the listing was followed (GitHub's range split).
    read: Option<(Url, Value)>,
    next: Option<Url>,
    seen: HashSet<Url>,
}

impl Iterator for Pages<'_, '_> {
    /// A page's URL and its JSON body.
    type Item = Result<(Url, Value), FetchError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(read) = self.read.take() {
            return Some(Ok(read));
        }
        let url = self.next.take()?;
        if self.seen.contains(&url) {
            return Some(Err(FetchError::BadResponse {
                url: redact(url.as_str()),
                reason: "the next page link points back at a page already read".to_string(),
            }));
        }
        if self.seen.len() >= LISTING_PAGES {
            return Some(Err(FetchError::BadResponse {
                url: redact(url.as_str()),
                reason: format!("more than {LISTING_PAGES} pages in one listing"),
            }));
        }
        self.seen.insert(url.clone());
        Some(self.client.get_page(&url).map(|page| {
            self.next = page.next;
            (url, page.body)
        }))
    }
}

/// A success body up to [`PAGE_BYTES`]: the outer error ends the fetch, the inner one is a
/// connection fault to retry.
fn read_capped(
    response: Response,
    url: &Url,
) -> Result<Result<Vec<u8>, std::io::Error>, FetchError> {
    let too_large = || FetchError::BadResponse {
        url: redact(url.as_str()),
        reason: format!(
            "the page is larger than {} MiB, more than any real page",
            PAGE_BYTES / (1024 * 1024)
        ),
    };
    // A declared length says it before any byte is read; a chunked body is counted as it comes.
    if response
        .content_length()
        .is_some_and(|length| length > PAGE_BYTES)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    if let Err(err) = response.take(PAGE_BYTES + 1).read_to_end(&mut body) {
        return Ok(Err(err));
    }
    if body.len() as u64 > PAGE_BYTES {
        return Err(too_large());
    }
    Ok(Ok(body))
}

/// An error and its causes on one line (reqwest keeps the useful part in the sources). A cause
/// that the text before it already ends with (an error that prints its source and also returns
/// it) is said once; credentials in URLs are left out.
pub fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !text.ends_with(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = inner.source();
    }
    redact(&text)
}

/// Why a request got no answer, said once. reqwest, hyper and the resolver each wrap a failed
/// connection in their own words ("error sending request: client error (Connect): dns error:
/// error resolving DNS: failed to lookup address information: …"), and the message around
/// it already says the server was not reached: a connection failure is told by its innermost
/// cause alone ("Connection refused (os error 111)"); anything else by the whole chain.
fn transport(err: &reqwest::Error) -> String {
    if !err.is_connect() {
        return chain(err);
    }
    let mut root: &dyn std::error::Error = err;
    while let Some(inner) = root.source() {
        root = inner;
    }
    redact(&root.to_string())
}

/// `text` with the user and password of every URL in it left out (`http://u:p@host/` becomes
/// `http://host/`), so nothing shown on the terminal or in a log carries them.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(scheme_end) = rest.find("://") {
        let (head, tail) = rest.split_at(scheme_end + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rfind('@') {
            Some(at) => out.push_str(&authority[at + 1..]),
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
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
    /// `None` when the wait ends beyond the last instant chrono can name.
    pub until: Option<DateTime<Utc>>,
}

/// 429, or a 403 that says the limit is spent (`x-ratelimit-remaining: 0`) or asks to retry
/// later (GitHub's secondary limit): how long to wait. `retry-after` first (seconds or an HTTP
/// date), else the reset time (`x-ratelimit-reset` on GitHub, `ratelimit-reset` on GitLab, both
/// epoch seconds), else a minute as GitHub's documentation advises. The values come from the
/// server, so a huge one is a long wait (which `--max-wait` refuses), never an overflow.
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
    let retry_after = header("retry-after").and_then(|v| retry_after(v, now));
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
                .and_then(|v| v.parse::<i64>().ok());
            match reset {
                // One second more: the reset instant is rounded down.
                Some(epoch) => u64::try_from(epoch.saturating_sub(now.timestamp()))
                    .unwrap_or(0)
                    .saturating_add(1),
                None => 60,
            }
        }
    };
    let until = i64::try_from(seconds)
        .ok()
        .and_then(TimeDelta::try_seconds)
        .and_then(|wait| now.checked_add_signed(wait));
    Some(Wait { seconds, until })
}

/// `Retry-After`: delay seconds (saturating: more digits than fit is still a long wait) or an
/// HTTP date (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`, which is RFC 2822
/// syntax), rounded up to whole seconds from `now`.
fn retry_after(value: &str, now: DateTime<Utc>) -> Option<u64> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse::<u64>().unwrap_or(u64::MAX));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    let millis = (date.with_timezone(&Utc) - now).num_milliseconds().max(0);
    u64::try_from(millis)
        .ok()
        .map(|millis| millis.div_ceil(1000))
}

fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// `until 12:00:42 UTC`, for the progress and error lines.
fn until(t: Option<DateTime<Utc>>) -> String {
    match t {
        Some(t) => format!("until {} UTC", clock(t)),
        None => "beyond any date".to_string(),
    }
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
        assert_eq!(until(wait.until), "until 12:00:42 UTC");

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
    fn huge_rate_limit_waits_do_not_overflow() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
        // Beyond TimeDelta's range (i64::MAX ms): a wait that has no end date, not a panic.
        let huge = headers(&[("retry-after", "18446744073709551615")]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &huge, now).unwrap();
        assert_eq!(
            wait,
            Wait {
                seconds: u64::MAX,
                until: None
            }
        );
        assert_eq!(until(wait.until), "beyond any date");
        // More digits than a u64 holds: still the longest wait, not "no Retry-After".
        let longer = headers(&[("retry-after", "99999999999999999999999")]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &longer, now).unwrap();
        assert_eq!(wait.seconds, u64::MAX);
        // i64::MAX / 1000 + 1 s: the first value TimeDelta::seconds panicked on.
        let edge = headers(&[("retry-after", "9223372036854776")]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &edge, now).unwrap();
        assert_eq!(wait.until, None);
        // A reset epoch at i64::MAX: 9223372036854775807 - 1795780800 s to go, plus one.
        let reset = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "9223372036854775807"),
        ]);
        let wait = rate_limit_wait(StatusCode::FORBIDDEN, &reset, now).unwrap();
        assert_eq!(now.timestamp(), 1_795_780_800);
        assert_eq!(wait.seconds, 9_223_372_035_058_995_008);
        assert_eq!(wait.until, None);
        // A reset long past: one second.
        let past = headers(&[
            ("ratelimit-remaining", "0"),
            ("ratelimit-reset", "-9223372036854775808"),
        ]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &past, now).unwrap();
        assert_eq!(wait.seconds, 1);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap();
        // 27 Nov 2026 is a Friday; 12:01:30 is 90 s after now.
        let date = headers(&[("retry-after", "Fri, 27 Nov 2026 12:01:30 GMT")]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &date, now).unwrap();
        assert_eq!(wait.seconds, 90);
        assert_eq!(until(wait.until), "until 12:01:30 UTC");
        // Half a second before the date: a whole second to wait, rounded up.
        let wait = rate_limit_wait(
            StatusCode::TOO_MANY_REQUESTS,
            &date,
            now + TimeDelta::milliseconds(89_500),
        )
        .unwrap();
        assert_eq!(wait.seconds, 1);
        // A date already past: no wait. A 403 with an HTTP date is a rate limit too.
        let past = headers(&[("retry-after", "Fri, 27 Nov 2026 11:00:00 GMT")]);
        let wait = rate_limit_wait(StatusCode::FORBIDDEN, &past, now).unwrap();
        assert_eq!(wait.seconds, 0);
        // Neither seconds nor a date: the reset headers or a minute.
        let junk = headers(&[("retry-after", "soon")]);
        let wait = rate_limit_wait(StatusCode::TOO_MANY_REQUESTS, &junk, now).unwrap();
        assert_eq!(wait.seconds, 60);
    }

    #[test]
    fn credentials_are_left_out_of_shown_urls() {
        assert_eq!(
            redact("cannot reach http://user:hunter2@127.0.0.1:9/a?b=c@d after 4 attempts"),
            "cannot reach http://127.0.0.1:9/a?b=c@d after 4 attempts"
        );
        assert_eq!(
            redact("--api-url \"https://u:p@x\" and https://api.github.com/x"),
            "--api-url \"https://x\" and https://api.github.com/x"
        );
        assert_eq!(redact("no url here: a@b"), "no url here: a@b");
    }

    #[test]
    fn each_cause_is_said_once() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "cannot read x: {}", self.0)
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let err = Outer(std::io::Error::from_raw_os_error(21));
        assert_eq!(chain(&err), "cannot read x: Is a directory (os error 21)");
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
