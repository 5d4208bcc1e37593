//! The terminal view: one block a person takes in at a glance.

use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Table, presets};

use super::Report;
use super::view::{deployment_lines, headline, measure_rows};

/// The width the terminal views fit: `COLUMNS` when set, else the terminal's when standard
/// output is one; no limit when the text goes to a pipe or a file.
pub(crate) fn width() -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c > 0);
    columns.or_else(|| {
        std::io::stdout()
            .is_terminal()
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(w, _)| w.0)
    })
}

/// The one table style of the terminal views, wrapping its cells (at spaces where it can) to
/// fit the width when there is one.
pub(crate) fn grid(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(header.to_vec());
    if let Some(width) = width() {
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(width);
    }
    table
}

/// A headline line of parts joined by ` · `, broken before a part that would pass the width.
pub(crate) fn fit(line: &str) -> String {
    let Some(width) = width().map(usize::from) else {
        return line.to_string();
    };
    let mut out = String::new();
    let mut current = 0;
    for (i, part) in line.split(" · ").enumerate() {
        let len = part.chars().count();
        if i > 0 && current + 3 + len > width {
            out.push('\n');
            current = 0;
        } else if i > 0 {
            out.push_str(" · ");
            current += 3;
        }
        out.push_str(part);
        current += len;
    }
    out
}

/// Lines of prose broken at spaces to fit the width; a broken line goes on two spaces
/// further in than it started.
pub(crate) fn wrap(text: &str) -> String {
    let Some(width) = width().map(usize::from) else {
        return text.to_string();
    };
    text.split('\n')
        .map(|line| wrap_line(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

fn wrap_line(line: &str, width: usize) -> String {
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    let mut out = " ".repeat(indent);
    let mut current = indent;
    let mut first = true;
    for word in body.split(' ') {
        let len = word.chars().count();
        if !first && current + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent + 2));
            current = indent + 2;
        } else if !first {
            out.push(' ');
            current += 1;
        }
        out.push_str(word);
        current += len;
        first = false;
    }
    out
}

pub fn render(report: &Report) -> String {
    let (repo, window) = headline(report);
    let window = fit(&window);
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
            out.push_str(&format!("{}\n", wrap(&format!("warning: {warning}"))));
        }
    }
    out
}
