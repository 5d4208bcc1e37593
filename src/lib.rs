//! valueflow: how well does a team's delivery flow?
//!
//! The pipeline runs one way: sources (git history, CI exports, incidents) -> normalised
//! events (deployments with change sets, pipeline runs) -> measures (pure functions) ->
//! assessment -> one report value -> a renderer (table, markdown, json).

pub mod assessment;
pub mod ci;
pub mod cli;
pub mod deployment;
pub mod fetch;
pub mod history;
pub mod incidents;
pub mod input;
pub mod measures;
pub mod outcome;
pub mod output;
pub mod report;
pub mod settings;
pub mod window;

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use cli::{Cli, Command};
use deployment::{Deployment, Source};
use history::Repo;
use measures::failures::Failures;
use report::Report;
use report::human::plural;
use settings::{ProjectFile, Settings};

/// How a successful run ends: done, or a gate the user asked for failed (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    GateFailed,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Init(args) => assessment::init(&args).map(|()| Outcome::Done),
        Command::Validate(args) => assessment::validate(&args),
        Command::Measure(args) => measure(&args),
        Command::Report(args) => assessment::report(&args),
        Command::Fetch(cmd) => fetch::run(&cmd).map(|()| Outcome::Done),
    }
}

fn measure(args: &cli::MeasureArgs) -> Result<Outcome> {
    let analysis = analyse(args, None, Utc::now())?;
    if let Some(output) = &args.output {
        output::refuse_overwriting_inputs(output, analysis.inputs.iter().map(PathBuf::as_path))?;
    }
    let format = report::format_for(args.format, args.output.as_deref());
    let text = report::render(&analysis.report, format)?;
    // The human views end with the warnings; say them on stderr too unless that view is
    // already going to the same screen.
    if format == cli::Format::Json || args.output.is_some() {
        for warning in &analysis.report.warnings {
            eprintln!("warning: {warning}");
        }
    }
    report::emit(&text, args.output.as_deref())?;
    Ok(Outcome::Done)
}

/// Everything `measure` computes, kept for `report`, which adds the assessment.
pub struct Analysis {
    pub report: Report,
    pub settings: Settings,
    /// The whole known sequence, before and after the window.
    pub deployments: Vec<Deployment>,
    pub failures: Failures,
    /// Every CI run read from the exports (all of them, not only the window's).
    pub runs: Vec<ci::PipelineRun>,
    /// The runs the deploy rule matched (measures.md §1), whatever their conclusion.
    pub deploy_runs: Vec<ci::PipelineRun>,
    /// Every file the run read (project file, CI exports, incidents): never an output.
    pub inputs: Vec<PathBuf>,
}

