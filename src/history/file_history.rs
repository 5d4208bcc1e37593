//! The versions of one file along HEAD's first-parent line: the assessment file is versioned
//! with the code, so its history is the self-assessment over time.

use chrono::{DateTime, Utc};
use git2::Oid;

use super::{HistoryError, Repo, utc};

/// One version of a file: the commit that made it so, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersion {
    pub time: DateTime<Utc>,
    pub commit: String,
    pub text: String,
}

impl Repo {
    /// The commits of HEAD's first-parent line that changed `path` (relative to the root),
    /// newest first, each with the file's text as it left it. The walk stops at the first
    /// change committed before `since` (the version in effect when the window opens), and at
    /// a commit without the file (an older file at that path is another file). Empty when HEAD
    /// has no such file. First-parent only: a branch's intermediate edits are not versions the
    /// main line ever had.
    pub fn file_history(
        &self,
        path: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<FileVersion>, HistoryError> {
        let mut versions = Vec::new();
        let Some(head) = self.head else {
            return Ok(versions);
        };
        let blob_at = |oid: Oid| -> Result<Option<(Oid, DateTime<Utc>)>, HistoryError> {
            let commit = self.git.find_commit(oid).map_err(|e| self.error(e))?;
            let tree = commit.tree().map_err(|e| self.error(e))?;
            let blob = tree
                .get_path(std::path::Path::new(path))
                .ok()
                .map(|e| e.id());
            Ok(blob.map(|b| (b, utc(commit.committer().when()))))
        };
        let mut walk = self.git.revwalk().map_err(|e| self.error(e))?;
        walk.push(head).map_err(|e| self.error(e))?;
        walk.simplify_first_parent().map_err(|e| self.error(e))?;
        // The newer commit of each pair, with its blob: a version when its parent's differs.
        let mut newer: Option<(Oid, Oid, DateTime<Utc>)> = None;
        for oid in walk {
            let oid = oid.map_err(|e| self.error(e))?;
            let here = blob_at(oid)?;
            if let Some((commit, blob, time)) = newer
                && here.map(|(b, _)| b) != Some(blob)
            {
                versions.push(self.version(commit, blob, time)?);
                if time < since || here.is_none() {
                    return Ok(versions);
                }
            }
            match here {
                Some((blob, time)) => newer = Some((oid, blob, time)),
                None => return Ok(versions),
            }
        }
        // The root commit added the file.
        if let Some((commit, blob, time)) = newer {
            versions.push(self.version(commit, blob, time)?);
        }
        Ok(versions)
    }

    fn version(
        &self,
        commit: Oid,
        blob: Oid,
        time: DateTime<Utc>,
    ) -> Result<FileVersion, HistoryError> {
        let blob = self.git.find_blob(blob).map_err(|e| self.error(e))?;
        Ok(FileVersion {
            time,
            commit: commit.to_string(),
            text: String::from_utf8_lossy(blob.content()).into_owned(),
        })
    }
}
