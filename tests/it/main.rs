//! valueflow's integration tests: one binary, fixtures built in-process.

mod assessment;
mod ci;
mod ci_examples;
mod command;
mod conventions;
mod example_repo;
mod fetch;
mod fuzz;
mod hostile;
mod html;
mod measure;
mod monorepo;
mod repo;
mod report_cmd;
mod rollup;
mod schema;
mod scoring;
mod squash;
mod trend;
