//! `valueflow measure` over histories written here, every expected number worked out by hand
//! in the comments next to it.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::command::{close, valueflow};
use crate::repo::{TestRepo, at};

fn run(repo: &Path, args: &[&str]) -> Output {
    valueflow()
        .arg("measure")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .expect("runs")
}

/// The JSON report of a run that must succeed.
fn measure_json(repo: &Path, args: &[&str]) -> Value {
    crate::command::json_of(run(repo, &[args, &["--format", "json"]].concat()))
}

fn refs(report: &Value) -> Vec<String> {
    report["deployments"]["list"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["ref"].as_str().unwrap_or("-").to_string())
        .collect()
}

/// Tags of both kinds, a side branch merged in, a rebased commit, two tags on one commit and a
/// tag on another branch.
///
/// ```text
/// c1 (0h) ── c2 (10h) ── c3 (20h) ── m1 (merge, 24h) ── c4 (author 2h, committed 40h)   main
///              └── s1 (12h) ── s2 (14h) ──┘                └── x1 (45h)                 other
/// v1.0  lightweight on c1          -> deployed 0h (c1's committer date); the first: no samples
/// v1.1  annotated on m1, tagged 30h -> change set c2, s1, s2, c3 (m1 is a merge, excluded)
/// v1.2  lightweight on c4           -> deployed 40h (c4's committer date)
/// v1.2.0-final annotated on c4, 41h -> same commit right after v1.2: counted once
/// v9.9  annotated on x1, 46h        -> not reachable from HEAD: not a deployment
/// ```
fn tagged_history() -> TestRepo {
    let r = TestRepo::new();
    let c1 = r.commit("initial", 0);
    r.lightweight_tag("v1.0", c1);
    let c2 = r.commit("feature a", 10);
    let s1 = r.commit_at("side one", 12, 12, &[c2]);
    let s2 = r.commit_at("side two", 14, 14, &[s1]);
    let c3 = r.commit("feature b", 20);
    let m1 = r.commit_at("Merge branch 'side'", 24, 24, &[c3, s2]);
    r.set_branch("main", m1);
    r.annotated_tag("v1.1", m1, 30);
    let c4 = r.commit_dated("rebased fix", 2, 40);
    r.lightweight_tag("v1.2", c4);
    r.annotated_tag("v1.2.0-final", c4, 41);
    let x1 = r.commit_at("elsewhere", 45, 45, &[c4]);
    r.set_branch("other", x1);
    r.annotated_tag("v9.9", x1, 46);
    r
}

#[test]
fn tags_merges_and_rebases() {
    let r = tagged_history();
    let report = measure_json(r.path(), &["--since", &at(0), "--until", &at(48)]);

    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["deployments"]["source"], "tags");
    assert_eq!(report["deployments"]["count"], 3);
    assert_eq!(refs(&report), ["v1.0", "v1.1", "v1.2"]);
    let list = &report["deployments"]["list"];
    // annotated: the tagger date; lightweight: the committer date of the commit
    assert_eq!(list[1]["time"], at(30));
    assert_eq!(list[2]["time"], at(40));
    // v1.0 ships the whole prior history (1 commit); v1.1 four; v1.2 one
    assert_eq!(list[0]["changes"], 1);
    assert_eq!(list[1]["changes"], 4);
    assert_eq!(list[2]["changes"], 1);

    // samples (author dates): c2 30−10 = 20, s1 30−12 = 18, s2 30−14 = 16, c3 30−20 = 10,
    // c4 40−2 = 38 (the rebase kept its author date) -> sorted 10 16 18 20 38
    let lead = &report["measures"]["lead_time_for_changes"];
    assert_eq!(lead["samples"], 5);
    close(&lead["median_hours"], 18.0);
    // p90: index 0.9 × 4 = 3.6 -> 20 + 0.6 × (38 − 20) = 30.8
    close(&lead["p90_hours"], 30.8);
    close(&lead["mean_hours"], 102.0 / 5.0);
    assert_eq!(lead["dropped"], 0);
    assert_eq!(lead["tier"], "elite");

    // 3 deployments in 2 days: 1.5 a day. Mon 5 Jan 00:00 to Wed 7 Jan holds no whole ISO
    // week, so deploy days per week are null with a reason; 1.5 a day ≥ 1 is elite anyway.
    let freq = &report["measures"]["deployment_frequency"];
    assert_eq!(freq["deployments"], 3);
    close(&freq["per_day"], 1.5);
    close(&freq["per_week"], 10.5);
    assert_eq!(freq["median_deploy_days_per_week"], Value::Null);
    assert!(
        freq["reason"]
            .as_str()
            .unwrap()
            .contains("no whole ISO week")
    );
    assert_eq!(freq["tier"], "elite");

    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains("1 tag matching ^v?[0-9]+\\\\.[0-9]+ is not reachable from HEAD"),
        "{warnings}"
    );
    // No blanket "low confidence" warning for a thin window: each figure has its interval.
    assert!(!warnings.contains("low confidence"), "{warnings}");
    // 5 samples, the fewest with a median interval: ranks 1 and 5 -> [10h, 38h]
    assert_eq!(
        lead["median_interval_hours"],
        serde_json::json!([10.0, 38.0])
    );
}

