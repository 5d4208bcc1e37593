//! `valueflow report`: the measures, the self-assessment scored against them, and the gaps.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::Utc;

use super::Exit;
use crate::assessment::file::{Problem, Severity};
use crate::assessment::scorecard::{self, Scorecard};
use crate::assessment::{self, evidence, gaps, questionnaire};
use crate::cli::ReportArgs;
use crate::events::period::Every;
use crate::pipeline::Analysis;
use crate::report::level::{LevelReport, OutcomeSummary};
use crate::report::{self, Format};
use crate::units::plural;

pub fn run(args: &ReportArgs) -> Result<Exit> {
    // Before the history is read: a bad -o extension fails at once, and writes nothing.
    let format = super::format(&args.measure)?;
    if super::aggregate::several(&args.measure) {
        // Levels belong to a team's self-assessment, not to a set of repositories: the
        // roll-up is of the measures and the outcome.
        if args.assessment.is_some()
            || args.min_level.is_some()
            || args.min_answered_level.is_some()
        {
            anyhow::bail!(
                "--assessment, --min-level and --min-answered-level apply to one repository; a \
                 roll-up over several reports the measures and the outcome"
            );
        }
        let rollup = super::aggregate::measure_all(&args.measure, format)?;
        let missed: Vec<&str> = rollup
            .outcome
            .iter()
            .filter(|t| t.met == Some(false))
            .map(|t| t.measure.key())
            .collect();
        if args.fail_on_gap && !missed.is_empty() {
            eprintln!(
                "gate failed (--fail-on-gap): outcome targets not met across the repositories: {}",
                missed.join(", ")
            );
            return Ok(Exit::GateFailed);
        }
        return Ok(Exit::Done);
    }
    let request = super::request(&args.measure, args.assessment.as_deref());
    let analysis = crate::pipeline::analyse(&request, Utc::now())?;
    if let Some(output) = &args.measure.output {
        crate::output::refuse_overwriting_inputs(
            output,
            analysis.inputs.iter().map(PathBuf::as_path),
        )?;
    }
    let questionnaire = questionnaire::embedded();
    let mut notes = Vec::new();
    let scorecard = score(&analysis, &mut notes)?;
    let measures = &analysis.report;
    let gaps = gaps::gaps(questionnaire, scorecard.as_ref(), &measures.targets);
    // The trend section covers the report's own window, from the same read of the history.
    let every = args.every.map_or_else(
        || Every::fitting(&analysis.settings.window),
        super::trend::every,
    );
    let trend = super::trend::build(&analysis, every, &mut notes)?;
    let level_report = LevelReport {
        measures,
        assessment: scorecard,
        outcome: OutcomeSummary::new(&measures.targets),
        gaps,
        trend: &trend,
    };

    let text = report::render_level(&level_report, format)?;
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
    report::emit_as(&text, format, args.measure.output.as_deref())?;

    Ok(gates(args, &level_report))
}

/// The self-assessment scored against the data: the project file the pipeline read its
/// settings from (--assessment, else valueflow.toml in the repository root), checked from
/// the text already read. `None` without one, or when it holds settings only.
fn score(analysis: &Analysis, notes: &mut Vec<String>) -> Result<Option<Scorecard>> {
    let questionnaire = questionnaire::embedded();
    let project = analysis.project.as_ref();
    let scorecard = match project {
        None => None,
        Some(project) => {
            let path = project.path();
            let checked = assessment::file::check(path, project.text(), questionnaire)?;
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
                let facts = evidence::Facts::new(
                    &analysis.report.measures,
                    analysis.report.deployments.source,
                    &analysis.deployments,
                    &analysis.settings.window,
                    &analysis.runs,
                    &analysis.deploy_runs,
                );
                Some(scorecard::build(
                    questionnaire,
                    &checked.assessment,
                    &facts,
                    shown_path(path, &analysis.root),
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
    if project.is_none() {
        notes.push(
            "no self-assessment: run `valueflow init` to add one (valueflow.toml)".to_string(),
        );
    }
    Ok(scorecard)
}

/// Exit 1 when a gate the user asked for failed (the report is written all the same).
fn gates(args: &ReportArgs, level_report: &LevelReport<'_>) -> Exit {
    let measures = level_report.measures;
    let mut outcome = Exit::Done;
    if args.fail_on_gap && level_report.outcome.met == Some(false) {
        let missed = measures
            .targets
            .iter()
            .filter(|t| t.met == Some(false))
            .map(|t| t.measure.key())
            .collect::<Vec<_>>();
        eprintln!(
            "gate failed (--fail-on-gap): outcome targets not met: {}",
            missed.join(", ")
        );
        outcome = Exit::GateFailed;
    }
    // --min-level gates on the verified level, the stricter: answering yes to everything
    // must not pass a gate the data contradicts.
    let verified: fn(&Scorecard) -> u8 = |c| c.verified_level;
    let answered: fn(&Scorecard) -> u8 = |c| c.overall_level;
    let levels = [
        ("--min-level", "verified level", args.min_level, verified),
        (
            "--min-answered-level",
            "level as answered",
            args.min_answered_level,
            answered,
        ),
    ];
    for (flag, what, min, level_of) in levels {
        let Some(min) = min else { continue };
        // Without a self-assessment there is no evidence of any level above the floor.
        let level = match &level_report.assessment {
            Some(card) => level_of(card),
            None => {
                eprintln!("note: {flag} without a self-assessment: the overall level counts as 1");
                1
            }
        };
        if level < min {
            eprintln!("gate failed ({flag} {min}): the overall {what} is {level}");
            outcome = Exit::GateFailed;
        }
    }
    outcome
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
