//! One self-contained HTML page: the same content as the terminal views (view.rs rows, the
//! level report's helpers), inline CSS for light, dark, phone and print, inline SVG charts
//! (chart.rs), no script, and a Content-Security-Policy that lets nothing be fetched.

use super::Report;
use super::chart;
use super::level::{
    LevelReport, NO_ASSESSMENT, STEPS_SHOWN, answered, assessment_line, grid_cell, headline_level,
    level_notes, outcome_line, statement, status_word, step_lines, steps,
};
use super::view::{Verdict, deployment_lines, headline, measure_rows, paths_line, workflows_line};
use crate::assessment::evidence::Check;
use crate::assessment::questionnaire::{Category, LEVELS};
use crate::assessment::scorecard::Scorecard;
use crate::events::Measure;
use crate::trend::{FIGURES, Trend};

/// Text as HTML shows it literally, in content and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = include_str!("html.css");

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n<meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "<span class=\"met\">✓ met</span>",
        Verdict::Missed => "<span class=\"missed\">✗ missed</span>",
        Verdict::Unknown => "unknown",
        Verdict::NoTarget => "",
    }
}

fn figure(svg: Option<String>, caption: &str, alternative: &str) -> String {
    match svg {
        Some(svg) => format!(
            "<figure>\n{svg}\n<figcaption>{}</figcaption>\n{alternative}</figure>\n",
            escape(caption)
        ),
        None => String::new(),
    }
}

/// The header: what was measured, over which window.
fn header(report: &Report, title: &str) -> String {
    let (repo, window) = headline(report);
    format!(
        "<header>\n<p class=\"tool\">valueflow {}</p>\n<h1>{}</h1>\n<p><code>{}</code><br>{}</p>\n</header>\n",
        escape(report.tool.version),
        escape(title),
        escape(&repo),
        escape(&window)
    )
}

/// The measures table, why any is missing, and the three delivery charts with their tables.
fn delivery(report: &Report) -> String {
    let mut out = String::from(
        "<div class=\"scroll\"><table>\n<thead><tr><th>Measure</th><th>Value</th><th>Tier</th>\
         <th>Based on (90% interval)</th><th>Target</th><th>Met</th></tr></thead>\n<tbody>\n",
    );
    let mut reasons = Vec::new();
    for row in measure_rows(report) {
        if let Some(reason) = &row.reason {
            reasons.push(format!(
                "<li><strong>{}</strong>: {}</li>",
                row.name,
                escape(reason)
            ));
        }
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            row.name,
            escape(&row.value),
            escape(&row.tier),
            escape(&row.basis),
            escape(&row.target),
            verdict(row.verdict)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    if !reasons.is_empty() {
        out.push_str(&format!(
            "<p>Not measured:</p>\n<ul>\n{}\n</ul>\n",
            reasons.join("\n")
        ));
    }
    if let Some(line) = workflows_line(report) {
        out.push_str(&format!("<p>{}</p>\n", escape(&line)));
    }
    if let Some(line) = paths_line(report) {
        out.push_str(&format!("<p>{}</p>\n", escape(&line)));
    }
    out.push_str(
        "<p class=\"note\">Tiers are DORA's performance clusters (elite, high, medium, low); a 90% \
         interval is how far a figure from this many samples could be from the team's true \
         rate.</p>\n",
    );
    out.push_str(&figure(
        chart::targets(report),
        "Each measure against its target. The table above gives the same figures.",
        "",
    ));
    let lt = &report.measures.lead_time_for_changes;
    let target = report
        .targets
        .iter()
        .find(|t| t.measure == Measure::LeadTimeForChanges);
    out.push_str(&figure(
        chart::lead_time(lt, target),
        "Lead time for changes: how long each commit took to reach production.",
        &lead_time_table(&lt.sample_hours),
    ));
    out.push_str(&breakdown_table(report));
    out.push_str(&figure(
        chart::timeline(report),
        "Deployments over the window; failed ones marked ✗, bracketed until service was restored.",
        &deployments_table(report),
    ));
    out
}

/// "Where the lead time goes", when pull-request data took part.
fn breakdown_table(report: &Report) -> String {
    let Some(view) = super::view::breakdown(report) else {
        return String::new();
    };
    let rows: String = view
        .rows
        .iter()
        .map(|[name, median, p90, share]| {
            format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(name),
                escape(median),
                escape(p90),
                escape(share)
            )
        })
        .collect();
    format!(
        "<div class=\"scroll\"><table class=\"compact\">\n<caption>{}</caption>\n<thead><tr>\
         <th>Stage</th><th>Median</th><th>p90</th><th>Share of lead time</th></tr></thead>\n\
         <tbody>\n{rows}</tbody>\n</table></div>\n<p>{}</p>\n",
        escape(&view.title),
        escape(&view.summary)
    )
}

