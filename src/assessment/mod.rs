//! The self-assessment: the questionnaire, `init` / `validate`, and the scored level report
//! that combines what the team says with what the data shows.
//!
//! Flow: the file is parsed keeping spans and checked (file.rs); answers are scored
//! (score.rs) as given and again after evidence from the measured data (evidence.rs) replaces
//! the answers it contradicts (scorecard.rs); the gaps (gaps.rs) say what to do next.

pub mod evidence;
pub mod file;
pub mod gaps;
pub mod init;
pub mod questionnaire;
pub mod render;
pub mod score;
pub mod scorecard;

use crate::report::human::plural;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Utc;
use serde::Serialize;

use crate::Outcome;
use crate::cli::{Format, InitArgs, MeasureArgs, ReportArgs, ValidateArgs};
use crate::history::Repo;
use crate::outcome::TargetResult;
use crate::report::{self, Report};
use crate::settings::{self, ProjectFile, Settings};
use file::{Checked, Problem, Severity};
use gaps::Gap;
use scorecard::Scorecard;

/// The JSON of `valueflow report`: the measure report's keys, then the assessment, the
/// outcome and the gaps (interface.md).
#[derive(Debug, Serialize)]
pub struct LevelReport<'a> {
    #[serde(flatten)]
    pub measures: &'a Report,
    pub assessment: Option<Scorecard>,
    pub outcome: OutcomeSummary<'a>,
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Serialize)]
pub struct OutcomeSummary<'a> {
    /// true when every target is met, false when any is missed, null otherwise.
    pub met: Option<bool>,
    pub targets: &'a [TargetResult],
}

impl<'a> OutcomeSummary<'a> {
    pub fn new(targets: &'a [TargetResult]) -> Self {
        let met = if targets.iter().any(|t| t.met == Some(false)) {
            Some(false)
        } else if targets.iter().all(|t| t.met == Some(true)) {
            Some(true)
        } else {
            None
        };
        OutcomeSummary { met, targets }
    }
}

/// valueflow.toml in the root of the repository holding the current directory; the current
/// directory itself when it is not in a repository (init and validate work without one).
fn default_path() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = Repo::open(&cwd).map(|r| r.path).unwrap_or(cwd);
    Ok(root.join(settings::PROJECT_FILE))
}

pub fn init(args: &InitArgs) -> Result<()> {
    let path = match &args.output {
        Some(path) => path.clone(),
        None => default_path()?,
    };
    if path.exists() {
        if !args.force {
            anyhow::bail!(
                "{} already exists and was left as it is; `valueflow init --force` replaces it \
                 and keeps the old file as {}.bak (or .bak.1, .bak.2, … when that exists)",
                path.display(),
                path.display()
            );
        }
        let backup = keep_backup(&path)
            .with_context(|| format!("cannot keep a copy of {}: not replaced", path.display()))?;
        eprintln!("kept the old file as {}", backup.display());
    }
    report::write_atomically(&path, init::template().as_bytes())?;
    eprintln!(
        "wrote {}: answer its {} practices, then run `valueflow validate` and `valueflow report`",
        path.display(),
        questionnaire::embedded().practices.len()
    );
    Ok(())
}

