//! Measurement settings: built-in defaults, under the `[measure]` / `[outcome]` tables of
//! valueflow.toml, under the command-line flags (the flag wins, measures.md).

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, TimeDelta, Utc};
use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::events::window::{Window, parse_span};
use crate::events::{CommitTime, Paths};
use crate::outcome::Targets;

pub const DEFAULT_TAG_PATTERN: &str = r"^v?[0-9]+\.[0-9]+";
pub const DEFAULT_DEPLOY_WORKFLOW: &str = r"(?i)deploy|release|publish";
pub const DEFAULT_HOTFIX_PATTERN: &str = r"(?i)\bhot-?fix\b";
pub const DEFAULT_DEPLOY_ENVIRONMENT: &str = "production";
pub const DEFAULT_HOTFIX_WINDOW: &str = "72h";
pub const DEFAULT_INCIDENT_WINDOW: &str = "7d";
pub const DEFAULT_REVERT_WINDOW: &str = "30d";
/// Dependabot, Renovate and GitHub Actions as their commits name them
/// (`dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>`,
/// `renovate[bot] <…>`, `Renovate Bot <bot@renovateapp.com>`, `github-actions[bot] <…>`).
pub const DEFAULT_EXCLUDE_AUTHOR: &str = r"(?i)\b(dependabot|renovate|github-actions)\b";
/// The file `measure` and `report` read from the repository root when it exists.
pub const PROJECT_FILE: &str = "valueflow.toml";

/// The settings given on the command line: each wins over valueflow.toml.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub since: Option<String>,
    pub until: Option<String>,
    pub ci: Vec<PathBuf>,
    pub incidents: Option<PathBuf>,
    pub tag_pattern: Option<String>,
    pub deploy_workflow: Option<String>,
    pub deploy_branch: Option<String>,
    pub deploy_environment: Option<String>,
    pub hotfix_pattern: Option<String>,
    pub hotfix_window: Option<String>,
    pub revert_window: Option<String>,
    pub incident_window: Option<String>,
    pub commit_time: Option<CommitTime>,
    pub count_failed_deploys: bool,
    /// Pull-request exports (`--prs`).
    pub prs: Vec<PathBuf>,
    /// Authors left out of lead time; `Some("")` includes everyone.
    pub exclude_author: Option<String>,
    /// `--path`, repeatable: git pathspecs of the service to measure.
    pub paths: Vec<String>,
}

/// Everything a measurement run needs, resolved and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub window: Window,
    pub ci: Vec<PathBuf>,
    pub incidents: Option<PathBuf>,
    pub tag_pattern: Regex,
    pub deploy_workflow: Regex,
    pub deploy_branch: Option<String>,
    pub deploy_environment: String,
    pub hotfix_pattern: Regex,
    pub hotfix_window: TimeDelta,
    pub revert_window: TimeDelta,
    pub incident_window: TimeDelta,
    pub commit_time: CommitTime,
    pub count_failed_deploys: bool,
    pub prs: Vec<PathBuf>,
    /// `None` when the setting is empty: every author counts.
    pub exclude_author: Option<Regex>,
    pub targets: Targets,
    /// The service's part of a monorepo; empty: the whole repository.
    pub paths: Paths,
}

/// The `[measure]` table as written, with spans so errors can point at the line.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureTable {
    since: Option<Spanned<String>>,
    until: Option<Spanned<String>>,
    #[serde(default)]
    ci: Vec<PathBuf>,
    incidents: Option<PathBuf>,
    tag_pattern: Option<Spanned<String>>,
    deploy_workflow: Option<Spanned<String>>,
    deploy_branch: Option<String>,
    deploy_environment: Option<String>,
    hotfix_pattern: Option<Spanned<String>>,
    hotfix_window: Option<Spanned<String>>,
    revert_window: Option<Spanned<String>>,
    incident_window: Option<Spanned<String>>,
    commit_time: Option<CommitTime>,
    count_failed_deploys: Option<bool>,
    #[serde(default)]
    prs: Vec<PathBuf>,
    exclude_author: Option<Spanned<String>>,
    paths: Option<Vec<Spanned<String>>>,
}

