//! Monorepo scoping (issue 14): `--path` keeps the commits that touch a service's paths, and
//! `[[service]]` measures several services side by side. One history, two services, every
//! figure worked out by hand next to its assertion.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::command::{close, json_of, valueflow};
use crate::repo::{TestRepo, at};

/// Two services, `api/` and `web/`, tagged `api-v*` and `web-v*` (annotated, so each tag has
/// its own time). Hours after T0 (Monday 2026-01-05 00:00Z):
///
/// ```text
/// commit  hour  touches                 deployed by (tag hour)
/// c0       0    api/main.rs web/app.js  api-v1.0 (1), web-v1.0 (1)
/// c1      10    api/                    api-v1.1 (24)
/// c2      20    web/                    api-v1.1 (24), web-v1.1 (26)
/// c3      30    api/ and web/           api-v1.2 (48), web-v1.2 (50)
/// c4      40    web/                    api-v1.2 (48), web-v1.2 (50)
/// c5      60    api/  "api: cache"      api-v1.3 (62), web-v1.3 (84)
/// c6      70    api/  reverts c5        api-v1.4 (72), web-v1.3 (84)
/// c7      80    README.md (neither)     web-v1.3 (84)
/// c8      88    web/docs/guide.md       web-v1.4 (96)
/// ```
fn monorepo() -> TestRepo {
    let repo = TestRepo::new();
    let c0 = repo.commit_files("init", 0, &["api/main.rs", "web/app.js"]);
    repo.annotated_tag("api-v1.0", c0, 1);
    repo.annotated_tag("web-v1.0", c0, 1);
    repo.commit_files("api: add endpoint", 10, &["api/main.rs"]);
    let c2 = repo.commit_files("web: new page", 20, &["web/page.js"]);
    repo.annotated_tag("api-v1.1", c2, 24);
    repo.annotated_tag("web-v1.1", c2, 26);
    repo.commit_files(
        "bump the shared client",
        30,
        &["api/client.rs", "web/client.js"],
    );
    let c4 = repo.commit_files("web: style", 40, &["web/app.css"]);
    repo.annotated_tag("api-v1.2", c4, 48);
    repo.annotated_tag("web-v1.2", c4, 50);
    let c5 = repo.commit_files("api: cache", 60, &["api/cache.rs"]);
    repo.annotated_tag("api-v1.3", c5, 62);
    let revert = format!("Revert \"api: cache\"\n\nThis reverts commit {c5}.\n");
    let c6 = repo.commit_files(&revert, 70, &["api/cache.rs"]);
    repo.annotated_tag("api-v1.4", c6, 72);
    let c7 = repo.commit_files("docs: readme", 80, &["README.md"]);
    repo.annotated_tag("web-v1.3", c7, 84);
    let c8 = repo.commit_files("web: guide typo", 88, &["web/docs/guide.md"]);
    repo.annotated_tag("web-v1.4", c8, 96);
    repo
}

/// The window: the week from T0, [0h, 168h): one whole ISO week, every tag inside.
fn window() -> [String; 4] {
    ["--since".into(), at(0), "--until".into(), at(168)]
}

fn measure(repo: &Path, args: &[&str]) -> Output {
    valueflow()
        .arg("measure")
        .arg("-C")
        .arg(repo)
        .args(window())
        .args(args)
        .output()
        .expect("runs")
}

fn measure_json(repo: &Path, args: &[&str]) -> Value {
    json_of(measure(repo, &[args, &["--format", "json"]].concat()))
}

