//! Hostile input (issue 8): one test per defect found by trying valueflow as a hostile user
//! would. Each ends as exit 2 with one `error:` line, or as the behaviour named, never as a
//! panic (exit 101) or a destroyed file. The tests build in debug, so integer overflow panics.

use std::path::Path;
use std::process::Output;

use git2::{Repository, Signature, Time};
use serde_json::json;

use crate::command::valueflow;
use crate::repo::{TestRepo, at};

fn run(dir: &Path, args: &[&str]) -> Output {
    valueflow()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit 2 with a single `error:` line that contains `needle`.
fn refused(out: &Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains(needle), "{err}");
}

/// A repository with a tag on one commit at hour 1 (2026-01-05T01:00:00Z).
fn tagged() -> TestRepo {
    let repo = TestRepo::new();
    let c = repo.commit("first", 1);
    repo.lightweight_tag("v1.0", c);
    repo
}

// 1. Date arithmetic on input.

#[test]
fn dates_outside_1900_to_9999_are_refused() {
    let repo = tagged();
    for args in [
        &["measure", "--until=-262143-01-01"][..],
        &["measure", "--since=-262143-01-01", "--until", "2026-12-01"],
        &["measure", "--since", "1000000d", "--until", "2026-12-01"],
    ] {
        refused(&run(repo.path(), args), "in the years 1900 to 9999");
    }
}

#[test]
fn a_commit_at_the_earliest_time_git_can_write_is_measured_without_overflow() {
    // Committer date i64::MIN: `oldest - slop` in the tag reachability walk would overflow.
    // libgit2 (0.20) reads such a date back as 0, so this cannot fail today; the walk
    // subtracts with saturation all the same, and this keeps the extreme case measured.
    let dir = tempfile::tempdir().expect("tempdir");
    let git = Repository::init(dir.path()).expect("init");
    let sig = Signature::new("Ada", "ada@example.com", &Time::new(i64::MIN, 0)).expect("sig");
    let tree = git
        .find_tree(git.treebuilder(None).unwrap().write().unwrap())
        .unwrap();
    let c = git
        .commit(Some("HEAD"), &sig, &sig, "ancient", &tree, &[])
        .expect("commit");
    git.reference("refs/tags/v1.0", c, false, "t").unwrap();
    let out = run(
        dir.path(),
        &["measure", "--since", "1900-01-01", "--format", "json"],
    );
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "exit {:?}: {}",
        out.status.code(),
        stderr(&out)
    );
}

