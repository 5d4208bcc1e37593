//! `valueflow fetch` against a real HTTP server on loopback (httpmock), serving the recorded
//! GitHub/GitLab answers in `../shared/fixtures/ci/` (read from there at test time, never copied
//! in) or small bodies written here. Waits are decided and reported but not slept (the hidden
//! `--skip-waits`).

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use assert_cmd::Command;
use httpmock::prelude::*;

use crate::command::recorded_fixtures;
use serde_json::{Value, json};
use tempfile::TempDir;

const TOKEN: &str = "secret-token-123";
const GITLAB_TOKEN: &str = "glpat-secret-456";

fn fixture(dir: &Path, name: &str) -> Value {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// The recorded `Link` header of a fixture, pointing at `server` instead of api.github.com.
fn recorded_link(dir: &Path, name: &str, server: &MockServer) -> String {
    let headers = fixture(dir, name);
    headers["headers"]["Link"]
        .as_str()
        .expect("recorded Link header")
        .replace("https://api.github.com", &server.base_url())
}

fn valueflow() -> Command {
    let mut cmd = crate::command::valueflow();
    cmd.env("GITHUB_TOKEN", TOKEN)
        .env("GITLAB_TOKEN", GITLAB_TOKEN);
    cmd
}

fn fetch_github(server: &MockServer, output: &Path, args: &[&str]) -> Output {
    valueflow()
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--api-url",
        ])
        .arg(server.base_url())
        .arg("-o")
        .arg(output)
        .args(args)
        .output()
        .expect("runs")
}

fn fetch_gitlab(server: &MockServer, project: &str, output: &Path, args: &[&str]) -> Output {
    valueflow()
        .args([
            "fetch",
            "gitlab",
            "--skip-waits",
            "--project",
            project,
            "--api-url",
        ])
        .arg(server.url("/api/v4"))
        .arg("-o")
        .arg(output)
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn succeeded(out: &Output) -> String {
    let err = stderr(out);
    assert!(out.status.success(), "exit {:?}: {err}", out.status.code());
    assert!(!err.contains(TOKEN), "the token was printed: {err}");
    err
}

/// Exit 2 with one `error:` line; the token never in it.
fn failed(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(err.contains("error: "), "{err}");
    assert!(!err.contains(TOKEN), "the token was printed: {err}");
    err
}

/// The export as JSON; the token never in it.
fn export(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("export written");
    assert!(
        !text.contains(TOKEN),
        "the token was written into the export"
    );
    serde_json::from_str(&text).expect("export is JSON")
}

fn ids(list: &Value) -> Vec<u64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|item| item["id"].as_u64().expect("numeric id"))
        .collect()
}

fn run(id: u64, attempt: u64, created: &str) -> Value {
    json!({"id": id, "run_attempt": attempt, "status": "completed", "conclusion": "success",
           "created_at": created})
}

fn runs_page(total: u64, runs: &[Value]) -> Value {
    json!({"total_count": total, "workflow_runs": runs})
}

fn no_authorization(req: &HttpMockRequest) -> bool {
    !req.headers_vec()
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
}

fn created_param(req: &HttpMockRequest) -> Option<String> {
    req.query_params()
        .into_iter()
        .find(|(name, _)| name == "created")
        .map(|(_, value)| value)
}