fn changes(report: &Value) -> Vec<(String, u64, bool)> {
    report["deployments"]["list"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| {
            (
                d["ref"].as_str().expect("tag").to_string(),
                d["changes"].as_u64().expect("count"),
                d["unchanged"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

fn owned(list: &[(&str, u64, bool)]) -> Vec<(String, u64, bool)> {
    list.iter()
        .map(|(r, n, u)| (r.to_string(), *n, *u))
        .collect()
}

#[test]
fn api_figures_are_the_api_commits_own() {
    let repo = monorepo();
    let r = measure_json(repo.path(), &["--tag-pattern", "^api-v", "--path", "api"]);
    assert_eq!(r["deployments"]["paths"], serde_json::json!(["api"]));
    // api-v1.0: c0 (the first deployment: its history, 1 commit, touching api).
    // api-v1.1: c1 (c2 is web's). api-v1.2: c3 (c4 is web's). api-v1.3: c5. api-v1.4: c6.
    assert_eq!(
        changes(&r),
        owned(&[
            ("api-v1.0", 1, false),
            ("api-v1.1", 1, false),
            ("api-v1.2", 1, false),
            ("api-v1.3", 1, false),
            ("api-v1.4", 1, false),
        ])
    );
    assert_eq!(r["deployments"]["unchanged"], 0);
    let m = &r["measures"];
    // Samples: c1 24 − 10 = 14 h; c3 48 − 30 = 18 h; c5 62 − 60 = 2 h; c6 72 − 70 = 2 h.
    // Sorted 2, 2, 14, 18: median (2 + 14) / 2 = 8 h; mean 36 / 4 = 9 h;
    // p90 at rank 0.9 × 3 = 2.7: 14 + 0.7 × (18 − 14) = 16.8 h.
    let lt = &m["lead_time_for_changes"];
    assert_eq!(lt["samples"], 4);
    close(&lt["median_hours"], 8.0);
    close(&lt["mean_hours"], 9.0);
    close(&lt["p90_hours"], 16.8);
    // Five deployments in 7 days: 5 / 7 a day. Days with one: Mon (1 h), Tue (24 h), Wed (48 h,
    // 62 h), Thu (72 h) = 4 in the one whole week: tier high.
    let df = &m["deployment_frequency"];
    assert_eq!(df["deployments"], 5);
    close(&df["per_day"], 5.0 / 7.0);
    close(&df["median_deploy_days_per_week"], 4.0);
    assert_eq!(df["tier"], "high");
    // c6 reverts c5, which api-v1.3 shipped; api-v1.4 ships c6 72 − 62 = 10 h later (within
    // 30 days): api-v1.3 failed. 1 of 5 = 0.2.
    let cfr = &m["change_failure_rate"];
    assert_eq!(cfr["failed"], 1);
    close(&cfr["rate"], 0.2);
    let failed: Vec<&Value> = r["deployments"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["failed"] == true)
        .map(|d| &d["ref"])
        .collect();
    assert_eq!(failed, ["api-v1.3"]);
    // Recovered by api-v1.4: 10 h. Within 72 h, so api-v1.4 is rework: 1 of 5.
    close(&m["mean_time_to_recovery"]["median_hours"], 10.0);
    close(&m["deployment_rework_rate"]["rate"], 0.2);
}

#[test]
fn without_paths_the_other_service_commits_count_too() {
    let repo = monorepo();
    let r = measure_json(repo.path(), &["--tag-pattern", "^api-v"]);
    // The same tags, whole-repository change sets: c1 and c2 in api-v1.1 (14 h, 4 h), c3 and
    // c4 in api-v1.2 (18 h, 8 h), c5 (2 h), c6 (2 h): six samples, median (4 + 8) / 2 = 6 h.
    let lt = &r["measures"]["lead_time_for_changes"];
    assert_eq!(lt["samples"], 6);
    close(&lt["median_hours"], 6.0);
    // No scope, no new keys: the whole-repository report is as it was.
    assert!(r["deployments"].get("paths").is_none());
    assert!(r["deployments"].get("unchanged").is_none());
    assert!(r["deployments"]["list"][0].get("unchanged").is_none());
}

#[test]
fn web_figures_count_a_deployment_that_changed_nothing_there() {
    let repo = monorepo();
    let r = measure_json(repo.path(), &["--tag-pattern", "^web-v", "--path", "web/"]);
    // web-v1.0: c0. web-v1.1: c1 (api), c2 → c2. web-v1.2: c3, c4 → both. web-v1.3: c5, c6
    // (api), c7 (README) → none: unchanged. web-v1.4: c8 (web/docs).
    assert_eq!(
        changes(&r),
        owned(&[
            ("web-v1.0", 1, false),
            ("web-v1.1", 1, false),
            ("web-v1.2", 2, false),
            ("web-v1.3", 0, true),
            ("web-v1.4", 1, false),
        ])
    );
    assert_eq!(r["deployments"]["unchanged"], 1);
    let m = &r["measures"];
    // Samples: c2 26 − 20 = 6 h; c3 50 − 30 = 20 h, c4 50 − 40 = 10 h; c8 96 − 88 = 8 h.
    // Sorted 6, 8, 10, 20: median (8 + 10) / 2 = 9 h; mean 44 / 4 = 11 h.
    let lt = &m["lead_time_for_changes"];
    assert_eq!(lt["samples"], 4);
    close(&lt["median_hours"], 9.0);
    close(&lt["mean_hours"], 11.0);
    // The unchanged web-v1.3 still deployed: 5 deployments, on Mon, Tue, Wed, Thu (84 h) and
    // Fri (96 h): 5 days in the whole week, tier elite.
    let df = &m["deployment_frequency"];
    assert_eq!(df["deployments"], 5);
    close(&df["median_deploy_days_per_week"], 5.0);
    assert_eq!(df["tier"], "elite");
    // The revert c6 is api's: web-v1.3 ships it, but it does not touch web/, so no web
    // deployment failed. 0 of 5.
    assert_eq!(m["change_failure_rate"]["failed"], 0);
    close(&m["change_failure_rate"]["rate"], 0.0);

    // The views say it: the paths, the unchanged count, and the deployment's status.
    let out = measure(
        repo.path(),
        &[
            "--tag-pattern",
            "^web-v",
            "--path",
            "web/",
            "--format",
            "table",
        ],
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "Paths: web/ · 1 of 5 deployments shipped nothing that touches them (unchanged: \
             counted as deployments, no lead-time samples)"
        ),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.contains("web-v1.3"))
        .expect("web-v1.3 listed");
    assert!(line.trim_end().ends_with("0  unchanged"), "{line}");
}

#[test]
fn an_exclude_leaves_out_its_paths() {
    let repo = monorepo();
    let r = measure_json(
        repo.path(),
        &[
            "--tag-pattern",
            "^web-v",
            "--path",
            "web",
            "--path",
            ":!web/docs",
        ],
    );
    // c8 touches only web/docs/guide.md: excluded, so web-v1.4 is unchanged too.
    // Samples 6, 10, 20 h (c2, c4, c3): median 10 h. Unchanged: web-v1.3 and web-v1.4.
    let lt = &r["measures"]["lead_time_for_changes"];
    assert_eq!(lt["samples"], 3);
    close(&lt["median_hours"], 10.0);
    assert_eq!(r["deployments"]["unchanged"], 2);
    assert_eq!(
        r["deployments"]["paths"],
        serde_json::json!(["web", ":!web/docs"])
    );
    // The long form is the same exclude; excludes alone mean "everything but": with
    // `:(exclude)web` the web tags ship c1 (api, 26 − 10 = 16 h), c3 (20 h: it touches api/
    // too), c5, c6, c7 (24, 14, 4 h) and nothing in web-v1.4: median of 4, 14, 16, 20, 24 =
    // 16 h.
    let r = measure_json(
        repo.path(),
        &["--tag-pattern", "^web-v", "--path", ":(exclude)web"],
    );
    let lt = &r["measures"]["lead_time_for_changes"];
    assert_eq!(lt["samples"], 5);
    close(&lt["median_hours"], 16.0);
    assert_eq!(r["deployments"]["unchanged"], 1);
}

/// A bad pathspec, from a flag or the file: one line naming it, exit 2.
#[test]
fn bad_pathspecs_are_one_line_errors() {
    let repo = monorepo();
    let out = measure(repo.path(), &["--path", ":(icase)api"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: --path \":(icase)api\": pathspec magic \"icase\" is not supported: expected a \
         path relative to the repository root, a glob, or an exclude (:!PATH, :^PATH, \
         :(exclude)PATH)\n"
    );

    std::fs::write(
        repo.path().join("valueflow.toml"),
        "[measure]\npaths = ['api', '../web']\n",
    )
    .unwrap();
    let out = measure(repo.path(), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // `'../web'` starts at column 17 of line 2 (`paths = ['api', ` is 16 characters).
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("valueflow.toml:2:17: paths \"../web\" leaves the repository"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn paths_in_the_file_scope_the_run() {
    let repo = monorepo();
    std::fs::write(
        repo.path().join("valueflow.toml"),
        "[measure]\ntag_pattern = '^api-v'\npaths = ['api']\n",
    )
    .unwrap();
    let r = measure_json(repo.path(), &[]);
    // As api_figures_are_the_api_commits_own: median 8 h over 4 samples.
    close(&r["measures"]["lead_time_for_changes"]["median_hours"], 8.0);
    // A flag wins over the file: the whole list.
    let r = measure_json(repo.path(), &["--path", "web"]);
    assert_eq!(r["deployments"]["paths"], serde_json::json!(["web"]));
}

/// The two services of [`monorepo`] as `[[service]]` tables; web leaves out its docs.
const SERVICES: &str = r#"[[service]]
name = "api"
paths = ["api"]
tag_pattern = '^api-v'

[[service]]
name = "web"
paths = ["web", ":!web/docs"]
tag_pattern = '^web-v'
"#;

#[test]
fn services_are_measured_side_by_side() {
    let repo = monorepo();
    std::fs::write(repo.path().join("valueflow.toml"), SERVICES).unwrap();
    let r = measure_json(repo.path(), &[]);
    let services = r["services"].as_array().expect("services");
    assert_eq!(services.len(), 2);
    let (api, web) = (&services[0], &services[1]);
    assert_eq!(api["name"], "api");
    assert_eq!(api["paths"], serde_json::json!(["api"]));
    // As api_figures_are_the_api_commits_own: 5 deployments, none unchanged, median 8 h,
    // 1 of 5 failed (api-v1.3, reverted), recovered in 10 h, 1 of 5 rework.
    assert_eq!(api["deployments"]["source"], "tags");
    assert_eq!(api["deployments"]["count"], 5);
    assert_eq!(api["deployments"]["unchanged"], 0);
    let m = &api["measures"];
    close(&m["lead_time_for_changes"]["median_hours"], 8.0);
    close(&m["change_failure_rate"]["rate"], 0.2);
    close(&m["mean_time_to_recovery"]["median_hours"], 10.0);
    close(&m["deployment_rework_rate"]["rate"], 0.2);
    // As an_exclude_leaves_out_its_paths: web-v1.3 (README, api) and web-v1.4 (web/docs)
    // unchanged; samples 6, 10, 20 h: median 10 h; no failure, nothing to recover.
    assert_eq!(web["deployments"]["count"], 5);
    assert_eq!(web["deployments"]["unchanged"], 2);
    let m = &web["measures"];
    close(&m["lead_time_for_changes"]["median_hours"], 10.0);
    close(&m["change_failure_rate"]["rate"], 0.0);
    assert!(m["mean_time_to_recovery"]["median_hours"].is_null());
    // The whole repository above them, as without services: no tag matches the default
    // pattern, so every first-parent commit (c0..c8) is a deployment.
    assert_eq!(r["deployments"]["source"], "merges");
    assert_eq!(r["deployments"]["count"], 9);

    // Side by side on the terminal, in 80 columns.
    let out = valueflow()
        .env("COLUMNS", "80")
        .arg("measure")
        .arg("-C")
        .arg(repo.path())
        .args(window())
        .args(["--format", "table"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).unwrap();
    let table: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Services")
        .take(4)
        .collect();
    assert_eq!(
        table,
        [
            "Services",
            "  Service  Deploys  Unchanged  Lead time  Failure rate  Recovery  Rework",
            "  api            5          0         8h         20.0%       10h   20.0%",
            "  web            5          2        10h          0.0%         —    0.0%",
        ],
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    assert!(
        text.contains("Paths: api: api · web: web :!web/docs"),
        "{text}"
    );

    let out = measure(repo.path(), &["--format", "markdown"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("| web | web :!web/docs | 5 | 2 | 10h | 0.0% | — | 0.0% |"),
        "{text}"
    );
}

#[test]
fn one_service_by_name() {
    let repo = monorepo();
    std::fs::write(repo.path().join("valueflow.toml"), SERVICES).unwrap();
    let r = measure_json(repo.path(), &["--service", "api"]);
    // The whole report is api's: its tags, its paths, its figures (median 8 h, 1 of 5).
    assert_eq!(r["service"], "api");
    assert_eq!(r["deployments"]["paths"], serde_json::json!(["api"]));
    assert_eq!(r["deployments"]["count"], 5);
    close(&r["measures"]["lead_time_for_changes"]["median_hours"], 8.0);
    close(&r["measures"]["change_failure_rate"]["rate"], 0.2);
    assert!(r.get("services").is_none());

    let out = measure(repo.path(), &["--service", "mobile"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: --service \"mobile\": no [[service]] of that name in ")
            && stderr.ends_with(": expected one of api, web\n"),
        "{stderr}"
    );
}

/// Bad `[[service]]` tables: one line, `file:line:col: what was expected`, exit 2.
#[test]
fn bad_services_are_one_line_errors() {
    let cases = [
        // An unknown key, at the key.
        (
            "[[service]]\nname = \"api\"\npath = [\"api\"]\n",
            "valueflow.toml:3:1: unknown field `path`, expected one of `name`, `paths`",
        ),
        // No name: at the table.
        (
            "[[service]]\npaths = [\"api\"]\n",
            "valueflow.toml:1:1: missing field `name`",
        ),
        // A blank name, at its value (col 8 after `name = `).
        (
            "[[service]]\nname = \" \"\n",
            "valueflow.toml:2:8: a service's name must not be blank",
        ),
        // A name used twice: at the second.
        (
            "[[service]]\nname = \"api\"\n[[service]]\nname = \"api\"\n",
            "valueflow.toml:4:8: service name \"api\" is used twice",
        ),
        // A bad pathspec or pattern of a service, at its value.
        (
            "[[service]]\nname = \"api\"\npaths = [\":(attr)x\"]\n",
            "valueflow.toml:3:10: paths \":(attr)x\": pathspec magic \"attr\" is not supported",
        ),
        (
            "[[service]]\nname = \"api\"\ntag_pattern = '(api'\n",
            "valueflow.toml:3:15: tag_pattern \"(api\" is not a valid regular expression",
        ),
    ];
    let repo = monorepo();
    for (toml, expected) in cases {
        std::fs::write(repo.path().join("valueflow.toml"), toml).unwrap();
        let out = measure(repo.path(), &[]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{toml}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(expected), "{toml}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