#[test]
fn committer_time_keeps_the_zero_sample_of_the_rebased_commit() {
    let r = tagged_history();
    let report = measure_json(
        r.path(),
        &[
            "--since",
            &at(0),
            "--until",
            &at(48),
            "--commit-time",
            "committer",
        ],
    );
    // c4 committed 40h, deployed 40h (a lightweight tag): a zero sample, real and kept
    // (measures.md v2 §2); samples 0 10 16 18 20 -> median 16
    let lead = &report["measures"]["lead_time_for_changes"];
    assert_eq!(lead["samples"], 5);
    assert_eq!(lead["dropped"], 0);
    close(&lead["median_hours"], 16.0);
}

/// Every failure signal on one linear history, each deployment an annotated tag.
///
/// ```text
/// D0 v1.0 @1h   a0 (0h)                               first: no samples
/// D1 v1.1 @12h  a1 "add feature X" (10h)              failed: reverted in D2; recovery 22−12 = 10h
/// D2 v1.2 @22h  a2 revert of a1 (20h)                 rework: remediates D1, 22 − 12 = 10h ≤ 72h
/// D3 v1.3 @32h  a3 "feature Y" (30h)                  failed: hotfix 12h later; recovery 44−32 = 12h
/// D4 v1.4 @44h  a4 "hotfix: Y crash" (40h)            rework: remediates D3, 44 − 32 = 12h ≤ 72h
/// D5 v1.5 @52h  a5 "feature Z" (50h)                  not failed: the next hotfix comes 80h later
/// D6 v1.6 @132h a6 "hotfix for Z typo" (130h)         132 − 52 = 80h > 72h: no signal, no rework
/// D7 v1.7 @142h a7 "feature W" (140h)                 failed: rolled back; recovery 150−142 = 8h
/// D8 v1.8 @150h tag on a6 again                       rollback, rework (150 − 142 = 8h), 0 changes
/// D9 v1.9 @170h a8 "feature V" (175h: after its tag)  clock skew: sample −5h dropped
/// ```
fn failing_history() -> TestRepo {
    let r = TestRepo::new();
    let a0 = r.commit("initial", 0);
    r.annotated_tag("v1.0", a0, 1);
    let a1 = r.commit("add feature X", 10);
    r.annotated_tag("v1.1", a1, 12);
    let a2 = r.commit(
        &format!("Revert \"add feature X\"\n\nThis reverts commit {a1}.\n"),
        20,
    );
    r.annotated_tag("v1.2", a2, 22);
    let a3 = r.commit("feature Y", 30);
    r.annotated_tag("v1.3", a3, 32);
    let a4 = r.commit("hotfix: Y crash", 40);
    r.annotated_tag("v1.4", a4, 44);
    let a5 = r.commit("feature Z", 50);
    r.annotated_tag("v1.5", a5, 52);
    let a6 = r.commit("hotfix for Z typo", 130);
    r.annotated_tag("v1.6", a6, 132);
    let a7 = r.commit("feature W", 140);
    r.annotated_tag("v1.7", a7, 142);
    r.annotated_tag("v1.8", a6, 150);
    let a8 = r.commit("feature V", 175);
    r.annotated_tag("v1.9", a8, 170);
    r
}

