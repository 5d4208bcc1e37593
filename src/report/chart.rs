//! The HTML report's charts as inline SVG, drawn here by hand: four small charts need rects,
//! lines, paths and text, and hand-built SVG keeps every mark's <title>, the patterns that
//! tell failed from ok without colour, and the colours as CSS classes (so the page's light and
//! dark themes and print apply to them) under our control, with no dependency.
//!
//! Each chart is a `<svg role="img">` with a <title> and <desc>; the page puts a table with the
//! same figures next to it.

use std::fmt::Write;

use chrono::{DateTime, Datelike, Utc};

use super::Report;
use super::html::escape;
use crate::assessment::questionnaire::{Category, LEVELS};
use crate::assessment::scorecard::Scorecard;
use crate::events::Measure;
use crate::events::period::Every;
use crate::measures::lead_time::LeadTime;
use crate::outcome::TargetResult;
use crate::trend::{FIGURES, Trend};
use crate::units::{duration, frequency, percent, plural};

/// The drawing's width in SVG units; the page scales it down to a phone's width.
const WIDTH: f64 = 760.0;

/// The opening tag, title, description and the hatch pattern (failed, missed, verified).
fn open(id: &str, height: f64, title: &str, desc: &str) -> String {
    open_sized(id, "chart", WIDTH, height, title, desc)
}

fn open_sized(id: &str, class: &str, width: f64, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg class=\"{class}\" id=\"{id}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
         height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" class=\"hatch-ground\"/>\
         <rect width=\"3\" height=\"6\" class=\"hatch-stripe\"/></pattern></defs>",
        escape(title),
        escape(desc)
    )
}

fn text(x: f64, y: f64, class: &str, anchor: &str, content: &str) -> String {
    format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"{class}\" text-anchor=\"{anchor}\">{}</text>",
        escape(content)
    )
}

