//! `measure --ci`: the recorded exports of every CI family in ../shared/fixtures/ci (values
//! checked by hand against the files), and exports written here over pinned histories.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use valueflow::ci::{self, Conclusion, Provider, Status, Trigger};

use crate::command::{close, recorded_fixtures, valueflow};
use crate::repo::{TestRepo, at};

fn load(dir: &Path, file: &str) -> ci::Export {
    ci::load(&dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn time(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    valueflow::events::pipeline_run::parse_time(text)
}

fn count<T>(items: &[T], pred: impl Fn(&T) -> bool) -> usize {
    items.iter().filter(|i| pred(i)).count()
}

#[test]
fn github_runs_in_every_recorded_shape() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    // REST envelope, modern shape: 30 runs, 29 success and 1 failure.
    let e = load(
        &dir,
        "github/pygithub_replay/actions_runs_list_ReDASers_PhishBench_exclude_pull_requests_page1.json",
    );
    assert_eq!(e.formats, vec!["GitHub Actions workflow runs"]);
    assert_eq!(e.runs.len(), 30);
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Success)),
        29
    );
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Failure)),
        1
    );
    let r = &e.runs[0];
    assert_eq!(r.id.to_string(), "3519037359");
    assert_eq!(&*r.workflow, "Website TF-IDF Integration Test");
    assert_eq!(
        r.path.as_deref(),
        Some(".github/workflows/Website_Tfidf_Integration_Test.yml")
    );
    assert_eq!(r.branch.as_deref(), Some("dependabot/pip/tensorflow-2.9.3"));
    assert_eq!(
        r.commit.as_ref().map(ToString::to_string).as_deref(),
        Some("046bb53f4a15b7d50a5a33f79c23facac7827ad6")
    );
    assert_eq!(
        (r.trigger, r.attempt, r.status),
        (Trigger::Push, 1, Status::Completed)
    );
    assert_eq!(r.started_at, time("2022-11-21T23:43:05Z"));
    assert_eq!(r.finished_at, time("2022-11-22T00:06:06Z"));

    // Old (2020) objects: no name, path or run_attempt.
    let e = load(
        &dir,
        "github/pygithub_replay/actions_runs_list_ReDASers_Phishing-Detection_page1.json",
    );
    assert_eq!(e.runs.len(), 30);
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Cancelled)),
        1
    );
    let r = &e.runs[0];
    assert_eq!(
        (r.id.to_string().as_str(), &*r.workflow, r.path.as_deref()),
        ("313400760", "", None)
    );
    assert_eq!(r.attempt, 1);
    assert_eq!(r.started_at, time("2020-10-18T06:42:24Z"));
    assert_eq!(r.finished_at, time("2020-10-18T07:53:13Z"));

    // A single run, second attempt; run_started_at is the re-run's start.
    let e = load(
        &dir,
        "github/pygithub_replay/actions_run_EnricoMi_26365060973_attempt2.json",
    );
    assert_eq!(e.runs.len(), 1);
    let r = &e.runs[0];
    assert_eq!((r.attempt, r.trigger), (2, Trigger::Schedule));
    assert_eq!(r.started_at, time("2026-05-29T15:42:05Z"));
    assert_eq!(r.finished_at, time("2026-05-29T15:43:47Z"));

    // A plain array (DevLake): 16 success, 2 failure, 2 still running; 6 second attempts.
    let e = load(&dir, "github/devlake_e2e/actions_runs_panjf2000_ants.json");
    assert_eq!(e.runs.len(), 20);
    assert_eq!(count(&e.runs, |r| r.status == Status::Pending), 2);
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Failure)),
        2
    );
    assert_eq!(count(&e.runs, |r| r.attempt == 2), 6);

    // Webhook payload wrapping one run.
    let e = load(&dir, "github/octokit_webhooks/workflow_run.completed.json");
    assert_eq!(e.runs.len(), 1);
    assert_eq!(e.runs[0].id.to_string(), "289782451");
    assert_eq!(&*e.runs[0].event, "repository_dispatch");
    assert_eq!(e.runs[0].trigger, Trigger::Other);
}