#[test]
fn revert_hotfix_rollback_and_clock_skew() {
    let r = failing_history();
    let report = measure_json(r.path(), &["--since", &at(0), "--until", &at(200)]);
    assert_eq!(report["deployments"]["count"], 10);
    let list = report["deployments"]["list"].as_array().expect("list");
    let failed: Vec<(&str, Vec<&str>)> = list
        .iter()
        .filter(|d| d["failed"] == true)
        .map(|d| {
            let signals = d["signals"].as_array().expect("signals");
            (
                d["ref"].as_str().expect("ref"),
                signals.iter().map(|s| s.as_str().expect("str")).collect(),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            ("v1.1", vec!["revert"]),
            ("v1.3", vec!["hotfix"]),
            ("v1.7", vec!["rollback"])
        ]
    );
    assert_eq!(list[8]["ref"], "v1.8");
    assert_eq!(list[8]["rollback"], true);
    assert_eq!(list[8]["changes"], 0);
    assert_eq!(
        list[8]["failed"], false,
        "the remediation is not itself failed"
    );

    let cfr = &report["measures"]["change_failure_rate"];
    assert_eq!(cfr["deployments"], 10);
    assert_eq!(cfr["failed"], 3);
    close(&cfr["rate"], 0.3);
    assert_eq!(cfr["tier"], "low");

    // recoveries 10h, 12h, 8h: median 10h, tier high (< 24h)
    let mttr = &report["measures"]["mean_time_to_recovery"];
    assert_eq!(mttr["samples"], 3);
    close(&mttr["mean_hours"], 10.0);
    close(&mttr["median_hours"], 10.0);
    assert_eq!(mttr["unresolved"], 0);
    assert_eq!(mttr["tier"], "high");

    // D2 (the revert of D1), D4 (the hotfix of D3), D8 (the rollback of D7), each within
    // 72h of the failure it remediates; D6 is only a hotfix-named release, no remediation.
    let rework = &report["measures"]["deployment_rework_rate"];
    assert_eq!(rework["rework"], 3);
    close(&rework["rate"], 0.3);

    // samples: D1..D7 two hours each except D4 (44 − 40 = 4); D8 none; D9 −5h dropped
    let lead = &report["measures"]["lead_time_for_changes"];
    assert_eq!(lead["samples"], 7);
    assert_eq!(lead["dropped"], 1);
    close(&lead["median_hours"], 2.0);
    // sorted 2 2 2 2 2 2 4: index 0.9 × 6 = 5.4 -> 2 + 0.4 × 2 = 2.8
    close(&lead["p90_hours"], 2.8);
    close(&lead["mean_hours"], 16.0 / 7.0);

    // 10 deployments over 200h = 8⅓ days: 1.2 a day. The one whole ISO week inside the
    // window is Mon 5 Jan 00:00 to Mon 12 Jan: deploy days 5, 6, 7, 10, 11 Jan = 5. The week
    // of 12 Jan ends after the window (13 Jan 08:00), so it is left out -> median 5.
    let freq = &report["measures"]["deployment_frequency"];
    close(&freq["per_day"], 1.2);
    close(&freq["median_deploy_days_per_week"], 5.0);
    assert_eq!(freq["tier"], "elite");
}

#[test]
fn window_edges_are_half_open() {
    let r = failing_history();
    // [12h, 142h): D1 at exactly 12h is in, D7 at exactly 142h is out
    let report = measure_json(r.path(), &["--since", &at(12), "--until", &at(142)]);
    assert_eq!(
        refs(&report),
        ["v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6"]
    );
    let cfr = &report["measures"]["change_failure_rate"];
    assert_eq!(cfr["failed"], 2);
    close(&cfr["rate"], 2.0 / 6.0);
    close(
        &report["measures"]["mean_time_to_recovery"]["mean_hours"],
        11.0,
    );
    close(&report["window"]["days"], 130.0 / 24.0);
    close(
        &report["measures"]["deployment_frequency"]["per_day"],
        6.0 / (130.0 / 24.0),
    );
    // D1 is in the window and was reverted by D2; the revert before the window still counts
    let report = measure_json(r.path(), &["--since", &at(22), "--until", &at(200)]);
    assert_eq!(report["measures"]["change_failure_rate"]["failed"], 2);
}

#[test]
fn hotfix_window_setting() {
    let r = failing_history();
    // with 90h, the hotfix 80h after D5 now flags it too
    let report = measure_json(
        r.path(),
        &[
            "--since",
            &at(0),
            "--until",
            &at(200),
            "--hotfix-window",
            "90h",
        ],
    );
    assert_eq!(report["measures"]["change_failure_rate"]["failed"], 4);
    let list = &report["deployments"]["list"];
    assert_eq!(list[5]["signals"], serde_json::json!(["hotfix"]));
}

#[test]
fn a_window_without_deployments_measures_zero_and_names_the_last_one() {
    let r = failing_history();
    // [300h, 400h) = Sat 17 Jan 12:00 to Wed 21 Jan 16:00: no deployment; the last before it
    // is v1.9 at 170h, 400 − 170 = 230h = 9 whole days before the window's end.
    let report = measure_json(r.path(), &["--since", &at(300), "--until", &at(400)]);
    assert_eq!(report["deployments"]["count"], 0);
    let m = &report["measures"];
    let freq = &m["deployment_frequency"];
    assert_eq!(freq["deployments"], 0);
    assert_eq!(freq["per_day"], 0.0);
    assert_eq!(freq["per_week"], 0.0);
    assert_eq!(freq["tier"], "low");
    // Monday 19 Jan's week ends after the window: no whole week, so no median.
    assert_eq!(freq["median_deploy_days_per_week"], Value::Null);
    assert_eq!(freq["last_before_window"]["ref"], "v1.9");
    assert_eq!(freq["last_before_window"]["time"], at(170));
    assert_eq!(freq["last_before_window"]["days_before_until"], 9);
    // The other deployment measures have nothing to measure.
    assert_eq!(m["lead_time_for_changes"]["median_hours"], Value::Null);
    assert_eq!(
        m["lead_time_for_changes"]["reason"],
        "no deployments in window"
    );
    assert_eq!(m["change_failure_rate"]["rate"], Value::Null);
    assert_eq!(m["mean_time_to_recovery"]["mean_hours"], Value::Null);
    assert_eq!(m["deployment_rework_rate"]["rate"], Value::Null);
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains(&format!(
            "no deployments between {} and {}; the last one before it was v1.9 on {}, 9 days \
             before the window's end",
            at(300),
            at(400),
            at(170)
        )),
        "{warnings}"
    );
    // [300h, 504h) = Sat 17 Jan 12:00 to Mon 26 Jan 00:00: the week of Mon 19 Jan lies
    // wholly inside, with 0 deploy days -> median 0.
    let report = measure_json(r.path(), &["--since", &at(300), "--until", &at(504)]);
    let freq = &report["measures"]["deployment_frequency"];
    assert_eq!(freq["median_deploy_days_per_week"], 0.0);
    assert_eq!(freq["tier"], "low");
}

