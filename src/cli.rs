//! Command-line definitions only: parsing lives here, behaviour in the domain modules.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod examples;

/// How well does your delivery flow? Key measures from git history and CI exports, checked
/// against the Continuous Value Flow standard and your team's self-assessment. Offline.
#[derive(Debug, Parser)]
#[command(
    name = "valueflow",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the assessment file (valueflow.toml) with every practice and a blank answer.
    #[command(after_help = examples::INIT)]
    Init(InitArgs),
    /// Check an assessment file and print every problem as file:line:col.
    #[command(after_help = examples::VALIDATE)]
    Validate(ValidateArgs),
    /// Print the key measures: deployment frequency, lead time, change failure rate,
    /// recovery time, rework rate and pipeline health.
    #[command(after_help = examples::MEASURE)]
    Measure(MeasureArgs),
    /// The scored level report: measures, self-assessment and the gaps to the outcome.
    #[command(after_help = examples::REPORT)]
    Report(ReportArgs),
    /// Every measure per week, month or quarter (from one read of the history), the change
    /// between the last two full periods, and the self-assessment's levels over time.
    ///
    /// The window defaults to the last 12 months (--since 12m), whatever the project file's
    /// `since`; each period's figures are what `measure` prints for that period's window.
    #[command(after_help = examples::TREND)]
    Trend(TrendArgs),
    /// Roll up saved JSON reports (`measure` or `report` --format json, one per repository)
    /// into one: totals, medians over the union of their samples, rates over all their
    /// deployments, and a row per repository, most targets missed first.
    #[command(after_help = examples::AGGREGATE)]
    Aggregate(AggregateArgs),
    /// What changed between two saved JSON reports (`measure` or `report` --format json): the
    /// measures' headline figures, the levels per category and the answers per practice.
    #[command(after_help = examples::DIFF)]
    Diff(DiffArgs),
    /// Export CI runs from a provider's API into a file that --ci reads.
    #[command(subcommand, after_help = examples::FETCH)]
    Fetch(FetchCommand),
    /// Print the JSON Schema of the report that --format json writes.
    ///
    /// JSON Schema draft 2020-12, derived from the types that write the report, so it
    /// describes exactly what this version writes: every key that is always written is
    /// required, a value that can be missing is `null`, and optional keys (`reason`,
    /// `flagged_by`, …) are listed but not required.
    #[command(after_help = examples::SCHEMA)]
    Schema(SchemaArgs),
    /// Print the shell completion script for SHELL to standard output.
    #[command(after_help = examples::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output, or write one page per subcommand.
    #[command(after_help = examples::MAN)]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Repository whose root gets valueflow.toml [default: the one containing the current
    /// directory]
    #[arg(short = 'C', long = "repo", value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Where to write the file [default: valueflow.toml in the repository root]
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Replace an existing file; the old one is kept as PATH.bak
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Repository whose valueflow.toml is checked [default: the one containing the current
    /// directory]
    #[arg(short = 'C', long = "repo", value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// The assessment file [default: valueflow.toml in the repository root]
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
}

