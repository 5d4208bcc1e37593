//! Pull-request exports (`--prs`, `prs = [...]`): what `valueflow fetch github
//! --pull-requests` and `fetch gitlab --merge-requests` write, read back for lead time
//! (measures.md §2, "Squash merges" and "Breakdown").
//!
//! The file is `{"pull_requests": [...]}` or a plain array; each pull request is an object
//! with `number` and, all optional, `merge_commit_sha`, `created_at`, `merged_at`,
//! `first_commit_at`, `author` and `commits` (`[{"sha", "author", "authored_at"}]`).

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::events::pull_request::{PullCommit, PullRequest, PullRequests};
use crate::events::window::parse_instant;
use crate::input::LineIndex;

/// Every file's pull requests; a later file's entry for the same number wins.
pub fn load_all(paths: &[impl AsRef<Path>]) -> Result<PullRequests> {
    let mut all = Vec::new();
    for path in paths {
        all.extend(load(path.as_ref())?);
    }
    Ok(PullRequests::new(all))
}

pub fn load(path: &Path) -> Result<Vec<PullRequest>> {
    let text = crate::input::read_text(path)
        .with_context(|| format!("cannot read the pull-request export {}", path.display()))?;
    parse(path, &text)
}

#[derive(Deserialize)]
struct Wrapped<'a> {
    #[serde(borrow)]
    pull_requests: Vec<&'a RawValue>,
}

/// One pull request as written, before its times are checked.
#[derive(Deserialize)]
struct Row {
    number: u32,
    merge_commit_sha: Option<String>,
    created_at: Option<String>,
    merged_at: Option<String>,
    first_commit_at: Option<String>,
    author: Option<String>,
    #[serde(default)]
    commits: Vec<CommitRow>,
}

#[derive(Deserialize)]
struct CommitRow {
    #[allow(dead_code)]
    sha: Option<String>,
    author: Option<String>,
    authored_at: String,
}

/// Reads an export's text; `path` names it in messages, each as `FILE:LINE:COL: what was
/// expected`.
pub fn parse(path: &Path, text: &str) -> Result<Vec<PullRequest>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    // serde_json counts lines and columns from the start of what it was given.
    let located = |err: &serde_json::Error, line: usize, col: usize| {
        let (line, col) = if err.line() <= 1 {
            (line, col + err.column().saturating_sub(1))
        } else {
            (line + err.line() - 1, err.column())
        };
        let message = err.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.clone(), |(m, _)| m.to_string());
        (line, col, message)
    };
    let whole = |err: serde_json::Error| {
        let (line, col, message) = located(&err, 1, 1);
        match err.classify() {
            serde_json::error::Category::Data => anyhow!(
                "{}:{line}:{col}: not a pull-request export: expected {{\"pull_requests\": [...]}} \
                 or an array of pull requests (valueflow fetch github --pull-requests writes one)",
                path.display()
            ),
            _ => anyhow!("{}:{line}:{col}: {message}", path.display()),
        }
    };
    let rows: Vec<&RawValue> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(whole)?
    } else {
        serde_json::from_str::<Wrapped>(text)
            .map_err(whole)?
            .pull_requests
    };
    rows.into_iter()
        .map(|raw| {
            let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            let (line, col) = lines.line_col(offset);
            let row: Row = serde_json::from_str(raw.get()).map_err(|err| {
                let (l, c, message) = located(&err, line, col);
                anyhow!(
                    "{}:{l}:{c}: not a pull request: expected an object with `number` (a \
                     positive integer) and RFC 3339 times; {message}",
                    path.display()
                )
            })?;
            let at = format!("{}:{line}:{col}", path.display());
            pull_request(row, &at)
        })
        .collect()
}

fn pull_request(row: Row, at: &str) -> Result<PullRequest> {
    let time = |name: &str, value: Option<&str>| -> Result<Option<DateTime<Utc>>> {
        value
            .map(|v| {
                parse_instant(v).ok_or_else(|| {
                    anyhow!(
                        "{at}: pull request #{}: {name} {v:?} is not a time: expected RFC 3339 \
                         such as 2026-01-05T10:00:00Z",
                        row.number
                    )
                })
            })
            .transpose()
    };
    let commits = row
        .commits
        .iter()
        .map(|c| {
            Ok(PullCommit {
                authored: time("authored_at", Some(&c.authored_at))?.unwrap_or_default(),
                author: c.author.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PullRequest {
        number: row.number,
        merge_commit: row.merge_commit_sha.clone(),
        created_at: time("created_at", row.created_at.as_deref())?,
        merged_at: time("merged_at", row.merged_at.as_deref())?,
        first_commit_at: time("first_commit_at", row.first_commit_at.as_deref())?,
        author: row.author.clone(),
        commits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_export_and_names_the_line_and_column_of_a_problem() {
        let path = Path::new("prs.json");
        let text = r#"{"pull_requests": [
  {"number": 7, "created_at": "2026-01-05T10:00:00Z", "merged_at": "2026-01-06T10:00:00Z",
   "first_commit_at": "2026-01-05T08:00:00Z", "author": "ada",
   "commits": [{"sha": "ab", "author": "Ada <a@x>", "authored_at": "2026-01-05T08:00:00Z"}]}
]}"#;
        let prs = parse(path, text).unwrap();
        assert_eq!(prs.len(), 1);
        assert_eq!(prs[0].number, 7);
        assert_eq!(prs[0].commits.len(), 1);
        assert_eq!(
            prs[0].first_commit_at.unwrap().to_rfc3339(),
            "2026-01-05T08:00:00+00:00"
        );

        // A number that is text: the error names the value's line, and the column where
        // serde_json saw it was wrong (the closing quote of "two", column 18).
        let text = "[\n  {\"number\": 1},\n  {\"number\": \"two\"}\n]";
        let err = parse(path, text).unwrap_err().to_string();
        assert!(
            err.starts_with("prs.json:3:18: not a pull request"),
            "{err}"
        );
        // Broken JSON: the stray `}` after the comma, column 16.
        let err = parse(path, "{\"pull_requests\": [\n  {\"number\": 1,}\n]}")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("prs.json:2:16: "), "{err}");
        // A time that is not one: at the pull request.
        let err = parse(path, "[{\"number\": 3, \"created_at\": \"soon\"}]")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("prs.json:1:2: pull request #3: created_at \"soon\" is not a time"),
            "{err}"
        );
        // Not an export at all.
        let err = parse(path, "{\"runs\": []}").unwrap_err().to_string();
        assert!(err.contains("not a pull-request export"), "{err}");
    }
}