/// Reverts far from what they revert (measures.md v2 §4.2, the revert window).
///
/// ```text
/// v1.0 @1h   a0 (0h)                      first: no samples
/// v1.1 @12h  a1 "feature old" (10h)       reverted by v1.4, 802 − 12 = 790h = 32.9 d > 30 d: not failed
/// v1.2 @22h  a2 "feature new" (20h)       reverted by v1.3, 732 − 22 = 710h = 29.6 d ≤ 30 d: failed,
///                                          recovery 710h; not rework (710h > 72h: a planned release)
/// v1.3 @732h a3 revert of a2 (730h)
/// v1.4 @802h a4 revert of a1 (800h)
/// ```
#[test]
fn a_revert_counts_only_within_the_revert_window() {
    let r = TestRepo::new();
    let a0 = r.commit("initial", 0);
    r.annotated_tag("v1.0", a0, 1);
    let a1 = r.commit("feature old", 10);
    r.annotated_tag("v1.1", a1, 12);
    let a2 = r.commit("feature new", 20);
    r.annotated_tag("v1.2", a2, 22);
    let a3 = r.commit(
        &format!("Revert \"feature new\"\n\nThis reverts commit {a2}.\n"),
        730,
    );
    r.annotated_tag("v1.3", a3, 732);
    let a4 = r.commit(
        &format!("Revert \"feature old\"\n\nThis reverts commit {a1}.\n"),
        800,
    );
    r.annotated_tag("v1.4", a4, 802);
    let report = measure_json(r.path(), &["--since", &at(0), "--until", &at(900)]);
    let failed: Vec<&Value> = report["deployments"]["list"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["failed"] == true)
        .map(|d| &d["ref"])
        .collect();
    assert_eq!(failed, ["v1.2"]);
    let m = &report["measures"];
    // 1 of 5
    close(&m["change_failure_rate"]["rate"], 0.2);
    close(&m["mean_time_to_recovery"]["median_hours"], 710.0);
    // 710h ≥ 1 week: low
    assert_eq!(m["mean_time_to_recovery"]["tier"], "low");
    assert_eq!(m["deployment_rework_rate"]["rework"], 0);

    // --revert-window 40d takes v1.1 in too (790h = 32.9 d ≤ 40 d): 2 of 5 failed.
    let report = measure_json(
        r.path(),
        &[
            "--since",
            &at(0),
            "--until",
            &at(900),
            "--revert-window",
            "40d",
        ],
    );
    close(&report["measures"]["change_failure_rate"]["rate"], 0.4);
    // recoveries 710h and 790h: median 750h
    close(
        &report["measures"]["mean_time_to_recovery"]["median_hours"],
        750.0,
    );
}

