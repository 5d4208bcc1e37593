//! Scoring (interface.md): credit per practice, the pass mark, the ladder of levels, progress
//! and the overall level. Pure: answers in, levels out.
//!
//! Scoring v2 closes two ways to reach a level without doing its practices: a level where no
//! practice earned credit is never reached (whatever the pass mark), and a level is reached
//! only when at least half of its practices apply (declaring the rest n/a cannot stand in for
//! doing them).

use schemars::JsonSchema;
use serde::Serialize;

use super::file::Answer;
use super::questionnaire::{Category, LEVELS, Questionnaire};

/// Floating-point slack for the pass mark: 4 of 5 is exactly the 0.8 pass mark.
const EPSILON: f64 = 1e-9;

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub category: Category,
    /// The highest level achieved, at least 1.
    pub level: u8,
    /// `level` + the credit share of the next level, two decimals.
    pub progress: f64,
    /// The credit share of levels 2..=5; `None` where every practice is n/a.
    pub shares: [Option<f64>; 4],
    /// Practices of the next level short of full credit (not `yes`, not n/a).
    pub missing_for_next_level: Vec<String>,
    /// The verdict on each of levels 2..=5 on its own answers, before the ladder: `level` is
    /// the highest level L with every verdict from 2 to L `Passes`. The report reads the
    /// reason the next level is not reached from here (`next_level_verdict`).
    pub verdicts: [LevelVerdict; 4],
}

/// Whether a level's own answers reach it (interface.md, Scoring and its v2 rules). The
/// reasons a level is not reached are told apart so that the report can say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum LevelVerdict {
    /// The credit share of its applicable practices is at least the pass mark.
    Passes,
    /// The credit share is below the pass mark.
    BelowPassMark,
    /// No practice earned any credit: never reached, whatever the pass mark.
    NoCredit,
    /// Fewer than half of its practices apply (the rest are n/a): never reached, since
    /// declaring a level's practices n/a cannot stand in for doing them. The report says that
    /// too much of the level was declared n/a.
    TooMuchNotApplicable {
        /// Practices answered other than n/a.
        applicable: usize,
        /// All of the level's practices.
        practices: usize,
    },
}

impl CategoryScore {
    pub fn share(&self, level: u8) -> Option<f64> {
        LEVELS
            .contains(&level)
            .then(|| self.shares[usize::from(level - 2)])
            .flatten()
    }

    /// A level's verdict on its own answers; `None` outside 2..=5.
    pub fn verdict(&self, level: u8) -> Option<LevelVerdict> {
        LEVELS
            .contains(&level)
            .then(|| self.verdicts[usize::from(level - 2)])
    }

    /// Why the category is not one level higher: the next level's verdict (never `Passes`:
    /// the ladder stopped there). `None` at level 5.
    pub fn next_level_verdict(&self) -> Option<LevelVerdict> {
        self.verdict(self.level + 1)
    }
}

/// The verdict on one level from its practices' answers.
pub fn judge(answers: &[Answer], pass_mark: f64) -> LevelVerdict {
    let practices = answers.len();
    let applicable = answers.iter().filter(|a| a.credit().is_some()).count();
    // At least half must apply; a level without practices (none in the standard) is never
    // reached either.
    if applicable == 0 || applicable * 2 < practices {
        return LevelVerdict::TooMuchNotApplicable {
            applicable,
            practices,
        };
    }
    let credit: f64 = answers.iter().filter_map(|a| a.credit()).sum();
    if credit <= 0.0 {
        LevelVerdict::NoCredit
    } else if credit / applicable as f64 + EPSILON >= pass_mark {
        LevelVerdict::Passes
    } else {
        LevelVerdict::BelowPassMark
    }
}

/// The credit share of some answers: `None` when all are n/a (nothing to score).
pub fn share(answers: impl IntoIterator<Item = Answer>) -> Option<f64> {
    let (sum, count) = answers
        .into_iter()
        .filter_map(Answer::credit)
        .fold((0.0, 0usize), |(sum, n), credit| (sum + credit, n + 1));
    (count > 0).then(|| sum / count as f64)
}

