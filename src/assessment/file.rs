//! The team's assessment file, read with the position of every key and value so that each
//! problem can point at its line (cargo-deny's two phases: parse keeping spans, then check).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::questionnaire::{Category, LEVELS, Questionnaire};

/// The pass mark when the file sets none (interface.md).
pub const DEFAULT_PASS_MARK: f64 = 0.8;
/// The lowest pass mark a file may set (interface.md, Scoring v2): below half, a level could be
/// reached with more of its practices left undone than done.
pub const MIN_PASS_MARK: f64 = 0.5;

/// A team's answer to one practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum Answer {
    #[serde(rename = "yes")]
    Yes,
    #[serde(rename = "partial")]
    Partial,
    #[serde(rename = "no")]
    No,
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Not answered yet: scores like `no`.
    #[serde(rename = "")]
    Blank,
}

impl Answer {
    pub fn parse(text: &str) -> Option<Answer> {
        match text.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(Answer::Yes),
            "partial" => Some(Answer::Partial),
            "no" => Some(Answer::No),
            "n/a" => Some(Answer::NotApplicable),
            "" => Some(Answer::Blank),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Partial => "partial",
            Answer::No => "no",
            Answer::NotApplicable => "n/a",
            Answer::Blank => "",
        }
    }

    /// yes 1, partial 0.5, no and blank 0; `None` for n/a, which is left out of the sums.
    pub fn credit(self) -> Option<f64> {
        match self {
            Answer::Yes => Some(1.0),
            Answer::Partial => Some(0.5),
            Answer::No | Answer::Blank => Some(0.0),
            Answer::NotApplicable => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the file, rendered rustc-style: `file:line:col: message`, then the line.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    pub message: String,
    /// The offending line and how many characters of it to underline from `col`.
    pub snippet: Option<(String, usize)>,
}

impl Problem {
    /// A problem at a byte span of the file, with its line shown and the span underlined.
    pub fn at(
        path: &Path,
        lines: &LineIndex<'_>,
        severity: Severity,
        span: Range<usize>,
        message: String,
    ) -> Problem {
        let (line, col) = lines.line_col(span.start);
        let line_text = lines.line(line);
        let rest: usize = line_text.chars().count().saturating_sub(col - 1);
        let text = lines.text();
        let width = text
            .get(span.start..span.end.min(text.len()))
            .unwrap_or("")
            .lines()
            .next()
            .map_or(0, |s| s.chars().count())
            .min(rest);
        Problem {
            severity,
            path: path.to_path_buf(),
            line,
            col,
            message,
            snippet: Some((line_text.to_string(), width)),
        }
    }

    /// Problems at a place in the file first, in file order; then those about the file as a
    /// whole (what it lacks).
    pub fn order(&self) -> (bool, usize, usize) {
        (self.snippet.is_none(), self.line, self.col)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        write!(
            f,
            "{}:{}:{}: {level}{}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )?;
        if let Some((text, width)) = &self.snippet {
            let number = self.line.to_string();
            let pad = " ".repeat(number.len());
            write!(
                f,
                "\n{pad} |\n{number} | {text}\n{pad} | {}{}",
                " ".repeat(self.col - 1),
                "^".repeat((*width).max(1))
            )?;
        }
        Ok(())
    }
}

/// A file that does not parse as TOML: nothing else can be checked.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{col}: {message}")]
pub struct SyntaxError {
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

pub use crate::input::{LineIndex, line_col};

/// What the file says, checked against the questionnaire.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub path: PathBuf,
    pub team: Option<String>,
    pub pass_mark: f64,
    /// The answers to the standard's practices, by id (unknown ids are problems, not here).
    pub answers: BTreeMap<String, Response>,
    /// Practices of the standard the file does not mention: counted as unanswered.
    pub missing: Vec<String>,
    /// Whether the file has any `[[practice]]` at all; a file with only `[measure]` /
    /// `[outcome]` holds settings, not a self-assessment.
    pub has_practices: bool,
}

/// A team's answer to one practice of the standard, with what the team wrote beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub answer: Answer,
    /// Why (required for n/a); "" when not given.
    pub notes: String,
    /// A link or reference that backs the answer (a dashboard, a runbook, a ticket).
    pub evidence: Option<String>,
    /// Who keeps the practice going.
    pub owner: Option<String>,
    /// When the team means to look at the answer again.
    pub review_by: Option<NaiveDate>,
}

impl Response {
    /// An answer with nothing written beside it.
    pub fn new(answer: Answer) -> Response {
        Response {
            answer,
            notes: String::new(),
            evidence: None,
            owner: None,
            review_by: None,
        }
    }
}

/// Whether a practice is answered without evidence: a yes at level 4 or 5 with no `evidence`
/// reference. Those levels are claims about measuring and governing, which leave a trace (a
/// dashboard, a review's minutes) a reader should be able to follow; lower levels are
/// visible in the pipeline itself. Not a problem in the file: the report points it out.
pub fn answered_without_evidence(level: u8, response: &Response) -> bool {
    level >= 4 && response.answer == Answer::Yes && response.evidence.is_none()
}

impl Assessment {
    /// The answer to a practice of the standard; blank when the file leaves it out.
    pub fn answer(&self, id: &str) -> Answer {
        self.answers.get(id).map_or(Answer::Blank, |r| r.answer)
    }

    /// The answer with the team's notes, evidence, owner and review date; `None` when the file
    /// leaves the practice out.
    pub fn response(&self, id: &str) -> Option<&Response> {
        self.answers.get(id)
    }
}

/// The file and every problem found in it.
pub struct Checked {
    pub assessment: Assessment,
    pub problems: Vec<Problem>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }
}

