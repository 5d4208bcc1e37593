//! `valueflow validate`: every problem of an assessment file at once.

use anyhow::Result;

use super::Exit;
use crate::assessment::{self, file, questionnaire};
use crate::cli::ValidateArgs;
use crate::units::plural;

pub fn run(args: &ValidateArgs) -> Result<Exit> {
    let path = match &args.path {
        Some(path) => path.clone(),
        None => super::project_file(args.repo.as_deref())?,
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
