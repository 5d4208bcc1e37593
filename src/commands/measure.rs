//! `valueflow measure`: the key measures of one window.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;

use super::Exit;
use crate::cli::MeasureArgs;
use crate::report::{self, Format};

pub fn run(args: &MeasureArgs) -> Result<Exit> {
    // Before the history is read: a bad -o extension fails at once, and writes nothing.
    let format = super::format(args)?;
    if super::aggregate::several(args) {
        super::aggregate::measure_all(args, format)?;
        return Ok(Exit::Done);
    }
    let analysis = crate::pipeline::analyse(&super::request(args, None), Utc::now())?;
    if let Some(output) = &args.output {
        crate::output::refuse_overwriting_inputs(
            output,
            analysis.inputs.iter().map(PathBuf::as_path),
        )?;
    }
    let text = report::render(&analysis.report, format)?;
    // The human views end with the warnings; say them on stderr too unless that view is
    // already going to the same screen.
    if format == Format::Json || args.output.is_some() {
        for warning in &analysis.report.warnings {
            eprintln!("warning: {warning}");
        }
    }
    report::emit_as(&text, format, args.output.as_deref())?;
    Ok(Exit::Done)
}
