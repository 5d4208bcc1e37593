//! git2: the repository, deployments from tags and merges, change sets, commit facts.

mod changes;
mod deployments;
mod file_history;
mod paths;
mod pulls;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::Once;

use chrono::{DateTime, TimeZone, Utc};
use git2::{ErrorCode, Oid, Repository};
use thiserror::Error;

pub use deployments::TagScan;
pub use file_history::FileVersion;
pub use pulls::{RefScan, pull_of};

#[derive(Debug, Error)]
pub enum HistoryError {
    #[error("{path}: no such directory")]
    NotFound { path: PathBuf },
    #[error(
        "{path} is not in a git repository (nor is any parent directory); run valueflow in a checkout or pass -C PATH"
    )]
    NotARepository { path: PathBuf },
    #[error(
        "{path}: HEAD points to branch {branch:?}, which has no commits; check out a branch with history"
    )]
    UnbornHead { path: PathBuf, branch: String },
    /// libgit2's own message, once: as a `source` it was printed twice by `{:#}`.
    #[error("{path}: {}", error.message())]
    Git { path: PathBuf, error: git2::Error },
}

/// An open repository and the facts the report states about it.
pub struct Repo {
    git: Repository,
    /// The work tree (or the git directory of a bare repository).
    pub path: PathBuf,
    /// `None` for a repository with no commits at all.
    pub head: Option<Oid>,
    pub shallow: bool,
}

impl Repo {
    /// Opens the repository at or above `path`.
    pub fn open(path: &Path) -> Result<Repo, HistoryError> {
        tune_libgit2();
        if !path.is_dir() {
            return Err(HistoryError::NotFound {
                path: path.to_path_buf(),
            });
        }
        let git = Repository::discover(path).map_err(|err| match err.code() {
            ErrorCode::NotFound => HistoryError::NotARepository {
                path: path.to_path_buf(),
            },
            _ => HistoryError::Git {
                path: path.to_path_buf(),
                error: err,
            },
        })?;
        let root = git.workdir().unwrap_or(git.path()).to_path_buf();
        let head = match git.head() {
            Ok(head) => Some(head.peel_to_commit().map_err(|err| HistoryError::Git {
                path: root.clone(),
                error: err,
            })?),
            // A fresh `git init`: reported as a warning, every measure null.
            Err(err) if err.code() == ErrorCode::UnbornBranch && is_empty(&git) => None,
            Err(err) if err.code() == ErrorCode::UnbornBranch => {
                let branch = git
                    .find_reference("HEAD")
                    .ok()
                    .and_then(|h| h.symbolic_target().ok().flatten().map(str::to_string))
                    .unwrap_or_default();
                return Err(HistoryError::UnbornHead {
                    path: root,
                    branch: branch.trim_start_matches("refs/heads/").to_string(),
                });
            }
            Err(err) => {
                return Err(HistoryError::Git {
                    path: root,
                    error: err,
                });
            }
        }
        .map(|commit| commit.id());
        Ok(Repo {
            shallow: git.is_shallow(),
            git,
            path: root,
            head,
        })
    }

    fn error(&self, source: git2::Error) -> HistoryError {
        HistoryError::Git {
            path: self.path.clone(),
            error: source,
        }
    }
}

/// libgit2's defaults suit a process that reads objects again and again; valueflow reads each
/// commit of a history once, and a full-history run over a million commits spent most of its
/// memory on them (BENCHMARKS.md, history).
fn tune_libgit2() {
    static TUNED: Once = Once::new();
    TUNED.call_once(|| {
        // The object cache kept every commit read, up to 256 MB. A window's walks read their
        // few thousand commits two or three times, which a small cache serves; a long walk
        // cannot reuse what it read (the next walk comes a million commits later), and
        // evicting from a full cache tripled its time, so it turns the cache off
        // (`long_walk`).
        // SAFETY: as below.
        unsafe {
            let _ = git2::opts::set_cache_max_size(OBJECT_CACHE);
        }
        // Hashing every object read back to check its id was 8 % of the run; git itself does
        // not check on reading either.
        git2::opts::strict_hash_verification(false);
        // Packs are mapped in windows of 1 GB by default and kept mapped up to 8 GB: every
        // page of a pack read once stayed resident. Smaller windows, fewer kept, bound that.
        // SAFETY: these set plain globals that libgit2 reads when it maps a pack; this runs
        // once, before this process opens any repository through valueflow.
        unsafe {
            let _ = git2::opts::set_mwindow_size(MWINDOW_SIZE);
            let _ = git2::opts::set_mwindow_mapped_limit(MWINDOW_MAPPED_LIMIT);
        }
    });
}

const OBJECT_CACHE: isize = 16 << 20;

/// Commits a walk reads before it counts as long: well under what fills [`OBJECT_CACHE`].
pub(crate) const LONG_WALK: usize = 20_000;

/// A walk has read [`LONG_WALK`] commits: from now on libgit2 caches nothing (for this process;
/// the cache only ever changes speed, never what is read).
fn long_walk() {
    git2::opts::enable_caching(false);
}
const MWINDOW_SIZE: usize = 32 << 20;
const MWINDOW_MAPPED_LIMIT: usize = 64 << 20;

/// No references at all: `git init` and nothing more.
fn is_empty(git: &Repository) -> bool {
    git.is_empty().unwrap_or(false)
        || git
            .references()
            .map(|mut refs| refs.next().is_none())
            .unwrap_or(false)
}

/// git keeps seconds and the writer's offset; valueflow works in UTC.
fn utc(time: git2::Time) -> DateTime<Utc> {
    Utc.timestamp_opt(time.seconds(), 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}
