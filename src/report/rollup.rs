//! The views of a roll-up over several repositories: the union's figures in the same block
//! as one repository's (table.rs, markdown.rs), then a row per repository, most targets
//! missed first. JSON is the `Rollup` value itself.

use super::markdown::cell;
use super::table::{hang, width};
use super::view::Verdict;
use super::{Deployments, Report, Repository};
use crate::measures::Measures;
use crate::rollup::{Rollup, Row};
use crate::units::{duration, percent, plural};

const UNION: &str = "Medians are over the union of all repositories' samples (not a median of \
     medians), rates over all their deployments; the targets are the standard's.";

/// The roll-up's figures as a report of their own, for the measure blocks of table.rs and
/// markdown.rs.
fn as_report(rollup: &Rollup) -> Report {
    Report {
        schema_version: rollup.schema_version,
        tool: rollup.tool.clone(),
        repository: Repository {
            path: plural(rollup.repositories.len(), "repository", "repositories"),
            head: None,
            shallow: false,
        },
        window: rollup.window.clone(),
        deployments: Deployments {
            source: None,
            count: rollup.measures.change_failure_rate.deployments,
            list: Vec::new(),
            workflows: Vec::new(),
            paths: Vec::new(),
            unchanged: None,
        },
        measures: rollup.measures.clone(),
        warnings: rollup.warnings.clone(),
        service: None,
        services: Vec::new(),
        targets: rollup.outcome.clone(),
    }
}

fn outcome_line(rollup: &Rollup) -> String {
    let missed = rollup
        .outcome
        .iter()
        .filter(|t| t.met == Some(false))
        .count();
    let unknown = rollup.outcome.iter().filter(|t| t.met.is_none()).count();
    let verdict = match (missed, unknown) {
        (0, 0) => "met".to_string(),
        (0, _) => "unknown".to_string(),
        _ => format!(
            "not met ({missed} of {} targets missed)",
            rollup.outcome.len()
        ),
    };
    format!("Outcome statement across the repositories: {verdict}")
}

/// The headline cells of a row: deployments, lead time median, failure rate, recovery
/// median, zero-touch share, targets missed.
fn cells(m: &Measures, missed: usize) -> [String; 6] {
    let or_dash = |v: Option<f64>, show: fn(f64) -> String| v.map_or("—".to_string(), show);
    [
        m.change_failure_rate.deployments.to_string(),
        or_dash(m.lead_time_for_changes.median_hours, duration),
        or_dash(m.change_failure_rate.rate, percent),
        or_dash(m.mean_time_to_recovery.median_hours, duration),
        or_dash(m.pipeline_health.rate, percent),
        missed.to_string(),
    ]
}

const HEAD: [(&str, usize); 6] = [
    ("deploys", 7),
    ("lead time", 9),
    ("failure", 7),
    ("recovery", 8),
    ("zero-touch", 10),
    ("missed", 6),
];

/// A path cut from the left to fit `width` columns: the end of a path names the repository.
fn shorten(path: &str, width: usize) -> String {
    let n = path.chars().count();
    if n <= width {
        return path.to_string();
    }
    let tail: String = path.chars().skip(n + 1 - width).collect();
    format!("…{tail}")
}

pub fn table(rollup: &Rollup) -> String {
    let report = as_report(rollup);
    let (_, window) = super::view::headline(&report);
    let w = width().map(usize::from);
    let mut out = format!(
        "valueflow {} · roll-up of {}\n{}\n{}\n\n{}\n",
        rollup.tool.version,
        plural(rollup.repositories.len(), "repository", "repositories"),
        super::table::fit(&window),
        hang("", UNION, w),
        outcome_line(rollup)
    );
    out.push_str(&super::table::summary(&report));
    out.push_str("\nRepositories (most targets missed first)\n");
    // 2 + name + the figure columns, each after two spaces: 80 columns with a 22-wide name.
    let figures: usize = HEAD.iter().map(|(_, w)| w + 2).sum();
    let name = w.unwrap_or(80).max(60).saturating_sub(2 + figures).max(12);
    let line = |first: &str, rest: [String; 6]| {
        let mut line = format!("  {first:<name$}");
        for (cell, (_, w)) in rest.iter().zip(HEAD) {
            line.push_str(&format!("  {cell:>w$}"));
        }
        line.trim_end().to_string()
    };
    out.push_str(&line("repository", HEAD.map(|(h, _)| h.to_string())));
    out.push('\n');
    for row in &rollup.repositories {
        out.push_str(&line(
            &shorten(&row.path, name),
            cells(&row.measures, row.missed.len()),
        ));
        out.push('\n');
    }
    out.push_str(&hang(
        "",
        "missed: outcome targets the repository misses on its own figures.",
        w,
    ));
    out.push('\n');
    if !rollup.warnings.is_empty() {
        out.push('\n');
        for warning in &rollup.warnings {
            out.push_str(&hang("warning: ", warning, w));
            out.push('\n');
        }
    }
    out
}

pub fn markdown(rollup: &Rollup) -> String {
    let report = as_report(rollup);
    let (_, window) = super::view::headline(&report);
    let mut out = format!(
        "## Delivery across {}\n\n{window}\n\n{UNION}\n\n**{}**\n\n",
        plural(rollup.repositories.len(), "repository", "repositories"),
        outcome_line(rollup)
    );
    out.push_str(&super::markdown::measures_table(&report, Verdict::word));
    out.push_str(
        "\n### Repositories (most targets missed first)\n\n| repository | deployments | lead time \
         median | failure rate | recovery median | zero-touch | targets missed |\n\
         |---|--:|--:|--:|--:|--:|--:|\n",
    );
    for Row {
        path,
        missed,
        measures,
        ..
    } in &rollup.repositories
    {
        let c = cells(measures, missed.len());
        out.push_str(&format!(
            "| `{}` | {} |\n",
            cell(path),
            c.iter().map(|s| cell(s)).collect::<Vec<_>>().join(" | ")
        ));
    }
    if !rollup.warnings.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for warning in &rollup.warnings {
            out.push_str(&format!("- {}\n", cell(warning)));
        }
    }
    out
}

/// One page: the union's figures with their charts, then a table row per repository.
pub fn html(rollup: &Rollup) -> String {
    let report = as_report(rollup);
    let mut rows = vec![
        [
            "Repository",
            "Deployments",
            "Lead time median",
            "Failure rate",
            "Recovery median",
            "Zero-touch",
            "Targets missed",
        ]
        .map(str::to_string)
        .to_vec(),
    ];
    for row in &rollup.repositories {
        let mut line = vec![row.path.clone()];
        line.extend(cells(&row.measures, row.missed.len()));
        rows.push(line);
    }
    super::html::render_rollup(&report, &[outcome_line(rollup), UNION.to_string()], &rows)
}