fn two_decimals(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Every category's level from the answers, in the standard's category order.
pub fn score(
    questionnaire: &Questionnaire,
    answer: impl Fn(&str) -> Answer,
    pass_mark: f64,
) -> Vec<CategoryScore> {
    Category::ALL
        .into_iter()
        .map(|category| {
            let at = |level: u8| {
                questionnaire
                    .practices
                    .iter()
                    .filter(move |p| p.category == category && p.level == level)
            };
            let mut shares = [None; 4];
            let mut verdicts = [LevelVerdict::NoCredit; 4];
            for level in LEVELS {
                let answers: Vec<Answer> = at(level).map(|p| answer(&p.id)).collect();
                shares[usize::from(level - 2)] = share(answers.iter().copied());
                verdicts[usize::from(level - 2)] = judge(&answers, pass_mark);
            }
            let mut score = CategoryScore {
                category,
                level: 1,
                progress: 0.0,
                shares,
                missing_for_next_level: Vec::new(),
                verdicts,
            };
            // A level counts only on top of the one below it: the ladder.
            for level in LEVELS {
                if score.verdict(level) != Some(LevelVerdict::Passes) {
                    break;
                }
                score.level = level;
            }
            let next = score.level + 1;
            let towards_next = match score.verdict(next) {
                // Counted over the half of the level that has to apply, so that a level
                // mostly declared n/a never shows as all but reached.
                Some(LevelVerdict::TooMuchNotApplicable { practices, .. }) => {
                    let credit: f64 = at(next).filter_map(|p| answer(&p.id).credit()).sum();
                    credit / practices.div_ceil(2).max(1) as f64
                }
                _ => score.share(next).unwrap_or(0.0),
            };
            score.progress = two_decimals(f64::from(score.level) + towards_next);
            score.missing_for_next_level = at(next)
                .filter(|p| !matches!(answer(&p.id), Answer::Yes | Answer::NotApplicable))
                .map(|p| p.id.clone())
                .collect();
            score
        })
        .collect()
}

/// The overall level: the lowest category's, since the weakest category holds the flow back.
pub fn overall(scores: &[CategoryScore]) -> u8 {
    scores.iter().map(|s| s.level).min().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::questionnaire::embedded;
    use std::collections::HashMap;

    use Answer::{Blank, No, NotApplicable as Na, Partial, Yes};

    /// Answers by id; every practice not listed is blank.
    fn scores(answers: &[(&str, Answer)], pass_mark: f64) -> Vec<CategoryScore> {
        let map: HashMap<&str, Answer> = answers.iter().copied().collect();
        score(
            embedded(),
            |id| map.get(id).copied().unwrap_or(Blank),
            pass_mark,
        )
    }

    fn all(category: &str, level: u8, answer: Answer) -> Vec<(&'static str, Answer)> {
        embedded()
            .practices
            .iter()
            .filter(|p| p.category.id() == category && p.level == level)
            .map(|p| (p.id.as_str(), answer))
            .collect()
    }

    fn people(s: &[CategoryScore]) -> &CategoryScore {
        &s[0]
    }

    #[test]
    fn credit_per_answer() {
        assert_eq!(Yes.credit(), Some(1.0));
        assert_eq!(Partial.credit(), Some(0.5));
        assert_eq!(No.credit(), Some(0.0));
        assert_eq!(Blank.credit(), Some(0.0));
        assert_eq!(Na.credit(), None);
        // n/a is left out of the sums: yes + n/a is 1 of 1, not 1 of 2
        assert_eq!(share([Yes, Na]), Some(1.0));
        assert_eq!(share([Yes, Partial, No, Blank]), Some(0.375));
        assert_eq!(share([Na, Na]), None);
    }

    #[test]
    fn blank_file_is_level_one_everywhere() {
        let s = scores(&[], DEFAULT);
        assert!(s.iter().all(|c| c.level == 1 && c.progress == 1.0));
        assert_eq!(overall(&s), 1);
        assert_eq!(
            people(&s).missing_for_next_level,
            ["people.2.ci-adopted", "people.2.frequent-integration"]
        );
    }

    const DEFAULT: f64 = crate::assessment::file::DEFAULT_PASS_MARK;

    #[test]
    fn pass_mark_edges() {
        // people level 2 has 2 practices: yes + partial = 1.5 / 2 = 0.75 < 0.8
        let s = scores(
            &[
                ("people.2.ci-adopted", Yes),
                ("people.2.frequent-integration", Partial),
            ],
            DEFAULT,
        );
        assert_eq!(people(&s).level, 1);
        assert_eq!(people(&s).progress, 1.75);
        assert_eq!(
            people(&s).missing_for_next_level,
            ["people.2.frequent-integration"]
        );
        // the same at pass mark 0.75: exactly at the mark passes
        let s = scores(
            &[
                ("people.2.ci-adopted", Yes),
                ("people.2.frequent-integration", Partial),
            ],
            0.75,
        );
        assert_eq!(people(&s).level, 2);
        // level 3 all blank: progress 2 + 0
        assert_eq!(people(&s).progress, 2.0);

        // process level 4 has 3 practices: 2 yes + 1 partial = 2.5 / 3 = 0.833 ≥ 0.8;
        // 2 yes + 1 no = 0.667 < 0.8
        let mut answers = all("process", 2, Yes);
        answers.extend(all("process", 3, Yes));
        answers.extend([
            ("process.4.cadence-governed", Yes),
            ("process.4.change-failure-governed", Yes),
            ("process.4.recovery-governed", Partial),
        ]);
        assert_eq!(scores(&answers, DEFAULT)[1].level, 4);
        answers.pop();
        answers.push(("process.4.recovery-governed", No));
        let s = scores(&answers, DEFAULT);
        assert_eq!(s[1].level, 3);
        assert_eq!(s[1].progress, 3.67);
        assert_eq!(s[1].missing_for_next_level, ["process.4.recovery-governed"]);
        assert_eq!(s[1].next_level_verdict(), Some(LevelVerdict::BelowPassMark));
    }

    #[test]
    fn four_of_five_is_exactly_the_default_pass_mark() {
        // no level of the standard has 5 practices: judge the answers directly.
        // 4 / 5 = 0.8, which floating point may put a hair below 0.8
        assert!((share([Yes, Yes, Yes, Yes, No]).unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(judge(&[Yes, Yes, Yes, Yes, No], 0.8), LevelVerdict::Passes);
        assert_eq!(
            judge(&[Yes, Yes, Yes, Yes, No], 0.81),
            LevelVerdict::BelowPassMark
        );
        // a level where every practice is n/a is not reached: nothing there was done
        assert_eq!(
            judge(&[Na, Na], 0.8),
            LevelVerdict::TooMuchNotApplicable {
                applicable: 0,
                practices: 2
            }
        );
        // how a report would show the verdict in JSON
        assert_eq!(
            serde_json::to_value(judge(&[Na, Na, Na, Yes], 0.8)).unwrap(),
            serde_json::json!({
                "verdict": "too_much_not_applicable", "applicable": 1, "practices": 4
            })
        );
        assert_eq!(
            serde_json::to_value(LevelVerdict::NoCredit).unwrap(),
            serde_json::json!({"verdict": "no_credit"})
        );
    }

    #[test]
    fn a_level_without_credit_is_never_reached() {
        // pass mark 1e-10 (validate refuses it; score must hold anyway): blank answers have
        // share 0, and 0 + EPSILON ≥ 1e-10, so the share alone would pass every level; the
        // no-credit rule keeps every category at level 1
        let s = scores(&[], 1e-10);
        assert!(s.iter().all(|c| c.level == 1), "{s:?}");
        assert!(s.iter().all(|c| c.verdicts == [LevelVerdict::NoCredit; 4]));
        assert_eq!(overall(&s), 1);
        // no answers at all: the same
        assert_eq!(judge(&[No, Blank, No], 0.5), LevelVerdict::NoCredit);
        // one partial is credit: 0.5 / 3 = 0.167 passes a pass mark of 0.1
        assert_eq!(judge(&[Partial, Blank, No], 0.1), LevelVerdict::Passes);
        assert_eq!(
            judge(&[Partial, Blank, No], 0.5),
            LevelVerdict::BelowPassMark
        );
    }

    #[test]
    fn all_na_is_level_one_everywhere_because_too_much_was_declared_na() {
        let answers: Vec<(&str, Answer)> = embedded()
            .practices
            .iter()
            .map(|p| (p.id.as_str(), Na))
            .collect();
        let s = scores(&answers, DEFAULT);
        for c in &s {
            assert_eq!(c.level, 1, "{}", c.category.id());
            // nothing applies, so no progress either
            assert_eq!(c.progress, 1.0);
            let practices = embedded()
                .practices
                .iter()
                .filter(|p| p.category == c.category && p.level == 2)
                .count();
            assert_eq!(
                c.next_level_verdict(),
                Some(LevelVerdict::TooMuchNotApplicable {
                    applicable: 0,
                    practices
                })
            );
            assert!(c.missing_for_next_level.is_empty());
        }
    }

    #[test]
    fn at_least_half_of_a_level_must_apply() {
        // technology level 4 has 4 practices. Levels 2 and 3 all yes.
        let mut answers = all("technology", 2, Yes);
        answers.extend(all("technology", 3, Yes));
        // 2 n/a + 2 yes: 2 of 4 apply, exactly half -> reached; share 2/2 = 1
        let mut half = answers.clone();
        half.extend([
            ("technology.4.canary-releases", Na),
            ("technology.4.progressive-delivery", Na),
            ("technology.4.automated-rollback", Yes),
            ("technology.4.production-verification", Yes),
        ]);
        let s = scores(&half, DEFAULT);
        assert_eq!(s[2].level, 4);
        assert_eq!(s[2].verdict(4), Some(LevelVerdict::Passes));
        // 3 n/a + 1 yes: 1 of 4 applies -> not reached, though its share is 1/1 = 100%;
        // progress counts its credit over the 2 practices that must apply: 3 + 1/2
        let mut more = answers.clone();
        more.extend([
            ("technology.4.canary-releases", Na),
            ("technology.4.progressive-delivery", Na),
            ("technology.4.automated-rollback", Na),
            ("technology.4.production-verification", Yes),
        ]);
        let s = scores(&more, DEFAULT);
        assert_eq!(s[2].level, 3);
        assert_eq!(s[2].share(4), Some(1.0));
        assert_eq!(s[2].progress, 3.5);
        assert_eq!(
            s[2].next_level_verdict(),
            Some(LevelVerdict::TooMuchNotApplicable {
                applicable: 1,
                practices: 4
            })
        );
        // nothing short of full credit is left to do, only n/a answers to reconsider
        assert!(s[2].missing_for_next_level.is_empty());
        // process level 5 has 3 practices: 2 of 3 must apply (1.5 rounded up)
        let mut answers = all("process", 2, Yes);
        answers.extend(all("process", 3, Yes));
        answers.extend(all("process", 4, Yes));
        answers.extend([
            ("process.5.fast-feedback", Yes),
            ("process.5.closed-loops", Yes),
            ("process.5.adapt-strategy", Na),
        ]);
        assert_eq!(scores(&answers, DEFAULT)[1].level, 5);
        answers.pop();
        answers.pop();
        answers.extend([
            ("process.5.closed-loops", Na),
            ("process.5.adapt-strategy", Na),
        ]);
        let s = scores(&answers, DEFAULT);
        assert_eq!(s[1].level, 4);
        // 1 yes over the 2 that must apply
        assert_eq!(s[1].progress, 4.5);
    }

    #[test]
    fn na_practices_are_left_out() {
        // people 2: yes + n/a = 1/1 -> level 2; people 3: partial + n/a = 0.5 -> not 3
        let s = scores(
            &[
                ("people.2.ci-adopted", Yes),
                ("people.2.frequent-integration", Na),
                ("people.3.pipeline-confidence", Partial),
                ("people.3.shared-delivery", Na),
            ],
            DEFAULT,
        );
        assert_eq!(people(&s).level, 2);
        assert_eq!(people(&s).progress, 2.5);
        assert_eq!(
            people(&s).missing_for_next_level,
            ["people.3.pipeline-confidence"]
        );
        // a whole level n/a stops the ladder there (v2): nothing of it was done
        let mut answers = all("people", 2, Yes);
        answers.extend(all("people", 3, Na));
        answers.extend(all("people", 4, Yes));
        let s = scores(&answers, DEFAULT);
        assert_eq!(people(&s).level, 2);
        assert_eq!(people(&s).progress, 2.0);
        assert_eq!(
            people(&s).next_level_verdict(),
            Some(LevelVerdict::TooMuchNotApplicable {
                applicable: 0,
                practices: 2
            })
        );
    }

    #[test]
    fn the_ladder_needs_every_level_below() {
        // people 3, 4 and 5 all yes, level 2 all no: still level 1
        let mut answers = all("people", 2, No);
        answers.extend(all("people", 3, Yes));
        answers.extend(all("people", 4, Yes));
        answers.extend(all("people", 5, Yes));
        let s = scores(&answers, DEFAULT);
        assert_eq!(people(&s).level, 1);
        assert_eq!(people(&s).progress, 1.0);
        // and all yes is level 5, progress 5, nothing missing
        let mut answers = all("people", 2, Yes);
        answers.extend(all("people", 3, Yes));
        answers.extend(all("people", 4, Yes));
        answers.extend(all("people", 5, Yes));
        let s = scores(&answers, DEFAULT);
        assert_eq!(people(&s).level, 5);
        assert_eq!(people(&s).progress, 5.0);
        assert!(people(&s).missing_for_next_level.is_empty());
    }

    #[test]
    fn overall_is_the_lowest_category() {
        // people 3, process 2, technology 2, measurement 1 -> overall 1
        let mut answers = all("people", 2, Yes);
        answers.extend(all("people", 3, Yes));
        answers.extend(all("process", 2, Yes));
        answers.extend(all("technology", 2, Yes));
        let s = scores(&answers, DEFAULT);
        let levels: Vec<u8> = s.iter().map(|c| c.level).collect();
        assert_eq!(levels, [3, 2, 2, 1]);
        assert_eq!(overall(&s), 1);
        answers.extend(all("measurement", 2, Yes));
        assert_eq!(overall(&scores(&answers, DEFAULT)), 2);
    }

    #[test]
    fn progress_has_two_decimals() {
        // technology level 3 has 3 practices: yes + partial + no = 1.5 / 3 = 0.5 -> 2.5;
        // yes + no + no = 1/3 -> 2.33
        let mut answers = all("technology", 2, Yes);
        answers.extend([
            ("technology.3.end-to-end-pipeline", Yes),
            ("technology.3.automatic-build-test", No),
            ("technology.3.automatic-deploys", No),
        ]);
        let s = scores(&answers, DEFAULT);
        assert_eq!(s[2].level, 2);
        assert_eq!(s[2].progress, 2.33);
        assert_eq!(
            s[2].missing_for_next_level,
            [
                "technology.3.automatic-build-test",
                "technology.3.automatic-deploys"
            ]
        );
        // 2 yes of 3: 2.67
        answers.pop();
        answers.push(("technology.3.automatic-deploys", Yes));
        assert_eq!(scores(&answers, DEFAULT)[2].progress, 2.67);
    }
}