#[test]
fn github_follows_the_link_header_across_pages_with_the_token() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let replay = dir.join("github/pygithub_replay");
    let server = MockServer::start();
    // Page 1 as recorded (ReDASers/PhishBench, 30 runs), its Link header pointing here: the
    // next page lives under /repositories/146139403, an opaque URL to follow as given.
    let page1 = server.mock(|when, then| {
        when.method(GET)
            .path("/repos/octo/hello/actions/runs")
            .query_param("per_page", "100")
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("x-github-api-version", "2022-11-28");
        then.status(200)
            .header(
                "Link",
                recorded_link(
                    &replay,
                    "actions_runs_list_ReDASers_PhishBench_exclude_pull_requests_page1.response_headers.json",
                    &server,
                ),
            )
            .json_body(fixture(
                &replay,
                "actions_runs_list_ReDASers_PhishBench_exclude_pull_requests_page1.json",
            ));
    });
    let page2 = server.mock(|when, then| {
        when.method(GET)
            .path("/repositories/146139403/actions/runs")
            .query_param("page", "2")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200)
            .header(
                "Link",
                format!(
                    "<{0}/repositories/146139403/actions/runs?exclude_pull_requests=1&page=3>; rel=\"next\", <{0}/repositories/146139403/actions/runs?exclude_pull_requests=1&page=20>; rel=\"last\"",
                    server.base_url()
                ),
            )
            .json_body(fixture(
                &replay,
                "actions_runs_list_ReDASers_Phishing-Detection_page1.json",
            ));
    });
    // The last page, recorded without a Link header.
    let page3 = server.mock(|when, then| {
        when.method(GET)
            .path("/repositories/146139403/actions/runs")
            .query_param("page", "3");
        then.status(200)
            .json_body(fixture(&replay, "actions_runs_list_PyGithub_2020.json"));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = succeeded(&out);
    page1.assert_calls(1);
    page2.assert_calls(1);
    page3.assert_calls(1);
    let file = export(&output);
    // 30 + 30 + 5 runs, all different ids, sorted.
    assert_eq!(file["total_count"], 65);
    let runs = ids(&file["workflow_runs"]);
    assert_eq!(runs.len(), 65);
    assert_eq!(runs.first(), Some(&110278769));
    assert_eq!(runs.last(), Some(&3519037359));
    assert!(runs.windows(2).all(|w| w[0] < w[1]));
    assert!(file.get("deployments").is_none());
    // Runs are kept as returned.
    let newest = file["workflow_runs"].as_array().unwrap().last().unwrap();
    assert_eq!(
        newest["display_title"],
        "Bump tensorflow from 2.7.2 to 2.9.3"
    );
    assert!(
        err.contains(&format!(
            "fetched 65 runs (2020-05-20 .. 2022-11-21) into {}",
            output.display()
        )),
        "{err}"
    );
}

#[test]
fn github_next_page_on_another_host_gets_no_token() {
    let api = MockServer::start();
    let elsewhere = MockServer::start();
    api.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200)
            .header(
                "link",
                format!("<{}/runs?page=2>; rel=\"next\"", elsewhere.base_url()),
            )
            .json_body(runs_page(2, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let other = elsewhere.mock(|when, then| {
        when.path("/runs")
            .query_param("page", "2")
            .is_true(no_authorization);
        then.status(200)
            .json_body(runs_page(2, &[run(2, 1, "2026-03-02T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&api, &output, &[]);

    succeeded(&out);
    other.assert_calls(1);
    assert_eq!(ids(&export(&output)["workflow_runs"]), vec![1, 2]);
}

#[test]
fn github_since_splits_a_range_over_the_1000_result_cap() {
    fn first_half(req: &HttpMockRequest) -> bool {
        created_param(req).is_some_and(|c| c.starts_with("2026-01-01T00:00:00Z.."))
    }
    fn second_half(req: &HttpMockRequest) -> bool {
        created_param(req)
            .is_some_and(|c| c.contains("..") && !c.starts_with("2026-01-01T00:00:00Z"))
    }
    let server = MockServer::start();
    // The whole range: GitHub counts 1,500 but would return only 1,000 of them.
    let whole = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .query_param("created", ">=2026-01-01T00:00:00Z");
        then.status(200).json_body(runs_page(
            1500,
            &[
                run(1, 1, "2026-01-05T10:00:00Z"),
                run(2, 1, "2026-01-06T10:00:00Z"),
            ],
        ));
    });
    let early = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .is_true(first_half);
        then.status(200).json_body(runs_page(
            2,
            &[
                run(1, 1, "2026-01-05T10:00:00Z"),
                run(2, 1, "2026-01-06T10:00:00Z"),
            ],
        ));
    });
    let late = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .is_true(second_half);
        then.status(200)
            .json_body(runs_page(1, &[run(3, 1, "2026-09-01T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &["--since", "2026-01-01"]);

    let err = succeeded(&out);
    whole.assert_calls(1);
    early.assert_calls(1);
    late.assert_calls(1);
    let file = export(&output);
    assert_eq!(file["total_count"], 3);
    assert_eq!(ids(&file["workflow_runs"]), vec![1, 2, 3]);
    assert!(
        err.contains("fetched 3 runs (2026-01-05 .. 2026-09-01)"),
        "{err}"
    );
}

#[test]
fn github_server_ignoring_the_created_filter_is_not_split_forever() {
    let server = MockServer::start();
    // Every range counts the same 1,500: the filter does nothing.
    let any = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .query_param_exists("created");
        then.status(200)
            .json_body(runs_page(1500, &[run(5, 1, "2026-02-01T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &["--since", "2026-01-01"]);

    let err = succeeded(&out);
    // The whole range and its two halves, no more.
    any.assert_calls(3);
    assert!(
        err.contains("warning: the server ignores the created filter for octo/hello, so at most 1000 of its 1500 runs can be listed"),
        "{err}"
    );
    assert_eq!(ids(&export(&output)["workflow_runs"]), vec![5]);
}

#[test]
fn github_429_waits_for_retry_after_then_goes_on() {
    static LIMITED: AtomicBool = AtomicBool::new(false);
    fn first_request(_: &HttpMockRequest) -> bool {
        !LIMITED.swap(true, Ordering::SeqCst)
    }
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .is_true(first_request);
        then.status(429)
            .header("retry-after", "7")
            .body("slow down");
    });
    let ok = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(runs_page(1, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = succeeded(&out);
    limited.assert_calls(1);
    ok.assert_calls(1);
    assert!(
        err.contains("waiting 7 s for the GitHub rate limit to reset (until "),
        "{err}"
    );
    assert_eq!(ids(&export(&output)["workflow_runs"]), vec![1]);
}

#[test]
fn github_403_with_no_requests_left_waits_until_the_reset() {
    static LIMITED: AtomicBool = AtomicBool::new(false);
    fn first_request(_: &HttpMockRequest) -> bool {
        !LIMITED.swap(true, Ordering::SeqCst)
    }
    let reset = chrono::Utc::now().timestamp() + 41;
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .is_true(first_request);
        then.status(403)
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", reset.to_string())
            .json_body(json!({"message": "API rate limit exceeded"}));
    });
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(runs_page(1, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = succeeded(&out);
    limited.assert_calls(1);
    // 41 s to the reset, plus one; 41 when the clock ticked between here and there.
    let said = regex::Regex::new(
        r"waiting 4[12] s for the GitHub rate limit to reset \(until \d\d:\d\d:\d\d UTC\)",
    )
    .unwrap();
    assert!(said.is_match(&err), "{err}");
    assert_eq!(ids(&export(&output)["workflow_runs"]), vec![1]);
}

#[test]
fn github_rate_limit_longer_than_max_wait_fails_and_keeps_the_old_export() {
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(429).header("retry-after", "3600");
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");
    let before = "{\"total_count\": 1, \"workflow_runs\": [{\"id\": 7}]}\n";
    std::fs::write(&output, before).unwrap();

    let out = fetch_github(&server, &output, &["--max-wait", "60"]);

    let err = failed(&out);
    limited.assert_calls(1);
    assert!(
        err.contains("the GitHub rate limit resets in 3600 s"),
        "{err}"
    );
    assert!(err.contains("longer than --max-wait 60 s"), "{err}");
    assert!(err.contains("raise --max-wait"), "{err}");
    // Atomic write: the old export as it was, and no temporary file left beside it.
    assert_eq!(std::fs::read_to_string(&output).unwrap(), before);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn github_server_errors_are_retried_with_backoff() {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    fn first_two(_: &HttpMockRequest) -> bool {
        CALLS.fetch_add(1, Ordering::SeqCst) < 2
    }
    let server = MockServer::start();
    let faults = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .is_true(first_two);
        then.status(502).body("<html>bad gateway</html>");
    });
    let ok = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(runs_page(1, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = succeeded(&out);
    faults.assert_calls(2);
    ok.assert_calls(1);
    assert!(err.contains("502 Bad Gateway"), "{err}");
    assert!(err.contains("retrying in 1 s (1 of 3)"), "{err}");
    assert!(err.contains("retrying in 2 s (2 of 3)"), "{err}");
    assert_eq!(ids(&export(&output)["workflow_runs"]), vec![1]);
}

#[test]
fn github_server_errors_stop_after_three_retries() {
    let server = MockServer::start();
    let faults = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(503);
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    faults.assert_calls(4);
    assert!(
        err.contains("GitHub answered 503 Service Unavailable for http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("after 4 attempts"), "{err}");
    assert!(!output.exists());
}

#[test]
fn github_401_is_a_clear_error_and_writes_nothing() {
    let server = MockServer::start();
    let refused = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(401)
            .json_body(json!({"message": "Bad credentials"}));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    refused.assert_calls(1);
    assert!(
        err.contains(
            "error: GitHub answered 401 Unauthorized for octo/hello: the token in GITHUB_TOKEN is missing or invalid"
        ),
        "{err}"
    );
    assert!(!output.exists());
}

#[test]
fn github_404_names_the_repository_and_workflow() {
    let server = MockServer::start();
    let missing = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/workflows/deploy.yml/runs");
        then.status(404).json_body(json!({"message": "Not Found"}));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &["--workflow", "deploy.yml"]);

    let err = failed(&out);
    missing.assert_calls(1);
    assert!(
        err.contains("GitHub answered 404 Not Found for octo/hello (workflow deploy.yml)"),
        "{err}"
    );
    assert!(
        err.contains("check the name, and that the token in GITHUB_TOKEN can see private"),
        "{err}"
    );
    assert!(!output.exists());
}

#[test]
fn github_plain_403_points_at_the_token_scope() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(403)
            .header("x-ratelimit-remaining", "4999")
            .json_body(json!({"message": "Resource not accessible by personal access token"}));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    assert!(
        err.contains("GitHub answered 403 Forbidden for octo/hello"),
        "{err}"
    );
    assert!(err.contains("actions:read"), "{err}");
    assert!(!output.exists());
}

#[test]
fn github_answer_that_is_not_json_is_an_error_naming_the_url() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200).body("<html>sign in</html>");
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    assert!(
        err.contains("unexpected answer from http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("/repos/octo/hello/actions/runs"), "{err}");
    assert!(err.contains("not JSON"), "{err}");
    assert!(!output.exists());
}

#[test]
fn github_merges_into_the_existing_export_by_id_keeping_the_later_attempt() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200).json_body(runs_page(
            2,
            &[
                run(2, 1, "2026-03-02T10:00:00Z"),
                run(1, 2, "2026-03-01T10:00:00Z"),
            ],
        ));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");
    let existing = json!({"total_count": 1, "workflow_runs": [run(1, 1, "2026-03-01T10:00:00Z")]});
    std::fs::write(&output, existing.to_string()).unwrap();

    let out = fetch_github(&server, &output, &[]);

    let err = succeeded(&out);
    let file = export(&output);
    assert_eq!(file["total_count"], 2);
    assert_eq!(ids(&file["workflow_runs"]), vec![1, 2]);
    assert_eq!(file["workflow_runs"][0]["run_attempt"], 2);
    assert!(err.contains("(merged with 1 already there)"), "{err}");
}

#[test]
fn github_refuses_to_overwrite_a_file_that_is_not_its_export() {
    let server = MockServer::start();
    let runs = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200).json_body(runs_page(0, &[]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");
    let gitlab = "{\"pipelines\": [{\"id\": 1}]}\n";
    std::fs::write(&output, gitlab).unwrap();

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    assert!(err.contains("is not a GitHub export"), "{err}");
    // Checked before the first request.
    runs.assert_calls(0);
    assert_eq!(std::fs::read_to_string(&output).unwrap(), gitlab);
}

#[test]
fn github_deployments_come_with_their_statuses() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let replay = dir.join("github/pygithub_replay");
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(runs_page(1, &[run(1, 1, "2020-08-26T11:00:00Z")]));
    });
    let listed = server.mock(|when, then| {
        when.path("/repos/octo/hello/deployments")
            .query_param("per_page", "100")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200)
            .json_body(fixture(&replay, "deployments_list_PyGithub.json"));
    });
    let statuses = server.mock(|when, then| {
        when.path("/repos/octo/hello/deployments/263877258/statuses");
        then.status(200).json_body(fixture(
            &replay,
            "deployment_statuses_list_jacquev6_263877258.json",
        ));
    });
    let no_statuses = server.mock(|when, then| {
        when.path("/repos/octo/hello/deployments/262350588/statuses");
        then.status(200).json_body(json!([]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &["--deployments"]);

    let err = succeeded(&out);
    listed.assert_calls(1);
    statuses.assert_calls(1);
    no_statuses.assert_calls(1);
    let file = export(&output);
    assert_eq!(ids(&file["deployments"]), vec![262350588, 263877258]);
    assert_eq!(file["deployments"][0]["statuses"], json!([]));
    assert_eq!(
        ids(&file["deployments"][1]["statuses"]),
        vec![388454671, 388433743, 388432880]
    );
    assert_eq!(file["deployments"][0]["environment"], "production");
    assert_eq!(file["deployments"][1]["environment"], "test");
    assert!(
        err.contains("fetched 1 run (2020-08-26 .. 2020-08-26) and 2 deployments"),
        "{err}"
    );
}

#[test]
fn gitlab_follows_x_next_page_with_an_encoded_project_path() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let pipelines = fixture(&dir, "gitlab/devlake_e2e/pipelines_list.json");
    let all = pipelines.as_array().expect("pipelines list");
    let server = MockServer::start();
    let page1 = server.mock(|when, then| {
        when.method(GET)
            .path("/api/v4/projects/acme%2Fweb/pipelines")
            .query_param("per_page", "100")
            .query_param("updated_after", "2022-01-01T00:00:00Z")
            .header("private-token", GITLAB_TOKEN)
            .is_true(no_authorization)
            .is_true(|req| !req.query_params().iter().any(|(k, _)| k == "page"));
        then.status(200)
            .header("x-next-page", "2")
            .header("x-page", "1")
            .json_body(Value::Array(all[..20].to_vec()));
    });
    let page2 = server.mock(|when, then| {
        when.method(GET)
            .path("/api/v4/projects/acme%2Fweb/pipelines")
            .query_param("page", "2")
            .query_param("updated_after", "2022-01-01T00:00:00Z")
            .header("private-token", GITLAB_TOKEN);
        then.status(200)
            .header("x-next-page", "")
            .header("x-page", "2")
            .json_body(Value::Array(all[20..].to_vec()));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("pipelines.json");

    let out = fetch_gitlab(&server, "acme/web", &output, &["--since", "2022-01-01"]);

    let err = succeeded(&out);
    assert!(!err.contains(GITLAB_TOKEN), "{err}");
    page1.assert_calls(1);
    page2.assert_calls(1);
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(!text.contains(GITLAB_TOKEN));
    let file: Value = serde_json::from_str(&text).unwrap();
    let ids = ids(&file["pipelines"]);
    assert_eq!(ids.len(), 29);
    assert_eq!(ids.first(), Some(&457474837));
    assert_eq!(ids.last(), Some(&485932872));
    assert!(file.get("deployments").is_none());
    assert!(
        err.contains("fetched 29 pipelines (2022-01-27 .. 2022-03-07)"),
        "{err}"
    );
}

#[test]
fn gitlab_deployments_are_exported_beside_the_pipelines() {
    let Some(dir) = recorded_fixtures() else {
        return;
    };
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/api/v4/projects/42/pipelines");
        then.status(200).json_body(json!([
            {"id": 9, "status": "success", "created_at": "2022-03-01T10:00:00.000Z"}
        ]));
    });
    let deployments = server.mock(|when, then| {
        when.path("/api/v4/projects/42/deployments")
            .query_param("per_page", "100");
        then.status(200)
            .json_body(fixture(&dir, "gitlab/devlake_e2e/deployments_list.json"));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("pipelines.json");
    // An existing export with one pipeline the server no longer lists: kept.
    std::fs::write(&output, r#"{"pipelines": [{"id": 3, "status": "failed"}]}"#).unwrap();

    let out = fetch_gitlab(&server, "42", &output, &["--deployments"]);

    let err = succeeded(&out);
    deployments.assert_calls(1);
    let file = export(&output);
    assert_eq!(ids(&file["pipelines"]), vec![3, 9]);
    assert_eq!(
        ids(&file["deployments"]),
        vec![
            13426753, 13432654, 13432768, 13436532, 13436763, 13436778, 13436915, 13436986
        ]
    );
    assert!(err.contains("and 8 deployments"), "{err}");
    assert!(err.contains("(merged with 1 already there)"), "{err}");
}

#[test]
fn gitlab_404_names_the_project() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/api/v4/projects/acme%2Fgone/pipelines");
        then.status(404)
            .json_body(json!({"message": "404 Project Not Found"}));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("pipelines.json");

    let out = fetch_gitlab(&server, "acme/gone", &output, &[]);

    let err = failed(&out);
    assert!(!err.contains(GITLAB_TOKEN), "{err}");
    assert!(
        err.contains("GitLab answered 404 Not Found for acme/gone"),
        "{err}"
    );
    assert!(err.contains("GITLAB_TOKEN can see private"), "{err}");
    assert!(!output.exists());
}

#[test]
fn github_unreachable_api_is_retried_then_a_clear_error() {
    // A port nobody listens on any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = valueflow()
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--api-url",
        ])
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("-o")
        .arg(&output)
        .output()
        .expect("runs");

    let err = failed(&out);
    assert!(err.contains("retrying in 4 s (3 of 3)"), "{err}");
    assert!(
        err.contains(&format!(
            "error: cannot reach http://127.0.0.1:{port}/repos/octo/hello/actions/runs?per_page=100 after 4 attempts"
        )),
        "{err}"
    );
    assert!(!output.exists());
}

#[test]
fn github_token_from_token_env_and_none_without_one() {
    let server = MockServer::start();
    let with_token = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .header("authorization", "Bearer other-secret-789");
        then.status(200)
            .json_body(runs_page(1, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let anonymous = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .is_true(no_authorization);
        then.status(200)
            .json_body(runs_page(1, &[run(2, 1, "2026-03-02T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let named = tmp.path().join("named.json");
    let none = tmp.path().join("none.json");

    let out = valueflow()
        .env("MY_CI_TOKEN", "other-secret-789")
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--token-env",
            "MY_CI_TOKEN",
        ])
        .arg("--api-url")
        .arg(server.base_url())
        .arg("-o")
        .arg(&named)
        .output()
        .expect("runs");
    let err = succeeded(&out);
    assert!(!err.contains("other-secret-789"), "{err}");
    with_token.assert_calls(1);
    assert_eq!(ids(&export(&named)["workflow_runs"]), vec![1]);

    let out = valueflow()
        .env_remove("GITHUB_TOKEN")
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--api-url",
        ])
        .arg(server.base_url())
        .arg("-o")
        .arg(&none)
        .output()
        .expect("runs");
    let err = succeeded(&out);
    anonymous.assert_calls(1);
    assert!(
        err.contains("note: GITHUB_TOKEN is not set: unauthenticated requests have a low rate limit (60 an hour)"),
        "{err}"
    );
    assert_eq!(ids(&export(&none)["workflow_runs"]), vec![2]);

    let out = valueflow()
        .env_remove("NOT_SET_ANYWHERE")
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--token-env",
            "NOT_SET_ANYWHERE",
        ])
        .arg("--api-url")
        .arg(server.base_url())
        .arg("-o")
        .arg(tmp.path().join("unset.json"))
        .output()
        .expect("runs");
    let err = failed(&out);
    assert!(
        err.contains("the environment variable NOT_SET_ANYWHERE is not set"),
        "{err}"
    );
}

#[test]
fn gitlab_429_waits_for_the_reset() {
    static LIMITED: AtomicBool = AtomicBool::new(false);
    fn first_request(_: &HttpMockRequest) -> bool {
        !LIMITED.swap(true, Ordering::SeqCst)
    }
    let reset = chrono::Utc::now().timestamp() + 20;
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.path("/api/v4/projects/42/pipelines")
            .is_true(first_request);
        then.status(429)
            .header("ratelimit-remaining", "0")
            .header("ratelimit-reset", reset.to_string())
            .body("Retry later");
    });
    server.mock(|when, then| {
        when.path("/api/v4/projects/42/pipelines");
        then.status(200).json_body(json!([
            {"id": 9, "status": "success", "created_at": "2022-03-01T10:00:00.000Z"}
        ]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("pipelines.json");

    let out = fetch_gitlab(&server, "42", &output, &[]);

    let err = succeeded(&out);
    limited.assert_calls(1);
    let said =
        regex::Regex::new(r"waiting 2[01] s for the GitLab rate limit to reset \(until ").unwrap();
    assert!(said.is_match(&err), "{err}");
    assert_eq!(ids(&export(&output)["pipelines"]), vec![9]);
    assert!(
        err.contains("fetched 1 pipeline (2022-03-01 .. 2022-03-01)"),
        "{err}"
    );
}

/// The two-step flow of the README: fetch from the API, then report on the export.
#[test]
fn fetch_then_report_for_github_and_gitlab() {
    use crate::repo::{TestRepo, at};
    let repo = TestRepo::new();
    let c1 = repo.commit("one", 0).to_string();
    let c2 = repo.commit("two", 2).to_string();
    let run = |id: u64, name: &str, sha: &str, conclusion: &str, finished: i64| {
        json!({"id": id, "name": name, "path": format!(".github/workflows/{}.yml", name.to_lowercase()),
               "head_branch": "main", "head_sha": sha, "event": "push", "status": "completed",
               "conclusion": conclusion, "workflow_id": 1, "run_number": id, "run_attempt": 1,
               "created_at": at(finished - 1), "updated_at": at(finished)})
    };
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(json!({"total_count": 4, "workflow_runs": [
                run(1, "Deploy", &c1, "success", 1),
                run(2, "CI", &c2, "failure", 3),
                run(3, "CI", &c2, "success", 4),
                run(4, "Deploy", &c2, "success", 5),
            ]}));
    });
    server.mock(|when, then| {
        when.method(GET).path("/api/v4/projects/42/pipelines");
        then.status(200).json_body(json!([
            {"id": 10, "sha": c1, "ref": "main", "status": "success", "source": "push",
             "created_at": at(0), "updated_at": at(1)},
            {"id": 11, "sha": c2, "ref": "main", "status": "success", "source": "web",
             "created_at": at(4), "updated_at": at(5)}
        ]));
    });
    server.mock(|when, then| {
        when.method(GET).path("/api/v4/projects/42/deployments");
        then.status(200).json_body(json!([
            {"id": 20, "sha": c1, "ref": "main", "status": "success",
             "environment": {"name": "production"}, "updated_at": at(1)},
            {"id": 21, "sha": c2, "ref": "main", "status": "success",
             "environment": {"name": "production"}, "updated_at": at(6)}
        ]));
    });
    let tmp = TempDir::new().unwrap();
    let report = |export: &Path| -> Value {
        let out = valueflow()
            .args([
                "report",
                "--format",
                "json",
                "--since",
                &at(0),
                "--until",
                &at(24),
                "-C",
            ])
            .arg(repo.path())
            .arg("--ci")
            .arg(export)
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("json")
    };

    let runs = tmp.path().join("runs.json");
    succeeded(&fetch_github(&server, &runs, &[]));
    let github = report(&runs);
    assert_eq!(github["deployments"]["source"], "ci");
    assert_eq!(github["deployments"]["count"], 2);
    // The second deploy ships c2 (authored h2) at h5: 3 h.
    assert_eq!(
        github["measures"]["lead_time_for_changes"]["median_hours"],
        3.0
    );
    // 4 runs, 3 zero-touch, 1 failed; red at h3, green at h4.
    let ph = &github["measures"]["pipeline_health"];
    assert_eq!(
        (&ph["runs"], &ph["zero_touch"], &ph["failed"]),
        (&json!(4), &json!(3), &json!(1))
    );
    assert_eq!(ph["median_time_to_green_hours"], 1.0);
    assert_eq!(github["assessment"], Value::Null);

    let pipelines = tmp.path().join("pipelines.json");
    succeeded(&fetch_gitlab(&server, "42", &pipelines, &["--deployments"]));
    let gitlab = report(&pipelines);
    // The production deployment records are the deployments: c2 at h6, 4 h after its author.
    assert_eq!(gitlab["deployments"]["source"], "ci");
    assert_eq!(gitlab["deployments"]["count"], 2);
    assert_eq!(
        gitlab["measures"]["lead_time_for_changes"]["median_hours"],
        4.0
    );
    // Pipeline 11 was started from the web UI: not zero-touch.
    let ph = &gitlab["measures"]["pipeline_health"];
    assert_eq!(
        (&ph["runs"], &ph["zero_touch"], &ph["manual_trigger"]),
        (&json!(2), &json!(1), &json!(1))
    );
}

// Hostile input (issue 8)

/// A listener on loopback that answers one request with a chunked body that never ends:
/// httpmock serves only bodies it holds whole, and the point is a body without a length.
fn endless_body_server() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        let chunk = [b' '; 1 << 20];
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(&chunk);
        framed.extend_from_slice(b"\r\n");
        // Ends when the client hangs up.
        while stream.write_all(&framed).is_ok() {}
    });
    format!("http://{address}")
}

#[test]
fn github_endless_page_stops_at_the_cap_naming_the_url() {
    let api = endless_body_server();
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = valueflow()
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--api-url",
            &api,
        ])
        .arg("-o")
        .arg(&output)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");

    let err = failed(&out);
    assert!(
        err.contains(&format!(
            "error: unexpected answer from {api}/repos/octo/hello/actions/runs?per_page=100: the page is larger than 64 MiB, more than any real page"
        )),
        "{err}"
    );
    assert!(!output.exists());
}

#[test]
fn github_page_declared_larger_than_the_cap_is_refused_unread() {
    let server = MockServer::start();
    // 64 MiB and one byte, with its Content-Length.
    let huge = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200).body(vec![b' '; 64 * 1024 * 1024 + 1]);
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    huge.assert_calls(1);
    assert!(
        err.contains("/repos/octo/hello/actions/runs?per_page=100: the page is larger than 64 MiB"),
        "{err}"
    );
}

#[test]
fn github_next_link_back_to_a_page_already_read_is_an_error() {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs")
            .query_param_exists("per_page");
        then.status(200)
            .header(
                "link",
                format!("<{}/runs?page=2>; rel=\"next\"", server.base_url()),
            )
            .json_body(runs_page(2, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let second = server.mock(|when, then| {
        when.path("/runs").query_param("page", "2");
        then.status(200)
            .header(
                "link",
                format!(
                    "<{}/repos/octo/hello/actions/runs?per_page=100>; rel=\"next\"",
                    server.base_url()
                ),
            )
            .json_body(runs_page(2, &[run(2, 1, "2026-03-02T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &[]);

    let err = failed(&out);
    first.assert_calls(1);
    second.assert_calls(1);
    assert!(
        err.contains(&format!(
            "error: unexpected answer from {}/repos/octo/hello/actions/runs?per_page=100: the next page link points back at a page already read",
            server.base_url()
        )),
        "{err}"
    );
    assert!(!output.exists());
}

#[test]
fn gitlab_next_page_that_repeats_itself_is_an_error() {
    let server = MockServer::start();
    // x-next-page 1 on page 1: the same URL again.
    let pipelines = server.mock(|when, then| {
        when.path("/api/v4/projects/42/pipelines");
        then.status(200)
            .header("x-next-page", "1")
            .json_body(json!([{"id": 9, "status": "success"}]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("pipelines.json");

    let out = fetch_gitlab(&server, "42", &output, &[]);

    let err = failed(&out);
    // The first URL has no page number; page=1 is a new URL, then page=1 again is not.
    pipelines.assert_calls(2);
    assert!(
        err.contains("/api/v4/projects/42/pipelines?per_page=100&page=1: the next page link points back at a page already read"),
        "{err}"
    );
}

fn spawn_fetch(server: &MockServer, repo: &str, output: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("valueflow"))
        .env("NO_COLOR", "1")
        .env("GITHUB_TOKEN", TOKEN)
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            repo,
            "--api-url",
        ])
        .arg(server.base_url())
        .arg("-o")
        .arg(output)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("starts")
}

#[test]
fn two_fetches_into_one_export_at_once_keep_both_runs() {
    let server = MockServer::start();
    // Both answers come a second late, so both fetches have read the (missing) export before
    // either writes it.
    for (repo, id) in [("one", 1), ("two", 2)] {
        server.mock(|when, then| {
            when.path(format!("/repos/octo/{repo}/actions/runs"));
            then.status(200)
                .delay(std::time::Duration::from_secs(1))
                .json_body(runs_page(1, &[run(id, 1, "2026-03-01T10:00:00Z")]));
        });
    }
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let one = spawn_fetch(&server, "octo/one", &output);
    let two = spawn_fetch(&server, "octo/two", &output);

    for child in [one, two] {
        succeeded(&child.wait_with_output().expect("ends"));
    }
    let file = export(&output);
    assert_eq!(ids(&file["workflow_runs"]), vec![1, 2]);
    assert_eq!(file["total_count"], 2);
}

#[test]
fn fetch_waits_for_the_lock_another_holds_on_the_export() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(runs_page(1, &[run(2, 1, "2026-03-02T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");
    let lock_path = tmp.path().join("runs.json.lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();

    let fetch = spawn_fetch(&server, "octo/hello", &output);
    // While the lock is held, another writer adds run 1; the fetch must merge with it.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    std::fs::write(
        &output,
        runs_page(1, &[run(1, 1, "2026-03-01T10:00:00Z")]).to_string(),
    )
    .unwrap();
    lock.unlock().unwrap();

    let err = succeeded(&fetch.wait_with_output().expect("ends"));
    assert!(
        err.contains(&format!(
            "waiting for the lock on {} (another valueflow fetch is writing {})",
            lock_path.display(),
            output.display()
        )),
        "{err}"
    );
    assert_eq!(ids(&export(&output)["workflow_runs"]), vec![1, 2]);
    assert!(err.contains("(merged with 1 already there)"), "{err}");
}

#[test]
fn credentials_in_urls_are_never_printed() {
    let server = MockServer::start();
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let with_password = server
        .base_url()
        .replace("http://", "http://user:hunter2-pass@");
    let out = valueflow()
        .args([
            "fetch",
            "github",
            "--skip-waits",
            "--repo",
            "octo/hello",
            "--api-url",
        ])
        .arg(format!("{with_password}/api/v3"))
        .arg("-o")
        .arg(&output)
        .output()
        .expect("runs");
    let err = failed(&out);
    assert!(!err.contains("hunter2-pass"), "{err}");
    assert!(
        err.contains(&format!(
            "--api-url \"{}/api/v3\" is not an http(s) URL (no query or credentials belong in it)",
            server.base_url()
        )),
        "{err}"
    );

    // A next link with credentials, to a port nobody listens on: progress lines and the error.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .header(
                "link",
                format!("<http://user:hunter2-pass@127.0.0.1:{port}/runs?page=2>; rel=\"next\""),
            )
            .json_body(runs_page(2, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let out = fetch_github(&server, &output, &[]);
    let err = failed(&out);
    assert!(!err.contains("hunter2-pass"), "{err}");
    assert!(
        err.contains(&format!(
            "the connection failed for http://127.0.0.1:{port}/runs?page=2; retrying in 1 s (1 of 3)"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: cannot reach http://127.0.0.1:{port}/runs?page=2 after 4 attempts: "
        )),
        "{err}"
    );
}

#[test]
fn names_that_would_rewrite_the_request_path_are_refused() {
    let server = MockServer::start();
    let anything = server.mock(|when, then| {
        when.any_request();
        then.status(200).json_body(runs_page(0, &[]));
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let err = failed(
        &valueflow()
            .args([
                "fetch",
                "github",
                "--skip-waits",
                "--repo",
                "octo/..",
                "--api-url",
            ])
            .arg(server.base_url())
            .arg("-o")
            .arg(&output)
            .output()
            .expect("runs"),
    );
    assert!(
        err.contains("error: --repo \"octo/..\" is not OWNER/NAME (letters, digits, _ . -, neither part . or ..)"),
        "{err}"
    );

    let err = failed(&fetch_github(&server, &output, &["--workflow", ".."]));
    assert!(
        err.contains("error: --workflow \"..\" is not a workflow file name or id: give the file name in .github/workflows (such as deploy.yml, no /) or the numeric id"),
        "{err}"
    );
    let err = failed(&fetch_github(&server, &output, &["--workflow", "../../x"]));
    assert!(err.contains("--workflow \"../../x\" is not"), "{err}");

    let err = failed(&fetch_gitlab(&server, "acme/..", &output, &[]));
    assert!(
        err.contains("error: --project \"acme/..\" is not a project id or path"),
        "{err}"
    );
    anything.assert_calls(0);
    assert!(!output.exists());
}

#[test]
fn github_huge_retry_after_is_a_clear_error_not_a_panic() {
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(429)
            .header("retry-after", "18446744073709551615");
    });
    let tmp = TempDir::new().unwrap();
    let output = tmp.path().join("runs.json");

    let out = fetch_github(&server, &output, &["--max-wait", "60"]);

    let err = failed(&out);
    limited.assert_calls(1);
    assert!(
        err.contains("error: the GitHub rate limit resets in 18446744073709551615 s (beyond any date), longer than --max-wait 60 s"),
        "{err}"
    );
}

#[test]
fn os_errors_on_the_export_path_are_said_once() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/repos/octo/hello/actions/runs");
        then.status(200)
            .json_body(runs_page(1, &[run(1, 1, "2026-03-01T10:00:00Z")]));
    });
    let tmp = TempDir::new().unwrap();

    // The export is a directory.
    let out = fetch_github(&server, tmp.path(), &[]);
    let err = failed(&out);
    assert_eq!(
        err.matches("Is a directory (os error 21)").count(),
        1,
        "{err}"
    );

    // Its lock file is a directory.
    let output = tmp.path().join("runs.json");
    std::fs::create_dir(tmp.path().join("runs.json.lock")).unwrap();
    let out = fetch_github(&server, &output, &[]);
    let err = failed(&out);
    assert!(
        err.contains(&format!(
            "error: cannot lock {}: Is a directory (os error 21)",
            tmp.path().join("runs.json.lock").display()
        )),
        "{err}"
    );
    assert_eq!(err.matches("os error 21").count(), 1, "{err}");
    assert!(!output.exists());
}

/// A pull request as GitHub's `GET /repos/{owner}/{repo}/pulls` lists it (the fields valueflow
/// reads, in the recorded shape: `user.login`, times in RFC 3339 with `Z`, `merged_at` null
/// for a pull request closed without merging).
fn pull(number: u64, created: &str, updated: &str, merged: Option<&str>) -> Value {
    json!({
        "url": format!("https://api.github.com/repos/octo/hello/pulls/{number}"),
        "id": 1000 + number, "number": number, "state": "closed", "title": format!("Change {number}"),
        "user": {"login": "ada", "id": 1, "type": "User"},
        "created_at": created, "updated_at": updated, "closed_at": updated,
        "merged_at": merged,
        "merge_commit_sha": merged.map(|_| format!("{number:040x}")),
        "head": {"ref": format!("change-{number}"), "sha": format!("{:040x}", number + 100)},
        "base": {"ref": "main"}
    })
}

/// `GET /repos/{owner}/{repo}/pulls/{n}/commits`, oldest first.
fn pull_commits(dates: &[&str]) -> Value {
    Value::Array(
        dates
            .iter()
            .enumerate()
            .map(|(i, date)| {
                json!({
                    "sha": format!("{:040x}", i + 1),
                    "commit": {
                        "author": {"name": "Ada", "email": "ada@example.com", "date": date},
                        "committer": {"name": "GitHub", "email": "noreply@github.com", "date": date},
                        "message": "part"
                    },
                    "author": {"login": "ada"}, "parents": []
                })
            })
            .collect(),
    )
}

#[test]
fn github_pull_requests_are_listed_back_to_the_bound_with_their_commits() {
    let server = MockServer::start();
    let dir = TempDir::new().expect("tempdir");
    let output = dir.path().join("prs.json");
    // --since 2026-04-01: the bound is 90 days earlier, 2026-01-01. Newest updated first:
    // page 1 holds #5 (merged 2026-03-02) and #4 (closed unmerged); page 2 holds #3 (merged
    // 2026-01-10) and #2 (updated 2025-12-20, before the bound: the listing stops there, so
    // page 3 is never asked for).
    let page2_url = server.url("/repos/octo/hello/pulls?page=2");
    let page1 = server.mock(|when, then| {
        when.method(GET)
            .path("/repos/octo/hello/pulls")
            .query_param("state", "closed")
            .query_param("sort", "updated")
            .query_param("direction", "desc")
            .query_param_missing("page")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200)
            .header("link", format!("<{page2_url}>; rel=\"next\""))
            .json_body(json!([
                pull(
                    5,
                    "2026-02-27T09:00:00Z",
                    "2026-03-02T10:00:00Z",
                    Some("2026-03-02T10:00:00Z")
                ),
                pull(4, "2026-02-20T09:00:00Z", "2026-02-21T10:00:00Z", None),
            ]));
    });
    let page3_url = server.url("/repos/octo/hello/pulls?page=3");
    let page2 = server.mock(|when, then| {
        when.method(GET)
            .path("/repos/octo/hello/pulls")
            .query_param("page", "2");
        then.status(200)
            .header("link", format!("<{page3_url}>; rel=\"next\""))
            .json_body(json!([
                pull(
                    3,
                    "2026-01-08T12:00:00Z",
                    "2026-01-10T08:00:00Z",
                    Some("2026-01-10T08:00:00Z")
                ),
                pull(
                    2,
                    "2025-12-01T12:00:00Z",
                    "2025-12-20T08:00:00Z",
                    Some("2025-12-20T08:00:00Z")
                ),
            ]));
    });
    let page3 = server.mock(|when, then| {
        when.method(GET)
            .path("/repos/octo/hello/pulls")
            .query_param("page", "3");
        then.status(200).json_body(json!([]));
    });
    let commits5 = server.mock(|when, then| {
        when.method(GET).path("/repos/octo/hello/pulls/5/commits");
        then.status(200).json_body(pull_commits(&[
            "2026-02-26T15:00:00Z",
            "2026-03-01T11:00:00Z",
        ]));
    });
    let commits3 = server.mock(|when, then| {
        when.method(GET).path("/repos/octo/hello/pulls/3/commits");
        then.status(200)
            .json_body(pull_commits(&["2026-01-07T06:00:00Z"]));
    });
    let out = fetch_github(
        &server,
        &output,
        &["--pull-requests", "--since", "2026-04-01"],
    );
    let said = succeeded(&out);
    assert!(
        said.contains("fetched 2 pull requests merged since 2026-01-01"),
        "{said}"
    );
    assert!(!said.contains(TOKEN));
    page1.assert();
    page2.assert();
    page3.assert_calls(0);
    commits5.assert();
    commits3.assert();
    let written = export(&output);
    let list = written["pull_requests"].as_array().expect("list");
    let numbers: Vec<u64> = list.iter().map(|p| p["number"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [3, 5]);
    assert_eq!(list[1]["created_at"], "2026-02-27T09:00:00Z");
    assert_eq!(list[1]["merged_at"], "2026-03-02T10:00:00Z");
    // The first commit's author date: the oldest of the two.
    assert_eq!(list[1]["first_commit_at"], "2026-02-26T15:00:00Z");
    assert_eq!(list[1]["author"], "ada");
    assert_eq!(list[1]["commits"][1]["author"], "Ada <ada@example.com>");
    assert_eq!(list[0]["first_commit_at"], "2026-01-07T06:00:00Z");
    // What fetch wrote, measure reads.
    let prs = valueflow_prs_parse(&output);
    assert_eq!(prs, 2);

    // An -o that is not a pull-request export is refused before any request.
    let runs = dir.path().join("runs.json");
    std::fs::write(&runs, "{\"workflow_runs\": []}").expect("written");
    let out = fetch_github(
        &server,
        &runs,
        &["--pull-requests", "--since", "2026-04-01"],
    );
    let err = failed(&out);
    assert!(err.contains("is not a pull-request export"), "{err}");
    page1.assert_calls(1);
}

/// The pull requests `measure --prs` reads from `path`.
fn valueflow_prs_parse(path: &Path) -> usize {
    valueflow::pull_requests::load(path)
        .expect("a valid export")
        .len()
}