fn lead_time_table(samples: &[f64]) -> String {
    let counts = chart::lead_time_histogram(samples);
    let rows: String = counts
        .iter()
        .zip(chart::LEAD_TIME_BUCKETS)
        .filter(|(n, _)| **n > 0)
        .map(|(n, (_, name))| format!("<tr><th scope=\"row\">{name}</th><td>{n}</td></tr>\n"))
        .collect();
    format!(
        "<table class=\"compact\">\n<caption>Commits per lead-time bucket (empty buckets left \
         out)</caption>\n<thead><tr><th>Lead time</th><th>Commits</th></tr></thead>\n<tbody>\n\
         {rows}</tbody>\n</table>\n"
    )
}

fn deployments_table(report: &Report) -> String {
    let (lines, hidden) = deployment_lines(report);
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<div class=\"scroll\"><table class=\"compact\">\n<caption>Deployments</caption>\n\
         <thead><tr><th>Time (UTC)</th><th>Ref</th><th>Commit</th><th>Changes</th>\
         <th>Status</th></tr></thead>\n<tbody>\n",
    );
    for d in lines {
        let class = if d.status.contains("failed") {
            " class=\"failed\""
        } else {
            ""
        };
        let status = if d.status.contains("failed") {
            format!("✗ {}", escape(&d.status))
        } else if d.status.is_empty() {
            "ok".to_string()
        } else {
            escape(&d.status)
        };
        out.push_str(&format!(
            "<tr{class}><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{status}</td></tr>\n",
            escape(&d.time),
            escape(&d.reference),
            escape(&d.commit),
            escape(&d.changes)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    if hidden > 0 {
        out.push_str(&format!(
            "<p class=\"note\">{hidden} earlier deployments: run with --format json to see them all.</p>\n"
        ));
    }
    out
}

fn warnings(report: &Report) -> String {
    if report.warnings.is_empty() {
        return String::new();
    }
    let items: String = report
        .warnings
        .iter()
        .map(|w| format!("<li>{}</li>\n", escape(w)))
        .collect();
    format!("<section>\n<h2>Warnings</h2>\n<ul class=\"warnings\">\n{items}</ul>\n</section>\n")
}

/// `valueflow measure --format html`.
pub fn render(report: &Report) -> String {
    let mut body = header(report, "Delivery measures");
    body.push_str("<section>\n<h2>Delivery measures against the outcome targets</h2>\n");
    body.push_str(&delivery(report));
    body.push_str("</section>\n");
    body.push_str(&warnings(report));
    page("valueflow: delivery measures", &body)
}

/// A roll-up over several repositories: its figures as one report's (the synthetic `report`
/// of report/rollup.rs), then the repositories' rows (`rows`: header cells, then each row's
/// cells, already text).
pub fn render_rollup(report: &Report, lines: &[String], rows: &[Vec<String>]) -> String {
    let title = format!("Delivery across {}", report.repository.path);
    let (_, window) = headline(report);
    let mut body = format!(
        "<header>\n<p class=\"tool\">valueflow {}</p>\n<h1>{}</h1>\n<p>{}</p>\n</header>\n",
        escape(report.tool.version),
        escape(&title),
        escape(&window)
    );
    body.push_str("<section>\n<h2>Delivery measures against the outcome targets</h2>\n");
    for line in lines {
        body.push_str(&format!("<p>{}</p>\n", escape(line)));
    }
    body.push_str(&delivery(report));
    body.push_str("</section>\n<section>\n<h2>Repositories (most targets missed first)</h2>\n");
    body.push_str("<div class=\"scroll\"><table>\n<thead><tr>");
    for (i, row) in rows.iter().enumerate() {
        if i == 1 {
            body.push_str("</tr></thead>\n<tbody>\n<tr>");
        } else if i > 1 {
            body.push_str("<tr>");
        }
        for (j, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th" } else { "td" };
            let cell = if i > 0 && j == 0 {
                format!("<code>{}</code>", escape(cell))
            } else {
                escape(cell)
            };
            body.push_str(&format!("<{tag}>{cell}</{tag}>"));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table></div>\n</section>\n");
    body.push_str(&warnings(report));
    page(&format!("valueflow: {title}"), &body)
}

/// The maturity grid as a table: the chart's alternative, with the verified shares too.
fn maturity_table(card: &Scorecard) -> String {
    let mut out = String::from(
        "<div class=\"scroll\"><table>\n<caption>Maturity per category</caption>\n<thead><tr>\
         <th>Category</th><th>Level</th><th>Verified</th><th>Progress</th><th>Level 2</th>\
         <th>Level 3</th><th>Level 4</th><th>Level 5</th></tr></thead>\n<tbody>\n",
    );
    for category in Category::ALL {
        let Some((claimed, verified)) = card.category(category) else {
            continue;
        };
        let cells: String = LEVELS
            .map(|l| {
                let as_answered = grid_cell(claimed, l);
                let checked = grid_cell(verified, l);
                if checked == as_answered {
                    format!("<td>{}</td>", escape(&as_answered))
                } else {
                    format!(
                        "<td>{} <span class=\"note\">(verified {})</span></td>",
                        escape(&as_answered),
                        escape(&checked)
                    )
                }
            })
            .collect();
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{:.2}</td>{cells}</tr>\n",
            category.name(),
            claimed.level,
            verified.level,
            claimed.progress
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

fn evidence(card: &Scorecard) -> String {
    let mut out = format!(
        "<section>\n<h2>Evidence</h2>\n<p>{}</p>\n",
        escape(&card.evidence.line())
    );
    let checks: Vec<&Check> = card
        .checks
        .iter()
        .filter(|c| c.status.is_some() || c.hint.is_some())
        .collect();
    if !checks.is_empty() {
        out.push_str(
            "<div class=\"scroll\"><table>\n<thead><tr><th>Practice</th><th>Answered</th>\
             <th>Status</th><th>Evidence</th></tr></thead>\n<tbody>\n",
        );
        for c in checks {
            let status = status_word(c);
            let class = if status.starts_with("contradicted") {
                " class=\"missed\""
            } else if status == "confirmed" {
                " class=\"met\""
            } else {
                ""
            };
            let notes = card
                .practice(&c.practice)
                .map(|p| p.notes.as_str())
                .filter(|n| !n.is_empty())
                .map_or(String::new(), |n| {
                    format!("<br><span class=\"note\">Notes: {}</span>", escape(n))
                });
            out.push_str(&format!(
                "<tr><td>{}{notes}</td><td>{}</td><td><span{class}>{}</span></td><td>{}</td></tr>\n",
                escape(&statement(&c.practice)),
                answered(c.claimed),
                escape(&status),
                escape(c.hint.as_deref().unwrap_or(&c.evidence))
            ));
        }
        out.push_str("</tbody>\n</table></div>\n");
    }
    out.push_str("</section>\n");
    out
}

fn next_steps(report: &LevelReport<'_>) -> String {
    let listed = steps(
        report,
        "<h2>Next steps (most important first)</h2>\n<ol>\n",
        |_, gap| {
            let (what, lines) = step_lines(report, gap);
            let lines: Vec<String> = lines.iter().map(|l| escape(l)).collect();
            let mut step = format!(
                "<li><strong>{}</strong><br>{}",
                escape(&what),
                lines.join("<br>")
            );
            step.push_str("</li>\n");
            step
        },
    );
    let mut out = String::from("<section>\n");
    if report.gaps.is_empty() {
        // `steps` said why there are none, as plain text.
        out.push_str(&format!(
            "<h2>Next steps</h2>\n<p>{}</p>\n",
            escape(listed.trim().trim_start_matches("Next steps: "))
        ));
    } else {
        out.push_str(&listed);
        out.push_str("</ol>\n");
        if report.gaps.len() > STEPS_SHOWN {
            out.push_str(&format!(
                "<p class=\"note\">{} more steps: run with --format json to see them all.</p>\n",
                report.gaps.len() - STEPS_SHOWN
            ));
        }
    }
    out.push_str("</section>\n");
    out
}

/// `valueflow report --format html`.
pub fn render_level(report: &LevelReport<'_>) -> String {
    let measures = report.measures;
    let team = report
        .assessment
        .as_ref()
        .and_then(|c| c.team.as_deref())
        .filter(|t| !t.is_empty());
    let title = match team {
        Some(team) => format!("Continuous Value Flow maturity report — team {team}"),
        None => "Continuous Value Flow maturity report".to_string(),
    };
    let mut body = header(measures, &title);
    // The level first, then the figures behind it, then the detail.
    if let Some(card) = &report.assessment {
        body.push_str(&format!(
            "<p class=\"headline\">{}</p>\n<p>{}</p>\n",
            escape(&headline_level(card)),
            escape(&assessment_line(card))
        ));
    }
    body.push_str(&format!(
        "<section>\n<h2>Delivery measures against the outcome targets</h2>\n<p class=\"outcome\">{}</p>\n",
        escape(&outcome_line(report))
    ));
    body.push_str(&delivery(measures));
    body.push_str("</section>\n");
    body.push_str(&trend_section(report.trend, "Trend"));
    match &report.assessment {
        Some(card) => {
            body.push_str("<section>\n<h2>Maturity</h2>\n");
            body.push_str(&figure(
                Some(chart::maturity(card)),
                "Credit share per level, as answered and as verified, against the pass mark.",
                &maturity_table(card),
            ));
            for note in level_notes(card) {
                body.push_str(&format!("<p>{}</p>\n", escape(&note)));
            }
            body.push_str(
                "<p class=\"note\">Levels: 1 Initial · 2 Managed · 3 Defined · 4 Quantitatively \
                 Managed · 5 Optimising. ✓ marks the levels achieved; each cell is the answered \
                 credit share of that level's practices; Verified is the level after the data's \
                 corrections.</p>\n</section>\n",
            );
            body.push_str(&evidence(card));
        }
        None => body.push_str(&format!(
            "<section>\n<p class=\"callout\">{}</p>\n</section>\n",
            escape(NO_ASSESSMENT)
        )),
    }
    body.push_str(&next_steps(report));
    body.push_str(&warnings(measures));
    page(&title, &body)
}

/// The trend: the change between the last two full periods, a chart per measure, and the
/// figures per period, their rolling medians and the self-assessment's history as tables.
fn trend_section(trend: &Trend, heading: &str) -> String {
    let name = super::trend::period_name(trend.every);
    let mut out = format!(
        "<section>\n<h2>{}</h2>\n",
        escape(&format!(
            "{heading} by {}, {} to {}",
            trend.every.as_str(),
            super::trend::date(&trend.since),
            super::trend::date(&trend.until)
        ))
    );
    match (&trend.changes.from, &trend.changes.to) {
        (Some(from), Some(to)) => {
            out.push_str(&format!(
                "<div class=\"scroll\"><table class=\"compact\">\n<caption>{}</caption>\n\
                 <thead><tr><th>Measure</th><th>Change</th></tr></thead>\n<tbody>\n",
                escape(&format!(
                    "Change between the last two full {name}, {} and {}",
                    super::trend::date(&from.since),
                    super::trend::date(&to.since)
                ))
            ));
            for (i, change) in trend.changes.measures.iter().enumerate() {
                let line = super::trend::change_line(i, change);
                let class = match change.better {
                    Some(true) => " class=\"met\"",
                    Some(false) => " class=\"missed\"",
                    None => "",
                };
                out.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th><td><span{class}>{}</span></td></tr>\n",
                    escape(FIGURES[i].label),
                    escape(&line)
                ));
            }
            out.push_str("</tbody>\n</table></div>\n");
        }
        _ => out.push_str(&format!(
            "<p>Fewer than two full {name} in the window: no change to compare.</p>\n"
        )),
    }
    out.push_str("<div class=\"charts\">\n");
    for svg in (0..FIGURES.len()).filter_map(|i| chart::period_measure(trend, i)) {
        out.push_str(&format!("<figure>\n{svg}\n</figure>\n"));
    }
    out.push_str(
        "</div>\n<p class=\"note\">Solid bars met the outcome target, hatched bars missed it, \
         plain bars have no target on that figure (time to recovery's target is judged on the \
         mean); the dashed line is the target. The table below gives every figure.</p>\n",
    );
    out.push_str(&periods_table(
        trend,
        "Every measure per period",
        |p| FIGURES.map(|f| (f.of)(&p.measures)),
        true,
    ));
    out.push_str(
        "<p class=\"note\">* partial: clipped to the window. ? fewer than 5 deployments: too \
         few to judge.</p>\n<details>\n<summary>Rolling median over 3 periods</summary>\n",
    );
    out.push_str(&periods_table(
        trend,
        "Each figure's median over the period and the two before it",
        |p| p.rolling_median.values(),
        false,
    ));
    out.push_str("</details>\n");
    if !trend.assessment.is_empty() {
        out.push_str(&assessment_history(trend));
    }
    out.push_str("</section>\n");
    out
}

fn periods_table(
    trend: &Trend,
    caption: &str,
    values: impl Fn(&crate::trend::PeriodMeasures) -> [Option<f64>; 6],
    count: bool,
) -> String {
    let mut out = format!(
        "<div class=\"scroll\"><table>\n<caption>{}</caption>\n<thead><tr><th>Period</th>{}\
         <th>Lead time median</th><th>Deploys a week</th><th>Failure rate</th>\
         <th>Recovery median</th><th>Zero-touch</th><th>Rework rate</th></tr></thead>\n<tbody>\n",
        escape(caption),
        if count { "<th>Deployments</th>" } else { "" }
    );
    for p in &trend.periods {
        let cells = super::trend::cells(trend, p, values(p), count);
        let row: String = cells
            .iter()
            .enumerate()
            .filter(|(k, _)| count || *k != 1)
            .map(|(k, c)| {
                if k == 0 {
                    format!("<th scope=\"row\">{}</th>", escape(c))
                } else {
                    format!("<td>{}</td>", escape(c))
                }
            })
            .collect();
        out.push_str(&format!("<tr>{row}</tr>\n"));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

fn assessment_history(trend: &Trend) -> String {
    let mut out = String::from(
        "<div class=\"scroll\"><table>\n<caption>The self-assessment at each commit that changed \
         its answers, newest first: levels as answered (verified by the data: current version \
         only)</caption>\n<thead><tr><th>Commit</th><th>Date</th>",
    );
    for c in Category::ALL {
        out.push_str(&format!("<th>{}</th>", c.name()));
    }
    out.push_str("<th>Overall</th></tr></thead>\n<tbody>\n");
    let level = |answered: u8, verified: Option<u8>| match verified {
        Some(v) if v != answered => format!("{answered} (verified {v})"),
        _ => answered.to_string(),
    };
    for v in &trend.assessment {
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td>",
            escape(
                v.commit
                    .as_deref()
                    .map_or("work tree", crate::units::short_sha)
            ),
            escape(v.time.as_deref().map_or("—", super::trend::date))
        ));
        for c in &v.levels {
            out.push_str(&format!("<td>{}</td>", level(c.level, c.verified_level)));
        }
        out.push_str(&format!(
            "<td>{}</td></tr>\n",
            level(v.overall_level, v.verified_level)
        ));
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// `valueflow trend --format html`.
pub fn render_trend(report: &Report, trend: &Trend) -> String {
    let title = format!("Delivery trend by {}", trend.every.as_str());
    let mut body = header(report, &title);
    body.push_str(&trend_section(trend, "Every measure"));
    body.push_str(&warnings(report));
    page(&format!("valueflow: {title}"), &body)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_text_is_shown_as_text() {
        assert_eq!(
            escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }
}
