//! Several repositories in one report: `measure -C a -C b -C c`, `report --repos`, and
//! `aggregate` over saved reports. Three histories written here, every figure worked out by
//! hand; the roll-up's medians are over the union of the samples, which differs from the
//! median of the repositories' medians.

use std::path::Path;

use git2::Oid;
use serde_json::Value;

use crate::command::{close, json_of, valueflow};
use crate::repo::{TestRepo, at};

/// A release before the window, so that every change set in it follows a known deployment.
fn baseline(r: &TestRepo) {
    let oid = r.commit("initial", -20);
    r.annotated_tag("v0.9", oid, -10);
}

fn release(r: &TestRepo, name: &str, commits: &[(&str, i64)], tagged: i64) -> Oid {
    let mut last = None;
    for (message, hours) in commits {
        last = Some(r.commit(message, *hours));
    }
    let oid = last.expect("a commit");
    r.annotated_tag(name, oid, tagged);
    oid
}

/// api: v1 ships commits of h10 and h12 at h20 (10 h, 8 h), v2 one of h100 at h101 (1 h).
/// Lead time median 8 h; 2 deployments, none failed.
fn api() -> TestRepo {
    let r = TestRepo::new();
    baseline(&r);
    release(&r, "v1.0", &[("a1", 10), ("a2", 12)], 20);
    release(&r, "v2.0", &[("a3", 100)], 101);
    r
}

/// web: v1 ships h50 at h150 (100 h); v2 ships "feature" of h200 at h210 (10 h); v3 ships its
/// revert, of h230, at h240 (10 h). v2 failed (reverted), recovered when v3 shipped: 30 h;
/// v3 is rework (it remediates v2 within the 72 h hotfix window). Median 10 h; 1 of 3 failed.
fn web() -> TestRepo {
    let r = TestRepo::new();
    baseline(&r);
    release(&r, "v1.0", &[("b1", 50)], 150);
    let feature = release(&r, "v2.0", &[("feature", 200)], 210);
    release(
        &r,
        "v3.0",
        &[(
            &format!("Revert \"feature\"\n\nThis reverts commit {feature}.\n"),
            230,
        )],
        240,
    );
    r
}

/// billing: v1 ships h300, h310, h320, h330 at h400 (100, 90, 80, 70 h). Median 85 h.
fn billing() -> TestRepo {
    let r = TestRepo::new();
    baseline(&r);
    release(
        &r,
        "v1.0",
        &[("c1", 300), ("c2", 310), ("c3", 320), ("c4", 330)],
        400,
    );
    r
}

/// The window of every run here: 28 days from Monday 2026-01-05, four whole ISO weeks.
fn window() -> [String; 4] {
    ["--since".to_string(), at(0), "--until".to_string(), at(672)]
}

fn measure_json(repos: &[&Path], extra: &[&str]) -> Value {
    let mut cmd = valueflow();
    cmd.arg("measure");
    for r in repos {
        cmd.arg("-C").arg(r);
    }
    json_of(
        cmd.args(window())
            .args(extra)
            .args(["--format", "json"])
            .output()
            .expect("runs"),
    )
}

