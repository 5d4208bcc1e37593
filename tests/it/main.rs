//! valueflow's integration tests: one binary, fixtures built in-process.

mod ci;
mod fetch;
mod measure;
mod repo;
