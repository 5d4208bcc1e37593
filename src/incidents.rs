//! Incidents (measures.md §4, signal 5): an optional file that feeds change failure rate and
//! recovery time.

use std::path::Path;

use chrono::{DateTime, Utc};

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
/// the header `id,started_at,resolved_at,cause_sha,deployment,service`.
pub fn load(path: &Path) -> anyhow::Result<Vec<Incident>> {
    anyhow::bail!("{}: incidents files are not read yet", path.display())
}
