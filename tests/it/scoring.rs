//! Scoring v2 (interface.md) through `valueflow validate` and `valueflow report`: the pass
//! mark's range, levels without credit, levels mostly declared n/a, practices that left the
//! questionnaire, and the team's evidence / owner / review date beside an answer.
//!
//! Each file starts from the template `valueflow init` writes (every answer blank), so the
//! figures below follow from the questionnaire's practice counts per level:
//!   people 2/2/2/2, process 2/3/3/3, technology 2/3/4/3, measurement 2/2/3/2 (levels 2..5).

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;
use valueflow::assessment::file::{self, Answer};
use valueflow::assessment::questionnaire::{Category, embedded};
use valueflow::assessment::score::{self, LevelVerdict};

use crate::command::valueflow;
use crate::repo::TestRepo;
use crate::report_cmd::run_report;

/// The blank template, written by `valueflow init` into a fresh directory.
fn template() -> (TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("blank.toml");
    let out = valueflow()
        .arg("init")
        .arg("-o")
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&path).expect("written");
    (dir, text)
}

/// The template with one practice's answer (and notes) filled in.
fn answer(text: &str, id: &str, answer: &str, notes: &str) -> String {
    let head = format!("\nid = \"{id}\"\n");
    let at = text
        .find(&head)
        .unwrap_or_else(|| panic!("{id} in the template"));
    let blank = "answer = \"\"\nnotes = \"\"\n";
    let offset = text[at..].find(blank).expect("a blank answer") + at;
    format!(
        "{}answer = \"{answer}\"\nnotes = \"{notes}\"\n{}",
        &text[..offset],
        &text[offset + blank.len()..]
    )
}

/// Every practice of a category and level answered the same way.
fn answer_level(text: &str, category: Category, level: u8, with: &str) -> String {
    embedded()
        .practices
        .iter()
        .filter(|p| p.category == category && p.level == level)
        .fold(text.to_string(), |text, p| {
            answer(&text, &p.id, with, "why")
        })
}

/// The line (1-based) of the first line equal to `line`.
fn line_of(text: &str, line: &str) -> usize {
    text.lines()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("{line:?} in the file"))
        + 1
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("valueflow.toml");
    std::fs::write(&path, text).expect("write");
    path
}

fn validate(path: &Path) -> Output {
    valueflow()
        .current_dir(path.parent().expect("dir"))
        .arg("validate")
        .arg(path.file_name().expect("name"))
        .output()
        .expect("runs")
}

/// A repository with one commit: enough for `report` to score the assessment in it.
fn repo_with(text: &str) -> TestRepo {
    let r = TestRepo::new();
    r.commit("initial", 0);
    write(r.path(), text);
    r
}

fn report_json(r: &TestRepo) -> Value {
    let out = run_report(r.path(), &["--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// (category id, level) of each category in the JSON report.
fn levels(report: &Value) -> Vec<(String, u64)> {
    report["assessment"]["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_string(),
                c["level"].as_u64().expect("level"),
            )
        })
        .collect()
}

fn all_at(level: u64) -> Vec<(String, u64)> {
    ["people", "process", "technology", "measurement"]
        .map(|c| (c.to_string(), level))
        .to_vec()
}

/// The scores of a file's text as `report` computes them (claimed answers).
fn scores(text: &str) -> Vec<score::CategoryScore> {
    let checked = file::check(Path::new("valueflow.toml"), text, embedded()).expect("parses");
    assert_eq!(checked.errors(), 0, "{:?}", checked.problems);
    let a = &checked.assessment;
    score::score(embedded(), |id| a.answer(id), a.pass_mark)
}

#[test]
fn a_tiny_pass_mark_is_refused_and_cannot_pass_blank_answers() {
    let (dir, blank) = template();
    let text = blank.replacen("# pass_mark = 0.8\n", "pass_mark = 1e-10\n", 1);
    let line = line_of(&text, "pass_mark = 1e-10");
    let path = write(dir.path(), &text);

    // validate: an error at the value, col 13 being after `pass_mark = `
    let out = validate(&path);
    assert_eq!(out.status.code(), Some(2));
    let expected = format!(
        "valueflow.toml:{line}:13: pass_mark 0.0000000001 is out of range: it must be at least \
         0.5 and at most 1, e.g. 0.8"
    );
    assert!(stderr(&out).starts_with(&expected), "{}", stderr(&out));
    assert!(stderr(&out).ends_with("error: valueflow.toml: 1 error, 0 warnings\n"));

    // report refuses the same file the same way, on one line
    let r = repo_with(&text);
    let out = run_report(r.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}:{line}:13: pass_mark 0.0000000001 is out of range: it must be at least \
             0.5 and at most 1, e.g. 0.8\n",
            r.path().join("valueflow.toml").display()
        )
    );

    // Were it accepted: every blank answer has credit 0, so every share is 0, and 0 ≥ 1e-10
    // fails only by the rounding slack; the no-credit rule is what keeps level 1 everywhere.
    let checked = file::check(Path::new("v.toml"), &blank, embedded()).expect("parses");
    let a = &checked.assessment;
    let s = score::score(embedded(), |id| a.answer(id), 1e-10);
    assert!(s.iter().all(|c| c.level == 1), "{s:?}");
    assert!(
        s.iter()
            .all(|c| c.next_level_verdict() == Some(LevelVerdict::NoCredit))
    );
}