#[test]
fn a_short_revert_window_and_rework_follow_each_other() {
    let r = failing_history();
    // --revert-window 5h: D2 ships the revert 10h after D1, outside it: D1 is no longer failed
    // and D2 no longer rework. Failed: D3 (hotfix), D7 (rollback) = 2 of 10; rework D4, D8.
    let report = measure_json(
        r.path(),
        &[
            "--since",
            &at(0),
            "--until",
            &at(200),
            "--revert-window",
            "5h",
        ],
    );
    let m = &report["measures"];
    assert_eq!(m["change_failure_rate"]["failed"], 2);
    assert_eq!(m["deployment_rework_rate"]["rework"], 2);
    // recoveries 12h and 8h: median 10h
    close(&m["mean_time_to_recovery"]["median_hours"], 10.0);
}

/// No tags: every first-parent commit is a deployment at its committer date.
///
/// ```text
/// m0 (0h) ── m1 (author 1h, committed 3h) ── M (merge, 8h) ── m2 (9h)
///                 └── s1 (5h) ───────────────┘
/// ```
/// m0 first (no samples); m1: 3 − 1 = 2h; M ships s1: 8 − 5 = 3h; m2: 9 − 9 = 0, a real
/// sample (made on the main line, its own deployment) -> 0 2 3, median 2.
#[test]
fn merges_fallback() {
    let r = TestRepo::new();
    let m0 = r.commit("initial", 0);
    let m1 = r.commit_dated("one", 1, 3);
    let s1 = r.commit_at("side", 5, 5, &[m1]);
    let merge = r.commit_at("Merge side", 8, 8, &[m1, s1]);
    r.set_branch("main", merge);
    r.commit("two", 9);
    let _ = m0;
    let report = measure_json(r.path(), &["--since", &at(0), "--until", &at(24)]);
    assert_eq!(report["deployments"]["source"], "merges");
    assert_eq!(report["deployments"]["count"], 4);
    let lead = &report["measures"]["lead_time_for_changes"];
    assert_eq!(lead["samples"], 3);
    close(&lead["median_hours"], 2.0);
    assert_eq!(lead["dropped"], 0);
    assert!(
        report["warnings"]
            .to_string()
            .contains("lead time measures commit to merge, not commit to production")
    );
}

