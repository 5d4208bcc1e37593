//! `valueflow validate`: every problem of an assessment file at once.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::Exit;
use crate::assessment::{self, file, questionnaire};
use crate::cli::ValidateArgs;
use crate::history::Repo;
use crate::settings;
use crate::units::plural;

/// valueflow.toml in the root of the repository holding the current directory; the current
/// directory itself when it is not in a repository (init and validate work without one).
pub(super) fn default_path() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = Repo::open(&cwd).map(|r| r.path).unwrap_or(cwd);
    Ok(root.join(settings::PROJECT_FILE))
}

pub fn run(args: &ValidateArgs) -> Result<Exit> {
    let path = match &args.path {
        Some(path) => path.clone(),
        None => default_path()?,
    };
    let checked = assessment::load(&path)?;
    for problem in &checked.problems {
        eprintln!("{problem}\n");
    }
    let errors = checked.errors();
    let warnings = checked.problems.len() - errors;
    let a = &checked.assessment;
    if errors > 0 {
        anyhow::bail!(
            "{}: {}, {}",
            path.display(),
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        );
    }
    let total = questionnaire::embedded().practices.len();
    let answered = a
        .answers
        .values()
        .filter(|r| r.answer != file::Answer::Blank)
        .count();
    println!(
        "{}: ok: {answered} of {total} practices answered, {}",
        path.display(),
        plural(warnings, "warning", "warnings")
    );
    Ok(Exit::Done)
}
