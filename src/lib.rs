//! valueflow: how well does a team's delivery flow?
//!
//! The pipeline runs one way: sources (git history, CI exports, incidents) -> normalised
//! events (deployments with change sets, pipeline runs) -> measures (pure functions) ->
//! assessment -> one report value -> a renderer (table, markdown, json).

pub mod assessment;
pub mod ci;
pub mod cli;
pub mod commands;
pub mod events;
pub mod fetch;
pub mod history;
pub mod incidents;
pub mod input;
pub mod measures;
pub mod outcome;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod settings;
pub mod units;
