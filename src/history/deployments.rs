//! Deployments read from history: tags (measures.md §1 `tags`) and first-parent commits
//! (`merges`, the continuous-deployment fallback).

use std::collections::HashSet;

use git2::{ObjectType, Oid};
use regex::Regex;

use super::{HistoryError, Repo, utc};
use crate::events::deployment::{Candidate, TieBreak};

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

/// Walks this far past the oldest commit time a reachability walk needs, for commits whose
/// dates are out of order (git's own `--since` keeps a similar slop).
const SKEW_SLOP_SECS: i64 = 24 * 3600;

/// A matched tag before it is known to be a deployment.
struct Tag {
    name: String,
    commit: Oid,
    commit_time: i64,
    time: chrono::DateTime<chrono::Utc>,
}

impl Repo {
    /// Tags matching `pattern` whose commit is reachable from HEAD. Annotated tags deploy at
    /// their tagger date, lightweight tags at the tagged commit's committer date.
    ///
    /// The cost follows the window: reachability is established for the tags from `since` on
    /// and for the latest reachable tag before it (whose commit bounds the first change set in
    /// the window); older tags are kept as earlier deployments without walking history back
    /// to them, which only rollback detection and change-set boundaries use.
    pub fn tag_deployments(
        &self,
        pattern: &Regex,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<TagScan, HistoryError> {
        let mut scan = TagScan::default();
        let Some(head) = self.head else {
            return Ok(scan);
        };
        let mut tags = self.matching_tags(pattern)?;
        scan.matched = tags.len();
        tags.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.name.cmp(&b.name)));
        let first_current = tags.partition_point(|t| t.time < since);
        // One walk from HEAD, back to just past the oldest commit that needs checking (the
        // current tags and the newest earlier one); anything not met is asked about directly.
        let oldest = tags[first_current.saturating_sub(1)..]
            .iter()
            .map(|t| t.commit_time)
            .min();
        let reachable = match oldest {
            Some(oldest) => {
                super::walk::reachable_since(&self.git, head, oldest.saturating_sub(SKEW_SLOP_SECS))
            }
            None => HashSet::new(),
        };
        let is_reachable = |commit: Oid| {
            commit == head
                || reachable.contains(&commit)
                || self.git.graph_descendant_of(head, commit).unwrap_or(false)
        };
        let mut kept = Vec::new();
        // The latest reachable tag before the window, and every older one.
        let mut before = tags[..first_current].iter().rev();
        for tag in before.by_ref() {
            if is_reachable(tag.commit) {
                kept.push(tag);
                break;
            }
            scan.unreachable += 1;
        }
        kept.extend(before);
        kept.reverse();
        for tag in &tags[first_current..] {
            if is_reachable(tag.commit) {
                kept.push(tag);
            } else {
                scan.unreachable += 1;
            }
        }
        scan.deployments = kept
            .into_iter()
            .map(|tag| Candidate {
                commit: tag.commit.to_string(),
                time: tag.time,
                label: Some(tag.name.clone()),
                tie: TieBreak::Name(tag.name.clone()),
                failed_run: false,
            })
            .collect();
        Ok(scan)
    }

    fn matching_tags(&self, pattern: &Regex) -> Result<Vec<Tag>, HistoryError> {
        let refs = self
            .git
            .references_glob("refs/tags/*")
            .map_err(|e| self.error(e))?;
        let mut tags = Vec::new();
        for reference in refs {
            let reference = reference.map_err(|e| self.error(e))?;
            let Some(name) = reference
                .name()
                .ok()
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
            let annotated = reference
                .peel(ObjectType::Tag)
                .ok()
                .and_then(|object| object.into_tag().ok())
                .and_then(|tag| tag.tagger().map(|who| utc(who.when())));
            tags.push(Tag {
                name,
                commit: commit.id(),
                commit_time: commit.committer().when().seconds(),
                time: annotated.unwrap_or_else(|| utc(commit.committer().when())),
            });
        }
        Ok(tags)
    }

    /// First-parent commits of HEAD, each deployed at its committer date: those from `since`
    /// on, and the first one before it (which bounds the window's first change set; every
    /// older one is its ancestor, so the walk stops there).
    pub fn merge_deployments(
        &self,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<Candidate>, HistoryError> {
        let Some(head) = self.head else {
            return Ok(Vec::new());
        };
        let mut walk = self.git.revwalk().map_err(|e| self.error(e))?;
        walk.push(head).map_err(|e| self.error(e))?;
        walk.simplify_first_parent().map_err(|e| self.error(e))?;
        let mut line = Vec::new();
        for (i, oid) in walk.enumerate() {
            let oid = oid.map_err(|e| self.error(e))?;
            let commit = self.git.find_commit(oid).map_err(|e| self.error(e))?;
            let time = utc(commit.committer().when());
            line.push(Candidate {
                commit: oid.to_string(),
                time,
                label: None,
                // Counted down from HEAD, so that ties at the same second keep history order.
                tie: TieBreak::Position(u64::MAX - i as u64),
                failed_run: false,
            });
            if time < since {
                break;
            }
        }
        Ok(line)
    }
}