fn parse(time: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(time)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The deployments over the window: a dot per deployment, a crossed square per failed one
/// (labelled with its ref), and a bracket from each failure to its remediation.
pub fn timeline(report: &Report) -> Option<String> {
    let list = &report.deployments.list;
    let (since, until) = (parse(&report.window.since)?, parse(&report.window.until)?);
    let span = (until - since).num_seconds() as f64;
    if list.is_empty() || span <= 0.0 {
        return None;
    }
    let (left, right, axis) = (24.0, WIDTH - 24.0, 84.0);
    let x = |t: DateTime<Utc>| {
        let share = ((t - since).num_seconds() as f64 / span).clamp(0.0, 1.0);
        left + share * (right - left)
    };
    let failed = list.iter().filter(|d| d.failed).count();
    let desc = format!(
        "{} from {} to {}; {} failed{}. Each failure's bracket runs to when service was \
         restored. The table below lists them.",
        plural(list.len(), "deployment", "deployments"),
        &report.window.since[..10.min(report.window.since.len())],
        &report.window.until[..10.min(report.window.until.len())],
        failed,
        if failed == 0 { "" } else { ", marked ✗" }
    );
    let mut svg = open(
        "timeline",
        170.0,
        "Deployments over the window, failures and their remediation",
        &desc,
    );
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{axis}\" x2=\"{right}\" y2=\"{axis}\" class=\"axis\"/>"
    );
    for i in 0..=4 {
        let t = since + chrono::TimeDelta::seconds((span * f64::from(i) / 4.0) as i64);
        let tx = x(t);
        let anchor = match i {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = write!(
            svg,
            "<line x1=\"{tx:.1}\" y1=\"{}\" x2=\"{tx:.1}\" y2=\"{}\" class=\"axis\"/>{}",
            axis - 4.0,
            axis + 4.0,
            text(tx, 20.0, "tick", anchor, &t.format("%Y-%m-%d").to_string())
        );
    }
    let mut label_row = 0;
    for d in list {
        let Some(t) = parse(&d.time) else { continue };
        let dx = x(t);
        let name = d
            .reference
            .as_deref()
            .unwrap_or(&d.commit[..d.commit.len().min(10)]);
        let mut tip = format!("{name} at {}", d.time);
        if d.failed {
            tip.push_str(&format!(
                ": failed ({})",
                if d.flagged_by.is_empty() {
                    d.signals
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    d.flagged_by.join(", ")
                }
            ));
            if let Some(restored) = d.recovered_at {
                let end = x(restored).max(dx + 2.0);
                let hours = (restored - t).num_seconds() as f64 / 3600.0;
                let by = axis + 22.0 + 14.0 * f64::from(label_row % 2);
                let _ = write!(
                    svg,
                    "<path d=\"M{dx:.1} {} V{by:.1} H{end:.1} V{}\" class=\"remedy\"/>\
                     <path d=\"M{end:.1} {} l5 5 -5 5 -5 -5z\" class=\"restored\"/>{}",
                    axis + 8.0,
                    axis + 8.0,
                    axis - 5.0,
                    text(
                        end + 8.0,
                        by + 4.0,
                        "note",
                        "start",
                        &format!("restored after {}", duration(hours))
                    )
                );
            } else {
                let _ = write!(
                    svg,
                    "<path d=\"M{dx:.1} {} V{} H{right}\" class=\"remedy open\"/>{}",
                    axis + 8.0,
                    axis + 22.0,
                    text(right, axis + 36.0, "note", "end", "not restored")
                );
            }
            let ly = 44.0 + 14.0 * f64::from(label_row % 2);
            label_row += 1;
            let _ = write!(
                svg,
                "<g class=\"mark failed\"><title>{}</title>\
                 <rect x=\"{:.1}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"url(#timeline-hatch)\" class=\"bad-edge\"/>\
                 <path d=\"M{:.1} {} l12 12 m0 -12 l-12 12\" class=\"cross\"/></g>{}",
                escape(&tip),
                dx - 6.0,
                axis - 6.0,
                dx - 6.0,
                axis - 6.0,
                text(dx, ly, "label bad-text", "middle", &format!("✗ {name}"))
            );
        } else {
            let shape = if d.rollback {
                format!(
                    "<path d=\"M{dx:.1} {} l6 6 -6 6 -6 -6z\" class=\"ok\"/>",
                    axis - 6.0
                )
            } else {
                format!("<circle cx=\"{dx:.1}\" cy=\"{axis}\" r=\"5\" class=\"ok\"/>")
            };
            let _ = write!(
                svg,
                "<g class=\"mark\"><title>{}</title>{shape}</g>",
                escape(&tip)
            );
        }
    }
    let ly = 158.0;
    let _ = write!(
        svg,
        "<circle cx=\"30\" cy=\"{}\" r=\"5\" class=\"ok\"/>{}\
         <rect x=\"134\" y=\"{}\" width=\"12\" height=\"12\" fill=\"url(#timeline-hatch)\" class=\"bad-edge\"/>\
         <path d=\"M134 {} l12 12 m0 -12 l-12 12\" class=\"cross\"/>{}\
         <path d=\"M290 {} v8 h30 v-8\" class=\"remedy\"/>{}",
        ly - 4.0,
        text(40.0, ly, "note", "start", "deployment"),
        ly - 10.0,
        ly - 10.0,
        text(152.0, ly, "note", "start", "failed deployment"),
        ly - 10.0,
        text(326.0, ly, "note", "start", "until service was restored"),
    );
    svg.push_str("</svg>");
    Some(svg)
}

/// The lead-time buckets: upper bounds in hours and the names people read.
pub const LEAD_TIME_BUCKETS: [(f64, &str); 10] = [
    (1.0, "< 1h"),
    (4.0, "1–4h"),
    (12.0, "4–12h"),
    (24.0, "12–24h"),
    (48.0, "1–2d"),
    (96.0, "2–4d"),
    (168.0, "4–7d"),
    (336.0, "1–2w"),
    (672.0, "2–4w"),
    (f64::INFINITY, "> 4w"),
];

/// How many samples fall in each bucket (a bucket holds its lower bound, not its upper).
pub fn lead_time_histogram(samples: &[f64]) -> [usize; 10] {
    let mut counts = [0; 10];
    for &h in samples {
        let i = LEAD_TIME_BUCKETS
            .iter()
            .position(|(upper, _)| h < *upper)
            .unwrap_or(LEAD_TIME_BUCKETS.len() - 1);
        counts[i] += 1;
    }
    counts
}

/// Where `hours` falls on the bucketed axis: its bucket, and its share of the way through it.
fn bucket_position(hours: f64) -> f64 {
    let mut lower = 0.0;
    for (i, (upper, _)) in LEAD_TIME_BUCKETS.iter().enumerate() {
        if hours < *upper {
            let share = if upper.is_finite() {
                (hours - lower) / (upper - lower)
            } else {
                0.5
            };
            return i as f64 + share;
        }
        lower = *upper;
    }
    LEAD_TIME_BUCKETS.len() as f64 - 0.5
}

/// The lead-time samples as a histogram over human buckets, the median, p90 and the target
/// marked by lines of different dash and named in text.
pub fn lead_time(lt: &LeadTime, target: Option<&TargetResult>) -> Option<String> {
    let (median, p90) = lt.median_hours.zip(lt.p90_hours)?;
    let counts = lead_time_histogram(&lt.sample_hours);
    let most = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (left, right, top, bottom) = (30.0, WIDTH - 10.0, 46.0, 170.0);
    let bucket = (right - left) / counts.len() as f64;
    let desc = format!(
        "{} in buckets from under an hour to over four weeks; median {}, p90 {}{}. The table \
         below gives each bucket's count.",
        plural(lt.samples, "commit", "commits"),
        duration(median),
        duration(p90),
        target.map_or(String::new(), |t| format!(", target {}", t.target))
    );
    let mut svg = open(
        "lead-time",
        214.0,
        "Lead time for changes, per commit",
        &desc,
    );
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" class=\"axis\"/>"
    );
    for (i, (count, (_, name))) in counts.iter().zip(LEAD_TIME_BUCKETS).enumerate() {
        let bx = left + bucket * i as f64;
        let h = (bottom - top) * *count as f64 / most;
        let _ = write!(
            svg,
            "<g><title>{name}: {}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
             height=\"{h:.1}\" class=\"bar\"/></g>{}{}",
            plural(*count, "commit", "commits"),
            bx + 3.0,
            bottom - h,
            bucket - 6.0,
            if *count > 0 {
                text(
                    bx + bucket / 2.0,
                    bottom - h - 4.0,
                    "note",
                    "middle",
                    &count.to_string(),
                )
            } else {
                String::new()
            },
            text(bx + bucket / 2.0, bottom + 16.0, "tick", "middle", name)
        );
    }
    let at = |hours: f64| left + bucket * bucket_position(hours);
    let mut marks = vec![
        (
            median,
            "median",
            format!("median {}", duration(median)),
            14.0,
        ),
        (p90, "p90", format!("p90 {}", duration(p90)), 28.0),
    ];
    if let Some(t) = target {
        marks.push((t.goal, "goal", format!("target {}", t.target), 42.0));
    }
    for (hours, class, label, y) in marks {
        let mx = at(hours);
        let anchor = if mx > right - 120.0 { "end" } else { "start" };
        let tx = if anchor == "end" { mx - 4.0 } else { mx + 4.0 };
        let _ = write!(
            svg,
            "<line x1=\"{mx:.1}\" y1=\"{}\" x2=\"{mx:.1}\" y2=\"{bottom}\" class=\"{class}\"/>{}",
            y - 10.0,
            text(tx, y, "note", anchor, &label)
        );
    }
    let _ = write!(
        svg,
        "{}",
        text(left, 206.0, "note", "start", "commits per lead-time bucket")
    );
    svg.push_str("</svg>");
    Some(svg)
}

/// How a value is written for people: `duration`, `percent`, `frequency`.
type Show = fn(f64) -> String;

/// A measure's value, target and 90 % interval, in the unit the chart draws.
struct Bullet<'a> {
    target: &'a TargetResult,
    interval: Option<[f64; 2]>,
    show: Show,
}

