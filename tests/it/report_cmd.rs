//! `valueflow report`: measures + self-assessment + outcome gaps over a history written here,
//! every level and number worked out by hand in the comments next to it.

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

use crate::command::{close, valueflow};
use crate::repo::{TestRepo, at};

/// The example assessment of the fictional payments team (examples/assessment.toml).
pub const EXAMPLE: &str = include_str!("../../examples/assessment.toml");

/// Four weeks of the payments team: 11 tagged deployments, a hotfix and a revert.
///
/// ```text
/// v1.0   @2h    c0 initial (0h)                         first: no samples
/// v1.1   @26h   c1 (20h), c2 (22h)                      6, 4
/// v1.2   @50h   c3 refund endpoint (44h)                6; failed: hotfix 4h later
/// v1.2.1 @54h   c4 "hotfix: refund rounding" (52h)      2; recovery of v1.2: 54 − 50 = 4h
/// v1.3   @190h  c5 (170h), c6 (180h)                    20, 10
/// v1.4   @230h  c7 (200h)                               30
/// v1.5   @360h  c8 fraud score (340h)                   20; failed: reverted in v1.6
/// v1.6   @372h  c9 revert of c8 (370h)                  2; recovery of v1.5: 372 − 360 = 12h
/// v1.7   @430h  c10 (400h)                              30
/// v1.8   @560h  c11 (510h), c12 (530h)                  50, 30
/// v1.9   @650h  c13 (600h)                              50
/// ```
/// Window [0h, 672h) = 28 days. Lead-time samples sorted: 2 2 4 6 6 10 20 20 30 30 30 50 50:
/// median 20h (< 24h: met). Change failure rate 2 / 11 = 18.2% (not < 5%). 11 / 28 = 0.39
/// deployments a day (not ≥ 1). Recovery mean (4 + 12) / 2 = 8h (not < 1h).
pub fn payments_history() -> TestRepo {
    let r = TestRepo::new();
    let c0 = r.commit("initial", 0);
    r.annotated_tag("v1.0", c0, 2);
    r.commit("add card tokenisation", 20);
    let c2 = r.commit("tokenisation tests", 22);
    r.annotated_tag("v1.1", c2, 26);
    let c3 = r.commit("refund endpoint", 44);
    r.annotated_tag("v1.2", c3, 50);
    let c4 = r.commit("hotfix: refund rounding", 52);
    r.annotated_tag("v1.2.1", c4, 54);
    r.commit("currency conversion", 170);
    let c6 = r.commit("conversion cache", 180);
    r.annotated_tag("v1.3", c6, 190);
    let c7 = r.commit("payout scheduling", 200);
    r.annotated_tag("v1.4", c7, 230);
    let c8 = r.commit("fraud score", 340);
    r.annotated_tag("v1.5", c8, 360);
    let c9 = r.commit(
        &format!("Revert \"fraud score\"\n\nThis reverts commit {c8}.\n"),
        370,
    );
    r.annotated_tag("v1.6", c9, 372);
    let c10 = r.commit("fraud score v2", 400);
    r.annotated_tag("v1.7", c10, 430);
    r.commit("statement export", 510);
    let c12 = r.commit("export paging", 530);
    r.annotated_tag("v1.8", c12, 560);
    let c13 = r.commit("ledger reconciliation", 600);
    r.annotated_tag("v1.9", c13, 650);
    r
}

/// A GitHub Actions run object as the REST API writes it (trimmed of URLs).
fn gh_run(
    id: u64,
    workflow: &str,
    sha: &str,
    event: &str,
    conclusion: &str,
    attempt: u32,
    finished_h: i64,
) -> Value {
    json!({
        "id": id, "name": workflow, "path": format!(".github/workflows/{}.yml", workflow.to_lowercase()),
        "head_branch": "main", "head_sha": sha, "run_number": id, "event": event,
        "status": "completed", "conclusion": conclusion, "workflow_id": 7, "run_attempt": attempt,
        "created_at": at(finished_h - 1), "run_started_at": at(finished_h - 1),
        "updated_at": at(finished_h),
        "repository": {"full_name": "acme/payments"}
    })
}