const TOP_KEYS: &str =
    "standard, version, team, pass_mark, [measure], [outcome], [[service]] or [[practice]]";
const PRACTICE_KEYS: &str =
    "id, category, level, statement, answer, notes, evidence, owner or review_by";
const ANSWERS: &str = "yes, partial, no or n/a (\"\" while unanswered)";

struct Checker<'a> {
    path: &'a Path,
    lines: LineIndex<'a>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn at(&mut self, severity: Severity, span: Range<usize>, message: String) {
        let problem = Problem::at(self.path, &self.lines, severity, span, message);
        self.problems.push(problem);
    }

    fn error(&mut self, span: Range<usize>, message: String) {
        self.at(Severity::Error, span, message);
    }

    /// A warning about the file as a whole (something it lacks): no line to show.
    fn file_warning(&mut self, message: String) {
        self.problems.push(Problem {
            severity: Severity::Warning,
            path: self.path.to_path_buf(),
            line: 1,
            col: 1,
            message,
            snippet: None,
        });
    }
}

fn integer(value: &DeValue<'_>) -> Option<i64> {
    let i = value.as_integer()?;
    i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
}

fn number(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        other => integer(other).map(|i| i as f64),
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The pass mark, in [0.5, 1] (interface.md, Scoring v2).
fn pass_mark(value: &DeValue<'_>) -> Result<f64, String> {
    match number(value) {
        Some(mark) if (MIN_PASS_MARK..=1.0).contains(&mark) => Ok(mark),
        Some(mark) => Err(format!(
            "pass_mark {mark} is out of range: it must be at least {MIN_PASS_MARK} and at most 1, \
             e.g. {DEFAULT_PASS_MARK}"
        )),
        None => Err(format!(
            "pass_mark must be a number from {MIN_PASS_MARK} to 1, e.g. {DEFAULT_PASS_MARK}, not {}",
            type_name(value)
        )),
    }
}

/// A `review_by` date: a TOML local date (`2027-01-31`) or the same in a string. `None` for ""
/// (the template's placeholder).
fn review_date(value: &DeValue<'_>) -> Result<Option<NaiveDate>, String> {
    const EXPECTED: &str = "review_by must be a date YYYY-MM-DD, e.g. 2027-01-31";
    match value {
        DeValue::String(s) if s.trim().is_empty() => Ok(None),
        DeValue::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            // chrono accepts a one-digit month or day; the file's readers expect ISO 8601
            .filter(|_| s.trim().len() == 10)
            .map(Some)
            .ok_or_else(|| format!("{EXPECTED}, not {:?}", s.as_ref())),
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .map(Some)
                    .ok_or_else(|| format!("{EXPECTED}: {dt} is not a day of the calendar"))
            }
            _ => Err(format!("{EXPECTED}, without a time: not {dt}")),
        },
        other => Err(format!("{EXPECTED}, not {}", type_name(other))),
    }
}

