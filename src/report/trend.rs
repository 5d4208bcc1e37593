//! The views of a trend: JSON (the `trend` object beside the run's facts), the terminal table
//! (fits 80 columns) and Markdown.

use chrono::{DateTime, Datelike};
use schemars::JsonSchema;
use serde::Serialize;

use super::{Report, Repository, Tool};
use crate::events::deployment::Source;
use crate::events::period::Every;
use crate::trend::{Change, Direction, FIGURES, PeriodMeasures, Trend};

/// `trend --format json`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TrendReport<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    pub repository: &'a Repository,
    pub source: Option<Source>,
    pub trend: &'a Trend,
    pub warnings: &'a [String],
}

impl<'a> TrendReport<'a> {
    pub fn new(report: &'a Report, trend: &'a Trend) -> TrendReport<'a> {
        TrendReport {
            schema_version: super::SCHEMA_VERSION,
            tool: Tool::default(),
            repository: &report.repository,
            source: report.deployments.source,
            trend,
            warnings: &report.warnings,
        }
    }
}

/// `2026-W03`, `2026-01`, `2026-Q1`: the calendar period a row stands for.
pub(super) fn label(period: &PeriodMeasures, every: Every) -> String {
    let Ok(since) = DateTime::parse_from_rfc3339(&period.since) else {
        return period.since.clone();
    };
    let d = since.date_naive();
    match every {
        Every::Week => {
            let w = d.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Every::Month => format!("{}-{:02}", d.year(), d.month()),
        Every::Quarter => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
    }
}

pub(super) fn date(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

/// A headline figure as the views show it, `—` when not measured.
fn figure(i: usize, value: Option<f64>) -> String {
    value.map_or("—".to_string(), FIGURES[i].show)
}

/// "lead time median 20h -> 14h, -30%, better".
pub(super) fn change_line(i: usize, change: &Change) -> String {
    let f = &FIGURES[i];
    let mut text = format!(
        "{} -> {}",
        figure(i, change.before),
        figure(i, change.after)
    );
    if let Some(p) = change.percent {
        text.push_str(&format!(", {p:+.0}%"));
    }
    match (change.direction, change.better) {
        (None, _) => text.push_str(", not measured in both"),
        (Some(Direction::Same), _) => text.push_str(", no change"),
        (_, Some(true)) => text.push_str(", better"),
        (_, Some(false)) => text.push_str(", worse"),
        (_, None) => {}
    }
    if change.too_few_to_judge && matches!(change.direction, Some(Direction::Up | Direction::Down))
    {
        text.push_str(if f.measure == "pipeline_health" {
            ", too few runs to judge"
        } else {
            ", too few deployments to judge"
        });
    }
    text
}

pub(super) fn period_name(every: Every) -> &'static str {
    match every {
        Every::Week => "weeks",
        Every::Month => "months",
        Every::Quarter => "quarters",
    }
}

/// Column headers (two lines) and widths of the period table: 73 columns in all.
const HEAD: [(&str, &str, usize); 8] = [
    ("", "period", 10),
    ("deploy", "ments", 6),
    ("lead", "time", 8),
    ("deploys", "a week", 8),
    ("failure", "rate", 7),
    ("recovery", "median", 8),
    ("zero-", "touch", 6),
    ("rework", "rate", 6),
];

fn row(cells: &[String]) -> String {
    let mut line = String::new();
    for (i, (cell, (_, _, w))) in cells.iter().zip(HEAD).enumerate() {
        if i == 0 {
            line.push_str(&format!("{cell:<w$}"));
        } else {
            line.push_str(&format!("  {cell:>w$}"));
        }
    }
    line.trim_end().to_string()
}

pub(super) fn cells(
    trend: &Trend,
    p: &PeriodMeasures,
    values: [Option<f64>; 6],
    count: bool,
) -> Vec<String> {
    let mut name = label(p, trend.every);
    if p.partial {
        name.push('*');
    }
    let deployments = if count {
        let n = p.measures.deployment_frequency.deployments;
        format!("{n}{}", if p.too_few_to_judge { "?" } else { "" })
    } else {
        String::new()
    };
    let mut out = vec![name, deployments];
    // Deployments a week as a bare number: the header says the unit.
    out.extend(values.iter().enumerate().map(|(i, v)| match (i, v) {
        (1, Some(w)) => format!("{w:.1}"),
        _ => figure(i, *v),
    }));
    out
}

fn header() -> String {
    let top: Vec<String> = HEAD.iter().map(|(t, _, _)| t.to_string()).collect();
    let bottom: Vec<String> = HEAD.iter().map(|(_, b, _)| b.to_string()).collect();
    format!("{}\n{}\n", row(&top), row(&bottom))
}

/// The terminal view: the figures per period, their 3-period rolling medians, the change
/// between the last two full periods and the self-assessment at each change of answers.
pub fn table(view: &TrendReport<'_>) -> String {
    let trend = view.trend;
    let width = super::table::width().map(usize::from);
    let mut out = format!(
        "Trend by {}, {} to {}{}\n\n",
        trend.every.as_str(),
        date(&trend.since),
        date(&trend.until),
        view.source
            .map(|s| format!(" (deployments from {})", s.as_str()))
            .unwrap_or_default()
    );
    out.push_str(&header());
    for p in &trend.periods {
        let values = FIGURES.map(|f| (f.of)(&p.measures));
        out.push_str(&row(&cells(trend, p, values, true)));
        out.push('\n');
    }
    out.push_str(&super::table::hang(
        "",
        "* partial: clipped to the window. ? fewer than 5 deployments: too few to judge.",
        width,
    ));
    out.push_str("\n\nRolling median over 3 periods\n");
    out.push_str(&header());
    for p in &trend.periods {
        out.push_str(&row(&cells(trend, p, p.rolling_median.values(), false)));
        out.push('\n');
    }
    out.push('\n');
    changes_block(view, &mut out, width);
    assessment_block(trend, &mut out);
    if !view.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for warning in view.warnings {
            out.push_str(&super::table::hang("  ", warning, width));
            out.push('\n');
        }
    }
    out
}

