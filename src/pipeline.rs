//! The one orchestrator of a measuring run, as a few named steps, each a function of its
//! inputs: the repository and its settings -> the deployments (CI, else tags, else merges)
//! with their change sets -> the measures -> one report value. `report` adds the assessment
//! to what this returns; nothing here prints.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};

use crate::ci::{self, Export, PipelineRun};
use crate::events::{
    Candidate, ChangeSet, Deployment, Incident, PullRequests, Source, deployment, window,
};
use crate::history::{RefScan, Repo};
use crate::incidents;
use crate::measures::{self, Measures, failures::Failures};
use crate::outcome;
use crate::progress::Progress;
use crate::report::{self, Report};
use crate::settings::{self, Overrides, ProjectFile, Settings};
use crate::units::plural;

/// What a run is asked to measure.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Where to find the repository [default: the current directory's].
    pub repo: Option<PathBuf>,
    /// The project file [default: valueflow.toml in the repository root, when present]; when
    /// given, it must exist.
    pub project: Option<PathBuf>,
    /// Settings given on the command line, over the project file's.
    pub overrides: Overrides,
    /// Measure only this `[[service]]` of the project file (`--service`).
    pub service: Option<String>,
}

/// Everything `measure` computes, kept for `report`, which adds the assessment.
pub struct Analysis {
    pub report: Report,
    pub settings: Settings,
    /// The repository's root (its work tree, or the git directory of a bare one).
    pub root: PathBuf,
    /// The project file the settings came from, as read (`report` scores its practices).
    pub project: Option<ProjectFile>,
    /// The whole known sequence, before and after the window.
    pub deployments: Vec<Deployment>,
    pub failures: Failures,
    /// Every CI run read from the exports (all of them, not only the window's).
    pub runs: Vec<PipelineRun>,
    /// Whether CI exports were given: without, pipeline health is not measured (`trend`
    /// measures each period as `measure` would).
    pub ci_given: bool,
    /// The incidents read (all of them), for `trend`'s per-period measures.
    pub incidents: Vec<Incident>,
    /// The pull requests of the `--prs` exports.
    pub pulls: PullRequests,
    /// The runs the deploy rule matched (measures.md §1), whatever their conclusion.
    pub deploy_runs: Vec<PipelineRun>,
    /// Every file the run read (project file, CI exports, incidents): never an output.
    pub inputs: Vec<PathBuf>,
}

