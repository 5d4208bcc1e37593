//! Lead time whatever the merge style (measures.md §2, "Squash merges" and "Breakdown"): one
//! pull request shipped by a merge commit, a squash and a rebase, with and without
//! pull-request data, and a bot's pull request beside it. Every number is worked out by hand
//! below.

use std::path::Path;

use git2::Oid;
use serde_json::Value;

use crate::command::{close, json_of, valueflow};
use crate::repo::{TestRepo, at};

/// How the pull request reached `main`.
#[derive(Clone, Copy, Debug)]
enum Style {
    MergeCommit,
    Squash,
    Rebase,
}

const DEPENDABOT: (&str, &str) = (
    "dependabot[bot]",
    "49699333+dependabot[bot]@users.noreply.github.com",
);

/// The same change shipped three ways.
///
/// ```text
/// c0 (0h)                               v1.0, lightweight: the first deployment, no samples
/// pull request #1, branched from c0:    a1 authored 10h, a2 authored 14h   refs/pull/1/head = a2
///   opened 12h (the export says), merged 20h
/// merge commit: M "Merge pull request #1 from ada/cache" at 20h, parents c0, a2
/// squash:       S "Add the cache (#1)", authored and committed 20h, parent c0
/// rebase:       a1' (authored 10h, committed 20h), a2' (authored 14h, committed 20h)
/// then, on main in every style: B "Bump serde (#2)" by dependabot[bot], 22h
/// v1.1 annotated on B at 30h
/// ```
fn shipped(style: Style, pull_ref: bool) -> TestRepo {
    let r = TestRepo::new();
    let c0 = r.commit("initial", 0);
    r.lightweight_tag("v1.0", c0);
    let a1 = r.commit_at("Cache: the store", 10, 10, &[c0]);
    let a2 = r.commit_at("Cache: expiry", 14, 14, &[a1]);
    if pull_ref {
        r.set_ref("refs/pull/1/head", a2);
    }
    let merged: Oid = match style {
        Style::MergeCommit => {
            r.commit_at("Merge pull request #1 from ada/cache", 20, 20, &[c0, a2])
        }
        Style::Squash => r.commit_at("Add the cache (#1)\n\n* store\n* expiry\n", 20, 20, &[c0]),
        Style::Rebase => {
            let b1 = r.commit_at("Cache: the store", 10, 20, &[c0]);
            r.commit_at("Cache: expiry", 14, 20, &[b1])
        }
    };
    let bump = r.commit_by(DEPENDABOT, "Bump serde (#2)", 22, 22, &[merged]);
    r.set_branch("main", bump);
    r.annotated_tag("v1.1", bump, 30);
    r
}

fn measure(repo: &Path, args: &[&str]) -> Value {
    json_of(
        valueflow()
            .args(["measure", "-C"])
            .arg(repo)
            .args(["--since", &at(0), "--until", &at(48), "--format", "json"])
            .args(args)
            .output()
            .expect("runs"),
    )
}

/// A pull-request export as `fetch github --pull-requests` writes it.
fn export(dir: &Path, with_commits: bool) -> std::path::PathBuf {
    let commits = if with_commits {
        format!(
            r#", "commits": [
        {{"sha": "a1", "author": "Ada <Ada@example.com>", "authored_at": "{}"}},
        {{"sha": "a2", "author": "Ada <Ada@example.com>", "authored_at": "{}"}}]"#,
            at(10),
            at(14)
        )
    } else {
        String::new()
    };
    let text = format!(
        r#"{{"pull_requests": [
  {{"number": 1, "merge_commit_sha": null, "created_at": "{}", "merged_at": "{}",
    "first_commit_at": "{}", "author": "ada"{commits}}},
  {{"number": 2, "created_at": "{}", "merged_at": "{}", "first_commit_at": "{}",
    "author": "dependabot[bot]"}}
]}}"#,
        at(12),
        at(20),
        at(10),
        at(21),
        at(22),
        at(21)
    );
    let path = dir.join("prs.json");
    std::fs::write(&path, text).expect("written");
    path
}

fn lead(report: &Value) -> &Value {
    &report["measures"]["lead_time_for_changes"]
}