/// The `[outcome]` table as written, with spans so a target out of range names its line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeTable {
    lead_time_hours: Option<Spanned<f64>>,
    change_failure_rate: Option<Spanned<f64>>,
    pipeline_health: Option<Spanned<f64>>,
    deployments_per_day: Option<Spanned<f64>>,
    recovery_hours: Option<Spanned<f64>>,
}

/// What a target is, for the range it must lie in.
#[derive(Clone, Copy)]
enum TargetKind {
    /// A fraction in (0, 1]: a rate of 0 or 500 % is no target.
    Rate,
    /// Hours or deployments per day: finite and above 0.
    Amount,
}

impl OutcomeTable {
    fn entries(&self) -> [(&'static str, Option<&Spanned<f64>>, TargetKind); 5] {
        [
            (
                "lead_time_hours",
                self.lead_time_hours.as_ref(),
                TargetKind::Amount,
            ),
            (
                "change_failure_rate",
                self.change_failure_rate.as_ref(),
                TargetKind::Rate,
            ),
            (
                "pipeline_health",
                self.pipeline_health.as_ref(),
                TargetKind::Rate,
            ),
            (
                "deployments_per_day",
                self.deployments_per_day.as_ref(),
                TargetKind::Amount,
            ),
            (
                "recovery_hours",
                self.recovery_hours.as_ref(),
                TargetKind::Amount,
            ),
        ]
    }

    /// The targets as given, over the standard's defaults.
    fn targets(&self) -> Targets {
        let given =
            |value: Option<&Spanned<f64>>, default: f64| value.map_or(default, |v| *v.get_ref());
        let d = Targets::default();
        Targets {
            lead_time_hours: given(self.lead_time_hours.as_ref(), d.lead_time_hours),
            change_failure_rate: given(self.change_failure_rate.as_ref(), d.change_failure_rate),
            pipeline_health: given(self.pipeline_health.as_ref(), d.pipeline_health),
            deployments_per_day: given(self.deployments_per_day.as_ref(), d.deployments_per_day),
            recovery_hours: given(self.recovery_hours.as_ref(), d.recovery_hours),
        }
    }
}

/// One `[[service]]` of a monorepo: its name, and the settings that tell its commits and its
/// deployments apart, each over the same key of `[measure]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceTable {
    name: Spanned<String>,
    paths: Option<Vec<Spanned<String>>>,
    tag_pattern: Option<Spanned<String>>,
    deploy_workflow: Option<Spanned<String>>,
    deploy_branch: Option<String>,
    deploy_environment: Option<String>,
}

impl ServiceTable {
    /// `[measure]` with this service's keys in place of its own.
    fn over(&self, measure: &MeasureTable) -> MeasureTable {
        let mut table = measure.clone();
        if let Some(paths) = &self.paths {
            table.paths = Some(paths.clone());
        }
        if let Some(p) = &self.tag_pattern {
            table.tag_pattern = Some(p.clone());
        }
        if let Some(w) = &self.deploy_workflow {
            table.deploy_workflow = Some(w.clone());
        }
        if let Some(b) = &self.deploy_branch {
            table.deploy_branch = Some(b.clone());
        }
        if let Some(e) = &self.deploy_environment {
            table.deploy_environment = Some(e.clone());
        }
        table
    }
}

/// Only the tables `measure` needs; the questionnaire's keys belong to `assessment`, which
/// validates the whole file.
#[derive(Debug, Default, Deserialize)]
struct ProjectTables {
    #[serde(default)]
    measure: MeasureTable,
    #[serde(default)]
    outcome: OutcomeTable,
    #[serde(default)]
    service: Vec<ServiceTable>,
}

/// A service of a monorepo (`[[service]]`) and the settings it is measured with.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub settings: Settings,
}

/// valueflow.toml as `measure` reads it.
#[derive(Debug)]
pub struct ProjectFile {
    path: PathBuf,
    text: String,
    tables: ProjectTables,
}

impl ProjectFile {
    /// Reads `path`; `Ok(None)` when it does not exist.
    pub fn read(path: &Path) -> Result<Option<ProjectFile>> {
        let text = match crate::input::read_text(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        };
        ProjectFile::parse(path, text).map(Some)
    }