fn changes_block(view: &TrendReport<'_>, out: &mut String, width: Option<usize>) {
    let trend = view.trend;
    let (Some(from), Some(to)) = (&trend.changes.from, &trend.changes.to) else {
        out.push_str(&super::table::hang(
            "",
            &format!(
                "Change: fewer than two full {} in the window, nothing to compare.",
                period_name(trend.every)
            ),
            width,
        ));
        out.push('\n');
        return;
    };
    out.push_str(&format!(
        "Change between the last two full {}, {} and {}\n",
        period_name(trend.every),
        date(&from.since),
        date(&to.since)
    ));
    for (i, change) in trend.changes.measures.iter().enumerate() {
        let name = format!("  {:<21}", FIGURES[i].label);
        out.push_str(&super::table::hang(&name, &change_line(i, change), width));
        out.push('\n');
    }
}

fn assessment_block(trend: &Trend, out: &mut String) {
    let versions = &trend.assessment;
    if versions.is_empty() {
        return;
    }
    out.push_str("\nSelf-assessment: levels as answered, at each commit that changed them\n");
    let mut head = format!("  {:<11}{:<11}", "commit", "date");
    for c in crate::assessment::questionnaire::Category::ALL {
        head.push_str(&format!("{:>12}", c.id()));
    }
    head.push_str(&format!("{:>8}", "overall"));
    out.push_str(&head);
    out.push('\n');
    for v in versions {
        let commit = v
            .commit
            .as_deref()
            .map_or("work tree", crate::units::short_sha);
        let mut line = format!(
            "  {:<11}{:<11}",
            commit,
            v.time.as_deref().map_or("—", date)
        );
        for c in &v.levels {
            let cell = match c.verified_level {
                Some(verified) if verified != c.level => format!("{} (v{verified})", c.level),
                _ => c.level.to_string(),
            };
            line.push_str(&format!("{cell:>12}"));
        }
        let overall = match v.verified_level {
            Some(verified) if verified != v.overall_level => {
                format!("{} (v{verified})", v.overall_level)
            }
            _ => v.overall_level.to_string(),
        };
        line.push_str(&format!("{overall:>8}"));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(
        "  (vN: the verified level, after the data's corrections; current version only)\n",
    );
}

/// Markdown for a pull request or a wiki page.
pub fn markdown(view: &TrendReport<'_>) -> String {
    let trend = view.trend;
    let mut out = format!(
        "## Trend by {}, {} to {}\n\n",
        trend.every.as_str(),
        date(&trend.since),
        date(&trend.until)
    );
    out.push_str(&markdown_sections(trend, "###", true));
    if !view.warnings.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for warning in view.warnings {
            out.push_str(&format!("- {}\n", super::markdown::cell(warning)));
        }
    }
    out
}

