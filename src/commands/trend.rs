//! `valueflow trend`: every measure per period, from one read of the history.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Utc;

use crate::assessment::{evidence::Facts, questionnaire};
use crate::cli::{self, TrendArgs};
use crate::events::period::Every;
use crate::pipeline::Analysis;
use crate::report::{self, Format, trend::TrendReport};
use crate::trend::{self, FileVersion, Inputs, Trend};

/// A trend's window when --since is not given: long enough for twelve months to compare.
const DEFAULT_SINCE: &str = "12m";

pub fn run(args: &TrendArgs) -> Result<()> {
    let format = super::format(&args.measure)?;
    if super::aggregate::several(&args.measure) {
        anyhow::bail!("trend reads one repository: give one -C and no --repos");
    }
    let mut measure = args.measure.clone();
    // The trend's own default wins over the project file's `since`, which is chosen for one
    // window (90 days), too short to show a trend.
    measure
        .since
        .get_or_insert_with(|| DEFAULT_SINCE.to_string());
    let analysis = crate::pipeline::analyse(&super::request(&measure, None), Utc::now())?;
    if let Some(output) = &args.measure.output {
        crate::output::refuse_overwriting_inputs(
            output,
            analysis.inputs.iter().map(PathBuf::as_path),
        )?;
    }
    let every = every(args.every);
    let mut notes = Vec::new();
    let trend = build(&analysis, every, &mut notes)?;
    let view = TrendReport::new(&analysis.report, &trend);
    let text = match format {
        Format::Json => report::to_json(&view)?,
        Format::Table => report::trend::table(&view),
        Format::Markdown => report::trend::markdown(&view),
        Format::Html => report::html::render_trend(&analysis.report, &trend),
    };
    if format == Format::Json || args.measure.output.is_some() {
        for warning in &analysis.report.warnings {
            eprintln!("warning: {warning}");
        }
    }
    for note in &notes {
        eprintln!("note: {note}");
    }
    report::emit_as(&text, format, args.measure.output.as_deref())
}

pub(super) fn every(every: cli::Every) -> Every {
    match every {
        cli::Every::Week => Every::Week,
        cli::Every::Month => Every::Month,
        cli::Every::Quarter => Every::Quarter,
    }
}

/// The trend over the analysis's window: the measures per period, their changes, and the
/// self-assessment at each commit that changed its answers (when there is one). Shared by
/// `trend` and `report`, whose trend section covers the report's own window.
pub(super) fn build(analysis: &Analysis, every: Every, notes: &mut Vec<String>) -> Result<Trend> {
    let settings = &analysis.settings;
    let inputs = Inputs {
        deployments: &analysis.deployments,
        incidents: &analysis.incidents,
        pulls: &analysis.pulls,
        runs: analysis.ci_given.then_some(analysis.runs.as_slice()),
        rules: settings.rules(),
        targets: &settings.targets,
    };
    let periods = trend::periods(&inputs, every);
    let changes = trend::changes(&periods);
    let assessment = match &analysis.project {
        Some(project) => {
            let committed = crate::pipeline::project_file_history(analysis, settings.window.since)?;
            let mut versions: Vec<FileVersion<'_>> = committed
                .iter()
                .map(|v| FileVersion {
                    time: Some(v.time),
                    commit: Some(v.commit.clone()),
                    text: &v.text,
                })
                .collect();
            if committed.first().map(|v| v.text.as_str()) != Some(project.text()) {
                versions.insert(
                    0,
                    FileVersion {
                        time: None,
                        commit: None,
                        text: project.text(),
                    },
                );
            }
            let facts = Facts::new(
                &analysis.report.measures,
                analysis.report.deployments.source,
                &analysis.deployments,
                &settings.window,
                &analysis.runs,
                &analysis.deploy_runs,
            );
            let (history, more) = trend::assessment_history(
                questionnaire::embedded(),
                project.path(),
                &versions,
                &facts,
            );
            notes.extend(more);
            history
        }
        None => Vec::new(),
    };
    Ok(Trend {
        every,
        since: crate::events::window::rfc3339(settings.window.since),
        until: crate::events::window::rfc3339(settings.window.until),
        periods,
        changes,
        assessment,
    })
}
