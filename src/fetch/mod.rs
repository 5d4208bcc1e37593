//! Export CI runs from provider APIs into files that `--ci` reads.
use anyhow::Result;

use crate::cli::FetchCommand;

pub fn run(_cmd: &FetchCommand) -> Result<()> {
    anyhow::bail!("fetch: under construction")
}
