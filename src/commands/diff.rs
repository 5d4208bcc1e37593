//! `valueflow diff OLD NEW`: what changed between two saved JSON reports.

use anyhow::{Context, Result};

use crate::cli::{self, DiffArgs};
use crate::report::{self, Format, diff};

pub fn run(args: &DiffArgs) -> Result<()> {
    let format = match args.format {
        Some(cli::Format::Table) => Format::Table,
        Some(cli::Format::Markdown) => Format::Markdown,
        Some(cli::Format::Json) => Format::Json,
        Some(cli::Format::Html) => Format::Html,
        None => Format::implied_by(args.output.as_deref())?,
    };
    if format == Format::Html {
        anyhow::bail!("diff has no HTML view yet: use --format table, markdown or json");
    }
    let read = |path: &std::path::Path| -> Result<serde_json::Value> {
        let text = crate::input::read_text(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Ok(diff::parse(&path.display().to_string(), &text)?)
    };
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    if let Some(output) = &args.output {
        crate::output::refuse_overwriting_inputs(output, [args.old.as_path(), args.new.as_path()])?;
    }
    let d = diff::diff(
        &args.old.display().to_string(),
        &old,
        &args.new.display().to_string(),
        &new,
    );
    let text = match format {
        Format::Json => report::to_json(&d)?,
        Format::Table => diff::table(&d),
        Format::Markdown | Format::Html => diff::markdown(&d),
    };
    report::emit(&text, args.output.as_deref())
}
