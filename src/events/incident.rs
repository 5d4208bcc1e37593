//! A production incident (measures.md §4, signal 5), as an incidents file states it.

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
