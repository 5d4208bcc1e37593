//! The list members of CI export files, in one place: `valueflow fetch` writes its exports
//! with them and `--ci` streams the lists they hold, so the writer and the reader cannot
//! drift apart.

/// GitHub Actions workflow runs, in the API's envelope `{"total_count", "workflow_runs"}`.
pub const GITHUB_RUNS: &str = "workflow_runs";
/// The count beside [`GITHUB_RUNS`] in GitHub's envelope.
pub const GITHUB_TOTAL_COUNT: &str = "total_count";
/// GitLab pipelines, as `valueflow fetch gitlab` writes them (the API answers a bare list).
pub const GITLAB_PIPELINES: &str = "pipelines";
/// Deployments beside the runs of a GitHub or GitLab export.
pub const DEPLOYMENTS: &str = "deployments";

/// The runs list of each export `valueflow fetch` writes, and the provider that writes it,
/// so an export of one is never merged into a file of the other.
pub const RUN_LISTS: &[(&str, &str)] = &[(GITHUB_RUNS, "GitHub"), (GITLAB_PIPELINES, "GitLab")];

/// Members of a top-level object whose array value is streamed element by element.
pub const LIST_KEYS: &[&str] = &[
    GITHUB_RUNS,
    // The jobs of a GitHub Actions run, `{"total_count", "jobs"}`.
    "jobs",
    GITLAB_PIPELINES,
    DEPLOYMENTS,
    // CircleCI v2 pages.
    "items",
    // Azure DevOps lists.
    "value",
    // Bitbucket Cloud pages.
    "values",
    // Jenkins `tree=allBuilds[…]` or `builds[…]`.
    "allBuilds",
    "builds",
];
