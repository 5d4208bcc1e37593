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
    let lines = file::LineIndex::new(&text);
    // A value of the wrong type or an unknown key in [measure] / [outcome] is one problem
    // (the tables cannot be read further); else every value that cannot be used.
    let problems = match ProjectFile::parse_checked(path, text.clone()) {
        Err(problem) => vec![problem],
        Ok(project) => Settings::resolve_all(&Overrides::default(), Some(&project), Utc::now())
            .err()
            .unwrap_or_default(),
    };
    checked
        .problems
        .extend(problems.into_iter().map(|problem| match problem.span {
            Some(span) => Problem::at(path, &lines, Severity::Error, span, problem.message),
            None => Problem {
                severity: Severity::Error,
                path: path.to_path_buf(),
                line: 1,
                col: 1,
                message: problem.message,
                snippet: None,
            },
        }));
    checked.problems.sort_by_key(Problem::order);
    Ok(checked)
}
