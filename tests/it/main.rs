//! valueflow's integration tests: one binary, fixtures built in-process.

mod assessment;
mod ci;
mod command;
mod fetch;
mod fuzz;
mod hostile;
mod measure;
mod repo;
mod report_cmd;
mod scoring;
