//! examples/payments-repo.sh rebuilds the README's example repository with git alone: the
//! same commit and tag ids as `payments_history()`, and so the same report as
//! examples/report.txt.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use git2::Repository;

use crate::command::valueflow;
use crate::report_cmd::payments_history;

/// Whether `program ARGS` runs here; a note on stderr when it does not (the test then skips).
fn available(program: &str, args: &[&str]) -> bool {
    let runs = Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success());
    if !runs {
        // Written to the process's stderr: the harness captures `eprintln!`, and a skip must
        // be seen in a normal run.
        let _ = writeln!(
            std::io::stderr(),
            "note: `{program}` is not available: examples/payments-repo.sh not tested"
        );
    }
    runs
}

/// HEAD's commit and every tag with the id of its tag object, by name.
fn ids(git: &Repository) -> (String, Vec<(String, String)>) {
    let head = git.refname_to_id("HEAD").expect("HEAD").to_string();
    let mut tags: Vec<(String, String)> = git
        .references_glob("refs/tags/*")
        .expect("tags")
        .map(|r| {
            let r = r.expect("reference");
            let name = r.name().expect("utf-8").to_string();
            (name, r.target().expect("direct").to_string())
        })
        .collect();
    tags.sort();
    (head, tags)
}

#[test]
fn the_script_builds_the_example_repository_and_its_report() {
    if !available("git", &["--version"]) || !available("sh", &["-c", "true"]) {
        return;
    }
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new("sh")
        .arg(examples.join("payments-repo.sh"))
        .arg(dir.path())
        .output()
        .expect("sh runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let built = ids(&Repository::open(dir.path()).expect("a repository"));
    let expected = ids(&payments_history().git);
    assert_eq!(built.1.len(), 11, "{built:?}");
    assert_eq!(built, expected);

    // The README's command: the shipped export, the assessment the script put in the root.
    let out = valueflow()
        .env("COLUMNS", "80")
        .arg("report")
        .arg("-C")
        .arg(dir.path())
        .arg("--ci")
        .arg(examples.join("ci-runs.json"))
        .args(["--since", "2026-01-05", "--until", "2026-02-02"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout)
        .expect("utf-8")
        .replace(&dir.path().display().to_string(), "~/src/payments");
    let shipped = std::fs::read_to_string(examples.join("report.txt")).expect("report.txt");
    assert_eq!(report, shipped);
}