/// The payments team's GitHub Actions export over the same four weeks.
///
/// ```text
/// Deploy #201..#211  one successful run per tag of payments_history(), finishing at the
///                    tag's time on its commit; #203 (v1.2), #204 (v1.2.1) and #208 (v1.6)
///                    were started by hand (workflow_dispatch), the other 8 by a push
/// CI #101..#120      at 10h, 40h, … 580h (every 30h), push and pull_request in turn; all
///                    green on the first attempt except #110 (280h) failed, and #115 (430h)
///                    green on its second attempt. Each builds the newest commit made by
///                    its start (an hour before it ends): 10h c0, 40h c2, 70h–160h c4,
///                    190h c6, 220h–340h c7, 370h c8, 400h c9, 430h–490h c10, 520h c11,
///                    550h–580h c12. So of the deployments the CI runs' span (10h–580h)
///                    covers, v1.1 … v1.8 (9), all but v1.2 (c3, built by no run) had a CI
///                    run on their commit: 8 of 9.
/// ```
/// Pipeline Health: 31 runs; zero-touch 18 CI + 8 deploys = 26: 26 / 31 = 83.9% (< 95%).
/// Not zero-touch: 1 failed, 1 re-run, 3 started by hand. Red streak: #110 (280h) -> #111
/// (310h) = 30h to green.
pub fn payments_ci(r: &TestRepo) -> String {
    let commit = |tag: &str| {
        r.git
            .revparse_single(&format!("{tag}^{{commit}}"))
            .expect("tag")
            .id()
            .to_string()
    };
    let deploys = [
        ("v1.0", 2, "push"),
        ("v1.1", 26, "push"),
        ("v1.2", 50, "workflow_dispatch"),
        ("v1.2.1", 54, "workflow_dispatch"),
        ("v1.3", 190, "push"),
        ("v1.4", 230, "push"),
        ("v1.5", 360, "push"),
        ("v1.6", 372, "workflow_dispatch"),
        ("v1.7", 430, "push"),
        ("v1.8", 560, "push"),
        ("v1.9", 650, "push"),
    ];
    // Commits of main by committer time, to give each CI run the newest made by its start.
    let mut history: Vec<(i64, String)> = Vec::new();
    let mut walk = r.git.revwalk().expect("revwalk");
    walk.push_head().expect("head");
    for oid in walk {
        let commit = r.git.find_commit(oid.expect("oid")).expect("commit");
        history.push((commit.committer().when().seconds(), commit.id().to_string()));
    }
    let built_by = |hour: i64| {
        let started = crate::repo::T0 + (hour - 1) * 3600;
        history
            .iter()
            .filter(|(t, _)| *t <= started)
            .max_by_key(|(t, _)| *t)
            .map(|(_, sha)| sha.clone())
            .expect("a commit before the run")
    };
    let mut runs = Vec::new();
    for (i, hour) in (10..=580).step_by(30).enumerate() {
        let id = 101 + i as u64;
        let event = if i % 2 == 0 { "push" } else { "pull_request" };
        let conclusion = if id == 110 { "failure" } else { "success" };
        let attempt = if id == 115 { 2 } else { 1 };
        runs.push(gh_run(
            id,
            "CI",
            &built_by(hour),
            event,
            conclusion,
            attempt,
            hour,
        ));
    }
    for (i, (tag, hour, event)) in deploys.iter().enumerate() {
        runs.push(gh_run(
            201 + i as u64,
            "Deploy",
            &commit(tag),
            event,
            "success",
            1,
            *hour,
        ));
    }
    let export = json!({"total_count": runs.len(), "workflow_runs": runs});
    let mut text = serde_json::to_string_pretty(&export).expect("json");
    text.push('\n');
    text
}

pub fn window() -> Vec<String> {
    vec!["--since".into(), at(0), "--until".into(), at(672)]
}

pub fn run_report(repo: &Path, args: &[&str]) -> Output {
    valueflow()
        .arg("report")
        .arg("-C")
        .arg(repo)
        .args(window())
        .args(args)
        .output()
        .expect("runs")
}

fn report_json(repo: &Path, args: &[&str]) -> Value {
    crate::command::json_of(run_report(repo, &[args, &["--format", "json"]].concat()))
}

/// Each gap by the practice or the measure it names, in the report's order.
fn gap_names(report: &Value) -> Vec<&str> {
    report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            g["practice"]
                .as_str()
                .or(g["measure"].as_str())
                .expect("named")
        })
        .collect()
}

