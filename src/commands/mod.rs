//! One file per subcommand: each turns its clap arguments (crate::cli) into the plain options
//! of the domain modules, runs the pipeline, and prints. Nothing below `commands` reads clap
//! types.

mod aggregate;
mod completions;
mod diff;
mod fetch;
mod init;
mod man;
mod measure;
mod report;
mod schema;
mod trend;
mod validate;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::{self, Cli, Command};
use crate::history::{HistoryError, Repo};
use crate::pipeline::Request;
use crate::settings::Overrides;

/// How a successful run ends: done, or a gate the user asked for failed (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done,
    GateFailed,
}

pub fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Init(args) => init::run(&args).map(|()| Exit::Done),
        Command::Validate(args) => validate::run(&args),
        Command::Measure(args) => measure::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Trend(args) => trend::run(&args).map(|()| Exit::Done),
        Command::Aggregate(args) => aggregate::run(&args).map(|()| Exit::Done),
        Command::Diff(args) => diff::run(&args).map(|()| Exit::Done),
        Command::Fetch(cmd) => fetch::run(&cmd).map(|()| Exit::Done),
        Command::Schema(args) => schema::run(&args).map(|()| Exit::Done),
        Command::Completions(args) => completions::run(&args).map(|()| Exit::Done),
        Command::Man(args) => man::run(&args).map(|()| Exit::Done),
    }
}

/// What the measuring pipeline is asked, from the flags `measure` and `report` share.
fn request(args: &cli::MeasureArgs, project: Option<&std::path::Path>) -> Request {
    Request {
        repo: args.repo.first().cloned(),
        project: project.map(std::path::Path::to_path_buf),
        overrides: Overrides {
            since: args.since.clone(),
            until: args.until.clone(),
            ci: args.ci.clone(),
            incidents: args.incidents.clone(),
            tag_pattern: args.tag_pattern.clone(),
            deploy_workflow: args.deploy_workflow.clone(),
            deploy_branch: args.deploy_branch.clone(),
            deploy_environment: args.deploy_environment.clone(),
            hotfix_pattern: args.hotfix_pattern.clone(),
            hotfix_window: args.hotfix_window.clone(),
            revert_window: args.revert_window.clone(),
            incident_window: args.incident_window.clone(),
            commit_time: args.commit_time.map(|which| match which {
                cli::CommitTime::Author => crate::events::CommitTime::Author,
                cli::CommitTime::Committer => crate::events::CommitTime::Committer,
            }),
            count_failed_deploys: args.count_failed_deploys,
            paths: args.paths.clone(),
            prs: args.prs.clone(),
            exclude_author: args.exclude_author.clone(),
        },
        service: args.service.clone(),
    }
}

/// The format asked for, else the one `-o`'s extension implies (an unknown extension is an
/// error), else the table.
fn format(args: &cli::MeasureArgs) -> Result<crate::report::Format> {
    use crate::report::Format;
    Ok(match args.format {
        Some(cli::Format::Table) => Format::Table,
        Some(cli::Format::Markdown) => Format::Markdown,
        Some(cli::Format::Json) => Format::Json,
        Some(cli::Format::Html) => Format::Html,
        None => Format::implied_by(args.output.as_deref())?,
    })
}

/// valueflow.toml in the root of the repository at or above `repo` (-C), else the current
/// directory's, as `measure` and `report` find it. A directory in no repository is its own
/// root: init and validate work without one.
fn project_file(repo: Option<&Path>) -> Result<PathBuf> {
    let start = match repo {
        Some(path) => path.to_path_buf(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let root = match Repo::open(&start) {
        Ok(repo) => repo.path,
        // A missing -C directory is a mistake to report, not a place to write.
        Err(err @ HistoryError::NotFound { .. }) => return Err(err.into()),
        Err(_) => start,
    };
    let path = root.join(crate::settings::PROJECT_FILE);
    // Shown as the user would type it: relative to the current directory when inside it.
    let here = std::env::current_dir().ok();
    let relative = here.and_then(|here| {
        let here = here.canonicalize().unwrap_or(here);
        let canonical = root.canonicalize().unwrap_or(root);
        canonical
            .strip_prefix(&here)
            .ok()
            .map(|rest| rest.join(crate::settings::PROJECT_FILE))
    });
    Ok(relative.unwrap_or(path))
}

/// Generated text (a completion script, a man page) to standard output.
fn print(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}
