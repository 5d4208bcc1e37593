//! Incidents (measures.md §4, signal 5): an optional file that feeds change failure rate and
//! recovery time.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::window::parse_instant;

/// One production incident. `cause_sha` / `deployment` name the failed deployment directly;
/// otherwise the incident links to the latest deployment before `started_at` within
/// `incident_window`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// A commit sha (full or abbreviated) that caused it.
    pub cause_sha: Option<String>,
    /// A deployment label (tag name, CI run label) or commit sha.
    pub deployment: Option<String>,
    pub service: Option<String>,
}

/// Reads an incidents file, JSON (an array of objects, or `{"incidents": [...]}`) or CSV with
/// a header naming the columns `id, started_at, resolved_at, cause_sha, deployment, service`
/// (any order; only `started_at` is required, empty cells are absent values).
pub fn load(path: &Path) -> Result<Vec<Incident>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the incidents file {}", path.display()))?;
    parse(path, &text)
}

/// Reads an incidents file's text; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Incident>> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
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

#[derive(Deserialize)]
#[serde(untagged)]
enum Document {
    List(Vec<Row>),
    Wrapped { incidents: Vec<Row> },
}

fn from_json(path: &Path, text: &str) -> Result<Vec<Incident>> {
    let document: Result<Document> = serde_json::from_str(text).map_err(|err| {
        anyhow!(
            "{}:{}:{}: {}",
            path.display(),
            err.line(),
            err.column(),
            err.to_string()
                .rsplit_once(" at line ")
                .map_or(err.to_string(), |(m, _)| m.to_string())
        )
    });
    let rows = match document {
        Ok(Document::List(rows)) | Ok(Document::Wrapped { incidents: rows }) => rows,
        Err(_) if serde_json::from_str::<serde_json::Value>(text).is_ok() => bail!(
            "{}: not an incidents file: expected an array of incidents or {{\"incidents\": [...]}}, \
             each with at least `started_at`",
            path.display()
        ),
        Err(err) => return Err(err),
    };
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| incident(row, &format!("{}: incident {}", path.display(), i + 1)))
        .collect()
}

fn from_csv(path: &Path, text: &str) -> Result<Vec<Incident>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
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
    let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
    Ok(Incident {
        id: row.id.unwrap_or_default(),
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
