//! `valueflow man`: the manual pages, from the clap definitions (so they list every flag and
//! the same examples as --help).

use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::units::plural;

pub fn run(args: &ManArgs) -> Result<()> {
    let mut top = Cli::command().disable_help_subcommand(true);
    // Built once, so each subcommand knows its full name (valueflow-fetch-github).
    top.build();
    match &args.output {
        None => super::print(&render(&top)?),
        Some(dir) => write_pages(&top, dir),
    }
}

fn render(cmd: &clap::Command) -> Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut page)
        .context("cannot render the manual page")?;
    Ok(page)
}

/// valueflow.1, then valueflow-init.1, valueflow-fetch.1, valueflow-fetch-github.1, …: the
/// names `man valueflow-report` looks for.
fn write_pages(top: &clap::Command, dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        anyhow::bail!(
            "-o {}: no such directory; create it first (man pages go in a man1 folder)",
            dir.display()
        );
    }
    let mut pending = vec![top.clone()];
    let mut written = 0;
    while let Some(cmd) = pending.pop() {
        pending.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
        let man = clap_mangen::Man::new(cmd.clone());
        crate::output::write_atomically(&dir.join(man.get_filename()), &render(&cmd)?)?;
        written += 1;
    }
    eprintln!(
        "wrote {} to {}",
        plural(written, "manual page", "manual pages"),
        dir.display()
    );
    Ok(())
}
