//! The response headers `fetch` acts on. The input is lines: a `Link` header, GitLab's
//! `x-next-page`, `Retry-After`, a rate-limit reset (epoch seconds), and an optional `now` in
//! epoch seconds. Property: no panic.

#![no_main]

use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use valueflow::fetch::client::{link_next, next_page, rate_limit_wait};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut line = || lines.next().unwrap_or("");
    let (link, page, retry_after, reset) = (line(), line(), line(), line());
    let now = line()
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .unwrap_or_else(|| DateTime::from_timestamp(1_795_512_600, 0).unwrap_or_default());

    let _ = link_next(link);
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("link", link),
        ("x-next-page", page),
        ("retry-after", retry_after),
        ("x-ratelimit-reset", reset),
        ("ratelimit-reset", reset),
        ("x-ratelimit-remaining", "0"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    if let Ok(url) = reqwest::Url::parse("https://api.github.com/repos/o/r/actions/runs?page=1") {
        let _ = next_page(&url, &headers);
    }
    for status in [StatusCode::TOO_MANY_REQUESTS, StatusCode::FORBIDDEN] {
        let _ = rate_limit_wait(status, &headers, now);
    }
});