/// Options shared by `measure` and `report`. Every measurement setting can also be set in the
/// `[measure]` table of valueflow.toml; a flag given here wins.
#[derive(Debug, Args, Default, Clone)]
pub struct MeasureArgs {
    /// Repository to read [default: the one containing the current directory]; repeatable:
    /// several repositories are measured side by side with a roll-up over all of them
    #[arg(short = 'C', long = "repo", value_name = "PATH")]
    pub repo: Vec<PathBuf>,
    /// Measure the repositories listed in FILE (one path or glob a line, relative to the
    /// file; `#` comments), or matched by the glob PATTERN, and roll them up
    #[arg(long, value_name = "FILE|PATTERN")]
    pub repos: Option<String>,
    /// Start of the window: YYYY-MM-DD, RFC 3339, or a span before --until (90d, 12w, 6m)
    /// [default: 90d]
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End of the window, exclusive: YYYY-MM-DD or RFC 3339 [default: now]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// CI run export (JSON); repeatable; the format is detected from the content
    #[arg(long = "ci", value_name = "FILE")]
    pub ci: Vec<PathBuf>,
    /// Incidents file (JSON or CSV) that feeds change failure rate and recovery time
    #[arg(long, value_name = "FILE")]
    pub incidents: Option<PathBuf>,
    /// Tags that are deployments [default: ^v?[0-9]+\.[0-9]+]
    #[arg(long, value_name = "REGEX")]
    pub tag_pattern: Option<String>,
    /// CI workflows that deploy [default: (?i)deploy|release|publish]
    #[arg(long, value_name = "REGEX")]
    pub deploy_workflow: Option<String>,
    /// Only CI deploy runs on this branch count [default: any branch]
    #[arg(long, value_name = "NAME")]
    pub deploy_branch: Option<String>,
    /// Environment of GitHub deployment exports that is production [default: production]
    #[arg(long, value_name = "NAME")]
    pub deploy_environment: Option<String>,
    /// Commit subjects that mark a hotfix [default: (?i)\bhot-?fix\b]
    #[arg(long, value_name = "REGEX")]
    pub hotfix_pattern: Option<String>,
    /// A hotfix this soon after the previous deployment marks it failed [default: 72h]
    #[arg(long, value_name = "SPAN")]
    pub hotfix_window: Option<String>,
    /// A revert shipped this soon after the deployment it reverts marks that one failed
    /// [default: 30d]
    #[arg(long, value_name = "SPAN")]
    pub revert_window: Option<String>,
    /// An incident links to the latest deployment this long before it [default: 7d]
    #[arg(long, value_name = "SPAN")]
    pub incident_window: Option<String>,
    /// Which commit date starts the lead time [default: author]
    #[arg(long, value_enum, value_name = "WHICH")]
    pub commit_time: Option<CommitTime>,
    /// Count failed CI deploy runs as failed deployments
    #[arg(long)]
    pub count_failed_deploys: bool,
    /// Pull-request export (`valueflow fetch github --pull-requests`); repeatable: squash
    /// commits' original commits and each pull request's opening time
    #[arg(long = "prs", value_name = "FILE")]
    pub prs: Vec<PathBuf>,
    /// Commit authors ("Name <email>") left out of lead time; "" includes everyone
    /// [default: (?i)\b(dependabot|renovate|github-actions)\b]
    #[arg(long, value_name = "REGEX")]
    pub exclude_author: Option<String>,
    /// Measure one service of a monorepo: only commits that touch these paths make its change
    /// sets (git pathspecs from the repository root; `:!PATH` excludes); repeatable
    #[arg(long = "path", value_name = "PATHSPEC")]
    pub paths: Vec<String>,
    /// Measure only this [[service]] of valueflow.toml (its paths, tags or deploy workflow);
    /// without it, every service is measured and shown side by side
    #[arg(long, value_name = "NAME", conflicts_with = "paths")]
    pub service: Option<String>,
    /// Output format [default: table; -o with .md, .json or .html implies markdown, json or html]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub measure: MeasureArgs,
    /// The assessment file [default: valueflow.toml in the repository root, when present]
    #[arg(long, value_name = "PATH")]
    pub assessment: Option<PathBuf>,
    /// Exit 1 when any outcome target is not met (the report is still written)
    #[arg(long)]
    pub fail_on_gap: bool,
    /// Exit 1 when the overall verified level (the answers after the data's corrections) is
    /// below N; the report is still written
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub min_level: Option<u8>,
    /// Exit 1 when the overall level as answered is below N; the report is still written
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub min_answered_level: Option<u8>,
    /// The trend section's periods: ISO weeks, calendar months or quarters, in UTC [default:
    /// the longest of which the window holds four whole ones, else weeks]
    #[arg(long, value_enum, value_name = "PERIOD")]
    pub every: Option<Every>,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    #[command(flatten)]
    pub measure: MeasureArgs,
    /// How long each period is: ISO weeks (from Monday), calendar months or quarters, in UTC
    #[arg(long, value_enum, value_name = "PERIOD", default_value_t = Every::Month)]
    pub every: Every,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Every {
    Week,
    Month,
    Quarter,
}

#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// The saved reports (JSON), one per repository
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,
    /// Output format [default: table; -o with .md or .json implies markdown or json]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the roll-up to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report (JSON)
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later report (JSON)
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format [default: table; -o with .md or .json implies markdown or json]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the comparison to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum FetchCommand {
    /// GitHub Actions workflow runs (token from GITHUB_TOKEN)
    #[command(after_help = examples::FETCH_GITHUB)]
    Github(GithubFetchArgs),
    /// GitLab pipelines (token from GITLAB_TOKEN)
    #[command(after_help = examples::FETCH_GITLAB)]
    Gitlab(GitlabFetchArgs),
}

#[derive(Debug, Args)]
pub struct GithubFetchArgs {
    /// The repository, as OWNER/NAME
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: String,
    /// Only runs of this workflow (file name such as deploy.yml, or numeric id)
    #[arg(long, value_name = "NAME")]
    pub workflow: Option<String>,
    #[command(flatten)]
    pub common: FetchCommon,
}

#[derive(Debug, Args)]
pub struct GitlabFetchArgs {
    /// The project, as numeric id or path (group/name)
    #[arg(long, value_name = "ID_OR_PATH")]
    pub project: String,
    #[command(flatten)]
    pub common: FetchCommon,
}

#[derive(Debug, Args)]
pub struct FetchCommon {
    /// Only runs created on or after DATE (YYYY-MM-DD, RFC 3339, or a span such as 30d)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// API base URL, for GitHub Enterprise, self-hosted GitLab, or tests
    #[arg(long, value_name = "URL")]
    pub api_url: Option<String>,
    /// Also export deployments with their statuses
    #[arg(long)]
    pub deployments: bool,
    /// Export merged pull requests instead of runs, for `measure --prs`: those merged since
    /// --since (default 90d) minus 90 days, each with its commits' author dates (GitHub)
    #[arg(long = "pull-requests", alias = "merge-requests")]
    pub pull_requests: bool,
    /// Read the token from this environment variable instead of the provider's default
    #[arg(long, value_name = "NAME")]
    pub token_env: Option<String>,
    /// Longest wait for a rate limit to reset before giving up, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 900)]
    pub max_wait: u64,
    /// The export file; an existing export is merged with the new runs by id
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Decide, bound and report every rate-limit wait and retry backoff, but do not sleep:
    /// for the integration tests, which run the binary (hidden, not for users)
    #[arg(long, hide = true)]
    pub skip_waits: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Whose JSON: `report` (the measures, then `assessment`, `outcome` and `gaps`) or
    /// `measure` (the measures alone)
    #[arg(value_enum, value_name = "COMMAND", default_value_t = SchemaOf::Report)]
    pub of: SchemaOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaOf {
    Report,
    Measure,
    Trend,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write valueflow.1 and one page per subcommand (valueflow-report.1, …) into DIR instead
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommitTime {
    /// The author date: survives rebases and amends
    Author,
    /// The committer date: when the commit took its final form
    Committer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
    /// One self-contained page: inline styles and SVG charts, nothing fetched when opened
    Html,
}
