//! valueflow: how well does a team's delivery flow?
//!
//! The flow runs one way (docs/architecture.md): `commands` turn the command line into plain
//! options; `pipeline` reads the sources (`history`, `ci`, `incidents`, under `settings`) into
//! normalised `events`, computes the `measures` and the `outcome`, and builds one `report`
//! value; `report` then adds the `assessment` and prints it as a table, markdown or json.

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
pub mod pager;
pub mod pipeline;
pub mod progress;
pub mod pull_requests;
pub mod report;
pub mod rollup;
pub mod settings;
pub mod trend;
pub mod units;
