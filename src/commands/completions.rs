//! `valueflow completions`: the shell's completion script, from the clap definitions.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<()> {
    // Rendered into memory first: clap_complete panics on a failed write, and
    // `valueflow completions bash | head` must end as quietly as any other closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "valueflow", &mut script);
    super::print(&script)
}