#[test]
fn a_jenkins_build_whose_end_overflows_is_not_a_finished_run() {
    let repo = tagged();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("builds.json");
    let build = json!({"builds": [{"number": 1, "result": "SUCCESS", "timestamp": i64::MAX,
        "duration": 1000, "fullDisplayName": "deploy #1", "actions": []}]});
    std::fs::write(&export, build.to_string()).unwrap();
    let out = run(
        repo.path(),
        &[
            "measure",
            "--ci",
            export.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// 2. `-o` naming an input.

/// The output path given is an input: refused, and the input is as it was.
fn keeps_input(repo: &Path, input: &Path, args: &[&str]) {
    let before = std::fs::read(input).unwrap();
    // An explicit format: without one, `-o a.toml` is refused for its extension before the
    // inputs are known, and this is about the inputs.
    let args = [args, &["--format", "table"]].concat();
    refused(&run(repo, &args), "which writing the report would destroy");
    assert_eq!(std::fs::read(input).unwrap(), before);
}

#[test]
fn output_over_an_input_is_refused() {
    let repo = tagged();
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    std::fs::write(p("a.toml"), "standard = \"continuous-value-flow\"\n").unwrap();
    let a = p("a.toml");
    keeps_input(
        repo.path(),
        Path::new(&a),
        &["report", "--assessment", &a, "-o", &a],
    );

    std::fs::write(p("runs.json"), r#"{"total_count": 0, "workflow_runs": []}"#).unwrap();
    let runs = p("runs.json");
    keeps_input(
        repo.path(),
        Path::new(&runs),
        &["measure", "--ci", &runs, "-o", &runs],
    );
    // Another name for the same file (a symlink) is the same input.
    let link = p("link.json");
    std::os::unix::fs::symlink(&runs, &link).unwrap();
    keeps_input(
        repo.path(),
        Path::new(&runs),
        &["measure", "--ci", &runs, "-o", &link],
    );

    std::fs::write(p("incidents.csv"), "id,started_at\n").unwrap();
    let incidents = p("incidents.csv");
    keeps_input(
        repo.path(),
        Path::new(&incidents),
        &["measure", "--incidents", &incidents, "-o", &incidents],
    );

    let project = repo.path().join("valueflow.toml");
    std::fs::write(&project, "[measure]\nsince = \"2025-01-01\"\n").unwrap();
    keeps_input(repo.path(), &project, &["report", "-o", "valueflow.toml"]);
}

// 3. What `-o` does to what is at the path.

#[cfg(unix)]
mod output_kinds {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};

    use super::*;

    fn valueflow_with_umask(dir: &Path, umask: &str, args: &str) -> Output {
        let bin = assert_cmd::cargo::cargo_bin("valueflow");
        std::process::Command::new("sh")
            .current_dir(dir)
            .arg("-c")
            .arg(format!("umask {umask} && exec '{}' {args}", bin.display()))
            .output()
            .expect("runs")
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_honours_the_umask_and_an_old_one_keeps_its_mode() {
        let repo = tagged();
        let out = valueflow_with_umask(repo.path(), "022", "measure -o new.json");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(&repo.path().join("new.json")), 0o644);
        let out = valueflow_with_umask(repo.path(), "077", "measure -o private.json");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(&repo.path().join("private.json")), 0o600);

        let old = repo.path().join("old.md");
        std::fs::write(&old, "x").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        let out = valueflow_with_umask(repo.path(), "022", "measure -o old.md");
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(&old), 0o640);
        assert!(
            std::fs::read_to_string(&old)
                .unwrap()
                .contains("Deployment")
        );
    }

    #[test]
    fn a_symlink_is_written_through() {
        let repo = tagged();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap();
        let link = repo.path().join("latest.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let out = run(repo.path(), &["measure", "-o", "latest.json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let written: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
        assert_eq!(written["deployments"]["source"], "tags");
    }

    #[test]
    fn a_fifo_is_written_in_place_not_replaced() {
        // As /dev/null would be: a rename would put a regular file where the FIFO was.
        let repo = tagged();
        let fifo = repo.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let out = run(repo.path(), &["measure", "-o", "pipe.json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = reader.join().unwrap();
        assert!(text.contains("\"source\": \"tags\""), "{text}");
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo()
        );
        // /dev/stdout, a pipe here, reached through /proc's links.
        let out = run(
            repo.path(),
            &["measure", "-o", "/dev/stdout", "--format", "json"],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["deployments"]["source"], "tags");
    }
}

// 4. Unbounded reads.

#[test]
fn endless_text_inputs_are_refused_at_32_mib() {
    let repo = tagged();
    for args in [
        &["measure", "--incidents", "/dev/zero"][..],
        &["report", "--assessment", "/dev/zero"],
        &["validate", "/dev/zero"],
    ] {
        refused(&run(repo.path(), args), "larger than 32 MiB");
    }
}

// 5. validate with many problems: each problem's line comes from one index of line starts.

#[test]
fn validate_reports_twenty_thousand_duplicates_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("valueflow.toml");
    // Line 1 is `standard = …`; practice k (0-based) starts at line 2 + 2k: `[[practice]]`,
    // then `id = …` on line 3 + 2k.
    let mut text = String::from("standard = \"continuous-value-flow\"\n");
    for _ in 0..20_000 {
        text.push_str("[[practice]]\nid = \"people.1.x\"\n");
    }
    std::fs::write(&path, &text).unwrap();
    let out = run(dir.path(), &["validate", "valueflow.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    // The last practice's id is on line 3 + 2 × 19,999 = 40,001.
    assert!(
        err.contains("valueflow.toml:40001:"),
        "{}",
        &err[err.len() - 2000..]
    );
}

// 8. An incident resolved before it started.

#[test]
fn an_incident_resolved_before_it_started_is_refused_at_its_line() {
    let repo = tagged();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("incidents.csv");
    std::fs::write(
        &csv,
        format!(
            "id,started_at,resolved_at\nINC-1,{},{}\nINC-2,{},{}\n",
            at(2),
            at(3),
            at(70),
            at(10)
        ),
    )
    .unwrap();
    refused(
        &run(
            repo.path(),
            &["measure", "--incidents", csv.to_str().unwrap()],
        ),
        "incidents.csv:3: incident \"INC-2\" resolved at 2026-01-05T10:00:00Z before it \
         started at 2026-01-07T22:00:00Z",
    );
    let json = dir.path().join("incidents.json");
    std::fs::write(
        &json,
        format!(
            "{{\"incidents\": [\n  {{\"id\": \"INC-1\", \"started_at\": \"{}\"}},\n  \
             {{\"id\": 7,\n   \"started_at\": \"{}\", \"resolved_at\": \"{}\"}}\n]}}\n",
            at(2),
            at(70),
            at(10)
        ),
    )
    .unwrap();
    // The second incident's `{` is on line 3.
    refused(
        &run(
            repo.path(),
            &["measure", "--incidents", json.to_str().unwrap()],
        ),
        "incidents.json:3: incident \"7\" resolved at",
    );
}

// 9. [outcome] targets out of range.

#[test]
fn outcome_targets_out_of_range_are_reported_each_at_its_line() {
    let repo = tagged();
    let file = repo.path().join("valueflow.toml");
    std::fs::write(
        &file,
        "standard = \"continuous-value-flow\"\n[outcome]\nlead_time_hours = nan\n\
         change_failure_rate = 5\npipeline_health = -1\ndeployments_per_day = 0\n\
         recovery_hours = -inf\n",
    )
    .unwrap();
    let out = run(repo.path(), &["validate", "valueflow.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    // Lines 3 to 7, each value after `key = `.
    for located in [
        "valueflow.toml:3:19: lead_time_hours = NaN is out of range",
        "valueflow.toml:4:23: change_failure_rate = 5 is out of range",
        "valueflow.toml:5:19: pipeline_health = -1 is out of range",
        "valueflow.toml:6:23: deployments_per_day = 0 is out of range",
        "valueflow.toml:7:18: recovery_hours = -inf is out of range",
    ] {
        assert!(err.contains(located), "{located}\n{err}");
    }
    refused(
        &run(repo.path(), &["report"]),
        "valueflow.toml:3:19: lead_time_hours = NaN is out of range",
    );
}

// 10. A second `init --force`.

#[test]
fn every_init_force_keeps_its_own_backup() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("valueflow.toml");
    std::fs::write(&file, "team = \"first answers\"\n").unwrap();
    assert!(run(dir.path(), &["init", "--force"]).status.success());
    std::fs::write(&file, "team = \"second answers\"\n").unwrap();
    let out = run(dir.path(), &["init", "--force"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("valueflow.toml.bak.1"));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(read("valueflow.toml.bak"), "team = \"first answers\"\n");
    assert_eq!(read("valueflow.toml.bak.1"), "team = \"second answers\"\n");
}

// 12. Minor ones.

#[test]
fn os_errors_are_printed_once() {
    let repo = tagged();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        &["measure", "--ci", d][..],
        &["measure", "--incidents", d],
        &["validate", d],
    ] {
        let out = run(repo.path(), args);
        refused(&out, "Is a directory (os error 21)");
        assert_eq!(stderr(&out).matches("os error 21").count(), 1, "{args:?}");
    }
}

#[test]
fn libgit2_errors_are_printed_once() {
    // A HEAD file that is no reference: libgit2 refuses it, and its message (and only its
    // message, not its class and code) is said once.
    let repo = tagged();
    std::fs::write(repo.path().join(".git/HEAD"), "garbage\n").unwrap();
    let out = run(repo.path(), &["measure"]);
    refused(&out, "corrupted loose reference file: HEAD");
    let err = stderr(&out);
    assert_eq!(
        err.matches("corrupted loose reference file").count(),
        1,
        "{err}"
    );
    assert!(!err.contains("class="), "{err}");
}

#[test]
fn a_ci_export_with_a_byte_order_mark_is_read() {
    let repo = tagged();
    let c = repo.git.head().unwrap().target().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("runs.json");
    let run_json = |id: u64| {
        json!({"id": id, "name": "Deploy", "head_sha": c, "head_branch": "main", "workflow_id": 7,
            "event": "push", "status": "completed", "conclusion": "success",
            "run_attempt": 1, "created_at": at(1), "run_started_at": at(1),
            "updated_at": at(2)})
    };
    let body = json!({"total_count": 2, "workflow_runs": [run_json(5), run_json(5)]});
    std::fs::write(&export, format!("\u{feff}{body}")).unwrap();
    let out = run(
        repo.path(),
        &[
            "measure",
            "--ci",
            export.to_str().unwrap(),
            "--since",
            "2026-01-01",
            "--until",
            "2026-02-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Run 5 twice in one export: one deployment, and a warning that says so.
    assert_eq!(report["deployments"]["source"], "ci");
    assert_eq!(report["deployments"]["count"], 1);
    assert!(
        stderr(&out).contains("1 run appears more than once in the exports"),
        "{}",
        stderr(&out)
    );
}