    /// Parses the file's text; `path` names it in messages and anchors relative paths.
    pub fn parse(path: &Path, text: String) -> Result<ProjectFile> {
        match tables(&text) {
            Ok(tables) => Ok(ProjectFile {
                path: path.to_path_buf(),
                text,
                tables,
            }),
            Err(problem) => Err(anyhow::anyhow!(
                "{}:{}: {}",
                path.display(),
                position(&text, problem.span.map_or(0, |s| s.start)),
                problem.message
            )),
        }
    }

    /// As `parse`, with a problem of the tables' shape (a wrong type, an unknown key) at its
    /// span, for `validate`.
    pub fn parse_checked(path: &Path, text: String) -> Result<ProjectFile, SettingProblem> {
        let tables = tables(&text)?;
        Ok(ProjectFile {
            path: path.to_path_buf(),
            text,
            tables,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file as read: `report` checks its practices without reading it again.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every `[outcome]` target out of its range (`nan`, `-1`, a rate of 5), each at its value.
    pub fn outcome_problems(&self) -> Vec<SettingProblem> {
        self.tables
            .outcome
            .entries()
            .into_iter()
            .filter_map(|(key, value, kind)| {
                let value = value?;
                let v = *value.get_ref();
                let expected = match kind {
                    TargetKind::Rate if !(v > 0.0 && v <= 1.0) => {
                        "a fraction above 0 and at most 1 (0.05 is 5%)"
                    }
                    TargetKind::Amount if !(v.is_finite() && v > 0.0) => "a finite number above 0",
                    _ => return None,
                };
                Some(SettingProblem {
                    span: Some(value.span()),
                    message: format!("{key} = {v} is out of range: expected {expected}"),
                })
            })
            .collect()
    }

    /// What is wrong with the `[[service]]` tables as a set: a blank or repeated name.
    fn service_problems(&self) -> Vec<SettingProblem> {
        let mut problems = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for service in &self.tables.service {
            let name = service.name.get_ref().trim();
            let message = if name.is_empty() {
                "a service's name must not be blank: expected e.g. name = \"api\"".to_string()
            } else if seen.contains(&name) {
                format!("service name {name:?} is used twice: expected one [[service]] per name")
            } else {
                seen.push(name);
                continue;
            };
            problems.push(SettingProblem {
                span: Some(service.name.span()),
                message,
            });
        }
        problems
    }

    /// Paths in the file are relative to the file.
    fn relative(&self, path: &Path) -> PathBuf {
        match self.path.parent() {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }
}

/// The `[measure]` and `[outcome]` tables; a value of the wrong type or an unknown key stops
/// the reading.
fn tables(text: &str) -> Result<ProjectTables, SettingProblem> {
    toml::from_str::<ProjectTables>(text).map_err(|err| SettingProblem {
        span: err.span(),
        message: err.message().trim_end().to_string(),
    })
}

/// `line:col`, both 1-based, of a byte offset.
pub fn position(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    format!("{line}:{col}")
}

/// Where a setting's value came from: a flag wins over the file, the file over the default.
#[derive(Debug, Clone)]
enum Origin {
    /// The flag of this key.
    Flag(&'static str),
    File {
        key: &'static str,
        span: Range<usize>,
    },
    Default(&'static str),
}

struct Given {
    value: String,
    origin: Origin,
}

/// A setting that cannot be used: what is wrong, and where in the file when it came from
/// there (`validate` shows each at its line; `measure` stops at the first).
#[derive(Debug, Clone, PartialEq)]
pub struct SettingProblem {
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// Takes each setting from its layer and collects every problem instead of stopping at one.
struct Resolver<'a> {
    file: Option<&'a ProjectFile>,
    problems: Vec<SettingProblem>,
}

impl Resolver<'_> {
    /// The value of setting `key` (its flag is the key with dashes: `--tag-pattern`).
    fn given(
        &self,
        key: &'static str,
        flag: Option<&String>,
        from_file: Option<&Spanned<String>>,
        default: Option<&'static str>,
    ) -> Option<Given> {
        if let Some(value) = flag {
            return Some(Given {
                value: value.clone(),
                origin: Origin::Flag(key),
            });
        }
        if let (Some(_), Some(value)) = (self.file, from_file) {
            return Some(Given {
                value: value.get_ref().clone(),
                origin: Origin::File {
                    key,
                    span: value.span(),
                },
            });
        }
        default.map(|d| Given {
            value: d.to_string(),
            origin: Origin::Default(key),
        })
    }

    /// A problem with a value, named as the user gave it (`--flag`, or the file's key).
    fn problem(&mut self, origin: &Origin, what: String) {
        let (span, message) = match origin {
            Origin::Flag(key) => (None, format!("--{} {what}", key.replace('_', "-"))),
            Origin::File { key, span } => (Some(span.clone()), format!("{key} {what}")),
            Origin::Default(key) => (None, format!("default {key} {what}")),
        };
        self.problems.push(SettingProblem { span, message });
    }

    fn regex(&mut self, given: Given) -> Option<Regex> {
        Regex::new(&given.value)
            .map_err(|err| {
                // The regex crate's message spans several lines; keep the one that says what
                // is wrong.
                let why = err
                    .to_string()
                    .lines()
                    .rev()
                    .find(|l| l.starts_with("error:"))
                    .map(|l| l.trim_start_matches("error:").trim().to_string())
                    .unwrap_or_else(|| err.to_string());
                let what = format!("{:?} is not a valid regular expression: {why}", given.value);
                self.problem(&given.origin, what);
            })
            .ok()
    }

    /// The pathspecs of `--path` (all of them, when given), else the file's `paths`; a bad
    /// one is named at its place in the list.
    fn paths(&mut self, flags: &[String], from_file: Option<&[Spanned<String>]>) -> Option<Paths> {
        let (specs, spans): (Vec<String>, Vec<Option<Range<usize>>>) = match from_file {
            _ if !flags.is_empty() => (flags.to_vec(), vec![None; flags.len()]),
            Some(list) if self.file.is_some() => list
                .iter()
                .map(|s| (s.get_ref().clone(), Some(s.span())))
                .unzip(),
            _ => return Some(Paths::default()),
        };
        Paths::parse(&specs)
            .map_err(|(i, why)| {
                let origin = match &spans[i] {
                    Some(span) => Origin::File {
                        key: "paths",
                        span: span.clone(),
                    },
                    None => Origin::Flag("path"),
                };
                self.problem(&origin, why);
            })
            .ok()
    }

    fn span(&mut self, given: Given) -> Option<TimeDelta> {
        let span = parse_span(&given.value);
        if span.is_none() {
            let what = format!(
                "{:?} is not a length of time: expected e.g. 72h, 3d, 1w",
                given.value
            );
            self.problem(&given.origin, what);
        }
        span
    }
}

impl ProjectFile {
    /// `file:line:col: message` for a problem of this file, `message` for one of a flag.
    pub fn locate(&self, problem: &SettingProblem) -> String {
        match &problem.span {
            Some(span) => format!(
                "{}:{}: {}",
                self.path.display(),
                position(&self.text, span.start),
                problem.message
            ),
            None => problem.message.clone(),
        }
    }
}

impl Settings {
    /// Where the deployments' change sets must start: `hotfix_window` before the window. A
    /// deployment in the window is rework when it reverts one made up to that long before it
    /// (measures.md §7), and only a change set maps the reverted commit to its deployment.
    pub fn history_since(&self) -> DateTime<Utc> {
        self.window
            .since
            .checked_sub_signed(self.hotfix_window)
            .unwrap_or(self.window.since)
    }

    /// What the measures follow of these settings.
    pub fn rules(&self) -> crate::measures::Rules<'_> {
        crate::measures::Rules {
            window: self.window,
            commit_time: self.commit_time,
            exclude_author: self.exclude_author.as_ref(),
            failures: crate::measures::failures::FailureRules {
                hotfix_pattern: &self.hotfix_pattern,
                hotfix_window: self.hotfix_window,
                revert_window: self.revert_window,
                incident_window: self.incident_window,
                count_failed_deploys: self.count_failed_deploys,
            },
        }
    }

    /// Layers the flags over the project file over the defaults, stopping at the first
    /// problem. `now` is the default end of the window.
    pub fn resolve(
        args: &Overrides,
        file: Option<&ProjectFile>,
        now: DateTime<Utc>,
    ) -> Result<Settings> {
        Settings::resolve_all(args, file, now).map_err(|problems| {
            let first = &problems[0];
            anyhow::anyhow!(match file {
                Some(file) => file.locate(first),
                None => first.message.clone(),
            })
        })
    }

    /// Every `[[service]]` of the file, each with its keys over `[measure]` (the flags still
    /// win over both), in the file's order; stops at the first problem.
    pub fn services(
        args: &Overrides,
        file: Option<&ProjectFile>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Service>> {
        let Some(file) = file else {
            return Ok(Vec::new());
        };
        let problems = file.service_problems();
        if let Some(first) = problems.first() {
            anyhow::bail!(file.locate(first));
        }
        file.tables
            .service
            .iter()
            .map(|service| {
                let table = service.over(&file.tables.measure);
                Settings::resolve_table(args, Some(file), &table, now)
                    .map(|settings| Service {
                        name: service.name.get_ref().trim().to_string(),
                        settings,
                    })
                    .map_err(|problems| anyhow::anyhow!(file.locate(&problems[0])))
            })
            .collect()
    }

    /// As `resolve`, with every problem of the flags, `[measure]`, `[outcome]` and each
    /// `[[service]]` at once.
    pub fn resolve_all(
        args: &Overrides,
        file: Option<&ProjectFile>,
        now: DateTime<Utc>,
    ) -> Result<Settings, Vec<SettingProblem>> {
        let empty = MeasureTable::default();
        let table = file.map_or(&empty, |f| &f.tables.measure);
        let base = Settings::resolve_table(args, file, table, now);
        let mut problems = base.as_ref().err().cloned().unwrap_or_default();
        if let Some(file) = file {
            problems.extend(file.service_problems());
            for service in &file.tables.service {
                let table = service.over(&file.tables.measure);
                // A service's own values; what it shares with [measure] is said once.
                if let Err(more) = Settings::resolve_table(args, Some(file), &table, now) {
                    for problem in more {
                        if !problems.contains(&problem) {
                            problems.push(problem);
                        }
                    }
                }
            }
        }
        match base {
            Ok(settings) if problems.is_empty() => Ok(settings),
            _ => Err(problems),
        }
    }

    /// The flags over one table of settings (`[measure]`, or a service's over it) over the
    /// defaults, with every problem.
    fn resolve_table(
        args: &Overrides,
        file: Option<&ProjectFile>,
        table: &MeasureTable,
        now: DateTime<Utc>,
    ) -> Result<Settings, Vec<SettingProblem>> {
        let mut r = Resolver {
            file,
            problems: Vec::new(),
        };

        let since = r.given("since", args.since.as_ref(), table.since.as_ref(), None);
        let until = r.given("until", args.until.as_ref(), table.until.as_ref(), None);
        let window = Window::resolve(
            since.as_ref().map(|g| g.value.as_str()),
            until.as_ref().map(|g| g.value.as_str()),
            now,
        )
        .map_err(|err| {
            // Placed at the file's value when the bad one came from the file.
            let span = [&since, &until]
                .into_iter()
                .flatten()
                .find_map(|g| match &g.origin {
                    Origin::File { key, span } => Some((key, span.clone())),
                    _ => None,
                });
            r.problems.push(match span {
                Some((key, span)) => SettingProblem {
                    span: Some(span),
                    message: format!("{key}: {err}"),
                },
                None => SettingProblem {
                    span: None,
                    message: err.to_string(),
                },
            });
        })
        .ok();

        let ci = if args.ci.is_empty() {
            file.map(|f| table.ci.iter().map(|p| f.relative(p)).collect())
                .unwrap_or_default()
        } else {
            args.ci.clone()
        };
        let incidents = args.incidents.clone().or_else(|| {
            let path = table.incidents.as_ref()?;
            Some(file.map_or(path.clone(), |f| f.relative(path)))
        });
        let tag_pattern = r
            .given(
                "tag_pattern",
                args.tag_pattern.as_ref(),
                table.tag_pattern.as_ref(),
                Some(DEFAULT_TAG_PATTERN),
            )
            .and_then(|g| r.regex(g));
        let deploy_workflow = r
            .given(
                "deploy_workflow",
                args.deploy_workflow.as_ref(),
                table.deploy_workflow.as_ref(),
                Some(DEFAULT_DEPLOY_WORKFLOW),
            )
            .and_then(|g| r.regex(g));
        let hotfix_pattern = r
            .given(
                "hotfix_pattern",
                args.hotfix_pattern.as_ref(),
                table.hotfix_pattern.as_ref(),
                Some(DEFAULT_HOTFIX_PATTERN),
            )
            .and_then(|g| r.regex(g));
        let hotfix_window = r
            .given(
                "hotfix_window",
                args.hotfix_window.as_ref(),
                table.hotfix_window.as_ref(),
                Some(DEFAULT_HOTFIX_WINDOW),
            )
            .and_then(|g| r.span(g));
        let revert_window = r
            .given(
                "revert_window",
                args.revert_window.as_ref(),
                table.revert_window.as_ref(),
                Some(DEFAULT_REVERT_WINDOW),
            )
            .and_then(|g| r.span(g));
        let incident_window = r
            .given(
                "incident_window",
                args.incident_window.as_ref(),
                table.incident_window.as_ref(),
                Some(DEFAULT_INCIDENT_WINDOW),
            )
            .and_then(|g| r.span(g));
        let prs = if args.prs.is_empty() {
            file.map(|f| table.prs.iter().map(|p| f.relative(p)).collect())
                .unwrap_or_default()
        } else {
            args.prs.clone()
        };
        // Empty includes every author; anything else must be a pattern.
        let exclude_author = r
            .given(
                "exclude_author",
                args.exclude_author.as_ref(),
                table.exclude_author.as_ref(),
                Some(DEFAULT_EXCLUDE_AUTHOR),
            )
            .map(|g| {
                if g.value.is_empty() {
                    Ok(None)
                } else {
                    r.regex(g).map(Some).ok_or(())
                }
            });
        let paths = r.paths(&args.paths, table.paths.as_deref());
        if let Some(file) = file {
            r.problems.extend(file.outcome_problems());
        }

        match (
            window,
            tag_pattern,
            deploy_workflow,
            hotfix_pattern,
            hotfix_window,
            revert_window,
            incident_window,
        ) {
            (
                Some(window),
                Some(tag_pattern),
                Some(deploy_workflow),
                Some(hotfix_pattern),
                Some(hotfix_window),
                Some(revert_window),
                Some(incident_window),
            ) if r.problems.is_empty() => Ok(Settings {
                window,
                ci,
                incidents,
                tag_pattern,
                deploy_workflow,
                deploy_branch: args
                    .deploy_branch
                    .clone()
                    .or_else(|| table.deploy_branch.clone()),
                deploy_environment: args
                    .deploy_environment
                    .clone()
                    .or_else(|| table.deploy_environment.clone())
                    .unwrap_or_else(|| DEFAULT_DEPLOY_ENVIRONMENT.to_string()),
                hotfix_pattern,
                hotfix_window,
                revert_window,
                incident_window,
                commit_time: args
                    .commit_time
                    .or(table.commit_time)
                    .unwrap_or(CommitTime::Author),
                count_failed_deploys: args.count_failed_deploys
                    || table.count_failed_deploys.unwrap_or(false),
                prs,
                exclude_author: exclude_author.and_then(Result::ok).flatten(),
                targets: file.map(|f| f.tables.outcome.targets()).unwrap_or_default(),
                paths: paths.unwrap_or_default(),
            }),
            _ => Err(r.problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap()
    }

    fn file(text: &str) -> Result<ProjectFile> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("valueflow.toml");
        std::fs::write(&path, text)?;
        Ok(ProjectFile::read(&path)?.expect("written above"))
    }

    #[test]
    fn flag_wins_over_file_over_default() {
        let f = file("[measure]\ntag_pattern = '^release-'\nhotfix_window = '24h'\n").unwrap();
        let s = Settings::resolve(&Overrides::default(), Some(&f), now()).unwrap();
        assert_eq!(s.tag_pattern.as_str(), "^release-");
        assert_eq!(s.hotfix_window, TimeDelta::hours(24));
        assert_eq!(s.hotfix_pattern.as_str(), DEFAULT_HOTFIX_PATTERN);
        let args = Overrides {
            tag_pattern: Some("^v".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(&args, Some(&f), now()).unwrap();
        assert_eq!(s.tag_pattern.as_str(), "^v");
    }

    #[test]
    fn bad_values_name_the_file_line_and_column() {
        let f =
            file("standard = \"continuous-value-flow\"\n[measure]\ntag_pattern = '(v'\n").unwrap();
        let err = Settings::resolve(&Overrides::default(), Some(&f), now()).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains(
                "valueflow.toml:3:15: tag_pattern \"(v\" is not a valid regular expression"
            ),
            "{msg}"
        );

        let err = file("[measure]\ntag_patern = 'v'\n").unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("valueflow.toml:2:1: unknown field `tag_patern`"),
            "{msg}"
        );
    }

    #[test]
    fn bad_flags_name_the_flag() {
        let args = Overrides {
            hotfix_pattern: Some("[".into()),
            ..Overrides::default()
        };
        let err = Settings::resolve(&args, None, now()).unwrap_err();
        assert!(
            format!("{err:#}")
                .starts_with("--hotfix-pattern \"[\" is not a valid regular expression")
        );
    }

    #[test]
    fn outcome_targets_out_of_range_are_each_named_at_their_line() {
        let f = file(
            "[outcome]\nlead_time_hours = nan\nchange_failure_rate = 5\npipeline_health = 0\n\
             deployments_per_day = -inf\nrecovery_hours = -1\n",
        )
        .unwrap();
        let problems: Vec<(String, String)> = f
            .outcome_problems()
            .into_iter()
            .map(|p| {
                (
                    position(&f.text, p.span.expect("in the file").start),
                    p.message,
                )
            })
            .collect();
        // Each value starts after `key = `: lead_time_hours is 15 characters, so column 19.
        assert_eq!(
            problems,
            [
                ("2:19", "lead_time_hours = NaN is out of range: expected a finite number above 0"),
                ("3:23", "change_failure_rate = 5 is out of range: expected a fraction above 0 and at most 1 (0.05 is 5%)"),
                ("4:19", "pipeline_health = 0 is out of range: expected a fraction above 0 and at most 1 (0.05 is 5%)"),
                ("5:23", "deployments_per_day = -inf is out of range: expected a finite number above 0"),
                ("6:18", "recovery_hours = -1 is out of range: expected a finite number above 0"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let err = Settings::resolve(&Overrides::default(), Some(&f), now()).unwrap_err();
        assert!(format!("{err:#}").contains("valueflow.toml:2:19: lead_time_hours = NaN"));
        // In range: 1 (100 %) and small positive amounts are targets a team may choose.
        let f = file("[outcome]\nchange_failure_rate = 1\nrecovery_hours = 0.25\n").unwrap();
        assert!(f.outcome_problems().is_empty());
        let s = Settings::resolve(&Overrides::default(), Some(&f), now()).unwrap();
        assert_eq!(s.targets.recovery_hours, 0.25);
        assert_eq!(s.targets.lead_time_hours, 24.0);
    }

    #[test]
    fn every_problem_of_the_file_at_once() {
        let f = file(
            "[measure]\nsince = 'last week'\ntag_pattern = '(v'\nhotfix_window = 'soon'\n\
             [outcome]\nrecovery_hours = 0\n",
        )
        .unwrap();
        let problems = Settings::resolve_all(&Overrides::default(), Some(&f), now()).unwrap_err();
        let located: Vec<String> = problems.iter().map(|p| f.locate(p)).collect();
        let path = f.path().display().to_string();
        // Each value starts after `key = `: since (5) + 3 = col 9, tag_pattern (11) + 3 = 15,
        // hotfix_window (13) + 3 = 17, recovery_hours (14) + 3 = 18.
        assert_eq!(located.len(), 4, "{located:#?}");
        assert!(located[0].starts_with(&format!(
            "{path}:2:9: since: --since \"last week\" is not a date"
        )));
        assert!(located[1].starts_with(&format!(
            "{path}:3:15: tag_pattern \"(v\" is not a valid regular expression"
        )));
        assert_eq!(
            located[2],
            format!(
                "{path}:4:17: hotfix_window \"soon\" is not a length of time: expected e.g. 72h, 3d, 1w"
            )
        );
        assert!(
            located[3].starts_with(&format!("{path}:6:18: recovery_hours = 0 is out of range"))
        );
    }

    #[test]
    fn ci_paths_are_relative_to_the_file() {
        let f = file("[measure]\nci = ['exports/runs.json']\n").unwrap();
        let s = Settings::resolve(&Overrides::default(), Some(&f), now()).unwrap();
        assert_eq!(
            s.ci,
            vec![f.path().parent().unwrap().join("exports/runs.json")]
        );
    }
}