#[test]
fn the_pass_mark_runs_from_one_half_to_one() {
    let (dir, blank) = template();
    for (mark, ok) in [("0.5", true), ("1", true), ("0.49", false), ("1.01", false)] {
        let text = blank.replacen("# pass_mark = 0.8\n", &format!("pass_mark = {mark}\n"), 1);
        let out = validate(&write(dir.path(), &text));
        if ok {
            assert!(out.status.success(), "{mark}: {}", stderr(&out));
        } else {
            let line = line_of(&text, &format!("pass_mark = {mark}"));
            assert_eq!(out.status.code(), Some(2), "{mark}");
            assert!(
                stderr(&out).starts_with(&format!(
                    "valueflow.toml:{line}:13: pass_mark {mark} is out of range"
                )),
                "{}",
                stderr(&out)
            );
        }
    }

    // At 0.5, half credit passes: people level 2 answered partial + partial is 1 / 2 = 0.5,
    // people level 3 yes + no is 1 / 2 = 0.5 -> people at level 3; at the default 0.8 the
    // same answers stay at level 1.
    let text = answer(&blank, "people.2.ci-adopted", "partial", "");
    let text = answer(&text, "people.2.frequent-integration", "partial", "");
    let text = answer(&text, "people.3.pipeline-confidence", "yes", "");
    let text = answer(&text, "people.3.shared-delivery", "no", "");
    assert_eq!(scores(&text)[0].level, 1);
    let half = text.replacen("# pass_mark = 0.8\n", "pass_mark = 0.5\n", 1);
    let r = repo_with(&half);
    let report = report_json(&r);
    assert_eq!(report["assessment"]["pass_mark"], 0.5);
    let mut expected = all_at(1);
    expected[0].1 = 3;
    assert_eq!(levels(&report), expected);
}

#[test]
fn all_na_is_level_one_everywhere_because_too_much_was_declared_na() {
    let (dir, blank) = template();
    let text = embedded().practices.iter().fold(blank, |text, p| {
        answer(&text, &p.id, "n/a", "not our kind of service")
    });
    let out = validate(&write(dir.path(), &text));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valueflow.toml: ok: 40 of 40 practices answered, 0 warnings\n"
    );

    // Before v2 an all-n/a level passed, so this file scored level 5 everywhere.
    let report = report_json(&repo_with(&text));
    assert_eq!(levels(&report), all_at(1));
    assert_eq!(report["assessment"]["overall_level"], 1);
    assert_eq!(report["assessment"]["verified_level"], 1);

    // the reason the report gives: level 2 has none of its 2 practices applying
    for c in scores(&text) {
        assert_eq!(c.level, 1);
        assert_eq!(c.progress, 1.0);
        assert_eq!(
            c.next_level_verdict(),
            Some(LevelVerdict::TooMuchNotApplicable {
                applicable: 0,
                practices: 2
            }),
            "{}",
            c.category.id()
        );
    }
}

#[test]
fn a_level_is_reached_with_exactly_half_of_it_declared_na() {
    // technology: levels 2 and 3 all yes; level 4 has 4 practices.
    let (_dir, blank) = template();
    let base = answer_level(&blank, Category::Technology, 2, "yes");
    let base = answer_level(&base, Category::Technology, 3, "yes");

    // 2 n/a + 2 yes: 2 of 4 apply (exactly half), share 2 / 2 = 1 ≥ 0.8 -> level 4
    let half = answer(&base, "technology.4.canary-releases", "n/a", "batch jobs");
    let half = answer(
        &half,
        "technology.4.progressive-delivery",
        "n/a",
        "batch jobs",
    );
    let reached = answer(&half, "technology.4.automated-rollback", "yes", "");
    let reached = answer(&reached, "technology.4.production-verification", "yes", "");
    let report = report_json(&repo_with(&reached));
    let mut expected = all_at(1);
    expected[2].1 = 4;
    assert_eq!(levels(&report), expected);
    // level 5 all blank: progress 4 + 0
    assert_eq!(report["assessment"]["categories"][2]["progress"], 4.0);

    // 3 n/a + 1 yes: 1 of 4 applies -> level 3, though the one that applies is a yes;
    // progress counts its credit over the 2 that must apply: 3 + 1 / 2 = 3.5
    let more = answer(
        &half,
        "technology.4.automated-rollback",
        "n/a",
        "batch jobs",
    );
    let more = answer(&more, "technology.4.production-verification", "yes", "");
    let report = report_json(&repo_with(&more));
    expected[2].1 = 3;
    assert_eq!(levels(&report), expected);
    assert_eq!(report["assessment"]["categories"][2]["progress"], 3.5);
    assert_eq!(
        scores(&more)[2].next_level_verdict(),
        Some(LevelVerdict::TooMuchNotApplicable {
            applicable: 1,
            practices: 4
        })
    );
}