fn check_rollup(rollup: &Value) {
    let m = &rollup["measures"];
    // The union of the samples, sorted: 1, 8, 10, 10, 10, 70, 80, 90, 100, 100 (api 10, 8, 1;
    // web 100, 10, 10; billing 100, 90, 80, 70): the median of 10 is (10 + 70) / 2 = 40 h.
    // The median of the three medians (8, 10, 85) would be 10 h.
    assert_eq!(m["lead_time_for_changes"]["samples"], 10);
    close(&m["lead_time_for_changes"]["median_hours"], 40.0);
    // Mean: 479 / 10.
    close(&m["lead_time_for_changes"]["mean_hours"], 47.9);
    // 6 deployments (2 + 3 + 1), 1 failed (web's v2): 1/6.
    assert_eq!(m["change_failure_rate"]["deployments"], 6);
    assert_eq!(m["change_failure_rate"]["failed"], 1);
    close(&m["change_failure_rate"]["rate"], 1.0 / 6.0);
    // One recovery, web's v2 to v3: 240 − 210 = 30 h.
    assert_eq!(m["mean_time_to_recovery"]["samples"], 1);
    close(&m["mean_time_to_recovery"]["median_hours"], 30.0);
    // web's v3 is the one rework: 1/6.
    assert_eq!(m["deployment_rework_rate"]["rework"], 1);
    // 6 in 28 days. Deploy days: week 1 Jan 5 (api v1, h20), Jan 9 (api v2, h101), Jan 11
    // (web v1, h150) = 3; week 2 Jan 13 (h210), Jan 15 (h240) = 2; week 3 Jan 21 (billing,
    // h400) = 1; week 4 none = 0. Median of 3, 2, 1, 0 = 1.5.
    close(&m["deployment_frequency"]["per_day"], 6.0 / 28.0);
    close(
        &m["deployment_frequency"]["median_deploy_days_per_week"],
        1.5,
    );
    // No CI runs anywhere: pipeline health is not measured.
    assert_eq!(m["pipeline_health"]["rate"], Value::Null);

    // Rows by the gap to target. web meets lead time (10 h) and misses failure rate
    // (1/3), frequency and recovery (mean 30 h): 3. billing misses lead time (85 h) and
    // frequency: 2. api misses frequency only: 1.
    let rows = rollup["repositories"].as_array().expect("rows");
    let missed: Vec<usize> = rows
        .iter()
        .map(|r| r["missed"].as_array().expect("missed").len())
        .collect();
    assert_eq!(missed, [3, 2, 1]);
    close(
        &rows[0]["measures"]["lead_time_for_changes"]["median_hours"],
        10.0,
    );
    close(
        &rows[1]["measures"]["lead_time_for_changes"]["median_hours"],
        85.0,
    );
    close(
        &rows[2]["measures"]["lead_time_for_changes"]["median_hours"],
        8.0,
    );
    assert_eq!(
        rows[1]["missed"],
        serde_json::json!(["lead_time_for_changes", "deployment_frequency"])
    );
}

#[test]
fn a_rollup_takes_medians_over_the_union_of_samples() {
    let (a, w, b) = (api(), web(), billing());
    let rollup = measure_json(&[a.path(), w.path(), b.path()], &[]);
    check_rollup(&rollup);
    assert_eq!(rollup["schema_version"], 2);
    assert_eq!(rollup["window"]["since"], at(0));
}

/// A CI matrix saves one report per repository; `aggregate` gives the same roll-up.
#[test]
fn aggregate_of_saved_reports_equals_the_rollup_in_one_run() {
    let (a, w, b) = (api(), web(), billing());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, r) in [("api", &a), ("web", &w), ("billing", &b)] {
        let report = measure_json(&[r.path()], &[]);
        // What a roll-up reads: every deployment's samples, in whole seconds.
        if name == "api" {
            let list = report["deployments"]["list"].as_array().expect("list");
            let mut v1: Vec<i64> = list[0]["lead_time_seconds"]
                .as_array()
                .expect("samples")
                .iter()
                .map(|s| s.as_i64().expect("seconds"))
                .collect();
            v1.sort_unstable();
            assert_eq!(v1, [8 * 3600, 10 * 3600]);
            assert_eq!(list[0]["rework"], false);
            assert!(
                list[0].get("recovery_seconds").is_none(),
                "v1.0 did not fail"
            );
        }
        if name == "web" {
            let v2 = &report["deployments"]["list"][1];
            assert_eq!(v2["failed"], true);
            assert_eq!(v2["recovery_seconds"], 30 * 3600);
        }
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, report.to_string()).expect("write");
        files.push(path);
    }
    let out = valueflow()
        .arg("aggregate")
        .args(&files)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let aggregated = json_of(out);
    check_rollup(&aggregated);
    let in_run = measure_json(&[a.path(), w.path(), b.path()], &[]);
    assert_eq!(aggregated["measures"], in_run["measures"]);
    assert_eq!(aggregated["repositories"], in_run["repositories"]);

    // The same report twice (a re-run job uploaded it again) counts once, with a warning.
    let out = valueflow()
        .arg("aggregate")
        .args(&files)
        .arg(&files[0])
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let twice = json_of(out);
    assert_eq!(twice["measures"], in_run["measures"]);
    assert!(
        twice["warnings"][0]
            .as_str()
            .is_some_and(|w| w.ends_with("is given twice: counted once")),
        "{}",
        twice["warnings"]
    );
}

