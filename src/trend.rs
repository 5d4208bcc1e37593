//! A trend: every measure per calendar period, from one pass over the history. The pipeline
//! reads the whole span once (deployments with their change sets, failures, CI runs); the pure
//! measure functions then run once per period with that period's window, so each period's
//! figures are the ones `measure` prints for that window. Then the change between the last two
//! full periods, a rolling median that smooths single releases, and the self-assessment's
//! levels at each commit that changed its answers. Pure: no file system, git or network.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use crate::assessment::file::{self, Answer};
use crate::assessment::questionnaire::{Category, Questionnaire};
use crate::assessment::{evidence::Facts, score, scorecard};
use crate::events::period::{self, Every};
use crate::events::window::rfc3339;
use crate::events::{Deployment, Incident, PipelineRun};
use crate::measures::{self, Measures, Rules, stats};
use crate::outcome::{self, TargetResult, Targets};

/// Fewer deployments than this in a period: its figures are shown, not judged.
pub const TOO_FEW: usize = 5;

/// The `trend` object.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Trend {
    pub every: Every,
    pub since: String,
    pub until: String,
    pub periods: Vec<PeriodMeasures>,
    pub changes: Changes,
    /// The self-assessment at each commit that changed its answers, newest first.
    pub assessment: Vec<AssessmentVersion>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PeriodMeasures {
    pub since: String,
    pub until: String,
    /// Clipped by the trend's window: not a whole week, month or quarter.
    pub partial: bool,
    /// Fewer than 5 deployments: too few to judge a change by.
    pub too_few_to_judge: bool,
    /// Exactly what `measure --since SINCE --until UNTIL` prints as `measures`.
    pub measures: Measures,
    /// Each outcome target judged on this period's figures, as `report`'s `outcome.targets`
    /// judges the window's.
    pub targets: Vec<TargetResult>,
    /// Each headline figure's median over this period and the two before it (those with a
    /// figure), which one release more or less does not swing.
    pub rolling_median: Headlines,
}

/// One figure per measure: the one its tier and target judge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, JsonSchema)]
pub struct Headlines {
    pub lead_time_for_changes: Option<f64>,
    pub deployment_frequency: Option<f64>,
    pub change_failure_rate: Option<f64>,
    pub mean_time_to_recovery: Option<f64>,
    pub pipeline_health: Option<f64>,
    pub deployment_rework_rate: Option<f64>,
}

/// The headline figure of each measure, which way is better, and how to show it.
pub struct Figure {
    pub measure: &'static str,
    /// The key of the figure inside the measure's object.
    pub key: &'static str,
    /// How the views name it.
    pub label: &'static str,
    pub higher_is_better: bool,
    pub of: fn(&Measures) -> Option<f64>,
    pub show: fn(f64) -> String,
}

fn hours(h: f64) -> String {
    crate::units::duration(h)
}

fn per_week(w: f64) -> String {
    format!("{w:.1}/week")
}

pub const FIGURES: [Figure; 6] = [
    Figure {
        measure: "lead_time_for_changes",
        key: "median_hours",
        label: "lead time median",
        higher_is_better: false,
        of: |m| m.lead_time_for_changes.median_hours,
        show: hours,
    },
    Figure {
        measure: "deployment_frequency",
        key: "per_week",
        label: "deployments",
        higher_is_better: true,
        of: |m| m.deployment_frequency.per_week,
        show: per_week,
    },
    Figure {
        measure: "change_failure_rate",
        key: "rate",
        label: "change failure rate",
        higher_is_better: false,
        of: |m| m.change_failure_rate.rate,
        show: crate::units::percent,
    },
    Figure {
        measure: "mean_time_to_recovery",
        key: "median_hours",
        label: "recovery median",
        higher_is_better: false,
        of: |m| m.mean_time_to_recovery.median_hours,
        show: hours,
    },
    Figure {
        measure: "pipeline_health",
        key: "rate",
        label: "zero-touch runs",
        higher_is_better: true,
        of: |m| m.pipeline_health.rate,
        show: crate::units::percent,
    },
    Figure {
        measure: "deployment_rework_rate",
        key: "rate",
        label: "rework rate",
        higher_is_better: false,
        of: |m| m.deployment_rework_rate.rate,
        show: crate::units::percent,
    },
];

impl Headlines {
    fn from_values(v: [Option<f64>; 6]) -> Headlines {
        Headlines {
            lead_time_for_changes: v[0],
            deployment_frequency: v[1],
            change_failure_rate: v[2],
            mean_time_to_recovery: v[3],
            pipeline_health: v[4],
            deployment_rework_rate: v[5],
        }
    }

