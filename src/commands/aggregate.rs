//! Several repositories in one report: `valueflow aggregate REPORT.json …` rolls up saved
//! reports; `measure`/`report` with several `-C` or `--repos` measure each repository, in
//! parallel, and roll them up the same way (crate::rollup).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{self, AggregateArgs, MeasureArgs};
use crate::report::{self, Format};
use crate::rollup::{self, Contribution, Rollup};

pub fn run(args: &AggregateArgs) -> Result<()> {
    let format = match args.format {
        Some(cli::Format::Table) => Format::Table,
        Some(cli::Format::Markdown) => Format::Markdown,
        Some(cli::Format::Json) => Format::Json,
        Some(cli::Format::Html) => Format::Html,
        None => Format::implied_by(args.output.as_deref())?,
    };
    let mut contributions = Vec::with_capacity(args.reports.len());
    for path in &args.reports {
        let text = crate::input::read_text(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let contribution =
            Contribution::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
        contributions.push(contribution);
    }
    if let Some(output) = &args.output {
        crate::output::refuse_overwriting_inputs(
            output,
            args.reports.iter().map(PathBuf::as_path),
        )?;
    }
    emit(
        &rollup::rollup(&contributions),
        format,
        args.output.as_deref(),
    )
}

/// Whether `args` name more than one repository: then `measure` and `report` roll up.
pub(super) fn several(args: &MeasureArgs) -> bool {
    args.repo.len() > 1 || args.repos.is_some()
}

/// `measure` / `report` over several repositories: each measured as `measure -C PATH` would
/// (its own valueflow.toml settings, the flags given here over them, one `now` for all), in
/// parallel across the cores, then rolled up.
pub(super) fn measure_all(args: &MeasureArgs, format: Format) -> Result<Rollup> {
    let repos = repositories(args)?;
    let now = Utc::now();
    let contributions = measure_each(args, &repos, now)?;
    let rollup = rollup::rollup(&contributions);
    if format == Format::Json || args.output.is_some() {
        for warning in &rollup.warnings {
            eprintln!("warning: {warning}");
        }
    }
    emit(&rollup, format, args.output.as_deref())?;
    Ok(rollup)
}

fn emit(rollup: &Rollup, format: Format, output: Option<&Path>) -> Result<()> {
    let text = match format {
        Format::Json => report::to_json(rollup)?,
        Format::Table => report::rollup::table(rollup),
        Format::Markdown => report::rollup::markdown(rollup),
        Format::Html => report::rollup::html(rollup),
    };
    report::emit_as(&text, format, output)
}

/// The -C paths, then those --repos names, in that order, each once.
fn repositories(args: &MeasureArgs) -> Result<Vec<PathBuf>> {
    let mut repos = args.repo.clone();
    if let Some(repos_arg) = &args.repos {
        let file = Path::new(repos_arg);
        if file.is_file() {
            let text = crate::input::read_text(file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let base = file.parent().unwrap_or(Path::new(""));
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let pattern = base.join(line);
                let matched = expand(&pattern.to_string_lossy())
                    .map_err(|e| anyhow::anyhow!("{}:{}: {e}", file.display(), n + 1))?;
                if matched.is_empty() {
                    bail!("{}:{}: {line} matches no directory", file.display(), n + 1);
                }
                repos.extend(matched);
            }
        } else {
            let matched = expand(repos_arg).map_err(|e| anyhow::anyhow!("--repos: {e}"))?;
            if matched.is_empty() {
                bail!("--repos {repos_arg}: no such file, and no directory matches it as a glob");
            }
            repos.extend(matched);
        }
    }
    let mut seen = Vec::new();
    repos.retain(|r| {
        let key = r.canonicalize().unwrap_or(r.clone());
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    Ok(repos)
}

/// The directories `pattern` names (a plain path, or a glob: `*`, `?`, `[…]`, `**`), sorted.
fn expand(pattern: &str) -> Result<Vec<PathBuf>, String> {
    let paths = glob::glob(pattern).map_err(|e| format!("{pattern}: {e}"))?;
    let mut dirs: Vec<PathBuf> = paths
        .filter_map(Result::ok)
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    Ok(dirs)
}

/// Every repository's report, in the order given; the first error (naming its repository)
/// stops the run.
fn measure_each(
    args: &MeasureArgs,
    repos: &[PathBuf],
    now: DateTime<Utc>,
) -> Result<Vec<Contribution>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(repos.len())
        .max(1);
    let bar = bar(repos.len());
    crate::progress::quiet(true);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Contribution>>>> =
        Mutex::new((0..repos.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = repos.get(i) else { break };
                    let mut one = args.clone();
                    one.repo = vec![path.clone()];
                    one.repos = None;
                    let result = crate::pipeline::analyse(&super::request(&one, None), now)
                        .and_then(|analysis| {
                            Contribution::of(&analysis.report).context(
                                "the report cannot be read back for the roll-up (a bug: please \
                                 report it)",
                            )
                        })
                        .map_err(|e| {
                            // Name the repository, unless the error already does.
                            let shown = path.display().to_string();
                            if format!("{e:#}").contains(&shown) {
                                e
                            } else {
                                e.context(shown)
                            }
                        });
                    bar.inc(1);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    crate::progress::quiet(false);
    bar.finish_and_clear();
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(anyhow::anyhow!("a repository was not measured"))))
        .collect()
}

/// "measuring repositories [####----] 3/20 (4s)" on a terminal; nothing on a pipe.
fn bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template(
                "measuring repositories [{bar:30}] {pos}/{len} ({elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("#-"),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}
