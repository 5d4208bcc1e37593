//! Scoring (interface.md): credit per practice, the pass mark, the ladder of levels, progress
//! and the overall level. Pure: answers in, levels out.

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
}

impl CategoryScore {
    pub fn share(&self, level: u8) -> Option<f64> {
        LEVELS
            .contains(&level)
            .then(|| self.shares[usize::from(level - 2)])
            .flatten()
    }

    /// Whether a level's practices reach the pass mark (levels where nothing applies do).
    pub fn passes(&self, level: u8, pass_mark: f64) -> bool {
        self.share(level).is_none_or(|s| s + EPSILON >= pass_mark)
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
            for level in LEVELS {
                shares[usize::from(level - 2)] = share(at(level).map(|p| answer(&p.id)));
            }
            let mut score = CategoryScore {
                category,
                level: 1,
                progress: 0.0,
                shares,
                missing_for_next_level: Vec::new(),
            };
            // A level counts only on top of the one below it: the ladder.
            for level in LEVELS {
                if !score.passes(level, pass_mark) {
                    break;
                }
                score.level = level;
            }
            let next = score.level + 1;
            score.progress =
                two_decimals(f64::from(score.level) + score.share(next).unwrap_or(0.0));
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

        // process level 4 has 4 practices: 3 yes + 1 partial = 3.5 / 4 = 0.875 ≥ 0.8;
        // 3 yes + 1 no = 0.75 < 0.8
        let mut answers = all("process", 2, Yes);
        answers.extend(all("process", 3, Yes));
        answers.extend([
            ("process.4.cadence-governed", Yes),
            ("process.4.change-failure-governed", Yes),
            ("process.4.lead-time-governed", Yes),
            ("process.4.recovery-governed", Partial),
        ]);
        assert_eq!(scores(&answers, DEFAULT)[1].level, 4);
        answers.pop();
        answers.push(("process.4.recovery-governed", No));
        let s = scores(&answers, DEFAULT);
        assert_eq!(s[1].level, 3);
        assert_eq!(s[1].progress, 3.75);
        assert_eq!(s[1].missing_for_next_level, ["process.4.recovery-governed"]);
    }

    #[test]
    fn four_of_five_is_exactly_the_default_pass_mark() {
        // process level 5 has 3 practices, so build 4/5 from shares: 0.8 = (1 + 1 + 0.5 + 0.5
        // + 1) / 5 does not exist here; use the share function directly
        assert!((share([Yes, Yes, Yes, Yes, No]).unwrap() - 0.8).abs() < 1e-12);
        let c = CategoryScore {
            category: Category::People,
            level: 1,
            progress: 1.0,
            shares: [share([Yes, Yes, Yes, Yes, No]), None, None, None],
            missing_for_next_level: vec![],
        };
        assert!(c.passes(2, 0.8));
        assert!(!c.passes(2, 0.81));
        // a level where every practice is n/a passes: nothing there applies
        assert!(c.passes(3, 0.8));
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
        // a whole level n/a is passed through
        let mut answers = all("people", 2, Yes);
        answers.extend(all("people", 3, Na));
        answers.extend(all("people", 4, Yes));
        let s = scores(&answers, DEFAULT);
        assert_eq!(people(&s).level, 4);
        assert_eq!(people(&s).progress, 4.0);
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