/// Parses and checks an assessment file's text. A TOML syntax error stops everything (the
/// rest cannot be read); every other problem is collected.
pub fn check(
    path: &Path,
    text: &str,
    questionnaire: &Questionnaire,
) -> Result<Checked, SyntaxError> {
    let root = DeTable::parse(text).map_err(|err| {
        let (line, col) = err.span().map_or((1, 1), |span| line_col(text, span.start));
        SyntaxError {
            path: path.display().to_string(),
            line,
            col,
            message: err
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
        }
    })?;
    let mut c = Checker {
        path,
        lines: LineIndex::new(text),
        problems: Vec::new(),
    };
    let mut assessment = Assessment {
        path: path.to_path_buf(),
        team: None,
        pass_mark: DEFAULT_PASS_MARK,
        answers: BTreeMap::new(),
        missing: Vec::new(),
        has_practices: false,
    };
    let mut standard_seen = false;
    // id -> (line of its first entry)
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();

    for (key, value) in root.get_ref() {
        let (name, vspan) = (key.get_ref().as_ref(), value.span());
        match (name, value.get_ref()) {
            ("standard", DeValue::String(s)) => {
                standard_seen = true;
                if s.as_ref() != questionnaire.standard {
                    c.error(
                        vspan,
                        format!(
                            "standard {:?} is not known: expected {:?}",
                            s.as_ref(),
                            questionnaire.standard
                        ),
                    );
                }
            }
            ("version", v) if integer(v) == Some(questionnaire.version) => {}
            ("version", v) => c.error(
                vspan,
                match integer(v) {
                    Some(i) => format!(
                        "version {i} is not supported: this valueflow reads version {}",
                        questionnaire.version
                    ),
                    None => format!(
                        "version must be an integer ({}), not {}",
                        questionnaire.version,
                        type_name(v)
                    ),
                },
            ),
            ("team", DeValue::String(s)) => assessment.team = Some(s.to_string()),
            ("pass_mark", v) => match pass_mark(v) {
                Ok(mark) => assessment.pass_mark = mark,
                Err(message) => c.error(vspan, message),
            },
            // The settings loader checks the inside of these tables (settings.rs).
            ("measure" | "outcome", DeValue::Table(_)) => {}
            ("service", DeValue::Array(_)) => {}
            ("practice", DeValue::Array(items)) => {
                assessment.has_practices = true;
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(table) => check_practice(
                            &mut c,
                            questionnaire,
                            &mut assessment,
                            &mut seen,
                            item.span(),
                            table,
                        ),
                        other => c.error(
                            item.span(),
                            format!(
                                "a practice must be a table ([[practice]]), not {}",
                                type_name(other)
                            ),
                        ),
                    }
                }
            }
            ("standard" | "team" | "measure" | "outcome" | "practice" | "service", v) => c.error(
                vspan,
                format!(
                    "`{name}` must be {}, not {}",
                    match name {
                        "measure" | "outcome" => "a table",
                        "practice" => "an array of tables ([[practice]])",
                        "service" => "an array of tables ([[service]])",
                        _ => "a string",
                    },
                    type_name(v)
                ),
            ),
            _ => c.error(
                key.span(),
                format!("unknown key `{name}`: expected {TOP_KEYS}"),
            ),
        }
    }
    if !standard_seen {
        c.file_warning(format!(
            "no `standard` key: assuming standard = {:?}",
            questionnaire.standard
        ));
    }
    for practice in &questionnaire.practices {
        if !seen.contains_key(&practice.id) {
            assessment.missing.push(practice.id.clone());
            c.file_warning(format!(
                "practice `{}` ({} level {}) is missing: counted as unanswered; \
                     `valueflow init -o FILE` writes every practice",
                practice.id,
                practice.category.id(),
                practice.level
            ));
        }
    }
    let mut problems = c.problems;
    // Stable: problems at one place keep the order they were found in.
    problems.sort_by_key(Problem::order);
    Ok(Checked {
        assessment,
        problems,
    })
}

