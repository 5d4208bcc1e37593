//! The self-assessment: the questionnaire, its file checked with spans, and the scored level
//! report that combines what the team says with what the data shows. It reads no repository
//! and runs no measuring: `commands::report` hands it the analysis.
//!
//! Flow: the file is parsed keeping spans and checked (file.rs); answers are scored
//! (score.rs) as given and again after evidence from the measured data (evidence.rs) replaces
//! the answers it contradicts (scorecard.rs); the gaps (gaps.rs) say what to do next.

pub mod evidence;
pub mod file;
pub mod gaps;
pub mod init;
pub mod questionnaire;
pub mod score;
pub mod scorecard;

use std::path::Path;

use anyhow::{Context, Result};
use chrono::Utc;

use crate::settings::{Overrides, ProjectFile, Settings};
use file::{Checked, Problem, Severity};

/// Reads and checks an assessment file (`validate`), including its `[measure]` / `[outcome]`
/// tables as the settings loader reads them.
pub fn load(path: &Path) -> Result<Checked> {
    let text = match crate::input::read_text(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!(
                "{}: no such file; `valueflow init` writes one",
                path.display()
            )
        }
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut checked = file::check(path, &text, questionnaire::embedded())?;
    let settings_error = match ProjectFile::parse(path, text.clone()) {
        Err(err) => Some(err),
        Ok(project) => {
            for problem in project.outcome_problems() {
                let (line, col) = file::line_col(&text, problem.span.start);
                checked.problems.push(settings_problem(
                    path,
                    &text,
                    &format!("{}:{line}:{col}: {}", path.display(), problem.message),
                ));
            }
            Settings::resolve_measure(&Overrides::default(), Some(&project), Utc::now()).err()
        }
    };
    if let Some(err) = settings_error {
        checked
            .problems
            .push(settings_problem(path, &text, &format!("{err:#}")));
    }
    checked.problems.sort_by_key(Problem::order);
    Ok(checked)
}

/// The settings loader's messages start `file:line:col: ` when they come from the file.
fn settings_problem(path: &Path, text: &str, message: &str) -> Problem {
    let prefix = format!("{}:", path.display());
    let located = message.strip_prefix(&prefix).and_then(|rest| {
        let mut parts = rest.splitn(3, ':');
        let line: usize = parts.next()?.parse().ok()?;
        let col: usize = parts.next()?.parse().ok()?;
        Some((line, col, parts.next()?.trim_start().to_string()))
    });
    let (line, col, message) = located.unwrap_or((1, 1, message.to_string()));
    let (line, col) = (line.max(1), col.max(1));
    let snippet = text.lines().nth(line.saturating_sub(1)).map(|l| {
        let rest = l.chars().count().saturating_sub(col - 1);
        let width = l
            .chars()
            .skip(col - 1)
            .take_while(|c| !c.is_whitespace())
            .count()
            .min(rest);
        (l.to_string(), width)
    });
    Problem {
        severity: Severity::Error,
        path: path.to_path_buf(),
        line,
        col,
        message,
        snippet,
    }
}