#[test]
fn synthetic_status_values_are_handled_not_trusted() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let e = load(
        &dir,
        "github/devlake_e2e/actions_runs_panjf2000_ants_SYNTHETIC_status_variants.json",
    );
    assert_eq!(e.runs.len(), 15);
    let statuses: Vec<_> = e.runs.iter().map(|r| (r.status, r.conclusion)).collect();
    use Conclusion::*;
    use Status::*;
    assert_eq!(
        statuses,
        vec![
            (Completed, Some(Success)),        // COMPLETED
            (Completed, Some(Success)),        // SUCCESS + success
            (Completed, Some(Failure)),        // FAILURE
            (Completed, Some(Cancelled)),      // CANCELLED
            (Completed, Some(TimedOut)),       // TIMED_OUT
            (Completed, Some(StartupFailure)), // STARTUP_FAILURE
            (Pending, None),                   // IN_PROGRESS, conclusion ""
            (Pending, None),                   // QUEUED
            (Pending, None),                   // WAITING
            (Pending, None),                   // PENDING
            (Completed, Some(Neutral)),
            (Completed, Some(Skipped)),
            (Completed, Some(Stale)),
            (Completed, Some(ActionRequired)),
            (Pending, None), // REQUESTED
        ]
    );
}

#[test]
fn github_jobs_and_deployments() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let e = load(
        &dir,
        "github/pygithub_replay/actions_run_jobs_PyGithub_3881497935.json",
    );
    assert_eq!(e.formats, vec!["GitHub Actions jobs"]);
    assert_eq!(e.runs.len(), 5);
    assert_eq!(&*e.runs[0].workflow, "CI / test (Python 3.7)");
    assert_eq!(e.runs[1].finished_at, time("2023-01-10T08:28:18Z"));

    // A deployments list without statuses: records with no state, never deployments.
    let e = load(
        &dir,
        "github/pygithub_replay/deployments_list_PyGithub.json",
    );
    assert_eq!(e.deployments.len(), 2);
    assert!(e.deployments.iter().all(|d| d.state.is_empty()));

    let e = load(
        &dir,
        "github/octokit_webhooks/deployment_status.created.json",
    );
    let d = &e.deployments[0];
    assert_eq!(
        (d.id.as_str(), d.environment.as_str(), d.state.as_str()),
        ("145988746", "production", "success")
    );
    assert_eq!(
        d.commit.as_deref(),
        Some("f95f852bd8fca8fcc58a9a2d6c842781e32a215e")
    );
    assert_eq!(d.time, time("2019-05-15T15:20:55Z"));

    let e = load(
        &dir,
        "github/devlake_e2e/graphql_deployments_facebook_OpenBIC.json",
    );
    assert_eq!(e.deployments.len(), 7);
    assert_eq!(count(&e.deployments, |d| d.state == "success"), 2);
    assert_eq!(e.deployments[0].time, time("2026-02-20T00:30:59Z"));
}

#[test]
fn gitlab_pipelines_jobs_and_deployments() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let e = load(&dir, "gitlab/devlake_e2e/pipelines_list.json");
    assert_eq!(e.formats, vec!["GitLab pipelines"]);
    assert_eq!(e.runs.len(), 29);
    // 17 failed, 1 success, 1 canceled, 1 skipped, 1 manual; the other 8 still running or
    // waiting (running x3, created, waiting_for_resource, preparing, pending, scheduled).
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Failure)),
        17
    );
    assert_eq!(count(&e.runs, |r| r.status == Status::Pending), 8);
    assert_eq!(
        count(&e.runs, |r| r.conclusion
            == Some(Conclusion::ActionRequired)),
        1
    );
    assert_eq!(count(&e.runs, |r| r.trigger == Trigger::PullRequest), 22);

    let e = load(&dir, "gitlab/devlake_e2e/pipeline_details.json");
    assert_eq!(e.runs.len(), 16);
    let r = &e.runs[0];
    assert_eq!(r.id.to_string(), "1078343570");
    assert_eq!(r.started_at, time("2023-11-20T07:17:10Z"));
    assert_eq!(r.finished_at, time("2023-11-21T01:54:29Z"));

    let e = load(&dir, "gitlab/devlake_e2e/jobs_list.json");
    assert_eq!(e.runs.len(), 75);
    assert_eq!(&*e.runs[0].workflow, "test / format");

    let e = load(&dir, "gitlab/devlake_e2e/deployments_list.json");
    assert_eq!(e.deployments.len(), 8);
    let d = &e.deployments[0];
    assert_eq!(
        (d.environment.as_str(), d.state.as_str()),
        ("staging", "success")
    );
    // The deploy job's finish, on whole seconds.
    assert_eq!(d.time, time("2019-03-13T14:17:47Z"));
}

