//! What the human formats show, worked out once: the table and markdown renderers only lay
//! these rows out.

use super::Report;
use crate::events::Measure;
use crate::measures::tier::Tier;
use crate::outcome::TargetResult;
use crate::units::{duration, frequency, percent, plural, short_sha};

/// The deployments shown in the human formats; JSON always has all of them.
pub const DEPLOYMENTS_SHOWN: usize = 30;

pub struct MeasureRow {
    pub name: &'static str,
    pub value: String,
    pub tier: String,
    pub basis: String,
    pub target: String,
    pub verdict: Verdict,
    /// Why the value is missing.
    pub reason: Option<String>,
}

fn tier(t: Option<Tier>) -> String {
    t.map_or("—".into(), |t| t.as_str().into())
}

/// How a measure stands against its outcome target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Missed,
    /// The measure could not be computed, so the target's fate is unknown.
    Unknown,
    /// The measure has no outcome target.
    NoTarget,
}

impl Verdict {
    /// ✓ met, ✗ missed, blank otherwise: the measure report's last column.
    pub fn symbol(self) -> &'static str {
        match self {
            Verdict::Met => "✓",
            Verdict::Missed => "✗",
            Verdict::Unknown | Verdict::NoTarget => "",
        }
    }

    /// As `symbol`, with "unknown" spelt out: the level report's column.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Unknown => "unknown",
            other => other.symbol(),
        }
    }
}

fn target_of(report: &Report, measure: Measure) -> (String, Verdict) {
    match report.targets.iter().find(|t| t.measure == measure) {
        Some(TargetResult { target, met, .. }) => (
            target.clone(),
            match met {
                Some(true) => Verdict::Met,
                Some(false) => Verdict::Missed,
                None => Verdict::Unknown,
            },
        ),
        None => ("—".into(), Verdict::NoTarget),
    }
}

pub fn measure_rows(report: &Report) -> Vec<MeasureRow> {
    let m = &report.measures;
    let row = |measure: Measure,
               value: Option<String>,
               tier: String,
               basis: String,
               reason: &Option<String>| {
        let (target, verdict) = target_of(report, measure);
        MeasureRow {
            name: measure.name(),
            value: value.unwrap_or_else(|| "—".into()),
            tier,
            basis,
            target,
            verdict,
            reason: reason.clone(),
        }
    };

    let df = &m.deployment_frequency;
    let lt = &m.lead_time_for_changes;
    let cfr = &m.change_failure_rate;
    let mttr = &m.mean_time_to_recovery;
    let ph = &m.pipeline_health;
    let rw = &m.deployment_rework_rate;
    let dropped = if lt.dropped > 0 {
        format!(", {} dropped", lt.dropped)
    } else {
        String::new()
    };
    let unresolved = if mttr.unresolved > 0 {
        format!(", {} unresolved", mttr.unresolved)
    } else {
        String::new()
    };
    let mut rows = vec![
        row(
            Measure::DeploymentFrequency,
            df.per_day.map(|d| match df.median_deploy_days_per_week {
                Some(days) if d > 0.0 => format!(
                    "{} · median {} a week",
                    frequency(d),
                    if days == 1.0 {
                        "1 day".to_string()
                    } else {
                        format!("{days} days")
                    }
                ),
                _ => frequency(d),
            }),
            tier(df.tier),
            frequency_basis(df),
            // Measured, with only the weekly median missing: said in the basis instead.
            &df.reason.clone().filter(|_| df.per_day.is_none()),
        ),
        row(
            Measure::LeadTimeForChanges,
            lt.median_hours
                .zip(lt.p90_hours)
                .zip(lt.mean_hours)
                .map(|((median, p90), mean)| {
                    format!(
                        "median {} · p90 {} · mean {}",
                        duration(median),
                        duration(p90),
                        duration(mean)
                    )
                }),
            tier(lt.tier),
            format!(
                "{}{dropped}{}",
                plural(lt.samples, "commit", "commits"),
                interval(lt.median_interval_hours, duration)
            ),
            &lt.reason,
        ),
        row(
            Measure::ChangeFailureRate,
            cfr.rate.map(percent),
            tier(cfr.tier),
            format!(
                "{} of {}{}",
                cfr.failed,
                plural(cfr.deployments, "deployment", "deployments"),
                interval(cfr.rate_interval, percent)
            ),
            &cfr.reason,
        ),
        row(
            Measure::MeanTimeToRecovery,
            mttr.mean_hours
                .zip(mttr.median_hours)
                .map(|(mean, median)| {
                    format!("median {} · mean {}", duration(median), duration(mean))
                }),
            tier(mttr.tier),
            format!(
                "{}{unresolved}{}",
                plural(mttr.samples, "recovery", "recoveries"),
                interval(mttr.median_interval_hours, duration)
            ),
            &mttr.reason,
        ),
        row(
            Measure::PipelineHealth,
            ph.rate.map(|r| match ph.median_time_to_green_hours {
                Some(green) => format!(
                    "{} zero-touch · red to green in {}",
                    percent(r),
                    duration(green)
                ),
                None => format!("{} zero-touch", percent(r)),
            }),
            "—".into(),
            pipeline_basis(ph),
            &ph.reason,
        ),
    ];
    rows.push(MeasureRow {
        name: Measure::DeploymentReworkRate.name(),
        value: rw.rate.map_or("—".into(), percent),
        tier: "—".into(),
        basis: format!(
            "{} of {}{}",
            rw.rework,
            plural(rw.deployments, "deployment", "deployments"),
            interval(rw.rate_interval, percent)
        ),
        target: "—".into(),
        verdict: Verdict::NoTarget,
        reason: rw.reason.clone(),
    });
    rows
}

