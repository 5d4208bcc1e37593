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
pub mod measures;
pub mod outcome;
pub mod report;
pub mod settings;
pub mod window;

use anyhow::Result;

use cli::{Cli, Command};

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

fn measure(_args: &cli::MeasureArgs) -> Result<Outcome> {
    anyhow::bail!("measure: under construction")
}
