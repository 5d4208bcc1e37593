//! `valueflow trend` and `valueflow diff` over a history written here: four months of tagged
//! releases with a hotfix, a revert and a rollback, and a self-assessment that changes along
//! the way. Every figure is worked out by hand in the comments next to it.

use std::path::Path;
use std::process::Output;

use git2::{Oid, Signature, Time};
use serde_json::Value;

use crate::command::{close, valueflow};
use crate::repo::{TestRepo, h};

/// Hours after T0 (Monday 2026-01-05): 2026-01-01 is h−96, Feb 1 h648, Mar 1 h1320,
/// Apr 1 h2064, May 1 h2784.
const JAN: &str = "2026-01-01";
const MAY: &str = "2026-05-01";

fn run(repo: &Path, args: &[&str]) -> Output {
    valueflow()
        .args(args)
        .arg("-C")
        .arg(repo)
        .output()
        .expect("runs")
}

fn json(repo: &Path, args: &[&str]) -> Value {
    crate::command::json_of(run(repo, &[args, &["--format", "json"]].concat()))
}

/// The questionnaire with every answer blank, as `valueflow init` writes it.
fn template() -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.toml");
    let out = valueflow()
        .args(["init", "-o"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(out.status.success());
    std::fs::read_to_string(path).expect("template")
}

/// `template` with `yes` for the given practices.
fn answered(template: &str, yes: &[&str]) -> String {
    let mut out = String::new();
    let mut current = String::new();
    for line in template.lines() {
        if let Some(id) = line.strip_prefix("id = ") {
            current = id.trim_matches('"').to_string();
        }
        if line.starts_with("answer = ") && yes.contains(&current.as_str()) {
            out.push_str("answer = \"yes\"\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A commit on main whose tree holds change.txt and valueflow.toml.
fn commit(r: &TestRepo, message: &str, author_h: i64, commit_h: i64, toml: &str) -> Oid {
    let mut tree = r.git.treebuilder(None).expect("treebuilder");
    let blob = r.git.blob(message.as_bytes()).expect("blob");
    tree.insert("change.txt", blob, 0o100644).expect("insert");
    let blob = r.git.blob(toml.as_bytes()).expect("blob");
    tree.insert("valueflow.toml", blob, 0o100644)
        .expect("insert");
    let tree = r.git.find_tree(tree.write().expect("tree")).expect("tree");
    let parent = r
        .git
        .refname_to_id("refs/heads/main")
        .ok()
        .map(|p| r.git.find_commit(p).expect("parent"));
    let sig = |name: &str, hours| {
        Signature::new(name, "x@example.com", &Time::new(h(hours), 0)).expect("signature")
    };
    let oid = r
        .git
        .commit(
            None,
            &sig("Ada", author_h),
            &sig("Ci Bot", commit_h),
            message,
            &tree,
            &parent.iter().collect::<Vec<_>>(),
        )
        .expect("commit");
    r.set_branch("main", oid);
    oid
}

/// Jan: v1.0–v1.3; v1.3 fails (a hotfix 20 h later). Feb: v1.4 (the hotfix, rework),
/// v1.5, v1.6; v1.6 fails (reverted 400 h later, in March). Mar: v1.7 (the revert), v1.8 and
/// three more. Apr: v1.9, which v2.0 rolls back 40 h later, and three more.
/// valueflow.toml: blank at a0, people level 2 answered at a2, only the team name changed at
/// a5, process level 2 answered at a8.
fn trend_history() -> (TestRepo, String) {
    let r = TestRepo::new();
    let blank = template();
    let people = answered(
        &blank,
        &["people.2.ci-adopted", "people.2.frequent-integration"],
    );
    let renamed = people.replace("team = \"\"", "team = \"shop\"");
    let process = answered(
        &renamed,
        &[
            "people.2.ci-adopted",
            "people.2.frequent-integration",
            "process.2.repeatable-release",
            "process.2.standard-environments",
        ],
    );
    let tag = |name: &str, oid: Oid, hours: i64| r.annotated_tag(name, oid, hours);
    let mut toml = blank.clone();
    let mut release = |name: &str, message: &str, c: i64, t: i64, file: Option<&String>| {
        if let Some(file) = file {
            toml = file.clone();
        }
        let oid = commit(&r, message, c, c, &toml);
        tag(name, oid, t);
        oid
    };
    release("v1.0", "initial", 0, 1, None);
    release("v1.1", "feature A", 10, 24, None);
    release("v1.2", "feature B", 100, 120, Some(&people));
    release("v1.3", "feature C", 600, 640, None);
    release("v1.4", "hotfix: C crash", 650, 660, None);
    release("v1.5", "feature D", 700, 720, Some(&renamed));
    let e = release("v1.6", "feature E", 1000, 1010, None);
    release(
        "v1.7",
        &format!("Revert \"feature E\"\n\nThis reverts commit {e}.\n"),
        1400,
        1410,
        None,
    );
    let f = release("v1.8", "feature F", 1500, 1530, Some(&process));
    release("v1.8.1", "feature F1", 1600, 1604, None);
    release("v1.8.2", "feature F2", 1700, 1708, None);
    release("v1.8.3", "feature F3", 1800, 1812, None);
    release("v1.9", "feature G", 2100, 2110, None);
    tag("v2.0", f, 2150);
    release("v2.1", "feature H", 2300, 2302, None);
    release("v2.2", "feature I", 2400, 2406, None);
    release("v2.3", "feature J", 2500, 2520, None);
    std::fs::write(r.path().join("valueflow.toml"), &toml).expect("work tree file");
    (r, toml)
}

#[test]
fn each_month_equals_a_measure_run_over_that_month() {
    let (r, _) = trend_history();
    let report = json(r.path(), &["trend", "--since", JAN, "--until", MAY]);
    let trend = &report["trend"];
    assert_eq!(trend["every"], "month");
    let periods = trend["periods"].as_array().expect("periods");
    let spans: Vec<(&str, &str, bool)> = periods
        .iter()
        .map(|p| {
            (
                p["since"].as_str().unwrap(),
                p["until"].as_str().unwrap(),
                p["partial"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", false),
            ("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", false),
            ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", false),
            ("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z", false),
        ]
    );
    for p in periods {
        let since = p["since"].as_str().unwrap();
        let until = p["until"].as_str().unwrap();
        let alone = json(r.path(), &["measure", "--since", since, "--until", until]);
        assert_eq!(p["measures"], alone["measures"], "{since} to {until}");
    }

    let m = |i: usize| &periods[i]["measures"];
    // Jan: v1.0 (first: no samples), v1.1 24−10 = 14, v1.2 120−100 = 20, v1.3 640−600 = 40.
    assert_eq!(m(0)["deployment_frequency"]["deployments"], 4);
    close(&m(0)["lead_time_for_changes"]["median_hours"], 20.0);
    // v1.3 failed: the hotfix ships in v1.4 on Feb 1, 20 h later (within 72 h), so the
    // failure is January's and its recovery of 20 h too, although both ends cross the month.
    close(&m(0)["change_failure_rate"]["rate"], 0.25);
    close(&m(0)["mean_time_to_recovery"]["median_hours"], 20.0);
    close(&m(0)["deployment_rework_rate"]["rate"], 0.0);
    assert_eq!(periods[0]["too_few_to_judge"], true);
    // Feb: v1.4 660−650 = 10, v1.5 20, v1.6 10 -> median 10; v1.6 failed (reverted in
    // March, 400 h later, within 30 days); v1.4 is rework (the hotfix, 20 h after v1.3).
    close(&m(1)["lead_time_for_changes"]["median_hours"], 10.0);
    close(&m(1)["change_failure_rate"]["rate"], 1.0 / 3.0);
    close(&m(1)["mean_time_to_recovery"]["median_hours"], 400.0);
    close(&m(1)["deployment_rework_rate"]["rate"], 1.0 / 3.0);
    // 3 deployments in 28 days: 0.75 a week.
    close(&m(1)["deployment_frequency"]["per_week"], 0.75);
    // Mar: 10, 30, 4, 8, 12 -> median 10; no failure; the revert is 400 h late: no rework.
    assert_eq!(m(2)["deployment_frequency"]["deployments"], 5);
    close(&m(2)["lead_time_for_changes"]["median_hours"], 10.0);
    close(&m(2)["change_failure_rate"]["rate"], 0.0);
    assert_eq!(m(2)["mean_time_to_recovery"]["median_hours"], Value::Null);
    // Apr: v1.9 10, v2.0 (the rollback) none, 2, 6, 20 -> median of 2 6 10 20 = 8; v1.9
    // failed, rolled back 40 h later, which is rework.
    assert_eq!(m(3)["deployment_frequency"]["deployments"], 5);
    close(&m(3)["lead_time_for_changes"]["median_hours"], 8.0);
    close(&m(3)["change_failure_rate"]["rate"], 0.2);
    close(&m(3)["mean_time_to_recovery"]["median_hours"], 40.0);
    close(&m(3)["deployment_rework_rate"]["rate"], 0.2);

    // Rolling medians of the lead time: Jan 20; Feb median(20, 10) = 15; Mar (20, 10, 10)
    // 10; Apr (10, 10, 8) 10.
    let rolling: Vec<f64> = periods
        .iter()
        .map(|p| {
            p["rolling_median"]["lead_time_for_changes"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert_eq!(rolling, [20.0, 15.0, 10.0, 10.0]);
}

#[test]
fn the_change_between_the_last_two_full_months() {
    let (r, _) = trend_history();
    let report = json(r.path(), &["trend", "--since", JAN, "--until", MAY]);
    let changes = &report["trend"]["changes"];
    assert_eq!(changes["from"]["since"], "2026-03-01T00:00:00Z");
    assert_eq!(changes["to"]["since"], "2026-04-01T00:00:00Z");
    let by = |measure: &str| {
        changes["measures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["measure"] == measure)
            .unwrap()
            .clone()
    };
    // Lead time median 10 h -> 8 h: −2 h, −20 %, down, better; 5 deployments in each.
    let lead = by("lead_time_for_changes");
    close(&lead["change"], -2.0);
    close(&lead["percent"], -20.0);
    assert_eq!(lead["direction"], "down");
    assert_eq!(lead["better"], true);
    assert_eq!(lead["too_few_to_judge"], false);
    // Failure rate 0 -> 0.2: up, worse; no percentage of 0.
    let cfr = by("change_failure_rate");
    assert_eq!(cfr["direction"], "up");
    assert_eq!(cfr["better"], false);
    assert_eq!(cfr["percent"], Value::Null);
    // Per week: 5/31×7 -> 5/30×7, +3.33 %.
    close(
        &by("deployment_frequency")["percent"],
        (31.0 / 30.0 - 1.0) * 100.0,
    );
    // Recovery: nothing in March to compare with.
    assert_eq!(by("mean_time_to_recovery")["direction"], Value::Null);
}

#[test]
fn months_of_a_window_that_starts_and_ends_mid_month_are_partial() {
    let (r, _) = trend_history();
    // Jan 20 (h360) to Mar 10 (h1536): Jan and Mar clipped.
    let report = json(
        r.path(),
        &["trend", "--since", "2026-01-20", "--until", "2026-03-10"],
    );
    let periods = report["trend"]["periods"].as_array().unwrap();
    let partial: Vec<bool> = periods.iter().map(|p| p["partial"] == true).collect();
    assert_eq!(partial, [true, false, true]);
    for p in periods {
        let (since, until) = (p["since"].as_str().unwrap(), p["until"].as_str().unwrap());
        let alone = json(r.path(), &["measure", "--since", since, "--until", until]);
        assert_eq!(p["measures"], alone["measures"], "{since} to {until}");
    }
    // Only one full month: nothing to compare.
    assert_eq!(report["trend"]["changes"]["from"], Value::Null);
}

#[test]
fn weeks_equal_measure_runs_too() {
    let (r, _) = trend_history();
    // Jan 28 (Wed) to Feb 14 (Sat): a partial week, two whole ISO weeks, a partial one.
    let report = json(
        r.path(),
        &[
            "trend",
            "--every",
            "week",
            "--since",
            "2026-01-28",
            "--until",
            "2026-02-14",
        ],
    );
    let periods = report["trend"]["periods"].as_array().unwrap();
    assert_eq!(periods.len(), 3);
    assert_eq!(periods[1]["since"], "2026-02-02T00:00:00Z");
    for p in periods {
        let (since, until) = (p["since"].as_str().unwrap(), p["until"].as_str().unwrap());
        let alone = json(r.path(), &["measure", "--since", since, "--until", until]);
        assert_eq!(p["measures"], alone["measures"], "{since} to {until}");
    }
}

#[test]
fn the_assessment_at_each_commit_that_changed_its_answers() {
    let (r, _) = trend_history();
    let report = json(r.path(), &["trend", "--since", JAN, "--until", MAY]);
    let versions = report["trend"]["assessment"].as_array().unwrap();
    // Newest first: a8 (people and process at 2), a2 (people at 2), a0 (all blank: 1).
    // a5 changed only the team name: not a version of the answers.
    let levels: Vec<(Vec<u64>, u64)> = versions
        .iter()
        .map(|v| {
            (
                v["levels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["level"].as_u64().unwrap())
                    .collect(),
                v["overall_level"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            (vec![2, 2, 1, 1], 1),
            (vec![2, 1, 1, 1], 1),
            (vec![1, 1, 1, 1], 1)
        ]
    );
    let time = |i: usize| versions[i]["time"].as_str().unwrap().to_string();
    assert_eq!(time(0), crate::repo::at(1500));
    assert_eq!(time(1), crate::repo::at(100));
    assert_eq!(time(2), crate::repo::at(0));
    // Only the current version is verified against the data.
    assert!(versions[0]["verified_level"].is_u64());
    assert_eq!(versions[1]["verified_level"], Value::Null);
    let changed: Vec<&str> = versions[0]["changed_answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["practice"].as_str().unwrap())
        .collect();
    assert_eq!(
        changed,
        [
            "process.2.repeatable-release",
            "process.2.standard-environments"
        ]
    );
}

#[test]
fn the_table_fits_80_columns_and_names_the_change() {
    let (r, _) = trend_history();
    let out = valueflow()
        .env("COLUMNS", "80")
        .args(["trend", "--since", JAN, "--until", MAY, "-C"])
        .arg(r.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?} is wider than 80");
    }
    assert!(
        text.contains("lead time median     10h -> 8h, -20%, better"),
        "{text}"
    );
    assert!(text.contains("2026-01         4?       20h"), "{text}");
    let md = run(
        r.path(),
        &[
            "trend", "--since", JAN, "--until", MAY, "--format", "markdown",
        ],
    );
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("| 2026-04 | 5 | 8h | 1.2 | 20.0% | 1d 16h | — | 20.0% |"),
        "{md}"
    );
}

#[test]
fn diff_of_two_saved_reports() {
    let (r, _) = trend_history();
    let dir = tempfile::tempdir().unwrap();
    let march = dir.path().join("march.json");
    let april = dir.path().join("april.json");
    for (file, since, until) in [
        (&march, "2026-03-01", "2026-04-01"),
        (&april, "2026-04-01", MAY),
    ] {
        let out = run(
            r.path(),
            &[
                "report", "--since", since, "--until", until, "--format", "json",
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::write(file, out.stdout).unwrap();
    }
    let out = valueflow()
        .arg("diff")
        .args([&march, &april])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The month figures above: lead time 10 h -> 8 h.
    assert_eq!(d["measures"][0]["measure"], "lead_time_for_changes");
    close(&d["measures"][0]["before"], 10.0);
    close(&d["measures"][0]["after"], 8.0);
    close(&d["measures"][0]["percent"], -20.0);
    // Same assessment file on both sides: levels equal, no answer changed.
    assert_eq!(d["levels"][0]["before"], d["levels"][0]["after"]);
    assert_eq!(d["answers"], Value::Array(vec![]));

    let md = valueflow()
        .arg("diff")
        .args([&march, &april])
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("| lead time median | 10h | 8h | -20% |"),
        "{md}"
    );
}

#[test]
fn diff_refuses_a_file_that_is_not_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("package.json");
    std::fs::write(&other, r#"{"name": "shop"}"#).unwrap();
    let out = valueflow()
        .arg("diff")
        .args([&other, &other])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {}: not a valueflow report",
            other.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_bad_period_is_a_usage_error() {
    let (r, _) = trend_history();
    let out = run(r.path(), &["trend", "--every", "fortnight"]);
    assert_eq!(out.status.code(), Some(2));
}

/// `report` carries the trend of its own window, as `trend` computes it, and judges each
/// period against the outcome targets.
#[test]
fn the_report_has_the_trend_of_its_window() {
    let (r, _) = trend_history();
    let window = ["--since", JAN, "--until", MAY];
    let report = json(r.path(), &[&["report"][..], &window].concat());
    let trend = json(r.path(), &[&["trend"][..], &window].concat());
    // January to April holds four whole months and one whole quarter: by month.
    assert_eq!(report["trend"]["every"], "month");
    assert_eq!(report["trend"], trend["trend"]);
    let weekly = json(
        r.path(),
        &[&["report"][..], &window, &["--every", "week"]].concat(),
    );
    assert_eq!(weekly["trend"]["every"], "week");

    let target = |period: usize, measure: &str| {
        report["trend"]["periods"][period]["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["measure"] == measure)
            .unwrap()
            .clone()
    };
    // March: lead time median 10 h (samples 10, 30, 4, 8, 12) < 24 h, met; no failure in
    // March's five deployments, 0 < 5 %, met.
    close(&target(2, "lead_time_for_changes")["actual"], 10.0);
    assert_eq!(target(2, "lead_time_for_changes")["met"], true);
    assert_eq!(target(2, "change_failure_rate")["met"], true);
    // April: v1.9 fails (v2.0 rolls it back): 1 of 5, 20 %, missed. No CI runs: pipeline
    // health is not judged.
    close(&target(3, "change_failure_rate")["actual"], 0.2);
    assert_eq!(target(3, "change_failure_rate")["met"], false);
    assert_eq!(target(3, "pipeline_health")["met"], Value::Null);
}

/// The report's trend section on the terminal: a sparkline per measure and the change.
#[test]
fn the_report_table_draws_a_sparkline_per_measure() {
    let (r, _) = trend_history();
    let out = valueflow()
        .env("COLUMNS", "80")
        .args(["report", "--since", JAN, "--until", MAY, "-C"])
        .arg(r.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Trend by month: 4 months, oldest first (▁ lowest … █ highest, · none)"),
        "{text}"
    );
    // Lead time medians 20 h, 10 h, 10 h, 8 h: 20 the highest (█), 8 the lowest (▁), 10 at
    // 2/12 of the way, 1.2 of 7 steps up: ▂.
    assert!(
        text.contains("  lead time median     █▂▂▁ 10h -> 8h, -20%, better\n"),
        "{text}"
    );
    // Pipeline health has no CI runs: no figure in any month.
    assert!(
        text.contains("  zero-touch runs      ···· not measured\n"),
        "{text}"
    );
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line:?} is wider than 80");
    }
}
