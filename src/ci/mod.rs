//! CI run exports: one module per provider, all normalised to one PipelineRun.

pub mod run;

pub use run::{Conclusion, DeploymentRecord, PipelineRun, Provider, Status, Trigger};
