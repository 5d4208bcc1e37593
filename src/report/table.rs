//! The terminal view: one block a person takes in at a glance.

use comfy_table::{Table, presets};

use super::Report;
use super::view::{deployment_lines, headline, measure_rows};

/// The one table style of the terminal views.
pub(crate) fn grid(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(header.to_vec());
    table
}

pub fn render(report: &Report) -> String {
    let (repo, window) = headline(report);
    let mut out = format!("valueflow {}\n{repo}\n{window}\n\n", report.tool.version);

    let mut measures = grid(&["Measure", "Value", "Tier", "Based on", "Target", ""]);
    let mut reasons = Vec::new();
    for row in measure_rows(report) {
        if let Some(reason) = &row.reason {
            reasons.push(format!("  {}: {reason}", row.name));
        }
        measures.add_row(vec![
            row.name.to_string(),
            row.value,
            row.tier,
            row.basis,
            row.target,
            row.verdict.symbol().to_string(),
        ]);
    }
    out.push_str(&format!("{measures}\n"));
    if !reasons.is_empty() {
        out.push_str(&format!("Not measured:\n{}\n", reasons.join("\n")));
    }

    let (lines, hidden) = deployment_lines(report);
    if !lines.is_empty() {
        out.push_str("\nDeployments (oldest first)\n");
        let mut list = grid(&["Time (UTC)", "Ref", "Commit", "Changes", "Status"]);
        for d in lines {
            list.add_row(vec![d.time, d.reference, d.commit, d.changes, d.status]);
        }
        out.push_str(&format!("{list}\n"));
        if hidden > 0 {
            out.push_str(&format!(
                "{hidden} earlier deployments: see --format json\n"
            ));
        }
    }
    if !report.warnings.is_empty() {
        out.push('\n');
        for warning in &report.warnings {
            out.push_str(&format!("warning: {warning}\n"));
        }
    }
    out
}