/// "0 deployments; the last, v1.9, 9 days before the window's end": a 0 with the fact a team
/// asks next, or a note that the window is too short for a weekly median.
fn frequency_basis(df: &crate::measures::deployment_frequency::DeploymentFrequency) -> String {
    let mut basis = plural(df.deployments, "deployment", "deployments");
    if let Some(last) = &df.last_before_window {
        basis.push_str(&format!(
            "; the last, {}, {} before the window's end",
            last.label
                .as_deref()
                .unwrap_or(&last.commit[..last.commit.len().min(12)]),
            plural(last.days_before_until.max(0) as usize, "day", "days")
        ));
    } else if df.per_day.is_some() && df.median_deploy_days_per_week.is_none() {
        basis.push_str("; no whole week in the window");
    }
    basis
}

/// "; 90% interval 4.6%–56.5%": how far the figure could be from the truth with this few
/// samples (Wilson's interval for a rate, the order-statistic one for a median).
fn interval(bounds: Option<[f64; 2]>, show: fn(f64) -> String) -> String {
    bounds.map_or(String::new(), |[lo, hi]| {
        format!("; 90% interval {}–{}", show(lo), show(hi))
    })
}

/// "9 of 12 runs; 2 failed, 1 re-run": the zero-touch count and why the others were not.
fn pipeline_basis(ph: &crate::measures::PipelineHealth) -> String {
    let (Some(runs), Some(zero_touch)) = (ph.runs, ph.zero_touch) else {
        return "—".into();
    };
    let reasons: Vec<String> = [
        (ph.failed, "failed"),
        (ph.cancelled, "cancelled"),
        (ph.rerun, "re-run"),
        (ph.manual_trigger, "started by hand"),
        (ph.manual_gate, "waited for approval"),
    ]
    .into_iter()
    .filter_map(|(n, why)| n.filter(|n| *n > 0).map(|n| format!("{n} {why}")))
    .collect();
    let mut basis = format!(
        "{zero_touch} of {}{}",
        plural(runs, "run", "runs"),
        interval(ph.rate_interval, percent)
    );
    if !reasons.is_empty() {
        basis.push_str("; ");
        basis.push_str(&reasons.join(", "));
    }
    basis
}