/// Sources -> deployments -> measures -> one report value.
pub fn analyse(request: &Request, now: DateTime<Utc>) -> Result<Analysis> {
    let mut warnings = Vec::new();
    let (repo, project) = open(request)?;
    // `--path` names the one scope of the run; otherwise each [[service]] is measured too.
    let services = if request.overrides.paths.is_empty() {
        Settings::services(&request.overrides, project.as_ref(), now)?
    } else {
        Vec::new()
    };
    let (settings, services) = match &request.service {
        Some(name) => (one_service(services, name, project.as_ref())?, Vec::new()),
        None => (
            Settings::resolve(&request.overrides, project.as_ref(), now)?,
            services,
        ),
    };
    if repo.shallow {
        warnings.push(
            "shallow clone: history stops at the clone depth, so the oldest change sets and lead \
             times are incomplete; run `git fetch --unshallow`"
                .to_string(),
        );
    }
    let mut omissions = Vec::new();
    let reading = (!settings.ci.is_empty()).then(|| Progress::start("reading the CI exports"));
    let exports = ci::load_all(&settings.ci, &mut omissions)?;
    drop(reading);
    warnings.extend(omissions.iter().map(|omission| match omission {
        ci::Omission::Skipped {
            path,
            reason,
            count,
        } => format!(
            "{}: {} left out: {reason}",
            path.display(),
            plural(*count, "object", "objects")
        ),
        ci::Omission::Repeated { count } => format!(
            "{} more than once in the exports: each counted once (its latest attempt)",
            plural(*count, "run appears", "runs appear")
        ),
    }));
    let reading = Progress::start("reading the history");
    let chosen = choose_deployments(&repo, exports.as_ref(), &settings, &mut warnings)?;
    warn_unscoped_deployments(&settings, chosen.source, &mut warnings);
    // For a window without deployments: the --since that would take in the last five.
    let last_five_since = {
        let mut times: Vec<DateTime<Utc>> = chosen
            .candidates
            .iter()
            .map(|c| c.time)
            .filter(|t| *t < settings.window.until)
            .collect();
        times.sort();
        times.len().checked_sub(5).map(|i| times[i])
    };
    let (deployments, refs) = change_sets(&repo, chosen.candidates, chosen.source, &settings)?;
    drop(reading);
    let pulls = crate::pull_requests::load_all(&settings.prs)?;
    warn_missing_commits(&deployments, &settings, &mut warnings);
    let incidents = match &settings.incidents {
        Some(path) => incidents::load(path)?,
        None => Vec::new(),
    };
    let services = services
        .iter()
        .map(|service| {
            let _measuring = Progress::start(&format!("measuring service {}", service.name));
            let inputs = ServiceInputs {
                exports: exports.as_ref(),
                incidents: &incidents,
                pulls: &pulls,
            };
            measure_service(&repo, inputs, service, &mut warnings)
        })
        .collect::<Result<Vec<_>>>()?;
    let ci_given = exports.is_some();
    let runs = exports.map(|e| e.runs);
    let (measures, failures) = measures::compute(
        &deployments,
        &incidents,
        &pulls,
        runs.as_deref(),
        &settings.rules(),
    );
    warn_about_measures(&measures, &repo, &settings, last_five_since, &mut warnings);
    warn_about_pull_requests(&measures, &refs, &settings, &mut warnings);

    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        repository: report::Repository {
            path: repo
                .path
                .display()
                .to_string()
                .trim_end_matches('/')
                .to_string(),
            head: repo.head.map(|h| h.to_string()),
            shallow: repo.shallow,
        },
        window: (&settings.window).into(),
        deployments: report::Deployments::new(
            chosen.source,
            &deployments,
            &failures,
            &settings.window,
            &chosen.deploy_runs,
            settings.commit_time,
            crate::measures::lead_time::Sources {
                exclude_author: settings.exclude_author.as_ref(),
                pulls: &pulls,
            },
        )
        .scoped(&settings.paths),
        targets: outcome::evaluate(&measures, &settings.targets),
        measures,
        warnings,
        service: request.service.clone(),
        services,
    };
    let inputs = project
        .iter()
        .map(|p| p.path().to_path_buf())
        .chain(settings.ci.iter().cloned())
        .chain(settings.incidents.iter().cloned())
        .chain(settings.prs.iter().cloned())
        .collect();
    Ok(Analysis {
        report,
        settings,
        root: repo.path,
        project,
        deployments,
        failures,
        runs: runs.unwrap_or_default(),
        ci_given,
        incidents,
        pulls,
        deploy_runs: chosen.deploy_runs,
        inputs,
    })
}

/// The settings of the `[[service]]` named by `--service`.
fn one_service(
    services: Vec<settings::Service>,
    name: &str,
    project: Option<&ProjectFile>,
) -> Result<Settings> {
    let names: Vec<String> = services.iter().map(|s| s.name.clone()).collect();
    if let Some(found) = services.into_iter().find(|s| s.name == name) {
        return Ok(found.settings);
    }
    let file = project.map_or(settings::PROJECT_FILE.to_string(), |p| {
        p.path().display().to_string()
    });
    Err(if names.is_empty() {
        anyhow::anyhow!(
            "--service {name:?}: {file} has no [[service]] table; add one with name and paths, \
             or measure a part of the repository with --path"
        )
    } else {
        anyhow::anyhow!(
            "--service {name:?}: no [[service]] of that name in {file}: expected one of {}",
            names.join(", ")
        )
    })
}

