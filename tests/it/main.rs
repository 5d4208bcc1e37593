//! valueflow's integration tests: one binary, fixtures built in-process.

mod measure;
mod repo;
