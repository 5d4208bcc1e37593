//! `--since` / `--until` and the settings' lengths of time. The input is lines:
//! `since`, `until`, a span such as `72h`, and an optional `now` in epoch seconds.
//! Property: no panic.

#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use valueflow::events::window::{Window, parse_span, span_before};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let since = lines.next().unwrap_or("");
    let until = lines.next().unwrap_or("");
    let span = lines.next().unwrap_or("");
    // 2026-11-24T09:30:00Z unless the input gives a representable instant.
    let now = lines
        .next()
        .and_then(|line| line.trim().parse::<i64>().ok())
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .unwrap_or_else(|| DateTime::from_timestamp(1_795_512_600, 0).unwrap_or_default());

    // Each flag alone takes its default from the other (or from now), as `measure` does.
    let _ = Window::resolve(Some(since), Some(until), now);
    let _ = Window::resolve(Some(since), None, now);
    let _ = Window::resolve(None, Some(until), now);
    let _ = parse_span(span);
    for edge in [now, DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let _ = span_before(since, edge);
        let _ = span_before(span, edge);
    }
});
