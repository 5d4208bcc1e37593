//! The questionnaire: the standard's level statements as practices, embedded in the binary.

use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The definition shipped with valueflow (assessments/continuous-value-flow.toml).
const EMBEDDED: &str = include_str!("../../assessments/continuous-value-flow.toml");

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    People,
    Process,
    Technology,
    Measurement,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::People,
        Category::Process,
        Category::Technology,
        Category::Measurement,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::People => "people",
            Category::Process => "process",
            Category::Technology => "technology",
            Category::Measurement => "measurement",
        }
    }

    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::People => "People & Culture",
            Category::Process => "Process & Governance",
            Category::Technology => "Technology & Tools",
            Category::Measurement => "Measurement & Metrics",
        }
    }
}

/// The CMMI-style names of the five levels.
pub fn level_name(level: u8) -> &'static str {
    match level {
        1 => "Initial",
        2 => "Managed",
        3 => "Defined",
        4 => "Quantitatively Managed",
        _ => "Optimising",
    }
}

/// The levels a practice can sit at; level 1 is where everyone starts.
pub const LEVELS: std::ops::RangeInclusive<u8> = 2..=5;

/// The rule by which measured data confirms or contradicts an answer (evidence.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceRule {
    /// CI runs started by push or pull request.
    CiOnCommit,
    /// CI runs exist at all: someone can see pass and fail.
    CiRunsVisible,
    /// Deploy runs not started by hand.
    AutomaticDeploys,
    /// Rollbacks found in the deployment history.
    RollbacksUsed,
    /// Median lead time against the standard's 24 hours (not `[outcome]`'s target).
    #[serde(rename = "lead-time-24h")]
    LeadTime24h,
    /// Change failure rate against the standard's 5 %.
    #[serde(rename = "change-failure-5pct")]
    ChangeFailure5Pct,
    /// Zero-touch share of pipeline runs against valueflow's 95 % (the level-5 bar).
    #[serde(rename = "zero-touch-95")]
    ZeroTouch95,
}