/// Sources -> deployments -> measures -> one report value. Settings come from `project` when
/// given (it must exist), else from valueflow.toml in the repository root when present.
pub fn analyse(
    args: &cli::MeasureArgs,
    project: Option<&std::path::Path>,
    now: DateTime<Utc>,
) -> Result<Analysis> {
    let start = match &args.repo {
        Some(path) => path.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let repo = Repo::open(&start)?;
    let project = match project {
        Some(path) => Some(ProjectFile::read(path)?.with_context(|| {
            format!(
                "{}: no such file; `valueflow init` writes one",
                path.display()
            )
        })?),
        None => ProjectFile::read(&repo.path.join(settings::PROJECT_FILE))?,
    };
    let settings = Settings::resolve(args, project.as_ref(), now)?;
    let inputs = project
        .iter()
        .map(|p| p.path().to_path_buf())
        .chain(settings.ci.iter().cloned())
        .chain(settings.incidents.iter().cloned())
        .collect();
    let mut warnings = Vec::new();

    if repo.shallow {
        warnings.push(
            "shallow clone: history stops at the clone depth, so the oldest change sets and lead \
             times are incomplete; run `git fetch --unshallow`"
                .to_string(),
        );
    }
    let exports = ci::load_all(&settings.ci, &mut warnings)?;
    let rules = ci::deploy::DeployRules {
        workflow: &settings.deploy_workflow,
        branch: settings.deploy_branch.as_deref(),
        environment: &settings.deploy_environment,
        count_failed: settings.count_failed_deploys,
    };
    let selection = exports
        .as_ref()
        .map(|e| rules.select(&e.runs, &e.deployments))
        .unwrap_or_default();
    if selection.without_commit > 0 {
        warnings.push(format!(
            "{} in the CI exports name no commit or time: left out",
            plural(selection.without_commit, "deployment", "deployments")
        ));
    }

    let (source, candidates) = if !selection.candidates.is_empty() {
        (Some(Source::Ci), selection.candidates)
    } else if repo.head.is_none() {
        warnings.push("the repository has no commits yet: nothing to measure".to_string());
        (None, Vec::new())
    } else {
        if exports.is_some() {
            warnings.push(format!(
                "no CI run of a workflow matching {}{} succeeded, and no deployment record of \
                 environment {} did: deployments come from git instead; set --deploy-workflow",
                settings.deploy_workflow,
                settings
                    .deploy_branch
                    .as_deref()
                    .map(|b| format!(" on branch {b}"))
                    .unwrap_or_default(),
                settings.deploy_environment
            ));
        }
        let tags = repo.tag_deployments(&settings.tag_pattern, settings.window.since)?;
        if tags.unreachable > 0 {
            warnings.push(format!(
                "{} matching {} {} not reachable from HEAD: left out",
                plural(tags.unreachable, "tag", "tags"),
                settings.tag_pattern,
                if tags.unreachable == 1 { "is" } else { "are" }
            ));
        }
        if tags.matched > 0 {
            (Some(Source::Tags), tags.deployments)
        } else {
            warnings.push(format!(
                "no tag matches {}: every first-parent commit of HEAD counts as a deployment \
                 (source merges), so lead time measures commit to merge, not commit to \
                 production; set --tag-pattern or give --ci exports",
                settings.tag_pattern
            ));
            (
                Some(Source::Merges),
                repo.merge_deployments(settings.window.since)?,
            )
        }
    };
    let deployments = repo.change_sets(
        deployment::sequence(candidates),
        source.unwrap_or(Source::Merges),
        settings.window.since,
    )?;
    let missing = deployments
        .iter()
        .filter(|d| settings.window.contains(d.time) && d.changes == deployment::ChangeSet::Missing)
        .count();
    if missing > 0 {
        warnings.push(format!(
            "{} in the window {} a commit that is not in the local repository (not fetched, or \
             force-pushed away): counted for frequency and failure rate, left out of lead time; \
             run `git fetch`",
            plural(missing, "deployment", "deployments"),
            if missing == 1 { "names" } else { "name" }
        ));
    }
    let incidents = match &settings.incidents {
        Some(path) => incidents::load(path)?,
        None => Vec::new(),
    };
    let runs = exports.map(|e| e.runs);
    let (measures, failures) =
        measures::compute(&deployments, &incidents, runs.as_deref(), &settings);

    let in_window = measures.deployment_frequency.deployments;
    if repo.head.is_some() && in_window == 0 {
        warnings.push(format!(
            "no deployments between {} and {}: widen the window with --since",
            window::rfc3339(settings.window.since),
            window::rfc3339(settings.window.until)
        ));
    } else if (1..5).contains(&in_window) {
        warnings.push(format!(
            "only {} in the window: low confidence in every measure",
            plural(in_window, "deployment", "deployments")
        ));
    }
    if measures.lead_time_for_changes.dropped > 0 {
        warnings.push(format!(
            "{} dropped: deployed at or before the commit's {} date ({})",
            plural(
                measures.lead_time_for_changes.dropped,
                "lead-time sample",
                "lead-time samples"
            ),
            match settings.commit_time {
                cli::CommitTime::Author => "author",
                cli::CommitTime::Committer => "committer",
            },
            if source == Some(Source::Merges) {
                // measures.md drops samples <= 0; with merges a commit made on the main line
                // is its own deployment, at the same second when it was never amended.
                "with source merges, a commit made directly on the main line is its own \
                 deployment, so its sample is 0; otherwise clock skew"
            } else {
                "clock skew"
            }
        ));
    }

    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        repository: report::Repository {
            path: repo
                .path
                .display()
                .to_string()
                .trim_end_matches('/')
                .to_string(),
            head: repo.head.map(|h| h.to_string()),
            shallow: repo.shallow,
        },
        window: (&settings.window).into(),
        deployments: report::Deployments::new(source, &deployments, &failures, &settings.window),
        targets: outcome::evaluate(&measures, &settings.targets),
        measures,
        warnings,
    };
    Ok(Analysis {
        report,
        settings,
        deployments,
        failures,
        runs: runs.unwrap_or_default(),
        deploy_runs: selection.deploy_runs,
        inputs,
    })
}
