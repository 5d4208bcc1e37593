//! Incidents (measures.md §4, signal 5): an optional file that feeds change failure rate and
//! recovery time.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use chrono::DateTime;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::input::LineIndex;

use crate::events::Incident;
use crate::events::window::parse_instant;

/// Reads an incidents file, JSON (an array of objects, or `{"incidents": [...]}`) or CSV with
/// a header naming the columns `id, started_at, resolved_at, cause_sha, deployment, service`
/// (any order; only `started_at` is required, empty cells are absent values).
pub fn load(path: &Path) -> Result<Vec<Incident>> {
    let text = crate::input::read_text(path)
        .with_context(|| format!("cannot read the incidents file {}", path.display()))?;
    parse(path, &text)
}

/// Reads an incidents file's text; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Incident>> {
    // Spreadsheets and Windows tools start UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with(['[', '{']) {
        from_json(path, text)
    } else {
        from_csv(path, text)
    }
}

/// One incident as written in the file, before its times are checked.
#[derive(Debug, Default, Deserialize)]
struct Row {
    #[serde(default, deserialize_with = "text_or_number")]
    id: Option<String>,
    started_at: Option<String>,
    resolved_at: Option<String>,
    cause_sha: Option<String>,
    deployment: Option<String>,
    service: Option<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// `{"incidents": [...]}`; each incident kept as its text, so a problem names its line.
#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow)]
    incidents: Vec<&'a RawValue>,
}

fn from_json(path: &Path, text: &str) -> Result<Vec<Incident>> {
    let lines = LineIndex::new(text);
    let located = |err: serde_json::Error, line: usize, col: usize| {
        // serde_json counts from the start of what it was given: an incident's own text.
        let (line, col) = if err.line() <= 1 {
            (line, col + err.column().saturating_sub(1))
        } else {
            (line + err.line() - 1, err.column())
        };
        let message = err.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        anyhow!("{}:{line}:{col}: {message}", path.display())
    };
    let not_incidents = || {
        anyhow!(
            "{}: not an incidents file: expected an array of incidents or {{\"incidents\": [...]}}, \
             each with at least `started_at`",
            path.display()
        )
    };
    let rows: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(|err| match err.classify() {
            serde_json::error::Category::Data => not_incidents(),
            _ => located(err, 1, 1),
        })?
    } else {
        serde_json::from_str::<Wrapped>(text)
            .map_err(|err| match err.classify() {
                serde_json::error::Category::Data => not_incidents(),
                _ => located(err, 1, 1),
            })?
            .incidents
    };
    rows.into_iter()
        .map(|raw| {
            let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            let (line, col) = lines.line_col(offset);
            let row: Row = serde_json::from_str(raw.get()).map_err(|err| match err.classify() {
                serde_json::error::Category::Data => anyhow!(
                    "{}:{line}:{col}: not an incident: expected an object with at least \
                     `started_at` (text), {}",
                    path.display(),
                    err.to_string()
                        .rsplit_once(" at line ")
                        .map_or(err.to_string(), |(m, _)| m.to_string())
                ),
                _ => located(err, line, col),
            })?;
            incident(row, &format!("{}:{line}", path.display()))
        })
        .collect()
}

fn from_csv(path: &Path, text: &str) -> Result<Vec<Incident>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .with_context(|| format!("{}:1: cannot read the CSV header", path.display()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    if column("started_at").is_none() {
        bail!(
            "{}:1: no `started_at` column; expected a header such as \
             id,started_at,resolved_at,cause_sha,deployment,service",
            path.display()
        );
    }
    let mut incidents = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err.position().map_or(0, |p| p.line());
            anyhow!("{}:{line}: {err}", path.display())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let row = Row {
            id: cell("id"),
            started_at: cell("started_at"),
            resolved_at: cell("resolved_at"),
            cause_sha: cell("cause_sha"),
            deployment: cell("deployment"),
            service: cell("service"),
        };
        incidents.push(incident(row, &format!("{}:{line}", path.display()))?);
    }
    Ok(incidents)
}

fn incident(row: Row, at: &str) -> Result<Incident> {
    let time = |name: &str, value: &str| {
        parse_instant(value)
            .map(|t| DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t))
            .ok_or_else(|| {
                anyhow!("{at}: {name} {value:?} is not a time (expected YYYY-MM-DD or RFC 3339)")
            })
    };
    let started = row
        .started_at
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| anyhow!("{at}: no started_at (every incident needs its start time)"))?;
    let started_at = time("started_at", started)?;
    let resolved_at = match row.resolved_at.as_deref().filter(|s| !s.is_empty()) {
        Some(value) => Some(time("resolved_at", value)?),
        None => None,
    };
    let id = row.id.unwrap_or_default();
    if let Some(resolved) = resolved_at.filter(|r| *r < started_at) {
        bail!(
            "{at}: incident {id:?} resolved at {} before it started at {}: a recovery cannot \
             take negative time; check resolved_at",
            crate::events::window::rfc3339(resolved),
            crate::events::window::rfc3339(started_at)
        );
    }
    let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
    Ok(Incident {
        id,
        started_at,
        resolved_at,
        cause_sha: nonempty(row.cause_sha),
        deployment: nonempty(row.deployment),
        service: nonempty(row.service),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn csv_and_json_read_the_same_incident() {
        let (_d1, csv) = write(
            "incidents.csv",
            "\u{feff}service,id,started_at,resolved_at,cause_sha\r\napi,INC-1,2026-01-05T10:00:00Z,2026-01-05T12:30:00Z,abc1234\r\n",
        );
        let (_d2, json) = write(
            "incidents.json",
            r#"{"incidents": [{"id": "INC-1", "started_at": "2026-01-05T10:00:00Z", "resolved_at": "2026-01-05T12:30:00Z", "cause_sha": "abc1234", "service": "api", "severity": 2}]}"#,
        );
        let a = load(&csv).unwrap();
        let b = load(&json).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0].id, "INC-1");
        assert_eq!(a[0].cause_sha.as_deref(), Some("abc1234"));
        assert_eq!(a[0].deployment, None);
        assert_eq!(
            (a[0].resolved_at.unwrap() - a[0].started_at).num_minutes(),
            150
        );
    }

    #[test]
    fn bad_incidents_name_file_and_line() {
        let (_d, csv) = write(
            "i.csv",
            "id,started_at\nINC-1,2026-01-05\nINC-2,yesterday\n",
        );
        let err = load(&csv).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "i.csv:3: started_at \"yesterday\" is not a time (expected YYYY-MM-DD or RFC 3339)"
            ),
            "{err}"
        );
        // Line 2 is ` "started_at": }`: the missing value is at byte 16.
        let (_d, json) = write("i.json", "[{\"id\": 1,\n \"started_at\": }]");
        let err = load(&json).unwrap_err().to_string();
        assert!(err.contains("i.json:2:16: expected value"), "{err}");
        let (_d, csv) = write("i.csv", "id,start\nINC-1,2026-01-05\n");
        assert!(
            load(&csv)
                .unwrap_err()
                .to_string()
                .contains("i.csv:1: no `started_at` column")
        );
    }
}