#[test]
fn the_same_change_has_the_same_lead_time_whichever_merge_style_shipped_it() {
    for style in [Style::MergeCommit, Style::Squash, Style::Rebase] {
        let r = shipped(style, true);
        let report = measure(r.path(), &[]);
        let lt = lead(&report);
        // v1.1 at 30h ships a1 (30 − 10 = 20 h) and a2 (30 − 14 = 16 h): for the squash,
        // refs/pull/1/head's commits stand in for S. dependabot's bump is left out.
        assert_eq!(lt["samples"], 2, "{style:?}");
        close(&lt["median_hours"], 18.0);
        // p90: index 0.9 × 1 -> 16 + 0.9 × (20 − 16) = 19.6
        close(&lt["p90_hours"], 19.6);
        close(&lt["mean_hours"], 18.0);
        assert_eq!(lt["excluded_author_commits"], 1, "{style:?}");
        let squash = &lt["squash_commits"];
        let squashes = matches!(style, Style::Squash) as u64;
        assert_eq!(squash["total"], squashes, "{style:?}");
        assert_eq!(squash["with_pr_data"], squashes, "{style:?}");
        assert_eq!(squash["without_pr_data"], 0, "{style:?}");

        // From git alone every style knows the merge: 20h (the merge commit, the squash, the
        // rebased commits' committer date). before merge: a1 20 − 10 = 10, a2 20 − 14 = 6
        // (median 8, p90 6 + 0.9 × 4 = 9.6, share 16 / 36); release: 30 − 20 = 10 for both
        // (share 20 / 36 = 0.556): release dominates.
        let b = &lt["breakdown"];
        assert_eq!(b["samples"], 2);
        assert_eq!(b["with_opened"], 0);
        assert_eq!(b["coding"]["samples"], 0);
        assert_eq!(b["coding"]["median_hours"], Value::Null);
        close(&b["before_merge"]["median_hours"], 8.0);
        close(&b["before_merge"]["p90_hours"], 9.6);
        close(&b["before_merge"]["share"], 16.0 / 36.0);
        close(&b["release"]["median_hours"], 10.0);
        close(&b["release"]["share"], 20.0 / 36.0);
        assert_eq!(b["dominant"], "release");
        close(&b["dominant_share"], 20.0 / 36.0);
        let warnings = report["warnings"].to_string();
        assert!(
            warnings
                .contains("1 commit left out of lead time: the author matches --exclude-author"),
            "{warnings}"
        );
        assert!(!warnings.contains("squash"), "{style:?}: {warnings}");
    }
}

#[test]
fn a_squash_without_pull_request_data_is_one_sample_from_its_merge_and_is_said() {
    let r = shipped(Style::Squash, false);
    let report = measure(r.path(), &[]);
    let lt = lead(&report);
    // Only S: 30 − 20 = 10 h. The work before the merge is gone from the figure.
    assert_eq!(lt["samples"], 1);
    close(&lt["median_hours"], 10.0);
    assert_eq!(lt["squash_commits"]["total"], 1);
    assert_eq!(lt["squash_commits"]["without_pr_data"], 1);
    // S's author date is its merge: nothing before the merge, all release.
    close(&lt["breakdown"]["before_merge"]["median_hours"], 0.0);
    assert_eq!(lt["breakdown"]["dominant"], "release");
    close(&lt["breakdown"]["dominant_share"], 1.0);
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains(
            "1 of 1 squash commit in the window has no pull-request data (no refs/pull/N/head)"
        ),
        "{warnings}"
    );
    assert!(warnings.contains("reads short"), "{warnings}");

    // The same terminal view names the squash commits without data.
    let out = valueflow()
        .args(["measure", "-C"])
        .arg(r.path())
        .args(["--since", &at(0), "--until", &at(48)])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("warning: 1 of 1 squash commit"), "{text}");
}