pub struct DeploymentLine {
    pub time: String,
    pub reference: String,
    pub commit: String,
    pub changes: String,
    pub status: String,
}

/// The most recent deployments, oldest first, and how many earlier ones are not shown.
pub fn deployment_lines(report: &Report) -> (Vec<DeploymentLine>, usize) {
    let list = &report.deployments.list;
    let hidden = list.len().saturating_sub(DEPLOYMENTS_SHOWN);
    let lines = list[hidden..]
        .iter()
        .map(|d| {
            let mut status = Vec::new();
            if d.rollback {
                status.push("rollback".to_string());
            }
            if d.unchanged {
                status.push("unchanged".to_string());
            }
            if d.failed {
                let signals: Vec<&str> = d.signals.iter().map(|s| s.as_str()).collect();
                status.push(if d.flagged_by.is_empty() {
                    format!("failed ({})", signals.join(", "))
                } else {
                    format!("failed: {}", d.flagged_by.join(", "))
                });
            }
            DeploymentLine {
                time: d.time.replace('T', " ").trim_end_matches('Z').to_string(),
                reference: d.reference.clone().unwrap_or_else(|| "—".into()),
                commit: short_sha(&d.commit).to_string(),
                changes: d.changes.map_or("not in repo".into(), |n| n.to_string()),
                status: status.join(", "),
            }
        })
        .collect();
    (lines, hidden)
}

/// "Deploy workflows: Deploy (11 runs, 11 deployments)": what the `ci` source took for
/// production deploys, so that a docs-publishing workflow counted by mistake is seen.
pub fn workflows_line(report: &Report) -> Option<String> {
    let workflows = &report.deployments.workflows;
    (!workflows.is_empty()).then(|| {
        let list: Vec<String> = workflows
            .iter()
            .map(|w| {
                format!(
                    "{} ({}, {})",
                    w.name,
                    plural(w.runs, "run", "runs"),
                    plural(w.deployments, "deployment", "deployments")
                )
            })
            .collect();
        format!("Deploy workflows in the window: {}", list.join(", "))
    })
}

/// "Paths: api :!api/legacy · 1 of 4 deployments unchanged …": what a path filter measured,
/// and the deployments that shipped nothing there (still counted, so say it).
pub fn paths_line(report: &Report) -> Option<String> {
    let d = &report.deployments;
    let unchanged = d.unchanged?;
    let service = report
        .service
        .as_ref()
        .map_or(String::new(), |name| format!("Service {name} · "));
    let mut line = format!("{service}Paths: {}", d.paths.join(" "));
    if unchanged > 0 {
        line.push_str(&format!(
            " · {unchanged} of {} shipped nothing that touches them (unchanged: counted as \
             deployments, no lead-time samples)",
            plural(d.count, "deployment", "deployments")
        ));
    }
    Some(line)
}

/// One line naming the repository, the window and the deployment source.
pub fn headline(report: &Report) -> (String, String) {
    let repo = &report.repository;
    let head = repo.head.as_deref().map_or("no commits".to_string(), |h| {
        format!("HEAD {}", short_sha(h))
    });
    let w = &report.window;
    let days = if w.days.fract() == 0.0 {
        format!("{} days", w.days)
    } else {
        format!("{:.1} days", w.days)
    };
    let source = report
        .deployments
        .source
        .map_or(String::new(), |s| format!(" from {}", s.as_str()));
    (
        format!("{} ({head})", repo.path),
        format!(
            "{} → {} ({days}) · {}{source}",
            w.since,
            w.until,
            plural(report.deployments.count, "deployment", "deployments")
        ),
    )
}

/// "Where the lead time goes": the breakdown's stages as rows (stage, median, p90, share of
/// the lead time) and a sentence naming the dominant stage. Only when pull-request data took
/// part (a squash commit, or a pull request's opening time): from git alone the JSON has it,
/// and the human views stay as they were.
pub struct BreakdownView {
    pub title: String,
    pub rows: Vec<[String; 4]>,
    pub summary: String,
}

