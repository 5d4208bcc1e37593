//! `valueflow schema`: the JSON Schema of the JSON report, derived (schemars) from the types
//! that write it and their serde attributes, so it cannot drift from the output.

use anyhow::{Context, Result};
use schemars::generate::SchemaSettings;

use crate::cli::{SchemaArgs, SchemaOf};
use crate::report::Report;
use crate::report::level::LevelReport;
use crate::report::trend::TrendReport;

pub fn run(args: &SchemaArgs) -> Result<()> {
    let text = crate::report::to_json(&schema(args.of)).context("cannot encode the schema")?;
    super::print(text.as_bytes())
}

/// The schema of what `of --format json` writes.
pub fn schema(of: SchemaOf) -> schemars::Schema {
    // For serialising: a key with `skip_serializing_if` is optional, every other key
    // required (an `Option` is written as `null`, never left out). The default, the
    // deserialising contract, would make every `Option` key optional.
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let (mut schema, title) = match of {
        SchemaOf::Report => (
            generator.into_root_schema_for::<LevelReport<'static>>(),
            "valueflow report --format json",
        ),
        SchemaOf::Measure => (
            generator.into_root_schema_for::<Report>(),
            "valueflow measure --format json",
        ),
        SchemaOf::Trend => (
            generator.into_root_schema_for::<TrendReport<'static>>(),
            "valueflow trend --format json",
        ),
    };
    schema.insert("title".into(), title.into());
    schema
}