#[test]
fn jenkins_circleci_azure_and_bitbucket() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let e = load(
        &dir,
        "jenkins/devlake_e2e/builds_freestyle_and_pipeline.json",
    );
    assert_eq!(e.runs.len(), 14);
    let r = &e.runs[0];
    assert_eq!(r.id.to_string(), "31");
    assert_eq!(
        r.commit.as_ref().map(ToString::to_string).as_deref(),
        Some("0f886c74949c3ee7e489188911c7dc0c1d547418")
    );
    assert_eq!(r.branch.as_deref(), Some("main"));
    assert_eq!(r.trigger, Trigger::Manual); // Started by user
    // timestamp 1650024049161 ms + duration 1587 ms
    assert_eq!(r.started_at, time("2022-04-15T12:00:49Z"));
    assert_eq!(r.finished_at, time("2022-04-15T12:00:50Z"));
    // SUCCESS x10, FAILURE, UNSTABLE, ABORTED, NOT_BUILD. Three of them (27 and 10001
    // SUCCESS, 10002 FAILURE) say `building: true`: still running, whatever `result` says.
    // UNSTABLE (tests failed) is a failure; DevLake's NOT_BUILD is no word Jenkins writes.
    assert_eq!(count(&e.runs, |r| r.status == Status::Pending), 3);
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Success)),
        8
    );
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Failure)),
        1
    );
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Cancelled)),
        1
    );
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Unknown)),
        1
    );
    let e = load(&dir, "jenkins/devlake_e2e/builds_multibranch.json");
    assert_eq!(e.runs.len(), 15);

    // The last of the 10 workflows is `failed` with an empty `stopped_at`: left out, counted.
    let e = load(&dir, "circleci/devlake_e2e/workflows.json");
    assert_eq!(e.runs.len(), 9);
    assert_eq!(
        e.skipped.get("a completed run without a finish time"),
        Some(&1)
    );
    assert_eq!(
        count(&e.runs, |r| r.conclusion == Some(Conclusion::Failure)),
        5
    );
    assert_eq!(e.runs[0].finished_at, time("2023-03-25T17:52:23Z"));
    let e = load(&dir, "circleci/devlake_e2e/pipelines.json");
    assert_eq!((e.runs.len(), e.skipped.values().sum::<usize>()), (0, 10));

    let e = load(&dir, "azure_devops/devlake_e2e/builds.json");
    assert_eq!(e.runs.len(), 7);
    let r = &e.runs[0];
    assert_eq!(r.provider, Provider::AzureDevops);
    assert_eq!(
        (r.id.to_string().as_str(), &*r.workflow),
        ("12", "deploy_to_prod")
    );
    assert_eq!(
        (r.trigger, r.branch.as_deref()),
        (Trigger::Manual, Some("main"))
    );
    assert_eq!(r.finished_at, time("2023-02-25T06:23:04Z"));

    let e = load(&dir, "bitbucket/devlake_e2e/pipelines.json");
    assert_eq!(e.runs.len(), 22);
    let r = &e.runs[0];
    assert_eq!(r.conclusion, Some(Conclusion::Failure));
    assert_eq!(
        r.commit.as_ref().map(ToString::to_string).as_deref(),
        Some("2b1cd7db35f3cf67d6d124e08b13272a1901707a")
    );
    assert_eq!(r.finished_at, time("2023-02-20T08:58:46Z"));
    let e = load(&dir, "bitbucket/devlake_e2e/deployments.json");
    assert_eq!(e.deployments.len(), 27);
    assert_eq!(e.deployments[0].environment, "Staging");
}

fn error_of(repo: &Path, file: &Path) -> String {
    let out = valueflow()
        .args(["measure", "--format", "json", "-C"])
        .arg(repo)
        .arg("--ci")
        .arg(file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).trim_end().to_string()
}