pub fn breakdown(report: &Report) -> Option<BreakdownView> {
    use crate::measures::lead_time::Stage;
    let lt = &report.measures.lead_time_for_changes;
    let b = lt.breakdown.as_ref()?;
    if lt.squash_commits.total == 0 && b.with_opened == 0 {
        return None;
    }
    let row = |name: &str, stage: &Stage| {
        [
            name.to_string(),
            stage.median_hours.map_or("—".into(), duration),
            stage.p90_hours.map_or("—".into(), duration),
            stage.share.map_or("—".into(), percent),
        ]
    };
    let all_opened = b.with_opened == b.samples;
    let mut rows = Vec::new();
    if b.with_opened > 0 {
        rows.push(row("coding (commit → PR opened)", &b.coding));
        rows.push(row("review (opened → merged)", &b.review));
    }
    if !all_opened {
        rows.push(row("before merge (commit → merged)", &b.before_merge));
    }
    rows.push(row("release (merged → deployed)", &b.release));
    let mut summary = match (b.dominant, b.dominant_share) {
        (Some(stage), Some(share)) => {
            let name = stage.as_str();
            let mut name = name.to_string();
            if let Some(first) = name.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            format!("{name} dominates: {} of the lead time.", percent(share))
        }
        _ => "No stage took any time.".to_string(),
    };
    if b.with_opened == 0 {
        summary.push_str(
            " Coding and review need each pull request's opening time: give --prs (valueflow \
             fetch github --pull-requests).",
        );
    } else if !all_opened {
        summary.push_str(&format!(
            " Coding and review are told apart for {} of {} commits (those whose pull \
             request's opening time is in --prs).",
            b.with_opened, b.samples
        ));
    }
    let squash = &lt.squash_commits;
    let title = if squash.total > 0 {
        format!(
            "Where the lead time goes ({}; {} of {} squash commits traced to their pull request)",
            plural(b.samples, "commit", "commits"),
            squash.with_pr_data,
            squash.total
        )
    } else {
        format!(
            "Where the lead time goes ({})",
            plural(b.samples, "commit", "commits")
        )
    };
    Some(BreakdownView {
        title,
        rows,
        summary,
    })
}

/// One `[[service]]`'s headline figures, as the side-by-side views show them.
pub struct ServiceRow {
    pub name: String,
    /// Its pathspecs, or "whole repository".
    pub paths: String,
    pub deployments: String,
    pub unchanged: String,
    pub lead_time: String,
    pub failure_rate: String,
    pub recovery: String,
    pub rework: String,
}

/// The services of the report, in the project file's order.
pub fn service_rows(report: &Report) -> Vec<ServiceRow> {
    let dash = || "—".to_string();
    report
        .services
        .iter()
        .map(|s| {
            let m = &s.measures;
            ServiceRow {
                name: s.name.clone(),
                paths: if s.paths.is_empty() {
                    "whole repository".to_string()
                } else {
                    s.paths.join(" ")
                },
                deployments: s.deployments.count.to_string(),
                unchanged: s.deployments.unchanged.to_string(),
                lead_time: m
                    .lead_time_for_changes
                    .median_hours
                    .map_or_else(dash, duration),
                failure_rate: m.change_failure_rate.rate.map_or_else(dash, percent),
                recovery: m
                    .mean_time_to_recovery
                    .median_hours
                    .map_or_else(dash, duration),
                rework: m.deployment_rework_rate.rate.map_or_else(dash, percent),
            }
        })
        .collect()
}

/// What the services' columns hold, said once under them.
pub const SERVICES_NOTE: &str = "Each service: its own deployments in the window, lead time \
    (median) over its commits that touch its paths, change failure rate, time to recovery \
    (median) and rework rate; an unchanged deployment shipped nothing in its paths and still \
    counts.";
