//! The level report for people: a one-page table view for the terminal and GitHub-flavoured
//! Markdown (tables only, no raw HTML) for pull requests and `$GITHUB_STEP_SUMMARY`.

use schemars::JsonSchema;
use serde::Serialize;

use super::Report;
use super::markdown::{self, cell};
use super::table::{fit, wrap};
use super::view::{Verdict, headline};
use crate::assessment::evidence::{Check, Status};
use crate::assessment::file::Answer;
use crate::assessment::gaps::Gap;
use crate::assessment::questionnaire::{Category, LEVELS, level_name};
use crate::assessment::score::CategoryScore;
use crate::assessment::score::LevelVerdict;
use crate::assessment::scorecard::Scorecard;
use crate::outcome::TargetResult;
use crate::trend::Trend;
use crate::units::plural;

/// The JSON of `valueflow report`: the measure report's keys, then the assessment, the
/// outcome and the gaps (interface.md).
#[derive(Debug, Serialize, JsonSchema)]
pub struct LevelReport<'a> {
    #[serde(flatten)]
    pub measures: &'a Report,
    pub assessment: Option<Scorecard>,
    pub outcome: OutcomeSummary<'a>,
    pub gaps: Vec<Gap>,
    /// The measures per period of the report's window (v2).
    pub trend: &'a Trend,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct OutcomeSummary<'a> {
    /// true when every target is met, false when any is missed, null otherwise.
    pub met: Option<bool>,
    pub targets: &'a [TargetResult],
}

impl<'a> OutcomeSummary<'a> {
    pub fn new(targets: &'a [TargetResult]) -> Self {
        let met = if targets.iter().any(|t| t.met == Some(false)) {
            Some(false)
        } else if targets.iter().all(|t| t.met == Some(true)) {
            Some(true)
        } else {
            None
        };
        OutcomeSummary { met, targets }
    }
}

/// The next steps the human views list; JSON has every gap.
pub const STEPS_SHOWN: usize = 10;

pub(super) const NO_ASSESSMENT: &str = "No self-assessment yet: run `valueflow init` to write valueflow.toml, \
     answer its practices, then run `valueflow report` again to get your maturity levels.";

pub(super) fn level(n: u8) -> String {
    format!("{n} – {}", level_name(n))
}

/// The credit share at a level, ticked when the category achieved it.
pub(super) fn grid_cell(score: &CategoryScore, at: u8) -> String {
    match score.share(at) {
        None => "n/a".to_string(),
        Some(share) => {
            let tick = if at <= score.level { "✓ " } else { "" };
            format!("{tick}{}%", (share * 100.0).round())
        }
    }
}

pub(super) fn headline_level(card: &Scorecard) -> String {
    format!(
        "Overall level {} · verified by the data: {}",
        level(card.overall_level),
        level(card.verified_level)
    )
}

pub(super) fn assessment_line(card: &Scorecard) -> String {
    let answered = format!(
        "{}{} · pass mark {}%",
        card.file,
        card.team
            .as_deref()
            .filter(|t| !t.is_empty())
            .map_or(String::new(), |t| format!(" (team {t})")),
        (card.pass_mark * 100.0).round()
    );
    if card.unanswered > 0 {
        format!("{answered} · {} practices unanswered", card.unanswered)
    } else {
        answered
    }
}

pub(super) fn outcome_line(report: &LevelReport<'_>) -> String {
    let targets = &report.outcome.targets;
    let missed = targets.iter().filter(|t| t.met == Some(false)).count();
    let unknown = targets.iter().filter(|t| t.met.is_none()).count();
    let verdict = match report.outcome.met {
        Some(true) => "met".to_string(),
        Some(false) => format!("not met ({missed} of {} targets missed)", targets.len()),
        None => "unknown".to_string(),
    };
    if unknown > 0 {
        format!("Outcome statement: {verdict}; {unknown} not measured")
    } else {
        format!("Outcome statement: {verdict}")
    }
}