#[test]
fn tag_pattern_from_the_project_file_and_flag() {
    let r = failing_history();
    std::fs::write(
        r.path().join("valueflow.toml"),
        "standard = \"continuous-value-flow\"\n[measure]\ntag_pattern = '^v1\\.[0-4]$'\n",
    )
    .expect("write");
    let report = measure_json(r.path(), &["--since", &at(0), "--until", &at(200)]);
    assert_eq!(refs(&report), ["v1.0", "v1.1", "v1.2", "v1.3", "v1.4"]);
    let report = measure_json(
        r.path(),
        &[
            "--since",
            &at(0),
            "--until",
            &at(200),
            "--tag-pattern",
            "^v1\\.[0-1]$",
        ],
    );
    assert_eq!(refs(&report), ["v1.0", "v1.1"]);
}

#[test]
fn human_formats() {
    let r = failing_history();
    let out = run(
        r.path(),
        &["--since", &at(0), "--until", &at(200), "--format", "table"],
    );
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).expect("utf-8");
    assert!(table.contains("Change failure rate"), "{table}");
    assert!(table.contains("30.0%"), "{table}");
    assert!(table.contains("1.2/day"), "{table}");
    // Each failure names what flagged it: v1.2's one commit reverted v1.1's, v1.4 shipped the
    // hotfix of v1.3, v1.8 rolled v1.7 back.
    let list = measure_json(r.path(), &["--since", &at(0), "--until", &at(200)]);
    let v12 = list["deployments"]["list"][2]["commit"]
        .as_str()
        .expect("sha");
    assert!(
        table.contains(&format!("failed: revert {} in v1.2", &v12[..10])),
        "{table}"
    );
    assert!(table.contains("failed: rollback v1.8"), "{table}");
    assert_eq!(
        list["deployments"]["list"][7]["flagged_by"],
        serde_json::json!(["rollback v1.8"])
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let md = dir.path().join("measures.md");
    let out = run(r.path(), &["--since", &at(0), "--until", &at(200), "-o"])
        .status
        .code();
    assert_eq!(out, Some(2), "-o needs a value");
    let status = valueflow()
        .args(["measure", "-C"])
        .arg(r.path())
        .args(["--since", &at(0), "--until", &at(200), "-o"])
        .arg(&md)
        .output()
        .expect("runs");
    assert!(status.status.success());
    let text = std::fs::read_to_string(&md).expect("written");
    assert!(
        // 3 of 10: Wilson 1 + z²/10 = 1.2705543, centre (0.3 + 0.1352772) / 1.2705543
        // = 0.3425884, half = z / 1.2705543 × √(0.021 + z²/400) = 0.2157118
        // -> [12.7 %, 55.8 %]
        text.contains(
            "| Change failure rate | 30.0% | low | 3 of 10 deployments; 90% interval \
             12.7%–55.8% | < 5% | ✗ |"
        ),
        "{text}"
    );
    assert!(
        text.contains("| Time to recovery | median 10h · mean 10h | high |"),
        "{text}"
    );
}

