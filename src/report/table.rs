//! The terminal view: one block a person takes in at a glance. Laid out by hand in aligned
//! columns that break at spaces only, so it reads at 80 columns without splitting a word.

use std::io::IsTerminal;

use super::Report;
use super::view::{Verdict, deployment_lines, headline, measure_rows};

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

/// The verdict words in colour, for a terminal only: never in a pipe or a file, never with
/// `NO_COLOR` set (no-color.org). Applied to the laid-out text, so widths are unaffected.
pub(crate) fn colourise(text: &str) -> String {
    let coloured = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    if !coloured {
        return text.to_string();
    }
    const GREEN: &str = "\x1b[32m";
    const RED: &str = "\x1b[31m";
    const YELLOW: &str = "\x1b[33m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(text.len() + 256);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut painted = line.to_string();
        for (word, colour) in [
            (" missed", RED),
            (" met", GREEN),
            ("contradicted", RED),
            ("confirmed", GREEN),
            ("inconclusive", YELLOW),
            ("warning:", YELLOW),
        ] {
            painted = paint_word(&painted, word, colour, RESET);
        }
        out.push_str(&painted);
    }
    out
}

/// Colours whole occurrences of `word` (not inside a longer word).
fn paint_word(line: &str, word: &str, colour: &str, reset: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find(word) {
        let end = i + word.len();
        let next = rest[end..].chars().next();
        let whole = next.is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..i]);
        if whole {
            out.push_str(colour);
            out.push_str(&rest[i..end]);
            out.push_str(reset);
        } else {
            out.push_str(&rest[i..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
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

/// Where a summary line's figure starts: two spaces and the longest measure name.
const FIGURE_COLUMN: usize = 25;

/// The delivery figures in one block a person takes in at a glance, two lines a measure:
/// the figure with its labels, then its tier, its target and what it rests on (sample size
/// and 90 % interval), or why it could not be measured. Lines break at spaces only, under
/// the figure's column, so the block reads at 80 columns.
pub(crate) fn summary(report: &Report) -> String {
    let width = width().map(usize::from);
    let mut out = String::from("Delivery\n");
    for row in measure_rows(report) {
        let name = format!("  {:<w$}", row.name, w = FIGURE_COLUMN - 2);
        out.push_str(&hang(&name, &row.value, width));
        out.push('\n');
        let mut detail = Vec::new();
        if let Some(reason) = &row.reason {
            detail.push(format!("not measured: {reason}"));
        } else {
            if row.tier != "—" {
                detail.push(format!("tier {}", row.tier));
            }
            match row.verdict {
                Verdict::Met => detail.push(format!("target {} met", row.target)),
                Verdict::Missed => detail.push(format!("target {} missed", row.target)),
                Verdict::Unknown | Verdict::NoTarget => {}
            }
            detail.push(row.basis.clone());
        }
        out.push_str(&hang(
            &" ".repeat(FIGURE_COLUMN),
            &detail.join(" · "),
            width,
        ));
        out.push('\n');
    }
    if let Some(line) = super::view::workflows_line(report) {
        out.push_str(&hang("", &line, width));
        out.push('\n');
    }
    if let Some(line) = super::view::paths_line(report) {
        out.push_str(&hang("", &line, width));
        out.push('\n');
    }
    out.push_str(&hang(
        "",
        "Tiers are DORA's performance clusters (elite, high, medium, low); the 90% interval is \
         how far a figure from this many samples could be from the team's true rate.",
        width,
    ));
    out.push('\n');
    out.push_str(&services(report));
    out
}

/// The `[[service]]`s side by side, one row each, in 80 columns for a name of up to
/// [`SERVICE_NAME`] characters (a longer one gets a line of its own).
fn services(report: &Report) -> String {
    let rows = super::view::service_rows(report);
    if rows.is_empty() {
        return String::new();
    }
    let width = width().map(usize::from);
    let w = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp("Service".len(), SERVICE_NAME);
    let line = |name: &str, cells: [&str; 6]| {
        format!(
            "  {name:<w$}  {:>7}  {:>9}  {:>9}  {:>12}  {:>8}  {:>6}",
            cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]
        )
    };
    let mut out = String::from("\nServices\n");
    out.push_str(&line(
        "Service",
        [
            "Deploys",
            "Unchanged",
            "Lead time",
            "Failure rate",
            "Recovery",
            "Rework",
        ],
    ));
    out.push('\n');
    for r in &rows {
        let cells = [
            r.deployments.as_str(),
            &r.unchanged,
            &r.lead_time,
            &r.failure_rate,
            &r.recovery,
            &r.rework,
        ];
        if r.name.chars().count() > w {
            out.push_str(&format!("  {}\n", r.name));
            out.push_str(&line("", cells));
        } else {
            out.push_str(&line(&r.name, cells));
        }
        out.push('\n');
    }
    let paths: Vec<String> = rows
        .iter()
        .map(|r| format!("{}: {}", r.name, r.paths))
        .collect();
    out.push_str(&hang("", &format!("Paths: {}", paths.join(" · ")), width));
    out.push('\n');
    out.push_str(&hang("", super::view::SERVICES_NOTE, width));
    out.push('\n');
    out
}

/// The longest service name that fits its column in 80 columns.
const SERVICE_NAME: usize = 15;

/// `prefix` then `text`, broken at spaces to fit `width`, continuation lines indented to
/// where the text started.
pub(crate) fn hang(prefix: &str, text: &str, width: Option<usize>) -> String {
    let indent = prefix.chars().count();
    let Some(width) = width else {
        return format!("{prefix}{text}");
    };
    let mut out = prefix.to_string();
    let mut current = indent;
    let mut first = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if !first && current + 1 + len > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            current = indent;
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

/// The deployments as aligned columns; the status, last, wraps under itself, so no column
/// is squeezed into breaking a time or a sha at 80 columns.
fn deployment_list(lines: &[super::view::DeploymentLine]) -> String {
    let width = width().map(usize::from);
    let when = |time: &str| time.get(..16).unwrap_or(time).to_string();
    let ref_width = lines
        .iter()
        .map(|d| d.reference.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let row = |time: &str, reference: &str, commit: &str, changes: &str| {
        format!("  {time:<16}  {reference:<ref_width$}  {commit:<10}  {changes:>7}  ")
    };
    let mut out = row("When (UTC)", "Ref", "Commit", "Changes");
    out.push_str("Status\n");
    for d in lines {
        let prefix = row(&when(&d.time), &d.reference, &d.commit, &d.changes);
        let line = if d.status.is_empty() {
            prefix.trim_end().to_string()
        } else {
            hang(&prefix, &d.status, width)
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The lead time's stages as aligned columns, then the dominant stage.
pub(crate) fn breakdown(view: &super::view::BreakdownView) -> String {
    let width = width().map(usize::from);
    let name_width = view
        .rows
        .iter()
        .map(|r| r[0].chars().count())
        .max()
        .unwrap_or(0);
    let mut out = hang("", &view.title, width);
    out.push('\n');
    out.push_str(&format!(
        "  {:<name_width$}  {:>7}  {:>7}  {:>6}\n",
        "Stage", "Median", "p90", "Share"
    ));
    for [name, median, p90, share] in &view.rows {
        out.push_str(&format!(
            "  {name:<name_width$}  {median:>7}  {p90:>7}  {share:>6}\n"
        ));
    }
    out.push_str(&hang("  ", &view.summary, width));
    out.push('\n');
    out
}

pub fn render(report: &Report) -> String {
    let (repo, window) = headline(report);
    let window = fit(&window);
    let mut out = format!("valueflow {}\n{repo}\n{window}\n\n", report.tool.version);
    out.push_str(&summary(report));
    if let Some(view) = super::view::breakdown(report) {
        out.push('\n');
        out.push_str(&breakdown(&view));
    }

    let (lines, hidden) = deployment_lines(report);
    if !lines.is_empty() {
        out.push_str("\nDeployments (oldest first)\n");
        out.push_str(&deployment_list(&lines));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paints_whole_words_only() {
        let line = "target < 24 h missed · 3 dismissed · met · metrics";
        assert_eq!(
            paint_word(line, " missed", "<R>", "</>"),
            "target < 24 h<R> missed</> · 3 dismissed · met · metrics"
        );
        assert_eq!(
            paint_word(line, " met", "<G>", "</>"),
            "target < 24 h missed · 3 dismissed ·<G> met</> · metrics"
        );
    }

    #[test]
    fn hangs_continuation_lines_under_the_text() {
        assert_eq!(
            hang("  name  ", "one two three four", Some(16)),
            "  name  one two\n        three\n        four"
        );
        assert_eq!(hang("> ", "no width, no wrap", None), "> no width, no wrap");
    }
}