fn bullets(report: &Report) -> Vec<Bullet<'_>> {
    let m = &report.measures;
    report
        .targets
        .iter()
        .map(|t| {
            let (interval, show): (Option<[f64; 2]>, Show) = match t.measure {
                Measure::LeadTimeForChanges => {
                    (m.lead_time_for_changes.median_interval_hours, duration)
                }
                Measure::ChangeFailureRate => (m.change_failure_rate.rate_interval, percent),
                Measure::PipelineHealth => (m.pipeline_health.rate_interval, percent),
                Measure::DeploymentFrequency => (None, frequency),
                // The target is on the mean; the interval is the median's.
                _ => (None, duration),
            };
            Bullet {
                target: t,
                interval,
                show,
            }
        })
        .collect()
}

/// Each measure against its target: a bar for the value (solid when met, hatched when
/// missed), a tall line at the target, a whisker for the 90 % interval, the verdict in words.
pub fn targets(report: &Report) -> Option<String> {
    let rows = bullets(report);
    if rows.is_empty() {
        return None;
    }
    let row_height = 40.0;
    let (left, right) = (210.0, WIDTH - 170.0);
    let height = 12.0 + row_height * rows.len() as f64 + 26.0;
    let met = rows.iter().filter(|b| b.target.met == Some(true)).count();
    let missed = rows.iter().filter(|b| b.target.met == Some(false)).count();
    let desc = format!(
        "{met} met, {missed} missed, {} not measured. Each bar is the measured value, the \
         vertical line the target, the whisker the 90% interval. The table above gives the \
         same figures.",
        rows.len() - met - missed
    );
    let mut svg = open(
        "targets",
        height,
        "Each measure against its outcome target",
        &desc,
    );
    for (i, b) in rows.iter().enumerate() {
        let t = b.target;
        let y = 12.0 + row_height * i as f64;
        let mid = y + row_height / 2.0 - 4.0;
        let _ = write!(
            svg,
            "{}",
            text(0.0, mid + 4.0, "label", "start", t.measure.name())
        );
        let rate = matches!(
            t.measure,
            Measure::ChangeFailureRate | Measure::PipelineHealth
        );
        let top = t
            .actual
            .unwrap_or(0.0)
            .max(t.goal)
            .max(b.interval.map_or(0.0, |[_, hi]| hi));
        let scale = if rate { 1.0 } else { top * 1.15 };
        let x = |v: f64| left + (v / scale).clamp(0.0, 1.0) * (right - left);
        let _ = write!(
            svg,
            "<rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"20\" class=\"track\"/>",
            mid - 10.0,
            right - left
        );
        let verdict = match (t.actual, t.met) {
            (Some(actual), met) => {
                let (class, fill, word) = match met {
                    Some(false) => ("bad-edge", "url(#targets-hatch)".to_string(), "✗ missed"),
                    _ => ("ok", String::new(), "✓ met"),
                };
                let fill = if fill.is_empty() {
                    String::new()
                } else {
                    format!(" fill=\"{fill}\"")
                };
                let _ = write!(
                    svg,
                    "<g><title>{}: {}, target {}</title><rect x=\"{left}\" y=\"{:.1}\" \
                     width=\"{:.1}\" height=\"12\" class=\"{class}\"{fill}/></g>",
                    t.measure.name(),
                    escape(&(b.show)(actual)),
                    escape(&t.target),
                    mid - 6.0,
                    (x(actual) - left).max(2.0),
                );
                if let Some([lo, hi]) = b.interval {
                    let _ = write!(
                        svg,
                        "<path d=\"M{:.1} {:.1} v8 m0 -4 H{:.1} m0 -4 v8\" class=\"whisker\"/>",
                        x(lo),
                        mid - 4.0,
                        x(hi)
                    );
                }
                format!("{} · {word}", (b.show)(actual))
            }
            (None, _) => "not measured".to_string(),
        };
        let gx = x(t.goal);
        let _ = write!(
            svg,
            "<line x1=\"{gx:.1}\" y1=\"{:.1}\" x2=\"{gx:.1}\" y2=\"{:.1}\" class=\"goal\"/>{}{}",
            mid - 14.0,
            mid + 14.0,
            text(gx, mid + 26.0, "tick", "middle", &t.target),
            text(right + 12.0, mid + 4.0, "label", "start", &verdict)
        );
    }
    let ly = height - 8.0;
    let _ = write!(
        svg,
        "<rect x=\"0\" y=\"{}\" width=\"20\" height=\"10\" class=\"ok\"/>{}\
         <rect x=\"90\" y=\"{}\" width=\"20\" height=\"10\" fill=\"url(#targets-hatch)\" class=\"bad-edge\"/>{}\
         <line x1=\"210\" y1=\"{}\" x2=\"210\" y2=\"{}\" class=\"goal\"/>{}\
         <path d=\"M280 {} v8 m0 -4 h20 m0 -4 v8\" class=\"whisker\"/>{}",
        ly - 9.0,
        text(26.0, ly, "note", "start", "met"),
        ly - 9.0,
        text(116.0, ly, "note", "start", "missed"),
        ly - 12.0,
        ly + 2.0,
        text(216.0, ly, "note", "start", "target"),
        ly - 8.0,
        text(306.0, ly, "note", "start", "90% interval"),
    );
    svg.push_str("</svg>");
    Some(svg)
}