pub fn table_view(report: &LevelReport<'_>) -> String {
    let measures = report.measures;
    let (repo, window) = headline(measures);
    let window = fit(&window);
    let mut out = format!(
        "valueflow {} · Continuous Value Flow maturity report\n{repo}\n{window}\n\n",
        measures.tool.version
    );
    // The headline a manager reads first: the level, then the figures behind it.
    if let Some(card) = &report.assessment {
        out.push_str(&format!(
            "{}\n{}\n\n",
            fit(&headline_level(card)),
            fit(&assessment_line(card))
        ));
    }
    out.push_str(&format!("{}\n", outcome_line(report)));
    out.push_str(&super::table::summary(measures));
    if let Some(view) = super::view::breakdown(measures) {
        out.push('\n');
        out.push_str(&super::table::breakdown(&view));
    }
    out.push_str(&format!("\n{}", super::trend::section(report.trend)));

    match &report.assessment {
        Some(card) => {
            out.push_str(&format!("\n{}\n", maturity_block(card)));
            out.push_str(&format!(
                "\n{}\n",
                wrap(&format!("Evidence: {}", card.evidence.line()))
            ));
            for line in evidence_lines(card) {
                out.push_str(&format!("{}\n", wrap(&format!("  {line}"))));
            }
        }
        None => out.push_str(&format!("\n{}\n", wrap(NO_ASSESSMENT))),
    }

    out.push_str(&steps(
        report,
        "\nNext steps (most important first)\n",
        |n, gap| {
            let (what, lines) = step_lines(report, gap);
            let step = format!("{n:>3}. {what}\n     {}", lines.join("\n     "));
            format!("{}\n", wrap(&step))
        },
    ));
    if report.gaps.len() > STEPS_SHOWN {
        out.push_str(&format!(
            "     … and {} more: see --format json\n",
            report.gaps.len() - STEPS_SHOWN
        ));
    }
    if !measures.warnings.is_empty() {
        out.push('\n');
        for warning in &measures.warnings {
            out.push_str(&format!("{}\n", wrap(&format!("warning: {warning}"))));
        }
    }
    out
}

/// One next step as plain text for every view to lay out and escape: what to do, then why,
/// what "yes" looks like, the team's notes, and its owner, review date and evidence.
pub(super) fn step_lines(report: &LevelReport<'_>, gap: &Gap) -> (String, Vec<String>) {
    let mut lines = vec![gap.why().to_string()];
    if let Gap::Practice {
        yes,
        notes,
        practice,
        ..
    } = gap
    {
        lines.push(yes.clone());
        if !notes.is_empty() {
            lines.push(format!("Your notes: {notes}"));
        }
        if let Some(team) = report
            .assessment
            .as_ref()
            .and_then(|c| team_line(c, practice))
        {
            lines.push(team);
        }
    }
    (gap.headline(), lines)
}

/// A practice's words for people; ids are for JSON and scripts.
pub(super) fn statement(id: &str) -> String {
    crate::assessment::questionnaire::embedded()
        .practice(id)
        .map_or(id.to_string(), |p| {
            p.statement.trim_end_matches('.').to_string()
        })
}

