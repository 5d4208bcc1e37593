//! One file per subcommand: each turns its clap arguments (crate::cli) into the plain options
//! of the domain modules, runs the pipeline, and prints. Nothing below `commands` reads clap
//! types.

mod fetch;
mod init;
mod measure;
mod report;
mod validate;

use anyhow::Result;

use crate::cli::{self, Cli, Command};
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
        Command::Fetch(cmd) => fetch::run(&cmd).map(|()| Exit::Done),
    }
}

/// What the measuring pipeline is asked, from the flags `measure` and `report` share.
fn request(args: &cli::MeasureArgs, project: Option<&std::path::Path>) -> Request {
    Request {
        repo: args.repo.clone(),
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
        },
    }
}

/// The format asked for, else the one `-o`'s extension implies, else the table.
fn format(args: &cli::MeasureArgs) -> crate::report::Format {
    use crate::report::Format;
    match args.format {
        Some(cli::Format::Table) => Format::Table,
        Some(cli::Format::Markdown) => Format::Markdown,
        Some(cli::Format::Json) => Format::Json,
        None => Format::implied_by(args.output.as_deref()),
    }
}