#[test]
fn bad_exports_are_one_line_errors() {
    let repo = TestRepo::new();
    repo.commit("initial", 0);
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let broken = write(
        "broken.json",
        "{\"workflow_runs\": [\n  {\"id\": 1, \"head_sha\": \"a\", \"workflow_id\": 2},\n  {\"id\": 2, \"status\": completed}\n]}\n",
    );
    // Line 3 is `  {"id": 2, "status": completed}`: the bare word starts at byte 23.
    assert_eq!(
        error_of(repo.path(), &broken),
        format!(
            "error: {}:3:23: invalid JSON: expected value",
            broken.display()
        )
    );
    let cut = write(
        "cut.json",
        "[{\"id\": 1, \"head_sha\": \"a\", \"workflow_id\": 2},\n {\"id\"",
    );
    // Line 2 is ` {"id"`, six bytes: the file ends at column 7.
    assert_eq!(
        error_of(repo.path(), &cut),
        format!(
            "error: {}:2:7: invalid JSON: unexpected end of file: the export is cut short",
            cut.display()
        )
    );
    let other = write(
        "other.json",
        "{\"ref\": \"refs/heads/main\", \"commits\": []}",
    );
    let err = error_of(repo.path(), &other);
    assert!(
        err.starts_with(&format!(
            "error: {}: not a recognised CI export (expected one of: GitHub Actions workflow runs",
            other.display()
        )),
        "{err}"
    );
    assert!(
        err.ends_with("found an object with keys commits, ref"),
        "{err}"
    );
    let missing = dir.path().join("nope.json");
    assert!(
        error_of(repo.path(), &missing)
            .starts_with(&format!("error: cannot read {}:", missing.display()))
    );
}

/// A GitHub Actions run object as the REST API writes it (trimmed of URLs).
fn gh_run(
    id: u64,
    workflow: &str,
    sha: &str,
    event: &str,
    conclusion: Option<&str>,
    attempt: u32,
    finished_h: i64,
) -> Value {
    let file = workflow.to_lowercase();
    json!({
        "id": id, "name": workflow, "path": format!(".github/workflows/{file}.yml"),
        "head_branch": "main", "head_sha": sha, "run_number": id, "event": event,
        "status": if conclusion.is_some() { "completed" } else { "in_progress" },
        "conclusion": conclusion, "workflow_id": 7, "run_attempt": attempt,
        "created_at": at(finished_h - 1), "run_started_at": at(finished_h - 1),
        "updated_at": at(finished_h),
        "actor": {"login": "octocat", "id": 1}, "repository": {"full_name": "acme/shop"}
    })
}

/// Five commits; deploy runs and CI runs over them. The numbers below are worked out in the
/// comments from these hours.
fn shop() -> (TestRepo, tempfile::TempDir, PathBuf) {
    let repo = TestRepo::new();
    let c1 = repo.commit("initial", 0).to_string();
    let _c2 = repo.commit("feature a", 1);
    let c3 = repo.commit("feature b", 2).to_string();
    let _c4 = repo.commit("feature c", 10);
    let c5 = repo.commit("feature d", 20).to_string();
    let gone = "d".repeat(40);
    let runs = vec![
        gh_run(101, "Deploy", &c1, "push", Some("success"), 1, 1),
        gh_run(102, "Deploy", &c3, "push", Some("success"), 1, 4),
        gh_run(103, "Deploy", &c5, "push", Some("failure"), 1, 21),
        gh_run(104, "Deploy", &c5, "push", Some("success"), 2, 22),
        gh_run(
            105,
            "Deploy",
            &c3,
            "workflow_dispatch",
            Some("success"),
            1,
            23,
        ),
        gh_run(106, "Deploy", &gone, "push", Some("success"), 1, 30),
        gh_run(201, "CI", &c3, "push", Some("success"), 1, 2),
        gh_run(202, "CI", &c3, "push", Some("failure"), 1, 3),
        gh_run(203, "CI", &c3, "push", Some("success"), 1, 5),
        gh_run(204, "CI", &c5, "pull_request", Some("cancelled"), 1, 21),
        gh_run(205, "CI", &c5, "pull_request", Some("success"), 1, 24),
        gh_run(206, "CI", &c5, "push", Some("skipped"), 1, 6),
        gh_run(207, "CI", &c5, "push", None, 1, 25),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.json");
    let export = json!({"total_count": runs.len(), "workflow_runs": runs});
    std::fs::write(&path, serde_json::to_string_pretty(&export).unwrap()).unwrap();
    (repo, dir, path)
}

fn measure(repo: &Path, args: &[&str]) -> (Value, String) {
    let out = valueflow()
        .args([
            "measure",
            "--format",
            "json",
            "--since",
            "2026-01-05",
            "--until",
            "2026-01-07",
            "-C",
        ])
        .arg(repo)
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).expect("json"), stderr)
}