/// Each category's credit share at levels 2–5, as answered (solid) and as the data verified
/// it (hatched), against the pass mark's line.
pub fn maturity(card: &Scorecard) -> String {
    let categories: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| card.category(*c).is_some())
        .collect();
    let (left, right) = (60.0, WIDTH - 100.0);
    let block = 24.0 + 4.0 * 24.0 + 8.0;
    let height = 30.0 + block * categories.len() as f64 + 20.0;
    let pass = card.pass_mark.clamp(0.0, 1.0);
    let desc = format!(
        "Overall level {} as answered, {} verified by the data. For each category and level, \
         the answered and the verified credit share; a level is reached when its share is at \
         least the pass mark of {}. The table below gives the same figures.",
        card.overall_level,
        card.verified_level,
        percent(pass)
    );
    let mut svg = open(
        "maturity",
        height,
        "Maturity levels per category, answered and verified, against the pass mark",
        &desc,
    );
    let x = |share: f64| left + share.clamp(0.0, 1.0) * (right - left);
    let px = x(pass);
    let _ = write!(
        svg,
        "{}<line x1=\"{px:.1}\" y1=\"24\" x2=\"{px:.1}\" y2=\"{:.1}\" class=\"goal\"/>",
        text(
            px,
            16.0,
            "note",
            "middle",
            &format!("pass mark {}", percent(pass))
        ),
        height - 24.0
    );
    for (i, category) in categories.iter().enumerate() {
        let Some((claimed, verified)) = card.category(*category) else {
            continue;
        };
        let y = 30.0 + block * i as f64;
        let _ = write!(
            svg,
            "{}",
            text(
                0.0,
                y + 14.0,
                "label strong",
                "start",
                &format!(
                    "{} — level {} answered, {} verified",
                    category.name(),
                    claimed.level,
                    verified.level
                )
            )
        );
        for (j, level) in LEVELS.enumerate() {
            let ry = y + 24.0 + 24.0 * j as f64;
            let reached = if level <= verified.level { " ✓" } else { "" };
            let _ = write!(
                svg,
                "{}",
                text(
                    0.0,
                    ry + 14.0,
                    "tick",
                    "start",
                    &format!("L{level}{reached}")
                )
            );
            match (claimed.share(level), verified.share(level)) {
                (Some(a), Some(v)) => {
                    let _ = write!(
                        svg,
                        "<g><title>Level {level}: {} answered, {} verified</title>\
                         <rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"9\" class=\"bar\"/>\
                         <rect x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"9\" \
                         fill=\"url(#maturity-hatch)\" class=\"verified\"/></g>{}",
                        percent(a),
                        percent(v),
                        ry + 1.0,
                        (x(a) - left).max(1.0),
                        ry + 11.0,
                        (x(v) - left).max(1.0),
                        text(
                            right + 8.0,
                            ry + 14.0,
                            "tick",
                            "start",
                            &format!("{:.0}% / {:.0}%", a * 100.0, v * 100.0)
                        )
                    );
                }
                _ => {
                    let _ = write!(
                        svg,
                        "{}",
                        text(left + 4.0, ry + 14.0, "tick", "start", "n/a")
                    );
                }
            }
        }
    }
    let ly = height - 6.0;
    let _ = write!(
        svg,
        "<rect x=\"0\" y=\"{}\" width=\"20\" height=\"9\" class=\"bar\"/>{}\
         <rect x=\"120\" y=\"{}\" width=\"20\" height=\"9\" fill=\"url(#maturity-hatch)\" class=\"verified\"/>{}",
        ly - 9.0,
        text(26.0, ly, "note", "start", "as answered"),
        ly - 9.0,
        text(
            146.0,
            ly,
            "note",
            "start",
            "verified by the data (answered / verified at right)"
        ),
    );
    svg.push_str("</svg>");
    svg
}

