//! Deployments read from history: tags (measures.md §1 `tags`) and first-parent commits
//! (`merges`, the continuous-deployment fallback).

use std::collections::HashSet;

use git2::{ObjectType, Oid, Sort};
use regex::Regex;

use super::{HistoryError, Repo, utc};
use crate::deployment::{Candidate, TieBreak};

/// What a scan of the tags found.
#[derive(Debug, Default)]
pub struct TagScan {
    /// Tags matching the pattern whose commit is reachable from HEAD.
    pub deployments: Vec<Candidate>,
    /// Tags matching the pattern, reachable or not: any at all selects the `tags` source.
    pub matched: usize,
    /// Matching tags not reachable from HEAD (another branch, or deleted history).
    pub unreachable: usize,
}

impl Repo {
    /// Every tag matching `pattern` whose commit is reachable from HEAD. Annotated tags deploy
    /// at their tagger date, lightweight tags at the tagged commit's committer date.
    pub fn tag_deployments(&self, pattern: &Regex) -> Result<TagScan, HistoryError> {
        let mut scan = TagScan::default();
        let Some(head) = self.head else {
            return Ok(scan);
        };
        let refs = self
            .git
            .references_glob("refs/tags/*")
            .map_err(|e| self.error(e))?;
        let mut reachable: Option<HashSet<Oid>> = None;
        for reference in refs {
            let reference = reference.map_err(|e| self.error(e))?;
            let Some(name) = reference
                .name()
                .and_then(|n| n.strip_prefix("refs/tags/"))
                .map(str::to_string)
            else {
                continue; // not UTF-8: cannot match a pattern the user wrote
            };
            if !pattern.is_match(&name) {
                continue;
            }
            // A tag of a tree or blob is not a release of code.
            let Ok(commit) = reference.peel_to_commit() else {
                continue;
            };
            scan.matched += 1;
            let reachable = match &mut reachable {
                Some(set) => set,
                None => reachable.insert(self.ancestors(head)?),
            };
            if !reachable.contains(&commit.id()) {
                scan.unreachable += 1;
                continue;
            }
            let annotated = reference
                .peel(ObjectType::Tag)
                .ok()
                .and_then(|object| object.into_tag().ok())
                .and_then(|tag| tag.tagger().map(|who| utc(who.when())));
            let time = annotated.unwrap_or_else(|| utc(commit.committer().when()));
            scan.deployments.push(Candidate {
                commit: commit.id().to_string(),
                time,
                label: Some(name.clone()),
                tie: TieBreak::Name(name),
                failed_run: false,
            });
        }
        Ok(scan)
    }

    /// Every first-parent commit of HEAD, deployed at its committer date.
    pub fn merge_deployments(&self) -> Result<Vec<Candidate>, HistoryError> {
        let Some(head) = self.head else {
            return Ok(Vec::new());
        };
        let mut walk = self.git.revwalk().map_err(|e| self.error(e))?;
        walk.push(head).map_err(|e| self.error(e))?;
        walk.simplify_first_parent().map_err(|e| self.error(e))?;
        let mut line = Vec::new();
        for oid in walk {
            let oid = oid.map_err(|e| self.error(e))?;
            let commit = self.git.find_commit(oid).map_err(|e| self.error(e))?;
            line.push((oid, utc(commit.committer().when())));
        }
        // The walk runs from HEAD back; position counts from the oldest so that ties at the
        // same second keep history order.
        let total = line.len() as u64;
        Ok(line
            .into_iter()
            .enumerate()
            .map(|(i, (oid, time))| Candidate {
                commit: oid.to_string(),
                time,
                label: None,
                tie: TieBreak::Position(total - i as u64),
                failed_run: false,
            })
            .collect())
    }

    /// Every commit reachable from `tip`.
    fn ancestors(&self, tip: Oid) -> Result<HashSet<Oid>, HistoryError> {
        let mut walk = self.git.revwalk().map_err(|e| self.error(e))?;
        walk.set_sorting(Sort::NONE).map_err(|e| self.error(e))?;
        walk.push(tip).map_err(|e| self.error(e))?;
        walk.map(|oid| oid.map_err(|e| self.error(e))).collect()
    }
}
