//! The next steps: for each category, lowest verified level first, the smallest set of
//! practices that would take it to its next level; then the missed outcome targets.
//!
//! The overall level is the lowest category's, so the lowest category's steps come first.
//! Within a category the set is the fewest changes whose credit reaches the pass mark, and
//! among sets of that size the one with the most `partial → yes` (half-way already). Each
//! step carries what "yes" looks like and the team's own notes. A missed target follows the
//! level steps, unless a step already asks for it (a practice the target's figure
//! contradicted): no step twice.

use crate::events::Measure;
use schemars::JsonSchema;
use serde::Serialize;

use super::evidence::Status;
use super::file::Answer;
use super::questionnaire::{Questionnaire, level_name};
use super::scorecard::Scorecard;
use crate::outcome::TargetResult;
use crate::units::{duration, frequency, percent, plural};

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Gap {
    Practice {
        category: &'static str,
        /// The level this practice blocks.
        level: u8,
        practice: String,
        statement: String,
        /// The answer the verified level scored.
        answer: Answer,
        why: String,
        /// What "yes" looks like.
        yes: String,
        /// The team's notes on its answer.
        #[serde(skip_serializing_if = "String::is_empty")]
        notes: String,
    },
    Target {
        measure: Measure,
        target: String,
        actual: Option<f64>,
        samples: Option<usize>,
        why: String,
    },
}

impl Gap {
    /// One line for people: what to do.
    pub fn headline(&self) -> String {
        match self {
            Gap::Practice { statement, .. } => statement.clone(),
            Gap::Target {
                measure, target, ..
            } => format!("{}: reach {target}", measure.name()),
        }
    }

    pub fn why(&self) -> &str {
        match self {
            Gap::Practice { why, .. } | Gap::Target { why, .. } => why,
        }
    }
}

/// A measured value in the unit people read it in.
pub fn measured(t: &TargetResult) -> String {
    let Some(actual) = t.actual else {
        return "not measured".to_string();
    };
    let n = t.samples.unwrap_or(0);
    match t.measure {
        Measure::LeadTimeForChanges => format!(
            "median {} over {}",
            duration(actual),
            plural(n, "commit", "commits")
        ),
        Measure::ChangeFailureRate => format!(
            "{} of {}",
            percent(actual),
            plural(n, "deployment", "deployments")
        ),
        Measure::PipelineHealth => format!(
            "{} zero-touch of {}",
            percent(actual),
            plural(n, "run", "runs")
        ),
        Measure::DeploymentFrequency => format!(
            "{} ({})",
            frequency(actual),
            plural(n, "deployment", "deployments")
        ),
        Measure::MeanTimeToRecovery => format!(
            "mean {} over {}",
            duration(actual),
            plural(n, "recovery", "recoveries")
        ),
        Measure::DeploymentReworkRate => percent(actual),
    }
}

fn target_gaps(targets: &[TargetResult]) -> Vec<Gap> {
    targets
        .iter()
        .filter(|t| t.met == Some(false))
        .map(|t| Gap::Target {
            measure: t.measure,
            target: t.target.clone(),
            actual: t.actual,
            samples: t.samples,
            why: format!("{}; the target is {}", measured(t), t.target),
        })
        .collect()
}

/// Floating-point slack for the pass mark, as in scoring.
const EPSILON: f64 = 1e-9;

/// Every gap, in the order to work on them.
pub fn gaps(
    questionnaire: &Questionnaire,
    scorecard: Option<&Scorecard>,
    targets: &[TargetResult],
) -> Vec<Gap> {
    let Some(card) = scorecard else {
        return target_gaps(targets);
    };
    let mut order: Vec<usize> = (0..card.verified.len()).collect();
    // Lowest verified level first; the standard's category order breaks ties.
    order.sort_by_key(|&i| (card.verified[i].level, i));
    let mut steps = Vec::new();
    for i in order {
        steps.extend(category_steps(questionnaire, card, i));
    }
    // A target a step already stands for (its figure contradicted that practice) is not
    // repeated.
    let asked: Vec<Measure> = steps
        .iter()
        .filter_map(|g| match g {
            Gap::Practice { practice, .. } => card
                .checks
                .iter()
                .find(|c| &c.practice == practice && c.status == Some(Status::Contradicted))
                .and_then(|c| c.rule.measure()),
            Gap::Target { .. } => None,
        })
        .collect();
    let targets: Vec<Gap> = target_gaps(targets)
        .into_iter()
        .filter(|t| !matches!(t, Gap::Target { measure, .. } if asked.contains(measure)))
        .collect();
    steps.extend(targets);
    steps
}