fn fails_with(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_input_is_a_one_line_error() {
    let plain = tempfile::tempdir().expect("tempdir");
    fails_with(&run(plain.path(), &[]), "is not in a git repository");
    fails_with(&run(&plain.path().join("nope"), &[]), "no such directory");

    let r = failing_history();
    fails_with(
        &run(r.path(), &["--tag-pattern", "(v"]),
        "--tag-pattern \"(v\" is not a valid regular expression",
    );
    fails_with(
        &run(r.path(), &["--since", "yesterday"]),
        "--since \"yesterday\" is not a date",
    );
    fails_with(
        &run(
            r.path(),
            &["--since", "2026-02-01", "--until", "2026-01-01"],
        ),
        "is not before --until",
    );
    std::fs::write(
        r.path().join("valueflow.toml"),
        "[measure]\ntag_pattern = \n",
    )
    .expect("write");
    fails_with(&run(r.path(), &[]), "valueflow.toml:2:");

    // no partial output file is left behind
    std::fs::remove_file(r.path().join("valueflow.toml")).expect("remove");
    let out_file = plain.path().join("report.json");
    let out = valueflow()
        .args(["measure", "--hotfix-pattern", "[", "-C"])
        .arg(r.path())
        .arg("-o")
        .arg(&out_file)
        .output()
        .expect("runs");
    fails_with(&out, "--hotfix-pattern");
    assert!(!out_file.exists());
}

#[test]
fn unborn_head_is_an_error_and_an_empty_repository_a_warning() {
    let r = TestRepo::new();
    let report = measure_json(r.path(), &[]);
    assert_eq!(report["repository"]["head"], Value::Null);
    assert_eq!(report["deployments"]["count"], 0);
    assert!(report["warnings"].to_string().contains("no commits yet"));

    let c = r.commit_at("on another branch", 0, 0, &[]);
    r.set_branch("other", c);
    fails_with(
        &run(r.path(), &[]),
        "HEAD points to branch \"main\", which has no commits",
    );
}

#[test]
fn shallow_clone_is_reported() {
    let r = failing_history();
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", r.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "2", "--no-tags", &url])
        .arg(clone.path().join("c"))
        .status();
    let Ok(status) = status else {
        eprintln!("note: git is not installed; shallow clone test skipped");
        return;
    };
    assert!(status.success());
    let report = measure_json(
        &clone.path().join("c"),
        &["--since", &at(0), "--until", &at(200)],
    );
    assert_eq!(report["repository"]["shallow"], true);
    assert!(report["warnings"].to_string().contains("shallow clone"));
}

/// A tag on an ancestor never deployed before is a maintenance release of an older line (git's
/// v2.39.3 tagged after v2.40.1): a deployment with nothing new in it, not a rollback.
///
/// ```text
/// b0 (0h) ── b1 (10h) ── b2 (20h)
/// v1.0 on b0 @1h, v2.0 on b2 @22h, v1.1 on b1 @23h
/// ```
#[test]
fn maintenance_release_is_not_a_rollback() {
    let r = TestRepo::new();
    let b0 = r.commit("initial", 0);
    let b1 = r.commit("one", 10);
    let b2 = r.commit("two", 20);
    r.annotated_tag("v1.0", b0, 1);
    r.annotated_tag("v2.0", b2, 22);
    r.annotated_tag("v1.1", b1, 23);
    let report = measure_json(r.path(), &["--since", &at(0), "--until", &at(24)]);
    assert_eq!(refs(&report), ["v1.0", "v2.0", "v1.1"]);
    let list = &report["deployments"]["list"];
    assert_eq!(list[2]["rollback"], false);
    assert_eq!(list[2]["changes"], 0);
    assert_eq!(list[1]["failed"], false);
    // v2.0 ships b1 (22 − 10 = 12h) and b2 (22 − 20 = 2h)
    close(
        &report["measures"]["lead_time_for_changes"]["median_hours"],
        7.0,
    );
    assert_eq!(report["measures"]["change_failure_rate"]["failed"], 0);
}

/// The table and markdown views, as a reviewer reads them.
#[test]
fn table_and_markdown_snapshots() {
    let r = failing_history();
    let path = r.path().display().to_string();
    for (format, name) in [("table", "measure_table"), ("markdown", "measure_markdown")] {
        let out = run(
            r.path(),
            &["--since", &at(0), "--until", &at(200), "--format", format],
        );
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout)
            .expect("utf-8")
            .replace(&path, "[repo]");
        insta::assert_snapshot!(name, text);
    }
}

