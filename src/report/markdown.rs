//! GitHub-flavoured Markdown for a pull request, a wiki or `$GITHUB_STEP_SUMMARY`: tables only,
//! no raw HTML.

use super::Report;
use super::view::{Verdict, deployment_lines, headline, measure_rows};

/// Text as Markdown shows it literally: a pipe would end the cell, and `\.` in a regex would
/// render as `.`, `_x_` as emphasis.
pub(crate) fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '`' | '*' | '_' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The measures as a GitHub table, then why any of them could not be measured. `verdict`
/// writes the last column, which the level report spells out for unknowns.
pub(crate) fn measures_table(report: &Report, verdict: fn(Verdict) -> &'static str) -> String {
    let mut out = String::from("| Measure | Value | Tier | Based on | Target | Met |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    let mut reasons = Vec::new();
    for row in measure_rows(report) {
        if let Some(reason) = &row.reason {
            reasons.push(format!("- **{}**: {}", row.name, cell(reason)));
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            row.name,
            cell(&row.value),
            row.tier,
            cell(&row.basis),
            cell(&row.target),
            verdict(row.verdict)
        ));
    }
    if !reasons.is_empty() {
        out.push_str(&format!("\nNot measured:\n\n{}\n", reasons.join("\n")));
    }
    if let Some(line) = super::view::workflows_line(report) {
        out.push_str(&format!("\n{}\n", cell(&line)));
    }
    if let Some(line) = super::view::paths_line(report) {
        out.push_str(&format!("\n{}\n", cell(&line)));
    }
    let services = super::view::service_rows(report);
    if !services.is_empty() {
        out.push_str(
            "\n#### Services\n\n| Service | Paths | Deployments | Unchanged | Lead time | \
             Change failure rate | Recovery | Rework |\n|---|---|---:|---:|---:|---:|---:|---:|\n",
        );
        for r in services {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                cell(&r.name),
                cell(&r.paths),
                r.deployments,
                r.unchanged,
                r.lead_time,
                r.failure_rate,
                r.recovery,
                r.rework
            ));
        }
        out.push_str(&format!("\n{}\n", super::view::SERVICES_NOTE));
    }
    out
}

/// "Where the lead time goes", as a table, when pull-request data took part.
pub(crate) fn breakdown(report: &Report) -> String {
    let Some(view) = super::view::breakdown(report) else {
        return String::new();
    };
    let mut out = format!(
        "\n### {}\n\n| Stage | Median | p90 | Share of lead time |\n|---|---:|---:|---:|\n",
        cell(&view.title)
    );
    for [name, median, p90, share] in &view.rows {
        out.push_str(&format!(
            "| {} | {median} | {p90} | {share} |\n",
            cell(name)
        ));
    }
    out.push_str(&format!("\n{}\n", cell(&view.summary)));
    out
}

pub fn render(report: &Report) -> String {
    let (repo, window) = headline(report);
    let mut out = format!("## Delivery measures\n\n`{}` · {window}\n\n", cell(&repo));
    out.push_str(&measures_table(report, Verdict::symbol));
    out.push_str(&breakdown(report));

    let (lines, hidden) = deployment_lines(report);
    if !lines.is_empty() {
        out.push_str("\n### Deployments\n\n| Time (UTC) | Ref | Commit | Changes | Status |\n");
        out.push_str("|---|---|---|---:|---|\n");
        for d in lines {
            out.push_str(&format!(
                "| {} | {} | `{}` | {} | {} |\n",
                d.time,
                cell(&d.reference),
                d.commit,
                d.changes,
                d.status
            ));
        }
        if hidden > 0 {
            out.push_str(&format!(
                "\n{hidden} earlier deployments: run with --format json to see them all.\n"
            ));
        }
    }
    if !report.warnings.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for warning in &report.warnings {
            out.push_str(&format!("- {}\n", cell(warning)));
        }
    }
    out
}