#[test]
fn report_repos_takes_a_list_or_a_glob_and_draws_a_table() {
    let root = tempfile::tempdir().expect("tempdir");
    let (a, w, b) = (api(), web(), billing());
    // The three repositories side by side under one directory, as an organisation's
    // checkouts are.
    for (name, r) in [("api", &a), ("web", &w), ("billing", &b)] {
        let to = root.path().join("services").join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::rename(r.path(), &to).expect("move");
        std::fs::create_dir_all(r.path()).unwrap();
    }
    let list = root.path().join("repos.txt");
    std::fs::write(
        &list,
        "# our services\nservices/api\nservices/web\n\nservices/billing\n",
    )
    .expect("write");
    let glob = format!("{}/services/*", root.path().display());
    for repos in [list.display().to_string(), glob] {
        let out = valueflow()
            .env("COLUMNS", "80")
            .args(["report", "--repos", &repos])
            .args(window())
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains("roll-up of 3 repositories"), "{text}");
        assert!(
            text.contains(
                "Outcome statement across the repositories: not met (4 of 5 targets missed)"
            ),
            "{text}"
        );
        // Lead time median 40 h (missed), frequency, failure rate and recovery missed;
        // pipeline health unknown without CI runs.
        assert!(text.contains("median 1d 16h"), "{text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{line:?} is wider than 80");
        }
        // web first (3 missed), then billing (2), then api (1).
        let web = text.find("/services/web").expect("web row");
        let billing = text.find("/services/billing").expect("billing row");
        let api = text.find("/services/api").expect("api row");
        assert!(web < billing && billing < api, "{text}");
    }
    // --fail-on-gap gates on the roll-up's outcome.
    let out = valueflow()
        .args([
            "report",
            "--fail-on-gap",
            "--repos",
            &list.display().to_string(),
        ])
        .args(window())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bad_inputs_to_a_rollup_are_one_line_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = api();
    let missing = dir.path().join("gone");
    let out = valueflow()
        .arg("measure")
        .arg("-C")
        .arg(a.path())
        .arg("-C")
        .arg(&missing)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: ") && err.contains("gone"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"schema_version\": 2,\n \"tool\": {\"name\": \"valueflow\"},",
    )
    .unwrap();
    let out = valueflow()
        .arg("aggregate")
        .arg(&broken)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!("error: {}:2:", broken.display())),
        "{err}"
    );

    // A version 1 report has no samples to roll up.
    let report = measure_json(&[a.path()], &[]);
    let mut old = report.clone();
    old["schema_version"] = 1.into();
    let old_file = dir.path().join("old.json");
    std::fs::write(&old_file, old.to_string()).unwrap();
    let out = valueflow()
        .arg("aggregate")
        .arg(&old_file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("schema_version 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Another tool's JSON.
    let other = dir.path().join("other.json");
    std::fs::write(
        &other,
        "{\"tool\": {\"name\": \"fourkeys\"}, \"schema_version\": 2}",
    )
    .unwrap();
    let out = valueflow()
        .arg("aggregate")
        .arg(&other)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valueflow report"));
}

/// The roll-up as one page: the union's figures with their charts, a row per repository.
#[test]
fn a_rollup_page_in_html() {
    let (a, w, b) = (api(), web(), billing());
    let out = valueflow()
        .args(["measure", "-C"])
        .arg(a.path())
        .arg("-C")
        .arg(w.path())
        .arg("-C")
        .arg(b.path())
        .args(window())
        .args(["--format", "html"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).expect("utf-8");
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("<h1>Delivery across 3 repositories</h1>"),
        "{html}"
    );
    // The targets chart and the histogram of the union's 10 samples; no timeline (the
    // roll-up lists no deployments of its own).
    assert!(html.contains("id=\"targets\""));
    assert!(html.contains("id=\"lead-time\""));
    assert!(!html.contains("id=\"timeline\""));
    for path in [a.path(), w.path(), b.path()] {
        assert!(
            html.contains(&format!("<code>{}</code>", path.display())),
            "{html}"
        );
    }
}