pub fn with_example(r: &TestRepo) {
    std::fs::write(r.path().join("valueflow.toml"), EXAMPLE).expect("write");
}

#[test]
fn levels_contradictions_and_gaps_of_the_example_team() {
    let r = payments_history();
    with_example(&r);
    let report = report_json(r.path(), &[]);

    // the measure report's keys are all there, as `measure` computes them
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["deployments"]["count"], 11);
    let m = &report["measures"];
    assert_eq!(m["lead_time_for_changes"]["samples"], 13);
    close(&m["lead_time_for_changes"]["median_hours"], 20.0);
    close(&m["change_failure_rate"]["rate"], 2.0 / 11.0);
    close(&m["mean_time_to_recovery"]["mean_hours"], 8.0);

    let a = &report["assessment"];
    assert_eq!(a["file"], "valueflow.toml");
    assert_eq!(a["team"], "payments");
    close(&a["pass_mark"], 0.8);
    // people: 2 yes yes ✓, 3 yes yes ✓, 4 partial + no = 0.25 -> 3, progress 3.25
    // process: 2 ✓, 3 yes + partial + yes = 2.5/3 = 0.83 ✓, 4 yes + partial + partial
    //   = 2/3 = 0.67 -> 3, 3.67
    // technology: 2 ✓, 3 yes yes partial = 0.83 ✓, 4 no, n/a, partial, partial: 3 of 4 apply
    //   (at least half), 1/3 = 0.33 -> 3, 3.33
    // measurement: 2 ✓, 3 ✓, 4 yes no no = 0.33 -> 3, 3.33
    // Without CI exports nothing the data can check contradicts an answer: verified = answered.
    let categories: Vec<(String, u64, u64, f64, f64)> = a["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_string(),
                c["level"].as_u64().expect("level"),
                c["verified_level"].as_u64().expect("verified"),
                c["progress"].as_f64().expect("progress"),
                c["verified_progress"].as_f64().expect("verified progress"),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [
            ("people".to_string(), 3, 3, 3.25, 3.25),
            ("process".to_string(), 3, 3, 3.67, 3.67),
            ("technology".to_string(), 3, 3, 3.33, 3.33),
            ("measurement".to_string(), 3, 3, 3.33, 3.33),
        ]
    );
    assert_eq!(a["categories"][0]["name"], "People & Culture");
    assert_eq!(
        a["categories"][1]["missing_for_next_level"],
        json!([
            "process.4.change-failure-governed",
            "process.4.recovery-governed"
        ])
    );
    // n/a is left out of what is missing
    assert_eq!(
        a["categories"][2]["missing_for_next_level"],
        json!([
            "technology.4.canary-releases",
            "technology.4.automated-rollback",
            "technology.4.production-verification"
        ])
    );
    assert_eq!(
        a["categories"][2]["next_level"],
        json!({"verdict": "below_pass_mark"})
    );
    assert_eq!(a["overall_level"], 3);
    assert_eq!(a["verified_level"], 3);
    assert_eq!(a["unanswered"], 2);
    let practices = a["practices"].as_array().expect("practices");
    assert_eq!(practices.len(), 40);
    // the team's own evidence, owner and review date travel with the answer
    assert!(practices.contains(&json!({
        "id": "process.4.cadence-governed",
        "category": "process",
        "level": 4,
        "answer": "yes",
        "verified": "yes",
        "evidence": "https://wiki.example/payments/release-review",
        "owner": "Priya (release rota lead)",
        "review_by": "2027-03-31"
    })));
    // a level-4 yes without evidence is flagged, not refused
    assert!(practices.contains(&json!({
        "id": "measurement.4.dora-tracked",
        "category": "measurement",
        "level": 4,
        "answer": "yes",
        "verified": "yes",
        "without_evidence": true
    })));
    assert_eq!(practices[39]["id"], "measurement.5.continuous-improvement");
    assert_eq!(practices[39]["answer"], "");

    // 6 practices name a rule the data could check; 5 claim something (self-healing is a
    // no, so it is not checked); with tags and no CI exports all 5 have no data: no deploy
    // runs, no CI runs, and no rollback in the window.
    assert_eq!(a["contradictions"], json!([]));
    assert_eq!(a["confirmations"], json!([]));
    assert_eq!(
        a["evidence"],
        json!({"checkable": 6, "checked": 5, "confirmed": 0, "contradicted": 0,
               "inconclusive": 0, "no_data": 5})
    );
    let rollback = a["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["practice"] == "process.3.rollback-known")
        .expect("checked");
    assert_eq!(rollback["status"], "no_data");
    assert_eq!(
        rollback["evidence"],
        "no rollback in the window: the data cannot tell whether one is known"
    );

    // outcome: lead time met, CFR/frequency/recovery missed, pipeline health unknown
    let outcome = &report["outcome"];
    assert_eq!(outcome["met"], false);
    let met: Vec<(&str, Value)> = outcome["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .map(|t| (t["measure"].as_str().expect("measure"), t["met"].clone()))
        .collect();
    assert_eq!(
        met,
        [
            ("lead_time_for_changes", json!(true)),
            ("change_failure_rate", json!(false)),
            ("pipeline_health", Value::Null),
            ("deployment_frequency", json!(false)),
            ("mean_time_to_recovery", json!(false)),
        ]
    );
    assert_eq!(outcome["targets"][0]["target"], "< 24 h");
    assert_eq!(outcome["targets"][0]["samples"], 13);
    close(&outcome["targets"][3]["actual"], 11.0 / 28.0);

    // Next steps: every category is verified at 3, so in the standard's order, each with the
    // fewest practices that reach 80% of its level 4, partials first among sets that size:
    // people: credit 0.5 of 2, needs 1.6: 1.1 more = yes on the no (+1) and the partial
    //   (+0.5); two steps, the partial first.
    // process: 2 of 3, needs 2.4: 0.4 more = one partial -> yes (the first).
    // technology: 1 of 3 applicable, needs 2.4: 1.4 more = the no (+1) and a partial (+0.5).
    // measurement: 1 of 3, needs 2.4: 1.4 more = both noes (+2); no partial to finish.
    // Then the missed targets.
    assert_eq!(
        gap_names(&report),
        [
            "people.4.metrics-drive-improvement",
            "people.4.telemetry-informs-changes",
            "process.4.change-failure-governed",
            "technology.4.automated-rollback",
            "technology.4.canary-releases",
            "measurement.4.pipeline-health-tracked",
            "measurement.4.trends-reviewed",
            "change_failure_rate",
            "deployment_frequency",
            "mean_time_to_recovery",
        ]
    );
    let first = &report["gaps"][0];
    assert_eq!(first["kind"], "practice");
    assert_eq!(first["category"], "people");
    assert_eq!(first["level"], 4);
    assert_eq!(first["answer"], "partial");
    assert_eq!(
        first["why"],
        "answered partial (half credit); People & Culture is at level 3 and needs 80% of its \
         level 4 (Quantitatively Managed) practices, has 25%"
    );
    assert_eq!(
        first["notes"],
        "We started looking at lead time in retros last quarter."
    );
    assert!(first["yes"].as_str().expect("yes").starts_with("Yes: "));
    let frequency = &report["gaps"][8];
    assert_eq!(frequency["kind"], "target");
    assert_eq!(frequency["measure"], "deployment_frequency");
    assert_eq!(frequency["target"], ">= 1/day");
    close(&frequency["actual"], 11.0 / 28.0);
    assert_eq!(frequency["samples"], 11);
    assert_eq!(
        frequency["why"],
        "2.8/week (11 deployments); the target is >= 1/day"
    );
}

#[test]
fn without_an_assessment_the_measures_and_outcome_gaps() {
    let r = payments_history();
    let out = run_report(r.path(), &["--format", "json"]);
    assert!(out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["assessment"], Value::Null);
    assert_eq!(report["outcome"]["met"], false);
    let gaps: Vec<&str> = report["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| g["measure"].as_str().expect("target gaps only"))
        .collect();
    assert_eq!(
        gaps,
        [
            "change_failure_rate",
            "deployment_frequency",
            "mean_time_to_recovery"
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("run `valueflow init`"), "{stderr}");

    // a valueflow.toml with settings only is not a self-assessment
    std::fs::write(
        r.path().join("valueflow.toml"),
        "[outcome]\nchange_failure_rate = 0.2\n",
    )
    .expect("write");
    let out = run_report(r.path(), &["--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["assessment"], Value::Null);
    // 18.2% < 20%: now met, and no longer a gap
    assert_eq!(report["outcome"]["targets"][1]["met"], true);
    assert_eq!(report["gaps"].as_array().expect("gaps").len(), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no [[practice]]"));
}

#[test]
fn outcome_met_is_null_when_nothing_is_missed_but_something_is_unknown() {
    let r = payments_history();
    // loose enough targets for every measured value; pipeline health stays unknown
    std::fs::write(
        r.path().join("valueflow.toml"),
        "[outcome]\nchange_failure_rate = 0.5\ndeployments_per_day = 0.1\nrecovery_hours = 9\n",
    )
    .expect("write");
    let report = report_json(r.path(), &["--fail-on-gap"]);
    assert_eq!(report["outcome"]["met"], Value::Null);
    assert_eq!(report["gaps"], json!([]));
}

#[test]
fn gates_exit_one_and_still_write_the_report() {
    let r = payments_history();
    with_example(&r);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("report.json");
    let out = valueflow()
        .arg("report")
        .arg("-C")
        .arg(r.path())
        .args(window())
        .args(["--fail-on-gap", "-o"])
        .arg(&file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "gate failed (--fail-on-gap): outcome targets not met: change_failure_rate, \
             deployment_frequency, mean_time_to_recovery"
        ),
        "{stderr}"
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("json");
    assert_eq!(written["assessment"]["overall_level"], 3);

    // overall level 3
    assert_eq!(
        run_report(r.path(), &["--min-level", "3"]).status.code(),
        Some(0)
    );
    let out = run_report(r.path(), &["--min-level", "4"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stdout.is_empty(), "the report is still written");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("gate failed (--min-level 4): the overall verified level is 3")
    );
    assert_eq!(
        run_report(r.path(), &["--min-level", "6"]).status.code(),
        Some(2)
    );

    // without an assessment the level counts as 1
    std::fs::remove_file(r.path().join("valueflow.toml")).expect("remove");
    assert_eq!(
        run_report(r.path(), &["--min-level", "1"]).status.code(),
        Some(0)
    );
    let out = run_report(r.path(), &["--min-level", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the overall level counts as 1"));
}

fn fails_with(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

#[test]
fn a_bad_assessment_stops_the_report() {
    let r = payments_history();
    let broken = EXAMPLE.replacen("answer = \"yes\"", "answer = \"sure\"", 1);
    std::fs::write(r.path().join("valueflow.toml"), &broken).expect("write");
    let line = broken
        .lines()
        .position(|l| l == "answer = \"sure\"")
        .expect("there")
        + 1;
    fails_with(
        &run_report(r.path(), &[]),
        &format!("valueflow.toml:{line}:10: answer \"sure\" is not one of yes"),
    );
    let twice = broken.replacen("answer = \"no\"", "answer = \"never\"", 1);
    std::fs::write(r.path().join("valueflow.toml"), twice).expect("write");
    fails_with(
        &run_report(r.path(), &[]),
        "(2 problems in all: run `valueflow validate",
    );

    std::fs::write(r.path().join("valueflow.toml"), "team = \"payments\n").expect("write");
    fails_with(&run_report(r.path(), &[]), "valueflow.toml:1:");

    let elsewhere = tempfile::tempdir().expect("tempdir");
    let missing = elsewhere.path().join("nope.toml");
    let out = run_report(
        r.path(),
        &["--assessment", missing.to_str().expect("utf-8")],
    );
    fails_with(&out, "no such file; `valueflow init` writes one");
}

#[test]
fn an_assessment_elsewhere_is_named_by_its_path() {
    let r = payments_history();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("team.toml");
    std::fs::write(&file, EXAMPLE).expect("write");
    let report = report_json(r.path(), &["--assessment", file.to_str().expect("utf-8")]);
    assert_eq!(report["assessment"]["file"], file.display().to_string());
    assert_eq!(report["assessment"]["overall_level"], 3);
}

fn normalised(out: Output, repo: &Path) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .replace(&repo.display().to_string(), "~/src/payments")
}

/// The one-page views, as a reviewer reads them.
#[test]
fn table_and_markdown_snapshots() {
    let r = payments_history();
    with_example(&r);
    let table = normalised(run_report(r.path(), &["--format", "table"]), r.path());
    insta::assert_snapshot!("report_table", table);
    std::fs::remove_file(r.path().join("valueflow.toml")).expect("remove");
    let markdown = normalised(run_report(r.path(), &["--format", "markdown"]), r.path());
    insta::assert_snapshot!("report_markdown_without_assessment", markdown);
}

/// examples/ holds the example team's assessment, its CI export and the reports they produce
/// (`valueflow report --ci ci-runs.json`). They are regenerated here, so they never drift from
/// the code: a difference fails the test (and CI); `UPDATE_EXAMPLES=1 cargo test` rewrites
/// them.
#[test]
fn examples_are_what_the_code_produces() {
    let r = payments_history();
    with_example(&r);
    let ci_runs = payments_ci(&r);
    let ci = r.path().join("ci-runs.json");
    std::fs::write(&ci, &ci_runs).expect("write");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let update = std::env::var_os("UPDATE_EXAMPLES").is_some();
    let mut drifted = Vec::new();
    let mut outputs = vec![("ci-runs.json", ci_runs)];
    for (format, name) in [
        ("table", "report.txt"),
        ("markdown", "report.md"),
        ("json", "report.json"),
        ("html", "report.html"),
    ] {
        // The terminal view as an 80-column terminal shows it.
        let out = valueflow()
            .env("COLUMNS", "80")
            .arg("report")
            .arg("-C")
            .arg(r.path())
            .args(window())
            .args(["--ci", ci.to_str().expect("utf-8"), "--format", format])
            .output()
            .expect("runs");
        outputs.push((name, normalised(out, r.path())));
    }
    // `measure` on the same history and export, for the README's first example.
    let out = valueflow()
        .env("COLUMNS", "80")
        .arg("measure")
        .arg("-C")
        .arg(r.path())
        .args(window())
        .args(["--ci", ci.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    outputs.push(("measure.txt", normalised(out, r.path())));
    for (name, text) in outputs {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != text {
            if update {
                std::fs::write(&path, &text).expect("write example");
            } else {
                drifted.push(name);
            }
        }
    }
    assert!(
        drifted.is_empty(),
        "examples/{drifted:?} differ from what the code produces; run \
         `UPDATE_EXAMPLES=1 cargo test --test it examples` and review the diff"
    );
}

/// The payments export with every deploy run started by hand (workflow_dispatch).
fn all_manual_deploys(r: &TestRepo) -> String {
    let mut export: Value = serde_json::from_str(&payments_ci(r)).expect("json");
    for run in export["workflow_runs"].as_array_mut().expect("runs") {
        if run["name"] == "Deploy" {
            run["event"] = json!("workflow_dispatch");
        }
    }
    serde_json::to_string_pretty(&export).expect("json")
}

/// The README's examples are cut from examples/measure.txt and examples/report.txt, line for
/// line, so they show what the code prints (issue 11: the examples can be reproduced).
#[test]
fn the_readme_excerpts_are_the_example_outputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    for (opening, file) in [
        (
            "```text\n$ valueflow measure --ci ci-runs.json\n",
            "examples/measure.txt",
        ),
        ("```text\nOverall level", "examples/report.txt"),
    ] {
        let example = std::fs::read_to_string(root.join(file)).expect("example");
        let start = readme.find(opening).expect("the excerpt in the README");
        let block = &readme[start + "```text\n".len()..];
        let block = &block[..block.find("```").expect("closed")];
        let lines: Vec<&str> = block
            .lines()
            .filter(|l| *l != "…" && !l.starts_with("$ "))
            .collect();
        assert!(lines.len() > 20, "{block}");
        for line in lines {
            assert!(
                example.lines().any(|l| l == line),
                "README line not in {file}: {line:?}"
            );
        }
    }
}

/// A team that answers yes to everything, where every deploy run was started by hand: the data
/// contradicts both automatic-deployment practices and the zero-touch one, the verified level
/// falls from 5 to 2, and --min-level (the verified level) fails where --min-answered-level
/// passes (issue 15, item 11).
#[test]
fn evidence_lowers_the_verified_level() {
    let r = payments_history();
    let all_yes = EXAMPLE
        .lines()
        .map(|l| {
            if l.starts_with("answer = ") {
                "answer = \"yes\""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(r.path().join("valueflow.toml"), all_yes).expect("write");
    let ci = r.path().join("ci-runs.json");
    std::fs::write(&ci, all_manual_deploys(&r)).expect("write");
    let ci = ci.to_str().expect("utf-8");
    let report = report_json(r.path(), &["--ci", ci]);
    let a = &report["assessment"];
    assert_eq!(a["overall_level"], 5);
    assert_eq!(a["unanswered"], 0);
    // Deploy runs: 0 of 11 without a person; Wilson upper bound z² / (11 + z²) = 2.7055 /
    // 13.7055 = 19.7 % < 80 %: both automatic-deployment practices are contradicted, as no.
    // Zero-touch: 31 runs less 1 failed, 1 re-run, 11 by hand = 18 (58.1 %), all of its
    // interval below 95 %: self-healing yes -> partial.
    // process 3: no + yes + yes = 0.67 -> verified 2, progress 2.67
    // technology 3: yes + yes + no = 0.67 -> verified 2, 2.67; people, measurement stay at 5
    let verified: Vec<(u64, f64)> = a["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            (
                c["verified_level"].as_u64().expect("level"),
                c["verified_progress"].as_f64().expect("progress"),
            )
        })
        .collect();
    assert_eq!(verified, [(5, 5.0), (2, 2.67), (2, 2.67), (5, 5.0)]);
    assert_eq!(a["verified_level"], 2);
    // missing_for_next_level follows the verified level (issue 15, item 12)
    assert_eq!(
        a["categories"][1]["missing_for_next_level"],
        json!(["process.3.automated-path"])
    );
    let contradicted: Vec<(&str, &str)> = a["contradictions"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| {
            (
                c["practice"].as_str().expect("id"),
                c["shows"].as_str().expect("shows"),
            )
        })
        .collect();
    assert_eq!(
        contradicted,
        [
            ("process.3.automated-path", "no"),
            ("technology.3.automatic-deploys", "no"),
            ("technology.5.self-healing", "partial"),
        ]
    );
    assert_eq!(
        a["contradictions"][0]["evidence"],
        "0 of 11 (90% interval 0.0%–19.7%) deploy runs started without a person \
         (workflow_dispatch); the bar is 80.0%"
    );
    assert_eq!(
        gap_names(&report),
        [
            "process.3.automated-path",
            "technology.3.automatic-deploys",
            "change_failure_rate",
            "pipeline_health",
            "deployment_frequency",
            "mean_time_to_recovery"
        ]
    );
    // Answering yes to everything does not pass the verified gate; it passes the answered one.
    let out = run_report(r.path(), &["--ci", ci, "--min-level", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("gate failed (--min-level 3): the overall verified level is 2")
    );
    assert_eq!(
        run_report(r.path(), &["--ci", ci, "--min-answered-level", "5"])
            .status
            .code(),
        Some(0)
    );
}

/// With the CI export, the example team's claims meet figures too thin to settle them:
/// 8 of 11 deploy runs automatic and 8 of 9 deployed commits built by CI are inconclusive
/// against 80 %; the CI runs confirm that pipeline results are visible.
#[test]
fn ci_evidence_of_the_example_team() {
    let r = payments_history();
    with_example(&r);
    let ci = r.path().join("ci-runs.json");
    std::fs::write(&ci, payments_ci(&r)).expect("write");
    let report = report_json(r.path(), &["--ci", ci.to_str().expect("utf-8")]);
    assert_eq!(report["deployments"]["source"], "ci");
    assert_eq!(report["deployments"]["count"], 11);
    // the report names the workflow it took for deploys, and how many runs each
    assert_eq!(
        report["deployments"]["workflows"],
        json!([{"name": "Deploy", "runs": 11, "deployments": 11}])
    );
    let m = &report["measures"];
    // the deploy runs finish at the tags' times on the tags' commits: the same measures
    close(&m["lead_time_for_changes"]["median_hours"], 20.0);
    close(&m["change_failure_rate"]["rate"], 2.0 / 11.0);
    let ph = &m["pipeline_health"];
    assert_eq!(ph["runs"], 31);
    assert_eq!(ph["zero_touch"], 26);
    assert_eq!(
        (&ph["failed"], &ph["rerun"], &ph["manual_trigger"]),
        (&json!(1), &json!(1), &json!(3))
    );
    close(&ph["median_time_to_green_hours"], 30.0);

    let a = &report["assessment"];
    assert_eq!(a["contradictions"], json!([]));
    assert_eq!(
        a["evidence"],
        json!({"checkable": 6, "checked": 5, "confirmed": 1, "contradicted": 0,
               "inconclusive": 3, "no_data": 1})
    );
    let status: Vec<(&str, Value)> = a["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| (c["practice"].as_str().expect("id"), c["status"].clone()))
        .collect();
    assert_eq!(
        status,
        [
            ("process.3.automated-path", json!("inconclusive")),
            ("process.3.rollback-known", json!("no_data")),
            ("technology.2.ci-on-commit", json!("inconclusive")),
            ("technology.3.automatic-deploys", json!("inconclusive")),
            // answered no: not checked
            ("technology.5.self-healing", Value::Null),
            ("measurement.2.pipeline-visibility", json!("confirmed")),
        ]
    );
    // 8 of 9: 1 + z²/9 = 1.3006159; centre (0.8889 + 0.1503080) / 1.3006159 = 0.7990;
    // half = z / 1.3006159 × √(0.0109739 + 0.0083494) = 0.1758 -> [62.3 %, 97.5 %]
    assert_eq!(
        a["checks"][2]["evidence"],
        "8 of 9 (90% interval 62.3%–97.5%) deployed commits had a CI run on that commit; the \
         bar is 80.0%"
    );
    // 8 of 11 automatic: Wilson [47.95 %, 88.5 %] straddles 80 %
    assert_eq!(
        a["checks"][0]["evidence"],
        "8 of 11 (90% interval 48.0%–88.5%) deploy runs started without a person \
         (workflow_dispatch); the bar is 80.0%"
    );
    assert_eq!(a["overall_level"], 3);
    assert_eq!(a["verified_level"], 3);
    // the same steps as without CI, and Pipeline Health's missed target with the others
    assert_eq!(
        gap_names(&report),
        [
            "people.4.metrics-drive-improvement",
            "people.4.telemetry-informs-changes",
            "process.4.change-failure-governed",
            "technology.4.automated-rollback",
            "technology.4.canary-releases",
            "measurement.4.pipeline-health-tracked",
            "measurement.4.trends-reviewed",
            "change_failure_rate",
            "pipeline_health",
            "deployment_frequency",
            "mean_time_to_recovery",
        ]
    );
}

/// Issue 15, item 7: n/a cannot hide a level. Every practice n/a (with its note): no level
/// above 1 is reached (fewer than half of each level's practices apply), and the next steps
/// ask for answers instead of saying everything is met.
#[test]
fn all_not_applicable_reaches_no_level_and_says_why() {
    let r = payments_history();
    let all_na = EXAMPLE
        .lines()
        .map(|l| {
            if l.starts_with("answer = ") {
                "answer = \"n/a\"\nnotes = \"does not apply\"".to_string()
            } else if l.starts_with("notes = ") {
                String::new()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(r.path().join("valueflow.toml"), all_na).expect("write");
    let report = report_json(r.path(), &[]);
    let a = &report["assessment"];
    assert_eq!(a["overall_level"], 1);
    assert_eq!(a["verified_level"], 1);
    // people level 2 has 2 practices, both n/a: 0 apply of 2
    assert_eq!(
        a["categories"][0]["next_level"],
        json!({"verdict": "too_much_not_applicable", "applicable": 0, "practices": 2})
    );
    // Taking back one n/a of two is the fewest steps to "half apply"; then it needs credit.
    let first = &report["gaps"][0];
    assert_eq!(first["practice"], "people.2.ci-adopted");
    assert!(
        first["why"]
            .as_str()
            .expect("why")
            .starts_with("declared n/a, but at least half of level 2's practices must apply"),
        "{first}"
    );
    let out = run_report(r.path(), &["--format", "table"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("every practice and target is met"), "{text}");
    assert!(
        text.contains("People & Culture: level 2 not reached: only 0 of its 2 practices apply"),
        "{text}"
    );
}