/// What every service's measuring shares with the run: read once.
struct ServiceInputs<'a> {
    exports: Option<&'a Export>,
    incidents: &'a [Incident],
    pulls: &'a crate::events::pull_request::PullRequests,
}

/// One `[[service]]`, measured as `--service NAME` would measure it: its deployments (its
/// tags, deploy workflow or environment), its change sets scoped to its paths, its measures.
/// What needs saying goes to the run's warnings, named by the service.
fn measure_service(
    repo: &Repo,
    inputs: ServiceInputs<'_>,
    service: &settings::Service,
    run_warnings: &mut Vec<String>,
) -> Result<report::ServiceReport> {
    let ServiceInputs {
        exports,
        incidents,
        pulls,
    } = inputs;
    let settings = &service.settings;
    let mut warnings = Vec::new();
    let chosen = choose_deployments(repo, exports, settings, &mut warnings)?;
    warn_unscoped_deployments(settings, chosen.source, &mut warnings);
    let (deployments, _) = change_sets(repo, chosen.candidates, chosen.source, settings)?;
    warn_missing_commits(&deployments, settings, &mut warnings);
    let runs = exports.map(|e| e.runs.as_slice());
    let (measures, failures) =
        measures::compute(&deployments, incidents, pulls, runs, &settings.rules());
    warn_about_measures(&measures, repo, settings, None, &mut warnings);
    let listed = report::Deployments::new(
        chosen.source,
        &deployments,
        &failures,
        &settings.window,
        &chosen.deploy_runs,
        settings.commit_time,
        crate::measures::lead_time::Sources {
            exclude_author: settings.exclude_author.as_ref(),
            pulls,
        },
    )
    .scoped(&settings.paths);
    run_warnings.extend(
        warnings
            .into_iter()
            .map(|w| format!("service {}: {w}", service.name)),
    );
    Ok(report::ServiceReport {
        name: service.name.clone(),
        paths: settings.paths.given().to_vec(),
        deployments: report::ServiceDeployments {
            source: listed.source,
            count: listed.count,
            unchanged: listed.unchanged.unwrap_or(0),
        },
        measures,
    })
}

/// With paths and deployments from `merges`, every main-line commit is a deployment of every
/// service, most of them unchanged: counted all the same, so the frequency is the
/// repository's, not the service's.
/// The chosen deployments in order, each with its change set (the run's paths and author
/// rules applied), squash commits standing for their pull request's original commits: only
/// the window's deployments give samples, so only theirs are looked up.
fn change_sets(
    repo: &Repo,
    candidates: Vec<Candidate>,
    source: Option<Source>,
    settings: &Settings,
) -> Result<(Vec<Deployment>, RefScan)> {
    let mut deployments = repo.change_sets(
        deployment::sequence(candidates),
        source.unwrap_or(Source::Merges),
        settings.history_since(),
        settings.exclude_author.as_ref(),
        &settings.paths,
    )?;
    let first_current = deployments.partition_point(|d| d.time < settings.window.since);
    let refs = repo.attach_originals(
        &mut deployments,
        first_current,
        settings.exclude_author.as_ref(),
    );
    Ok((deployments, refs))
}

fn warn_unscoped_deployments(
    settings: &Settings,
    source: Option<Source>,
    warnings: &mut Vec<String>,
) {
    if !settings.paths.is_empty() && source == Some(Source::Merges) {
        warnings.push(format!(
            "paths {} with deployments from merges: every first-parent commit counts as a \
             deployment of these paths, those that touch none of them as unchanged; set \
             --tag-pattern to the service's tags (e.g. '^api-v') or --deploy-workflow to its \
             deploy workflow",
            settings.paths.given().join(" ")
        ));
    }
}