/// Copies `path` to the first free name of `PATH.bak`, `PATH.bak.1`, `PATH.bak.2`, …: a second
/// `init --force` must not replace the backup that holds the first answers.
fn keep_backup(path: &Path) -> std::io::Result<PathBuf> {
    let mut original = std::fs::File::open(path)?;
    for n in 0..1000 {
        let mut name = path.as_os_str().to_os_string();
        name.push(if n == 0 {
            ".bak".to_string()
        } else {
            format!(".bak.{n}")
        });
        let backup = PathBuf::from(name);
        // create_new: the name is claimed and filled by this process alone.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&backup)
        {
            Ok(mut copy) => {
                std::io::copy(&mut original, &mut copy)?;
                copy.sync_all()?;
                return Ok(backup);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::other(
        "1,000 backups exist already (.bak to .bak.999): remove old ones",
    ))
}

/// Reads and checks an assessment file, including its `[measure]` / `[outcome]` tables as the
/// settings loader reads them.
fn load(path: &Path, with_settings: bool) -> Result<Checked> {
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
    if with_settings {
        let settings_error = match ProjectFile::read(path) {
            Err(err) => Some(err),
            Ok(project) => {
                for problem in project.iter().flat_map(ProjectFile::outcome_problems) {
                    let (line, col) = file::line_col(&text, problem.span.start);
                    checked.problems.push(settings_problem(
                        path,
                        &text,
                        &format!("{}:{line}:{col}: {}", path.display(), problem.message),
                    ));
                }
                Settings::resolve_measure(&MeasureArgs::default(), project.as_ref(), Utc::now())
                    .err()
            }
        };
        if let Some(err) = settings_error {
            checked
                .problems
                .push(settings_problem(path, &text, &format!("{err:#}")));
        }
        checked.problems.sort_by_key(Problem::order);
    }
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

pub fn validate(args: &ValidateArgs) -> Result<Outcome> {
    let path = match &args.path {
        Some(path) => path.clone(),
        None => default_path()?,
    };
    let checked = load(&path, true)?;
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
    Ok(Outcome::Done)
}

/// The file name to show: relative to the repository root when inside it.
fn shown_path(path: &Path, root: &Path) -> String {
    let absolute = if path.is_relative() {
        std::env::current_dir().map_or(path.to_path_buf(), |d| d.join(path))
    } else {
        path.to_path_buf()
    };
    let canonical = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or(root.to_path_buf());
    canonical
        .strip_prefix(&root)
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

pub fn report(args: &ReportArgs) -> Result<Outcome> {
    let analysis = crate::analyse(&args.measure, args.assessment.as_deref(), Utc::now())?;
    let root = PathBuf::from(&analysis.report.repository.path);
    let path = match &args.assessment {
        Some(path) => Some(path.clone()),
        None => Some(root.join(settings::PROJECT_FILE)).filter(|p| p.exists()),
    };
    if let Some(output) = &args.measure.output {
        let inputs = analysis.inputs.iter().chain(path.as_ref());
        crate::output::refuse_overwriting_inputs(output, inputs.map(PathBuf::as_path))?;
    }
    let questionnaire = questionnaire::embedded();
    let mut notes = Vec::new();
    let scorecard = match &path {
        None => None,
        Some(path) => {
            // analyse() already read the settings tables: only the questionnaire is new here.
            let checked = load(path, false)?;
            let errors: Vec<&Problem> = checked
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .collect();
            if let Some(first) = errors.first() {
                anyhow::bail!(
                    "{}:{}:{}: {}{}",
                    first.path.display(),
                    first.line,
                    first.col,
                    first.message,
                    if errors.len() > 1 {
                        format!(
                            " ({} problems in all: run `valueflow validate {}`)",
                            errors.len(),
                            path.display()
                        )
                    } else {
                        String::new()
                    }
                );
            }
            if checked.assessment.has_practices {
                if !checked.assessment.missing.is_empty() {
                    notes.push(format!(
                        "{}: {} of the standard missing, counted as unanswered \
                         (`valueflow validate` lists them)",
                        path.display(),
                        plural(checked.assessment.missing.len(), "practice", "practices")
                    ));
                }
                let facts = evidence::Facts::from_analysis(&analysis);
                Some(scorecard::build(
                    questionnaire,
                    &checked.assessment,
                    &facts,
                    shown_path(path, &root),
                ))
            } else {
                notes.push(format!(
                    "{} holds settings but no [[practice]]: run `valueflow init -o FILE` for \
                     the questionnaire and copy its practices in",
                    path.display()
                ));
                None
            }
        }
    };
    if scorecard.is_none() && path.is_none() {
        notes.push(
            "no self-assessment: run `valueflow init` to add one (valueflow.toml)".to_string(),
        );
    }
    let measures = &analysis.report;
    let gaps = gaps::gaps(questionnaire, scorecard.as_ref(), &measures.targets);
    let level_report = LevelReport {
        measures,
        assessment: scorecard,
        outcome: OutcomeSummary::new(&measures.targets),
        gaps,
    };

    let format = report::format_for(args.measure.format, args.measure.output.as_deref());
    let text = match format {
        Format::Json => report::to_json(&level_report)?,
        Format::Table => render::table_view(&level_report),
        Format::Markdown => render::markdown_view(&level_report),
    };
    // As `measure` does: the human views end with the warnings, so repeat them on stderr
    // only when they are not going to the same screen.
    if format == Format::Json || args.measure.output.is_some() {
        for warning in &measures.warnings {
            eprintln!("warning: {warning}");
        }
    }
    for note in &notes {
        eprintln!("note: {note}");
    }
    report::emit(&text, args.measure.output.as_deref())?;

    let mut outcome = Outcome::Done;
    if args.fail_on_gap && level_report.outcome.met == Some(false) {
        let missed = measures
            .targets
            .iter()
            .filter(|t| t.met == Some(false))
            .map(|t| t.measure)
            .collect::<Vec<_>>();
        eprintln!(
            "gate failed (--fail-on-gap): outcome targets not met: {}",
            missed.join(", ")
        );
        outcome = Outcome::GateFailed;
    }
    if let Some(min) = args.min_level {
        // Without a self-assessment there is no evidence of any level above the floor.
        let level = match &level_report.assessment {
            Some(card) => card.overall_level,
            None => {
                eprintln!(
                    "note: --min-level without a self-assessment: the overall level counts as 1"
                );
                1
            }
        };
        if level < min {
            eprintln!("gate failed (--min-level {min}): the overall level is {level}");
            outcome = Outcome::GateFailed;
        }
    }
    Ok(outcome)
}
