//! The self-assessment: questionnaire, init/validate, scoring against evidence.
use anyhow::Result;

use crate::Outcome;
use crate::cli::{InitArgs, ReportArgs, ValidateArgs};

pub fn init(_args: &InitArgs) -> Result<()> {
    anyhow::bail!("init: under construction")
}

pub fn validate(_args: &ValidateArgs) -> Result<Outcome> {
    anyhow::bail!("validate: under construction")
}

pub fn report(_args: &ReportArgs) -> Result<Outcome> {
    anyhow::bail!("report: under construction")
}
