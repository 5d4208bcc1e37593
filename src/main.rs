//! The thin binary: parse, dispatch, print errors, map exit codes.

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = valueflow::cli::Cli::parse();
    match valueflow::commands::run(cli) {
        Ok(valueflow::commands::Exit::Done) => ExitCode::SUCCESS,
        Ok(valueflow::commands::Exit::GateFailed) => ExitCode::from(1),
        Err(err) => {
            // `valueflow measure | head` is not an error (ripgrep does the same).
            let broken_pipe = err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