#[test]
fn a_practice_that_left_the_questionnaire_is_a_warning_and_ignored() {
    // A file written by an earlier valueflow: it still answers process.4.lead-time-governed.
    let (dir, blank) = template();
    let old = "\n[[practice]]\nid = \"process.4.lead-time-governed\"\ncategory = \"process\"\n\
               level = 4\nanswer = \"yes\"\nnotes = \"\"\n";
    let text = format!("{blank}{old}");
    let line = line_of(&text, "id = \"process.4.lead-time-governed\"");
    let out = validate(&write(dir.path(), &text));
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = stderr(&out);
    assert!(
        warning.starts_with(&format!(
            "valueflow.toml:{line}:6: warning: practice `process.4.lead-time-governed` is no \
             longer in the questionnaire (continuous-value-flow version 1): its answer is \
             ignored; "
        )),
        "{warning}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "valueflow.toml: ok: 0 of 40 practices answered, 1 warning\n"
    );

    // report scores the file without it: the answer is nowhere in the report
    let report = report_json(&repo_with(&text));
    assert_eq!(levels(&report), all_at(1));
    let ids: Vec<&str> = report["assessment"]["practices"]
        .as_array()
        .expect("practices")
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 40);
    assert!(!ids.contains(&"process.4.lead-time-governed"));
}

#[test]
fn evidence_owner_and_review_date_beside_an_answer() {
    let (dir, blank) = template();
    let text = answer(&blank, "process.4.cadence-governed", "yes", "weekly");
    let text = text.replacen(
        "notes = \"weekly\"\n# evidence = \"\"             # a link or reference that backs it up\n\
         # owner = \"\"                # who keeps this practice going\n\
         # review_by = \"YYYY-MM-DD\"  # when to look at it again\n",
        "notes = \"weekly\"\nevidence = \"https://wiki.example/release-review\"\n\
         owner = \"Priya\"\nreview_by = 2027-03-31\n",
        1,
    );
    let text = answer(&text, "process.4.recovery-governed", "yes", "");
    let out = validate(&write(dir.path(), &text));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no warning for a yes without evidence");

    let checked = file::check(Path::new("valueflow.toml"), &text, embedded()).expect("parses");
    let cadence = checked
        .assessment
        .response("process.4.cadence-governed")
        .expect("answered");
    assert_eq!(cadence.answer, Answer::Yes);
    assert_eq!(
        cadence.evidence.as_deref(),
        Some("https://wiki.example/release-review")
    );
    assert_eq!(cadence.owner.as_deref(), Some("Priya"));
    assert_eq!(
        cadence.review_by.map(|d| d.to_string()).as_deref(),
        Some("2027-03-31")
    );
    let recovery = checked
        .assessment
        .response("process.4.recovery-governed")
        .expect("answered");
    // both at level 4: the one without an evidence reference is pointed out
    assert!(!file::answered_without_evidence(4, cadence));
    assert!(file::answered_without_evidence(4, recovery));
}

#[test]
fn a_review_date_that_is_not_a_date_is_an_error_at_its_value() {
    let (dir, blank) = template();
    let text = answer(&blank, "people.2.ci-adopted", "yes", "");
    let text = text.replacen(
        "notes = \"\"\n# evidence = \"\"             # a link or reference that backs it up\n\
         # owner = \"\"                # who keeps this practice going\n\
         # review_by = \"YYYY-MM-DD\"  # when to look at it again\n",
        "notes = \"\"\nreview_by = \"2027-02-30\"\n",
        1,
    );
    let line = line_of(&text, "review_by = \"2027-02-30\"");
    let out = validate(&write(dir.path(), &text));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(&format!(
            "valueflow.toml:{line}:13: review_by must be a date YYYY-MM-DD, e.g. 2027-01-31, \
             not \"2027-02-30\"\n"
        )),
        "{}",
        stderr(&out)
    );
    // rustc-style: the line, and the value underlined from col 13
    let pad = " ".repeat(line.to_string().len());
    assert!(
        stderr(&out).contains(&format!(
            "{line} | review_by = \"2027-02-30\"\n{pad} | {}{}\n",
            " ".repeat(12),
            "^".repeat(12)
        )),
        "{}",
        stderr(&out)
    );
}