/// "Owner: ana · review by 2027-03-01 · evidence: https://…", when the team gave any.
pub(super) fn team_line(card: &Scorecard, id: &str) -> Option<String> {
    let p = card.practice(id)?;
    let parts: Vec<String> = [
        p.owner.as_ref().map(|o| format!("Owner: {o}")),
        p.review_by.map(|d| format!("review by {d}")),
        p.evidence.as_ref().map(|e| format!("evidence: {e}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

pub(super) fn answered(answer: Answer) -> &'static str {
    match answer {
        Answer::Blank => "(blank)",
        answer => answer.as_str(),
    }
}

/// "contradicted: shows partial", "confirmed", … or "not checked" for a no or blank answer.
pub(super) fn status_word(check: &Check) -> String {
    match (check.status, check.shows) {
        (Some(Status::Contradicted), Some(Answer::Blank)) => {
            "contradicted: scored as unanswered".to_string()
        }
        (Some(Status::Contradicted), Some(shows)) => {
            format!("contradicted: shows {}", shows.as_str())
        }
        (Some(status), _) => status.as_str().to_string(),
        (None, _) => "not checked (hint)".to_string(),
    }
}

/// The levels as a plain grid that fits 80 columns: the answered and verified level per
/// category and the credit share of each level (✓ where reached), then the legend.
fn maturity_block(card: &Scorecard) -> String {
    let mut out = format!(
        "{:<24}{:>8}{:>9}  {:>7}{:>7}{:>7}{:>7}\n",
        "Maturity", "answered", "verified", "L2", "L3", "L4", "L5"
    );
    for category in Category::ALL {
        let Some((claimed, verified)) = card.category(category) else {
            continue;
        };
        let cells: String = LEVELS
            .map(|l| format!("{:>7}", grid_cell(claimed, l)))
            .collect();
        out.push_str(&format!(
            "  {:<22}{:>8}{:>9}  {cells}\n",
            category.name(),
            claimed.level,
            verified.level,
        ));
    }
    for note in level_notes(card) {
        out.push_str(&format!("{}\n", wrap(&note)));
    }
    out.push_str(&wrap(
        "Levels: 1 Initial · 2 Managed · 3 Defined · 4 Quantitatively Managed · 5 Optimising. \
         L2–L5: the answered credit share of each level's practices, ✓ where reached; verified: \
         after the data's corrections.",
    ));
    out
}

/// What the grid alone does not say: a level not reached because too much of it was declared
/// n/a, and level 4–5 yes answers given without evidence.
pub(super) fn level_notes(card: &Scorecard) -> Vec<String> {
    let mut notes = Vec::new();
    for c in &card.categories {
        if let Some(LevelVerdict::TooMuchNotApplicable {
            applicable,
            practices,
        }) = c.next_level
        {
            notes.push(format!(
                "{}: level {} not reached: only {applicable} of its {practices} practices apply \
                 (the rest were declared n/a); at least half must apply.",
                c.name,
                c.verified_level + 1
            ));
        }
    }
    let unbacked: Vec<String> = card
        .practices
        .iter()
        .filter(|p| p.without_evidence)
        .map(|p| statement(&p.id))
        .collect();
    if !unbacked.is_empty() {
        notes.push(format!(
            "Answered yes at level 4–5 without an evidence link: {}.",
            unbacked.join("; ")
        ));
    }
    notes
}

/// One line per checked practice, contradictions first (they change the verified level),
/// then the confirmed, the inconclusive, those without data, and hints on no/blank answers.
fn evidence_lines(card: &Scorecard) -> Vec<String> {
    let rank = |c: &Check| match c.status {
        Some(Status::Contradicted) => 0,
        Some(Status::Confirmed) => 1,
        Some(Status::Inconclusive) => 2,
        Some(Status::NoData) => 3,
        None => 4,
    };
    let mut checks: Vec<&Check> = card
        .checks
        .iter()
        .filter(|c| c.status.is_some() || c.hint.is_some())
        .collect();
    checks.sort_by_key(|c| rank(c));
    checks
        .into_iter()
        .map(|c| {
            let notes = card
                .practice(&c.practice)
                .map(|p| p.notes.as_str())
                .filter(|n| !n.is_empty())
                .map_or(String::new(), |n| format!(", notes: \"{n}\""));
            format!(
                "{} — {} (answered {}{notes}): {}",
                status_word(c),
                statement(&c.practice),
                answered(c.claimed),
                c.hint.as_deref().unwrap_or(&c.evidence)
            )
        })
        .collect()
}

/// The next steps under `heading`, each written by `line`.
pub(super) fn steps(
    report: &LevelReport<'_>,
    heading: &str,
    line: impl Fn(usize, &Gap) -> String,
) -> String {
    let gaps = &report.gaps;
    if gaps.is_empty() {
        // "Everything is met" only when it is: not when targets are unmeasured or the levels
        // stop short of 5 for a reason no step can name.
        let unknown = report
            .outcome
            .targets
            .iter()
            .filter(|t| t.met.is_none())
            .count();
        let top = report
            .assessment
            .as_ref()
            .is_none_or(|card| card.verified_level == 5);
        return match (unknown, top) {
            (0, true) => "\nNext steps: none — every practice and target is met.\n".to_string(),
            (0, false) => "\nNext steps: none that the answers name.\n".to_string(),
            (n, _) => format!(
                "\nNext steps: measure the {} not measured yet (see \"Not measured\").\n",
                plural(n, "outcome target", "outcome targets")
            ),
        };
    }
    let mut out = heading.to_string();
    for (i, gap) in gaps.iter().take(STEPS_SHOWN).enumerate() {
        out.push_str(&line(i + 1, gap));
    }
    out
}

pub fn markdown_view(report: &LevelReport<'_>) -> String {
    let measures = report.measures;
    let (repo, window) = headline(measures);
    let team = report
        .assessment
        .as_ref()
        .and_then(|c| c.team.as_deref())
        .filter(|t| !t.is_empty())
        .map_or(String::new(), |t| format!(" — team {t}"));
    let mut out = format!(
        "## Continuous Value Flow maturity report{team}\n\n`{}` · {window}\n\n",
        cell(&repo)
    );
    // The level first, then the figures behind it, then the detail.
    if let Some(card) = &report.assessment {
        out.push_str(&format!(
            "**{}**\n\n{}\n\n",
            headline_level(card),
            cell(&assessment_line(card))
        ));
    }
    out.push_str(&format!(
        "### Delivery measures against the outcome targets\n\n{}\n\n{}",
        outcome_line(report),
        markdown::measures_table(measures, Verdict::word)
    ));
    out.push_str(&markdown::breakdown(measures));
    out.push_str(
        "\nTiers are DORA's performance clusters (elite, high, medium, low); a 90% interval is how \
         far a figure from this many samples could be from the team's true rate.\n\n",
    );
    out.push_str(&super::trend::report_markdown(report.trend));
    out.push('\n');
    match &report.assessment {
        Some(card) => {
            out.push_str("### Maturity\n\n");
            out.push_str(
                "| Category | Level | Verified | Progress | Level 2 | Level 3 | Level 4 | Level 5 |\n\
                 |---|---:|---:|---:|---:|---:|---:|---:|\n",
            );
            for category in Category::ALL {
                let Some((claimed, verified)) = card.category(category) else {
                    continue;
                };
                let cells: Vec<String> = LEVELS.map(|l| grid_cell(claimed, l)).collect();
                out.push_str(&format!(
                    "| {} | {} | {} | {:.2} | {} |\n",
                    category.name(),
                    claimed.level,
                    verified.level,
                    claimed.progress,
                    cells.join(" | ")
                ));
            }
            out.push_str(
                "\nLevels: 1 Initial · 2 Managed · 3 Defined · 4 Quantitatively Managed · 5 \
                 Optimising. ✓ marks the levels achieved; each cell is the answered credit share \
                 of that level's practices; Verified is the level after the data's corrections.\n",
            );
            for note in level_notes(card) {
                out.push_str(&format!("\n{}\n", cell(&note)));
            }
            out.push_str(&format!(
                "\n### Evidence\n\n{}\n",
                cell(&card.evidence.line())
            ));
            let checks: Vec<&Check> = card
                .checks
                .iter()
                .filter(|c| c.status.is_some() || c.hint.is_some())
                .collect();
            if !checks.is_empty() {
                out.push_str("\n| Practice | Answered | Status | Evidence |\n|---|---|---|---|\n");
                for c in checks {
                    out.push_str(&format!(
                        "| {} | {} | {} | {} |\n",
                        cell(&statement(&c.practice)),
                        answered(c.claimed),
                        status_word(c),
                        cell(c.hint.as_deref().unwrap_or(&c.evidence))
                    ));
                }
            }
        }
        None => out.push_str(&format!("> {NO_ASSESSMENT}\n")),
    }

    out.push_str(&steps(report, "\n### Next steps\n\n", |n, gap| {
        let (what, lines) = step_lines(report, gap);
        let lines: Vec<String> = lines.iter().map(|l| cell(l)).collect();
        let step = format!("{n}. **{}**  \n   {}", cell(&what), lines.join("  \n   "));
        format!("{step}\n")
    }));
    if report.gaps.len() > STEPS_SHOWN {
        out.push_str(&format!(
            "\n{} more steps: run with --format json to see them all.\n",
            report.gaps.len() - STEPS_SHOWN
        ));
    }
    if !measures.warnings.is_empty() {
        out.push_str("\n### Warnings\n\n");
        for warning in &measures.warnings {
            out.push_str(&format!("- {}\n", cell(warning)));
        }
    }
    out
}
