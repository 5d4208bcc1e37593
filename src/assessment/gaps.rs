//! The gaps: what blocks each category's next level and which outcome targets are missed,
//! ordered so that the first is the one to work on next.
//!
//! Order: first the practices that hold back the lowest categories (the overall level is the
//! lowest category's, so nothing else raises it), then the missed outcome targets (the
//! standard's goal), then the practices blocking the other categories' next levels. Within a
//! category: unanswered practices first (answering is cheap and may change the level), then
//! answers the data contradicts, then `no`, then `partial` (half-way already).

use crate::events::Measure;
use serde::Serialize;

use super::file::Answer;
use super::questionnaire::{Questionnaire, level_name};
use super::scorecard::Scorecard;
use crate::outcome::TargetResult;
use crate::units::{duration, frequency, percent, plural};

#[derive(Debug, Clone, PartialEq, Serialize)]
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
            Gap::Practice {
                practice,
                statement,
                ..
            } => format!("{practice}: {statement}"),
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

/// Every gap, in the order to work on them.
pub fn gaps(
    questionnaire: &Questionnaire,
    scorecard: Option<&Scorecard>,
    targets: &[TargetResult],
) -> Vec<Gap> {
    let Some(card) = scorecard else {
        return target_gaps(targets);
    };
    let lowest = card.verified_level;
    // (category level, answer rank, category index, questionnaire index, gap)
    let mut ranked = Vec::new();
    for (ci, score) in card.verified.iter().enumerate() {
        let next = score.level + 1;
        if next > 5 {
            continue;
        }
        let share = score.share(next).unwrap_or(0.0);
        for (pi, p) in questionnaire.practices.iter().enumerate() {
            if p.category != score.category || p.level != next {
                continue;
            }
            let Some((claimed, answer)) = card.verified_answer(&p.id) else {
                continue;
            };
            let contradiction = card.contradictions.iter().find(|c| c.practice == p.id);
            let (rank, reason) = match (answer, contradiction) {
                (Answer::Yes | Answer::NotApplicable, _) => continue,
                (_, Some(c)) => (
                    1,
                    format!(
                        "answered {}, but the data shows {}: {}",
                        claimed.as_str(),
                        c.shows.as_str(),
                        c.evidence
                    ),
                ),
                (Answer::Blank, _) => (0, "not answered yet".to_string()),
                (Answer::No, _) => (2, "answered no".to_string()),
                (Answer::Partial, _) => (3, "answered partial (half credit)".to_string()),
            };
            let why = format!(
                "{reason}; {} is at level {} and needs {}% of its level {next} ({}) practices, \
                 has {}%",
                score.category.name(),
                score.level,
                (card.pass_mark * 100.0).round(),
                level_name(next),
                (share * 100.0).round()
            );
            ranked.push((
                score.level,
                rank,
                ci,
                pi,
                Gap::Practice {
                    category: score.category.id(),
                    level: next,
                    practice: p.id.clone(),
                    statement: p.statement.clone(),
                    answer,
                    why,
                },
            ));
        }
    }
    ranked.sort_by_key(|(level, rank, ci, pi, _)| (*level, *rank, *ci, *pi));
    let (first, rest): (Vec<_>, Vec<_>) = ranked.into_iter().partition(|r| r.0 == lowest);
    first
        .into_iter()
        .map(|r| r.4)
        .chain(target_gaps(targets))
        .chain(rest.into_iter().map(|r| r.4))
        .collect()
}