#[test]
fn deployments_and_pipeline_health_from_a_github_export() {
    let (repo, _dir, runs) = shop();
    let (report, stderr) = measure(repo.path(), &["--ci", runs.to_str().unwrap()]);
    assert_eq!(report["deployments"]["source"], "ci");
    // Successful Deploy runs 101, 102, 104, 105, 106 (103 failed and is not a deployment).
    let refs: Vec<_> = report["deployments"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ref"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        refs,
        [
            "Deploy #101",
            "Deploy #102",
            "Deploy #104",
            "Deploy #105",
            "Deploy #106"
        ]
    );
    let list = &report["deployments"]["list"];
    // 105 redeploys c3, deployed before by 102: a rollback, so 104 failed.
    assert_eq!(list[3]["rollback"], true);
    assert_eq!(list[2]["signals"], json!(["rollback"]));
    // 106's commit is not in the repository: counted, no change set.
    assert_eq!(list[4]["changes"], Value::Null);
    assert!(
        stderr.contains(
            "1 deployment in the window names a commit that is not in the local repository"
        ),
        "{stderr}"
    );

    let m = &report["measures"];
    // Samples: 102 ships c2 (h1) and c3 (h2) at h4 -> 3, 2; 104 ships c4 (h10) and c5 (h20)
    // at h22 -> 12, 2. Sorted 2, 2, 3, 12: median 2.5, mean 4.75, p90 at index 2.7 -> 9.3.
    let lt = &m["lead_time_for_changes"];
    assert_eq!(lt["samples"], 4);
    close(&lt["median_hours"], 2.5);
    close(&lt["mean_hours"], 4.75);
    close(&lt["p90_hours"], 9.3);
    // 5 deployments in 2 days.
    close(&m["deployment_frequency"]["per_day"], 2.5);
    assert_eq!(m["change_failure_rate"]["failed"], 1);
    close(&m["change_failure_rate"]["rate"], 0.2);
    // 104 at h22, rolled back at h23.
    close(&m["mean_time_to_recovery"]["mean_hours"], 1.0);
    close(&m["deployment_rework_rate"]["rate"], 0.2);

    // 11 completed runs count (206 skipped, 207 running). Zero-touch: 101, 102, 106, 201,
    // 203, 205. Not: 103 and 202 failed, 204 cancelled, 104 re-run, 105 started by hand.
    let ph = &m["pipeline_health"];
    assert_eq!(ph["runs"], 11);
    assert_eq!(ph["zero_touch"], 6);
    close(&ph["rate"], 6.0 / 11.0);
    assert_eq!(
        (
            &ph["failed"],
            &ph["cancelled"],
            &ph["rerun"],
            &ph["manual_trigger"],
            &ph["manual_gate"]
        ),
        (&json!(2), &json!(1), &json!(1), &json!(1), &json!(0))
    );
    // Red streaks: Deploy 103 (h21) -> 104 (h22) = 1 h; CI 202 (h3) -> 203 (h5) = 2 h;
    // CI 204 (h21) -> 205 (h24) = 3 h. Median 2 h.
    close(&ph["median_time_to_green_hours"], 2.0);
    assert!(ph.get("reason").is_none());
}

#[test]
fn incidents_feed_failure_rate_and_recovery() {
    let (repo, dir, runs) = shop();
    let incidents = dir.path().join("incidents.csv");
    // Starts at h5: links to the latest deployment before it, 102 (h4). Resolved at h8:
    // recovery 8 - 4 = 4 h.
    std::fs::write(
        &incidents,
        format!(
            "id,started_at,resolved_at,service\nINC-7,{},{},shop\n",
            at(5),
            at(8)
        ),
    )
    .unwrap();
    let (report, _) = measure(
        repo.path(),
        &[
            "--ci",
            runs.to_str().unwrap(),
            "--incidents",
            incidents.to_str().unwrap(),
        ],
    );
    let list = &report["deployments"]["list"];
    assert_eq!(list[1]["signals"], json!(["incident"]));
    let m = &report["measures"];
    assert_eq!(m["change_failure_rate"]["failed"], 2);
    close(&m["change_failure_rate"]["rate"], 0.4);
    // Recoveries 4 h (102) and 1 h (104).
    close(&m["mean_time_to_recovery"]["mean_hours"], 2.5);
    assert_eq!(m["mean_time_to_recovery"]["samples"], 2);
}