#[test]
fn an_export_stands_in_for_the_refs_and_gives_the_review_stage() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No refs/pull: the export's commits are the samples, a1 20 h and a2 16 h, as with refs.
    let r = shipped(Style::Squash, false);
    let prs = export(dir.path(), true);
    let report = measure(r.path(), &["--prs", prs.to_str().expect("utf-8")]);
    let lt = lead(&report);
    assert_eq!(lt["samples"], 2);
    close(&lt["median_hours"], 18.0);
    assert_eq!(lt["squash_commits"]["with_pr_data"], 1);
    // Opened 12h: a1 coding 12 − 10 = 2, review 20 − 12 = 8; a2 was authored after the
    // opening (14h): coding 0, review 20 − 14 = 6; release 10 each. Shares of 36 h:
    // coding 2/36, review 14/36, release 20/36: release dominates.
    let b = &lt["breakdown"];
    assert_eq!(b["with_opened"], 2);
    close(&b["coding"]["median_hours"], 1.0);
    close(&b["coding"]["share"], 2.0 / 36.0);
    close(&b["review"]["median_hours"], 7.0);
    // p90 of 6, 8: 6 + 0.9 × 2 = 7.8
    close(&b["review"]["p90_hours"], 7.8);
    close(&b["review"]["share"], 14.0 / 36.0);
    close(&b["release"]["median_hours"], 10.0);
    assert_eq!(b["dominant"], "release");
    assert!(!report["warnings"].to_string().contains("squash"));
    // The markdown view shows the same stages (median, p90, share of 36 h).
    let out = valueflow()
        .args(["measure", "-C"])
        .arg(r.path())
        .args([
            "--since",
            &at(0),
            "--until",
            &at(48),
            "--format",
            "markdown",
        ])
        .arg("--prs")
        .arg(&prs)
        .output()
        .expect("runs");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("### Where the lead time goes (2 commits; 1 of 1 squash commits"),
        "{md}"
    );
    assert!(
        md.contains("| review (opened → merged) | 7h | 7h 48m | 38.9% |"),
        "{md}"
    );
    assert!(
        md.contains("Release dominates: 55.6% of the lead time."),
        "{md}"
    );

    // The merge-commit style with the same export: the same samples and stages (the merge
    // commit names pull request #1, whose opening the export gives).
    let m = shipped(Style::MergeCommit, true);
    let merged = measure(m.path(), &["--prs", prs.to_str().expect("utf-8")]);
    assert_eq!(lead(&merged)["breakdown"], *b);
    assert_eq!(lead(&merged)["median_hours"], lt["median_hours"]);

    // An export with the first commit's date only: one sample for the pull request, from
    // it: 30 − 10 = 20 h.
    let prs = export(dir.path(), false);
    let report = measure(r.path(), &["--prs", prs.to_str().expect("utf-8")]);
    assert_eq!(lead(&report)["samples"], 1);
    close(&lead(&report)["median_hours"], 20.0);
}

#[test]
fn bots_are_left_out_unless_the_pattern_is_empty_and_deployments_stay() {
    let r = shipped(Style::MergeCommit, true);
    // Everyone counts: the bump adds 30 − 22 = 8 h -> 8, 16, 20, median 16.
    let report = measure(r.path(), &["--exclude-author", ""]);
    let lt = lead(&report);
    assert_eq!(lt["samples"], 3);
    close(&lt["median_hours"], 16.0);
    assert_eq!(lt["excluded_author_commits"], 0);
    // Ada's own commits excluded instead: only the bump, 8 h; both deployments still count.
    let report = measure(r.path(), &["--exclude-author", "^Ada "]);
    assert_eq!(lead(&report)["samples"], 1);
    close(&lead(&report)["median_hours"], 8.0);
    assert_eq!(lead(&report)["excluded_author_commits"], 2);
    assert_eq!(report["deployments"]["count"], 2);
    // From the project file too.
    std::fs::write(
        r.path().join("valueflow.toml"),
        "[measure]\nexclude_author = ''\n",
    )
    .expect("written");
    assert_eq!(lead(&measure(r.path(), &[]))["samples"], 3);
    // A bad pattern names its flag; exit 2.
    let out = valueflow()
        .args(["measure", "-C"])
        .arg(r.path())
        .args(["--exclude-author", "("])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--exclude-author \"(\" is not a valid regular expression"),
        "{err}"
    );
}

#[test]
fn a_malformed_pull_request_export_is_one_line_naming_its_position() {
    let r = shipped(Style::Squash, true);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("prs.json");
    std::fs::write(
        &path,
        "{\"pull_requests\": [\n  {\"number\": 1,\n   \"created_at\": 5}\n]}",
    )
    .expect("written");
    let out = valueflow()
        .args(["measure", "-C"])
        .arg(r.path())
        .arg("--prs")
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    // `"created_at": 5`: the value 5 starts at line 3, column 18.
    assert!(
        err.starts_with(&format!(
            "error: {}:3:18: not a pull request",
            path.display()
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}