/// The repository, and the project file: the one asked for (which must exist), else
/// valueflow.toml in the repository root when there is one.
fn open(request: &Request) -> Result<(Repo, Option<ProjectFile>)> {
    let start = match &request.repo {
        Some(path) => path.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    let repo = Repo::open(&start)?;
    let project = match &request.project {
        Some(path) => Some(ProjectFile::read(path)?.with_context(|| {
            format!(
                "{}: no such file; `valueflow init` writes one",
                path.display()
            )
        })?),
        None => ProjectFile::read(&repo.path.join(settings::PROJECT_FILE))?,
    };
    Ok((repo, project))
}

/// The deployments of the run, from exactly one source (measures.md §1).
struct Chosen {
    source: Option<Source>,
    candidates: Vec<Candidate>,
    /// The runs the deploy rule matched, whatever their conclusion (for the evidence).
    deploy_runs: Vec<PipelineRun>,
}

/// CI deploy runs or deployment records when the exports hold any that succeeded; else tags
/// matching the pattern; else every first-parent commit (`merges`).
fn choose_deployments(
    repo: &Repo,
    exports: Option<&Export>,
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> Result<Chosen> {
    let rules = ci::deploy::DeployRules {
        workflow: &settings.deploy_workflow,
        branch: settings.deploy_branch.as_deref(),
        environment: &settings.deploy_environment,
        count_failed: settings.count_failed_deploys,
    };
    let selection = exports
        .map(|e| rules.select(&e.runs, &e.deployments))
        .unwrap_or_default();
    if selection.without_commit > 0 {
        warnings.push(format!(
            "{} in the CI exports name no commit or time: left out",
            plural(selection.without_commit, "deployment", "deployments")
        ));
    }
    let (source, candidates) = if selection.candidates.is_empty() {
        git_deployments(repo, exports.is_some(), settings, warnings)?
    } else {
        (Some(Source::Ci), selection.candidates)
    };
    Ok(Chosen {
        source,
        candidates,
        deploy_runs: selection.deploy_runs,
    })
}

/// Tags matching the pattern, else every first-parent commit (`merges`).
fn git_deployments(
    repo: &Repo,
    exports_given: bool,
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> Result<(Option<Source>, Vec<Candidate>)> {
    if repo.head.is_none() {
        warnings.push("the repository has no commits yet: nothing to measure".to_string());
        return Ok((None, Vec::new()));
    }
    if exports_given {
        warnings.push(format!(
            "no CI run of a workflow matching {}{} succeeded, and no deployment record of \
             environment {} did: deployments come from git instead; set --deploy-workflow",
            settings.deploy_workflow,
            settings
                .deploy_branch
                .as_deref()
                .map(|b| format!(" on branch {b}"))
                .unwrap_or_default(),
            settings.deploy_environment
        ));
    }
    let tags = repo.tag_deployments(&settings.tag_pattern, settings.history_since())?;
    if tags.unreachable > 0 {
        warnings.push(format!(
            "{} matching {} {} not reachable from HEAD: left out",
            plural(tags.unreachable, "tag", "tags"),
            settings.tag_pattern,
            if tags.unreachable == 1 { "is" } else { "are" }
        ));
    }
    if tags.matched > 0 {
        return Ok((Some(Source::Tags), tags.deployments));
    }
    warnings.push(format!(
        "no tag matches {}: every first-parent commit of HEAD counts as a deployment (source \
         merges), so lead time measures commit to merge, not commit to production; set \
         --tag-pattern or give --ci exports",
        settings.tag_pattern
    ));
    Ok((
        Some(Source::Merges),
        repo.merge_deployments(settings.history_since())?,
    ))
}

fn warn_missing_commits(
    deployments: &[Deployment],
    settings: &Settings,
    warnings: &mut Vec<String>,
) {
    let missing = deployments
        .iter()
        .filter(|d| settings.window.contains(d.time) && d.changes == ChangeSet::Missing)
        .count();
    if missing > 0 {
        warnings.push(format!(
            "{} in the window {} a commit that is not in the local repository (not fetched, or \
             force-pushed away): counted for frequency and failure rate, left out of lead time; \
             run `git fetch`",
            plural(missing, "deployment", "deployments"),
            if missing == 1 { "names" } else { "name" }
        ));
    }
}

/// What the figures need said beside them: an empty window, dropped samples.
fn warn_about_measures(
    measures: &Measures,
    repo: &Repo,
    settings: &Settings,
    last_five_since: Option<DateTime<Utc>>,
    warnings: &mut Vec<String>,
) {
    let in_window = measures.deployment_frequency.deployments;
    if repo.head.is_some() && in_window == 0 {
        let last = match &measures.deployment_frequency.last_before_window {
            Some(last) => format!(
                "; the last one before it was {} on {}, {} before the window's end",
                last.label
                    .as_deref()
                    .unwrap_or(&last.commit[..last.commit.len().min(12)]),
                window::rfc3339(last.time),
                plural(last.days_before_until as usize, "day", "days")
            ),
            None => String::new(),
        };
        let widen = match last_five_since {
            Some(t) => format!(
                "--since {} would take in the last five",
                t.format("%Y-%m-%d")
            ),
            None => "widen the window with --since".to_string(),
        };
        warnings.push(format!(
            "no deployments between {} and {}{last}: {widen}",
            window::rfc3339(settings.window.since),
            window::rfc3339(settings.window.until)
        ));
    }
    // A thin window is not a blanket warning: each rate and median carries its own 90 %
    // interval, which says how much (or little) a few deployments show.
    if measures.lead_time_for_changes.dropped > 0 {
        warnings.push(format!(
            "{} dropped: deployed before the commit's {} date, which only clock skew explains",
            plural(
                measures.lead_time_for_changes.dropped,
                "lead-time sample",
                "lead-time samples"
            ),
            settings.commit_time.as_str(),
        ));
    }
}

/// Squash commits that lead time could not trace back to their pull request's commits, and
/// the commits of excluded authors: what each does to the figure.
fn warn_about_pull_requests(
    measures: &Measures,
    refs: &crate::history::RefScan,
    settings: &Settings,
    warnings: &mut Vec<String>,
) {
    let lt = &measures.lead_time_for_changes;
    let without = lt.squash_commits.without_pr_data;
    if without > 0 {
        warnings.push(format!(
            "{} of {} in the window {} no pull-request data (no refs/pull/N/head{}): each \
             counts as one sample from its merge, so lead time leaves out the work and review \
             before the merge and reads short; fetch the refs with `git fetch origin \
             '+refs/pull/*/head:refs/pull/*/head'` or give --prs (valueflow fetch github \
             --pull-requests)",
            without,
            plural(lt.squash_commits.total, "squash commit", "squash commits"),
            if without == 1 { "has" } else { "have" },
            if settings.prs.is_empty() {
                ""
            } else {
                ", not in --prs"
            }
        ));
    }
    if refs.not_squashes > 0 {
        warnings.push(format!(
            "{} on the main line {} a pull request whose commits the main line already has \
             (a cherry-pick or a mention): counted as ordinary commits",
            plural(refs.not_squashes, "commit", "commits"),
            if refs.not_squashes == 1 {
                "names"
            } else {
                "name"
            }
        ));
    }
    if lt.excluded_author_commits > 0 {
        warnings.push(format!(
            "{} left out of lead time: the author matches --exclude-author {}",
            plural(lt.excluded_author_commits, "commit", "commits"),
            settings
                .exclude_author
                .as_ref()
                .map_or("", |pattern| pattern.as_str())
        ));
    }
}

/// The committed versions of the project file (valueflow.toml in the repository root), newest
/// first, back to the one in effect at `since`: the self-assessment over time.
pub fn project_file_history(
    analysis: &Analysis,
    since: DateTime<Utc>,
) -> Result<Vec<crate::history::FileVersion>> {
    let repo = Repo::open(&analysis.root)?;
    Ok(repo.file_history(settings::PROJECT_FILE, since)?)
}
