//! `valueflow fetch`: CI runs from a provider's API into an export file.

use anyhow::Result;

use crate::cli::FetchCommand;

pub fn run(cmd: &FetchCommand) -> Result<()> {
    crate::fetch::run(cmd)
}