/// Which outcome target judges trend figure `i` (trend::FIGURES) on that very figure, and the
/// factor from the target's unit to the figure's: deployments a week against `>= 1/day`.
/// Recovery's target is judged on the mean, the trend's figure is the median: no line.
fn judged_by(i: usize) -> Option<(Measure, f64)> {
    match FIGURES[i].measure {
        "lead_time_for_changes" => Some((Measure::LeadTimeForChanges, 1.0)),
        "deployment_frequency" => Some((Measure::DeploymentFrequency, 7.0)),
        "change_failure_rate" => Some((Measure::ChangeFailureRate, 1.0)),
        "pipeline_health" => Some((Measure::PipelineHealth, 1.0)),
        _ => None,
    }
}

/// A period's short name under its bar: `W02`, `Jan 2026`, `Q1 2026`.
fn period_tick(since: &str, every: Every) -> String {
    let Some(t) = parse(since) else {
        return since.to_string();
    };
    match every {
        Every::Week => format!("W{:02}", t.iso_week().week()),
        Every::Month => t.format("%b %Y").to_string(),
        Every::Quarter => format!("Q{} {}", (t.month() - 1) / 3 + 1, t.year()),
    }
}

/// Trend figure `i` per period: a bar per period, solid when the period met the target,
/// hatched when it missed, plain when no target judges it; partial periods faded and starred;
/// the target as a dashed line.
pub fn period_measure(trend: &Trend, i: usize) -> Option<String> {
    let f = &FIGURES[i];
    let values: Vec<Option<f64>> = trend.periods.iter().map(|p| (f.of)(&p.measures)).collect();
    if values.iter().all(Option::is_none) {
        return None;
    }
    let judge = judged_by(i);
    let target = judge.and_then(|(m, factor)| {
        let t = trend
            .periods
            .first()?
            .targets
            .iter()
            .find(|t| t.measure == m)?;
        Some((t.goal * factor, t.target.clone()))
    });
    let met: Vec<Option<bool>> = trend
        .periods
        .iter()
        .map(|p| {
            let (m, _) = judge?;
            p.targets.iter().find(|t| t.measure == m)?.met
        })
        .collect();
    let id = format!("trend-{}", f.measure.replace('_', "-"));
    let per = trend.every.as_str();
    let title = format!("{} per {per}", capitalise(f.label));
    let judged = met.iter().flatten().count();
    let missed = met.iter().filter(|m| **m == Some(false)).count();
    let desc = match &target {
        Some((_, name)) => format!(
            "{} periods; {missed} of the {judged} with a figure missed the target {name}. \
             The table below gives each period's figure.",
            values.len()
        ),
        None if f.measure == "mean_time_to_recovery" => format!(
            "{} periods. The outcome target is judged on the mean time to recovery, not this \
             median, so no target line is drawn. The table below gives each period's figure.",
            values.len()
        ),
        None => format!(
            "{} periods; no outcome target. The table below gives each period's figure.",
            values.len()
        ),
    };
    // Narrower than the other charts: the page sets these two abreast on a wide screen.
    let (width, height) = (480.0, 196.0);
    let mut svg = open_sized(&id, "chart trend", width, height, &title, &desc);
    let (left, right, top, bottom) = (4.0, width - 4.0, 44.0, 156.0);
    let highest = values
        .iter()
        .flatten()
        .copied()
        .chain(target.as_ref().map(|(goal, _)| *goal))
        .fold(0.0, f64::max);
    let scale = if highest > 0.0 { highest * 1.15 } else { 1.0 };
    let y = |v: f64| bottom - (v / scale).clamp(0.0, 1.0) * (bottom - top);
    let slot = (right - left) / values.len() as f64;
    // Value labels need room: one per bar up to 10 bars, else only the bars' <title>s.
    let labelled = values.len() <= 10;
    let every_nth = values.len().div_ceil(8);
    let _ = write!(
        svg,
        "{}<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{right}\" y2=\"{bottom}\" class=\"axis\"/>",
        text(0.0, 16.0, "label strong", "start", &title)
    );
    if let Some((goal, name)) = &target {
        let gy = y(*goal);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{gy:.1}\" x2=\"{right}\" y2=\"{gy:.1}\" class=\"goal\"/>\
             <line x1=\"{}\" y1=\"30\" x2=\"{}\" y2=\"30\" class=\"goal\"/>{}",
            right - 150.0,
            right - 126.0,
            text(
                right - 120.0,
                34.0,
                "note",
                "start",
                &format!("target {name}")
            )
        );
    }
    for (k, (p, value)) in trend.periods.iter().zip(&values).enumerate() {
        let cx = left + slot * (k as f64 + 0.5);
        let mut name = period_tick(&p.since, trend.every);
        if p.partial {
            name.push('*');
        }
        if k % every_nth == 0 {
            let _ = write!(svg, "{}", text(cx, bottom + 16.0, "tick", "middle", &name));
        }
        let Some(v) = value else {
            let _ = write!(
                svg,
                "<g><title>{name}: no figure</title>{}</g>",
                text(cx, bottom - 4.0, "note", "middle", "—")
            );
            continue;
        };
        let (class, fill, verdict) = match met[k] {
            Some(true) => ("ok", String::new(), ", target met"),
            Some(false) => (
                "bad-edge",
                format!(" fill=\"url(#{id}-hatch)\""),
                ", target missed",
            ),
            None => ("bar", String::new(), ""),
        };
        let partial = if p.partial { " partial" } else { "" };
        let h = (bottom - y(*v)).max(1.0);
        let _ = write!(
            svg,
            "<g><title>{name}: {}{verdict}{}</title><rect x=\"{:.1}\" y=\"{:.1}\" \
             width=\"{:.1}\" height=\"{h:.1}\" class=\"{class}{partial}\"{fill}/></g>",
            escape(&(f.show)(*v)),
            if p.partial { " (partial period)" } else { "" },
            cx - slot * 0.35,
            bottom - h,
            slot * 0.7,
        );
        if labelled {
            let _ = write!(
                svg,
                "{}",
                text(cx, bottom - h - 4.0, "note", "middle", &(f.show)(*v))
            );
        }
    }
    let ly = height - 6.0;
    let mut x = 0.0;
    if target.is_some() {
        let _ = write!(
            svg,
            "<rect x=\"0\" y=\"{}\" width=\"18\" height=\"10\" class=\"ok\"/>{}\
             <rect x=\"56\" y=\"{}\" width=\"18\" height=\"10\" fill=\"url(#{id}-hatch)\" \
             class=\"bad-edge\"/>{}",
            ly - 9.0,
            text(24.0, ly, "note", "start", "met"),
            ly - 9.0,
            text(80.0, ly, "note", "start", "missed"),
        );
        x = 136.0;
    }
    if trend.periods.iter().any(|p| p.partial) {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"18\" height=\"10\" class=\"bar partial\"/>{}",
            ly - 9.0,
            text(x + 24.0, ly, "note", "start", "* partial period"),
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hold_their_lower_bound() {
        // 0.5h and 0h under an hour; 1h opens 1–4h; 24h opens 1–2d; 1000h is over 4 weeks.
        let counts = lead_time_histogram(&[0.0, 0.5, 1.0, 24.0, 1000.0]);
        assert_eq!(counts, [2, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn positions_interpolate_within_a_bucket() {
        // 20h is 8/12 of the way through 12–24h (the fourth bucket).
        assert!((bucket_position(20.0) - (3.0 + 8.0 / 12.0)).abs() < 1e-9);
        assert_eq!(bucket_position(2000.0), 9.5);
    }
}