/// The report's trend section in Markdown: the periods, the change, and the assessment's
/// history when the answers changed in the window (`trend` adds the rolling medians).
pub(super) fn report_markdown(trend: &Trend) -> String {
    let mut out = format!("### Trend by {}\n\n", trend.every.as_str());
    out.push_str(&markdown_sections(trend, "####", false));
    out
}

/// The periods, their rolling medians (when `rolling`), the change and the assessment's
/// history as Markdown, under `heading` (`###` in `trend`'s page, `####` in `report`'s
/// trend section).
pub(super) fn markdown_sections(trend: &Trend, heading: &str, rolling: bool) -> String {
    let cell = super::markdown::cell;
    let mut out = String::from(
        "| period | deployments | lead time | deploys a week | failure rate | recovery | zero-touch | rework |\n\
         |---|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for p in &trend.periods {
        let values = FIGURES.map(|f| (f.of)(&p.measures));
        let c = cells(trend, p, values, true);
        out.push_str(&format!(
            "| {} |\n",
            c.iter().map(|s| cell(s)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out.push_str(
        "\n\\* partial: clipped to the window. ? fewer than 5 deployments: too few to judge.\n",
    );
    if rolling {
        out.push_str(&format!("\n{heading} Rolling median over 3 periods\n\n"));
        out.push_str(
            "| period | lead time | deploys a week | failure rate | recovery | zero-touch | rework |\n\
             |---|--:|--:|--:|--:|--:|--:|\n",
        );
    }
    for p in trend.periods.iter().filter(|_| rolling) {
        let c = cells(trend, p, p.rolling_median.values(), false);
        let c: Vec<String> = c
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, s)| cell(s))
            .collect();
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    if let (Some(from), Some(to)) = (&trend.changes.from, &trend.changes.to) {
        out.push_str(&format!(
            "\n{heading} Change between the last two full {}, {} and {}\n\n",
            period_name(trend.every),
            date(&from.since),
            date(&to.since)
        ));
        out.push_str("| measure | change |\n|---|---|\n");
        for (i, change) in trend.changes.measures.iter().enumerate() {
            out.push_str(&format!(
                "| {} | {} |\n",
                FIGURES[i].label,
                cell(&change_line(i, change))
            ));
        }
    }
    // In the report the current answers are the maturity section: a history needs two.
    if trend.assessment.len() > usize::from(!rolling) {
        out.push_str(&format!(
            "\n{heading} Self-assessment over time (levels as answered)\n\n| commit | date |"
        ));
        for c in crate::assessment::questionnaire::Category::ALL {
            out.push_str(&format!(" {} |", c.id()));
        }
        out.push_str(" overall |\n|---|---|--:|--:|--:|--:|--:|\n");
        for v in &trend.assessment {
            out.push_str(&format!(
                "| {} | {} |",
                v.commit
                    .as_deref()
                    .map_or("work tree", crate::units::short_sha),
                v.time.as_deref().map_or("—", date)
            ));
            for c in &v.levels {
                match c.verified_level {
                    Some(verified) if verified != c.level => {
                        out.push_str(&format!(" {} (verified {verified}) |", c.level));
                    }
                    _ => out.push_str(&format!(" {} |", c.level)),
                }
            }
            match v.verified_level {
                Some(verified) if verified != v.overall_level => {
                    out.push_str(&format!(" {} (verified {verified}) |\n", v.overall_level));
                }
                _ => out.push_str(&format!(" {} |\n", v.overall_level)),
            }
        }
    }
    out
}

/// Sparklines show at most this many periods, the latest: one character each.
const SPARK_PERIODS: usize = 26;

/// One character per value, ▁ for the row's lowest to █ for its highest (▄ when all are
/// equal), `·` for a period without a figure.
fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known = values.iter().flatten();
    let lo = known.clone().copied().fold(f64::INFINITY, f64::min);
    let hi = known.copied().fold(f64::NEG_INFINITY, f64::max);
    values
        .iter()
        .map(|v| match v {
            None => '·',
            Some(_) if hi <= lo => BARS[3],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

/// The report's trend section for the terminal: a sparkline per measure over the window's
/// periods and the change between the last two full ones; the self-assessment's history
/// when the answers changed in the window.
pub fn section(trend: &Trend) -> String {
    let width = super::table::width().map(usize::from);
    let periods = &trend.periods[trend.periods.len().saturating_sub(SPARK_PERIODS)..];
    let name = period_name(trend.every);
    let partial = match (
        periods.first().is_some_and(|p| p.partial),
        periods.last().is_some_and(|p| p.partial) && periods.len() > 1,
    ) {
        (true, true) => "; first and last partial",
        (true, false) => "; first partial",
        (false, true) => "; last partial",
        (false, false) => "",
    };
    let shown = if periods.len() < trend.periods.len() {
        format!("the last {} {name}", periods.len())
    } else {
        format!("{} {name}", periods.len())
    };
    let mut out = super::table::hang(
        "",
        &format!(
            "Trend by {}: {shown}, oldest first{partial} (▁ lowest … █ highest, · none)",
            trend.every.as_str()
        ),
        width,
    );
    out.push('\n');
    let compared = trend.changes.from.is_some();
    for (i, f) in FIGURES.iter().enumerate() {
        let values: Vec<Option<f64>> = periods.iter().map(|p| (f.of)(&p.measures)).collect();
        let prefix = format!(
            "  {:<20} {:<w$} ",
            f.label,
            sparkline(&values),
            w = periods.len()
        );
        let text = match trend.changes.measures.get(i) {
            _ if values.iter().all(Option::is_none) => "not measured".to_string(),
            Some(change) if compared => change_line(i, change),
            _ => values
                .iter()
                .rev()
                .flatten()
                .next()
                .map_or("not measured".to_string(), |v| {
                    format!("latest {}", (f.show)(*v))
                }),
        };
        out.push_str(&super::table::hang(&prefix, &text, width));
        out.push('\n');
    }
    let closing = if compared {
        format!("Changes compare the last two full {name}.")
    } else {
        format!("Fewer than two full {name}: no change to compare.")
    };
    out.push_str(&super::table::hang("", &closing, width));
    out.push('\n');
    // The current answers are the report's maturity section; a history needs two versions.
    if trend.assessment.len() > 1 {
        assessment_block(trend, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn sparklines_span_the_row_from_lowest_to_highest() {
        // 2 is the lowest (▁), 9 the highest (█); 4 is 2/7 of the way: ▃; 5.5 half: ▅
        // (3.5 steps rounds to 4).
        assert_eq!(
            sparkline(&[Some(2.0), Some(9.0), None, Some(4.0), Some(5.5)]),
            "▁█·▃▅"
        );
        assert_eq!(sparkline(&[Some(3.0), Some(3.0)]), "▄▄");
        assert_eq!(sparkline(&[None, None]), "··");
    }
}