/// The fewest practice changes that take one category to its next level.
fn category_steps(questionnaire: &Questionnaire, card: &Scorecard, index: usize) -> Vec<Gap> {
    let score = &card.verified[index];
    let next = score.level + 1;
    if next > 5 {
        return Vec::new();
    }
    struct Candidate<'a> {
        practice: &'a crate::assessment::questionnaire::Practice,
        claimed: Answer,
        verified: Answer,
        gain: f64,
    }
    let level: Vec<Candidate> = questionnaire
        .practices
        .iter()
        .filter(|p| p.category == score.category && p.level == next)
        .filter_map(|p| {
            let (claimed, verified) = card.verified_answer(&p.id)?;
            Some(Candidate {
                practice: p,
                claimed,
                verified,
                gain: verified.credit().map_or(1.0, |c| 1.0 - c),
            })
        })
        .collect();
    let total = level.len();
    let applicable = level
        .iter()
        .filter(|c| c.verified != Answer::NotApplicable)
        .count();
    // At least half of a level must apply: the n/a answers to take back first.
    let too_many_na = total.div_ceil(2).saturating_sub(applicable);
    let mut chosen: Vec<&Candidate> = level
        .iter()
        .filter(|c| c.verified == Answer::NotApplicable)
        .take(too_many_na)
        .collect();
    // Credit the level needs, counting the n/a answers taken back as yes.
    let n = (applicable + chosen.len()) as f64;
    let credit: f64 = level
        .iter()
        .filter_map(|c| c.verified.credit())
        .sum::<f64>()
        + chosen.len() as f64;
    let needed = card.pass_mark * n - credit;
    if needed > EPSILON {
        let mut partials: Vec<&Candidate> = level
            .iter()
            .filter(|c| c.verified == Answer::Partial)
            .collect();
        // Full steps: unanswered first (answering is cheap and may be enough), then those the
        // data contradicted, then the no answers.
        let mut full: Vec<&Candidate> = level
            .iter()
            .filter(|c| matches!(c.verified, Answer::No | Answer::Blank))
            .collect();
        full.sort_by_key(|c| match (c.claimed, c.verified) {
            (Answer::Blank, _) => 0,
            (claimed, verified) if claimed != verified => 1,
            _ => 2,
        });
        // The fewest steps: full gains first. Then as many partials as that count allows.
        let mut k = 0;
        let mut sum = 0.0;
        for gain in full
            .iter()
            .map(|c| c.gain)
            .chain(partials.iter().map(|c| c.gain))
        {
            if sum + EPSILON >= needed {
                break;
            }
            sum += gain;
            k += 1;
        }
        let spare = (2.0 * (k as f64 - needed) + EPSILON).floor().max(0.0) as usize;
        let x = partials.len().min(spare).min(k);
        partials.truncate(x);
        chosen.extend(partials);
        chosen.extend(full.into_iter().take(k - x));
    }
    let share = score.share(next).unwrap_or(0.0);
    chosen
        .into_iter()
        .map(|c| {
            let practice = card.practice(&c.practice.id);
            let reason = match (c.claimed, c.verified) {
                (Answer::NotApplicable, _) => format!(
                    "declared n/a, but at least half of level {next}'s practices must apply"
                ),
                (claimed, verified) if claimed != verified => {
                    let evidence = card
                        .contradictions
                        .iter()
                        .find(|x| x.practice == c.practice.id)
                        .map_or(String::new(), |x| format!(": {}", x.evidence));
                    format!(
                        "answered {}, but the data shows {}{evidence}",
                        claimed.as_str(),
                        if verified == Answer::Blank {
                            "it applies"
                        } else {
                            verified.as_str()
                        }
                    )
                }
                (_, Answer::Blank) => "not answered yet".to_string(),
                (_, Answer::No) => "answered no".to_string(),
                _ => "answered partial (half credit)".to_string(),
            };
            Gap::Practice {
                category: score.category.id(),
                level: next,
                practice: c.practice.id.clone(),
                statement: c.practice.statement.clone(),
                answer: c.verified,
                why: format!(
                    "{reason}; {} is at level {} and needs {}% of its level {next} ({}) \
                     practices, has {}%",
                    score.category.name(),
                    score.level,
                    (card.pass_mark * 100.0).round(),
                    level_name(next),
                    (share * 100.0).round()
                ),
                yes: c.practice.guidance.clone(),
                notes: practice.map(|p| p.notes.clone()).unwrap_or_default(),
            }
        })
        .collect()
}