#[test]
fn failed_deploys_count_when_asked() {
    let (repo, _dir, runs) = shop();
    let (report, _) = measure(
        repo.path(),
        &["--ci", runs.to_str().unwrap(), "--count-failed-deploys"],
    );
    // 103 (c5, failed, h21) is now a deployment; 104's retry of the same commit at h22 counts
    // once with it and is its recovery: 1 h.
    let refs: Vec<_> = report["deployments"]["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ref"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        refs,
        [
            "Deploy #101",
            "Deploy #102",
            "Deploy #103",
            "Deploy #105",
            "Deploy #106"
        ]
    );
    let signals = &report["deployments"]["list"][2]["signals"];
    assert!(
        signals
            .as_array()
            .unwrap()
            .contains(&json!("failed_deploy")),
        "{signals}"
    );
}

#[test]
fn gh_run_list_output_and_a_deploy_rule_that_matches_nothing() {
    let repo = TestRepo::new();
    let c1 = repo.commit("initial", 0).to_string();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gh.json");
    // `gh run list --json databaseId,workflowName,headSha,headBranch,event,status,conclusion,
    // createdAt,startedAt,updatedAt,attempt`: a running run has conclusion "" and its
    // finish is unknown.
    let runs = json!([
        {"databaseId": 1, "workflowName": "CI", "headSha": c1, "headBranch": "main",
         "event": "push", "status": "completed", "conclusion": "success", "attempt": 1,
         "createdAt": at(1), "startedAt": at(1), "updatedAt": at(2)},
        {"databaseId": 2, "workflowName": "CI", "headSha": c1, "headBranch": "main",
         "event": "workflow_dispatch", "status": "completed", "conclusion": "failure",
         "attempt": 1, "createdAt": at(3), "startedAt": at(3), "updatedAt": at(4)},
        {"databaseId": 3, "workflowName": "CI", "headSha": c1, "headBranch": "main",
         "event": "push", "status": "in_progress", "conclusion": "", "attempt": 1,
         "createdAt": at(5), "startedAt": "0001-01-01T00:00:00Z", "updatedAt": at(5)},
        {"databaseId": 4, "workflowName": "CI", "headSha": c1, "headBranch": "main",
         "event": "push", "status": "completed", "conclusion": "success", "attempt": 1,
         "createdAt": at(6), "startedAt": at(6), "updatedAt": "0001-01-01T00:00:00Z"}
    ]);
    std::fs::write(&path, runs.to_string()).unwrap();
    let (report, stderr) = measure(repo.path(), &["--ci", path.to_str().unwrap()]);
    // No run of a deploy workflow: deployments come from git (no tags: merges).
    assert_eq!(report["deployments"]["source"], "merges");
    assert!(
        stderr.contains("no CI run of a workflow matching (?i)deploy|release|publish succeeded"),
        "{stderr}"
    );
    // Run 4 says it completed but has no finish time: left out, and said.
    assert!(
        stderr.contains("gh.json: 1 object left out: a completed run without a finish time"),
        "{stderr}"
    );
    let ph = &report["measures"]["pipeline_health"];
    assert_eq!(
        (&ph["runs"], &ph["zero_touch"], &ph["failed"]),
        (&json!(2), &json!(1), &json!(1))
    );
    close(&ph["rate"], 0.5);
    assert_eq!(ph["median_time_to_green_hours"], Value::Null);
}

#[test]
fn exports_named_in_the_project_file() {
    let (repo, _dir, runs) = shop();
    std::fs::copy(&runs, repo.path().join("runs.json")).unwrap();
    std::fs::write(
        repo.path().join("valueflow.toml"),
        "[measure]\nci = [\"runs.json\"]\ndeploy_workflow = '^Deploy$'\n",
    )
    .unwrap();
    let (report, _) = measure(repo.path(), &[]);
    assert_eq!(report["deployments"]["source"], "ci");
    assert_eq!(report["deployments"]["count"], 5);
    assert_eq!(report["measures"]["pipeline_health"]["runs"], 11);
}

/// Pipeline Health and the CI deployments in the two human views.
#[test]
fn ci_table_and_markdown_snapshots() {
    let (repo, _dir, runs) = shop();
    let path = repo.path().display().to_string();
    for (format, name) in [("table", "ci_table"), ("markdown", "ci_markdown")] {
        let out = valueflow()
            .args([
                "measure",
                "--since",
                "2026-01-05",
                "--until",
                "2026-01-07",
                "--format",
                format,
                "-C",
            ])
            .arg(repo.path())
            .arg("--ci")
            .arg(&runs)
            .output()
            .expect("runs");
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout)
            .expect("utf-8")
            .replace(&path, "[repo]");
        insta::assert_snapshot!(name, text);
    }
}