    pub fn values(&self) -> [Option<f64>; 6] {
        [
            self.lead_time_for_changes,
            self.deployment_frequency,
            self.change_failure_rate,
            self.mean_time_to_recovery,
            self.pipeline_health,
            self.deployment_rework_rate,
        ]
    }
}

/// The change of each headline figure between the last two full periods.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Changes {
    /// The earlier and later of the last two full periods; `null` with fewer than two.
    pub from: Option<Span>,
    pub to: Option<Span>,
    pub measures: Vec<Change>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Span {
    pub since: String,
    pub until: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
    Same,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Change {
    pub measure: &'static str,
    pub figure: &'static str,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// after − before.
    pub change: Option<f64>,
    /// The change as a percentage of `before`; `null` when `before` is 0.
    pub percent: Option<f64>,
    pub direction: Option<Direction>,
    /// Whether the change is for the better; `null` when the figure did not move, or when
    /// either period is too few to judge.
    pub better: Option<bool>,
    /// Either period had fewer than 5 deployments (pipeline health: 5 runs).
    pub too_few_to_judge: bool,
}

/// The self-assessment as one commit left it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AssessmentVersion {
    /// `null` for uncommitted changes in the work tree.
    pub commit: Option<String>,
    pub time: Option<String>,
    /// The level per category as answered.
    pub levels: Vec<CategoryLevel>,
    pub overall_level: u8,
    /// The overall level after the data's corrections: only for the current version, which
    /// the measured window's data can check.
    pub verified_level: Option<u8>,
    /// Practices whose answer differs from the version before (older) this one.
    pub changed_answers: Vec<AnswerChange>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CategoryLevel {
    pub category: Category,
    pub level: u8,
    /// The verified level, for the current version only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_level: Option<u8>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AnswerChange {
    pub practice: String,
    pub before: Option<Answer>,
    pub after: Answer,
}

/// What a trend is computed from: the whole span's events, computed once.
pub struct Inputs<'a> {
    pub deployments: &'a [Deployment],
    pub incidents: &'a [Incident],
    pub pulls: &'a crate::events::PullRequests,
    pub runs: Option<&'a [PipelineRun]>,
    /// The rules of the whole span; each period swaps in its own window.
    pub rules: Rules<'a>,
    pub targets: &'a Targets,
}

/// Every measure per period of `every` over `inputs.rules.window`.
pub fn periods(inputs: &Inputs<'_>, every: Every) -> Vec<PeriodMeasures> {
    let cut = period::periods(&inputs.rules.window, every);
    let failures =
        measures::failures::detect(inputs.deployments, inputs.incidents, &inputs.rules.failures);
    let mut out: Vec<PeriodMeasures> = Vec::with_capacity(cut.len());
    let mut headlines: Vec<[Option<f64>; 6]> = Vec::with_capacity(cut.len());
    for p in cut {
        let rules = Rules {
            window: p.window,
            ..inputs.rules.clone()
        };
        let m = measures::with_failures(
            inputs.deployments,
            &failures,
            inputs.pulls,
            inputs.runs,
            &rules,
        );
        headlines.push(FIGURES.map(|f| (f.of)(&m)));
        let recent = &headlines[headlines.len().saturating_sub(3)..];
        let rolling = std::array::from_fn(|i| {
            let values: Vec<f64> = recent.iter().filter_map(|h| h[i]).collect();
            stats::median(&values)
        });
        out.push(PeriodMeasures {
            since: rfc3339(p.window.since),
            until: rfc3339(p.window.until),
            partial: p.partial,
            too_few_to_judge: m.deployment_frequency.deployments < TOO_FEW,
            targets: outcome::evaluate(&m, inputs.targets),
            measures: m,
            rolling_median: Headlines::from_values(rolling),
        });
    }
    out
}