impl EvidenceRule {
    /// The measure whose figure the rule judges, when it judges one.
    pub fn measure(self) -> Option<crate::events::Measure> {
        use crate::events::Measure;
        match self {
            EvidenceRule::LeadTime24h => Some(Measure::LeadTimeForChanges),
            EvidenceRule::ChangeFailure5Pct => Some(Measure::ChangeFailureRate),
            EvidenceRule::ZeroTouch95 => Some(Measure::PipelineHealth),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub id: String,
    pub category: Category,
    pub level: u8,
    pub statement: String,
    /// What "yes" looks like: the `Yes: …` line.
    pub guidance: String,
    /// What half credit looks like: the `Partial: …` line, as concrete as the `Yes:` one.
    pub partial: String,
    pub evidence: Option<EvidenceRule>,
}

/// A practice that left the questionnaire. Teams' files written by an earlier valueflow may
/// still answer it: that is a warning naming it, and the answer is ignored, so an upgrade never
/// turns a valid file into an invalid one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredPractice {
    pub id: String,
    /// Why it went, for the warning.
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryText {
    pub id: Category,
    pub name: String,
    /// The standard's description of levels 1..=5.
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub standard: String,
    pub version: i64,
    pub outcome: String,
    #[serde(rename = "category")]
    pub categories: Vec<CategoryText>,
    #[serde(rename = "practice")]
    pub practices: Vec<Practice>,
    #[serde(rename = "retired", default)]
    pub retired: Vec<RetiredPractice>,
}

impl Questionnaire {
    pub fn practice(&self, id: &str) -> Option<&Practice> {
        self.practices.iter().find(|p| p.id == id)
    }

    /// A practice that is no longer in the questionnaire.
    pub fn retired(&self, id: &str) -> Option<&RetiredPractice> {
        self.retired.iter().find(|p| p.id == id)
    }

    /// The standard's description of a category at a level.
    pub fn description(&self, category: Category, level: u8) -> &str {
        self.categories
            .iter()
            .find(|c| c.id == category)
            .and_then(|c| c.levels.get(usize::from(level.saturating_sub(1))))
            .map_or("", String::as_str)
    }
}

/// The embedded questionnaire. It is part of the binary, not user input: the unit tests below
/// parse it, so a malformed definition never ships.
pub fn embedded() -> &'static Questionnaire {
    static PARSED: OnceLock<Questionnaire> = OnceLock::new();
    PARSED.get_or_init(|| {
        toml::from_str(EMBEDDED).expect("the embedded questionnaire parses (unit-tested)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn embedded_questionnaire_is_well_formed() {
        let q = embedded();
        assert_eq!(q.standard, "continuous-value-flow");
        assert_eq!(q.version, 1);
        let mut ids = HashSet::new();
        for p in &q.practices {
            assert!(ids.insert(p.id.as_str()), "duplicate id {}", p.id);
            assert!(LEVELS.contains(&p.level), "{}", p.id);
            // ids read category.level.slug, so a reader can place one without the file
            let prefix = format!("{}.{}.", p.category.id(), p.level);
            assert!(
                p.id.starts_with(&prefix),
                "{} should start with {prefix}",
                p.id
            );
            assert!(
                !p.statement.is_empty() && p.guidance.starts_with("Yes: "),
                "{}",
                p.id
            );
            // the half-credit line sits beside the full-credit one, not inside it
            assert!(p.partial.starts_with("Partial: "), "{}", p.id);
            assert!(!p.guidance.contains("Partial"), "{}", p.id);
            // concrete and checkable: none of the words that let two teams read one line
            // two ways
            for text in [&p.statement, &p.guidance, &p.partial] {
                let words: Vec<String> = text
                    .split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect();
                for vague in [
                    "most",
                    "largely",
                    "routinely",
                    "usually",
                    "generally",
                    "often",
                ] {
                    let phrase_ok = vague == "often" && text.contains("less often than");
                    assert!(
                        phrase_ok || !words.iter().any(|w| w == vague),
                        "{}: {vague:?} in {text:?}",
                        p.id
                    );
                }
            }
        }
        // retired ids are not practices any more, and are not reused
        for r in &q.retired {
            assert!(q.practice(&r.id).is_none(), "{} is retired", r.id);
            assert!(!r.reason.is_empty(), "{}", r.id);
        }
        assert!(q.retired("process.4.lead-time-governed").is_some());
        // every level statement of levels 2..5 in all four categories has practices
        for category in Category::ALL {
            for level in LEVELS {
                let n = q
                    .practices
                    .iter()
                    .filter(|p| p.category == category && p.level == level)
                    .count();
                assert!(n >= 2, "{} level {level} has {n} practices", category.id());
            }
            assert_eq!(q.categories.iter().filter(|c| c.id == category).count(), 1);
        }
        // 8 people, 11 process, 12 technology, 9 measurement
        assert_eq!(q.practices.len(), 40);
        assert_eq!(
            q.description(Category::Technology, 2),
            "CI pipelines run on commit or merge. Deployment automation is limited or triggered manually."
        );
    }

    #[test]
    fn evidence_rules_sit_only_where_the_data_can_check_the_statement() {
        let q = embedded();
        let rule = |id: &str| q.practice(id).and_then(|p| p.evidence);
        assert_eq!(
            rule("technology.2.ci-on-commit"),
            Some(EvidenceRule::CiOnCommit)
        );
        assert_eq!(
            rule("measurement.2.pipeline-visibility"),
            Some(EvidenceRule::CiRunsVisible)
        );
        assert_eq!(
            rule("process.3.rollback-known"),
            Some(EvidenceRule::RollbacksUsed)
        );
        for id in ["process.3.automated-path", "technology.3.automatic-deploys"] {
            assert_eq!(rule(id), Some(EvidenceRule::AutomaticDeploys), "{id}");
        }
        for p in &q.practices {
            // habits: that a figure can be computed does not show that anyone looks at it
            let habit = [
                "monitored",
                "tracked",
                "governed",
                "reviewed",
                "retrospectives",
                "experiment",
                "drive",
                "informs",
            ]
            .iter()
            .any(|word| p.statement.contains(word));
            assert!(!habit || p.evidence.is_none(), "{} is a habit", p.id);
            // a standard's figure is checked only where the statement cites it
            let cites = match p.evidence {
                Some(EvidenceRule::LeadTime24h) => Some("24 hours"),
                Some(EvidenceRule::ChangeFailure5Pct) => Some("5%"),
                Some(EvidenceRule::ZeroTouch95) => Some("95%"),
                _ => None,
            };
            if let Some(figure) = cites {
                assert!(p.statement.contains(figure), "{} cites no {figure}", p.id);
            }
        }
        let checkable: Vec<&str> = q
            .practices
            .iter()
            .filter(|p| p.evidence.is_some())
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(
            checkable,
            [
                "process.3.automated-path",
                "process.3.rollback-known",
                "technology.2.ci-on-commit",
                "technology.3.automatic-deploys",
                "technology.5.self-healing",
                "measurement.2.pipeline-visibility",
            ]
        );
    }

    #[test]
    fn the_settings_loader_reads_the_questionnaire_keys_around_its_tables() {
        // valueflow.toml is read by settings.rs too, which must ignore the practices.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("valueflow.toml");
        std::fs::write(&path, crate::assessment::init::template()).unwrap();
        assert!(crate::settings::ProjectFile::read(&path).unwrap().is_some());
    }
}