/// A window that starts mid-history: the last deployment before it bounds the first change
/// set in it, a side branch older than that boundary still counts when it is merged in the
/// window, and a return to the boundary's commit is a rollback.
#[test]
fn a_window_in_the_middle_of_history() {
    let repo = TestRepo::new();
    let c1 = repo.commit("one", 0);
    repo.annotated_tag("v1.0", c1, 0);
    let s1 = repo.commit_at("side work", 1, 1, &[c1]);
    let c2 = repo.commit("two", 2);
    repo.annotated_tag("v2.0", c2, 2);
    let c3 = repo.commit("three", 30);
    let m = repo.commit_at("Merge side", 31, 31, &[c3, s1]);
    repo.set_branch("main", m);
    repo.annotated_tag("v3.0", m, 32);
    repo.annotated_tag("v4.0", c2, 40);
    let report = measure_json(repo.path(), &["--since", &at(24), "--until", &at(48)]);
    assert_eq!(refs(&report), ["v3.0", "v4.0"]);
    // v3.0 ships c3 (h30) and s1 (h1), not the merge and nothing v2.0 had: samples 2 h and 31 h.
    let list = &report["deployments"]["list"];
    assert_eq!(list[0]["changes"], 2);
    let lt = &report["measures"]["lead_time_for_changes"];
    assert_eq!(lt["samples"], 2);
    close(&lt["median_hours"], 16.5);
    // v4.0 goes back to v2.0's commit: a rollback, and v3.0 failed, recovered 8 h later.
    assert_eq!(list[1]["rollback"], true);
    assert_eq!(list[0]["signals"], serde_json::json!(["rollback"]));
    close(
        &report["measures"]["mean_time_to_recovery"]["mean_hours"],
        8.0,
    );
}

/// COLUMNS=80: the table views fit 80 columns, tables and prose alike.
#[test]
fn table_views_fit_the_columns_given() {
    let repo = tagged_history();
    let assessment =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/assessment.toml");
    for args in [
        vec!["measure", "--since", "2026-01-01", "--until", "2026-03-01"],
        vec![
            "report",
            "--since",
            "2026-01-01",
            "--until",
            "2026-03-01",
            "--assessment",
            assessment.to_str().unwrap(),
        ],
    ] {
        let out = valueflow()
            .env("COLUMNS", "80")
            .args(&args)
            .arg("-C")
            .arg(repo.path())
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let narrow = String::from_utf8(out.stdout).unwrap();
        let widest = narrow.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(
            widest <= 80,
            "{args:?}: a line of {widest} columns\n{narrow}"
        );
        // Unlimited, the same views run wider: the width was honoured, not lucky.
        let wide = valueflow()
            .args(&args)
            .arg("-C")
            .arg(repo.path())
            .output()
            .expect("runs");
        let wide = String::from_utf8(wide.stdout).unwrap();
        assert!(wide.lines().any(|l| l.chars().count() > 80), "{args:?}");
        // No word is split: every word of the narrow view is a word of the wide one (a split
        // word would leave fragments such as "deployme" that the wide view never prints).
        let words = |text: &str| -> std::collections::HashSet<String> {
            text.split(|c: char| c.is_whitespace() || "│┆║═─┼┬┴┌┐└┘╞╡╪├┤".contains(c))
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let known = words(&wide);
        let split: Vec<String> = words(&narrow).difference(&known).cloned().collect();
        assert!(
            split.is_empty(),
            "{args:?}: split words {split:?}\n{narrow}"
        );
    }
}