/// The change of each headline figure between the last two full periods.
pub fn changes(periods: &[PeriodMeasures]) -> Changes {
    let full: Vec<&PeriodMeasures> = periods.iter().filter(|p| !p.partial).collect();
    let [.., before, after] = full.as_slice() else {
        return Changes {
            from: None,
            to: None,
            measures: Vec::new(),
        };
    };
    let measures = FIGURES
        .iter()
        .map(|f| {
            let (b, a) = ((f.of)(&before.measures), (f.of)(&after.measures));
            let too_few = if f.measure == "pipeline_health" {
                let runs = |p: &PeriodMeasures| p.measures.pipeline_health.runs.unwrap_or(0);
                runs(before) < TOO_FEW || runs(after) < TOO_FEW
            } else {
                before.too_few_to_judge || after.too_few_to_judge
            };
            let change = b.zip(a).map(|(b, a)| a - b);
            let direction = change.map(|c| {
                if c > 0.0 {
                    Direction::Up
                } else if c < 0.0 {
                    Direction::Down
                } else {
                    Direction::Same
                }
            });
            let better = match direction {
                Some(Direction::Up) if !too_few => Some(f.higher_is_better),
                Some(Direction::Down) if !too_few => Some(!f.higher_is_better),
                _ => None,
            };
            Change {
                measure: f.measure,
                figure: f.key,
                before: b,
                after: a,
                change,
                percent: b
                    .zip(change)
                    .filter(|(b, _)| *b != 0.0)
                    .map(|(b, c)| c / b * 100.0),
                direction,
                better,
                too_few_to_judge: too_few,
            }
        })
        .collect();
    Changes {
        from: Some(Span {
            since: before.since.clone(),
            until: before.until.clone(),
        }),
        to: Some(Span {
            since: after.since.clone(),
            until: after.until.clone(),
        }),
        measures,
    }
}

/// One version of the assessment file: when it was committed (`None`: the work tree's).
pub struct FileVersion<'a> {
    pub time: Option<DateTime<Utc>>,
    pub commit: Option<String>,
    pub text: &'a str,
}

/// The assessment at each version (newest first) that changed the answers, scored as
/// answered; the newest also verified against `facts`. A version that does not parse, or
/// holds no practices, is left out and named in the returned notes.
pub fn assessment_history(
    questionnaire: &Questionnaire,
    path: &std::path::Path,
    versions: &[FileVersion<'_>],
    facts: &Facts,
) -> (Vec<AssessmentVersion>, Vec<String>) {
    let mut notes = Vec::new();
    // Oldest first, so that each version is compared with the one before it.
    let mut scored: Vec<(AssessmentVersion, Vec<(String, Answer)>)> = Vec::new();
    let newest = versions.first().map(|v| v.commit.clone());
    for version in versions.iter().rev() {
        let label = version
            .commit
            .as_deref()
            .map_or("the work tree".to_string(), |c| {
                crate::units::short_sha(c).to_string()
            });
        let checked = match file::check(path, version.text, questionnaire) {
            Ok(checked) if checked.errors() == 0 && checked.assessment.has_practices => checked,
            Ok(checked) if !checked.assessment.has_practices => continue,
            _ => {
                notes.push(format!(
                    "{} at {label} does not pass `valueflow validate`: left out of the trend",
                    path.display()
                ));
                continue;
            }
        };
        let assessment = &checked.assessment;
        let answers: Vec<(String, Answer)> = questionnaire
            .practices
            .iter()
            .map(|p| (p.id.clone(), assessment.answer(&p.id)))
            .collect();
        let previous = scored.last().map(|(_, a)| a);
        if previous == Some(&answers) {
            continue;
        }
        let changed_answers = answers
            .iter()
            .enumerate()
            .filter(|(i, (_, a))| previous.is_none_or(|p| p[*i].1 != *a))
            .map(|(i, (id, a))| AnswerChange {
                practice: id.clone(),
                before: previous.map(|p| p[i].1),
                after: *a,
            })
            .filter(|c| previous.is_some() || c.after != Answer::Blank)
            .collect();
        let is_current = Some(&version.commit) == newest.as_ref();
        let (levels, overall_level, verified_level) = if is_current {
            let card = scorecard::build(questionnaire, assessment, facts, String::new());
            let levels = card
                .categories
                .iter()
                .map(|c| CategoryLevel {
                    category: c.id,
                    level: c.level,
                    verified_level: Some(c.verified_level),
                })
                .collect();
            (levels, card.overall_level, Some(card.verified_level))
        } else {
            let scores = score::score(
                questionnaire,
                |id| assessment.answer(id),
                assessment.pass_mark,
            );
            let levels = scores
                .iter()
                .map(|s| CategoryLevel {
                    category: s.category,
                    level: s.level,
                    verified_level: None,
                })
                .collect();
            (levels, score::overall(&scores), None)
        };
        scored.push((
            AssessmentVersion {
                commit: version.commit.clone(),
                time: version.time.map(rfc3339),
                levels,
                overall_level,
                verified_level,
                changed_answers,
            },
            answers,
        ));
    }
    (scored.into_iter().rev().map(|(v, _)| v).collect(), notes)
}