fn check_practice(
    c: &mut Checker<'_>,
    questionnaire: &Questionnaire,
    assessment: &mut Assessment,
    seen: &mut BTreeMap<String, usize>,
    span: Range<usize>,
    table: &DeTable<'_>,
) {
    let get = |key: &str| -> Option<&Spanned<DeValue<'_>>> {
        table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    };
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        match name {
            // review_by is checked below, where its value is read
            "review_by" => {}
            "id" | "category" | "level" | "statement" | "answer" | "notes" | "evidence"
            | "owner" => {
                if name != "level" && !value.get_ref().is_str() {
                    c.error(
                        value.span(),
                        format!(
                            "`{name}` must be a string, not {}",
                            type_name(value.get_ref())
                        ),
                    );
                }
            }
            _ => c.error(
                key.span(),
                format!("unknown key `{name}` in a practice: expected {PRACTICE_KEYS}"),
            ),
        }
    }

    let Some(id_value) = get("id") else {
        c.error(span, "practice without an `id`".to_string());
        return;
    };
    let Some(id) = id_value.get_ref().as_str() else {
        return; // reported above
    };
    let practice = questionnaire.practice(id);
    let (line, _) = c.lines.line_col(id_value.span().start);
    match (practice, seen.get(id)) {
        // A file from before the practice left: its answer means nothing now, but the file
        // was valid when written, so this is no error.
        (None, _) if questionnaire.retired(id).is_some() => {
            let reason = questionnaire.retired(id).map_or("", |r| r.reason.as_str());
            c.at(
                Severity::Warning,
                id_value.span(),
                format!(
                    "practice `{id}` is no longer in the questionnaire ({} version {}): its \
                     answer is ignored; {}",
                    questionnaire.standard, questionnaire.version, reason
                ),
            );
        }
        (None, _) => {
            let hint = questionnaire
                .practices
                .iter()
                .map(|p| (strsim::levenshtein(&p.id, id), &p.id))
                .min()
                .filter(|(distance, _)| *distance <= 3)
                .map_or(String::new(), |(_, p)| format!("; did you mean `{p}`?"));
            c.error(
                id_value.span(),
                format!(
                    "unknown practice `{id}`: not in {} version {}{hint}",
                    questionnaire.standard, questionnaire.version
                ),
            );
        }
        (Some(_), Some(first)) => {
            let first = *first;
            c.error(
                id_value.span(),
                format!("duplicate practice `{id}`: already answered at line {first}"),
            );
        }
        (Some(_), None) => {
            seen.insert(id.to_string(), line);
        }
    }

    if let Some(value) = get("category")
        && let Some(text) = value.get_ref().as_str()
    {
        match (Category::from_id(text), practice) {
            (None, _) => c.error(
                value.span(),
                format!(
                    "unknown category `{text}`: expected people, process, technology or measurement"
                ),
            ),
            (Some(category), Some(p)) if category != p.category => c.error(
                value.span(),
                format!(
                    "practice `{id}` belongs to category `{}`, not `{text}`",
                    p.category.id()
                ),
            ),
            _ => {}
        }
    }
    if let Some(value) = get("level") {
        match integer(value.get_ref()) {
            Some(level) if LEVELS.contains(&u8::try_from(level).unwrap_or(0)) => {
                if let Some(p) = practice
                    && i64::from(p.level) != level
                {
                    c.error(
                        value.span(),
                        format!("practice `{id}` is at level {}, not {level}", p.level),
                    );
                }
            }
            _ => c.error(
                value.span(),
                "level must be 2, 3, 4 or 5 (level 1 is the floor everyone starts at)".to_string(),
            ),
        }
    }

    let notes = get("notes")
        .and_then(|v| v.get_ref().as_str())
        .unwrap_or("")
        .to_string();
    let answer = match get("answer") {
        None => Some(Answer::Blank),
        Some(value) => match value.get_ref().as_str() {
            None => None, // reported above
            Some(text) => match Answer::parse(text) {
                Some(Answer::NotApplicable) if notes.trim().is_empty() => {
                    c.error(
                        value.span(),
                        "answer n/a needs `notes` saying why the practice does not apply"
                            .to_string(),
                    );
                    None
                }
                Some(answer) => Some(answer),
                None => {
                    c.error(
                        value.span(),
                        format!("answer {text:?} is not one of {ANSWERS}"),
                    );
                    None
                }
            },
        },
    };
    // Optional team-supplied text: "" is the same as leaving the key out.
    let text = |key: &str| {
        get(key)
            .and_then(|v| v.get_ref().as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (evidence, owner) = (text("evidence"), text("owner"));
    let review_by = match get("review_by") {
        None => None,
        Some(value) => match review_date(value.get_ref()) {
            Ok(date) => date,
            Err(message) => {
                c.error(value.span(), message);
                None
            }
        },
    };
    if let (Some(_), Some(answer)) = (practice, answer)
        && !assessment.answers.contains_key(id)
    {
        assessment.answers.insert(
            id.to_string(),
            Response {
                answer,
                notes,
                evidence,
                owner,
                review_by,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::questionnaire::embedded;

    fn checked(text: &str) -> Checked {
        check(Path::new("v.toml"), text, embedded()).expect("parses")
    }

    fn messages(text: &str) -> Vec<String> {
        checked(text)
            .problems
            .iter()
            .filter(|p| !p.message.contains("is missing"))
            .map(|p| format!("{}:{}: {}", p.line, p.col, p.message))
            .collect()
    }

    #[test]
    fn top_level_settings() {
        let c = checked(
            "standard = \"continuous-value-flow\"\nteam = \"payments\"\npass_mark = 0.75\n",
        );
        assert_eq!(c.assessment.team.as_deref(), Some("payments"));
        assert_eq!(c.assessment.pass_mark, 0.75);
        assert!(!c.assessment.has_practices);
        assert_eq!(c.assessment.missing.len(), 40);
        assert_eq!(c.errors(), 0);
        // [0.5, 1], both ends included; an integer 1 is fine
        assert_eq!(checked("pass_mark = 1\n").assessment.pass_mark, 1.0);
        assert_eq!(checked("pass_mark = 0.5\n").assessment.pass_mark, 0.5);
        assert_eq!(
            messages("standard = \"continuous-value-flow\"\npass_mark = 0\n"),
            ["2:13: pass_mark 0 is out of range: it must be at least 0.5 and at most 1, e.g. 0.8"]
        );
        assert_eq!(
            messages("standard = \"continuous-value-flow\"\npass_mark = 0.49\n"),
            [
                "2:13: pass_mark 0.49 is out of range: it must be at least 0.5 and at most 1, e.g. 0.8"
            ]
        );
        assert_eq!(
            messages("standard = \"continuous-value-flow\"\npass_mark = \"80%\"\n"),
            ["2:13: pass_mark must be a number from 0.5 to 1, e.g. 0.8, not a string"]
        );
        // refused, so the default stays
        assert_eq!(checked("pass_mark = 1e-10\n").assessment.pass_mark, 0.8);
        assert_eq!(
            messages("standard = \"dora\"\nversion = 1.0\n"),
            [
                "1:12: standard \"dora\" is not known: expected \"continuous-value-flow\"",
                "2:11: version must be an integer (1), not a float"
            ]
        );
        assert_eq!(
            messages("version = 1\n"),
            ["1:1: no `standard` key: assuming standard = \"continuous-value-flow\""]
        );
        assert_eq!(
            messages("standard = \"continuous-value-flow\"\nmeasure = 1\npractice = \"x\"\n"),
            [
                "2:11: `measure` must be a table, not an integer",
                "3:12: `practice` must be an array of tables ([[practice]]), not a string"
            ]
        );
    }

    #[test]
    fn answers_are_read_leniently_but_checked_strictly() {
        let c = checked(
            "standard = \"continuous-value-flow\"\n\
             [[practice]]\nid = \"people.2.ci-adopted\"\nanswer = \" Yes \"\n\
             [[practice]]\nid = \"people.2.frequent-integration\"\nanswer = \"N/A\"\nnotes = \"solo\"\n\
             [[practice]]\nid = \"people.3.shared-delivery\"\n",
        );
        assert_eq!(c.errors(), 0);
        assert_eq!(c.assessment.answer("people.2.ci-adopted"), Answer::Yes);
        assert_eq!(
            c.assessment.answers["people.2.frequent-integration"],
            Response {
                notes: "solo".into(),
                ..Response::new(Answer::NotApplicable)
            }
        );
        // no answer key: blank, like a missing practice
        assert_eq!(
            c.assessment.answer("people.3.shared-delivery"),
            Answer::Blank
        );
        assert_eq!(
            c.assessment.answer("people.4.metrics-drive-improvement"),
            Answer::Blank
        );
        assert_eq!(c.assessment.missing.len(), 37);
        assert_eq!(
            messages(
                "standard = \"continuous-value-flow\"\n[[practice]]\nid = \"people.2.ci-adopted\"\nanswer = true\n"
            ),
            ["4:10: `answer` must be a string, not a boolean"]
        );
    }

    #[test]
    fn evidence_owner_and_review_date_are_read_with_the_answer() {
        let c = checked(
            "standard = \"continuous-value-flow\"\n\
             [[practice]]\nid = \"process.4.cadence-governed\"\nanswer = \"yes\"\n\
             evidence = \" https://grafana.example/d/dora \"\nowner = \"Ana\"\nreview_by = 2027-01-31\n\
             [[practice]]\nid = \"process.4.recovery-governed\"\nanswer = \"yes\"\n\
             evidence = \"\"\nowner = \"\"\nreview_by = \"2027-02-28\"\n\
             [[practice]]\nid = \"process.3.rollback-known\"\nanswer = \"yes\"\nreview_by = \"\"\n",
        );
        assert_eq!(c.errors(), 0, "{:?}", c.problems);
        let governed = c.assessment.response("process.4.cadence-governed").unwrap();
        assert_eq!(
            governed,
            &Response {
                evidence: Some("https://grafana.example/d/dora".into()),
                owner: Some("Ana".into()),
                review_by: NaiveDate::from_ymd_opt(2027, 1, 31),
                ..Response::new(Answer::Yes)
            }
        );
        // "" is the same as leaving the key out
        let recovery = c
            .assessment
            .response("process.4.recovery-governed")
            .unwrap();
        assert_eq!((&recovery.evidence, &recovery.owner), (&None, &None));
        assert_eq!(recovery.review_by, NaiveDate::from_ymd_opt(2027, 2, 28));
        let rollback = c.assessment.response("process.3.rollback-known").unwrap();
        assert_eq!(rollback.review_by, None);

        // a yes at level 4 or 5 without evidence is flagged; with it, or lower, or less than
        // yes, it is not
        assert!(!answered_without_evidence(4, governed));
        assert!(answered_without_evidence(4, recovery));
        assert!(answered_without_evidence(5, &Response::new(Answer::Yes)));
        assert!(!answered_without_evidence(3, rollback));
        assert!(!answered_without_evidence(
            4,
            &Response::new(Answer::Partial)
        ));
        assert!(!answered_without_evidence(
            5,
            &Response::new(Answer::NotApplicable)
        ));
    }

    #[test]
    fn bad_review_dates_are_errors_at_their_value() {
        let head =
            "standard = \"continuous-value-flow\"\n[[practice]]\nid = \"people.2.ci-adopted\"\n";
        let cases = [
            (
                "review_by = \"2027-02-30\"\n",
                "4:13: review_by must be a date YYYY-MM-DD, e.g. 2027-01-31, not \"2027-02-30\"",
            ),
            (
                "review_by = \"31/01/2027\"\n",
                "4:13: review_by must be a date YYYY-MM-DD, e.g. 2027-01-31, not \"31/01/2027\"",
            ),
            (
                "review_by = \"2027-1-31\"\n",
                "4:13: review_by must be a date YYYY-MM-DD, e.g. 2027-01-31, not \"2027-1-31\"",
            ),
            (
                "review_by = 2027-01-31T10:00:00Z\n",
                "4:13: review_by must be a date YYYY-MM-DD, e.g. 2027-01-31, without a time: not 2027-01-31T10:00:00Z",
            ),
            (
                "review_by = 20270131\n",
                "4:13: review_by must be a date YYYY-MM-DD, e.g. 2027-01-31, not an integer",
            ),
            (
                "owner = 7\n",
                "4:9: `owner` must be a string, not an integer",
            ),
            (
                "evidence = [\"a\"]\n",
                "4:12: `evidence` must be a string, not an array",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(messages(&format!("{head}{line}")), [expected], "{line}");
        }
    }

    #[test]
    fn a_retired_practice_is_a_warning_and_its_answer_is_ignored() {
        let c = checked(
            "standard = \"continuous-value-flow\"\n\
             [[practice]]\nid = \"process.4.lead-time-governed\"\ncategory = \"process\"\n\
             level = 4\nanswer = \"yes\"\n",
        );
        assert_eq!(c.errors(), 0);
        let warning = &c.problems[0];
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!((warning.line, warning.col), (3, 6));
        assert!(
            warning.message.starts_with(
                "practice `process.4.lead-time-governed` is no longer in the questionnaire \
                 (continuous-value-flow version 1): its answer is ignored; "
            ),
            "{}",
            warning.message
        );
        assert!(
            !c.assessment
                .answers
                .contains_key("process.4.lead-time-governed")
        );
        assert_eq!(c.assessment.missing.len(), 40);
        // an id that never was is still an error
        assert_eq!(
            messages("[[practice]]\nid = \"process.4.lead-time-governd\"\n")[0],
            "2:6: unknown practice `process.4.lead-time-governd`: not in continuous-value-flow \
             version 1"
        );
    }

    #[test]
    fn rendered_like_rustc() {
        let c = checked(
            "standard = \"continuous-value-flow\"\n[[practice]]\nid = \"people.2.ci-adopted\"\nanswer = \"ja\"\n",
        );
        let error = c
            .problems
            .iter()
            .find(|p| p.severity == Severity::Error)
            .expect("one");
        assert_eq!(
            error.to_string(),
            "v.toml:4:10: answer \"ja\" is not one of yes, partial, no or n/a (\"\" while unanswered)\n  |\n4 | answer = \"ja\"\n  |          ^^^^"
        );
        // problems about the file as a whole come last and show no line
        let last = c.problems.last().expect("warnings");
        assert_eq!(last.severity, Severity::Warning);
        assert_eq!(last.snippet, None);
    }

    #[test]
    fn syntax_errors_stop_with_a_position() {
        let err = check(Path::new("v.toml"), "a = 1\nb = [1,\n", embedded())
            .err()
            .expect("a syntax error");
        assert_eq!((err.line, err.col), (2, 8));
        assert!(err.to_string().starts_with("v.toml:2:8: "), "{err}");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_col("é = 1\nx", 7), (2, 1));
        assert_eq!(line_col("é = \"x\"", 5), (1, 5));
        // past the end, or inside a character: clamped, never a panic
        assert_eq!(line_col("é", 1), (1, 1));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
