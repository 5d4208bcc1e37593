//! The `assessment` object of the report: claimed and verified levels per category, the
//! contradictions and confirmations. Pure: answers and facts in.

use schemars::JsonSchema;
use serde::Serialize;

use super::evidence::{self, Check, Confirmation, Contradiction, Facts, Tally};
use super::file::{Answer, Assessment};
use super::questionnaire::{Category, Questionnaire};
use super::score::{self, CategoryScore};

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Scorecard {
    /// The assessment file, relative to the repository root when it is inside it.
    pub file: String,
    pub standard: String,
    pub version: i64,
    pub team: Option<String>,
    pub pass_mark: f64,
    pub overall_level: u8,
    pub verified_level: u8,
    pub categories: Vec<CategoryResult>,
    /// "k of N checkable practices checked (c confirmed, …)".
    pub evidence: Tally,
    /// Every checkable practice: its answer, status and the figure behind it.
    pub checks: Vec<Check>,
    pub contradictions: Vec<Contradiction>,
    pub confirmations: Vec<Confirmation>,
    /// Practices without an answer (blank, or missing from the file).
    pub unanswered: usize,
    /// The scores behind `categories`, for the human views.
    #[serde(skip)]
    pub claimed: Vec<CategoryScore>,
    #[serde(skip)]
    pub verified: Vec<CategoryScore>,
    /// Every practice of the standard with its answer and the answer the verified level
    /// scored, in questionnaire order: what a dashboard tracks from one report to the next.
    pub practices: Vec<PracticeAnswer>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PracticeAnswer {
    pub id: String,
    pub category: Category,
    pub level: u8,
    pub answer: Answer,
    pub verified: Answer,
    /// The team's notes on its answer (why n/a, what partial means here).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// What the team offers as evidence (a link), who owns the practice, when to review it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_by: Option<chrono::NaiveDate>,
    /// A level 4–5 yes with no evidence given: flagged, not an error.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub without_evidence: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CategoryResult {
    pub id: Category,
    pub name: &'static str,
    pub level: u8,
    pub verified_level: u8,
    pub progress: f64,
    pub verified_progress: f64,
    /// The next verified level's practices short of full credit (after the data's
    /// corrections), so that the list agrees with `verified_level`.
    pub missing_for_next_level: Vec<String>,
    /// Why the next verified level is not reached (below the pass mark, no credit, too much
    /// of it declared n/a); `null` at level 5.
    pub next_level: Option<super::score::LevelVerdict>,
}

impl Scorecard {
    pub fn category(&self, category: Category) -> Option<(&CategoryScore, &CategoryScore)> {
        let i = Category::ALL.iter().position(|c| *c == category)?;
        Some((self.claimed.get(i)?, self.verified.get(i)?))
    }

    pub fn practice(&self, id: &str) -> Option<&PracticeAnswer> {
        self.practices.iter().find(|p| p.id == id)
    }

    /// The answer the verified level scored, and whether evidence changed it.
    pub fn verified_answer(&self, id: &str) -> Option<(Answer, Answer)> {
        self.practices
            .iter()
            .find(|p| p.id == id)
            .map(|p| (p.answer, p.verified))
    }
}

pub fn build(
    questionnaire: &Questionnaire,
    assessment: &Assessment,
    facts: &Facts,
    file: String,
) -> Scorecard {
    let claimed = |id: &str| assessment.answer(id);
    let evidence = evidence::apply(questionnaire, claimed, facts);
    let verified = |id: &str| evidence.verified.get(id).copied().unwrap_or(claimed(id));
    let claimed_scores = score::score(questionnaire, claimed, assessment.pass_mark);
    let verified_scores = score::score(questionnaire, verified, assessment.pass_mark);
    let categories = claimed_scores
        .iter()
        .zip(&verified_scores)
        .map(|(c, v)| CategoryResult {
            id: c.category,
            name: c.category.name(),
            level: c.level,
            verified_level: v.level,
            progress: c.progress,
            verified_progress: v.progress,
            missing_for_next_level: v.missing_for_next_level.clone(),
            next_level: v.next_level_verdict(),
        })
        .collect();
    Scorecard {
        file,
        standard: questionnaire.standard.clone(),
        version: questionnaire.version,
        team: assessment.team.clone(),
        pass_mark: assessment.pass_mark,
        overall_level: score::overall(&claimed_scores),
        verified_level: score::overall(&verified_scores),
        categories,
        unanswered: questionnaire
            .practices
            .iter()
            .filter(|p| claimed(&p.id) == Answer::Blank)
            .count(),
        practices: questionnaire
            .practices
            .iter()
            .map(|p| PracticeAnswer {
                id: p.id.clone(),
                category: p.category,
                level: p.level,
                answer: claimed(&p.id),
                verified: verified(&p.id),
                notes: assessment
                    .response(&p.id)
                    .map(|r| r.notes.trim().to_string())
                    .unwrap_or_default(),
                evidence: assessment.response(&p.id).and_then(|r| r.evidence.clone()),
                owner: assessment.response(&p.id).and_then(|r| r.owner.clone()),
                review_by: assessment.response(&p.id).and_then(|r| r.review_by),
                without_evidence: assessment
                    .response(&p.id)
                    .is_some_and(|r| super::file::answered_without_evidence(p.level, r)),
            })
            .collect(),
        contradictions: evidence.contradictions(),
        confirmations: evidence.confirmations(),
        evidence: evidence.tally,
        checks: evidence.checks,
        claimed: claimed_scores,
        verified: verified_scores,
    }
}
